"""Time expressions in plan sentences: dates, date ranges, deadlines, periods of the school
calendar, time limits (N日内) and frequencies (每学期, 每隔3天), read as structured values with the
span they came from. A pure module: functions of strings, no plantext records.

It reads what JioNLP's ``parse_time`` / ``extract_time`` read in plan language, with the same
conventions for the intervals (年底 = 11-01 … 12-31, 月底 = the 25th to the end of the month,
上旬 = 1st–10th, 年初 = January–February, 每隔3天 = every 3 days), plus the school calendar
JioNLP does not know (学期末, 第二学期, 本学期, 2023-2024学年, 第3周, 寒假前). It does not depend on
JioNLP: that package installs ~250 MB (its segmenter's model and numpy), takes 2.5 s to import and
~6 ms a sentence to extract; these rules take a few microseconds a sentence.

:func:`find` gives every expression of a text as a :class:`TimeExpr`, in text order, never
overlapping: a range is one expression (``2017年8月15日至2018年3月29日``, ``各校于2019年7月10日至7月15日``
-> ``2019年7月10日至7月15日``; the locative 于/在 is not part of it, 从/自/到/至/截至 are).
:func:`interval` turns one into ISO dates when the year is known: from the expression itself,
else from a :class:`YearContext` (the plan's own year, :func:`year_context` reads it from the
title, ``2024年…计划`` or ``2023-2024学年…``, or from metadata). A placeholder year (20xx, 201x)
stays a placeholder: the expression carries the flag ``placeholder-date`` and no ISO date.

Kinds (``TimeExpr.kind``):

- ``date``: a day, month, year or part of one (2019年5月8日, 9月初, 6月上旬, 年底, 2024年上半年,
  第三季度, 9月第二周, 本月, 下周), or a holiday (国庆节 = 10-01; the lunar 春节, 清明节 … have no ISO day);
- ``range``: from one date to another (2017年8月至11月, 1月3至2月10, 9月10号、11号、12号);
- ``before``: a limit (3月20日前, 2025年前, 到2035年, 截至6月底, 年底前);
- ``since``: a start (2019年5月8日起, 2020年以来);
- ``within``: an amount of time from an unstated start (60日内, 3年半以内, 两个半月以内);
- ``term``: the school calendar (本学期, 第二学期, 学期末, 期中, 开学初, 寒假前, 第3周), with ISO
  dates only for an explicit school year (2023-2024学年: 2023-09-01 … 2024-08-31).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from .numerals import parse_number

__all__ = [
    "Point",
    "TimeExpr",
    "YearContext",
    "Frequency",
    "find",
    "interval",
    "year_context",
    "frequency",
    "duration_iso",
    "STRONG",
    "WEAK",
    "PLAIN",
    "PER_ONE",
    "PER",
]

# -- strengths: which expression a target takes when its sentence holds several ---------------
STRONG = 0  # a stated limit or a range: 3月20日前, 到2025年, 2019年7月10日至7月15日
PART = 1  # a part of a period or a start: 9月初, 6月下旬, 年底, 2019年5月8日起
EDGE = 2  # within and the edges of the school calendar: 60日内, 学期末, 期中, 寒假前
WEAK = 3  # a whole period: 本学期, 第二学期, 全年, 年内, 第3周
PLAIN = 4  # a plain date, month or year: 9月, 2019年5月8日, 2023年


@dataclass(frozen=True, slots=True)
class Point:
    """One calendar position as written; unwritten fields are None.

    ``part``: ``early`` (初), ``first`` (上旬), ``mid`` (中旬, 中), ``last`` (下旬), ``end`` (底, 末,
    终), ``h1``/``h2`` (上半年/下半年), ``whole`` (年度, 年内). ``rel_year``: 0 今年/本年/当年,
    1 明年/次年, -1 去年/上年 (``year`` None). ``term``: 1 or 2 (第一/第二学期, 上/下学期), 0 本学期;
    ``term_part`` 初/中/末. ``school_year``: 2023 for 2023-2024学年. ``week``: 第N周 of a term.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: str | None = None
    rel_year: int | None = None
    placeholder: bool = False
    two_digit: bool = False
    school_year: int | None = None
    term: int | None = None
    term_part: str | None = None
    week: int | None = None
    holiday: str | None = None  # 寒假 / 暑假
    rel_month: bool = False  # 月底, 上旬: a part of a month the text does not name
    month_rel: int | None = None  # 本月 0, 下月 1, 上月 -1 (month None)
    quarter: int | None = None  # 1-4 (第一季度); with quarter_rel for 本季度/上季度
    quarter_rel: int | None = None
    week_rel: int | None = None  # 本周 0, 下周 1, 上周 -1
    weekday: int | None = None  # 1 (周一) … 7 (周日) with week_rel

    def top(self) -> int:
        """The highest written level: 0 year, 1 month, 2 day, 3 none of them."""
        if self.year is not None or self.placeholder or self.rel_year is not None:
            return 0
        if self.month is not None or self.month_rel is not None:
            return 1
        if self.day is not None:
            return 2
        return 3

    def low(self) -> int:
        """The lowest written level: 2 day, 1 month, 0 year, -1 none."""
        if self.day is not None:
            return 2
        if self.month is not None or self.month_rel is not None:
            return 1
        if self.year is not None or self.placeholder or self.rel_year is not None:
            return 0
        return -1


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression at ``[start, end)`` of the text it was found in (``amount`` of a
    within is its limit: 1-2个月内 -> (2, month)).

    ``begin``/``finish``: the points of a range (``finish`` None unless ``kind`` is ``range``; a
    ``before`` keeps its limit in ``begin``). ``amount``: for ``within``, (amount, unit) with unit
    ``year``/``term``/``school-year``/``month``/``week``/``day``/``workday``/``hour``/``minute``.
    ``blur``: written as approximate (左右, 前后, 初, 底, 上旬 ...). ``flags``: ``placeholder-date``,
    ``two-digit-year``.
    """

    start: int
    end: int
    text: str
    kind: str
    strength: int
    begin: Point | None = None
    finish: Point | None = None
    amount: tuple[float, str] | None = None
    blur: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class YearContext:
    """The year a plan is about: ``year`` (2024年工作计划) and/or ``school_year`` (2023 for
    2023-2024学年: September to December fall in 2023, January to August in 2024)."""

    year: int | None = None
    school_year: int | None = None

    def year_of(self, month: int | None) -> int | None:
        if self.school_year is not None:
            if month is None:
                return None
            return self.school_year + (0 if month >= 8 else 1)
        return self.year


# -- patterns -----------------------------------------------------------------------------------
_CD = "零〇○一二三四五六七八九"
_CDIG = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PH = "xX×*□_"  # characters a template writes where a digit belongs
_Y4 = rf"\d{{4}}|[{_CD}]{{4}}|\d{{2,3}}[{_PH}]{{1,2}}|[{_PH}]{{4}}|二[零〇○][{_PH}]{{2}}"
_Y2 = rf"\d{{2}}|[{_CD}]{{2}}|[{_PH}]{{2}}"
_MON = rf"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]|[{_PH}]{{1,2}}"
_DAYN = rf"3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]|[{_PH}]{{1,2}}"
# a day written without 日/号 (1月3, 十月31) must not run on into a quantity (1月3次)
_BARE_OK = rf"(?![\d{_CD}十百千万两.．:：%个次名人天日号年月周项篇场节期批所位元课学时小分门件份本册部套家台间处张字户级届班组点])"
_NOT_NUM_BEFORE = rf"(?<![\d{_CD}十百千万两{_PH}.．])"
# 初 is early in a period, but not in 初步 (a first step), 初中 (junior high), 初级, 初见成效, 初心
_EARLY = r"初(?![步中级见心稿])"
_MPART = rf"上旬|中旬|下旬|月{_EARLY}|月中|月底|月末|{_EARLY}|中(?![考学心国小层级职高等期华央外部文])|底|末"
_YPART = rf"上半年|下半年|{_EARLY}|底|末|终|中(?![考学心国小层级职高等期华央外部文])|内(?![容涵部在外化心务])"
_REL = (
    rf"年{_EARLY}|年底|年末|年终|年中(?![考学心国小层级职高等期华央外部文])|月{_EARLY}|月底|月末|上旬|中旬|下旬"
    r"|上半年|下半年"
)
_TERM = (
    r"(?:第[一二12]|[上下本这该]|春季|秋季)学期(?!间)(?:初|中|末)?|学期(?:初|中|末)|学年(?:初|末)|本学年"
    r"|(?:(?<=[学本在于到至及和与、，,；;：:\s（(])|(?<![\s\S]))期(?:末|中)"
    r"|开学(?:初|前|后)|寒假(?:前|期间|中)?|(?<!寒)暑假(?:前|期间|中)?|本年度|全年(?!级)|年内"
    r"|(?:开学)?第(?:[一二三四五六七八九十]{1,3}|\d{1,2})(?:\s*(?:-|~|至|到|—{1,2})\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2}))?周(?!年)"
)
_SUF = (
    r"(?:或|及)?(?:之前|以前|之后|以后)|前后|前(?![期列沿置往瞻景端夕面言述者三两一二几半十\d])|为止|止|起至今|至今|起"
    r"|开始|以来|之内|以内|内(?![容涵部在外化心务])|左右"
)
_PRE = r"截止到|截止至|截至|截止|直至|直到|自从|从|自|到|至"
_SEP = r"\s*(?:至|到|~|～|-|－|—{1,2}|―{1,2}|–)\s*"

_Q = r"(?:第?(?:[一二三四1-4])|首)季度"
# holidays plans set limits by: fixed ones have a date, the lunar ones (春节, 清明节 …) have none
_FIXED_HOLIDAYS = {
    "元旦": (1, 1),
    "劳动节": (5, 1),
    "五一劳动节": (5, 1),
    "国庆节": (10, 1),
    "国庆": (10, 1),
    "教师节": (9, 10),
    "儿童节": (6, 1),
    "六一儿童节": (6, 1),
    "植树节": (3, 12),
    "妇女节": (3, 8),
    "三八妇女节": (3, 8),
    "建党节": (7, 1),
    "青年节": (5, 4),
    "五四青年节": (5, 4),
}
_HOLIDAY = "|".join(sorted(list(_FIXED_HOLIDAYS) + ["春节", "清明节", "端午节", "中秋节"], key=len, reverse=True))
_WEEKN = r"[一二三四五六]|\d"
_POINT = re.compile(
    # the lookahead lets the engine skip most positions at once: a time starts with one of these
    rf"(?=[\d{_CD}十{_PH}截直从自到至上去今明本当次前这下首第年月中学期开寒暑全春秋该元劳国教儿清端植妇建青])"
    rf"(?P<pre>{_PRE})?"
    r"(?:"
    # a school year, perhaps with its term: 2023-2024学年(度)(第一学期)
    rf"(?P<sy>\d{{4}}){_SEP}(?P<sy2>\d{{4}})\s*学年度?(?P<syt>第[一二12]学期|[上下]学期)?"
    rf"|(?P<sy1>\d{{4}})\s*学年度?(?P<syt1>第[一二12]学期|[上下]学期)?"
    # a numeric date with its day: 2020-05-26, 2019/04/19, 2019.9.6
    rf"|(?<![\d.．/-])(?P<ny>(?:19|20)\d{{2}})(?P<nsep>[-/.．])(?P<nm>1[0-2]|0?[1-9])(?P=nsep)"
    rf"(?P<nd>3[01]|[12]\d|0?[1-9])(?![\d.．/%])"
    # year, then a part of it, a quarter or a month (day, part, week)
    rf"|{_NOT_NUM_BEFORE}(?P<y>{_Y4}|{_Y2})\s*年(?P<ydu>度)?"
    rf"(?:(?P<yq>{_Q})(?P<yqp>初|末|底)?|(?P<yp>{_YPART})|\s*(?P<ym>{_MON})\s?月份?"
    rf"(?:\s?(?P<yd>{_DAYN})\s?[日号]|(?P<ydb>{_DAYN}){_BARE_OK})?(?:(?P<ymp>{_MPART})|的?第(?P<ymw>{_WEEKN})周)?"
    rf"|(?P<yterm>春季|秋季)学期)?"
    # 今年/明年/上年/前年 ... (明年年初, 去年年底: the year written twice)
    rf"|(?<![每学半全多余周百千万十\d{_CD}两])(?P<ry>上|去|今|明|本|当|次|前)(?:一)?年(?:度)?"
    rf"(?:(?P<ryq>{_Q})(?P<ryqp>初|末|底)?|年?(?P<ryp>{_YPART})|(?P<rym>{_MON})月份?"
    rf"(?:(?P<ryd>{_DAYN})[日号]|(?P<rydb>{_DAYN}){_BARE_OK})?(?:(?P<rymp>{_MPART})|的?第(?P<rymw>{_WEEKN})周)?)?"
    # 本月/下个月/上月 (a day, part or week of it)
    rf"|(?<![每隔根基资日成岁])(?P<rm>本|当|这|下|次|上)(?:一)?个?月(?:份)?"
    rf"(?:(?P<rmd>{_DAYN})[日号]|(?P<rmp>{_MPART})|的?第(?P<rmw>{_WEEKN})周)?"
    # month (day, part, week)
    rf"|{_NOT_NUM_BEFORE}(?P<m>{_MON})\s?月份?(?:\s?(?P<d>{_DAYN})\s?[日号]|(?P<db>{_DAYN}){_BARE_OK})?"
    rf"(?:(?P<mp>{_MPART})|的?第(?P<mw>{_WEEKN})周)?"
    # a quarter: 第一季度, 本季度, 上季度末
    rf"|(?<![每隔{_CD}\d])(?:(?P<q>{_Q})|(?P<rq>本|上|下|这)(?:个|一)?季度)(?P<qp>初|末|底)?"
    # 本周, 下周 (not 周期, 周年, 周边)
    rf"|(?<![每隔])(?P<rw>本|这|下|上)(?:一)?周(?![期年边末])(?:(?P<wd>[一二三四五六日天])(?![次节个项名人篇份天期]))?"
    # a day alone (30日): read as a date only in a deadline's context, see _day_alone
    rf"|{_NOT_NUM_BEFORE}(?P<dd>{_DAYN})[日号]"
    rf"|(?<![每隔])(?P<rel>{_REL})"
    rf"|(?P<hol>{_HOLIDAY})"
    rf"|(?<![每隔])(?P<term>{_TERM})"
    r")"
    rf"(?P<suf>{_SUF})?"
)

# every expression holds one of these (a numeric date holds - / .)
_ANY_TIME = re.compile(
    r"[年月日号周季旬寒暑底末初内起止今]|学[期年]|期[末中]|开学|\d[-/.．]\d|元旦|国庆|[动师童树女党春]节"
    r"|清明节|端午节|中秋节"
)
_NUM = rf"\d+(?:\.\d+)?|[{_CD}两十百]+|半"
_WITHIN = re.compile(
    rf"(?=[\d{_CD}十两百半])(?<![\d{_CD}十百千万两.第])(?P<n>{_NUM})(?:{_SEP}(?P<n2>{_NUM}))?(?P<ge>个)?(?P<half>半)?(?P<many>多)?"
    r"(?P<u>学年|学期|工作日|星期|年|月|周|天|日)(?P<half2>半)?(?P<many2>多)?\s*(?:之内|以内|内(?![容涵部在外化心务]))"
)
_WITHIN_UNIT = {
    "学年": "school-year",
    "学期": "term",
    "工作日": "workday",
    "星期": "week",
    "小时": "hour",
    "分钟": "minute",
    "年": "year",
    "月": "month",
    "周": "week",
    "天": "day",
    "日": "day",
}
_LIST_DAY = re.compile(rf"\s*[，,、]\s*(?P<d>{_DAYN})[日号]")
_RANGE_NUM = re.compile(rf"(?P<num>\d{{1,4}}|[{_CD}十]{{1,4}}){_SEP}$")
_SEP_RE = re.compile(_SEP)
# a day alone is a date when what follows is a limit or an action, or what precedes is a time word
_DAY_AFTER = re.compile(
    r"(?:之前|以前|前|为止|止|起|开始|[上下]午|晚|至|到|-|—|~|[，,、]\s*\d{1,2}[日号])"
    r"|(?:完成|召开|举行|举办|开始|结束|上报|报送|提交|报名|开学|截止|到位|进行|组织|启动|开展|前往|返校)"
    # a day a report dates its news by (记者28日获悉, 5日发布)
    r"|(?:获悉|发布|公布|印发|宣布|出台|透露|表示|介绍|召集|报道|讯|电(?![子话视脑力网]))"
)
_DAY_BEFORE = re.compile(
    r"(?:于|在|到|至|截至|截止|每月|当月|本月|次月|下月|上月|月|[\d日号]\s*(?:-|~|—{1,2}|至|到))\s*$"
)
_TERM_PART = {"初": "初", "中": "中", "末": "末"}


def _cn_digits(s: str) -> int | None:
    if all(c in _CDIG for c in s):
        return int("".join(str(_CDIG[c]) for c in s))
    return None


def _year(s: str) -> tuple[int | None, bool, bool]:
    """(year, placeholder, two_digit) of a written year."""
    s = s.strip()
    if any(c in _PH for c in s):
        return None, True, False
    v = int(s) if s.isdigit() else _cn_digits(s)
    if v is None:
        return None, False, False
    if len(s) == 2:
        return (2000 + v if v <= 60 else 1900 + v), False, True
    return v, False, False


def _small(s: str | None) -> int | None:
    """A month or day number (Arabic or Chinese); None for a placeholder."""
    if s is None or any(c in _PH for c in s):
        return None
    v = parse_number(s)
    return None if v is None else int(v)


def _part(s: str | None) -> str | None:
    if not s:
        return None
    s = s.lstrip("月年")
    return {
        "初": "early",
        "上旬": "first",
        "中旬": "mid",
        "下旬": "last",
        "中": "mid",
        "底": "end",
        "末": "end",
        "终": "end",
        "上半年": "h1",
        "下半年": "h2",
        "内": "whole",
    }.get(s)


def _ph(s: str | None) -> bool:
    return s is not None and any(c in _PH for c in s)


def _quarter(s: str) -> int:
    c = s.lstrip("第")[0]
    return 1 if c == "首" else int(c) if c.isdigit() else _CDIG[c]


def _term_no(s: str | None) -> int | None:
    if not s:
        return None
    return 1 if s[0] in "上" or s[1:2] in ("一", "1") else 2


def _point(m: re.Match) -> Point | None:
    """The point a :data:`_POINT` match names (None when it names nothing usable)."""
    g = m.groupdict()
    if g["ny"] is not None:
        return Point(year=int(g["ny"]), month=int(g["nm"]), day=int(g["nd"]))
    if g["sy"] or g["sy1"]:
        y1 = int(g["sy"] or g["sy1"])
        if g["sy"] and int(g["sy2"]) != y1 + 1:
            return None
        return Point(school_year=y1, term=_term_no(g["syt"] or g["syt1"]))
    if g["y"] is not None:
        y, ph, two = _year(g["y"])
        if y is None and not ph:
            return None
        if len(g["y"].strip()) == 2 and g["y"][0] in _CD and g["y"][1] in _CD:
            a, b = _CDIG[g["y"][0]], _CDIG[g["y"][1]]
            if b == a + 1:
                return None  # 二三年: two or three years, not 2023
        month = _small(g["ym"])
        ph = ph or _ph(g["ym"]) or _ph(g["yd"] or g["ydb"])
        if g["yterm"]:
            return Point(year=y, placeholder=ph, two_digit=two, term=1 if g["yterm"] == "秋季" else 2)
        if g["yq"]:
            return Point(year=y, placeholder=ph, two_digit=two, quarter=_quarter(g["yq"]), part=_part(g["yqp"]))
        part = _part(g["yp"]) or _part(g["ymp"]) or ("whole" if g["ydu"] and not g["ym"] else None)
        return Point(
            year=y,
            month=month,
            day=_small(g["yd"] or g["ydb"]),
            part=part,
            placeholder=ph,
            two_digit=two,
            week=_small(g["ymw"]),
        )
    if g["ry"] is not None:
        rel = {"上": -1, "去": -1, "今": 0, "本": 0, "当": 0, "明": 1, "次": 1, "前": -2}[g["ry"]]
        if g["ryq"]:
            return Point(rel_year=rel, quarter=_quarter(g["ryq"]), part=_part(g["ryqp"]))
        return Point(
            rel_year=rel,
            month=_small(g["rym"]),
            day=_small(g["ryd"] or g["rydb"]),
            part=_part(g["ryp"]) or _part(g["rymp"]),
            week=_small(g["rymw"]),
        )
    if g["rm"] is not None:
        rel = {"本": 0, "当": 0, "这": 0, "下": 1, "次": 1, "上": -1}[g["rm"]]
        return Point(month_rel=rel, day=_small(g["rmd"]), part=_part(g["rmp"]), week=_small(g["rmw"]))
    if g["q"] is not None or g["rq"] is not None:
        if g["rq"]:
            return Point(quarter_rel={"本": 0, "这": 0, "下": 1, "上": -1}[g["rq"]], part=_part(g["qp"]))
        return Point(quarter=_quarter(g["q"]), part=_part(g["qp"]))
    if g["rw"] is not None:
        wd = g["wd"]
        return Point(
            week_rel={"本": 0, "这": 0, "下": 1, "上": -1}[g["rw"]],
            weekday=None if wd is None else 7 if wd in "日天" else _CDIG[wd],
        )
    if g["m"] is not None:
        return Point(
            month=_small(g["m"]),
            day=_small(g["d"] or g["db"]),
            part=_part(g["mp"]),
            placeholder=_ph(g["m"]) or _ph(g["d"] or g["db"]),
            week=_small(g["mw"]),
        )
    if g["dd"] is not None:
        return Point(day=_small(g["dd"]), placeholder=_ph(g["dd"]))
    if g["hol"] is not None:
        md = _FIXED_HOLIDAYS.get(g["hol"])
        return Point(month=md[0], day=md[1]) if md else Point(holiday=g["hol"])
    if g["rel"] is not None:
        r = g["rel"]
        if r[0] == "年" or r.endswith("半年"):
            return Point(rel_year=0, part=_part(r[1:] if r[0] == "年" else r))
        return Point(part=_part(r[1:] if r[0] == "月" else r), rel_month=True)
    t = g["term"]
    if t.endswith("周") and "第" in t:
        n = re.match(r"[一二三四五六七八九十]+|\d+", t[t.index("第") + 1 :])
        return None if n is None else Point(week=_small(n.group()))
    if t in ("本年度", "全年", "年内"):
        return Point(rel_year=0, part="whole")
    if t.startswith(("寒假", "暑假")):
        return Point(holiday=t[:2], term_part=t[2:] or None)
    if t.startswith("开学"):
        return Point(term=0, term_part="初" if t[2] in "初后" else "前")
    term = 0
    if "学期" in t:
        head = t[: t.index("学期")]
        term = {"第一": 1, "第1": 1, "上": 1, "秋季": 1, "第二": 2, "第2": 2, "下": 2, "春季": 2}.get(head, 0)
        tail = t[t.index("学期") + 2 :]
    elif t.startswith("学年"):
        tail = t[2:]
    elif t == "本学年":
        tail = ""
    else:  # 期末, 期中
        tail = t[1:]
    return Point(term=term, term_part=_TERM_PART.get(tail))


def _suf(m: re.Match) -> str | None:
    """The limit word after a point, 或/及 left out: 2019年8月1日或之前 -> 之前, 2013年及以前 -> 以前."""
    suf: str | None = m.group("suf")
    return suf[1:] if suf and suf[0] in "或及" else suf


def _kind_of(m: re.Match, p: Point) -> tuple[str, int, bool]:
    """(kind, strength, blur) of a single point match."""
    pre, suf = m.group("pre"), _suf(m)
    blur = suf in ("左右", "前后") or p.part in ("early", "end", "first", "mid", "last", "h1", "h2")
    if suf in ("之前", "以前", "前", "为止", "止") or pre in (
        "截止到",
        "截止至",
        "截至",
        "截止",
        "直至",
        "直到",
        "到",
        "至",
    ):
        return "before", STRONG, blur
    if suf in ("起", "开始", "以来", "起至今", "至今", "之后", "以后") or pre in ("从", "自", "自从"):
        return "since", PART, blur
    if p.week_rel is not None or p.quarter is not None or p.quarter_rel is not None:
        return "date", PART if p.part else WEAK, blur
    if p.month_rel is not None and p.day is None and p.part is None and p.week is None:
        return "date", WEAK, blur
    if p.week is not None and (p.month is not None or p.month_rel is not None):
        return "date", PART, blur
    if p.term is not None or p.holiday or p.week is not None or p.school_year is not None:
        if p.term_part:
            return "term", EDGE, True
        return "term", WEAK, False
    if p.part == "whole" or (p.rel_year is not None and p.part is None and p.month is None):
        return "date", WEAK, blur
    if p.part is not None or p.day is not None and p.month is not None:
        return "date", PART if p.part is not None else PLAIN, blur
    return "date", PLAIN, blur


def _day_alone(text: str, m: re.Match) -> bool:
    """A day written alone (30日) is a date only in a deadline's context: 30日前, 于30日, 30日完成."""
    if m.group("suf") or m.group("pre"):
        return True
    if _AMOUNT_ASIDE.match(text, m.end()):
        return False  # 在1日（24小时）内: an amount of days with its aside, not the 1st of a month
    return bool(_DAY_AFTER.match(text, m.end()) or _DAY_BEFORE.search(text[max(0, m.start() - 4) : m.start()]))


