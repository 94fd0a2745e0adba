"""Sentences, clauses and scopes of a ``norm`` view text, and the outline node around an
offset: what every rule looks in."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from ..chars import COLONS, COMMAS, SENTENCE_ENDS, char_class
from ..model import Plan, Section

__all__ = [
    "sentences",
    "clause_start",
    "clause_end",
    "scope_start",
    "strip",
    "section_of",
    "outline_of",
    "CLAUSE_SEP",
    "PER_STOP",
    "in_spans",
    "is_enclosed",
    "chrome_lines",
]

CLAUSE_SEP = re.compile(char_class(COMMAS + COLONS + "（）()、\t"))  # a table cell is a clause of its row
PER_STOP = re.compile(r"[，,：:；（）()\t]")

_MARKER = re.compile(
    r"[ \t\u3000]*(?:[-•·]|[（(]?[一二三四五六七八九十\d]{1,3}[、.．)）]|第[一二三四五六七八九十\d]+[章条节])"
)

_CHROME_LINE = re.compile(
    r"[（(](?:精选|通用|实用|热门|优秀|推荐|汇总|最新)?\d+篇[)）]"
    r"|(?:计划|方案|总结|范文|制度|心得|体会)(?:范文|大全)?(?:精选|通用|实用|汇总)?\d+篇|字数\s*\d+\s*阅读|文档编号|页数|上传时间|ICP|浏览\s*\d+"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a view text: :func:`plantext.segment.sentence_spans`, with sentences
    broken at a line end joined again when the line is long, stops without end punctuation
    and the next line is no list item (plans pasted from PDFs and template pages break lines,
    even leave blank lines, inside sentences; a total and its parts must stay together)."""
    from ..segment import sentence_spans

    out: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        if out:
            ps, pe = out[-1]
            lo = max(0, pe - 200)  # only whether the line is long matters: look back a bounded stretch
            line = text[text.rfind("\n", lo, pe) + 1 if "\n" in text[lo:pe] else lo : pe]
            if (
                len(line.strip()) >= 25
                and text[pe - 1] not in SENTENCE_ENDS + COLONS
                and "\n" in text[pe:s]
                and not _MARKER.match(text, s)
                and "\t" not in line
                and not _tab_line_at(text, s)
            ):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out or [(0, len(text))]


def _tab_line_at(text: str, s: int) -> bool:
    """Does the line starting at ``s`` hold a TAB (a table row: never joined to its neighbours)?"""
    e = text.find("\n", s, s + 4000)
    return "\t" in text[s : e if e >= 0 else min(len(text), s + 4000)]


CELL_LIMIT = 32_767  # characters a spreadsheet cell holds (Excel)


def fit_cell(text: str, limit: int = CELL_LIMIT) -> tuple[str, bool]:
    """``text`` cut to fit a spreadsheet cell, the cut marked with an ellipsis; and whether it was cut."""
    if len(text) <= limit:
        return text, False
    half = (limit - 1) // 2
    return text[:half] + "…" + text[len(text) - (limit - 1 - half) :], True


def is_enclosed(c: str) -> bool:
    """Circled and parenthesised numbers (①, ⑵, ⒈, ❶, ㉑): list markers, never quantities."""
    return bool(c) and ("\u2460" <= c <= "\u24ff" or "\u2776" <= c <= "\u2793" or "\u3251" <= c <= "\u32bf")


def in_spans(spans: list[tuple[int, int]], p: int) -> bool:
    """Is ``p`` inside one of ``spans`` (sorted by start, not overlapping)?"""
    i = bisect_right(spans, (p, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= p < spans[i][1]


def chrome_lines(text: str) -> list[tuple[int, int]]:
    """Lines of page chrome that cleaning may have left (精选18篇, 字数 3103 阅读 ...), sorted and
    merged; at most :data:`CHROME_REACH` characters either side of the match (a text without line
    breaks is not all chrome)."""
    out: list[tuple[int, int]] = []
    for m in _CHROME_LINE.finditer(text):
        lo = max(0, m.start() - CHROME_REACH)
        a = text.rfind("\n", lo, m.start())
        a = lo if a < 0 else a + 1
        b = text.find("\n", m.end(), m.end() + CHROME_REACH)
        b = min(len(text), m.end() + CHROME_REACH) if b < 0 else b
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


CHROME_REACH = 300


def strip(s: str) -> tuple[int, int]:
    """The span of ``s`` without its leading and trailing blanks."""
    a = len(s) - len(s.lstrip())
    b = len(s.rstrip())
    return a, max(a, b)


def clause_start(before: str, sep: re.Pattern | None = None) -> int:
    """Where the clause that ``before`` ends in starts."""
    last = None
    for last in (sep or CLAUSE_SEP).finditer(before):  # noqa: B007  (keeps the last one)
        pass
    return last.end() if last else 0


def clause_end(sentence: str, e: int) -> int:
    m = CLAUSE_SEP.search(sentence, e)
    return m.start() if m else len(sentence)


def scope_start(before: str) -> int:
    """Inside （…）, the words outside do not apply: where the open bracket's scope starts."""
    depth = 0
    for m in reversed(list(_BRACKETS.finditer(before))):
        if m.group() == "）":
            depth += 1
        elif depth == 0:
            return m.end()
        else:
            depth -= 1
    return 0


_BRACKETS = re.compile("[（）]")


def outline_of(plan: Plan) -> list[Section]:
    try:
        from ..outline import outline
    except ImportError:
        return []
    return outline(plan)


def section_of(nodes: Sequence[Section] | None, offset: int) -> tuple[str | None, str | None, Any]:
    """(title, kind, node) of the deepest outline node holding ``offset``; the kind is
    inherited from the nearest ancestor that has one (an item under 三、保障措施)."""
    if not nodes:
        return None, None, None
    try:
        from ..outline import section_at

        node = section_at(list(nodes), offset)
    except ImportError:
        node = None
        for n in nodes:
            if n.start <= offset < n.end and (node is None or n.depth >= node.depth):
                node = n
    if node is None:
        return None, None, None
    kind, up, seen = node.kind, node, 0
    while kind is None and up.parent is not None and 0 <= up.parent < len(nodes) and seen < 20:
        up, seen = nodes[up.parent], seen + 1
        kind = up.kind
    return node.title, kind, node
