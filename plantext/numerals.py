"""Chinese and Arabic numerals as they appear in plans: the one numeral parser of plantext.

Forms read: 48, ４８, 1,200, 1.5万, 3千, 1万6千, 两, 十二, 一百二十, 一千零十, 二〇一八, 百分之八十;
colloquial elision (三万五 = 35000, 两千六 = 2600, 一百二 = 120); estimates as a range (两三 =
2–3, 三四十 = 30–40, 十三四 = 13–14); approximations (十几 = 10–20, 几十/数十 = 10–100, 十余万 and
2600多万 = the base value with the qualifier 余/多).

:data:`NUMBER` is a regular-expression fragment that matches one numeral; :func:`read_number`
reads what it matched as a :class:`Reading` (value, value_max, approx); :func:`parse_number`
is the exact value only — None for a range or an approximation, so that no caller takes an
estimate for a stated figure. Full-width digits are folded with NFKC, so the functions also
work on raw source text, not only on a ``norm`` view.

cn2an was measured as an alternative (0.9 s import, ~140 µs a call against a few µs here) and
reads 两三 as 23; the forms plans use are few enough to read here, with ranges and flags.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

__all__ = [
    "NUMBER",
    "PERCENT",
    "ARABIC",
    "CHINESE",
    "Reading",
    "read_number",
    "parse_number",
    "is_chinese",
    "DIGITS",
    "SMALL",
    "LARGE",
]

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL = {"十": 10, "百": 100, "千": 1000}
LARGE = {"万": 10_000, "亿": 100_000_000}
_MULT = {**SMALL, **LARGE}
# financial (capital) numerals, as in budgets: 壹万元, 叁仟伍佰元 (read as the ordinary forms)
CAPITALS = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億", "一二二三三四五六六七八九十百千万亿")
_CAP_DIGIT = "壹贰貳叁參肆伍陆陸柒捌玖"

_CN_DIGIT = "零〇○一二两三四五六七八九"
_D = f"[{_CN_DIGIT}]"
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# 1万6千, 3亿5000万: Arabic groups each with a multiplier, largest first
# 1亿3千多万: the groups after 亿 counted in 万 (1.3亿 and more)
_ARABIC_MIXED = (
    r"\d+(?:\.\d+)?亿\d+(?:\.\d+)?[千百十]?[多余]?万"
    r"|\d+(?:\.\d+)?[亿万千](?:\d+(?:\.\d+)?[万千百十](?![\d" + _CN_DIGIT + r"]))+"
)
# One step of a Chinese numeral: a digit, a multiplier (never 十十, 十百, 百千 ...: 七十百分位 is
# 七十 then 百分位), 几 (十几, 几十), or 多/余 before a multiplier (十余万).
_CN_STEP = (
    rf"(?:(?:多|余)(?=[十百千万亿])|[{_CN_DIGIT}十百千万亿几](?<!十[十百千])(?<!百[百千])(?<!千千)"
    rf"(?<!几几)|[{_CAP_DIGIT}拾佰仟萬億])"
)
# 两岸, 两会, 两委, 两学一做: names, not counts
_LIANG_WORD = r"两(?=岸|会(?!议)|委|学一做|翼|新组织)"
# words that start with 一 and count nothing: 一定, 一直, 一线教师, 一系列, 一方面, 一半 (never 1 定)
_YI_WORD = r"一(?=定|直|向|般|样|致|切|些|起|旦|律|贯|味|再|经|同|齐|举|流|线|体|半|系列|方面|反常态|带一路)"
# place names that start with a numeral: 四川, 三亚, 九江, 十堰 ... (never 4 川)
_PLACE_WORD = r"四川|三亚|三明(?!治)|三门峡|九江|九寨沟|十堰|六安(?!全)|六盘水|七台河|五指山|二连浩特"
# A Chinese numeral starts with a digit, 十 or 几 (十二, 几十), or 数 before a multiplier (数十);
# 万/亿/千 alone are words (千万, 万一).
# A capital digit starts a numeral only before a place or 元 (叁仟伍佰元, 伍元): alone it is part of a
# word (队伍支撑, 入伍, 肆意), never 5 支.
CHINESE = (
    rf"(?!{_LIANG_WORD}|{_PLACE_WORD}|{_YI_WORD})(?:数(?=[十百千万])|[{_CN_DIGIT}十几]|拾"
    rf"|[{_CAP_DIGIT}](?<!陆)(?<!陸)(?=[拾佰仟萬億十百千万亿元圆角整零〇])|[陆陸](?=[拾佰仟萬億]))"
    # 一点五 = 1.5; 九点二十五(分) is a clock time, not 9.2 then 十五: decimals have no places after them
    rf"{_CN_STEP}*(?:点[零〇○一二三四五六七八九]+(?![十百千零〇○一二三四五六七八九])[万亿]?)?"
)
# Arabic digits may carry a multiplier (1.5万, 3千, 2亿) or an approximation before it (2600多万).
# Arabic digits with a compound multiplier: 3.1千万, 20万亿, 5百亿
_ARABIC_MULT = r"[十百千]?万亿?|[十百千]?亿|[十百千]"
NUMBER = rf"(?:{_ARABIC_MIXED}|{ARABIC}(?:(?:(?:多|余)?(?:{_ARABIC_MULT})|\s[万亿])(?![{_CN_DIGIT}]))?|{CHINESE})"
PERCENT = rf"百分之(?:{ARABIC}|{CHINESE}|百)"

_NUMBER_RE = re.compile(rf"^(?:{NUMBER}|{PERCENT})$")


@dataclass(frozen=True, slots=True)
class Reading:
    """What a numeral states: ``value``; ``value_max`` when it is a range (两三 -> 2, 3) or a
    bounded approximation (十几 -> 10, 20); ``approx`` the word that makes it approximate
    (几, 数, 多, 余), else None."""

    value: float
    value_max: float | None = None
    approx: str | None = None

    @property
    def exact(self) -> bool:
        return self.value_max is None and self.approx is None


def parse_number(text: str) -> float | None:
    """The exact value of one numeral, or None when ``text`` is not one or states no single
    value (两三, 十几, 十余万: see :func:`read_number`).

    ``百分之八十`` gives 80 (the caller knows it is a percentage from the match).
    """
    r = read_number(text)
    return r.value if r is not None and r.exact else None


def read_number(text: str) -> Reading | None:
    """One numeral read as a :class:`Reading`, or None when ``text`` is not one."""
    return _read(unicodedata.normalize("NFKC", text).strip().translate(CAPITALS))


@lru_cache(maxsize=8192)
def _read(s: str) -> Reading | None:
    if s.startswith("百分之"):
        s = s[3:]
        if s == "百":  # 百分之百
            return Reading(100.0)
    if not s or not _NUMBER_RE.match(s):
        return None
    m = re.match(ARABIC, s)
    if m:
        digits = m.group().replace(",", "")
        rest = s[m.end() :]
        if not rest:
            return Reading(float(digits))
        if rest[0] in "多余":
            approx, rest = rest[0], rest[1:]
            r = _chinese_tail(digits, rest)
            return None if r is None else Reading(r, None, approx)
        rest = rest.lstrip()
        if re.search(r"\d", rest):
            return _mixed(re.sub(r"\s", "", s))
        r = _chinese_tail(digits, rest)  # 1.5万, 3.1千万, 20万亿
        return None if r is None else Reading(r)
    return _chinese(s)


def _chinese_tail(digits: str, rest: str) -> float | None:
    """2600 + 多万 -> 26,000,000, 2.2 + 亿 -> 220,000,000: the multipliers after an Arabic base,
    in decimal arithmetic (2.2 * 1e8 in floats is 220000000.00000003)."""
    value = Decimal(digits)
    for c in rest:
        if c not in _MULT:
            return None
        value *= _MULT[c]
    return float(value)


def _mixed(s: str) -> Reading | None:
    """1万6千 -> 16000, 3亿5000万 -> 350,000,000: Arabic groups, each with a multiplier."""
    wan = re.fullmatch(r"(\d+(?:\.\d+)?)亿(\d+(?:\.\d+)?)([千百十]?)([多余]?)万", s)
    if wan:  # 1亿3千多万 = 130,000,000 and more
        head, tail, place, approx = wan.groups()
        value = Decimal(head) * LARGE["亿"] + Decimal(tail) * SMALL.get(place, 1) * LARGE["万"]
        return Reading(float(value), None, approx or None)
    total = Decimal(0)
    last = float("inf")
    for num, mult in re.findall(r"(\d+(?:\.\d+)?)([亿万千百十]?)", s):
        if not mult:
            return None
        f = _MULT[mult]
        if f >= last:
            return None
        total += Decimal(num) * f
        last = f
    return Reading(float(total))


def _chinese(s: str) -> Reading | None:
    if "点" in s:  # 一点五 = 1.5, 一七二零点一 = 1720.1, 二点五万 = 25000
        whole, _, frac = s.partition("点")
        mult = LARGE[frac[-1]] if frac and frac[-1] in LARGE else 1
        frac = frac[:-1] if mult != 1 else frac
        head = _chinese(whole) if whole else None
        if head is None or not head.exact or not frac or any(c not in DIGITS or c == "两" for c in frac):
            return None
        return Reading(float(Decimal(f"{head.value:.0f}.{''.join(str(DIGITS[c]) for c in frac)}") * mult))
    if s[0] == "数":
        return _approx(s[1:], "数")
    if "几" in s:
        return _approx(s, "几")
    for w in "多余":
        if w in s:
            i = s.index(w)
            base = _chinese(s[:i] + s[i + 1 :])
            return None if base is None or not base.exact else Reading(base.value, None, w)
    if all(c in DIGITS for c in s):
        if len(s) == 2 and _adjacent(s[0], s[1]):
            return Reading(float(DIGITS[s[0]]), float(DIGITS[s[1]]))  # 两三 (次): an estimate, never 23
        if "两" in s and len(s) > 1:  # 二两 (初二两次): 两 is never a digit of a digit string
            return None
        # 二〇一八, 一一: a digit string; a single 两 or 三 is just that digit
        return Reading(float("".join(str(DIGITS[c]) for c in s)))
    est = _estimate(s)
    if est is not None:
        return est
    v = _value(s)
    return None if v is None else Reading(v)


def _adjacent(a: str, b: str) -> bool:
    """两三, 三四, 七八, and the idiomatic 三五: an estimate between two digits."""
    x, y = DIGITS.get(a), DIGITS.get(b)
    return x is not None and y is not None and x > 0 and (y == x + 1 or (x, y) == (3, 5))


def _estimate(s: str) -> Reading | None:
    """三四十 (30–40), 两三万 (20000–30000), 十三四 (13–14), 一百七八十 (170–180): two adjacent
    digits standing for one."""
    for i in range(len(s) - 1):
        if _adjacent(s[i], s[i + 1]):
            lo = _value(s[: i + 1] + s[i + 2 :])
            hi = _value(s[:i] + s[i + 1 :])
            if lo is None or hi is None or hi <= lo:
                return None
            return Reading(lo, hi)
    return None


def _approx(s: str, word: str) -> Reading | None:
    """十几 -> 10–20, 二十几万 -> 200,000–300,000, 几十 / 数十 -> 10–100, 几百万 ->
    1,000,000–10,000,000: the bounds of what the approximation can mean, with its word."""
    i = s.index("几") if word == "几" else 0
    head, tail = s[:i], s[i + 1 :] if word == "几" else s
    if "几" in tail:
        return None
    if not head and tail and tail[0] in _MULT:  # 几十, 数百万: the leading digit is unknown
        v = _value("一" + tail)
        return None if v is None else Reading(v, v * 10, word)
    if any(c not in LARGE for c in tail):
        return None
    scale = 1.0
    for c in tail:
        scale *= LARGE[c]
    if len(head) >= 2 and head[-1] in "零〇" and head[-2] in SMALL and SMALL[head[-2]] >= 100:
        base = _value(head[:-1])  # 一百零几 (万): 几 is the units digit after 零 -> 100–110
        return None if base is None else Reading(base * scale, (base + 10) * scale, word)
    if not head or head[-1] not in SMALL:
        return None  # 十几, 二十几万: 几 is the last digit under 十 (or 百)
    base = _value(head)
    if base is None:
        return None
    return Reading(base * scale, (base + SMALL[head[-1]]) * scale, word)


def _value(s: str) -> float | None:
    """A well-formed Chinese numeral with places (一千零十, 三万五, 一亿二千万), or None."""
    total = 0.0  # completed 亿 / 万 groups
    section = 0.0  # below the current 万
    current: float | None = None
    last_small = 10_000  # the last place written in this section (places must fall)
    zero = False  # a 零 since the last place: 一千零十 is 1010, and no elision after it
    for i, c in enumerate(s):
        if c in DIGITS:
            if current is not None and current != 0:
                return None  # 三四: two digits without a place (an estimate, 三四十) -> not ours
            current = DIGITS[c]
            if current == 0:
                zero, current = True, None
        elif c in SMALL:
            if SMALL[c] >= last_small:
                return None
            section += (1 if current is None else current) * SMALL[c]
            last_small, current = SMALL[c], None
        elif c in LARGE:
            if section == 0 and current is None:
                if total == 0:
                    return None  # 万 with nothing before it
                if s[i - 1] == "万":  # 四万万 = 4亿, 一百万亿 = 10^14: the places multiply
                    total *= LARGE[c]
                    continue
                return None  # 一亿万: a place with nothing in it
            group = section + (current or 0)
            if c == "万":
                total += group * LARGE[c]
            else:
                total = (total + group) * LARGE[c]
            section, current, last_small, zero = 0.0, None, 10_000, False
            continue
        else:
            return None
    if current is not None and not zero:
        # 三万五, 两千六, 一百二: a digit after a place, with no 零, counts in the next place down
        last = _last_place(s)
        if last is not None and last >= 100:
            current *= last / 10
    return total + section + (current or 0)


def _last_place(s: str) -> float | None:
    """The place written last before the final digit (三万五 -> 万, 一百二 -> 百)."""
    if len(s) < 2 or s[-2] not in _MULT:
        return None
    return float(_MULT[s[-2]])


def is_chinese(text: str) -> bool:
    """True when the numeral is written in Chinese characters (两, 十二 ...)."""
    return bool(text) and not any(c.isdigit() for c in unicodedata.normalize("NFKC", text))
