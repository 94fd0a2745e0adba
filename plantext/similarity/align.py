"""Passage alignment between two plans that survives what copiers do.

Both plans are compared on their ``fold`` view (no punctuation or whitespace, simplified
script, NFKC widths) and, for seeding, on a *key* string derived from it: words of the
synonym lexicon (``resources/synonyms.tsv``) folded to one form and every run of digits or
Chinese numerals folded to ``0``. Seeds are hashed character n-grams of the key shared by the
two plans; seeds on one diagonal chain into fragments, fragments close in the submission and
within a window in the reference merge into one passage (so reordered or dropped sentences
inside a copied passage stay one detection), the passage is snapped to whole clauses on both
sides and verified with rapidfuzz before it is kept.

A :class:`Doc` is pure data (strings and numpy arrays), built once per plan and reusable from
a stored library; offsets map back to the source through its per-character arrays.
"""

from __future__ import annotations

__all__ = [
    "NGRAM",
    "CLAUSE_END",
    "SENTENCE_END",
    "AlignParams",
    "Diffs",
    "Doc",
    "Alignment",
    "synonyms",
    "key_text",
    "ngram_hashes",
    "scan_gaps",
    "make_doc",
    "doc_from_text",
    "MIN_CLAUSE",
    "clause_hashes",
    "seeds",
    "fragments",
    "cluster",
    "evidence",
    "one_to_one",
    "snap",
    "grow",
    "align",
]

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources

import numpy as np

from ..chars import CLOSING, COLONS, COMMAS, ELLIPSIS, LINE_BREAKS, SENTENCE_ENDS
from ..lexicons import loader

NGRAM = 7  # key characters per seed: long enough to be rare in plans, short enough to survive edits
_BASE = np.uint64(1000003)
_MIX = np.uint64(0x9E3779B97F4A7C15)

# Source characters that end a clause; fold drops them, so a clause boundary is a fold index
# whose source gap to the previous character holds one of these.
CLAUSE_END = frozenset(SENTENCE_ENDS + COMMAS + COLONS + "." + LINE_BREAKS + ELLIPSIS)
# ... and a sentence (the unit of the word channel, :mod:`.reword`)
SENTENCE_END = frozenset(SENTENCE_ENDS + LINE_BREAKS + ELLIPSIS)
# Punctuation a reported passage takes along: closing marks after it, opening marks before it.
_CLOSE = frozenset(SENTENCE_ENDS + COMMAS + "、." + COLONS + ELLIPSIS + CLOSING + "〉]")
_OPEN = frozenset("（(「『“‘《〈【[")


@dataclass(frozen=True, slots=True)
class AlignParams:
    ngram: int = NGRAM
    max_occ: int = 4  # a seed hash occurring more often than this in either plan is not a seed
    split: int = 10  # unmatched key chars in both documents that may part two passages ...
    split_sim: float = 0.5  # ... when less alike than this
    insert: int = 24  # text of its own (key chars) the submission holds between two fragments that
    # follow each other in the reference (at most ``split`` apart there): two passages, not one
    gap: int = 60  # largest gap (key chars) between fragments of one passage in the submission
    window: int = 240  # how far outside a passage's reference span a fragment may land (reordering)
    min_match: int = 12  # key chars the seeds of a passage must cover
    min_len: int = 14  # fold chars of a passage
    min_rare: int = 16  # key chars matched, weighted by rarity (1 / plans holding the n-gram)
    min_exact: int = 13  # ... or one exact run this long found in no other plan (the 13-character rule)
    max_chance: float = 0.01  # ... and which chance would put in this many plans (see RefIndex.unique_runs)
    # ... or half that evidence when sentences of the passage each align with a sentence of the
    # reference near its span, words of their own included (see alike_sentences)
    alike_evidence: float = 8.0
    alike_sentences: int = 2
    alike_sim: float = 0.75  # edit similarity of the two sentences' keys
    alike_common: float = 0.05  # a shared n-gram of less rarity (1 / df: in more than 20 plans) is template wording
    alike_words: int = 4  # key characters of a sentence, not template wording, that align ...
    alike_held: float = 0.6  # ... and their share of the sentence's
    grow: int = 3  # clauses a passage may take in at each end when they still match (see grow)
    grow_sim: float = 0.75
    ext: int = 8  # largest gap (key chars) when a passage extends over template wording
    snap: int = 14  # extend to a clause boundary at most this far (fold chars)
    min_score: float = 0.5
    words: bool = True  # also look for reworded sentences (the word channel, :mod:`.reword`)


def _small(delta: np.ndarray) -> np.ndarray:
    """Non-negative offsets differences in the narrowest unsigned type that holds them."""
    top = int(delta.max()) if len(delta) else 0
    dtype = np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.uint32
    return delta.astype(dtype)


def _offset_type(top: int) -> type:
    """The narrowest type for offsets up to ``top``: uint16 for most plans (an offset plus a
    small difference still fits), else int32 or int64."""
    return np.uint16 if top < (1 << 16) - 1 else np.int32 if top < 1 << 31 else np.int64


@dataclass(frozen=True, slots=True)
class Diffs:
    """Small non-negative numbers, one per character, nearly all ``default``: only the others are
    stored (their positions and values). ``dense()`` gives the whole array, ``d[i]`` one."""

    n: int
    default: int
    pos: np.ndarray  # ascending character positions whose value is not the default
    val: np.ndarray  # their values

    @classmethod
    def of(cls, a: np.ndarray, default: int) -> Diffs:
        a = _small(np.asarray(a))
        pos = np.flatnonzero(a != default)
        return cls(len(a), default, pos.astype(_offset_type(len(a))), a[pos])

    def dense(self) -> np.ndarray:
        out = np.full(self.n, self.default, dtype=self.val.dtype)
        out[self.pos] = self.val
        return out

    def __getitem__(self, i: int) -> int:
        k = int(np.searchsorted(self.pos, i))
        return int(self.val[k]) if k < len(self.pos) and int(self.pos[k]) == i else self.default

    def __len__(self) -> int:
        return self.n

    @property
    def nbytes(self) -> int:
        return int(self.pos.nbytes + self.val.nbytes)


