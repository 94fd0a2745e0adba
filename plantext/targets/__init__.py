"""Quantitative targets: the numbers a plan commits to, one :class:`~plantext.model.Target` row
each, with the unit, comparator, qualifier, frequency, subject, deadline and who is
responsible, and checks that help staff (totals that do not add up, the same target stated
twice with different values, placeholders where a number belongs).

Extraction reads the plan's ``norm`` view (NFKC, full-width punctuation, simplified script, web
chrome and page residue dropped) and maps every span back to the source. It is a small
pipeline of named rules, one module each:

- :mod:`.numbers` — where a quantity is written and what value it states; the stretches that
  hold numbers but no targets; every candidate turned away by a named rejection
  (:data:`~plantext.targets.numbers.REJECTIONS`).
- :mod:`.units` — the unit lexicon.
- :mod:`.comparators` — 不少于 >=, 不超过/控制在 <=, 超过 >, 低于 <, 以上/以下/以内.
- :mod:`.time` — frequency (``per``) and ``deadline``.
- :mod:`.subjects` — ``subject`` and ``responsible``.
- :mod:`.tables` — totals of tables (合计 rows).
- :mod:`.flags` — ``total-mismatch``, ``conflict``.
- :mod:`.clauses` — sentences, clauses and the outline node around a target.

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
qualifier says otherwise. Quantities that describe rather than commit are turned away by name:
cohorts (2019届), ranking places (前十名), what one container holds (一箱是12本), reminders to the
reader (温馨提示：…), set phrases (向45分钟要质量), and a figure in the plan's title that its body
states again (one row, the body's). So are the factor of a formula (…/总数×100%), a size naming a
format (5人制足球场, 8小时工作制), the parts a text is built of (从8个方面), a reach in time naming
a concept (15分钟健身圈), a threshold that defines a statistic (每周锻炼1次及以上的人数达…: the
statistic is the row) and absences counted for a penalty (累计旷会3次). An age is a row only as a statistic (人均预期寿命76.7岁).
Totals of tables whose unit no header names are not rows. Placeholders where a number belongs (xx学时) are rows with no value
and the flag ``placeholder``; 20xx年 is a (placeholder) year, never a row.

The other fields, each looked for in the target's sentence:

- ``comparator``: the last comparator word ending at most 6 characters before the number in
  its clause, or 以上/以下/以内 after the unit; one written before a list of quantities holds for
  each (分别不少于15学时、15学时和20学时); 达…左右 is ``=``; ``=`` when none is written.
  ``qualifier``: 多, 余, 约, 近, 左右, 以上 ... as written.
- ``per``: 每学期, 每两周, 每人每年, 每千人, 人均 (-> 每人), 生均 (-> 每生), 2次/月 (-> 每月),
  1.0元/生·小时 (-> 每生每小时), 一学期1-2次 (-> 一学期); none from a condition (每周…的人数).
- ``subject``: a person or body from ``resources/subjects.txt`` in the clause, widened to the
  left by modifiers; else one written just after the unit; else the nouns before the number.
- ``deadline``: the time expression in the clause, else the strongest in the sentence; else one
  in the title of the enclosing outline node (二月份：…). A sentence that opens with its limit
  (到2025年，…; 2007年，…达到96%以上; 方案明确，到2025年，…) gives it to every level it lists, and
  a paragraph that opens with a stated limit gives it to the targets of its later sentences (not
  to the state today: 目前已有…); times listed with 和 before 分别 go to the items in turn (到2023年底和
  2030年…分别不低于24%和30%); a baseline (在2018年的基础上, 较2015年提升), a period inside a noun
  phrase (作为全年…基金) or a page's timestamp (2019-05-28 10:11) is never a deadline.
- ``responsible``: 负责人：…/组长：…, 由…负责, …处/室/组负责 in the sentence, else a bracketed
  tail closing the item (（市教育局牵头，市财政局配合）, 〔责任单位：…〕) in or just after the
  sentence, else the row's 牵头单位 / 责任单位 / 负责人 column in a table (TAB or Markdown rows,
  the header found above; rows with merged cells are not guessed at), else a labelled
  负责人/组长/牵头单位 under the enclosing outline node.

Rows, sheets and files are written by :mod:`plantext.report.targets_table`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..model import Plan, Section, Target
from ..numerals import is_chinese
from ..timeexpr import duration_iso
from . import comparators, numbers, subjects, tables, time
from .clauses import (
    PER_STOP,
    chrome_lines,
    clause_end,
    clause_start,
    fit_cell,
    in_spans,
    is_enclosed,
    outline_of,
    scope_start,
    section_of,
    sentences,
    strip,
)
from .flags import check_conflicts, check_totals
from .units import Unit, units

__all__ = ["targets", "all_targets", "rejected", "sentences", "units", "Unit"]


def targets(plan: Plan, nodes: Sequence[Section] | None = None) -> list[Target]:
    """The targets of one plan in document order, checks applied (see module doc).

    ``nodes`` is the plan's outline (:func:`plantext.outline.outline`); computed when None and
    the outline module is available, else rows carry no section.
    """
    from ..guard import require_plan

    require_plan(plan, "plantext.targets")
    rows, _ = _extract(plan, nodes)
    return rows


def rejected(plan: Plan, nodes: Sequence[Section] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, rule) in the ``norm`` view of every quantity-like match that is not a
    target, with the name of the rejection that turned it away (see ``numbers.REJECTIONS``)."""
    _, out = _extract(plan, nodes if nodes is not None else [], explain=True)
    return out


