"""Targets on sentences written for these tests, then on the seed pages."""

import json
import re

import pytest

from plantext.clean import clean
from plantext.i18n import tr
from plantext.model import Plan, Source
from plantext.report.targets_table import COLUMNS, flag_meaning, sheets
from plantext.targets import targets


def plan_of(text: str, path: str = "t.txt") -> Plan:
    src = clean(Source(path=path, text=text, format="txt"))
    return Plan(id=path, source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))


def rows_of(text: str):
    return targets(plan_of(text), nodes=[])


F = ("value", "value_max", "unit", "comparator", "qualifier", "per", "subject", "deadline", "responsible")

# sentence, the quantity as written, then the fields in F. The subject is a person or body
# from the lexicon in the target's clause when there is one (骨干教师 before 示范课), else the
# nouns written last before the number (设备购置费), never a bare activity verb (培训).
CASES = [
    (
        "每位教师每学期培训学时不少于48学时。",
        "48学时",
        (48, None, "学时", ">=", None, "每学期", "每位教师", None, None),
    ),
    (
        "新任教师试用期内完成岗前培训不低于一百二十学时。",
        "一百二十学时",
        (120, None, "学时", ">=", None, None, "新任教师", None, None),
    ),
    (
        "全体教师参训率要达到百分之八十以上。",
        "百分之八十以上",
        (80, None, "%", ">=", "以上", None, "全体教师", None, None),
    ),
    ("学校每年投入培训经费2万多元。", "2万多元", (20000, None, "元", "=", "多", "每年", "培训经费", None, None)),
    ("本学期组织青年教师开展课堂展示１２节。", "１２节", (12, None, "节", "=", None, None, "青年教师", "本学期", None)),
    ("每两周开展教研活动1-2次，由教研组长负责。", "1-2次", (1, 2, "次", "=", None, "每两周", None, None, "教研组长")),
    ("每人每年参加区级以上培训不少于三至五次。", "三至五次", (3, 5, "次", ">=", None, "每人每年", None, None, None)),
    ("骨干教师每学期上示范课2~3节。", "2~3节", (2, 3, "节", "=", None, "每学期", "骨干教师", None, None)),
    ("年底前完成教学论文3到5篇。", "3到5篇", (3, 5, "篇", "=", None, None, "教学论文", "年底前", None)),
    ("设备购置费3千元左右。", "3千元左右", (3000, None, "元", "=", "左右", None, "设备购置费", None, None)),
    ("项目经费1.5万元，由财务室负责管理。", "1.5万元", (15000, None, "元", "=", None, None, "经费", None, "财务室")),
    (
        "3月20日前完成新教师培训，参训新教师不少于60名。",
        "60名",
        (60, None, "名", ">=", None, None, "参训新教师", "3月20日前", None),
    ),
    (
        "9月初启动骨干研修，培训人数控制在50人以内。",
        "50人以内",
        (50, None, "人", "<=", "以内", None, "培训人数", "9月初", None),
    ),
    (
        "到20xx年，全区专任教师本科学历比例超过85%。",
        "85%",
        (85, None, "%", ">", None, None, "全区专任教师", "到20xx年", None),
    ),
    ("每月每位班主任至少撰写教育随笔两篇。", "两篇", (2, None, "篇", ">=", None, "每月", "每位班主任", None, None)),
    ("班主任培训负责人：李明，培训不少于10课时。", "10课时", (10, None, "课时", ">=", None, None, None, None, "李明")),
    (
        "由教务处负责组织听课活动，每人听课不少于20节。",
        "20节",
        (20, None, "节", ">=", None, "每人", None, None, "教务处"),
    ),
    (
        "近200名乡村教师参加远程研修，12月底前完成。",
        "近200名",
        (200, None, "名", "=", "近", None, "乡村教师", "12月底前", None),
    ),
    (
        "每學年每位教師參加校本培訓不得少於四十八學時。",
        "四十八學時",
        (48, None, "学时", ">=", None, "每学年", "每位教师", None, None),
    ),
    ("上学期举办新教师培训，共60人。", "60人", (60, None, "人", "=", None, None, None, "上学期", None)),
    ("每学期开展公开课活动一次以上。", "一次以上", (1, None, "次", ">=", "以上", "每学期", "公开课活动", None, None)),
    ("每位教师每学年承担1—2项课题研究。", "1—2项", (1, 2, "项", "=", None, "每学年", "每位教师", None, None)),
    ("人均培训经费不低于800元。", "800元", (800, None, "元", ">=", None, "每人", "培训经费", None, None)),
    (
        "学校35岁以下的青年教师每学期上汇报课1节。",
        "1节",
        (1, None, "节", "=", None, "每学期", "35岁以下的青年教师", None, None),
    ),
    ("每年拨付专项经费5万余元。", "5万余元", (50000, None, "元", "=", "余", "每年", "专项经费", None, None)),
    ("各校开展读书交流活动2次/月。", "2次", (2, None, "次", "=", None, "每月", "各校", None, None)),
    (
        "每位教师每学期完成一篇或一篇以上的读书笔记。",
        "一篇或一篇以上",
        (1, None, "篇", ">=", "以上", "每学期", "每位教师", None, None),
    ),
    ("全年累计培训时间不超过36个学时。", "36个学时", (36, None, "学时", "<=", None, None, "培训时间", "全年", None)),
    (
        "校本研修3个月内完成，全年培训教师约1,200人次。",
        "约1,200人次",
        (1200, None, "人次", "=", "约", None, "教师", "全年", None),
    ),
    ("每节课40分钟，做到精讲多练。", "40分钟", (40, None, "分钟", "=", None, "每节课", None, None, None)),
    (
        "培训为期3个工作日，材料须在5个工作日内报送。",
        "3个工作日",  # the limit is the materials'
        (3, None, "工作日", "=", None, None, None, None, None),
    ),
    (
        "对新招聘教师开展为期5天的岗前培训，9月10日前完成。",
        "5天",  # a later clause of only a limit
        (5, None, "天", "=", None, None, "新招聘教师", "9月10日前", None),
    ),
    (
        "每位名师带徒2名，学年末进行师徒结对考核。",
        "2名",  # a later clause with its own work
        (2, None, "名", "=", None, None, "每位名师", None, None),
    ),
    (
        "力争三至五年内培养骨干教师20名左右。",
        "20名左右",
        (20, None, "名", "=", "左右", None, "骨干教师", "三至五年内", None),
    ),
    ("图书馆新增图书2万余册。", "2万余册", (20000, None, "册", "=", "余", None, "图书", None, None)),
    ("优秀率达到80%-90%。", "80%-90%", (80, 90, "%", ">=", None, None, "优秀率", None, None)),
    ("购置图书经费1.5-2万元。", "1.5-2万元", (15000, 20000, "元", "=", None, None, "经费", None, None)),
    ("骨干教师约占三分之一。", "三分之一", (100 / 3, None, "%", "=", None, None, "骨干教师", None, None)),
    (
        "三分之二以上的学校建成校本研修示范校。",
        "三分之二以上",
        (200 / 3, None, "%", ">=", "以上", None, "学校", None, None),
    ),
    ("今年遴选特设岗位135名。", "135名", (135, None, "名", "=", None, None, "特设岗位", None, None)),
    ("全校开发特色课程3至5门。", "3至5门", (3, 5, "门", "=", None, None, "特色课程", None, None)),
    ("教研组长培训一学期1-2次。", "1-2次", (1, 2, "次", "=", None, "一学期", "教研组长", None, None)),
    (
        "本学期选派10名城镇中青年骨干教师到乡村学校支教。",
        "10名",
        (10, None, "名", "=", None, None, "城镇中青年骨干教师", "本学期", None),
    ),
    ("充分发挥全市12个名师工作室的示范作用。", "12个", (12, None, "个", "=", None, None, "名师工作室", None, None)),
    # the doer stands before the frequency; the frequency does not glue it to the verb
    ("保卫科每周巡查两次校园周边。", "两次", (2, None, "次", "=", None, "每周", "保卫科", None, None)),
    ("各班每月出一期黑板报。", "一期", (1, None, "期", "=", None, "每月", "各班", None, None)),
    # the comparator is not part of the subject, whatever jieba makes of it
    ("低分比例控制在5%以内。", "5%以内", (5, None, "%", "<=", "以内", None, "低分比例", None, None)),
    (
        "每位教师每学年继续教育学分不少于24分。",
        "24分",  # 分 counting 学分
        (24, None, "学分", ">=", None, "每学年", "每位教师", None, None),
    ),
    ("国家课程开齐率达到100%。", "100%", (100, None, "%", ">=", None, None, "国家课程开齐率", None, None)),
    # 内 right after a quantity: within
    ("接到报修后24小时内修复。", "24小时内", (24, None, "小时", "<=", "内", None, None, None, None)),
    # per item, per school, per class
    ("每个课题组每项补助经费1500元。", "1500元", (1500, None, "元", "=", None, "每项", "经费", None, None)),
    ("任课教师每单元进行一次质量检测。", "一次", (1, None, "次", "=", None, "每单元", "任课教师", None, None)),
    ("每校推选青年教师3名参加比赛。", "3名", (3, None, "名", "=", None, "每校", "青年教师", None, None)),
]


