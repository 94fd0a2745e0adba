"""Heading outlines: exact trees of sample plans in every marker style and of seed plans."""

import json
import re
from pathlib import Path

import pytest
from conftest import seed_path
from typer.testing import CliRunner

import plantext
from plantext.clean import clean
from plantext.model import Part, Plan, Source, Span
from plantext.outline import kind_of, outline, parse_ordinal, section_at

DATA = Path(__file__).parent / "data" / "outline"


def whole(name_or_text: str, path: str = "sample.txt", **kw) -> Plan:
    """The whole text as one plan (independent of how split() cuts samples)."""
    text = (DATA / name_or_text).read_text("utf-8") if name_or_text.endswith(".txt") else name_or_text
    src = clean(Source(path=path, text=text, format="txt", **kw))
    return Plan(id=path, source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))


def tree(nodes):
    return [(n.depth, n.marker, n.ordinal, n.title, n.kind) for n in nodes]


def check_spans(plan: Plan, nodes) -> None:
    """The span rules every outline obeys."""
    text = plan.source.text
    for i, n in enumerate(nodes):
        assert text[n.start : n.end].startswith(n.marker), (i, n)
        assert plan.start <= n.start < n.end <= plan.end
        later = [m for m in nodes[i + 1 :] if m.depth <= n.depth]
        assert n.end == (later[0].start if later else plan.end)
        if n.parent is None:
            assert n.depth == 1
        else:
            p = nodes[n.parent]
            assert p.depth == n.depth - 1 and p.start < n.start and n.end <= p.end
        if n.title_start >= 0:
            assert n.start <= n.title_start < n.title_end <= n.end
        assert section_at(nodes, n.start) is n


def test_gbt9704_styles():
    plan = whole("gbt9704.txt")
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "指导思想", "指导思想"),
        (1, "二、", 2, "培训目标", "工作目标"),
        (2, "（一）", 1, "师德目标", "工作目标"),
        (2, "（二）", 2, "能力目标", "工作目标"),
        (3, "1.", 1, "新任教师一年内能独立上好常态课", None),
        (3, "2.", 2, "骨干教师每学期至少上一节示范课", None),
        (4, "（1）", 1, "语文组承担2节", None),
        (4, "（2）", 2, "数学组承担2节", None),
        (3, "3.", 3, "青年教师参加基本功竞赛", None),
        (1, "三、", 3, "培训内容", "培训内容"),
        (2, "（一）", 1, "师德师风专题学习", None),
        (2, "（二）", 2, "信息技术应用能力提升", None),
        (1, "四、", 4, "保障措施", "保障措施"),
    ]
    text = plan.source.text
    n = nodes[3]
    assert text[n.start : n.end] == (
        "（二）能力目标\n1.新任教师一年内能独立上好常态课。\n2.骨干教师每学期至少上一节示范课。\n"
        "（1）语文组承担2节；\n（2）数学组承担2节。\n3.青年教师参加基本功竞赛。\n\n"
    )
    assert (n.start, n.end) == (text.index("（二）能力目标"), text.index("三、培训内容"))
    assert nodes[-1].end == len(text)
    assert [n.parent for n in nodes] == [None, None, 1, 1, 3, 3, 5, 5, 3, None, 9, 9, None]
    check_spans(plan, nodes)


def test_mixed_brackets_letters_and_circled_numbers():
    plan = whole("mixed.txt")
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "1、", 1, "工作重点", "主要任务"),
        (2, "(1)", 1, "开展园本教研，每月一次主题研讨", None),
        (2, "(2)", 2, "组织青年教师半日活动观摩", None),
        (3, "①", 1, "小班组", None),
        (3, "②", 2, "中班组", None),
        (3, "③", 3, "大班组", None),
        (2, "(3)", 3, "完善教研档案", None),
        (1, "2、", 2, "具体措施", "具体措施"),
        (2, "a、", 1, '落实"一课三研"制度，每位教师每学期完成一轮', None),
        (2, "b、", 2, "建立师徒结对，新教师每周听课不少于2节", None),
        (1, "3、", 3, "考核评价", "考核评价"),
        # full- and half-width brackets are one style; "3)" continues "(2)" as a sibling
        (2, "（1）", 1, "教研出勤纳入年度考核", None),
        (2, "(2)", 2, "优秀案例在全园推广", None),
        (2, "3)", 3, "考核结果与评优挂钩", None),
    ]
    text = plan.source.text
    assert text[nodes[3].start : nodes[3].end] == "①小班组：生活环节观摩；\n  "
    check_spans(plan, nodes)


def test_full_width_digits_letters_and_yishi_items():
    plan = whole("styles2.txt")
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "培训对象", "培训对象"),
        (1, "二、", 2, "培训内容", "培训内容"),
        (2, "(一)、", 1, "班级管理", None),
        (3, "一是", 1, "班级常规建设", None),
        (3, "二是", 2, "班级文化布置", None),
        (2, "（二）、", 2, "家校沟通", None),
        (3, "１．", 1, "家长会的组织", None),
        (3, "２．", 2, "家访的方法", None),
        (1, "三、", 3, "考核办法", "考核评价"),
        (2, "A.", 1, "培训出勤占40%", None),
        (2, "B.", 2, "培训作业占60%", None),
        # ⒈ reads as "1." after NFKC: a style not on the stack, so it nests under B.
        (3, "⒈", 1, "成绩合格者计入继续教育学时", None),
        (3, "⒉", 2, "不合格者参加补训", None),
    ]
    check_spans(plan, nodes)


