"""Quotation and citation (引用): text a plan quotes, which is not copying.

Two rules, each giving spans of a submission:

- **form**: text in quotation marks (“…” 「…」 "…") attributed to a source just before it: a
  document title in 《》 or a speaker followed by a verb of saying (《教育部关于…的意见》指出：“…”,
  习近平总书记强调：“…”, 正如陶行知先生所说，“…”, 孔子曰：“…”); and quoted verse: text in
  quotation marks made of two or more clauses of five or seven characters each, in
  pairs of equal length (“随风潜入夜，润物细无声”);
- **list**: well-known lines, poems and slogans shipped as package data
  (``resources/quotes.txt``, one per line, ``#`` comments), which a user can extend with files
  of the same form; matched on the copy check's key so that punctuation, script and synonym
  variants still hit, with or without quotation marks.

The copy check (:mod:`.check`) labels the found passages inside these spans ``quote``.
"""

from __future__ import annotations

__all__ = ["QUOTES_ID", "MIN_QUOTE", "form_spans", "Line", "quotes_text", "parse_lines", "shipped", "list_hits"]

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from ..chars import SENTENCE_ENDS, char_class
from ..lexicons import loader

QUOTES_ID = "plantext:quotes.txt"
MIN_QUOTE = 6  # characters of a quotation recognised by its form

# a verb of saying or writing that introduces a quotation
_SAY = (
    r"(?:指出|强调|提出|要求|明确|认为|说过|说道|说|写道|讲|讲到|谈到|曰|云|告诫|号召|寄语|倡导|"
    r"表示|阐述|论述|所说|所言|所讲|中说|里说|中写道|中指出|中强调|中提出|中要求|明确提出|明确指出|"
    r"深刻指出|反复强调|曾说|曾经说过|曾经说|也说|还说|深情地说|名言)"
)
# an attribution: a 《title》 (with 的 … up to the verb) or a speaker (a run of CJK characters,
# possibly with a title such as 总书记 / 先生 / 教授), ending in a verb of saying, then at most a
# few characters before a colon (要求教师：) or a comma: a quoted phrase right after the verb
# (提出“双减”, 提出“快乐学习，健康成长”的理念) names something, it does not quote
_ATTRIB = re.compile(
    r"(?:《[^《》\n]{1,60}》[^“「\"。！？；\n]{0,12}?|[\u4e00-\u9fff·]{1,16}?)"
    + _SAY
    + r"(?:的那样|那样|的)?(?:[\u4e00-\u9fff]{0,4}[：:]|[，,])[ \t\u3000]*$"
)
_OPENERS = {"“": "”", "「": "」", '"': '"', "『": "』"}
_QUOTED = re.compile(r"“([^“”\n]{2,400})”|「([^「」\n]{2,400})」|\"([^\"\n]{2,400})\"|『([^『』\n]{2,400})』")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _verse(body: str) -> bool:
    """Two or more clauses of 5 or 7 CJK characters, in pairs of equal length."""
    parts = [p for p in re.split(r"[，,。；;！!？?、]", body) if p.strip()]
    if len(parts) < 2 or len(parts) % 2:
        return False
    lens = [len(p.strip()) for p in parts]
    if any(not all(_HAN.match(c) for c in p.strip()) for p in parts):
        return False
    return all(n in (5, 7) for n in lens) and all(lens[k] == lens[k + 1] for k in range(0, len(lens), 2))


def form_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Source spans (marks included) of quotations recognised by their form in
    ``text[start:end]``: attributed quotations (with their attribution) and quoted verse."""
    end = len(text) if end is None else end
    out = []
    for m in _QUOTED.finditer(text, start, end):
        body = next(g for g in m.groups() if g is not None)
        if len(_HAN.findall(body)) < 2:
            continue
        line_start = max(text.rfind("\n", start, m.start()) + 1, start, m.start() - 80)
        before = text[line_start : m.start()]
        # the attribution belongs to the clause just before the quotation
        clause = re.split(char_class(SENTENCE_ENDS), before)[-1]
        who = _ATTRIB.search(clause) if len(_HAN.findall(body)) >= MIN_QUOTE else None
        if who is not None:
            # the citation is the attribution and the quotation: 习近平总书记强调：“…”
            out.append((m.start() - len(clause) + who.start(), m.end()))
        elif _verse(body):
            out.append((m.start(), m.end()))
    return out


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    start: int  # offsets of the line in its file
    end: int
    file: str  # QUOTES_ID or the user's file


@loader
def quotes_text() -> str:
    return resources.files("plantext.resources").joinpath("quotes.txt").read_text("utf-8")


def parse_lines(text: str, file: str) -> tuple[Line, ...]:
    """The quotation lines of a list file (one per line; ``#`` comments, blank lines)."""
    from ..normalize import text_view
    from .align import key_text

    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and not body.lstrip().startswith("#"):
            key = key_text(text_view(body, "fold").text)[0]
            if len(key) >= 4:
                out.append(Line(key, pos, pos + len(body), file))
        pos += len(line)
    return tuple(sorted(out, key=lambda q: (-len(q.key), q.key)))


@loader
def shipped() -> tuple[Line, ...]:
    return parse_lines(quotes_text(), QUOTES_ID)


def list_hits(doc, lines: Iterable[Line] = ()) -> list[tuple[int, int, Line]]:
    """Fold spans of ``doc`` holding a listed quotation (the shipped list and ``lines``),
    non-overlapping, longest first, in text order."""
    from .boilerplate import phrase_hits

    return phrase_hits(doc, sorted((*shipped(), *lines), key=lambda q: (-len(q.key), q.key)))
