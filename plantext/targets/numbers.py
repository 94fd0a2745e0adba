"""Rule *numbers*: where a quantity is written (numeral, range, fuzzy tail, unit, qualifier),
the stretches that hold numbers but no targets, and the value a quantity states.

Every candidate that is not a target is turned away by a named rejection (:data:`REJECTIONS`),
so that a reader (or a test) can ask why a number is not a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..chars import COMMAS, SENTENCE_ENDS, char_class
from ..lexicons import loader
from ..numerals import DIGITS, LARGE, NUMBER, is_chinese, parse_number, read_number
from .units import is_unit_word, units

__all__ = ["REJECTIONS", "Quantity", "qty_re", "mask_re", "read_quantity", "PLACEHOLDER", "RANGE"]

PLACEHOLDER = r"(?<![A-Za-z\d])(?:[xX×]{1,3}|□+|_{2,}|\*{2,})"
RANGE = r"(?:-{1,2}|—{1,2}|[～~至到])"
_CN = "零〇○一二两三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億"

# name -> what it turns away (the pipeline and its tests name the rule that rejected a number)
REJECTIONS = {
    "masked": "a stretch that holds numbers but no target: 《title》, document number, phone, age, "
    "score rule, motto (1人1卡), section number, 考试后3周, ordinal (十九届二中全会, 第十二届二次会议), "
    "clock time (10时30分), lesson slot (下午3、4节课), copies (一式3份), full marks (满分100分), offset in time (提前20分钟), "
    "ordinals listed after 第 (第二、三名) and items referred to by number (以上2、3、4项)",
    "chrome-line": "a line of page chrome (精选18篇, 字数 3103 阅读)",
    "time-limit": "a time (两周内, 三年内, 30日完成, 24年完成, 2019年4月12-19日) is a deadline or a date, not a quantity",
    "unit-apart": "a unit in the next cell or on the next short line (a table: 101 / 校长室), or a "
    "one-character unit that is also a calendar word (日, 年, h) apart from its number (00601 日)",
    "bare-years": "an amount of years nothing states (三年规划, 五年来, 三年级) is context, not a target",
    "improper-share": "a share whose part exceeds the whole or has no whole (三分之五, 零分之一)",
    "unit-in-word": "the unit character starts a word (三部分, 一名师, 十分钟 is kept by the lexicon)",
    "unreadable-number": "the numeral or its range end cannot be read",
    "reversed-range": "a range that runs down (2-1) is more likely an ordinal or a date",
    "score-word": "a Chinese numeral before 分 is an adverb (十分重要)",
    "idea-count": "a Chinese numeral before a generic classifier counts ideas (三个层次), unless stated",
    "article-one": "a bare 一 before a unit is an article (上一节课), unless stated",
    "list-marker": "an enclosed numeral (③) that NFKC turned into a digit",
    "row-number": "a row or item number glued to the next word (1人事处: the unit is part of a word)",
    "cohort": "a year before 届/级 names a cohort or a class (2019届毕业生, 1956届校友), it counts nothing",
    "rank": "a place in a ranking (全省前十名, 后5名) or a move in one (提升5位) is a condition or a position, "
    "not a number of people",
    "composition": "what one container or set holds (一箱是12本, 一盒装10支) describes the thing, it commits to nothing",
    "reminder": "a practical reminder to the reader (提醒：…, 温馨提示：…) gives logistics, not targets",
    "figure-of-speech": "a quantity in a set phrase (向课堂45分钟要质量, 三位一体, 一年一度, 一次性) is no count",
    "example": "a quantity in an example (例如每天读书30分钟) illustrates, it commits to nothing",
    "title-restated": "the plan's title naming a figure its body states again (16学分培训方案): one row, the body's",
    "half": "半 after a unit that is no time unit, or after a range or approximation (两个半, 三到四天半): "
    "no value is made up; 三天半 and 两年半 are read as 3.5 and 2.5",
    "size-condition": "the size of the institutions a rule applies to (1000人以上的中小学校, 200人以上寄宿制学校) "
    "says which schools, it counts no one",
    "no-unit": "a large number written without a unit (投资3541万) whose counted noun is not a person, household "
    "or visit (8000多万农业转移人口 is read in 人)",
    "format": "a format or system named by its size (5人制足球场, 8小时工作制, 三班制) counts nothing",
    "structure": "the parts a text is built of (等8个方面主要任务, 从3个层面) describe the text, not a target",
    "named-circle": "a reach in time that names a concept (15分钟健身圈, 1小时经济圈) is no amount to track",
    "violation": "a number of absences or breaches (累计旷会3次, 旷课10节) is the threshold of a penalty, not a target "
    "(请假不超过3天 is a limit and stays)",
    "population": "a threshold that defines who a statistic counts (每周锻炼1次及以上的人数, 参训3次以上的比例) "
    "is part of the statistic, not a target of its own",
}


@loader
def qty_re() -> re.Pattern:
    """One quantity as written: leading qualifier, numeral (or range, share, percentage,
    placeholder), fuzzy tail, unit, trailing qualifier."""
    ulist = "|".join(re.escape(u) for u in sorted(units(), key=len, reverse=True))
    between = r"(?=[^，。；\n]{0,16}之间)"  # 30与50人之间: 与/和 make a range only before 之间
    return re.compile(
        # the lookahead lets the engine skip most positions at once
        rf"(?=[\d零〇○一二两三四五六七八九十百千万乙几数xX×□_*约近将接大$¥壹贰貳叁參肆伍陆陸柒捌玖拾半])"
        rf"(?<![\d.第A-Za-z\-—～~{_CN}])(?<!\d:)(?P<pre>大约|约为|约|将近|接近|近)?(?:"
        rf"百分之(?P<pnum>{NUMBER}|百)(?:\s*{RANGE}\s*(?:百分之)?(?P<pnum2>{NUMBER}|百))?"
        rf"|(?P<fden>{NUMBER}|[千万])分之(?P<fnum>{NUMBER})"  # 三分之一: a share, read as a percentage
        rf"|(?P<cheng>[一二三四五六七八九]|\d)成(?P<cheng2>[一二三四五六七八九])?"  # 三成: 30 %
        rf"(?=以上|以下|左右|上下|的|[，。、；;,.\s）)]|$)"
        rf"|(?P<cur>[$¥])\s?(?P<cnum>{NUMBER})(?:元)?"  # $30, ¥500
        # half a time unit: 半小时, 半天, 半个月, 半年 (not 上半年, 多半天); N个半: 一个半小时, 两个半月
        rf"|(?<![上下前后多大过每这那个{_CN}\d])(?P<hnum>半)(?P<hunit>个月|个小时|小时|天|日|年)(?![度级制])"
        rf"|(?P<gnum>{NUMBER})个半(?P<gunit>小时|月|星期)"
        rf"|(?<![这那哪同唯统逐之])(?:(?P<dun>[一二两三四五六七八九])、(?=[二三四五六七八九]))?"  # 二、三十位
        rf"(?P<num>{NUMBER}|乙(?=[份个篇次项]))"
        rf"(?:\s*(?P<u0>{ulist})?\s*(?:[(（]含[)）])?\s*(?P<sep>{RANGE}|与{between}|和{between})\s*(?P<num2>{NUMBER}))?"
        rf"(?P<fz>多|余|来)?\s?(?P<unit>{ulist})(?P<half>半)?(?:或(?P=num)(?P=unit)(?=及?以上|以下))?"
        rf"|(?P<ph>{PLACEHOLDER})(?P<fz2>多|余)?\s?(?P<unit2>{ulist})"
        # a count in 万/亿 written without a unit: read when the counted noun says it (8000多万农业转移人口)
        rf"|(?P<bnum>{NUMBER})(?<=[万亿])(?![\d{_CN}]))"
        rf"(?P<post>左右|上下|及以上|或以上|以上|以下|以内|之内|内(?![容涵部在外化心务]))?"
    )


@loader
def mask_re() -> re.Pattern:
    """Stretches that hold numbers but no targets (rejection ``masked``)."""
    return re.compile(
        r"《[^《》\n]{0,80}》"
        r"|“[^“”\n]{1,10}”"
        r"|[〔\[【(（]\d{4}[〕\]】)）]\s*\d*\s*号"
        r"|[\u4e00-\u9fff]{1,8}发\s*\d{4}\s*\d*\s*号"
        r"|(?:电话|手机|联系方式|tel|Tel|TEL|传真)[：:]?\s*[\d\-— ]{6,}"
        r"|\d{3,4}[-—]\d{7,8}|\d{7,}"
        r"|(?:\d+(?:\.\d+)?|[一二两三四五六七八九十]+)岁(?:以下|以上|以内|至\d+岁)?"
        r"|(?:最后|最末|倒数第?)\s*(?:[一二两三四五六七八九十]|\d{1,2})"
        r"|(?<!\d)1[人校班生师园组]1[\u4e00-\u9fff]"  # 1人1卡, 1校1品: a motto, not a count
        r"|(?<=[前后])\s*(?:\d{1,2}|[一二两三四五六七八九十])个?(?:周|天|日)(?!内)"  # 考试后3周: a time
        r"|(?m:^[ \t\u3000]*\d{1,2}(?:\.\d{1,2})+(?=[ \t\u3000]))"  # 1.2 课例研讨: a section number
        r"|每(?:少|多|缺|超)[^，。；]{0,8}?(?:" + "|".join(map(re.escape, units())) + ")"
        r"|[扣减罚加奖得]\d+(?:\.\d+)?分|[（(]\d+(?:\.\d+)?分[)）]"
        # a deduction in a credit scheme: 无故缺席一次扣1学时, 减0.5学分
        r"|[扣减罚]\s*(?:\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(?:个)?(?:学分|学时|课时|积分)"
        # the factor of a formula: 计算方法：A/B×100%, (本年度-上年度)/上年度*100%
        r"|(?:[×*✕]|乘以|(?<![xX\d])[xX](?=\s*\d))\s*\d+(?:\.\d+)?\s*[%‰]"
        # ordinals without 第: 十九届二中全会, 第十二届二次会议 (the 二次 after 届)
        r"|[一二三四五六七八九十\d]+届(?=[一二三四五六七八九十\d]+[中次]|历次|各次|全国|中央|全会|人大|政协|代表大会|会议)"
        # (a list of them: 市委九届十次、十一次全会)
        r"|(?<=届)[一二三四五六七八九十\d]+[中次](?:[、，和及与][一二三四五六七八九十\d]+[中次])*"
        r"(?=[\u4e00-\u9fff]{0,6}?会|[、，]?[一二三四五六七八九十]中)"
        # a party congress counted by its ordinal without 第: 省十四次党代会
        r"|[一二三四五六七八九十\d]+次(?=党代会|党代表大会|代表大会|团代会|妇代会)"
        r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})[时点]\s*(?:\d{1,2}|[一二三四五六七八九十半]{1,3})分?"  # 10时30分
        r"|一式\s*(?:\d+|[一二两三四五六七八九十]+)\s*份"  # 一式3份: copies of a paper, not a count
        r"|(?:满分|卷面分?|总分)(?:为|是)?\s*\d+(?:\.\d+)?\s*分"  # 满分100分: what a paper is marked out of
        # an offset from an event (提前20分钟进场, 推迟一周): when, not how much
        r"|(?:提前|推迟|延后|延迟|顺延)\s*(?:\d+|[一二两三四五六七八九十半]+)\s*个?(?:分钟|小时|天|日|周|星期|个月|月)"
        # ordinals listed after 第 (第二、三名, 第四、五、六名) and items referred to by number (以上2、3、4项)
        r"|(?<=第)[一二三四五六七八九十\d]{1,3}(?:、[一二三四五六七八九十\d]{1,3})+[^\W\d_一二三四五六七八九十]"
        r"|(?<=[以上述第])\d{1,2}(?:、\d{1,2})+\s*[项条点款]"
        # lesson slots: 下午3、4节课, 上午第三四节 (a time of the day, not a number of lessons)
        r"|(?:上午|下午|晚上|早上|中午|早自习|晚自习)第?\s*(?:\d{1,2}|[一二三四五六七八九十])"
        r"(?:\s*[、,，\-—～~至到和]?\s*(?:\d{1,2}|[一二三四五六七八九十]))*\s*节"
    )


# an age is a condition on whom a target is about (50岁以下的教师), unless the clause states an
# average or an expectancy of ages (人均预期寿命达到76.7岁, 平均年龄降到38岁): then it is the figure
_AGE_STAT = re.compile(r"(?:寿命|平均年龄|平均年纪)[^，。；;\n]{0,8}$")


def mask_spans(text: str) -> list[tuple[int, int]]:
    """The stretches of :func:`mask_re` in ``text``, ages that state a statistic left out."""
    out = []
    for m in mask_re().finditer(text):
        if m.group().endswith("岁") and _AGE_STAT.search(text, max(0, m.start() - 16), m.start()):
            continue
        out.append((m.start(), m.end()))
    return out


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
        den = {"千": 1000.0, "万": 10000.0}.get(g["fden"]) or parse_number(g["fden"])  # 千分之三: 0.3 %
        part = parse_number(g["fnum"])
        if not den or part is None or part > den:
            return "improper-share"
        return Quantity(g["fnum"], None, "%", 100.0 / den, "percent", False, True)
    if g["cheng"] is not None:  # 三成 = 30 %, 七成五 = 75 %
        tenths = _digit(g["cheng"]) * 10 + (_digit(g["cheng2"]) if g["cheng2"] else 0)
        return Quantity(str(tenths), None, "%", 1.0, "percent", False, True)
    if g["cur"] is not None:
        return Quantity(g["cnum"], None, "美元" if g["cur"] == "$" else "元", 1.0, "money", False, False)
    if g["bnum"] is not None:
        counted = counted_unit(before, after)
        if counted is None:
            return "no-unit"
        return Quantity(g["bnum"], None, counted, 1.0, "people", False, False)
    if g["hnum"] is not None:  # 半天, 半个月: half of one time unit
        u = units()[g["hunit"]]
        return Quantity("0.5", None, u.canon, u.factor, u.kind, False, False)
    if g["gnum"] is not None:  # 一个半小时, 两个半月: N and a half
        n = parse_number(g["gnum"])
        if n is None:
            return "unreadable-number"
        u = units()[{"月": "个月", "星期": "个星期"}.get(g["gunit"], g["gunit"])]
        return Quantity(repr(n + 0.5), None, u.canon, u.factor, u.kind, False, False)
    written = g["unit"] or g["unit2"]
    u = units()[written]
    if is_unit_word(written, after) or (written.isascii() and after[:1].isascii() and after[:1].isalnum()):
        return "unit-in-word"  # 三部分, 5html
    unit = "学分" if u.canon == "分" and "学分" in before else u.canon  # 学分不少于24分, 其中…12分
    return Quantity(g["num"], g["num2"], unit, u.factor, u.kind, g["ph"] is not None, False)


# the noun a unit-less count in 万/亿 counts: written after it (8000多万农业转移人口, 300万户家庭) or as
# the subject of a change (贫困人口减少6800多万, 出境旅游人次由8300万增加到1亿3千多万)
_COUNTED_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,6}?(人口|人次|居民|农民|群众|职工|学生|游客|网民|用户|农户|家庭|户)")
_COUNTED_BEFORE = re.compile(
    r"(人口|人次|人数|户数)(?:由|从)?(?:\d[\d.亿万千百十多余]*)?"
    r"(?:(?<=由|从)|(?:增加|增长|减少|下降|达到|达|提高|突破|超过|上升|降低|降至|增至)(?:到|至|了)?)$"
)
_COUNTED_UNIT = {"人次": "人次", "农户": "户", "家庭": "户", "户": "户", "户数": "户"}


def counted_unit(before: str, after: str) -> str | None:
    """The unit of a count in 万/亿 written without one, from the noun it counts (人, 人次, 户), or None."""
    m = _COUNTED_AFTER.match(after) or _COUNTED_BEFORE.search(before.rstrip()[-40:])
    return None if m is None else _COUNTED_UNIT.get(m.group(1), "人")


_COHORT = re.compile(r"(?:19|20)\d\d")
_RANK_BEFORE = re.compile(r"(?<![年月日号底末旬天周期时])(?:前|后|倒数)$")
# places moved in a ranking: 比去年同期提升5位, 排名前进3名, 下滑2位
_RANK_MOVE = re.compile(r"(?:提升|上升|前进|前移|跃升|攀升|下降|后退|下滑|后移)了?$")
_COMPOSITION = re.compile(r"一[小大整满]?[箱盒包袋瓶桶捆套本册张页盘车筐罐][里中内]?(?:是|装|含|有|能装|可装|可放)$")
_REMINDER = re.compile(r"(?:提醒|提示|小贴士)[：:]")
_SET_PHRASE = re.compile(r"向[^，。；、\s]{0,6}$")


_EXAMPLE = re.compile(r"(?:例如|比如|譬如|诸如|举例来说|举个例子)")


def set_phrase(matched: str, after: str) -> bool:
    """Is a Chinese-numeral quantity the head of a set phrase the dictionary knows (三位一体,
    一年一度, 三天三夜, 一次性, 一站式)? The word jieba cuts there runs past the quantity, four
    characters or more, or three ending in 性/式 (两本书, 两门课 stay counts)."""
    from ..segment import tokenizer

    if not after or not "\u4e00" <= after[0] <= "\u9fff":
        return False  # the word would end with the quantity
    tok = tokenizer()
    tok.check_initialized()
    if matched + after[0] not in tok.FREQ:
        return False  # no word of the dictionary starts so (FREQ holds every prefix of every word)
    word = next(iter(tok.cut(matched + after[:6], HMM=False)), "")
    if len(word) <= len(matched) or not word.startswith(matched):
        return False
    return len(word) >= 4 or word[-1] in "性式"


# an institution sized by its people: 1000人以上的中小学校, 200人以上寄宿制学校, 学生数不足100人的小学
_SIZED_BODY = re.compile(
    r"(?:(?:以上|以下|及以上|左右)\s*(?:的|规模的?)?|的|规模的?)\s*(?:寄宿制|完全|公办|民办|农村|城区)?"
    r"(?:中小学校|中小学|中学|小学|学校|幼儿园|高校|教学点|分校|校区|学区|班级)"
    r"(?!教师|老师|校长|园长|学生|生|班主任|干部|骨干|新任|教职工|职工)"
)


# 5人制, 8小时工作制, 三班制: a size naming a format (制度, 制定, 制作 … are words of their own)
_FORMAT = re.compile(r"^(?:工作|轮班|轮岗|值班)?制(?![度定订作约止成造品图表备])")
_STRUCTURE = re.compile(r"^(?:方面|层面|维度)")
_CIRCLE = re.compile(r"^[\u4e00-\u9fff]{0,4}?圈")
# …的人数/人口/比例: the quantity sets who is counted; the statistic is the figure that follows
_VIOLATION = re.compile(r"(?:旷会|旷课|旷工|迟到|早退|缺勤|缺席|请假|违纪|违规)[^，。；;,、\n]{0,3}$")
_POPULATION = re.compile(r"^[^，。；;,、：:\n]{0,14}?的[\u4e00-\u9fff]{0,4}?(?:人数|人口|比例|比重|占比)")


def context_rule(q: Quantity, before: str, after: str, written: str = "") -> str | None:
    """The rejection a quantity's words around it call for (cohort, rank, composition, reminder,
    figure-of-speech: see :data:`REJECTIONS`), or None. ``before`` is the sentence up to the
    match, ``after`` the rest, ``written`` the match itself."""
    b = before.rstrip()
    if q.unit == "届" and q.num is not None and _COHORT.fullmatch(q.num):
        return "cohort"
    if q.unit in ("名", "位") and (_RANK_BEFORE.search(b[-4:]) or _RANK_MOVE.search(b[-6:])):
        return "rank"
    tail = re.search(r"(?:以上|以下|左右)$", written)
    if q.unit in ("人", "名") and _SIZED_BODY.match((tail.group() if tail else "") + after):
        return "size-condition"
    if _COMPOSITION.search(b[-8:]):
        return "composition"
    if _FORMAT.match(after):
        return "format"
    if q.unit == "个" and _STRUCTURE.match(after):
        return "structure"
    if q.kind == "time" and _CIRCLE.match(after):
        return "named-circle"
    if _POPULATION.match(after):
        return "population"
    if q.unit in ("次", "节") and _VIOLATION.search(b[-8:]):
        return "violation"
    near = before[-_REACH:]  # a label or 例如 governs the sentence it opens: look a bounded stretch back
    if ("提" in near or "贴" in near) and _REMINDER.search(near):
        return "reminder"
    if _SET_PHRASE.search(b[-8:]) and after.lstrip().startswith("要"):
        return "figure-of-speech"
    if ("如" in near or "诸" in near or "例" in near) and _EXAMPLE.search(near):
        return "example"
    return None


_REACH = 200


def _digit(c: str) -> int:
    return int(c) if c.isdigit() else DIGITS[c]


def values(q: Quantity, stated: bool, ratio: float = 1.0) -> tuple[float, float | None, str | None] | str:
    """(value, value_max, approximation word) of a (non-placeholder) quantity, or the name of
    the rejection. ``stated``: a comparator, frequency, qualifier or fuzzy tail says it is a
    commitment. ``ratio``: how many of the start's unit one of the end's unit is (13天—8周: 7).
    A range with one multiplier (一百二十到一百五十万, 3-5万) takes it on both ends
    when that keeps the range rising (5000-1万 stays 5000 to 10000)."""
    num, num2 = q.num, q.num2
    r1 = read_number("一" if num == "乙" else num or "")  # 乙份: a converter's 一
    if r1 is None or num is None:
        return "unreadable-number"
    value, value_max, approx = r1.value, r1.value_max, r1.approx
    if num2 is not None:
        r2 = read_number(num2)
        if r2 is None:
            return "unreadable-number"
        approx = approx or r2.approx
        hi = r2.value_max if r2.value_max is not None else r2.value
        mult = _trailing_multiplier(num2)
        if mult and not any(c in LARGE for c in num.replace("百分之", "")) and value * mult <= hi:
            value *= mult
        value_max = hi
        if value_max * ratio < value:  # 1-2: a range, never 2-1 (that is more likely an ordinal)
            return "reversed-range"
    value = _tidy(value * q.factor)
    if value_max is not None:
        value_max = _tidy(value_max * q.factor)
    chinese = is_chinese(num)
    stated = stated or approx is not None
    if q.unit == "分" and chinese:
        return "score-word"
    if chinese and q.kind == "generic" and not stated:
        return "idea-count"
    if num in ("一", "乙") and num2 is None and not stated and not q.share:
        return "article-one"
    return value, value_max, approx


def _tidy(v: float) -> float:
    """Float noise off a scaled value (千分之三: 0.3, not 0.30000000000000004); 100/3 stays as it is."""
    r = round(v, 9)
    return r if abs(v - r) < 1e-12 * max(1.0, abs(v)) else v


def _trailing_multiplier(num: str) -> float:
    """The multiplier a range end is written with (5万 -> 10000; Chinese only 万/亿)."""
    c = num[-1]
    if c in LARGE:
        return float(LARGE[c])
    if c in "十百千" and not is_chinese(num):
        return float({"十": 10, "百": 100, "千": 1000}[c])
    return 0.0


# a bare 一 is a commitment, not an article, when it counts an event that is held (召开一次…座谈会,
# 开设一堂汇报课), follows what it counts (培训班一期，), or measures the time a task takes (计划一天完成)
_HOLD = re.compile(r"(?:召开|举办|举行|开设|开展|组织|进行|安排|开|办|出)(?:好|了)?$")
_TEACH = re.compile(r"(?:上|讲|听|说)(?:好|了)?$")  # 上一堂汇报课 (but 上一次: the last time)
_LESSON_UNITS = frozenset("堂 节 节课 课".split())
_EVENT_UNITS = frozenset("次 场 期 堂 节 届 节课 课".split())
# counted after the noun (培训班一期, 讲座一场); a lesson after a verb is an article (设计一节课，研究一节课)
_AFTER_NOUN_UNITS = frozenset("次 场 期 届".split())
_EVENT = re.compile(
    r"^[^，。；;、\n]{0,12}?(?:会|课|讲座|培训|活动|比赛|竞赛|研讨|论坛|沙龙|展示|观摩|演练|评比|交流|报告"
    r"|测试|考试|检查|调研|研修)"
)
_NOT_A_NOUN = frozenset("上下这那每同前后第其另任哪唯统逐之再又仅只各")
_CLAUSE_END = re.compile(r"^(?:\s*$|" + char_class(COMMAS + SENTENCE_ENDS + "、）)\n") + ")")
_DURATION_BEFORE = re.compile(r"(?:计划|用|利用|花|为期|历时|耗时|需要?|大约|约)$")
_DURATION_AFTER = re.compile(r"^(?:时间)?(?:内|完成|结束|做完|时间)")


def one_is_commitment(before: str, after: str, unit: str, kind: str) -> bool:
    """Is a bare 一 + unit a commitment (see above) rather than an article (上一节课, 一个方面)?"""
    b = before.rstrip()
    held = _HOLD.search(b) or (unit in _LESSON_UNITS and _TEACH.search(b))
    if unit in _EVENT_UNITS and held and _EVENT.match(after):
        return True
    if (
        unit in _AFTER_NOUN_UNITS
        and b
        and "\u4e00" <= b[-1] <= "\u9fff"
        and b[-1] not in _NOT_A_NOUN
        and not held
        and _CLAUSE_END.match(after)
    ):
        return True  # 培训班一期，黑板报一期。
    return kind == "time" and bool(_DURATION_BEFORE.search(b) or _DURATION_AFTER.match(after))


def dun_range(first: str, num: str, before: str) -> float | None:
    """二、三十位 (20–30), 五、六位 (5–6): the low end of a range written with 、 between two
    adjacent digits, or None when it is a list (一、三) or a heading marker (一、二十名 at a line start)."""
    line = before[before.rfind("\n") + 1 :]
    if not line.strip() or line.rstrip()[-1:] in "（(：:":
        return None
    if not num or num[0] not in DIGITS or DIGITS[num[0]] != DIGITS[first] + 1:
        return None
    r = read_number(first + num[1:])
    return None if r is None or not r.exact else r.value


def glued_row_number(q: Quantity, text: str, s: int, num_end: int) -> bool:
    """1人事处 at a line or cell start: an item number glued to a word that begins with the
    unit's character (the tokenizer does not cut the unit off)."""
    if num_end < 0 or q.num is None or not q.num.isdigit() or len(q.num) > 2:
        return False
    lead = text[max(0, s - 40) : s]  # a row number stands at most a few blanks after a line start
    nl = lead.rfind("\n")
    if nl < 0 and s > 40 and text[s - 1 : s] != "\t":
        return False
    if lead[nl + 1 :].strip(" \t\u3000") and text[s - 1 : s] != "\t":
        return False
    rest = text[num_end : num_end + 8]
    word = rest.lstrip()
    if not word or not ("\u4e00" <= word[0] <= "\u9fff"):
        return False
    from ..segment import tokenizer

    first = next(iter(tokenizer().cut(word, HMM=False)), "")
    if len(first) > 1 and not any(first == u for u in units()):
        return True
    return _numbered_label(text, s, num_end, int(q.num))


