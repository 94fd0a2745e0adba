"""Near-duplicate plans across a corpus: pairs with a readable score, and clusters of copies.

How it works (all numpy, cost about linear in the number of plans):

1. Every plan's fold text (:func:`fingerprint.fold_text`: NFKC, simplified script, no
   punctuation, placeholders and years folded) is cut into character 5-grams, hashed.
2. **Stock text.** A 5-gram found in more than ``stock_share`` of the sources (and more than
   ``stock_min_df`` of them), or inside a shipped stock phrase
   (``resources/stock_phrases.txt``), is stock: it neither makes plans candidates nor counts
   in their score, so plans that share only 指导思想 formulas and slogans score low. Sources,
   not plans, are counted (a page repeating one plan under ten titles counts once); above
   ``stock_sample`` sources the count is taken on the sources with the smallest content hashes (order-free). Membership
   of every 5-gram in the stock set is one open-addressing table lookup (:class:`HashSet`).
3. **Candidates**, from three cheap passes whose union is verified:
   - identical fold texts (exact copies, even of text that is all stock);
   - MinHash-LSH: 128 permutations over the non-stock 5-grams, cut into bands of ``r`` rows
     chosen so that a pair at Jaccard ``threshold`` collides in some band with probability
     >= 0.99; band keys are grouped by sorting, not with dicts. Chance collisions grow with
     the square of the corpus, so colliding pairs whose signatures estimate a Jaccard below
     ``0.6 * T / (2 - T)`` (well under that of two texts sharing ``T`` of themselves) are
     dropped before verification;
   - containment: MinHash-LSH misses a short plan inside a long one (their Jaccard is low).
     A fixed 1/8 sample of each plan's non-stock 5-grams (chosen by hash value, so a plan
     inside another has its sample inside the other's) is inverted; 5-grams held by at most
     ``rare_df`` plans vote for every pair that shares them, and a pair whose shared sample
     reaches half of ``threshold`` times the smaller sample is a candidate. Frequent 5-grams
     (large copy clusters) are left to LSH, which finds such pairs by their high Jaccard.
4. **Exact verification** of each candidate on its 5-grams, as shares of characters:
   ``share(A in B)`` = characters of A covered by a non-stock 5-gram also in B, over the
   characters of A covered by any non-stock 5-gram. ``score`` is the share of the two texts
   together (both covered counts over both totals); ``containment`` is the larger one-way
   share (a half-length excerpt scores ~1.0 containment, ~0.67 score). A pair is reported when
   ``max(score, containment) >= threshold``.
5. **Clusters**: connected components of the reported pairs.
"""

from __future__ import annotations

__all__ = [
    "SimilarResult",
    "Options",
    "similar",
    "similar_texts",
    "stock_phrase_hashes",
    "HashSet",
    "lsh_rows",
    "sheets",
    "to_json",
    # the pure pieces another engine composes (plantext.spark): same results, stage by stage
    "content_keys",
    "stock_cut",
    "stock_sample_order",
    "stock_from_sample",
    "lsh_floor",
    "band_keys",
    "containment_sample",
    "containment_need",
    "VerifyDoc",
    "verify_doc",
    "verify_pair",
    "clusters_of",
    "sorted_clusters",
]

import hashlib
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..errors import UsageError
from ..model import Match, Plan
from .fingerprint import (
    NGRAM,
    NUM_PERM,
    SEED,
    Progress,
    fold_placeholders,
    fold_string,
    fold_texts,
    minhash_many,
    shingle_hashes,
    shingle_hashes_many,
    sorted_unique,
    unique_per_group,
)

_U64 = np.uint64


@dataclass
class SimilarResult:
    pairs: list[Match] = field(default_factory=list)
    clusters: list[list[str]] = field(default_factory=list)
    stats: dict = field(default_factory=dict)  # candidates per pass, stock n-grams ...

    def to_dict(self) -> dict:
        return {
            "pairs": [{"a": m.a, "b": m.b, "score": m.score, "containment": m.containment} for m in self.pairs],
            "clusters": self.clusters,
        }


