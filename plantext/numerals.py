"""Chinese and Arabic numerals as they appear in plans: 48, ４８, 1,200, 1.5万, 3千, 两, 十二,
一百二十, 二〇一八, 百分之八十.

:data:`NUMBER` is a regular-expression fragment that matches one numeral; :func:`parse_number`
reads what it matched. Full-width digits are folded with NFKC, so the functions also work on
raw source text, not only on a ``norm`` view.
"""

from __future__ import annotations

import re
import unicodedata

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
SMALL = {"十": 10, "百": 100, "千": 1000}
LARGE = {"万": 10_000, "亿": 100_000_000}

_CN_DIGIT = "零〇○一二两三四五六七八九"
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A Chinese numeral starts with a digit or 十 (十二); 万/亿/千 alone are words (千万, 万一).
CHINESE = rf"[{_CN_DIGIT}十][{_CN_DIGIT}十百千万亿]*"
# Arabic digits may carry a multiplier: 1.5万, 3千, 2亿.
NUMBER = rf"(?:{ARABIC}(?:[十百千万亿](?![{_CN_DIGIT}]))?|{CHINESE})"
PERCENT = rf"百分之(?:{ARABIC}|{CHINESE}|百)"

_NUMBER_RE = re.compile(rf"^(?:{NUMBER}|{PERCENT})$")


def parse_number(text: str) -> float | None:
    """The value of one numeral, or None when ``text`` is not one.

    ``百分之八十`` gives 80 (the caller knows it is a percentage from the match).
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if s.startswith("百分之"):
        s = s[3:]
        if s == "百":  # 百分之百
            return 100.0
    if not s or not _NUMBER_RE.match(s):
        return None
    m = re.match(ARABIC, s)
    if m:
        value = float(m.group().replace(",", ""))
        for c in s[m.end():]:
            value *= SMALL.get(c) or LARGE.get(c, 1)
        return value
    return _chinese(s)


def _chinese(s: str) -> float | None:
    if all(c in DIGITS for c in s):
        # 二〇一八: a digit string; a single 两 or 三 is just that digit
        return float("".join(str(DIGITS[c]) for c in s))
    total = 0.0  # completed 亿 / 万 groups
    section = 0.0  # below the current 万
    current: float | None = None
    for c in s:
        if c in DIGITS:
            if current is not None and current != 0:
                return None  # 三四: two digits without a place (an estimate, 三四十) -> not ours
            current = DIGITS[c]
        elif c in SMALL:
            section += (1 if current is None else current) * SMALL[c]
            current = None
        elif c == "万":
            total += (section + (current or 0)) * LARGE[c]
            section, current = 0.0, None
        elif c == "亿":
            total = (total + section + (current or 0)) * LARGE[c]
            section, current = 0.0, None
        else:
            return None
    return total + section + (current or 0)


def is_chinese(text: str) -> bool:
    """True when the numeral is written in Chinese characters (两, 十二 ...)."""
    return bool(text) and not any(c.isdigit() for c in unicodedata.normalize("NFKC", text))