@pytest.mark.parametrize("sentence,text,expected", CASES, ids=[c[1] for c in CASES])
def test_target_forms(sentence, text, expected):
    rows = rows_of(sentence)
    assert len(rows) == 1, [r.text for r in rows]
    r = rows[0]
    start = sentence.index(text)
    assert (r.start, r.end, r.text) == (start, start + len(text), text)
    assert r.sentence == sentence
    assert tuple(getattr(r, f) for f in F) == expected
    assert r.flags == (["placeholder-date"] if r.deadline and "xx" in r.deadline else [])  # 到20xx年


@pytest.mark.parametrize(
    "sentence,comparator,qualifier",
    [
        ("合格率高于90%。", ">", None),
        ("班额在45人以下。", "<=", "以下"),
        ("外出培训费用不超过3000元。", "<=", None),
        ("每位教师至少听课20节。", ">=", None),
        ("缺勤不得超过3次。", "<=", None),
        ("辍学率低于1%。", "<", None),
        ("参训人数超过200人。", ">", None),
        ("培训学时达到72学时以上。", ">=", "以上"),
        ("课题组成员为5人。", "=", None),
    ],
)
def test_comparators(sentence, comparator, qualifier):
    [r] = rows_of(sentence)
    assert (r.comparator, r.qualifier) == (comparator, qualifier)


