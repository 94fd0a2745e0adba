"""Targets in government 实施方案, 指标 tables and 工作要点: formula factors, session ordinals,
credit deductions, formats and named circles, conditions that define a statistic, 每千人/生均
rates, and limits a paragraph opens with. Sentences written for these tests."""

import pytest

from plantext.clean import clean
from plantext.model import Plan, Source
from plantext.targets import rejected, targets
from plantext.timeexpr import find, frequency


def plan_of(text: str) -> Plan:
    src = clean(Source(path="g.txt", text=text, format="txt"))
    return Plan(id="g.txt", source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))


def rows(text: str):
    return targets(plan_of(text), nodes=[])


def why(text: str) -> dict[str, str]:
    t = plan_of(text).view("norm").text
    return {t[a:b]: rule for a, b, rule in rejected(plan_of(text), nodes=[])}


# -- numbers that are no targets ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "计算公式：达标班级数/班级总数×100%。",
        "优秀率=优秀人数/参测人数*100%，按学期统计。",
        "增幅按（本期数－上期数）÷上期数乘以100%计算。",
    ],
)
def test_the_factor_of_a_formula_is_no_target(sentence):
    assert [r.text for r in rows(sentence)] == []


def test_a_percentage_after_a_formula_is_still_read():
    got = [(r.text, r.value, r.comparator) for r in rows("覆盖率=覆盖学校数/学校总数×100%，年底前达到90%以上。")]
    assert got == [("90%以上", 90, ">=")]


def test_a_list_of_session_ordinals_is_masked():
    text = "深入学习县委八届三次、四次全会精神，全年培训党员200人次。"
    assert [(r.text, r.value) for r in rows(text)] == [("200人次", 200)]


def test_deductions_in_a_credit_scheme_are_no_targets():
    text = "每学期参加集中研修不少于8学时，无故缺席一次扣2学时，迟到一次扣0.5学分。"
    got = [(r.text, r.value, r.unit, r.comparator) for r in rows(text)]
    assert got == [("8学时", 8, "学时", ">=")]


def test_a_size_naming_a_format_counts_nothing():
    text = "新建7人制足球场3块，推行8小时工作制，完善值班制度2项。"
    assert [(r.text, r.value, r.unit) for r in rows(text)] == [("2项", 2, "项")]  # 块 is no unit
    reasons = why(text)
    assert reasons["7人"] == "format"
    assert reasons["8小时"] == "format"


def test_the_parts_a_text_is_built_of_are_no_target():
    text = "方案从6个方面提出18项措施，新增公办学位1200个。"
    got = [(r.text, r.value) for r in rows(text)]
    assert got == [("18项", 18), ("1200个", 1200)]
    assert why(text)["6个"] == "structure"


def test_a_reach_in_time_that_names_a_circle_is_no_amount():
    text = "城区建成10分钟阅读圈，乡村学校配备图书不少于30册。"
    got = [(r.text, r.value, r.unit, r.per) for r in rows(text)]
    assert got == [("30册", 30, "册", None)]
    assert why(text)["10分钟"] == "named-circle"


def test_a_threshold_that_defines_a_statistic_is_part_of_it():
    text = "每天锻炼1小时以上的学生人数占比达到85%，每周参加3次及以上的人数达到12万。"
    got = [(r.text, r.value, r.unit, r.comparator, r.per) for r in rows(text)]
    assert got == [("85%", 85, "%", ">=", None), ("12万", 120000, "人", ">=", None)]
    assert why(text)["3次及以上"] == "population"


def test_absences_counted_for_a_penalty_are_no_targets():
    text = "学期内累计旷课5节或迟到3次者取消评优资格；每生请假不超过2天。"
    got = [(r.text, r.value, r.comparator) for r in rows(text)]
    assert got == [("2天", 2, "<=")]


# -- rates: 每千人, 生均 -----------------------------------------------------------------------------


def test_per_thousand_people_is_a_rate():
    (r,) = rows("到2030年，每千人口拥有执业医师达到3.2人。")
    assert (r.text, r.value, r.unit, r.per, r.comparator) == ("3.2人", 3.2, "人", "每千人", ">=")
    assert (r.per_every, r.per_unit) == (1000, "person")


def test_an_average_per_student_is_every_student():
    (r,) = rows("小学生均公用经费不低于800元。")
    assert (r.text, r.value, r.per) == ("800元", 800, "每生")
    assert frequency("生均").unit == "person"
    assert frequency("每十万人").every == 100000


# -- deadlines ---------------------------------------------------------------------------------------


def test_a_paragraph_that_opens_with_a_limit_gives_it_to_its_later_sentences():
    text = (
        "到2026年，县域学前教育普及普惠水平明显提高。公办园在园幼儿占比达到55%，"
        "普惠性幼儿园覆盖率达到90%。\n三、重点任务\n新建幼儿园4所。"
    )
    got = [(r.text, r.deadline) for r in rows(text)]
    assert got == [("55%", "到2026年"), ("90%", "到2026年"), ("4所", None)]


def test_the_state_today_takes_no_limit_from_the_paragraph():
    text = "到2026年，全县建成智慧校园40所。目前全县已有智慧校园12所。"
    got = [(r.text, r.deadline) for r in rows(text)]
    assert got == [("40所", "到2026年"), ("12所", None)]


def test_a_limit_after_a_reporting_clause_opens_what_follows():
    text = "省里印发行动方案，方案明确，到2027年，校园足球特色学校达到600所，每校配备专职教练员不少于2名。"
    got = [(r.text, r.deadline) for r in rows(text)]
    assert got == [("600所", "到2027年"), ("2名", "到2027年")]


def test_times_and_values_listed_respectively():
    text = "到2025年底和2030年，全县居民健康素养水平分别不低于25%和32%。"
    got = [(r.text, r.value, r.comparator, r.deadline) for r in rows(text)]
    assert got == [("25%", 25, ">=", "到2025年底"), ("32%", 32, ">=", "2030年")]


def test_a_period_inside_a_noun_phrase_limits_nothing():
    text = "学校拨出经费5000元作为全年读书节活动奖励基金，评选书香班级8个。"
    got = [(r.text, r.deadline) for r in rows(text)]
    assert got == [("5000元", None), ("8个", None)]


@pytest.mark.parametrize(
    "text,found",
    [
        ("2025年初步建成区域教研联盟", ["2025年"]),
        ("2024年初中学业水平考试", ["2024年"]),
        ("9月初级职称评审", ["9月"]),
        ("2025年初，启动评估", ["2025年初"]),
        ("10月初召开总结会", ["10月初"]),
    ],
)
def test_chu_is_early_only_when_no_word_goes_on_from_it(text, found):
    assert [e.text for e in find(text)] == found


def test_a_day_with_an_aside_before_nei_is_an_amount():
    assert [e.text for e in find("须在2日（48小时）内完成复核")] == []
    assert [e.text for e in find("于20日（星期一）前报送")] == ["20日"]


def test_new_units_of_power_and_volume():
    text = "新增光伏装机容量12万千瓦，年节水30万立方米。"
    got = [(r.text, r.value, r.unit) for r in rows(text)]
    assert got == [("12万千瓦", 120000, "千瓦"), ("30万立方米", 300000, "立方米")]
