"""A plan repeated on one page is one plan for research.

Template pages often print the same plan twice (a preview and the full text, or the same plan
under two headings). Counting both doubles its terms and its weight in every table. Two plans
of the same source are the same when the letters and digits of their bodies (the ``fold``
view after the title line: whitespace, punctuation, chrome and the title left out) are
identical; they are compared by a SHA-256 content hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Plan

__all__ = ["body_hash", "unique_plans"]


def body_hash(plan: Plan) -> str:
    """SHA-256 (hex) of the plan's body: its ``fold`` text after the title line."""
    v = plan.view("fold")
    text = v.text
    if plan.start <= plan.title_start < plan.title_end <= plan.end:
        import numpy as np

        starts, _ = v.offsets()
        text = text[int(np.searchsorted(starts, plan.title_end)) :]
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unique_plans(plans: Sequence[Plan]) -> tuple[list[Plan], dict[str, str]]:
    """The plans with each repeat inside one source left out (the first one kept), and the
    repeats: ``{id of the repeat: id of the plan kept}``. Plans of different sources are never
    merged (two schools may submit the same text: that is a finding, not a repeat)."""
    first: dict[tuple[str, str], str] = {}
    kept: list[Plan] = []
    repeats: dict[str, str] = {}
    for p in plans:
        key = (p.source.path, body_hash(p))
        if key in first:
            repeats[p.id] = first[key]
        else:
            first[key] = p.id
            kept.append(p)
    return kept, repeats
