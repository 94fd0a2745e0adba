"""Time expressions read as structured values (plantext.timeexpr), on sentences written for
these tests."""

import pytest

from plantext.timeexpr import YearContext, duration_iso, find, frequency, interval, year_context

Y2024 = YearContext(year=2024)

# sentence, the expression's text, kind, ISO start, ISO end (plan year 2024 where none is written)
CASES = [
    (
        "各校须在2021年8月15日至2022年3月29日完成校本研修。",
        "2021年8月15日至2022年3月29日",
        "range",
        "2021-08-15",
        "2022-03-29",
    ),
    ("各校于2022年7月10日至7月15日完成暑期培训报名。", "2022年7月10日至7月15日", "range", "2022-07-10", "2022-07-15"),
    ("全区于2030年前建成高素质教师队伍。", "2030年前", "before", None, "2030-12-31"),
    ("到二〇三五年前基本实现教育现代化。", "到二〇三五年前", "before", None, "2035-12-31"),
    ("新教师须在入职60日内完成岗前培训。", "60日内", "within", None, None),
    ("青年教师3年半以内成长为骨干。", "3年半以内", "within", None, None),
    ("方案于16年3月2日印发。", "16年3月2日", "date", "2016-03-02", "2016-03-02"),
    ("报名截止到1月3，逾期不候。", "截止到1月3", "before", None, "2024-01-03"),
    ("工作室3月初启动。", "3月初", "date", "2024-03-01", "2024-03-05"),
    ("各组6月上旬上交总结。", "6月上旬", "date", "2024-06-01", "2024-06-10"),
    ("论文评选11月中旬结束。", "11月中旬", "date", "2024-11-11", "2024-11-20"),
    ("课题9月下旬开题。", "9月下旬", "date", "2024-09-21", "2024-09-30"),
    ("资料月底前归档。", "月底前", "before", None, None),
    ("各项工作年底前完成。", "年底前", "before", None, "2024-12-31"),
    ("经费年末结算。", "年末", "date", "2024-11-01", "2024-12-31"),
    ("读书笔记学期末上交。", "学期末", "term", None, None),
    ("第二学期开展汇报课。", "第二学期", "term", None, None),
    ("本学期完成听课任务。", "本学期", "term", None, None),
    ("请于20xx年9月30日前上报。", "20xx年9月30日前", "before", None, None),
    ("计划于201x年完成。", "201x年", "date", None, None),
    ("培训安排在2023年3-5月。", "2023年3-5月", "range", "2023-03-01", "2023-05-31"),
    ("集中研修时间为2023年2——4月。", "2023年2——4月", "range", "2023-02-01", "2023-04-30"),
    ("规划期为2021至2025年前。", "2021至2025年前", "range", "2021-01-01", "2025-12-31"),
    ("送教活动定于10月8日、9日、10日。", "10月8日、9日、10日", "range", "2024-10-08", "2024-10-10"),
    ("跟岗学习从2023年11月六号到十号进行。", "从2023年11月六号到十号", "range", "2023-11-06", "2023-11-10"),
    ("自2022年9月1日起执行。", "自2022年9月1日起", "since", "2022-09-01", None),
    ("培训班于4月12-16日举办。", "4月12-16日", "range", "2024-04-12", "2024-04-16"),
    ("二〇二三年十二月月底完成验收。", "二〇二三年十二月月底", "date", "2023-12-25", "2023-12-31"),
    ("2023-2024学年第二学期开展赛课。", "2023-2024学年第二学期", "term", "2024-02-01", "2024-08-31"),
    ("2025年上半年完成中期检查。", "2025年上半年", "date", "2025-01-01", "2025-06-30"),
    ("两个半月以内完成整改。", "两个半月以内", "within", None, None),
    ("本项工作24年完成。", "24年", "date", "2024-01-01", "2024-12-31"),
    ("各校30日完成网上填报。", "30日", "date", None, None),
    ("第3周进行开学常规检查。", "第3周", "term", None, None),
    ("课题组第三季度提交中期报告。", "第三季度", "date", "2024-07-01", "2024-09-30"),
    ("2022年一季度末完成摸底。", "2022年一季度末", "date", "2022-03-01", "2022-03-31"),
    ("2024年9月第二周召开家长会。", "2024年9月第二周", "date", "2024-09-09", "2024-09-15"),
    ("本月底前报送名单。", "本月底前", "before", None, None),
    ("明年年初启动二期工程。", "明年年初", "date", None, None),
    ("请于2023-11-20前提交。", "2023-11-20前", "before", None, "2023-11-20"),
    ("实施期自2022/9/1至2023/7/15止。", "自2022/9/1至2023/7/15止", "range", "2022-09-01", "2023-07-15"),
    ("从2018年起至今坚持开展。", "从2018年起至今", "since", "2018-01-01", None),
    ("本周五前上交教案。", "本周五前", "before", None, None),
    ("2023年11月至次年3月开展冬季锻炼。", "2023年11月至次年3月", "range", "2023-11-01", "2024-03-31"),
    ("11月至次年2月组织送教下乡。", "11月至次年2月", "range", "2024-11-01", "2025-02-28"),
    ("12月至1月开展冬季长跑。", "12月至1月", "range", "2024-12-01", "2025-01-31"),
    ("国庆节前完成第一轮听课。", "国庆节前", "before", None, "2024-10-01"),
    ("五一劳动节期间开展志愿服务。", "五一劳动节", "date", "2024-05-01", "2024-05-01"),
    ("春节前走访慰问退休教师。", "春节前", "before", None, None),  # a lunar date: no ISO day
    ("开学第4-5周进行课堂教学考评。", "开学第4-5周", "term", None, None),
    # 或/及 before the limit word, and 之后/以后 as a start
    ("结题材料须在2025年6月30日或之前提交。", "2025年6月30日或之前", "before", None, "2025-06-30"),
    ("2019年及以前入职的教师参加轮训。", "2019年及以前", "before", None, "2019-12-31"),
    ("2023年9月1日及之后入职的新教师须参加规范化培训。", "2023年9月1日及之后", "since", "2023-09-01", None),
    ("2026年以后逐步推广。", "2026年以后", "since", "2026-01-01", None),
    ("10月之后开展第二轮听评课。", "10月之后", "since", "2024-10-01", None),
    ("自从2021年起实行集体备课。", "自从2021年起", "since", "2021-01-01", None),
]


