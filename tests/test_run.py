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
    assert {
        "plans.json",
        "outline.json",
        "targets.xlsx",
        "targets.csv",
        "similar.json",
        "similar.xlsx",
        "check.json",
        "report.html",
        "terms.xlsx",
        "sections.xlsx",
        "errors.txt",
    } <= names
    plans = json.loads((out / "plans.json").read_text(encoding="utf-8"))
    by_id = {p["id"]: p for p in plans}
    page = str(corpus / "pages" / "教师继续教育培训计划_范文网.txt")
    assert [i for i in by_id if i.startswith(page)] == [f"{page}#1", f"{page}#2", f"{page}#3"]
    assert by_id[str(corpus / "2024" / "城关小学2024年教师培训计划.txt")]["meta"] == {
        "region": "城关区",
        "year": 2024,
        "school_type": "小学",
    }
    # the re-titled traditional copy and its original are one cluster
    sim = json.loads((out / "similar.json").read_text(encoding="utf-8"))
    orig, copy = (
        str(corpus / "2024" / n) for n in ("城关小学2024年教师培训计划.txt", "西岭小学2024年教师培训计划.txt")
    )
    assert any(orig in c and copy in c for c in sim["clusters"])
    checked = json.loads((out / "check.json").read_text(encoding="utf-8"))
    # the plans are checked against the template page (a reference); the copy of another
    # submission is found among the submissions checked against each other, listed apart
    docs = {d["id"]: d for d in checked["documents"]}
    assert docs[copy]["copy_ratio"] < 0.5 and all(not s["id"].startswith(orig) for s in docs[copy]["sources"])
    peers = {d["id"]: d for d in checked["between_submissions"]}
    assert peers[copy]["copy_ratio"] > 0.8 and peers[copy]["max_source"] == orig
    assert set(peers) == set(docs)
    ws = load_workbook(out / "targets.xlsx").worksheets[0]
    assert ws.max_row > 20
    # a second run into the same folder is refused without --force, and nothing is touched
    before = (out / "plans.json").stat().st_mtime_ns
    r = runner.invoke(app, ["run", str(corpus / "2024"), "-o", str(out)])
    assert r.exit_code == 2 and "文件夹不是空的" in r.output
    assert (out / "plans.json").stat().st_mtime_ns == before


def test_run_meta_from_path(tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["run", str(DEMO / "2023"), "-o", str(out), "--meta-from-path", "{year}/*"])
    assert r.exit_code == 0, r.output
    plans = json.loads((out / "plans.json").read_text(encoding="utf-8"))
    assert len(plans) == 2 and all(p["meta"] == {"year": 2023} for p in plans)


def _plan_text(i: int) -> str:
    return (
        f"第{i}小学{2020 + i % 4}年教师培训计划\n一、指导思想\n以立德树人为根本任务，第{i}次全面提高教师素质。\n"
        f"二、工作目标\n1. 全年培训不少于{40 + i}学时，参训率达到{90 + i % 10}%。\n"
        f"2. 每学期开展公开课{i % 5 + 2}节。\n三、保障措施\n学校成立领导小组，于{i % 12 + 1}月底前完成考核。\n"
    )


def test_worker_processes_give_the_same_records(english, tmp_path):
    from plantext.pipeline import MIN_PARALLEL, outline_all, read, targets_all

    for i in range(MIN_PARALLEL + 2):
        (tmp_path / f"p{i:02d}.txt").write_text(_plan_text(i), encoding="utf-8")
    (tmp_path / "p99.txt").write_bytes(b"")  # an unreadable file keeps its place among the errors
    one, two = read([str(tmp_path)], jobs=1), read([str(tmp_path)], jobs=2)
    assert [p.to_dict() for p in one.plans] == [p.to_dict() for p in two.plans]
    assert [str(e) for e in one.errors] == [str(e) for e in two.errors] == [f"{tmp_path / 'p99.txt'}: empty file"]
    o1, o2 = outline_all(one.plans, 1), outline_all(two.plans, 2)
    assert o1 == o2 and [n.title for n in o1[one.plans[3].id] if n.parent is None] == [
        "指导思想",
        "工作目标",
        "保障措施",
    ]
    t1, t2 = targets_all(one.plans, o1, 1), targets_all(two.plans, o2, 2)
    assert t1 == t2 and [t.value for t in t1[one.plans[3].id]][:2] == [43, 93]


def _small_run(tmp_path, *extra):
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    for i in range(3):
        (src / f"p{i}.txt").write_text(_plan_text(i), encoding="utf-8")
    return src


def test_a_forced_run_leaves_no_file_of_the_old_run(tmp_path):
    from plantext.pipeline import run

    src = _small_run(tmp_path)
    (src / "bad.txt").write_bytes(b"")
    out = tmp_path / "out"
    first = run([str(src)], out)
    assert "errors.txt" in first.written and first.failed
    (src / "bad.txt").unlink()
    (out / "notes.md").write_text("mine", encoding="utf-8")  # not a plantext output: kept
    second = run([str(src)], out, __import__("plantext.pipeline").pipeline.RunOptions(force=True))
    assert not second.failed and "errors.txt" not in second.written
    assert sorted(p.name for p in out.iterdir()) == sorted([*second.written, "notes.md"])
    assert json.loads((out / "plans.json").read_text(encoding="utf-8"))[0]["id"] == str(src / "p0.txt")


