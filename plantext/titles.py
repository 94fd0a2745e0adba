"""A document's title as a reader names it, chosen among the lines above its body.

The lines above a body hold more than the title: in a 公文 (GB/T 9704) the 发文机关标志 (``…文件``),
the 发文字号 (``发改办财金规〔2019〕860号``), the title (possibly over two lines), the 主送机关
(``各省、自治区…：``); in a speech or report a date or byline line (``（2018年1月2日）``,
``——2018年3月5日在…上``) and the salutation (``各位代表：``); in a long plan a cover (issuer, date),
a table of contents and a 前言. :func:`line_kind` names those lines; :func:`pick` chooses the
title among candidate lines:

1. the line right above a web article's stamp (发布时间：… 浏览次数：…, hint ``stamp``): a page
   prints the article's title there, under its column name (通知公告, 规章制度) and site name;
2. a line the format marks as the title (Word's Title style, a centred bold first paragraph,
   a PDF's largest-font line on page 1, a web page's <h1>) when it is not one of the kinds above;
3. else the first line that names a document (ends in 计划, 方案, 通知, 报告, 安排表 …, brackets
   such as （征求意见稿） aside), joined with the line before it when the title is printed over two
   lines (``关于加强…建设的`` / ``通知``; a line of its own subject takes no line above it unless
   that line reads on into it or both carry the same format hint);
4. else the last plain title-like line right above the body (the old rule), never a line of a
   kind above, a table row, or a line that opens with a date.

None when nothing qualifies: the caller flags ``no-title`` and falls back to the file name.
"""

from __future__ import annotations

__all__ = ["squash", "names_document", "line_kind", "plain_title", "Line", "pick"]

import re
from dataclasses import dataclass

from .chars import COMMAS, SENTENCE_ENDS, char_class

# words a document's name ends with (a title names a kind of document)
_DOC_WORDS = (
    "计划|計劃|計畫|计画|方案|规划|規劃|制度|要点|要點|办法|辦法|细则|細則|总结|總結|纲要|綱要|意见|意見|"
    "通知|通報|通报|通告|公告|公报|公報|决定|決定|决议|決議|报告|報告|请示|請示|批复|批覆|纪要|紀要|章程|条例|條例|"
    "规定|規定|规则|規則|规范|規範|标准|標準|指南|手册|手冊|大纲|大綱|清单|清單|安排|表|书|書|简报|簡報|讲话|講話|"
    "致辞|致辭|发言|發言|倡议|倡議|公约|公約|守则|守則|协议|協議|合同|承诺|承諾|须知|須知|说明|說明|制度汇编|"
    "工作要点|行事历|行事曆|日程|议程|議程|简章|簡章|预案|預案|措施|举措|舉措|目标|目標|任务|任務|职责|職責|流程|"
    "程序|体系|體系|课程|課程|教案|学案|學案|设计|設計|策划|策劃|研究|调研|調研|分析|心得|体会|體會|感想|总则|"
    "通则|细目|明细|名单|名單|一览|一覽|模板|范本|範本|样本|樣本"
)
# a trailing bracket group: （征求意见稿） (2010年3月～2015年2月) 【定稿】
_TAIL_BRACKETS_RE = re.compile(r"(?:\s*[(（\[【〔][^()（）\[\]【】〔〕]{1,20}[)）\]】〕])+$")
_NAMES_RE = re.compile(f"(?:{_DOC_WORDS})$")
_SPACES_RE = re.compile(r"[\s\u3000\xa0]+")