def test_first_second_enumerations():
    text = (
        "二、具体措施\n第一，加强学习。组织教师每月集中学习一次。第二，以研促教。"
        "第一、二批骨干教师结对帮扶。\n第三，严格考核。\n"
    )
    nodes = outline(whole(text))
    assert [(n.depth, n.marker, n.ordinal, n.title) for n in nodes] == [
        (1, "二、", 2, "具体措施"),
        (2, "第一，", 1, "加强学习"),
        (2, "第二，", 2, "以研促教"),
        (2, "第三，", 3, "严格考核"),
    ]


def test_chapters_and_articles_numbered_through():
    plan = whole("chapters.txt")
    nodes = outline(plan)
    assert [(n.depth, n.marker, n.ordinal) for n in nodes] == [
        (1, "第一章", 1),
        (2, "第一条", 1),
        (2, "第二条", 2),
        (1, "第二章", 2),
        (2, "第三条", 3),
        (2, "第四条", 4),
        (1, "第三章", 3),
        (2, "第五条", 5),
    ]
    assert [n.title for n in nodes if n.depth == 1] == ["总则", "组织管理", "考核"]
    assert nodes[1].title == "为规范全县中小学教师继续教育工作"  # first clause of a long article
    assert [n.kind for n in nodes if n.depth == 1] == [None, "组织领导", "考核评价"]
    check_spans(plan, nodes)


def test_month_headings():
    plan = whole("calendar.txt")
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "二月份", 2, "二月份", "时间安排"),
        (2, "1、", 1, "开学工作检查，收齐各科教学计划", None),
        (2, "2、", 2, "召开教研组长会议", None),
        (1, "三月份", 3, "三月份", "时间安排"),
        (2, "1、", 1, "开展推门听课活动", None),
        (2, "2、", 2, "青年教师汇报课", None),
        (1, "四、五月份", 4, "四、五月份", "时间安排"),  # not the heading "四、"
        (2, "1、", 1, "期中质量检测与分析", None),
        (1, "七、八月份", 7, "七、八月份", "时间安排"),
    ]
    check_spans(plan, nodes)


def test_bracketed_headings_whose_title_opens_with_a_month():
    # （二）九月份工作 is a heading, not a list of months like 1、2、3月
    text = (
        "学校后勤工作安排\n（一）开学准备工作\n1、清点教室课桌椅。\n2、发放新学期课本。\n"
        "（二）、九月份工作\n1、完成收费公示。\n2、办理借书卡。\n"
        "（三）十月份工作安排\n1、检查食堂卫生。\n另外，1、2月份的工作另行安排。\n"
    )
    plan = whole(text)
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "（一）", 1, "开学准备工作", None),
        (2, "1、", 1, "清点教室课桌椅", None),
        (2, "2、", 2, "发放新学期课本", None),
        (1, "（二）、", 2, "九月份工作", "时间安排"),
        (2, "1、", 1, "完成收费公示", None),
        (2, "2、", 2, "办理借书卡", None),
        (1, "（三）", 3, "十月份工作安排", "时间安排"),
        (2, "1、", 1, "检查食堂卫生", None),
    ]
    check_spans(plan, nodes)


def test_flattened_noun_headings_end_where_a_verb_with_its_object_opens_the_body():
    text = (
        "学校工作要点 一、总体目标全面提升教师队伍素质。二、重点项目1、班主任队伍建设组织全体班主任参加"
        "市级专题培训。2、青年教师成长计划遴选青年教师20名结对培养。3、新教师入职培训对新招聘教师开展"
        "岗前培训。4、骨干教师能力提升选派骨干教师赴外地跟岗学习。三、保障措施学校统筹安排经费。\n"
    )
    plan = whole(text)
    nodes = outline(plan)
    assert [(n.depth, n.marker, n.title) for n in nodes] == [
        (1, "一、", "总体目标"),
        (1, "二、", "重点项目"),
        (2, "1、", "班主任队伍建设"),
        (2, "2、", "青年教师成长计划"),
        (2, "3、", "新教师入职培训"),
        (2, "4、", "骨干教师能力提升"),
        (1, "三、", "保障措施"),
    ]
    check_spans(plan, nodes)


def test_a_list_of_other_numerals_after_a_marker_and_circled_markers_before_digits():
    text = (
        "一、工作目标\n1.行为规范达标率达到95%以上。\n2.一、二年级开展习惯养成教育，三至六年级开展责任教育。\n"
        "二、主题活动\n①3月：学雷锋活动月。\n②4月：清明祭英烈。\n③5月：劳动实践周。\n"
        "三、进度安排\n1、2、3月为准备阶段，一、二年级先行。\n"
    )
    plan = whole(text)
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "工作目标", "工作目标"),
        (2, "1.", 1, "行为规范达标率达到95%以上", None),
        (2, "2.", 2, "一、二年级开展习惯养成教育，三至六年级开展责任教育", None),
        (1, "二、", 2, "主题活动", None),
        (2, "①", 1, "3月", "时间安排"),
        (2, "②", 2, "4月", "时间安排"),
        (2, "③", 3, "5月", "时间安排"),
        (1, "三、", 3, "进度安排", "时间安排"),
    ]
    check_spans(plan, nodes)


