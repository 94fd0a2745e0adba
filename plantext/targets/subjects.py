"""Rule *subjects*: whom a target is about (``subject``) and who is responsible for it.

- ``subject``: a person or body from ``resources/subjects.txt`` in the clause, widened to the
  left by ``subject_modifiers.txt`` (各中小学教师, 35岁以下的青年教师); else one written just after
  the unit (20个名师工作室); else the nouns just before the number (jieba part-of-speech tags).
- ``responsible``: 负责人：…/组长：…, 由…负责, …处/室/组负责 in the sentence.
"""

from __future__ import annotations

import re

from ..lexicons import loader, memo
from .comparators import CMP_OF, cmp_re
from .numbers import qty_re
from .time import PER_RE
from .units import lines

__all__ = ["subject", "responsible"]


@loader
def _subject_res() -> tuple[re.Pattern, re.Pattern]:
    def alt(words):
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    terms = re.compile(f"(?:{alt(lines('subjects.txt'))})")
    mods = re.compile(f"(?:(?:\\d+岁以下的?)|{alt(lines('subject_modifiers.txt'))})$")
    return terms, mods


_RESPONSIBLE = [
    re.compile(p)
    for p in [
        r"(?:负责人|责任人|牵头人|组长|牵头单位|责任单位|负责部门|负责单位)[：:]\s*(?P<who>[^，。；、\s]{2,20})",
        r"由(?P<who>[^，。；、：\s]{2,16}?)(?:具体|专门|统一|全面)?(?:负责|牵头|组织实施|承担)",
        r"(?P<who>[^，。；、：\s由（）()〔〕\d]{1,10}(?:处|室|组|办|中心|科|部|局|学校|小组|委员会|校长|主任|组长))(?:具体|专门)?负责(?!人)",
    ]
]


# a government plan's item ends with who does it, in brackets: （市教育局牵头，市财政局配合）,
# （责任单位：区卫健委、区医保局）; inside the item's sentence or just after its full stop
_TAIL = re.compile(
    r"[（(〔]\s*(?:(?:牵头|责任|主责|承办)(?:单位|部门)[：:]\s*(?P<unit>[^（）()〔〕；;。]{2,60}?)"
    r"|(?P<lead>[^（）()〔〕，,；;：:。]{2,40}?)(?:牵头|负责))\s*(?:[，,；;。]|[）)〕])"
)
_DUTY = re.compile(r"(?:按|根据)职责分工负责$|等?(?:按职责)?(?:分工)?负责$")


# how far past the target's sentence the rest of its line is read for a closing tail: a line that
# goes on longer holds more than one item (and reading it whole for every target of a text that is
# one long line would take time growing with the square of its length)
TAIL_REACH = 2000


def tail_responsible(text: str) -> str | None:
    """The body a bracketed tail names first: the lead (…牵头) or the 责任单位 list. ``text`` is
    the target's sentence followed by the rest of its line; the tail must close the item (nothing
    but punctuation after it on the line)."""
    last = None
    for last in _TAIL.finditer(text):  # noqa: B007  (keeps the last one)
        pass
    if last is None:
        return None
    close = re.search(r"[）)〕]", text[last.start() :])
    if close is None or text[last.start() + close.end() :].strip(" \t\u3000。；;，,.") != "":
        return None
    who = (last.group("unit") or last.group("lead") or "").strip()
    who = _DUTY.sub("", who).strip("、，, ")
    return who or None


# the column of a table (任务分工表) that names who does each row's task, most specific first
_WHO_COLUMNS = (
    ("牵头单位", "牵头部门", "牵头责任单位", "牵头领导"),
    ("责任单位", "责任部门", "负责单位", "负责部门", "主责单位", "主责部门", "承办单位", "承办部门", "实施单位"),
    ("责任人", "负责人"),
)
_HEADER_SCAN = 80  # lines looked back for the table's header row
_ROW_REACH = 4000  # characters either side of a target looked at for the ends of its table row


def _cells(line: str) -> list[str] | None:
    """The cells of a table row: TAB-separated (Word, spreadsheets) or a Markdown row (| a | b |)."""
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    elif line.count("|") >= 2:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
    else:
        return None
    while cells and not cells[-1]:
        cells.pop()  # a row padded with empty cells is not as wide as it looks
    return cells


def column_responsible(text: str, pos: int) -> str | None:
    """Who a table row names in its 牵头单位 / 责任单位 / 负责人 column, for a target at ``pos``
    inside the row: the column is found in the nearest header row above that has as many cells
    (a row with merged cells is not guessed at)."""
    lo = text.rfind("\n", max(0, pos - _ROW_REACH), pos) + 1
    hi = text.find("\n", pos, pos + _ROW_REACH)
    if (lo == 0 and pos > _ROW_REACH) or (hi < 0 and len(text) - pos > _ROW_REACH):
        return None  # a line this long is no table row (and is not read whole for every target on it)
    row = _cells(text[lo : hi if hi >= 0 else len(text)])
    if not row:
        return None
    end = lo - 1
    for _ in range(_HEADER_SCAN):
        if end <= 0:
            return None
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        end = start - 1
        head = _cells(line)
        if head is None:
            if line.strip():
                return None  # the table ended above this row
            continue
        names = [re.sub(r"\s+", "", h) for h in head]
        for group in _WHO_COLUMNS:
            col = next((i for i, h in enumerate(names) if h in group), None)
            if col is None:
                continue
            if len(head) != len(row):
                return None
            who = row[col].strip()
            if len(who) < 2 or re.fullmatch(r"[\d\s.%％、，,-]+", who):
                return None
            return who
    return None


