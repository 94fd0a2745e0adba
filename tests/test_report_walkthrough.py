"""What a reviewer met walking through run, check, report and the library, each fixed: flags
named in words in the report and the spreadsheet, every line printed in the reader's language."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from openpyxl import load_workbook
from reviewer_case import S1, paths, write_case
from reviewer_case import invoke as case_invoke

pytest.importorskip("plantext.similarity.check")

# S1 in traditional script (a school in Hong Kong or Taiwan wrote it, or a converter did)
TRAD = S1.translate(
    str.maketrans(
        {
            "训": "訓",
            "练": "練",
            "学": "學",
            "师": "師",
            "网": "網",
            "开": "開",
            "间": "間",
            "电": "電",
            "馆": "館",
            "组": "組",
            "线": "線",
            "实": "實",
            "业": "業",
            "统": "統",
            "应": "應",
            "术": "術",
            "围": "圍",
            "进": "進",
        }
    )
)


@pytest.fixture
def case(tmp_path):
    root = write_case(tmp_path)
    (root / "subs" / "s1.txt").write_text(TRAD, encoding="utf-8")
    return root


def invoke(cwd: Path, *args: str, lang: str = "zh"):
    return case_invoke(cwd, *args, lang=lang)


def test_flags_in_words_in_report_and_spreadsheet(case):
    assert TRAD != S1
    subs, refs = paths(case, "subs"), paths(case, "refs")
    r = invoke(case, "report", *subs, "--against", *refs, "-o", "r.html")
    assert r.exit_code == 0, r.output
    tree = lxml.html.fromstring((case / "r.html").read_text(encoding="utf-8"))
    row = next(tr for tr in tree.cssselect("#summary tbody tr") if "subs/s1.txt" in tr.text_content())
    flags = row.cssselect("span.flag")
    assert [(f.text_content(), f.get("title")) for f in flags] == [("繁体字（已转为简体比对）", "traditional-script")]
    # the copy from r2 is still found through the script difference
    assert float(row.cssselect("td.ratio")[0].get("data-v")) > 0.3
    r = invoke(case, "report", *subs, "--against", *refs, "-o", "r.xlsx")
    assert r.exit_code == 0, r.output
    ws = load_workbook(case / "r.xlsx").worksheets[0]
    head = [c.value for c in ws[1]]
    got = {row[head.index("送检文件")]: row[head.index("提示")] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert got["subs/s1.txt"] == "繁体字（已转为简体比对）"
    # English on request
    r = invoke(case, "report", *subs, "--against", *refs, "-o", "en.xlsx", lang="en")
    ws = load_workbook(case / "en.xlsx").worksheets[0]
    head = [c.value for c in ws[1]]
    got = {row[head.index("id")]: row[head.index("flags")] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert got["subs/s1.txt"] == "traditional script (compared as simplified)"


def test_targets_terminal_table_in_words(case):
    """``plantext targets -f table``: Chinese headers and title, comparators and flags in words."""
    (case / "p.txt").write_text(
        "东关中学教师培训计划\n一、目标\n每位教师全年培训不少于72学时，于20xx年6月底前完成。\n", encoding="utf-8"
    )
    r = invoke(case, "targets", "p.txt", "-f", "table", "-o", "t.txt")
    assert r.exit_code == 0, r.output
    text = (case / "t.txt").read_text(encoding="utf-8")
    assert "1 篇计划中的量化指标" in text and "指标原文" in text and "完成期限" in text
    row = next(line for line in text.splitlines() if "72学时" in line)
    assert "不少于" in row and ">=" not in row
    assert "targets in" not in text and "comparator" not in text
