"""Quantitative targets: the numbers a plan commits to, one :class:`~plantext.model.Target` row
each, with the unit, comparator, qualifier, frequency, subject, deadline and who is
responsible, and checks that help staff (totals that do not add up, the same target stated
twice with different values, placeholders where a number belongs).

Extraction reads the plan's ``norm`` view (NFKC, full-width punctuation, simplified script, web
chrome and page residue dropped) and maps every span back to the source.

What a row covers: ``text`` is the quantity as written, from a leading qualifier (约, 近) through
the numeral, a range (1-2, 三至五), a fuzzy tail (多, 余), the unit and a trailing qualifier
(左右, 以上, 以内). A comparator written before it (不少于, 控制在) is reported in
``comparator`` but not included in the span, since other words may stand between them.
Percentages come as 80%, 百分之八十 or a share, 三分之一 (33.33, unit ``%``).

Not targets: years and dates (年/月/日 are not units), heading ordinals and 第N, page numbers,
document numbers (〔2018〕5号), phone numbers, anything inside 《…》, short quoted names (“三人
行”), scoring rules (扣2分, 每少一学时), and ages: ``50岁以下的教师`` is a condition on who the
target is about, so it becomes part of ``subject``, never a row. A bare ``一`` before a unit
(上一节课, 开展一次研讨) is an article, and a generic classifier with a Chinese numeral (三个层次)
is a count of ideas, not a commitment: both are kept only when a comparator, frequency or
qualifier says otherwise. Placeholders where a number belongs (xx学时) are rows with no value
and the flag ``placeholder``; 20xx年 is a (placeholder) year, never a row.

The other fields, each looked for in the target's sentence:

- ``comparator``: the last comparator word ending at most 6 characters before the number in
  its clause (不少于 >=, 不超过/控制在…以内 <=, 超过 >, 低于 <), or 以上/以下/以内 after the unit;
  ``=`` when none is written. ``qualifier``: 多, 余, 约, 近, 左右, 以上 ... as written.
- ``per``: 每学期, 每两周, 每人每年, 人均 (-> 每人), 2次/月 (-> 每月), 一学期1-2次 (-> 一学期),
  from the target's clause.
- ``subject``: a person or body from ``resources/subjects.txt`` in the clause, widened to the
  left by ``subject_modifiers.txt`` (各中小学教师, 35岁以下的青年教师); else one written just after
  the unit (20个名师工作室); else the nouns just before the number (jieba part-of-speech tags).
- ``deadline``: the time expression in the clause, else the strongest in the sentence
  (3月20日前, 9月初, 到20xx年, 年底前, 三年内, 上学期; a plain month only before the target);
  else one in the title of the enclosing outline node (二月份：…).
- ``responsible``: 负责人：…/组长：…, 由…负责, …处/室/组负责 in the sentence, else a labelled
  负责人/组长 under the enclosing outline node.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from .model import Plan, Section, Target
from .numerals import NUMBER, is_chinese, parse_number

COLUMNS = ["id", "source", "plan", "section", "sentence", "text", "start", "end", "value",
           "value_max", "unit", "comparator", "qualifier", "per", "subject", "deadline",
           "responsible", "flags"]
EXTRA_COLUMNS = ["section_kind"]


# -- lexicons (package data) -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Unit:
    written: str
    canon: str
    factor: float
    kind: str


def _lines(name: str) -> list[str]:
    text = resources.files("plantext").joinpath("resources", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    """The unit lexicon ``resources/units.tsv``: written form -> :class:`Unit`."""
    out = {}
    for ln in _lines("units.tsv"):
        written, canon, factor, kind = ln.split("\t")
        out[written] = Unit(written, canon, float(factor), kind)
    return out


@lru_cache(maxsize=1)
def _subject_res() -> tuple[re.Pattern, re.Pattern]:
    def alt(words):
        return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))

    terms = re.compile(f"(?:{alt(_lines('subjects.txt'))})")
    mods = re.compile(f"(?:(?:\\d+岁以下的?)|{alt(_lines('subject_modifiers.txt'))})$")
    return terms, mods


# -- patterns ----------------------------------------------------------------------------------

_PLACEHOLDER = r"(?<![A-Za-z])(?:[xX×]{1,3}|□+|_{2,}|\*{2,})"
_RANGE = r"(?:[-—～~至到]|——)"

COMPARATORS = {
    ">=": ["不少于", "不低于", "不得少于", "不得低于", "不应少于", "不应低于", "不小于", "至少", "最少",
           "最低", "起码", "达到"],
    "<=": ["不超过", "不得超过", "不应超过", "不多于", "不高于", "不大于", "最多", "至多", "控制在", "限报"],
    ">": ["超过", "高于", "大于", "多于"],
    "<": ["低于", "少于", "小于", "不足", "不到"],
}
_CMP_OF = {w: c for c, ws in COMPARATORS.items() for w in ws}
_POST_CMP = {"以上": ">=", "及以上": ">=", "或以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<="}

# 每 + period, chained: 每学年, 每两周, 每人每年; 人均/年均 are the same idea
_PER_ONE = (r"每(?:[一二两三四五六七八九十半]|\d+)?个?(?:学年|学期|年度|季度|年|月|周|星期|天|日|人|节课|课时|次"
            r"|项(?!目)|校|班(?!级)|组(?![织成建])|期(?![末中间])|单元)")  # 每项资助2000元, 每校2名
_PER = rf"(?:{_PER_ONE})+|人均|年均|一(?:学年|学期|年|月|周)(?=\s*(?:\d|[一两二三四五六七八九十]))"

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

_RESPONSIBLE = [
    r"(?:负责人|责任人|牵头人|组长|牵头单位|责任单位|负责部门|负责单位)[：:]\s*(?P<who>[^，。；、\s]{2,20})",
    r"由(?P<who>[^，。；、：\s]{2,16}?)(?:具体|专门|统一|全面)?(?:负责|牵头|组织实施|承担)",
    r"(?P<who>[^，。；、：\s由]{1,10}(?:处|室|组|办|中心|科|部|局|学校|小组|委员会|校长|主任|组长))(?:具体|专门)?负责(?!人)",
]

# unit + next character(s) that form a word: 三部分, 十分重要, 一名师 are not quantities
_UNIT_WORDS = frozenset("""部分 名师 名优 名单 名称 名额 人员 人才 人口 人民 人数 人人 次要 期间 期末 期中 期刊 期望
个人 个性 个别 个体 项目 场所 场地 课程 课堂 课题 课件 节日 节约 节点 份额 门户 家长 家庭 位置 处理 所有 所以
所在 校长 校本 校园 校区 台阶 支持 支部 天网 天地 周年 周边 周期 本学期 本人 本校 本着 本地 本身 种类 类型 条件
字数 课例 张贴 户外 户口 户籍 间隙 分钟 分析 分工 分类 分层 分别 分享 分配 分管 分组 届时 批次 批评 套餐 件事 册子""".split())

_CHROME_LINE = re.compile(
    r"[（(](?:精选|通用|实用|热门|优秀|推荐|汇总|最新)?\d+篇[)）]"
    r"|(?:计划|方案|总结|范文|制度|心得|体会)(?:范文|大全)?(?:精选|通用|实用|汇总)?\d+篇|字数\s*\d+\s*阅读|文档编号|页数|上传时间|ICP|浏览\s*\d+")


@lru_cache(maxsize=1)
def _qty_re() -> re.Pattern:
    ulist = "|".join(re.escape(u) for u in sorted(units(), key=len, reverse=True))
    return re.compile(
        # the lookahead lets the engine skip most positions at once
        rf"(?=[\d零〇○一二两三四五六七八九十百乙xX×□_*约近将接大])"
        rf"(?<![\d.第A-Za-z\-—～~])(?P<pre>大约|约为|约|将近|接近|近)?(?:"
        rf"百分之(?P<pnum>{NUMBER}|百)(?:\s*{_RANGE}\s*(?:百分之)?(?P<pnum2>{NUMBER}|百))?"
        rf"|(?P<fden>{NUMBER})分之(?P<fnum>{NUMBER})"  # 三分之一: a share, read as a percentage
        rf"|(?<![这那哪同唯统逐之])(?P<num>{NUMBER}|乙(?=[份个篇次项]))"
        rf"(?:\s*(?P<u0>{ulist})?\s*(?P<sep>{_RANGE})\s*(?P<num2>{NUMBER}))?"
        rf"(?P<fz>多|余|来)?\s?(?P<unit>{ulist})(?:或(?P=num)(?P=unit)(?=及?以上|以下))?"
        rf"|(?P<ph>{_PLACEHOLDER})(?P<fz2>多|余)?\s?(?P<unit2>{ulist}))"
        rf"(?P<post>左右|上下|及以上|或以上|以上|以下|以内|之内|内(?![容涵部在外化心务]))?"
    )


@lru_cache(maxsize=1)
def _aux_res() -> dict[str, re.Pattern]:
    cmp_alt = "|".join(sorted(_CMP_OF, key=len, reverse=True))
    return {
        "per": re.compile(_PER),
        "per_suffix": re.compile(r"^/(学年|学期|年|月|周|天|人)"),
        "cmp": re.compile(cmp_alt),
        "deadlines": [re.compile(p) for p in _DEADLINES],
        "responsible": [re.compile(p) for p in _RESPONSIBLE],
        # stretches that hold numbers but no targets
        "mask": re.compile(
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
        ),
        "clause_sep": re.compile(r"[，,：:（）()、]"),
    }


# -- extraction --------------------------------------------------------------------------------

def targets(plan: Plan, nodes: Sequence[Section] | None = None) -> list[Target]:
    """The targets of one plan in document order, checks applied (see module doc).

    ``nodes`` is the plan's outline (:func:`plantext.outline.outline`); computed when None and
    the outline module is available, else rows carry no section.
    """
    if nodes is None:
        nodes = _outline(plan)
    view = plan.view("norm")
    text = view.text
    res = _aux_res()
    masked = bytearray(len(text))
    for m in res["mask"].finditer(text):
        masked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in res["per"].finditer(text):  # 每两周: the 两周 is the frequency, not a target
        masked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    sent_bounds = sentences(text)
    sent_starts = [s for s, _ in sent_bounds]
    chrome_lines = _chrome_lines(text)
    deadline_masks = {}

    rows: list[Target] = []
    sent_of: list[int] = []
    vspans: list[tuple[int, int]] = []
    for m in _qty_re().finditer(text):
        s, e = m.start(), m.end()
        if any(masked[s:e]) or _in(chrome_lines, s):
            continue
        si = max(0, bisect_right(sent_starts, s) - 1)
        ss, se = sent_bounds[si]
        sentence = text[ss:se]
        if si not in deadline_masks:
            deadline_masks[si] = _deadline_spans(sentence)
        if any(a <= s - ss < b for a, b in deadline_masks[si]):
            continue  # 两周内 is a deadline
        row = _row(plan, view, m, ss, sentence, nodes)
        if row is not None:
            if row.subject is None and sent_of and sent_of[-1] == si:
                before = sentence[:s - ss]
                if before[_clause_start(before, _PER_STOP):].lstrip().startswith("其中"):
                    row.subject = rows[-1].subject  # 其中…: the part is about whom the total is
            rows.append(row)
            sent_of.append(si)
            vspans.append((s, e))
    _check_totals(rows, sent_of, vspans, text)
    rows = _table_totals(plan, view, rows, vspans, nodes)
    _check_conflicts(rows)
    return rows


def _row(plan: Plan, view, m: re.Match, ss: int, sentence: str, nodes) -> Target | None:
    g = m.groupdict()
    us = units()
    s, e = m.start(), m.end()
    rel = s - ss
    before = sentence[:rel]
    after = sentence[e - ss:]
    clause_start = _clause_start(before)
    scope = _scope_start(before)  # inside （…）, the words outside do not apply
    placeholder = g["ph"] is not None
    if g["pnum"] is not None:
        unit, factor, kind = "%", 1.0, "percent"
        num, num2 = (None if x is None else "百分之" + x for x in (g["pnum"], g["pnum2"]))
    elif g["fden"] is not None:
        den, part = parse_number(g["fden"]), parse_number(g["fnum"])
        if not den or part is None or part > den:
            return None
        unit, factor, kind = "%", 100.0 / den, "percent"
        num, num2 = g["fnum"], None
    else:
        u = us[g["unit"] or g["unit2"]]
        unit, factor, kind = u.canon, u.factor, u.kind
        num, num2 = g["num"], g["num2"]
        word = (g["unit"] or g["unit2"]) + after[:2]
        if any(word[:len(u.written) + k] in _UNIT_WORDS for k in (1, 2) if len(word) >= len(u.written) + k):
            return None
    if unit == "分" and "学分" in before:
        unit = "学分"  # 学分不少于24分, 其中规定内容12分: points of credit
    fuzzy = g["fz"] or g["fz2"]
    post = g["post"]
    comparator, cmp_word = _comparator(before[clause_start:])
    if post in _POST_CMP and (comparator is None or cmp_word in ("控制在", "达到")):
        comparator = _POST_CMP[post]
    pscope = _clause_start(before, _PER_STOP)
    if before[pscope:].lstrip().startswith("其中"):
        pscope = 0  # 每学年不少于80学时，其中市级培训不少于24学时: 24 a year too
    per = _per(sentence, rel, e - ss, max(scope, pscope))
    qualifier = fuzzy or g["pre"] or (post if post in ("左右", "上下", "以上", "以内", "以下", "之内", "内") else None)
    if post in ("及以上", "或以上"):
        qualifier = qualifier or "以上"

    value = value_max = None
    if not placeholder:
        value = parse_number("一" if num == "乙" else num)  # 乙份: a converter's 一
        if value is None:
            return None
        if num2 is not None:
            value_max = parse_number(num2)
            if value_max is None:
                return None
            mult = num2[-1] if num2[-1] in "十百千万亿" and not is_chinese(num2) else ""
            if mult and num[-1] not in "十百千万亿":
                value *= parse_number("1" + mult)
            value_max *= factor
            if value_max < value:  # 1-2: a range, never 2-1 (that is more likely an ordinal)
                return None
        value *= factor
        chinese = is_chinese(num)
        stated = comparator is not None or per is not None or fuzzy or g["pre"] or post
        if unit == "分" and chinese:
            return None  # 十分重要
        if chinese and kind == "generic" and not stated:
            return None  # 三个层次, 两种形式
        if num in ("一", "乙") and num2 is None and not stated and g["fden"] is None:
            return None  # 一节课, 开展一次研讨: an article, not a commitment
    comparator = comparator or "="
    flags = ["placeholder"] if placeholder else []
    vt = view.text
    dm = re.fullmatch(r"(\d)([千万亿]?)", num or "")
    if (value is not None and value_max is None and dm and (unit == "%" or factor >= 10000 or dm[2])
            and s >= 3 and vt[s - 1] == "、" and vt[s - 2].isdigit() and "\u4e00" <= vt[s - 3] <= "\u9fff"):
        # 1、5%, 2、5万元: a converter turned the decimal point into 、 (a list would repeat the unit)
        value = float(f"{vt[s - 2]}.{dm[1]}") * (parse_number("1" + dm[2]) if dm[2] else 1) * factor
        s = s - 2
        flags.append("decimal-comma")
    src_s, src_e = view.span(s, e)
    if _is_enclosed(plan.source.text[src_s:src_s + 1]):
        return None  # ③家园共育: a list marker that NFKC turned into a digit
    sent_s, sent_e = _strip(sentence)
    sent_src = view.span(ss + sent_s, ss + sent_e)
    section, section_kind, node = _section(nodes, src_s)
    deadline = _deadline(sentence, rel, clause_start, _clause_end(sentence, e - ss), periods=not (per and _TIMELY.search(per)))
    if deadline is None and node is not None:
        deadline = _deadline(node.title, len(node.title), 0, len(node.title))
    responsible = _responsible(sentence)
    if responsible is None and node is not None:  # 组长：… written under the item's heading
        responsible = _responsible(plan.source.text[node.start:node.end], labelled_only=True)
    src = plan.source.text
    return Target(
        id=plan.id, source=plan.source.path, plan=plan.plan, section=section,
        sentence=src[sent_src[0]:sent_src[1]], text=src[src_s:src_e], start=src_s, end=src_e,
        value=value, value_max=value_max, unit=unit, comparator=comparator, qualifier=qualifier,
        per=per, subject=_subject(sentence, rel, e - ss), deadline=deadline,
        responsible=responsible, flags=flags,
        section_kind=section_kind,
    )


_MARKER = re.compile(r"[ \t\u3000]*(?:[-•·]|[（(]?[一二三四五六七八九十\d]{1,3}[、.．)）]|第[一二三四五六七八九十\d]+[章条节])")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a view text: :func:`plantext.segment.sentence_spans`, with sentences
    broken at a line end joined again when the line is long, stops without end punctuation
    and the next line is no list item (plans pasted from PDFs and template pages break lines,
    even leave blank lines, inside sentences; a total and its parts must stay together)."""
    from .segment import sentence_spans

    out: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        if out:
            ps, pe = out[-1]
            line = text[text.rfind("\n", 0, pe) + 1:pe]
            if (len(line.strip()) >= 25 and text[pe - 1] not in "。！？；：!?:" and "\n" in text[pe:s]
                    and not _MARKER.match(text, s)):
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out or [(0, len(text))]