def all_targets(plans: Iterable[Plan], outlines: Mapping[str, Any] | None = None) -> list[Target]:
    """The targets of every plan, in order; ``outlines`` maps plan ids to their outlines."""
    out = []
    for p in plans:
        nodes = outlines.get(p.id) if outlines else None
        out.extend(targets(p, nodes))
    return out


def _extract(
    plan: Plan, nodes: Sequence[Section] | None, explain: bool = False
) -> tuple[list[Target], list[tuple[int, int, str]]]:
    if nodes is None:
        nodes = outline_of(plan)
    view = plan.view("norm")
    text = view.text
    masked = bytearray(len(text))
    for a, b in numbers.mask_spans(text):
        masked[a:b] = b"\x01" * (b - a)
    for m in time.PER_RE.finditer(text):  # 每两周: the 两周 is the frequency, not a target
        masked[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    sent_bounds = sentences(text)
    sent_starts = [s for s, _ in sent_bounds]
    chrome = chrome_lines(text)
    deadline_masks: dict[int, list[tuple[int, int]]] = {}
    heads = _table_heads(text)

    rows: list[Target] = []
    why: list[tuple[int, int, str]] = []
    sent_of: list[int] = []
    vspans: list[tuple[int, int]] = []
    for m in numbers.qty_re().finditer(text):
        s, e = m.start(), m.end()
        if any(masked[s:e]) or in_spans(chrome, s):
            if explain:
                why.append((s, e, "masked" if any(masked[s:e]) else "chrome-line"))
            continue
        si = max(0, bisect_right(sent_starts, s) - 1)
        ss, se = sent_bounds[si]
        cut = se - ss > MAX_SENTENCE  # a text without sentence ends: read a window around the number
        if cut:
            ss, se = max(ss, s - CONTEXT), min(se, e + CONTEXT)
        sentence = text[ss:se]
        if cut:
            spans = time.deadline_spans(sentence)
        else:
            if si not in deadline_masks:
                deadline_masks[si] = time.deadline_spans(sentence)
            spans = deadline_masks[si]
        if any(a <= s - ss < b for a, b in spans):
            if explain:
                why.append((s, e, "time-limit"))
            continue  # 两周内 is a deadline
        row = _row(plan, view, m, ss, sentence, nodes)
        if isinstance(row, str):
            if explain:
                why.append((s, e, row))
            continue
        if cut:
            row = replace(row, sentence="…" + row.sentence + "…")
            row.flags.append("sentence-cut")
        elif "\t" in sentence:
            row = _with_header(row, plan, view, heads, s)
        if row.subject is None and sent_of and sent_of[-1] == si:
            before = sentence[: s - ss]
            if before[clause_start(before, PER_STOP) :].lstrip().startswith("其中"):
                row = replace(row, subject=rows[-1].subject)  # 其中…: the part is about whom the total is
        if row.deadline is None and not cut:
            row = _carried_limit(row, rows, sent_of, si, sent_bounds, text)
        if row.deadline is None and not cut:
            row = _paragraph_limit(row, plan, view, ss, text)
        rows.append(row)
        sent_of.append(si)
        vspans.append((s, e))
    rows, sent_of, vspans = _title_restated(plan, rows, sent_of, vspans, why if explain else None)
    check_totals(rows, sent_of, vspans, text)
    rows = tables.table_totals(plan, view, rows, vspans, nodes, sent_bounds)
    rows = tables.column_totals(plan, view, rows, nodes)
    check_conflicts(rows)
    return rows, why


_SEMI = ("；", ";")


def _carried_limit(
    row: Target, rows: list[Target], sent_of: list[int], si: int, sent_bounds: list[tuple[int, int]], text: str
) -> Target:
    """A limit stated earlier in a list joined by semicolons (到2025年，A下降6%；B下降10%左右；…):
    a row with no deadline of its own takes the stated limit (到/前/截至 …, or a year) of the last row of the
    sentence before when that sentence ends with ；, walking back over ；-joined sentences
    without rows. A target with its own frequency in time (每学期两次) takes none."""
    if row.per and time.TIMELY.search(row.per):
        return row
    j = si - 1
    k = len(rows) - 1
    while j >= 0:
        ps, pe = sent_bounds[j]
        if not text[ps:pe].rstrip().endswith(_SEMI) or text[pe : sent_bounds[j + 1][0]].count("\n") > 1:
            return row
        while k >= 0 and sent_of[k] > j:
            k -= 1
        if k >= 0 and sent_of[k] == j:
            prev = rows[k]
            if prev.deadline is None or not (
                prev.deadline_kind == "before" or re.fullmatch(r"\d{4}年(?:底|末)?", prev.deadline)
            ):
                return row
            return replace(
                row,
                deadline=prev.deadline,
                deadline_span=prev.deadline_span,
                deadline_kind=prev.deadline_kind,
                deadline_start=prev.deadline_start,
                deadline_end=prev.deadline_end,
            )
        j -= 1
    return row


_SENTENCE_END = re.compile(r"[。！？!?；;]")
_STATUS_NOW = re.compile(r"目前|现有|现已|已经|已有|当前|现阶段|去年|上年|近年来|以来")
PARAGRAPH_REACH = 1500  # characters of a paragraph looked back over for the limit it opens with


def _paragraph_limit(row: Target, plan: Plan, view: Any, ss: int, text: str) -> Target:
    """到2020年，…。全国…达到70%。: a paragraph that opens a sentence with a stated limit (到/截至 …)
    sets it for the targets of its later sentences that state none (the last such opener before the
    target counts). A target with its own frequency in time (每学期两次) takes none."""
    if row.per and time.TIMELY.search(row.per):
        return row
    if _STATUS_NOW.search(row.sentence):
        return row  # 目前全市已有50所: the state today, not a level to reach by then
    p = text.rfind("\n", max(0, ss - PARAGRAPH_REACH), ss)
    if p < 0 and ss > PARAGRAPH_REACH:
        return row
    p += 1
    head = text[p:ss]
    if not head.strip():
        return row
    found = None
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(head)]
    for a in starts:
        piece = head[a : a + 40]
        e = time.opening_limit(piece)
        if e is not None:
            found = (a, e)
    if found is None:
        return row
    a, e = found
    span = view.span(p + a + e.start, p + a + e.end)
    return replace(
        row,
        deadline=e.text,
        deadline_span=span,
        **time.deadline_fields(e, time.plan_years(plan.title, plan.meta)),
    )


