"""Words and sentences with source offsets; the domain dictionary; spaCy; the segment command."""

import json

from conftest import seed_path
from typer.testing import CliRunner

from plantext import segment as sg
from plantext.clean import clean
from plantext.model import Plan, Source, Span
from plantext.normalize import text_view


def plan_of(text: str, noise=()) -> Plan:
    src = clean(Source(path="s.txt", text=text, format="txt"))
    src.noise = sorted(list(src.noise) + list(noise), key=lambda s: (s.start, s.end))
    return Plan(id="s.txt", source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))


def test_domain_words_come_out_whole():
    words = sg.cut(
        "本学期开展校本研修和送教下乡活动，骨干教师每人完成72学时的继续教育，参加国培计划的新任教师由名师工作室指导。"
    )
    for w in ("校本研修", "送教下乡", "骨干教师", "学时", "继续教育", "国培计划", "新任教师", "名师工作室"):
        assert w in words, (w, words)
    # the global jieba (no domain dictionary) splits at least some of them
    import jieba

    plain = jieba.lcut("本学期开展校本研修和送教下乡活动")
    assert "校本研修" not in plain or "送教下乡" not in plain


def test_more_domain_terms_on_text_they_were_not_written_against():
    words = sg.cut("学校采用观课议课和同伴互助的方式，开展课例研究，扶持薄弱学校，提高教师学历层次。")
    for w in ("观课议课", "同伴互助", "课例研究", "薄弱学校", "学历层次"):
        assert w in words, (w, words)
    # compositional phrases stay split, so their head words count in term statistics
    assert "骨干教师" in sg.cut("县级骨干教师参加培训")


def test_tokens_with_a_memo_are_the_same_words_at_the_same_places():
    a = "一、指导思想\n以立德树人为根本任务，全面提升教师专业素养。2026年完成PPT课件评比 50 件。"
    b = "二、工作目标\n以立德树人为根本任务，组织青年教师开展“三字一话”基本功训练；全年培训不少于72学时。"
    memo: dict[str, tuple[str, ...]] = {}
    for text in (a, b, a):
        got = sg.tokens(text, memo=memo)
        assert got == sg.tokens(text)
        assert all(text[s:e] == w for w, s, e in got)
    # the runs between punctuation and spaces are kept, each once: the shared clause among them
    assert memo["以立德树人为根本任务"] == tuple(sg.cut("以立德树人为根本任务"))
    assert "，" not in memo and " " not in memo and all(memo)


def test_tokenizer_is_private_and_cached():
    import jieba

    tk = sg.tokenizer()
    assert tk is sg.tokenizer() and tk is not jieba.dt
    assert "信息技术应用能力提升工程" in tk.FREQ
    assert "信息技术应用能力提升工程" not in jieba.dt.FREQ


def test_pos_tagger_has_the_domain_tags_and_leaves_the_tokenizer_alone():
    import jieba.posseg

    pt = sg.pos_tokenizer()
    assert pt is sg.pos_tokenizer() and pt.tokenizer is sg.tokenizer()
    tags = dict((w, f) for w, f in pt.cut("落实经费，创造性地开展校本研修"))
    assert tags["落实"] == "v" and tags["创造性地"] == "d" and tags["校本研修"] == "vn"
    # the tokenizer keeps its user tags for any other tagger; jieba's global one is untouched
    assert sg.tokenizer().user_word_tag_tab.get("落实") == "v"
    assert jieba.posseg.dt.word_tag_tab.get("落实") == "a"


