"""plantext report and the report stage of plantext run, end to end with the real copy check,
on sample plans written for these tests (see test_report_html)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from report_panes import panes
from test_report_html import GUIDE, HOSTILE, PAIR, REF, REF2, SUB_A
from typer.testing import CliRunner

from plantext.cli import app

pytest.importorskip("plantext.similarity.check")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "refs").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SUB_A, encoding="utf-8")
    (tmp_path / "in" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (tmp_path / "refs" / "ref.txt").write_text(REF, encoding="utf-8")
    (tmp_path / "refs" / "ref2.txt").write_text(REF2, encoding="utf-8")
    return tmp_path


def invoke(tmp_path, *args):
    import os

    cwd = os.getcwd()
    os.chdir(tmp_path)  # ids are paths as given: keep them short
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        os.chdir(cwd)


def copied_from(html: str, doc: int, ref_id: str) -> list[tuple[str, str]]:
    """(submission text, source text) of every numbered fragment of ``doc`` shown beside ``ref_id``."""
    p = panes(html)[doc]
    sub = {}
    for pid, _, text in p.marks:
        if pid:
            sub[pid] = sub.get(pid, "") + text
    return [(sub.get(pid, ""), text) for src in p.sources if src.id == ref_id for pid, text in src.marks]


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")


def test_report_html_against_references(files):
    r = invoke(files, "report", "in", "--against", "refs", "-o", "out/report.html")
    assert r.exit_code == 0, r.output
    html = (files / "out" / "report.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    ids = [s.get("data-id") for s in tree.cssselect("section.doc")]
    assert sorted(ids) == ["in/a.txt", "in/hostile.txt"]
    a = ids.index("in/a.txt")
    # the guiding paragraph was lifted from ref.txt, the mentoring sentence from ref2.txt
    assert any("把校本研修与教师日常教学紧密结合起来" in s for s, _ in copied_from(html, a, "refs/ref.txt"))
    pairs = copied_from(html, a, "refs/ref2.txt")
    assert any(
        "每位青年教师由一名骨干教师担任导师" in s and "每位青年教师由一名骨干教师担任导师" in t for s, t in pairs
    )
    assert all(s in SUB_A and t in REF2 for s, t in pairs)
    row = tree.cssselect(f"#summary tbody tr[data-doc='{a}']")[0]
    assert float(row.cssselect("td.ratio")[0].get("data-v")) > 0.3
    assert len(tree.xpath("//script[not(@type)]")) == 1 and not tree.xpath("//img")
    assert {s.get("type") for s in tree.xpath("//script[@type]")} <= {"application/json", "application/octet-stream"}
    assert "2 submissions checked against refs;" in tree.cssselect(".meta")[0].text_content()


def test_report_refuses_to_overwrite_and_bad_format(files):
    out = files / "r.html"
    out.write_text("keep", encoding="utf-8")
    r = invoke(files, "report", "in", "-o", "r.html")
    assert r.exit_code != 0 and "r.html: already exists" in r.output
    assert out.read_text(encoding="utf-8") == "keep"
    r = invoke(files, "report", "in", "-o", "r.doc")
    assert r.exit_code == 2 and "r.doc: unknown report format .doc (use .html, .pdf or .xlsx)" in r.output
    r = invoke(files, "report", "in", "missing.txt", "-o", "r.html", "--force")
    assert r.exit_code == 1 and "missing.txt" in r.output  # the batch went on
    assert "<html" in out.read_text(encoding="utf-8")


def test_report_xlsx(files):
    from openpyxl import load_workbook

    r = invoke(files, "report", "in", "--against", "refs", "-o", "report.xlsx")
    assert r.exit_code == 0, r.output
    wb = load_workbook(files / "report.xlsx")
    rows = list(wb["passages"].values)[1:]
    src = {"refs/ref.txt": REF, "refs/ref2.txt": REF2}
    mine = [r for r in rows if r[0] == "in/a.txt" and r[5] in src and r[10] == "copy"]
    assert any(PAIR[5:20] in r[4] for r in mine)
    for r in mine:  # every span names the text shown beside it
        assert SUB_A[r[2] : r[3]] == r[4] and src[r[5]][r[7] : r[8]] == r[9]


def test_run_writes_the_report_from_the_checks_results(files):
    """The report shows the check the run computed (once), against the readable references."""
    import os

    from plantext.pipeline import Artifacts, check_all, peer_check, read, read_references
    from plantext.report.run_files import write_report

    cwd = os.getcwd()
    os.chdir(files)
    try:
        errors: list[str] = []
        art = Artifacts(read(["in"]), against=["refs", "refs/gone.txt"])
        art.reference_inputs = read_references(art.against, on_error=lambda e: errors.append(str(e)))
        art.check = check_all(art.plans, art.references)
        art.peers = peer_check(art.plans)
        Path("out").mkdir()
        assert write_report(Path("out"), art) == ["report.html"]
    finally:
        os.chdir(cwd)
    assert [e.split(":")[0] for e in errors] == ["refs/gone.txt"]
    assert [d.id for d in art.check] == ["in/a.txt", "in/hostile.txt"]
    html = (files / "out" / "report.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    assert any(GUIDE[10:30] in s for s, _ in copied_from(html, 0, "refs/ref.txt"))
    # the ratios are against the references; the submissions against each other are listed apart
    assert not copied_from(html, 1, "in/a.txt")
    assert "checked against refs, refs/gone.txt" in tree.cssselect(".meta")[0].text_content()
    assert "listed apart" in tree.cssselect(".meta")[0].text_content()
    a, h = art.plans
    hostile = next(d for d in art.peers if d.id == "in/hostile.txt")
    rows = [[td.text_content() for td in tr.cssselect("td")] for tr in tree.cssselect("#peer-table tbody tr")]
    assert [(r[0], r[2]) for r in rows] == [(a.title + "in/a.txt", h.title + "in/hostile.txt")]
    assert rows[0][3].startswith(f"{100 * hostile.copy_ratio:.1f}% ({hostile.copied_chars} characters)")


def test_boilerplate_texts_are_not_copy(files):
    r = invoke(
        files, "report", "in/a.txt", "--against", "refs/ref2.txt", "--boilerplate", "refs/ref.txt", "-o", "r.html"
    )
    assert r.exit_code == 0, r.output
    html = (files / "r.html").read_text(encoding="utf-8")
    p = panes(html)[0]
    kinds = {m[1] for m in p.marks if "把校本研修与教师日常教学紧密结合起来" in m[2]}
    assert kinds == {"bp"}
    # listed apart (boilerplate), not shown beside, not a source of copying
    assert "refs/ref.txt" not in [b.id for b in p.sources]
    assert "refs/ref.txt" not in [r[0] for r in p.table]
    assert any("阳光小学" in line for line in p.stock)
    assert any("每位青年教师由一名骨干教师担任导师" in s for s, _ in copied_from(html, 0, "refs/ref2.txt"))