_TOC_HEAD_RE = re.compile(r"^(?:目录|目錄|目次|contents|tableofcontents)[:：]?$", re.I)
# a contents entry: text then dot leaders / a tab / spaces and a page number or range
_TOC_ENTRY_RE = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|-{3,}|\t|\s)\s*\d{1,3}(?:\s*[-–—~]\s*\d{1,3})?\s*$")
_FRONT_RE = re.compile(
    r"^(?:前言|序言|引言|序|导言|導言|绪论|緒論|说明|說明|填表说明|填表說明|编制说明|編制說明|摘要|"
    r"附录|附錄|附表|附图|附圖|备注|備註|注|正文|封面|扉页|abstract|preface|foreword)[:：]?$",
    re.I,
)
_ATTACH_RE = re.compile(r"^(?:附件|附表|附录|附錄)\s*[0-9０-９一二三四五六七八九十]{0,3}\s*[:：]?")
# 发文字号: 国办发〔2019〕12号, 容诚审字[2020]361Z0074号, 浙教办〔2021〕3号
_DOCNO_RE = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*[0-9A-Za-z]{0,12}\s*号")
_ISSUER_RE = re.compile(r"文件$")
# a line that is a date: 2018年1月2日, （2018年1月2日）, 二〇一〇年一月, 2019.10.08, ——2018年3月5日在…上
_Y = r"(?:(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})"
_DATE_RE = re.compile(
    rf"^[（(]?\s*{_Y}\s*(?:年\s*[0-9〇○零一二三四五六七八九十]{{1,3}}\s*月(?:\s*[0-9〇○零一二三四五六七八九十]{{1,3}}\s*日)?"
    rf"|[./-]\s*\d{{1,2}}(?:\s*[./-]\s*\d{{1,2}})?)\s*[）)]?$"
)
_DATE_LEAD_RE = re.compile(rf"^[（(]?\s*{_Y}\s*(?:年\s*\d{{1,2}}\s*月|[./-]\s*\d{{1,2}}(?:\s*[./-]\s*\d{{1,2}})?\b)")
_BYLINE_RE = re.compile(rf"^[—\-–]{{1,3}}\s*(?:{_Y}|在)")  # ——2018年3月5日在…上的讲话
# a line that is one bracketed note: （讨论稿）, (经2020年6月12日校长办公会审议通过), （初 稿）
_NOTE_RE = re.compile(r"^[（(][^（）()]{1,40}[）)]$")
# an addressee (主送) or salutation: 各二级团组织：, 各位代表：, 尊敬的各位家长：, 同志们：
_SALUTE_HEAD_RE = re.compile(r"^(?:各|尊敬的|敬爱的|亲爱的|親愛的|致|全体|全體)")
_DEAR_RE = re.compile(r"^(?:尊敬的|敬爱的|敬愛的|亲爱的|親愛的)")
_SALUTE_TAIL_RE = re.compile(
    r"(?:同志们|同志們|朋友们|朋友們|代表|家长|家長|来宾|來賓|嘉宾|嘉賓|领导|領導|同仁|股东|股東|老师们|老師們|家长们|家長們|同学们|同學們|们|們|"  # noqa: E501
    r"单位|單位|部门|部門|学校|學校|组织|組織|委员会|委員會|院系|处室|科室|人民政府|厅局|直属机构)$"
)
# who or where: an issuer, a school or company name standing alone, an address
_ORG_RE = re.compile(
    r"(?:学校|學校|中学|中學|小学|小學|大学|大學|学院|學院|幼儿园|幼稚園|公司|事务所|事務所|委员会|委員會|"
    r"办公室|辦公室|办公厅|辦公廳|政府|集团|集團|协会|協會|研究院|中心|局|厅|廳|处|處|所|院|部|"
    r"school|college|university|company|ltd\.?|inc\.?)$",
    re.I,
)
_ADDRESS_RE = re.compile(
    r"(?:路|街|道|巷|号|號|幢|楼|樓|室|栋|棟)\s*\d*$|\d{6}$|(?:tel|email|fax|电话|電話|传真|邮编|地址)[:：]", re.I
)
# a link in a news list or sidebar: a dated entry (…通知[08-18], …（2021-03-05）) or a cut link title
_MENU_RE = re.compile(r"(?:[\[【(（]\s*(?:\d{2,4}[-./])?\d{1,2}[-./]\d{1,2}\s*[\]】)）]|…|\.{3})$")
_SENTENCE_RE = re.compile(char_class(SENTENCE_ENDS + COMMAS))
_MAX_TITLE = 60


def squash(line: str) -> str:
    """The line without spaces (审 计 报 告 -> 审计报告: letter-spaced titles)."""
    return _SPACES_RE.sub("", line)


