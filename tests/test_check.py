"""Copy check: disguised passages found at the right spans in both documents, clean plans
near zero, stock phrases as boilerplate, one copied passage one detection."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plantext.model import Source
from plantext.similarity.align import align, key_text, make_doc
from plantext.similarity.boilerplate import STOCK_ID
from plantext.similarity.check import build_index, check
from plantext.split import split

DATA = Path(__file__).parent / "data" / "check"
CLAUSE = set("。；！？，;!?,：:\n")


def text(name: str) -> str:
    return (DATA / name).read_text("utf-8")


def plan(path: str, body: str | None = None):
    return split(Source(path, text(path) if body is None else body, "txt"))[0]


def refs():
    return [plan(n) for n in ("ref_training.txt", "ref_moral.txt")]


def between(doc: str, first: str, upto: str) -> tuple[int, int]:
    """Span of ``doc`` from ``first`` up to (not including) ``upto``, whitespace trimmed."""
    a = doc.index(first)
    b = doc.index(upto, a)
    return a, len(doc[:b].rstrip())


def same_clause(doc: str, a: int, b: int) -> bool:
    """No clause boundary strictly between the two offsets (edge punctuation aside)."""
    lo, hi = min(a, b), max(a, b)
    inner = doc[lo:hi].strip("".join(CLAUSE) + "（）() \u3000")
    return not CLAUSE.intersection(inner)


# -- disguises a copier applies (written here, not taken from the library) ---------------


def half_width(s: str) -> str:
    return (
        s.replace("，", ",")
        .replace("。", ". ")
        .replace("；", ";")
        .replace("（", "(")
        .replace("）", ")")
        .replace("、", ",")
        .translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    )


def traditional(s: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(s)


SWAPS = {
    "教师": "老师",
    "开展": "进行",
    "提高": "提升",
    "学习": "进修",
    "组织": "筹划",
    "每次": "每回",
    "问题": "问题",
    "活动": "项目",
    "推进": "推动",
    "确定": "确定",
}


def synonyms(s: str) -> str:
    return re.sub("|".join(SWAPS), lambda m: SWAPS[m.group()], s)


def edit_chars(s: str) -> str:
    """Drop or insert a character about every 17 characters, never in punctuation."""
    out = []
    for i, c in enumerate(s):
        han = "\u4e00" <= c <= "\u9fff"
        if i % 17 == 8 and han and (i // 17) % 2:
            continue  # dropped
        out.append(c)
        if i % 17 == 8 and han and not (i // 17) % 2:
            out.append("都")
    return "".join(out)


def numbers(s: str) -> str:
    table = {"两": "三", "一": "两", "三": "四", "48": "56", "12": "16", "2": "3", "8": "10"}
    return re.sub("48|12|[一两三28]", lambda m: table[m.group()], s)


def reorder(s: str) -> str:
    """Sentences of the passage in another order, one of them left out."""
    sents = [x for x in re.findall(r"[^。]+。?", s) if x.strip()]
    if len(sents) >= 5:
        sents = sents[3:] + sents[:2]  # the third sentence (a heading) is left out
    else:
        sents = sents[::-1]
    return "".join(sents)


def plant(host: str, passage: str, before: str) -> tuple[str, int, int]:
    i = host.index(before)
    body = passage.rstrip() + "\n"
    return host[:i] + body + host[i:], i, i + len(passage.rstrip())


REF = "ref_training.txt"
FIRST, UPTO = "（一）实行导师结对制度", "（四）用好线上"

DISGUISES = {
    "verbatim": lambda s: s,
    "punctuation": half_width,
    "script": traditional,
    "synonyms": synonyms,
    "chars": edit_chars,
    "numbers": numbers,
    "reorder": reorder,
    "combined": lambda s: traditional(half_width(numbers(edit_chars(synonyms(reorder(s)))))),
}


@pytest.mark.parametrize("name", list(DISGUISES))
def test_disguised_passage_found_at_its_spans_in_both_documents(name):
    ref = text(REF)
    ra, rb = between(ref, FIRST, UPTO)
    host = text("host.txt")
    body, ga, gb = plant(host, DISGUISES[name](ref[ra:rb]), "4.推进英语")
    if name != "verbatim":
        assert body[ga:gb] != ref[ra:rb]
    (doc,) = check([plan("sub.txt", body)], refs())
    copies = [p for p in doc.passages if p.kind == "copy"]
    assert len(copies) == 1, [(body[p.start : p.end], p.ref) for p in copies]  # one passage, one detection
    p = copies[0]
    assert p.ref.id == REF and doc.max_source == REF
    # the passage covers the planted span, its edges in the clauses where the plant begins and ends
    assert same_clause(body, p.start, ga) and same_clause(body, p.end, gb), body[p.start : p.end]
    assert p.start <= ga + 2 and p.end >= gb - 2
    assert same_clause(ref, p.ref.start, ra) and same_clause(ref, p.ref.end, rb), ref[p.ref.start : p.ref.end]
    assert p.score >= 0.5
    # the ratio is the planted share of the submission's characters
    fold_len = len(plan("sub.txt", body).view("fold").text)
    planted = len(plan("x", body[ga:gb]).view("fold").text)
    assert doc.copy_ratio == pytest.approx(planted / fold_len, abs=0.03)


def test_two_passages_from_two_references():
    host = text("host.txt")
    ref, moral = text(REF), text("ref_moral.txt")
    a = between(ref, "（三）推进读书分享活动", "（四）用好线上")
    b = between(moral, "（三）密切家校沟通", "（四）加强心理")
    body, ga, gb = plant(host, traditional(ref[a[0] : a[1]]), "2.打造整本书")
    body, gc, gd = plant(body, synonyms(moral[b[0] : b[1]]), "四、月份安排")
    (doc,) = check([plan("sub.txt", body)], refs())
    copies = sorted((p for p in doc.passages if p.kind == "copy"), key=lambda p: p.start)
    assert [p.ref.id for p in copies] == [REF, "ref_moral.txt"]
    assert same_clause(body, copies[0].start, ga) and same_clause(body, copies[0].end, gb)
    assert same_clause(body, copies[1].start, gc) and same_clause(body, copies[1].end, gd)
    assert same_clause(moral, copies[1].ref.start, b[0]) and same_clause(moral, copies[1].ref.end, b[1])
    assert {s.id for s in doc.sources} == {REF, "ref_moral.txt"}
    assert doc.sources[0].copy_ratio >= doc.sources[1].copy_ratio > 0.05
    assert doc.max_source_ratio == doc.sources[0].copy_ratio < doc.copy_ratio
    # per-section ratios: the copies sit in 具体工作 and at the end of 具体工作 / before 月份安排
    by_title = {s.title: s.copy_ratio for s in doc.sections}
    assert by_title["基本情况"] == 0 and by_title["具体工作"] > 0.3


def test_clean_plan_of_the_same_genre_scores_near_zero():
    docs = check([plan("clean.txt"), plan("host.txt")], refs())
    for d in docs:
        assert d.copy_ratio < 0.05, [(p.kind, p.ref.id) for p in d.passages]


def test_stock_phrases_are_boilerplate_not_copy():
    # the host and the training plan share only their guiding-ideology slogans
    (doc,) = check([plan("host.txt")], [plan(REF)])
    host = text("host.txt")
    assert doc.copy_ratio == 0
    bp = [p for p in doc.passages if p.kind == "boilerplate"]
    got = {host[p.start : p.end] for p in bp}
    assert "以习近平新时代中国特色社会主义思想为指导" in got and "全面贯彻党的教育方针" in got
    assert {p.ref.id for p in bp} >= {STOCK_ID}
    assert doc.boilerplate_ratio > 0


def test_stock_phrases_in_traditional_script_with_a_synonym():
    # 落实 for 贯彻: one synonym group, so the stock phrase is still found
    body = (
        "學校工作計劃\n我們以習近平新時代中國特色社會主義思想為指導，全面落實黨的教育方針，把立德樹人根本任務落到實處。"
    )
    (doc,) = check([plan("t.txt", body)], [plan(REF)])
    bp = [body[p.start : p.end] for p in doc.passages if p.kind == "boilerplate" and p.ref.id == STOCK_ID]
    assert "以習近平新時代中國特色社會主義思想為指導" in bp and "全面落實黨的教育方針" in bp
    assert doc.copy_ratio == 0


def test_boilerplate_file_turns_copy_into_boilerplate(tmp_path):
    ref = text(REF)
    ra, rb = between(ref, "（三）推进读书分享活动", "（四）用好线上")
    body, ga, gb = plant(text("host.txt"), ref[ra:rb], "2.打造整本书")
    (before,) = check([plan("sub.txt", body)], refs())
    assert before.copy_ratio > 0.05
    bp = plan("common.txt", "学校常用表述\n" + ref[ra:rb])
    (after,) = check([plan("sub.txt", body)], refs(), boilerplate=[bp])
    assert after.copy_ratio < 0.02
    kinds = {(p.kind, p.ref.id) for p in after.passages if p.start <= ga + 2 and p.end >= gb - 2}
    # one passage per stretch (passages never overlap): the boilerplate file names it
    assert kinds == {("boilerplate", "common.txt")}


def test_text_common_to_many_sources_is_boilerplate():
    ref = text(REF)
    ra, rb = between(ref, "（一）实行导师结对制度", "（二）开展主题")
    shared = ref[ra:rb]
    others = [plan(f"school{k}.txt", f"第{k}校计划\n{shared}\n本校另有安排{k}。") for k in range(5)]
    body, ga, gb = plant(text("host.txt"), shared, "2.打造整本书")
    (doc,) = check([plan("sub.txt", body)], others)
    assert doc.copy_ratio < 0.02 and doc.boilerplate_ratio > 0.1
    (doc,) = check([plan("sub.txt", body)], others[:2])  # two sources: a copy
    assert doc.copy_ratio > 0.1


def test_submissions_against_each_other_never_self():
    from plantext.model import Plan

    ref = text(REF)
    ra, rb = between(ref, "（二）开展主题研修活动", "（三）推进读书")
    body, ga, gb = plant(text("host.txt"), ref[ra:rb], "4.推进英语")
    # one page holding two plans (the copy and the clean plan): still two plans
    clean = text("clean.txt")
    src = Source("page.txt", body + "\n\n" + clean, "txt")
    one = Plan("page.txt#1", src, 1, "东林", 0, len(body))
    two = Plan("page.txt#2", src, 2, "红星", len(body) + 2, len(src.text))
    docs = check([one, plan(REF), two])
    by = {d.id: d for d in docs}
    (p,) = [p for p in by["page.txt#1"].passages if p.kind == "copy"]
    assert p.ref.id == REF and same_clause(body, p.start, ga) and same_clause(body, p.end, gb)
    (q,) = [p for p in by[REF].passages if p.kind == "copy"]
    assert q.ref.id == "page.txt#1" and (q.ref.start, q.ref.end) == (p.start, p.end)
    assert by["page.txt#2"].copy_ratio < 0.05
    for d in docs:
        assert all(p.ref.id != d.id for p in d.passages)


def test_key_folds_synonyms_and_numbers():
    k1 = key_text("老师每学期提升48学时")[0]
    k2 = key_text("教师每学期提高五十学时")[0]
    assert k1 == k2 == "教师每学期提高0学时"


def test_one_copied_passage_one_detection_in_align():
    ref = plan(REF)
    whole = text(REF)[text(REF).index("一、指导思想") : ref.end]  # all but the title (a title starts a plan)
    body, ga, gb = plant(text("host.txt"), edit_chars(synonyms(whole)), "4.推进英语")
    assert len(split(Source("sub.txt", body, "txt"))) == 1
    sub = make_doc(plan("sub.txt", body))
    found = [a for a in align(sub, make_doc(ref)) if a.s_end > sub.fold_index(ga) and a.s_start < sub.fold_index(gb)]
    assert len(found) == 1
    assert sub.source_span(found[0].s_start, found[0].s_end, widen=True) == (ga, gb)


def test_index_candidates_skip_unrelated():
    idx = build_index(refs())
    ref = text(REF)
    ra, rb = between(ref, "（二）开展主题研修活动", "（四）用好线上")
    body, _, _ = plant(text("host.txt"), ref[ra:rb], "4.推进英语")
    got = [d.id for d in idx.candidates(make_doc(plan("sub.txt", body)))]
    assert got[0] == REF
    assert idx.candidates(make_doc(plan(REF)), exclude=[REF]) == []


def test_json_contract_keys():
    from plantext.report.jsonout import to_json

    (doc,) = check([plan("host.txt")], [plan(REF)])
    d = to_json(doc)
    assert list(d)[:10] == [
        "id",
        "source",
        "plan",
        "copy_ratio",
        "boilerplate_ratio",
        "passages",
        "max_source_ratio",
        "max_source",
        "sections",
        "sources",
    ]
    assert set(d["passages"][0]) >= {"start", "end", "kind", "score", "ref"}
    assert set(d["passages"][0]["ref"]) == {"id", "start", "end"}
    assert set(d["sections"][0]) >= {"title", "kind", "start", "end", "copy_ratio"}
    json.dumps(d, ensure_ascii=False)


# -- command line -------------------------------------------------------------------------


def _cli(args):
    from typer.testing import CliRunner

    from plantext.cli import app

    return CliRunner().invoke(app, args)


def _write_sub(tmp_path):
    ref = text(REF)
    ra, rb = between(ref, "（二）开展主题研修活动", "（四）用好线上")
    body, ga, gb = plant(text("host.txt"), traditional(ref[ra:rb]), "4.推进英语")
    sub = tmp_path / "sub.txt"
    sub.write_text(body, encoding="utf-8")
    return sub, body, ga, gb, ra, rb


def test_cli_json_against_references(tmp_path):
    sub, body, ga, gb, ra, rb = _write_sub(tmp_path)
    ref = str(DATA / REF)
    res = _cli(["check", str(sub), "--against", ref, "--against", str(DATA / "ref_moral.txt"), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    (d,) = out["documents"]
    assert d["id"] == str(sub) and d["max_source"] == ref and d["copy_ratio"] > 0.1
    (p,) = [p for p in d["passages"] if p["kind"] == "copy"]
    assert same_clause(body, p["start"], ga) and same_clause(body, p["end"], gb)
    assert p["ref"]["id"] == ref and same_clause(text(REF), p["ref"]["start"], ra)
    assert d["sources"][0] == {"id": ref, "copy_ratio": d["max_source_ratio"]}


def test_cli_table_to_file_and_no_overwrite(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")  # the table's titles are asserted in English
    _write_sub(tmp_path)
    (tmp_path / REF).write_text(text(REF), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # short ids, so that table cells do not wrap
    out = tmp_path / "check.txt"
    res = _cli(["check", "sub.txt", "--against", REF, "--format", "table", "-o", str(out)])
    assert res.exit_code == 0, res.output
    table = out.read_text("utf-8")
    assert re.search(r"sub\.txt.*%.*ref_training\.txt", table)  # the summary row
    assert "sub.txt: " in table and "% copied" in table  # the passages of the submission
    res = _cli(["check", "sub.txt", "--against", REF, "--format", "table", "-o", str(out)])
    assert res.exit_code != 0 and "already exists" in res.output
    assert out.read_text("utf-8") == table


def test_cli_bad_input_is_one_line_and_batch_goes_on(tmp_path):
    sub, *_ = _write_sub(tmp_path)
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8" * 10 + b"\x81")
    res = _cli(["check", str(sub), str(bad), str(DATA / REF), "--format", "json"])
    assert res.exit_code == 1
    assert str(bad) in res.output
    ids = [d["id"] for d in json.loads(res.stdout)["documents"]]
    assert ids == [str(sub), str(DATA / REF)]


def test_run_stage_writes_check_json(tmp_path):
    from plantext.run import RunOptions, run

    sub, *_ = _write_sub(tmp_path)
    out = tmp_path / "out"
    result = run([str(sub)], out, RunOptions(against=[str(DATA / REF)]))
    assert "check.json" in result.written
    (d,) = json.loads((out / "check.json").read_text("utf-8"))["documents"]
    assert d["max_source"] == str(DATA / REF) and d["copy_ratio"] > 0.1


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_seed_page_repeats_are_copies_and_agree_with_similar(seed, prefix):
    """A template page repeats plans under other titles: check finds each repeat almost
    wholly copied from its twin, agrees with the near-duplicate finder, and leaves the
    page's other plans near zero."""
    from plantext.inputs import read_inputs
    from plantext.similarity.similar import similar

    plans = read_inputs([str(seed(prefix))]).plans
    docs = {d.id: d for d in check(plans)}
    twins = {frozenset((m.a, m.b)) for m in similar(plans, 0.9).pairs}
    copied = {frozenset((d.id, d.max_source)) for d in docs.values() if d.copy_ratio > 0.9}
    assert copied == twins
    in_pair = set().union(*twins) if twins else set()
    for pid, d in docs.items():
        if pid not in in_pair:
            assert d.copy_ratio < 0.05, (pid, d.copy_ratio)