def test_a_flattened_table_does_not_run_into_its_heading_title():
    text = (
        "一、活动安排序号活动名称参加人员次数1读书沙龙全体教师42课例研讨青年教师6\n"
        "二、责任分工\n教务处负责组织，各教研组长具体落实。\n"
    )
    nodes = outline(whole(text))
    assert [(n.marker, n.title, n.kind) for n in nodes] == [
        ("一、", "活动安排", "时间安排"),
        ("二、", "责任分工", "组织领导"),
    ]
    assert text[nodes[0].title_start : nodes[0].title_end] == "活动安排"


def test_week_headings_and_numbered_items_with_bodies():
    text = "行事历\n第1周：开学准备。\n第2周：\n1、教研组长会议。\n2、制定计划。\n第3—4周：推门听课。\n"
    nodes = outline(whole(text))
    assert tree(nodes) == [
        (1, "第1周", 1, "第1周", "时间安排"),
        (1, "第2周", 2, "第2周", "时间安排"),
        (2, "1、", 1, "教研组长会议", None),
        (2, "2、", 2, "制定计划", None),
        (1, "第3—4周", 3, "第3—4周", "时间安排"),
    ]


def test_flattened_text_headings_run_into_their_body():
    plan = whole("flattened.txt")
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "指导思想", "指导思想"),
        (1, "二、", 2, "工作目标", "工作目标"),
        (2, "1、", 1, "完成全员培训任务", None),
        (2, "2、", 2, "培育区级骨干教师150名，组建学科名师工作室10个", None),
        (1, "三、", 3, "重点工作", "主要任务"),
        (1, "四、", 4, "保障措施", "保障措施"),  # glued to "合计1200"
        (2, "1、", 1, "落实培训经费", "经费保障"),
        (2, "2、", 2, "加强督查，将培训情况纳入年度考核", None),
    ]
    text = plan.source.text
    assert text[nodes[0].title_start : nodes[0].title_end] == "指导思想"
    # 1.5% and 1.5万 are not headings
    assert all(n.marker not in ("1.", "5%") for n in nodes)
    check_spans(plan, nodes)


def test_page_chunk_numbers_of_sharing_sites_are_not_headings():
    plan = whole("chunks.txt")
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "指导思想", "指导思想"),
        (1, "二、", 2, "培训任务", "主要任务"),
        (2, "1、", 1, "完成新任教师岗前培训，共80人，集中培训不少于120学时", None),
        (2, "2、", 2, "组织农村教师参加远程研修", None),
        (1, "三、", 3, "组织领导", "组织领导"),
    ]
    check_spans(plan, nodes)


def test_items_after_long_unpunctuated_lines_are_kept():
    # wrapped or unpunctuated items are not page chunks: they do not run on mid-sentence
    text = "二、主要措施\n" + "".join(
        f"{i}、围绕课堂教学改革组织全体教师开展第{i}轮专题研讨活动并在学期末形成可推广的经验成果\n" for i in range(1, 5)
    )
    nodes = outline(whole(text))
    assert [n.marker for n in nodes] == ["二、", "1、", "2、", "3、", "4、"]


def test_items_named_by_their_first_sentence_and_number_lists():
    plan = whole("items.txt")
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "主要措施", "具体措施"),
        (2, "1、", 1, "加强学习，统一思想，提高认识", None),
        (2, "2、", 2, "师徒结对，以老带新", None),
        (2, "3、", 3, "2016、2017、2018年入职的教师", None),  # cut at 20 characters
        (2, "4、", 4, "搭建平台，促进成长", None),
        (1, "二、", 2, "时间安排", "时间安排"),  # "1、2、3月" below it is a number list
    ]
    check_spans(plan, nodes)


def test_traditional_script_half_width_punctuation():
    plan = whole("traditional.txt")
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "指导思想", "指导思想"),
        (1, "二、", 2, "研修内容", "培训内容"),
        (2, "⑴", 1, "课程标准解读", None),
        (2, "⑵", 2, "单元整体教学设计", None),
        (1, "三、", 3, "研修形式", "培训形式"),
        (2, "1.1", 1, "专题讲座", None),
        (2, "1.2", 2, "课例研讨", None),
        (1, "四、", 4, "组织领导", "组织领导"),
    ]
    text = plan.source.text
    # titles are simplified; their spans point at the traditional source
    assert text[nodes[0].title_start : nodes[0].title_end] == "指導思想"
    assert text[nodes[7].title_start : nodes[7].title_end] == "組織領導"
    check_spans(plan, nodes)


