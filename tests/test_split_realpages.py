"""Template and school pages as readers receive them (#realsplit): a collection page's documents
headed by the name its title announces and a number, also where the body runs on after the
number on the header's line; image file names, collection download buttons and a site's
"hidden text" notes as chrome; the document's own title under a page heading and chrome."""

from plantext.clean import clean
from plantext.model import Plan, Source
from plantext.outline import outline
from plantext.split import _collection_stem, split

BODY_A = (
    "为了让每一位学生养成良好的阅读习惯，丰富学生的课余生活，结合本班实际，特制定本方案。\n"
    "一、活动目标\n"
    "每名学生每学期至少读完四本课外书，并写出两篇读书笔记。\n"
    "二、活动安排\n"
    "每周五下午开展一次读书交流会，由语文老师主持，学生轮流发言。\n"
)
BODY_B = (
    "本学期我们将继续开展读书活动，让学生在阅读中成长，在分享中进步，形成浓厚的读书氛围。\n"
    "一、活动时间\n"
    "九月至十二月，每周二、周四的午读时间。\n"
)
BLURB = "读书使人进步，怎样的方案才能让活动办得好呢？下面是小编为大家整理的班级读书活动方案，欢迎阅读。\n"


def _src(text: str, path: str = "page.txt") -> Source:
    return Source(path=path, text=text, format="txt")


def _spans(plans: list[Plan]) -> list[tuple[str, int, int, int]]:
    return [(p.title, p.start, p.title_start, p.title_end) for p in plans]


def test_collection_stem_from_page_titles():
    assert _collection_stem("班级读书活动方案12篇") == "班级读书活动方案"
    assert _collection_stem("【精品】社区志愿服务计划范文汇编8篇") == "社区志愿服务计划"
    assert _collection_stem("教研组活动计划范文(精选4篇)") == "教研组活动计划"
    assert _collection_stem("2024年家访工作计划【最新5篇】") == "家访工作计划"
    assert _collection_stem("幼儿园保育工作计划模板十篇") == "幼儿园保育工作计划"
    assert _collection_stem("班级读书活动方案") is None  # no count: no collection
    assert _collection_stem("计划(精选3篇)") is None  # too short a name to look for


def test_bare_numbers_glued_to_bodies_head_plans():
    text = f"班级读书活动方案12篇\n{BLURB}班级读书活动方案1{BODY_A}班级读书活动方案2{BODY_B}"
    plans = split(_src(text))
    a = text.index("\n班级读书活动方案1") + 1  # (not the page title's "12篇")
    b = text.index("班级读书活动方案2")
    assert _spans(plans) == [
        ("班级读书活动方案1", a, a, a + len("班级读书活动方案1")),
        ("班级读书活动方案2", b, b, b + len("班级读书活动方案2")),
    ]
    assert plans[0].end == b - 1  # (the newline before the next header is outside)
    assert plans[1].end == len(text.rstrip("\n"))


def test_one_pasted_document_of_a_collection_is_titled_by_its_header():
    # a reader copies the first document of a page: the page title, chrome, its header
    text = (
        "教研组活动计划\n\n时间:2023-09-02 08:30:15 计划 我要投稿\n\n教研组活动计划范文(精选4篇)\n\n"
        f"  {BLURB}\n教研组活动计划范文(精选4篇)\n\n  教研组活动计划1\n\n  {BODY_A}"
    )
    plans = split(_src(text))
    h = text.index("教研组活动计划1")
    assert _spans(plans) == [("教研组活动计划1", h, h, h + len("教研组活动计划1"))]


def test_pian_mark_glued_to_the_first_heading():
    text = f"社区志愿服务计划（精选3篇）\n{BLURB}社区志愿服务计划 篇1{BODY_A}"
    plans = split(_src(text))
    h = text.index("社区志愿服务计划 篇1")
    assert _spans(plans) == [("社区志愿服务计划 篇1", h, h, h + len("社区志愿服务计划 篇1"))]
    # the heading that runs on after the title on its line is the first node of the outline
    nodes = outline(plans[0])
    assert [(n.depth, n.marker, n.title) for n in nodes] == [
        (1, "一、", "活动目标"),
        (1, "二、", "活动安排"),
    ]
    first = nodes[0]
    assert text[first.start : first.title_end] == "一、活动目标"
    assert "line-break" not in plans[0].flags  # the title's line is no sentence cut by layout


def test_counts_and_amounts_after_the_name_are_no_headers():
    # the page title (again), "方案1份" and a name with no number do not head documents
    text = (
        "班级读书活动方案12篇\n"
        "班级读书活动方案(12篇)\n"
        "班级读书活动方案1份交教导处，由教导处统一存档，以备检查，各班不得遗漏，也不要重复上交。\n"
        f"班级读书活动方案\n{BODY_A}"
    )
    plans = split(_src(text))
    assert len(plans) == 1
    assert plans[0].title != "班级读书活动方案1"