def test_cli_boilerplate_folder_and_no_stock(tmp_path):
    sub, body, ga, gb, ra, rb = _write_sub(tmp_path)
    bp = tmp_path / "bp"
    bp.mkdir()
    (bp / "common.txt").write_text("常用表述\n" + text(REF)[ra:rb], encoding="utf-8")
    res = _cli(["check", str(sub), "--against", str(DATA / REF), "--boilerplate", str(bp), "--format", "json"])
    assert res.exit_code == 0, res.output
    (d,) = json.loads(res.stdout)["documents"]
    assert d["copy_ratio"] < 0.02 and d["boilerplate_ratio"] > 0.1
    assert any(p["ref"]["id"] == str(bp / "common.txt") for p in d["passages"])
    res = _cli(["check", str(sub), "--against", str(DATA / REF), "--no-stock", "--format", "json"])
    (d,) = json.loads(res.stdout)["documents"]
    assert not any(p["ref"]["id"] == STOCK_ID for p in d["passages"])


def test_two_passages_from_one_reference_stay_two():
    ref = text(REF)
    a = between(ref, "（一）实行导师结对制度", "（二）开展主题")
    b = between(ref, "（四）用好线上学习平台", "四、保障措施")
    # the two lifted paragraphs with one short sentence of the host's own between them
    between_text = "另外，学校为每个教研组订阅两种学科期刊。\n"
    body, ga, gb = plant(text("host.txt"), ref[a[0] : a[1]] + "\n" + between_text + ref[b[0] : b[1]], "4.推进英语")
    gb, gc = ga + (a[1] - a[0]), ga + (a[1] - a[0]) + 1 + len(between_text)
    gd = gc + (b[1] - b[0])
    assert body[ga:gb] == ref[a[0] : a[1]] and body[gc:gd] == ref[b[0] : b[1]]
    (doc,) = check([plan("sub.txt", body)], refs())
    copies = sorted((p for p in doc.passages if p.kind == "copy"), key=lambda p: p.start)
    assert [
        (
            p.ref.id,
            same_clause(body, p.start, s),
            same_clause(body, p.end, e),
            same_clause(ref, p.ref.start, rs),
            same_clause(ref, p.ref.end, re_),
        )
        for p, (s, e, rs, re_) in zip(copies, [(ga, gb, *a), (gc, gd, *b)])
    ] == [(REF, True, True, True, True)] * 2
    assert len(copies) == 2


