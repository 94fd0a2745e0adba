"""Titles as a reader names the document, and document boundaries (text written for these tests)."""

from __future__ import annotations

import pytest

from plantext.model import Part, Source
from plantext.split import split
from plantext.titles import Line, line_kind, names_document, pick


@pytest.mark.parametrize(
    "line,kind",
    [
        ("各二级学院团组织：", "salutation"),
        ("各位来宾：", "salutation"),
        ("尊敬的各位家长", "salutation"),
        ("（2021年3月8日）", "date"),
        ("二〇二一年三月", "date"),
        ("2022.10.08", "date"),
        ("——2023年1月9日在全县教育工作会议上", "byline"),
        ("青教发〔2023〕17号", "docno"),
        ("青山县教育局文件", "issuer"),
        ("目 录", "toc"),
        ("前 言", "front"),
        ("填表说明", "front"),
        ("附件3", "attachment"),
        ("第一章 总则\t3", "toc"),
        ("学校召开安全工作会议[09-12]", "menu"),
        ("关于开展读书月活动的通…", "menu"),
        ("青山县实验小学2023年读书月活动方案", None),
        ("工作计划：", None),
    ],
)
def test_line_kinds(line, kind):
    assert line_kind(line) == kind


@pytest.mark.parametrize(
    "line,named",
    [
        ("青山中学校本研修工作计划（征求意见稿）", True),
        ("关于做好秋季开学工作的通知", True),
        ("2024年春季课程考试时间安排表", True),
        ("生命在于运动", False),
        ("团结奋进", False),
    ],
)
def test_names_document(line, named):
    assert names_document(line) is named


def _lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw, joined_to_next=True))
        pos += len(raw) + 1
    return out


def test_pick_skips_issuer_docno_and_joins_a_title_over_two_lines():
    text = "青山县教育局文件\n青教发〔2023〕17号\n关于加强中小学课后服务管理的\n实施意见\n各中小学："
    start, end, title = pick(_lines(text))
    assert title == "关于加强中小学课后服务管理的实施意见"
    assert (start, end) == (text.index("关于"), text.index("实施意见") + 4)


def test_pick_prefers_a_hinted_title_and_falls_back_to_a_plain_line():
    lines = _lines("学校简介\n阳光少年成长营")
    lines[1].hint = "title"
    assert pick(lines)[2] == "阳光少年成长营"
    assert pick(_lines("2023.9.1 工作\n（2023年9月1日）")) is None
    assert pick(_lines("青山县实验小学\n二〇二三年九月")) is None


def _split(text: str, path: str = "计划.txt", parts=None) -> list:
    return split(Source(path=path, text=text, format="txt", parts=parts or []))


BODY = (
    "为进一步提高教师队伍整体素质，推进学校内涵发展，结合我校实际情况，经学校行政会研究决定，制定本方案。"
    "全体教师要高度重视，认真落实各项要求，确保各项工作取得实效。\n"
)


def test_report_title_not_its_byline_or_salutation():
    text = (
        "青山县教育工作报告\n——2023年2月10日在全县教育工作会议上\n县教育局局长 王明\n各位代表：\n"
        + BODY
        + "一、过去一年的工作\n"
        + BODY
    )
    (p,) = _split(text)
    assert (p.title, p.start, p.title_start) == ("青山县教育工作报告", 0, 0)


def test_date_line_under_the_title_is_not_the_title():
    text = "青山县关于推进义务教育优质均衡发展的意见\n（2023年5月6日）\n" + BODY + "一、总体要求\n" + BODY
    (p,) = _split(text)
    assert p.title == "青山县关于推进义务教育优质均衡发展的意见" and p.flags == []


def test_toc_and_foreword_are_not_titles():
    text = (
        "青山中学三年发展规划\n目 录\n第一部分 发展基础\t1\n第二部分 发展目标\t3\n前 言\n"
        + BODY
        + "第一部分 发展基础\n"
        + BODY
    )
    (p,) = _split(text)
    assert p.title == "青山中学三年发展规划" and p.start == 0


def test_no_title_is_flagged_and_named_by_the_file():
    (p,) = _split("2023.9.4 工作\n" + BODY + BODY, path="docs/周记.txt")
    assert p.title == "周记" and "no-title" in p.flags


def test_table_rows_are_never_titles():
    text = "课程名称\t学分\t学时\n教师职业发展规划\t1\t16\n" + BODY + BODY
    rows = [Part(0, 8, "table-row", 1), Part(9, text.index("\n", 9), "table-row", 2)]
    (p,) = _split(text, parts=rows)
    assert "no-title" in p.flags and p.title == "计划"