_SUBJECT_STOP = re.compile(r"[，,：:；（）()\t]|其中")


def subject(sentence: str, s: int, e: int) -> str | None:
    terms, mods = _subject_res()
    before = sentence[:s]
    cut = None
    for cut in _SUBJECT_STOP.finditer(before):  # noqa: B007  (keeps the last one)
        pass
    lo = cut.end() if cut else 0  # the subject is looked for in the target's own clause
    prev = None
    for q in qty_re().finditer(before, lo):  # 带头人3名、教学能手1名: after the previous item
        if q.group("unit") != "岁":  # 35岁以下的教师: an age is part of the subject
            prev = q
    if prev is not None:
        lo = prev.end()
    found = None
    for m in terms.finditer(before, lo):
        if _in_longer_word(m.group(), before[m.end() : m.end() + 1]):
            continue  # 家长会, 小学生, 教师节: the term is part of another word
        if found is None or m.end() > found.end() or (m.end() == found.end() and m.start() < found.start()):
            found = m
    if found is None:  # 20个名师工作室: the subject follows the unit
        rest = sentence[e:]
        if rest.startswith("（") and "）" in rest:  # 268名（其中…）新教师: past the aside
            rest = rest[rest.index("）") + 1 :]
        rest = rest.lstrip("的")
        stop = _SUBJECT_STOP.search(rest)
        rest = rest[: stop.start() if stop else len(rest)]
        end = None
        for m in terms.finditer(rest):  # 10名城镇中青年骨干教师: a few modifiers may stand between
            if end is None and not re.fullmatch(r"[\u4e00-\u9fff]{0,6}", rest[: m.start()]):
                break
            if end is not None and not _mods_only().fullmatch(rest, end, m.start()):
                break
            end = m.end()
        return rest[:end] if end else _clause_subject(before[lo:])
    start = found.start()
    while True:
        mod = mods.search(sentence, lo, start)
        if not mod or mod.end() != start:
            break
        start = mod.start()
    return sentence[start : found.end()]


@memo(4096)
def _in_longer_word(term: str, nxt: str) -> bool:
    """Is ``term + nxt`` a word of the domain dictionary (家长 + 会)? 们 only makes a plural."""
    if not nxt or nxt == "们":
        return False
    from ..segment import tokenizer

    tok = tokenizer()
    tok.check_initialized()
    return bool(tok.FREQ.get(term + nxt))


def _clause_subject(clause: str) -> str | None:
    """The nouns before the number in its clause, when the lexicon names no subject."""
    last = None
    for last in cmp_re().finditer(clause):  # noqa: B007  (keeps the last one)
        pass
    if last is not None and len(clause) - last.end() <= 6:
        clause = clause[: last.start()]  # 优秀比例控制在30%: jieba reads 比例控制 as one noun
    # a frequency parts words, it does not glue them: 后勤组每周检查一次 is not 后勤组检查
    parts = PER_RE.split(clause)
    found = _noun_phrase(parts[-1])
    if found is None and len(parts) > 1:
        found = _noun_phrase(parts[-2])  # 后勤组每周检查: the doer before the frequency
    return found


@loader
def _mods_only() -> re.Pattern:
    words = sorted(lines("subject_modifiers.txt"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")*")


_PERIODS = frozenset("学年 学期 年度 季度 年 月 周 星期 天 日 全年 本学期 本学年 上学期 下学期".split())
_NOUN_FLAGS = frozenset("n nr ns nt nz nl ng vn j b an s".split())
# between the noun and the number: 达到, 控制在, 已, 共, 计 (any other verb has its own object)
_SKIP_FLAGS = frozenset("p d ad u c".split())
_SKIP_WORDS = frozenset(
    "达到 达 控制 为 是 有 计 记 约 约为 共 共计 合计 总计 累计 占 完成 增加 增加到 "
    "提高 提高到 保持 不少 不低 不超过 超过 高于 低于 力争 争取 确保 保证 力求 要求".split()
) | frozenset(CMP_OF)


def _pos_tokenizer():
    from ..segment import pos_tokenizer

    return pos_tokenizer()


@memo(4096)
def _noun_phrase(clause: str) -> str | None:
    """The nouns written last before the number in its clause (特设岗位135名), read with jieba's
    part-of-speech tags, when no subject from the lexicon stands there."""
    if not re.search(r"[\u4e00-\u9fff]", clause):
        return None
    toks = [(w.word, w.flag) for w in _pos_tokenizer().cut(clause)]
    toks = [t for t in toks if t[0] not in _PERIODS]  # 一学年一次: the period is no subject
    while toks and (toks[-1][1] in _SKIP_FLAGS or toks[-1][0] in _SKIP_WORDS):
        toks.pop()
    words = []
    while toks and toks[-1][1] in _NOUN_FLAGS:
        words.append(toks.pop())
    phrase = "".join(w for w, _ in reversed(words))
    if all(f in ("vn", "an") for _, f in words):
        return None  # 培训, 参训: an activity named by a verb says nothing about whom
    return phrase if 2 <= len(phrase) <= 12 else None


# 学校成立领导小组负责: the body is 领导小组; the school's verb is not part of its name
_LEAD_VERB = re.compile(r"^.{0,6}?(?:成立|设立|组建|建立|组织|安排|要求|请)(?=.{2})")


@memo(4096)
def responsible(text: str, labelled_only: bool = False) -> str | None:
    if labelled_only:
        from ..normalize import text_view

        text = text_view(text[:4000], "norm").text
    pats = _RESPONSIBLE
    for p in pats[:1] if labelled_only else pats:
        m = p.search(text)
        if m:
            who = _LEAD_VERB.sub("", m.group("who").strip())
            return who or None
    return None
