"""Terms distinctive of each group of plans against the rest of the corpus.

The statistic is the weighted log-odds ratio with an informative Dirichlet prior of Monroe,
Colaresi & Quinn (2008, "Fightin' Words", Political Analysis 16(4), sec. 3.5). For a term w,
group i with counts y_i (total n_i) and the rest of the corpus with counts y_j (total n_j):

    delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
    var_w  ~= 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

The prior a_w = alpha0 * pi_w, where pi_w is the term's share of the whole corpus (all groups
together): rare terms are shrunk towards no difference, frequent terms are judged by their
rates. ``alpha0`` is the prior's weight in pseudo-tokens; by default it equals the corpus
size, i.e. the prior counts are the corpus counts themselves (the empirical-Bayes default of
the ``tidylo`` package) -- conservative: a term must be both frequent and lopsided to reach
|z| > 1.96. A smaller ``alpha0`` (e.g. 0.1 x corpus size) lets sparser terms through.
"""

from __future__ import annotations

__all__ = ["TermScore", "GroupTerms", "log_odds", "compare", "compare_rows"]

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .terms import PlanTerms, count_matrix

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

MIN_GROUP_PLANS = 3  # a group of fewer plans speaks for those plans, not for a group


@dataclass(slots=True)
class TermScore:
    term: str
    count: int  # in the group
    score: float | None  # delta: the log-odds ratio, group against the rest (None: group too small)
    z: float | None
    rest: int = 0  # count in the rest of the corpus


@dataclass(slots=True)
class GroupTerms:
    group: Any
    plans: int
    terms: list[TermScore] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # the plans of the group
    tokens: int = 0  # terms in the group
    scored: bool = True  # False: too few plans for a test; terms by count, no score or z

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "plans": self.plans,
            "scored": self.scored,
            "terms": [
                {"term": t.term, "count": t.count, "score": _round(t.score), "z": _round(t.z)} for t in self.terms
            ],
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def log_odds(counts: ArrayLike, alpha0: float | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Weighted log-odds (delta) and z of every row of ``counts`` (groups x terms) against the
    sum of the other rows, with the prior of the module doc. Vectorised over groups and terms."""
    import numpy as np

    y = np.asarray(counts, dtype=float)
    total = y.sum(axis=0)  # per term, whole corpus
    N = total.sum()
    if N == 0 or y.shape[1] < 2:  # no terms, or one term: its odds are undefined
        return np.zeros_like(y), np.zeros_like(y)
    a0 = float(N if alpha0 is None else alpha0)
    a = a0 * total / N  # prior pseudo-counts per term
    n_i = y.sum(axis=1, keepdims=True)
    y_j = total - y
    n_j = N - n_i
    delta = (np.log(y + a) - np.log(n_i + a0 - y - a)) - (np.log(y_j + a) - np.log(n_j + a0 - y_j - a))
    z = delta / np.sqrt(1.0 / (y + a) + 1.0 / (y_j + a))
    return delta, z


def _group_key(v: Any) -> tuple[int, Any, str]:
    return (0, v, "") if isinstance(v, (int, float)) else (1, 0, str(v))


def compare(
    pts: Sequence[PlanTerms],
    field: str,
    top: int | None = 20,
    alpha0: float | None = None,
    min_count: int = 1,
    min_plans: int = MIN_GROUP_PLANS,
) -> tuple[list[GroupTerms], list[str]]:
    """Distinctive terms of each value of metadata ``field``, ranked by z (highest first).

    Returns (groups, ids of plans without ``field``). Only terms used at least ``min_count``
    times in the group are listed (0: every term of the corpus, so the terms a group avoids
    show with negative z). A group of fewer than ``min_plans`` plans is too small for a test:
    it is marked (``scored`` False) and its terms are listed by count without score or z (the
    log-odds of one plan measure that plan's wording, not its group's); its plans still count
    in the rest of the corpus that other groups are compared with.
    Raises UsageError when fewer than two groups are found."""
    import numpy as np

    groups: dict[Any, list[PlanTerms]] = {}
    missing = []
    for pt in pts:
        v = pt.plan.meta.get(field)
        if v is None:
            missing.append(pt.plan.id)
        else:
            groups.setdefault(v, []).append(pt)
    if len(groups) < 2:
        found = ", ".join(map(str, groups)) or "-"
        raise UsageError(key="research.need_two_groups", field=field, n=len(groups), found=found)
    keys = sorted(groups, key=_group_key)
    docs = [[t for pt in groups[k] for t in pt.terms] for k in keys]
    X, vocab = count_matrix(docs)
    counts = X.toarray()
    delta, z = log_odds(counts, alpha0)
    rest = counts.sum(axis=0) - counts
    out = []
    for g, k in enumerate(keys):
        scored = len(groups[k]) >= min_plans
        idx = np.flatnonzero(counts[g] >= max(min_count, 0 if scored else 1))
        idx = idx[np.lexsort((vocab[idx], -counts[g, idx], -z[g, idx]) if scored else (vocab[idx], -counts[g, idx]))]
        if top:
            idx = idx[:top]
        out.append(
            GroupTerms(
                group=k,
                plans=len(groups[k]),
                ids=[pt.plan.id for pt in groups[k]],
                tokens=int(counts[g].sum()),
                scored=scored,
                terms=[
                    TermScore(
                        str(vocab[j]),
                        int(counts[g, j]),
                        float(delta[g, j]) if scored else None,
                        float(z[g, j]) if scored else None,
                        int(rest[g, j]),
                    )
                    for j in idx
                ],
            )
        )
    return out, missing


def compare_rows(groups: Sequence[GroupTerms], field: str) -> list[dict[str, Any]]:
    """Flat rows for tables: field, group, plans, scored, rank, term, count, rest, score, z
    (score and z empty for a group too small to test)."""
    return [
        {
            "field": field,
            "group": g.group,
            "plans": g.plans,
            "scored": g.scored,
            "rank": r,
            "term": t.term,
            "count": t.count,
            "rest": t.rest,
            "score": t.score,
            "z": t.z,
        }
        for g in groups
        for r, t in enumerate(g.terms, 1)
    ]