def test_repeated_table_lines_do_not_split_a_document():
    row = "教师职业发展规划 0.5 8 1 必修\n"
    text = "青山学院课程设置方案\n一、课程结构\n" + BODY + row + BODY + "二、课程安排\n" + row + BODY
    assert [p.title for p in _split(text)] == ["青山学院课程设置方案"]


def test_wrapped_line_tails_do_not_split_a_document():
    text = (
        "青山基金年度报告\n"
        + BODY
        + "本期新设立的产品包括：青山一号资产管理计划、青山二号资产管\n理计划\n"
        + BODY
        + "本期清算的产品：青山三号资产管理计划、青山四号资产管\n理计划\n"
        + BODY
    )
    assert len(_split(text)) == 1


def test_a_file_of_attachments_is_one_document_per_attachment():
    table = "课程代码\t课程名称\t考试时间\n01001\t教育学\t上午\n"
    text = (
        "附件1\n2024年春季课程考试时间安排表\n"
        + table
        + "附件2\n2024年秋季课程考试时间安排表\n"
        + table
        + "附件3：2024年课程使用教材一览表\n"
        + table
    )
    plans = _split(text)
    assert [p.title for p in plans] == [
        "2024年春季课程考试时间安排表",
        "2024年秋季课程考试时间安排表",
        "2024年课程使用教材一览表",
    ]
    assert [p.start for p in plans] == [0, text.index("附件2"), text.index("附件3")]
    assert all(text[p.title_start : p.title_end] == p.title for p in plans)


def test_attachments_under_a_main_document_stay_in_it():
    text = (
        "青山中学2024年工作要点\n"
        + BODY
        + "一、重点工作\n"
        + BODY
        + "附件1\n2024年重点工作清单\n"
        + BODY
        + "附件2\n2024年工作安排表\n"
        + BODY
    )
    assert len(_split(text)) == 1


def _paged(pages: list[str]) -> Source:
    text, parts, pos = "", [], 0
    for i, page in enumerate(pages, 1):
        if text:
            text += "\n"
            pos += 1
        parts.append(Part(pos, pos + len(page), "page", index=i))
        text += page
        pos += len(page)
    return Source(path="book.pdf", text=text, format="pdf", parts=parts)


def test_two_documents_bound_in_one_pdf_are_two_plans():
    a = "青山学院软件工程专业培养方案\n（四年制）\n一、专业简介\n" + BODY
    b = "青山学院数据科学专业培养方案\n（四年制）\n专业负责人：李华\n一、专业简介\n" + BODY
    src = _paged([a, BODY * 2, b, BODY * 2])
    plans = split(src)
    assert [p.title for p in plans] == ["青山学院软件工程专业培养方案", "青山学院数据科学专业培养方案"]
    assert plans[1].start == src.text.index("青山学院数据科学")


def test_a_cover_repeating_the_title_is_one_plan():
    cover = "青山学院软件工程专业培养方案\n二〇二三年九月"
    body = "青山学院软件工程专业培养方案\n一、专业简介\n" + BODY
    assert len(split(_paged([cover, body, BODY * 2]))) == 1


def test_documents_cut_from_one_file_are_not_copies_of_each_other():
    from plantext.similarity.check import check
    from plantext.similarity.similar import similar

    a = "青山学院软件工程专业培养方案\n（四年制）\n一、专业简介\n" + BODY
    b = "青山学院数据科学专业培养方案\n（四年制）\n一、专业简介\n" + BODY
    plans = split(_paged([a, BODY * 3, b, BODY * 3]))
    assert len(plans) == 2 and plans[0].doc == plans[1].doc == "book.pdf"
    assert similar(plans, threshold=0.3).pairs == []
    ids = {p.id for p in plans}
    assert not [x for d in check(plans) for x in d.passages if x.ref.id in ids]
    # the same two texts in two files are copies
    other = split(Source(path="other.txt", text=a + BODY * 3, format="txt"))
    assert other[0].doc == "" and similar([plans[0], *other], threshold=0.3).pairs


def test_a_title_opening_with_a_year_is_a_title():
    (p,) = _split("2024年春季运动会评比结果\n" + BODY + BODY)
    assert p.title == "2024年春季运动会评比结果" and p.flags == []


def test_a_sentence_ending_in_a_colon_is_body_not_salutation():
    assert line_kind("下学期的工作主要集中在三个方面，具体如下：") == "sentence"
    assert line_kind("各省、自治区、直辖市教育厅，各计划单列市教育局：") == "salutation"
    (p,) = _split("下学期的工作主要集中在三个方面，具体如下：\n" + BODY + BODY, path="x/工作.txt")
    assert p.start == 0 and "no-title" in p.flags


