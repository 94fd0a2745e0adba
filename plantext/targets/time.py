"""Rule *time*: the frequency a target is counted in (``per``: 每学期, 每两周, 每隔3天, 人均 -> 每人,
2次/月 -> 每月) and its deadline (3月20日前, 9月初, 到20xx年, 年底前, 三年内, 上学期,
2019年7月10日至7月15日), read by :mod:`plantext.timeexpr` as structured values.

The interface the pipeline uses: :func:`per`, :func:`deadline` (the deadline's text) and
:func:`deadline_expr` (the :class:`~plantext.timeexpr.TimeExpr` with its span, kind and dates),
:func:`deadline_spans` (spans that are a time, not a quantity: 两周内, 30日, 24年) and
:data:`PER_RE` (masked: 每两周 is a frequency). Everything else here is private to this rule.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicons import memo
from ..timeexpr import PER, PLAIN, STRONG, WEAK, TimeExpr, YearContext, find, frequency, interval, year_context
from .clauses import CLAUSE_SEP, PER_STOP, clause_start

__all__ = [
    "PER",
    "PER_RE",
    "TIMELY",
    "per",
    "deadline",
    "deadline_expr",
    "deadline_spans",
    "deadline_candidates",
    "bare_years",
    "mixed_range",
    "respective",
    "opening_limit",
]

PER_RE = re.compile(PER)
# a rate written after the unit: 2次/月, 50元/人, 1.0元/生·小时, 370元/生、学期 (每生每学期)
_PER_SUFFIX_UNITS = r"学年|学期|年|季度|月|周|天|日|课时|小时|次|节|人|生|班|校"
_PER_SUFFIX = re.compile(rf"^\s*/\s*({_PER_SUFFIX_UNITS})(?:\s*[·・•/、.]\s*({_PER_SUFFIX_UNITS}))?")

_PER_AFTER_GAP = 6  # 1次每学期, 2次以上每学期: a frequency written after stands close to the number

TIMELY = re.compile(r"学年|学期|年|季度|月|周|星期|天|日")  # a frequency in time, not 每人 or 每项

_WEAK = WEAK  # 上学期, 全年: periods; PLAIN (a plain date, month or year) is weaker still

# what a later clause holding only a deadline says: the work before it is to be done by then
_DONE = re.compile(
    r"^(?:.{0,4}$|(?:要|须|必须|需|应)?(?:全部|全面|基本|如期|按时)?(?:完成|结束|落实|到位|实现|达到|达标))"
)


def per(sentence: str, s: int, e: int, scope: int) -> str | None:
    """The frequency of the target at ``sentence[s:e]``: written before it from ``scope`` on,
    as a suffix (2次/月), or after it in the same clause (1次每学期)."""
    m = _PER_SUFFIX.match(sentence[e:])
    if m:
        return "".join("每" + u for u in m.groups() if u)
    best = None
    for m in PER_RE.finditer(sentence, scope):
        if _in_date(sentence, m.start(), m.end()):
            continue  # 一月二十三, 一月十日到十二日: January, not once a month
        if m.end() <= s:
            best = m
        elif m.start() >= e and best is None and not PER_STOP.search(sentence[e : m.start()]):
            if m.start() - e <= _PER_AFTER_GAP:
                best = m  # 1次每学期: a frequency written after, in the same clause
            break
    if best is None:
        return None
    if best.end() <= s and _POPULATION.search(sentence, best.end(), s):
        return None  # 每周参加1次以上锻炼的人数达2100万: the frequency defines who is counted
    g = best.group()
    return _AVERAGE.get(g, g)


# 人均, 生均 …: an average per person, student, household, school or class, as 每 writes it
_AVERAGE = {"人均": "每人", "年均": "每年", "生均": "每生", "户均": "每户", "校均": "每校", "班均": "每班"}
_POPULATION = re.compile(r"的[\u4e00-\u9fff]{0,4}?(?:人数|人口|比例|比重|占比)")


def _in_date(sentence: str, a: int, b: int) -> bool:
    """Is ``sentence[a:b]`` part of a longer time expression (一月 in 一月二十三)?"""
    return any(st <= a and b <= en and en - st > b - a for _, st, en, _ in deadline_candidates(sentence))


@memo(4096)
def deadline_candidates(sentence: str) -> tuple[tuple[int, int, int, str], ...]:
    """(strength, start, end, text) of every time expression in a sentence; 0 is strongest."""
    return tuple((e.strength, e.start, e.end, e.text) for e in find(sentence))


def deadline_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of the sentence that are a time, never a quantity: 两周内, 三年内, 30日, 24年."""
    return [(e.start, e.end) for e in find(sentence)]