_AMOUNT_ASIDE = re.compile(r"\s*[（(][^（）()\n]{1,12}[)）]\s*(?:之内|以内|内(?![容涵部在外化心务]))")


def _two_digit_ok(text: str, m: re.Match, p: Point) -> bool:
    """A two-digit year (15年3月2日, 19年底) is a year when a month or part follows it, or when
    the sentence uses it as a date (24年完成); 35年以上, 10年来 are amounts of time."""
    if p.month is not None or p.part not in (None, "whole") or p.term is not None or p.quarter is not None:
        return True
    if _suf(m) in ("前", "之前", "以前", "之后", "以后", "以来", "以内", "之内", "内", "左右", "前后"):
        return False  # 35年前: 35 years ago, or before 2035?
    return bool(
        _DAY_AFTER.match(text, m.end()) or _DAY_BEFORE.search(text[max(0, m.start() - 3) : m.start()]) or m.group("pre")
    )


def _flags(*pts: Point | None) -> tuple[str, ...]:
    out = []
    if any(p is not None and p.placeholder for p in pts):
        out.append("placeholder-date")
    if any(p is not None and p.two_digit for p in pts):
        out.append("two-digit-year")
    return tuple(out)


def _ymd(p: Point) -> tuple[int, ...]:
    return tuple(-1 if v is None else v for v in (p.year, p.month, p.day))


