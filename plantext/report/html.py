"""The reviewer's report: one self-contained HTML file, side by side like the academic checkers.

Each submission's text is shown with its copied passages marked (copy and boilerplate in
different colours) beside the stretches of the sources they match. Text is cut at passage
offsets here in Python and every piece goes through ``markupsafe.escape``; the template engine
escapes everything else (autoescape on), so nothing in a document can become markup.

To stay small for hundreds of submissions, a source is not repeated in full beside every
submission: only the stretches around the matched passages are shown (with some context), so
the file grows with the submissions' own text, not with submissions x sources.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from ..model import DocumentCheck, Passage, Plan, Target

CONTEXT = 80  # characters of source text shown around a matched stretch
MIN_GAP = 24  # a shorter gap between two stretches is shown rather than replaced by "…"
# a mark's look is decided by the strongest passage covering it
_RANK = {"copy": 2, "boilerplate": 1}
_CLASS = {"copy": "cp", "boilerplate": "bp"}


@dataclass
class Piece:
    """A run of text and the passages (by number) that cover all of it."""

    text: str
    passages: tuple[int, ...] = ()
    kind: str | None = None


@dataclass
class Stretch:
    start: int
    end: int
    html: str  # escaped, marked text
    gap_before: bool  # source text left out before this stretch


@dataclass
class SourceBlock:
    id: str
    title: str
    ratio: float
    found: bool  # False when the reference's text is not at hand (e.g. a stored plan)
    stretches: list[Stretch] = field(default_factory=list)
    passages: list[int] = field(default_factory=list)
    gap_after: bool = False
    copied: bool = True  # False: listed only for boilerplate passages


def pieces(text: str, offset: int, spans: Sequence[tuple[int, int, int, str, float]]) -> list[Piece]:
    """Cut ``text`` (which starts at source offset ``offset``) at every span boundary.

    ``spans`` are ``(start, end, number, kind, score)`` in source offsets; spans may overlap
    (one stretch copied from two references), so each piece lists every span covering it.
    """
    lo, hi = offset, offset + len(text)
    cuts = {lo, hi}
    for s, e, *_ in spans:
        if e > lo and s < hi:
            cuts.add(max(s, lo))
            cuts.add(min(e, hi))
    bounds = sorted(cuts)
    out: list[Piece] = []
    for a, b in zip(bounds, bounds[1:]):
        cover = [sp for sp in spans if sp[0] <= a and sp[1] >= b]
        kind = None
        if cover:
            kind = max(cover, key=lambda sp: (_RANK.get(sp[3], 0), sp[4]))[3]
        piece = Piece(text[a - lo:b - lo], tuple(sorted(sp[2] for sp in cover)), kind)
        if out and out[-1].passages == piece.passages:  # adjacent spans of one passage
            out[-1].text += piece.text
        else:
            out.append(piece)
    return out


def stretches(bounds: tuple[int, int], spans: Sequence[tuple[int, int]],
              context: int = CONTEXT) -> list[tuple[int, int]]:
    """The stretches of a source to show: each span widened by ``context``, merged when they
    overlap or leave less than ``MIN_GAP`` characters between them."""
    lo, hi = bounds
    out: list[list[int]] = []
    for s, e in sorted(spans):
        a, b = max(lo, s - context), min(hi, e + context)
        if out and a <= out[-1][1] + MIN_GAP:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out if b > a]


def marked(pieces_: Iterable[Piece], prefix: str) -> str:
    """HTML for a run of pieces: plain text escaped, covered text in <mark> with passage ids."""
    from markupsafe import escape

    parts: list[str] = []
    for p in pieces_:
        t = escape(p.text)
        if not p.passages:
            parts.append(str(t))
            continue
        ids = " ".join(f"{prefix}{n}" for n in p.passages)
        parts.append(f'<mark class="{_CLASS.get(p.kind or "", "cp")}" data-p="{ids}">{t}</mark>')
    return "".join(parts)


def _valid(p: Passage, lo: int, hi: int) -> bool:
    return p.end > p.start and p.end > lo and p.start < hi


def _plan_bounds(plan: Plan | None) -> tuple[int, int]:
    if plan is None:
        return (0, 0)
    return (plan.start, plan.end)


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


def document_view(i: int, doc: DocumentCheck, plans: Mapping[str, Plan],
                  targets: Sequence[Target] = (), context: int = CONTEXT) -> dict[str, Any]:
    """Everything the template shows for one submission, text already cut and escaped."""
    from markupsafe import Markup

    plan = plans.get(doc.id)
    prefix = f"p{i}-"
    if plan is not None:
        lo, hi = _plan_bounds(plan)
        text = plan.source.text[lo:hi]
    else:  # no text to show: still list what the check found
        lo, hi, text = 0, 0, ""
    passages = [(k, p) for k, p in enumerate(doc.passages) if plan is None or _valid(p, lo, hi)]
    spans = [(max(p.start, lo), min(p.end, hi), k, p.kind, p.score) for k, p in passages]
    body = Markup(marked(pieces(text, lo, spans), prefix)) if plan is not None else None

    ratios = {s.id: s.copy_ratio for s in doc.sources}
    listed = set(ratios)
    order = [s.id for s in doc.sources]
    for _, p in passages:
        if p.ref.id not in ratios:
            order.append(p.ref.id)
            ratios[p.ref.id] = 0.0
    blocks: list[SourceBlock] = []
    for rid in order:
        ref_passages = [(k, p) for k, p in passages if p.ref.id == rid]
        title, rtext, bounds, ctx_chars = reference_text(rid, plans, context)
        block = SourceBlock(rid, title, ratios[rid], rtext is not None, passages=[k for k, _ in ref_passages],
                            copied=rid in listed or any(p.kind == "copy" for _, p in ref_passages))
        if rtext is not None and ref_passages:
            # context stays inside the reference plan (a template page holds other plans too)
            rb = (max(0, min([bounds[0]] + [p.ref.start for _, p in ref_passages])),
                  min(len(rtext), max([bounds[1]] + [p.ref.end for _, p in ref_passages])))
            rspans = [(max(p.ref.start, rb[0]), min(p.ref.end, rb[1]), k, p.kind, p.score)
                      for k, p in ref_passages if p.ref.end > p.ref.start]
            prev = rb[0]
            for a, b in stretches(rb, [(s, e) for s, e, *_ in rspans], ctx_chars):
                block.stretches.append(Stretch(a, b, Markup(marked(pieces(rtext[a:b], a, rspans), prefix)),
                                               gap_before=a > prev))
                prev = b
            block.gap_after = prev < rb[1]
        blocks.append(block)

    plist = []
    for k, p in passages:
        rtext = reference_text(p.ref.id, plans, context)[1]
        plist.append({
            "n": k, "pid": f"{prefix}{k}", "kind": p.kind, "cls": _CLASS.get(p.kind, "cp"),
            "score": p.score, "start": p.start, "end": p.end, "ref": p.ref.id,
            "ref_start": p.ref.start, "ref_end": p.ref.end,
            "text": plan.source.text[p.start:p.end] if plan is not None else "",
            "ref_text": rtext[p.ref.start:p.ref.end] if rtext is not None else "",
        })
    flags = sorted(set(doc.flags) | set(plan.flags if plan is not None else ()))
    return {
        "i": i, "doc": doc, "title": doc.title or (plan.title if plan else ""), "body": body,
        "chars": hi - lo, "sources": blocks, "passages": plist, "flags": flags,
        "sections": doc.sections, "targets": list(targets), "prefix": prefix,
        "n_copy": sum(1 for _, p in passages if p.kind == "copy"),
        "n_boiler": sum(1 for _, p in passages if p.kind == "boilerplate"),
    }


def reference_text(rid: str, plans: Mapping[str, Plan], context: int = CONTEXT
                   ) -> tuple[str, str | None, tuple[int, int], int]:
    """``(title, text, (start, end), context)`` of a passage's reference; text None when not at
    hand. ``plantext:NAME`` names a list shipped in plantext/resources (the stock phrases),
    shown without context since its neighbouring lines are unrelated phrases."""
    ref = plans.get(rid)
    if ref is not None:
        return ref.title, ref.source.text, (ref.start, ref.end), context
    if rid.startswith("plantext:"):
        text = _resource(rid.partition(":")[2])
        if text is not None:
            return "stock phrases shipped with plantext", text, (0, len(text)), 0
    return "", None, (0, 0), context


@functools.lru_cache(maxsize=8)
def _resource(name: str) -> str | None:
    from importlib import resources

    try:
        return resources.files("plantext.resources").joinpath(name).read_text("utf-8")
    except (OSError, ValueError):
        return None


def summary_rows(docs: Sequence[DocumentCheck], plans: Mapping[str, Plan]) -> list[dict[str, Any]]:
    """One row per submission: what the summary table (HTML and XLSX) shows."""
    rows = []
    for i, d in enumerate(docs):
        plan = plans.get(d.id)
        rows.append({
            "i": i, "id": d.id, "source": d.source, "plan": d.plan,
            "title": d.title or (plan.title if plan else ""),
            "copy_ratio": d.copy_ratio, "boilerplate_ratio": d.boilerplate_ratio,
            "max_source": d.max_source, "max_source_ratio": d.max_source_ratio,
            "passages": len(d.passages), "sources": len(d.sources),
            "flags": sorted(set(d.flags) | set(plan.flags if plan is not None else ())),
        })
    return rows


def collect_targets(plans: Iterable[Plan], outlines: Mapping[str, Any] | None = None) -> dict[str, list[Target]]:
    """Targets per plan id (``outlines``: ready outline nodes per plan id), or nothing when
    the targets module is not available."""
    try:
        from ..targets import targets as find_targets
    except ImportError:
        return {}
    out = {}
    for p in plans:
        try:
            out[p.id] = find_targets(p, (outlines or {}).get(p.id))
        except Exception:  # a report without targets beats no report
            out[p.id] = []
    return out


def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("plantext.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = _pct
    return env.get_template("report.html.j2")


def render_html(docs: Sequence[DocumentCheck], plans: Mapping[str, Plan],
                targets: Mapping[str, Sequence[Target]] | None = None, *,
                title: str = "plantext copy check", against: Sequence[str] = (),
                context: int = CONTEXT, generated: datetime | None = None) -> str:
    """The report for ``docs`` (from ``similarity.check.check``) as one HTML string.

    ``plans`` maps plan ids to plans for submissions and references alike (passage offsets
    index each one's ``source.text``); a reference missing from it is listed without text.
    ``targets`` maps plan ids to their targets (see :func:`collect_targets`).
    """
    targets = targets or {}
    views = [document_view(i, d, plans, targets.get(d.id, ()), context) for i, d in enumerate(docs)]
    when = (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    return _template().render(title=title, docs=views, rows=summary_rows(docs, plans),
                              against=list(against), generated=when,
                              n_refs=len({p.ref.id for d in docs for p in d.passages}))


def run_stage(ctx) -> None:
    """``plantext run``: ``report.html`` over the whole input, each plan checked against the
    others and against ``--against``; reuses the check stage's results when it ran."""
    refs = ctx.memo.get("references")
    if refs is None:
        refs = []
        if ctx.options.against:  # the check stage already reported unreadable files
            from ..inputs import read_inputs

            refs = read_inputs(ctx.options.against, encoding=ctx.options.encoding,
                               errors=ctx.options.errors).plans
        ctx.memo["references"] = refs
    docs = ctx.memo.get("check")
    if docs is None:
        from ..similarity.check import check

        ids = {p.id for p in ctx.plans}
        docs = check(ctx.plans, [*ctx.plans, *(r for r in refs if r.id not in ids)] if refs else None)
        ctx.memo["check"] = docs
    plans = {p.id: p for p in [*refs, *ctx.plans]}
    found = ctx.memo.get("targets")
    if isinstance(found, list):  # rows of the targets stage
        by_plan: dict[str, list[Target]] = {}
        for t in found:
            by_plan.setdefault(t.id, []).append(t)
        found = by_plan
    if not isinstance(found, dict):
        outlines = ctx.memo.get("outlines")
        found = collect_targets(ctx.plans, outlines if isinstance(outlines, dict) else None)
    ctx.write_text("report.html", render_html(docs, plans, found, against=ctx.options.against))
