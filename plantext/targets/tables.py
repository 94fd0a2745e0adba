"""Rule *tables*: a table flattened into text (``序号 项目 … 人数 时间1 A 60 上学期2 B 1000 …
合计8860``): the 合计 becomes a row, flagged when the rows do not add up to it, or when the
total stated just before the table (``…8560人次，具体安排如下``) differs from it."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from ..model import Plan, Section, Target
from .clauses import fit_cell, section_of, sentences
from .numbers import qty_re

__all__ = ["table_totals", "column_totals", "table_blocks", "cells", "header_unit"]


# a total of a flattened table: the number itself, never the head of 100万 (a sum written in prose)
_TABLE_TOTAL = re.compile(r"(?:合计|总计|共计)[：:]?\s*(?P<num>\d+(?:\.\d+)?)(?![\d.十百千万亿])")
_RUN = re.compile(r"\d+(?:\.\d+)?")


def table_totals(
    plan: Plan,
    view: Any,
    rows: list[Target],
    vspans: list[tuple[int, int]],
    nodes: Sequence[Section] | None,
    sent_bounds: Sequence[tuple[int, int]] | None = None,
) -> list[Target]:
    """A table flattened into text (``序号 项目 … 人数 时间1 A 60 上学期2 B 1000 … 合计8860``):
    the 合计 becomes a row, flagged when the rows do not add up to it, or when the total
    stated just before the table (``…8560人次，具体安排如下``) differs from it."""
    text = view.text
    added = []
    bounds = list(sent_bounds) if sent_bounds is not None else []
    starts: list[int] = []
    ends = [ve for _, ve in vspans]
    for m in _TABLE_TOTAL.finditer(text):
        if text[m.end() : m.end() + 2] and qty_re().match(text, m.start("num")):
            continue  # 合计30学时: an ordinary target, already a row
        if "\t" in text[max(0, m.start() - 200) : m.end()] and _in_tab_line(text, m.start()):
            continue  # a table given as rows: see column_totals
        head = text.rfind("序号", max(0, m.start() - 5000), m.start())
        if head < 0:
            continue
        values, k, last = [], 1, None
        for r in _RUN.finditer(text, head, m.start()):
            after = text[r.end() : r.end() + 1]
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
        stated = None  # the target that introduces the table: the last one ending before its head
        j = bisect_right(ends, head) - 1
        while j >= 0 and head - vspans[j][1] < 40:
            if "如下" in text[vspans[j][1] : head]:
                stated = rows[j]
                break
            j -= 1
        unit = stated.unit if stated else _header_unit(text[head : m.start()])
        if unit is None:
            continue  # a total in no unit the table names is no target (a wrong reading is worse than none)
        src_s, src_e = view.span(m.start("num"), m.end("num"))
        if not bounds:
            bounds = sentences(text)
        sent, cut = _sentence_around(bounds, starts, m.start())
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
        sentence = src[sent_src[0] : sent_src[1]]
        if cut:
            sentence = f"…{sentence}…"
            flags.append("sentence-cut")
        added.append(
            Target(
                id=plan.id,
                source=plan.source.path,
                plan=plan.plan,
                section=section,
                sentence=sentence,
                text=src[src_s:src_e],
                start=src_s,
                end=src_e,
                value=total,
                unit=unit,
                comparator="=",
                subject=stated.subject if stated else None,
                per=stated.per if stated else None,
                flags=flags,
                section_kind=section_kind,
            )
        )
    if not added:
        return rows
    return sorted(rows + added, key=lambda t: t.start)


def _in_tab_line(text: str, p: int) -> bool:
    a = text.rfind("\n", max(0, p - 2000), p) + 1
    b = text.find("\n", p, p + 2000)
    return "\t" in text[a : b if b >= 0 else min(len(text), p + 2000)]


_HEADER_UNITS = (
    ("人次", "人次"),
    ("学时", "学时"),
    ("课时", "课时"),
    ("学分", "学分"),
    ("人数", "人"),
    ("场次", "场"),
    ("次数", "次"),
)


def _header_unit(table: str) -> str | None:
    """The unit a flattened table counts in, from its header (培训人数 -> 人)."""
    first = re.search(r"\d", table)
    header = table[: first.start() if first else len(table)]
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


def _sentence_around(bounds: list[tuple[int, int]], starts: list[int], p: int) -> tuple[tuple[int, int], bool]:
    """The sentence holding ``p`` (found by bisection), at most :data:`CONTEXT` characters either
    side of ``p``; and whether it was cut."""
    if not starts:
        starts.extend(s for s, _ in bounds)
    i = bisect_right(starts, p) - 1
    if i >= 0 and bounds[i][0] <= p < bounds[i][1]:
        s, e = bounds[i]
        lo, hi = max(s, p - CONTEXT), min(e, p + CONTEXT)
        return (lo, hi), (lo, hi) != (s, e)
    return (p, p), False


CONTEXT = 1000


# -- tables as rows: tab-separated lines (HTML, docx and PDF tables as ingest gives them) --------

_TOTAL_LABEL = re.compile(r"^\s*(?:合\s*计|总\s*计|共\s*计|总\s*数)\s*[：:]?\s*$")
_CELL_NUMBER = re.compile(r"^\s*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*$")
# a unit named in a header: 经费（万元）, 人数(人), 学时数, 培训人次
_HEADER_PAREN = re.compile(r"[（(]\s*(?P<u>[^（）()]{1,4})\s*[)）]")
_HEADER_WORDS = (
    ("人次", "人次"),
    ("学时", "学时"),
    ("课时", "课时"),
    ("学分", "学分"),
    ("人数", "人"),
    ("名额", "名"),
    ("场次", "场"),
    ("次数", "次"),
    ("天数", "天"),
    ("周数", "周"),
    ("经费", "元"),
    ("金额", "元"),
    ("预算", "元"),
)


def table_blocks(text: str) -> list[list[tuple[int, int]]]:
    """Runs of two or more consecutive lines holding a TAB (a table as rows): each a list of
    (start, end) line spans of ``text``."""
    blocks: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        s, e = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        if "\t" in text[s:e]:
            run.append((s, e))
            continue
        if len(run) >= 2:
            blocks.append(run)
        run = []
    if len(run) >= 2:
        blocks.append(run)
    return blocks


def cells(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The cells of the row ``text[s:e]`` (split at TABs; empty cells kept)."""
    out, a = [], s
    while True:
        b = text.find("\t", a, e)
        if b < 0:
            out.append((a, e))
            return out
        out.append((a, b))
        a = b + 1