def _is_enclosed(c: str) -> bool:
    """Circled and parenthesised numbers (①, ⑵, ⒈, ❶, ㉑): list markers, never quantities."""
    return bool(c) and ("\u2460" <= c <= "\u24ff" or "\u2776" <= c <= "\u2793" or "\u3251" <= c <= "\u32bf")


def _in(spans: list[tuple[int, int]], p: int) -> bool:
    return any(a <= p < b for a, b in spans)


def _chrome_lines(text: str) -> list[tuple[int, int]]:
    """Lines of page chrome that cleaning may have left (精选18篇, 字数 3103 阅读 ...)."""
    out = []
    for m in _CHROME_LINE.finditer(text):
        a = text.rfind("\n", 0, m.start()) + 1
        b = text.find("\n", m.end())
        out.append((a, len(text) if b < 0 else b))
    return out


def _strip(s: str) -> tuple[int, int]:
    a = len(s) - len(s.lstrip())
    b = len(s.rstrip())
    return a, max(a, b)


_PER_STOP = re.compile(r"[，,：:；（）()]")


def _clause_start(before: str, sep: re.Pattern | None = None) -> int:
    last = None
    for last in (sep or _aux_res()["clause_sep"]).finditer(before):
        pass
    return last.end() if last else 0


def _comparator(window: str) -> tuple[str | None, str | None]:
    """The comparator written last before the number, if no more than 6 characters (and no
    number) stand between them."""
    last = None
    for last in _aux_res()["cmp"].finditer(window):
        pass
    if last is None:
        return None, None
    gap = window[last.end():]
    if len(gap) > 6 or re.search(r"\d", gap):
        return None, None
    return _CMP_OF[last.group()], last.group()