@pytest.mark.parametrize(
    "sentence,per",
    [
        ("每周开展集体备课1次。", "每周"),
        ("每学年参加培训72学时。", "每学年"),
        ("每两周组织业务学习1次。", "每两周"),
        ("每人每年读书2本。", "每人每年"),
        ("每月撰写教学反思2篇。", "每月"),
        ("年均培训经费1万元。", "每年"),
        ("全校开展读书交流活动3次。", None),
    ],
)
def test_frequency(sentence, per):
    [r] = rows_of(sentence)
    assert r.per == per


@pytest.mark.parametrize(
    "sentence,who",
    [
        ("新教师培训30学时，由教务处负责。", "教务处"),
        ("校本研修40学时，教科室具体负责组织考核。", "教科室"),
        ("读书活动负责人：陈红，每人读书3本。", "陈红"),
        ("组长：王强；每周听课2节。", None),  # another sentence: only an item's heading lends its 组长
        ("学校成立领导小组负责考核，培训30学时。", "领导小组"),
        ("县教师进修学校负责组织实施培训60学时。", "县教师进修学校"),
        ("全年培训120学时。", None),
    ],
)
def test_responsible(sentence, who):
    rows = rows_of(sentence)
    assert rows[-1].responsible == who


NOT_TARGETS = [
    "2018年3月20日召开全体教师会议。",
    "二〇一八年工作计划",
    "根据邵教发〔2018〕12号文件精神，联系电话：0739-5321234。",
    "认真学习《农村教师队伍建设规划（2016-2020年）》和《教师法》。",
    "一、指导思想\n（一）工作目标\n1.加强师德建设\n第二章 培训管理\n第3条 附则",
    "第1页 / 共8页",
    "20xx年上学期，继续开展“三人行”活动。",
    "分三个层次进行培训，上一次专题研讨提出的问题，这是十分重要的。",
    "50岁以下的教师接受远程培训。",
    "每少一学时扣2分，优秀者加3分（10分）。",
    "本学期第4-5周进行教学常规检查。",
    "共有三部分内容，包括一部分案例。",
    "③家园共育：开展亲子活动。⒉本学期教研。",
    "3.1 节能宣传\n2.4 人才培养\n",  # decimal section numbers at a line start
    "组织课例研讨，每月最后一周集中。",
    "接送实行1人1卡，推进1校1品特色建设。",
    "期中考试后3周进行满意度调查，教师提前一周备课。",
]


