"""Web pages saved from template sites (.html/.htm) and single-file archives (.mhtml/.mht).

The article only, by trafilatura (tuned for recall so the whole plan survives, tables kept):
one line per paragraph or heading, a table as rows of tab-joined cells, the page title put
first when the article body does not start with it. The bytes are decoded by the charset the
page declares (GBK pages are common), else by detection; an .mhtml is opened with the stdlib
``email`` parser and its text/html part used. When trafilatura finds nothing, the text of
<body> is taken rather than failing.
"""

from __future__ import annotations

__all__ = ["read", "mhtml_page", "decode_html", "article", "body_text", "flat_text", "build"]

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..chars import SENTENCE_ENDS, char_class
from ..model import Part, Source
from . import IngestError
from .text import _SUPERSETS, decode

if TYPE_CHECKING:
    from lxml.etree import _Element
    from lxml.html import HtmlElement
    from trafilatura.settings import Document

_Line = tuple[str, str, int | None]  # (style, text, heading level) of one line of a page

_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_WESTERN_RE = re.compile(r"(?:iso[-_]?8859|latin|l1$|cp1252|windows-1252|us-ascii|ascii)")
# "plan_category_site", "plan - site", "plan|site"; a "-" between digits (2023-2024学年) stays
_SITE_SEP_RE = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+|(?<=\D)-(?=\D)")
_BLOCKS = (
    "p",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "center",
)