def test_a_phrase_repeated_in_both_plans_is_not_a_copy():
    # Two unrelated plans that each name one programme several times, close together: every
    # pairing of its places chains into a fragment, and those must not add up to a passage.
    x = "县级农村学科骨干教师培养对象"
    ref_body = (
        "骨干教师工作计划\n一、培养安排\n本学期确定" + x + "五名，" + x + "按月上一节示范课，"
        "由教研组长跟踪指导，期末交成长档案。\n二、考核\n学校每学年考核一次，结果存档。\n"
    )
    sub_body = (
        "名师工作室计划\n一、研修方式\n"
        + x
        + "参加工作室研修，"
        + x
        + "每学期读书两本，"
        + x
        + "撰写案例一篇，做到学用结合。\n二、保障\n工作室配备专用教室和图书。\n"
    )
    others = [
        plan(f"o{k}.txt", f"计划{k}\n一、说明\n今年评选{x}，按程序推荐。\n二、其他\n第{k}项内容另行通知。\n")
        for k in range(1)
    ]
    ref = plan("ref.txt", ref_body)
    doc = check([plan("sub.txt", sub_body)], [ref, *others])[0]
    assert [p for p in doc.passages if p.kind == "copy"] == []
    assert doc.copy_ratio == 0.0


def test_a_numeral_run_across_a_line_break_does_not_pull_in_the_line_before():
    # "□xxx" ends one line and "三、" opens the next: folded, both are one numeral run; the
    # copied passage starts at the heading, not at the placeholder line above it.
    body = (
        "通过集体备课和课堂观摩，帮助青年教师站稳讲台，三年内形成一支骨干梯队；"
        "每位青年教师拜一名师傅，师徒同备一节课、同上一节课、同写一篇反思。\n"
    )
    ref_text = "青年教师培养计划\n一、基本情况\n我校现有青年教师十二人，教龄均不满五年。\n二、培养目标\n" + body
    sub_text = "新教师成长方案\n一、组织机构\n组长□xxx\n成员□xxx\n三、培养目标\n" + body
    doc = check([plan("sub.txt", sub_text)], [plan("ref.txt", ref_text)])[0]
    [p] = [p for p in doc.passages if p.kind == "copy"]
    assert p.start == sub_text.index("三、培养目标")
    assert p.ref.start == ref_text.index("二、培养目标")
    assert sub_text[p.end - 1] == "。"