@pytest.mark.parametrize("text", NOT_TARGETS)
def test_not_targets(text):
    assert [r.text for r in rows_of(text)] == []


def test_placeholder_is_flagged_not_read():
    rows = rows_of("全年培训xx学时，20xx年完成。")
    assert [(r.text, r.value, r.unit, r.flags) for r in rows] == [("xx学时", None, "学时", ["placeholder"])]


def test_total_mismatch():
    ok = "本次共培训268名，其中小学教师100名、初中教师135名、高中教师33名。"
    assert all(r.flags == [] for r in rows_of(ok))
    bad = "本次共培训268名，其中小学教师100名、初中教师135名、高中教师30名。"
    rows = rows_of(bad)
    assert [r.value for r in rows] == [268, 100, 135, 30]
    assert all(r.flags == ["total-mismatch"] for r in rows)
    assert [r.subject for r in rows[1:]] == ["小学教师", "初中教师", "高中教师"]


def test_total_in_parentheses():
    assert all(not r.flags for r in rows_of("组织新教师培训120人（小学60人、初中60人）。"))
    rows = rows_of("5月组织268名（小学100名、初中168名）新教师参加岗位培训。")
    assert [(r.subject, r.deadline, r.flags) for r in rows] == [
        ("新教师", "5月", []),
        ("小学", "5月", []),
        ("初中", "5月", []),
    ]
    rows = rows_of("组织新教师培训120人（小学60人、初中50人），另有校长10人。")
    assert [(r.value, r.flags) for r in rows] == [
        (120, ["total-mismatch"]),
        (60, ["total-mismatch"]),
        (50, ["total-mismatch"]),
        (10, []),
    ]


def test_total_across_a_broken_line():
    # a line broken (even with a blank line) mid-sentence still reads as one sentence
    text = (
        "本学期全园教职工共有教师数量为十七人这一情况说明如下，其中本科学历15人，专科学历1人（目前在\n\n"
        "读），中专学历1人；另聘保育员8人。"
    )
    rows = rows_of(text)
    assert [r.value for r in rows] == [17, 15, 1, 1, 8]
    assert all(not r.flags for r in rows)


TABLE = (
    "三、培训安排\n全年计划培训教师{stated}人次，各项目安排如下：序号项目名称参训对象人数时间"
    "1新教师培训2019年新任教师200上学期2骨干教师研修骨干教师300下学期3全员远程培训全体教师1000全年"
    "合计{total}四、保障措施\n"
)