def _scope_start(before: str) -> int:
    depth, start = 0, 0
    for i in range(len(before) - 1, -1, -1):
        c = before[i]
        if c == "）":
            depth += 1
        elif c == "（":
            if depth == 0:
                return i + 1
            depth -= 1
    return start


def _per(sentence: str, s: int, e: int, scope: int) -> str | None:
    res = _aux_res()
    m = res["per_suffix"].match(sentence[e:])
    if m:
        return "每" + m.group(1)
    best = None
    for m in res["per"].finditer(sentence, scope):
        if m.end() <= s:
            best = m
        elif m.start() >= e and best is None and not _PER_STOP.search(sentence[e:m.start()]):
            best = m  # 1次每学期: a frequency written after, in the same clause
            break
    if best is None:
        return None
    g = best.group()
    return {"人均": "每人", "年均": "每年"}.get(g, g)


_SUBJECT_STOP = re.compile(r"[，,：:；（）()]|其中")


def _subject(sentence: str, s: int, e: int) -> str | None:
    terms, mods = _subject_res()
    before = sentence[:s]
    cut = None
    for cut in _SUBJECT_STOP.finditer(before):
        pass
    lo = cut.end() if cut else 0  # the subject is looked for in the target's own clause
    prev = None
    for prev in _qty_re().finditer(before, lo):  # 带头人3名、教学能手1名: after the previous item
        pass
    if prev is not None:
        lo = prev.end()
    found = None
    for m in terms.finditer(before, lo):
        if _in_longer_word(m.group(), before[m.end():m.end() + 1]):
            continue  # 家长会, 小学生, 教师节: the term is part of another word
        if found is None or m.end() > found.end() or (m.end() == found.end() and m.start() < found.start()):
            found = m
    if found is None:  # 20个名师工作室: the subject follows the unit
        rest = sentence[e:]
        if rest.startswith("（") and "）" in rest:  # 268名（其中…）新教师: past the aside
            rest = rest[rest.index("）") + 1:]
        rest = rest.lstrip("的")
        stop = _SUBJECT_STOP.search(rest)
        rest = rest[: stop.start() if stop else len(rest)]
        end = None
        for m in terms.finditer(rest):  # 10名城镇中青年骨干教师: a few modifiers may stand between
            if end is None and not re.fullmatch(r"[\u4e00-\u9fff]{0,6}", rest[:m.start()]):
                break
            if end is not None and not _mods_only().fullmatch(rest, end, m.start()):
                break
            end = m.end()
        return rest[:end] if end else _clause_subject(before[lo:])
    start = found.start()
    while True:
        m = mods.search(sentence, lo, start)
        if not m or m.end() != start:
            break
        start = m.start()
    return sentence[start:found.end()]


