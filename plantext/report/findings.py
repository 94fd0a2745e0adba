"""What a reviewer acts on, per submission: the figures the academic checkers print (总文字复制比,
去除引用后的复制比, 单篇最大文字复制比 with its source, 重复字数 / 总字数, 疑似片段数, per-section
ratios), a verdict band from the reviewer's thresholds, the sources named by title and metadata
with which text is earlier where dates are known, stock phrases apart, and the copied fragments
numbered in submission order and paired with the stretch of the source they match (①↔①).

Plain data (dataclasses, no markup): the HTML report, the PDF and the spreadsheet all read it.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_THRESHOLDS",
    "SCHOOL_FIELDS",
    "PLACE_FIELDS",
    "YEAR_FIELDS",
    "CIRCLED",
    "circled",
    "parse_thresholds",
    "fold_counter",
    "flag_label",
    "band",
    "band_label",
    "meta_value",
    "year_of",
    "describe",
    "Fragment",
    "SourceFinding",
    "Findings",
    "copied_parts",
    "findings",
    "PeerPair",
    "peer_pairs",
]

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..i18n import tr
from ..model import DocumentCheck, Passage, Plan

DEFAULT_THRESHOLDS = (0.1, 0.3, 0.5)
# metadata fields that name a plan's author and date, in the order shown
SCHOOL_FIELDS = ("school", "学校", "单位", "org", "organisation", "organization")
PLACE_FIELDS = ("region", "地区", "county", "区县", "city", "市")
YEAR_FIELDS = ("year", "年份", "年度", "date", "日期", "added")
_YEAR = re.compile(r"(19|20)\d\d")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"


def circled(n: int) -> str:
    """①, ② ... ㊿, then [51] ... (fragment numbers as the checkers print them)."""
    return CIRCLED[n - 1] if 1 <= n <= len(CIRCLED) else f"[{n}]"


def parse_thresholds(text: str | Sequence[float] | None) -> tuple[float, ...]:
    """``"0.1,0.3,0.5"`` (or ``10,30,50`` as percentages) -> ``(0.1, 0.3, 0.5)``, ascending.

    Raises ``UsageError`` (key ``report.bad_thresholds``) on anything else."""
    from ..errors import UsageError

    if text is None:
        return DEFAULT_THRESHOLDS
    try:
        vals = (
            [float(x) for x in text.replace("，", ",").split(",") if x.strip()]
            if isinstance(text, str)
            else [float(x) for x in text]
        )
    except ValueError:
        raise UsageError(key="report.bad_thresholds", value=text, hint="hint.flag_at") from None
    if vals and max(vals) > 1:
        vals = [v / 100 for v in vals]
    if not vals or any(not 0 < v <= 1 for v in vals) or vals != sorted(set(vals)):
        raise UsageError(key="report.bad_thresholds", value=text, hint="hint.flag_at")
    return tuple(vals)


def band(ratio: float, thresholds: Sequence[float]) -> int:
    """0 below the first threshold, 1 from it to the second ... ``len(thresholds)`` at or above the last."""
    return sum(1 for t in thresholds if ratio >= t - 1e-12)


def band_label(k: int, thresholds: Sequence[float]) -> str:
    """The verdict band's name: with three thresholds 未见明显复制 / 轻度 / 中度 / 重度复制."""
    n = len(thresholds)
    if n == 3:
        return tr(f"report.band.{k}")
    if k == 0:
        return tr("report.band.0")
    if k == n:
        return tr("report.band.3")
    return tr("report.band.n", k=k)


def flag_label(code: str, area: str = "report") -> str:
    """A flag (``page-residue``, ``traditional-script`` ...; a target's ``placeholder-date`` with
    ``area="targets"``) in the reader's language; an unknown flag as it is."""
    from ..i18n import catalog

    key = f"{area}.flag.{code}"
    return tr(key) if key in catalog() else code


