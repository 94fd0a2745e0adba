"""The reviewer's report as a spreadsheet, for those who file it: the overview of every
submission (the figures of the HTML report, verdict included), one row per passage (with the
text on both sides and its fragment number) and the per-section ratios. Sheet names and headers
are in the reader's language (``report.xlsx.*`` in the catalog); the column keys stay English."""

from __future__ import annotations

__all__ = ["SUMMARY", "PASSAGES", "SECTIONS", "report_sheets", "write_xlsx"]

import os
from collections.abc import Mapping, Sequence

from ..i18n import tr
from ..model import DocumentCheck, Plan
from .findings import DEFAULT_THRESHOLDS, findings, flag_label
from .tables import Sheet, write_table

SUMMARY = [
    "id",
    "title",
    "detail",
    "copy_ratio",
    "copy_ratio_without_quotes",
    "max_source_ratio",
    "max_source",
    "max_source_title",
    "copied_chars",
    "total_chars",
    "passages",
    "verdict",
    "boilerplate_ratio",
    "sources",
    "source",
    "plan",
    "flags",
]
PASSAGES = [
    "submission",
    "fragment",
    "start",
    "end",
    "text",
    "source",
    "source_title",
    "source_start",
    "source_end",
    "source_text",
    "kind",
    "score",
]
SECTIONS = ["submission", "section", "kind", "start", "end", "copy_ratio"]


def _header(columns: Sequence[str]) -> list[str]:
    return [tr(f"report.xlsx.col.{c}") for c in columns]


def report_sheets(
    docs: Sequence[DocumentCheck], plans: Mapping[str, Plan], thresholds: Sequence[float] = DEFAULT_THRESHOLDS
) -> list[Sheet]:
    from ..similarity.boilerplate import STOCK_ID, stock_text
    from .html import _row

    summary = Sheet(tr("report.xlsx.summary"), _header(SUMMARY))
    passages = Sheet(tr("report.xlsx.passages"), _header(PASSAGES))
    sections = Sheet(tr("report.xlsx.sections"), _header(SECTIONS))
    rows = []
    for i, d in enumerate(docs):
        sub = plans.get(d.id)
        f = findings(i, d, plans, thresholds)
        rows.append(_row(i, d, sub, f))
        no = {fr.k: fr.no for fr in f.fragments}
        for k, p in enumerate(d.passages):
            ref = plans.get(p.ref.id)
            passages.rows.append(
                [
                    d.id,
                    no.get(k),
                    p.start,
                    p.end,
                    sub.source.text[p.start : p.end] if sub is not None else "",
                    p.ref.id,
                    ref.title if ref is not None else "",
                    p.ref.start,
                    p.ref.end,
                    ref.source.text[p.ref.start : p.ref.end]
                    if ref is not None
                    else stock_text()[p.ref.start : p.ref.end]
                    if p.ref.id == STOCK_ID
                    else "",
                    tr(f"report.kind.{p.kind}"),
                    round(p.score, 4),
                ]
            )
        for s in d.sections:
            sections.rows.append([d.id, s.title, s.kind, s.start, s.end, round(s.copy_ratio, 4)])
    # highest copy ratio first, as in the HTML overview; ratios to four places
    for r in sorted(rows, key=lambda r: (-r["copy_ratio"], r["i"])):
        summary.rows.append([_ratio(c, [flag_label(f) for f in r[c]] if c == "flags" else r[c]) for c in SUMMARY])
    return [summary, passages, sections]


def _ratio(column: str, v: object) -> object:
    return round(v, 4) if column.endswith(("ratio", "quotes")) and isinstance(v, float) else v


def write_xlsx(
    path: str | os.PathLike,
    docs: Sequence[DocumentCheck],
    plans: Mapping[str, Plan],
    force: bool = False,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
) -> None:
    """Write the workbook (refused if ``path`` exists and not ``force``)."""
    write_table(path, report_sheets(docs, plans, thresholds), force)
