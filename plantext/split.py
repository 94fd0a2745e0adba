"""Splitting a source (often a template-site page holding many plans) into plans.

Plan headers, tried in this order (the first style found wins):

1. ``篇`` headers: ``标题 篇1``, ``标题篇一``, ``【篇二】``, ``篇三：标题``, ``第4篇``, ``【范文5】标题``;
2. a title repeated with a trailing number: ``工作计划1`` ``工作计划2`` ... (numbers 1, 2, 3 in
   order, same stem);
3. stand-alone title lines: a title repeated, each time over a body (``小学校本教研制度`` ×3),
   or on a ``（精选3篇）`` page, distinct titles that name a document over bodies of their own.

A ``(精选18篇)`` line is the page title, not a plan. Text before the first header is the page
header (title, blurb, chrome) unless it holds a body of its own, then it is a plan titled by
the page title. The trailing chrome block (``source.meta["footer_start"]``) is outside every
plan. A source with no header is one plan: its title is the title line just above the body,
or the page title when chrome stands between them.
"""

from __future__ import annotations

__all__ = ["plan_words", "split", "truncated"]

import bisect
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import titles
from .chars import BLANKS, SENTENCE_ENDS, char_class
from .clean import (
    MARKER_RE,
    TERMINAL,
    Chars,
    Dropped,
    ScriptCounts,
    clean_with_kinds,
    drop_spans,
)
from .lexicons import loader
from .model import Plan, Source
from .numerals import parse_number

_NUM = r"[0-9０-９]{1,3}|[一二三四五六七八九十百〇零两]{1,4}"
_CORE = rf"(?:(?:篇|范文|範文)\s*(?:{_NUM})|第\s*(?:{_NUM})\s*篇)"
_MARK = rf"(?:[【\[［(（〔]\s*)?{_CORE}(?:\s*[】\]］)）〕])?"
# "标题 篇1", "标题篇一", "【篇二】", "篇三：标题", "【范文四】标题", "第5篇 标题"
_PIAN_RE = re.compile(
    rf"(?m)^[ \t\u3000]*(?P<line>[^\n]{{0,60}}?[ \t\u3000]*{_MARK}"
    rf"|{_MARK}[ \t\u3000:：、.．]+[^\n]{{1,60}}?"
    rf"|[【\[［(（〔]\s*{_CORE}\s*[】\]］)）〕][^\n]{{1,60}}?)[ \t\r\u3000]*$"
)
_PIAN_KEY_RE = re.compile("篇|范文|範文")
_PIAN_MARK_RE = re.compile(rf"[ \t\u3000]*{_MARK}[ \t\u3000]*$")
# a title line ending in a number: "学校教师发展中心工作计划2"
_STEM_KEY_RE = re.compile(r"[0-9][0-9]?[ \t\u3000]*\r?$", re.M)
# a line that ends in the name of a document: "…教师培训工作计划", "…实施方案（讨论稿）"
_DOC_END_RE = re.compile(
    r"(?:计划|計劃|計畫|计画|方案|规划|規劃|制度|要点|要點|办法|辦法|细则|細則|总结|總結|纲要|綱要|意见|意見)"
    r"(?:\s*[（(][^（()）\n]{1,8}[)）])?$"
)
# the words _DOC_END_RE ends with, anywhere in a line (the lines worth trying it on)
_DOC_WORD_RE = re.compile(
    "计划|計劃|計畫|计画|方案|规划|規劃|制度|要点|要點|办法|辦法|细则|細則|总结|總結|纲要|綱要|意见|意見"
)
# the page title of a collection: "工作计划（精选18篇）"
_COLLECTION_RE = re.compile(r"[(（【\[](?:[^\n()（）]{0,6}?)\d{1,3}\s*篇[)）】\]]")
_STEM_RE = re.compile(
    r"(?m)^[ \t\u3000]*(?P<line>(?P<stem>[^\n]{2,60}?[\u4e00-\u9fff）)】])[ \t\u3000]*(?P<num>\d{1,2}))[ \t\r\u3000]*$"
)
# a stand-alone short line without sentence punctuation (a title candidate)
_TITLE_LINE_RE = re.compile(r"(?m)^[ \t\u3000]*(?P<line>[^\n\r。，,；;！!？?：:]{2,50}?)[ \t\r\u3000]*$")
_BLANKS = BLANKS
# the "-(1)" that a saved copy of a file adds to the name a sharing site shows as the title
_COPY_SUFFIX_RE = re.compile(r"\s*[-_ ]\s*[(（]\d{1,2}[)）]$")
_MIN_BODY = 150  # characters of kept, non-title text that make a page header a plan of its own
_LINE_RE = re.compile(r"[^\n]+")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


