"""The heading outline of a plan: numbered headings and items as a flat list of sections.

Read on the plan's ``norm`` view (page residue and chrome gone, full-width brackets, simplified
script); every node maps back to the source, where its span starts with its marker.

Markers
    ``一、`` ``（一）`` ``1.`` ``（1）`` (GB/T 9704) and what plans also write: ``1、`` ``1)``
    ``①`` ``a、`` ``1.1``, ``第一章/节/条/部分``, ``第一，``, ``一是``, month and week headings
    (``二月份：`` ``七、八月份：`` ``第3周``), half- or full-width brackets, ``（一）、``.
    A *style* is the numeral kind with its decoration (``一、`` and ``一.`` are two styles).

Depth
    From the order in which styles appear, not from a fixed table: a style not yet on the
    stack nests under the current node; a style already on the stack pops back to its level.
    A marker whose decoration differs from a style on the stack of the same numeral kind, but
    whose ordinal continues it (``（2）`` then ``3）``), is taken as that style. A list that
    restarts at 1 while a deeper node is open is a new list under that node. A month or week
    heading does not nest under a numbered item that has its body on the same line (template
    pages drop the section heading above a 行事历).

Which markers are headings
    At the start of a line: yes, unless it continues a line broken mid-sentence and breaks
    its sequence. Inside a line (flattened text), after 。！？；： or a space, or right after
    another heading's title: only when its ordinal continues its style's sequence under the
    parent (1 for a new style, previous + 1, or continuing the style's numbering from an
    earlier parent: ``第三条`` under ``第二章``). A line-start marker that breaks its sequence
    is kept (template sites delete items), and so is any marker at the start of a paragraph the
    format marks as a heading (docx Heading n: a tie-breaker only). The plan's own title line
    is never a heading. A Chinese-numeral marker glued to body text is a
    heading only when a section title from the lexicon follows (``……合计8860四、保障措施``).
    Never: a number list (``1、2、3月``, ``一、二年级``), decimals (``1.5万``), numbers over 99,
    and line-start markers of one style that mostly follow mid-sentence breaks (page-chunk
    numbers of document-sharing sites). A marker followed by a date or year is an item, not a
    list: ``1、7月8日-7月14日……`` (a month with its day, or a month that is not the next number),
    ``2.2020年……`` (a four-digit year after ``2.``).
    ``一是`` and circled numbers (``①``) are headings only at the start of a line: inside a
    sentence they enumerate its points. A private-use glyph (a symbol-font bullet) before a
    marker is a bullet.
    Not in the outline: table-of-contents lines (an entry ending in its page number after dot
    leaders; two or more adjacent lines ending in a page number after a tab or spaces; the
    lines under ``目录`` that end in a page number or come back later as a line), the answer
    options of a questionnaire (a run of letter markers from A with short items, several on a
    line or under a line that asks: ``？``, ``（ ）``, ``___``, ``：``), and a notice's list of
    attachments (``附件：1.……`` and the numbered lines under it), table rows (three or more
    tab-separated cells) and markers with no letter after them on their line (``1.5\t36``).
    The top-level style ``一、`` starting again at 一 opens a new part at depth 1 (a report
    and its notes, several plans in one file), where any other list restarting at 1 is a new
    list under the current node.

Appendices (kind ``附件``)
    ``附件``/``附件2``/``附表1`` on a line of its own (the title on the next line), or
    ``附件2：title`` followed by its text (not by a numbered list, another 附件 line or a
    signature date), opens an appendix: a node at depth 1 whose numbering starts afresh
    (its ``一、`` is at depth 2, not under the main text's last item). When the main text
    resumes after it (a heading continuing a main-text style that no appendix style
    continues), the attachment was shown inline and is not a part. An appendix line above the
    plan's title labels the whole document and is not a node.

Titles (simplified, from the norm view; ``title_start``/``title_end`` locate it in the source)
    1. up to the first ``：``, or the whole rest of the line, when that is at most 30 characters
       and holds no 。！？；;
    2. a section title from the lexicon the text starts with, when the heading runs into its
       body (``指导思想全面贯彻……`` -> ``指导思想``);
    3. for a heading inside a line of flattened text (some line holds headings of two styles,
       ``二、工作要点1、……``): where the heading phrase (a verb, then a noun) meets a body that
       opens with a verb, preposition, pronoun, adverb, time word or place (``实施名师工程为
       促进……`` -> ``实施名师工程``; jieba POS tags), before the first ，。；：;
    4. the first sentence (to 。！？；：) when at most 30 characters: a numbered item whose first
       sentence names it (``加强学习，统一思想，提高认识。我园将……``);
    5. the first clause (to ，) when at most 20 characters;
    6. rule 3 for any heading, but a verb does not open the body here (only a preposition,
       pronoun, adverb, time word or place: ``充分利用……时间向广大教师传达`` -> ``……时间``);
    7. otherwise the first 20 characters, cut back to a word boundary and before a bracket
       or quote that does not close within them.

Spans
    From the marker to the start of the next node at the same or a shallower depth, else the
    plan's end. ``marker`` is the source text (``(一)、``, ``⑴``, ``１．``); for a month or week
    heading it is the month phrase (``七、八月份``), which is also its title.

Kinds
    :func:`kind_of` maps a title to a section kind from ``resources/section_kinds.tsv``; month
    and week headings are ``时间安排``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from .chars import BULLETS, CLOSING, COLONS, ELLIPSIS, SENTENCE_ENDS, char_class
from .lexicons import loader
from .model import Section
from .numerals import parse_number

if TYPE_CHECKING:  # pragma: no cover
    from jieba.posseg import POSTokenizer

    from .model import Plan
    from .normalize import View

__all__ = ["outline", "section_at", "kind_of", "kinds", "to_rows", "parse_ordinal"]

TITLE_MAX = 30  # a heading line or first sentence longer than this is body text
CLAUSE_MAX = 20  # a first clause up to this long is a title; longer titles are cut to it
APPENDIX = "附件"  # the kind of an appendix node
KIND_TITLE_MAX = 12  # longer titles name an item, not a section: no kind by containment
SPAN_BREAK_MAX = 80  # a line longer than this ending mid-sentence is a broken line (not a PDF wrap)

# -- numerals -------------------------------------------------------------------------------

CN = "一二三四五六七八九十〇零两"


def parse_ordinal(s: str) -> int | None:
    """The ordinal of a marker's numeral: Arabic, Chinese, circled (①, ⑴, ⒈, ❶) or a letter.

    Arabic and Chinese numerals are read by :func:`plantext.numerals.parse_number`."""
    if len(s) == 1 and not (s.isascii() and s.isdigit()):
        if s.isascii() and s.isalpha():
            return ord(s.lower()) - 96
        if not ("\u4e00" <= s <= "\u9fff") and s not in CN:
            try:
                num = unicodedata.numeric(s)
                return int(num) if num == int(num) else None
            except (TypeError, ValueError):
                return None
    v = parse_number(s)
    return int(v) if v is not None and v == int(v) else None


CIRCLED = "".join(
    chr(c)
    for c in list(range(0x2460, 0x249C))
    + list(range(0x24EA, 0x2500))
    + list(range(0x2776, 0x2794))
    + list(range(0x3251, 0x3260))
    + list(range(0x32B1, 0x32C0))
)

# -- marker grammar (over the norm view) ------------------------------------------------------

# after these, 1.5 is a number (1.5万) and 3.15 a date (3.15前)
_UNITS = "万亿千百十元角个倍小时天年月日号周人次名所份节课分学时米克亩平届期批项场篇本册套台前后起至到止左"
_NUM_CN = f"[{CN}]{{1,3}}"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_MARKER_RE = re.compile(
    rf"""(?:
      (?P<month>{_MON}(?:\s*[、—\-～至到]+\s*{_MON})?\s*月份?(?:\s*[上中下]旬)?)(?=\s*[：:]|\s*$|\s+\S)
    | (?P<week>第\s*(?:\d{{1,2}}|{_NUM_CN})(?:\s*[—\-～至到、]+\s*(?:\d{{1,2}}|{_NUM_CN}))?\s*周)(?=\s*[：:]|\s*$|\s+\S)
    | 第\s*(?P<dinum>\d{{1,2}}|{_NUM_CN})\s*(?P<ditype>章|节|条|部分|[，、])
    | （\s*(?P<pnum>\d{{1,2}}|{_NUM_CN}|[a-zA-Z])\s*）(?P<pdun>\s*[、.])?
    | (?P<dec>\d{{1,2}}(?:\.\d{{1,2}}){{1,3}})(?=[\s\u3000]|(?![{_UNITS}])[\u4e00-\u9fff])
    | (?P<cnum>{_NUM_CN})(?P<cdeco>、|\.|是)
    | (?P<anum>\d{{1,2}}|[a-zA-Z])(?P<adeco>、|\.(?!\d)|\.(?=(?:19|20)\d\d[年—\-～~至到/]|\d{{1,2}}\s*[—\-－～~至到]\s*\d{{1,2}}\s*月)|）)
    | (?P<circ>\d{{1,2}}|[{CIRCLED}])
    )""",
    re.X,
)
# After a marker: a number list or a date is not a heading (1、2、3月 / 一、二年级 / 1.5万).
# a line holding a chapter number and a short title only: 1 引言, 2项目概述
_CHAPTER_RE = re.compile(
    r"^[ \t\u3000]*(?P<num>[1-9]\d?)(?![.\d])[ \t\u3000]*(?P<title>[\u4e00-\u9fff][^\n。，,；;：:！？!?]{0,29})[ \t\u3000]*$",
    re.M,
)
_LIST_AFTER_RE = re.compile(rf"\s*(?:\d{{1,2}}|[{CN}]{{1,3}})(?:[、，,]|[月年级日号])")
_LIST_START_RE = re.compile(r"(?<=[\u4e00-\u9fff])(?:1[、.]|（[1一]）)(?=[\u4e00-\u9fff])")
_FAMILIES = ("ar", "cn", "lat")  # numeral kinds whose decorations get mixed up (（2） then 3）)
_BULLETS = BULLETS
_ENDS_SENTENCE = set(SENTENCE_ENDS + COLONS + ELLIPSIS + "—" + CLOSING + ".")


@dataclass(slots=True)
class _Cand:
    pos: int  # view offset of the marker
    end: int  # view offset just past the marker (and its trailing spaces)
    style: tuple[str, str]
    ordinal: int
    how: str  # line | broken | runin | glued
    marker_end: int = 0
    heading_line: bool = False  # nothing but the heading on its line (no body after it)


def _match_marker(v: View, src: str, text: str, p: int) -> _Cand | None:
    m = _MARKER_RE.match(text, p)
    if not m:
        return None
    g = m.groupdict()
    mend = m.end()
    if g["month"]:
        mon = re.match(_MON, g["month"])
        assert mon is not None  # the group starts with _MON
        first = mon.group()
        style, n = ("month", ""), parse_ordinal(first) if not first.isdigit() else int(first)
    elif g["week"]:
        wk = re.search(rf"\d{{1,2}}|{_NUM_CN}", g["week"])
        assert wk is not None  # the group holds the week's number
        style, n = ("week", ""), parse_ordinal(wk.group())
    elif g["dinum"]:
        if g["ditype"] in "，、" and m.end() < len(text) and text[m.end()] in CN:
            return None  # 第一、二批
        style, n = ("第", g["ditype"] if g["ditype"] not in "，、" else "，"), parse_ordinal(g["dinum"])
    elif g["pnum"]:
        style, n = (_kind_of_num(g["pnum"]), "（）"), parse_ordinal(g["pnum"])
    elif g["dec"]:
        parts = [int(x) for x in g["dec"].split(".")]
        if max(parts) > 20:
            return None  # 9.30, 12.31: a date, not a section number
        style, n = ("dec", str(len(parts))), parts[-1]
    elif g["cnum"]:
        style, n = ("cn", g["cdeco"]), parse_ordinal(g["cnum"])
    elif g["anum"]:
        style, n = (_kind_of_num(g["anum"]), g["adeco"]), parse_ordinal(g["anum"])
    else:
        # a bare digit is a marker only where the source holds a circled number (NFKC made ①
        # into 1); ⑴ and ⒈ became （1） and 1. and matched above
        s = v.src(m.start())
        if src[s : s + 1] not in CIRCLED:
            return None
        style, n = ("circ", ""), parse_ordinal(src[s])
        # ①3月：… : the marker is the circled number only, not the digits after it
        mend = m.start() + len(unicodedata.normalize("NFKC", src[s]))
    if not n:
        return None
    end = mend
    la = _LIST_AFTER_RE.match(text, end) if style[0] not in ("month", "week") else None
    if la and (
        g["pnum"]
        and la.group()[-1] in "月年级日号"
        or _digit_family(la.group()) != (None if style[0] == "circ" else _digit_family(text[m.start() : end]))
    ):
        la = None  # （二）九月份工作, 2.一、二年级开展……: a list of other numerals is the title's
    if la and _opens_with_date(text, la.end(), n, la.group()):
        la = None  # 1、7月8日-7月14日……: an item that opens with its date
    if la:
        return None  # 1、2、3月 / 一、二年级
    if (
        style[0] in ("ar", "lat")
        and style[1] == "."
        and end < len(text)
        and text[end].isdigit()
        and not _YEAR_AFTER_RE.match(text, end)
        and not _MONTH_RANGE_AFTER_RE.match(text, end)
    ):
        return None  # 1.5万; but 2.2020年……, 11.5-6月份……: an item that opens with a year, months
    if style[0] == "lat" and end < len(text) and text[end].isascii() and text[end].isalpha():
        return None  # an English word, not a letter marker
    while end < len(text) and text[end] in " \t\u3000":
        end += 1
    if (end >= len(text) or text[end] == "\n") and style[0] not in ("month", "week", "第"):
        return None  # a bare number on its own line: page numbers, table cells
    if style[0] not in ("month", "week", "第") and not _LETTER_RE.search(text, end, _line_end(text, end)):
        return None  # 1.5\t36: numbers of a table row, no title
    return _Cand(m.start(), end, style, n, "line", mend)


_LETTER_RE = re.compile(r"[^\W\d_]")
_GLUED_PART_RE = re.compile(rf"(?<![第{CN}])第{_NUM_CN}部分(?=[:：])")


_YEAR_AFTER_RE = re.compile(r"(?:19|20)\d\d(?:年|学年|[-—～~至到/]\s*(?:19|20)?\d\d)")
_MONTH_RANGE_AFTER_RE = re.compile(r"\d{1,2}\s*[-—－~～至到]\s*\d{1,2}\s*月")
_DAY_AFTER_RE = re.compile(r"\s*\d{1,2}\s*[日号]")


def _opens_with_date(text: str, end: int, ordinal: int, listed: str) -> bool:
    """Does the number after a marker open a date (``1、7月8日……``, ``2、3月12日……``) rather than
    continue a list of numbers (``1、2、3月``, ``一、二年级``, ``1、2月份``)?"""
    unit = listed[-1]
    if unit not in "月日号":
        return False
    num = parse_number(listed.strip()[:-1])
    if unit == "月" and _DAY_AFTER_RE.match(text, end):
        return True  # a month and a day: a date
    return num is not None and num != ordinal + 1  # not the next number: not a list


def _digit_family(s: str) -> bool | None:
    """Arabic (True) or Chinese (False) numerals, whichever comes first in ``s``."""
    for ch in s:
        if ch.isascii() and ch.isdigit():
            return True
        if ch in CN:
            return False
    return None


def _kind_of_num(s: str) -> str:
    if s.isdigit():
        return "ar"
    if s.isascii():
        return "lat"
    return "cn"


# -- lexicon --------------------------------------------------------------------------------


@loader
def kinds() -> dict[str, list[str]]:
    """Section kinds: canonical name -> synonyms (the name first), from section_kinds.tsv."""
    text = (resources.files("plantext") / "resources" / "section_kinds.tsv").read_text("utf-8")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        out[cells[0]] = cells
    return out


@loader
def _synonyms() -> tuple[dict[str, str], list[str]]:
    table: dict[str, str] = {}
    for kind, syns in kinds().items():
        for s in syns:
            table.setdefault(s, kind)
    return table, sorted(table, key=len, reverse=True)


@loader
def _title_prefix_re() -> re.Pattern:
    _, by_len = _synonyms()
    return re.compile("|".join(re.escape(s) for s in by_len if len(s) >= 4))


_MONTH_TITLE_RE = re.compile(
    rf"^(?:(?:20|19)?[\dxX×\-]*年)?\s*{_MON}(?:\s*[、—\-～至到]+\s*{_MON})?\s*月份?(?:[上中下]旬)?(?:的?工作)?(?:安排|计划|重点|要点)?$"  # noqa: E501
    rf"|^第\s*(?:\d{{1,2}}|{_NUM_CN})(?:\s*[—\-～至到、]+\s*(?:\d{{1,2}}|{_NUM_CN}))?\s*周$"
)
_STRIP_TITLE = "　 \t：:，,。；;、"


def kind_of(title: str) -> str | None:
    """The section kind of a heading title (simplified or traditional), or None.

    An exact synonym wins; else the longest synonym inside a title of at most 12 characters
    (synonyms of 2 characters only at the end of a title of at most 6); a month or week
    (``二月份``, ``20xx年3-4月``, ``九月份工作``, ``第5周``) is ``时间安排``.
    """
    if not title:
        return None
    t = _norm_title(title)
    table, by_len = _synonyms()
    if t in table:
        return table[t]
    if _MONTH_TITLE_RE.match(t):
        return "时间安排"
    if len(t) > KIND_TITLE_MAX:
        return None
    for s in by_len:
        if len(s) >= 3 and s in t:
            return table[s]
        if len(s) == 2 and len(t) <= 6 and t.endswith(s):
            return table[s]
    return None


def _norm_title(title: str) -> str:
    from .normalize import text_view

    t = title.strip(_STRIP_TITLE)
    if t.isascii():
        return t
    return text_view(t, "norm").text.strip(_STRIP_TITLE)


# -- outline --------------------------------------------------------------------------------


def _candidates(view: View, src: str) -> list[_Cand]:
    text = view.text
    cands: dict[int, _Cand] = {}
    # line starts
    prev_line = ""
    for m in re.finditer(r"[^\n]*", text):
        line = m.group()
        if not line.strip():
            continue
        p = m.start()
        while p < m.end() and (text[p].isspace() or text[p] in _BULLETS or _is_symbol_glyph(text[p])):
            p += 1
        c = _match_marker(view, src, text, p)
        if c:
            last = prev_line.rstrip()
            if len(last) > SPAN_BREAK_MAX and last[-1] not in _ENDS_SENTENCE:
                c.how = "broken"
            cands[c.pos] = c
        prev_line = line
    # a chapter number standing alone on its line, the next numbered line its first section
    # (1 引言 / 1.1 编写目的, numbered as in GB/T 8567): the parent of that N.1
    if "." in text:
        at = sorted(cands)
        for m in _CHAPTER_RE.finditer(text):
            k = bisect_right(at, m.end())  # the next numbered line, after the chapter's own lead-in
            nxt = cands[at[k]] if k < len(at) else None
            if (
                m.start("num") not in cands
                and nxt is not None
                and nxt.style == ("dec", "2")
                and nxt.ordinal == 1
                and text.startswith(m.group("num") + ".", nxt.pos)
            ):
                n = int(m.group("num"))
                cands[m.start("num")] = _Cand(m.start("num"), m.start("title"), ("dec", "1"), n, "line", m.end("num"))
    # inside lines: after a sentence end or a space
    for m in re.finditer(r"(?<=[。！？；：\u3000 \t])(?=[\d（第一二三四五六七八九十a-zA-Z])", text):
        p = m.start()
        q = p
        while q > 0 and text[q - 1] in " \t\u3000":
            q -= 1
        if p in cands or q == 0 or text[q - 1] == "\n":
            continue  # a line start: the first pass saw it
        if text[q - 1] == "年" and q < p:
            continue  # 2016 年 9 月 日: the month of a date
        c = _match_marker(view, src, text, p)
        if c and not _line_start_only(c):
            c.how = "runin"
            cands[c.pos] = c
    # Chinese-numeral headings glued to the text before them, followed by a lexicon title
    lex = _title_prefix_re()
    for m in re.finditer(rf"(?:（[{CN}]{{1,3}}）|[{CN}]{{1,3}}、)(?=(?:{lex.pattern}))", text):
        p = m.start()
        if p not in cands and p > 0 and text[p - 1] not in CN:
            c = _match_marker(view, src, text, p)
            if c:
                c.how = "glued"
                cands[c.pos] = c
    # a part heading with its colon glued to the text before it (……和创造力第三部分:培养内容)
    if "部分" in text:
        for m in _GLUED_PART_RE.finditer(text):
            p = m.start()
            if p not in cands and p > 0 and text[p - 1] != "\n":
                c = _match_marker(view, src, text, p)
                if c:
                    c.how = "glued"
                    cands[c.pos] = c
    # a marker right after a lexicon title that runs into it (二、工作要点1、广泛……)
    for c in sorted(cands.values(), key=lambda c: c.pos):
        lm = lex.match(text, c.end)
        if lm and lm.end() not in cands:
            c2 = _match_marker(view, src, text, lm.end())
            if c2 and not _line_start_only(c2):
                c2.how = "runin"
                cands[c2.pos] = c2
    # a list that starts right after a heading title with no break (二、培训任务1、完成……)
    for c in sorted(cands.values(), key=lambda c: c.pos):
        for m in _LIST_START_RE.finditer(text, c.end, min(c.end + CLAUSE_MAX + 2, len(text))):
            if m.start() not in cands and "\n" not in text[c.end : m.start()]:
                c2 = _match_marker(view, src, text, m.start())
                if c2 and c2.ordinal == 1 and not _line_start_only(c2):
                    c2.how = "runin"
                    cands[c2.pos] = c2
                break
    parts, lists = _appendices(text)
    for c in parts:
        cands[c.pos] = c  # an appendix line is never read as a numbered heading
    toc = sorted(_toc_ranges(text) + lists + _table_rows(text))
    out = sorted((c for c in cands.values() if not _inside(toc, c.pos)), key=lambda c: c.pos)
    out = _drop_options(text, out)
    # page-chunk numbers: a style whose line-start markers mostly follow broken lines
    broken: dict[tuple[str, str], int] = {}
    at_line: dict[tuple[str, str], int] = {}
    for c in out:
        if c.how in ("line", "broken"):
            at_line[c.style] = at_line.get(c.style, 0) + 1
            broken[c.style] = broken.get(c.style, 0) + (c.how == "broken")
    chunky = {s for s, n in broken.items() if n >= 2 and n * 2 >= at_line[s] - 1}
    return [c for c in out if not (c.style in chunky and c.how in ("line", "broken"))]


def _is_symbol_glyph(ch: str) -> bool:
    """A private-use character: a bullet drawn from a symbol font (Wingdings ``\\uf075``)."""
    return unicodedata.category(ch) == "Co"


def _line_start_only(c: _Cand) -> bool:
    """Markers that open an item only at the start of a line: inside a sentence ``一是……二是……``
    and ``①……②……`` enumerate points of that sentence."""
    return c.style[1] == "是" or c.style[0] == "circ"


# -- appendices ------------------------------------------------------------------------------

# 附件 / 附件1 / 附件一： / 附表2 on a line of its own, or 附件3：title
_APPENDIX_RE = re.compile(
    rf"^[ \t\u3000]*(?P<marker>(?:附\s*件|附\s*表|附\s*录)\s*(?P<num>\d{{1,2}}|[{CN}]{{1,3}})?)"
    rf"(?:[ \t\u3000]*[:：]?[ \t\u3000]*$|(?:[ \t\u3000]*[:：]|(?<=[\d{CN}])[ \t\u3000]+)[ \t\u3000]*"
    r"(?P<title>[^\n]*?)[ \t\u3000]*$)",
    re.M,
)
_SIGN_DATE_RE = re.compile(
    rf"^[ \t\u3000]*(?:\d{{4}}|[{CN}]{{4}})\s*年\s*[\d{CN}]{{1,2}}\s*月(?:\s*[\d{CN}]{{1,3}}\s*日)?[ \t\u3000]*$"
)


def _appendices(text: str) -> tuple[list[_Cand], list[tuple[int, int]]]:
    """Appendices (附件): parts of the plan after its main text, each with its own numbering.

    An appendix opens with ``附件``, ``附件2`` or ``附表1`` on a line of its own (GB/T 9704:
    the title follows on the next line), or with ``附件2：title`` when the title is not a
    document named in 《》, the next line does not continue a list of attachments (``2.……``)
    or another ``附件`` line, and no signature date (落款) follows within three lines: those
    name the attachments of a notice (附件说明), they do not open one.

    Second value: view spans of such lists of attachments (``附件：1.……`` and the numbered lines
    under it), which hold no headings either."""
    out: list[_Cand] = []
    lists: list[tuple[int, int]] = []
    ms = list(_APPENDIX_RE.finditer(text))
    for m in ms:
        title = m.group("title")
        nxt = [ln for ln in text[m.end() :].split("\n", 6)[1:6] if ln.strip()][:3]
        if not nxt or _APPENDIX_RE.match(nxt[0]):
            continue  # 附件1：\n附件2：: names of attachments (links), not their text
        numbered = re.compile(r"[ \t\u3000]*(?:\d{1,2}[.、．]|（\d{1,2}）)")
        if (
            title
            and re.match(r"\d{1,2}[.、．]|（\d", title)
            or not title
            and len(nxt) > 1
            and (re.match(r"\s*(?:1[.、．]|（1）)", nxt[0]) and re.match(r"\s*(?:2[.、．]|（2）)", nxt[1]))
        ):
            end = _line_end(text, m.start())  # 附件：1.……\n2.……, or 附件：\n1.……\n2.……
            while end + 1 < len(text) and numbered.match(text, end + 1):
                end = _line_end(text, end + 1)
            lists.append((m.start(), end))
            continue
        if title:
            if title.startswith("《") or len(title) > TITLE_MAX + 10:
                continue
            if numbered.match(nxt[0]) or any(_SIGN_DATE_RE.match(ln) for ln in nxt):
                continue
        num = m.group("num")
        n = parse_ordinal(num) if num else 1
        if not n:
            continue
        c = _Cand(m.start("marker"), m.start("title") if title else m.end(), ("附件", ""), n, "line", m.end("marker"))
        out.append(c)
    return out, lists


# -- tables of contents ------------------------------------------------------------------------

# a contents entry ends in its page number after dot leaders, a tab or a run of spaces
_TOC_ENTRY_RE = re.compile(
    r"(?P<lead>[.．…·・‥_\-—─]{2,}|…|\t|[ \u3000]{2,}|(?<=\S) )\s*"
    r"(?:第\s*)?(?P<page>\d{1,3}|[ivxlIVXL]{1,5})\s*页?\s*$"
)
_TOC_HEAD_RE = re.compile(r"^\s*(?:目\s*录|目\s*次|contents|table of contents)\s*[:：]?\s*$", re.I)
TOC_MAX_LINES = 120


def _toc_ranges(text: str) -> list[tuple[int, int]]:
    """View spans of table-of-contents lines: entries with dot leaders and a page number, runs
    of two or more lines that end in a page number after a tab or spaces, and the lines under a
    ``目录`` heading that end in a page number or come back later in the text as a line."""
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]*", text) if m.group().strip()]
    toc: list[tuple[int, int]] = []
    entry = [_TOC_ENTRY_RE.search(line) for _, _, line in lines]
    for i, (s, e, line) in enumerate(lines):
        m = entry[i]
        if not m or len(line.strip()) < 3 or not re.search(r"[\u4e00-\u9fffA-Za-z]", line):
            continue
        lead = m.group("lead")
        dotted = lead.strip() and lead.strip() != "\t"
        near = (i > 0 and entry[i - 1]) or (i + 1 < len(lines) and entry[i + 1])
        if dotted or (near and lead != " "):
            toc.append((s, e))
    for i, (s, e, line) in enumerate(lines):
        if not _TOC_HEAD_RE.match(line):
            continue
        toc.append((s, e))
        for j in range(i + 1, min(len(lines), i + 1 + TOC_MAX_LINES)):
            s2, e2, line2 = lines[j]
            ej = entry[j]
            body = (line2[: ej.start()] if ej else line2).strip()
            later = len(body) >= 2 and re.compile(r"\n[ \t\u3000]*" + re.escape(body[:20])).search(text, e2)
            if not (ej or later):
                break
            toc.append((s2, e2))
    toc += _outline_lists(text, lines)
    return sorted(set(toc))


# a line of a contents list printed without page numbers: a short numbered heading, no sentence
_LIST_ENTRY_RE = re.compile(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十\d]{1,3}[章节節部篇]"
    r"|\d{1,2}(?:\.\d{1,2}){0,2}[、.．]?(?=[^\d.．])|[（(][一二三四五六七八九十\d]{1,3}[）)])"
)
_LIST_SENTENCE_RE = re.compile("[。，,；;！!？?：:]")
LIST_MIN_LINES = 6


def _outline_lists(text: str, lines: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Contents printed without page numbers (a document-sharing page's 文档简介, a plan's own
    outline before its text): a run of six or more numbered heading lines with no text between
    them, whose first entry comes back later in the text, where the document itself begins."""
    out: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []
    for k in range(len(lines) + 1):
        line = lines[k] if k < len(lines) else None
        if line is not None:
            t = line[2].strip()
            if len(t) <= 40 and _LIST_ENTRY_RE.match(t) and not _LIST_SENTENCE_RE.search(t):
                run.append(line)
                continue
        if len(run) >= LIST_MIN_LINES:
            # the document begins again at the first entry: within the run (its first headings
            # follow the list with no text between) or after it
            first = run[0][2].strip()[:12]
            again = next((i for i in range(1, len(run)) if run[i][2].strip().startswith(first)), None)
            if again is not None and again >= LIST_MIN_LINES:
                out.extend((a, b) for a, b, _ in run[:again])
            elif again is None and text.find(first, run[-1][1]) >= 0:
                out.extend((a, b) for a, b, _ in run)
        run = []
    return out


