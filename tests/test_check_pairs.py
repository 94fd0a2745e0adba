"""The copy check's rules for passage edges and for what two texts share (issue #19)."""

from __future__ import annotations

from plantext.model import Source
from plantext.report.findings import peer_pairs
from plantext.similarity.check import check
from plantext.split import split

SHARED = (
    "每逢周三下午，语文组在三楼会议室围绕古诗词单元的朗读指导开展磨课，由执教老师先说设计意图，"
    "再由听课老师逐条提出改进建议，最后形成一份修改后的教案存入组内资料夹。"
)
OWN_A = "柳湾小学今年新调入两位数学老师，学校安排她们先跟班听课一个月，再独立承担四年级的教学任务。"
OWN_B = "石桥中学图书室本学期添置了三百册科普读物，每周二、周四中午向初一学生开放借阅，由学生志愿者登记。"


def _plan(path: str, body: str):
    return split(Source(path, body, "txt"))[0]


def test_a_text_two_others_both_hold_is_shared_with_each_of_them():
    # b and c are the same plan (one copied the other); a took one paragraph that both hold
    a = _plan("a.txt", f"柳湾小学教研计划\n一、基本情况\n{OWN_A}\n二、主要做法\n{SHARED}\n")
    b_text = f"石桥中学教研计划\n一、基本情况\n{OWN_B}\n二、主要做法\n{SHARED}\n"
    b, c = _plan("b.txt", b_text), _plan("c.txt", b_text)
    docs = {d.id: d for d in check([a, b, c])}
    da, db = docs[a.id], docs[b.id]
    # the exclusive attribution gives b's characters to c alone ...
    assert [s.id for s in db.sources] == [c.id]
    # ... while what b shares with a, on its own, is the paragraph a took
    shared_b = {s.id: s.copy_ratio for s in db.shared}
    # the paragraph, and the heading above it that both plans have too (二、主要做法)
    para = sum(ch.isalnum() for ch in SHARED)
    assert shared_b[c.id] == 1.0
    assert para <= round(shared_b[a.id] * db.total_chars) <= para + 5
    shared_a = {s.id: s.copy_ratio for s in da.shared}
    assert para <= round(shared_a[b.id] * da.total_chars) <= para + 5 and shared_a[b.id] == shared_a[c.id]
    # the pair table reads both directions of a ↔ b from the pair itself, not 0 % for one
    pairs = {(p.a, p.b): p for p in peer_pairs(list(docs.values()))}
    ab = pairs[(a.id, b.id)]
    assert ab.a_ratio > 0.3 and ab.b_ratio > 0.3
    assert ab.a_chars == ab.b_chars == round(shared_b[a.id] * db.total_chars)


# -- a passage carries on over template wording only across an edit ----------------------

TEMPLATE = "为核心、家校共育为支撑的工作格局"
COPIED = (
    "1、四十岁以下教师每人每学期录制一节微课，上传到区资源平台，由教研员点评后择优推送到市里。"
    "2、每位教师每学期至少阅读两本教育类书籍，并在寒假前的读书沙龙上做五分钟分享。"
)


def _weights(doc, zero: str):
    """Rarity 1 for every n-gram of ``doc`` except those inside ``zero`` (template wording)."""
    import numpy as np

    w = np.ones(len(doc.hashes))
    from plantext.similarity.align import key_text

    zero = key_text("".join(c for c in zero if c.isalnum()))[0]
    at = doc.key.find(zero)
    while at >= 0:
        w[max(0, at - 6) : at + len(zero)] = 0.0
        at = doc.key.find(zero, at + 1)
    return w


def test_a_passage_does_not_take_in_other_text_between_template_wording_and_the_copy():
    from plantext.similarity.align import align, make_doc

    # the template clause ends right before the copy in both plans, but a different heading
    # stands between them: the passage starts at the copy
    ref = make_doc(_plan("r.txt", f"白沙小学教师发展规划\n形成以读书分享{TEMPLATE}。\n二、工作目标\n{COPIED}\n"))
    sub_text = f"青松小学教研工作计划\n形成以课后服务{TEMPLATE}。\n（三）开展青年教师培养\n{COPIED}\n"
    sub = make_doc(_plan("s.txt", sub_text))
    (a,) = align(sub, ref, weights=_weights(sub, TEMPLATE))
    s, e = sub.source_span(a.s_start, a.s_end)
    assert sub_text[s:e].startswith("1、四十岁") and sub_text[s:e].endswith("五分钟分享")
    # the same heading with a word replaced (工作要点 for 工作目标): the passage carries on over it
    sub_text = f"青松小学教研工作计划\n形成以课后服务{TEMPLATE}。\n二、工作要点\n{COPIED}\n"
    sub = make_doc(_plan("s.txt", sub_text))
    (a,) = align(sub, ref, weights=_weights(sub, TEMPLATE))
    s, e = sub.source_span(a.s_start, a.s_end)
    assert sub_text[s:e].startswith(("形成以", "为核心")) and sub_text[s:e].endswith("五分钟分享")


