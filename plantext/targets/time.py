"""Rule *time*: the frequency a target is counted in (``per``: 每学期, 每两周, 人均 -> 每人,
2次/月 -> 每月) and its deadline (3月20日前, 9月初, 到20xx年, 年底前, 三年内, 上学期).

The interface the pipeline uses: :func:`per`, :func:`deadline`, :func:`deadline_spans` (spans
such as 两周内 that are a time, not a quantity) and :data:`PER_RE` (masked: 每两周 is a
frequency). Everything else here is private to this rule.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .clauses import CLAUSE_SEP, PER_STOP, clause_start

__all__ = ["PER", "PER_RE", "TIMELY", "per", "deadline", "deadline_spans", "deadline_candidates"]

# 每 + period, chained: 每学年, 每两周, 每人每年; 人均/年均 are the same idea
_PER_ONE = (r"每(?:[一二两三四五六七八九十半]|\d+)?个?(?:学年|学期|年度|季度|年|月|周|星期|天|日|人|节课|课时|次"
            r"|项(?!目)|校|班(?!级)|组(?![织成建])|期(?![末中间])|单元)")  # 每项资助2000元, 每校2名
PER = rf"(?:{_PER_ONE})+|人均|年均|一(?:学年|学期|年|月|周)(?=\s*(?:\d|[一两二三四五六七八九十]))"
PER_RE = re.compile(PER)
_PER_SUFFIX = re.compile(r"^/(学年|学期|年|月|周|天|人)")

TIMELY = re.compile(r"学年|学期|年|季度|月|周|星期|天|日")  # a frequency in time, not 每人 or 每项

_YEAR = r"(?:\d{4}|\d{2,3}[xX]{1,2}|[零〇一二三四五六七八九]{4})年"
_MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])月"
_DAY = r"(?:\d{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
_DEADLINES = [  # strongest first: a stated limit before a plain month
    rf"(?:{_YEAR})?{_MONTH}{_DAY}?(?:之前|以前|前|止)",
    rf"(?:{_YEAR})?{_MONTH}(?:初|上旬|中旬|下旬|底|末|中)(?:之前|以前|前)?",
    rf"(?:到|至|于|截至|截止到?){_YEAR}(?:底|末)?(?:之前|以前|前)?",
    rf"{_YEAR}(?:底|末)(?:之前|以前|前)?",
    r"(?:年底|年末|年终|学期末|学年末|期末|期中前|月底|月末|寒假前|暑假前)(?:之前|以前|前)?",
    r"(?:(?:[一二两三四五六七八九十半]|\d+)[至到-])?(?:[一二两三四五六七八九十半]|\d+)(?:个)?"
    r"(?:学年|学期|工作日|年|月|周|天)(?:之内|以内|内)",
    r"(?:上|下|本)(?:学期|学年|半年)|全年|年内|本年度",
    rf"(?:{_YEAR})?{_MONTH}(?:{_DAY})?(?:份)?",
]
_DEADLINE_RES = [re.compile(p) for p in _DEADLINES]
_WEAK = len(_DEADLINES) - 2  # 上学期, a plain month

# what a later clause holding only a deadline says: the work before it is to be done by then
_DONE = re.compile(r"^(?:.{0,4}$|(?:要|须|必须|需|应)?(?:全部|全面|基本|如期|按时)?(?:完成|结束|落实|到位|实现|达到|达标))")


def per(sentence: str, s: int, e: int, scope: int) -> str | None:
    """The frequency of the target at ``sentence[s:e]``: written before it from ``scope`` on,
    as a suffix (2次/月), or after it in the same clause (1次每学期)."""
    m = _PER_SUFFIX.match(sentence[e:])
    if m:
        return "每" + m.group(1)
    best = None
    for m in PER_RE.finditer(sentence, scope):
        if m.end() <= s:
            best = m
        elif m.start() >= e and best is None and not PER_STOP.search(sentence[e:m.start()]):
            best = m  # 1次每学期: a frequency written after, in the same clause
            break
    if best is None:
        return None
    g = best.group()
    return {"人均": "每人", "年均": "每年"}.get(g, g)


@lru_cache(maxsize=4096)
def deadline_candidates(sentence: str) -> tuple[tuple[int, int, int, str], ...]:
    """(strength, start, end, text) of every time expression in a sentence; 0 is strongest."""
    return tuple((strength, m.start(), m.end(), m.group())
                 for strength, p in enumerate(_DEADLINE_RES) for m in p.finditer(sentence)
                 if not _year_only(m.group()))


def deadline_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of the sentence that are a time limit (两周内, 三年内), never a quantity."""
    return [(a, b) for strength, a, b, t in deadline_candidates(sentence)
            if strength < _WEAK and t.endswith("内")]


def deadline(sentence: str, s: int, clause_start: int, clause_end: int, periods: bool = True) -> str | None:
    """The time limit written in the target's clause (nearest), else the strongest one in the
    sentence. ``periods`` False: a target with its own frequency (每学期两次) takes no 全年 or
    本学期 from another clause."""
    best = None
    for strength, a, b, t in deadline_candidates(sentence):
        in_clause = clause_start <= a and b <= clause_end
        if not in_clause and strength == _WEAK and not periods:
            continue
        if not in_clause and strength >= _WEAK and a >= s:
            continue  # a plain month or 上学期 later in the sentence belongs to what follows
        if not in_clause and a >= s and not _DONE.match(_rest_of_clause(sentence, a, b)):
            continue  # …，学期末进行结对考核: a later clause with its own work; …，8月25日前完成 applies
        if not in_clause and min(abs(a - s), abs(b - s)) > 80:
            continue  # flattened text runs items into one long "sentence"
        key = (0 if in_clause else 1, strength, abs(a - s))
        if best is None or key < best[0]:
            best = (key, t)
    return best[1] if best else None


def _rest_of_clause(sentence: str, a: int, b: int) -> str:
    """The words of the clause around ``sentence[a:b]`` other than it (完成, 进行结对考核)."""
    lo = clause_start(sentence[:a])
    m = CLAUSE_SEP.search(sentence, b)
    hi = m.start() if m else len(sentence)
    return re.sub(r"[\s。；;！？!?]", "", sentence[lo:a] + sentence[b:hi])


def _year_only(s: str) -> bool:
    return bool(re.fullmatch(r"\d{4}年|[零〇一二三四五六七八九]{4}年", s))
