"""The copy check: which passages of a submission were lifted from where, and how much.

Three steps, so that a stored library (``plantext index``) can reuse the first:

1. :func:`build_index` prepares the reference plans once: per plan a :class:`~.align.Doc`
   (fold text, seeding key, clause bounds, n-gram hashes: pure data) and an inverted index
   from rare hashes to plans, plus the hashes common to many sources (boilerplate);
2. :meth:`RefIndex.candidates` picks, per submission, the references sharing enough rare
   hashes with it;
3. :func:`~.align.align` finds the passages, :func:`check_doc` labels them ``copy`` or
   ``boilerplate`` and computes the ratios the academic checkers report (总文字复制比,
   单篇最大文字复制比, per section, per source).

Ratios count characters of the ``fold`` view (no punctuation or whitespace).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from ..model import DocumentCheck, Passage, Plan, Ref, SectionRatio, SourceRatio
from .align import AlignParams, Alignment, Doc, align, make_doc
from .boilerplate import MIN_SOURCES, STOCK_ID, common_hashes, common_mask, stock_hits

# A passage whose characters are mostly boilerplate is boilerplate.
BOILERPLATE_SHARE = 0.5


@dataclass(eq=False)
class RefIndex:
    """Reference plans prepared once per run (or loaded from a library)."""

    docs: list[Doc]
    params: AlignParams = field(default_factory=AlignParams)
    post_hash: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    post_doc: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    common: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))

    def candidates(self, doc: Doc, exclude: Iterable[str] = (), min_shared: int = 3,
                   limit: int = 50) -> list[Doc]:
        """References sharing at least ``min_shared`` rare n-grams with ``doc``, most first."""
        if not len(self.post_hash) or not len(doc.hashes):
            return []
        h = np.unique(doc.hashes)
        lo = np.searchsorted(self.post_hash, h, "left")
        hi = np.searchsorted(self.post_hash, h, "right")
        cnt = hi - lo
        total = int(cnt.sum())
        if not total:
            return []
        first = np.repeat(lo - np.concatenate(([0], np.cumsum(cnt)[:-1])), cnt)
        owners = self.post_doc[first + np.arange(total)]
        shared = np.bincount(owners, minlength=len(self.docs))
        skip = set(exclude)
        order = np.argsort(-shared, kind="stable")
        out = []
        for k in order.tolist():
            if shared[k] < min_shared or len(out) >= limit:
                break
            if self.docs[k].id not in skip:
                out.append(self.docs[k])
        return out


def build_index(refs: Sequence[Plan | Doc], params: AlignParams | None = None,
                max_df: int | None = None, min_sources: int = MIN_SOURCES) -> RefIndex:
    """Prepare reference plans (or ready :class:`Doc` records) for checking.

    Hashes in more than ``max_df`` plans (default: 10, or 5% of the plans when more) are left
    out of the candidate index: they say nothing about where a passage came from.
    """
    p = params or AlignParams()
    docs = [r if isinstance(r, Doc) else make_doc(r, p.ngram) for r in refs]
    idx = RefIndex(docs, p)
    if not docs:
        return idx
    parts = [np.unique(d.hashes) for d in docs]
    h = np.concatenate(parts)
    owner = np.repeat(np.arange(len(docs), dtype=np.int64), [len(x) for x in parts])
    u, inv, df = np.unique(h, return_inverse=True, return_counts=True)
    limit = max_df if max_df is not None else max(10, len(docs) // 20)
    keep = df[inv] <= limit
    h, owner = h[keep], owner[keep]
    order = np.argsort(h, kind="stable")
    idx.post_hash, idx.post_doc = h[order], owner[order]
    idx.common = common_hashes(docs, min_sources)
    return idx


# -- sections -----------------------------------------------------------------------------

_TOP_HEADING = re.compile(r"^[ \t\u3000]*((?:[一二三四五六七八九十]{1,3}[、.．])|(?:第[一二三四五六七八九十]{1,3}[章部分]))"
                          r"[ \t\u3000]*([^\n]{0,40})", re.M)


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


def check_doc(sub: Doc, index: RefIndex, bp_index: RefIndex | None = None, stock: bool = True,
              exclude: Iterable[str] = (), plan: Plan | None = None) -> DocumentCheck:
    """The copy check of one prepared submission against a reference index."""
    p = index.params
    n = len(sub.fold)
    found: list[tuple[Doc, Alignment]] = []
    for ref in index.candidates(sub, exclude=exclude):
        found.extend((ref, a) for a in align(sub, ref, p))

    # boilerplate: stock phrases, the user's boilerplate texts, text common to many sources
    bp_found: list[tuple[str, int, int, int, int, float]] = []  # ref id, fs, fe, rs, re, score
    if stock:
        for fs, fe, ph in stock_hits(sub):
            bp_found.append((STOCK_ID, fs, fe, ph.start, ph.end, 1.0))
    if bp_index is not None:
        for ref in bp_index.candidates(sub, exclude=exclude, limit=len(bp_index.docs)):
            for a in align(sub, ref, bp_index.params):
                rs, re_ = ref.source_span(a.r_start, a.r_end, widen=True)
                bp_found.append((ref.id, a.s_start, a.s_end, rs, re_, a.score))
    bmask = _mask(n, [(b[1], b[2]) for b in bp_found]) | common_mask(sub, index.common, p.ngram)

    passages: list[tuple[Passage, int, int]] = []  # with fold spans
    for ref, a in found:
        share = bmask[a.s_start:a.s_end].mean() if a.s_end > a.s_start else 0.0
        kind = "boilerplate" if share >= BOILERPLATE_SHARE else "copy"
        s, e = sub.source_span(a.s_start, a.s_end, widen=True)
        rs, re_ = ref.source_span(a.r_start, a.r_end, widen=True)
        passages.append((Passage(s, e, kind, a.score, Ref(ref.id, rs, re_)), a.s_start, a.s_end))
    for rid, fs, fe, rs, re_, score in bp_found:
        s, e = sub.source_span(fs, fe)
        passages.append((Passage(s, e, "boilerplate", score, Ref(rid, rs, re_)), fs, fe))
    passages.sort(key=lambda x: (x[0].start, -x[0].end, x[0].ref.id))

    copy_m = _mask(n, [(fs, fe) for ps, fs, fe in passages if ps.kind == "copy"])
    bp_m = _mask(n, [(fs, fe) for ps, fs, fe in passages if ps.kind == "boilerplate"]) | (copy_m & bmask)
    copy_m &= ~bp_m
    denom = max(n, 1)

    per_ref: dict[str, np.ndarray] = {}
    for ps, fs, fe in passages:
        if ps.kind == "copy":
            m = per_ref.setdefault(ps.ref.id, np.zeros(n, dtype=bool))
            m[fs:fe] = True
    sources = sorted((SourceRatio(rid, float((m & copy_m).sum()) / denom) for rid, m in per_ref.items()),
                     key=lambda r: (-r.copy_ratio, r.id))
    sources = [r for r in sources if r.copy_ratio > 0]

    sections = []
    if plan is not None:
        for title, kind, s, e in _top_sections(plan):
            a, b = sub.fold_index(s), sub.fold_index(e)
            ratio = float(copy_m[a:b].sum()) / (b - a) if b > a else 0.0
            sections.append(SectionRatio(title, kind, s, e, ratio))

    return DocumentCheck(
        id=sub.id, source=sub.source, plan=sub.plan,
        copy_ratio=float(copy_m.sum()) / denom,
        boilerplate_ratio=float(bp_m.sum()) / denom,
        passages=[ps for ps, _, _ in passages],
        max_source_ratio=sources[0].copy_ratio if sources else 0.0,
        max_source=sources[0].id if sources else None,
        sections=sections, sources=sources, title=sub.title,
    )


def check(submissions: Sequence[Plan], references: Sequence[Plan] | None = None,
          boilerplate: Sequence[Plan] | None = None, *, index: RefIndex | None = None,
          params: AlignParams | None = None, stock: bool = True, min_sources: int = MIN_SOURCES,
          progress: Callable[[int, int], None] | None = None) -> list[DocumentCheck]:
    """Check each submission plan against ``references`` (or a ready ``index``); without
    either, the submissions are checked against each other (never a plan against itself).

    ``boilerplate``: plans whose text is boilerplate wherever it appears (``--boilerplate``).
    """
    p = params or (index.params if index is not None else AlignParams())
    subs = [make_doc(s, p.ngram) for s in submissions]
    if index is None:
        if references is None:
            index = build_index(subs, p, min_sources=min_sources)
        else:
            index = build_index(list(references), p, min_sources=min_sources)
    bp_index = build_index(list(boilerplate), p, max_df=1 << 30) if boilerplate else None
    out = []
    for k, (plan, doc) in enumerate(zip(submissions, subs)):
        out.append(check_doc(doc, index, bp_index, stock=stock, exclude=(doc.id,), plan=plan))
        if progress:
            progress(k + 1, len(subs))
    return out


def run_stage(ctx) -> None:
    """``plantext run``: the inputs against each other and against ``--against``."""
    from ..inputs import read_inputs
    from ..report.jsonout import dumps

    plans = ctx.plans
    refs = None
    if ctx.options.against:
        got = read_inputs(ctx.options.against, encoding=ctx.options.encoding,
                          errors=ctx.options.errors, on_error=lambda e: ctx.error(str(e)))
        ids = {p.id for p in plans}
        refs = list(plans) + [r for r in got.plans if r.id not in ids]
    results = check(plans, refs)
    ctx.memo["check"] = results
    ctx.write_text("check.json", dumps({"documents": results}))