def names_document(line: str) -> bool:
    """Whether the line ends in the name of a kind of document (计划, 方案, 通知, 安排表 …),
    a trailing bracket (（征求意见稿）) and colon aside."""
    s = _TAIL_BRACKETS_RE.sub("", squash(line)).rstrip(":：")
    return bool(s) and len(s) >= 2 and _NAMES_RE.search(s) is not None


def line_kind(line: str) -> str | None:
    """What a short line above a body is when it is not a title: ``toc`` (目录 and its
    entries), ``front`` (前言, 说明, 填表说明 …), ``attachment`` (附件2), ``docno`` (发文字号),
    ``issuer`` (…文件), ``date``, ``byline`` (——2018年…), ``salutation`` (主送机关, 各位代表：),
    ``menu`` (a dated or cut link of a news list), ``note`` (one bracketed remark: （讨论稿）,
    (经…会议审议通过)), ``sentence`` (punctuated prose), ``long``; None for a line that may be a title."""
    s = squash(line)
    if not s:
        return "blank"
    if len(s) > _MAX_TITLE:
        return "long"
    if _TOC_HEAD_RE.match(s):
        return "toc"
    if _MENU_RE.search(s):
        return "menu"
    if _FRONT_RE.match(s):
        return "front"
    if (am := _ATTACH_RE.match(s)) and len(am.group()) == len(s):
        return "attachment"
    if _DOCNO_RE.search(s) and not names_document(line):
        return "docno"
    if _ISSUER_RE.search(s):
        return "issuer"
    if _DATE_RE.match(s):
        return "date"
    if _BYLINE_RE.match(s):
        return "byline"
    if _NOTE_RE.match(s):
        return "note"
    if (
        s[-1] in ":："
        and (not names_document(s) or _SALUTE_HEAD_RE.match(s))
        and (not _SENTENCE_RE.search(s[:-1]) or _SALUTE_HEAD_RE.match(s) or _DEAR_RE.match(s))
    ):
        return "salutation"  # 各位代表：, 各省、自治区…，国务院各部委：; not a sentence that ends 如下：
    if _DEAR_RE.match(s) or _SALUTE_HEAD_RE.match(s) and _SALUTE_TAIL_RE.search(s.rstrip(":：")):
        return "salutation"
    if "\t" in line.strip() or _TOC_ENTRY_RE.search(line.rstrip()) and not names_document(line):
        return "toc"
    if _SENTENCE_RE.search(s[:-1]):
        return "sentence"
    return None


def plain_title(line: str) -> bool:
    """A line that may stand as a title when nothing names a document: not a kind of
    :func:`line_kind`, not a date-led entry (2017.2.4 工作), an organisation or an address."""
    if line_kind(line) is not None:
        return False
    s = squash(line)
    return len(s) >= 2 and not (
        _DATE_LEAD_RE.match(s)
        or _ORG_RE.search(s)
        or _ADDRESS_RE.search(s)
        or not re.search(r"[\u4e00-\u9fffA-Za-z]", s)
    )


@dataclass(slots=True)
class Line:
    """A candidate line: its span in the source, text (stripped), and the format's hint."""

    start: int
    end: int
    text: str
    hint: str | None = None  # "title" (Word Title style, PDF largest font, <h1> ...) or None
    joined_to_next: bool = False  # the next candidate line follows right after it


def pick(lines: list[Line], fallback: bool = True) -> tuple[int, int, str] | None:
    """The title among the candidate lines above a body (see the module docstring); without
    ``fallback`` only a hinted or document-naming line."""
    found = _pick(lines, fallback)
    if found is None:
        return None
    start, end, text = found
    m = _RUNON_RE.search(text)
    if m and len(squash(text[: m.start()])) >= 4 and names_document(text[: m.start()]):
        return start, start + m.start(), text[: m.start()]  # 工作方案一、背景分析: the text runs on
    return found


# a title run on into the document's first heading (flattened text): …工作方案一、背景分析
_RUNON_RE = re.compile(r"(?<=[^\s\d一二三四五六七八九十])(?:一[、．]|第一[章部分])")