def _inherit(end: Point, begin: Point) -> Point:
    """The end of a range takes the fields it leaves out from the begin (2017年8月11日至8月22日)."""
    lvl = end.top()
    out = end
    if lvl >= 1 and end.year is None and end.rel_year is None:
        out = replace(
            out,
            year=begin.year,
            rel_year=begin.rel_year,
            two_digit=begin.two_digit,
            placeholder=end.placeholder or begin.placeholder,
        )
    if lvl >= 2 and end.month is None:
        out = replace(out, month=begin.month)
    return out


def _next_year(end: Point, begin: Point) -> Point | None:
    """2023年11月至次年3月: 次年/明年 after a begin with a month is the year after the begin's."""
    if end.rel_year != 1 or end.month is None or begin.month is None:
        return None
    if begin.year is not None:
        return replace(end, year=begin.year + 1, rel_year=None, two_digit=begin.two_digit)
    return end  # 11月至次年2月: resolved against the begin's year by interval()


def _range_ok(b: Point, e: Point) -> bool:
    if b.top() > 2 or e.top() > 2:
        return False
    if e.rel_year == 1 and e.year is None and b.month is not None and e.month is not None:
        return True  # 11月至次年2月
    if e.top() < b.top():
        return False  # 8月至2018年3月: the end names a year the begin left out
    if b.low() < e.top():
        return False  # 2017年至8月
    if b.placeholder or e.placeholder:
        return True
    return (
        _ymd(b) <= _ymd(e)
        or b.year is None
        and e.year is None
        and b.month is not None
        and e.month is not None
        and b.month > e.month
    )  # 11月至次年2月 written as 11月至2月