@loader
def plan_words() -> re.Pattern:
    """Words that name a document as a plan (resources/plan_title_words.txt)."""
    text = resources.files("plantext.resources").joinpath("plan_title_words.txt").read_text("utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return re.compile("|".join(map(re.escape, words)))


@loader
def collection_words() -> re.Pattern:
    """Words a collection page's title adds to the name of its documents, at its end
    (resources/collection_words.txt): 范文, 模板, 汇编 ... any run of them."""
    text = resources.files("plantext.resources").joinpath("collection_words.txt").read_text("utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return re.compile("(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")+$")


def split(source: Source) -> list[Plan]:
    """The plans in a source, in document order, with ids per DESIGN.md. The plans point to the
    cleaned source (``clean(source)``; ``source`` itself when it was cleaned already)."""
    if not isinstance(source, Source):
        from .guard import require_source

        require_source(source, "plantext.split")
    source, chars = clean_with_kinds(source)
    text = source.text
    dropped = Dropped(drop_spans(source.noise))
    body_end = source.meta.get("footer_start", len(text))
    page_title = _page_title(text, body_end, dropped)
    if page_title:
        source.meta.setdefault("title", page_title[2])
    pages = sorted(p.start for p in source.parts if p.kind == "page")
    rows = _RowIndex(source)
    heads = _headers(text, body_end, dropped, rows, pages)
    plans: list[Plan] = []
    if heads:
        # above a document that follows a closing: the document that closed (a short 印发通知)
        closed = heads[0][5:] == ("closed",)
        pre = _untitled(source, 0, heads[0][0], dropped, page_title, force=closed, rows=rows)
        if pre is not None:
            if pre.title_start < 0:
                pre.title = _own_part(pre.title, [h[2] for h in heads])
            plans.append(pre)
        bounds = [h[0] for h in heads[1:]] + [body_end]
        for (s, e, title, *ts), stop in zip(heads, bounds):
            end = dropped.last_kept(e, stop, text)
            t0 = ts[0] if ts else s  # a 附件 label above the title: the plan starts at the label
            plans.append(
                Plan(id="", source=source, plan=0, title=title, start=s, end=max(end, e), title_start=t0, title_end=e)
            )
        if any(h[4:5] == ("doc",) for h in heads):  # one file's documents: not copies of each other
            for p in plans:
                p.doc = source.path
    else:
        one = _untitled(source, 0, body_end, dropped, page_title, force=True, rows=rows) or _only_line(
            source, body_end, dropped
        )
        if one is not None:
            plans.append(one)
    return _finish(source, plans, chars, dropped)


def _finish(
    source: Source, plans: list[Plan], chars: Chars | None = None, dropped: Dropped | None = None
) -> list[Plan]:
    script = ScriptCounts(source.text, chars) if len(plans) > 1 else None
    ocr = {f for f in source.flags if f.startswith("ocr")}  # text read by OCR (its confidence: meta["ocr"])
    starts = [s.start for s in source.noise]  # (sorted when cleaning made them)
    ordered = starts == sorted(starts)
    reach = list(itertools.accumulate([s.end for s in source.noise], max))
    titles: dict[str, int] = {}
    for p in plans:
        titles[p.title] = titles.get(p.title, 0) + 1
    for i, p in enumerate(plans, 1):
        p.plan = i
        p.id = source.path if len(plans) == 1 else f"{source.path}#{i}"
        # the spans overlapping the plan, in the source's order: those starting before its end,
        # past the last one whose prefix of spans all ends before its start
        lo, hi = (bisect.bisect_right(reach, p.start), bisect.bisect_left(starts, p.end)) if ordered else (0, None)
        p.noise = [s for s in source.noise[lo:hi] if s.end > p.start]
        flags = {s.kind for s in p.noise}
        if (
            "traditional-script" in source.flags
            if len(plans) == 1
            else script.looks_traditional(p.start, min(p.end, p.start + 3000))
        ):
            flags.add("traditional-script")
        if titles.get(p.title, 0) > 1 and p.title:
            flags.add("duplicate-title")
        if truncated(p, dropped) or ("truncated" in source.flags and i == len(plans)):
            flags.add("truncated")
        flags |= ocr
        p.flags = sorted(flags | set(p.flags))
    return plans


# -- headers ----------------------------------------------------------------------------------


def _collection(text: str, end: int) -> re.Match | None:
    """``_COLLECTION_RE.search(text, 0, end)``, skipped with a fast search when ``text[:end]``
    holds no 篇 (which every match has)."""
    return _COLLECTION_RE.search(text, 0, end) if text.find("篇", 0, end) >= 0 else None


def _kept_line(dropped: Dropped, s: int, e: int) -> bool:
    return dropped.at(s) is None and dropped.at(max(s, e - 1)) is None


def _headers(text: str, body_end: int, dropped: Dropped, rows: _RowIndex, pages: list[int] = ()) -> list[tuple]:
    """(line start, line end, title) of each plan header, by the first style that occurs."""
    heads = [
        (m.start("line"), m.end("line"), m.group("line"))
        for m in _candidate_lines(_PIAN_RE, _PIAN_KEY_RE, text, body_end, maybe=_pian_maybe)
        if _kept_line(dropped, m.start("line"), m.end("line"))
    ]
    heads = [_own_header(h) for h in heads if not MARKER_RE.match(h[2]) or "篇" in h[2][:4]]
    # long 规划 use "第一篇 总体要求" as part headings: on a page that is no collection, a 第N篇
    # line heads a plan only when it names a plan
    collection = _collection(text, body_end)
    if not collection:
        heads = [h for h in heads if not h[2].startswith("第") or plan_words().search(h[2])]
    if heads:
        return heads
    heads = _numbered_stems(text, body_end, dropped)
    if heads:
        return heads
    heads = _collection_stems(text, body_end, dropped)
    if heads:
        return heads
    heads = _attachments(text, body_end, dropped, rows) or _paged_documents(text, body_end, dropped, rows, pages)
    if heads:
        return [(*h[:3], h[3] if len(h) > 3 else h[0], "doc") for h in heads]
    heads = _closed_documents(text, body_end, dropped, rows)
    if heads:
        return [(*h[:4], "doc", "closed") for h in heads]
    return _title_lines(text, body_end, dropped, collection, rows)


_ATTACH_LABEL_RE = re.compile(
    r"[ \t\u3000]*(?:附件|附表)[ \t\u3000]*[0-9０-９一二三四五六七八九十]{0,3}[ \t\u3000]*[:：]?"
)
_RESTART_RE = re.compile(r"[ \t\u3000]*(?:一[、.．]|第一[章部分节條条]|[(（]一[)）]|1[、.．](?!\d)|[ⅠI][.．、])")


def _kept_lines(text: str, start: int, end: int, dropped: Dropped, rows: _RowIndex):
    """(start, end, stripped text) of the kept, non-blank lines of ``text[start:end]`` that are
    no table row."""
    for m in _LINE_RE.finditer(text, start, end):
        line = m.group().strip(_BLANKS)
        if not line or dropped.covers(m.start(), m.end(), text):
            continue
        ls = m.start() + m.group().index(line[0])
        if not rows.inside(ls):
            yield ls, ls + len(line), line


def _attachments(text: str, body_end: int, dropped: Dropped, rows: _RowIndex) -> list[tuple]:
    """A file that is only attachments (it opens with ``附件2``, no main document above): each
    附件 label over a title line of its own heads a document. Under a main document, 附件 are
    part of it (a 要点's task table, a plan's schedule)."""
    first = next(_kept_lines(text, 0, body_end, dropped, rows), None)
    if first is None or not _ATTACH_LABEL_RE.match(first[2]):
        return []  # (the common case: decided on the first line, without listing them all)
    lines = list(_kept_lines(text, 0, body_end, dropped, rows))
    heads = []
    for i, (s, e, line) in enumerate(lines):
        m = _ATTACH_LABEL_RE.match(line)
        if not m:
            continue
        rest = line[m.end() :].strip(_BLANKS)
        if rest and _is_title_line(rest) and titles.names_document(rest):
            heads.append((s, e, rest, s + line.index(rest)))
        elif not rest and i + 1 < len(lines):
            ts, te, title = lines[i + 1]
            if _is_title_line(title) and titles.names_document(title) and titles.line_kind(title) is None:
                heads.append((s, te, title, ts))
    return heads if len(heads) >= 2 and heads[0][0] == lines[0][0] else []


def _paged_documents(text: str, body_end: int, dropped: Dropped, rows: _RowIndex, pages: list[int]) -> list[tuple]:
    """Documents bound in one paged file (a book of 培养方案, a 申报书 then a 策划书): a page whose
    first kept line is a title naming a document, followed within four lines by the start of
    its numbering (一、, 第一章, 1.) after a cover line or two (（四年制）, 专业负责人：…), begins a
    document when the text before it holds a body under another title. Running headers are
    page furniture and dropped; a title repeated on a cover and over the body is one document."""
    if len(pages) < 2:
        return []
    firsts = []
    for k, p0 in enumerate(pages):
        p1 = pages[k + 1] if k + 1 < len(pages) else body_end
        head = list(itertools.islice(_kept_lines(text, p0, min(p1, body_end), dropped, rows), 5))
        if not head:
            continue
        s, e, line = head[0]
        if not (_is_title_line(line) and titles.names_document(line) and titles.line_kind(line) is None):
            continue
        if any(_RESTART_RE.match(x[2]) for x in head[1:]):
            firsts.append((s, e, line))
    if not firsts:
        return []
    first = _first_title(text, pages[0], firsts[0][0], dropped, rows)
    heads = [first] if first is not None else []
    for h in firsts:
        prev = heads[-1] if heads else None
        if prev is None:
            if _body_chars(text, 0, h[0], dropped, _MIN_BODY) >= _MIN_BODY:
                continue  # a body above with no title of its own: not a bound set of documents
            heads.append(h)
            continue
        if titles.squash(prev[2]) == titles.squash(h[2]):
            continue
        if _body_chars(text, prev[1], h[0], dropped, _MIN_BODY) >= _MIN_BODY:
            heads.append(h)
    return heads if len(heads) >= 2 else []


# the date line that closes a document (落款 date, 印发 date): 2023年3月13日, 2016年10月, 2004年9月24日印发
_CLOSING_DATE_RE = re.compile(
    r"(?m)^[ \t\u3000]*[（(]?(?:19|20)\d{2}[ \t\u3000]*年[ \t\u3000]*\d{1,2}[ \t\u3000]*月"
    r"(?:[ \t\u3000]*\d{1,2}[ \t\u3000]*日)?[）)]?(?:印发|印發|发布|發布|制定|修订|修訂)?[ \t\u3000]*\r?$"
)
# between a closing and the next document's title: （此件公开发布）, 附件, 附件2：
_BETWEEN_KINDS = ("note", "attachment", "date")
_MIN_SENTENCE = 20


def _closed_documents(text: str, body_end: int, dropped: Dropped, rows: _RowIndex) -> list[tuple]:
    """Documents printed one after another in one file (a 印发通知 then the plan it issues, a
    notice then its 实施细则): a document closes with its 落款, a short signature line (issuer)
    over a date line (2023年3月13日, 2004年9月24日印发), perhaps （此件公开发布） or a 附件 label after
    it; a title line naming a document right after that closing, over a body of its own, heads
    the next document, when the text above holds a sentence at least (an issuing notice is one). A closing at the end of the text,
    or one followed by a table or a list of attachments, starts nothing."""
    heads: list[tuple] = []
    last = 0
    for m in _CLOSING_DATE_RE.finditer(text, 0, body_end):
        if not _kept_line(dropped, m.start(), max(m.start(), m.end() - 1)):
            continue
        prev = _line_before(text, m.start(), dropped)
        if prev is None or not _is_title_line(prev) or titles.line_kind(prev) is not None or len(prev) > 40:
            continue  # no signature above the date: a date in a schedule, a dated heading
        title, label = None, None
        for s, e, line in itertools.islice(_kept_lines(text, m.end(), body_end, dropped, rows), 4):
            kind = titles.line_kind(line)
            if kind == "attachment" and label is None:
                label = s  # 附件 over the title: the document starts at the label
            if kind in _BETWEEN_KINDS or kind == "salutation" and not titles.names_document(line):
                continue
            if kind is None and not MARKER_RE.match(line) and titles.names_document(line):
                title = (s, e, line)
            break
        if title is None:
            continue
        s, e, line = title
        if _prose_chars(text, last, m.start(), dropped, rows, _MIN_SENTENCE) < _MIN_SENTENCE:
            continue  # a cover (title, issuer, date) over the document's own title
        if _prose_chars(text, e, body_end, dropped, rows, _MIN_BODY) < _MIN_BODY:
            continue
        heads.append((s if label is None else label, e, line, s))
        last = e
    return heads


def _line_before(text: str, start: int, dropped: Dropped) -> str | None:
    """The kept, non-blank line before ``start`` (stripped), or None."""
    i = start
    while i > 0:
        j = text.rfind("\n", 0, i - 1) + 1
        line = text[j:i].strip(_BLANKS)
        if line and not dropped.covers(j, i, text):
            return line
        i = j
    return None


def _prose_chars(text: str, start: int, end: int, dropped: Dropped, rows: _RowIndex, enough: int) -> int:
    """Characters of the sentences (lines holding a sentence mark) of ``text[start:end]`` outside
    table rows, counting until ``enough``: a body of prose, not a form or a table."""
    n = 0
    for _s, _e, line in _kept_lines(text, start, end, dropped, rows):
        if _SENTENCE_MARK_RE.search(line):
            n += len(line)
            if n >= enough:
                break
    return n


def _first_title(text: str, start: int, end: int, dropped: Dropped, rows: _RowIndex) -> tuple | None:
    """The title line of the first document of a paged file: a document-naming line among its
    first kept lines, followed by the start of its numbering."""
    head = list(itertools.islice(_kept_lines(text, start, end, dropped, rows), 8))
    for i, (s, e, line) in enumerate(head):
        if (
            _is_title_line(line)
            and titles.names_document(line)
            and titles.line_kind(line) is None
            and any(_RESTART_RE.match(x[2]) for x in head[i + 1 : i + 5])
        ):
            return s, e, line
    return None


def _candidate_lines(
    line_re: re.Pattern,
    key_re: re.Pattern,
    text: str,
    end: int,
    start: int | None = None,
    maybe: Callable[[str], bool] | None = None,
    hits: list[int] | None = None,
):
    """Matches of the anchored ``line_re`` on the lines where ``key_re`` hits: one fast scan
    for a rare key instead of a line pattern tried on every line. With ``start``, the lines
    that start at or after it, each cut at ``end`` (what ``line_re.finditer(text, start, end)``
    gives for a ``^...$`` pattern confined to one line). ``maybe``: a fast test of a line's text
    that is False only where ``line_re`` cannot match (the line is then not tried). ``hits``: a
    position in each line where ``key_re`` hits, in order, when known."""
    clip = start is not None
    start = start or 0
    last = -1
    line_stop = -1  # the end of the last line looked at (a hit before it is on that line)
    for k in _key_hits(key_re, text, start, end) if hits is None else hits:
        if k < line_stop:
            continue
        s = text.rfind("\n", 0, k) + 1
        if s == last:
            continue
        last = s
        line_stop = text.find("\n", s)
        if line_stop < 0:
            line_stop = len(text)
        if s < start:
            continue
        e = min(line_stop, end) if clip else line_stop
        if maybe is not None and not maybe(text[s:e]):
            continue
        m = line_re.match(text, s, e)
        if m:
            yield m


# what a line _PIAN_RE matches opens with (after its blanks: a 篇 mark, or a bracket around one)
# or ends with (before its blanks: a number or 篇 closing the mark, or a bracket)
_PIAN_FIRST = frozenset("篇范範第【[［(（〔")
_PIAN_LAST = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十百〇零两篇】]］)）〕")


