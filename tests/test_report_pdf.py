"""The PDF report: printed by headless Chromium from the print layout, then read back as a
reader would see it: text extracted (pdftotext, Debian poppler-utils), fonts listed (pdffonts),
the first page rendered to an image (pdftoppm). Skipped without Chromium or poppler-utils."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_report_html import GUIDE, PAIR, REF, STEP, sample_case

from plantext.report.pdf import find_chromium, write_pdf

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def tool(name: str) -> str:
    exe = shutil.which(name)
    if not exe:
        pytest.skip(f"no {name} (Debian poppler-utils)")
    return exe


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    if find_chromium() is None:
        pytest.skip("no chromium")
    docs, plans = sample_case()
    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    mp = pytest.MonkeyPatch()
    mp.setenv("PLANTEXT_LANG", "zh")  # asserted on below
    try:
        write_pdf(out, docs, plans, title="复制检测报告")
    finally:
        mp.undo()
    return docs, plans, out


def pages_text(path: Path) -> list[str]:
    text = subprocess.run(
        [tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_pdf_chinese_labels_numbered_pairs_and_copied_characters(pdf):
    docs, plans, path = pdf
    assert path.read_bytes()[:5] == b"%PDF-"
    pages = pages_text(path)
    first = flat(pages[0])
    for label in ("复制检测报告", "总览", "判定"):  # (the overview's headers wrap in their narrow columns)
        assert label in first, label
    assert "第1页/共" in first  # page numbers in the footer
    # the first submission's page: its header, its figures, the fragments numbered on both sides
    page = next(flat(p) for p in pages if "临江县实验中学教师培训工作方案" in p and "疑似片段列表" in p)
    for label in ("总文字复制比", "去除引用后的复制比", "单篇最大文字复制比", "重复字数/总字数"):
        assert label in page, label
    assert "送检文件：临江县实验中学教师培训工作方案(in/a.txt)" in page
    # 重复字数 / 总字数: the check's own figures (Plan.chars), as in its JSON
    # (a check made by hand, without them: counted from the plan alike)
    total = plans["in/a.txt"].chars
    assert f"{round(docs[0].copy_ratio * total)}/{total}字" in page
    for n in "①②③":
        assert page.count(n) >= 3, n  # in the sources table and on both sides of its pair
    body = "".join(flat(p) for p in pages)
    for fragment in (GUIDE, STEP, PAIR):
        assert body.count(flat(fragment)[:20]) >= 2  # the copy and its source, side by side


def test_pdf_fonts_embedded_and_page_renders(pdf, tmp_path):
    _, _, path = pdf
    fonts = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(r[-5] == "yes" for r in rows), fonts  # every font embedded (emb column)
    assert any(re.search(r"(?i)cjk|zenhei|hei|song|ming", r[0]) for r in rows), fonts
    tool("pdftoppm")
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    [png] = list(tmp_path.glob("p*.png"))
    from PIL import Image

    img = Image.open(png).convert("L")
    dark = sum(1 for v in img.tobytes() if v < 128)
    assert img.size[1] > img.size[0] and dark > 500  # a portrait page with text on it
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(png, ARTIFACTS / "report-pdf-page1.png")


def test_source_side_marks_only_the_copied_spans():
    """Two copied paragraphs of one source with a paragraph between them the copier left out:
    the pair's source side prints the whole stretch, but marks only the copied parts."""
    from plantext.report.findings import copied_parts

    a, b = REF.find("坚持以课堂"), REF.find("1. 每位教师")
    skipped = REF[b : REF.find("三、主要措施")]
    parts = copied_parts(REF[a:b] + REF[REF.find("三、主要措施") : REF.find("（二）")], REF[a : REF.find("（二）")])
    marked = "".join(REF[a + s : a + e] for s, e in parts)
    assert "坚持以课堂为主阵地" in marked and "一课三研" in marked
    assert "48学时" in skipped and "48学时" not in marked and "100%" not in marked