@dataclass(slots=True, eq=False)
class Doc:
    """One plan prepared for alignment: fold text, its key, clause bounds and n-gram hashes.

    ``kstart[i]:kend[i]`` is the fold span of key character ``i``; ``src_start[f]`` /
    ``src_end[f]`` the source span of fold character ``f``; ``bounds`` the sorted fold offsets
    where clauses begin (with 0 and ``len(fold)``). Compact: offsets are uint16 when the plan
    is short enough (else int32, see :func:`_offset_type`; unsigned: take ``int()`` of an
    element before subtracting), the ends are stored as small differences that are nearly all
    alike (:class:`Diffs`: ``klen``, ``slen``, ``lead_d``, ``trail_d``), and a reference of an index keeps no n-gram hashes
    (:meth:`compact`), so that it costs some 5 bytes per fold character in memory beside the
    fold text; ``kend``, ``src_end``, ``lead`` and ``trail`` are computed from them.
    """

    id: str
    source: str
    plan: int
    fold: str
    key: str
    kstart: np.ndarray  # uint16 or int32
    klen: Diffs  # kend - kstart
    src_start: np.ndarray  # uint16 or int32
    slen: Diffs  # src_end - src_start
    bounds: np.ndarray
    stored_hashes: np.ndarray | None  # uint64 per key n-gram; None: computed from ``key`` when asked
    clauses: np.ndarray | None = None  # stable hash of each clause's key (0: too short), per bounds[:-1]
    lead_d: Diffs | None = None  # src_start - lead: opening marks just before a character
    trail_d: Diffs | None = None  # trail - src_end: closing marks just after it
    title: str = ""
    meta: dict = field(default_factory=dict)
    order: np.ndarray | None = field(default=None, repr=False)  # argsort of hashes, made when needed
    sbounds: np.ndarray | None = None  # fold offsets where sentences begin (with 0 and len(fold))
    ngram: int = NGRAM  # key characters per hashed n-gram

    @property
    def hashes(self) -> np.ndarray:
        """uint64 hash of each key n-gram (:func:`ngram_hashes`): the stored array, or (a
        :meth:`compact` reference) computed again from the key, which is cheaper to keep."""
        if self.stored_hashes is not None:
            return self.stored_hashes
        return ngram_hashes(self.key, self.ngram)

    def compact(self) -> Doc:
        """This plan as a reference of an index holds it: the same record without its n-gram
        hashes (8 bytes per character, more than the fold text and key together) and their
        sort order; they are computed from the key when the plan is aligned. ``self`` when it
        holds none."""
        if self.stored_hashes is None and self.order is None:
            return self
        return replace(self, stored_hashes=None, order=None)

    @property
    def kend(self) -> np.ndarray:
        return self.kstart + self.klen.dense()

    @property
    def src_end(self) -> np.ndarray:
        return self.src_start + self.slen.dense()

    @property
    def lead(self) -> np.ndarray | None:
        """``src_start`` widened over the opening marks just before each character."""
        return None if self.lead_d is None else self.src_start - self.lead_d.dense()

    @property
    def trail(self) -> np.ndarray | None:
        """``src_end`` widened over the closing marks just after each character."""
        return None if self.trail_d is None else self.src_end + self.trail_d.dense()

    def nbytes(self) -> int:
        """Bytes this record holds (strings and arrays)."""
        import sys

        total = sys.getsizeof(self.fold) + sys.getsizeof(self.key)
        for a in (
            self.kstart,
            self.klen,
            self.src_start,
            self.slen,
            self.bounds,
            self.stored_hashes,
            self.clauses,
            self.lead_d,
            self.trail_d,
            self.order,
            self.sbounds,
        ):
            if a is not None:
                total += a.nbytes
        return total

    def sorted_hashes(self) -> tuple[np.ndarray, np.ndarray]:
        """``(order, hashes[order])``, computed once when the hashes are stored (a plan aligned
        against many others), each time for a :meth:`compact` one."""
        if self.stored_hashes is None:
            h = self.hashes
            order = np.argsort(h, kind="stable")
            return order, h[order]
        if self.order is None:
            order = np.argsort(self.stored_hashes, kind="stable")
            self.order = order.astype(np.int32) if len(order) < 1 << 31 else order
        return self.order, self.stored_hashes[self.order]

    def source_span(self, fs: int, fe: int, widen: bool = False) -> tuple[int, int]:
        """Source span of the fold span ``[fs, fe)``; ``widen`` takes along the brackets and
        punctuation that close or open it, as a reader would mark the passage."""
        if not len(self.src_start):
            return 0, 0
        if fe <= fs:
            p = int(self.src_start[min(fs, len(self.src_start) - 1)])
            return p, p
        end = int(self.src_start[fe - 1]) + self.slen[fe - 1]
        if widen and self.lead_d is not None and self.trail_d is not None:
            return int(self.src_start[fs]) - self.lead_d[fs], end + self.trail_d[fe - 1]
        return int(self.src_start[fs]), end

    def kend_at(self, i: int) -> int:
        return int(self.kstart[i]) + self.klen[i]

    def fold_span(self, ks: int, ke: int) -> tuple[int, int]:
        """Fold span of the key span ``[ks, ke)``."""
        if ke <= ks:
            f = int(self.kstart[ks]) if ks < len(self.kstart) else len(self.fold)
            return f, f
        return int(self.kstart[ks]), self.kend_at(ke - 1)

    def fold_index(self, src: int) -> int:
        """First fold character at or after source offset ``src``."""
        return int(np.searchsorted(self.src_start, src, "left"))


