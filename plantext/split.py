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

import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .clean import (MARKER_RE, SENTENCE_END_RE, TERMINAL, Dropped, clean, drop_spans, line_end,
                    looks_traditional)
from .model import Plan, Source

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
# a title line ending in a number: "学校教师发展中心工作计划2"
_STEM_KEY_RE = re.compile(r"[0-9][0-9]?[ \t\u3000]*\r?$", re.M)
# a line that ends in the name of a document: "…教师培训工作计划", "…实施方案（讨论稿）"
_DOC_END_RE = re.compile(r"(?:计划|計劃|計畫|计画|方案|规划|規劃|制度|要点|要點|办法|辦法|细则|細則|总结|總結|纲要|綱要|意见|意見)"
                         r"(?:\s*[（(][^（()）\n]{1,8}[)）])?$")
# the page title of a collection: "工作计划（精选18篇）"
_COLLECTION_RE = re.compile(r"[(（【\[](?:[^\n()（）]{0,6}?)\d{1,3}\s*篇[)）】\]]")
_STEM_RE = re.compile(r"(?m)^[ \t\u3000]*(?P<line>(?P<stem>[^\n]{2,60}?[\u4e00-\u9fff）)】])[ \t\u3000]*(?P<num>\d{1,2}))[ \t\r\u3000]*$")
# a stand-alone short line without sentence punctuation (a title candidate)
_TITLE_LINE_RE = re.compile(r"(?m)^[ \t\u3000]*(?P<line>[^\n\r。，,；;！!？?：:]{2,50}?)[ \t\r\u3000]*$")
_BLANKS = " \t\u3000\xa0\r\n"
# the "-(1)" that a saved copy of a file adds to the name a sharing site shows as the title
_COPY_SUFFIX_RE = re.compile(r"\s*[-_ ]\s*[(（]\d{1,2}[)）]$")
_MIN_BODY = 150  # characters of kept, non-title text that make a page header a plan of its own
_LINE_RE = re.compile(r"[^\n]+")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def plan_words() -> re.Pattern:
    """Words that name a document as a plan (resources/plan_title_words.txt)."""
    text = resources.files("plantext.resources").joinpath("plan_title_words.txt").read_text("utf-8")
    words = [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]
    return re.compile("|".join(map(re.escape, words)))


def split(source: Source) -> list[Plan]:
    """The plans in a source, in document order, with ids per DESIGN.md."""
    if not isinstance(source, Source):
        from .guard import require_source

        require_source(source, "plantext.split")
    clean(source)
    text = source.text
    dropped = Dropped(drop_spans(source.noise))
    body_end = source.meta.get("footer_start", len(text))
    page_title = _page_title(text, body_end, dropped)
    if page_title:
        source.meta.setdefault("title", page_title[2])
    heads = _headers(text, body_end, dropped)
    plans: list[Plan] = []
    if heads:
        pre = _untitled(source, 0, heads[0][0], dropped, page_title)
        if pre is not None:
            if pre.title_start < 0:
                pre.title = _own_part(pre.title, [h[2] for h in heads])
            plans.append(pre)
        bounds = [h[0] for h in heads[1:]] + [body_end]
        for (s, e, title), stop in zip(heads, bounds):
            end = dropped.last_kept(e, stop, text)
            plans.append(Plan(id="", source=source, plan=0, title=title, start=s,
                              end=max(end, e), title_start=s, title_end=e))
    else:
        one = _untitled(source, 0, body_end, dropped, page_title, force=True)
        if one is not None:
            plans.append(one)
    return _finish(source, plans)


def _finish(source: Source, plans: list[Plan]) -> list[Plan]:
    titles: dict[str, int] = {}
    for p in plans:
        titles[p.title] = titles.get(p.title, 0) + 1
    for i, p in enumerate(plans, 1):
        p.plan = i
        p.id = source.path if len(plans) == 1 else f"{source.path}#{i}"
        p.noise = [s for s in source.noise if s.start < p.end and s.end > p.start]
        flags = {s.kind for s in p.noise}
        if ("traditional-script" in source.flags if len(plans) == 1 else looks_traditional(p.text[:3000])):
            flags.add("traditional-script")
        if titles.get(p.title, 0) > 1 and p.title:
            flags.add("duplicate-title")
        if truncated(p) or ("truncated" in source.flags and i == len(plans)):
            flags.add("truncated")
        p.flags = sorted(flags | set(p.flags))
    return plans


# -- headers ----------------------------------------------------------------------------------

def _kept_line(dropped: Dropped, s: int, e: int) -> bool:
    return dropped.at(s) is None and dropped.at(max(s, e - 1)) is None


def _headers(text: str, body_end: int, dropped: Dropped) -> list[tuple[int, int, str]]:
    """(line start, line end, title) of each plan header, by the first style that occurs."""
    heads = [(m.start("line"), m.end("line"), m.group("line"))
             for m in _candidate_lines(_PIAN_RE, _PIAN_KEY_RE, text, body_end)
             if _kept_line(dropped, m.start("line"), m.end("line"))]
    heads = [h for h in heads if not MARKER_RE.match(h[2]) or "篇" in h[2][:4]]
    # long 规划 use "第一篇 总体要求" as part headings: on a page that is no collection, a 第N篇
    # line heads a plan only when it names a plan
    collection = _COLLECTION_RE.search(text, 0, body_end)
    if not collection:
        heads = [h for h in heads if not h[2].startswith("第") or plan_words().search(h[2])]
    if heads:
        return heads
    heads = _numbered_stems(text, body_end, dropped)
    if heads:
        return heads
    return _title_lines(text, body_end, dropped, collection)


