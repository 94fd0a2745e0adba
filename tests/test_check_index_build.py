"""The reference index is built with less memory and says the same: source counts taken on the
sorted postings equal a count per source; the word index keeps the same postings."""

import numpy as np

from plantext.model import Source
from plantext.similarity.align import make_doc
from plantext.similarity.boilerplate import _per_source_counts, _sources_per_hash
from plantext.similarity.check import build_index
from plantext.split import split

TOPICS = ["教师培训", "安全教育", "德育工作", "教研活动", "校本课程", "家校共育"]


def _plan_text(k: int) -> str:
    t = TOPICS[k % len(TOPICS)]
    return (
        f"第{k}中学{t}计划\n一、指导思想\n以立德树人为根本任务，推进{t}，本学期计划开展专题活动{k + 3}次。\n"
        f"二、主要措施\n1. 成立{t}领导小组，校长任组长，每月召开一次例会。\n"
        f"2. 组织全体教师参加{t}专题学习，每人撰写心得一篇，第{k % 5 + 1}周交教务处。\n"
        "三、工作安排\n九月：制订计划；十月：开展活动；十一月：检查落实；十二月：总结表彰。\n"
    )


def _docs(n: int):
    return [make_doc(p) for k in range(n) for p in split(Source(f"r{k}.txt", _plan_text(k), "txt"))]


def _postings(docs):
    parts = [np.unique(d.hashes) for d in docs]
    h = np.concatenate(parts)
    owner = np.repeat(np.arange(len(docs), dtype=np.int32), [len(x) for x in parts])
    order = np.argsort(h, kind="stable")
    h, owner = h[order], owner[order]
    starts = np.concatenate(([0], np.flatnonzero(h[1:] != h[:-1]) + 1))
    return h, owner, starts


def test_source_counts_on_postings_equal_counts_per_source():
    docs = _docs(24)
    for i, d in enumerate(docs):  # three plans per source, standing together
        d.source = f"page{i // 3}.txt"
    u1, c1 = _per_source_counts(docs, "hashes")
    u2, c2 = _sources_per_hash(docs, _postings(docs))
    assert np.array_equal(u1, u2) and np.array_equal(c1, c2)
    assert c1.max() > 1 and c1.max() <= 8  # shared wording counted once per source


def test_scattered_sources_fall_back_to_counting_per_source():
    docs = _docs(6)
    for i, d in enumerate(docs):
        d.source = f"page{i % 2}.txt"  # a source's plans apart: not counted on the postings
    assert _sources_per_hash(docs, _postings(docs)) == (None, None)


def test_index_marks_common_ngrams_as_before():
    docs = _docs(30)
    idx = build_index(docs, min_sources=3)
    assert len(idx.common.grams)
    assert not np.isin(idx.post_hash, idx.common.grams).any()  # common n-grams are no postings
    kept = np.concatenate([np.unique(d.hashes) for d in docs])
    rare = np.unique(kept, return_counts=True)
    want = np.sort(rare[0][(rare[1] <= 10) & ~np.isin(rare[0], idx.common.grams)])
    assert np.array_equal(np.unique(idx.post_hash), want)


def _candidates_over_every_plan(idx, doc, exclude=(), min_weight=3.0, limit=30):
    """RefIndex.candidates as it was: weights summed over every plan of the index."""
    h = np.unique(doc.hashes)
    lo = np.searchsorted(idx.post_hash, h, "left")
    cnt = np.searchsorted(idx.post_hash, h, "right") - lo
    total = int(cnt.sum())
    if not total:
        return []
    at = np.repeat(lo - np.concatenate(([0], np.cumsum(cnt)[:-1])), cnt) + np.arange(total)
    w = idx.post_w[at] if len(idx.post_w) else np.repeat(1.0 / np.maximum(cnt, 1), cnt)
    weight = np.bincount(idx.post_doc[at], weights=w, minlength=len(idx.docs))
    weight[weight < min_weight] = 0
    out = []
    for k in np.argsort(-weight, kind="stable").tolist():
        if weight[k] <= 0 or len(out) >= limit:
            break
        if idx.docs[k].id not in set(exclude):
            out.append(idx.docs[k])
    return out


def test_candidates_rank_as_over_every_plan():
    docs = _docs(36)
    idx = build_index(docs, min_sources=30)
    for d in docs[::5]:
        for mw, lim in ((3.0, 30), (0.5, 4), (0.0, 50)):
            want = [x.id for x in _candidates_over_every_plan(idx, d, (d.id,), mw, lim)]
            assert [x.id for x in idx.candidates(d, (d.id,), mw, lim)] == want
            assert want  # the plans share rare wording with others of their topic