def _num_before(text: str, a: int, sep: bool) -> tuple[int, str] | None:
    """A bare number ending just before ``a`` (and a range separator when ``sep``): the begin of
    2019年1-五月, 1985到89年9月, 2020至2025年前."""
    seg = text[max(0, a - 12) : a]
    r = re.search(rf"(?<![\d{_CD}十])(?P<num>\d{{1,4}}|[{_CD}十]{{1,3}})" + (rf"(?:{_SEP})$" if sep else r"\s*$"), seg)
    if r is None:
        return None
    return a - len(seg) + r.start(), r.group("num")


def _within(text: str) -> list[TimeExpr]:
    out = []
    for m in _WITHIN.finditer(text):
        top = m.group("n2") or m.group("n")
        n = 0.5 if top == "半" else parse_number(top)
        if n is None or (m.group("u") == "年" and n >= 100):
            continue  # 2024年内 is a year
        if m.group("u") == "月" and not m.group("ge") and m.group("n") != "半" and not m.group("half"):
            continue  # 3月内: in March, not within three months
        if m.group("half") or m.group("half2"):
            n += 0.5
        out.append(
            TimeExpr(
                m.start(),
                m.end(),
                m.group(),
                "within",
                EDGE,
                amount=(n, _WITHIN_UNIT[m.group("u")]),
                blur=bool(m.group("many") or m.group("many2")),
            )
        )
    return out


