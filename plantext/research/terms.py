"""Terms of plans: which content words each plan, section kind or group uses, and how much.

Terms are the words of the plan's ``norm`` view (simplified script, canonical punctuation) as
:func:`plantext.segment.tokens` cuts them (jieba with the domain dictionary), minus the
domain stopwords (function words *and* the stock verbs of plans: 加强, 进一步 ...), numbers,
punctuation, placeholders (20xx, □) and single characters that the domain dictionary does
not list; when the outline is given, also minus the titles of headings that name a section
kind (一、指导思想). Over a corpus, the terms that most plans carry (学校, 教师 in school
plans: document frequency >= ``MAX_DF``) are the corpus's own stopwords and are left out too
(:func:`common_terms`), so keywords and tables show what sets plans apart.

Counts go into a sparse document-term matrix (scikit-learn ``CountVectorizer`` over the
already-cut term lists); TF-IDF uses the idf of the *plans* of the corpus (smooth idf, as
``TfidfTransformer``) whatever the unit, so a section kind or a group is weighted against
what plans in general say. Per-plan keywords can also come from TextRank
(``jieba.analyse.TextRank`` bound to the project's tokenizer and stopwords).
"""

from __future__ import annotations

__all__ = [
    "domain_words",
    "keep",
    "PlanTerms",
    "kind_map",
    "plan_terms",
    "PARALLEL_MIN",
    "corpus_terms",
    "count_matrix",
    "plan_idf",
    "PLAN_KEYS",
    "plan_row",
    "add_meta",
    "ROW_KEYS",
    "term_table",
    "METHODS",
    "keywords",
    "general_idf",
    "TEXTRANK_POS",
    "textrank",
]

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..lexicons import loader
from ..model import Token

if TYPE_CHECKING:  # pragma: no cover
    import jieba.analyse
    import jieba.posseg
    import numpy as np
    from numpy.typing import NDArray
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    from ..model import Plan, Section
    from ..normalize import View

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DIGIT = re.compile(r"\d")


@loader
def domain_words() -> dict[str, str]:
    """The domain dictionary: word -> part-of-speech tag ('n' when the entry has none)."""
    from ..segment import userdict_path

    out = {}
    with open(userdict_path(), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts and not parts[0].startswith("#"):
                out[parts[0]] = parts[2] if len(parts) > 2 else "n"
    return out


@loader
def _filters() -> tuple[frozenset[str], dict[str, str]]:
    from ..segment import stopwords

    return stopwords(), domain_words()


def keep(word: str) -> bool:
    """Is ``word`` a content term? (see the module doc)"""
    stop, dom = _filters()
    if word in dom:
        return True
    if word in stop or len(word) < 2:
        return False
    if not _HAN.search(word):
        return word.isascii() and word.isalpha()  # AI, STEAM; not 2024, 3.5, ——
    return not _DIGIT.search(word)


@dataclass(slots=True)
class PlanTerms:
    """A plan's terms in document order, with the section kind each one sits in (the kind of
    the deepest enclosing outline node that has one; None outside any such node)."""

    plan: Plan
    terms: list[str]
    kinds: list[str | None] | None = None  # None: outline not used

    def by_kind(self) -> dict[str | None, list[str]]:
        out: dict[str | None, list[str]] = {}
        for t, k in zip(self.terms, self.kinds or [None] * len(self.terms)):
            out.setdefault(k, []).append(t)
        return out


def _placeholder_spans(plan: Plan) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in plan.noise if s.kind == "placeholder"]


def _outside(toks: list[Token], holes: list[tuple[int, int]]) -> list[Token]:
    """The tokens that overlap none of the ``holes`` (spans), by bisection over merged holes."""
    merged: list[list[int]] = []
    for a, b in sorted(holes):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        elif b > a:
            merged.append([a, b])
    starts = [a for a, _ in merged]
    out: list[Token] = []
    for t in toks:
        i = bisect_right(starts, t.end - 1) - 1  # last hole starting before the token ends
        if i < 0 or merged[i][1] <= t.start:
            out.append(t)
    return out