TABLE_CELLS_MIN = 3  # a line of this many tab-separated cells is a table row


def _table_rows(text: str) -> list[tuple[int, int]]:
    """View spans of table rows (every reader joins a row's cells with tabs): lines of three
    or more non-empty cells. A numbered first cell (``第一部分``, ``1``) numbers the row, it is
    not a heading (``一、\t指导思想``, a marker and its title in two cells, is one)."""
    out = []
    for m in re.finditer(r"(?m)^[^\n\t]*\t[^\n]*", text):  # anchored: linear on a long line without tabs
        if sum(1 for cell in m.group().split("\t") if cell.strip()) >= TABLE_CELLS_MIN:
            out.append((m.start(), m.end()))
    return out


def _inside(ranges: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(ranges, (pos, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


# -- questionnaire options ---------------------------------------------------------------------

OPTION_MAX = 25  # an answer option is short
_QUESTION_END_RE = re.compile(r"(?:[？?]|[（(]\s*[)）]|_{2,}|[：:])\s*$")


def _drop_options(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Drop the answer options of a questionnaire (``A.满意 B.一般 C.不满意``): a run of letter
    markers from A whose items are short phrases, either several on one line or under a line
    that asks (ends in ？, a blank ``（ ）`` / ``___`` or a colon)."""
    drop: set[int] = set()
    i = 0
    while i < len(cands):
        c = cands[i]
        if c.style[0] != "lat" or c.ordinal != 1:
            i += 1
            continue
        j = i + 1
        while j < len(cands) and cands[j].style[0] == "lat" and cands[j].ordinal == cands[j - 1].ordinal + 1:
            j += 1
        run = cands[i:j]
        ends = [cands[k + 1].pos if k + 1 < len(cands) else len(text) for k in range(i, j)]
        items = [text[r.end : min(e, _line_end(text, r.end))].strip() for r, e in zip(run, ends)]
        short = all(len(t) <= OPTION_MAX and not any(ch in t for ch in "。；;") for t in items)
        same_line = len(run) >= 2 and any("\n" not in text[a.pos : b.pos] for a, b in zip(run, run[1:]))
        ls = text.rfind("\n", 0, c.pos)
        before = text[text.rfind("\n", 0, ls) + 1 : ls] if ls > 0 else ""
        own_line_head = text[ls + 1 : c.pos].strip()  # a question on the option's own line
        asks = bool(_QUESTION_END_RE.search(own_line_head) if own_line_head else _QUESTION_END_RE.search(before))
        if len(run) >= 2 and short and (same_line or asks):
            drop.update(r.pos for r in run)
        i = j
    return [c for c in cands if c.pos not in drop]


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return nl if nl >= 0 else len(text)


def _heading_parts(plan: Plan) -> list[tuple[int, int]]:
    """Spans of the parts a format marks as headings (docx Heading n), sorted."""
    return sorted((p.start, p.end) for p in plan.source.parts if p.level)


def _hinted(parts: list[tuple[int, int]], src: str, pos: int) -> bool:
    """Does a heading part start at this source offset (leading spaces aside)?"""
    i = bisect_right(parts, (pos, float("inf"))) - 1
    return i >= 0 and parts[i][0] <= pos < parts[i][1] and not src[parts[i][0] : pos].strip()


def outline(plan: Plan) -> list[Section]:
    """The plan's heading outline: flat, in document order, ``depth`` from 1, ``parent`` an
    index into the list (None at the top). See the module notes for the rules."""
    from .guard import require_plan

    require_plan(plan, "plantext.outline")
    view = plan.view("norm")
    text, src = view.text, plan.source.text
    # the plan's title line is not a heading of its own outline
    cands = [c for c in _candidates(view, src) if not plan.title_start <= view.src(c.pos) < plan.title_end]
    glued = _after_glued_title(plan, view)
    if glued is not None and all(c.pos != glued.pos for c in cands):
        cands = sorted([*cands, glued], key=lambda c: c.pos)
    before_title = [c for c in cands if c.style[0] == "附件" and view.src(c.pos) < plan.title_start]
    cands = [c for c in cands if c not in before_title]  # 附件2 above the title labels the document
    hints = _heading_parts(plan)
    while True:
        kept, resumed = _tree(cands, text, src, view, hints)
        if not resumed:
            break
        cands = [c for c in cands if c.pos not in resumed]

    nodes: list[Section] = []
    starts = [c.pos for c, _, _ in kept]
    flat = _flattened(text, [c for c, _, _ in kept])
    for i, (c, depth, parent) in enumerate(kept):
        nxt = starts[i + 1] if i + 1 < len(starts) else len(text)
        ts, te = _title(text, c, nxt, flat)
        start = view.src(c.pos)
        ms, me = view.span(c.pos, c.marker_end)
        tss, tse = view.span(ts, te) if te > ts else (-1, -1)
        title = text[ts:te]
        kind = "时间安排" if c.style[0] in ("month", "week") else APPENDIX if c.style[0] == "附件" else kind_of(title)
        nodes.append(Section(depth, src[ms:me], c.ordinal, title, kind, start, plan.end, tss, tse, parent))
    open_: list[Section] = []  # nodes whose end is not known yet, deepest last
    for n in nodes:
        while open_ and open_[-1].depth >= n.depth:
            open_.pop().end = n.start
        open_.append(n)
    return nodes


def _after_glued_title(plan: Plan, view: View) -> _Cand | None:
    """A heading that runs on after the plan's title on the title's own line (a template page
    that lost the break after "工作计划 篇1": "……篇1一、区域游戏的意义"): read as at a line start."""
    src, te = plan.source.text, plan.title_end
    if te <= plan.title_start or te >= len(src) or src[te] in "\r\n" or src[te - 1] == "\n":
        return None
    text = view.text
    lo, hi = 0, len(text)  # the first view position at or after the title's end
    while lo < hi:
        mid = (lo + hi) // 2
        if view.src(mid) < te:
            lo = mid + 1
        else:
            hi = mid
    p = lo
    while p < len(text) and text[p] in " \t\u3000":
        p += 1
    return _match_marker(view, src, text, p) if p < len(text) else None


def _tree(
    cands: list[_Cand], text: str, src: str, view: View, hints: list[tuple[int, int]]
) -> tuple[list[tuple[_Cand, int, int | None]], set[int]]:
    """Depths and parents of the candidates kept as headings: ``[(cand, depth, parent)]``.

    Second value: the positions of appendix candidates to drop because the main text resumes
    after them (an inline attachment: ``附件1`` then ``（六）`` continuing the main text's
    ``（五）``, numbered by none of the appendix's styles)."""
    stack: list[list] = []  # [style, last ordinal, node index]
    kept: list[tuple[_Cand, int, int | None]] = []  # cand, depth, parent
    seen: dict[tuple[str, str], int] = {}  # last ordinal of each style anywhere
    main: list[list] | None = None  # the main text's stack while inside appendices
    appendices: list[int] = []  # positions of the appendices since the main text
    for c in cands:
        if c.style[0] == "附件":  # a part of its own: its numbering starts afresh
            if main is None:
                main = [list(x) for x in stack]
            appendices.append(c.pos)
            stack = [[c.style, c.ordinal, len(kept)]]
            seen = {c.style: c.ordinal}
            c.heading_line = True
            kept.append((c, 1, None))
            continue
        strong = c.how == "line" or (hints and _hinted(hints, src, view.src(c.pos)))
        k = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == c.style), None)
        if k is None and c.style[0] in _FAMILIES:  # other decoration, continuing the sequence
            k = next(
                (
                    i
                    for i in range(len(stack) - 1, -1, -1)
                    if stack[i][0][0] == c.style[0] and stack[i][1] + 1 == c.ordinal and c.ordinal > 1
                ),
                None,
            )
        if (
            k is not None
            and k < len(stack) - 1
            and c.ordinal == 1
            and stack[k][1] != 0
            and not (k == 0 and c.style == ("cn", "、") and c.how == "line")
        ):
            k = None  # a list restarting at 1 under a deeper node is a new list there
            # (but the outline's top level 一、 starting again opens a new part at the top)
        if (
            main
            and c.how == "line"
            and c.ordinal > 1
            and (k is None or stack[k][1] + 1 != c.ordinal)
            and any(x[0] == c.style and x[1] + 1 == c.ordinal for x in main)
        ):
            return kept, set(appendices)  # the main text goes on: those were not parts
        if k is not None:
            last = stack[k][1]
            ok = c.ordinal != last if c.style[0] in ("month", "week") else c.ordinal == last + 1
            if not ok and not strong:
                continue
            if c.how == "glued" and not ok:
                continue
            del stack[k + 1 :]
            depth = k + 1
        else:
            # a new style starts at 1, or continues its numbering from an earlier parent
            # (第三条 under 第二章; items numbered through several subsections)
            ok = c.ordinal in (1, seen.get(c.style, 0) + 1) or c.style[0] in ("month", "week")
            if not ok and (not strong or c.how == "glued"):
                continue
            if c.style[0] in ("month", "week"):
                # a calendar heading is not part of a numbered item that has a body on its line
                while stack and not kept[stack[-1][2]][0].heading_line:
                    stack.pop()
            depth = len(stack) + 1
            stack.append([c.style, 0, -1])
        c.heading_line = _heading_line(text, c)
        parent = stack[depth - 2][2] if depth > 1 else None
        stack[depth - 1][1] = seen[c.style] = c.ordinal
        stack[depth - 1][2] = len(kept)
        kept.append((c, depth, parent))
    return kept, set()


_SENT_END = SENTENCE_ENDS
_SENT_END_OR_COLON = re.compile(char_class(SENTENCE_ENDS + "："))


def _title(text: str, c: _Cand, nxt: int, flat: bool = False) -> tuple[int, int]:
    """View span of the title of the heading at ``c`` (the body may follow on the same line)."""
    if c.style[0] == "附件":  # 附件2：title, or the title on the next line
        s = c.end if c.end < _line_end(text, c.pos) else _line_end(text, c.pos)
        while s < nxt and text[s].isspace():
            s += 1
        e = min(_line_end(text, s), nxt)
        return (s, e) if e - s <= TITLE_MAX + 10 else (s, s)
    if c.style[0] in ("month", "week"):
        s = c.pos
        e = c.marker_end
        return s, e
    s = c.end
    while s < nxt and text[s] in ":：" and c.style[0] == "第":
        s += 1  # 第一部分：背景介绍
    nl = text.find("\n", s)
    e = min(nl if nl >= 0 else len(text), nxt)
    head_row = text.find("序号", s + 2, e)  # a flattened table runs into its heading: 项目安排序号项目名称
    if head_row > 0:
        e = head_row
    label = text.find("【", s + 2, e)  # 培养目标【整体目标】……: a bracketed label opens what follows
    if 0 < label - s <= TITLE_MAX:
        e = label
    seg = text[s:e]
    if not seg.strip():
        return s, s

    def trimmed(a: int, b: int) -> tuple[int, int]:
        while b > a and text[b - 1] in _STRIP_TITLE + _SENT_END:
            b -= 1
        while a < b and text[a] in _STRIP_TITLE:
            a += 1
        return a, b

    colon = seg.find("：")
    head = seg[:colon] if colon > 0 else seg.rstrip()
    if len(head) <= TITLE_MAX and not any(ch in head for ch in _SENT_END):
        return trimmed(s, s + len(head))
    lm = _title_prefix_re().match(text, s)
    if lm and lm.end() <= e:
        return s, lm.end()
    if flat and c.how != "line":
        b = _flat_title_end(text, s, min(e, s + TITLE_MAX + 8))
        if b:
            return trimmed(s, b)
    m = re.search(_SENT_END_OR_COLON, seg)
    if m and m.start() <= TITLE_MAX:
        return trimmed(s, s + m.start())
    m = re.search(r"[，,]", seg)
    if m and m.start() <= CLAUSE_MAX:
        return trimmed(s, s + m.start())
    b = _flat_title_end(text, s, min(e, s + TITLE_MAX + 8), verbs=False)
    if b:
        return trimmed(s, b)
    # cut back to a word boundary within the first CLAUSE_MAX characters
    from .segment import tokens

    b = s
    for _w, _ws, we in tokens(text[s : s + CLAUSE_MAX + 12]):
        if we > CLAUSE_MAX:
            break
        b = s + we
    b = b if b > s else s + CLAUSE_MAX
    cut = _before_unclosed(text, s, b)
    return trimmed(s, cut if cut - s >= 4 else b)


# Flattened text: where the heading phrase (verb + object, ending in a noun) meets a body that
# opens with a verb, preposition, pronoun, adverb, time word or a place (县/区/市 ...).
_NOUNISH = {"n", "vn", "nz", "nt", "nr", "ns", "nrt", "l", "i", "j", "ng", "an"}
_OPENS_BODY = {"v", "p", "r", "t", "d", "ad", "zg"}
# 组织教师参加……: after these the second verb belongs to the heading (pivot constructions)
_PIVOT_VERBS = {
    "组织",
    "鼓励",
    "要求",
    "引导",
    "指导",
    "带领",
    "安排",
    "推动",
    "帮助",
    "支持",
    "动员",
    "督促",
    "选派",
    "推荐",
    "号召",
    "邀请",
    "聘请",
    "让",
    "使",
    "请",
}
# verbs that end heading phrases as their object (计划安排, 工作部署)
_HEAD_FINAL = {"安排", "部署", "要求", "计划", "规划", "设计", "管理", "评价", "考核", "培训", "研修", "建设"}
_BODY_WORDS = {
    "全年",
    "今年",
    "本年",
    "本年度",
    "本学期",
    "本学年",
    "县",
    "区",
    "市",
    "镇",
    "我县",
    "我区",
    "我市",
    "我镇",
    "我校",
    "我园",
    "各校",
    "全县",
    "全区",
    "全镇",
    "全园",  # noqa: E501
    "全市",
    "全校",
    "学校",
}


def _pos_tokenizer() -> POSTokenizer:
    from .segment import pos_tokenizer

    return pos_tokenizer()


def _flat_title_end(text: str, s: int, e: int, verbs: bool = True) -> int | None:
    """End of a heading phrase that runs straight into its body (``实施名师工程为促进……``)."""
    m = re.search(r"[，。；：！？]", text[s:e])
    words = list(_pos_tokenizer().cut(text[s : s + m.start()] if m else text[s:e]))
    lead = 0  # a heading phrase opens with its verb, maybe after adverbs (不断优化, 有效开展)
    while lead < len(words) - 1 and (
        words[lead].flag in ("d", "ad") or (words[lead].flag == "a" and words[lead + 1].flag == "v")
    ):
        lead += 1
    if lead == len(words) or words[lead].flag[0] in "mtrxupcf":
        return None
    # a noun-phrase heading (新教师入职培训对……) has no verb to find; only a preposition,
    # pronoun, adverb or time word opens its body
    verb = noun_lead = words[lead].flag[0] == "n"
    nominal = verbs and noun_lead  # 骨干教师能力提升|遴选县级…: a verb with its object opens the body
    verbs = verbs and not noun_lead
    pos = 0
    pivot = False  # ``verb``: the phrase so far has a predicate; ``pivot``: 组织 X 参加 Y
    for i in range(len(words) - 1):
        w, flag = words[i]
        if (
            nominal
            and flag == "v"
            and i > lead
            and 4 <= pos <= TITLE_MAX
            and words[i - 1].flag in _NOUNISH | {"v"}
            and words[i + 1].flag in _NOUNISH | {"b"}
            and (
                words[i - 1].flag == "v"  # 能力提升|选派…: the heading's own verb came first
                or not (i + 2 < len(words) and words[i + 2].flag == "v")
            )
        ):  # 成长计划|遴选: V N a noun
            return s + pos
        pos += len(w)
        if (flag in ("v", "l") and not (verb and w in _HEAD_FINAL)) or i == lead:
            if not verb:
                pivot = w in _PIVOT_VERBS
            verb = True
            continue
        if (flag not in _NOUNISH and w not in _HEAD_FINAL) or not verb:
            continue
        if pos < 4 or pos > TITLE_MAX:
            continue
        nw, nflag = words[i + 1]
        if i + 2 < len(words) and words[i + 2].flag == "c":
            continue  # 跟踪回访和训前调研: a coordinate phrase goes on
        if nflag == "v" and (pivot or not verbs):
            continue
        if (
            (nflag in _OPENS_BODY and nw not in _HEAD_FINAL)
            or (nw in _BODY_WORDS and not noun_lead)
            or (nw == "重点" and i + 2 < len(words) and words[i + 2].flag == "v")
        ):
            return s + pos
    return None


_OPEN_CLOSE = {"（": "）", "《": "》", "“": "”", "‘": "’", "【": "】", "「": "」", "『": "』", "〔": "〕"}


def _before_unclosed(text: str, s: int, e: int) -> int:
    """``e``, or the position of the first bracket or quote opened in ``text[s:e]`` and not
    closed there (a title cut inside 《……》 reads badly)."""
    stack: list[int] = []
    for i in range(s, e):
        ch = text[i]
        if ch in _OPEN_CLOSE:
            stack.append(i)
        elif stack and ch == _OPEN_CLOSE.get(text[stack[-1]]):
            stack.pop()
    return stack[0] if stack else e


def _flattened(text: str, cands: list[_Cand]) -> bool:
    """Was the layout lost (a line holding headings of two styles: ``二、工作要点1、……``)?"""
    styles: dict[int, set] = {}
    line = prev = 0
    for c in cands:  # in document order
        line += text.count("\n", prev, c.pos)
        prev = c.pos
        styles.setdefault(line, set()).add(c.style)
    return any(len(v) > 1 for v in styles.values())


def _heading_line(text: str, c: _Cand) -> bool:
    nl = text.find("\n", c.end)
    rest = text[c.end : nl if nl >= 0 else len(text)].rstrip().rstrip("：:")
    return len(rest) <= TITLE_MAX and not any(ch in rest for ch in _SENT_END)


def section_at(nodes: list[Section], offset: int) -> Section | None:
    """The deepest node whose span holds the source ``offset`` (None before the first)."""
    i: int | None = bisect_right([n.start for n in nodes], offset) - 1
    while i is not None and i >= 0:
        n = nodes[i]
        if n.start <= offset < n.end:
            return n
        i = n.parent
    return None


# -- plantext run ---------------------------------------------------------------------------


def to_rows(plans: Sequence[Plan], trees: dict[str, list[Section]]) -> list[dict[str, Any]]:
    """The JSON contract of ``plantext outline``."""
    return [
        {
            "id": p.id,
            "source": p.source.path,
            "plan": p.plan,
            "title": p.title,
            "nodes": [n.to_dict() for n in trees[p.id]],
        }
        for p in plans
    ]