@lru_cache(maxsize=8192)
def find(text: str) -> tuple[TimeExpr, ...]:
    """Every time expression of ``text`` (a sentence of the ``norm`` view), in text order."""
    if not _ANY_TIME.search(text):
        return ()  # most sentences name no time at all
    within = _within(text)
    taken = bytearray(len(text))
    for w in within:
        taken[w.start : w.end] = b"\x01" * (w.end - w.start)
    points: list[tuple[re.Match, Point]] = []
    for m in _POINT.finditer(text):
        if any(taken[m.start() : m.end()]):
            continue
        p = _point(m)
        if p is None:
            continue
        if p.top() == 2 and p.month is None and not _day_alone(text, m):
            continue
        if p.two_digit and not _two_digit_ok(text, m, p):
            continue
        if m.group("ry") and p.month is None and p.part is None and not (m.group("pre") or m.group("suf")):
            continue  # 今年, 明年 alone set the scene (今年遴选…); 今年底, 明年6月前, 到明年 are limits
        points.append((m, p))
    exprs: list[TimeExpr] = []
    i = 0
    while i < len(points):
        m, p = points[i]
        a, b = m.start(), m.end()
        pre = m.group("pre")
        # NUM SEP point: 2019年1-五月, 1985到89年9月, 2020至2025年前, 2018年2——4月
        if p.top() in (0, 1) and pre in (None, "到", "至"):
            nb = _num_before(text, a, sep=pre is None)
            bp = None
            if nb is not None:
                num_start, num = nb
                prev = exprs[-1] if exprs and exprs[-1].end == num_start else None
                if p.top() == 0 and len(num) == 4 and prev is None:
                    y, ph, _ = _year(num)
                    if y is not None or ph:
                        bp = Point(year=y, placeholder=ph)
                elif p.top() == 1 and p.month is not None:
                    v = _small(num)
                    if v is not None and 1 <= v < p.month:
                        yp = (
                            prev.begin
                            if (
                                prev is not None
                                and prev.kind == "date"
                                and prev.begin is not None
                                and prev.begin.low() == 0
                                and prev.begin.part is None
                            )
                            else None
                        )
                        bp = (
                            Point(month=v)
                            if yp is None
                            else Point(
                                year=yp.year,
                                rel_year=yp.rel_year,
                                month=v,
                                placeholder=yp.placeholder,
                                two_digit=yp.two_digit,
                            )
                        )
                        if yp is not None and prev is not None:
                            num_start = prev.start
                            exprs.pop()
            if bp is not None:
                inherited = _inherit(p, bp)
                if _range_ok(bp, inherited):
                    exprs.append(
                        TimeExpr(
                            num_start,
                            b,
                            text[num_start:b],
                            "range",
                            STRONG,
                            bp,
                            inherited,
                            blur=m.group("suf") in ("左右", "前后"),
                            flags=_flags(bp, inherited),
                        )
                    )
                    i += 1
                    continue
        # point SEP point: 2017年8月15日至2018年3月29日; a list of days: 9月10号，11号，12号
        j = i
        end_p: Point | None = None
        end_b = b
        if i + 1 < len(points) and _suf(m) in (None, "起", "开始"):
            m2, p2 = points[i + 1]
            gap = text[b : m2.start()]
            pre2 = m2.group("pre")
            if (pre2 in ("到", "至") and not gap.strip()) or (pre2 is None and _SEP_RE.fullmatch(gap)):
                cand = _next_year(p2, p) or _inherit(p2, p)
                if _range_ok(p, cand) and _suf(m2) in (None, "止", "为止", "前", "之前", "以前", "左右"):
                    end_p, end_b, j = cand, m2.end(), i + 1
        if end_p is None and p.day is not None and p.month is not None:
            k = b
            while True:
                lm = _LIST_DAY.match(text, k)
                if not lm or _small(lm.group("d")) is None:
                    break
                k = lm.end()
                end_p = Point(
                    year=p.year, rel_year=p.rel_year, month=p.month, day=_small(lm.group("d")), two_digit=p.two_digit
                )
            if end_p is not None:
                end_b = k
                while j + 1 < len(points) and points[j + 1][0].start() < end_b:
                    j += 1
        if end_p is not None:
            exprs.append(TimeExpr(a, end_b, text[a:end_b], "range", STRONG, p, end_p, flags=_flags(p, end_p)))
        else:
            kind, strength, blur = _kind_of(m, p)
            exprs.append(TimeExpr(a, b, m.group(), kind, strength, p, blur=blur, flags=_flags(p)))
        i = j + 1
    out = sorted(exprs + within, key=lambda e: (e.start, -e.end))
    kept: list[TimeExpr] = []
    for e in out:
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
    return tuple(kept)