def deadline(sentence: str, s: int, clause_start: int, clause_end: int, periods: bool = True) -> str | None:
    """The text of :func:`deadline_expr` (None when there is none)."""
    e = deadline_expr(sentence, s, clause_start, clause_end, periods)
    return e.text if e is not None else None


def deadline_expr(sentence: str, s: int, clause_start: int, clause_end: int, periods: bool = True) -> TimeExpr | None:
    """The time limit written in the target's clause (nearest), else the strongest one in the
    sentence. ``periods`` False: a target with its own frequency (每学期两次) takes no 全年 or
    本学期 from another clause. A plain date or period later in the sentence belongs to what
    follows; a plain year (2023年) is taken only from the target's own clause."""
    best = None
    opener = _opener(sentence, s)
    comma_start = _comma_clause(sentence, s)  # 、 separates items of one clause
    for e in find(sentence):
        a, b, strength = e.start, e.end, e.strength
        if _reference(sentence, a, b):
            continue  # 在2018年的基础上, 较2015年, 2019-05-28 10:11: a baseline or a timestamp, not a limit
        in_clause = clause_start <= a and b <= clause_end
        if not in_clause and opener is not None and e is opener:
            key = (1, min(strength, STRONG + 1), 0)  # 到2025年，…: the limit of every target the sentence lists
            if best is None or key < best[0]:
                best = (key, e)
            continue
        if not in_clause and strength == _WEAK and not periods:
            continue
        if strength >= _WEAK and _ATTRIBUTIVE.search(sentence, max(0, a - 3), a):
            continue  # …作为全年粮食生产考核基金: a period inside a noun phrase limits nothing else
        if not in_clause and strength >= _WEAK and a >= s:
            continue  # a plain month or 上学期 later in the sentence belongs to what follows
        if not in_clause and _year_only(e) and not (comma_start <= a and b <= s):
            continue  # 2023年，我校…: the year of the whole passage, not this target's limit
        if not in_clause and _year_only(e):
            in_clause = True  # 2021年全市新建幼儿园、中小学9所: the year of the target's own clause
        if not in_clause and a >= s and not _DONE.match(_rest_of_clause(sentence, a, b)):
            continue  # …，学期末进行结对考核: a later clause with its own work; …，8月25日前完成 applies
        if not in_clause and min(abs(a - s), abs(b - s)) > 80:
            continue  # flattened text runs items into one long "sentence"
        key = (0 if in_clause else 1, strength, abs(a - s))
        if best is None or key < best[0]:
            best = (key, e)
    return best[1] if best else None


# what makes a time a point of reference rather than a limit: a baseline (在2018年的基础上, 较2015年
# 提升, 与2020年相比, 比上年增长) or the timestamp a page was published at (2019-05-28 10:11:13)
_REF_BEFORE = re.compile(r"(?:较|比|相较于?|相比于?|对比|同比|环比|对照)\s*$")
_REF_AFTER = re.compile(
    r"^\s*(?:(?:的|年度?的?)?(?:基础上|基数上?|水平上?|相比|比较|同期|为基[数准期]|基准)|\d{1,2}[:：]\d{2}"
    r"|(?:联合|正式)?(?:获悉|印发|发布|公布|宣布|出台|透露|讯|电(?![子话视脑力网]))|(?:召开|举行|举办)的)"
)
# a sentence that opens with its limit and then lists levels: 到2025年，全市…达到90%以上，…保持在70%以上。
# 2007年，全市入园率达到96%以上: a year alone opens it only when the target's clause states a level
_OPEN_LEAD = re.compile(r"^[\s\d一二三四五六七八九十.．、（）()]*$")
_LEVEL = re.compile(
    r"达到|达|提高到|提升到|增加到|增长到|降低到|降到|下降到|控制在|保持在|稳定在|不低于|不少于|至少|不超过|超过|高于|低于"
    r"|以上|以下|以内|建成|建有|实现|普及|覆盖"
)


# a period written inside a noun phrase (作为全年…基金, 纳入本学期…计划, …的全年…) is no limit of another clause
_ATTRIBUTIVE = re.compile(r"(?:作为|用作|用于|列入|纳入|计入|的)$")
# 《计划》明确，到2025年，…: the limit opens the sentence after the words that report it
_REPORT_LEAD = re.compile(
    r"\s*[^，,。；;：:\n]{1,24}?(?:明确|提出|要求|指出|规定|强调|确定|部署|表示)(?:了)?\s*[，,：:]\s*"
)