def test_no_collection_no_stem_headers():
    # a school's plan whose lines open with its own name and a number: not a collection page
    text = f"学校德育工作计划\n{BODY_A}学校德育工作计划2{BODY_B}"
    plans = split(_src(text))
    assert [p.title for p in plans] == ["学校德育工作计划"]


def test_numbers_must_count_up_from_one():
    text = f"班级读书活动方案12篇\n班级读书活动方案3{BODY_A}班级读书活动方案5{BODY_B}"
    plans = split(_src(text))
    assert "班级读书活动方案3" not in [p.title for p in plans]


def test_image_names_collection_buttons_and_hidden_notes_are_chrome():
    text = (
        "学校要闻\n\n当前位置: 首页 - 学校要闻 - 正文\n\n秋季运动会实施方案\n\n发布时间:2019-09-20 作者: 点击:[]\n\n"
        "20190920153302.jpg\n\n"
        f"{BODY_A}"
        "…… 此处已隐藏5321字 ……\n"
        "(未完,全文共2140字,当前显示560字)\n"
        "三、注意事项\n各班主任要做好安全教育，确保活动安全有序进行，不得出现任何安全事故。\n"
    )
    src = clean(_src(text))
    chrome = [text[s.start : s.end].strip() for s in src.noise if s.kind == "chrome"]
    assert "20190920153302.jpg" in chrome
    assert "…… 此处已隐藏5321字 ……" in chrome
    assert "(未完,全文共2140字,当前显示560字)" in chrome
    plans = split(_src(text))
    assert len(plans) == 1
    # the title is the article's, the body starts under the chrome, past the image name
    assert (plans[0].title, plans[0].start) == ("秋季运动会实施方案", text.index("为了让每一位学生"))
    # a sentence that names an image file is no chrome
    line = "请各班于周五前把活动照片命名为班级名称加日期，例如一班0920.jpg"
    assert not [s for s in clean(_src(line + "\n")).noise if s.kind == "chrome"]


def test_collection_download_button_and_the_documents_own_title():
    text = (
        "学校青年教师培养计划\n\n合集下载\n\n青年教师培养工作计划\n\n青年教师培养工作计划\n\n"
        "为提高青年教师的业务水平，学校决定开展青年教师培养工作，现制定计划如下。\n"
        "一、培养目标\n三年内使青年教师成为学校教育教学的骨干力量，能够独立承担教学任务。\n"
    )
    src = clean(_src(text))
    assert "合集下载" in [text[s.start : s.end].strip() for s in src.noise if s.kind == "chrome"]
    plans = split(_src(text))
    own = text.index("青年教师培养工作计划")
    assert [(p.title, p.start) for p in plans] == [("青年教师培养工作计划", own)]


def _whole(text: str) -> Plan:
    src = clean(_src(text))
    return Plan(id="t.txt", source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))


def test_item_number_before_a_month_range_and_dates_in_tables():
    text = (
        "工作安排调整如下：\n"
        "10.原定于四月举行的班主任培训推迟到九月举行。\n"
        "11.5-6月份，研究室将对各校德育工作开展专项调研。\n"
        "12.原定于三月的课题研修活动推迟到十月举行。\n"
        "学校审核意见\t同意上报单位签章2016 年 9 月 日\n"
    )
    nodes = outline(_whole(text))
    assert [(n.depth, n.marker, n.ordinal) for n in nodes] == [(1, "10.", 10), (1, "11.", 11), (1, "12.", 12)]
    assert nodes[1].title.startswith("5-6月份")  # (the item opens with its months)


def test_page_heading_run_into_the_first_pian_header():
    text = f"{BLURB}学校防汛工作预案汇编 学校防汛应急预案篇一\n{BODY_A}学校防汛应急预案篇二\n{BODY_B}"
    plans = split(_src(text))
    a = text.index("学校防汛应急预案篇一")
    b = text.index("学校防汛应急预案篇二")
    assert _spans(plans) == [
        ("学校防汛应急预案篇一", a, a, a + len("学校防汛应急预案篇一")),
        ("学校防汛应急预案篇二", b, b, b + len("学校防汛应急预案篇二")),
    ]
    # a space inside a title that names no collection stays in it
    text = f"学校工作计划 篇一\n{BODY_A}学校工作计划 篇二\n{BODY_B}"
    assert [p.title for p in split(_src(text))] == ["学校工作计划 篇一", "学校工作计划 篇二"]


def test_part_headings_glued_to_text_and_bracketed_labels():
    # a document-sharing page flattened the parts into the text before them
    text = (
        "班主任培养计划第一部分:现状分析【基本情况】我校现有班主任四十二名，其中青年班主任占一半以上。\n"
        "他们工作热情高，但经验不足，需要系统培养和长期指导，形成梯队。"
        "第二部分:培养目标【总体目标】三年内培养一支师德高尚、业务精良的班主任队伍。\n"
    )
    nodes = outline(_whole(text))
    assert [(n.depth, n.marker, n.ordinal, n.title) for n in nodes] == [
        (1, "第一部分", 1, "现状分析"),
        (1, "第二部分", 2, "培养目标"),
    ]
    assert text[nodes[1].start : nodes[1].title_end] == "第二部分:培养目标"