def test_a_national_programme_name_is_boilerplate_not_copy():
    # Two schools' plans both cite the national programme by name, once as a heading; the
    # reference repeats the name in several sentences of its own. Nothing else is shared.
    ref_text = (
        "县教师发展中心工作要点\n一、重点项目\n"
        "实施信息技术应用能力提升工程，分学科开展整校推进示范培训；信息技术应用能力提升工程"
        "的测评由各校自行组织，年底前上报结果；信息技术应用能力提升工程专家团队下校指导两次。\n"
    )
    sub_text = (
        "实验小学教师培训计划\n一、师德建设\n每月开展一次师德专题学习，教师撰写心得。\n"
        "二、提升信息技术应用能力\n组织全体教师参加信息技术应用能力提升工程培训，人人完成网络研修。\n"
    )
    doc = check([plan("sub.txt", sub_text)], [plan("ref.txt", ref_text)])[0]
    assert [p for p in doc.passages if p.kind == "copy"] == []
    a = sub_text.index("信息技术应用能力提升工程")
    assert any(p.kind == "boilerplate" and p.start <= a and p.end >= a + 12 for p in doc.passages)


def test_a_phrase_the_reference_repeats_does_not_stretch_the_source_span():
    # The copied sentences name a rule the reference names twice more around them: the
    # source side of the passage is the copied sentences, not the stretch between the names.
    x = "校本研修学分登记制度"
    copied = (
        "各教研组严格执行" + x + "，每学期末由教务处汇总学时，未达标的教师不得参加评优评先，并在下学期补足所缺学时。"
    )
    ref_text = (
        "教务处工作计划\n一、常规管理\n本学年修订" + x + "，报校务会审议通过后施行。\n"
        "二、教师培训\n" + copied + "\n三、档案\n" + x + "的执行情况纳入教师业务档案。\n"
    )
    sub_text = (
        "语文组研修计划\n一、研修安排\n每两周集体备课一次，轮流主备。\n" + copied + "\n二、总结\n期末评选优秀教案。\n"
    )
    doc = check([plan("sub.txt", sub_text)], [plan("ref.txt", ref_text)])[0]
    [p] = [p for p in doc.passages if p.kind == "copy"]
    a = ref_text.index(copied)
    assert (p.ref.start, p.ref.end) == (a, a + len(copied))
    b = sub_text.index(copied)
    assert (p.start, p.end) == (b, b + len(copied))


def test_a_shared_title_is_not_a_copied_passage():
    # Two schools file under the same stock title; their bodies have nothing in common.
    title = "二〇二四年春季学期青年教师培训工作计划\n"
    ref_text = (
        title
        + "一、指导思想\n围绕课堂教学改革，帮助青年教师过好教材关和课堂关。\n二、安排\n三月举行汇报课，四月举行说课比赛。\n"
    )
    sub_text = (
        title
        + "一、指导思想\n本学期重点抓作业设计，减少机械重复的书面作业。\n二、安排\n每月检查一次作业批改，期末评选优秀作业。\n"
    )
    doc = check([plan("sub.txt", sub_text)], [plan("ref.txt", ref_text)])[0]
    assert [p for p in doc.passages if p.kind == "copy"] == []
    # the same title above a copied body still goes with the copy
    whole = check([plan("sub.txt", ref_text)], [plan("ref.txt", ref_text)])[0]
    [p] = [p for p in whole.passages if p.kind == "copy"]
    assert (p.start, p.ref.start) == (0, 0) and whole.copy_ratio > 0.95