_REPORTED = re.compile(r"(?:明确|提出|要求|指出|规定|强调|确定)(?:了)?\s*[，,：:]\s*$")


def _reference(sentence: str, a: int, b: int) -> bool:
    return bool(_REF_BEFORE.search(sentence[max(0, a - 4) : a]) or _REF_AFTER.match(sentence[b : b + 8]))


def _opener(sentence: str, s: int) -> TimeExpr | None:
    """The time the sentence opens with, set off by a comma (到2025年，/ 2007年，), when it is the limit
    of a target at ``s`` later in the sentence: a stated limit (到/截至/前) or a year alone before
    a clause that states a level. None otherwise."""
    exprs = find(sentence)
    if not exprs:
        return None
    e = exprs[0]
    reported = [x for x in exprs if x.end <= s and _REPORTED.search(sentence, max(0, x.start - 12), x.start)]
    if reported and re.match(r"\s*[，,]", sentence[reported[-1].end :]):
        e = reported[-1]  # …，《计划》明确，到2025年，…: the limit the reporting clause opens with
    elif e.end > s or not (_OPEN_LEAD.match(sentence[: e.start]) or _REPORT_LEAD.fullmatch(sentence[: e.start])):
        return None
    if not re.match(r"\s*[，,]", sentence[e.end :]):
        return None
    if "\n" in sentence[e.end : s]:
        return None
    if e.kind == "before" and e.strength == STRONG:
        return e
    if _year_only(e):
        clause = sentence[clause_start(sentence[:s]) : s + 12]
        return e if _LEVEL.search(clause) else None
    p = e.begin
    if e.kind in ("date", "range") and p is not None and (p.month is not None or p.quarter is not None or p.part):
        return e  # 3-4月，…；5-6月，…: a step of a schedule, the time of everything the sentence lists
    return None


def respective(sentence: str, e: TimeExpr | None, s: int) -> TimeExpr | None:
    """到2023年底和2030年，…分别不低于24%和30%: times joined by 和/、 before a 分别 list give the
    k-th item the k-th time. ``e`` is the deadline found for the target at ``s``; returned as is
    unless it heads such a chain and the target is an item after 分别."""
    if e is None:
        return None
    exprs = find(sentence)
    chain = [e]
    for x in exprs:
        if x.start >= chain[-1].end and re.fullmatch(r"\s*(?:和|及|与|、)\s*", sentence[chain[-1].end : x.start]):
            chain.append(x)
    if len(chain) < 2:
        return e
    k = sentence.rfind("分别", chain[-1].end, s)
    if k < 0:
        return e
    from .numbers import qty_re

    items = sum(1 for _ in qty_re().finditer(sentence, k, s))
    gap = sentence[k + 2 : s]
    if items and not re.search(r"(?:和|及|与|、)\s*$", gap):
        return e  # the target is no later item of the list
    return chain[items] if items < len(chain) else e


def opening_limit(text: str) -> TimeExpr | None:
    """The stated limit a sentence opens with, set off by a comma (到2025年，/ 截至2022年底，), or None."""
    exprs = find(text)
    if not exprs:
        return None
    e = exprs[0]
    if not _OPEN_LEAD.match(text[: e.start]) or not re.match(r"\s*[，,]", text[e.end :]):
        return None
    return e if e.kind == "before" and e.strength == STRONG else None


def _comma_clause(sentence: str, s: int) -> int:
    """Where the clause around ``sentence[s]`` starts when only commas, colons and brackets (not 、) end clauses."""
    return clause_start(sentence[:s], PER_STOP)


def _rest_of_clause(sentence: str, a: int, b: int) -> str:
    """The words of the clause around ``sentence[a:b]`` other than it (完成, 进行结对考核)."""
    lo = clause_start(sentence[:a])
    m = CLAUSE_SEP.search(sentence, b)
    hi = m.start() if m else len(sentence)
    return re.sub(r"[\s。；;！？!?]", "", sentence[lo:a] + sentence[b:hi])


def _year_only(e: TimeExpr) -> bool:
    p = e.begin
    return (
        e.kind == "date"
        and e.strength == PLAIN
        and p is not None
        and p.month is None
        and p.day is None
        and p.part is None
    )


