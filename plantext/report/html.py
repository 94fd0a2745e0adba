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

__all__ = [
    "CONTEXT",
    "MIN_GAP",
    "SHOWN",
    "MAX_SOURCE_ROWS",
    "MAX_PASSAGE_ROWS",
    "Piece",
    "Stretch",
    "SourceBlock",
    "pieces",
    "attribute",
    "stretches",
    "with_noise",
    "marked",
    "TextStore",
    "document_view",
    "script_json",
    "targets_json",
    "reference_text",
    "summary_rows",
    "collect_targets",
    "css_str",
    "pack",
    "unpack",
    "report_data",
    "marks_of",
    "render_html",
]

import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..chars import SENTENCE_ENDS
from ..i18n import current_lang, tr
from ..model import DocumentCheck, Passage, Plan, Target
from .findings import DEFAULT_THRESHOLDS, Findings, band_label, circled, findings, flag_label, peer_pairs
from .textpack import ALPHABET as B85_ALPHABET

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
STATIC_ROWS = 60  # overview rows written into the page; the rest are added from the packed data
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
        piece = Piece(text[a - lo : b - lo], tuple(sorted(active)), kind)
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
            pc = Piece(pc.text, tuple(ranked[: caps.get(kind_of(ranked[0]), 1)]), pc.kind)
        if out and out[-1].passages == pc.passages and out[-1].kind == pc.kind:
            out[-1] = Piece(out[-1].text + pc.text, pc.passages, pc.kind)
        else:
            out.append(pc)
    return out


def stretches(
    bounds: tuple[int, int], spans: Sequence[tuple[int, int]], context: int = CONTEXT, text: str | None = None
) -> list[tuple[int, int]]:
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


_ENDS = SENTENCE_ENDS + "\n"


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
            out.append(Piece(pc.text[x - a : y - a], pc.passages, pc.kind, kind))
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


_KIND = {"copy": 0, "boilerplate": 1, "quote": 2}
_NOISE = ("chrome", "page-residue", "placeholder", "mojibake", "watermark")


class TextStore:
    """Every text the page shows, once: the submissions' texts, and of each reference the union
    of the stretches shown beside any submission (a template page copied by three hundred plans
    is stored once, not three hundred times). A reference that is itself a submission of the
    report reads from the submission's text."""

    def __init__(self) -> None:
        self.subs: list[str] = []
        self.sub_of: dict[str, tuple[int, int, int]] = {}  # plan id -> (index, start, end)
        self.wanted: dict[str, list[tuple[int, int]]] = {}
        self.texts: dict[str, str] = {}

    def add_submission(self, plan: Plan) -> int:
        self.subs.append(plan.source.text[plan.start : plan.end])
        j = len(self.subs) - 1
        self.sub_of[plan.id] = (j, plan.start, plan.end)
        return j

    def want(self, rid: str, text: str, a: int, b: int) -> None:
        self.texts[rid] = text
        self.wanted.setdefault(rid, []).append((a, b))

    def table(self) -> dict[str, list[Any]]:
        """``rid -> [submission index or -1, its start, [[a, text], ...]]``: the segments hold
        the stretches the submission's text does not cover."""
        out: dict[str, list[Any]] = {}
        for rid in sorted(self.wanted):
            j, lo, hi = self.sub_of.get(rid, (-1, 0, 0))
            segs: list[list[Any]] = []
            for a, b in sorted(self.wanted[rid]):
                if j >= 0 and lo <= a and b <= hi:
                    continue
                if segs and a <= segs[-1][0] + len(segs[-1][1]):
                    end = max(b, segs[-1][0] + len(segs[-1][1]))
                    segs[-1][1] = self.texts[rid][segs[-1][0] : end]
                else:
                    segs.append([a, self.texts[rid][a:b]])
            out[rid] = [j, lo, segs]
        return out