def read(path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict") -> Source:
    fmt, hint = "html", None
    if _is_mhtml(path, data):
        data, hint = mhtml_page(path, data)
        fmt = "mhtml"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(path, key="ingest.binary_html")
    page, enc = decode_html(path, data, encoding, errors, hint)
    if "<" not in page:
        raise IngestError(path, key="ingest.no_html")
    lines, title = article(page)
    return build(path, lines, title, fmt, enc)


def _is_mhtml(path: str, data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    if path.lower().endswith((".mhtml", ".mht")):
        return not head.startswith((b"<!doctype", b"<html"))  # some "mht" files are plain html
    return re.match(rb"[a-z-]+:", head) is not None and b"multipart/" in head  # MIME headers first


def mhtml_page(path: str, data: bytes) -> tuple[bytes, str | None]:
    """The main text/html part of an MHTML archive: (bytes after transfer decoding, charset)."""
    import email
    import email.policy

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)  # undoes quoted-printable / base64
            if isinstance(payload, bytes) and payload:
                return payload, part.get_content_charset()
    if not msg.is_multipart() and msg.get_content_type() == "text/plain" and not msg.keys():
        raise IngestError(path, key="ingest.not_mhtml")
    raise IngestError(path, key="ingest.mhtml_no_html")


def decode_html(
    path: str, data: bytes, encoding: str | None = None, errors: str = "strict", hint: str | None = None
) -> tuple[str, str]:
    """Decode a page: a forced encoding, else a BOM, the charset of the MHTML part (``hint``)
    or of the page's <meta>, else detection (pages often lie about their charset)."""
    if encoding or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(path, data, encoding, errors)
    m = _META_CHARSET_RE.search(data[:8192])
    for name in (hint, m.group(1).decode("ascii") if m else None):
        if name:
            name = name.lower()
            enc = _SUPERSETS.get(name.replace("-", "").replace("_", ""), name)
            if enc.replace("-", "").replace("_", "").startswith(("utf16", "utf32", "ucs2", "ucs4")):
                enc = "utf-8"  # the label was read as ASCII bytes, so the page is not UTF-16 (as browsers do)
            if _WESTERN_RE.match(enc) and not data.isascii():
                continue  # a Chinese page labelled latin-1/cp1252 would decode to mojibake
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                continue
    return decode(path, data, None, errors)


def article(page: str) -> tuple[list[_Line], str | None]:
    """(style, text, level) lines of the page's main text, and the page title. ``style`` is
    the element a line came from: p, h2 ..., li, tr; ``level`` the heading level counted from
    the page's topmost heading. The page is parsed once (lxml); its data tables become rows
    before trafilatura picks the article (see :func:`prepare_tables`); trafilatura's metadata
    pass (publication dates, authors: seconds on some pages) is not run."""
    import copy

    import trafilatura
    from trafilatura.settings import Document

    page = unwrap_cjk(page)
    tree = _parse(page)
    title = page_title(tree, page) if tree is not None else None
    if tree is not None:
        prepare_tables(tree)

    def run(*, favor_recall: bool = False, favor_precision: bool = False, fast: bool = False) -> Document | None:
        src = copy.deepcopy(tree) if tree is not None else page
        doc = trafilatura.bare_extraction(
            src,
            include_tables=True,
            include_comments=False,
            include_images=False,
            with_metadata=False,
            deduplicate=False,
            favor_recall=favor_recall,
            favor_precision=favor_precision,
            fast=fast,
        )
        return doc if isinstance(doc, Document) else None  # a dict only when as_dict is asked for

    # trafilatura's own extractor alone; its comparison with readability and jusText (twice the
    # time) only when that finds little of the page's text
    doc = run(favor_recall=True, fast=True)
    if _little(doc, tree):
        doc = run(favor_recall=True)
    lines: list[_Line] = []
    if doc is not None and doc.body is not None:
        _walk(doc.body, lines)
        if lines and (_chrome_like(lines[:1]) or _chrome_like(lines[-1:])):  # else nothing to trim
            lines = _trim(lines, run(favor_precision=True, fast=True))
        lines = _sibling_blocks(tree, lines) or lines
        top = min((lvl for _, _, lvl in lines if lvl), default=1)
        lines = [(k, t, (lvl - top + 1 if lvl else None)) for k, t, lvl in lines]
    if not lines:
        lines = [("p", t, None) for t in body_text(page) or flat_text(page)]
    if title and tree is not None:
        title = _printed_title(title, tree, lines)
    return [x for x in (_row_line(k, t, lvl) for k, t, lvl in lines) if x[1].strip()], title


def _sibling_blocks(tree: HtmlElement | None, lines: list[_Line]) -> list[_Line] | None:
    """The article when it is printed in several blocks of one kind (a notice, then its 实施细则,
    then a list of downloads, each in its own ``<div class="content">`` under a title of its
    own): trafilatura keeps the densest block only. When the block holding the extracted text
    (or one of its three nearest ancestors) has siblings of the same tag and class that hold
    text of their own, the lines are their common parent's, read block by block (headings
    keep their level). Not when the parent holds more text outside those blocks than half of
    theirs (a page column with navigation)."""
    if tree is None:
        return None
    texts = [t for _, t, _ in lines if len(t) >= 8 and _ROW not in t and _CELL not in t]
    if not texts:
        return None
    ends = []
    for t in (texts[0], texts[-1]):
        probe = t[:12]
        hits = tree.xpath("//body//text()[contains(., $s)]", s=probe) if "'" not in probe else []
        if not hits:
            return None
        ends.append(hits[0].getparent())
    a, b = ends
    if a is None or b is None:
        return None
    mine = {id(x) for x in a.iterancestors()} | {id(a)}
    block = b if id(b) in mine else next((x for x in b.iterancestors() if id(x) in mine), None)
    for _ in range(4):
        if block is None or block.tag in ("body", "html"):
            return None
        parent = block.getparent()
        cls = (block.get("class") or "").strip()
        if parent is not None and cls and block.tag in ("div", "section", "article", "td"):
            same = [c for c in parent if c.tag == block.tag and (c.get("class") or "").strip() == cls]
            inside = sum(len(_clean(c.text_content())) for c in same)
            others = [c for c in same if c is not block and len(_clean(c.text_content())) >= 100]
            if others and len(_clean(parent.text_content())) - inside <= inside // 2:
                return _element_lines(parent)
        block = parent
    return None


def _element_lines(el: HtmlElement) -> list[_Line]:
    """(style, text, level) lines of an element's text, block by block; headings keep their tag
    and level."""
    import copy

    el = copy.deepcopy(el)
    for bad in el.xpath(".//script|.//style|.//noscript|.//template"):
        bad.drop_tree()
    heads: dict[str, int] = {}
    for h in el.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        heads.setdefault(_clean(h.text_content()), int(h.tag[1]))
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for b in el.iter(*_BLOCKS, "address"):
        b.tail = "\n" + (b.tail or "")
        b.text = "\n" + (b.text or "")
    out: list[_Line] = []
    for line in el.text_content().split("\n"):
        t = _clean(line)
        if not t:
            continue
        if _ROW in t or _CELL in t:
            out.append(("tr", t.replace(_ROW, "").replace(_CELL, "\t"), None))
        elif t in heads:
            out.append((f"h{heads[t]}", t, heads[t]))
        else:
            out.append(("p", t, None))
    return out


def _little(doc: Document | None, tree: HtmlElement | None) -> bool:
    """Whether an extraction holds less than a quarter of the page's visible text (or none)."""
    if doc is None or doc.body is None:
        return True
    got = len("".join(doc.body.itertext()))
    if tree is None:
        return got < 200
    total = sum(len(t.strip()) for t in tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))
    return got < 200 and got < total // 4 or got < total // 10