def test_flattened_item_titles_end_where_the_body_opens():
    text = (
        "东山镇2023年教研工作要点\n一、工作要点1、深化课堂教学改革为落实新课标要求，各校开展研讨。"
        "2、组织青年教师参加基本功大赛全镇统一评比，择优推荐。3、加强教研组建设各校每周活动一次。"
        "4、青年教师成长档案由教导处统一建立。二、保障措施1、落实经费镇中心校统筹安排。"
    )
    nodes = outline(whole(text))
    assert tree(nodes) == [
        (1, "一、", 1, "工作要点", "主要任务"),
        (2, "1、", 1, "深化课堂教学改革", None),  # 为 (a preposition) opens the body
        (2, "2、", 2, "组织青年教师参加基本功大赛", None),  # 组织 X 参加 Y stays whole
        (2, "3、", 3, "加强教研组建设", None),  # 各校 opens the body
        (2, "4、", 4, "青年教师成长档案", None),  # a noun phrase: 由 opens the body
        (1, "二、", 2, "保障措施", "保障措施"),
        (2, "1、", 1, "落实经费", "经费保障"),
    ]
    # the same items on lines of their own keep their first sentence
    laid_out = re.sub(r"([1-4二]、)", r"\n\1", text)
    assert [n.title for n in outline(whole(laid_out))][1] == "深化课堂教学改革为落实新课标要求，各校开展研讨"


def test_page_residue_is_not_a_heading():
    text = "一、工作目标\n全体教师完成培训\n- 3 -\n任务。\n二、主要措施\n1、集中学习。\n"
    src = Source(path="p.txt", text=text, format="txt")
    src.cleaned = True
    r = text.index("\n- 3 -") + 1
    src.noise = [Span(r, r + 6, "page-residue", drop=True)]
    plan = Plan(id="p", source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))
    nodes = outline(plan)
    assert [(n.depth, n.marker, n.title) for n in nodes] == [
        (1, "一、", "工作目标"),
        (1, "二、", "主要措施"),
        (2, "1、", "集中学习"),
    ]
    check_spans(plan, nodes)


def test_numbers_inside_sentences_years_and_decimals_are_not_headings():
    text = (
        "一、工作目标\n培训覆盖1、2、3年级全体教师，人均经费1.5万元。\n"
        "2019、2020、2021年连续三年开展送教下乡。\n1.5万元用于购置图书。\n一、二年级教师参加观摩。\n"
        "3.15前完成报名。\n9.30 国庆节前总结。\n"
        "二、主要措施\n"
    )
    nodes = outline(whole(text))
    assert [(n.depth, n.marker, n.title) for n in nodes] == [(1, "一、", "工作目标"), (1, "二、", "主要措施")]


def test_run_in_markers_must_continue_their_sequence():
    # "3、" after a sentence end does not continue anything under 一 (a new list starts at 1)
    text = "一、工作要点\n本学期重点抓好三件事。3、4月完成调研。第二，做好总结。\n二、保障措施\n"
    nodes = outline(whole(text))
    assert [n.marker for n in nodes] == ["一、", "二、"]


def test_docx_heading_hint_breaks_a_tie():
    text = "一、培训目标\n3、提高教师信息技术应用能力。\n"
    bare = outline(whole(text))
    # a line-start item starting at 3 (items deleted by a template site) is kept either way
    assert [n.marker for n in bare] == ["一、", "3、"]
    text = "一、培训目标。二、培训内容及形式\n"
    hinted = whole(
        text, parts=[Part(0, 7, "paragraph", 0, "Heading 1", 1), Part(7, len(text), "paragraph", 1, "Heading 1", 1)]
    )
    assert [n.marker for n in outline(hinted)] == ["一、", "二、"]


def test_docx_heading_levels_agree_with_the_outline():
    src = plantext.load(str(Path(__file__).parent / "data" / "formats" / "plan.docx"))
    plan = plantext.split(src)[0]
    nodes = outline(plan)
    levels = {p.start: p.level for p in src.parts if p.level}
    assert len(levels) >= 6
    assert all(n.depth == levels[n.start] for n in nodes if n.start in levels)
    assert {n.start for n in nodes} >= set(levels)
    assert [n.kind for n in nodes if n.depth == 1] == ["培训对象", "工作目标", "时间安排", "保障措施"]
    check_spans(plan, nodes)


def test_no_headings_and_the_plan_title_line():
    assert outline(whole("")) == []
    assert outline(whole("本学期继续开展校本研修，每月一次。\n做好总结。")) == []
    text = "1、 东城小学教研计划\n一、指导思想\n立足课堂。\n二、工作目标\n"
    plan = whole(text)
    assert [n.marker for n in outline(plan)] == ["1、", "一、", "二、"]
    plan.title_start, plan.title_end = 0, text.index("\n")
    assert [(n.depth, n.marker) for n in outline(plan)] == [(1, "一、"), (1, "二、")]


def test_section_at_finds_the_deepest_node():
    plan = whole("gbt9704.txt")
    nodes = outline(plan)
    text = plan.source.text
    assert section_at(nodes, text.index("数学组")).marker == "（2）"
    assert section_at(nodes, text.index("3.青年")).title == "青年教师参加基本功竞赛"
    assert section_at(nodes, text.index("校长任组长")).kind == "保障措施"
    assert section_at(nodes, 0) is None
    assert section_at([], 5) is None


def test_kind_of_synonyms_traditional_and_containment():
    assert kind_of("指导思想") == "指导思想"
    assert kind_of("指導思想") == "指导思想"
    assert kind_of("工作重点") == "主要任务"
    assert kind_of("行事历") == "时间安排"
    assert kind_of("校本培训的主要内容") == "培训内容"
    assert kind_of("組織與領導") == "组织领导"
    assert kind_of("20xx年3-4月") == "时间安排"
    assert kind_of("九月份：") == "时间安排"
    assert kind_of("加强学习，统一思想，提高认识") is None
    # a long item title that merely mentions a kind word is not that section
    assert kind_of("成立学校大练教学基本功活动领导小组") is None
    assert kind_of("") is None


