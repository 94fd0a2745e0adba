"""Messages that name the real problem, and mojibake that spares names (inputs made here)."""

from __future__ import annotations

import pytest

from plantext.clean import clean
from plantext.errors import PlantextError
from plantext.ingest import load
from plantext.ingest.text import looks_garbled
from plantext.model import Source
from plantext.split import no_plan_reason, split


def _mojibake(text: str) -> list[str]:
    src = clean(Source(path="t.txt", text=text, format="txt"))
    return [text[s.start : s.end] for s in src.noise if s.kind == "mojibake"]


def test_names_with_rare_characters_are_not_mojibake():
    text = "学生会主席：王垭烨；副主席：许琪、陈昊垚、刘赟。指导教师：欧阳翀、钱煜祺。"
    assert _mojibake(text) == []


def test_a_run_of_rare_characters_is_still_mojibake():
    garbled = "教师培训计划安排".encode().decode("gbk", errors="ignore")
    assert _mojibake("本学期" + garbled + "。")


def _legacy_bytes(n: int = 400) -> bytes:
    """Two-byte codes from the high rows of the GB2312 table, the way text in another legacy
    codec (EUC-TW) reads when taken for GB18030: valid bytes, rare characters."""
    out = bytearray()
    for i in range(n):
        out += bytes((0xD8 + (i * 7) % 0x20, 0xA1 + (i * 13) % 0x5D))
        if i % 40 == 39:
            out += b"\r\n"
    return bytes(out)


def test_text_in_an_unsupported_legacy_encoding_is_refused():
    with pytest.raises(PlantextError) as e:
        load("old.txt", data=_legacy_bytes())
    assert e.value.key == "ingest_docs.legacy_encoding"
    assert load(
        "new.txt", data="教师培训工作计划。一、目标：每位教师每学年培训不少于72学时。".encode("gb18030") * 5
    ).encoding


def test_looks_garbled_judges_real_text_as_text():
    assert not looks_garbled("國立中學教師研習計畫，每學期辦理兩次研習活動，全體教師參加。" * 4)
    assert looks_garbled(_legacy_bytes().decode("gb18030"))


def test_drm_encrypted_docx_is_named():
    blob = b"%DRM-HEADER%" + bytes((i * 7919 + (i >> 3) * 31 + 11) % 256 for i in range(8192))
    with pytest.raises(PlantextError) as e:
        load("plan.docx", data=blob)
    assert e.value.key == "ingest_docs.drm_blob"


def test_rights_managed_docx_is_named():
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 200
        + "\x06DataSpaces".encode("utf-16-le")
        + b"\x00" * 64
        + "DRMEncryptedDataSpace".encode("utf-16-le")
        + b"\x00" * 300
    )
    with pytest.raises(PlantextError) as e:
        load("plan.docx", data=ole)
    assert e.value.key == "ingest_docs.rights_protected"


def test_a_credits_page_has_no_plan_and_says_why():
    src = Source(
        path="credits.pdf", text="主编\n张明\n副主编\n李华 王强\n责任编辑\n赵丽\n美术编辑\n陈静\n", format="pdf"
    )
    assert split(src) == []
    key, params = no_plan_reason(src)
    assert key == "ingest_docs.no_plan_short" and params == {"chars": 23}