def _parse(page: str) -> HtmlElement | None:
    import lxml.html

    try:  # huge_tree: libxml2 drops everything below 256 nested elements without it
        return lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True))
    except Exception:  # lxml refuses empty or odd documents
        return None


# -- the page's title ---------------------------------------------------------------------------

_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_CRUMB_RE = re.compile(r"breadcrumb|crumb|location|position|weizhi|dangqian|curpos|nav_?path|sitepath|where", re.I)
_CRUMB_SEP_RE = re.compile(r"\s*(?:>>|>|»|›|→|/|＞|＞＞)\s*")


def unescape(text: str) -> str:
    """Entities left literal by a page that escaped them twice (``&amp;nbsp;`` shows as
    ``&nbsp;``) decoded; no-break and ideographic spaces made plain spaces."""
    import html

    if "&" in text and _ENTITY_RE.search(text):
        text = html.unescape(text)
    return text.replace("\xa0", " ")


def page_title(tree: HtmlElement, page: str) -> str | None:
    """The page's own name: ``og:title`` or ``<title>`` without the site's name (kept whole
    when the page prints it whole); when that is only the site's name (a school, a company)
    the last step of the breadcrumb (首页 > 学校简介 > 生命教育), else the single <h1>."""
    from ..titles import plain_title, squash

    raw = ""
    for el in tree.iter("title"):
        raw = unescape(el.text_content()).strip()
        break
    og = tree.xpath('//meta[@property="og:title"]/@content')
    if og and unescape(og[0]).strip():
        raw = unescape(og[0]).strip()
    title = raw
    if title and page.count(title) < 2:  # only in <title>: cut off the site's name
        title = cut_site(title)
    title = " ".join(title.split())
    if title and plain_title(title) or title and _names(title):
        return title
    crumb = _breadcrumb(tree)
    if crumb and squash(crumb) != squash(title):
        return crumb
    heads = [" ".join(unescape(h.text_content()).split()) for h in tree.iter("h1")]
    heads = [h for h in heads if h]
    if len(heads) == 1 and (plain_title(heads[0]) or _names(heads[0])):
        return heads[0]
    return title or None


def _printed_title(title: str, tree: HtmlElement, lines: list[_Line]) -> str:
    """The page title as the article prints it: a title holding a separator of its own
    (生涯规划|看见未来：…--学校新闻-某中学) is cut too short by the site-name rule; a line near the
    top of the article that begins the raw <title> and is longer wins."""
    from ..titles import squash

    raw = ""
    for el in tree.iter("title"):
        raw = squash(unescape(el.text_content()))
        break
    best = title
    for _, text, _ in lines[:15]:
        t = squash(unescape(text))
        if len(t) > len(squash(best)) and len(t) >= 4 and raw.startswith(t):
            best = " ".join(unescape(text).split())
    return best


def cut_site(title: str) -> str:
    """A <title> without the site's name and category that follow it (方案--教科室-某中学,
    方案_某某网, 方案 | 某某网): trailing parts of 12 characters or fewer are cut, one at a time,
    so a title with a separator of its own (读书节|书香满园：…方案--德育处-某小学) keeps it."""
    cuts = list(_SITE_SEP_RE.finditer(title))
    end = len(title)
    while cuts:
        m = cuts.pop()
        if len(title[m.end() : end].strip()) > 12:
            break
        end = m.start()
    return title[:end].strip() or title


def _names(line: str) -> bool:
    from ..titles import names_document

    return names_document(line)