def test_postings_sorted_part_by_part_equal_one_sort(monkeypatch):
    import plantext.similarity.check as check_mod

    docs = _docs(30)
    for i, d in enumerate(docs):  # three plans per source, standing together
        d.source = f"page{i // 3}.txt"
    whole = build_index(docs, min_sources=6)
    monkeypatch.setattr(check_mod, "POSTINGS_PART", 97)  # many parts, cut inside runs of plans
    parts = build_index(docs, min_sources=6)
    assert len(parts.post_hash) > 10 * 97
    assert np.array_equal(whole.post_hash, parts.post_hash)
    assert np.array_equal(whole.post_doc, parts.post_doc)
    assert np.array_equal(whole.common.grams, parts.common.grams) and len(whole.common.grams)
    h, owner, starts = _postings(docs)  # one sort of every posting, as the index was built before
    counts = np.diff(np.append(starts, len(h)))
    keep = np.repeat(counts <= parts.max_df, counts) & ~np.isin(h, parts.common.grams)
    assert np.array_equal(parts.post_hash, h[keep]) and np.array_equal(parts.post_doc, owner[keep])


def test_scattered_sources_give_the_same_common_ngrams_part_by_part(monkeypatch):
    import plantext.similarity.check as check_mod

    docs = _docs(24)
    for i, d in enumerate(docs):
        d.source = f"page{i % 4}.txt"  # a source's plans apart: counted per source, before
    whole = build_index(docs, min_sources=3)
    monkeypatch.setattr(check_mod, "POSTINGS_PART", 61)
    parts = build_index(docs, min_sources=3)
    assert len(whole.common.grams)
    assert np.array_equal(whole.common.grams, parts.common.grams)
    assert np.array_equal(whole.post_hash, parts.post_hash)
    assert np.array_equal(whole.post_doc, parts.post_doc)


def test_index_keeps_compact_plans_and_leaves_the_given_ones_alone():
    docs = _docs(12)
    hashes = [d.hashes.copy() for d in docs]
    idx = build_index(docs)
    for d, h, kept in zip(docs, hashes, idx.docs):
        assert d.stored_hashes is not None and np.array_equal(d.hashes, h)  # the caller's record
        assert kept.stored_hashes is None and kept.order is None  # the index's copy
        assert np.array_equal(kept.hashes, h)  # computed again from the key, the same
        order, sorted_h = kept.sorted_hashes()
        assert np.array_equal(sorted_h, np.sort(h)) and np.array_equal(h[order], sorted_h)
        assert kept.nbytes() < d.nbytes() - 6 * len(d.key)
    same = build_index(docs, compact=False)
    assert all(a is b for a, b in zip(same.docs, docs))


def test_offsets_narrow_for_short_plans_and_wide_for_long_ones():
    from plantext.similarity.align import doc_from_text

    short = _docs(1)[0]
    assert short.kstart.dtype == np.uint16 and short.src_start.dtype == np.uint16
    assert short.bounds.dtype == np.uint16
    # a plan far into a long source (a template page of many plans): source offsets in int32
    body = _plan_text(3).replace("\n", "")
    text = "附" * 70_000 + body
    starts = np.arange(70_000, len(text))
    far = doc_from_text("p", "page.txt", 2, body, text, starts, starts + 1)
    assert far.src_start.dtype == np.int32 and far.kstart.dtype == np.uint16
    assert far.source_span(0, 4) == (70_000, 70_004)
    assert far.fold_index(70_010) == 10


def test_small_differences_keep_only_the_exceptions():
    from plantext.similarity.align import Diffs

    a = np.array([1, 1, 3, 1, 1, 1, 2, 1], dtype=np.uint8)
    d = Diffs.of(a, 1)
    assert list(d.pos) == [2, 6] and list(d.val) == [3, 2]
    assert np.array_equal(d.dense(), a) and [d[i] for i in range(len(a))] == a.tolist()
    assert d.nbytes < a.nbytes
    doc = _docs(1)[0]  # a plan's ends: the same as from its full arrays
    assert np.array_equal(doc.kend, doc.kstart.astype(np.int64) + doc.klen.dense())
    assert all(doc.kend_at(i) == int(doc.kend[i]) for i in range(len(doc.key)))
    assert len(doc.trail_d.pos) < len(doc.fold) // 4  # punctuation after some characters only


def test_weights_are_one_over_the_other_plans_holding_each_ngram():
    docs = _docs(36)
    idx = build_index(docs, min_sources=30)
    held: dict[int, int] = {}
    for d in docs:
        for h in set(d.hashes.tolist()):
            held[h] = held.get(h, 0) + 1
    sub = make_doc(split(Source("s.txt", _plan_text(40) + "本学期第40中学新增读书节，每班推荐好书十本。\n", "txt"))[0])
    for d, own in ((docs[7], 1), (sub, 0)):
        look = idx.lookup(d)
        assert np.array_equal(look.hashes, np.unique(d.hashes))
        w = idx.weights(d, look)
        want = [1.0 / max(held[h] - own, 1) if 0 < held.get(h, 0) <= idx.max_df else 0.0 for h in d.hashes.tolist()]
        assert w.tolist() == want
        assert np.array_equal(w, idx.weights(d))  # the lookup made by the call itself
        assert 0.0 in want and max(want) > 0  # template wording and rare n-grams both