def document_view(
    i: int,
    doc: DocumentCheck,
    plans: Mapping[str, Plan],
    store: TextStore,
    targets: Sequence[Target] = (),
    context: int = CONTEXT,
    shown: Mapping[str | None, int] | None = None,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
) -> dict[str, Any]:
    """One submission: its findings (for the page's static part) and the compact data the page
    lays its two panes out from when they come into view (offsets, no markup)."""
    plan = plans.get(doc.id)
    if plan is not None:
        lo, hi = plan.start, plan.end
        text = plan.source.text[lo:hi]
    else:  # no text to show: still list what the check found
        lo, hi, text = 0, 0, ""
    passages = {k: p for k, p in enumerate(doc.passages) if plan is None or _valid(p, lo, hi)}
    order = [s.id for s in doc.sources]
    matched: dict[str, int] = {}
    for p in passages.values():
        matched[p.ref.id] = matched.get(p.ref.id, 0) + p.end - p.start
    order += sorted((r for r in matched if r not in order), key=lambda r: (-matched[r], r))
    rank = {r: n for n, r in enumerate(order)}

    def best(k: int):
        p = passages[k]
        return (-_RANK.get(p.kind, 0), rank.get(p.ref.id, len(rank)), -p.score, k)

    spans = [(p.start, p.end, k, p.kind, p.score) for k, p in passages.items()]
    sub = attribute(pieces(text, lo, spans), best, {**SHOWN, **(shown or {})}, lambda k: passages[k].kind)
    listed = sorted({k for pc in sub for k in pc.passages}) if plan is not None else sorted(passages)
    listed = [k for k in listed if passages[k].kind == "copy"]

    def ref_text(rid: str) -> str | None:
        return reference_text(rid, plans, context)[1]

    f = findings(i, doc, plans, thresholds, shown=listed, ref_text=ref_text)
    no_of = {fr.k: fr.no for fr in f.fragments}

    data: dict[str, Any] = {"t": -1, "o": lo}
    if plan is not None:
        data["t"] = store.add_submission(plan)
        marks: list[int] = []  # flat: gap since the previous mark, length, kind, fragment number
        pos = prev = 0
        for pc in sub:
            a, b = pos, pos + len(pc.text)
            pos = b
            if pc.kind:
                no = next((no_of[k] for k in pc.passages if k in no_of), 0)
                marks.extend((a - prev, b - a, _KIND.get(pc.kind, 0), no))
                prev = b
        data["m"] = marks
        data["z"] = [
            [max(n.start, lo) - lo, min(n.end, hi) - lo, n.kind]
            for n in plan.noise
            if n.end > max(n.start, lo) and n.start < hi
        ]
    blocks = []
    for si, src in enumerate(f.sources):
        frs = [fr for fr in f.fragments if fr.source == si]
        if not frs:
            continue
        title, rtext, bounds, ctx_chars = reference_text(src.id, plans, context)
        block: list[Any] = [si, [], []]
        if rtext is not None:
            rb = (
                max(0, min([bounds[0]] + [fr.ref_start for fr in frs])),
                min(len(rtext), max([bounds[1]] + [fr.ref_end for fr in frs])),
            )
            parts = [(max(a, rb[0]), min(b, rb[1]), fr.no) for fr in frs for a, b in fr.ref_spans]
            parts = [x for x in parts if x[1] > x[0]]
            prev = rb[0]
            for a, b in stretches(rb, [(a, b) for a, b, _ in parts], ctx_chars, rtext):
                block[1].append([a, b, 1 if a > prev else 0])
                store.want(src.id, rtext, a, b)
                prev = b
            block.append(1 if prev < rb[1] else 0)
            block[2] = [[a, b, no] for a, b, no in sorted(parts)]
        else:  # no text to show: the fragment numbers still point at the source's note
            block[2] = [[fr.ref_start, fr.ref_end, fr.no] for fr in frs]
            block.append(0)
        blocks.append(block)
    data["s"] = blocks
    data["f"] = [
        [fr.no, fr.start - lo, fr.end - lo, fr.source, fr.ref_start, fr.ref_end, round(fr.score, 3)]
        for fr in f.fragments
    ]
    data["fi"] = _findings_cells(f)
    data["src"] = [
        [
            sf.id,
            sf.title,
            sf.detail,
            _pct(sf.ratio),
            sf.fragments,
            tr("report.earlier." + (sf.earlier or "unknown")),
            round(sf.ratio, 4),
        ]
        for sf in f.sources
    ]
    data["st"] = [tr("report.stock.line", title=sf.title or sf.id, chars=sf.chars, n=sf.fragments) for sf in f.stock]
    data["sec"] = [[x.title, x.kind or "", x.start, x.end, round(x.copy_ratio, 4)] for x in f.sections]
    tg = targets_data(targets)
    if tg is not None:
        data["tg"] = tg
    return {"i": i, "f": f, "data": data, "n_targets": len(targets), "chars": hi - lo}


def _findings_cells(f: Findings) -> list[list[str]]:
    """``[label, value, class, note]`` of each figure in a submission's findings."""
    return [
        [tr("report.col.copy_ratio"), _pct(f.copy_ratio), "copy-ratio", ""],
        [tr("report.col.without_quotes"), _pct(f.ratio_without_quotes), "", ""],
        [
            tr("report.col.max_source_ratio"),
            _pct(f.max_source_ratio),
            "",
            (f.max_source_title or f.max_source or "") if f.max_source else "",
        ],
        [
            tr("report.col.copied_chars"),
            tr("report.copied_of_total", copied=f.copied_chars, total=f.total_chars),
            "copied-chars",
            "",
        ],
        [tr("report.col.fragments"), str(len(f.fragments)), "n-fragments", ""],
        [tr("report.col.boilerplate"), _pct(f.boilerplate_ratio), "", ""],
    ]