# A sentence longer than this (a page pasted without sentence ends, a flattened table) is read in
# a window of CONTEXT characters either side of each number, and the row's sentence is that
# window, cut with an ellipsis and flagged ``sentence-cut``: linear time on one-line files, and a
# context that fits a spreadsheet cell (32,767 characters).
MAX_SENTENCE = 2000
CONTEXT = 300


def _title_restated(
    plan: Plan,
    rows: list[Target],
    sent_of: list[int],
    vspans: list[tuple[int, int]],
    why: list[tuple[int, int, str]] | None,
) -> tuple[list[Target], list[int], list[tuple[int, int]]]:
    """Rows in the plan's title line that a row of its body states again (16学分培训方案 over a body
    about the 16 学分) are left out: the title names the plan, the body's row is the target."""
    ts, te = plan.title_start, plan.title_end
    if ts < 0 or te <= ts or not any(ts <= r.start < te for r in rows):
        return rows, sent_of, vspans
    body = {(r.value, r.value_max, r.unit) for r in rows if not ts <= r.start < te}
    keep = [i for i, r in enumerate(rows) if not (ts <= r.start < te and (r.value, r.value_max, r.unit) in body)]
    if why is not None:
        kept = set(keep)
        why.extend((*vspans[i], "title-restated") for i in range(len(rows)) if i not in kept)
    return [rows[i] for i in keep], [sent_of[i] for i in keep], [vspans[i] for i in keep]