@pytest.mark.parametrize(
    "stated,total,flags",
    [
        (1500, 1500, []),  # rows, total and the stated figure agree
        (1600, 1500, ["total-mismatch"]),  # the figure before the table is not its total
        (1400, 1400, ["total-mismatch"]),  # the rows add up to 1500, not to the 合计
    ],
)
def test_flattened_table_total(stated, total, flags):
    text = TABLE.format(stated=stated, total=total)
    rows = rows_of(text)
    assert [(r.text, r.value, r.unit) for r in rows] == [(f"{stated}人次", stated, "人次"), (str(total), total, "人次")]
    cell = text.index(f"合计{total}") + 2
    assert (rows[1].start, rows[1].end) == (cell, cell + len(str(total)))
    assert rows[1].flags == flags
    assert rows[0].flags == (flags if stated != total else [])


@pytest.mark.parametrize("total,flags", [(420, []), (520, ["total-mismatch"])])
def test_flattened_table_with_counts_glued_to_months(total, flags):
    # a PDF text layer glues the count cell to the month cell: 1209月 is 120 people, September
    text = (
        "二、项目安排\n序号项目对象人数时间1班主任培训全体班主任1209月2读书沙龙青年教师60全年"
        f"3远程研修全体教师24010月至12月合计{total}三、保障措施\n"
    )
    rows = rows_of(text)
    assert [(r.text, r.unit, r.flags) for r in rows] == [(str(total), "人", flags)]  # 人数 in the header


def test_conflict():
    text = (
        "一、培训要求\n每位教师每学期参加校本培训不少于48学时。\n"
        "二、考核办法\n每位教师每学期参加校本培训不少于40学时，未达到者不予评优。\n"
        "每位教师每学年参加校本培训不少于40学时。\n"
    )
    rows = rows_of(text)
    assert [(r.value, r.per, r.flags) for r in rows] == [
        (48, "每学期", ["conflict"]),
        (40, "每学期", ["conflict"]),
        (40, "每学年", []),
    ]


def test_subject_of_each_listed_item():
    rows = rows_of("培养区级学科带头人3名、教学能手1名，新增骨干教师2名。")
    assert [(r.text, r.subject, r.flags) for r in rows] == [
        ("3名", "区级学科带头人", []),
        ("1名", "教学能手", []),
        ("2名", "骨干教师", []),
    ]


def test_a_part_after_qizhong_keeps_the_frequency_and_subject_of_its_total():
    rows = rows_of("新任教师每学期参加研修不少于40学时，其中跟岗实践不少于16学时。")
    assert [(r.text, r.per, r.subject) for r in rows] == [
        ("40学时", "每学期", "新任教师"),
        ("16学时", "每学期", "新任教师"),
    ]
    # a clause without 其中 is a statement of its own
    rows = rows_of("班主任每学期家访10户，年底召开总结会1次。")
    assert [(r.text, r.per) for r in rows] == [("10户", "每学期"), ("1次", None)]


def test_a_decimal_point_turned_into_a_list_comma_is_read_and_flagged():
    text = "学校按公用经费的2、5%安排培训经费，另投入设备费3、5万元。\n1、50%以上的教师参加市级培训。\n"
    rows = rows_of(text)
    assert [(r.text, r.value, r.unit, r.flags) for r in rows] == [
        ("2、5%", 2.5, "%", ["decimal-comma"]),
        ("3、5万元", 35000, "元", ["decimal-comma"]),
        ("50%以上", 50, "%", []),
    ]  # a list item 1、 at a line start is no decimal
    assert text[rows[0].start : rows[0].end] == "2、5%"
    assert sheets(rows)[1].rows[0][5:7] == ["decimal-comma", flag_meaning("decimal-comma")]


