"""`plantext run`: the main job over the demo corpus, end to end."""

import json
import shutil
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from plantext.cli import app

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpora" / "demo"
runner = CliRunner()


def test_run_on_the_demo_corpus_writes_every_output(tmp_path):
    corpus = tmp_path / "demo"
    shutil.copytree(DEMO, corpus)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")  # a truncated PDF in the batch
    out = tmp_path / "out"
    r = runner.invoke(app, ["run", str(corpus), "-o", str(out), "--meta", str(corpus / "manifest.csv")])
    assert r.exit_code == 1  # the broken file is reported, the rest goes through
    assert sum("broken.pdf" in line for line in r.output.splitlines()) == 1
    names = {p.name for p in out.iterdir()}
    assert {"plans.json", "outline.json", "targets.xlsx", "targets.csv", "similar.json", "similar.xlsx",
            "check.json", "report.html", "terms.xlsx", "sections.xlsx", "errors.txt"} <= names
    plans = json.loads((out / "plans.json").read_text(encoding="utf-8"))
    by_id = {p["id"]: p for p in plans}
    page = str(corpus / "pages" / "教师继续教育培训计划_范文网.txt")
    assert [i for i in by_id if i.startswith(page)] == [f"{page}#1", f"{page}#2", f"{page}#3"]
    assert by_id[str(corpus / "2024" / "城关小学2024年教师培训计划.txt")]["meta"] == \
        {"region": "城关区", "year": 2024, "school_type": "小学"}
    # the re-titled traditional copy and its original are one cluster
    sim = json.loads((out / "similar.json").read_text(encoding="utf-8"))
    orig, copy = (str(corpus / "2024" / n) for n in ("城关小学2024年教师培训计划.txt", "西岭小学2024年教师培训计划.txt"))
    assert any(orig in c and copy in c for c in sim["clusters"])
    docs = {d["id"]: d for d in json.loads((out / "check.json").read_text(encoding="utf-8"))["documents"]}
    assert docs[copy]["copy_ratio"] > 0.8 and docs[copy]["max_source"] == orig
    ws = load_workbook(out / "targets.xlsx").worksheets[0]
    assert ws.max_row > 20
    # a second run into the same folder is refused without --force, and nothing is touched
    before = (out / "plans.json").stat().st_mtime_ns
    r = runner.invoke(app, ["run", str(corpus / "2024"), "-o", str(out)])
    assert r.exit_code == 2 and "not empty" in r.output
    assert (out / "plans.json").stat().st_mtime_ns == before


def test_run_meta_from_path(tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["run", str(DEMO / "2023"), "-o", str(out), "--meta-from-path", "{year}/*"])
    assert r.exit_code == 0, r.output
    plans = json.loads((out / "plans.json").read_text(encoding="utf-8"))
    assert len(plans) == 2 and all(p["meta"] == {"year": 2023} for p in plans)