def _pian_maybe(line: str) -> bool:
    head = line.lstrip(" \t\u3000")[:1]
    tail = line.rstrip(" \t\r\u3000")[-1:]
    return head in _PIAN_FIRST or tail in _PIAN_LAST


def _key_hits(key_re: re.Pattern, text: str, start: int, end: int) -> list[int]:
    """Where ``key_re.finditer(text, start, end)`` finds its matches. A pattern of literal words
    none of which can overlap another (``篇|范文|範文``) is looked for with ``str.find``, word by
    word: a few fast searches instead of one regex scan. Each word is found by its first
    character, then compared whole: ``str.find`` of one character skips through the text
    several times faster than of a longer word."""
    words = _literal_words(key_re.pattern)
    if words is None:
        return [k.start() for k in key_re.finditer(text, start, end)]
    out: list[int] = []
    for w in words:
        first, n = w[0], len(w)
        i = text.find(first, start, end)
        while i >= 0:
            if n == 1 or text.startswith(w, i, end):
                out.append(i)
                i += n
            else:
                i += 1
            i = text.find(first, i, end)
    out.sort()
    return out


@lru_cache(maxsize=16)
def _literal_words(pattern: str) -> tuple[str, ...] | None:
    """The words of a pattern that is an alternation of plain literals whose first characters
    occur nowhere else in them (so no two matches overlap, and finding each word on its own
    finds what the regex finds); None otherwise."""
    words = pattern.split("|")
    if not all(w and not set(w) & set(".^$*+?{}[]\\|()") for w in words):
        return None
    firsts = {w[0] for w in words}
    if len(firsts) < len(words) or any(c in firsts for w in words for c in w[1:]):
        return None
    return tuple(words)