def test_ordinals():
    # Chinese and Arabic numerals come from plantext.numerals.parse_number (one parser)
    assert [parse_ordinal(s) for s in ("一", "十", "十二", "二十", "九十九", "一百零一", "两", "１２")] == [
        1,
        10,
        12,
        20,
        99,
        101,
        2,
        12,
    ]
    assert [parse_ordinal(s) for s in ("7", "⑤", "⑿", "❸", "c", "C", "十一")] == [7, 5, 12, 3, 3, 3, 11]


# -- seeds ----------------------------------------------------------------------------------


def seed_plan(prefix: str, title_part: str) -> Plan:
    src = plantext.load(str(seed_path(prefix)))
    plans = [p for p in plantext.split(src) if title_part in p.title]
    assert plans, f"no plan titled *{title_part}* in seed {prefix}"
    return plans[0]


def test_seed_000_first_plan():
    plan = seed_plan("000", "篇1")
    nodes = outline(plan)
    top = [(n.marker, n.title, n.kind) for n in nodes if n.depth == 1]
    assert top == [("一、", "指导思想", "指导思想"), ("二、", "工作安排", "时间安排"), ("三、", "常规工作", "主要任务")]
    two = [n for n in nodes if n.depth == 2 and n.parent == 1]
    assert [(n.marker, n.title, n.kind) for n in two] == [
        ("(一)、", "当前工作", "主要任务"),
        ("(二)、", "重点工作", "主要任务"),
    ]
    key = nodes.index(two[1])
    items = [n for n in nodes if n.parent == key]
    assert [(n.marker, n.title) for n in items] == [
        ("1、", "文本培训"),
        ("2、", "校本培训"),
        ("3、", "骨干教师工作"),
        ("4、", "“每人一绝”大练教学基本功活动"),
        ("5、", "专业技术人员公共知识培训"),
    ]
    school = nodes.index(items[1])
    letters = [n for n in nodes if n.parent == school]
    assert [(n.depth, n.marker, n.ordinal, n.title, n.kind) for n in letters] == [
        (4, "a、", 1, "校级培训形式", "培训形式"),
        (4, "b、", 2, "教研组培训形式", "培训形式"),
        (4, "c、", 3, "个人自学主要包括", None),
    ]
    under_a = [n for n in nodes if n.parent == nodes.index(letters[0])]
    assert [(n.depth, n.marker, n.ordinal) for n in under_a] == [(5, "(1)", 1), (5, "(2)", 2), (5, "3)", 3)]
    first = nodes[[n.marker for n in nodes].index("1、")]
    assert first.title == "进一步研读"  # cut before the book title it cannot hold whole
    assert len(nodes) == 34
    check_spans(plan, nodes)


def test_seed_004_traditional():
    plan = seed_plan("004", "校本培訓")
    nodes = outline(plan)
    top = [(n.marker, n.title, n.kind) for n in nodes if n.depth == 1]
    assert top == [
        ("一、", "指导思想", "指导思想"),
        ("二、", "培训目标", "工作目标"),
        ("三、", "校本培训的主要内容", "培训内容"),
        ("四、", "培训方式", "培训形式"),
        ("五、", "校本培训管理办法", "考核评价"),
        ("六、", "校本培训的保障措施", "保障措施"),
    ]
    text = plan.source.text
    assert text[nodes[0].title_start : nodes[0].title_end] == "指導思想"
    counts = [sum(1 for m in nodes if m.parent == i) for i, n in enumerate(nodes) if n.depth == 1]
    assert counts == [0, 7, 7, 6, 4, 5]
    assess = [n for n in nodes if n.depth == 3]
    assert [n.marker for n in assess] == [f"({i})" for i in range(1, 8)]
    assert nodes[assess[0].parent].title == "建立健全校本培训考核制度"
    assert [n.marker for n in nodes if n.depth == 2 and nodes[n.parent].ordinal == 6] == [
        "(一)",
        "(二)",
        "(三)",
        "(四)",
        "(五)",
    ]
    check_spans(plan, nodes)


def test_seed_003_flattened_document_sharing_site():
    plan = seed_plan("003", "师训工作计划")
    nodes = outline(plan)
    top = [(n.marker, n.ordinal, n.kind) for n in nodes if n.depth == 1]
    assert top == [("一、", 1, "指导思想"), ("二、", 2, "主要任务"), ("三、", 3, "时间安排"), ("四、", 4, "保障措施")]
    assert [n.title for n in nodes if n.depth == 1] == ["指导思想", "工作要点", "主要培训项目和计划安排", "保障措施"]
    kids = {n.ordinal: [m.ordinal for m in nodes if m.parent == i] for i, n in enumerate(nodes) if n.depth == 1}
    assert kids == {1: [], 2: list(range(1, 9)), 3: [], 4: list(range(1, 8))}
    assert all(n.depth <= 2 for n in nodes)
    items = {(nodes[n.parent].ordinal, n.ordinal): n.title for n in nodes if n.depth == 2}
    # headings run into their bodies: the heading phrase ends where the body opens
    assert items[(2, 4)] == "创造性地开展初中数学骨干教师培训"
    assert items[(2, 8)] == "扎实做好教师培训学分登记工作"
    assert items[(4, 1)] == "加强对师训工作的领导"
    assert items[(4, 6)] == "实施名师工程"
    text = plan.source.text
    # the page-chunk numbers at line starts are not headings; the items run in after 。
    for n in nodes:
        if n.depth == 2:
            assert text[n.start - 1] == "。" or text[n.start - 4 : n.start] in ("工作要点", "保障措施")
    check_spans(plan, nodes)


