"""Targets on sentences in the style of real plans and policy pages: a baseline year is not a
deadline, a sentence that opens with its limit lends it to every level it lists, rates written
after the unit (元/生·课时), negated comparators, ordinals and news datelines. Sentences written
for these tests."""

import pytest

from plantext.clean import clean
from plantext.model import Plan, Source
from plantext.targets import targets


def rows_of(text: str):
    src = clean(Source(path="t.txt", text=text, format="txt"))
    plan = Plan(id="t.txt", source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))
    return targets(plan, nodes=[])


def test_baseline_year_is_not_the_deadline():
    text = "到2027年，全县小学生近视率在2022年的基础上每年降低1个百分点以上。"
    (r,) = rows_of(text)
    assert (r.text, r.value, r.unit, r.comparator, r.per) == ("1个百分点以上", 1, "个百分点", ">=", "每年")
    assert r.deadline == "到2027年"


@pytest.mark.parametrize(
    "text",
    [
        "全校教师培训参与率较2021年提高了5个百分点。",
        "与2020年相比，全区专任教师增加了5个百分点。",
        "全区义务教育巩固率比2019年提高5个百分点。",
    ],
)
def test_comparison_year_gives_no_deadline(text):
    (r,) = rows_of(text)
    assert (r.value, r.unit, r.deadline) == (5, "个百分点", None)


def test_timestamp_is_not_a_deadline():
    (r,) = rows_of("2023-06-12 09:30 全区今年新建幼儿园4所。")
    assert (r.text, r.value, r.unit, r.deadline) == ("4所", 4, "所", None)


def test_opening_limit_reaches_every_listed_level():
    text = (
        "到2026年，全区普惠性幼儿园覆盖率达到92%以上，公办园在园幼儿占比保持在55%以上，"
        "幼儿园专任教师持有教师资格证的比例达到100%，保育员经过专业培训持证上岗的比例达到98%，"
        "乡镇中心幼儿园全部创成市级优质园，新建改扩建幼儿园不少于6所。"
    )
    rows = rows_of(text)
    assert [(r.text, r.value) for r in rows] == [
        ("92%以上", 92),
        ("55%以上", 55),
        ("100%", 100),
        ("98%", 98),
        ("6所", 6),
    ]
    assert text.index("6所") - text.index("到2026年") > 80  # further than a clause's reach
    assert [r.deadline for r in rows] == ["到2026年"] * 5


def test_year_opening_a_sentence_of_levels_is_their_deadline():
    rows = rows_of("2025年，全镇学前三年毛入园率达到95%以上，乡镇中心幼儿园建园率达到100%。")
    assert [(r.value, r.deadline) for r in rows] == [(95, "2025年"), (100, "2025年")]


def test_year_setting_the_scene_is_not_a_deadline():
    (r,) = rows_of("2024年，我校共有专任教师86人。")
    assert (r.value, r.unit, r.deadline) == (86, "人", None)


@pytest.mark.parametrize(
    "text, written, per",
    [
        ("初中阶段课后服务收费标准为1.5元/生·课时。", "1.5元", "每生每课时"),
        ("小学课后服务收费标准为300元/生、学期。", "300元", "每生每学期"),
        ("校车接送费用为80元/人/月。", "80元", "每人每月"),
        ("每生每课时收取服务费3元。", "3元", "每生每课时"),
        ("寒假期间每个周末开放图书室1天。", "1天", "每个周末"),
    ],
)
def test_rate_written_with_the_unit(text, written, per):
    (r,) = rows_of(text)
    assert (r.text, r.per) == (written, per)


def test_negated_comparator():
    (r,) = rows_of("参加集中培训未超过3次的教师须在暑期补训。")
    assert (r.text, r.value, r.comparator) == ("3次", 3, "<=")


def test_ordinal_session_is_not_a_count():
    rows = rows_of("深入学习党的十九届历次全会精神，全年开展专题学习12次。")
    assert [(r.text, r.value, r.unit) for r in rows] == [("12次", 12, "次")]


def test_count_in_zuo():
    (r,) = rows_of("年内建成标准化考点3座。")
    assert (r.text, r.value, r.unit) == ("3座", 3, "座")


