"""Targets as rows: the DESIGN.md columns and the targets and flags sheets (``plantext run``
writes them to OUT/targets.xlsx and OUT/targets.csv: :func:`plantext.report.run_files.write_targets`).
The extraction itself lives in :mod:`plantext.targets` and knows no files."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from ..i18n import tr
from ..model import Target

__all__ = ["COLUMNS", "EXTRA_COLUMNS", "FLAG_COLUMNS", "target_dict", "table_rows", "flag_meaning",
           "flag_details", "sheets"]

COLUMNS = ["id", "source", "plan", "section", "sentence", "text", "start", "end", "value",
           "value_max", "unit", "comparator", "qualifier", "per", "subject", "deadline",
           "responsible", "flags"]
# after the DESIGN.md keys: the section's kind, the deadline as dates (ISO, where the year is known),
# the frequency as a number and unit, a duration as ISO 8601 (plantext.timeexpr)
EXTRA_COLUMNS = ["section_kind", "deadline_kind", "deadline_start", "deadline_end", "per_every", "per_unit",
                 "duration"]
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
    return [[target_dict(t)[c] for c in COLUMNS + EXTRA_COLUMNS] for t in rows]


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
            out.append([t.id, t.section, t.text, t.start, t.end, f, flag_meaning(f),
                        "、".join(peers), t.sentence])
    return out


def sheets(rows: Sequence[Target]) -> list[Any]:
    """The targets sheet and a flags sheet (one line per flag on a row), for
    :func:`plantext.report.tables.write_table`."""
    from .tables import Sheet

    return [Sheet("targets", COLUMNS + EXTRA_COLUMNS, table_rows(rows)),
            Sheet("flags", FLAG_COLUMNS, flag_details(rows))]