def kind_map(plan: Plan, nodes: Sequence[Section]) -> Callable[[int], str | None]:
    """offset -> section kind of the deepest kind-bearing node containing it."""
    lo, hi = plan.start, plan.end
    cover: list[int] = [-1] * (hi - lo)
    kinds: list[str | None] = []
    for n in sorted((n for n in nodes if n.kind), key=lambda n: n.depth):  # deeper overwrite
        if n.kind not in kinds:
            kinds.append(n.kind)
        k = kinds.index(n.kind)
        s, e = max(n.start, lo) - lo, min(n.end, hi) - lo
        if e > s:
            cover[s:e] = [k] * (e - s)

    def at(offset: int) -> str | None:
        i = offset - lo
        return kinds[cover[i]] if 0 <= i < len(cover) and cover[i] >= 0 else None

    return at


def plan_terms(plan: Plan, nodes: Sequence[Section] | None = None) -> PlanTerms:
    """The terms of ``plan``; with its outline ``nodes``, also the section kind of each."""
    view = plan.view("norm")
    return _plan_terms(plan, view, _kept_tokens(view.text), nodes)


def _plan_terms(plan: Plan, view: View, kept: list[tuple[str, int, int]], nodes: Sequence[Section] | None) -> PlanTerms:
    """Map kept view tokens to source offsets (one vectorised lookup, not a bisect per token),
    drop those in placeholders or heading titles, and attach section kinds."""
    import numpy as np

    if not kept:
        return PlanTerms(plan, [], None if nodes is None else [])
    starts, ends = view.offsets()
    s_idx = np.fromiter((t[1] for t in kept), dtype=np.int64, count=len(kept))
    e_idx = np.fromiter((t[2] for t in kept), dtype=np.int64, count=len(kept))
    toks = [Token(int(a), int(b), t[0]) for t, a, b in zip(kept, starts[s_idx].tolist(), ends[e_idx - 1].tolist())]
    holes = _placeholder_spans(plan)
    if nodes:
        # the titles of kind-bearing headings (指导思想, 保障措施 ...) are structure, not content
        holes += [(n.title_start, n.title_end) for n in nodes if n.kind and n.title_start >= 0]
    if holes:
        toks = _outside(toks, holes)
    terms = [t.text for t in toks]
    if nodes is None:
        return PlanTerms(plan, terms)
    at = kind_map(plan, nodes)
    return PlanTerms(plan, terms, [at(t.start) for t in toks])


PARALLEL_MIN = 200  # below this many plans, starting worker processes costs more than it saves


def _kept_tokens(text: str, memo: dict[str, tuple[str, ...]] | None = None) -> list[tuple[str, int, int]]:
    from ..segment import tokens

    return [t for t in tokens(text, memo=memo) if keep(t[0])]


def _kept_tokens_of(texts: list[str]) -> list[list[tuple[str, int, int]]]:
    """:func:`_kept_tokens` of each text, the runs they share cut once (``segment.tokens``'s memo)."""
    memo: dict[str, tuple[str, ...]] = {}
    return [_kept_tokens(t, memo) for t in texts]


MAX_DF = 0.6  # a term in at least this share of the plans is one every plan carries
MIN_DF_PLANS = 5  # below this many plans, document frequencies say nothing


def common_terms(pts: Sequence[PlanTerms], max_df: float = MAX_DF, min_plans: int = MIN_DF_PLANS) -> frozenset[str]:
    """The corpus's own stopwords: terms that at least ``max_df`` of the plans use (学校, 教师,
    培训 in a corpus of school training plans). Found by document frequency, as scikit-learn's
    ``max_df``, not listed by hand; none when the corpus has fewer than ``min_plans`` plans."""
    if len(pts) < max(min_plans, 1):
        return frozenset()
    df: dict[str, int] = {}
    for pt in pts:
        for t in set(pt.terms):
            df[t] = df.get(t, 0) + 1
    need = max_df * len(pts)
    return frozenset(t for t, d in df.items() if d >= need - 1e-9)