# a newline after a digit or a blank, with a CR between or not: where a line may end in a digit
_DIGIT_END_RE = re.compile(r"\n(?:(?<=[0-9 \t\u3000]\n)|(?<=[0-9 \t\u3000]\r\n))")


def _digit_line_ends(text: str, end: int) -> list[int]:
    """A position in each line of ``text[:end]`` where ``_STEM_KEY_RE`` matches (a line ending in
    a digit, then blanks, then a CR), in order: the digit's. Found from a scan of the newlines
    (the line cut at ``end`` too) instead of with a regex stopping at every digit."""
    out: list[int] = []
    ends = [m.start() for m in _DIGIT_END_RE.finditer(text, 0, end)]
    for p in ends + [end] if end > 0 else ends:
        i = p - 1
        if text[i] == "\r":
            i -= 1
        while i >= 0 and text[i] in " \t\u3000":
            i -= 1
        if i >= 0 and "0" <= text[i] <= "9":
            out.append(i)
    return out


def _own_header(head: tuple[int, int, str]) -> tuple[int, int, str]:
    """A 篇 header that the page's heading runs into ("安全应急预案汇编 学校安全应急预案篇一": the
    collection's name, ending in 汇编/大全/范文 ..., then the document's own title): the header is
    the document's part."""
    s, e, line = head
    cut = max(line.rfind(" "), line.rfind("\u3000"), line.rfind("\t"))
    if cut <= 0:
        return head
    first, own = line[:cut].strip(_BLANKS), line[cut + 1 :]
    if (
        not first
        or not collection_words().search(first)
        or not titles.names_document(_PIAN_MARK_RE.sub("", own))
        or len(_HAN_RE.findall(own)) < 4
    ):
        return head
    return s + cut + 1, e, own