_SIBLING_REACH = 600  # characters around an item that its numbered neighbours stand within


def _numbered_label(text: str, s: int, num_end: int, n: int) -> bool:
    """2学分考核：… after a line 1制定考核内容…: a short label closed by a colon (or a short line)
    glued to the number, with the item before or after it numbered the same way nearby. Then the
    number is the item's, and the unit character starts the label's word."""
    eol = text.find("\n", num_end)
    line = text[num_end : eol if eol >= 0 else len(text)]
    if not re.match(r"[^\s，,。；;：:]{1,10}[：:]", line) and len(line.strip()) > 12:
        return False
    unit = max((u for u in units() if line.startswith(u)), key=len, default="")
    tail = line[len(unit) :]
    if not tail or not ("\u4e00" <= tail[0] <= "\u9fff") or re.match(r"以[上下内]|左右|之内|内|多|余|及以|或以", tail):
        return False  # 3年以上, 5人左右: the unit closes a quantity, no label goes on from it
    sib = "|".join(str(k) for k in (n - 1, n + 1) if k >= 0)
    near = text[max(0, s - _SIBLING_REACH) : num_end + _SIBLING_REACH]
    return re.search(rf"(?m)^[ \t\u3000]*(?:{sib})(?![\d.．、,，:：)）])[\u4e00-\u9fff]", near) is not None