def drop_common(
    pts: Sequence[PlanTerms], max_df: float | None = MAX_DF, min_plans: int = MIN_DF_PLANS
) -> list[PlanTerms]:
    """``pts`` without the :func:`common_terms` of the corpus (``max_df`` None: unchanged)."""
    if max_df is None:
        return list(pts)
    common = common_terms(pts, max_df, min_plans)
    if not common:
        return list(pts)
    out = []
    for pt in pts:
        keep_i = [i for i, t in enumerate(pt.terms) if t not in common]
        out.append(
            PlanTerms(
                pt.plan, [pt.terms[i] for i in keep_i], None if pt.kinds is None else [pt.kinds[i] for i in keep_i]
            )
        )
    return out


def corpus_terms(
    plans: Sequence[Plan],
    nodes: Sequence[Sequence[Section]] | None = None,
    jobs: int = 1,
    max_df: float | None = MAX_DF,
) -> list[PlanTerms]:
    """:func:`plan_terms` of every plan, minus the terms that at least ``max_df`` of the
    plans carry (:func:`common_terms`; None keeps them). ``jobs`` > 1 segments in that many
    worker processes (jieba is pure Python, so threads would not help); 0 means one per CPU."""
    from ..pipeline import default_jobs, max_jobs

    jobs = min(jobs or default_jobs(), max_jobs())  # (0: one per core; never more processes than cores)
    views = [p.view("norm") for p in plans]
    if jobs > 1 and len(plans) >= PARALLEL_MIN:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        from ..segment import tokenizer

        tokenizer(), _filters()  # loaded before fork, so workers start with the dictionary
        method = "fork" if "fork" in mp.get_all_start_methods() else None
        from ..lexicons import activate, current

        ctx = mp.get_context(method)
        with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=activate, initargs=(current(),)) as ex:
            texts = [v.text for v in views]
            step = -(-len(texts) // (jobs * 4))  # a few batches per worker, each with its own memo
            batches = ex.map(_kept_tokens_of, [texts[i : i + step] for i in range(0, len(texts), step)])
            kept = [k for batch in batches for k in batch]
    else:
        kept = _kept_tokens_of([v.text for v in views])
    return drop_common(
        [
            _plan_terms(p, v, k, None if nodes is None else nodes[i])
            for i, (p, v, k) in enumerate(zip(plans, views, kept))
        ],
        max_df,
    )


# -- matrices ---------------------------------------------------------------------------------


def _identity(doc: list[str]) -> list[str]:
    return doc


def count_matrix(
    docs: Iterable[list[str]], vocabulary: NDArray[np.object_] | Sequence[str] | None = None
) -> tuple[csr_matrix, NDArray[np.object_]]:
    """(sparse counts, vocabulary array) for already-cut documents."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    docs = list(docs)
    if vocabulary is not None and len(vocabulary) == 0 or vocabulary is None and not any(docs):
        # sklearn refuses an empty vocabulary; plans without a single term are possible
        return sparse.csr_matrix((len(docs), 0), dtype=np.int64), np.array([], dtype=object)
    cv = CountVectorizer(analyzer=_identity, vocabulary=vocabulary)
    X = cv.fit_transform(docs) if vocabulary is None else cv.transform(docs)
    return X, cv.get_feature_names_out()


def plan_idf(X: csr_matrix) -> TfidfTransformer:
    """Smooth idf over the plans' count matrix (sklearn's ``TfidfTransformer``)."""
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(smooth_idf=True).fit(X)


# -- rows ---------------------------------------------------------------------------------------

PLAN_KEYS = ("id", "source", "plan", "title")


def plan_row(plan: Plan) -> dict[str, Any]:
    """The columns that name a plan, then its metadata (every output row carries them)."""
    row: dict[str, Any] = {"id": plan.id, "source": plan.source.path, "plan": plan.plan, "title": plan.title}
    return add_meta(row, plan.meta)


def add_meta(row: dict[str, Any], meta: dict[str, Any], reserved: Iterable[str] = ()) -> dict[str, Any]:
    reserved = set(reserved) | set(row)
    for k, v in meta.items():
        row[f"meta.{k}" if k in reserved else k] = v
    return row


ROW_KEYS = ("rank", "term", "count", "share", "plans", "tfidf")


def term_table(
    pts: Sequence[PlanTerms], by: Sequence[str] = ("plan",), top: int | None = 20, kind: str | None = None
) -> list[dict[str, Any]]:
    """Term frequencies and TF-IDF per unit, the unit given by ``by``: any of ``plan``,
    ``kind`` (section kind) and metadata fields, e.g. ``("plan",)``, ``("kind",)``,
    ``("region", "kind")``. ``kind`` keeps only the terms inside sections of that kind.

    One row per (unit, term), units in first-seen order, terms by TF-IDF within a unit (top
    ``top``): the unit's columns (``n_plans``: its plans, when the unit is not a plan), then
    ``rank, term, count`` (in the unit), ``share`` (of the
    unit's terms), ``plans`` (plans of the unit using it), ``tfidf`` (unit counts x plan idf,
    L2-normalised per unit). Plans without a field named in ``by`` are left out.
    """
    import numpy as np
    from scipy import sparse

    by = list(by)
    use_kind = "kind" in by or kind is not None
    if use_kind and any(pt.kinds is None for pt in pts):
        raise UsageError(key="research.kind_needs_outline")
    fields = [f for f in by if f not in ("plan", "kind")]
    # pieces: the terms of one plan inside one unit
    piece_docs: list[list[str]] = []
    piece_unit: list[int] = []
    units: dict[tuple, int] = {}
    unit_rows: list[dict[str, Any]] = []
    unit_plans: list[set[str]] = []
    for pt in pts:
        p = pt.plan
        if any(p.meta.get(f) is None for f in fields):
            continue
        groups = pt.by_kind() if use_kind else {None: pt.terms}
        for k, terms in groups.items():
            if kind is not None and k != kind:
                continue
            if "kind" in by and k is None:
                continue
            key = tuple(p.id if d == "plan" else k if d == "kind" else p.meta[d] for d in by)
            u = units.get(key)
            if u is None:
                u = units[key] = len(unit_rows)
                unit_rows.append(_unit_row(p, by, k))
                unit_plans.append(set())
            unit_plans[u].add(p.id)
            piece_docs.append(terms)
            piece_unit.append(u)
    if not unit_rows:
        return []
    X_plans, vocab = count_matrix(pt.terms for pt in pts)
    if len(vocab) == 0:
        return []
    tt = plan_idf(X_plans)
    P, _ = count_matrix(piece_docs, vocabulary=vocab)
    A = sparse.csr_matrix(
        (np.ones(len(piece_unit)), (piece_unit, np.arange(len(piece_unit)))), shape=(len(unit_rows), len(piece_unit))
    )
    U = (A @ P).tocsr()
    DF = (A @ (P > 0).astype(np.int64)).tocsr()
    W = tt.transform(U).tocsr()
    for M in (U, W, DF):
        M.sort_indices()
    # a term counted in a unit has a positive TF-IDF and was used by >= 1 of its plans, so the
    # three matrices share one sparsity pattern and their data arrays line up
    same = all(np.array_equal(M.indptr, U.indptr) and np.array_equal(M.indices, U.indices) for M in (W, DF))
    if not same:  # pragma: no cover - defensive
        raise AssertionError("term_table: count and TF-IDF matrices differ in shape")
    totals = np.asarray(U.sum(axis=1)).ravel()
    out = []
    for u, base in enumerate(unit_rows):
        if "plan" not in by:
            base["n_plans"] = len(unit_plans[u])
        lo, hi = U.indptr[u], U.indptr[u + 1]
        idx, cnt, w, df = U.indices[lo:hi], U.data[lo:hi], W.data[lo:hi], DF.data[lo:hi]
        order = np.lexsort((idx, -cnt, -w))  # TF-IDF, then count, then the term (vocab is sorted)
        if top:
            order = order[:top]
        for r, j in enumerate(order.tolist(), 1):
            out.append(
                base
                | {
                    "rank": r,
                    "term": str(vocab[idx[j]]),
                    "count": int(cnt[j]),
                    "share": float(cnt[j] / totals[u]),
                    "plans": int(df[j]),
                    "tfidf": float(w[j]),
                }
            )
    return out


def _unit_row(p: Plan, by: list[str], k: str | None) -> dict[str, Any]:
    if "plan" in by:
        row = plan_row(p)
        if "kind" in by:
            row["kind"] = k
        return row
    return {d: k if d == "kind" else p.meta[d] for d in by}


# -- keywords per plan -------------------------------------------------------------------------

METHODS = ("tfidf", "tfidf-jieba", "textrank")


def keywords(pts: Sequence[PlanTerms], top: int = 10, method: str = "tfidf") -> list[dict[str, Any]]:
    """Top-``top`` keywords per plan: one row per (plan, keyword) with ``rank, term, count,
    score``. ``tfidf``: the plan's counts x the corpus idf (L2-normalised); ``tfidf-jieba``:
    the plan's term frequencies x the general-Chinese idf table that ``jieba.analyse.TFIDF``
    ships (median idf for words it lacks), for one plan or a handful, where a corpus idf says
    nothing; ``textrank``: jieba's TextRank over the plan's ``norm`` text (co-occurrence
    window 5), POS-filtered to nouns and verbs, with this module's term filter."""
    if method not in METHODS:
        raise UsageError(key="research.unknown_method", method=method, methods=", ".join(METHODS))
    out: list[dict[str, Any]] = []
    if method == "tfidf":
        for row in term_table(pts, ("plan",), top=top):
            out.append(
                {k: v for k, v in row.items() if k not in ("share", "plans", "tfidf")}
                | {"score": row["tfidf"], "method": "tfidf"}
            )
        return out
    tr = textrank() if method == "textrank" else None
    idf, median = general_idf() if method == "tfidf-jieba" else ({}, 0.0)
    for pt in pts:
        counts: dict[str, int] = {}
        for t in pt.terms:
            counts[t] = counts.get(t, 0) + 1
        base = plan_row(pt.plan)
        if tr is not None:
            ranked = tr.textrank(pt.plan.view("norm").text, topK=top, withWeight=True, allowPOS=TEXTRANK_POS)
        else:
            n = max(len(pt.terms), 1)
            scores = {t: c / n * idf.get(t, median) for t, c in counts.items()}
            ranked = sorted(scores.items(), key=lambda ts: (-ts[1], -counts[ts[0]], ts[0]))[:top]
        for r, (term, score) in enumerate(ranked, 1):
            out.append(
                base | {"rank": r, "term": term, "count": counts.get(term, 0), "score": float(score), "method": method}
            )
    return out


@loader
def general_idf() -> tuple[dict[str, float], float]:
    """jieba.analyse's idf table (a general Chinese corpus) and its median idf."""
    import jieba.analyse

    ex = jieba.analyse.TFIDF()
    return ex.idf_freq, ex.median_idf


TEXTRANK_POS = ("n", "nz", "nt", "ns", "nr", "vn", "v", "l")


@loader
def textrank() -> jieba.analyse.TextRank:
    """``jieba.analyse.TextRank`` on the project's tokenizer (domain dictionary with its tags)
    and this module's term filter (domain stopwords, no numbers or single characters)."""
    import jieba.analyse

    from ..segment import pos_tokenizer

    class _TextRank(jieba.analyse.TextRank):
        def pairfilter(self, wp: jieba.posseg.pair) -> bool:
            return wp.flag in self.pos_filt and keep(wp.word)

    tr = _TextRank()
    tr.tokenizer = tr.postokenizer = pos_tokenizer()
    return tr
