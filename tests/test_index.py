"""The plan library: add / re-add / remove, check and similar against it, crash safety,
schema versions."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantext.cli import app
from plantext.index import SCHEMA_VERSION, Library, LibraryError, check_against
from plantext.inputs import read_inputs
from plantext.similarity.check import check

pytestmark = pytest.mark.usefixtures("english")  # asserts the English wording of messages

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpora" / "demo"
runner = CliRunner()

HOST = textwrap.dedent("""\
    青松小学2025年教师研修计划

    一、工作目标

    1.每位教师每学年参加校本研修不少于40学时，完成一节校级公开课。
    2.组建由六名骨干教师组成的课堂观察团队，每月开展一次课例研讨。

    二、主要措施

    （一）推行“一课三研”。同一教研组围绕一个课题连续三轮备课、上课、议课，形成可推广的教学设计。
    （二）建设校本资源库。各学科整理优秀教案、作业设计和微课视频，学期末统一上传学校平台。
    （三）开展读书沙龙。每学期共读一本教育专著，读书心得在教师例会上交流分享。
""")

OTHER = textwrap.dedent("""\
    白杨中学2025年后勤保障工作计划

    一、食堂管理

    严格执行食品采购索证索票制度，每周公示菜谱和价格，每月召开一次伙食委员会会议。

    二、校舍维护

    暑假期间完成教学楼外墙防水维修，寒假前完成锅炉房安全检测，维修经费控制在8万元以内。
""")


def _write(tmp: Path, name: str, text: str) -> str:
    p = tmp / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return str(p)


@pytest.fixture
def lib_files(tmp_path):
    host = _write(tmp_path, "refs/host.txt", HOST)
    other = _write(tmp_path, "refs/other.txt", OTHER)
    # a submission lifting the measures section of the host, in traditional script with a synonym
    lifted = HOST.split("二、主要措施")[1].replace("教师", "老师")
    import opencc

    sub = _write(
        tmp_path,
        "subs/sub.txt",
        "绿洲小学研修计划\n\n一、具体做法\n"
        + opencc.OpenCC("s2t").convert(lifted)
        + "\n二、其他\n学校将结合本校实际，另行制定考核细则，报教育局备案。\n",
    )
    return tmp_path, [host, other], sub


def test_add_readd_remove_and_stats(lib_files):
    tmp, refs, _ = lib_files
    db = tmp / "lib.db"
    plans = read_inputs(refs).plans
    with Library(db, create=True) as lib:
        rep = lib.add(plans)
        assert rep.added == refs and rep.skipped == []
        rep = lib.add(plans)
        assert rep.added == [] and rep.skipped == refs
        st = lib.stats()
        assert st["plans"] == 2 and st["sources"] == 2 and st["bytes"] > 0
        assert [e.id for e in lib.entries()] == refs
        assert lib.check() == []
        removed, missing = lib.remove([refs[1], "nothing"])
        assert removed == [refs[1]] and missing == ["nothing"]
        assert lib.stats()["plans"] == 1 and lib.stats()["sources"] == 1
        assert lib.check() == []
        # the stored plan comes back with its text and a fold view mapped to the source
        (back,) = lib.plans()
        assert back.text == plans[0].text
        v = back.view("fold")
        i = v.text.index("一课三研")
        s, e = v.span(i, i + 4)
        assert back.source.text[s:e] == "一课三研"


def test_check_against_library_equals_check_against_files(lib_files):
    tmp, refs, sub = lib_files
    ref_plans = read_inputs(refs).plans
    subs = read_inputs([sub]).plans
    with Library(tmp / "lib.db", create=True) as lib:
        lib.add(ref_plans)
        got = check_against(lib, subs)
    want = check(subs, ref_plans)
    assert [(p.start, p.end, p.kind, p.ref.id, p.ref.start, p.ref.end) for p in got[0].passages] == [
        (p.start, p.end, p.kind, p.ref.id, p.ref.start, p.ref.end) for p in want[0].passages
    ]
    assert got[0].copy_ratio == pytest.approx(want[0].copy_ratio)
    copies = [p for p in got[0].passages if p.kind == "copy"]
    assert copies and all(p.ref.id == refs[0] for p in copies)
    src = subs[0].source.text
    # the lifted passage, found in the traditional submission, points at the host's measures
    assert any("一課三研" in src[p.start : p.end] and "一课三研" in HOST[p.ref.start : p.ref.end] for p in copies)
    assert got[0].copy_ratio > 0.5


def test_cli_check_index_json_shape_and_similar_index(lib_files):
    tmp, refs, sub = lib_files
    db = str(tmp / "lib.db")
    r = runner.invoke(app, ["index", "add", *refs, "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["index", "add", *refs, "--db", db])
    assert "skipped 2" in r.output
    r = runner.invoke(app, ["index", "stats", "--db", db, "--format", "json"])
    assert set(json.loads(r.stdout)) >= {"plans", "sources", "bytes"}
    r = runner.invoke(app, ["index", "list", "--db", db, "--format", "json"])
    rows = json.loads(r.stdout)
    assert [sorted(x) for x in rows] == [sorted(["id", "source", "title", "sha256", "added"])] * 2
    r = runner.invoke(app, ["check", sub, "--index", db, "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)["documents"][0]
    assert doc["max_source"] == refs[0] and doc["passages"][0]["ref"]["id"] in refs
    # a half-length excerpt of a stored plan is found by similar --index (containment)
    half = _write(tmp, "subs/half.txt", HOST[: len(HOST) // 2])
    r = runner.invoke(app, ["similar", half, "--index", db, "--format", "json"])
    pairs = json.loads(r.stdout)["pairs"]
    assert [(p["a"], p["b"]) for p in pairs] in ([(half, refs[0])], [(refs[0], half)])
    r = runner.invoke(app, ["index", "check", "--db", db])
    assert r.exit_code == 0


def test_refuses_foreign_files_and_newer_schema(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")
    bad = tmp_path / "notes.db"
    bad.write_text("not a database")
    with pytest.raises(LibraryError, match="not a plantext library"):
        Library(bad)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(LibraryError, match="not a plantext library"):
        Library(other)
    with pytest.raises(LibraryError, match="no such library"):
        Library(tmp_path / "missing.db")
    db = tmp_path / "lib.db"
    Library(db, create=True).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.close()
    with pytest.raises(LibraryError, match="newer plantext"):
        Library(db)
    r = runner.invoke(app, ["index", "stats", "--db", str(db)])
    assert r.exit_code == 2 and "newer plantext" in r.output


def test_migrates_a_schema_1_library(lib_files):
    tmp, refs, sub = lib_files
    db = tmp / "lib.db"
    with Library(db, create=True) as lib:
        lib.add(read_inputs(refs).plans)
    con = sqlite3.connect(db)  # make it look like schema 1: no clause table
    con.execute("DROP TABLE clauses")
    con.execute("DELETE FROM clause_stats")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()
    with Library(db) as lib:
        assert lib.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert lib.db.execute("SELECT COUNT(*) FROM clauses").fetchone()[0] > 0
        assert lib.check() == []


KILL_SCRIPT = """
import sys
sys.path.insert(0, {bench!r})
from corpus import generate
from plantext.index import Library
from plantext.ingest.text import read
from plantext.split import split

