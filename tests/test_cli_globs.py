"""Every path after --against / --boilerplate is a reference: the shell-glob form a reviewer
types (``check subs/*.txt --against refs/*.txt``) run through a real shell, for check, report and
run; each submission copied from a reference other than the first, so a command that kept only
the first path after --against would find nothing (the silent wrong answer of issue 16)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from report_panes import panes
from reviewer_case import COPIED_FROM, REFS, SUBS, write_case

from plantext.cli.app import expand_greedy

ROOT = Path(__file__).resolve().parent.parent


def shell(cwd: Path, command: str, lang: str = "en") -> subprocess.CompletedProcess:
    """``command`` through /bin/sh (the shell expands the globs), plantext from this worktree."""
    if shutil.which("sh") is None:
        pytest.skip("no /bin/sh")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLANTEXT_LANG": lang, "PLANTEXT_PROGRESS": "0"}
    plantext = f"{sys.executable} -m plantext"
    return subprocess.run(
        command.replace("plantext ", plantext + " ", 1),
        shell=True,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def case(tmp_path):
    return write_case(tmp_path)


def used_references(documents) -> dict[str, set[str]]:
    """Submission file name -> the reference file names its copy passages came from."""
    return {
        Path(d["id"]).name: {Path(p["ref"]["id"]).name for p in d["passages"] if p["kind"] == "copy"} for d in documents
    }


def test_check_shell_glob_uses_every_reference(case):
    r = shell(case, "plantext check subs/*.txt --against refs/*.txt --format json")
    assert r.returncode == 0, r.stderr
    docs = json.loads(r.stdout)["documents"]
    assert sorted(Path(d["id"]).name for d in docs) == sorted(SUBS)  # no reference became a submission
    assert used_references(docs) == COPIED_FROM
    assert all(d["copy_ratio"] > 0.3 for d in docs)
    assert f"read {len(SUBS)} submission files ({len(SUBS)} plans); {len(REFS)} reference files" in r.stderr


def test_check_says_how_many_were_read_in_chinese(case):
    r = shell(case, "plantext check subs/*.txt --against refs/*.txt --format json", lang="zh")
    assert r.returncode == 0, r.stderr
    assert f"读取送检文件 {len(SUBS)} 个" in r.stderr and f"比对来源 {len(REFS)} 个" in r.stderr


def test_report_shell_glob_uses_every_reference(case):
    r = shell(case, "plantext report subs/*.txt --against refs/*.txt -o report.html")
    assert r.returncode == 0, r.stderr
    html = (case / "report.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    ids = [Path(sec.get("data-id")).name for sec in tree.cssselect("section.doc")]
    shown = {ids[i]: {Path(src.id).name for src in p.sources if src.marks} for i, p in enumerate(panes(html))}
    assert shown == COPIED_FROM
    # and the sources tables name them all
    listed = {ids[i]: {Path(row[0]).name for row in p.table} for i, p in enumerate(panes(html))}
    assert listed == COPIED_FROM
    assert f"{len(REFS)} reference files" in r.stderr


def test_run_shell_glob_uses_every_reference(case):
    r = shell(case, "plantext run subs/*.txt --against refs/*.txt -o out")
    assert r.returncode == 0, r.stderr
    docs = json.loads((case / "out" / "check.json").read_text(encoding="utf-8"))["documents"]
    assert sorted(Path(d["id"]).name for d in docs) == sorted(SUBS)
    assert used_references(docs) == COPIED_FROM
    assert f"{len(REFS)} reference files ({len(REFS)} plans)" in r.stderr


def test_boilerplate_takes_every_path(case):
    # r4 and r5 as boilerplate: what s2 and s3 took from them is boilerplate, not copy
    r = shell(
        case,
        "plantext check subs/*.txt --against refs/r1.txt refs/r2.txt refs/r3.txt "
        "--boilerplate refs/r4.txt refs/r5.txt --format json",
    )
    assert r.returncode == 0, r.stderr
    docs = {Path(d["id"]).name: d for d in json.loads(r.stdout)["documents"]}
    assert docs["s2.txt"]["copy_ratio"] < 0.05 and docs["s2.txt"]["boilerplate_ratio"] > 0.5
    assert docs["s3.txt"]["copy_ratio"] < 0.05 and docs["s3.txt"]["boilerplate_ratio"] > 0.2
    assert docs["s1.txt"]["copy_ratio"] > 0.5
    assert "2 boilerplate files" in r.stderr


def test_a_file_both_submission_and_reference_is_an_error(case):
    for command in (
        "plantext check subs/*.txt refs/r3.txt --against refs/*.txt --format json",
        "plantext check subs --against refs subs/s2.txt --format json",
        "plantext run subs/*.txt --against refs/*.txt subs/s1.txt -o out",
    ):
        r = shell(case, command)
        assert r.returncode == 2, (command, r.stderr)
        assert "is both a submission and a reference" in r.stderr
        assert r.stdout == ""
    assert not (case / "out").exists()


def test_expand_greedy():
    assert expand_greedy(["check", "s1", "--against", "a", "b", "-o", "x", "c"]) == [
        "check",
        "s1",
        "--against",
        "a",
        "--against",
        "b",
        "-o",
        "x",
        "c",
    ]
    assert expand_greedy(["check", "--against=a", "b", "--boilerplate", "c", "d", "--force"]) == [
        "check",
        "--against=a",
        "--against",
        "b",
        "--boilerplate",
        "c",
        "--boilerplate",
        "d",
        "--force",
    ]
    # after "--" nothing is an option; "-" (stdin) is a value
    assert expand_greedy(["check", "--against", "a", "-", "--", "--against", "z"]) == [
        "check",
        "--against",
        "a",
        "--against",
        "-",
        "--",
        "--against",
        "z",
    ]
    assert expand_greedy(["check", "s1", "-o", "x"]) == ["check", "s1", "-o", "x"]


def test_run_template_pages_are_references_and_figures_equal_check(case):
    """A template page holding two plans among the inputs is a reference, not a submission; for
    plans that share nothing with each other, run (each other and the references) and check
    (the references) give the same figures; the run ends with a summary."""
    from reviewer_case import R2, R4

    (case / "subs" / "page.txt").write_text("教师培训计划范文（精选2篇）\n\n" + R2 + "\n" + R4, encoding="utf-8")
    r = shell(case, "plantext run subs/*.txt -o out")
    assert r.returncode == 0, r.stderr
    ran = {d["id"]: d for d in json.loads((case / "out" / "check.json").read_text(encoding="utf-8"))["documents"]}
    assert sorted(ran) == ["subs/s1.txt", "subs/s2.txt", "subs/s3.txt"]  # the page is no submission
    assert "1 template or collection pages among the inputs (2 plans) are references" in r.stderr
    # s2 copied the kindergarten plan, which the page holds
    assert {p["ref"]["id"] for p in ran["subs/s2.txt"]["passages"] if p["kind"] == "copy"} == {"subs/page.txt#2"}
    c = shell(case, "plantext check subs/s1.txt subs/s2.txt subs/s3.txt --against subs/page.txt --format json")
    assert c.returncode == 0, c.stderr
    checked = {d["id"]: d for d in json.loads(c.stdout)["documents"]}
    for i, d in checked.items():
        assert ran[i]["copy_ratio"] == d["copy_ratio"] and ran[i]["max_source_ratio"] == d["max_source_ratio"]
    # the summary: how many, the highest ratio first, where the report is
    lines = r.stderr.strip().splitlines()
    tail = lines[lines.index("3 submitted plans; the highest copy ratios:") :]
    assert "subs/s2.txt" in tail[1] and f"{100 * ran['subs/s2.txt']['copy_ratio']:.1f}%" in tail[1]
    assert tail[-1] == f"report: {Path('out') / 'report.html'}"


def test_run_with_nothing_to_check_fails_clearly(case):
    (case / "empty").mkdir()
    r = shell(case, "plantext run empty -o out")
    assert r.returncode != 0 and "nothing to check" in r.stderr
    assert not (case / "out").exists()
    (case / "bad.txt").write_bytes(b"")
    r = shell(case, "plantext run bad.txt -o out2")
    assert r.returncode != 0 and "nothing to check" in r.stderr


def test_messages_name_the_fix(case, tmp_path):
    (case / "meta.csv").write_text(
        "path,学校,年份\nsubs/s1.txt,向阳中学,2021\nsubs/s2.txt,红星幼儿园,2022\nsubs/s3.txt,北山初中,2022\n",
        encoding="utf-8",
    )
    r = shell(case, "plantext terms subs/*.txt --group-by region --meta meta.csv --format json", lang="zh")
    assert r.returncode == 2 and "没有计划带有元数据字段 'region'；已有的字段：学校、年份" in r.stderr
    assert "--meta" not in r.stderr  # --meta was given: the message lists the fields instead
    r = shell(case, "plantext terms subs/*.txt --group-by region --format json", lang="en")
    assert r.returncode == 2 and "give it with --meta FILE.csv" in r.stderr
    r = shell(case, "plantext check subs/*.txt --against refs/*.txt --format xlsx", lang="zh")
    assert r.returncode == 2 and "xlsx 只能写入文件：用 -o 文件.xlsx" in r.stderr


def test_help_in_chinese_without_type_names(case):
    r = shell(case, "plantext check --help", lang="zh")
    assert r.returncode == 0
    assert "<list[str]>" not in r.stdout and "{paths}" not in r.stdout and "<bool>" not in r.stdout
    assert "比对来源" in r.stdout and "路径…" in r.stdout and "显示本帮助并退出" in r.stdout
    r = shell(case, "plantext check --help --lang en", lang="zh")
    assert "Reference files or folders" in r.stdout and "PATH..." in r.stdout