def _numbered_stems(text: str, body_end: int, dropped: Dropped) -> list[tuple[int, int, str]]:
    groups: dict[str, list] = {}
    for m in _candidate_lines(_STEM_RE, _STEM_KEY_RE, text, body_end, hits=_digit_line_ends(text, body_end)):
        if MARKER_RE.match(m.group("line")) or not _kept_line(dropped, m.start("line"), m.end("line")):
            continue
        groups.setdefault(m.group("stem").strip(), []).append(m)
    best: list = []
    for ms in groups.values():
        run: list = []
        for m in ms:  # keep the run 1, 2, 3 ... in document order
            if int(m.group("num")) == len(run) + 1:
                run.append(m)
        if len(run) >= 2 and len(run) > len(best):
            best = run
    return [(m.start("line"), m.end("line"), m.group("line")) for m in best]


# the count that ends a collection page's title: "(精选18篇)", "15篇", "模板十篇", "【最新5篇】"
_COUNT_TAIL_RE = re.compile(
    r"[(（【\[［]?[ \t\u3000]*(?:精选|精選|最新|推荐|推薦|优秀|優秀|通用|热门|熱門|经典|經典|实用|實用|必备|必備)?"
    r"[ \t\u3000]*(?:[0-9０-９]{1,3}|[一二三四五六七八九十两]{1,3})[ \t\u3000]*篇[ \t\u3000]*[)）】\]］]?$"
)
# what a collection page's title opens with before the documents' name: "【精品】", a year
_STEM_LEAD_RE = re.compile(r"^(?:[【\[［][^】\]］\n]{1,8}[】\]］]|(?:19|20)\d\d年)+")
# the number after the name that heads one document of the page: " 篇1", "篇一", "【第二篇】", "第3篇",
# "1" (not a count or an amount: 15篇, 1份, 1.5, 10%)
_STEM_MARK_RE = re.compile(
    rf"[ \t\u3000]*(?:篇[ \t\u3000]*(?P<a>{_NUM})"
    rf"|[【\[［(（〔][ \t\u3000]*(?:第[ \t\u3000]*(?P<b>{_NUM})[ \t\u3000]*篇|(?P<e>{_NUM}))[ \t\u3000]*[】\]］)）〕]"
    rf"|第[ \t\u3000]*(?P<c>{_NUM})[ \t\u3000]*篇"
    r"|(?P<d>[0-9０-９]{1,2})(?![0-9０-９.．%％篇年月日号个名人次份项条期届级万元]))"
)


def _collection_stem(title: str) -> str | None:
    """The name of the documents a collection page's title announces ("【精品】学校工作计划范文汇编8篇"
    -> 学校工作计划), or None when the title announces no count of documents."""
    m = _COUNT_TAIL_RE.search(title)
    if not m:
        return None
    stem = title[: m.start()].strip(_BLANKS)
    stem = _STEM_LEAD_RE.sub("", stem).strip(_BLANKS)
    stem = collection_words().sub("", stem).strip(_BLANKS)
    return stem if len(_HAN_RE.findall(stem)) >= 4 else None