@pytest.mark.parametrize("sentence,text,kind,lo,hi", CASES)
def test_expression(sentence, text, kind, lo, hi):
    exprs = find(sentence)
    assert [e.text for e in exprs] == [text]
    e = exprs[0]
    assert e.kind == kind
    assert sentence[e.start : e.end] == text
    assert interval(e, Y2024) == (lo, hi)


# words that hold numeral or calendar characters but no time expression
@pytest.mark.parametrize(
    "sentence",
    [
        "培训时间为30日。",  # an amount of days, not the 30th
        "从教24年以上的教师优先。",  # years of service
        "二三年内难见成效。",  # two or three years (an amount, read as within)
        "上学期间注意交通安全。",  # 上学 = going to school
        "全年级开展读书活动。",
        "一日之计在于晨。",
        "其中五年来累计培训3000人次。",
        "每学期开展两次公开课。",  # a frequency, not a term deadline
        "营造风清气正、政治清明的环境。",  # 清明 without 节 is not the festival
        "教师工作15年以后可申报高级职称。",  # 15 years of service, not the year 2015
    ],
)
def test_no_date(sentence):
    assert [e.kind for e in find(sentence) if e.kind != "within"] == []


def test_within_amounts():
    assert find("整改须在15个工作日内完成。")[0].amount == (15, "workday")
    assert find("三个半月以内完成。")[0].amount == (3.5, "month")
    assert find("1-2个月内完成。")[0].amount == (2, "month")
    assert find("3月内完成。")[0].kind == "before" or find("3月内完成。")[0].kind == "date"


def test_placeholder_year_is_flagged_not_invented():
    e = find("请于20XX年x月x日前报送材料。")[0]
    assert "placeholder-date" in e.flags
    assert interval(e, Y2024) == (None, None)


def test_two_digit_year_flag():
    e = find("本校98年5月建校。")[0]
    assert e.text == "98年5月" and "two-digit-year" in e.flags
    assert interval(e) == ("1998-05-01", "1998-05-31")


def test_school_year_context():
    ctx = year_context("XX小学2023-2024学年第一学期教研工作计划")
    assert ctx == YearContext(school_year=2023)
    assert interval(find("10月底前完成。")[0], ctx) == (None, "2023-10-31")
    assert interval(find("3月中旬开展。")[0], ctx) == ("2024-03-11", "2024-03-20")
    assert year_context("2024年教师培训计划") == YearContext(year=2024)
    assert year_context("20xx年教师培训计划") == YearContext()
    assert year_context("教师培训计划", {"year": 2022}) == YearContext(year=2022)
    # no year known: no ISO date, never a guess
    assert interval(find("10月底前完成。")[0]) == (None, None)


@pytest.mark.parametrize(
    "per,every,unit",
    [
        ("每学年", 1, "school-year"),
        ("每学期", 1, "term"),
        ("每月", 1, "month"),
        ("每两周", 2, "week"),
        ("每隔3天", 3, "day"),
        ("每半年", 0.5, "year"),
        ("每人每年", 1, "year"),
        ("每人", 1, "person"),
        ("隔周", 2, "week"),
        ("人均", 1, "person"),
        ("每隔一周", 2, "week"),
        ("每隔一天", 2, "day"),
    ],
)
def test_frequency(per, every, unit):
    f = frequency(per)
    assert (f.every, f.unit) == (every, unit)


@pytest.mark.parametrize(
    "value,unit,iso",
    [
        (3, "天", "P3D"),
        (2, "小时", "PT2H"),
        (3, "个月", "P3M"),
        (1.5, "年", "P1.5Y"),
        (2, "周", "P2W"),
        (45, "分钟", "PT45M"),
        (30, "学时", None),
    ],
)
def test_duration_iso(value, unit, iso):
    assert duration_iso(value, unit) == iso
