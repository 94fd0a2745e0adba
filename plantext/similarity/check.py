"""The copy check: which passages of a submission were lifted from where, and how much.

Three steps, so that a stored library (``plantext index``) can reuse the first:

1. :func:`build_index` prepares the reference plans once: per plan a :class:`~.align.Doc`
   (fold text, seeding key, clause bounds, n-gram hashes: pure data) and an inverted index
   from rare hashes to plans, plus the hashes common to many sources (boilerplate);
2. :meth:`RefIndex.candidates` picks, per submission, the references sharing enough rare
   hashes with it (weighted by 1/df), and :meth:`RefIndex.weights` gives each n-gram of the
   submission its rarity: plans written from one template share much wording, and only rare
   shared text can found a copied passage (common text may extend one);
3. :func:`~.align.align` finds the passages, :func:`check_doc` labels them ``copy`` or
   ``boilerplate`` and computes the ratios the academic checkers report (总文字复制比,
   单篇最大文字复制比, per section, per source).

Ratios count characters of the ``fold`` view (no punctuation or whitespace).
"""

from __future__ import annotations

__all__ = [
    "BOILERPLATE_SHARE",
    "MIN_OWN",
    "QUOTE_CONTEXT",
    "Lookup",
    "RefIndex",
    "build_index",
    "check_doc",
    "check",
]

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model import DocumentCheck, Passage, Plan, Ref, SectionRatio, SourceRatio
from .align import Alignment, AlignParams, Doc, Unique, align, make_doc
from .boilerplate import STOCK_ID, Common, common_runs, common_sources, common_text, stock_hits
from .quotes import QUOTES_ID, form_spans, list_hits
from .quotes import Line as QuoteLine
from .reword import WordIndex
from .reword import find as find_reworded

# A passage whose characters are nearly all boilerplate is boilerplate; a copy that only
# contains some stock clauses stays a copy (the stock part is not counted in copy_ratio).
BOILERPLATE_SHARE = 0.9
# ... or when fewer of its matched characters than this are not boilerplate
MIN_OWN = 12
# A copied passage that holds at least this many fold characters of its own text (not
# boilerplate) outside quotations took the quotations along with their context (dialogue in a
# copied story, a paragraph copied with the line it quotes): they are part of the copy. A
# quotation found in a reference with no more context than that stays a quotation.
QUOTE_CONTEXT = 20


@dataclass(slots=True, eq=False)
class Lookup:
    """A submission's n-grams looked up once in the arrays of a :class:`RefIndex`, which grow
    with the references: its distinct hashes, sorted (a search of sorted keys stays in the
    cache, one of the n-grams in text order, repeats included, does not), and where each
    stands among the postings and the counts. :meth:`RefIndex.weights`,
    :meth:`RefIndex.unique_runs` and :meth:`RefIndex.candidates` share it."""

    hashes: np.ndarray  # the distinct n-gram hashes of the submission, sorted
    inv: np.ndarray  # per n-gram of the submission (text order), its number in ``hashes``
    lo: np.ndarray  # per distinct hash, its postings ``post_hash[lo:hi]``
    hi: np.ndarray
    df_at: np.ndarray  # per distinct hash, its place in ``df_hash`` (empty without one)
    df_found: np.ndarray  # ... and whether it is there


