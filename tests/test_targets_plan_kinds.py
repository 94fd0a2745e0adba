"""Targets in kinds of plans other than schools' 工作计划: safety-training plans, government
任务分工 and 工作要点, health and budget plans. Sentences written for these tests."""

import pytest

from plantext.clean import clean
from plantext.model import Plan, Source
from plantext.targets import rejected, subjects, targets


def plan_of(text: str) -> Plan:
    src = clean(Source(path="k.txt", text=text, format="txt"))
    return Plan(id="k.txt", source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))


def rows(text: str):
    return targets(plan_of(text), nodes=[])


def test_a_comparator_before_a_list_holds_for_every_item():
    text = "新进员工厂级、车间级、班组级培训时间分别不少于12学时、16学时和24学时。"
    got = [(r.text, r.value, r.unit, r.comparator, r.start, r.end) for r in rows(text)]
    assert got == [
        ("12学时", 12, "学时", ">=", 23, 27),
        ("16学时", 16, "学时", ">=", 28, 32),
        ("24学时", 24, "学时", ">=", 33, 37),
    ]


def test_a_comparator_does_not_reach_past_other_words_in_the_list():
    got = [(r.text, r.comparator) for r in rows("每人每年培训不少于12学时、参加活动3次。")]
    assert got == [("12学时", ">="), ("3次", "=")]


@pytest.mark.parametrize(
    "sentence,text,cmp,qualifier",
    [
        ("门诊报销比例达65%左右。", "65%左右", "=", "左右"),  # about 65 %, not at least 65 %
        ("住院报销比例达到约70%。", "约70%", "=", "约"),
        ("住院报销比例达80%。", "80%", ">=", None),
        ("参合率达到96%以上。", "96%以上", ">=", "以上"),
    ],
)
def test_an_approximate_level_reached_is_no_lower_bound(sentence, text, cmp, qualifier):
    (r,) = rows(sentence)
    assert (r.text, r.comparator, r.qualifier) == (text, cmp, qualifier)


def test_per_mille_is_a_unit():
    (r,) = rows("新生儿死亡率控制在3.5‰以内。")
    assert (r.text, r.value, r.unit, r.comparator, r.start, r.end) == ("3.5‰以内", 3.5, "‰", "<=", 9, 15)


def test_an_item_number_glued_to_a_unit_word_is_no_target():
    text = "1确定培训内容：围绕岗位要求。\n2学分要求：每人每年完成30学分。"
    assert [(r.text, r.value, r.per) for r in rows(text)] == [("30学分", 30, "每人每年")]
    assert (16, 19, "row-number") in [(s, e, why) for s, e, why in rejected(plan_of(text))]


def test_a_count_at_a_line_start_without_numbered_siblings_stays():
    assert [(r.text, r.value, r.unit) for r in rows("3名教师负责录入成绩。")] == [("3名", 3, "名")]


@pytest.mark.parametrize("sentence", ["全县综合排名比上年提升3位。", "我校在全区的名次下滑2名。"])
def test_places_moved_in_a_ranking_are_not_people(sentence):
    text = sentence
    assert rows(text) == []
    assert "rank" in [why for _, _, why in rejected(plan_of(text))]


@pytest.mark.parametrize(
    "sentence,text,per,value_max",
    [
        ("每县至少建成1所标准化幼儿园。", "1所", "每县", None),
        ("高标准农田建设（每亩补助 800-1200 元）。", "800-1200 元", "每亩", 1200),
        ("每个乡镇建成1所公办中心幼儿园。", "1所", "每个乡镇", None),
        ("每户发放宣传资料2份。", "2份", "每户", None),
    ],
)
def test_per_place_or_area(sentence, text, per, value_max):
    (r,) = rows(sentence)
    assert (r.text, r.per, r.value_max) == (text, per, value_max)


def test_a_rate_written_far_after_a_count_is_not_its_frequency():
    got = [(r.text, r.per) for r in rows("为2000名学生发放补助 每生每年300元。")]
    assert got == [("2000名", None), ("300元", "每生每年")]
    assert [(r.text, r.per) for r in rows("开展讲座1次每学期。")] == [("1次", "每学期")]