def test_a_web_article_is_named_by_the_line_above_its_stamp():
    # pasted from a school site: site name, column name (it names a document: 通知公告), the
    # article's title, its stamp (several fields on one line), 主送, then the body
    text = (
        "青山县第二中学\n\n通知公告\n\n关于做好学期末校园安全检查工作的通知\n\n"
        "信息来源:校办 发布日期:2023-06-20 浏览次数:\n\n各处室、各年级组:\n\n" + BODY + "一、检查范围\n\n" + BODY
    )
    (p,) = _split(text)
    assert p.title == "关于做好学期末校园安全检查工作的通知"
    assert p.start == text.index("为进一步")  # the stamp stands between the title and the body
    # the same page whose body repeats the title under the stamp starts at that title
    text2 = text.replace("各处室、各年级组:", "关于做好学期末校园安全检查工作的通知\n\n各处室、各年级组:")
    (p2,) = _split(text2)
    assert p2.title == "关于做好学期末校园安全检查工作的通知"
    assert p2.start == p2.title_start == text2.index("关于", text2.index("浏览次数"))


def test_a_column_name_above_a_title_of_its_own_subject_is_not_joined_to_it():
    text = "德育天地\n\n青山县第二中学2023学年德育工作计划\n\n" + BODY + "一、指导思想\n\n" + BODY
    (p,) = _split(text)
    assert p.title == "青山县第二中学2023学年德育工作计划" and p.start == text.index("青山县")
    # a short second half still takes the line above it: 班级管理系统 / 实施方案
    (q,) = _split("青山中学班级管理系统\n实施方案\n" + BODY + "一、项目概述\n" + BODY)
    assert q.title == "青山中学班级管理系统实施方案" and q.start == 0


@pytest.mark.parametrize("line", ["（讨论稿）", "(经2023年3月2日校长办公会审议通过)", "（初  稿）"])
def test_a_bracketed_note_is_never_a_title(line):
    assert line_kind(line) == "note"
    (p,) = _split(line + "\n青教发〔2023〕5号\n" + BODY + "一、工作目标\n" + BODY, path="a/办法.txt")
    assert p.title == "办法" and "no-title" in p.flags and p.start == len(line) + 13


ISSUED_PLAN = (
    "青山县教育局关于印发《青山县中小学课后服务实施方案》的通知\n\n各中小学：\n\n"
    "《青山县中小学课后服务实施方案》已经局务会研究同意，现印发给你们，请结合实际认真贯彻落实。\n\n"
    "青山县教育局\n\n2023年8月25日\n\n（此件公开发布）\n\n"
    "青山县中小学课后服务实施方案\n\n" + BODY + "一、工作目标\n\n" + BODY + "二、主要措施\n\n" + BODY
)


def test_an_issuing_notice_and_the_plan_it_issues_are_two_documents():
    a, b = _split(ISSUED_PLAN)
    assert a.title == "青山县教育局关于印发《青山县中小学课后服务实施方案》的通知" and a.start == 0
    assert a.end == ISSUED_PLAN.index("（此件公开发布）") + len("（此件公开发布）")
    assert (b.title, b.start) == ("青山县中小学课后服务实施方案", ISSUED_PLAN.index("青山县中小学课后服务实施方案\n"))
    assert a.doc == b.doc == "计划.txt"
    # an attachment label between the closing and the plan's title belongs to the plan
    text = ISSUED_PLAN.replace("（此件公开发布）", "附件")
    a, b = _split(text)
    assert b.start == text.index("附件\n") and b.title == "青山县中小学课后服务实施方案"


def test_a_closing_over_a_table_or_a_cover_starts_no_document():
    # a cover (title, issuer, date) over the plan's own title: one document
    cover = (
        "青山县中小学课后服务实施方案\n\n青山县教育局\n\n2023年8月\n\n青山县中小学课后服务实施方案\n\n" + BODY + BODY
    )
    assert len(_split(cover)) == 1
    # a plan that closes, then a schedule table with a title of its own: one document
    table = (
        "青山中学2023年教研工作计划\n\n" + BODY + "一、工作目标\n\n" + BODY + "青山中学教务处\n\n2023年2月20日\n\n"
        "教研活动安排表\n\n月份\t内容\t负责人\n三月\t公开课\t王华\n四月\t读书会\t李明\n"
    )
    assert len(_split(table)) == 1


def test_a_title_run_on_into_the_first_heading_is_cut_there():
    text = "青山中学章程修订工作方案模板一、修订背景\n" + BODY + BODY
    (p,) = _split(text)
    assert (p.title, p.title_start, p.title_end) == ("青山中学章程修订工作方案模板", 0, 14)
    assert pick(_lines("第一中学德育工作计划"))[2] == "第一中学德育工作计划"  # 第一 inside a name is no heading
