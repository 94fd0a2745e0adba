"""OCR: layout and repairs on boxes (no engine needed), then scans made here read back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plantext.ingest import IngestError, load
from plantext.ingest.ocr import Box, OcrSettings, available_engine, page_lines, reading_order, repair

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


@pytest.mark.parametrize(
    ("ocr", "fixed"),
    [
        ("2O24年3月", "2024年3月"),  # letter O between digits
        ("2〇24年", "2024年"),  # 〇 between Arabic digits
        ("二〇二四年", "二〇二四年"),  # a Chinese date keeps its 〇
        ("10O%", "100%"),
        ("1l2人", "112人"),
        ("3一5名骨干教师", "3-5名骨干教师"),  # 一 between digits is a range dash
        ("一名骨干教师指导一名新教师", "一名骨干教师指导一名新教师"),
        ("-、指导思想", "一、指导思想"),  # a dash read for the heading marker 一
        ("  —、工作目标", "  一、工作目标"),
        ("A-1型号", "A-1型号"),
        ("Office 2O16", "Office 2016"),
    ],
)
def test_repair_only_what_is_safe(ocr, fixed):
    assert repair(ocr) == fixed


def _box(text: str, x0: float, top: float, x1: float, h: float = 40) -> Box:
    return Box(text, x0, top, x1, top + h, 0.99)


def test_two_columns_are_read_column_by_column_under_a_full_width_title():
    boxes = [_box("二〇二四年工作计划", 300, 100, 2100)]
    for i in range(4):
        boxes.append(_box(f"左{i}", 200, 200 + 60 * i, 1150))
        boxes.append(_box(f"右{i}", 1300, 200 + 60 * i, 2280))
    boxes.append(_box("附件：日程表", 200, 500, 2280))  # crosses the gutter: ends the two-column stretch
    order = [row[0].text for row, _ in reading_order(boxes, 2480)]
    assert order == ["二〇二四年工作计划", "左0", "左1", "左2", "左3", "右0", "右1", "右2", "右3", "附件：日程表"]


def test_table_cells_are_not_columns_and_become_tabs():
    boxes = []
    for i, (a, b, c) in enumerate(
        [("项目", "次数", "负责人"), ("消防演练", "4", "李强"), ("防溺水", "2", "王芳"), ("交通安全", "3", "赵敏")]
    ):
        boxes += [_box(a, 200, 100 + 60 * i, 400), _box(b, 1100, 100 + 60 * i, 1140), _box(c, 1900, 100 + 60 * i, 2050)]
    lines = page_lines(boxes, 2480, scale=0.5)
    assert [ln.text for ln in lines] == [
        "项目\t次数\t负责人",
        "消防演练\t4\t李强",
        "防溺水\t2\t王芳",
        "交通安全\t3\t赵敏",
    ]
    assert all(ln.table_row for ln in lines)
    assert lines[0].top == 50 and lines[0].x0 == 100  # positions scaled (pixels -> points)


def test_no_engine_is_one_clear_line(tmp_path, monkeypatch):
    scans = pytest.importorskip("scans")
    if scans.font_path() is None:
        pytest.skip("no CJK font")
    pdf = scans.scan_pdf(scans.render("一、指导思想", 100), tmp_path / "scan.pdf", 100)
    monkeypatch.setattr("plantext.ingest.ocr.available_engine", lambda preferred=None: None)
    monkeypatch.setenv("PLANTEXT_LANG", "en")
    with pytest.raises(IngestError) as e:
        load(str(pdf))
    assert str(e.value) == (
        f"{pdf}: scanned PDF without a text layer (1 pages): OCR needs RapidOCR "
        "(pip install 'plantext[ocr]') or Tesseract with Chinese data "
        "(apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra)"
    )
    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    with pytest.raises(IngestError, match="扫描版 PDF，没有文字层"):
        load(str(pdf))
    with pytest.raises(IngestError, match="switched off"):
        monkeypatch.setenv("PLANTEXT_LANG", "en")
        load(str(pdf), ocr=OcrSettings(mode="never"))


PLAN = """南山小学2025年教师培训计划
一、工作目标
1.每位教师全年参加培训不少于72学时，其中网络研修不少于30学时。
2.骨干教师培训覆盖率达到100%，新增县级骨干教师3至5名。
二、保障措施
学校按公用经费的5%安排培训经费，预算3.5万元，9月30日前完成。"""


@pytest.fixture(autouse=True)
def _patient_ocr(monkeypatch):
    monkeypatch.setenv("PLANTEXT_OCR_TIMEOUT", "900")  # a loaded test machine is slow, not stuck


@pytest.fixture(scope="module")
def engine():
    eng = available_engine()
    if eng is None:
        pytest.skip("no OCR engine (pip install 'plantext[ocr]')")
    scans = pytest.importorskip("scans")
    if scans.font_path() is None:
        pytest.skip("no CJK font (fonts-wqy-zenhei)")
    return eng


def _flat(s: str) -> str:
    return "".join(s.split())


def test_scanned_pdf_reads_like_the_typed_plan(engine, tmp_path):
    import scans

    import plantext

    pdf = scans.scan_pdf(scans.render(PLAN, 200, "stamped", trim=True), tmp_path / "scan.pdf", 200)
    src = load(str(pdf))
    assert _flat(src.text) == _flat(PLAN)
    assert "ocr" in src.flags and src.meta["ocr"]["engine"] == engine
    assert src.meta["ocr"]["confidence"] > 0.9
    plans = plantext.split(src)
    assert [p.title for p in plans] == ["南山小学2025年教师培训计划"]
    assert "ocr" in plans[0].flags
    from plantext.model import Source

    typed = plantext.split(Source(path="typed.txt", text=PLAN, format="txt"))[0]

    def rows(plan):  # noqa: ANN001
        return sorted((t.value, t.value_max, t.unit, t.comparator, t.deadline) for t in plantext.targets(plan))

    assert rows(plans[0]) == rows(typed)
    assert (72, None, "学时") in {r[:3] for r in rows(typed)}


def test_image_file_and_two_columns(engine, tmp_path):
    import scans

    text = "\n".join(f"{n}、第{n}项工作由各年级按时完成并上报。" for n in "一二三四五六七八九十")
    img = scans.render(text + "\n" + text, 200, "columns", trim=True)[0]
    path = tmp_path / "page.png"
    img.save(path)
    src = load(str(path))
    assert src.format == "image" and "ocr" in src.flags
    assert _flat(src.text) == _flat(text + text)


def test_run_reads_a_folder_of_every_format(engine, tmp_path):
    """`plantext run` on a scanned PDF, a .wps, an .ofd, an .odt and an .rtf reads all five."""
    import json
    import os
    import subprocess

    import scans
    from test_formats_office import _gbk, _rtf, _text_object, make_odt, make_ofd

    d = tmp_path / "in"
    d.mkdir()
    scans.scan_pdf(scans.render(PLAN, 200, "clean", trim=True), d / "scan.pdf", 200)
    (d / "wps.wps").write_bytes((ROOT / "tests" / "data" / "formats" / "plan.docx").read_bytes())
    (d / "e.ofd").write_bytes(
        make_ofd(
            [[_text_object(1, 20, 20, 5, "北塘中学德育工作计划"), _text_object(2, 20, 30, 4, "每月开展一次主题班会。")]]
        )
    )
    (d / "o.odt").write_bytes(make_odt("<text:h>西湖小学工会工作计划</text:h><text:p>全年组织活动不少于4次。</text:p>"))
    (d / "r.rtf").write_bytes(_rtf(_gbk("东山镇安全工作计划") + "\\par " + _gbk("全年开展消防演练4次。") + "\\par "))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLANTEXT_PROGRESS": "0", "PLANTEXT_OCR_TIMEOUT": "900"}
    res = subprocess.run(
        [sys.executable, "-m", "plantext", "run", str(d), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    plans = json.loads((tmp_path / "out" / "plans.json").read_text(encoding="utf-8"))
    formats = {Path(p["source"]).suffix for p in plans}
    assert formats == {".pdf", ".wps", ".ofd", ".odt", ".rtf"}, (res.stderr, plans)
    assert "scan.pdf" not in res.stderr