# -- intervals ------------------------------------------------------------------------------------
def _bounds(p: Point, ctx: YearContext) -> tuple[str | None, str | None]:
    """ISO first and last day of a point, or (None, None) when its year is not known."""
    if p.placeholder:
        return None, None
    if p.school_year is not None:
        y = p.school_year
        if p.term == 1:
            return f"{y}-09-01", f"{y + 1}-01-31"
        if p.term == 2:
            return f"{y + 1}-02-01", f"{y + 1}-08-31"
        return f"{y}-09-01", f"{y + 1}-08-31"
    if (
        p.term is not None
        or p.holiday is not None
        or p.rel_month
        or p.month_rel is not None
        or p.quarter_rel is not None
        or p.week_rel is not None
        or (p.week is not None and p.month is None)
    ):
        return None, None
    year = p.year
    if year is None:
        if p.rel_year is not None:
            base = ctx.year if ctx.school_year is None else None
            if p.rel_year != 0 or base is None:
                return None, None  # 明年 in a plan written the year before is not its year + 1
            year = base
        else:
            year = ctx.year_of(p.month)
    if year is None:
        return None, None
    if p.quarter is not None:
        first = 3 * p.quarter - 2
        lo_m, hi_m = {"early": (first, first), "end": (first + 2, first + 2)}.get(p.part or "", (first, first + 2))
        return f"{year}-{lo_m:02d}-01", f"{year}-{hi_m:02d}-{calendar.monthrange(year, hi_m)[1]:02d}"
    if p.month is None:
        if p.day is not None:
            return None, None
        lo_md, hi_md = {
            "early": ((1, 1), (2, 28 + calendar.isleap(year))),
            "end": ((11, 1), (12, 31)),
            "mid": ((6, 1), (7, 31)),
            "h1": ((1, 1), (6, 30)),
            "h2": ((7, 1), (12, 31)),
        }.get(p.part or "", ((1, 1), (12, 31)))
        return f"{year}-{lo_md[0]:02d}-{lo_md[1]:02d}", f"{year}-{hi_md[0]:02d}-{hi_md[1]:02d}"
    if not 1 <= p.month <= 12:
        return None, None
    last = calendar.monthrange(year, p.month)[1]
    if p.week is not None:  # week N of a month: the N-th week from the month's first Monday
        first_monday = 1 + (7 - calendar.weekday(year, p.month, 1)) % 7
        monday = date(year, p.month, first_monday) + timedelta(weeks=p.week - 1)
        sunday = monday + timedelta(days=6)
        return monday.isoformat(), sunday.isoformat()
    if p.day is not None:
        if not 1 <= p.day <= last:
            return None, None
        d = f"{year}-{p.month:02d}-{p.day:02d}"
        return d, d
    lo, hi = {"early": (1, 5), "first": (1, 10), "mid": (11, 20), "last": (21, last), "end": (25, last)}.get(
        p.part or "", (1, last)
    )
    return f"{year}-{p.month:02d}-{lo:02d}", f"{year}-{p.month:02d}-{hi:02d}"