def fold_counter(plan: Plan | None) -> Callable[[int, int], int]:
    """``count(start, end)``: the characters of ``plan`` between two source offsets that count
    as its length (``Plan.chars``: letters and digits, its ``fold`` view), so a fragment's 字数,
    重复字数 and 总字数 are counted alike everywhere (check JSON, report, PDF, spreadsheet)."""
    import numpy as np

    if plan is None:
        return lambda s, e: max(0, e - s)
    starts = np.sort(plan.view("fold").offsets()[0])

    def count(s: int, e: int) -> int:
        return int(np.searchsorted(starts, e, "left") - np.searchsorted(starts, s, "left")) if e > s else 0

    return count


def meta_value(meta: Mapping[str, Any], names: Sequence[str]) -> Any:
    for n in names:
        v = meta.get(n)
        if v not in (None, ""):
            return v
    return None


def year_of(meta: Mapping[str, Any]) -> int | None:
    """The year a plan is from, by its metadata (year, 年份, date ...), or None."""
    v = meta_value(meta, YEAR_FIELDS)
    if v is None:
        return None
    m = _YEAR.search(str(v))
    return int(m.group(0)) if m else None


def describe(meta: Mapping[str, Any]) -> str:
    """School, place and year from the metadata, for a source's line: ``城关小学 · 2021``."""
    parts = [meta_value(meta, SCHOOL_FIELDS), meta_value(meta, PLACE_FIELDS)]
    y = year_of(meta)
    return " · ".join(str(p) for p in parts + [y] if p not in (None, ""))


@dataclass
class Fragment:
    """A copied passage, numbered in submission order, with the source stretch it matches."""

    no: int
    start: int  # in the submission's source text
    end: int
    source: int  # index into Findings.sources
    ref_start: int
    ref_end: int
    score: float
    chars: int
    ref_spans: list[tuple[int, int]] = field(default_factory=list)  # the copied parts of the source stretch
    k: int = -1  # its index in the DocumentCheck's passages


@dataclass
class SourceFinding:
    id: str
    title: str
    detail: str  # school · place · year
    ratio: float  # share of the submission copied from it
    fragments: int
    chars: int  # characters matched
    earlier: str | None = None  # "source" | "submission" | "same" | None (dates unknown)
    found: bool = True  # its text is at hand


@dataclass
class Findings:
    i: int
    id: str
    title: str
    detail: str
    copy_ratio: float
    ratio_without_quotes: float
    boilerplate_ratio: float
    max_source_ratio: float
    max_source: str | None
    max_source_title: str
    total_chars: int
    copied_chars: int
    quoted_chars: int
    band: int
    band_label: str
    sections: list[Any]
    sources: list[SourceFinding]
    stock: list[SourceFinding]  # stock phrases and boilerplate-only sources, listed apart
    fragments: list[Fragment]
    flags: list[str]
    n_boilerplate: int


def copied_parts(sub: str, ref: str, min_block: int = 4, max_gap: int = 3) -> list[tuple[int, int]]:
    """The parts of ``ref`` (offsets into it) that the copied text ``sub`` matches: a matched
    stretch of a source can span paragraphs the copier left out (the aligner joins two copied
    runs); only what was copied is marked. Characters compare after NFKC and case folding."""
    a = [unicodedata.normalize("NFKC", c).casefold() for c in sub]
    b = [unicodedata.normalize("NFKC", c).casefold() for c in ref]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[list[int]] = []
    # short chance matches (a common word in a left-out paragraph) are dropped before joining
    for blk in sm.get_matching_blocks():
        if blk.size < min_block:
            continue
        s, e = blk.b, blk.b + blk.size
        if out and s - out[-1][1] <= max_gap:
            out[-1][1] = e
        else:
            out.append([s, e])
    kept = [(s, e) for s, e in out]
    return kept or [(0, len(ref))]


