"""Deadlines, periods, frequencies and durations on target rows (targets/time.py over
plantext.timeexpr), on plan sentences written for these tests."""

import pytest

from plantext.clean import clean
from plantext.model import Plan, Source
from plantext.report.targets_table import EXTRA_COLUMNS, target_dict
from plantext.targets import targets


def rows_of(text: str, title: str = "", meta: dict | None = None):
    src = clean(Source(path="t.txt", text=text, format="txt"))
    plan = Plan(
        id="t.txt", source=src, plan=1, title=title, start=0, end=len(text), noise=list(src.noise), meta=meta or {}
    )
    return targets(plan, nodes=[])


def one(text: str, target: str, **kw):
    rows = [r for r in rows_of(text, **kw) if r.text == target]
    assert len(rows) == 1, [r.text for r in rows_of(text, **kw)]
    return rows[0]


# sentence, target, deadline as written, kind, ISO start, ISO end (plan title: 2024年…计划)
DEADLINES = [
    (
        "全体教师2021年8月15日至2022年3月29日完成继续教育不少于72学时。",
        "72学时",
        "2021年8月15日至2022年3月29日",
        "range",
        "2021-08-15",
        "2022-03-29",
    ),
    (
        "各校于2024年7月10日至7月15日完成新教师培训不少于24学时。",
        "24学时",
        "2024年7月10日至7月15日",
        "range",
        "2024-07-10",
        "2024-07-15",
    ),
    ("2030年前骨干教师达到教师总数的30%。", "30%", "2030年前", "before", None, "2030-12-31"),
    ("二〇三五年前建成名师工作室20个。", "20个", "二〇三五年前", "before", None, "2035-12-31"),
    ("新教师入职60日内完成岗前培训不少于40学时。", "40学时", "60日内", "within", None, None),
    ("青年教师3年半以内完成不少于360学时的培训。", "360学时", "3年半以内", "within", None, None),
    ("16年3月2日前完成首批培训50人。", "50人", "16年3月2日前", "before", None, "2016-03-02"),
    ("报名截止到1月3，共招收学员40名。", "40名", "截止到1月3", "before", None, "2024-01-03"),
    ("6月下旬组织考核，合格率达到95%。", "95%", "6月下旬", "date", "2024-06-21", "2024-06-30"),
    ("月底前上交听课记录不少于10节。", "10节", "月底前", "before", None, None),
    ("年底前完成校本研修不少于30学时。", "30学时", "年底前", "before", None, "2024-12-31"),
    ("学期末每位教师上交教学反思5篇。", "5篇", "学期末", "term", None, None),
    ("第二学期开展汇报课不少于2节。", "2节", "第二学期", "term", None, None),
    ("请于20xx年9月30日前上报培训人数不少于100人。", "100人", "20xx年9月30日前", "before", None, None),
    ("各校30日完成网上填报，参训教师不少于200人。", "200人", "30日", "date", None, None),
]


@pytest.mark.parametrize("text,target,deadline,kind,lo,hi", DEADLINES)
def test_deadline_fields(text, target, deadline, kind, lo, hi):
    r = one(text, target, title="2024年XX区教师培训计划")
    assert (r.deadline, r.deadline_kind, r.deadline_start, r.deadline_end) == (deadline, kind, lo, hi)
    a, b = r.deadline_span
    assert text[a:b] == deadline
    assert ("placeholder-date" in r.flags) == ("xx" in deadline)


def test_plan_year_from_school_year_title_and_metadata():
    text = "10月底前完成读书笔记3篇。3月中旬开展公开课2节。"
    ctx = {"title": "XX小学2023-2024学年第一学期教研计划"}
    assert one(text, "3篇", **ctx).deadline_end == "2023-10-31"
    assert one(text, "2节", **ctx).deadline_start == "2024-03-11"
    assert one(text, "3篇", meta={"year": 2022}).deadline_end == "2022-10-31"
    assert one(text, "3篇", meta={"年份": "2021"}).deadline_end == "2021-10-31"
    assert one(text, "3篇").deadline_end is None  # no year known: no date is made up


@pytest.mark.parametrize(
    "text,target,per,every,unit",
    [
        ("每学年完成继续教育不少于72学时。", "72学时", "每学年", 1, "school-year"),
        ("每学期开展两次公开课。", "两次", "每学期", 1, "term"),
        ("教研组每两周集体备课一次。", "一次", "每两周", 2, "week"),
        ("每隔3天检查一次作业。", "一次", "每隔3天", 3, "day"),
        ("每月上交听课记录4节。", "4节", "每月", 1, "month"),
        ("每人每年阅读教育专著2本。", "2本", "每人每年", 1, "year"),
    ],
)
def test_frequency_fields(text, target, per, every, unit):
    r = one(text, target)
    assert (r.per, r.per_every, r.per_unit) == (per, every, unit)