def test_dateline_day_is_not_a_count():
    rows = rows_of("记者16日获悉，该区今年将新增公办学位2400个。")
    assert [(r.text, r.value, r.unit) for r in rows] == [("2400个", 2400, "个")]


@pytest.mark.parametrize(
    "text, comparator",
    [
        ("全区义务教育学校标准化建设达标率达100%。", ">="),
        ("全市省级优质幼儿园覆盖率达85%。", ">="),
        ("上级下达专项资金120万元。", "="),
        ("本项目建设周期长达3年。", "="),
    ],
)
def test_bare_da_before_the_number(text, comparator):
    (r,) = rows_of(text)
    assert r.comparator == comparator


def test_winter_and_summer_vacations_are_not_just_summer():
    (r,) = rows_of("周末及寒暑假校内托管服务按每生每课时3元收取。")
    assert (r.text, r.per, r.deadline) == ("3元", "每生每课时", None)


def test_limit_carries_through_a_semicolon_list():
    text = "到2025年，全县中小学教师本科学历比例达到80%以上；研究生学历教师不少于120人；县级以上骨干教师占比达到20%。"
    rows = rows_of(text)
    assert [(r.text, r.deadline) for r in rows] == [
        ("80%以上", "到2025年"),
        ("120人", "到2025年"),
        ("20%", "到2025年"),
    ]
    span = rows[0].deadline_span
    assert text[span[0] : span[1]] == "到2025年" and rows[2].deadline_span == span


def test_year_carries_through_a_semicolon_list():
    rows = rows_of("2026年，城区幼儿入园率达到98%以上；各乡镇至少新建1所公办幼儿园。")
    assert [(r.value, r.deadline) for r in rows] == [(98, "2026年"), (1, "2026年")]


@pytest.mark.parametrize(
    "text, written",
    [
        ("3月底前完成摸底；组织骨干教师示范课6节。", "6节"),  # no row before the ；: nothing to carry
        ("到2025年，普惠园覆盖率达到90%；每学期组织家长开放日2次。", "2次"),  # its own frequency
        ("到2025年，普惠园覆盖率达到90%；\n\n二、主要措施\n新建幼儿园3所。", "3所"),
        ("本学期开展教研活动8次；组织青年教师赛课2场。", "2场"),  # a period, not a stated limit
    ],
)
def test_nothing_to_carry(text, written):
    row = next(r for r in rows_of(text) if r.text == written)
    assert row.deadline is None


@pytest.mark.parametrize(
    "text, written, comparator",
    [
        ("教师每年参加校本研修时长≥40小时。", "40小时", ">="),
        ("每班学生人数≤45人。", "45人", "<="),
        ("全区教师持证率已达96.5%。", "96.5%", "="),
    ],
)
def test_comparator_symbols_and_statistics(text, written, comparator):
    (r,) = rows_of(text)
    assert (r.text, r.comparator) == (written, comparator)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("学生规模1200人以上的中小学校至少配备2名专职心理教师。", [("2名", 2)]),
        ("500人以上寄宿制学校须配备校医1名。", [("1名", 1)]),
        ("学生数不足100人的小学可不单设图书室，全县培训校医30名。", [("30名", 30)]),
        ("暑期组织1800名中小学教师参加轮训。", [("1800名", 1800)]),  # people of schools, counted
        ("全县400名小学校长参加集中研修。", [("400名", 400)]),
    ],
)
def test_size_of_the_schools_a_rule_applies_to_is_no_target(text, kept):
    assert [(r.text, r.value) for r in rows_of(text)] == kept


def test_party_congress_ordinal_is_not_a_count():
    rows = rows_of("贯彻落实省十五次党代会精神，全年开展宣讲活动6场。")
    assert [(r.text, r.value) for r in rows] == [("6场", 6)]


def test_day_a_paper_is_issued_is_not_a_deadline():
    rows = rows_of("市教育局18日印发行动计划，明确中小学心理健康教育课每月至少1课时。")
    assert [(r.text, r.per, r.comparator, r.deadline) for r in rows] == [("1课时", "每月", ">=", None)]
