"""Research tables and plots for ``plantext run`` (and the sheets the CLI writes).

OUT/terms.xlsx     keywords per plan, terms per section kind, and one ``compare FIELD``
                   sheet per metadata field that splits the plans into groups
OUT/sections.xlsx  the plan x kind matrix (lengths), outline nodes, missing common kinds
OUT/sections.png|svg, OUT/compare-FIELD.png|svg, OUT/trend.png|svg
"""

from __future__ import annotations

__all__ = [
    "YEAR_FIELDS",
    "MAX_GROUPS",
    "dict_sheet",
    "lead_columns",
    "sheet_name",
    "group_fields",
    "year_field",
    "section_sheets",
    "plots",
    "Research",
    "research",
    "research_sheets",
    "write_plots",
]

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import tr

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Plan, Section
    from ..report.tables import Sheet
    from .sections import PlanSections
    from .terms import PlanTerms

YEAR_FIELDS = ("year", "年份", "年度", "学年")
MAX_GROUPS = 12  # a field with more values is an identifier, not a grouping


def dict_sheet(name: str, rows: Sequence[dict[str, Any]], columns: Sequence[str] = ()) -> Sheet:
    """A table sheet from dict rows: ``columns`` first, then any other key in first-seen order."""
    from ..report.tables import Sheet

    seen = list(dict.fromkeys(k for r in rows for k in r))
    cols = list(dict.fromkeys([c for c in columns if c in seen] + seen))
    return Sheet(name, cols, [[r.get(c) for c in cols] for r in rows])


def lead_columns(plans: Sequence[Plan]) -> list[str]:
    """The columns rows about plans start with: the plan's, then every metadata field."""
    from ..meta import meta_fields
    from .terms import PLAN_KEYS

    return list(PLAN_KEYS) + meta_fields(plans)


def sheet_name(text: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", text)[:31]


def group_fields(plans: Sequence[Plan]) -> list[str]:
    """Metadata fields worth comparing groups by: 2..MAX_GROUPS values, some shared by plans."""
    from ..meta import meta_fields

    out = []
    for f in meta_fields(plans):
        vals = [p.meta.get(f) for p in plans if p.meta.get(f) is not None]
        distinct = len(set(vals))
        if 2 <= distinct <= MAX_GROUPS and distinct < len(vals):
            out.append(f)
    return out


def year_field(plans: Sequence[Plan]) -> str | None:
    for f in YEAR_FIELDS:
        if len({p.meta.get(f) for p in plans if p.meta.get(f) is not None}) >= 2:
            return f
    return None


def section_sheets(
    rows: Sequence[PlanSections], nodes_rows: Sequence[dict[str, Any]], lead: Sequence[str] = ()
) -> list[Sheet]:
    from ..report.tables import Sheet
    from .sections import matrix_rows
    from .terms import plan_row

    cols, mrows = matrix_rows(rows)
    missing = [plan_row(r.plan) | {"missing": k} for r in rows for k in r.missing]
    return [Sheet("matrix", cols, mrows), dict_sheet("nodes", nodes_rows, lead), dict_sheet("missing", missing, lead)]


def plots(
    out: Path,
    pts: Sequence[PlanTerms],
    srows: Sequence[PlanSections] | None,
    fields: Sequence[str],
    compared: dict[str, Any] | None = None,
    year: str | None = None,
    force: bool = False,
    font: str | None = None,
    group: str | None = None,
    register: Callable[[str], Any] = lambda name: None,
) -> list[Path]:
    """Write the plots that the data allow; ``register(name)`` is told each file written."""
    from . import plots as P

    written: list[Path] = []

    def add(paths: list[Path]) -> None:
        written.extend(paths)
        for q in paths:
            register(q.name)

    if srows:
        add(P.coverage(srows, out / "sections", force, font, group=group))
    for f in fields:
        groups = (compared or {}).get(f)
        if groups is None:
            from .compare import compare

            groups, _ = compare(pts, f, top=15)
        add(P.distinctive(groups, f, out / f"compare-{_safe(f)}", force, font))
    if year:
        series = P.trend_series(pts, year)
        if series:
            add(P.trend(series, out / "trend", force, font, field=year))
    return written


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


@dataclass
class Research:
    """What the research stage of ``plantext run`` found: the tables and what the plots need."""

    plans: list[Plan]
    terms: list[PlanTerms]
    lead: list[str]  # the columns rows about plans start with
    keyword_rows: list[dict[str, Any]]
    kind_rows: list[dict[str, Any]]
    fields: list[str]  # metadata fields the plans are compared by
    compared: dict[str, Any] = field(default_factory=dict)  # field -> groups
    compare_rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sections: list[PlanSections] = field(default_factory=list)
    node_rows: list[dict[str, Any]] = field(default_factory=list)
    year: str | None = None
    repeats: dict[str, str] = field(default_factory=dict)  # id of a plan repeated in its source -> id kept

    @property
    def distinct_terms(self) -> int:
        return len({t for pt in self.terms for t in pt.terms})


def research(plans: Sequence[Plan], outlines: Mapping[str, Sequence[Section]], jobs: int = 0) -> Research | None:
    """The research tables of ``plans`` (``outlines``: nodes per plan id); None without plans.
    ``jobs``: processes segmenting the plans (0: one per CPU); the tables are the same."""
    from .compare import compare, compare_rows
    from .corpus import Corpus
    from .dedupe import unique_plans
    from .sections import sections
    from .terms import corpus_terms, keywords, term_table

    plans, repeats = unique_plans(list(plans))  # a plan repeated on one page counts once
    if not plans:
        return None
    nodes = [list(outlines[p.id]) for p in plans]
    pts = corpus_terms(plans, nodes, jobs=jobs)
    lead = lead_columns(plans)
    r = Research(plans, pts, lead, keywords(pts, top=10), term_table(pts, ("kind",), top=30), group_fields(plans))
    for f in r.fields:
        groups, _ = compare(pts, f, top=30)
        r.compared[f] = groups
        r.compare_rows[f] = compare_rows(groups, f)
    r.sections = sections(plans, nodes)
    r.node_rows = Corpus(plans, nodes=nodes).rows_sections()
    r.year = year_field(plans)
    r.repeats = repeats
    return r


def research_sheets(r: Research) -> tuple[list[Sheet], list[Sheet]]:
    """The sheets of ``terms.xlsx`` and of ``sections.xlsx``."""
    terms = [dict_sheet("keywords", r.keyword_rows, r.lead), dict_sheet("by kind", r.kind_rows)]
    terms += [dict_sheet(sheet_name(f"compare {f}"), rows) for f, rows in r.compare_rows.items()]
    return terms, section_sheets(r.sections, r.node_rows, r.lead)


def write_plots(folder: Path, r: Research, warn: Callable[[str], None] = lambda m: None) -> list[Path]:
    """The plots the data allow, into ``folder``; a plot that cannot be drawn (no CJK font) is a
    warning, not a failure."""
    from .plots import PlotError

    try:
        return plots(
            folder,
            r.terms,
            r.sections if any(s.kinds for s in r.sections) else None,
            r.fields,
            r.compared,
            r.year,
            force=True,
            group=r.fields[0] if r.fields else None,
        )
    except PlotError as e:
        warn(tr("research.plots_not_drawn", why=e))
        return []