# whether no plan but the given one holds an exact key run of the submission
Unique = Callable[[Sequence[tuple[int, int]], "Doc"], bool]


@dataclass(slots=True)
class Alignment:
    """A passage of ``sub`` found in ``ref``; spans in fold offsets of each."""

    s_start: int
    s_end: int
    r_start: int
    r_end: int
    score: float
    matched: int = 0  # key chars covered by seeds
    parts: list[tuple[int, int]] = field(default_factory=list)  # fold spans of sub the seeds cover
    rare: float = 0.0  # matched key chars weighted by rarity: the evidence that it was copied


# -- lexicon and key ----------------------------------------------------------------------


@loader
def synonyms() -> dict[str, str]:
    """variant -> canonical form, from ``resources/synonyms.tsv``."""
    text = resources.files("plantext.resources").joinpath("synonyms.tsv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        words = [w.strip() for w in line.split("\t") if w.strip()]
        for w in words:
            out.setdefault(w, words[0])
    return out


_NUM = "0-9x〇零一二三四五六七八九十百千万亿两"


@loader
def _key_re() -> re.Pattern:
    words = sorted(synonyms(), key=len, reverse=True)
    # synonyms first so that a word holding a numeral (进一步, 每一个) is read as a word; the
    # lookahead on first characters lets most positions fail without trying every word
    first = "".join(sorted({w[0] for w in words} | set(_NUM.replace("0-9", "0123456789"))))
    return re.compile(f"(?=[{re.escape(first)}])(?:(" + "|".join(map(re.escape, words)) + f")|([{_NUM}]+))")


def key_text(fold: str) -> tuple[str, np.ndarray, np.ndarray]:
    """The seeding key of a fold text and the fold span of each key character."""
    syn = synonyms()
    pieces: list[str] = []
    seg = []  # (fold start, fold end, key length, identity?) per stretch of the key
    pos = 0
    for m in _key_re().finditer(fold):
        s, e = m.span()
        rep = syn[m.group(1)] if m.group(1) else "0"
        if rep == fold[s:e]:
            continue
        if s > pos:
            pieces.append(fold[pos:s])
            seg.append((pos, s, s - pos, True))
        pieces.append(rep)
        seg.append((s, e, len(rep), False))
        pos = e
    if pos < len(fold):
        pieces.append(fold[pos:])
        seg.append((pos, len(fold), len(fold) - pos, True))
    key = "".join(pieces)
    if not seg:
        z = np.zeros(0, dtype=np.int64)
        return key, z, z
    fs, fe, ln, ident = (np.asarray(x) for x in zip(*seg))
    ln = ln.astype(np.int64)
    kstart_of_seg = np.concatenate(([0], np.cumsum(ln)[:-1]))
    within = np.arange(len(key), dtype=np.int64) - np.repeat(kstart_of_seg, ln)
    ident_c = np.repeat(ident, ln)
    starts = np.repeat(fs.astype(np.int64), ln) + np.where(ident_c, within, 0)
    ends = np.where(ident_c, starts + 1, np.repeat(fe.astype(np.int64), ln))
    return key, starts, ends


def ngram_hashes(text: str, n: int = NGRAM) -> np.ndarray:
    """uint64 hash of every character n-gram (``hashes[i]`` for ``text[i:i+n]``); stable
    across runs and machines, so hashes can be stored."""
    if len(text) < n:
        return np.zeros(0, dtype=np.uint64)
    c = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    m = len(c) - n + 1
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            h = h * _BASE + c[j : j + m]
        h = (h ^ (h >> np.uint64(29))) * _MIX
    return h


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _full_stop(gap: str, text: str, a: int, b: int) -> bool:
    """A half-width full stop ends a sentence (text typed with an English keyboard: 开展研修.每周一次)
    unless it stands between letters or digits (3.5, www.edu.cn)."""
    if "." not in gap and "．" not in gap:
        return False
    return not (a > 0 and b < len(text) and _ascii_alnum(text[a - 1]) and _ascii_alnum(text[b]))


def scan_gaps(source_text: str, src_start: np.ndarray, src_end: np.ndarray):
    """From the source text between fold characters: ``bounds``, the fold offsets where a
    clause begins (the gap holds clause-ending punctuation or a line break), and the
    ``lead``/``trail`` arrays of :class:`Doc`."""
    n = len(src_start)
    out = [0]
    sent = [0]
    lead, trail = src_start.copy(), src_end.copy()
    if n > 1:
        gaps = np.nonzero(src_start[1:] > src_end[:-1])[0] + 1
        for i in gaps.tolist():
            a, b = int(src_end[i - 1]), int(src_start[i])
            g = source_text[a:b]
            if not CLAUSE_END.isdisjoint(g):
                out.append(i)
                if not SENTENCE_END.isdisjoint(g) or _full_stop(g, source_text, a, b):
                    sent.append(i)
            k = 0
            while k < len(g) and g[k] in _CLOSE:
                k += 1
            trail[i - 1] = a + k
            k = len(g)
            while k > 0 and g[k - 1] in _OPEN:
                k -= 1
            lead[i] = a + k
    if n:
        g = source_text[int(src_end[-1]) : int(src_end[-1]) + 2]
        k = 0
        while k < len(g) and g[k] in _CLOSE:
            k += 1
        trail[-1] = src_end[-1] + k
    out.append(n)
    sent.append(n)
    return np.asarray(out, dtype=np.int64), lead, trail, np.asarray(sent, dtype=np.int64)


def make_doc(plan, ngram: int = NGRAM) -> Doc:
    """Prepare a :class:`plantext.model.Plan` for alignment."""
    view = plan.view("fold")
    starts, ends = view.offsets()
    return doc_from_text(
        plan.id, plan.source.path, plan.plan, view.text, plan.source.text, starts, ends, title=plan.title, ngram=ngram
    )


def doc_from_text(
    id: str,
    source: str,
    plan: int,
    fold: str,
    source_text: str,
    src_start: np.ndarray,
    src_end: np.ndarray,
    title: str = "",
    ngram: int = NGRAM,
) -> Doc:
    """A :class:`Doc` from a fold text and its per-character source offsets (a stored plan)."""
    src_start = np.asarray(src_start, dtype=np.int64)
    src_end = np.asarray(src_end, dtype=np.int64)
    key, ks, ke = key_text(fold)
    bounds, lead, trail, sbounds = scan_gaps(source_text, src_start, src_end)
    f_type = _offset_type(len(fold))  # fold offsets
    s_type = _offset_type(int(trail.max()) if len(trail) else 0)  # source offsets
    doc = Doc(
        id=id,
        source=source,
        plan=plan,
        fold=fold,
        key=key,
        kstart=ks.astype(f_type),
        klen=Diffs.of(ke - ks, 1),
        src_start=src_start.astype(s_type),
        slen=Diffs.of(src_end - src_start, 1),
        bounds=bounds.astype(f_type),
        stored_hashes=ngram_hashes(key, ngram),
        lead_d=Diffs.of(src_start - lead, 0),
        trail_d=Diffs.of(trail - src_end, 0),
        title=title,
        sbounds=sbounds.astype(f_type),
        ngram=ngram,
    )
    doc.clauses = clause_hashes(doc)
    return doc


MIN_CLAUSE = 4  # key chars; shorter clauses (一, 二月) get no hash


def clause_hashes(doc: Doc) -> np.ndarray:
    """A stable 64-bit hash of every clause's key (between consecutive ``bounds``)."""
    from hashlib import blake2b

    n = max(0, len(doc.bounds) - 1)
    out = np.zeros(n, dtype=np.uint64)
    if not n:
        return out
    a = np.searchsorted(doc.kend, doc.bounds[:-1], "right")
    b = np.searchsorted(doc.kstart, doc.bounds[1:], "left")
    key = doc.key
    for c in np.nonzero(b - a >= MIN_CLAUSE)[0].tolist():
        out[c] = int.from_bytes(blake2b(key[a[c] : b[c]].encode("utf-8"), digest_size=8).digest(), "little")
    return out


# -- seeds, fragments, passages -------------------------------------------------------------


def seeds(
    sub: Doc, ref: Doc, max_occ: int = 4, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Key positions ``(i, j)`` where ``sub`` and ``ref`` share an n-gram, sorted by ``i``,
    and the *rarity* of each: ``weights[i]`` (per n-gram of ``sub``, e.g. 1 / document
    frequency in the reference set; 0 for template wording found in many plans, which may
    extend a passage but not found one), 1 without ``weights``."""
    hs, hr = sub.hashes, ref.hashes
    if not len(hs) or not len(hr):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    order, sr = ref.sorted_hashes()
    lo = np.searchsorted(sr, hs, "left")
    hi = np.searchsorted(sr, hs, "right")
    cnt = hi - lo
    # repeated n-grams (headings, 工作计划 ...) make seeds everywhere: drop them
    us, inv, sub_cnt = np.unique(hs, return_inverse=True, return_counts=True)
    cnt = np.where((cnt <= max_occ) & (sub_cnt[inv] <= max_occ), cnt, 0)
    total = int(cnt.sum())
    if not total:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    i = np.repeat(np.arange(len(hs), dtype=np.int64), cnt)
    first = np.repeat(lo - np.concatenate(([0], np.cumsum(cnt)[:-1])), cnt)
    j = order[first + np.arange(total)]
    rare = np.asarray(weights, dtype=np.float64)[i] if weights is not None else np.ones(len(i))
    return i, j.astype(np.int64), rare


@dataclass(slots=True)
class _Frag:
    s0: int
    s1: int
    r0: int
    r1: int
    n: int  # key chars matched
    rare: float = 0.0  # key chars matched, weighted by the seeds' rarity


def fragments(i: np.ndarray, j: np.ndarray, n: int, rare: np.ndarray | None = None) -> list[_Frag]:
    """Chain seeds on one diagonal (``j - i`` constant, consecutive or overlapping) into
    exactly matching key stretches; a fragment's evidence (``rare``) is its length weighted
    by its seeds' rarity."""
    if not len(i):
        return []
    if rare is None:
        rare = np.ones(len(i))
    d = j - i
    order = np.lexsort((i, d))
    i, d, rare = i[order], d[order], rare[order]
    brk = np.nonzero((np.diff(d) != 0) | (np.diff(i) > 1))[0] + 1
    starts = np.concatenate(([0], brk))
    ends = np.concatenate((brk, [len(i)]))
    rsum = np.add.reduceat(rare, starts)
    rmax = np.maximum.reduceat(rare, starts)
    out = []
    for a, b, rs, rm in zip(starts.tolist(), ends.tolist(), rsum.tolist(), rmax.tolist()):
        s0, s1 = int(i[a]), int(i[b - 1]) + n
        # each seed stands for its first character, the last one for n
        out.append(_Frag(s0, s1, s0 + int(d[a]), s1 + int(d[a]), s1 - s0, rs + (n - 1) * rm))
    out.sort(key=lambda f: (f.s0, f.r0))
    return out


def cluster(
    frags: list[_Frag], p: AlignParams, sub_key: str | None = None, ref_key: str | None = None
) -> list[list[_Frag]]:
    """Group fragments into passages: close in the submission (``gap``) and landing inside a
    ``window`` around the passage's reference span, in any order. A fragment that follows
    unmatched text in *both* documents (more than ``split`` key characters each) joins only
    when the two unmatched stretches are alike (an edited copy, whose changes broke every
    seed); else it is a second copy with different text between the two. A fragment that
    follows on in the reference (``split`` at most) after more than ``insert`` key characters
    of the submission's own text starts a passage of its own: the text written in between
    was not copied."""
    from rapidfuzz.distance import Indel

    open_: list[list] = []  # [s1, r0, r1, frags]
    done: list[list[_Frag]] = []
    for f in frags:
        best, best_d = None, None
        for c in open_:
            if f.s0 - c[0] > p.gap:
                continue
            if f.r1 < c[1] - p.window or f.r0 > c[2] + p.window:
                continue
            dist = 0 if c[1] <= f.r0 <= c[2] else min(abs(f.r0 - c[2]), abs(f.r1 - c[1]))
            if (
                f.s0 - c[0] > 2 * p.split + 4
                and f.n <= p.ngram + 2
                and not (
                    sub_key is not None
                    and ref_key is not None
                    and 0 <= f.r0 - c[2] <= p.gap
                    and _gap_alike(sub_key, ref_key, c[0], f.s0, c[2], f.r0, p)
                )
            ):
                continue  # a lone short match after a stretch of other text: chance
            if f.s0 - c[0] > p.insert and 0 <= f.r0 - c[2] <= p.split:
                continue  # a stretch of its own written into the copied text: not copied
            if (
                f.s0 - c[0] > p.split
                and f.r0 - c[2] > p.split
                and sub_key is not None
                and Indel.normalized_similarity(sub_key[c[0] : f.s0], ref_key[c[2] : f.r0]) < p.split_sim
            ):
                continue
            if best is None or dist < best_d:
                best, best_d = c, dist
        if best is None:
            best = [f.s1, f.r0, f.r1, []]
            open_.append(best)
        best[0] = max(best[0], f.s1)
        best[1] = min(best[1], f.r0)
        best[2] = max(best[2], f.r1)
        best[3].append(f)
        still = []
        for c in open_:
            if f.s0 - c[0] <= p.gap:
                still.append(c)
            else:
                done.append(c[3])
        open_ = still
    done.extend(c[3] for c in open_)
    return done


def evidence(frags: list[_Frag]) -> float:
    """A passage's rarity evidence, each character counted once on each side (the smaller
    side): a phrase the two plans repeat (中小学教师继续教育 three times here, twice there)
    chains into a fragment per pairing of its places, and those do not add up to a copy."""

    def side(spans) -> float:
        spans = list(spans)
        lo = min(a for a, _, _ in spans)
        per = np.zeros(max(b for _, b, _ in spans) - lo)
        for a, b, r in spans:
            np.maximum(per[a - lo : b - lo], r, out=per[a - lo : b - lo])
        return float(per.sum())

    if not frags:
        return 0.0
    return min(
        side((f.s0, f.s1, f.rare / max(f.n, 1)) for f in frags), side((f.r0, f.r1, f.rare / max(f.n, 1)) for f in frags)
    )


def one_to_one(frags: list[_Frag]) -> list[_Frag]:
    """Each stretch of the submission matched at one place of the reference, and the other
    way round: a phrase that one plan repeats pairs with every place of it in the other, and
    only the pairing that fits the rest (the strongest fragments' diagonal) is the copy; the
    others would stretch the passage's reference span over text that was not copied."""
    if len(frags) < 2:
        return frags
    main = max(frags, key=lambda f: (f.rare, f.n))
    d0 = main.r0 - main.s0
    kept: list[_Frag] = []
    for f in sorted(frags, key=lambda f: (-f.rare, -f.n, abs(f.r0 - f.s0 - d0))):

        def clash(a0, a1, b0, b1):
            return min(a1, b1) - max(a0, b0) > min(a1 - a0, b1 - b0) // 2

        if any(clash(f.s0, f.s1, k.s0, k.s1) or clash(f.r0, f.r1, k.r0, k.r1) for k in kept):
            continue
        kept.append(f)
    return kept


def _trim(frags: list[_Frag], n: int) -> list[_Frag]:
    """Drop lone single-seed fragments at the edges of a passage: chance matches that would
    stretch it over host text."""
    frags = sorted(frags, key=lambda f: f.s0)
    while len(frags) > 1 and frags[0].n <= n and frags[1].s0 - frags[0].s1 > n:
        frags.pop(0)
    while len(frags) > 1 and frags[-1].n <= n and frags[-1].s0 - frags[-2].s1 > n:
        frags.pop()
    return frags


def _exact_run(
    group: list[_Frag], p: AlignParams, unique: Unique | None = None, sub: Doc | None = None, ref: Doc | None = None
) -> bool:
    """One exact run of ``min_exact`` key characters or more that no other plan holds: the
    evidence reviewers know as the 13-character rule. Either each of its n-grams is in no other
    plan, or (``unique``) the run as a whole is: its n-grams may each recur in a few plans (a
    sentence put together from common phrases) while no other plan holds them all. Stock
    phrases and template wording are in many plans, so they do not pass."""
    for f in group:
        if f.n < p.min_exact:
            continue
        if f.rare >= 0.95 * f.n:
            return True
        if unique is not None and sub is not None and ref is not None:
            for a, b in identical_runs(sub, ref, f, p.min_exact):
                if unique([(a, b)], ref):
                    return True
    return False


def identical_runs(sub: Doc, ref: Doc, f: _Frag, min_len: int) -> list[tuple[int, int]]:
    """The stretches of an exactly matching key fragment whose fold text is identical too
    (the key folds numbers and synonyms: 12节 and 20节 share a key), as key spans of ``sub``
    of at least ``min_len`` key characters."""
    out = []
    start = f.s0
    for k in range(f.n + 1):
        same = (
            k < f.n
            and sub.fold[int(sub.kstart[f.s0 + k]) : sub.kend_at(f.s0 + k)]
            == ref.fold[int(ref.kstart[f.r0 + k]) : ref.kend_at(f.r0 + k)]
        )
        if not same:
            if f.s0 + k - start >= min_len:
                out.append((start, f.s0 + k))
            start = f.s0 + k + 1
    return out


def _trim_ref(frags: list[_Frag], p: AlignParams) -> list[_Frag]:
    """Drop small fragments that land apart from the rest in the reference: reordering keeps
    a passage's pieces together there, a chance match does not."""
    frags = sorted(frags, key=lambda f: f.r0)
    small = 2 * p.ngram
    while len(frags) > 1 and frags[0].n <= small and frags[1].r0 - frags[0].r1 > p.gap:
        frags.pop(0)
    while len(frags) > 1 and frags[-1].n <= small and frags[-1].r0 - max(f.r1 for f in frags[:-1]) > p.gap:
        frags.pop()
    return frags


def _gap_alike(sub_key: str, ref_key: str, s0: int, s1: int, r0: int, r1: int, p: AlignParams) -> bool:
    """Whether the unmatched key text between two fragments, ``sub_key[s0:s1]`` and
    ``ref_key[r0:r1]``, is the same text edited rather than different text: words replaced by
    others of about the same length (安排 for 组织, 主管 for 负责), or an edit of it (a
    dropped or added filler). A copied passage carries on over such an edit, not over a
    different heading or clause that sits between two template phrases (开展青年教师培训 in
    one plan, 工作目标 in the other)."""
    from rapidfuzz.distance import Indel

    a, b = sub_key[s0 : max(s0, s1)], ref_key[r0 : max(r0, r1)]
    if abs(len(a) - len(b)) <= 1:
        return True
    return Indel.normalized_similarity(a, b) >= p.split_sim


def _extend(
    group: list[_Frag], others: list[_Frag], p: AlignParams, sub_key: str | None = None, ref_key: str | None = None
) -> list[_Frag]:
    """Add to a passage found by rare seeds the template-wording fragments that continue it:
    those inside its span in both documents, and chains that carry on from its edges over
    text that is alike in both (:func:`_gap_alike`)."""
    s0, s1 = min(f.s0 for f in group), max(f.s1 for f in group)
    r0, r1 = min(f.r0 for f in group), max(f.r1 for f in group)
    out = list(group)
    left = min(group, key=lambda f: f.s0)
    right = max(group, key=lambda f: f.s1)
    rest = []
    for f in others:
        if f.s0 >= s0 and f.s1 <= s1 and f.r0 >= r0 and f.r1 <= r1:
            out.append(f)
        elif f.s1 <= s1 + p.ext or f.s0 >= s0 - p.ext:
            rest.append(f)
    grown = True
    while grown and rest:
        grown = False
        for f in rest:
            if (
                f.s0 < left.s0
                and 0 <= left.s0 - f.s1 + p.ngram <= p.ext + p.ngram
                and 0 <= left.r0 - f.r1 + p.ngram <= p.ext + p.ngram
                and (
                    sub_key is None or ref_key is None or _gap_alike(sub_key, ref_key, f.s1, left.s0, f.r1, left.r0, p)
                )
            ):
                left, grown = f, True
            elif (
                f.s1 > right.s1
                and 0 <= f.s0 - right.s1 + p.ngram <= p.ext + p.ngram
                and 0 <= f.r0 - right.r1 + p.ngram <= p.ext + p.ngram
                and (
                    sub_key is None
                    or ref_key is None
                    or _gap_alike(sub_key, ref_key, right.s1, f.s0, right.r1, f.r0, p)
                )
            ):
                right, grown = f, True
            else:
                continue
            out.append(f)
            rest.remove(f)
            break
    return out


def alike_sentences(sub: Doc, ref: Doc, group: list[_Frag], common: np.ndarray, p: AlignParams) -> int:
    """How many sentences of the submission stretch that ``group`` spans read as a different
    sentence of the reference around the group's span (within ``window``) does, down to the
    words of their own. A copy disguised by reordering, swapped words, changed numbers and
    slips of the pen keeps few exact runs of seven characters, so its seeds' evidence is thin;
    but sentence after sentence still aligns with its source character by character (edit
    similarity ``alike_sim``), and so do the words that are not template wording: the topics
    and names a template's slots hold. Template wording: the key characters of ``sub`` under
    an n-gram it shares with ``ref`` whose rarity is below ``alike_common`` (``common``: where
    those n-grams begin in ``sub``). A sentence counts when ``alike_words`` of its other
    characters, and ``alike_held`` of them, align. Two plans written from one template share
    template sentences, which have no words of their own, and fill the slots with other words,
    which do not align; a sentence that happens to fill them with the same words stays alone."""
    from rapidfuzz.distance import Indel

    if sub.sbounds is None or ref.sbounds is None:
        return 0
    fs, fe = sub.fold_span(min(f.s0 for f in group), max(f.s1 for f in group))
    rs, re_ = ref.fold_span(min(f.r0 for f in group), max(f.r1 for f in group))

    def sentences(doc: Doc, a: int, b: int) -> list[tuple[int, int]]:
        sb = doc.sbounds
        assert sb is not None
        lo = max(0, int(np.searchsorted(sb, a, "right")) - 1)
        hi = min(len(sb) - 1, int(np.searchsorted(sb, b, "left")))
        out = []
        for k in range(lo, hi):
            k0, k1 = _fold_to_key(doc, int(sb[k]), int(sb[k + 1]))
            if k1 - k0 >= 2 * p.ngram:
                out.append((k0, k1))
        return out

    theirs = [ref.key[a:b] for a, b in sentences(ref, rs - p.window, re_ + p.window)]
    cover = np.zeros(len(sub.key) + 1, dtype=np.int32)
    np.add.at(cover, common, 1)
    np.add.at(cover, np.minimum(common + p.ngram, len(sub.key)), -1)
    template = np.cumsum(cover[:-1]) > 0
    used: set[int] = set()
    n = 0
    for a, b in sentences(sub, fs, fe):
        own = ~template[a:b]
        total = int(own.sum())
        if total < p.alike_words:
            continue
        mine = sub.key[a:b]
        best, best_k = 0, -1
        for k, t in enumerate(theirs):
            if k in used or Indel.normalized_similarity(mine, t) < p.alike_sim:
                continue
            held = sum(int(own[op.src_start : op.src_end].sum()) for op in Indel.opcodes(mine, t) if op.tag == "equal")
            if held > best:
                best, best_k = held, k
        if best >= p.alike_words and best >= p.alike_held * total:
            used.add(best_k)
            n += 1
    return n


def _covered(spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for s, e in sorted(spans):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def snap(bounds: np.ndarray, start: int, end: int, limit: int, cross: int = 1) -> tuple[int, int]:
    """Extend ``[start, end)`` to the clause boundaries around it when they are near; a
    boundary less than ``cross`` characters inside an edge trims the stray characters of the
    neighbouring clause instead (a seed that ran over a clause end: the fold text has no
    punctuation, so 协同发展|依托国家 is one n-gram)."""
    k = int(np.searchsorted(bounds, start, "right")) - 1
    prev_b, next_b = int(bounds[k]), int(bounds[min(k + 1, len(bounds) - 1)])
    if 0 < next_b - start <= cross and next_b < end - limit:
        start = next_b  # a seed that began in the tail of the previous clause
    elif start - prev_b <= limit:
        start = prev_b
    k = int(np.searchsorted(bounds, end, "left"))
    next_b, prev_b = int(bounds[min(k, len(bounds) - 1)]), int(bounds[max(k - 1, 0)])
    if 0 < end - prev_b <= cross and prev_b > start + limit:
        end = prev_b  # a seed that ran into the head of the next clause
    elif next_b - end <= limit:
        end = next_b
    return start, end


def _clip(doc: Doc, ks: int, ke: int) -> tuple[int, int]:
    """Fold span of the key span ``[ks, ke)``, cut at a clause boundary inside its first or
    last key character: a folded numeral run can cross one (成员□xxx / 三、培训目标 is one ``0``),
    and the passage must not take in the neighbouring clause for it."""
    fs, fe = doc.fold_span(ks, ke)
    if ke - ks < 2:
        return fs, fe
    b = doc.bounds
    first_end, last_start = doc.kend_at(ks), int(doc.kstart[ke - 1])
    k = int(np.searchsorted(b, first_end, "left")) - 1  # last bound before the first char's end
    if k >= 0 and fs < int(b[k]) < first_end:
        fs = int(b[k])
    k = int(np.searchsorted(b, last_start, "right"))  # first bound after the last char's start
    if k < len(b) and last_start < int(b[k]) < fe:
        fe = int(b[k])
    return fs, fe


def _clause(doc: Doc, c: int) -> str:
    a, b = _fold_to_key(doc, int(doc.bounds[c]), int(doc.bounds[c + 1]))
    return doc.key[a:b]


def grow(sub: Doc, ref: Doc, fs: int, fe: int, rs: int, re_: int, p: AlignParams):
    """Take in the clauses just before and after a passage while the two documents' clauses
    there still match (edit similarity of their keys): template wording next to a copied
    passage, whose n-grams are too common to seed and whose exact runs a few changed
    characters broke."""
    from rapidfuzz.distance import Indel

    def at(bounds, x):
        k = int(np.searchsorted(bounds, x))
        return k if k < len(bounds) and bounds[k] == x else None

    cs, cr = at(sub.bounds, fs), at(ref.bounds, rs)
    for _ in range(p.grow):
        if not cs or not cr:
            break
        a, b = _clause(sub, cs - 1), _clause(ref, cr - 1)
        if min(len(a), len(b)) < 4 or Indel.normalized_similarity(a, b) < p.grow_sim:
            break
        cs, cr = cs - 1, cr - 1
        fs, rs = int(sub.bounds[cs]), int(ref.bounds[cr])
    cs, cr = at(sub.bounds, fe), at(ref.bounds, re_)
    for _ in range(p.grow):
        if cs is None or cr is None or cs + 1 >= len(sub.bounds) or cr + 1 >= len(ref.bounds):
            break
        a, b = _clause(sub, cs), _clause(ref, cr)
        if min(len(a), len(b)) < 4 or Indel.normalized_similarity(a, b) < p.grow_sim:
            break
        cs, cr = cs + 1, cr + 1
        fe, re_ = int(sub.bounds[cs]), int(ref.bounds[cr])
    return fs, fe, rs, re_


def trim_edges(sub: Doc, fs: int, fe: int, parts: list[tuple[int, int]], p: AlignParams) -> tuple[int, int]:
    """Drop the first (last) clause of a passage when the seeds hold little of it: the tail
    (head) of a template clause (在X、Y等方面取得实效) that ran into the copied text through an
    n-gram across the clause end, and which snapping then took in whole. ``parts``: the fold
    spans of ``sub`` the seeds cover."""

    def held(a: int, b: int) -> int:
        return sum(max(0, min(b, y) - max(a, x)) for x, y in parts)

    k = int(np.searchsorted(sub.bounds, fs, "right"))
    if k < len(sub.bounds):
        b = int(sub.bounds[k])
        h = held(fs, b)
        if b < fe - p.min_len and h < p.ngram + 2 and h < 0.5 * (b - fs):
            fs = b
    k = int(np.searchsorted(sub.bounds, fe, "left")) - 1
    if k >= 0:
        b = int(sub.bounds[k])
        h = held(b, fe)
        if b > fs + p.min_len and h < p.ngram + 2 and h < 0.5 * (fe - b):
            fe = b
    return fs, fe


def _fold_to_key(doc: Doc, fs: int, fe: int) -> tuple[int, int]:
    return (int(np.searchsorted(doc.kend, fs, "right")), int(np.searchsorted(doc.kstart, fe, "left")))


def align(
    sub: Doc,
    ref: Doc,
    params: AlignParams | None = None,
    weights: np.ndarray | None = None,
    unique: Unique | None = None,
) -> list[Alignment]:
    """Passages of ``sub`` copied from ``ref``, in submission order, non-overlapping.
    ``weights``: rarity of each n-gram of ``sub`` (see :func:`seeds`); ``unique(spans, ref)``:
    whether the exactly matching key runs ``spans`` of ``sub`` are together evidence of copying
    from ``ref`` (no other plan holds them, chance would not bring them together: see
    :meth:`plantext.similarity.check.RefIndex.unique_runs`); one identical run of ``min_exact``
    characters that passes founds a passage."""
    from rapidfuzz.distance import Indel

    p = params or AlignParams()
    i, j, rare = seeds(sub, ref, p.max_occ, weights)
    frags = fragments(i, j, p.ngram, rare)
    # passages are founded on rare seeds only: plans written from one template share
    # template wording all over, and chains of it would join unrelated stretches
    anchors = [f for f in frags if f.rare > 0]
    others = [f for f in frags if f.rare <= 0]
    out: list[Alignment] = []
    for group in cluster(anchors, p, sub.key, ref.key):
        group = _trim_ref(_trim(one_to_one(group), p.ngram), p)
        if not group:
            continue
        ev = evidence(group)
        if (
            ev < p.min_rare
            and not _exact_run(group, p, unique, sub, ref)
            and not (
                ev >= p.alike_evidence
                and alike_sentences(sub, ref, group, i[rare < p.alike_common], p) >= p.alike_sentences
            )
        ):
            continue
        if others:
            group = _extend(group, others, p, sub.key, ref.key)
        matched = _covered([(f.s0, f.s1) for f in group])
        if matched < p.min_match:
            continue
        ks0, ks1 = min(f.s0 for f in group), max(f.s1 for f in group)
        kr0, kr1 = min(f.r0 for f in group), max(f.r1 for f in group)
        fs, fe = _clip(sub, ks0, ks1)
        rs, re_ = _clip(ref, kr0, kr1)
        fs, fe = snap(sub.bounds, fs, fe, p.snap, p.ngram - 1)
        rs, re_ = snap(ref.bounds, rs, re_, p.snap, p.ngram - 1)
        fs, fe = trim_edges(sub, fs, fe, [sub.fold_span(f.s0, f.s1) for f in group], p)
        rs, re_ = trim_edges(ref, rs, re_, [ref.fold_span(f.r0, f.r1) for f in group], p)
        if fe - fs < p.min_len:
            continue
        if p.grow:
            fs, fe, rs, re_ = grow(sub, ref, fs, fe, rs, re_, p)
        # score: the share of the passage the seeds explain, or the edit similarity of the two
        # keys when that is higher (numbers and short edits break seeds but not the alignment)
        a0, a1 = _fold_to_key(sub, fs, fe)
        b0, b1 = _fold_to_key(ref, rs, re_)
        cov_s = _covered([(max(f.s0, a0), min(f.s1, a1)) for f in group if f.s1 > a0 and f.s0 < a1])
        cov_r = _covered([(max(f.r0, b0), min(f.r1, b1)) for f in group if f.r1 > b0 and f.r0 < b1])
        cov = (cov_s / max(1, a1 - a0) + cov_r / max(1, b1 - b0)) / 2
        sim = Indel.normalized_similarity(sub.key[a0:a1], ref.key[b0:b1])
        score = max(cov, sim, cov_s / max(1, a1 - a0) * 0.9)
        if score < p.min_score:
            continue
        parts = [sub.fold_span(f.s0, f.s1) for f in sorted(group, key=lambda f: f.s0)]
        out.append(Alignment(fs, fe, rs, re_, round(float(score), 4), matched, parts, evidence(group)))
    return _resolve(out)


def _resolve(items: list[Alignment]) -> list[Alignment]:
    """Overlapping passages of one pair (text repeated in the reference): keep the stronger,
    merge the ones that touch the same reference stretch."""
    items.sort(key=lambda a: (-a.matched, a.s_start))
    kept: list[Alignment] = []
    for a in items:
        clash = False
        for b in kept:
            ov = min(a.s_end, b.s_end) - max(a.s_start, b.s_start)
            if ov <= 0:
                continue
            r_ov = min(a.r_end, b.r_end) - max(a.r_start, b.r_start)
            if r_ov > 0:  # the same copy seen twice: one detection
                b.s_start, b.s_end = min(a.s_start, b.s_start), max(a.s_end, b.s_end)
                b.r_start, b.r_end = min(a.r_start, b.r_start), max(a.r_end, b.r_end)
                b.matched += a.matched
                b.rare += a.rare
                b.parts = sorted(b.parts + a.parts)
                b.score = max(a.score, b.score)
                clash = True
                break
            if ov > 0.5 * (a.s_end - a.s_start):
                clash = True
                break
        if not clash:
            kept.append(a)
    kept.sort(key=lambda a: a.s_start)
    return kept