def script_json(obj: Any) -> str:
    """JSON to sit inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left
    (escaped as \\u003c ...), so no text in it can close the element or start markup."""
    from markupsafe import Markup

    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _num(x: float) -> str:
    return f"{x:g}"


def targets_data(targets: Sequence[Target]) -> dict[str, Any] | None:
    """A plan's targets for the page to lay out when their list is opened: rows of
    ``[text, value, condition, deadline, responsible, section number, flags]``; section
    titles listed once (many rows share one). None without targets."""
    if not targets:
        return None
    sections: dict[str, int] = {}
    rows = []
    for t in targets:
        value = "" if t.value is None else _num(t.value) + ("" if t.value_max is None else "–" + _num(t.value_max))
        cond = " ".join(x for x in (t.per, t.comparator, t.qualifier) if x)
        sec = sections.setdefault(t.section or "", len(sections))
        rows.append(
            [
                t.text,
                f"{value} {t.unit or ''}".strip(),
                cond,
                t.deadline or "",
                t.responsible or "",
                sec,
                [flag_label(f, "targets") for f in t.flags],
            ]
        )
    return {"sec": list(sections), "rows": rows}


def targets_json(targets: Sequence[Target]) -> str:
    """:func:`targets_data` as JSON safe inside ``<script type="application/json">``."""
    return script_json(targets_data(targets) or {"sec": [], "rows": []})