def test_a_year_in_the_targets_own_clause_is_its_deadline():
    got = [(r.text, r.deadline) for r in rows("为缓解入学压力,2025年全区新建小学3所、幼儿园5所。")]
    assert got == [("3所", "2025年"), ("5所", "2025年")]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("3-4月,完成2所学校主体工程,启动3所学校招标。", [("2所", "3-4月"), ("3所", "3-4月")]),
        ("第三季度,开展培训2期,完成验收4个项目。", [("2期", "第三季度"), ("4个", "第三季度")]),
    ],
)
def test_a_schedule_step_opening_the_sentence_times_all_it_lists(sentence, expected):
    assert [(r.text, r.deadline) for r in rows(sentence)] == expected


def test_the_date_of_a_meeting_is_no_deadline():
    (r,) = rows("记者从15日召开的会议上获悉,全市新增托位800个。")
    assert (r.text, r.deadline) == ("800个", None)


def test_responsibility_tails_of_government_plans():
    text = (
        "一、扩大优质资源\n"
        "1.新建幼儿园5所,2025年6月底前完成主体工程。(区教育局牵头,区财政局、区住建局配合)\n"
        "2.心理健康教师配备率达到100%（责任单位：区卫健委、各街道）。\n"
        "3.每季度开展一次安全检查。〔责任单位:区应急局〕\n"
        "4.每年培训教师2000人次(区教育局负责)。下一步按要求推进。\n"
        "5.新增托位300个。(具体安排另行通知)\n"
    )
    got = [(r.text, r.deadline, r.responsible) for r in rows(text)]
    assert got == [
        ("5所", "2025年6月底前", "区教育局"),
        ("100%", None, "区卫健委"),
        ("一次", None, "区应急局"),
        ("2000人次", None, "区教育局"),
        ("300个", None, None),
    ]


@pytest.mark.parametrize(
    "text,who",
    [
        ("全面清理事项清单。（市政府办公室、市审改办牵头，市级各有关部门按职责分工负责）", "市政府办公室、市审改办"),
        ("推进数据共享。〔责任单位：市大数据中心、市市场监管局按职责分工负责〕", "市大数据中心、市市场监管局"),
        ("推进数据共享（见附件2）。", None),
        ("（区教育局牵头）另行部署后续工作。", None),  # the tail must close the item
    ],
)
def test_tail_responsible(text, who):
    assert subjects.tail_responsible(text) == who


def test_responsible_from_the_lead_column_of_a_task_table():
    text = (
        "序号\t重点任务\t牵头单位\t责任单位\t完成时限\n"
        "1\t新建幼儿园5所\t区教育局\t各街道\t2025年6月底前\n"
        "2\t培训教师2000人次\t区教师发展中心\t各学校\t年底前\n"
    )
    got = [(r.text, r.deadline, r.responsible) for r in rows(text)]
    assert got == [("5所", "2025年6月底前", "区教育局"), ("2000人次", "年底前", "区教师发展中心")]


def test_responsible_from_a_markdown_table_and_not_from_a_shifted_row():
    text = (
        "| 类别 | 事项 | 责任单位 | 分管领导 |\n"
        "|---|---|---|---|\n"
        "| 民生 | 新增托位300个 | 区卫健局 | 王某 |\n"
        "| 培训护士500人次 | 区人民医院 | 李某 | |\n"
    )
    got = [(r.text, r.responsible) for r in rows(text)]
    assert got == [("300个", "区卫健局"), ("500人次", None)]


@pytest.mark.parametrize(
    "text,pos,who",
    [
        ("任务\t责任人\n开展家访50户\t张老师\n", 17, "张老师"),
        ("任务\t责任人\n开展家访50户\t12\n", 17, None),  # a number is no one
        ("任务\t责任人\n说明文字\n开展家访50户\t张老师\n", 22, None),  # the table ended above
    ],
)
def test_column_responsible(text, pos, who):
    assert subjects.column_responsible(text, pos) == who


def test_a_bare_da_before_a_pair_holds_for_both():
    got = [(r.text, r.comparator) for r in rows("适龄儿童入园率和普惠率分别达96%和94%。")]
    assert got == [("96%", ">="), ("94%", ">=")]
    # another measure named between them: the second level is stated on its own
    got = [(r.text, r.comparator) for r in rows("完成率达到95%和优秀率30%。")]
    assert got == [("95%", ">="), ("30%", "=")]


def test_cases_are_counted_in_li():
    got = [(r.text, r.value, r.unit) for r in rows("年内转办线索56例、督办举报4例。")]
    assert got == [("56例", 56, "例"), ("4例", 4, "例")]
    assert rows("例如每周读书30分钟。") == []
    assert [r.text for r in rows("每周一例会，通报3例典型问题。")] == ["3例"]