def _pick(lines: list[Line], fallback: bool) -> tuple[int, int, str] | None:
    usable = [ln for ln in lines if line_kind(ln.text) is None]
    for ln in usable:
        if ln.hint == "stamp" and (names_document(ln.text) or plain_title(ln.text)):
            return _with_previous(lines, ln)
    for ln in usable:
        if ln.hint == "title" and (names_document(ln.text) or plain_title(ln.text)):
            return _with_next(lines, ln, _with_previous(lines, ln))
    for ln in usable:
        if names_document(ln.text) and not _DATE_RE.match(squash(ln.text)):
            return _with_previous(lines, ln)
    if not fallback:
        return None
    for ln in reversed(lines):
        if plain_title(ln.text):
            return ln.start, ln.end, ln.text
        if line_kind(ln.text) not in (None, "salutation", "date", "byline", "docno", "note"):
            break
    return None


def _with_next(lines: list[Line], ln: Line, found: tuple[int, int, str]) -> tuple[int, int, str]:
    """A marked title that names no document yet goes on over the lines right after it: lines
    of the same mark (a cover's title in large type over two or three lines), then one short
    line naming the document (``2020年…暑期`` / ``“三下乡”社会实践活动`` / ``项目申报书``)."""
    start, end, text = found
    i = lines.index(ln)
    while not names_document(text) and i + 1 < len(lines) and lines[i].joined_to_next:
        nxt = lines[i + 1]
        if (
            line_kind(nxt.text) is not None
            or _DATE_LEAD_RE.match(squash(nxt.text))
            or _ORG_RE.search(squash(nxt.text))
            or len(squash(text)) + len(squash(nxt.text)) > _MAX_TITLE
            or not (nxt.hint == ln.hint or (names_document(nxt.text) and len(squash(nxt.text)) <= _SHORT_TAIL))
        ):
            break
        end, text = nxt.end, text + nxt.text
        i += 1
    return (start, end, text) if names_document(text) else found


def _with_previous(lines: list[Line], ln: Line) -> tuple[int, int, str]:
    """A title printed over two or three lines: the line right before (joined to it, short,
    naming no document itself, of no other kind) is its first half, and so on upwards while
    the first line so far is a short one that needs a head (``2020年…暑期`` / ``“三下乡”社会实践活动``
    / ``项目申报书``)."""
    i = first = lines.index(ln)
    start, end, text = ln.start, ln.end, ln.text
    while i > 0 and _joins(lines[i - 1], lines[i], len(squash(text)), _SHORT_TAIL if i == first else _SHORT_MIDDLE):
        i -= 1
        start, text = lines[i].start, lines[i].text + text
        head = squash(lines[i].text)
        if len(head) > _SHORT_MIDDLE or head.startswith(("关于", "關於")):
            break  # a long first line, or 关于…: the title's own head, nothing above it belongs
    return start, end, text


def _joins(prev: Line, ln: Line, length: int, short: int) -> bool:
    """``prev`` is the line before the title line(s) ``ln`` starts (``length`` characters so far;
    ``ln`` no longer than ``short`` needs a head)."""
    return (
        prev.joined_to_next
        and line_kind(prev.text) is None
        and not names_document(prev.text)
        and not _DATE_LEAD_RE.match(squash(prev.text))
        and not _ORG_RE.search(squash(prev.text))
        and len(squash(prev.text)) + length <= _MAX_TITLE
        and bool(
            prev.hint == ln.hint is not None
            or _CONTINUES_RE.search(squash(prev.text))
            or (prev.hint == ln.hint and len(squash(ln.text)) <= short)
        )
    )


# the second half of a title over two lines that needs a first half: 实施方案, 工作计划, 的通知
# (a longer line names its own subject: 上海市…学校四年发展计划 takes no column name above it)
_SHORT_TAIL = 12
_SHORT_MIDDLE = 16  # the middle line of a title over three lines (``“三下乡”社会实践活动``)
# the first half of a title cut over two lines ends inside a phrase: 关于…的, …和, …与
_CONTINUES_RE = re.compile(r"(?:的|和|与|與|及|暨|关于|關於|对|對|在|为|為|之|、)$")