@lru_cache(maxsize=4096)
def _in_longer_word(term: str, nxt: str) -> bool:
    """Is ``term + nxt`` a word of the domain dictionary (家长 + 会)? 们 only makes a plural."""
    if not nxt or nxt == "们":
        return False
    from .segment import tokenizer

    tok = tokenizer()
    tok.check_initialized()
    return bool(tok.FREQ.get(term + nxt))


def _clause_subject(clause: str) -> str | None:
    """The nouns before the number in its clause, when the lexicon names no subject."""
    res = _aux_res()
    last = None
    for last in res["cmp"].finditer(clause):
        pass
    if last is not None and len(clause) - last.end() <= 6:
        clause = clause[:last.start()]  # 优秀比例控制在30%: jieba reads 比例控制 as one noun
    # a frequency parts words, it does not glue them: 后勤组每周检查一次 is not 后勤组检查
    parts = res["per"].split(clause)
    found = _noun_phrase(parts[-1])
    if found is None and len(parts) > 1:
        found = _noun_phrase(parts[-2])  # 后勤组每周检查: the doer before the frequency
    return found


@lru_cache(maxsize=1)
def _mods_only() -> re.Pattern:
    words = sorted(_lines("subject_modifiers.txt"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")*")


_PERIODS = frozenset("学年 学期 年度 季度 年 月 周 星期 天 日 全年 本学期 本学年 上学期 下学期".split())
_NOUN_FLAGS = frozenset("n nr ns nt nz nl ng vn j b an s".split())
# between the noun and the number: 达到, 控制在, 已, 共, 计 (any other verb has its own object)
_SKIP_FLAGS = frozenset("p d ad u c".split())
_SKIP_WORDS = frozenset("达到 达 控制 为 是 有 计 记 约 约为 共 共计 合计 总计 累计 占 完成 增加 增加到 "
                        "提高 提高到 保持 不少 不低 不超过 超过 高于 低于 力争 争取 确保 保证 力求 要求".split()) | frozenset(_CMP_OF)


def _pos_tokenizer():
    from .segment import pos_tokenizer

    return pos_tokenizer()


@lru_cache(maxsize=4096)
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


@lru_cache(maxsize=4096)
def _deadline_candidates(sentence: str) -> tuple[tuple[int, int, int, str], ...]:
    """(strength, start, end, text) of every time expression in a sentence; 0 is strongest."""
    return tuple((strength, m.start(), m.end(), m.group())
                 for strength, p in enumerate(_aux_res()["deadlines"]) for m in p.finditer(sentence)
                 if not _year_only(m.group()))


def _deadline_spans(sentence: str) -> list[tuple[int, int]]:
    return [(a, b) for strength, a, b, t in _deadline_candidates(sentence)
            if strength < _WEAK and t.endswith("内")]


_WEAK = len(_DEADLINES) - 2  # 上学期, a plain month


def _clause_end(sentence: str, e: int) -> int:
    m = _aux_res()["clause_sep"].search(sentence, e)
    return m.start() if m else len(sentence)


_TIMELY = re.compile(r"学年|学期|年|季度|月|周|星期|天|日")  # a frequency in time, not 每人 or 每项


def _deadline(sentence: str, s: int, clause_start: int, clause_end: int, periods: bool = True) -> str | None:
    """The time limit written in the target's clause (nearest), else the strongest one in the
    sentence. ``periods`` False: a target with its own frequency (每学期两次) takes no 全年 or
    本学期 from another clause."""
    best = None
    for strength, a, b, t in _deadline_candidates(sentence):
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


# what a later clause holding only a deadline says: the work before it is to be done by then
_DONE = re.compile(r"^(?:.{0,4}$|(?:要|须|必须|需|应)?(?:全部|全面|基本|如期|按时)?(?:完成|结束|落实|到位|实现|达到|达标))")


def _rest_of_clause(sentence: str, a: int, b: int) -> str:
    """The words of the clause around ``sentence[a:b]`` other than it (完成, 进行结对考核)."""
    sep = _aux_res()["clause_sep"]
    lo = _clause_start(sentence[:a])
    m = sep.search(sentence, b)
    hi = m.start() if m else len(sentence)
    return re.sub(r"[\s。；;！？!?]", "", sentence[lo:a] + sentence[b:hi])


def _year_only(s: str) -> bool:
    return bool(re.fullmatch(r"\d{4}年|[零〇一二三四五六七八九]{4}年", s))


# 学校成立领导小组负责: the body is 领导小组; the school's verb is not part of its name
_LEAD_VERB = re.compile(r"^.{0,6}?(?:成立|设立|组建|建立|组织|安排|要求|请)(?=.{2})")


@lru_cache(maxsize=4096)
def _responsible(text: str, labelled_only: bool = False) -> str | None:
    if labelled_only:
        from .normalize import text_view

        text = text_view(text[:4000], "norm").text
    pats = _aux_res()["responsible"]
    for p in pats[:1] if labelled_only else pats:
        m = p.search(text)
        if m:
            who = _LEAD_VERB.sub("", m.group("who").strip())
            return who or None
    return None


def _outline(plan: Plan):
    try:
        from .outline import outline
    except ImportError:
        return []
    return outline(plan)


def _section(nodes, offset: int):
    if not nodes:
        return None, None, None
    try:
        from .outline import section_at
        node = section_at(nodes, offset)
    except ImportError:
        node = None
        for n in nodes:
            if n.start <= offset < n.end and (node is None or n.depth >= node.depth):
                node = n
    if node is None:
        return None, None, None
    kind, up, seen = node.kind, node, 0
    while kind is None and up.parent is not None and 0 <= up.parent < len(nodes) and seen < 20:
        up, seen = nodes[up.parent], seen + 1  # an item under 三、保障措施 is about 保障措施
        kind = up.kind
    return node.title, kind, node


# -- checks ------------------------------------------------------------------------------------

def _check_totals(rows: list[Target], sent_of: list[int], vspans: list[tuple[int, int]],
                  text: str) -> None:
    """``共268名，其中A100名、B135名、C33名`` and ``268名（A100名、B135名、C33名）``: the parts
    must add up to the total."""
    n = len(rows)
    for i in range(n - 1):
        t = rows[i]
        if t.value is None or t.value_max is not None or t.unit == "%" or sent_of[i + 1] != sent_of[i]:
            continue
        te = vspans[i][1]
        gap = text[te:vspans[i + 1][0]]
        paren = re.match(r"^\s*（", gap)
        if not paren and not re.match(r"^，?\s*其中", gap):
            continue
        close = text.find("）", te) if paren else -1
        parts = []
        j = i + 1
        while j < n and sent_of[j] == sent_of[i] and rows[j].unit == t.unit:
            if paren and close >= 0 and vspans[j][0] > close:
                break
            parts.append(j)
            j += 1
        if len(parts) < 2 or any(rows[k].value is None or rows[k].value_max is not None for k in parts):
            continue
        total = sum(rows[k].value for k in parts)
        if abs(total - t.value) > 1e-6 and not any(rows[k].qualifier for k in parts + [i]):
            for k in [i] + parts:
                if "total-mismatch" not in rows[k].flags:
                    rows[k].flags.append("total-mismatch")


_TABLE_TOTAL = re.compile(r"(?:合计|总计|共计)[：:]?\s*(?P<num>\d+(?:\.\d+)?)(?![\d.])")
_RUN = re.compile(r"\d+(?:\.\d+)?")


def _table_totals(plan: Plan, view, rows: list[Target], vspans, nodes) -> list[Target]:
    """A table flattened into text (``序号 项目 … 人数 时间1 A 60 上学期2 B 1000 … 合计8860``):
    the 合计 becomes a row, flagged when the rows do not add up to it, or when the total
    stated just before the table (``…8560人次，具体安排如下``) differs from it."""
    text = view.text
    added = []
    for m in _TABLE_TOTAL.finditer(text):
        if text[m.end():m.end() + 2] and _qty_re().match(text, m.start("num")):
            continue  # 合计30学时: an ordinary target, already a row
        head = text.rfind("序号", max(0, m.start() - 5000), m.start())
        if head < 0:
            continue
        values, k, last = [], 1, None
        for r in _RUN.finditer(text, head, m.start()):
            after = text[r.end():r.end() + 1]
            if r.group() == str(k) and after not in "年月日号%.":
                if k > 1:
                    if last is None:
                        break
                    values.append(last)
                k, last = k + 1, None
            elif k > 1:
                cell = _cell_value(r.group(), after)
                if cell is not None:
                    last = cell
        else:
            if last is not None and k > 2:
                values.append(last)
        if len(values) < 2 or len(values) != k - 1:
            continue
        total = float(m.group("num"))
        stated = None  # the target that introduces the table
        for t, (vs, ve) in zip(rows, vspans):
            if ve <= head and head - ve < 40 and "如下" in text[ve:head]:
                stated = t
        src_s, src_e = view.span(m.start("num"), m.end("num"))
        sent = _sentence_around(text, m.start())
        sent_src = view.span(*sent)
        section, section_kind, _ = _section(nodes, src_s)
        flags = []
        if abs(sum(values) - total) > 1e-6:
            flags.append("total-mismatch")
        if stated is not None and stated.value is not None and abs(stated.value - total) > 1e-6:
            if not flags:
                flags.append("total-mismatch")
            if "total-mismatch" not in stated.flags:
                stated.flags.append("total-mismatch")
        src = plan.source.text
        added.append(Target(
            id=plan.id, source=plan.source.path, plan=plan.plan, section=section,
            sentence=src[sent_src[0]:sent_src[1]], text=src[src_s:src_e], start=src_s, end=src_e,
            value=total, unit=stated.unit if stated else _header_unit(text[head:m.start()]), comparator="=",
            subject=stated.subject if stated else None, per=stated.per if stated else None,
            flags=flags, section_kind=section_kind))
    if not added:
        return rows
    return sorted(rows + added, key=lambda t: t.start)


_HEADER_UNITS = (("人次", "人次"), ("学时", "学时"), ("课时", "课时"), ("学分", "学分"), ("人数", "人"),
                 ("场次", "场"), ("次数", "次"))


def _header_unit(table: str) -> str | None:
    """The unit a flattened table counts in, from its header (培训人数 -> 人)."""
    first = re.search(r"\d", table)
    header = table[:first.start() if first else len(table)]
    for word, unit in _HEADER_UNITS:
        if word in header:
            return unit
    return None


def _cell_value(run: str, after: str) -> float | None:
    """A number cell of a flattened table; dates are not cells. The text layer glues a count
    to the month in the next cell (``1507月``: 150 people, July)."""
    if after in "年日号":
        return None
    if after == "月":
        if len(run) < 3 or "." in run:
            return None
        cut = 2 if 10 <= int(run[-2:]) <= 12 else 1
        return float(run[:-cut])
    return float(run)


def _sentence_around(text: str, p: int) -> tuple[int, int]:
    for s, e in sentences(text):
        if s <= p < e:
            return s, e
    return p, p


def _check_conflicts(rows: list[Target]) -> None:
    """The same target stated twice with different values: same subject, unit and frequency,
    and its clause, once subject, frequency, comparator and numbers are taken out, worded
    much the same (每位教师每学期听课20节 and …上汇报课1节 are two targets, not one)."""
    groups: dict[tuple, list[Target]] = {}
    for t in rows:
        if t.subject and t.value is not None:
            groups.setdefault((t.subject, t.unit, t.per), []).append(t)
    for g in groups.values():
        if len(g) < 2:
            continue
        what = [_what(t) for t in g]
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                a, b = g[i], g[j]
                if (a.value, a.value_max) == (b.value, b.value_max) or a.sentence == b.sentence:
                    continue  # one sentence listing two figures is a list, not a contradiction
                x, y = what[i], what[j]
                if (not x and not y) or (x and y and len(x & y) / len(x | y) >= 0.5):
                    for t in (a, b):
                        if "conflict" not in t.flags:
                            t.flags.append("conflict")


_CLAUSE_SEP = re.compile(r"[，,。；;：:（）()!?！？\n]")


def _what(t: Target) -> set[str]:
    """Character bigrams of what a target counts: its clause without the subject, frequency,
    comparators, qualifiers and numbers."""
    from .normalize import text_view

    i = t.sentence.find(t.text)
    if i < 0:
        i = 0
    seps = [m.start() for m in _CLAUSE_SEP.finditer(t.sentence)]
    lo = max([p + 1 for p in seps if p < i], default=0)
    hi = min([p for p in seps if p >= i + len(t.text)], default=len(t.sentence))
    clause = text_view(t.sentence[lo:hi], "norm").text
    for w in (t.subject, t.per, *_CMP_OF, *_POST_CMP, "左右", "多", "余", "约", "近"):
        if w:
            clause = clause.replace(w, "|")
    han = re.sub(r"[^\u4e00-\u9fff]+", "|", re.sub(NUMBER, "|", clause))
    return {han[k:k + 2] for k in range(len(han) - 1) if "|" not in han[k:k + 2]}


# -- rows for tables and the run stage -------------------------------------------------------

def target_dict(t: Target) -> dict:
    """The DESIGN.md keys in order, then ``section_kind``; whole values as integers (48, not
    48.0) so that CSV cells read as people write them."""
    d = {k: getattr(t, k) for k in COLUMNS}
    for k in ("value", "value_max"):
        if isinstance(d[k], float) and d[k].is_integer():
            d[k] = int(d[k])
    d["flags"] = list(t.flags)
    d["section_kind"] = t.section_kind
    return d


def table_rows(rows: Iterable[Target]) -> list[list]:
    return [[target_dict(t)[c] for c in COLUMNS + EXTRA_COLUMNS] for t in rows]


FLAG_MEANING = {
    "total-mismatch": "合计与分项之和不符",
    "conflict": "同一指标前后数值不一致",
    "placeholder": "应填数字处为占位符，需补填",
    "decimal-comma": "小数点写成了顿号（1、5% 按 1.5% 读取），请核对原文",
}


def flag_details(rows: Sequence[Target]) -> list[list]:
    """One line per flag: where it is, what it means, and the figures to compare."""
    out = []
    for t in rows:
        for f in t.flags:
            if f == "total-mismatch":  # the total and its parts share the sentence (or table)
                peers = [r.text for r in rows if "total-mismatch" in r.flags and r.id == t.id
                         and (r.sentence == t.sentence or r is t)]
            elif f == "conflict":
                peers = [r.text for r in rows if "conflict" in r.flags and r.id == t.id and
                         (r.subject, r.unit, r.per) == (t.subject, t.unit, t.per)]
            else:
                peers = []
            out.append([t.id, t.section, t.text, t.start, t.end, f, FLAG_MEANING.get(f, ""),
                        "、".join(peers), t.sentence])
    return out


def sheets(rows: Sequence[Target]):
    """The targets sheet and a flags sheet (one line per flag on a row), for
    :func:`plantext.report.tables.write_table`."""
    from .report.tables import Sheet

    return [Sheet("targets", COLUMNS + EXTRA_COLUMNS, table_rows(rows)),
            Sheet("flags", ["id", "section", "text", "start", "end", "flag", "meaning", "figures", "sentence"],
                  flag_details(rows))]


def all_targets(plans: Iterable[Plan], outlines: dict | None = None) -> list[Target]:
    out = []
    for p in plans:
        nodes = outlines.get(p.id) if outlines else None
        out.extend(targets(p, nodes))
    return out


def run_stage(ctx) -> None:
    """``plantext run`` stage: OUT/targets.xlsx and OUT/targets.csv."""
    from .report.tables import write_table

    outlines = ctx.cached("outlines", lambda: {p.id: _outline(p) for p in ctx.plans})
    rows = all_targets(ctx.plans, outlines if isinstance(outlines, dict) else None)
    ctx.memo["targets"] = rows  # the HTML report shows them beside each plan
    sh = sheets(rows)
    write_table(ctx.path("targets.xlsx"), sh, force=True)
    write_table(ctx.path("targets.csv"), sh, force=True)
    ctx.info(f"targets: {len(rows)} rows, {sum(1 for t in rows if t.flags)} flagged")


from . import callable_module  # noqa: E402

callable_module(__name__)  # plantext.targets(plan) keeps working once this submodule is imported
