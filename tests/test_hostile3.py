"""Third hostile round: inputs and command lines a demanding user tries (one-line and repetitive
texts, outputs in odd places, odd option values), each found to fail before its fix."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantext.cli import app
from plantext.inputs import read_inputs

ROOT = Path(__file__).resolve().parent.parent

PLAN = """城东中学教师研修工作计划
一、指导思想
坚持以课堂为主阵地，把教师研修与学生发展结合起来，推动教学方式转变。
二、工作目标
1.全年开展校本研修活动不少于12次，每位教师研修学时不少于60学时。
2.新教师汇报课覆盖率达到100%，骨干教师每学期上示范课不少于2节。
三、保障措施
学校设立研修专项经费3万元，由教务处负责统筹安排。
"""


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click 8.2+: stderr is apart already
        return CliRunner()


def _plans(tmp_path: Path, text: str, name: str = "p.txt"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    inputs = read_inputs([str(f)])
    assert not inputs.errors, inputs.errors
    return inputs.plans


# -- time and memory ------------------------------------------------------------------------------


def test_a_repetitive_plan_is_checked_in_bounded_memory(tmp_path):
    """One phrase said over and over (rare among plans, common in the plan) gave the word channel
    every pair of its sentences at once: 19 GB for 1 MB of such text. A bigram held by many
    reference sentences tells none apart and is not looked up."""
    from plantext.similarity.check import check

    text = "".join(f"第{i}项：组织教师参加师德专题学习，撰写心得体会并在组内交流研讨。" for i in range(900))
    plans = _plans(tmp_path, "师德学习计划\n" + text)
    tracemalloc.start()
    try:
        check(plans)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60_000_000, f"{peak / 1e6:.0f} MB"


def test_targets_on_one_long_line_read_a_bounded_tail(tmp_path, monkeypatch):
    """A text that is one line (pasted from a PDF or a web page) handed the rest of the whole text
    to the responsible-tail rule for every target: time growing with the square of the length."""
    from plantext import targets as targets_fn
    from plantext.targets import subjects

    seen: list[int] = []
    real = subjects.tail_responsible
    monkeypatch.setattr(subjects, "tail_responsible", lambda t: seen.append(len(t)) or real(t))
    body = "".join(f"第{i}条，本学期组织读书分享活动不少于{i % 9 + 2}次，参与率达到9{i % 10}%。" for i in range(400))
    plans = _plans(tmp_path, "读书活动计划" + body)
    rows = targets_fn(plans[0])
    assert len(rows) >= 400
    assert seen and max(seen) < 5000  # the sentence and at most a few thousand characters after it


def test_a_tail_closing_its_line_still_names_who_is_responsible(tmp_path):
    from plantext import targets as targets_fn

    text = PLAN + "四、重点任务\n1.全市新建智慧教室200间，改造实验室50个。（市教育局牵头，市财政局配合）\n"
    rows = [r for r in targets_fn(_plans(tmp_path, text)[0]) if r.value == 200]
    assert rows and rows[0].responsible == "市教育局"


# -- outputs in odd places ------------------------------------------------------------------------


def _invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def _folder(tmp_path: Path, n: int = 2) -> Path:
    d = tmp_path / "plans"
    d.mkdir()
    for i in range(n):
        (d / f"p{i}.txt").write_text(PLAN.replace("城东中学", f"第{i}中学"), encoding="utf-8")
    return d


def test_an_output_under_a_file_is_one_line_not_a_traceback(tmp_path):
    d = _folder(tmp_path)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    for args in (
        ["targets", str(d), "-o", str(tmp_path / "afile" / "t.csv")],
        ["split", str(d), "-f", "json", "-o", str(tmp_path / "afile" / "p.json")],
        ["run", str(d), "-o", str(tmp_path / "afile" / "out")],
    ):
        r = _invoke(*args)
        assert r.exit_code in (1, 2) and not isinstance(r.exception, OSError), (args, r.exception)
        assert "afile 不是文件夹" in r.stderr or "不是文件夹" in r.stderr, r.stderr


def test_an_output_that_is_a_folder_is_said_so_in_chinese(tmp_path):
    d = _folder(tmp_path)
    r = _invoke("targets", str(d), "-o", str(tmp_path))
    assert r.exit_code == 2 and "是文件夹" in r.stderr and "already" not in r.stderr
    (tmp_path / "t.csv").write_text("old", encoding="utf-8")
    r = _invoke("targets", str(d), "-o", str(tmp_path / "t.csv"))
    assert r.exit_code == 2 and "已存在" in r.stderr and (tmp_path / "t.csv").read_text(encoding="utf-8") == "old"


def test_an_unwritable_output_folder_stops_before_the_reading(tmp_path, monkeypatch):
    import os

    import plantext.inputs
    from plantext.report import files

    d = _folder(tmp_path)
    real = os.access
    monkeypatch.setattr(files.os, "access", lambda p, m: False if Path(p) == tmp_path / "ro" else real(p, m))
    monkeypatch.setattr(plantext.inputs, "read_inputs", lambda *a, **k: pytest.fail("read before the refusal"))
    (tmp_path / "ro").mkdir()
    r = _invoke("report", str(d), "-o", str(tmp_path / "ro" / "r.html"))
    assert r.exit_code == 2 and "无法写入" in r.stderr


def test_an_output_inside_an_input_folder_is_not_read_back(tmp_path):
    d = _folder(tmp_path)
    out = d / "plans.txt"
    r = _invoke("split", str(d), "-f", "json", "-o", str(out))
    assert r.exit_code == 0
    r = _invoke("split", str(d), "-f", "json", "-o", str(out), "--force")
    import json

    assert r.exit_code == 0 and sorted(p["source"] for p in json.loads(out.read_text(encoding="utf-8"))) == [
        str(d / "p0.txt"),
        str(d / "p1.txt"),
    ]


def test_run_never_reads_its_output_folder_nor_writes_into_an_input_folder(tmp_path):
    import json

    d = _folder(tmp_path)
    for _ in range(2):
        r = _invoke("run", str(d), "-o", str(d / "out"), "--force", "-j", "1")
        assert r.exit_code == 0, r.stderr
        ids = [p["id"] for p in json.loads((d / "out" / "plans.json").read_text(encoding="utf-8"))]
        assert ids == [str(d / "p0.txt"), str(d / "p1.txt")]  # not report.html of the run before
    before = sorted(p.name for p in d.iterdir())
    r = _invoke("run", str(d), "-o", str(d), "--force")
    assert r.exit_code == 2 and "输出文件夹就是输入文件夹" in r.stderr and sorted(p.name for p in d.iterdir()) == before


def test_an_input_named_as_the_output_is_never_overwritten(tmp_path):
    d = _folder(tmp_path, 1)
    f = d / "p0.txt"
    r = _invoke("split", str(f), "-f", "json", "-o", str(f), "--force")
    assert r.exit_code == 2 and "既是输入又是输出" in r.stderr and f.read_text(encoding="utf-8").startswith("第0中学")


# -- option values --------------------------------------------------------------------------------


def test_an_unknown_encoding_is_one_usage_error_for_the_batch(tmp_path):
    d = _folder(tmp_path, 3)
    for enc in ("no-such-codec", "base64"):
        r = _invoke("split", str(d), "-f", "json", "--encoding", enc)
        assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1 and enc in r.stderr
    r = _invoke("run", str(d), "-o", str(tmp_path / "out"), "--encoding", "no-such-codec")
    assert r.exit_code == 2 and not (tmp_path / "out").exists()


def test_a_batch_below_one_loses_no_plan(tmp_path):
    from plantext.index import Library

    d = _folder(tmp_path, 3)
    r = _invoke("index", "add", str(d), "--db", str(tmp_path / "a.db"), "--batch", "0")
    assert r.exit_code == 2 and "应不小于 1" in r.stderr and not (tmp_path / "a.db").exists()
    plans = read_inputs([str(d)]).plans
    for batch in (0, -3):
        with Library(tmp_path / f"b{batch}.db", create=True) as lib:
            rep = lib.add(plans, batch=batch)
            assert len(rep.added) == 3 and len(lib.entries()) == 3


def test_jobs_zero_is_one_per_core_negative_is_refused_and_huge_is_capped(tmp_path, monkeypatch):
    from plantext import pipeline

    d = _folder(tmp_path, 2)
    r = _invoke("terms", str(d), "-f", "json", "-j", "-1")
    assert r.exit_code == 2 and "--jobs" in r.stderr
    r = _invoke("run", str(d), "-o", str(tmp_path / "out"), "-j", "0")
    assert r.exit_code == 0, r.stderr
    started: list[int] = []

    class Pool:
        def __init__(self, max_workers, **kw):
            started.append(max_workers)

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def map(self, fn, items, chunksize=1):
            return map(fn, items)

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", Pool)
    assert pipeline.parallel_map(abs, list(range(-50, 0)), jobs=100_000) == list(range(50, 0, -1))
    assert started == [pipeline.max_jobs()] and started[0] <= max(2, pipeline.default_jobs())


def test_alpha0_must_be_a_finite_number(tmp_path):
    d = _folder(tmp_path, 2)
    m = tmp_path / "m.csv"
    m.write_text(f"path,region\n{d / 'p0.txt'},甲\n{d / 'p1.txt'},乙\n", encoding="utf-8")
    for bad in ("nan", "inf"):
        r = _invoke("compare", str(d), "--meta", str(m), "--group-by", "region", "-f", "json", "--alpha0", bad)
        assert r.exit_code == 2 and "--alpha0" in r.stderr


def test_every_message_and_hint_key_in_the_code_is_in_the_catalog():
    import re

    from plantext.i18n import catalog

    pat = re.compile(r"""(?:\b(?:key|hint)=|\btr\()\s*["']([a-z_]+\.[A-Za-z0-9_.]+[A-Za-z0-9_])["']""")
    missing = {
        (m.group(1), str(f.relative_to(ROOT)))
        for f in (ROOT / "plantext").rglob("*.py")
        for m in pat.finditer(f.read_text(encoding="utf-8"))
        if m.group(1) not in catalog()
    }
    assert not missing


def test_help_shows_bracketed_extras_as_written(monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    r = _invoke("similar", "--help")
    assert "plantext[spark]" in r.stdout


# -- formats ---------------------------------------------------------------------------------------


def test_ocr_never_holds_for_image_files(tmp_path, monkeypatch):
    from PIL import Image

    from plantext.ingest import IngestError, load, ocr

    monkeypatch.setenv("PLANTEXT_OCR", "never")
    monkeypatch.setattr(ocr, "ocr_images", lambda *a, **k: pytest.fail("OCR ran with --ocr never"))
    f = tmp_path / "page.png"
    Image.new("RGB", (60, 40), "white").save(f)
    with pytest.raises(IngestError) as e:
        load(f)
    assert e.value.key == "ocr.off"


def test_a_utf16_tab_separated_manifest_is_read(tmp_path):
    from plantext.meta import load_manifest

    m = tmp_path / "m.txt"
    m.write_bytes("path\tregion\nplans/p0.txt\t甲区\n".encode("utf-16"))
    man = load_manifest(m)
    assert man.fields == ["region"] and man.rows[0]["region"] == "甲区"


def test_preformatted_html_keeps_its_lines(tmp_path):
    from plantext.ingest import load

    f = tmp_path / "p.html"
    f.write_text(f"<html><body><pre>{PLAN}</pre></body></html>", encoding="utf-8")
    lines = load(f).text.splitlines()
    assert "一、指导思想" in lines and "二、工作目标" in lines


def test_stdin_named_twice_is_read_once(monkeypatch):
    import io
    import sys

    class Stdin:
        buffer = io.BytesIO(PLAN.encode("utf-8"))

    monkeypatch.setattr(sys, "stdin", Stdin())
    got = read_inputs(["-", "-"])
    assert len(got.sources) == 1 and not got.errors


def test_os_errors_are_said_in_chinese(tmp_path, monkeypatch):
    import os

    from plantext import ingest

    f = tmp_path / "a.txt"
    f.write_text(PLAN, encoding="utf-8")

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied", str(f))

    monkeypatch.setattr(ingest.os, "open", denied)
    r = _invoke("split", str(f), "-f", "json")
    assert r.exit_code == 1 and "没有权限" in r.stderr and "Permission denied" not in r.stderr
    assert os.path.exists(f)


def test_terminal_tables_are_in_chinese(tmp_path):
    d = _folder(tmp_path, 2)
    r = _invoke("split", str(d), "-f", "table")
    assert "2 个文件中的 2 篇计划" in r.stdout and "标题" in r.stdout and "plans in" not in r.stdout


def test_ctrl_c_says_it_was_interrupted(monkeypatch, capsys):
    import importlib

    app_module = importlib.import_module("plantext.cli.app")

    def interrupted():
        raise SystemExit(130)  # what Typer makes of a KeyboardInterrupt

    monkeypatch.setattr(app_module, "app", interrupted)
    with pytest.raises(SystemExit) as e:
        app_module.main()
    assert e.value.code == 130 and "已中断" in capsys.readouterr().err


def test_a_docx_nested_past_the_parser_depth_is_one_chinese_line(tmp_path):
    import zipfile

    from plantext.ingest import IngestError, load

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = (
        "<w:sdt><w:sdtContent>" * 3000
        + "<w:p><w:r><w:t>一、工作目标</w:t></w:r></w:p>"
        + "</w:sdtContent></w:sdt>" * 3000
    )
    f = tmp_path / "deep.docx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>")
    with pytest.raises(IngestError) as e:
        load(f)
    assert "XML" in e.value.message and "XMLSyntaxError" not in e.value.message and "XML_PARSE_HUGE" not in str(e.value)


def test_a_pdf_report_without_chromium_stops_before_the_check(tmp_path, monkeypatch):
    import plantext.inputs
    from plantext.report import pdf

    d = _folder(tmp_path, 2)
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    monkeypatch.setattr(plantext.inputs, "read_inputs", lambda *a, **k: pytest.fail("read before the refusal"))
    r = _invoke("report", str(d), "-o", str(tmp_path / "r.pdf"))
    assert r.exit_code == 2 and "Chromium" in r.stderr and not (tmp_path / "r.pdf").exists()


def test_a_folder_with_nothing_to_read_is_said(tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    (d / "notes.xyz").write_text("x", encoding="utf-8")
    (d / ".hidden.txt").write_text(PLAN, encoding="utf-8")
    r = _invoke("split", str(d), "-f", "json")
    assert r.exit_code == 1 and "文件夹中没有可读取的文件" in r.stderr and str(d) in r.stderr
    r = _invoke("index", "add", str(d), "--db", str(tmp_path / "lib.db"))
    assert r.exit_code == 1 and "文件夹中没有可读取的文件" in r.stderr


def test_a_quotes_file_that_is_a_pipe_or_a_device_is_refused_not_waited_on(tmp_path):
    import os
    import subprocess
    import sys

    d = _folder(tmp_path, 2)
    fifo = tmp_path / "quotes.fifo"
    os.mkfifo(fifo)
    for q in (str(fifo), "/dev/zero"):
        if not os.path.exists(q):
            continue
        r = subprocess.run(
            [sys.executable, "-m", "plantext", "check", str(d), "--quotes", q, "-f", "json"],
            capture_output=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PLANTEXT_PROGRESS": "0"},
        )
        assert r.returncode == 2 and "不是普通文件".encode() in r.stderr and b"Traceback" not in r.stderr


def test_a_font_file_that_is_no_font_is_one_line(tmp_path):
    d = _folder(tmp_path, 2)
    bad = tmp_path / "font.ttf"
    bad.write_bytes(b"\x00\x01not a font" * 50)
    r = _invoke("plot", str(d), "-o", str(tmp_path / "plots"), "--font", str(bad))
    assert r.exit_code == 2 and "不是可用的字体文件" in r.stderr and not isinstance(r.exception, RuntimeError)