def test_seed_002_calendar_under_numbered_items():
    plan = seed_plan("002", "篇二")
    nodes = outline(plan)
    months = [n for n in nodes if n.kind == "时间安排"]
    assert [(n.depth, n.title) for n in months] == [
        (1, "二月份"),
        (1, "三月份"),
        (1, "四月份"),
        (1, "五月份"),
        (1, "六月份"),
        (1, "七、八月份"),
    ]
    assert [m.ordinal for m in months] == [2, 3, 4, 5, 6, 7]
    march = [n for n in nodes if n.parent == nodes.index(months[1])]
    assert [n.ordinal for n in march] == list(range(1, 15)) and all(n.depth == 2 for n in march)
    check_spans(plan, nodes)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.txt")))
def test_every_sample_obeys_the_span_rules_as_split_reads_it(name):
    src = plantext.load(str(DATA / name))
    for plan in plantext.split(src):
        nodes = outline(plan)
        assert nodes
        check_spans(plan, nodes)


def test_every_seed_plan_obeys_the_span_rules():
    for prefix in ("000", "001", "002", "003", "004"):
        src = plantext.load(str(seed_path(prefix)))
        for plan in plantext.split(src):
            check_spans(plan, outline(plan))


# -- command line and run stage ---------------------------------------------------------------


def test_outline_command_json_tree_md(tmp_path):
    from plantext.cli import app

    r = CliRunner().invoke(app, ["outline", str(DATA / "gbt9704.txt"), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert list(rows[0]) == ["id", "source", "plan", "title", "nodes"]
    assert list(rows[0]["nodes"][0]) == ["depth", "marker", "ordinal", "title", "kind", "start", "end"]
    assert rows[0]["nodes"][1]["title"] == "培训目标"
    r = CliRunner().invoke(app, ["outline", str(DATA / "gbt9704.txt"), "--format", "tree"])
    assert "    （二） 能力目标  [工作目标]" in r.stdout
    r = CliRunner().invoke(app, ["outline", str(DATA / "gbt9704.txt"), "--format", "md"])
    assert "### （二） 能力目标 *(工作目标)*" in r.stdout
    r = CliRunner().invoke(app, ["outline", str(DATA / "gbt9704.txt"), "--format", "xml"])
    assert r.exit_code == 2 and "--format" in r.stderr


def test_outline_command_batch_goes_on_and_never_overwrites(tmp_path):
    from plantext.cli import app

    out = tmp_path / "o.json"
    out.write_text("keep")
    r = CliRunner().invoke(
        app, ["outline", str(DATA / "mixed.txt"), str(tmp_path / "missing.txt"), "-f", "json", "-o", str(out)]
    )
    assert r.exit_code == 1
    assert "missing.txt" in r.stderr and out.read_text() == "keep"
    r = CliRunner().invoke(app, ["outline", str(DATA / "mixed.txt"), "-f", "json", "-o", str(out), "--force"])
    assert r.exit_code == 0 and json.loads(out.read_text())[0]["nodes"][0]["title"] == "工作重点"


def test_run_writes_outline_json(tmp_path):
    from plantext.pipeline import Artifacts, outline_all, read
    from plantext.report.run_files import write_outline

    art = Artifacts(read([str(DATA / "traditional.txt"), str(DATA / "mixed.txt")]))
    art.outlines = outline_all(art.plans)
    assert write_outline(tmp_path, art) == ["outline.json"]
    rows = json.loads((tmp_path / "outline.json").read_text("utf-8"))
    assert [r["id"] for r in rows] == [p.id for p in art.plans]
    assert [r["nodes"][0]["title"] for r in rows] == ["指导思想", "工作重点"]
    assert rows[0]["nodes"] == [n.to_dict() for n in art.outlines[art.plans[0].id]]
    assert art.outlines[art.plans[0].id][0].kind == "指导思想"


# -- real-document layouts (#15): contents, options, inline enumerations, dated items, appendices


def test_table_of_contents_lines_are_not_headings():
    text = (
        "社团活动实施方案\n目  录\n一、活动目标\t1\n二、活动安排\t2\n（一）报名阶段\t2\n三、保障措施\t3\n"
        "一、活动目标\n丰富校园生活。\n二、活动安排\n（一）报名阶段\n九月中旬完成报名。\n三、保障措施\n"
        "经费由学校统筹。\n"
    )
    plan = whole(text)
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "活动目标", "工作目标"),
        (1, "二、", 2, "活动安排", "时间安排"),
        (2, "（一）", 1, "报名阶段", None),
        (1, "三、", 3, "保障措施", "保障措施"),
    ]
    assert nodes[0].start == text.index("一、活动目标\n丰富")
    check_spans(plan, nodes)