def _breadcrumb(tree: HtmlElement) -> str | None:
    """The last step of the page's breadcrumb trail (an element whose class or id says so)."""
    from ..titles import plain_title

    for el in tree.iter("div", "ul", "ol", "p", "span", "nav", "td"):
        key = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _CRUMB_RE.search(key):
            continue
        steps = [x for x in _CRUMB_SEP_RE.split(" ".join(unescape(el.text_content()).split())) if x.strip()]
        steps = [x.strip(" :：") for x in steps]
        if len(steps) >= 2 and 2 <= len(steps[-1]) <= 40 and plain_title(steps[-1]):
            return steps[-1]
    return None


# -- tables ------------------------------------------------------------------------------------

_ROW = "\ue0f0"  # opens a paragraph that is a table row (private use: never in a page's text)
_CELL = "\ue0f1"  # between two cells of such a row


def prepare_tables(tree: HtmlElement) -> None:
    """Tables as trafilatura should see them. A data table becomes one paragraph per row, its
    cells joined by a private separator (turned into a tab afterwards): every physical cell
    once, a cell spanning n columns followed by n-1 empty cells, the rows a cell spans down
    given an empty cell at its place, a cell's paragraphs (Word's <p class=MsoNormal>) joined by
    a space. A layout table (the page's grid: a cell holding a table, headings or lists, or one
    column) is unwrapped into blocks, so its paragraphs stay paragraphs."""
    tables = list(tree.iter("table"))
    layout = {id(t): _layout_table(t) for t in tables}
    for table in reversed(tables):  # inner tables first
        if layout[id(table)]:
            for el in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"):
                if el.tag in ("td", "th", "caption"):
                    el.tag = "div"
                elif el.tag == "table" and el is not table:
                    continue
                else:
                    el.tag = "div"
            continue
        # rows separated by line breaks, not paragraphs: a Word-exported page may hold the
        # table inside a <p>, whose paragraph would swallow paragraphs put there
        new = table.makeelement("div", {})
        new.append(table.makeelement("br", {}))
        for cells in grid(table):
            if any(cells):
                br = table.makeelement("br", {})
                new[-1].tail = _ROW + _CELL.join(cells)
                new.append(br)
        new.tail = table.tail
        parent = table.getparent()
        if parent is not None:
            parent.replace(table, new)


def _own(el: HtmlElement, tags: tuple[str, ...]) -> Iterator[HtmlElement]:
    """Children (through tbody/thead/tfoot) of a table or row with one of ``tags``, not those of
    a nested table."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in tags:
            yield child
        elif child.tag in ("tbody", "thead", "tfoot"):
            yield from _own(child, tags)


def _layout_table(table: HtmlElement) -> bool:
    rows = list(_own(table, ("tr",)))
    if not rows:
        return True
    width = max(len(list(_own(tr, ("td", "th")))) for tr in rows)
    if width <= 1:
        return True
    for tr in rows:
        for td in _own(tr, ("td", "th")):
            if next(td.iter("table", "h1", "h2", "h3", "h4", "ul", "ol", "form", "iframe"), None) is not None:
                return True
    return False


def _span(el: HtmlElement, name: str) -> int:
    try:
        return max(1, min(int((el.get(name) or "1").strip() or 1), 100))
    except ValueError:
        return 1


def grid(table: HtmlElement) -> list[list[str]]:
    """The table's rows as lists of cell texts (see :func:`prepare_tables`)."""
    out: list[list[str]] = []
    down: dict[int, int] = {}  # column -> rows still covered by a cell above
    for tr in _own(table, ("tr",)):
        cells: list[str] = []
        col = 0

        def covered() -> None:
            nonlocal col
            while down.get(col, 0) > 0:  # noqa: B023
                down[col] -= 1
                cells.append("")  # noqa: B023  (called within this row's iteration)
                col += 1

        for td in _own(tr, ("td", "th")):
            covered()
            across, rows = _span(td, "colspan"), _span(td, "rowspan")
            cells.append(cell_text(td))
            cells.extend([""] * (across - 1))
            if rows > 1:
                for k in range(across):
                    down[col + k] = rows - 1
            col += across
        while any(v > 0 for c, v in down.items() if c >= col):  # columns covered after the last cell
            if down.get(col, 0) > 0:
                down[col] -= 1
            cells.append("")
            col += 1
        out.append(cells)
    return out