def test_a_target_with_its_own_frequency_takes_no_period_from_another_clause():
    rows = rows_of("全年不发生重大安全事故，每学期组织疏散演练不少于两次，人均安全培训不少于6学时。")
    assert [(r.text, r.per, r.deadline) for r in rows] == [("两次", "每学期", None), ("6学时", "每人", "全年")]
    assert [(r.per, r.deadline) for r in rows_of("本学期每周听课2节。")] == [("每周", "本学期")]


def test_positions_and_words_after_a_quantity_are_not_targets():
    assert rows_of("每月最后一周周五下午开展集体教研。") == []
    assert [(r.text, r.unit) for r in rows_of("全年图书借阅量达到8000册次。")] == [("8000册次", "册次")]
    assert [r.qualifier for r in rows_of("本学期学习5项内容。")] == [None]


def test_a_subject_term_inside_a_longer_word_is_not_the_subject():
    rows = rows_of("每学期评选优秀小学生20名，召开家长会2次，教师节慰问退休教师15名。")
    assert [(r.text, r.subject) for r in rows] == [("20名", "小学生"), ("2次", "家长会"), ("15名", "教师")]


def test_two_targets_of_one_subject_are_no_conflict():
    rows = rows_of("青年教师每学期上汇报课1节。\n青年教师每学期听课20节。\n青年教师每学期听课15节。\n")
    assert [(r.value, r.flags) for r in rows] == [(1, []), (20, ["conflict"]), (15, ["conflict"])]


def test_responsible_from_the_enclosing_item():
    text = "（1）成立读书活动领导小组\n组长：王明\n副组长：张华\n每位教师每学期读书不少于两本。\n"
    from plantext.model import Section

    node = Section(depth=1, marker="（1）", ordinal=1, title="成立读书活动领导小组", kind=None, start=0, end=len(text))
    rows = targets(plan_of(text), nodes=[node])
    assert [(r.text, r.responsible, r.section) for r in rows] == [("两本", "王明", "成立读书活动领导小组")]


@pytest.mark.parametrize(
    "title,deadline",
    [("十一月份", "十一月份"), ("11月份", "11月份"), ("三月二十日前", "三月二十日前"), ("工作安排", None)],
)
def test_deadline_from_the_enclosing_heading(title, deadline):
    from plantext.model import Section

    text = f"{title}：\n组织新教师汇报课12节。\n"
    node = Section(depth=1, marker="", ordinal=1, title=title, kind=None, start=0, end=len(text))
    rows = targets(plan_of(text), nodes=[node])
    assert [(r.text, r.deadline) for r in rows] == [("12节", deadline)]


def test_section_from_outline():
    outline = pytest.importorskip("plantext.outline")
    text = "一、培训目标\n\n1、每位教师每学期培训不少于48学时。\n\n二、保障措施\n\n学校每年安排经费3万元。\n"
    p = plan_of(text)
    rows = targets(p)
    nodes = outline.outline(p)
    assert [r.section for r in rows] == [outline.section_at(nodes, r.start).title for r in rows]
    assert rows[1].section == "保障措施"
    # an item's kind is its own, else that of the nearest heading above it that has one
    assert [r.section_kind for r in rows] == [outline.kind_of("培训目标"), outline.kind_of("保障措施")]
    assert None not in [r.section_kind for r in rows]


# -- seeds -------------------------------------------------------------------------------------


def seed_rows(seed_path, prefix):
    from plantext.ingest import load
    from plantext.split import split

    src = load(str(seed_path(prefix)))
    plans = split(src)
    rows = [r for p in plans for r in targets(p)]
    return src, plans, rows


def places(src, plans, quantity):
    """Every place ``quantity`` is written inside a plan (not glued to a longer number)."""
    out = []
    for m in re.finditer(rf"(?<![\d.]){re.escape(quantity)}", src.text):
        if any(p.start <= m.start() < p.end for p in plans):
            out.append((m.start(), m.end()))
    return out


