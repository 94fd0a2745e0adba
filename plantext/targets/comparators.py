"""Rule *comparators*: 不少于/达 (>=), 不超过/控制在 (<=), 超过 (>), 低于 (<) written before the
number in its clause, or 以上/以下/以内 after it; ``=`` when none is written."""

from __future__ import annotations

import re

from ..lexicons import loader

__all__ = ["COMPARATORS", "CMP_OF", "POST_CMP", "MAX_GAP", "comparator", "cmp_re", "listed"]

COMPARATORS = {
    ">=": [
        "大于等于",
        "大于或等于",
        "不少于",
        "不低于",
        "不得少于",
        "不得低于",
        "不应少于",
        "不应低于",
        "不小于",
        "至少",
        "最少",
        "最低",
        "起码",
        "达到",
        "≥",
        "⩾",
    ],
    "<=": [
        "小于等于",
        "小于或等于",
        "不超过",
        "不得超过",
        "不应超过",
        "不多于",
        "不高于",
        "不大于",
        "最多",
        "至多",
        "控制在",
        "限报",
        "≤",
        "⩽",
        "未超过",
        "没有超过",
        "没超过",
    ],
    ">": ["超过", "高于", "大于", "多于"],
    "<": ["低于", "少于", "小于", "不足", "不到", "未达到", "没有达到", "未满"],
}
CMP_OF = {w: c for c, ws in COMPARATORS.items() for w in ws}
POST_CMP = {"以上": ">=", "及以上": ">=", "或以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<="}

MAX_GAP = 6  # characters allowed between the comparator word and the number


@loader
def cmp_re() -> re.Pattern:
    return re.compile("|".join(sorted(CMP_OF, key=len, reverse=True)))


# 覆盖率达95%: 达 right before the number says 达到 (>=); 下达/送达/长达/高达, 已达 (a statistic) … do not
_DA = re.compile(r"(?<![下送到传抵表通转直长高签已])达\s*$")


def comparator(window: str) -> tuple[str | None, str | None]:
    """(comparator, word) of the comparator written last in ``window`` (the clause before the
    number), if no more than :data:`MAX_GAP` characters (and no number) stand between them;
    a bare 达 only right before the number."""
    if _DA.search(window):
        return ">=", "达"
    last = None
    for last in cmp_re().finditer(window):  # noqa: B007  (keeps the last one)
        pass
    if last is None:
        return None, None
    gap = window[last.end() :]
    if len(gap) > MAX_GAP or re.search(r"\d", gap):
        return None, None
    return CMP_OF[last.group()], last.group()


# the earlier items of a list the comparator is written before: 15学时、15学时和 (分别不少于15学时、15学时和20学时)
_LISTED = re.compile(
    r"(?:\s*[\d.．一二两三四五六七八九十百千万亿]+\s*[^\s\d、，,；;：:和及与（）()]{1,4}\s*(?:、|和|及|与|以及))+\s*$"
)


_LIST_CMP = re.compile("|".join(sorted(CMP_OF, key=len, reverse=True)) + r"|(?<![下送到传抵表通转直长高签已])达(?!到)")


def listed(window: str) -> tuple[str | None, str | None]:
    """(comparator, word) written before a list of quantities that ends at the end of ``window``
    (the clause up to the target, list separators 、和及与 included): 不少于15学时、15学时和20学时
    and 分别达96%和94% state >= for each item. (None, None) when anything but quantities stands between."""
    last = None
    for last in _LIST_CMP.finditer(window):  # noqa: B007  (keeps the last one)
        pass
    if last is None or last.end() == len(window):
        return None, None
    if not _LISTED.fullmatch(window[last.end() :]):
        return None, None
    word = last.group()
    return (">=", word) if word == "达" else (CMP_OF[word], word)