@dataclass
class Options:
    threshold: float = 0.5
    ngram: int = NGRAM
    num_perm: int = NUM_PERM
    seed: int = SEED
    stock_share: float = 0.05  # a 5-gram in more than this share of sources is stock ...
    stock_min_df: int = 20  # ... when that is also more than this many sources
    stock_phrases: bool = True  # also the shipped resources/stock_phrases.txt
    rare_df: int = 40  # containment pass: 5-grams held by at most this many plans vote
    sample_bits: int = 3  # containment pass samples 1 / 2**bits of the 5-grams
    recall: float = 0.99  # LSH: collision probability wanted at Jaccard = threshold
    stock_sample: int = 1000  # count stock 5-grams on at most this many sources
    # more 5-grams than this held by one same set of sources are a text copied whole, not stock
    stock_block: int = 200


def similar(
    plans: Sequence[Plan], threshold: float = 0.5, *, progress: Progress | None = None, **options
) -> SimilarResult:
    """Near-duplicate pairs and clusters among ``plans`` (see the module docstring).

    ``progress(stage, done, total)`` is called as work advances (the library prints nothing).
    """
    from ..guard import require_plans

    plans = require_plans(plans, "plantext.similar")
    folds: list[str] = []
    for k in range(0, len(plans), 1000):
        folds.extend(fold_texts(plans[k : k + 1000]))
        if progress:
            progress("normalise", len(folds), len(plans))
    return similar_texts(
        [p.id for p in plans],
        folds,
        threshold,
        groups=[p.source.path for p in plans],
        progress=progress,
        docs=[getattr(p, "doc", "") for p in plans],
        **options,
    )