def test_dot_leader_contents_without_a_contents_heading():
    text = (
        "一、总体要求……………………1\n二、重点任务······················4\n"
        "一、总体要求\n坚持育人为本。\n二、重点任务\n推进课堂改革。\n"
    )
    nodes = outline(whole(text))
    assert [(n.marker, n.title, n.start) for n in nodes] == [
        ("一、", "总体要求", text.index("一、总体要求\n")),
        ("二、", "重点任务", text.index("二、重点任务\n")),
    ]


def test_contents_without_page_numbers_are_not_headings():
    # a document-sharing page's 文档简介: the outline listed line by line, then the text itself
    listing = (
        "一、建设背景\n（一）政策要求\n（二）学校现状\n二、建设目标\n（一）总体目标\n（二）阶段目标\n三、保障措施\n"
    )
    body = (
        "一、建设背景\n（一）政策要求\n上级文件要求各校完善章程。\n（二）学校现状\n我校章程制定于十年前。\n"
        "二、建设目标\n（一）总体目标\n年内完成修订。\n（二）阶段目标\n三月完成初稿。\n三、保障措施\n成立工作小组。\n"
    )
    text = listing + body
    nodes = outline(whole(text))
    assert [(n.depth, n.marker, n.title) for n in nodes] == [
        (1, "一、", "建设背景"),
        (2, "（一）", "政策要求"),
        (2, "（二）", "学校现状"),
        (1, "二、", "建设目标"),
        (2, "（一）", "总体目标"),
        (2, "（二）", "阶段目标"),
        (1, "三、", "保障措施"),
    ]
    assert nodes[0].start == len(listing)
    # a run of short numbered lines that never comes back is a list of items, kept
    items = "各年级要做到：\n1.按时到校\n2.穿校服\n3.佩戴校徽\n4.带齐学具\n5.课间文明\n6.放学离校\n学校将定期检查，确保落实。\n"
    assert [n.title for n in outline(whole(items))] == [
        "按时到校",
        "穿校服",
        "佩戴校徽",
        "带齐学具",
        "课间文明",
        "放学离校",
    ]


def test_questionnaire_options_are_not_headings():
    text = (
        "家长满意度调查\n一、基本情况\n1.您的孩子在几年级？\nA.一年级\nB.二年级\nC.三年级\n"
        "2.您对课后服务是否满意（  ）\nA.满意 B.基本满意 C.不满意\n二、意见建议\n请写下您的建议。\n"
    )
    nodes = outline(whole(text))
    assert tree(nodes) == [
        (1, "一、", 1, "基本情况", "现状分析"),
        (2, "1.", 1, "您的孩子在几年级", None),
        (2, "2.", 2, "您对课后服务是否满意（  ）", None),
        (1, "二、", 2, "意见建议", None),
    ]


def test_lettered_items_that_are_not_options_stay():
    # lettered sub-items with sentences under a heading (not a question) remain headings
    text = "一、工作措施\nA.完善制度，每月检查一次教案。\nB.开展评课活动，人人参与。\n"
    nodes = outline(whole(text))
    assert [(n.depth, n.marker) for n in nodes] == [(1, "一、"), (2, "A."), (2, "B.")]


def test_inline_enumerations_are_not_headings():
    text = (
        "一、加强安全管理\n落实门卫制度。一是严格来访登记，二是加强夜间巡查。三是定期演练。\n"
        "二、做好家校沟通\n本学期重点做好三件事：①开好家长会；②建好班级群；③做好家访。\n"
        "①每月一次家长开放日\n②每学期一次家访\n"
    )
    nodes = outline(whole(text))
    assert tree(nodes) == [
        (1, "一、", 1, "加强安全管理", None),
        (1, "二、", 2, "做好家校沟通", None),
        (2, "①", 1, "每月一次家长开放日", None),
        (2, "②", 2, "每学期一次家访", None),
    ]


def test_numbered_items_that_open_with_a_date_are_items():
    text = (
        "三、时间安排\n1、7月8日-7月14日：集中培训，完成30学时。\n2、7月15日前提交研修总结。\n"
        "四、发展目标\n1.2023年完成校本课程开发。\n2.2024年建成市级示范校。\n3.到2025年骨干教师达到40人。\n"
        "五、进度\n1、2、3月为准备阶段。\n"
    )
    nodes = outline(whole(text))
    assert [(n.depth, n.marker, n.ordinal, n.title) for n in nodes] == [
        (1, "三、", 3, "时间安排"),
        (2, "1、", 1, "7月8日-7月14日"),
        (2, "2、", 2, "7月15日前提交研修总结"),
        (1, "四、", 4, "发展目标"),
        (2, "1.", 1, "2023年完成校本课程开发"),
        (2, "2.", 2, "2024年建成市级示范校"),
        (2, "3.", 3, "到2025年骨干教师达到40人"),
        (1, "五、", 5, "进度"),  # 1、2、3月 is a list of months, not items
    ]