def header_unit(header: str) -> tuple[str | None, float]:
    """The unit (and factor) a column header names: 经费（万元） -> (元, 10000), 参训人数 -> (人, 1)."""
    from .units import units

    m = _HEADER_PAREN.search(header)
    if m and m.group("u") in units():
        u = units()[m.group("u")]
        return u.canon, u.factor
    for word, unit in _HEADER_WORDS:
        if word in header:
            return unit, 1.0
    return None, 1.0


def column_totals(plan: Plan, view: Any, rows: list[Target], nodes: Sequence[Section] | None) -> list[Target]:
    """A table given as rows: a 合计/总计 row is checked column by column against the rows of the
    same table above it (up to the header or an earlier total); the total cell becomes a row,
    flagged ``total-mismatch`` when they differ. Nothing else in a table is added up."""
    text = view.text
    if "\t" not in text:
        return rows
    have = {(t.start, t.end) for t in rows}
    added: list[Target] = []
    for block in table_blocks(text):
        grid = [cells(text, s, e) for s, e in block]
        header = [text[a:b] for a, b in grid[0]]
        first = 1
        for i in range(1, len(grid)):
            labels = [text[a:b] for a, b in grid[i] if text[a:b].strip()]
            if not labels or not _TOTAL_LABEL.match(labels[0]):
                continue
            for j, (a, b) in enumerate(grid[i]):
                m = _CELL_NUMBER.match(text[a:b])
                if m is None or j >= len(header):
                    continue
                column = []
                for r in grid[first:i]:
                    cm = _CELL_NUMBER.match(text[r[j][0] : r[j][1]]) if j < len(r) else None
                    column.append(float(cm.group("num").replace(",", "")) if cm else None)
                values = [v for v in column if v is not None]
                if len(values) < 2:
                    continue
                total = float(m.group("num").replace(",", ""))
                unit, factor = header_unit(header[j])
                if unit is None:
                    continue  # a column in no unit its header names: a number, not a target
                ns, ne = a + m.start("num"), a + m.end("num")
                src_s, src_e = view.span(ns, ne)
                if (src_s, src_e) in have:
                    continue
                section, section_kind, _ = section_of(nodes, src_s)
                row_src = view.span(*block[i])
                head_src = view.span(*block[0])
                src = plan.source.text
                context, cut = fit_cell(src[head_src[0] : head_src[1]] + "\n" + src[row_src[0] : row_src[1]])
                flags = ["total-mismatch"] if abs(sum(values) - total) > 1e-6 else []
                added.append(
                    Target(
                        id=plan.id,
                        source=plan.source.path,
                        plan=plan.plan,
                        section=section,
                        sentence=context,
                        text=src[src_s:src_e],
                        start=src_s,
                        end=src_e,
                        value=total * factor,
                        unit=unit,
                        comparator="=",
                        flags=flags + (["sentence-cut"] if cut else []),
                        section_kind=section_kind,
                    )
                )
            first = i + 1  # the next total adds up the rows after this one
    if not added:
        return rows
    return sorted(rows + added, key=lambda t: t.start)