def interval(e: TimeExpr, ctx: YearContext | None = None) -> tuple[str | None, str | None]:
    """ISO (start, end) dates of an expression; None where it is open or its year is unknown.

    ``before`` gives (None, end of the limit); ``since`` (start, None); ``within`` (None, None):
    its start is an event the sentence names, not a date.
    """
    ctx = ctx or YearContext()
    if e.kind == "within" or e.begin is None:
        return None, None
    lo, hi = _bounds(e.begin, ctx)
    if e.kind == "range" and e.finish is not None:
        fin = e.finish
        if fin.rel_year == 1 and fin.year is None and lo is not None:
            fin = replace(fin, year=int(lo[:4]) + 1, rel_year=None)  # 11月至次年2月
        lo2, hi2 = _bounds(fin, ctx)
        if lo is None or hi2 is None:
            return None, None
        if hi2 < lo and fin.year is None and fin.rel_year is None:
            _, hi2 = _bounds(replace(fin, year=int(lo[:4]) + 1), ctx)  # 11月至2月: into the next year
        return lo, hi2
    if e.kind == "before":
        return None, hi
    if e.kind == "since":
        return lo, None
    return lo, hi


_TITLE_SCHOOL_YEAR = re.compile(rf"(\d{{4}}){_SEP}(\d{{4}})\s*学年|(\d{{4}})\s*学年")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|年度)")
_TITLE_TERM = re.compile(r"(\d{4})\s*年\s*(春季|秋季|春|秋)")