def test_appendices_are_top_level_parts_with_their_own_numbering():
    text = (
        "青年教师培养方案\n一、培养目标\n三年内成为教学骨干。\n二、培养措施\n（一）师徒结对\n每位青年教师配一名导师。\n"
        "（二）课例研磨\n每学期上一节公开课。\n附件：1.师徒结对协议\n      2.听课记录表\n实验小学\n2024年2月26日\n"
        "附件1\n师徒结对协议\n一、导师职责\n每周听课一节。\n二、徒弟职责\n每周听导师课两节。\n"
        "附件2\n听课记录表\n一、填写说明\n如实填写。\n"
    )
    plan = whole(text)
    nodes = outline(plan)
    assert tree(nodes) == [
        (1, "一、", 1, "培养目标", "工作目标"),
        (1, "二、", 2, "培养措施", "具体措施"),
        (2, "（一）", 1, "师徒结对", None),
        (2, "（二）", 2, "课例研磨", None),
        (1, "附件1", 1, "师徒结对协议", "附件"),
        (2, "一、", 1, "导师职责", None),
        (2, "二、", 2, "徒弟职责", None),
        (1, "附件2", 2, "听课记录表", "附件"),
        (2, "一、", 1, "填写说明", None),
    ]
    check_spans(plan, nodes)
    a = nodes[4]
    assert text[a.start : a.end].startswith("附件1\n师徒结对协议") and a.end == text.index("附件2\n")
    assert text[a.title_start : a.title_end] == "师徒结对协议"


def test_appendix_with_its_title_on_the_marker_line():
    text = (
        "一、活动内容\n开展读书节。\n二、活动要求\n按时上交作品。\n附件：读书节作品登记表\n"
        "一、登记办法\n以班级为单位登记。\n二、上交时间\n十月底前。\n"
    )
    nodes = outline(whole(text))
    assert [(n.depth, n.marker, n.title, n.kind) for n in nodes][2:] == [
        (1, "附件", "读书节作品登记表", "附件"),
        (2, "一、", "登记办法", None),
        (2, "二、", "上交时间", None),
    ]


def test_an_attachment_shown_inside_the_text_is_not_a_part():
    # a web page shows an attachment's form in the middle; the main text then goes on at （三）
    text = (
        "三、主要活动\n（一）书法比赛\n每班两人。\n（二）绘画展\n作品统一展出。\n附件1：\n作品登记表 班级 姓名 作品名称\n"
        "（三）文艺会演\n元旦前举行。\n四、奖励办法\n设一二三等奖。\n"
    )
    nodes = outline(whole(text))
    assert [(n.depth, n.marker) for n in nodes] == [
        (1, "三、"),
        (2, "（一）"),
        (2, "（二）"),
        (2, "（三）"),
        (1, "四、"),
    ]


def test_attachment_names_are_not_parts():
    text = "一、报名\n请于5月前报名。\n附件1：\n附件2：\n附件：\n1.报名表\n2.汇总表\n附件：报名汇总表\n实验中学\n2024年3月1日\n"
    nodes = outline(whole(text))
    assert [n.marker for n in nodes] == ["一、"]


def test_symbol_font_bullets_before_a_marker():
    text = "1、检查内容\n\uf075（1）检查教案。\n\uf075（2）检查作业。\n"
    nodes = outline(whole(text))
    assert [(n.depth, n.marker) for n in nodes] == [(1, "1、"), (2, "（1）"), (2, "（2）")]


def test_numbers_of_a_table_row_are_not_headings():
    text = "一、课程设置\n学分\t学时\n1.5\t36\n2.5 54\n3、 4\n二、考核方式\n闭卷考试。\n"
    nodes = outline(whole(text))
    assert [(n.depth, n.marker, n.title) for n in nodes] == [(1, "一、", "课程设置"), (1, "二、", "考核方式")]


def test_the_top_level_starting_again_opens_a_new_part():
    # a report followed by its notes, both numbered from 一、: the second 一、 is not under （2）
    text = (
        "一、审计意见\n我们审计了报表。\n二、审计责任\n（1）识别风险。\n（2）评价政策。\n"
        "一、公司基本情况\n1.公司概况\n2.合并范围\n二、编制基础\n"
    )
    nodes = outline(whole(text))
    assert [(n.depth, n.marker) for n in nodes] == [
        (1, "一、"),
        (1, "二、"),
        (2, "（1）"),
        (2, "（2）"),
        (1, "一、"),
        (2, "1."),
        (2, "2."),
        (1, "二、"),
    ]
    # a list restarting at 1 under a deeper node is still a new list there
    text = "一、目标\n1.读书\n2.写作\n二、措施\n（一）课堂\n1.预习\n2.复习\n"
    nodes = outline(whole(text))
    assert [(n.depth, n.marker) for n in nodes] == [
        (1, "一、"),
        (2, "1."),
        (2, "2."),
        (1, "二、"),
        (2, "（一）"),
        (3, "1."),
        (3, "2."),
    ]


def test_table_rows_hold_no_headings():
    text = (
        "三、日程\n第一部分\t8月25日\t军训\t操场\n第二部分\t8月26日\t内务\t寝室\n1\t报到\t校门\n"
        "四、要求\n（一）\t统一着装\n"
    )
    nodes = outline(whole(text))
    assert [(n.depth, n.marker, n.title) for n in nodes] == [
        (1, "三、", "日程"),
        (1, "四、", "要求"),
        (2, "（一）", "统一着装"),
    ]


def test_appendix_is_a_section_kind():
    assert kind_of("附件") == "附件" and kind_of("附录") == "附件"
    from plantext.outline import kinds

    assert kinds()["附件"] == ["附件", "附录", "附表"]