def similar_texts(
    ids: Sequence[str],
    folds: Sequence[str],
    threshold: float = 0.5,
    *,
    groups: Sequence[str] | None = None,
    progress: Progress | None = None,
    docs: Sequence[str] | None = None,
    **options,
) -> SimilarResult:
    """:func:`similar` over fold texts (``fingerprint.fold_text``) named by ``ids``.

    ``groups`` names the source of each text: stock text is counted in distinct sources, so a
    template page that repeats one plan under many titles does not make that plan stock.
    ``docs`` (``Plan.doc``): texts sharing a non-empty value are never paired.
    """
    opt = Options(threshold=threshold, **options)
    if not 0 < opt.threshold <= 1:
        raise UsageError(key="cmd.threshold", value=opt.threshold)
    n = len(folds)
    stats: dict = {"plans": n}
    if n < 2:
        return SimilarResult([], [], stats)
    seconds = stats["seconds"] = {}
    clock = [time.perf_counter()]

    def lap(step: str) -> None:
        now = time.perf_counter()
        seconds[step] = round(now - clock[0], 3)
        clock[0] = now

    # 5-gram hashes in text order, duplicates kept: MinHash and the verification take them as
    # they are; only the stock count and the containment sample need one entry per plan
    # (a text shorter than one n-gram has nothing to compare: it pairs with nothing)
    folds = [f if len(f) >= opt.ngram else "" for f in folds]
    pos, offsets = shingle_hashes_many(folds, opt.ngram, progress=progress)
    doc_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(offsets))
    lap("shingles")

    content = content_keys(folds)
    stock = _stock_hashes(pos, offsets, groups, opt, content)
    stats["stock_ngrams"] = int(len(stock))
    keep = ~HashSet(stock).contains(pos)
    ns_values = pos[keep]
    ns_doc = doc_of[keep]
    del doc_of
    ns_offsets = np.concatenate([[0], np.cumsum(np.bincount(ns_doc, minlength=n))]).astype(np.int64)
    del keep
    lap("stock")

    cands = [_exact_pairs(folds, opt.ngram, content)]
    stats["exact"] = int(len(cands[0]))
    sig = minhash_many(ns_values, ns_offsets, opt.num_perm, opt.seed, progress=progress)
    lap("minhash")
    rows = lsh_rows(opt.threshold, opt.num_perm, opt.recall)
    lsh = _lsh_pairs(sig, np.diff(ns_offsets) > 0, rows)
    # chance collisions grow with the square of the corpus: drop the pairs whose estimated
    # Jaccard is far below that of two texts sharing `threshold` of themselves (containment
    # pairs come from their own pass)
    lsh = lsh[(sig[lsh // n] == sig[lsh % n]).mean(axis=1) >= lsh_floor(opt.threshold)]
    stats["lsh"] = int(len(lsh))
    stats["lsh_bands"] = [opt.num_perm // rows, rows]
    lap("lsh")
    cands.append(lsh)
    rare = _containment_pairs(ns_values, ns_doc, n, opt)
    stats["containment"] = int(len(rare))
    lap("containment")
    cands.append(rare)
    keys = sorted_unique(np.concatenate(cands))
    stats["candidates"] = int(len(keys))

    del ns_values, ns_doc
    pairs = _verify(keys, n, folds, pos, offsets, stock, opt, progress)
    if docs is not None:  # plans cut from one document (Plan.doc) are not copies of each other
        pairs = [x for x in pairs if not (docs[x[0]] and docs[x[0]] == docs[x[1]])]
    lap("verify")
    matches = [Match(ids[i], ids[j], round(s, 4), round(c, 4)) for i, j, s, c in pairs]
    matches.sort(key=lambda m: (-max(m.score, m.containment), -m.score, m.a, m.b))
    clusters = clusters_of(ids, [(i, j) for i, j, _, _ in pairs])
    stats["pairs"] = len(matches)
    return SimilarResult(matches, clusters, stats)


# -- stock text ---------------------------------------------------------------------------


def content_keys(folds: Sequence[str]) -> np.ndarray:
    """A 64-bit content hash of each text (blake2b: the same in every process and run, unlike
    ``hash()``), as int64."""
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(f.encode("utf-8"), digest_size=8).digest(), "little", signed=True)
            for f in folds
        ],
        dtype=np.int64,
    )


def stock_cut(n_src: int, opt: Options) -> int:
    """Sources a 5-gram must be in (more than) to be stock, for a corpus of ``n_src`` sources."""
    return max(opt.stock_min_df, math.ceil(opt.stock_share * n_src))


def stock_sample_order(keys: np.ndarray, stock_sample: int) -> np.ndarray:
    """The sources whose document frequencies are counted (sorted source numbers): all of them,
    or above ``stock_sample`` the ``stock_sample`` with the smallest content keys (``keys``: one
    per source, the smallest content hash of its texts; ties to the earlier source)."""
    n_src = len(keys)
    if n_src <= stock_sample:
        return np.arange(n_src)
    return np.sort(np.lexsort((np.arange(n_src), keys))[:stock_sample])


def stock_from_sample(values: np.ndarray, offsets: np.ndarray, n_src: int, opt: Options) -> np.ndarray:
    """Sorted stock 5-grams counted on the sampled sources: ``values[offsets[k]:offsets[k + 1]]``
    are the sorted unique 5-gram hashes of sampled source ``k`` (of ``n_src`` sources in all),
    plus the shipped stock phrases. A pure function of the sample: the same on any engine."""
    parts = [np.zeros(0, dtype=np.uint64)]
    n_picked = len(offsets) - 1
    cut = stock_cut(n_src, opt)
    if n_src > cut and n_picked:
        order = np.argsort(values, kind="stable")
        srt = values[order]
        starts, counts = _runs(srt)
        common = counts > cut * n_picked / n_src
        holder = np.repeat(np.arange(n_picked), np.diff(offsets))[order]
        common &= ~_copied_whole(starts, holder, values, offsets, common, opt.stock_block)
        parts.append(srt[starts[common]])
    if opt.stock_phrases:
        parts.append(stock_phrase_hashes(opt.ngram))
    return sorted_unique(np.concatenate(parts))


def _copied_whole(
    starts: np.ndarray, holder: np.ndarray, values: np.ndarray, offsets: np.ndarray, common: np.ndarray, block: int
) -> np.ndarray:
    """Which of the common 5-grams (runs ``starts`` of the sorted sample, ``holder``: the
    source of each entry) belong to a text copied whole: more than ``block`` of them held by one
    same set of sources. Stock wording (slogans, formulas, a standard paragraph) is written
    into many plans by different writers, each phrase into its own set of them; a plan copied
    by twenty others puts its every 5-gram into the same twenty-one sources, and that is the
    evidence of the copies, not stock. The set of sources is compared by its size and four
    min-hashes of it (each source named by its smallest 5-gram hash, a pure function of its
    text), so that a copy that changed a few lines still leaves the rest of the text in one set,
    while the sets of different stock phrases, which overlap by chance (two phrases each in a
    third of the plans share a fifth of their sources), are not taken for one set: with two
    min-hashes they were, one pair of phrases in 25, and the more phrases a corpus holds the
    more of its stock was called a copied text (and made every plan holding it a candidate)."""
    out = np.zeros(len(starts), dtype=bool)
    if not common.any():
        return out
    sizes = np.diff(offsets)
    name = np.zeros(len(sizes), dtype=np.uint64)
    name[sizes > 0] = values[offsets[:-1][sizes > 0]]
    idx = np.flatnonzero(common)
    count = np.diff(np.append(starts, len(holder)))
    cols = [count[idx].astype(np.uint64)]
    for x, m, r in _SET_MIXERS:
        with np.errstate(over="ignore"):
            a = (name ^ np.uint64(x)) * np.uint64(m)
        a ^= a >> np.uint64(r)
        cols.append(np.minimum.reduceat(a[holder], starts)[idx])
    _, inv, cnt = np.unique(np.stack(cols, axis=1), axis=0, return_inverse=True, return_counts=True)
    out[idx] = cnt[inv.ravel()] > block
    return out


# (xor, multiplier, shift) of the hashes naming a source in the min-hashes of a set of sources
_SET_MIXERS = (
    (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 31),
    (0x94D049BB133111EB, 0xD6E8FEB86659FD93, 29),
    (0xC2B2AE3D27D4EB4F, 0x9FB21C651E98DF25, 33),
    (0x165667B19E3779F9, 0xFF51AFD7ED558CCD, 27),
)


def _stock_hashes(
    pos: np.ndarray, offsets: np.ndarray, groups: Sequence[str] | None, opt: Options, content: np.ndarray | None = None
) -> np.ndarray:
    """Sorted hashes of stock 5-grams: in more than ``stock_share`` (and ``stock_min_df``) of
    the sources, or in a shipped stock phrase. Above ``stock_sample`` sources the document
    frequency is counted on a sample of that many: the sources with the smallest content hashes
    (``content``: one per text; a source's is the smallest of its texts'), so the sample does not
    depend on the order of the inputs (a share needs no more)."""
    n = len(offsets) - 1
    number: dict[str, int] = {}
    src = np.array(
        [number.setdefault(g, len(number)) for g in groups] if groups is not None else range(n), dtype=np.int64
    )
    n_src = int(src.max()) + 1 if n else 0
    if n_src <= stock_cut(n_src, opt):
        return stock_from_sample(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64), n_src, opt)
    if content is None:
        content = np.arange(n, dtype=np.int64)
    key = np.full(n_src, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(key, src, content)
    picked = stock_sample_order(key, opt.stock_sample)
    local = np.full(n_src, -1, dtype=np.int64)
    local[picked] = np.arange(len(picked))
    sizes = np.diff(offsets)
    doc_group = local[src]
    sel = np.repeat(doc_group >= 0, sizes)
    # one set per source, so that plans repeated on one page count once
    per_source, per_offsets = unique_per_group(pos[sel], np.repeat(doc_group, sizes)[sel], len(picked))
    return stock_from_sample(per_source, per_offsets, n_src, opt)


_PHRASES: dict[int, np.ndarray] = {}


def stock_phrase_hashes(ngram: int = NGRAM) -> np.ndarray:
    """Sorted n-gram hashes of the shipped stock phrases (empty if the file is absent)."""
    if ngram not in _PHRASES:
        try:
            from .boilerplate import stock_text

            text = stock_text()
        except (ImportError, OSError):
            text = ""
        hs = [
            shingle_hashes(fold_placeholders(fold_string(line)), ngram)
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#") and len(line.strip()) >= ngram
        ]
        _PHRASES[ngram] = sorted_unique(np.concatenate(hs)) if hs else np.zeros(0, dtype=np.uint64)
    return _PHRASES[ngram]


def _member(x: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(x, sorted_set)`` for a sorted unique ``sorted_set``, by binary search."""
    if len(sorted_set) == 0:
        return np.zeros(len(x), dtype=bool)
    i = np.searchsorted(sorted_set, x)
    i[i == len(sorted_set)] = 0
    return sorted_set[i] == x


class HashSet:
    """Membership of many uint64 hashes in a fixed set: an open-addressing table probed with
    numpy gathers (a few passes over ``x``), ~10x faster than a binary search per value
    when ``x`` is millions of 5-grams and the set is the corpus's stock 5-grams."""

    def __init__(self, values: np.ndarray):
        values = sorted_unique(np.asarray(values, dtype=np.uint64))
        size = 1 << max(10, int(16 * len(values) - 1).bit_length())  # load factor <= 1/16
        self.mask = _U64(size - 1)
        self.empty = _U64(np.iinfo(np.uint64).max)  # shingle hashes are below 2**52
        self.table = np.full(size, self.empty, dtype=np.uint64)
        self.probes = 0
        left = values
        while len(left):  # linear probing, one round per probe distance
            slot = (left + _U64(self.probes)) & self.mask
            free = self.table[slot] == self.empty
            slot, cand = slot[free], left[free]
            _, first = np.unique(slot, return_index=True)  # one winner per free slot
            self.table[slot[first]] = cand[first]
            placed = np.zeros(len(left), dtype=bool)
            placed[np.flatnonzero(free)[first]] = True
            left = left[~placed]
            self.probes += 1

    def __contains__(self, v) -> bool:  # pragma: no cover - convenience
        return bool(self.contains(np.array([v], dtype=np.uint64))[0])

    def contains(self, x: np.ndarray, chunk: int = 1 << 20) -> np.ndarray:
        # in chunks: temporaries of a few MB are reused by malloc; huge ones are fresh pages
        # from the kernel every time, which costs more than the lookups
        if len(x) > chunk:
            return np.concatenate([self._contains(x[k : k + chunk]) for k in range(0, len(x), chunk)])
        return self._contains(x)

    def _contains(self, x: np.ndarray) -> np.ndarray:
        slot = x & self.mask
        got = self.table[slot]
        found = got == x
        # values whose slot holds another value walk on along the probe chain
        idx = np.flatnonzero((got != self.empty) & ~found)
        slot = slot[idx]
        for _ in range(1, self.probes):
            if not len(idx):
                break
            slot = (slot + _U64(1)) & self.mask
            got = self.table[slot]
            hit = got == x[idx]
            found[idx[hit]] = True
            go = (got != self.empty) & ~hit
            idx, slot = idx[go], slot[go]
        return found


# -- candidates ---------------------------------------------------------------------------


def lsh_rows(threshold: float, num_perm: int = NUM_PERM, recall: float = 0.99) -> int:
    """Rows per band: the most (fewest false candidates) for which a pair at Jaccard
    ``threshold`` still collides in at least one of ``num_perm // rows`` bands with
    probability ``recall``."""
    best = 1
    for r in range(1, num_perm + 1):
        b = num_perm // r
        if 1 - (1 - threshold**r) ** b >= recall:
            best = r
    return best


def _pair_keys(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    return lo.astype(np.int64) * n + hi


def _group_pairs(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n: int) -> np.ndarray:
    """Pair keys of all pairs inside each group ``members[starts[k]:starts[k] + sizes[k]]``,
    vectorised per group size."""
    out = [np.zeros(0, dtype=np.int64)]
    for g in np.unique(sizes):
        if g < 2:
            continue
        st = starts[sizes == g]
        block = members[st[:, None] + np.arange(g)[None, :]]  # (groups, g)
        iu, ju = np.triu_indices(int(g), 1)
        out.append(_pair_keys(block[:, iu].ravel(), block[:, ju].ravel(), n))
    return np.concatenate(out)


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of equal values in a sorted array."""
    if len(sorted_keys) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
    sizes = np.diff(np.append(starts, len(sorted_keys)))
    return starts, sizes


def _exact_pairs(folds: Sequence[str], ngram: int, content: np.ndarray | None = None) -> np.ndarray:
    """Pairs with identical fold texts (empty or tiny texts left out), grouped by content hash
    (``content``: :func:`content_keys` of ``folds``)."""
    n = len(folds)
    if content is None:
        content = content_keys(folds)
    docs = np.array([k for k, f in enumerate(folds) if len(f) >= ngram], dtype=np.int64)
    h = content[docs]
    order = np.argsort(h, kind="stable")
    starts, sizes = _runs(h[order])
    return _group_pairs(docs[order], starts, sizes, n)


def lsh_floor(threshold: float) -> float:
    """The least signature agreement (estimated Jaccard) an LSH candidate needs: chance
    collisions grow with the square of the corpus, so pairs far below that of two texts sharing
    ``threshold`` of themselves are dropped (containment pairs come from their own pass)."""
    return 0.6 * threshold / (2 - threshold)


def band_keys(sig: np.ndarray, rows: int) -> np.ndarray:
    """``(n, num_perm // rows)`` uint64 keys: a hash of each band of ``rows`` signature values.
    Two plans collide in band ``b`` when their keys in column ``b`` are equal."""
    n, num_perm = sig.shape
    mul = np.random.default_rng(7).integers(1, 1 << 63, size=rows, dtype=np.uint64) | _U64(1)
    out = np.empty((n, num_perm // rows), dtype=np.uint64)
    for band in range(num_perm // rows):
        cols = sig[:, band * rows : (band + 1) * rows]
        key = cols[:, 0] * mul[0]
        for k in range(1, rows):
            key += cols[:, k] * mul[k]  # wraps mod 2**64: a hash of the band's values
        out[:, band] = key
    return out


def _lsh_pairs(sig: np.ndarray, valid: np.ndarray, rows: int) -> np.ndarray:
    """Pairs of plans whose signatures agree on all ``rows`` values of some band."""
    n, num_perm = sig.shape
    docs = np.flatnonzero(valid)
    if len(docs) < 2:
        return np.zeros(0, dtype=np.int64)
    keys = band_keys(sig[docs], rows)
    out = []
    for band in range(keys.shape[1]):
        key = keys[:, band]
        order = np.argsort(key, kind="stable")
        starts, sizes = _runs(key[order])
        big = sizes > 1
        if big.any():
            out.append(_group_pairs(docs[order], starts[big], sizes[big], n))
    return sorted_unique(np.concatenate(out)) if out else np.zeros(0, dtype=np.int64)


def containment_sample(values: np.ndarray, sample_bits: int) -> np.ndarray:
    """Which non-stock 5-gram hashes the containment pass samples (by value: a plan inside
    another has its sample inside the other's)."""
    return (values & _U64((1 << sample_bits) - 1)) == 0


def containment_need(threshold: float, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Shared rare sampled 5-grams a pair needs to be a containment candidate, from the two
    plans' counts of rare sampled 5-grams."""
    return np.maximum(3, 0.5 * threshold * np.minimum(size_a, size_b))


def _containment_pairs(values: np.ndarray, doc_of: np.ndarray, n: int, opt: Options) -> np.ndarray:
    """Pairs sharing many rare sampled 5-grams relative to the smaller plan's sample."""
    sample = containment_sample(values, opt.sample_bits)
    h, off = unique_per_group(values[sample], doc_of[sample], n)  # one entry per plan
    d = np.repeat(np.arange(n, dtype=np.int64), np.diff(off))
    order = np.argsort(h, kind="stable")
    h, d = h[order], d[order]
    starts, sizes = _runs(h)
    # a plan's sample counts its rare 5-grams only: in a large corpus more of them are
    # frequent, and a share of the whole sample would ask for votes they cannot give
    rare = sizes <= opt.rare_df
    sample_size = np.bincount(d[np.repeat(rare, sizes)], minlength=n)
    ok = (sizes >= 2) & rare
    keys = _group_pairs(d, starts[ok], sizes[ok], n)
    if len(keys) == 0:
        return keys
    keys = np.sort(keys)
    starts, votes = _runs(keys)
    keys = keys[starts]
    i, j = keys // n, keys % n
    return keys[votes >= containment_need(opt.threshold, sample_size[i], sample_size[j])]


# -- verification --------------------------------------------------------------------------


def _covered(mask: np.ndarray, length: int, ngram: int) -> int:
    """Characters of a text of ``length`` inside at least one n-gram flagged in ``mask``."""
    if length == 0 or not mask.any():
        return 0
    m = len(mask)
    cov = np.zeros(max(length, m + ngram - 1), dtype=bool)
    for k in range(ngram):
        cov[k : k + m] |= mask
    return int(np.count_nonzero(cov[:length]))


class VerifyDoc(NamedTuple):
    """What verification needs of one plan: its 5-gram hashes in text order, their sorted set,
    which are not stock, the characters covered by non-stock 5-grams, and its fold length."""

    hashes: np.ndarray
    hash_set: np.ndarray
    non_stock: np.ndarray
    covered: int
    length: int


def verify_doc(hashes: np.ndarray, length: int, stock: np.ndarray, ngram: int = NGRAM) -> VerifyDoc:
    """:class:`VerifyDoc` of a plan from its text-order 5-gram hashes (``shingle_hashes`` of its
    fold text, or none for a text shorter than ``ngram``), fold length and the sorted stock set."""
    ns = ~_member(hashes, stock)
    return VerifyDoc(hashes, sorted_unique(hashes), ns, _covered(ns, length, ngram), length)


def verify_pair(a: VerifyDoc, b: VerifyDoc, ngram: int = NGRAM) -> tuple[float, float]:
    """``(score, containment)`` of two plans on their 5-grams (module docstring, step 4): a pure
    function of the two plans and the stock set they were built with."""
    ha, seta, nsa, da, la = a
    hb, setb, nsb, db, lb = b
    in_b = _member(ha, setb)
    in_a = _member(hb, seta)
    if da + db == 0:  # both all stock: compare them as they are
        da, db = _covered(np.ones(len(ha), bool), la, ngram), _covered(np.ones(len(hb), bool), lb, ngram)
        sa, sb = _covered(in_b, la, ngram), _covered(in_a, lb, ngram)
    else:
        sa, sb = _covered(in_b & nsa, la, ngram), _covered(in_a & nsb, lb, ngram)
    score = (sa + sb) / (da + db) if da + db else 0.0
    cont = max(sa / da if da else 0.0, sb / db if db else 0.0)
    return score, cont


def _verify(
    keys: np.ndarray,
    n: int,
    folds: Sequence[str],
    pos: np.ndarray,
    offsets: np.ndarray,
    stock: np.ndarray,
    opt: Options,
    progress: Progress | None,
):
    """``(i, j, score, containment)`` of the candidate pairs that reach the threshold."""
    cache: dict[int, VerifyDoc] = {}

    def doc(i: int) -> VerifyDoc:
        d = cache.get(i)
        if d is None:
            d = cache[i] = verify_doc(pos[offsets[i] : offsets[i + 1]], len(folds[i]), stock, opt.ngram)
        return d

    out = []
    total = len(keys)
    for k, key in enumerate(keys.tolist()):
        i, j = divmod(key, n)
        score, cont = verify_pair(doc(i), doc(j), opt.ngram)
        if max(score, cont) >= opt.threshold:
            out.append((i, j, score, cont))
        if progress and (k % 500 == 499 or k == total - 1):
            progress("verify", k + 1, total)
        if len(cache) > 4096:  # keep memory flat on huge candidate sets
            cache.clear()
    return out


def clusters_of(ids: Sequence[str], pairs: list[tuple[int, int]]) -> list[list[str]]:
    """Connected components of the pairs (indices into ``ids``), each sorted, largest first."""
    if not pairs:
        return []
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(ids)
    i, j = np.array(pairs, dtype=np.int64).T
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    comps: dict[int, list[str]] = {}
    for k in np.flatnonzero(sizes[labels] > 1).tolist():
        comps.setdefault(int(labels[k]), []).append(ids[k])
    return sorted_clusters(comps.values())


def sorted_clusters(comps: Iterable[list[str]]) -> list[list[str]]:
    """Clusters as output: each sorted, largest first, then by their ids."""
    return sorted((sorted(c) for c in comps), key=lambda c: (-len(c), c))


_clusters = clusters_of  # the older private name (plantext.index)


# -- plantext run ----------------------------------------------------------------------------


def sheets(result: SimilarResult, titles: dict[str, str]):
    """``(pairs_sheet, clusters_sheet)`` tables for csv/xlsx output."""
    from ..report.tables import Sheet

    pairs = Sheet(
        "pairs",
        ["a", "b", "score", "containment", "title_a", "title_b"],
        [[m.a, m.b, m.score, m.containment, titles.get(m.a, ""), titles.get(m.b, "")] for m in result.pairs],
    )
    clusters = Sheet(
        "clusters",
        ["cluster", "size", "id", "title"],
        [[k, len(c), pid, titles.get(pid, "")] for k, c in enumerate(result.clusters, 1) for pid in c],
    )
    return pairs, clusters


def to_json(result: SimilarResult, titles: dict[str, str] | None = None) -> dict:
    """The DESIGN.md contract ``{"pairs": [{"a", "b", "score"}], "clusters": [[id, ...]]}``,
    with ``containment`` (and titles when given) inside each pair."""
    out = result.to_dict()
    if titles:
        for p in out["pairs"]:
            p["title_a"], p["title_b"] = titles.get(p["a"], ""), titles.get(p["b"], "")
    return out