def cell_text(td: HtmlElement) -> str:
    """A cell's text on one line: its paragraphs and line breaks joined by a space."""
    parts: list[str] = []

    def walk(el: HtmlElement) -> None:
        if el.tag in ("script", "style"):
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                if child.tail:
                    parts.append(child.tail)
                continue
            block = child.tag in _BLOCKS or child.tag == "br"
            if block:
                parts.append(" ")
            walk(child)
            if block:
                parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(td)
    return " ".join(unescape("".join(parts)).replace(_ROW, " ").replace(_CELL, " ").split())


def _row_line(style: str, text: str, level: int | None) -> _Line:
    """A line from trafilatura: a table row (its marker first) becomes a ``tr`` line of
    tab-joined cells; entities left literal are decoded."""
    if _ROW in text or _CELL in text:
        cells = text.replace(_ROW, "").split(_CELL)
        return "tr", "\t".join(c.strip() for c in cells), None
    return style, unescape(text).strip(" \u3000"), level


_PROSE_RE = re.compile(char_class(SENTENCE_ENDS) + r"|(?:\d{2,4}|[〇零一二三四五六七八九]{2,4})\s*年.{0,6}月")


def _trim(lines: list[_Line], precise: Document | None) -> list[_Line]:
    """Recall mode keeps the whole plan but on some layouts (text in one <div> with <br>s)
    also breadcrumbs and link lists around it. Where precision mode's lines are one run of
    recall's, drop what recall adds before or after that run when it is all short lines with
    no sentence and no date (navigation, tags, link titles); otherwise keep recall's text."""
    if precise is None or precise.body is None:
        return lines
    core: list[_Line] = []
    _walk(precise.body, core)
    texts, want = [t for _, t, _ in lines], [t for _, t, _ in core]
    if not want or len(want) == len(texts):
        return lines
    n = len(want)
    at = next((i for i in range(len(texts) - n + 1) if texts[i : i + n] == want), None)
    if at is None:
        return lines

    start = at if _chrome_like(lines[:at]) else 0
    end = at + n if _chrome_like(lines[at + n :]) else len(lines)
    return lines[start:end]


def _chrome_like(lines: list[_Line]) -> bool:
    """Short lines without a sentence or a date: navigation, tags, link titles."""
    return all(len(t) <= 30 and not _PROSE_RE.search(t) for _, t, _ in lines)


def _walk(el: _Element, out: list[_Line]) -> None:
    """Lines of trafilatura's XML, in order. Text between blocks (a cell's loose text, a tail
    after a paragraph) is a line too: layout cells and <br>-broken pages are full of it."""
    loose = [el.text or ""]

    def flush() -> None:
        out.extend(("p", line, None) for line in _lines("".join(loose)))
        loose.clear()

    for child in el:
        tag = child.tag
        if tag not in _BLOCK_TAGS:  # inline: hi, ref, lb, del ...
            if tag != "graphic":
                loose.append("\n" if tag == "lb" else _text(child))
            loose.append(child.tail or "")
            continue
        flush()
        if tag == "table" and _layout(child):  # the page's layout grid: its cells hold the text
            for row in child.findall("row"):
                for cell in row.findall("cell"):
                    _walk(cell, out)
        elif tag == "table":
            for row in child.findall("row"):
                cells = [_clean(_text(c)).replace("\n", " ") for c in row if c.tag == "cell"]
                if any(cells):
                    out.append(("tr", "\t".join(cells), None))
        elif tag == "list":
            for item in child.iter("item"):
                for line in _lines(_text(item, skip=("list",))):
                    out.append(("li", line, None))
        else:
            style, level = "p", None
            if tag == "head":
                m = re.match(r"h(\d)", child.get("rend") or "")
                level = int(m.group(1)) if m else 2
                style = f"h{level}"
            for line in _lines(_text(child)):
                out.append((style, line, level))
        loose.append(child.tail or "")
    flush()


_BLOCK_TAGS = {"p", "head", "list", "table", "quote", "code"}
# A line break in the HTML source between two Chinese characters: the author's editor wrapped
# the line. Collapsed to a space it would cut 本，加强 into "本， 加强"; it is nothing.
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_WRAP_RE = re.compile(f"(?<=[{_CJK}])[ \t]*\r?\n\\s*(?=[{_CJK}])")


