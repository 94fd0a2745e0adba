"""Rule *numbers*: where a quantity is written (numeral, range, fuzzy tail, unit, qualifier),
the stretches that hold numbers but no targets, and the value a quantity states.

Every candidate that is not a target is turned away by a named rejection (:data:`REJECTIONS`),
so that a reader (or a test) can ask why a number is not a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..numerals import NUMBER, is_chinese, parse_number
from .units import is_unit_word, units

__all__ = ["REJECTIONS", "Quantity", "qty_re", "mask_re", "read_quantity", "PLACEHOLDER", "RANGE"]

PLACEHOLDER = r"(?<![A-Za-z])(?:[xX×]{1,3}|□+|_{2,}|\*{2,})"
RANGE = r"(?:[-—～~至到]|——)"

# name -> what it turns away (the pipeline and its tests name the rule that rejected a number)
REJECTIONS = {
    "masked": "a stretch that holds numbers but no target: 《title》, document number, phone, age, "
              "score rule, motto (1人1卡), section number, 考试后3周",
    "chrome-line": "a line of page chrome (精选18篇, 字数 3103 阅读)",
    "time-limit": "a time limit (两周内, 三年内) is a deadline, not a quantity",
    "improper-share": "a share whose part exceeds the whole or has no whole (三分之五, 零分之一)",
    "unit-in-word": "the unit character starts a word (三部分, 一名师, 十分钟 is kept by the lexicon)",
    "unreadable-number": "the numeral or its range end cannot be read",
    "reversed-range": "a range that runs down (2-1) is more likely an ordinal or a date",
    "score-word": "a Chinese numeral before 分 is an adverb (十分重要)",
    "idea-count": "a Chinese numeral before a generic classifier counts ideas (三个层次), unless stated",
    "article-one": "a bare 一 before a unit is an article (上一节课), unless stated",
    "list-marker": "an enclosed numeral (③) that NFKC turned into a digit",
}


@lru_cache(maxsize=1)
def qty_re() -> re.Pattern:
    """One quantity as written: leading qualifier, numeral (or range, share, percentage,
    placeholder), fuzzy tail, unit, trailing qualifier."""
    ulist = "|".join(re.escape(u) for u in sorted(units(), key=len, reverse=True))
    return re.compile(
        # the lookahead lets the engine skip most positions at once
        rf"(?=[\d零〇○一二两三四五六七八九十百乙xX×□_*约近将接大])"
        rf"(?<![\d.第A-Za-z\-—～~])(?P<pre>大约|约为|约|将近|接近|近)?(?:"
        rf"百分之(?P<pnum>{NUMBER}|百)(?:\s*{RANGE}\s*(?:百分之)?(?P<pnum2>{NUMBER}|百))?"
        rf"|(?P<fden>{NUMBER})分之(?P<fnum>{NUMBER})"  # 三分之一: a share, read as a percentage
        rf"|(?<![这那哪同唯统逐之])(?P<num>{NUMBER}|乙(?=[份个篇次项]))"
        rf"(?:\s*(?P<u0>{ulist})?\s*(?P<sep>{RANGE})\s*(?P<num2>{NUMBER}))?"
        rf"(?P<fz>多|余|来)?\s?(?P<unit>{ulist})(?:或(?P=num)(?P=unit)(?=及?以上|以下))?"
        rf"|(?P<ph>{PLACEHOLDER})(?P<fz2>多|余)?\s?(?P<unit2>{ulist}))"
        rf"(?P<post>左右|上下|及以上|或以上|以上|以下|以内|之内|内(?![容涵部在外化心务]))?"
    )


@lru_cache(maxsize=1)
def mask_re() -> re.Pattern:
    """Stretches that hold numbers but no targets (rejection ``masked``)."""
    return re.compile(
        r"《[^《》\n]{0,80}》"
        r"|“[^“”\n]{1,10}”"
        r"|[〔\[【(（]\d{4}[〕\]】)）]\s*\d*\s*号"
        r"|[\u4e00-\u9fff]{1,8}发\s*\d{4}\s*\d*\s*号"
        r"|(?:电话|手机|联系方式|tel|Tel|TEL|传真)[：:]?\s*[\d\-— ]{6,}"
        r"|\d{3,4}[-—]\d{7,8}|\d{7,}"
        r"|\d+岁(?:以下|以上|以内|至\d+岁)?"
        r"|(?:最后|最末|倒数第?)\s*(?:[一二两三四五六七八九十]|\d{1,2})"
        r"|(?<!\d)1[人校班生师园组]1[\u4e00-\u9fff]"  # 1人1卡, 1校1品: a motto, not a count
        r"|(?<=[前后])\s*(?:\d{1,2}|[一二两三四五六七八九十])个?(?:周|天|日)(?!内)"  # 考试后3周: a time
        r"|(?m:^[ \t\u3000]*\d{1,2}(?:\.\d{1,2})+(?=[ \t\u3000]))"  # 1.2 课例研讨: a section number
        r"|每(?:少|多|缺|超)[^，。；]{0,8}?(?:" + "|".join(map(re.escape, units())) + ")"
        r"|[扣减罚加奖得]\d+(?:\.\d+)?分|[（(]\d+(?:\.\d+)?分[)）]"
    )


@dataclass(slots=True)
class Quantity:
    """What a quantity match says before its context is read."""

    num: str | None
    num2: str | None
    unit: str
    factor: float
    kind: str
    placeholder: bool
    share: bool  # 三分之一


def read_quantity(m: re.Match, before: str, after: str) -> Quantity | str:
    """The numeral(s), unit and factor of a quantity match, or the name of the rejection."""
    g = m.groupdict()
    if g["pnum"] is not None:
        num, num2 = (None if x is None else "百分之" + x for x in (g["pnum"], g["pnum2"]))
        return Quantity(num, num2, "%", 1.0, "percent", False, False)
    if g["fden"] is not None:
        den, part = parse_number(g["fden"]), parse_number(g["fnum"])
        if not den or part is None or part > den:
            return "improper-share"
        return Quantity(g["fnum"], None, "%", 100.0 / den, "percent", False, True)
    written = g["unit"] or g["unit2"]
    u = units()[written]
    if is_unit_word(written, after):
        return "unit-in-word"
    unit = "学分" if u.canon == "分" and "学分" in before else u.canon  # 学分不少于24分, 其中…12分
    return Quantity(g["num"], g["num2"], unit, u.factor, u.kind, g["ph"] is not None, False)


def values(q: Quantity, stated: bool) -> tuple[float, float | None] | str:
    """(value, value_max) of a (non-placeholder) quantity, or the name of the rejection.
    ``stated``: a comparator, frequency, qualifier or fuzzy tail says it is a commitment."""
    num, num2 = q.num, q.num2
    value = parse_number("一" if num == "乙" else num or "")  # 乙份: a converter's 一
    if value is None or num is None:
        return "unreadable-number"
    value_max = None
    if num2 is not None:
        value_max = parse_number(num2)
        if value_max is None:
            return "unreadable-number"
        mult = num2[-1] if num2[-1] in "十百千万亿" and not is_chinese(num2) else ""
        if mult and num[-1] not in "十百千万亿":
            value *= parse_number("1" + mult) or 1
        value_max *= q.factor
        if value_max < value:  # 1-2: a range, never 2-1 (that is more likely an ordinal)
            return "reversed-range"
    value *= q.factor
    chinese = is_chinese(num)
    if q.unit == "分" and chinese:
        return "score-word"
    if chinese and q.kind == "generic" and not stated:
        return "idea-count"
    if num in ("一", "乙") and num2 is None and not stated and not q.share:
        return "article-one"
    return value, value_max