def test_one_lookup_serves_weights_runs_and_candidates_of_a_library_index():
    docs = _docs(36)
    idx = build_index(docs, min_sources=30)
    d = docs[11]
    # counts given per distinct hash, as a library's index holds them (every other one known)
    u = np.unique(d.hashes)
    idx.df_hash, idx.df = u, np.arange(1, len(u) + 1, dtype=np.int64)
    idx.df_known = np.arange(len(u)) % 2 == 0
    look = idx.lookup(d)
    assert np.array_equal(look.df_at, np.arange(len(u))) and look.df_found.all()
    w = idx.weights(d, look)
    assert np.array_equal(w, 1.0 / np.maximum(idx.df[np.searchsorted(u, d.hashes)] - 1, 1))
    shared = idx.unique_runs(d, w, (d.id,), look)
    alone = idx.unique_runs(d, w, (d.id,))
    assert shared is not None and alone is not None
    for ref in docs[:12]:
        for span in ((0, 12), (5, 30), (20, 60)):
            assert shared([span], ref) == alone([span], ref)
    assert [x.id for x in idx.candidates(d, (d.id,), 0.5, 10, look)] == [
        x.id for x in idx.candidates(d, (d.id,), 0.5, 10)
    ]


def test_directory_search_finds_the_places_a_whole_search_finds(monkeypatch):
    import plantext.similarity.check as check_mod
    from plantext.similarity.check import RefIndex

    rng = np.random.default_rng(5)
    top = np.iinfo(np.uint64).max
    ends = np.array([0, 1, 2, top - 1, top], dtype=np.uint64)
    base = np.concatenate((rng.integers(0, top, 5000, dtype=np.uint64, endpoint=True), ends))
    runs = np.repeat(base[:40], rng.integers(2, 90, 40))  # hashes held by many plans
    post = np.sort(np.concatenate((base, runs, np.repeat(ends, 3))))
    monkeypatch.setattr(check_mod, "DIRECTORY_MIN", 64)
    idx = RefIndex([], post_hash=post, post_doc=np.zeros(len(post), np.uint16))
    made = idx._directory()
    assert made is not None and made[2] >= 7  # the longest run takes several halvings
    for keys in (
        np.unique(np.concatenate((post[::7], rng.integers(0, top, 800, dtype=np.uint64), ends))),
        np.unique(post[rng.integers(0, len(post), 50)]),
        ends,
        np.zeros(0, np.uint64),
    ):
        lo, hi = idx._postings_of(keys)
        assert np.array_equal(lo, np.searchsorted(post, keys, "left"))
        assert np.array_equal(hi, np.searchsorted(post, keys, "right"))
    assert idx.nbytes() == post.nbytes + idx.post_doc.nbytes + made[0].nbytes
    # new postings: a new directory, never the old one's places
    idx.post_hash = post[len(post) // 2 :]
    keys = np.unique(post[::5])
    lo, hi = idx._postings_of(keys)
    assert np.array_equal(lo, np.searchsorted(idx.post_hash, keys, "left"))
    assert np.array_equal(hi, np.searchsorted(idx.post_hash, keys, "right"))


def test_lookup_through_the_directory_gives_the_same_weights_and_candidates(monkeypatch):
    import plantext.similarity.check as check_mod

    docs = _docs(36)
    plain = build_index(docs, min_sources=30)
    assert plain._directory() is None  # a small index: searched whole (and kept so)
    monkeypatch.setattr(check_mod, "DIRECTORY_MIN", 64)
    fast = build_index(docs, min_sources=30)
    assert fast._directory() is not None and plain._directory() is None
    assert fast.post_doc.dtype == np.uint16  # plan numbers in two bytes
    for d in docs[::4]:
        a, b = plain.lookup(d), fast.lookup(d)
        assert np.array_equal(a.lo, b.lo) and np.array_equal(a.hi, b.hi)
        assert np.array_equal(plain.weights(d, a), fast.weights(d, b))
        assert [x.id for x in plain.candidates(d, (d.id,), look=a)] == [
            x.id for x in fast.candidates(d, (d.id,), look=b)
        ]


def test_plan_numbers_follow_the_plans_the_index_holds():
    docs = _docs(12)
    idx = build_index(docs[:6])
    assert docs[7].id not in idx.ids and idx.numbers([docs[2].id]).tolist() == [2]
    idx.docs = docs[6:] + docs[:6]  # a library's index: its plans put in place after the build
    assert docs[7].id in idx.ids and idx.numbers([docs[2].id, docs[7].id]).tolist() == [1, 8]
