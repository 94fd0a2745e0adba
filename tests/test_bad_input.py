"""Every unreadable file gives one line naming the file and the problem; a batch goes on and
exits non-zero. The bad files are made here, from the good fixtures."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from plantext.ingest import IngestError, load

FORMATS = Path(__file__).parent / "data" / "formats"
ROOT = Path(__file__).resolve().parent.parent


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(FORMATS / "plan.pdf"))
    w.encrypt("secret", algorithm="AES-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _scanned_pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=420, height=595)
    w.add_blank_page(width=420, height=595)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in names.items():
            z.writestr(name, data)
    return buf.getvalue()


def _bad_files() -> dict[str, tuple[bytes, str]]:
    """file name -> (content, the problem its error must state)"""
    pdf = (FORMATS / "plan.pdf").read_bytes()
    docx = (FORMATS / "plan.docx").read_bytes()
    text = (FORMATS / "plan.utf8.txt").read_bytes()
    noise = bytes((i * 7919 + 13) % 256 for i in range(4096))
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 300
    return {
        "empty.txt": (b"", "空文件"),
        "blank.pdf": (b"", "空文件"),
        "noise.txt": (noise, "二进制文件，不是文本"),
        "controls.txt": (b"\x01\x02\x03\x04abc\x05\x06\x07\x08" * 50, "二进制文件，不是文本"),
        "truncated.pdf": (pdf[: len(pdf) // 2], "PDF 已损坏或不完整"),
        "locked.pdf": (_encrypted_pdf(), "PDF 设有密码"),
        "scanned.pdf": (_scanned_pdf(), "文字识别也没有找到文字"),
        "notes.pdf": (text, "不是 PDF 文件"),
        "archive.docx": (_zip({"readme.txt": b"hello", "data/a.bin": noise}), "不是 Word 文档：是普通压缩包"),
        "sheet.docx": (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "是Excel 工作簿"),
        "text.docx": (text, "内容是纯文本"),
        "cut.docx": (docx[: len(docx) // 3], "Word 文档已损坏或不完整"),
        "locked.docx": (ole, "Word 文档已加密"),
        "noise.docx": (noise, "不是 Word 文档"),
        "noise.html": (noise, "二进制文件"),
        "noise.doc": (noise, "不是 Word .doc 文件"),
    }


@pytest.mark.parametrize("name", sorted(_bad_files()))
def test_bad_file_gives_one_line(tmp_path, name, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "zh")  # the default language
    data, problem = _bad_files()[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as e:
        load(str(path))
    msg = str(e.value)
    assert msg.startswith(f"{path}: ") and problem in msg, msg
    assert "\n" not in msg and "Traceback" not in msg
    assert e.value.path == str(path)


def test_wrong_forced_encoding(tmp_path, english):
    path = tmp_path / "plan.txt"
    path.write_bytes((FORMATS / "plan.gb18030.txt").read_bytes())
    with pytest.raises(IngestError) as e:
        load(str(path), encoding="utf-8")
    assert str(e.value).startswith(f"{path}: cannot decode as utf-8: bad byte at offset ")
    with pytest.raises(IngestError, match="unknown encoding 'klingon'"):
        load(str(path), encoding="klingon")
    # asked for, undecodable bytes become U+FFFD instead
    assert "\ufffd" in load(str(path), encoding="utf-8", errors="replace").text


def test_missing_file_and_directory(tmp_path, english):
    with pytest.raises(IngestError, match=r"nope\.txt: no such file$"):
        load(str(tmp_path / "nope.txt"))
    with pytest.raises(IngestError, match="is a folder, not a file$"):
        load(str(tmp_path))


def _batch(tmp_path) -> tuple[list[str], list[str]]:
    good = []
    for name in ("plan.utf8.txt", "plan.docx", "plan.pdf"):
        (tmp_path / name).write_bytes((FORMATS / name).read_bytes())
        good.append(str(tmp_path / name))
    bad = []
    for name in ("empty.txt", "truncated.pdf", "locked.pdf", "archive.docx", "text.docx"):
        (tmp_path / name).write_bytes(_bad_files()[name][0])
        bad.append(str(tmp_path / name))
    return good, bad


def test_cli_batch_goes_on_past_bad_files(tmp_path):
    from typer.testing import CliRunner

    from plantext.cli import app

    good, bad = _batch(tmp_path)
    res = CliRunner().invoke(app, ["split", *sorted(good + bad), "--format", "json"])
    assert res.exit_code == 1
    errors = res.stderr.strip().split("\n")
    assert sorted(line.split(": ")[1] for line in errors) == sorted(bad)
    assert all(line.startswith("plantext: ") for line in errors)
    plans = json.loads(res.stdout)
    assert sorted(p["source"] for p in plans) == sorted(good)
    assert {p["title"] for p in plans} == {"城关第二小学2024年青年教师培训计划"}


def test_cli_text_of_a_bad_file(tmp_path, english):
    from typer.testing import CliRunner

    from plantext.cli import app

    path = tmp_path / "locked.pdf"
    path.write_bytes(_bad_files()["locked.pdf"][0])
    res = CliRunner().invoke(app, ["text", str(path)])
    assert res.exit_code != 0
    assert res.stderr == f"plantext: {path}: password-protected PDF (remove the password and try again)\n"
    assert res.stdout == ""


def test_real_process_prints_no_traceback(tmp_path):
    good, bad = _batch(tmp_path)
    res = subprocess.run(
        [sys.executable, "-m", "plantext", "split", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert res.returncode == 1
    lines = res.stderr.strip().split("\n")
    assert len(lines) == len(bad) and "Traceback" not in res.stderr
    assert len(json.loads(res.stdout)) == len(good)
