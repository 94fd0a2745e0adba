"""The shared character classes and file signatures."""

import re

import pytest

from plantext import chars
from plantext.ingest import sniff
from plantext.ingest.magic import is_ole, is_pdf, is_zip

ATOMS = [chars.BLANKS, chars.BULLETS, chars.SENTENCE_ENDS, chars.COMMAS, chars.COLONS, chars.CLOSING]


@pytest.mark.parametrize("atom", ATOMS)
def test_char_class_matches_exactly_its_characters(atom):
    pat = re.compile(chars.char_class(atom))
    assert all(pat.fullmatch(c) for c in atom)  # "-", "*", "]" and "\\" are escaped, not ranges
    assert not any(pat.fullmatch(c) for c in "计划a1.〔")


def test_half_width_full_stop_is_not_a_sentence_end():
    assert "." not in chars.SENTENCE_ENDS  # 3.5 学时, www.edu.cn
    assert set("。！？；") <= set(chars.SENTENCE_ENDS) and set("!?;") <= set(chars.SENTENCE_ENDS)


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", ".pdf"),
        (b"\r\n  junk before the header %PDF-1.4\n", ".pdf"),  # header within the first 1,024 bytes
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, ".doc"),
        ("本计划的附件为 PDF 文件，格式说明见 %PDF 一节。".encode(), ".txt"),  # no version: prose
        (b"PK\x05\x06" + b"\0" * 18, ".docx"),  # an empty zip is still a zip
    ],
)
def test_signatures(data, kind):
    assert sniff(data) == kind
    assert is_pdf(data) == (kind == ".pdf")
    assert is_ole(data) == (kind == ".doc")
    assert is_zip(data) == (kind == ".docx")