def _refine(p: Passage, sub_text: str | None, ref_text: str | None) -> list[tuple[int, int]]:
    """The copied parts of a passage's source span, in the source's offsets."""
    whole = [(p.ref.start, p.ref.end)]
    if sub_text is None or ref_text is None:
        return whole
    n_sub, n_ref = p.end - p.start, p.ref.end - p.ref.start
    if n_ref <= 0 or n_sub <= 0 or n_ref > 20000 or n_sub > 20000:
        return whole
    if n_ref <= n_sub * 1.15 + 4:  # the source stretch is no longer than the copy: nothing left out
        return whole
    parts = copied_parts(sub_text[p.start : p.end], ref_text[p.ref.start : p.ref.end])
    return [(p.ref.start + s, p.ref.start + e) for s, e in parts]


def findings(
    i: int,
    doc: DocumentCheck,
    plans: Mapping[str, Plan],
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    shown: Sequence[int] | None = None,
    ref_text: Callable[[str], str | None] | None = None,
) -> Findings:
    """The findings for submission ``doc`` (``i``: its place in the report).

    ``shown``: the indexes of ``doc.passages`` shown beside a source (default: every copy
    passage); they become the numbered fragments. ``ref_text(rid)``: the text of a reference
    (default: from ``plans``)."""
    plan = plans.get(doc.id)
    text = plan.source.text if plan is not None else None
    count = fold_counter(plan)
    # 总字数 and 重复字数 are the check's own (fold characters, Plan.chars): the same figures as the
    # check's JSON; a check made without them (an older JSON) counts them here alike
    ratio = doc.copy_ratio
    if doc.total_chars:
        total, copied, quoted = doc.total_chars, doc.copied_chars, doc.quoted_chars
    else:
        total = plan.chars if plan is not None else 0
        copied = round(ratio * total)
        quoted = sum(count(p.start, p.end) for p in doc.passages if p.kind == "quote") if plan is not None else 0
    without = getattr(doc, "copy_ratio_without_quotes", None)
    if without is None:
        without = ratio

    def rtext(rid: str) -> str | None:
        if ref_text is not None:
            return ref_text(rid)
        ref = plans.get(rid)
        return ref.source.text if ref is not None else None

    ratios = {s.id: s.copy_ratio for s in doc.sources}
    matched: dict[str, int] = {}
    counts: dict[str, int] = {}
    for p in doc.passages:
        if p.kind == "copy":
            matched[p.ref.id] = matched.get(p.ref.id, 0) + p.end - p.start
            counts[p.ref.id] = counts.get(p.ref.id, 0) + 1
    sub_year = year_of(plan.meta) if plan is not None else None

    def source(rid: str) -> SourceFinding:
        ref = plans.get(rid)
        meta = ref.meta if ref is not None else {}
        title = ref.title if ref is not None else (tr("report.stock_phrases") if rid.startswith("plantext:") else "")
        earlier = None
        ry = year_of(meta)
        if ry is not None and sub_year is not None:
            earlier = "source" if ry < sub_year else "submission" if ry > sub_year else "same"
        return SourceFinding(
            rid,
            title,
            describe(meta),
            ratios.get(rid, 0.0),
            counts.get(rid, 0),
            matched.get(rid, 0),
            earlier,
            found=rtext(rid) is not None,
        )

    copied_ids = [s.id for s in doc.sources if not s.id.startswith("plantext:")]
    copied_ids += sorted(
        (r for r in matched if r not in ratios and not r.startswith("plantext:")), key=lambda r: (-matched[r], r)
    )
    sources = [source(r) for r in copied_ids]
    index = {s.id: n for n, s in enumerate(sources)}
    others = sorted({p.ref.id for p in doc.passages if p.ref.id not in index})
    stock = [source(r) for r in others]
    for s in stock:
        s.chars = sum(p.end - p.start for p in doc.passages if p.ref.id == s.id)
        s.fragments = sum(1 for p in doc.passages if p.ref.id == s.id)

    lo, hi = (plan.start, plan.end) if plan is not None else (0, 1 << 62)
    picks = shown if shown is not None else [k for k, p in enumerate(doc.passages) if p.kind == "copy"]
    picks = [
        k
        for k in picks
        if doc.passages[k].ref.id in index
        and doc.passages[k].end > doc.passages[k].start
        and doc.passages[k].end > lo
        and doc.passages[k].start < hi
    ]
    picks.sort(key=lambda k: (doc.passages[k].start, doc.passages[k].end, k))
    frags = []
    for no, k in enumerate(picks, 1):
        p = doc.passages[k]
        frags.append(
            Fragment(
                no,
                p.start,
                p.end,
                index[p.ref.id],
                p.ref.start,
                p.ref.end,
                p.score,
                count(p.start, p.end),
                _refine(p, text, rtext(p.ref.id)),
                k,
            )
        )
    flags = sorted(set(doc.flags) | set(plan.flags if plan is not None else ()))
    k = band(ratio, thresholds)
    best = sources[index[doc.max_source]] if doc.max_source in index else None
    return Findings(
        i=i,
        id=doc.id,
        title=doc.title or (plan.title if plan else ""),
        detail=describe(plan.meta) if plan is not None else "",
        copy_ratio=ratio,
        ratio_without_quotes=without,
        boilerplate_ratio=doc.boilerplate_ratio,
        max_source_ratio=doc.max_source_ratio if doc.max_source else 0.0,
        max_source=doc.max_source,
        max_source_title=best.title if best else "",
        total_chars=total,
        copied_chars=copied,
        quoted_chars=quoted,
        band=k,
        band_label=band_label(k, thresholds),
        sections=list(doc.sections),
        sources=sources,
        stock=stock,
        fragments=frags,
        flags=flags,
        n_boilerplate=sum(1 for p in doc.passages if p.kind == "boilerplate"),
    )