@pytest.mark.parametrize(
    "text,target,value,value_max,unit,qualifier,duration",
    [
        ("声学实验室开放2h。", "2h", 2, None, "小时", None, "PT2H"),
        ("集中培训为期3个多月。", "3个多月", 3, None, "个月", "多", "P3M"),
        ("跟岗实习两日。", "两日", 2, None, "天", None, "P2D"),
        ("脱产研修四个星期。", "四个星期", 4, None, "周", None, "P4W"),
        ("顶岗时间13天—8周。", "13天—8周", 13, 56, "天", None, None),
        ("学制为三年。", "三年", 3, None, "年", None, "P3Y"),
        ("外出学习30~90日。", "30~90日", 30, 90, "天", None, None),
        ("跟岗研修三天半。", "三天半", 3.5, None, "天", None, "P3.5D"),
        ("学制为两年半。", "两年半", 2.5, None, "年", None, "P2.5Y"),
        ("脱产进修5个月半。", "5个月半", 5.5, None, "个月", None, "P5.5M"),
        ("每周集体教研半天。", "半天", 0.5, None, "天", None, "P0.5D"),
        ("课前说课时间不少于半小时。", "半小时", 0.5, None, "小时", None, "PT0.5H"),
        ("新教师跟岗学习半个月。", "半个月", 0.5, None, "个月", None, "P0.5M"),
        ("骨干教师外出挂职一个半月。", "一个半月", 1.5, None, "个月", None, "P1.5M"),
        ("每天阳光体育活动两个半小时。", "两个半小时", 2.5, None, "小时", None, "PT2.5H"),
        ("午间阅读不少于一个钟头。", "一个钟头", 1, None, "小时", None, "PT1H"),
    ],
)
def test_durations(text, target, value, value_max, unit, qualifier, duration):
    r = one(text, target)
    assert (r.value, r.value_max, r.unit, r.qualifier, r.duration) == (value, value_max, unit, qualifier, duration)


@pytest.mark.parametrize(
    "text",
    [
        "我校创办于1998年，已有100多年历史的老校区今年翻新。",  # an age, not a target
        "五年来累计投入经费，三年级学生参加。",  # an era and a grade
        "各校24年完成网上填报。",  # a two-digit year, not 24 years
        "00601\t日",  # a table cell, not 601 days
    ],
)
def test_no_year_or_day_rows(text):
    assert [r.text for r in rows_of(text) if r.unit in ("年", "天")] == []


def test_columns_carry_the_structured_fields():
    r = one("各校于2024年7月10日至7月15日完成新教师培训不少于24学时。", "24学时")
    d = target_dict(r)
    for k in ("deadline_kind", "deadline_start", "deadline_end", "per_every", "per_unit", "duration"):
        assert k in EXTRA_COLUMNS and k in d
    assert d["deadline_span"] == list(r.deadline_span)


def test_staff_sheet_shows_the_dates(monkeypatch):
    from plantext.report.targets_table import staff_sheets

    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    text = "12月底前完成骨干教师培训30人次。到20xx年，合格率达到95%。"
    src = clean(Source(path="t.txt", text=text, format="txt"))
    plan = Plan(
        id="t.txt", source=src, plan=1, title="城东中学2023年师训计划", start=0, end=len(text), noise=list(src.noise)
    )
    main = staff_sheets(targets(plan, nodes=[]), [plan])[0]
    head = main.columns
    rows = {r[head.index("指标原文")]: dict(zip(head, r)) for r in main.rows}
    assert (rows["30人次"]["期限类型"], rows["30人次"]["截止日期"], rows["30人次"]["起始日期"]) == (
        "截止",
        "2023-12-31",
        None,
    )
    assert rows["95%"]["截止日期"] is None and rows["95%"]["提示"].count("占位符") == 1


@pytest.mark.parametrize(
    "text",
    [
        "上半年开展读书沙龙。",
        "下半年组织一轮听评课。",
        "多半天时间用于研讨。",
        "半年度总结按时上交。",
        "研讨用时个半小时。",
    ],
)
def test_half_of_a_year_in_a_period_is_no_duration(text):
    assert [r.text for r in rows_of(text) if r.text.startswith("半")] == []


def test_half_of_no_time_unit_is_not_read():
    # 两个半 is two and a half of something the text does not count in a unit: no row, never 2
    assert [(r.text, r.value) for r in rows_of("每组安排两个半天进行观摩。")] == []


@pytest.mark.parametrize(
    "text",
    [
        "一月二十三完成心理健康培训不少于12学时。",  # January 23rd, not once a month
        "从一月十日到十五日完成心理健康培训不少于12学时。",
    ],
)
def test_month_one_in_a_date_is_no_frequency(text):
    r = one(text, "12学时")
    assert r.per is None
    assert r.deadline is not None and r.deadline.endswith(("二十三", "十五日"))


def test_month_one_before_a_count_is_a_frequency():
    assert one("一月两次开展教研活动，每次不少于2小时。", "两次").per == "一月"