@pytest.mark.parametrize(
    "prefix,quantities",
    [
        (
            "000",
            [
                "12学时",
                "20学时",
                "30学时",
                "360学时",
                "268名",
                "100名",
                "135名",
                "33名",
                "2100名",
                "300余名",
                "55名",
                "70%",
                "60%",
            ],
        ),
        ("001", ["36学时", "32学时", "16所"]),
        ("002", ["10节", "6节", "50名", "85%", "24学分", "17人", "15人"]),
        ("003", ["8560人次", "120名", "3名", "49名", "42名", "26名", "50%", "60人"]),
        ("004", ["48學時", "20%", "2萬多元"]),
    ],
)
def test_seed_targets_found_where_they_are_written(seed, prefix, quantities):
    src, plans, rows = seed_rows(seed, prefix)
    spans = {(r.start, r.end) for r in rows}
    for q in quantities:
        where = places(src, plans, q)
        assert where, q
        missing = [src.text[max(0, s - 15) : e] for s, e in where if (s, e) not in spans]
        assert not missing, (q, missing)


def test_seed_flattened_table_total_is_checked(seed):
    # seed 003 states a yearly total before a table whose rows and 合计 say otherwise
    src, plans, rows = seed_rows(seed, "003")
    [cell] = places(src, plans, "合计8860")
    total = [r for r in rows if (r.start, r.end) == (cell[0] + 2, cell[1])]
    assert [(r.value, r.unit, r.flags) for r in total] == [(8860, "人次", ["total-mismatch"])]
    stated = [r for r in rows if r.text == "8560人次"]
    assert [r.flags for r in stated] == [["total-mismatch"]]


def test_seed_traditional_units_are_simplified(seed):
    src, plans, rows = seed_rows(seed, "004")
    hours = [r for r in rows if r.text == "48學時"]
    assert len(hours) == 2 and {r.unit for r in hours} == {"学时"}
    assert {r.comparator for r in hours} == {">="}
    assert sorted(r.per for r in hours) == ["每学年", "每学期"]
    money = [r for r in rows if r.text == "2萬多元"]
    assert [(r.value, r.unit, r.qualifier, r.per) for r in money] == [(20000, "元", "多", "每年")]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_no_target_from_page_chrome(seed, prefix):
    src, plans, rows = seed_rows(seed, prefix)
    dropped = [s for s in src.noise if s.drop]
    chrome_line = re.compile(r"精选|实用\d+篇|\d+篇\)|字[數数]\s*\d|文档编号|页数|上传|ICP|相关|下载|阅读|小编")
    for r in rows:
        assert any(p.start <= r.start and r.end <= p.end for p in plans)
        assert not any(s.start < r.end and r.start < s.end for s in dropped), r.text
        line_start = src.text.rfind("\n", 0, r.start) + 1
        line_end = src.text.find("\n", r.end)
        line = src.text[line_start : line_end if line_end >= 0 else None]
        assert not chrome_line.search(line) or len(line) > 80, (r.text, line)


def test_seed_rows_are_spans_of_the_source(seed):
    src, plans, rows = seed_rows(seed, "000")
    assert rows
    for r in rows:
        assert src.text[r.start : r.end] == r.text
        assert r.text in r.sentence and r.sentence in src.text


# -- output ------------------------------------------------------------------------------------

SAMPLE = (
    "一、培训目标\n\n1、每位教师每学期培训学时不少于48学时。\n"
    "2、计划评选骨干教师120名，其中小学50名、初中42名、高中26名。\n"
    "3、全年培训xx学时。\n"
)


def test_cli_jsonl_keys(tmp_path):
    from typer.testing import CliRunner

    from plantext.cli import app

    f = tmp_path / "a.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    res = CliRunner().invoke(app, ["targets", str(f), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(ln) for ln in res.stdout.splitlines()]
    assert list(rows[0])[: len(COLUMNS)] == COLUMNS
    assert [r["value"] for r in rows] == [48, 120, 50, 42, 26, None]
    assert rows[1]["flags"] == ["total-mismatch"] and rows[-1]["flags"] == ["placeholder"]


