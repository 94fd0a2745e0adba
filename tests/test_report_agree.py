"""One figure per plan wherever it is shown: ``plantext run`` and ``plantext check --against``
give a submission the same copy ratio even when submissions share text (copying between
submissions is listed apart), and 重复字数 / 总字数 are the same numbers in the check's JSON,
the terminal table, the report and the spreadsheet."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from openpyxl import load_workbook
from reviewer_case import S1, paths, write_case
from reviewer_case import invoke as case_invoke

pytest.importorskip("plantext.similarity.check")

# a fourth plan: its own opening, then one paragraph lifted from S1's own text (in no reference)
# and two paragraphs of the first template page
S1_OWN = "本校另行组织青年教师微课制作比赛，获奖作品在校园网展示并推荐到区里参评。"
S4 = f"""东关中学青年教师成长计划

一、基本情况
我校近三年新进青年教师十一人，大多数缺乏课堂管理经验，需要在老教师带领下尽快站稳讲台。

二、主要措施
{S1_OWN}
每月开展一次主题教研，围绕低年级识字教学、中年级习作起步、高年级整本书阅读三个专题轮流研讨。
组织教师撰写教学反思，每学期每人不少于八篇，由教研组长批阅并在组内交流。
"""
assert S1_OWN in S1

KEYS = (
    "copy_ratio",
    "boilerplate_ratio",
    "max_source",
    "max_source_ratio",
    "copied_chars",
    "total_chars",
    "copy_ratio_without_quotes",
    "sources",
    "passages",
    "sections",
)


@pytest.fixture
def case(tmp_path):
    root = write_case(tmp_path)
    (root / "subs" / "s4.txt").write_text(S4, encoding="utf-8")
    return root


def invoke(cwd: Path, *args: str, lang: str = "en"):
    return case_invoke(cwd, *args, lang=lang)


def test_run_and_check_give_the_same_figures_when_submissions_share_text(case):
    subs, refs = paths(case, "subs"), paths(case, "refs")
    r = invoke(case, "run", *subs, "--against", *refs, "-o", "out")
    assert r.exit_code == 0, r.output
    ran = json.loads((case / "out" / "check.json").read_text(encoding="utf-8"))
    c = invoke(case, "check", *subs, "--against", *refs, "--format", "json")
    assert c.exit_code == 0, c.output
    checked = json.loads(c.stdout)["documents"]
    assert [d["id"] for d in ran["documents"]] == [d["id"] for d in checked] == subs
    for a, b in zip(ran["documents"], checked):
        for k in KEYS:
            assert a[k] == b[k], (a["id"], k)
    s4 = next(d for d in checked if d["id"] == "subs/s4.txt")
    assert {s["id"] for s in s4["sources"]} == {"refs/r1.txt"}  # the references only
    # the submissions against each other, listed apart: s4 took a paragraph of s1's own text
    peers = {d["id"]: d for d in ran["between_submissions"]}
    assert sorted(peers) == subs
    assert "subs/s1.txt" in {s["id"] for s in peers["subs/s4.txt"]["sources"]}
    shared = [p for p in peers["subs/s4.txt"]["passages"] if p["kind"] == "copy" and p["ref"]["id"] == "subs/s1.txt"]
    assert [S4[p["start"] : p["end"]] for p in shared] == [S1_OWN]
    # ... and equal to the check of the submissions alone
    alone = json.loads(invoke(case, "check", *subs, "--format", "json").stdout)["documents"]
    assert [(d["id"], d["copy_ratio"]) for d in alone] == [(d["id"], d["copy_ratio"]) for d in peers.values()]
    # the summary names the pair, apart from the ratios against the references
    lines = r.stderr.splitlines() if r.stderr_bytes is not None else r.output.splitlines()
    assert any("subs/s1.txt ↔ subs/s4.txt" in line for line in lines)
    # the report: the same ratios in the overview, the pair in its own table
    tree = lxml.html.fromstring((case / "out" / "report.html").read_text(encoding="utf-8"))
    shown = {
        tr.cssselect("span.muted")[0].text_content().split(" · ")[0]: round(
            float(tr.cssselect("td.ratio")[0].get("data-v")), 4
        )
        for tr in tree.cssselect("#summary tbody tr")
    }
    assert shown == {d["id"]: d["copy_ratio"] for d in checked}
    pairs = [[td.text_content() for td in tr.cssselect("td")] for tr in tree.cssselect("#peer-table tbody tr")]
    assert [p[0].endswith("subs/s1.txt") and p[2].endswith("subs/s4.txt") for p in pairs] == [True]


def test_copied_and_total_characters_agree_everywhere(case):
    subs, refs = paths(case, "subs"), paths(case, "refs")
    checked = json.loads(invoke(case, "check", *subs, "--against", *refs, "--format", "json").stdout)["documents"]
    want = {d["id"]: (d["copied_chars"], d["total_chars"]) for d in checked}
    assert all(t > 0 for _, t in want.values()) and any(c > 0 for c, _ in want.values())
    # the spreadsheet
    r = invoke(case, "report", *subs, "--against", *refs, "-o", "r.xlsx")
    assert r.exit_code == 0, r.output
    ws = load_workbook(case / "r.xlsx").worksheets[0]
    head = [c.value for c in ws[1]]
    got = {
        row[head.index("id")]: (row[head.index("copied_chars")], row[head.index("total_chars")])
        for row in ws.iter_rows(min_row=2, values_only=True)
    }
    assert got == want
    # the HTML overview
    r = invoke(case, "report", *subs, "--against", *refs, "-o", "r.html")
    assert r.exit_code == 0, r.output
    tree = lxml.html.fromstring((case / "r.html").read_text(encoding="utf-8"))
    rows = {}
    for tr in tree.cssselect("#summary tbody tr"):
        tds = tr.cssselect("td")
        copied, total = (int(x) for x in tds[6].text_content().split(" / "))
        rows[tds[1].cssselect("span.muted")[0].text_content().split(" · ")[0]] = (copied, total)
    assert rows == want
    # the terminal table (written to a file: plain text)
    r = invoke(case, "check", *subs, "--against", *refs, "--format", "table", "-o", "t.txt")
    assert r.exit_code == 0, r.output
    table = (case / "t.txt").read_text(encoding="utf-8")
    for copied, total in want.values():
        assert f"{copied} / {total}" in table


def test_manifest_rows_of_references_are_used(case):
    """--meta names submissions and references: no "rows match no input" for the references'
    rows; the references get their school and year (which text is earlier)."""
    (case / "meta.csv").write_text(
        "path,学校,年份\nsubs/s1.txt,向阳中学,2023\nsubs/s2.txt,红星幼儿园,2023\n"
        "subs/s3.txt,北山初中,2023\nsubs/s4.txt,东关中学,2023\n"
        "refs/r1.txt,城关小学,2019\nrefs/r4.txt,东风幼儿园,2024\nrefs/gone.txt,无,2020\n",
        encoding="utf-8",
    )
    subs, refs = paths(case, "subs"), paths(case, "refs")
    r = invoke(case, "report", *subs, "--against", *refs, "--meta", "meta.csv", "-o", "r.html", lang="zh")
    assert r.exit_code == 0, r.output
    warnings = [line for line in r.output.splitlines() if "注意" in line]
    assert warnings == ["plantext: 注意：meta.csv：1 行没有对应任何输入（第 8 行）"]
    from report_panes import panes

    s4 = panes((case / "r.html").read_text(encoding="utf-8"))[subs.index("subs/s4.txt")].table
    assert [(row[0], row[2], row[5]) for row in s4] == [("refs/r1.txt", "城关小学 · 2019", "来源较早")]
    # the run too
    r = invoke(case, "run", *subs, "--against", *refs, "--meta", "meta.csv", "-o", "out", lang="zh")
    assert r.exit_code == 0, r.output
    assert [line for line in r.output.splitlines() if "注意" in line] == [
        w.removeprefix("plantext: ") for w in warnings
    ]