def _collection_stems(text: str, body_end: int, dropped: Dropped) -> list[tuple[int, int, str]]:
    """The documents of a collection page (its title ends in a count: "校园安全工作方案15篇",
    "教师培养计划范文(精选5篇)") headed by the name the title announces and a number: "校园安全工作方案1",
    "幼儿园工作计划 篇1", also where the page (or a copy of it) runs the body on after the number
    on the same line ("幼儿园工作计划 篇1一、……"); the plan's title is the name and the number.
    One header is enough: the title announces the collection (a reader often copies its first
    document only). Numbers in order; a bare number counts from 1 and steps by 1."""
    stem = first = None
    for s, e in itertools.islice(_kept_spans(text, body_end, dropped), 8):  # the page's heading lines
        if e - s <= 60 and (text[e - 1] == "篇" or text[e - 1] in ")）】]］"):
            stem, first = _collection_stem(text[s:e]), (s, e)
            if stem:
                break
    if stem is None or first is None:
        return []
    heads: list[tuple[int, int, str]] = []
    last = 0
    bare = None
    i = text.find(stem, first[1], body_end)
    while i >= 0:
        ls = text.rfind("\n", 0, i) + 1
        m = _STEM_MARK_RE.match(text, i + len(stem), body_end)
        if m and not text[ls:i].strip(_BLANKS) and _kept_line(dropped, i, m.end()):
            num = m.group("a") or m.group("b") or m.group("e") or m.group("c") or m.group("d")
            v = parse_number(unicodedata.normalize("NFKC", num))
            n = int(v) if v else 0
            is_bare = m.group("d") is not None
            if n and (bare is None or bare == is_bare) and n > last and (not is_bare or n == last + 1):
                heads.append((i, m.end(), text[i : m.end()].strip(_BLANKS)))
                last, bare = n, is_bare
        i = text.find(stem, i + len(stem), body_end)
    stops = [h[0] for h in heads[1:]] + [body_end]
    heads = [h for h, stop in zip(heads, stops) if _body_chars(text, h[1], stop, dropped, 30) >= 30]
    return heads


def _kept_spans(text: str, end: int, dropped: Dropped):
    """(start, end) of the kept, non-blank lines of ``text[:end]``, stripped."""
    for m in _LINE_RE.finditer(text, 0, end):
        line = m.group().strip(_BLANKS)
        if not line or dropped.covers(m.start(), m.end(), text):
            continue
        s = m.start() + m.group().index(line[0])
        yield s, s + len(line)


def _title_lines(text: str, body_end: int, dropped: Dropped, collection, rows: _RowIndex) -> list[tuple[int, int, str]]:
    """Stand-alone title lines that head a plan: a title repeated over bodies of its own
    (小学校本教研制度 ×3), or, on a ``（精选3篇）`` collection page, a line that ends in the name
    of a document (小班工作计划, 中班工作计划 ...) over a body of two paragraphs. Elsewhere
    distinct titles do not split a file: a school's plan may hold parts named 德育工作计划,
    教学工作计划. A title with chrome right under it is the page's title, not a header. A header
    ends in the name of a document, has four Han characters at least, is no table row and
    follows the end of a paragraph (the tail of a wrapped line, ``理计划``, is none). Two
    headers at least."""
    words = plan_words()
    cands = []
    for m in _candidate_lines(_TITLE_LINE_RE, _DOC_WORD_RE, text, body_end, collection.end() if collection else 0):
        line = m.group("line")
        if (
            MARKER_RE.match(line)
            or not words.search(line)
            or not _DOC_END_RE.search(line)
            or "\t" in line
            or rows.inside(m.start("line"))
            or len(_HAN_RE.findall(line)) < 4
            or not _kept_line(dropped, m.start("line"), m.end("line"))
            or not _after_paragraph_end(text, m.start("line"), dropped)
        ):
            continue
        cands.append(m)
    if not cands:
        return []
    count = Counter(m.group("line") for m in cands)
    need = 50
    heads = []
    stop = body_end
    for m in reversed(cands):  # a rejected line's text belongs to the header above it
        line = m.group("line")
        repeated = count[line] > 1
        if not repeated and not (collection and _DOC_END_RE.search(line)):
            continue
        if _chrome_below(text, m.end(), stop, dropped):
            continue
        body = _body_chars(text, m.end(), stop, dropped, max(need, 30))
        if body >= 30 if repeated else (body >= need and _paragraphs(text, m.end(), stop, dropped) >= 2):
            heads.append((m.start("line"), m.end("line"), line))
            stop = m.start()
    return heads[::-1] if len(heads) >= 2 else []


def _after_paragraph_end(text: str, start: int, dropped: Dropped) -> bool:
    """Whether the kept line before ``start`` ends a paragraph: a sentence end, a colon, or a
    short line of its own (a title, a heading); the start of the text counts."""
    i = start
    while True:
        j = text.rfind("\n", 0, max(i - 1, 0))
        prev = text[j + 1 : i].strip(_BLANKS)
        if i <= 0 or j < 0 and not prev:
            return True
        if prev and not dropped.covers(j + 1, i, text):
            return prev[-1] in TERMINAL or prev[-1] in ":：" or len(prev) <= 30
        if j < 0:
            return True
        i = j + 1


def _chrome_below(text: str, start: int, end: int, dropped: Dropped) -> bool:
    """Whether the first non-blank line after ``start`` is dropped (chrome under a page title)."""
    i = start
    while i < end and text[i] in _BLANKS:
        i += 1
    return i < end and dropped.at(i) is not None