def test_userdict_entries_are_well_formed():
    lines = open(sg.userdict_path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
    assert len(lines) >= 300
    seen = set()
    for line in lines:
        word, freq, pos = line.split(" ")
        assert word not in seen and int(freq) > 0 and pos.isalpha()
        seen.add(word)


def test_words_map_to_the_source_of_a_traditional_half_width_plan():
    text = "一、培訓目標\n骨幹教師每學期完成校本研修,不少於24學時。"
    plan = plan_of(text)
    toks = sg.words(plan)
    texts = [t.text for t in toks]
    assert "骨干教师" in texts and "校本研修" in texts and "学时" in texts
    for t in toks:
        assert text_view(text[t.start : t.end], "norm").text == t.text
    t = toks[texts.index("骨干教师")]
    assert text[t.start : t.end] == "骨幹教師"
    assert "，" in texts  # punctuation is normalised, whitespace dropped
    assert not any(x.isspace() for x in texts)


def test_sentences_exact_offsets_and_quotes_and_brackets():
    text = "学习《教师法；教育法》。他说：“要上好课！”大家赞同。\n组织（每月一次。）教研活动？是的\n\n  结束；"
    plan = plan_of(text)
    got = [(s.start, s.end, s.text) for s in sg.sentences(plan)]
    want = [
        "学习《教师法；教育法》。",
        "他说：“要上好课！”大家赞同。",
        "组织（每月一次。）教研活动？",
        "是的",
        "结束；",
    ]
    assert [g[2] for g in got] == want
    for s, e, t in got:
        assert text[s:e] == t
    assert got[0][:2] == (0, 12)
    assert got[-1][:2] == (text.index("结束"), len(text))


def test_a_line_break_inside_a_book_title_does_not_split_but_a_stray_bracket_cannot_swallow():
    text = "学习《幼儿\n\n园工作规程》内容。明确责任（见附件\n做好总结。"
    got = [s.text for s in sg.sentences(plan_of(text))]
    assert got == ["学习《幼儿\n\n园工作规程》内容。", "明确责任（见附件", "做好总结。"]


def test_sentences_skip_dropped_noise_and_read_half_width_punctuation():
    text = "第一句话;第二句话?\n- 3 -\n第三句話!"
    r = text.index("- 3 -")
    plan = plan_of(text, [Span(r, r + 5, "page-residue", drop=True)])
    got = [(s.start, s.end, s.text) for s in sg.sentences(plan)]
    assert [g[2] for g in got] == ["第一句话;", "第二句话?", "第三句話!"]
    assert got[2][0] == text.index("第三")


def test_stopwords():
    sw = sg.stopwords()
    for w in ("的", "和", "进一步", "加强", "认真", "积极"):
        assert w in sw
    for w in ("校本研修", "骨干教师", "学时", "师德"):
        assert w not in sw


def test_spacy_pipeline_uses_the_domain_dictionary_and_maps_offsets():
    nlp = sg.nlp()
    assert nlp is sg.nlp() and nlp.lang == "zh"
    doc = nlp("骨干教师参加送教下乡活动。")
    assert [t.text for t in doc][:2] == ["骨干教师", "参加"]
    assert "送教下乡" in [t.text for t in doc]
    text = "  二、骨幹教師參加送教下鄉活動。"
    plan = plan_of(text)
    d = sg.doc(plan)
    tok = [t for t in d if t.text == "骨干教师"][0]
    assert text[tok._.src_start : tok._.src_end] == "骨幹教師"
    assert d.user_data["src_spans"][tok.i] == (tok._.src_start, tok._.src_end)


def test_seed_sentences_are_source_slices():
    import plantext

    src = plantext.load(str(seed_path("004")))
    plan = plantext.split(src)[0]
    sents = sg.sentences(plan)
    assert len(sents) > 50
    for s in sents:
        assert src.text[s.start : s.end] == s.text and s.text == s.text.strip()
        assert plan.start <= s.start < s.end <= plan.end


def test_segment_command(tmp_path):
    from plantext.cli import app

    f = tmp_path / "p.txt"
    f.write_text("一、指導思想\n開展校本研修。提升骨干教师能力！\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["segment", str(f)])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["一 、 指导思想", "开展 校本研修 。", "提升 骨干教师 能力 ！"]
    r = CliRunner().invoke(app, ["segment", str(f), "--format", "jsonl"])
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["start"], x["end"], x["text"]) for x in rows] == [
        (0, 6, "一、指導思想"),
        (7, 14, "開展校本研修。"),
        (14, 23, "提升骨干教师能力！"),
    ]
    r = CliRunner().invoke(app, ["segment", str(tmp_path / "nope.txt")])
    assert r.exit_code == 1 and "nope.txt" in r.stderr
    r = CliRunner().invoke(app, ["segment", str(f), "--format", "csv"])
    assert r.exit_code == 2