_PRE_RE = re.compile(r"(<(pre|textarea|plaintext|xmp)\b.*?</\2\s*>)", re.I | re.S)


def unwrap_cjk(page: str) -> str:
    """The page with its editor's line wraps between Chinese characters taken out, except in
    preformatted text (``<pre>``: a plain-text plan shown as it is), where every line break is
    the author's (一、指导思想 on its own line)."""
    if "<pre" not in page and "<PRE" not in page and not _PRE_RE.search(page):
        return _CJK_WRAP_RE.sub("", page)
    parts = _PRE_RE.split(page)  # text, (block, tag), text, (block, tag) ...
    out = []
    for i in range(0, len(parts), 3):
        out.append(_CJK_WRAP_RE.sub("", parts[i]))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)


def _layout(table: _Element) -> bool:
    """A table used to lay out the page rather than hold data: a cell with paragraphs,
    headings or lists in it, or with more text than a data cell has."""
    for row in table.findall("row"):
        for cell in row.findall("cell"):
            if any(c.tag in _BLOCK_TAGS for c in cell) or len(_text(cell)) > 200:
                return True
    return False


def _text(el: _Element, skip: tuple[str, ...] = ()) -> str:
    out = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            out.append("\n")
        elif child.tag not in skip:
            out.append(_text(child, skip))
        out.append(child.tail or "")
    return "".join(out)


def _clean(s: str) -> str:
    return re.sub(r"[ \t\r\f\v]+", " ", s).strip()


def _lines(s: str) -> list[str]:
    return [c for c in (_clean(x) for x in s.split("\n")) if c]


def body_text(page: str) -> list[str]:
    """Lines of <body> text (scripts and styles left out): the fallback extraction."""
    import lxml.html

    try:  # huge_tree: libxml2 drops everything below 256 nested elements without it
        doc = lxml.html.document_fromstring(page, parser=lxml.html.HTMLParser(huge_tree=True))
    except Exception:  # lxml refuses empty or odd documents
        return []
    for bad in doc.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for br in doc.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in doc.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    for el in doc.iter("td", "th"):
        el.tail = "\t" + (el.tail or "")
    body = doc.find("body")
    text = (body if body is not None else doc).text_content()
    return [line for line in (re.sub(r"[ \f\v\r]+", " ", x).strip(" \t\u3000\xa0") for x in text.split("\n")) if line]


def flat_text(page: str) -> list[str]:
    """Lines of a page's text by the standard library's tokenizer, which keeps no tree and so
    has no depth limit: the last resort for a page nested deeper than lxml goes."""
    from html.parser import HTMLParser

    out: list[str] = []
    skip = 0

    class _P(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            nonlocal skip
            if tag in ("script", "style", "noscript", "template", "head"):
                skip += 1
            elif tag in _BLOCKS or tag == "br":
                out.append("\n")
            elif tag in ("td", "th"):
                out.append("\t")

        def handle_endtag(self, tag: str) -> None:
            nonlocal skip
            if tag in ("script", "style", "noscript", "template", "head"):
                skip = max(0, skip - 1)
            elif tag in _BLOCKS:
                out.append("\n")

        def handle_data(self, data: str) -> None:
            if not skip:
                out.append(data)

    parser = _P(convert_charrefs=True)
    parser.feed(page)
    parser.close()
    text = "".join(out)
    return [line for line in (re.sub(r"[ \f\v\r]+", " ", x).strip(" \t\u3000\xa0") for x in text.split("\n")) if line]


def build(path: str, lines: list[_Line], title: str | None, fmt: str, encoding: str | None) -> Source:
    if title and not any(title in t for _, t, _ in lines[:10]):  # a heading in the article is enough
        lines = [("title", title, None)] + lines
    chunks: list[str] = []
    parts: list[Part] = []
    pos = 0
    counts: dict[str, int] = {}
    for style, text, level in lines:
        if chunks:
            chunks.append("\n")
            pos += 1
        kind = "table-row" if style == "tr" else "paragraph"
        counts[kind] = counts.get(kind, 0) + 1
        parts.append(Part(pos, pos + len(text), kind, index=counts[kind], style=style, level=level))
        chunks.append(text)
        pos += len(text)
    src = Source(path=path, text="".join(chunks), format=fmt, encoding=encoding, parts=parts)
    if title:
        src.meta["title"] = title
    return src