# -- a quotation copied with its context is part of the copy --------------------------------

STORY = (
    "傍晚雨停了，老周把三轮车推进院子，车斗里还剩半筐没卖完的橘子。\n"
    "他蹲在门槛上剥了一个，慢慢地说：“明天早点出摊，赶在菜市场开门以前占个好位置。”\n"
    "女儿从屋里探出头来，问他晚饭想吃面条还是米饭，他摆摆手，说先把账本拿来。\n"
)
SAYING = "教育者要把每一个学生都当作一粒独特的种子，给他合适的土壤和耐心的等待"


def test_dialogue_copied_with_its_story_is_copy_not_quotation():
    # a story lifted whole: the line its character says is part of the copied text
    sub_text = f"读书笔记\n我读过一个小故事，至今记得。\n{STORY}读完以后我想了很久。\n"
    ref_text = f"小小说两篇\n第一篇\n{STORY}第二篇\n清晨的公交站台上只有一个穿校服的孩子。\n"
    (doc,) = check([_plan("s.txt", sub_text)], [_plan("r.txt", ref_text)])
    copies = [p for p in doc.passages if p.kind == "copy"]
    assert [p.kind for p in doc.passages] == ["copy"]
    s, e = copies[0].start, copies[0].end
    assert sub_text[s:e].startswith("傍晚雨停了") and "明天早点出摊" in sub_text[s:e]
    assert doc.copy_ratio_without_quotes == doc.copy_ratio > 0


def test_quotation_found_in_a_reference_without_other_text_stays_a_quotation():
    # both plans quote the same educator, each with its own words around the quotation
    sub_text = f"青松小学德育计划\n我们始终相信，陶行知先生说：“{SAYING}。”今年继续推进全员导师制。\n"
    ref_text = f"白沙中学班主任工作要点\n正如大家熟悉的，陶行知先生说：“{SAYING}。”本学期重点抓好家访。\n"
    (doc,) = check([_plan("s.txt", sub_text)], [_plan("r.txt", ref_text)])
    kinds = [p.kind for p in doc.passages]
    assert kinds == ["quote"]
    assert doc.copy_ratio_without_quotes == 0 < doc.copy_ratio


# -- a plan copied many times keeps its evidence (similar, the default engine) ---------------

PLAN_LINES = [
    "一、指导思想",
    "以提高课堂效率为中心，立足本校学生基础薄弱、外地生源多的实际，稳步推进分层作业和小组互助。",
    "二、工作目标",
    "1、七年级数学平均分比上学期提高五分，及格率达到百分之七十以上。",
    "2、每位教师本学期至少完成一份分层作业设计，并在组内展示交流。",
    "3、建立学困生档案，每月跟踪一次，由班主任和任课教师共同签字确认。",
    "三、主要措施",
    "1、每周二下午第三节课为数学组固定教研时间，轮流主持，提前一周发布议题。",
    "2、开展“小老师”结对活动，由成绩较好的学生每天课后帮扶一名同学订正错题。",
    "3、期中考试后召开家长座谈会，分析试卷，听取家长对作业量的意见。",
]
SLOGAN = "坚持立德树人，办人民满意的教育"


def test_a_plan_copied_by_many_others_is_not_stock_text():
    import random

    from plantext.similarity.fingerprint import fold_text
    from plantext.similarity.similar import similar_texts

    pool = "春夏秋冬山水田林路桥河湖村镇街巷楼门窗灯书画琴棋茶米面盐车船风雨云雪花草虫鱼鸟兽"

    def own(k: int) -> str:
        rng = random.Random(k)
        return "，".join("".join(rng.choice(pool) for _ in range(8)) for _ in range(6)) + "。"

    # the plan and 23 copies, each school adding a line of its own: every line of the plan is
    # in more sources than the stock count (20), and only the copies' own lines are not
    texts = ["\n".join([f"第{k + 1}号学校数学组工作计划", *PLAN_LINES, own(100 + k)]) for k in range(24)]
    # other writers, each with their own text around one shared slogan (stock wording)
    texts += [f"第{k}号通知\n{SLOGAN}。\n{own(k)}" for k in range(30)]
    plans = [_plan(f"p{k}.txt", t) for k, t in enumerate(texts)]
    r = similar_texts([p.id for p in plans], [fold_text(p) for p in plans], 0.5)
    copies = {p.id for p in plans[:24]}
    found = {(m.a, m.b) for m in r.pairs if m.a in copies and m.b in copies}
    assert len(found) == 24 * 23 // 2
    assert sorted(copies) in [sorted(c) for c in r.clusters]
    # the slogan shared by thirty writers stays stock: their notices do not pair
    assert not [m for m in r.pairs if m.a not in copies and m.b not in copies]
