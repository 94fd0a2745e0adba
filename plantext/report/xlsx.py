"""The reviewer's report as a spreadsheet, for those who file it: the summary of every
submission and one row per copied passage (with the text on both sides)."""

from __future__ import annotations

import os
from typing import Mapping, Sequence

from ..model import DocumentCheck, Plan
from .tables import Sheet, write_table

SUMMARY = ["id", "source", "plan", "title", "copy_ratio", "boilerplate_ratio", "max_source",
           "max_source_ratio", "passages", "sources", "flags"]
PASSAGES = ["submission", "start", "end", "text", "source", "source_start", "source_end",
            "source_text", "kind", "score"]
SECTIONS = ["submission", "section", "kind", "start", "end", "copy_ratio"]


def report_sheets(docs: Sequence[DocumentCheck], plans: Mapping[str, Plan]) -> list[Sheet]:
    from .html import summary_rows

    from ..similarity.boilerplate import STOCK_ID, stock_text

    # ratios to four places: a reviewer reads 0.9885, not 0.9885057471264368
    summary = Sheet("summary", SUMMARY, [[_ratio(c, r[c]) for c in SUMMARY] for r in summary_rows(docs, plans)])
    passages = Sheet("passages", PASSAGES)
    sections = Sheet("sections", SECTIONS)
    for d in docs:
        sub = plans.get(d.id)
        for p in d.passages:
            ref = plans.get(p.ref.id)
            passages.rows.append([
                d.id, p.start, p.end, sub.source.text[p.start:p.end] if sub is not None else "",
                p.ref.id, p.ref.start, p.ref.end,
                ref.source.text[p.ref.start:p.ref.end] if ref is not None
                else stock_text()[p.ref.start:p.ref.end] if p.ref.id == STOCK_ID else "",
                p.kind, round(p.score, 4),
            ])
        for s in d.sections:
            sections.rows.append([d.id, s.title, s.kind, s.start, s.end, round(s.copy_ratio, 4)])
    return [summary, passages, sections]


def _ratio(column: str, v):
    return round(v, 4) if column.endswith("ratio") and isinstance(v, float) else v


def write_xlsx(path: str | os.PathLike, docs: Sequence[DocumentCheck], plans: Mapping[str, Plan],
               force: bool = False) -> None:
    """Write the workbook (refused if ``path`` exists and not ``force``)."""
    write_table(path, report_sheets(docs, plans), force)
