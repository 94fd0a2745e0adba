"""Near-duplicate plans: fingerprints, similar() on disguised copies written for these tests,
stock-text weighting, containment, the seed pages, the CLI and the run stage."""

from __future__ import annotations

import json
import random
import re
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pytest

from plantext.model import Source
from plantext.similarity import fingerprint as fp
from plantext.similarity.similar import lsh_rows, similar, stock_phrase_hashes
from plantext.split import split

pytestmark = pytest.mark.usefixtures("english")  # asserts the English wording of messages

DATA = Path(__file__).parent / "data" / "similar"


def _plan(name: str, text: str):
    (plan,) = split(Source(path=name, text=text, format="txt")) or [None]
    return plan


def _base() -> str:
    return (DATA / "base.txt").read_text(encoding="utf-8")


def _s2t(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _swap_synonyms(text: str, share: float, seed: int = 3) -> tuple[str, int, int]:
    """Swap ``share`` of the words (jieba, domain dictionary) for synonyms from synonyms.tsv."""
    from plantext.segment import tokens

    syn = dict(
        line.split("\t")
        for line in (DATA / "synonyms.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    toks = [t for t in tokens(text) if re.search(r"[\u4e00-\u9fff]", t[0])]
    swappable = [t for t in toks if t[0] in syn]
    chosen = sorted(random.Random(seed).sample(swappable, round(share * len(toks))), key=lambda t: t[1])
    out, pos = [], 0
    for w, s, e in chosen:
        out += [text[pos:s], syn[w]]
        pos = e
    return "".join(out + [text[pos:]]), len(chosen), len(toks)


def _pair(result, a: str, b: str):
    for m in result.pairs:
        if {m.a, m.b} == {a, b}:
            return m
    return None


# -- fingerprints ---------------------------------------------------------------------------


def test_fold_string_equals_the_fold_view():
    base = _base()
    variants = [
        base,
        _s2t(base),
        base.replace("，", ","),
        "Ａ１２３　ＢＣ：①②⑴、「引號」" + base[:200],
        "电话：0731-12345678，E-mail：ABC@x.cn；（二）\t２０２４年",
    ]
    for text in variants:
        plan = _plan("x.txt", text)
        assert fp.fold_string(plan.view("clean").text) == plan.view("fold").text


def test_fold_strings_in_blocks_with_empty_and_odd_texts():
    texts = ["", "計劃", "", "Ｘ⑴　ｙ", "教师\n培训", ""]
    from plantext.normalize import text_view

    want = [text_view(t, "fold").text for t in texts]
    assert fp.fold_strings(texts) == want == ["", "计划", "", "x1y", "教师培训", ""]
    assert fp.fold_strings(texts, block=3) == want
    assert fp.fold_strings([]) == []


def test_fold_text_folds_years_and_placeholders():
    a = _plan("a.txt", "一、目标\n20xx年全校教师参加培训，xx学校负责。")
    b = _plan("b.txt", "一、目标\n2024年全校教师参加培训，XX学校负责。")
    assert fp.fold_text(a) == fp.fold_text(b) == "一目标#年全校教师参加培训#学校负责"
    # numbers that are not years stay as they are
    assert fp.fold_placeholders("不少于120学时共2024人") == "不少于120学时共2024人"
    assert fp.fold_placeholders("12020年") == "12020年"
    assert fp.fold_placeholders("20232024学年度第1期") == "#学年度第1期"


def test_shingle_hashes_are_per_ngram_and_positional():
    text = "教师培训计划教师培训计划"
    h = fp.shingle_hashes(text)
    assert len(h) == len(text) - 4 and h.dtype == np.uint64
    assert h[0] == h[6] and h[1] != h[0]  # the same 5-gram hashes alike wherever it stands
    assert len(set(h.tolist())) == 6
    assert int(h.max()) < 1 << fp.HASH_BITS
    assert len(fp.shingle_hashes("计划")) == 1 and len(fp.shingle_hashes("")) == 0
    assert fp.shingle_hashes("教师培训计")[0] == h[0]


def test_shingle_sets_many_and_minhash_many_match_the_single_versions():
    rng = random.Random(5)
    base = fp.fold_string(_base())
    texts = [base[i : i + rng.randint(0, 400)] for i in range(0, 900, 60)] + ["", "短", base]
    values, offsets = fp.shingle_sets_many(texts, block=700)
    sig = fp.minhash_many(values, offsets, block=300)
    for i, t in enumerate(texts):
        assert np.array_equal(values[offsets[i] : offsets[i + 1]], fp.shingle_set(t))
        assert np.array_equal(sig[i], fp.minhash(fp.shingle_set(t)))
    assert (sig[texts.index("")] == fp.EMPTY).all()


def test_minhash_estimates_jaccard():
    base = fp.fold_string(_base())
    a, b = fp.shingle_set(base[:700]), fp.shingle_set(base[300:])
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    est = fp.jaccard_estimate(fp.fingerprint(base[:700]), fp.fingerprint(base[300:]))
    assert 0.3 < exact < 0.5 and abs(est - exact) < 0.1
    unrelated = fp.fold_string((DATA / "unrelated_safety.txt").read_text(encoding="utf-8"))
    assert fp.jaccard_estimate(fp.fingerprint(base), fp.fingerprint(unrelated)) < 0.15


def test_hash_set_membership_equals_isin():
    from plantext.similarity.similar import HashSet

    rng = np.random.default_rng(4)
    members = rng.integers(0, 1 << 52, size=3000, dtype=np.uint64)
    # force probe chains: values that share the low bits of their table slot
    members[:50] = (members[:50] >> np.uint64(20)) << np.uint64(20)
    x = np.concatenate([members, members + np.uint64(1), rng.integers(0, 1 << 52, size=5000, dtype=np.uint64)])
    rng.shuffle(x)
    hs = HashSet(members)
    assert hs.probes > 3
    assert np.array_equal(hs.contains(x), np.isin(x, members))
    assert np.array_equal(hs.contains(x, chunk=777), np.isin(x, members))
    assert not HashSet(np.zeros(0, dtype=np.uint64)).contains(x).any()


def test_lsh_rows_give_the_wanted_recall():
    for t in (0.3, 0.5, 0.8):
        r = lsh_rows(t)
        b = 128 // r
        assert 1 - (1 - t**r) ** b >= 0.99
        assert 1 - (1 - t ** (r + 1)) ** (128 // (r + 1)) < 0.99  # the most rows that do
    assert lsh_rows(0.5) >= 3


# -- disguised copies -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def disguised():
    base = _base()
    swapped, n_swapped, n_words = _swap_synonyms(base, 0.10)
    assert n_swapped >= 0.095 * n_words
    lines = base.splitlines(keepends=True)
    half = "".join(lines[: len(lines) // 2])
    texts = {
        "base.txt": base,
        "exact.txt": base,
        "traditional.txt": _s2t(base),
        "halfwidth.txt": base.replace("，", ","),
        "synonyms.txt": swapped,
        "half.txt": half,
        "reading.txt": (DATA / "unrelated_reading.txt").read_text(encoding="utf-8"),
        "safety.txt": (DATA / "unrelated_safety.txt").read_text(encoding="utf-8"),
    }
    assert texts["traditional.txt"] != base and "," in texts["halfwidth.txt"]
    assert 0.4 < len(half) / len(base) < 0.6
    plans = [_plan(k, v) for k, v in texts.items()]
    return similar(plans, 0.5)


def test_exact_traditional_and_halfwidth_copies_score_one(disguised):
    for name in ("exact.txt", "traditional.txt", "halfwidth.txt"):
        m = _pair(disguised, "base.txt", name)
        assert m is not None and m.score == 1.0 and m.containment == 1.0, name


def test_synonym_swaps_keep_a_high_score(disguised):
    m = _pair(disguised, "base.txt", "synonyms.txt")
    # one word in ten swapped: most of the text still reads the same
    assert m is not None and 0.6 <= m.score < 0.95


def test_half_length_copy_is_reported_by_containment(disguised):
    m = _pair(disguised, "base.txt", "half.txt")
    assert m is not None
    assert m.containment >= 0.97
    assert 0.55 < m.score < 0.8  # the symmetric share is lower: half of the base is missing


def test_unrelated_plans_sharing_stock_paragraphs_score_low(disguised):
    for m in disguised.pairs:
        assert not {m.a, m.b} & {"reading.txt", "safety.txt"}, m
    plans = [_plan("base.txt", _base())] + [
        _plan(n, (DATA / f"unrelated_{n}").read_text(encoding="utf-8")) for n in ("reading.txt", "safety.txt")
    ]
    low = similar(plans, 0.01)
    assert len(low.pairs) == 3  # they do share the stock paragraphs ...
    assert all(max(m.score, m.containment) < 0.3 for m in low.pairs)  # ... and score low


def test_empty_and_tiny_plans_pair_with_nothing():
    from plantext.similarity.similar import similar_texts

    r = similar_texts(list("abcdef"), ["", "", "短", "短", "教师培训计划", "教师培训计划"], 0.5)
    assert [(m.a, m.b, m.score) for m in r.pairs] == [("e", "f", 1.0)]
    assert similar_texts(["a"], ["教师培训计划"]).pairs == []


def test_clusters_group_every_copy(disguised):
    assert disguised.clusters == [
        ["base.txt", "exact.txt", "half.txt", "halfwidth.txt", "synonyms.txt", "traditional.txt"]
    ]
    scores = [max(m.score, m.containment) for m in disguised.pairs]
    assert scores == sorted(scores, reverse=True)


def test_a_short_excerpt_inside_a_long_plan_is_found():
    base = _base()
    start = base.index("三、主要内容")
    excerpt = base[start : start + 330]
    long_plan = base + (DATA / "unrelated_reading.txt").read_text(encoding="utf-8")
    plans = [_plan("long.txt", long_plan), _plan("excerpt.txt", "摘录\n" + excerpt)]
    r = similar(plans, 0.5)
    a = fp.shingle_set(fp.fold_text(plans[0]))
    b = fp.shingle_set(fp.fold_text(plans[1]))
    assert len(np.intersect1d(a, b)) / len(np.union1d(a, b)) < 0.25  # LSH alone would miss it
    m = _pair(r, "long.txt", "excerpt.txt")
    assert m is not None and m.containment > 0.95 and m.score < 0.4
    assert r.stats["containment"] == 1


# -- stock text weighting ---------------------------------------------------------------------

_WORDS = (
    "课堂 作业 阅读 写作 实验 劳动 体育 音乐 美术 心理 家长 社团 食堂 宿舍 图书 电脑 操场 花园 "
    "科技 书法 足球 合唱 舞蹈 棋类 绘画 朗诵 编程 种植 研学 值日"
).split()
_VERBS = "检查 布置 整理 打扫 观察 记录 讨论 展示 评比 修理 购买 清点 走访 培养 练习".split()


def _body(rng: random.Random) -> str:
    """A short body of sentences no other plan has (many word combinations)."""
    out = []
    for k in range(8):
        w = rng.sample(_WORDS, 4)
        v = rng.sample(_VERBS, 2)
        out.append(f"{k + 1}、{w[0]}组每周{v[0]}{w[1]}和{w[2]}，第{rng.randint(2, 19)}周{v[1]}{w[3]}情况。")
    return "\n".join(out)


def test_stock_paragraphs_shared_by_many_plans_are_weighted_down():
    stock = _base()
    guide = stock[stock.index("以立德树人") : stock.index("二、研修目标")].strip()
    support = stock[stock.index("成立由校长") : stock.index("学校每年按照")].strip()
    rng = random.Random(11)
    texts = {
        f"p{k:02d}.txt": f"第{k}小学工作安排\n一、指导思想\n{guide}\n二、工作内容\n{_body(rng)}\n三、保障措施\n{support}\n"
        for k in range(30)
    }
    texts["copy.txt"] = texts["p07.txt"].replace("第7小学", "第七小学")
    plans = [_plan(k, v) for k, v in texts.items()]
    # without weighting, the stock paragraphs alone make unrelated plans look alike
    plain = similar(plans, 0.5, stock_min_df=10**6, stock_phrases=False)
    assert len(plain.pairs) > 100
    weighted = similar(plans, 0.5)
    assert [(m.a, m.b) for m in weighted.pairs] == [("p07.txt", "copy.txt")]
    assert weighted.pairs[0].score > 0.95
    assert weighted.stats["stock_ngrams"] > len(guide) - 10


def test_a_page_repeating_one_plan_does_not_make_it_stock():
    # 25 repeats on one page count as one source: their text is not stock
    text = "".join(f"模板{k}\n{_base()}\n" for k in range(25))
    src = Source(path="page.txt", text=text, format="txt")
    from plantext.model import Plan

    plans = []
    pos = 0
    for k in range(25):
        s = text.index(f"模板{k}\n", pos)
        e = s + len(f"模板{k}\n") + len(_base())
        plans.append(Plan(id=f"page.txt#{k + 1}", source=src, plan=k + 1, title=f"模板{k}", start=s, end=e))
        pos = e
    r = similar(plans, 0.5)
    assert r.stats["stock_ngrams"] == len(stock_phrase_hashes())  # only the shipped stock phrases
    assert len(r.pairs) == 25 * 24 // 2 and len(r.clusters) == 1


# -- seed pages ---------------------------------------------------------------------------------


def test_seed_pages_repeated_plans_pair_and_nothing_else_comes_close(seed):
    from plantext.inputs import read_inputs

    paths = [str(seed(k)) for k in ("000", "001", "002", "003", "004")]
    plans = read_inputs(paths).plans
    folds = {p.id: fp.fold_text(p) for p in plans}
    bodies = {
        k: v[len(fp.fold_placeholders(fp.fold_string(p.title))) :] for p in plans for k, v in [(p.id, folds[p.id])]
    }

    def same(a, b):  # the oracle: difflib on the folded bodies, titles left out
        x, y = bodies[a], bodies[b]
        if min(len(x), len(y)) < 200 or not 0.8 < len(x) / len(y) < 1.25:
            return False
        return (
            SequenceMatcher(None, x, y, autojunk=False).quick_ratio() > 0.97
            and SequenceMatcher(None, x, y, autojunk=False).ratio() > 0.95
        )

    ids = [p.id for p in plans]
    repeats = {frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1 :] if same(a, b)}
    assert len(repeats) >= 2  # seed 000 repeats plans under other numbers (篇1 and 篇4 among them)
    r = similar(plans, 0.5)
    for pair in repeats:
        m = _pair(r, *pair)
        assert m is not None and m.score >= 0.95, pair
        assert any(pair <= set(c) for c in r.clusters)
    for m in similar(plans, 0.05).pairs:
        if frozenset((m.a, m.b)) in repeats:
            continue
        assert m.score < 0.4, m  # no unrelated pair comes close
        if m.containment >= 0.5:
            # reported only where a real passage is shared
            x, y = folds[m.a], folds[m.b]
            blk = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y))
            assert blk.size >= 100, m


# -- CLI and run stage ---------------------------------------------------------------------------


@pytest.fixture
def corpus_dir(tmp_path):
    d = tmp_path / "plans"
    d.mkdir()
    base = _base()
    (d / "a.txt").write_text(base, encoding="utf-8")
    (d / "b.txt").write_text(_s2t(base).replace("明德", "育英"), encoding="utf-8")
    (d / "c.txt").write_text((DATA / "unrelated_safety.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return d


def test_cli_json_contract(corpus_dir):
    from typer.testing import CliRunner

    from plantext.cli import app

    res = CliRunner().invoke(app, ["similar", str(corpus_dir), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert list(out) == ["pairs", "clusters"]
    a, b = str(corpus_dir / "a.txt"), str(corpus_dir / "b.txt")
    assert out["clusters"] == [[a, b]]
    (pair,) = out["pairs"]
    assert list(pair)[:3] == ["a", "b", "score"] and {pair["a"], pair["b"]} == {a, b}
    assert pair["score"] > 0.95 and pair["title_a"] and pair["title_b"]


def test_cli_table_xlsx_csv_and_force(corpus_dir, tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from plantext.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["similar", str(corpus_dir), "--format", "table"])
    assert res.exit_code == 0
    text = res.stdout
    assert text.index("clusters") < text.index("similar pairs") and "明德小学" in text
    out = tmp_path / "s.xlsx"
    assert runner.invoke(app, ["similar", str(corpus_dir), "-o", str(out)]).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["pairs", "clusters"]
    assert [c.value for c in wb["pairs"][1]][:4] == ["a", "b", "score", "containment"]
    assert wb["pairs"].cell(2, 3).value > 0.95
    assert wb["clusters"].max_row == 3
    before = out.read_bytes()
    res = runner.invoke(app, ["similar", str(corpus_dir), "-o", str(out)])
    assert res.exit_code != 0 and "already exists" in res.output and out.read_bytes() == before
    assert runner.invoke(app, ["similar", str(corpus_dir), "-o", str(out), "--force"]).exit_code == 0
    res = runner.invoke(app, ["similar", str(corpus_dir), "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.splitlines()[0] == "a,b,score,containment,title_a,title_b"


def test_cli_bad_input_goes_on_and_bad_threshold_fails(corpus_dir, tmp_path):
    from typer.testing import CliRunner

    from plantext.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["similar", str(tmp_path / "missing.txt"), str(corpus_dir), "-f", "json"])
    assert res.exit_code == 1
    assert "missing.txt" in res.stderr
    assert len(json.loads(res.stdout)["pairs"]) == 1
    res = runner.invoke(app, ["similar", str(corpus_dir), "--threshold", "1.5"])
    assert res.exit_code == 2 and "--threshold" in res.stderr


def test_run_writes_similar_files(corpus_dir, tmp_path):
    from plantext.pipeline import Artifacts, read, similar_all
    from plantext.report.run_files import write_similar

    out = tmp_path
    art = Artifacts(read([str(corpus_dir)]))
    art.similar = similar_all(art.plans)
    assert write_similar(out, art) == ["similar.json", "similar.xlsx"]
    data = json.loads((out / "similar.json").read_text(encoding="utf-8"))
    assert len(data["clusters"]) == 1 and len(data["pairs"]) == 1