def year_context(title: str | None, meta: dict | None = None) -> YearContext:
    """The plan's own year from its title (2024年工作计划, 2023-2024学年第一学期计划, 2023年秋季学期)
    or from metadata (a ``year`` field); a placeholder year (20xx) gives none."""
    meta = meta or {}
    for key in ("year", "年份", "年度"):
        v = meta.get(key)
        if isinstance(v, int) and 1900 <= v <= 2100:
            return YearContext(year=v)
        if isinstance(v, str) and re.fullmatch(r"(?:19|20)\d{2}", v.strip()):
            return YearContext(year=int(v))
    t = title or ""
    m = _TITLE_SCHOOL_YEAR.search(t)
    if m:
        y1 = int(m.group(1) or m.group(3))
        if m.group(1) is None or int(m.group(2)) == y1 + 1:
            return YearContext(school_year=y1)
    m = _TITLE_TERM.search(t)
    if m:
        y = int(m.group(1))
        return YearContext(school_year=y if m.group(2).startswith("秋") else y - 1)
    m = _TITLE_YEAR.search(t)
    if m:
        return YearContext(year=int(m.group(1)))
    return YearContext()


# -- frequencies ----------------------------------------------------------------------------------
_PER_UNITS = (
    r"学年|学期|年度|季度|年|月|周末|周|星期|天|日|人|生|节课|课时|小时|次"
    r"|项(?!目)|校|班(?!级)|组(?![织成建])|期(?![末中间])|单元"
    r"|亩|县(?![城区域])|乡镇|镇|村|户(?![外口籍])|所|园(?![长区所])|家(?![长庭])"
)
# 每 + period, chained: 每学年, 每两周, 每人每年, 每隔3天; 隔周/隔月 (every other); 人均/年均
PER_ONE = rf"每(?:隔\s*)?(?:[一二两三四五六七八九十半]|\d+|[十百千万]{{1,2}}(?=[人户]))?个?(?:{_PER_UNITS})"
PER = (
    rf"(?:{PER_ONE})+|隔(?:周|月|天|日)(?![内前后])|双周(?![内前后])|人均|年均|生均|户均|校均|班均"
    r"|一(?:学年|学期|年|月|周)(?=\s*(?:\d|[一两二三四五六七八九十]))"
)
_FREQ_UNIT = {
    "学年": "school-year",
    "学期": "term",
    "年度": "year",
    "季度": "quarter",
    "年": "year",
    "月": "month",
    "周": "week",
    "周末": "week",
    "星期": "week",
    "天": "day",
    "日": "day",
    "小时": "hour",
    "人": "person",
    "生": "person",
    "节课": "lesson",
    "课时": "lesson",
    "次": "time",
    "项": "item",
    "校": "school",
    "班": "class",
    "组": "group",
    "期": "session",
    "单元": "unit",
    "亩": "mu",
    "县": "county",
    "乡镇": "township",
    "镇": "township",
    "村": "village",
    "户": "household",
    "所": "school",
    "园": "kindergarten",
    "家": "institution",
}
_TIME_FREQ = ("school-year", "term", "year", "quarter", "month", "week", "day", "hour")
_FREQ_PART = re.compile(
    rf"(?:每|一)(?P<gap>隔\s*)?(?P<n>[一二两三四五六七八九十半]|\d+|[十百千万]{{1,2}}(?=[人户]))?个?(?P<u>{_PER_UNITS})"
)


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often: ``every`` units of ``unit`` (每两周 -> 2 week; 每隔3天 -> 3 day, as JioNLP reads
    it; 每隔一周 and 隔周 -> 2 week, every other; 每半年 -> 0.5 year). ``unit`` is the time unit of a chain (每人每年 -> year),
    else its last unit (每人 -> person)."""

    every: float
    unit: str


def frequency(per: str | None) -> Frequency | None:
    """The structured reading of a ``per`` text (每学期, 每两周, 每隔3天, 人均, 2次/月 -> 每月)."""
    if not per:
        return None
    if per in ("人均", "生均"):
        return Frequency(1, "person")
    if per in ("户均", "校均", "班均"):
        return Frequency(1, {"户均": "household", "校均": "school", "班均": "class"}[per])
    if per == "年均":
        return Frequency(1, "year")
    if per.startswith("隔") or per == "双周":
        return Frequency(2, _FREQ_UNIT.get(per[1:], "week"))
    parts = [(m.group("n"), _FREQ_UNIT[m.group("u")], bool(m.group("gap"))) for m in _FREQ_PART.finditer(per)]
    if not parts:
        return None
    timed = [p for p in parts if p[1] in _TIME_FREQ]
    n, unit, gap = (timed or parts)[-1]
    if n is not None and n[0] in "十百千万":
        n = "一" + n  # 每千人: every thousand people
    every = 1.0 if n is None else (0.5 if n == "半" else parse_number(n))
    if gap and every == 1:
        every = 2.0  # 每隔一周: every other week (每周 would say every week)
    return Frequency(every if every is not None else 1.0, unit)


# -- durations ------------------------------------------------------------------------------------
_ISO_UNIT = {
    "天": ("D", False),
    "周": ("W", False),
    "个月": ("M", False),
    "年": ("Y", False),
    "小时": ("H", True),
    "分钟": ("M", True),
}


def duration_iso(value: float | None, unit: str | None) -> str | None:
    """An ISO 8601 duration for an amount of calendar time (3天 -> P3D, 2小时 -> PT2H, 3个月 -> P3M);
    None for other units (学时, 课时 and 工作日 are not calendar time)."""
    if value is None or unit not in _ISO_UNIT:
        return None
    letter, clock = _ISO_UNIT[unit]
    num = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return f"PT{num}{letter}" if clock else f"P{num}{letter}"
