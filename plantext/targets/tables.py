"""Rule *tables*: a table flattened into text (``序号 项目 … 人数 时间1 A 60 上学期2 B 1000 …
合计8860``): the 合计 becomes a row, flagged when the rows do not add up to it, or when the
total stated just before the table (``…8560人次，具体安排如下``) differs from it."""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..model import Plan, Section, Target
from .clauses import section_of, sentences
from .numbers import qty_re

__all__ = ["table_totals"]


_TABLE_TOTAL = re.compile(r"(?:合计|总计|共计)[：:]?\s*(?P<num>\d+(?:\.\d+)?)(?![\d.])")
_RUN = re.compile(r"\d+(?:\.\d+)?")


def table_totals(plan: Plan, view: Any, rows: list[Target], vspans: list[tuple[int, int]],
                 nodes: Sequence[Section] | None) -> list[Target]:
    """A table flattened into text (``序号 项目 … 人数 时间1 A 60 上学期2 B 1000 … 合计8860``):
    the 合计 becomes a row, flagged when the rows do not add up to it, or when the total
    stated just before the table (``…8560人次，具体安排如下``) differs from it."""
    text = view.text
    added = []
    for m in _TABLE_TOTAL.finditer(text):
        if text[m.end():m.end() + 2] and qty_re().match(text, m.start("num")):
            continue  # 合计30学时: an ordinary target, already a row
        head = text.rfind("序号", max(0, m.start() - 5000), m.start())
        if head < 0:
            continue
        values, k, last = [], 1, None
        for r in _RUN.finditer(text, head, m.start()):
            after = text[r.end():r.end() + 1]
            if r.group() == str(k) and after not in "年月日号%.":
                if k > 1:
                    if last is None:
                        break
                    values.append(last)
                k, last = k + 1, None
            elif k > 1:
                cell = _cell_value(r.group(), after)
                if cell is not None:
                    last = cell
        else:
            if last is not None and k > 2:
                values.append(last)
        if len(values) < 2 or len(values) != k - 1:
            continue
        total = float(m.group("num"))
        stated = None  # the target that introduces the table
        for t, (vs, ve) in zip(rows, vspans):
            if ve <= head and head - ve < 40 and "如下" in text[ve:head]:
                stated = t
        src_s, src_e = view.span(m.start("num"), m.end("num"))
        sent = _sentence_around(text, m.start())
        sent_src = view.span(*sent)
        section, section_kind, _ = section_of(nodes, src_s)
        flags = []
        if abs(sum(values) - total) > 1e-6:
            flags.append("total-mismatch")
        if stated is not None and stated.value is not None and abs(stated.value - total) > 1e-6:
            if not flags:
                flags.append("total-mismatch")
            if "total-mismatch" not in stated.flags:
                stated.flags.append("total-mismatch")
        src = plan.source.text
        added.append(Target(
            id=plan.id, source=plan.source.path, plan=plan.plan, section=section,
            sentence=src[sent_src[0]:sent_src[1]], text=src[src_s:src_e], start=src_s, end=src_e,
            value=total, unit=stated.unit if stated else _header_unit(text[head:m.start()]), comparator="=",
            subject=stated.subject if stated else None, per=stated.per if stated else None,
            flags=flags, section_kind=section_kind))
    if not added:
        return rows
    return sorted(rows + added, key=lambda t: t.start)


_HEADER_UNITS = (("人次", "人次"), ("学时", "学时"), ("课时", "课时"), ("学分", "学分"), ("人数", "人"),
                 ("场次", "场"), ("次数", "次"))


def _header_unit(table: str) -> str | None:
    """The unit a flattened table counts in, from its header (培训人数 -> 人)."""
    first = re.search(r"\d", table)
    header = table[:first.start() if first else len(table)]
    for word, unit in _HEADER_UNITS:
        if word in header:
            return unit
    return None


def _cell_value(run: str, after: str) -> float | None:
    """A number cell of a flattened table; dates are not cells. The text layer glues a count
    to the month in the next cell (``1507月``: 150 people, July)."""
    if after in "年日号":
        return None
    if after == "月":
        if len(run) < 3 or "." in run:
            return None
        cut = 2 if 10 <= int(run[-2:]) <= 12 else 1
        return float(run[:-cut])
    return float(run)


def _sentence_around(text: str, p: int) -> tuple[int, int]:
    for s, e in sentences(text):
        if s <= p < e:
            return s, e
    return p, p