@dataclass
class PeerPair:
    """Two submissions that share text (from the check of the submissions against each other):
    how much of each one's text was found in the other."""

    a: str
    b: str
    a_title: str
    b_title: str
    a_ratio: float  # share of a's text found in b
    b_ratio: float  # share of b's text found in a
    a_chars: int  # characters of a found in b
    b_chars: int
    fragments: int  # copy passages between the two (both directions)


def peer_pairs(peers: Sequence[DocumentCheck], min_ratio: float = 0.0) -> list[PeerPair]:
    """Every pair of submissions that share copied text, one row per pair, the largest share first:
    how much of each one's text was found in the other, each pair on its own.

    ``peers``: the submissions checked against each other (``check(plans)`` without references);
    the copy ratio against the references is a separate figure and is not touched here."""
    by_id = {d.id: d for d in peers}
    share: dict[tuple[str, str], float] = {}
    count: dict[tuple[str, str], int] = {}
    for d in peers:
        # each pair measured on its own (``shared``): the check gives a copied character to one
        # source only, and a text that two others both hold would read 0 % against the second
        for s in d.shared or d.sources:
            if s.id in by_id and s.id != d.id:
                share[(d.id, s.id)] = s.copy_ratio
        for p in d.passages:
            if p.kind == "copy" and p.ref.id in by_id:
                count[(d.id, p.ref.id)] = count.get((d.id, p.ref.id), 0) + 1
    out = []
    for a, b in sorted({tuple(sorted(k)) for k in share}):
        ra, rb = share.get((a, b), 0.0), share.get((b, a), 0.0)
        if max(ra, rb) <= min_ratio:
            continue
        da, db = by_id[a], by_id[b]
        out.append(
            PeerPair(
                a,
                b,
                da.title,
                db.title,
                ra,
                rb,
                round(ra * da.total_chars),
                round(rb * db.total_chars),
                count.get((a, b), 0) + count.get((b, a), 0),
            )
        )
    out.sort(key=lambda p: (-max(p.a_ratio, p.b_ratio), p.a, p.b))
    return out