def reference_text(
    rid: str, plans: Mapping[str, Plan], context: int = CONTEXT
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
            return tr("report.stock_phrases"), text, (0, len(text)), 0
    return "", None, (0, 0), context


@functools.lru_cache(maxsize=8)
def _resource(name: str) -> str | None:
    from importlib import resources

    try:
        return resources.files("plantext.resources").joinpath(name).read_text("utf-8")
    except (OSError, ValueError):
        return None


def summary_rows(
    docs: Sequence[DocumentCheck], plans: Mapping[str, Plan], thresholds: Sequence[float] = DEFAULT_THRESHOLDS
) -> list[dict[str, Any]]:
    """One row per submission (in the order given): what the overview (HTML, PDF, XLSX) shows."""
    rows = []
    for i, d in enumerate(docs):
        plan = plans.get(d.id)
        f = findings(i, d, plans, thresholds)
        rows.append(_row(i, d, plan, f))
    return rows


def _row(i: int, d: DocumentCheck, plan: Plan | None, f: Findings) -> dict[str, Any]:
    return {
        "i": i,
        "id": d.id,
        "source": d.source,
        "plan": d.plan,
        "title": d.title or (plan.title if plan else ""),
        "copy_ratio": d.copy_ratio,
        "copy_ratio_without_quotes": f.ratio_without_quotes,
        "boilerplate_ratio": d.boilerplate_ratio,
        "max_source": d.max_source,
        "max_source_title": f.max_source_title,
        "max_source_ratio": d.max_source_ratio,
        "copied_chars": f.copied_chars,
        "total_chars": f.total_chars,
        "passages": len(f.fragments),
        "sources": len(f.sources),
        "band": f.band,
        "verdict": f.band_label,
        "flags": f.flags,
        "detail": f.detail,
    }


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


def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("plantext.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = _pct
    env.filters["circled"] = circled
    env.filters["flag"] = flag_label
    env.filters["css_str"] = css_str
    env.globals["t"] = tr
    return env


def css_str(text: str) -> Any:
    """A CSS string literal for ``content:`` inside <style>: every character but ASCII letters,
    digits and spaces written as a hex escape, so no text can end the string or the element."""
    from markupsafe import Markup

    out = "".join(c if (c.isascii() and c.isalnum()) or c == " " else f"\\{ord(c):x} " for c in str(text))
    return Markup(f'"{out}"')


def _page_counter() -> Any:
    """``第 N 页 / 共 M 页`` as a CSS ``content`` value with the page counters."""
    from markupsafe import Markup

    parts = re.split(r"(\{page\}|\{pages\})", tr("report.pdf.page"))
    out = [str(css_str(p)) if not p.startswith("{") else f"counter({p[1:-1]})" for p in parts if p]
    return Markup(" ".join(out))


def pack(obj: Any, texts: Sequence[str] | None = None) -> str:
    """The page's data: JSON and, with ``texts``, the texts stored once
    (:func:`textpack.compress`, :func:`textpack.encode`), gzip-compressed and base85-encoded
    (:func:`textpack.b85`): a third of the JSON's size, less where texts share runs. The bytes
    before gzip: the JSON's length in bytes (4 bytes, big-endian), the JSON, the texts. The
    page inflates them with the browser's DecompressionStream; the base85 alphabet holds no
    ``<`` or ``&``, so nothing in it can become markup."""
    import gzip

    from .textpack import b85, compress, encode

    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    blob = len(raw).to_bytes(4, "big") + raw + (b"" if texts is None else encode(compress(texts)))
    return b85(gzip.compress(blob, compresslevel=9, mtime=0))


def unpack(text: str) -> Any:
    """The inverse of :func:`pack` (for tests and tools reading a report): the JSON, with the
    texts under ``T`` when there are any."""
    import gzip

    from .textpack import decode, expand, unb85

    blob = gzip.decompress(unb85(text))
    n = int.from_bytes(blob[:4], "big")
    obj = json.loads(blob[4 : 4 + n].decode("utf-8"))
    if len(blob) > 4 + n:
        obj["T"] = expand(decode(blob[4 + n :]))
    return obj


def report_data(html: str) -> dict[str, Any]:
    """The data a report.html lays its panes out from (``T`` texts, ``R`` reference segments,
    ``D`` per submission), read back from the page as the page reads it (marks as
    ``[start, end, kind, number]``, targets as rows)."""
    m = re.search(r'<script type="application/octet-stream" id="pt-data"[^>]*>([^<]*)</script>', html)
    if not m:
        return {}
    data: dict[str, Any] = unpack(m.group(1))
    columns = data.pop("G", [])
    for d in data.get("D", []):
        d["m"] = marks_of(d.get("m", []))
        tg = d.get("tg")
        if tg and "at" in tg:
            rows = [[c[k] for c in columns] for k in range(tg["at"], tg["at"] + tg["n"])]
            d["tg"] = {"sec": tg["sec"], "rows": rows}
    return data


def marks_of(flat: Sequence[int]) -> list[list[int]]:
    """A submission's marks ``[start, end, kind, fragment number]`` from their packed form
    (gap since the previous mark's end, length, kind, number; ``marksOf`` in the page)."""
    out: list[list[int]] = []
    end = 0
    for k in range(0, len(flat) - 3, 4):
        a = end + flat[k]
        end = a + flat[k + 1]
        out.append([a, end, flat[k + 2], flat[k + 3]])
    return out


def _chart(rows: Sequence[dict[str, Any]], thresholds: Sequence[float], top: int = 30) -> dict[str, Any]:
    """The overview chart: the highest copy ratios as bars (highest first), threshold lines,
    and how many submissions fall in each verdict band."""
    ranked = sorted(rows, key=lambda r: (-r["copy_ratio"], r["i"]))[:top]
    bands = [0] * (len(thresholds) + 1)
    for r in rows:
        bands[r["band"]] += 1
    return {
        "bars": ranked,
        "bands": [(band_label(k, thresholds), n, k) for k, n in enumerate(bands)],
        "thresholds": list(thresholds),
        "height": 22 + 18 * len(ranked),
    }


def render_html(
    docs: Sequence[DocumentCheck],
    plans: Mapping[str, Plan],
    targets: Mapping[str, Sequence[Target]] | None = None,
    *,
    title: str | None = None,
    against: Sequence[str] = (),
    each_other: bool | None = None,
    context: int = CONTEXT,
    shown: Mapping[str | None, int] | None = None,
    generated: datetime | None = None,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    template: str = "report.html.j2",
    peers: Sequence[DocumentCheck] | None = None,
) -> str:
    """The report for ``docs`` (from ``similarity.check.check``) as one HTML string, in the
    reader's language (``plantext.i18n``).

    ``plans`` maps plan ids to plans for submissions and references alike (passage offsets
    index each one's ``source.text``); a reference missing from it is listed without text.
    ``targets`` maps plan ids to their targets (see :func:`collect_targets`). ``shown``: how
    many sources to show beside a stretch found in several, by kind of its best passage
    (default :data:`SHOWN`: one for copy, none for boilerplate); ``context``: characters of
    source text around each matched stretch; ``thresholds``: the verdict bands' lower bounds.
    ``against`` names the references for the heading; ``each_other``: the submissions were
    also checked against each other (default: when there are no references).
    ``template``: ``report.html.j2`` (the interactive page) or ``print.html.j2`` (for the PDF).
    ``peers``: the submissions checked against each other when ``docs`` are against references;
    the text they share is listed apart (a table of pairs), the copy ratios stay those of ``docs``.
    """
    targets = targets or {}
    store = TextStore()
    views = [
        document_view(i, d, plans, store, targets.get(d.id, ()), context, shown, thresholds) for i, d in enumerate(docs)
    ]
    rows = [_row(v["i"], docs[v["i"]], plans.get(docs[v["i"]].id), v["f"]) for v in views]
    when = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    ranked = sorted(rows, key=lambda r: (-r["copy_ratio"], r["i"]))
    columns: list[list[Any]] = [[] for _ in range(7)]
    payload = {
        "R": store.table(),
        "D": [_targets_in_columns(v["data"], columns) for v in views],
        "G": columns,
        "O": [_overview_row(r) for r in ranked[STATIC_ROWS:]],
    }
    labels = {k: tr(f"report.js.{k}") for k in ("shown", "no_text", "loading", "src_ratio", "only_bp", "no_source")}
    labels.update(
        sources=tr("report.sources"),
        stock=tr("report.stock"),
        sections=tr("report.sections"),
        no_sections=tr("report.no_sections"),
        pane_sub=tr("report.pane.submission"),
        pane_ref=tr("report.pane.sources"),
        no_targets=tr("report.no_targets"),
        fragments=tr("report.fragments").replace("{n}", "{n}"),
        targets=tr("report.targets"),
        source_cols=[tr(f"report.source.col.{c}") for c in ("title", "detail", "ratio", "fragments", "earlier")],
        section_cols=[tr(f"report.section.col.{c}") for c in ("title", "kind", "span", "ratio")],
        fragment_cols=[
            tr(f"report.fragment.col.{c}") for c in ("no", "chars", "score", "span", "source", "source_span", "text")
        ],
        target_cols=[
            tr(f"report.target.col.{c}") for c in ("text", "value", "condition", "deadline", "responsible", "section")
        ],
    )
    from markupsafe import Markup

    n_refs = len({p.ref.id for d in docs for p in d.passages if not p.ref.id.startswith("plantext:")})
    from ..names import control_pictures

    # a file name or text with ESC/BEL is shown as ␛/␇: never raw control characters in the page
    return control_pictures(
        _env()
        .get_template(template)
        .render(
            title=title or tr("report.title"),
            docs=views,
            rows=rows,
            ranked=ranked,
            static_rows=STATIC_ROWS if template == "report.html.j2" else len(rows),
            chart=_chart(rows, thresholds),
            against=list(against),
            generated=when,
            thresholds=list(thresholds),
            lang=current_lang(),
            each_other=not against if each_other is None else each_other,
            n_refs=n_refs,
            peers=None if peers is None else peer_pairs(peers),
            data=Markup(pack(payload, store.subs)) if template == "report.html.j2" else "",
            b85_alphabet=Markup(B85_ALPHABET),
            labels=script_json(labels),
            plans=plans,
            text_of=lambda pid, a, b: _slice(plans, pid, a, b),
            page_counter=_page_counter(),
        )
    )


def _targets_in_columns(data: dict[str, Any], columns: list[list[Any]]) -> dict[str, Any]:
    """A submission's packed data with its targets' rows moved into the report's columns
    (``G``; one column of values, units ... for all submissions compresses better than
    rows of mixed fields): ``tg`` keeps its section titles, where its rows start (``at``)
    and how many there are (``n``)."""
    tg = data.get("tg")
    if not tg:
        return data
    at = len(columns[0])
    for row in tg["rows"]:
        for col, x in zip(columns, row, strict=True):
            col.append(x)
    return {**data, "tg": {"sec": tg["sec"], "at": at, "n": len(tg["rows"])}}


def _overview_row(r: dict[str, Any]) -> list[Any]:
    """An overview row the page adds itself (see ``addOverview`` in the template)."""
    return [
        r["i"],
        r["title"],
        r["id"],
        r["detail"],
        round(r["copy_ratio"], 4),
        round(r["copy_ratio_without_quotes"], 4),
        round(r["max_source_ratio"], 4),
        (r["max_source_title"] or r["max_source"] or "") if r["max_source"] else "",
        r["copied_chars"],
        r["total_chars"],
        r["passages"],
        r["band"],
        r["verdict"],
        [flag_label(f) for f in r["flags"]],
    ]


def _slice(plans: Mapping[str, Plan], pid: str, a: int, b: int) -> str:
    ref = plans.get(pid)
    if ref is not None:
        return ref.source.text[a:b]
    if pid.startswith("plantext:"):
        return (_resource(pid.partition(":")[2]) or "")[a:b]
    return ""
