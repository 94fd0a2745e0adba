"""Thin evidence, sentence by sentence (:func:`plantext.similarity.align.alike_sentences`).

Plans written from one template share its sentences and differ in the words its slots hold. A
copy of such plans, disguised (reordered, words swapped, numbers changed, a character dropped
here and there), keeps few exact runs: its evidence is thin. What still gives it away is that
each of its sentences aligns with a sentence of its source *including the slot words*; plans
that merely use the same templates align only in the template wording.

The evidence thresholds are lifted out of reach here (``PARAMS``), so that a passage is found
by the sentence rule alone, or not at all. Every text below was written for this test.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from plantext.model import Source
from plantext.similarity.align import AlignParams
from plantext.similarity.check import build_index, check
from plantext.split import split

TEMPLATES = (
    "组织{X}专题研讨会，每位教师至少提交一篇案例，着力解决{Y}中的突出问题。",
    "依托区研修平台开展{X}网络学习，每人完成{n}学时，推动{Y}落地见效。",
    "每月开展一次{X}听评课活动，由教研组长负责，把{Y}的改进落到实处。",
    "举办{X}技能展示活动，评出一二三等奖，结果计入{Y}考核档案。",
    "邀请{X}方面的专家来校讲座，全年不少于{n}次，使培训内容与{Y}有机结合。",
    "建立{X}成长记录袋，记录{Y}等情况，每学期检查{n}次。",
)
HEADS = "作业 劳动 心理 课后 阅读 科学 书法 足球 家校 信息 美育 诵读 体育 合唱 编程 环保 安全 礼仪 戏曲 围棋".split()
TAILS = "设计 教育 健康 服务 推广 实验 练习 联赛 共育 素养 展演 经典 锻炼 排练 启蒙 实践 演练 规范 进校园 入门".split()

# seeds and slots of no other plan: a passage found needs the sentence rule
PARAMS = replace(AlignParams(), min_rare=10**6, min_exact=10**6, alike_evidence=0.0, words=False)


def _plan_text(rng: random.Random, k: int) -> str:
    lines = [f"第{k}号学校教师培训计划", "一、主要措施"]
    order = list(range(len(TEMPLATES)))
    rng.shuffle(order)
    for t in order:
        slot = lambda: rng.choice(HEADS) + rng.choice(TAILS)  # noqa: E731
        lines.append(TEMPLATES[t].format(X=slot(), Y=slot(), n=rng.randint(2, 30)))
    return "\n".join(lines)


def _refs():
    rng = random.Random(5)
    texts = [_plan_text(rng, k) for k in range(60)]
    return texts, [split(Source(f"ref{k}.txt", t, "txt"))[0] for k, t in enumerate(texts)]


SWAPS = {"教师": "老师", "开展": "进行", "组织": "安排", "每学期": "每个学期", "负责": "主管", "活动": "工作"}


def _disguise(sentence: str) -> str:
    s = re.sub("|".join(SWAPS), lambda m: SWAPS[m.group()], sentence)
    s = re.sub(r"\d+", lambda m: str(int(m.group()) + 3), s)
    i = len(s) // 2
    return s[:i] + s[i + 1 :]  # a character dropped mid-sentence


def _host() -> list[str]:
    return _plan_text(random.Random(99), 99).split("\n")


def _copies(body: str, refs, params: AlignParams):
    (doc,) = check([split(Source("sub.txt", body, "txt"))[0]], index=build_index(refs, params))
    return [p for p in doc.passages if p.kind == "copy"]


def test_a_disguised_copy_of_template_sentences_is_found_by_its_slot_words():
    texts, refs = _refs()
    source = texts[0].split("\n")[3:6]
    planted = "".join(_disguise(s) for s in reversed(source))
    lines = _host()
    lines.insert(4, planted)
    body = "\n".join(lines)
    start = body.index(planted)
    copies = _copies(body, refs, PARAMS)
    assert [p.ref.id for p in copies] == ["ref0.txt"]
    (p,) = copies
    assert (p.start, p.end) == (start, start + len(planted))
    # in the reference, from the first source sentence into the last (the reordered copy's last
    # clause there, 记录…等情况，每学期检查…次, holds no seed and is left out)
    first = texts[0].index(source[0])
    assert p.ref.start == first
    assert first + len("\n".join(source[:2])) < p.ref.end <= first + len("\n".join(source))
    # without the sentence rule the thin evidence finds nothing
    assert _copies(body, refs, replace(PARAMS, alike_sentences=99)) == []


def test_the_same_templates_with_other_slot_words_are_not_a_copy():
    _, refs = _refs()
    body = "\n".join(_host())
    assert _copies(body, refs, PARAMS) == []
    # what keeps them apart is the slot words: counting template wording alone, they would pass
    assert _copies(body, refs, replace(PARAMS, alike_held=0.0, alike_words=0))
