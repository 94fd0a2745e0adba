"""The staff's targets workbook (targets.xlsx): Chinese headers and sheet names, the plan's
title and metadata beside every target, comparators in words, a placeholder deadline flagged,
character offsets on a sheet of their own. Plans written for these tests."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from plantext.cli import app

PLAN = """城关小学2021年教师培训计划

一、培训目标
每位教师全年参加校本培训不少于48学时，外出学习人数不超过12人次。

二、工作安排
到201x年，全校教师培训合格率达到100%。
12月底前完成骨干教师培训30人次。
"""

MANIFEST = "path,学校,年份\n{path},城关小学,2021\n"


@pytest.fixture
def files(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    (tmp_path / "meta.csv").write_text(MANIFEST.format(path=plan), encoding="utf-8")
    return tmp_path, plan


def test_staff_workbook_in_chinese(files, monkeypatch):
    tmp, plan = files
    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    r = CliRunner().invoke(app, ["targets", str(plan), "--meta", str(tmp / "meta.csv"), "-o", str(tmp / "t.xlsx")])
    assert r.exit_code == 0, r.output
    wb = load_workbook(tmp / "t.xlsx")
    assert wb.sheetnames == ["指标", "位置", "提示"]
    rows = list(wb["指标"].values)
    head = list(rows[0])
    assert head[:6] == ["#", "计划标题", "文件", "学校", "年份", "章节"]
    assert {"指标原文", "数值", "单位", "比较", "完成期限", "责任人", "提示"} <= set(head)
    assert not {"start", "end", "起（字符位置）"} & set(head)  # offsets are on their own sheet
    by_text = {r[head.index("指标原文")]: dict(zip(head, r)) for r in rows[1:]}
    at_least = next(v for k, v in by_text.items() if "48" in k)
    assert at_least["计划标题"] == "城关小学2021年教师培训计划" and at_least["学校"] == "城关小学"
    assert at_least["年份"] == 2021 and at_least["比较"] == "不少于" and at_least["数值"] == 48
    assert next(v for k, v in by_text.items() if "12" in k and "人次" in k)["比较"] == "不超过"
    # the placeholder year of a deadline is flagged in words; a real date is not
    rate = by_text["100%"]
    assert rate["完成期限"] == "到201x年" and "占位符" in rate["提示"] and rate["比较"] == "不少于"
    course = by_text["30人次"]
    assert course["完成期限"] == "12月底前" and not course["提示"] and course["比较"] == "等于"
    # the offsets, by row number, index the source text
    places = list(wb["位置"].values)
    assert places[0] == ("行号", "计划编号", "文件", "篇序", "起（字符位置）", "止（字符位置）")
    for n, (row, _, _, _, a, b) in enumerate(places[1:], 1):
        assert row == n and PLAN[a:b] == rows[n][head.index("指标原文")]


def test_placeholder_deadline_and_comparator_words():
    from plantext.report.targets_table import comparator_words, placeholder_deadline

    assert [
        placeholder_deadline(d) for d in ("到201x年", "20xx年底前", "二〇××年", "2021年底前", "3月20日前", None)
    ] == [True, True, True, False, False, False]
    assert comparator_words(">=") in ("不少于", "at least") and comparator_words(None) == ""


def test_csv_keeps_the_columns_programs_read(files, monkeypatch):
    tmp, plan = files
    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    r = CliRunner().invoke(app, ["targets", str(plan), "-o", str(tmp / "t.csv")])
    assert r.exit_code == 0, r.output
    head = next(csv.reader(io.StringIO((tmp / "t.csv").read_text(encoding="utf-8-sig"))))
    assert head[:8] == ["id", "source", "plan", "section", "sentence", "text", "start", "end"]