def test_a_failed_stage_is_not_listed_and_leaves_no_file(tmp_path, monkeypatch, english):
    import plantext.pipeline as P
    from plantext.report import run_files

    def broken_writer(folder, art):
        (folder / "similar.json").write_text("{", encoding="utf-8")  # half written, then a failure
        raise OSError("disk full")

    monkeypatch.setattr(run_files, "write_similar", broken_writer)
    monkeypatch.setattr(P, "check_all", lambda plans, refs, **kw: 1 / 0)
    errors = []
    res = P.run([str(_small_run(tmp_path))], tmp_path / "out", on_error=lambda e: errors.append(str(e)))
    assert res.failed
    assert errors == [
        "stage similar failed: OSError: disk full",
        "stage check failed: ZeroDivisionError: division by zero",
    ]
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(res.written) and not {"similar.json", "check.json", "report.html"} & set(names)
    assert {"plans.json", "outline.json", "targets.csv"} <= set(names)


def test_an_interrupted_run_leaves_nothing_in_the_way(tmp_path, monkeypatch):
    import plantext.pipeline as P

    def interrupt(plans):
        raise KeyboardInterrupt

    src, out = _small_run(tmp_path), tmp_path / "out"
    with monkeypatch.context() as m:
        m.setattr(P, "similar_all", interrupt)
        try:  # noqa: SIM105
            P.run([str(src)], out)
        except KeyboardInterrupt:
            pass
    assert list(out.iterdir()) == []  # nothing published, the temporary folder removed
    res = P.run([str(src)], out)  # and the next run goes through without --force
    assert not res.refused and "report.html" in res.written


def _outputs(out: Path) -> dict[str, object]:
    """The files of a run, compared by content: the cells of a workbook (its file holds the
    time it was written), the report without its generation time, the other files' bytes."""
    import re

    got: dict[str, object] = {}
    for p in sorted(out.iterdir()):
        if p.suffix == ".xlsx":
            got[p.name] = [[list(r) for r in ws.iter_rows(values_only=True)] for ws in load_workbook(p).worksheets]
        elif p.suffix == ".html":
            got[p.name] = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", p.read_text(encoding="utf-8"))
        elif p.suffix in (".json", ".csv", ".txt"):
            got[p.name] = p.read_bytes()
    return got


def test_a_run_with_worker_processes_writes_the_same_files(tmp_path, monkeypatch):
    from plantext.pipeline import MIN_PARALLEL, RunOptions, run
    from plantext.research import terms

    monkeypatch.setattr(terms, "PARALLEL_MIN", 2)  # the research stage segments in workers too
    src = tmp_path / "in"
    src.mkdir()
    for i in range(MIN_PARALLEL + 4):
        (src / f"p{i:02d}.txt").write_text(_plan_text(i), encoding="utf-8")
    one = run([str(src)], tmp_path / "one", RunOptions(jobs=1))
    two = run([str(src)], tmp_path / "two", RunOptions(jobs=2))
    assert not one.failed and not two.failed and one.written == two.written
    a, b = _outputs(tmp_path / "one"), _outputs(tmp_path / "two")
    assert {"outline.json", "targets.csv", "terms.xlsx", "similar.json", "check.json"} <= set(a)
    assert a == b
    # every stage's time counts its writer's and its worker processes' (timed apart)
    assert set(two.cpu_write) <= set(two.cpu) and all(two.cpu_write[k] <= two.cpu[k] for k in two.cpu_write)


def test_the_check_in_worker_processes_gives_the_same_results(tmp_path):
    from plantext.pipeline import MIN_PARALLEL, _check_chunks, check_all, peer_check, read

    for i in range(MIN_PARALLEL + 4):
        (tmp_path / f"p{i:02d}.txt").write_text(_plan_text(i), encoding="utf-8")
    # a copy of the first plan at the end: its source is in the other process's share
    own = (
        "四、特色项目\n组织青年教师走进山区学校送教，每人录制一节乡土地理微课，"
        "由县教研室专家逐节点评，并把优秀课例汇编成校本教材供新教师研读。\n"
    )
    (tmp_path / "p00.txt").write_text(_plan_text(0) + own, encoding="utf-8")
    (tmp_path / "p99.txt").write_text((_plan_text(0) + own).replace("第0小学", "第99小学"), encoding="utf-8")
    plans = read([str(tmp_path)]).plans
    one, two = check_all(plans, jobs=1), check_all(plans, jobs=2)
    assert [d.id for d in two] == [p.id for p in plans]
    assert one == two and two[-1].max_source == plans[0].id and two[-1].copy_ratio > 0.8
    refs, subs = plans[:3], plans[3:]
    assert check_all(subs, refs, jobs=1) == check_all(subs, refs, jobs=3)
    assert peer_check(subs, jobs=1) == peer_check(subs, jobs=2)
    # the plans of one document (Plan.doc) stay in one process: check() learns from them which
    # plans may not be each other's source
    for p in plans[4:8]:
        p.doc = "one.docx"
    chunks = _check_chunks(plans, [], 2)
    assert chunks is not None and [len(c) for c in chunks] == [8, 5]  # not 7 + 6
    chunks = _check_chunks(plans, [], 3)
    assert chunks is not None and sum(1 for c in chunks if any(p.doc for p in c)) == 1