# -- durations ----------------------------------------------------------------------------------
# what says an amount of years is a duration someone commits to or states (为期3年, 学制四年)
_DURATION_BEFORE = re.compile(
    r"(?:为期|历时|周期为?|时间为?|时长为?|用时?|需要?|期限为?|学制|满|连续|累计|长达|达|共|为)\s*$"
)
# 五年来, 三年前, 三年级, 五年制, 两年间: not an amount of time to keep
_YEARS_NOT_AMOUNT = re.compile(r"^(?:来|以来|前|后|间|级|制|代|龄|轻|度|终|底|末|初|内|里|中)")


def unit_apart(text: str, unit_start: int, written: str) -> bool:
    """Is the unit set apart from its number? In the next cell (a TAB between), on the next line
    when the number's line is short (a table or a list: 101 / 校长室; a long line is a sentence
    wrapped by a PDF, 培训1200 / 人次), or a one-character unit that is also a calendar word (日, 年)
    or a letter (h) after a space (00601 日)."""
    if unit_start <= 0 or not text[unit_start - 1].isspace():
        return False
    gap = text[unit_start - 1]
    if gap == "\t":
        return True
    if gap == "\n":
        line = text[text.rfind("\n", max(0, unit_start - 200), unit_start - 1) + 1 : unit_start - 1]
        return len(line.strip()) < WRAPPED_LINE
    return written in ("日", "年", "h")


WRAPPED_LINE = 25  # characters of a line that a PDF or a page wrapped inside a sentence (as clauses.sentences)


def bare_years(unit: str, before: str, after: str, stated: bool) -> bool:
    """Is a quantity in 年 (三年, 十五年以上) context rather than a target? Kept when something
    states it (``stated``: a comparator, frequency, 以上/以下) or it follows a duration word (为期,
    学制, 培训时间为); never when the years are an era or a grade (五年来, 三年级, 五年制). 100多年历史
    and 近三年 are not stated: a fuzzy tail or 近 describes, it does not commit."""
    if unit != "年":
        return False
    if _YEARS_NOT_AMOUNT.match(after):
        return True
    return not (stated or _DURATION_BEFORE.search(before))


# how many of the smaller unit make one of the larger
_TIME_RATIO = {("天", "周"): 7, ("个月", "年"): 12, ("分钟", "小时"): 60, ("小时", "天"): 24}


def range_ratio(first: str, unit: str) -> float:
    """How many ``first`` units make one ``unit`` (天, 周: 7), 1 when they are not both time units."""
    if (first, unit) in _TIME_RATIO:
        return _TIME_RATIO[first, unit]
    if (unit, first) in _TIME_RATIO:
        return 1 / _TIME_RATIO[unit, first]
    return 1.0


def mixed_range(first: str, unit: str, value: float, value_max: float) -> tuple[float, float, str]:
    """A range whose ends carry different time units (13天—8周) in the smaller of the two
    (13 to 56 天); other ranges as they are."""
    if first == unit:
        return value, value_max, unit
    if (first, unit) in _TIME_RATIO:
        return value, value_max * _TIME_RATIO[first, unit], first
    if (unit, first) in _TIME_RATIO:
        return value * _TIME_RATIO[unit, first], value_max, unit
    return value, value_max, unit


# -- structured values for the Target record ------------------------------------------------------
def plan_years(title: str | None, meta: dict | None) -> YearContext:
    """The year a plan is about: a ``year`` (年份, 年度) in its metadata, else its title's 2024年 /
    2023-2024学年."""
    meta = meta or {}
    year = next((meta[k] for k in ("year", "年份", "年度") if meta.get(k) is not None), None)
    return _plan_years(title or "", year)


@lru_cache(maxsize=1024)
def _plan_years(title: str, year: object) -> YearContext:
    return year_context(title, {"year": year} if year is not None else None)


def deadline_fields(e: TimeExpr | None, years: YearContext) -> dict:
    """``deadline_kind``, ``deadline_start``, ``deadline_end`` of a deadline (all None without one)."""
    if e is None:
        return {"deadline_kind": None, "deadline_start": None, "deadline_end": None}
    lo, hi = interval(e, years)
    return {"deadline_kind": e.kind, "deadline_start": lo, "deadline_end": hi}


def per_fields(per_text: str | None) -> dict:
    """``per_every`` and ``per_unit`` of a ``per`` text (每两周 -> 2, week)."""
    f = frequency(per_text)
    return {"per_every": f.every if f else None, "per_unit": f.unit if f else None}