def _body_chars(text: str, start: int, end: int, dropped: Dropped, enough: int = 1 << 30) -> int:
    """Kept characters of ``text[start:end]`` outside title-like lines (counting stops once
    ``enough`` is reached: callers only compare with a threshold)."""
    n = 0
    for m in _LINE_RE.finditer(text, start, end):
        line = m.group().strip(_BLANKS)
        if not line or _is_title_line(line) or dropped.covers(m.start(), m.end(), text):
            continue
        n += len(line)
        if n >= enough:
            break
    return n


def _paragraphs(text: str, start: int, end: int, dropped: Dropped) -> int:
    """Kept non-blank lines of ``text[start:end]``, counting up to 2."""
    n = 0
    for m in _LINE_RE.finditer(text, start, end):
        if m.group().strip(_BLANKS) and not dropped.covers(m.start(), m.end(), text):
            n += 1
            if n >= 2:
                break
    return n


_SENTENCE_MARK_RE = re.compile("[。，,；;！!？?]")


def _is_title_line(line: str) -> bool:
    return len(line) <= 50 and not MARKER_RE.match(line) and not _SENTENCE_MARK_RE.search(line)


# -- untitled regions: the page header, a single-plan page --------------------------------------


def _page_title(text: str, end: int, dropped: Dropped) -> tuple[int, int, str] | None:
    """The first kept title-like line: the page's title."""
    for m in _LINE_RE.finditer(text, 0, end):
        line = m.group().strip(_BLANKS)
        if not line or dropped.covers(m.start(), m.end(), text):
            continue
        if _is_title_line(line):
            s = m.start() + m.group().index(line[0])
            return s, s + len(line), line
        return None
    return None


def _untitled(
    source: Source,
    start: int,
    end: int,
    dropped: Dropped,
    page_title,
    force: bool = False,
    rows: _RowIndex | None = None,
) -> Plan | None:
    """The plan in ``text[start:end]`` that has no header of its own, or None when the region
    is only a page header. Its title is chosen by :func:`plantext.titles.pick` among the short
    lines above the body (never a salutation, a date, a 发文字号, 目录 or a table row); when chrome
    stands between that title and the body, the plan starts at the body (``title_start`` -1).
    Where no line qualifies, a web page's title names it, else the file name (flag
    ``no-title``). ``rows``: the source's :class:`_RowIndex`, when known."""
    text = source.text
    rows = _RowIndex(source) if rows is None else rows
    hinted = {tuple(x) for x in source.meta.get("title_lines", ())}
    stamps = sorted(sp.start for sp in source.noise if sp.drop and sp.detail in _STAMP_RULES)
    residue = sorted((sp.start, sp.end) for sp in source.noise if sp.drop and sp.kind == "page-residue")
    heads: list[titles.Line] = []
    chrome_after: dict[int, bool] = {}  # id of a head line -> chrome stands between it and the body
    body = None
    prev_end = -1
    for m in _LINE_RE.finditer(text, start, end):
        s, e = m.start(), m.end()
        line = m.group().strip(_BLANKS)
        if not line:
            continue
        if dropped.covers(s, e, text):
            if not _within(residue, s + m.group().index(line[0]), s + len(m.group().rstrip(_BLANKS))):
                for k in chrome_after:  # (a page number or running head under a cover is no chrome)
                    chrome_after[k] = True
            if heads and prev_end >= 0 and heads[-1].hint is None and _holds(stamps, s, e):
                heads[-1].hint = "stamp"  # the line right above an article's stamp: its title
            prev_end = -1
            continue
        ls = s + m.group().index(line[0])
        if (_is_title_line(line) or titles.line_kind(line) in _FRONT_MATTER) and not rows.inside(ls):
            if heads and prev_end >= 0 and not text[prev_end:ls].strip(_BLANKS):
                heads[-1].joined_to_next = True
            heads.append(
                titles.Line(ls, ls + len(line), line, hint="title" if (ls, ls + len(line)) in hinted else None)
            )
            chrome_after[len(heads) - 1] = False
            prev_end = ls + len(line)
            continue
        body = dropped.first_kept(s, e, text)
        break
    if body is None:
        return None
    if not force and (
        _body_chars(text, body, end, dropped, _MIN_BODY) < _MIN_BODY or _paragraphs(text, body, end, dropped) < 2
    ):
        return None  # a page header; a site blurb the rules missed is one paragraph
    stop = max(dropped.last_kept(body, end, text), body)
    web_title = source.meta.get("title") if source.format in ("html", "mhtml") else None
    title = titles.pick(heads, fallback=not (web_title and titles.plain_title(web_title)))
    if title is not None:
        at = next(i for i, h in enumerate(heads) if h.start == title[0])
        if chrome_after[at]:
            # the page's heading, then chrome, then the document's own title over its body
            own = titles.pick([h for i, h in enumerate(heads) if i > at and not chrome_after[i]], fallback=False)
            if own is not None:
                title = own
                at = next(i for i, h in enumerate(heads) if h.start == title[0])
        if not any(chrome_after[i] for i in range(at, len(heads))):
            return Plan(
                id="",
                source=source,
                plan=0,
                title=title[2],
                start=title[0],
                end=stop,
                title_start=title[0],
                title_end=title[1],
            )
        name = _COPY_SUFFIX_RE.sub("", title[2]) or title[2]
        return Plan(id="", source=source, plan=0, title=name, start=body, end=stop)
    flags = []
    name = _COPY_SUFFIX_RE.sub("", page_title[2]) if page_title and titles.plain_title(page_title[2]) else ""
    if web_title and (not name or titles.plain_title(web_title)):
        name = web_title
    if not name:
        name, flags = Path(source.path).stem, ["no-title"]
    return Plan(id="", source=source, plan=0, title=name, start=body, end=stop, flags=flags)