def _table_heads(text: str) -> list[tuple[int, int, int, int]]:
    """(table start, table end, header start, header end) of each table given as rows."""
    if "\t" not in text:
        return []
    return [(b[0][0], b[-1][1], b[0][0], b[0][1]) for b in tables.table_blocks(text)]


def _with_header(row: Target, plan: Plan, view: Any, heads: list[tuple[int, int, int, int]], s: int) -> Target:
    """A number in a table row is read with the table's column headers: the row's context is
    the header line, then the row."""
    i = bisect_right(heads, (s, float("inf"))) - 1
    if i < 0 or not (heads[i][0] <= s < heads[i][1]) or heads[i][2] <= s < heads[i][3]:
        return row
    hs, he = view.span(heads[i][2], heads[i][3])
    sentence, cut = fit_cell(plan.source.text[hs:he] + "\n" + row.sentence)
    row = replace(row, sentence=sentence)
    if cut:
        row.flags.append("sentence-cut")
    return row


_POST_QUALIFIERS = ("左右", "上下", "以上", "以内", "以下", "之内", "内")


def _row(plan: Plan, view: Any, m: re.Match, ss: int, sentence: str, nodes: Sequence[Section] | None) -> Target | str:
    """The target a quantity match states, or the name of the rule that rejects it."""
    g = m.groupdict()
    s, e = m.start(), m.end()
    rel = s - ss
    before = sentence[:rel]
    after = sentence[e - ss :]
    cstart = clause_start(before)
    scope = scope_start(before)  # inside （…）, the words outside do not apply
    q = numbers.read_quantity(m, before, after)
    if isinstance(q, str):
        return q
    ctx = numbers.context_rule(q, before, after, m.group())
    if ctx is not None:
        return ctx
    if g["num"] is not None and is_chinese(g["num"]) and numbers.set_phrase(m.group(), after):
        return "figure-of-speech"
    fuzzy = g["fz"] or g["fz2"] or ("多" if "多" in (g["unit"] or "") else None)  # 3个多月
    post = g["post"]
    comparator, cmp_word = comparators.comparator(before[cstart:])
    if comparator is None:  # 分别不少于15学时、15学时和20学时: the comparator holds for each item
        comparator, cmp_word = comparators.listed(before[clause_start(before, PER_STOP) :])
    if post in comparators.POST_CMP and (comparator is None or cmp_word in ("控制在", "达到", "达")):
        comparator = comparators.POST_CMP[post]
    pscope = clause_start(before, PER_STOP)
    if before[pscope:].lstrip().startswith("其中"):
        pscope = 0  # 每学年不少于80学时，其中市级培训不少于24学时: 24 a year too
    per = time.per(sentence, rel, e - ss, max(scope, pscope))
    qualifier = fuzzy or g["pre"] or (post if post in _POST_QUALIFIERS else None)
    if post in ("及以上", "或以上"):
        qualifier = qualifier or "以上"
    if comparator == ">=" and cmp_word in ("达", "达到") and qualifier in ("左右", "约", "上下"):
        comparator = None  # 支付比例达77%左右: about 77 %, not at least 77 %

    value = value_max = None
    unit = q.unit
    if not q.placeholder:
        stated = bool(comparator is not None or per is not None or fuzzy or g["pre"] or post)
        if q.num in ("一", "乙") and not stated:
            stated = numbers.one_is_commitment(before, after, q.unit, q.kind)
        first = units()[g["u0"]].canon if g["u0"] else q.unit
        read = numbers.values(q, stated, time.range_ratio(first, q.unit))
        if isinstance(read, str):
            return read
        value, value_max, approx = read
        qualifier = qualifier or approx
        if g["half"]:  # 三天半, 两年半, 3个月半: and a half of a time unit; 两个半(天), 三天半天 are not read
            if q.kind != "time" or value is None or value_max is not None or approx or after[:1] in "天年月日小个钟数":
                return "half"
            value += 0.5 * q.factor
        if g["unit"] and time.unit_apart(view.text, m.start("unit"), g["unit"]):
            return "unit-apart"
        if time.bare_years(q.unit, before, after, bool(comparator is not None or per is not None or post)):
            return "bare-years"
        if value_max is not None and first != q.unit:  # 13天—8周: both ends in 天
            value, value_max, unit = time.mixed_range(first, q.unit, value, value_max)
        if g["dun"] is not None:
            lo = numbers.dun_range(g["dun"], q.num or "", before)
            if lo is None:
                s = m.start("num")  # 一、二十名: a list marker before the number, not a range
            else:
                value, value_max = lo * q.factor, value
    if numbers.glued_row_number(q, view.text, s, m.end("num") if g["num"] is not None else -1):
        return "row-number"
    comparator = comparator or "="
    flags = ["placeholder"] if q.placeholder else []
    vt = view.text
    dm = re.fullmatch(r"(\d)([千万亿]?)", q.num or "")
    if (
        value is not None
        and value_max is None
        and dm
        and (q.unit == "%" or q.factor >= 10000 or dm[2])
        and s >= 3
        and vt[s - 1] == "、"
        and vt[s - 2].isdigit()
        and "\u4e00" <= vt[s - 3] <= "\u9fff"
    ):
        # 1、5%, 2、5万元: a converter turned the decimal point into 、 (a list would repeat the unit)
        mult = {"千": 1e3, "万": 1e4, "亿": 1e8}.get(dm[2], 1)
        value = float(f"{vt[s - 2]}.{dm[1]}") * mult * q.factor
        s = s - 2
        flags.append("decimal-comma")
    src_s, src_e = view.span(s, e)
    if is_enclosed(plan.source.text[src_s : src_s + 1]):
        return "list-marker"
    sent_s, sent_e = strip(sentence)
    sent_src = view.span(ss + sent_s, ss + sent_e)
    section, section_kind, node = section_of(nodes, src_s)
    periods = not (per and time.TIMELY.search(per))
    dl = time.deadline_expr(sentence, rel, cstart, clause_end(sentence, e - ss), periods=periods)
    dl = time.respective(sentence, dl, rel)  # 到2023年底和2030年，…分别达到24%和30%
    dl_span = view.span(ss + dl.start, ss + dl.end) if dl is not None else None
    if dl is None and node is not None:
        dl = time.deadline_expr(node.title, len(node.title), 0, len(node.title))
        if dl is not None and node.title_start >= 0 and node.title_end - node.title_start == len(node.title):
            dl_span = (node.title_start + dl.start, node.title_start + dl.end)
    deadline = dl.text if dl is not None else None
    if dl is not None and "placeholder-date" in dl.flags:
        flags.append("placeholder-date")
    responsible = subjects.responsible(sentence)
    if responsible is None:  # （市教育局牵头，市财政局配合） closing the item, in or after its sentence
        vt_end = ss + len(sentence)
        nl = vt.find("\n", vt_end, vt_end + subjects.TAIL_REACH + 1)  # (a bounded look: a line may be the whole text)
        if nl >= 0 or len(vt) - vt_end <= subjects.TAIL_REACH:
            responsible = subjects.tail_responsible(sentence + vt[vt_end : nl if nl >= 0 else len(vt)])
    if responsible is None:  # a 任务分工表 row: its 牵头单位 / 责任单位 column
        responsible = subjects.column_responsible(vt, s)
    if responsible is None and node is not None:  # 组长：… written under the item's heading
        responsible = subjects.responsible(
            plan.source.text[node.start : min(node.end, node.start + 4000)], labelled_only=True
        )
    src = plan.source.text
    return Target(
        id=plan.id,
        source=plan.source.path,
        plan=plan.plan,
        section=section,
        sentence=src[sent_src[0] : sent_src[1]],
        text=src[src_s:src_e],
        start=src_s,
        end=src_e,
        value=value,
        value_max=value_max,
        unit=unit,
        comparator=comparator,
        qualifier=qualifier,
        per=per,
        subject=subjects.subject(sentence, rel, e - ss),
        deadline=deadline,
        responsible=responsible,
        flags=flags,
        section_kind=section_kind,
        deadline_span=dl_span,
        duration=duration_iso(value, unit) if value_max is None else None,
        **time.deadline_fields(dl, time.plan_years(plan.title, plan.meta)),
        **time.per_fields(per),
    )
