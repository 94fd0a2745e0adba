"""Which section kinds each plan has, how long they are, and which common ones it lacks.

Kinds come from the outline (:func:`plantext.outline.outline`, kinds from the section-kind
lexicon). A plan *has* a kind when any node of its outline, at any depth, has that kind.
The length of a kind is its number of characters as :attr:`plantext.model.Plan.chars` counts
them (letters and digits: no whitespace, punctuation or web chrome) inside the union of that
kind's nodes, so nested nodes of one kind are not counted twice and layout does not change
lengths.
"""

from __future__ import annotations

__all__ = [
    "COMMON_SHARE",
    "PlanSections",
    "fold_counter",
    "plan_sections",
    "common_kinds",
    "sections",
    "all_kinds",
    "matrix_rows",
]

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .terms import PLAN_KEYS, plan_row

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Plan, Section

COMMON_SHARE = 0.6  # a kind that at least this share of plans has is "common"


@dataclass(slots=True)
class PlanSections:
    plan: Plan
    kinds: list[str]  # in document order of first appearance
    lengths: dict[str, int]  # kind -> characters (Plan.chars)
    chars: int  # the plan's characters (Plan.chars)
    missing: list[str] = field(default_factory=list)  # common kinds the plan lacks

    def to_dict(self) -> dict[str, Any]:
        p = self.plan
        return {
            "id": p.id,
            "source": p.source.path,
            "plan": p.plan,
            "title": p.title,
            "kinds": list(self.kinds),
            "lengths": dict(self.lengths),
            "chars": self.chars,
            "missing": list(self.missing),
            "meta": dict(p.meta),
        }


def char_counter(plan: Plan) -> Callable[[int, int], int]:
    """``count(start, end)``: the plan's characters (:attr:`plantext.model.Plan.chars`: letters
    and digits, i.e. characters of the ``fold`` view) inside the source span; ``count(plan.start,
    plan.end) == plan.chars``.

    Counted on the ``norm`` view, which segmentation has already built: ``fold`` is ``norm``
    minus everything that is not a letter or digit (whitespace, punctuation, ``_``), so the
    counts are the same without building another view per plan."""
    import re

    import numpy as np

    v = plan.view("norm")
    starts, _ = v.offsets()
    keep = np.zeros(len(v.text), dtype=np.int64)
    for m in re.finditer(r"[^\W_]+", v.text):
        keep[m.start() : m.end()] = 1
    cum = np.concatenate(([0], np.cumsum(keep)))

    def count(start: int, end: int) -> int:
        i, j = np.searchsorted(starts, (start, end))
        return int(cum[j] - cum[i])

    return count


fold_counter = char_counter  # the former name


def plan_sections(plan: Plan, nodes: Sequence[Section]) -> PlanSections:
    count = char_counter(plan)
    spans: dict[str, list[tuple[int, int]]] = {}
    for n in nodes:  # document order, so kinds keep the order they first appear in
        if n.kind:
            spans.setdefault(n.kind, []).append((n.start, n.end))
    lengths = {}
    for kind, ivs in spans.items():
        total = 0
        cur: tuple[int, int] | None = None  # the merged interval being extended
        for s, e in sorted(ivs):
            if cur is not None and s <= cur[1]:
                cur = (cur[0], max(cur[1], e))
                continue
            if cur is not None:
                total += count(*cur)
            cur = (s, e)
        if cur is not None:
            total += count(*cur)
        lengths[kind] = total
    return PlanSections(plan, list(spans), lengths, count(plan.start, plan.end))


def common_kinds(rows: Sequence[PlanSections], share: float = COMMON_SHARE) -> list[str]:
    """Kinds that at least ``share`` of the plans have, most frequent first."""
    if not rows:
        return []
    counts: dict[str, int] = {}
    for r in rows:
        for k in r.kinds:
            counts[k] = counts.get(k, 0) + 1
    need = share * len(rows)
    return [k for k, c in sorted(counts.items(), key=lambda kc: -kc[1]) if c >= need - 1e-9]


def sections(
    plans: Sequence[Plan], nodes: Sequence[Sequence[Section]], share: float = COMMON_SHARE
) -> list[PlanSections]:
    """One :class:`PlanSections` per plan; ``missing`` lists the common kinds it lacks."""
    rows = [plan_sections(p, n) for p, n in zip(plans, nodes)]
    common = common_kinds(rows, share)
    for r in rows:
        r.missing = [k for k in common if k not in r.kinds]
    return rows


def all_kinds(rows: Sequence[PlanSections]) -> list[str]:
    """Every kind seen, most plans first (ties: first seen first)."""
    counts: dict[str, int] = {}
    for r in rows:
        for k in r.kinds:
            counts[k] = counts.get(k, 0) + 1
    return sorted(counts, key=lambda k: -counts[k])


def matrix_rows(rows: Sequence[PlanSections]) -> tuple[list[str], list[list[Any]]]:
    """The plan x kind matrix as table columns and rows: the plan's columns (with metadata),
    then per kind its length in characters (0: absent), then the plan's length and missing."""
    from ..meta import meta_fields

    kinds = all_kinds(rows)
    heads = [plan_row(r.plan) for r in rows]
    base = list(dict.fromkeys(list(PLAN_KEYS) + meta_fields([r.plan for r in rows])))
    cols = base + kinds + ["chars", "missing"]
    out = [
        [h.get(c) for c in base] + [r.lengths.get(k, 0) for k in kinds] + [r.chars, r.missing]
        for h, r in zip(heads, rows)
    ]
    return cols, out