def _candidate_lines(line_re: re.Pattern, key_re: re.Pattern, text: str, end: int):
    """Matches of the anchored ``line_re`` on the lines where ``key_re`` hits: one fast scan
    for a rare key instead of a line pattern tried on every line."""
    last = -1
    for k in key_re.finditer(text, 0, end):
        s = text.rfind("\n", 0, k.start()) + 1
        if s == last:
            continue
        last = s
        m = line_re.match(text, s, line_end(text, s))
        if m:
            yield m


def _numbered_stems(text: str, body_end: int, dropped: Dropped) -> list[tuple[int, int, str]]:
    groups: dict[str, list] = {}
    for m in _candidate_lines(_STEM_RE, _STEM_KEY_RE, text, body_end):
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


def _title_lines(text: str, body_end: int, dropped: Dropped, collection) -> list[tuple[int, int, str]]:
    """Stand-alone title lines that head a plan: a title repeated over bodies of its own
    (小学校本教研制度 ×3), or, on a ``（精选3篇）`` collection page, a line that ends in the name
    of a document (小班工作计划, 中班工作计划 ...) over a body of two paragraphs. Elsewhere
    distinct titles do not split a file: a school's plan may hold parts named 德育工作计划,
    教学工作计划. A title with chrome right under it is the page's title, not a header. Two
    headers at least."""
    words = plan_words()
    cands = []
    for m in _TITLE_LINE_RE.finditer(text, collection.end() if collection else 0, body_end):
        line = m.group("line")
        if (MARKER_RE.match(line) or not words.search(line)
                or not _kept_line(dropped, m.start("line"), m.end("line"))):
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


def _is_title_line(line: str) -> bool:
    return (len(line) <= 50 and not MARKER_RE.match(line)
            and not any(c in line for c in "。，,；;！!？?"))


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


def _untitled(source: Source, start: int, end: int, dropped: Dropped, page_title,
              force: bool = False) -> Plan | None:
    """The plan in ``text[start:end]`` that has no header of its own, or None when the region
    is only a page header. Its title is the title line right above the body; when chrome stands
    between them the title comes from the page (``title_start`` -1) and the plan starts at the
    body."""
    text = source.text
    title = None  # (start, end, text) of the last title line seen
    chrome_after_title = False
    body = None
    for m in _LINE_RE.finditer(text, start, end):
        s, e = m.start(), m.end()
        line = m.group().strip(_BLANKS)
        if not line:
            continue
        if dropped.covers(s, e, text):
            if title is not None:
                chrome_after_title = True
            continue
        if _is_title_line(line):
            ls = s + m.group().index(line[0])
            title, chrome_after_title = (ls, ls + len(line), line), False
            continue
        body = dropped.first_kept(s, e, text)
        break
    if body is None:
        return None
    if not force and (_body_chars(text, body, end, dropped, _MIN_BODY) < _MIN_BODY
                      or _paragraphs(text, body, end, dropped) < 2):
        return None  # a page header; a site blurb the rules missed is one paragraph
    stop = max(dropped.last_kept(body, end, text), body)
    if title is not None and not chrome_after_title:
        return Plan(id="", source=source, plan=0, title=title[2], start=title[0], end=stop,
                    title_start=title[0], title_end=title[1])
    name = _COPY_SUFFIX_RE.sub("", (title or page_title or (0, 0, ""))[2]) or Path(source.path).stem
    return Plan(id="", source=source, plan=0, title=name, start=body, end=stop)


def _own_part(page_title: str, later: list[str]) -> str:
    """The first plan's share of a page title that lists several documents ("小学校本培训
    校本教研制度" over a plan and then 小学校本教研制度 ×3): the space-separated parts that no
    later plan title ends with, when they still name something (four Han characters)."""
    parts = page_title.split()
    keep = [p for p in parts if not any(t.endswith(p) for t in later)]
    if 0 < len(keep) < len(parts) and len(_HAN_RE.findall("".join(keep))) >= 4:
        return " ".join(keep)
    return page_title


# -- quality -----------------------------------------------------------------------------------

_ELLIPSIS = ("...", "…", "..", "。。。")


def truncated(plan: Plan) -> bool:
    """Whether the plan stops mid-sentence: its last line is cut (ends in a snippet ellipsis, a
    colon, or without a full stop after a comma), or it is a heading with no body under it."""
    text = plan.source.text
    dropped = Dropped(drop_spans(plan.noise))
    end = dropped.last_kept(plan.start, plan.end, text)
    if end <= plan.start:
        return False
    ls = text.rfind("\n", plan.start, end) + 1 or plan.start
    last = text[max(ls, plan.start):end].strip(_BLANKS)
    last = SENTENCE_END_RE.split(last[:-1])[-1] + last[-1]  # the last sentence of a long line
    if last.endswith(_ELLIPSIS):
        return True
    if last[-1] in TERMINAL:
        return False
    if last[-1] in ":：":
        return True
    if any(c in last for c in "，,；;") or len(last) >= 40:
        return True
    if MARKER_RE.match(last):
        before = text[plan.start:ls].rstrip(_BLANKS)
        prev = before[before.rfind("\n") + 1:].strip(_BLANKS)
        return bool(prev) and not MARKER_RE.match(prev) and prev[-1] in TERMINAL
    return False


from . import callable_module  # noqa: E402

callable_module(__name__)  # plantext.split(...) keeps working once this submodule is imported