@dataclass(eq=False)
class RefIndex:
    """Reference plans prepared once per run (or loaded from a library)."""

    docs: list[Doc]
    params: AlignParams = field(default_factory=AlignParams)
    post_hash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    post_doc: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # uint16 or int32
    # 1 / df per posting; empty: 1 / the number of postings of the hash (the plans holding it)
    post_w: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    common: Common = field(default_factory=Common.empty)
    # plans holding each hash when they are not the postings' count (a library's statistics)
    df_hash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    df: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # plans holding each
    # per df_hash, whether its count is its own (a library counts a sample of the n-grams and
    # gives the others the count of a neighbour); empty: all are
    df_known: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    words: WordIndex | None = None  # the references' sentences for the word channel
    max_df: int = 1 << 30  # plans an n-gram may be in and still say where a passage came from
    n_plans: int = 0  # plans the rarity counts are taken over (0: the plans of ``docs``)

    def nbytes(self) -> int:
        """Bytes of the arrays and strings the index holds (not the plans it was built from)."""
        total = sum(a.nbytes for a in (self.post_hash, self.post_doc, self.post_w, self.df_hash, self.df))
        made = self.__dict__.get("_dir") if self.__dict__.get("_dir_of") is self.post_hash else None
        if made is not None:
            total += made[0].nbytes
        total += sum(a.nbytes for a in (self.common.grams, self.common.clauses, self.common.example))
        if self.words is not None:
            total += self.words.nbytes()
        total += sum(d.nbytes() for d in self.docs)
        return total

    def lookup(self, doc: Doc) -> Lookup:
        """``doc``'s n-grams looked up in the index (see :class:`Lookup`): once per submission."""
        h, inv = np.unique(doc.hashes, return_inverse=True)
        inv = inv.ravel()
        lo, hi = self._postings_of(h)
        if len(self.df_hash) and len(h):
            at = np.minimum(np.searchsorted(self.df_hash, h), len(self.df_hash) - 1)
            found = self.df_hash[at] == h
        else:
            at, found = np.zeros(0, np.intp), np.zeros(0, bool)
        return Lookup(h, inv, lo, hi, at, found)

    def _postings_of(self, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``np.searchsorted(post_hash, h, "left")`` and ``"right"`` for sorted distinct ``h``.
        A large index is searched through a directory of where each range of the hash space
        (its top bits) begins among the postings, then within that range only: a search of the
        whole array touches memory far apart at every step, which costs more the more
        references there are (the array stops fitting in the processor's caches)."""
        ph = self.post_hash
        made = self._directory()
        if made is None or not len(h):
            return np.searchsorted(ph, h, "left"), np.searchsorted(ph, h, "right")
        starts, shift, steps = made
        b = (h >> np.uint64(shift)).astype(np.intp)
        keys = np.concatenate((h, h))
        lo = starts[np.concatenate((b, b))].astype(np.intp)  # the answer lies in [lo, hi]
        hi = starts[np.concatenate((b, b)) + 1].astype(np.intp)
        right = np.arange(len(keys)) >= len(h)  # the second half: the "right" side
        last = len(ph) - 1
        for _ in range(steps):  # each step halves [lo, hi) at least
            mid = (lo + hi) >> 1
            v = ph[np.minimum(mid, last)]
            go = np.where(right, v <= keys, v < keys) & (mid < hi)
            lo = np.where(go, mid + 1, lo)
            hi = np.where(go, hi, mid)
        return lo[: len(h)], lo[len(h) :]

    def _directory(self) -> tuple[np.ndarray, int, int] | None:
        """``(starts, shift, steps)``: ``post_hash[starts[b]:starts[b + 1]]`` are the postings
        whose hash has the top bits ``b`` (``hash >> shift``); ``steps`` halvings find a place
        in the largest of them. About 16 to 32 postings a range, 4 bytes each: an eighth of a
        byte per posting, made once; None for a small index, which a plain search serves."""
        if self.__dict__.get("_dir_of") is self.post_hash:  # (made for these postings)
            made: tuple[np.ndarray, int, int] | None = self.__dict__["_dir"]
            return made
        made = None
        n = len(self.post_hash)
        if n >= DIRECTORY_MIN:
            bits = min(max(1, (n // 32).bit_length()), 40)
            shift = 64 - bits
            edges = np.arange(1, 1 << bits, dtype=np.uint64) << np.uint64(shift)
            inner = np.searchsorted(self.post_hash, edges, "left")
            starts = np.concatenate(([0], inner, [n])).astype(np.int32 if n < 1 << 31 else np.int64)
            steps = int(np.diff(starts).max()).bit_length()
            made = (starts, shift, steps)
        self.__dict__["_dir"], self.__dict__["_dir_of"] = made, self.post_hash
        return made

    def _looked_up(self, doc: Doc, look: Lookup | None) -> Lookup:
        return look if look is not None and len(look.inv) == len(doc.hashes) else self.lookup(doc)

    def weights(self, doc: Doc, look: Lookup | None = None) -> np.ndarray:
        """Rarity of each n-gram of ``doc`` in the references: 1 / the number of other plans
        holding it; 0 for template wording and n-grams too common to be indexed. ``look``:
        :meth:`lookup` of ``doc``, when it was made before."""
        if not len(doc.hashes) or not (len(self.df_hash) or len(self.post_hash)):
            return np.zeros(len(doc.hashes))
        lk = self._looked_up(doc, look)
        own = 1 if doc.id in self.ids else 0
        if len(self.df_hash):
            found = lk.df_found
            df = self.df[lk.df_at] - own
        else:
            df = lk.hi - lk.lo
            found = df > 0
            df = df - own
        return np.asarray(np.where(found, 1.0 / np.maximum(df, 1), 0.0)[lk.inv])

    @property
    def ids(self) -> Collection[str]:
        """The plans' ids (what ``in`` asks of)."""
        return self._numbers().keys()

    def _numbers(self) -> dict[str, int]:
        """Each plan id's number in ``docs`` (the first, when plans share an id), made once."""
        at = self.__dict__.get("_at")
        if at is None or self.__dict__.get("_at_of") is not self.docs:  # (made for these plans)
            at = self.__dict__["_at"] = {}
            for k, d in enumerate(self.docs):
                at.setdefault(d.id, k)
            self.__dict__["_shared_ids"] = len(at) < len(self.docs)
            self.__dict__["_at_of"] = self.docs
        return at

    def numbers(self, ids: Iterable[str]) -> np.ndarray:
        """The numbers in ``docs`` of the plans with these ids (sorted): what to leave out of a
        search, asked once rather than of every plan a search meets."""
        at = self._numbers()
        want = set(ids)
        if self.__dict__["_shared_ids"]:  # an id held by several plans: every one of them
            out = [k for k, d in enumerate(self.docs) if d.id in want]
        else:
            out = sorted(at[i] for i in want if i in at)
        return np.asarray(out, dtype=np.int64)

    def unique_runs(
        self, doc: Doc, weights: np.ndarray, exclude: Iterable[str] = (), look: Lookup | None = None
    ) -> Unique | None:
        """A test ``unique(spans, ref)`` for exactly matching key runs ``doc.key[ks0:ks1]`` of
        the submission that ``ref`` holds too (one identical run, or the seeds of one passage):
        whether they are evidence of copying although their n-grams each recur in a few plans
        (sentences put together from phrases found elsewhere, as template-written plans are).
        Two conditions:

        - no plan but ``ref`` (and the excluded ones) holds all its rare n-grams (in at most
          ``max_df`` plans);
        - chance cannot explain it: taking from each clause of the run its rarest n-gram, held
          by ``d`` of the ``n_plans`` plans, the number of plans expected to hold all of them
          by chance, ``n_plans * prod(d / n_plans)``, is at most ``params.max_chance``. Stock
          wording (n-grams in many plans) counts as held by every plan, so a stock paragraph
          around one rare name never passes, nor does one clause of common phrases.

        ``look``: :meth:`lookup` of ``doc``, when it was made before."""
        if not len(self.post_hash) or not len(doc.hashes) or len(weights) != len(doc.hashes):
            return None
        lk = self._looked_up(doc, look)
        lo, hi = lk.lo[lk.inv], lk.hi[lk.inv]
        rare = (weights > 0) & (weights >= 1.0 / max(1, self.max_df)) & (hi > lo)
        if len(self.df_known) and len(self.df_hash):  # only n-grams whose own count is known
            rare &= (lk.df_found & self.df_known[lk.df_at])[lk.inv]
        n = self.params.ngram
        total = max(self.n_plans or len(self.docs), 2)
        limit = float(np.log(self.params.max_chance))
        # -log share of plans holding each n-gram (0 for stock wording)
        share = np.where(
            rare, np.log(np.minimum(np.where(rare, 1.0 / np.maximum(weights, 1e-12), total), total) / total), 0.0
        )
        m = len(doc.hashes)
        clause = np.searchsorted(doc.bounds, doc.kstart[:m], "right")
        # an n-gram across a clause end is no evidence of either clause
        whole = clause == np.searchsorted(doc.bounds, doc.kend[n - 1 : n - 1 + m] - 1, "right")
        skip = set(exclude)

        def unique(spans: Sequence[tuple[int, int]], ref: Doc) -> bool:
            parts = [np.arange(a, min(b - n + 1, len(doc.hashes))) for a, b in spans]
            pos = np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
            ind = pos[rare[pos]] if len(pos) else pos
            if not len(ind):
                return False
            # rarest n-gram per clause
            inner = ind[whole[ind]]
            if not len(inner):
                return False
            cl = clause[inner]
            per = np.minimum.reduceat(share[inner], np.concatenate(([0], np.flatnonzero(np.diff(cl)) + 1)))
            if np.log(total) + float(per.sum()) > limit:
                return False
            cnt = hi[ind] - lo[ind]
            first = np.repeat(lo[ind] - np.concatenate(([0], np.cumsum(cnt)[:-1])), cnt)
            owners = self.post_doc[first + np.arange(int(cnt.sum()))]
            held = np.bincount(owners, minlength=len(self.docs))  # n-grams of them per plan
            for k in np.flatnonzero(held >= len(ind)).tolist():
                other = self.docs[k]
                if other is not ref and other.id != ref.id and other.id not in skip:
                    return False
            return True

        return unique

    def candidates(
        self,
        doc: Doc,
        exclude: Iterable[str] = (),
        min_weight: float = 3.0,
        limit: int = 30,
        look: Lookup | None = None,
    ) -> list[Doc]:
        """References sharing rare n-grams with ``doc``, ranked by the n-grams' rarity (sum
        of 1/df, at least ``min_weight``: a passage needs more), so that plans sharing only
        template wording with many others do not crowd out the one a passage came from.
        ``look``: :meth:`lookup` of ``doc``, when it was made before."""
        if not len(self.post_hash) or not len(doc.hashes):
            return []
        lk = self._looked_up(doc, look)
        lo, hi = lk.lo, lk.hi
        cnt = hi - lo
        total = int(cnt.sum())
        if not total:
            return []
        first = np.repeat(lo - np.concatenate(([0], np.cumsum(cnt)[:-1])), cnt)
        at = first + np.arange(total)
        owners = self.post_doc[at]
        w = self.post_w[at] if len(self.post_w) else np.repeat(1.0 / np.maximum(cnt, 1), cnt)
        # summed per plan (a count over every plan costs less than sorting the postings met,
        # which are more); ranked by weight, then by plan number
        weight = np.bincount(owners, weights=w, minlength=len(self.docs))
        plans = np.flatnonzero((weight >= min_weight) & (weight > 0))
        weight = weight[plans]
        skip = set(exclude)
        out = []
        for k in plans[np.lexsort((plans, -weight))].tolist():
            if len(out) >= limit:
                break
            if self.docs[k].id not in skip:
                out.append(self.docs[k])
        return out


# postings sorted at a time while the index is built: the peak is the index's, not the sort's
POSTINGS_PART = 1 << 18
# postings from which a lookup goes through a directory of the hash space (RefIndex._directory)
DIRECTORY_MIN = 1 << 16


def build_index(
    refs: Sequence[Plan | Doc],
    params: AlignParams | None = None,
    max_df: int | None = None,
    min_sources: int | None = None,
    words: bool = True,
    compact: bool = True,
) -> RefIndex:
    """Prepare reference plans (or ready :class:`Doc` records) for checking.

    Hashes in more than ``max_df`` plans (default: 10, or 5% of the plans when more) are left
    out of the candidate index: they say nothing about where a passage came from. Text in
    ``min_sources`` distinct sources or more is boilerplate (see
    :func:`~.boilerplate.common_text`). ``compact``: the index keeps its plans without their
    n-gram hashes (:meth:`~.align.Doc.compact`: a record given is left alone, the index holds
    a copy); keep them when the plans are aligned often and live elsewhere anyway (a cache).
    """
    p = params or AlignParams()
    docs: list[Doc] = []
    parts: list[np.ndarray] = []  # each plan's distinct hashes, sorted
    fresh: list[np.ndarray] = []
    for r in refs:
        d = r if isinstance(r, Doc) else make_doc(r, p.ngram)
        fresh.append(np.unique(d.hashes))
        docs.append(d.compact() if compact else d)
        if len(fresh) >= _PACK:
            parts += _packed(fresh)
            fresh = []
    parts += _packed(fresh)
    del fresh
    idx = RefIndex(docs, p)
    if not docs:
        return idx
    limit = max_df if max_df is not None else max(10, len(docs) // 20)
    k = common_sources(docs, min_sources)
    number: dict[str, int] = {}
    src_of = np.array([number.setdefault(d.source, len(number)) for d in docs], dtype=np.int32)
    together = len(src_of) < 2 or not (np.diff(src_of) < 0).any()
    # common n-grams: counted on the sorted postings, part by part, when each source's plans
    # stand together in ``docs``; else once per source, before
    every = None
    if k is not None and not together:
        every = common_text(docs, min_sources).grams
    post_hash, post_doc, grams = _postings(parts, k, limit, src_of if together else None, every)
    del parts
    idx.post_hash, idx.post_doc = post_hash, post_doc
    idx.max_df = limit
    if k is not None:
        idx.common = common_text(docs, min_sources, grams=grams)
    if p.words and words:
        idx.words = WordIndex.build(docs)
    return idx


_PACK = 256  # plans whose distinct hashes are moved into one array


def _packed(arrays: list[np.ndarray]) -> list[np.ndarray]:
    """``arrays`` as views of one array: one block the allocator gives back when it is freed,
    not many small ones between the records that stay (which would keep the process as large
    as if they were still there)."""
    if len(arrays) < 2:
        return arrays
    block = np.concatenate(arrays)
    ends = np.cumsum([len(a) for a in arrays]).tolist()
    return [block[a:b] for a, b in zip([0, *ends[:-1]], ends)]


def _postings(
    parts: list[np.ndarray], k: int | None, limit: int, src_of: np.ndarray | None, every: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidate postings ``(hash, plan)`` sorted by hash (plans ascending within one) of
    the hashes held by at most ``limit`` plans and not common, and the common hashes: those of
    ``k`` sources or more (``src_of``: each plan's source number, the sources standing
    together), or ``every`` (counted before). The hash space is cut into ranges of about
    :data:`POSTINGS_PART` postings, each sorted on its own: the result is the same as one sort
    of all the postings, at a fraction of the memory. ``parts`` is emptied."""
    total = sum(len(x) for x in parts)
    n_parts = max(1, -(-total // POSTINGS_PART))
    step = (1 << 64) // n_parts
    edges = np.array([step * b for b in range(1, n_parts)], dtype=np.uint64)
    cuts = np.empty((len(parts), n_parts + 1), dtype=np.int64)
    cuts[:, 0] = 0
    for d, x in enumerate(parts):
        cuts[d, 1:-1] = np.searchsorted(x, edges)
        cuts[d, -1] = len(x)
    # plan numbers in 2 bytes while they fit (the postings are most of the index)
    plan_no = np.arange(len(parts), dtype=np.uint16 if len(parts) <= 1 << 16 else np.int32)
    # the results are written into arrays as large as every posting, of which only the pages
    # written take memory, and copied out at the end: pieces kept part by part would lie
    # between the parts' freed arrays and keep them in the process
    out_h = np.empty(total, dtype=np.uint64)
    out_d = np.empty(total, dtype=plan_no.dtype)
    out_g = np.empty(total, dtype=np.uint64)
    n_h = n_g = 0
    for b in range(n_parts):
        lens = cuts[:, b + 1] - cuts[:, b]
        h = np.concatenate([x[cuts[d, b] : cuts[d, b + 1]] for d, x in enumerate(parts)])
        owner = np.repeat(plan_no, lens)
        order = np.argsort(h, kind="stable")  # equal hashes keep their plans in order
        h, owner = h[order], owner[order]
        del order
        starts = np.concatenate(([0], np.flatnonzero(h[1:] != h[:-1]) + 1)) if len(h) else np.zeros(0, np.int64)
        counts = np.diff(np.concatenate((starts, [len(h)])))
        keep = np.repeat(counts <= limit, counts)
        grams = np.zeros(0, np.uint64)
        if k is not None and len(h):
            if src_of is not None:
                src = src_of[owner]
                new = np.ones(len(h), dtype=bool)
                new[1:] = src[1:] != src[:-1]
                new[starts] = True
                grams = h[starts][np.add.reduceat(new, starts, dtype=np.int64) >= k]
            elif every is not None:
                lo = 0 if b == 0 else int(np.searchsorted(every, edges[b - 1]))
                hi = len(every) if b == n_parts - 1 else int(np.searchsorted(every, edges[b]))
                grams = every[lo:hi]
        if len(grams):  # h is sorted: each common n-gram is one run of it
            lo_g = np.searchsorted(h, grams, "left")
            hi_g = np.searchsorted(h, grams, "right")
            edge = np.zeros(len(h) + 1, dtype=np.int8)
            np.add.at(edge, lo_g, 1)
            np.add.at(edge, hi_g, -1)
            keep &= np.cumsum(edge[:-1], dtype=np.int8) == 0
        n_kept = int(keep.sum())
        out_h[n_h : n_h + n_kept] = h[keep]
        out_d[n_h : n_h + n_kept] = owner[keep]
        out_g[n_g : n_g + len(grams)] = grams
        n_h += n_kept
        n_g += len(grams)
    del h, owner, keep, starts, counts, grams
    parts.clear()  # (the caller's list: freed before the copies are made)
    return out_h[:n_h].copy(), out_d[:n_h].copy(), out_g[:n_g].copy()


# -- sections -----------------------------------------------------------------------------

_TOP_HEADING = re.compile(
    r"^[ \t\u3000]*((?:[一二三四五六七八九十]{1,3}[、.．])|(?:第[一二三四五六七八九十]{1,3}[章部分]))"
    r"[ \t\u3000]*([^\n]{0,40})",
    re.M,
)


def _top_sections(plan: Plan) -> list[tuple[str, str | None, int, int]]:
    """Depth-1 sections ``(title, kind, start, end)`` from the outline (or, while it is not
    available, from 一、/第一章 headings at line starts)."""
    try:
        from ..outline import outline
    except ImportError:
        outline = None
    if outline is not None:
        return [(n.title, n.kind, n.start, n.end) for n in outline(plan) if n.depth == 1]
    text = plan.source.text
    heads = [m for m in _TOP_HEADING.finditer(text, plan.start, plan.end)]
    out = []
    for k, m in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else plan.end
        start = m.start(1)
        title = re.split(r"[。；：:]", m.group(2), maxsplit=1)[0].strip()
        out.append((title, None, start, len(text[:end].rstrip()) if end > start else end))
    return out


# -- one submission ------------------------------------------------------------------------


def _mask(n: int, spans: Iterable[tuple[int, int]]) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    for s, e in spans:
        m[s:e] = True
    return m


def _common_passages(sub: Doc, index: RefIndex) -> list[tuple[int, int, Doc, int, int]]:
    """Runs of clauses common to many sources: ``(fs, fe, ref, rs, re)`` in fold offsets,
    the reference being one plan that holds the run (one passage per stretch that goes on
    in the same order there)."""
    out = []
    common = index.common
    for c0, c1 in common_runs(sub, common):
        c = c0
        while c < c1:
            k = int(np.searchsorted(common.clauses, sub.clauses[c]))
            ref = index.docs[int(common.example[k])]
            r0 = int(np.nonzero(ref.clauses == sub.clauses[c])[0][0])
            n = 1
            while c + n < c1 and r0 + n < len(ref.clauses) and ref.clauses[r0 + n] == sub.clauses[c + n]:
                n += 1
            out.append((int(sub.bounds[c]), int(sub.bounds[c + n]), ref, int(ref.bounds[r0]), int(ref.bounds[r0 + n])))
            c += n
    return out


def _title_unweighted(weights: np.ndarray, sub: Doc, plan: Plan | None) -> np.ndarray:
    """No weight for the n-grams that start in the plan's title line: plans of one collection
    page share its title (学校教师发展中心工作计划2 / 3), and independent plans share
    generic ones (2024年教师培训计划); a title may join a copied passage, not found one."""
    if plan is None or plan.title_start < 0 or plan.title_end <= plan.title_start or not len(weights):
        return weights
    fs, fe = sub.fold_index(plan.title_start), sub.fold_index(plan.title_end)
    ks = int(np.searchsorted(sub.kend, fs, "right"))
    ke = int(np.searchsorted(sub.kstart, fe, "left"))
    if ke <= ks:
        return weights
    out = weights.copy()
    out[ks : min(ke, len(out))] = 0.0
    return out


@dataclass(slots=True)
class _Cand:
    """A passage before the passages are made disjoint (fold span of the submission)."""

    fs: int
    fe: int
    kind: str
    score: float
    ref: str
    rs: int  # source span in the reference
    re: int
    channel: str = "chars"
    rank: float = 0.0  # who keeps a contested character: higher first


def _disjoint(
    cands: list[_Cand],
    n: int,
    quote_mask: np.ndarray,
    quote_refs: list[_Cand],
    min_piece: int = 8,
    bp_mask: np.ndarray | None = None,
) -> list[tuple[_Cand, int, int, str]]:
    """Each fold character in at most one passage: copies first (strongest first), then
    boilerplate; characters inside a quotation become ``quote`` (keeping the passage's source)
    unless the copy took them along with context of its own (``QUOTE_CONTEXT`` characters
    outside quotations and ``bp_mask``); a copy holding a quotation with less context than that
    is the quotation alone (the words of the clause it is quoted in are left out); listed quotations nobody else found keep the list as
    their source. Returns ``(cand, fs, fe, kind)`` pieces in text order; pieces shorter than
    ``min_piece`` left by a stronger passage are dropped."""
    order = {"copy": 0, "boilerplate": 1}
    owner = np.full(n, -1, dtype=np.int64)
    ranked = sorted(
        range(len(cands)), key=lambda k: (order.get(cands[k].kind, 2), -cands[k].rank, cands[k].fs, cands[k].ref)
    )
    for k in ranked:
        c = cands[k]
        free = owner[c.fs : c.fe] < 0
        owner[c.fs : c.fe][free] = k
    all_c = list(cands)
    for q in quote_refs:  # listed quotations: only where nothing else was found
        k = len(all_c)
        all_c.append(q)
        seg = owner[q.fs : q.fe]
        seg[seg < 0] = k
    # copies whose quotations are part of the copied text
    context = ~quote_mask if bp_mask is None else ~(quote_mask | bp_mask)
    whole = {
        k
        for k, c in enumerate(cands)
        if c.kind == "copy" and quote_mask[c.fs : c.fe].any() and int(context[c.fs : c.fe].sum()) >= QUOTE_CONTEXT
    }
    # copies that are a quotation with a few words around it (the clause it stands in): the
    # words around are the quoting sentence, not copied text, and are left out
    framed = {k for k, c in enumerate(cands) if c.kind == "copy" and k not in whole and quote_mask[c.fs : c.fe].any()}

    pieces = []
    i = 0
    while i < n:
        k = int(owner[i])
        if k < 0:
            i += 1
            continue
        quoted = bool(quote_mask[i]) and k not in whole
        j = i + 1
        while j < n and owner[j] == k and (bool(quote_mask[j]) and k not in whole) == quoted:
            j += 1
        c = all_c[k]
        if k in framed and not quoted:
            i = j  # the words the quotation stands in: neither copied nor quoted
            continue
        if j - i >= min(min_piece, c.fe - c.fs):
            pieces.append((c, i, j, "quote" if quoted else c.kind))
        i = j
    return pieces


def _ref_part(c: _Cand, fs: int, fe: int) -> tuple[int, int]:
    """The reference span of a piece ``[fs, fe)`` of a passage: the whole span when the piece
    is the passage, else the matching share of it."""
    if fs <= c.fs and fe >= c.fe or c.fe <= c.fs:
        return c.rs, c.re
    span = c.re - c.rs
    a = c.rs + round(span * (fs - c.fs) / (c.fe - c.fs))
    b = c.rs + round(span * (fe - c.fs) / (c.fe - c.fs))
    return a, max(a, b)


def check_doc(
    sub: Doc,
    index: RefIndex,
    bp_index: RefIndex | None = None,
    stock: bool = True,
    exclude: Iterable[str] = (),
    plan: Plan | None = None,
    quotes: Sequence[QuoteLine] = (),
) -> DocumentCheck:
    """The copy check of one prepared submission against a reference index.

    ``quotes``: quotation lines besides the shipped list (:func:`.quotes.parse_lines`)."""
    p = index.params
    n = len(sub.fold)
    skip = set(exclude)
    found: list[tuple[Doc, Alignment]] = []
    look = index.lookup(sub)  # the searches of the index's large arrays, made once
    weights = _title_unweighted(index.weights(sub, look), sub, plan)
    unique = index.unique_runs(sub, weights, skip, look)
    for ref in index.candidates(sub, exclude=skip, look=look):
        found.extend((ref, a) for a in align(sub, ref, p, weights, unique))

    # boilerplate: stock phrases, the user's boilerplate texts, clauses common to many sources
    bp: list[tuple[str, int, int, int, int, float]] = []  # ref id, fs, fe, ref source span, score
    if stock:
        for fs, fe, ph in stock_hits(sub):
            bp.append((STOCK_ID, fs, fe, ph.start, ph.end, 1.0))
    if bp_index is not None:
        for ref in bp_index.candidates(sub, exclude=skip, limit=len(bp_index.docs)):
            for a in align(sub, ref, bp_index.params):
                bp.append((ref.id, a.s_start, a.s_end, *ref.source_span(a.r_start, a.r_end, widen=True), a.score))
    for fs, fe, ref, rs, re_ in _common_passages(sub, index):
        if ref.id not in skip:
            bp.append((ref.id, fs, fe, *ref.source_span(rs, re_, widen=True), 1.0))
    bmask = _mask(n, [(b[1], b[2]) for b in bp])

    # quotations: by their form in the source text, and the listed lines
    qmask = np.zeros(n, dtype=bool)
    listed: list[_Cand] = []
    if plan is not None:
        for s, e in form_spans(plan.source.text, plan.start, plan.end):
            a, b = sub.fold_index(s), sub.fold_index(e)
            qmask[a:b] = True
    for fs, fe, line in list_hits(sub, quotes):
        qmask[fs:fe] = True
        listed.append(_Cand(fs, fe, "quote", 1.0, line.file, line.start, line.end))

    cands: list[_Cand] = []
    for ref, a in found:
        inside = bmask[a.s_start : a.s_end]
        # matched characters that are not boilerplate: a few words around stock phrases
        # (把立德树人根本任务落到实处) are not a copy
        own = int((~bmask & _mask(n, a.parts)).sum()) if a.parts else int((~inside).sum())
        kind = "boilerplate" if own < MIN_OWN or inside.mean() >= BOILERPLATE_SHARE else "copy"
        fs, fe = a.s_start, a.s_end
        rs, re_ = ref.source_span(a.r_start, a.r_end, widen=True)
        cands.append(_Cand(fs, fe, kind, a.score, ref.id, rs, re_, "chars", a.score * (a.s_end - a.s_start)))
    if index.words is not None and p.words:
        copied = _mask(n, [(c.fs, c.fe) for c in cands])
        if plan is not None and plan.title_end > plan.title_start >= 0:  # a shared title is no copy
            copied[sub.fold_index(plan.title_start) : sub.fold_index(plan.title_end)] = True
        words = find_reworded(
            sub, index.docs, index.words, skip=copied | bmask | qmask, exclude=skip, exclude_at=index.numbers(skip)
        )
        for w in words:
            ref = index.docs[w.ref]
            rs, re_ = ref.source_span(w.r_start, w.r_end, widen=True)
            kind = "boilerplate" if bmask[w.s_start : w.s_end].mean() >= BOILERPLATE_SHARE else "copy"
            cands.append(
                _Cand(
                    w.s_start, w.s_end, kind, w.score, ref.id, rs, re_, "words", 0.5 * w.score * (w.s_end - w.s_start)
                )
            )
    for rid, fs, fe, rs, re_, score in bp:
        # stock phrases, boilerplate files and common clauses name the boilerplate better than a
        # reference that happens to hold it
        cands.append(_Cand(fs, fe, "boilerplate", score, rid, rs, re_, "chars", float(1 << 40)))

    passages: list[tuple[Passage, int, int]] = []
    for c, fs, fe, kind in _disjoint(cands, n, qmask, listed, bp_mask=bmask):
        s, e = sub.source_span(
            fs, fe, widen=c.ref not in (STOCK_ID, QUOTES_ID) and c.channel == "chars" or c.channel == "words"
        )
        rs, re_ = _ref_part(c, fs, fe)
        passages.append((Passage(s, e, kind, c.score, Ref(c.ref, rs, re_), c.channel), fs, fe))

    listed_ids = {QUOTES_ID, *(q.file for q in quotes)}
    copy_m = _mask(n, [(fs, fe) for ps, fs, fe in passages if ps.kind == "copy"])
    quote_m = _mask(n, [(fs, fe) for ps, fs, fe in passages if ps.kind == "quote" and ps.ref.id not in listed_ids])
    bp_m = _mask(n, [(fs, fe) for ps, fs, fe in passages if ps.kind == "boilerplate"])
    counted = copy_m | quote_m
    denom = max(n, 1)

    per_ref: dict[str, int] = {}
    for ps, fs, fe in passages:
        if ps.kind == "copy" or ps.kind == "quote" and ps.ref.id not in listed_ids:
            per_ref[ps.ref.id] = per_ref.get(ps.ref.id, 0) + fe - fs
    sources = sorted((SourceRatio(rid, k / denom) for rid, k in per_ref.items()), key=lambda r: (-r.copy_ratio, r.id))
    sources = [r for r in sources if r.copy_ratio > 0]

    sections = []
    if plan is not None:
        for title, kind, s, e in _top_sections(plan):
            a, b = sub.fold_index(s), sub.fold_index(e)
            ratio = float(counted[a:b].sum()) / (b - a) if b > a else 0.0
            sections.append(SectionRatio(title, kind, s, e, ratio))

    # what the text shares with each source on its own (not the exclusive attribution above)
    in_ref: dict[str, np.ndarray] = {}
    for c in cands:
        if c.kind == "copy" and c.ref not in listed_ids:
            m = in_ref.get(c.ref)
            if m is None:
                m = in_ref[c.ref] = np.zeros(n, dtype=bool)
            m[c.fs : c.fe] = True
    shared = sorted(
        (SourceRatio(rid, float(m.sum()) / denom) for rid, m in in_ref.items()), key=lambda r: (-r.copy_ratio, r.id)
    )

    copied = int(counted.sum())
    return DocumentCheck(
        id=sub.id,
        source=sub.source,
        plan=sub.plan,
        copy_ratio=copied / denom,
        boilerplate_ratio=float(bp_m.sum()) / denom,
        passages=[ps for ps, _, _ in passages],
        max_source_ratio=sources[0].copy_ratio if sources else 0.0,
        max_source=sources[0].id if sources else None,
        sections=sections,
        sources=sources,
        title=sub.title,
        copy_ratio_without_quotes=float(copy_m.sum()) / denom,
        copied_chars=copied,
        quoted_chars=int(quote_m.sum()),
        total_chars=n,
        shared=[r for r in shared if r.copy_ratio > 0],
    )


def check(
    submissions: Sequence[Plan],
    references: Sequence[Plan] | None = None,
    boilerplate: Sequence[Plan] | None = None,
    *,
    index: RefIndex | None = None,
    params: AlignParams | None = None,
    stock: bool = True,
    min_sources: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    quotes: Sequence[QuoteLine] = (),
) -> list[DocumentCheck]:
    """Check each submission plan against ``references`` (or a ready ``index``); without
    either, the submissions are checked against each other (never a plan against itself).

    ``boilerplate``: plans whose text is boilerplate wherever it appears (``--boilerplate``);
    ``quotes``: quotation lines besides the shipped list (:func:`.quotes.parse_lines`).
    """
    from ..guard import require_plans

    submissions = require_plans(submissions, "plantext.check")
    if references is not None:
        references = require_plans(references, "plantext.check (references)")
    if boilerplate is not None:
        boilerplate = require_plans(boilerplate, "plantext.check (boilerplate)")
    p = params or (index.params if index is not None else AlignParams())
    subs = [make_doc(s, p.ngram) for s in submissions]
    if index is None:
        if references is None:
            index = build_index(subs, p, min_sources=min_sources)
        else:
            index = build_index(list(references), p, min_sources=min_sources)
    bp_index = build_index(list(boilerplate), p, max_df=1 << 30, words=False) if boilerplate else None
    # plans cut from one document (Plan.doc) are never each other's source
    same: dict[str, list[str]] = {}
    for s in [*submissions, *(references or ())]:
        if getattr(s, "doc", ""):
            same.setdefault(s.doc, []).append(s.id)
    out = []
    for k, (plan, doc) in enumerate(zip(submissions, subs)):
        exclude = (doc.id, *same.get(getattr(plan, "doc", ""), ())) if getattr(plan, "doc", "") else (doc.id,)
        out.append(check_doc(doc, index, bp_index, stock=stock, exclude=exclude, plan=plan, quotes=quotes))
        if progress:
            progress(k + 1, len(subs))
    return out
