"""The reviewer's report: one self-contained HTML file, side by side like the academic checkers.

Each submission's text is shown with its copied passages marked (copy and boilerplate in
different colours) beside the stretches of the sources they match. Text is cut at passage
offsets here in Python and every piece goes through ``markupsafe.escape``; the template engine
escapes everything else (autoescape on), so nothing in a document can become markup.

To stay small for hundreds of submissions, a source is not repeated in full beside every
submission: each copied stretch of the submission is shown beside its best source only (the
sources table lists every source; boilerplate is coloured, not shown beside), and of that
source only the stretches around the matched passages, with some context. So the file grows
with the submissions' own text (under twice it), not with submissions x sources; the
spreadsheet (report/xlsx.py) keeps every passage.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from ..model import DocumentCheck, Passage, Plan, Target

CONTEXT = 80  # characters of source text shown around a matched stretch
MIN_GAP = 24  # a shorter gap between two stretches is shown rather than replaced by "…"
# Text covered by a copy and a boilerplate passage counts as boilerplate in the check's ratios,
# so it is coloured so; but the source shown beside it is the copy's (where it was lifted from).
_COLOUR = {"boilerplate": 2, "copy": 1}
_RANK = {"copy": 2, "boilerplate": 1}
_CLASS = {"copy": "cp", "boilerplate": "bp"}
# How many of the passages covering one stretch are shown beside it, the best first, by the
# kind of the best. Copy: one source, as the academic checkers do; a second per stretch doubles
# the file (every source stretch is text) and the sources table lists every source anyway.
# Boilerplate: none; where stock text also sits elsewhere adds little and would cost as much
# text again (most plans are a third boilerplate or more).
SHOWN = {"copy": 1, "boilerplate": 0}
MAX_SOURCE_ROWS = 15  # per submission; the spreadsheet lists them all
MAX_PASSAGE_ROWS = 500
_KIND_CODE = {"copy": 0, "boilerplate": 1}  # the page's passage list decodes these


@dataclass
class Piece:
    """A run of text and the passages (by number) that cover all of it."""

    text: str
    passages: tuple[int, ...] = ()
    kind: str | None = None
    noise: str | None = None  # what cleaning recognised here (chrome, page-residue, placeholder ...)


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
    spans = sorted((max(s, lo), min(e, hi), n, k, sc) for s, e, n, k, sc in spans if e > lo and s < hi and e > s)
    bounds = sorted({lo, hi} | {sp[0] for sp in spans} | {sp[1] for sp in spans})
    out: list[Piece] = []
    active: dict[int, tuple] = {}
    nxt = 0
    for a, b in zip(bounds, bounds[1:]):  # a sweep: spans enter at their start, leave at their end
        while nxt < len(spans) and spans[nxt][0] <= a:
            active[spans[nxt][2]] = spans[nxt]
            nxt += 1
        for n in [n for n, sp in active.items() if sp[1] <= a]:
            del active[n]
        kind = None
        if active:
            kind = max(active.values(), key=lambda sp: (_COLOUR.get(sp[3], 0), sp[4]))[3]
        piece = Piece(text[a - lo:b - lo], tuple(sorted(active)), kind)
        if out and out[-1].passages == piece.passages:  # adjacent spans of one passage
            out[-1].text += piece.text
        else:
            out.append(piece)
    return out


def attribute(pieces_: list[Piece], key, caps: Mapping[str | None, int], kind_of) -> list[Piece]:
    """Keep, for each piece, only its best passages (``key`` ascending): at most
    ``caps[kind_of(best)]``, so a stretch is shown beside as many sources as its best
    passage's kind allows (boilerplate: by default none; the colour says enough).

    A stretch found in fifty references (the template sentence every plan uses) is shown
    beside its best source, not fifty times; the spreadsheet keeps every passage.
    """
    out: list[Piece] = []
    for pc in pieces_:
        if pc.passages:
            ranked = sorted(pc.passages, key=key)
            pc = Piece(pc.text, tuple(ranked[:caps.get(kind_of(ranked[0]), 1)]), pc.kind)
        if out and out[-1].passages == pc.passages and out[-1].kind == pc.kind:
            out[-1] = Piece(out[-1].text + pc.text, pc.passages, pc.kind)
        else:
            out.append(pc)
    return out


def stretches(bounds: tuple[int, int], spans: Sequence[tuple[int, int]],
              context: int = CONTEXT, text: str | None = None) -> list[tuple[int, int]]:
    """The stretches of a source to show: each span widened by ``context``, merged when they
    overlap or leave less than ``MIN_GAP`` characters between them. With the source ``text``,
    the context ends at sentence or line boundaries when there is one in reach, so a stretch
    does not open or close in the middle of a sentence."""
    lo, hi = bounds
    out: list[list[int]] = []
    for s, e in sorted(spans):
        a, b = max(lo, s - context), min(hi, e + context)
        if text is not None:
            a, b = _snap(text, a, s, e, b, lo, hi)
        if out and a <= out[-1][1] + MIN_GAP:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out if b > a]


_ENDS = "。！？；!?;\n"


def _snap(text: str, a: int, s: int, e: int, b: int, lo: int, hi: int) -> tuple[int, int]:
    """Start just after the first sentence end in ``text[a:s]``, stop just after the last one
    in ``text[e:b]``; keep ``a``/``b`` when there is none (or they are the bounds already)."""
    if a > lo:
        cut = next((i + 1 for i in range(a, s) if text[i] in _ENDS), None)
        if cut is not None:
            a = cut
            while a < s and text[a] in " \t\r\n\u3000":
                a += 1
    if b < hi:
        cut = next((i + 1 for i in range(b - 1, e - 1, -1) if text[i] in _ENDS), None)
        if cut is not None:
            b = cut
    return a, b


def with_noise(pieces_: Iterable[Piece], offset: int, noise: Sequence[Any]) -> list[Piece]:
    """Cut pieces (the first starting at source offset ``offset``) at the cleaning spans
    (``Span`` records) so web chrome, page residue and placeholders can be shown as such."""
    spans = sorted((n.start, n.end, n.kind) for n in noise if n.end > n.start)
    if not spans:
        return list(pieces_)
    out: list[Piece] = []
    pos = offset
    for pc in pieces_:
        a, b = pos, pos + len(pc.text)
        pos = b
        inside = [sp for sp in spans if sp[1] > a and sp[0] < b]
        if not inside:
            out.append(pc)
            continue
        cuts = sorted({a, b} | {x for s, e, _ in inside for x in (s, e) if a < x < b})
        for x, y in zip(cuts, cuts[1:]):
            kind = next((k for s, e, k in inside if s <= x and e >= y), None)
            out.append(Piece(pc.text[x - a:y - a], pc.passages, pc.kind, kind))
    return out


def marked(pieces_: Iterable[Piece], prefix: str) -> str:
    """HTML for a run of pieces: plain text escaped, covered text in <mark> with passage ids,
    text that cleaning recognised in a ``nz`` span (or class) naming its kind."""
    from markupsafe import escape

    parts: list[str] = []
    for p in pieces_:
        t = escape(p.text)
        nz = f" nz {escape(p.noise)}" if p.noise else ""
        if p.kind:  # a mark; without passage ids when none is shown beside it
            ids = " ".join(f"{prefix}{n}" for n in p.passages)
            data = f' data-p="{ids}"' if ids else ""
            parts.append(f'<mark class="{_CLASS.get(p.kind, "cp")}{nz}"{data}>{t}</mark>')
        elif p.noise:
            parts.append(f'<span class="{nz.strip()}" title="{escape(p.noise)}">{t}</span>')
        else:
            parts.append(str(t))
    return "".join(parts)


def _valid(p: Passage, lo: int, hi: int) -> bool:
    return p.end > p.start and p.end > lo and p.start < hi


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}%"


def document_view(i: int, doc: DocumentCheck, plans: Mapping[str, Plan],
                  targets: Sequence[Target] = (), context: int = CONTEXT,
                  shown: Mapping[str | None, int] | None = None) -> dict[str, Any]:
    """Everything the template shows for one submission, text already cut and escaped."""
    from markupsafe import Markup

    plan = plans.get(doc.id)
    prefix = f"p{i}-"
    if plan is not None:
        lo, hi = plan.start, plan.end
        text = plan.source.text[lo:hi]
    else:  # no text to show: still list what the check found
        lo, hi, text = 0, 0, ""
    passages = {k: p for k, p in enumerate(doc.passages) if plan is None or _valid(p, lo, hi)}

    # sources ranked by their copy ratio, then those with boilerplate only by characters matched
    ratios = {s.id: s.copy_ratio for s in doc.sources}
    matched: dict[str, int] = {}
    counts: dict[str, int] = {}
    for p in passages.values():
        matched[p.ref.id] = matched.get(p.ref.id, 0) + p.end - p.start
        counts[p.ref.id] = counts.get(p.ref.id, 0) + 1
    order = [s.id for s in doc.sources] + sorted((r for r in matched if r not in ratios),
                                                 key=lambda r: (-matched[r], r))
    rank = {r: n for n, r in enumerate(order)}

    def best(k: int):
        p = passages[k]
        return (-_RANK.get(p.kind, 0), rank.get(p.ref.id, len(rank)), -p.score, k)

    spans = [(p.start, p.end, k, p.kind, p.score) for k, p in passages.items()]
    sub = attribute(pieces(text, lo, spans), best, {**SHOWN, **(shown or {})}, lambda k: passages[k].kind)
    body = Markup(marked(with_noise(sub, lo, plan.noise), prefix)) if plan is not None else None
    listed = sorted({k for pc in sub for k in pc.passages}) if plan is not None else sorted(passages)

    blocks: list[SourceBlock] = []
    for rid in order:
        ref_passages = [(k, passages[k]) for k in listed if passages[k].ref.id == rid]
        if not ref_passages:  # every stretch it matched is shown beside a better source
            continue
        title, rtext, bounds, ctx_chars = reference_text(rid, plans, context)
        noise = plans[rid].noise if rid in plans else ()
        phrases = rid not in plans and rid.startswith("plantext:")  # a list: its gaps mean nothing
        block = SourceBlock(rid, title, ratios.get(rid, 0.0), rtext is not None,
                            passages=[k for k, _ in ref_passages], copied=rid in ratios)
        if rtext is not None:
            # context stays inside the reference plan (a template page holds other plans too)
            rb = (max(0, min([bounds[0]] + [p.ref.start for _, p in ref_passages])),
                  min(len(rtext), max([bounds[1]] + [p.ref.end for _, p in ref_passages])))
            rspans = [(p.ref.start, p.ref.end, k, p.kind, p.score) for k, p in ref_passages]
            prev = rb[0]
            for a, b in stretches(rb, [(max(s, rb[0]), min(e, rb[1])) for s, e, *_ in rspans], ctx_chars, rtext):
                cut = with_noise(pieces(rtext[a:b], a, rspans), a, noise)
                block.stretches.append(Stretch(a, b, Markup(marked(cut, prefix)), gap_before=a > prev and not phrases))
                prev = b
            block.gap_after = prev < rb[1] and not phrases
        blocks.append(block)
    block_of = {b.id: n for n, b in enumerate(blocks)}
    source_rows = [{"id": r, "title": reference_text(r, plans, context)[0], "ratio": ratios.get(r, 0.0),
                    "copied": r in ratios, "passages": counts.get(r, 0), "block": block_of.get(r)}
                   for r in order]

    # the passage list is built by the page when opened: numbers here, texts from the marks
    srcs = sorted({passages[k].ref.id for k in listed}, key=lambda r: rank.get(r, len(rank)))
    src_index = {r: n for n, r in enumerate(srcs)}
    rows = [[k, _KIND_CODE.get(passages[k].kind, 2), round(passages[k].score, 3), passages[k].start, passages[k].end,
             src_index[passages[k].ref.id], passages[k].ref.start, passages[k].ref.end]
            for k in listed[:MAX_PASSAGE_ROWS]]
    flags = sorted(set(doc.flags) | set(plan.flags if plan is not None else ()))
    return {
        "i": i, "doc": doc, "title": doc.title or (plan.title if plan else ""), "body": body,
        "chars": hi - lo, "sources": blocks, "source_rows": source_rows[:MAX_SOURCE_ROWS],
        "more_sources": max(0, len(source_rows) - MAX_SOURCE_ROWS),
        "rows_json": json.dumps(rows, separators=(",", ":")), "srcs_json": json.dumps(srcs, ensure_ascii=False),
        "n_listed": len(listed), "more_passages": max(0, len(listed) - MAX_PASSAGE_ROWS),
        "hidden_passages": len(passages) - len(listed), "flags": flags,
        "sections": doc.sections, "n_targets": len(targets), "targets_json": targets_json(targets), "prefix": prefix,
        "n_copy": sum(1 for p in passages.values() if p.kind == "copy"),
        "n_boiler": sum(1 for p in passages.values() if p.kind == "boilerplate"),
    }


def script_json(obj: Any) -> str:
    """JSON to sit inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left
    (escaped as \\u003c ...), so no text in it can close the element or start markup."""
    from markupsafe import Markup

    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _num(x: float) -> str:
    return f"{x:g}"


def targets_json(targets: Sequence[Target]) -> str:
    """A plan's targets for the page to lay out when their list is opened: rows of
    ``[text, value, condition, deadline, responsible, section number, flags]``; section
    titles listed once (many rows share one)."""
    sections: dict[str, int] = {}
    rows = []
    for t in targets:
        value = "" if t.value is None else _num(t.value) + ("" if t.value_max is None else "–" + _num(t.value_max))
        cond = " ".join(x for x in (t.per, t.comparator, t.qualifier) if x)
        sec = sections.setdefault(t.section or "", len(sections))
        rows.append([t.text, f"{value} {t.unit or ''}".strip(), cond, t.deadline or "", t.responsible or "", sec,
                     list(t.flags)])
    return script_json({"sec": list(sections), "rows": rows})


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
                title: str = "plantext copy check", against: Sequence[str] = (), each_other: bool | None = None,
                context: int = CONTEXT, shown: Mapping[str | None, int] | None = None,
                generated: datetime | None = None) -> str:
    """The report for ``docs`` (from ``similarity.check.check``) as one HTML string.

    ``plans`` maps plan ids to plans for submissions and references alike (passage offsets
    index each one's ``source.text``); a reference missing from it is listed without text.
    ``targets`` maps plan ids to their targets (see :func:`collect_targets`). ``shown``: how
    many sources to show beside a stretch found in several, by kind of its best passage
    (default :data:`SHOWN`: one for copy, none for boilerplate);
    ``context``: characters of source text around each matched stretch. ``against`` names the
    references for the heading; ``each_other``: the submissions were also checked against each
    other (default: when there are no references).
    """
    targets = targets or {}
    views = [document_view(i, d, plans, targets.get(d.id, ()), context, shown) for i, d in enumerate(docs)]
    when = (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    from ..names import control_pictures

    # a file name or text with ESC/BEL is shown as ␛/␇: never raw control characters in the page
    return control_pictures(_template().render(title=title, docs=views, rows=summary_rows(docs, plans),
                                               against=list(against), generated=when,
                                               each_other=not against if each_other is None else each_other,
                                               n_refs=len({p.ref.id for d in docs for p in d.passages})))


def run_stage(ctx) -> None:
    """``plantext run``: ``report.html`` over the whole input, each plan checked against the
    others and against ``--against``; reuses the check stage's results when it ran."""
    refs = ctx.memo.get("references")
    if refs is None:
        refs = []
        if ctx.options.against:
            from ..inputs import read_inputs

            # unreadable files: reported once, by the check stage when it ran
            report = None if "check" in ctx.memo else (lambda e: ctx.error(str(e)))
            refs = read_inputs(ctx.options.against, encoding=ctx.options.encoding,
                               errors=ctx.options.errors, on_error=report).plans
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
    ctx.write_text("report.html", render_html(docs, plans, found, against=ctx.options.against, each_other=True))