def _only_line(source: Source, end: int, dropped: Dropped) -> Plan | None:
    """A text of one kept line (a sentence pasted on its own, 2.2本计划投资…) is its own plan: a
    one-line input never loses its only line for looking like a title."""
    text = source.text
    found = None
    for m in _LINE_RE.finditer(text, 0, end):
        line = m.group().strip(_BLANKS)
        if not line or dropped.covers(m.start(), m.end(), text):
            continue
        if found is not None:
            return None
        found = (m.start() + m.group().index(line[0]), line)
    if found is None:
        return None
    s, line = found
    return Plan(
        id="", source=source, plan=0, title=Path(source.path).stem, start=s, end=s + len(line), flags=["no-title"]
    )


# lines above a body that are neither title nor body: 主送, dates, bylines, 文号, issuer, 前言 ...
_FRONT_MATTER = ("salutation", "date", "byline", "docno", "issuer", "front", "attachment", "menu", "note")
# chrome rules (resources/chrome.txt) that drop an article's stamp: 发布时间：… 作者：… 浏览次数：…
_STAMP_RULES = frozenset({"stamp", "counter", "source"})


def _within(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """``text[a:b]`` lies inside one of the sorted ``spans``."""
    k = bisect.bisect_right(spans, (a, 1 << 62)) - 1  # the last span starting at or before a
    return k >= 0 and spans[k][0] <= a and spans[k][1] >= b


def _holds(starts: list[int], s: int, e: int) -> bool:
    """Whether a span of ``starts`` (sorted) starts in ``[s, e)``."""
    k = bisect.bisect_left(starts, s)
    return k < len(starts) and starts[k] < e


class _RowIndex:
    """Whether an offset falls in a table row of the source (``table-row`` parts)."""

    def __init__(self, source: Source) -> None:
        spans = sorted((p.start, p.end) for p in source.parts if p.kind == "table-row")
        self.starts = [s for s, _ in spans]
        self.spans = spans

    def inside(self, i: int) -> bool:
        k = bisect.bisect_right(self.starts, i) - 1
        return k >= 0 and self.spans[k][0] <= i < self.spans[k][1]


def _own_part(page_title: str, later: list[str]) -> str:
    """The first plan's share of a page title that lists several documents ("小学校本培训
    校本教研制度" over a plan and then 小学校本教研制度 ×3): the space-separated parts that no
    later plan title ends with, when they still name something (four Han characters)."""
    parts = page_title.split()
    keep = [p for p in parts if not any(t.endswith(p) for t in later)]
    if 0 < len(keep) < len(parts) and len(_HAN_RE.findall("".join(keep))) >= 4:
        return " ".join(keep)
    return page_title


def no_plan_reason(source: Source) -> tuple[str, dict]:
    """Why :func:`split` found no plan in a source: (message key, parameters). A saved page whose
    text is mostly dropped chrome holds only site furniture; anything else (a form, a cover, a
    credits page, a list of names) has too little body text."""
    text = source.text
    kept = len(text) - sum(e - s for s, e in drop_spans(source.noise))
    if kept < 0.5 * len(text):
        return "ingest_docs.no_plan_chrome", {}
    return "ingest_docs.no_plan_short", {"chars": len("".join(text.split()))}


# -- quality -----------------------------------------------------------------------------------

_ELLIPSIS = ("...", "…", "..", "。。。")
_LAST_END_RE = re.compile(f".*{char_class(SENTENCE_ENDS)}", re.S)  # (greedy: up to the last one)
_CLAUSE_RE = re.compile("[，,；;]")


def truncated(plan: Plan, dropped: Dropped | None = None) -> bool:
    """Whether the plan stops mid-sentence: its last line is cut (ends in a snippet ellipsis, a
    colon, or without a full stop after a comma), or it is a heading with no body under it.
    ``dropped``: the merged drop spans of the plan's source, when known (inside the plan they
    drop what its own spans drop)."""
    text = plan.source.text
    if dropped is None:
        dropped = Dropped(drop_spans(plan.noise))
    end = dropped.last_kept(plan.start, plan.end, text)
    if end <= plan.start:
        return False
    ls = text.rfind("\n", plan.start, end) + 1 or plan.start
    last = text[max(ls, plan.start) : end].strip(_BLANKS)
    m = _LAST_END_RE.match(last, 0, len(last) - 1)  # the last sentence end in last[:-1]
    last = last[m.end() :] if m else last  # the last sentence of a long line
    if last.endswith(_ELLIPSIS):
        return True
    if last[-1] in TERMINAL:
        return False
    if last[-1] in ":：":
        return True
    if _CLAUSE_RE.search(last) or len(last) >= 40:
        return True
    if MARKER_RE.match(last):
        before = text[plan.start : ls].rstrip(_BLANKS)
        prev = before[before.rfind("\n") + 1 :].strip(_BLANKS)
        return bool(prev) and not MARKER_RE.match(prev) and prev[-1] in TERMINAL
    return False


def collection_page(source: Source, plans: list[Plan]) -> bool:
    """A template or collection page (范文网站的合集页): it holds several plans, or announces a
    collection in its heading (``工作计划（精选18篇）``), or carries a template site's chrome.
    Among a reviewer's inputs such a page is a source to check against, not a submission."""
    if len(plans) >= 2:
        return True
    head_end = plans[0].start + 200 if plans else 2000
    if _COLLECTION_RE.search(source.text, 0, min(len(source.text), max(head_end, 0))):
        return True
    return "chrome" in source.flags