docs, _ = generate(400, seed=3, dup_rate=0.0)
plans = []
for name, text in docs:
    plans += split(read(name, text.encode("utf-8")))
with Library({db!r}, create=True) as lib:
    lib.add(plans, batch=5)
"""


def test_killed_add_leaves_committed_plans(tmp_path):
    db = tmp_path / "lib.db"
    script = KILL_SCRIPT.format(bench=str(ROOT / "bench"), db=str(db))
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.time() + 120
    n = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.3)
        if db.exists():
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                n = con.execute("SELECT COUNT(*) FROM plans").fetchone()[0]  # a reader beside the writer
                con.close()
            except sqlite3.OperationalError:
                n = 0
            if n >= 20:
                break
    assert proc.poll() is None, "the add finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Library(db) as lib:
        assert lib.check() == []
        st = lib.stats()
        assert st["plans"] >= n and st["plans"] % 5 == 0  # whole batches only
        assert st["plans"] < 400
        for p in lib.plans()[:3]:
            assert len(p.view("fold").text) > 100


def test_the_library_records_its_fingerprint_settings_and_refuses_others(tmp_path, monkeypatch):
    import plantext.index as I
    from plantext.similarity import fingerprint
    from plantext.similarity.align import AlignParams

    db = tmp_path / "lib.db"
    with Library(str(db), create=True) as lib:
        stored = lib.meta()
    assert {k: stored[k] for k in ("winnow", "shingle", "permutations", "seed", "seed_ngram")} == {
        "winnow": str(I.WINNOW),
        "shingle": "5",
        "permutations": "128",
        "seed": "1",
        "seed_ngram": str(AlignParams().ngram),
    }
    monkeypatch.setattr(fingerprint, "NUM_PERM", 64)
    with pytest.raises(LibraryError, match="permutations 128 ≠ 64"):
        Library(str(db))