def test_cli_xlsx_and_csv(tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from plantext.cli import app

    f = tmp_path / "a.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "t.xlsx"
    runner = CliRunner()
    monkeypatch.setenv("PLANTEXT_LANG", "en")  # headers asserted in English below
    res = runner.invoke(app, ["targets", str(f), "-o", str(out)])
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    ws = wb["targets"]  # the staff's sheet (report/targets_table.py); offsets on the "places" sheet
    header = [c.value for c in ws[1]]
    assert "text" in header and "value" in header and "start" not in header
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    vcol = header.index("value") + 1
    assert ws.cell(2, vcol).value == 48 and isinstance(ws.cell(2, vcol).value, (int, float))
    assert wb["places"].cell(2, 5).data_type == "n"
    flags = wb["flags"]
    assert [c.value for c in flags[1]][:6] == ["id", "section", "text", "start", "end", "flag"]
    assert (
        sorted(r[5] for r in flags.iter_rows(min_row=2, values_only=True)) == ["placeholder"] + ["total-mismatch"] * 4
    )
    lines = {(r[2], r[5]): r for r in flags.iter_rows(min_row=2, values_only=True)}
    assert lines[("120名", "total-mismatch")][6:8] == (flag_meaning("total-mismatch"), "120名、50名、42名、26名")
    # never overwritten without --force
    before = out.read_bytes()
    res = runner.invoke(app, ["targets", str(f), "-o", str(out)])
    assert res.exit_code != 0 and "already exists" in res.output
    assert out.read_bytes() == before
    assert runner.invoke(app, ["targets", str(f), "-o", str(out), "--force"]).exit_code == 0
    csv = tmp_path / "t.csv"
    assert runner.invoke(app, ["targets", str(f), "-o", str(csv)]).exit_code == 0
    data = csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,source,plan,section,sentence,text,start,end,value")
    assert "每位教师" in data.decode("utf-8-sig")


def test_cli_bad_file_goes_on(tmp_path):
    from typer.testing import CliRunner

    from plantext.cli import app

    f = tmp_path / "a.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    res = CliRunner().invoke(app, ["targets", str(tmp_path / "missing.txt"), str(f), "-f", "jsonl"])
    assert res.exit_code == 1
    assert len(res.stdout.splitlines()) == 6


def test_run_writes_the_target_spreadsheets(tmp_path):
    from openpyxl import load_workbook

    from plantext.pipeline import Artifacts, outline_all, read, targets_all
    from plantext.report.run_files import write_targets

    f = tmp_path / "a.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    art = Artifacts(read([str(f)]))
    art.targets = targets_all(art.plans, outline_all(art.plans))
    assert write_targets(tmp_path, art) == ["targets.xlsx", "targets.csv"]
    rows = rows_of(SAMPLE)
    csv_text = (tmp_path / "targets.csv").read_bytes()
    assert csv_text.startswith(b"\xef\xbb\xbf")
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[: len(COLUMNS)] == COLUMNS and len(lines) == len(rows) + 1
    ws = load_workbook(tmp_path / "targets.xlsx").worksheets[0]  # the staff's sheet (report/targets_table.py)
    head = [c.value for c in ws[1]]
    col = head.index(tr("targets.col.text")) + 1
    texts = [ws.cell(row=i, column=col).value for i in range(2, ws.max_row + 1)]
    assert texts == [t.text for t in rows]


def test_sheets_have_every_row():
    rows = rows_of(SAMPLE)
    t, f = sheets(rows)
    assert len(t.rows) == len(rows) and t.columns[: len(COLUMNS)] == COLUMNS
    assert len(f.rows) == sum(len(r.flags) for r in rows)
