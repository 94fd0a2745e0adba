"""Rule *flags*: checks that help staff — parts of a sentence that do not add up to its total
(``total-mismatch``), the same target stated twice with different values (``conflict``).
(``placeholder`` and ``decimal-comma`` are set where the quantity is read.)"""

from __future__ import annotations

import re

from ..chars import COLONS, COMMAS, SENTENCE_ENDS, char_class
from ..model import Target
from ..numerals import NUMBER
from .comparators import CMP_OF, POST_CMP

__all__ = ["FLAGS", "check_totals", "check_conflicts"]

FLAGS = ("total-mismatch", "conflict", "placeholder", "decimal-comma", "sentence-cut")

MAX_PARTS = 64  # parts of one total looked at
NEIGHBOURS = 64  # rows of one group a row is compared with (linear time on huge inputs)


def check_totals(rows: list[Target], sent_of: list[int], vspans: list[tuple[int, int]], text: str) -> None:
    """``共268名，其中A100名、B135名、C33名`` and ``268名（A100名、B135名、C33名）``: the parts
    must add up to the total."""
    n = len(rows)
    for i in range(n - 1):
        t = rows[i]
        if t.value is None or t.value_max is not None or t.unit == "%" or sent_of[i + 1] != sent_of[i]:
            continue
        te = vspans[i][1]
        gap = text[te : vspans[i + 1][0]]
        paren = re.match(r"^\s*（", gap)
        if not paren and not re.match(r"^，?\s*其中", gap):
            continue
        close = text.find("）", te) if paren else -1
        parts = []
        j = i + 1
        while j < n and j - i <= MAX_PARTS and sent_of[j] == sent_of[i] and rows[j].unit == t.unit:
            if paren and close >= 0 and vspans[j][0] > close:
                break
            parts.append(j)
            j += 1
        if len(parts) < 2 or any(rows[k].value is None or rows[k].value_max is not None for k in parts):
            continue
        total = sum(rows[k].value or 0.0 for k in parts)
        if abs(total - t.value) > 1e-6 and not any(rows[k].qualifier for k in parts + [i]):
            for k in [i] + parts:
                if "total-mismatch" not in rows[k].flags:
                    rows[k].flags.append("total-mismatch")


def check_conflicts(rows: list[Target]) -> None:
    """The same target stated twice with different values: same subject, unit and frequency,
    and its clause, once subject, frequency, comparator and numbers are taken out, worded
    much the same (每位教师每学期听课20节 and …上汇报课1节 are two targets, not one)."""
    groups: dict[tuple, list[Target]] = {}
    for t in rows:
        if t.subject and t.value is not None:
            groups.setdefault((t.subject, t.unit, t.per), []).append(t)
    for g in groups.values():
        if len(g) < 2:
            continue
        what = [_what(t) for t in g]
        for i in range(len(g)):
            for j in range(i + 1, min(len(g), i + 1 + NEIGHBOURS)):
                a, b = g[i], g[j]
                if (a.value, a.value_max) == (b.value, b.value_max) or a.sentence == b.sentence:
                    continue  # one sentence listing two figures is a list, not a contradiction
                x, y = what[i], what[j]
                if (not x and not y) or (x and y and len(x & y) / len(x | y) >= 0.5):
                    for t in (a, b):
                        if "conflict" not in t.flags:
                            t.flags.append("conflict")


_CLAUSE_SEP = re.compile(char_class(COMMAS + SENTENCE_ENDS + COLONS + "（）()\n"))


def _what(t: Target) -> set[str]:
    """Character bigrams of what a target counts: its clause without the subject, frequency,
    comparators, qualifiers and numbers."""
    from ..normalize import text_view

    i = t.sentence.find(t.text)
    if i < 0:
        i = 0
    seps = [m.start() for m in _CLAUSE_SEP.finditer(t.sentence)]
    lo = max([p + 1 for p in seps if p < i], default=0)
    hi = min([p for p in seps if p >= i + len(t.text)], default=len(t.sentence))
    clause = text_view(t.sentence[lo:hi], "norm").text
    for w in (t.subject, t.per, *CMP_OF, *POST_CMP, "左右", "多", "余", "约", "近"):
        if w:
            clause = clause.replace(w, "|")
    han = re.sub(r"[^\u4e00-\u9fff]+", "|", re.sub(NUMBER, "|", clause))
    return {han[k : k + 2] for k in range(len(han) - 1) if "|" not in han[k : k + 2]}
