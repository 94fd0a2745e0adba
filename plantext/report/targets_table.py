"""Targets as rows: the DESIGN.md columns and the targets and flags sheets (``plantext run``
writes them to OUT/targets.xlsx and OUT/targets.csv: :func:`plantext.report.run_files.write_targets`).
The extraction itself lives in :mod:`plantext.targets` and knows no files."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..i18n import tr
from ..model import Target

__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "FLAG_COLUMNS",
    "target_dict",
    "table_rows",
    "flag_meaning",
    "flag_details",
    "sheets",
    "staff_sheets",
    "comparator_words",
    "placeholder_deadline",
]

COLUMNS = [
    "id",
    "source",
    "plan",
    "section",
    "sentence",
    "text",
    "start",
    "end",
    "value",
    "value_max",
    "unit",
    "comparator",
    "qualifier",
    "per",
    "subject",
    "deadline",
    "responsible",
    "flags",
]
# after the DESIGN.md keys: the section's kind, the deadline as dates (ISO, where the year is known),
# the frequency as a number and unit, a duration as ISO 8601 (plantext.timeexpr)
EXTRA_COLUMNS = ["section_kind", "deadline_kind", "deadline_start", "deadline_end", "per_every", "per_unit", "duration"]
FLAG_COLUMNS = ["id", "section", "text", "start", "end", "flag", "meaning", "figures", "sentence"]


def target_dict(t: Target) -> dict[str, Any]:
    """The DESIGN.md keys in order, then :data:`EXTRA_COLUMNS` and ``deadline_span`` (the
    deadline's [start, end) in the source); whole values as integers (48, not 48.0) so that CSV
    cells read as people write them."""
    d = {k: getattr(t, k) for k in COLUMNS}
    for k in ("value", "value_max"):
        if isinstance(d[k], float) and d[k].is_integer():
            d[k] = int(d[k])
    d["flags"] = list(t.flags)
    for k in EXTRA_COLUMNS:
        d[k] = getattr(t, k)
    if isinstance(d["per_every"], float) and d["per_every"].is_integer():
        d["per_every"] = int(d["per_every"])
    d["deadline_span"] = list(t.deadline_span) if t.deadline_span else None
    return d


def table_rows(rows: Iterable[Target]) -> list[Sequence[Any]]:
    columns = COLUMNS + EXTRA_COLUMNS
    return [[d[c] for c in columns] for d in map(target_dict, rows)]  # (one dict per row, not per cell)


def flag_meaning(flag: str) -> str:
    """What a flag means, for the person reading the flags sheet (catalog ``targets.flag.*``)."""
    key = f"targets.flag.{flag}"
    text = tr(key)
    return "" if text == key else text


def flag_details(rows: Sequence[Target]) -> list[Sequence[Any]]:
    """One line per flag: where it is, what it means, and the figures to compare."""
    by_sentence: dict[tuple[str, str], list[str]] = {}
    by_target: dict[tuple[Any, ...], list[str]] = {}
    for r in rows:  # one pass: the figures a flag is about, grouped (linear in the rows)
        if "total-mismatch" in r.flags:
            by_sentence.setdefault((r.id, r.sentence), []).append(r.text)
        if "conflict" in r.flags:
            by_target.setdefault((r.id, r.subject, r.unit, r.per), []).append(r.text)
    out: list[Sequence[Any]] = []
    for t in rows:
        for f in t.flags:
            if f == "total-mismatch":  # the total and its parts share the sentence (or table)
                peers = by_sentence.get((t.id, t.sentence), [t.text])
            elif f == "conflict":
                peers = by_target.get((t.id, t.subject, t.unit, t.per), [])
            else:
                peers = []
            out.append([t.id, t.section, t.text, t.start, t.end, f, flag_meaning(f), "、".join(peers), t.sentence])
    return out


def sheets(rows: Sequence[Target]) -> list[Any]:
    """The targets sheet and a flags sheet (one line per flag on a row), for
    :func:`plantext.report.tables.write_table`."""
    from .tables import Sheet

    return [
        Sheet("targets", COLUMNS + EXTRA_COLUMNS, table_rows(rows)),
        Sheet("flags", FLAG_COLUMNS, flag_details(rows)),
    ]


# -- the staff's workbook (targets.xlsx): what a person files, in the reader's language --------------

# columns of the staff's sheet: the plan (title, file, metadata), then the target without offsets
STAFF_COLUMNS = [
    "title",
    "source",
    "section",
    "text",
    "value",
    "value_max",
    "unit",
    "comparator",
    "qualifier",
    "per",
    "subject",
    "deadline",
    "deadline_kind",
    "deadline_start",
    "deadline_end",
    "responsible",
    "flags",
    "sentence",
]
PLACE_COLUMNS = ["row", "id", "source", "plan", "start", "end"]
# a deadline whose year is left for the reader to fill in: 到201x年, 20xx年, 二〇××年
_PLACEHOLDER_YEAR = re.compile(r"(?:19|20)[0-9]?[xX×Ｘｘ]{1,2}|[二〇零一]{2,3}[×xX]{1,2}|[xX×]{2,4}年")


def placeholder_deadline(deadline: str | None) -> bool:
    """A deadline holding a placeholder year (到201x年, 20xx年前): it names no date yet."""
    return deadline is not None and _PLACEHOLDER_YEAR.search(deadline) is not None


def comparator_words(cmp: str | None) -> str:
    """``>=`` -> 不少于, ``<=`` -> 不超过, ``>`` -> 超过, ``<`` -> 低于, ``=`` -> 等于 (catalog ``targets.cmp.*``)."""
    if not cmp:
        return ""
    key = f"targets.cmp.{cmp}"
    text = tr(key)
    return cmp if text == key else text


def _meta_fields(plans: Sequence[Any]) -> list[str]:
    fields: dict[str, None] = {}
    for p in plans:
        for k in getattr(p, "meta", {}) or {}:
            if k not in ("path", "id"):
                fields.setdefault(k, None)
    return list(fields)


def staff_sheets(rows: Sequence[Target], plans: Sequence[Any] = ()) -> list[Any]:
    """The staff's workbook: one row per target under the plan's title, file and metadata
    (学校, 年份 ... from --meta), comparators in words, flags in words (a placeholder deadline
    such as 到201x年 flagged), headers and sheet names in the reader's language; character
    offsets on a sheet of their own (linked by row number); the flags sheet as in :func:`sheets`."""
    from .tables import Sheet

    by_id = {p.id: p for p in plans}
    fields = _meta_fields(plans)
    head = (
        [tr(f"targets.col.{c}") for c in STAFF_COLUMNS[:2]]
        + fields
        + [tr(f"targets.col.{c}") for c in STAFF_COLUMNS[2:]]
    )
    main = Sheet(tr("targets.sheet.targets"), ["#"] + head)
    place = Sheet(tr("targets.sheet.places"), [tr(f"targets.col.{c}") for c in PLACE_COLUMNS])
    for n, t in enumerate(rows, 1):
        d = target_dict(t)
        plan = by_id.get(t.id)
        meta = getattr(plan, "meta", {}) or {}
        flags = list(t.flags)
        if placeholder_deadline(t.deadline) and "placeholder-date" not in flags:
            flags.append("deadline-placeholder")
        words = [flag_meaning(f) or f for f in flags]
        values = {
            **d,
            "title": plan.title if plan is not None else "",
            "comparator": comparator_words(t.comparator),
            "flags": "；".join(words),
            "deadline_kind": tr(f"timex.kind.{t.deadline_kind}") if t.deadline_kind else None,
        }
        main.rows.append(
            [n]
            + [values[c] for c in STAFF_COLUMNS[:2]]
            + [meta.get(f) for f in fields]
            + [values[c] for c in STAFF_COLUMNS[2:]]
        )
        place.rows.append([n, t.id, t.source, t.plan, t.start, t.end])
    flags_sheet = Sheet(tr("targets.sheet.flags"), [tr(f"targets.col.{c}") for c in FLAG_COLUMNS], flag_details(rows))
    return [main, place, flags_sheet]
