"""Word .docx: the body's paragraphs and tables in document order, joined by "\\n".

One ``Part`` per paragraph (``style`` = style name, ``level`` = heading level from a
Heading N / 标题 N style or an outline level, a hint for the outline) and per table row (cells
joined by a tab, a merged cell once); text boxes follow the paragraph they are anchored in
(``style="text-box"``). Headers, footers and footnotes are left out: page furniture, not the
plan.
"""

from __future__ import annotations

__all__ = ["read", "check_package", "from_document", "paragraph_text", "Styles", "format_number", "Numbering"]

import io
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypedDict

from ..i18n import tr
from ..model import Part, Source
from . import IngestError
from .magic import is_ole, is_zip

if TYPE_CHECKING:
    from docx.document import Document
    from lxml.etree import _Element

_HEADING_RE = re.compile(r"^(?:heading|标题|標題)\s*([1-9])$", re.I)


_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DATASPACES = "\x06DataSpaces".encode("utf-16-le")  # IRM/RMS rights management (DRMEncryptedDataSpace)


def read(path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict") -> Source:
    if is_ole(data) and _ENCRYPTED not in data and _DATASPACES not in data:
        from .doc import read as read_doc  # an old .doc renamed .docx: convert it if we can

        return read_doc(path, data)
    check_package(path, data)
    import docx

    try:
        doc = docx.Document(io.BytesIO(data))
    except KeyError as e:  # a part the package names is missing
        raise IngestError(path, key="ingest.docx_missing_part", part=str(e)) from None
    except zipfile.BadZipFile as e:
        raise IngestError(path, key="ingest.docx_damaged", why=str(e)) from None
    return from_document(path, doc)


def check_package(path: str, data: bytes) -> None:
    """Tell apart the things people save as .docx that are not one."""
    if is_ole(data):  # an OLE compound file: Office's wrapper of an encrypted package
        if b"DRMEncrypted" in data or "DRMEncrypted".encode("utf-16-le") in data:
            raise IngestError(path, key="ingest_docs.rights_protected")
        if _ENCRYPTED in data or _DATASPACES in data:
            raise IngestError(path, key="ingest_docs.encrypted")
    if not is_zip(data):
        from .text import looks_like_text

        if looks_like_text(data):
            raise IngestError(path, key="ingest.word_is_text")
        if looks_encrypted(data):
            raise IngestError(path, key="ingest_docs.drm_blob")
        raise IngestError(path, key="ingest_docs.not_zip")
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        raise IngestError(path, key="ingest.docx_bad_zip") from None
    if "word/document.xml" not in names:
        what = (
            "excel"
            if any(n.startswith("xl/") for n in names)
            else "powerpoint"
            if any(n.startswith("ppt/") for n in names)
            else "zip"
        )
        raise IngestError(path, key="ingest.not_word", what=tr(f"ingest.what.{what}"))


def looks_encrypted(data: bytes, sample: int = 4096) -> bool:
    """Whether bytes look like ciphertext (what file-encryption and DRM software leave in place of
    a document, often behind a short header of its own): nearly every byte value occurs, evenly,
    in the sample after the first 512 bytes."""
    import math

    body = data[512 : 512 + sample] if len(data) > 1024 else data
    if len(body) < 256:
        return False
    counts = [0] * 256
    for b in body:
        counts[b] += 1
    n = len(body)
    entropy = -sum(c / n * math.log2(c / n) for c in counts if c)
    return entropy > 7.2


def from_document(path: str, doc: Document) -> Source:
    chunks: list[str] = []
    parts: list[Part] = []
    pos = 0
    npara = 0

    def add(text: str, part: Part | None) -> None:
        nonlocal pos
        if chunks:
            chunks.append("\n")
            pos += 1
        chunks.append(text)
        if part is not None and text:
            part.start, part.end = pos, pos + len(text)
            parts.append(part)
        pos += len(text)

    numbering = Numbering(doc)
    styles = Styles(doc)
    title_lines: list[list[int]] = []  # spans Word marks as the title (split's hint)

    def paragraph(el: _Element, box: bool = False) -> None:
        nonlocal npara
        npara += 1
        chain = styles.chain(el)
        style = Styles.name(chain[0]) if chain else None
        text = paragraph_text(el)
        label = numbering.label(el, chain) if text.strip() else None
        if label:  # Word draws this number; the reader sees it, python-docx does not give it
            text = label + text.lstrip()
        add(
            text,
            Part(
                0,
                0,
                "paragraph",
                index=npara,
                style="text-box" if box else style,
                level=None if box else _level(el, style, chain),
            ),
        )
        if text.strip() and not box and len(title_lines) < 3 and npara <= 12 and _title_like(el, style, chain):
            lead = len(text) - len(text.lstrip())
            end = pos - (len(text) - len(text.rstrip()))
            title_lines.append([pos - len(text) + lead, end])
        for inner in _text_boxes(el):  # boxes anchored here (a red-letter header, a chart's boxes)
            paragraph(inner, box=True)

    for el in _blocks(doc.element.body):
        if el.tag == _P:
            paragraph(el)
        elif _one_column(el):  # a box round the text (framed title, a form's single field): paragraphs
            for p_el in el.iter(_P):
                if not _in_text_box(p_el, el):  # those come with their anchor paragraph
                    paragraph(p_el)
        else:
            for r, cells in enumerate(_rows(el), 1):
                add("\t".join(cells), Part(0, 0, "table-row", index=r))
    text = "".join(chunks)
    src = Source(path=path, text=text, format="docx", parts=parts)
    if title_lines:
        src.meta["title_lines"] = title_lines
    try:
        title = doc.core_properties.title
    except Exception:  # malformed core.xml is no reason to refuse the document
        title = None
    if title:
        src.meta["title"] = title
    return src


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT = _W + "p", _W + "tbl", _W + "sdt"


def _blocks(parent: _Element) -> Iterator[_Element]:
    """w:p and w:tbl children in document order, looking inside content controls (w:sdt)."""
    for el in parent.iterchildren():
        if el.tag in (_P, _TBL):
            yield el
        elif el.tag == _SDT:
            content = el.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Runs under these are not the paragraph's visible text: deleted or moved-away revisions, text
# boxes (their own paragraphs, out of the flow) and the fallback copy of alternate content.
_NOT_TEXT = {_W + "del", _W + "moveFrom", _W + "txbxContent", _W + "p", _MC + "Fallback"}


def paragraph_text(p_el: _Element) -> str:
    """A paragraph's text as Word shows it: python-docx's ``Paragraph.text`` reads only direct
    runs and hyperlinks, so it misses tracked insertions (w:ins), content controls (w:sdt),
    smart tags and simple fields that plans written from templates are full of."""
    out: list[str] = []
    for r in p_el.iter(_W + "r"):
        anc = r.getparent()
        while anc is not None and anc is not p_el and anc.tag not in _NOT_TEXT:
            anc = anc.getparent()
        if anc is p_el:
            out.append(r.text)
    return "".join(out)


def _one_column(tbl: _Element) -> bool:
    return all(len(list(_own(tr, _W + "tc", _W + "tr"))) <= 1 for tr in _own(tbl, _W + "tr", _TBL))


def _in_text_box(el: _Element, top: _Element) -> bool:
    anc = el.getparent()
    while anc is not None and anc is not top:
        if anc.tag == _W + "txbxContent":
            return True
        anc = anc.getparent()
    return False


def _text_boxes(p_el: _Element) -> Iterator[_Element]:
    """Paragraphs of the text boxes anchored in a paragraph, once each: the boxes' own
    paragraphs, not those of boxes nested in them, and not the VML fallback copy."""
    for box in p_el.iter(_W + "txbxContent"):
        anc = box.getparent()
        while anc is not None and anc is not p_el and anc.tag not in (_MC + "Fallback", _W + "txbxContent"):
            anc = anc.getparent()
        if anc is p_el:
            yield from (el for el in box.iterchildren(_P))


def _rows(tbl: _Element) -> list[list[str]]:
    """Cell texts per row of a w:tbl element, each physical cell once (a horizontally merged
    cell is one w:tc; the continuation of a vertical merge is left empty rather than repeating
    the text). Rows and cells wrapped in content controls (w:sdt) count too."""
    out: list[list[str]] = []
    for row in _own(tbl, _W + "tr", _TBL):
        cells: list[str] = []
        for tc in _own(row, _W + "tc", _W + "tr"):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(_W + "val", "continue") == "continue":
                cells.append("")
                continue
            texts: list[str] = []
            for el in _blocks(tc):
                if el.tag == _P:
                    texts.append(paragraph_text(el).strip())
                else:  # a nested table, flattened into the cell
                    texts.append(" ".join(" ".join(row) for row in _rows(el)))
            cells.append(" ".join(t.replace("\n", " ").replace("\t", " ") for t in texts if t))
        if any(cells):
            out.append(cells)
    return out


def _own(el: _Element, tag: str, stop: str) -> Iterator[_Element]:
    """Descendants of ``el`` named ``tag`` that belong to it, not to a nested ``stop`` element."""
    for d in el.iter(tag):
        anc = d.getparent()
        while anc is not el and anc.tag != stop:
            anc = anc.getparent()
        if anc is el:
            yield d


class Styles:
    """The w:style elements of paragraph styles by id, and each paragraph's chain of styles
    (its own, then what it is based on), looked up once per style id: python-docx's
    ``Paragraph.style`` rescans the whole style table on every call."""

    def __init__(self, doc: Document) -> None:
        self.by_id: dict[str, _Element] = {}
        self.default: _Element | None = None
        try:
            root = doc.styles.element
        except (KeyError, ValueError, AttributeError):  # no styles part: plain paragraphs
            root = None
        for el in root.findall(_W + "style") if root is not None else ():
            if el.get(_W + "type", "paragraph") != "paragraph":
                continue
            self.by_id[el.get(_W + "styleId")] = el
            if el.get(_W + "default") in ("1", "true", "on") and self.default is None:
                self.default = el
        self._chains: dict[str | None, list[_Element]] = {}

    def chain(self, p_el: _Element) -> list[_Element]:
        """[w:style of the paragraph, its base style, ...] of a w:p element."""
        sid = p_el.style
        found = self._chains.get(sid)
        if found is None:
            found = []
            st = self.by_id.get(sid, self.default) if sid else self.default
            while st is not None and st not in found and len(found) < 20:
                found.append(st)
                base = st.find(_W + "basedOn")
                st = self.by_id.get(base.get(_W + "val")) if base is not None else None
            self._chains[sid] = found
        return found

    @staticmethod
    def name(st: _Element) -> str | None:
        """The style's name as Word shows it (built-in 'heading 1' -> 'Heading 1')."""
        from docx.styles import BabelFish

        el = st.find(_W + "name")
        val = el.get(_W + "val") if el is not None else None
        return BabelFish.internal2ui(val) if val else st.get(_W + "styleId")


def _title_like(p_el: _Element, style_name: str | None, chain: list[_Element]) -> bool:
    """A paragraph Word marks as the document's title: the Title style (标题, not 标题 1), or
    centred with every run bold (a title typed by hand)."""
    if style_name and style_name.strip().lower() in ("title", "标题", "標題"):
        return True

    def first(tag: str) -> _Element | None:
        for el in [p_el.pPr] + [st.find(_W + "pPr") for st in chain]:
            found = el.find(_W + tag) if el is not None else None
            if found is not None:
                return found
        return None

    jc = first("jc")
    if jc is None or jc.get(_W + "val") not in ("center", "centre"):
        return False
    style_bold = any(st.find(f"{_W}rPr/{_W}b") is not None for st in chain)
    runs = [r for r in p_el.iter(_W + "r") if "".join(t.text or "" for t in r.iter(_W + "t")).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{_W}rPr/{_W}b")
        if b is None and not style_bold or b is not None and b.get(_W + "val") in ("0", "false", "off"):
            return False
    return True


def _level(p_el: _Element, style_name: str | None, chain: list[_Element]) -> int | None:
    """Heading level: a Heading N style, else an outline level set on the paragraph or its
    style chain (Word's 大纲级别; 9 means body text)."""
    if style_name:
        m = _HEADING_RE.match(style_name.strip())
        if m:
            return int(m.group(1))
    lvl = _outline_lvl(p_el.pPr)
    for style in chain:
        if lvl is not None:
            break
        lvl = _outline_lvl(style.find(_W + "pPr"))
    if lvl is not None and 0 <= lvl < 9:
        return lvl + 1
    return None


def _outline_lvl(ppr: _Element | None) -> int | None:
    if ppr is None:
        return None
    el = ppr.find(_W + "outlineLvl")
    if el is None:
        return None
    try:
        return int(el.get(_W + "val"))
    except (TypeError, ValueError):
        return None


# -- automatic numbering (numbering.xml): 一、 （一） 1. drawn by Word, not in the runs --------

_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"


def _chinese(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    out, zero = "", False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d, n = divmod(n, power)
        if d:
            if zero:
                out += digits[0]
            short = d == 1 and unit == units[0] and not out and digits is _DIGITS  # 十一, but 壹拾壹
            out += ("" if short else digits[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _letters(n: int, base: str) -> str:
    return base[(n - 1) % 26] * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for v, r in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= v:
            out, n = out + r, n - v
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (w:numFmt)."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "ideographDigital",
    ):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese(n, _LEGAL, "拾佰仟")
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n, "abcdefghijklmnopqrstuvwxyz")
    if fmt == "upperLetter":
        return _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "none":
        return ""
    return str(n)


class _Level(TypedDict):
    """One w:lvl of an abstract list: its counter's start, number format, label template
    (``%1.%2``), what follows the label (tab, space, nothing) and whether it is legal style."""

    start: int
    fmt: str
    text: str | None
    suff: str
    legal: bool


class Numbering:
    """Counts numbered paragraphs in document order and draws their labels. Counters belong
    to the abstract list (lists sharing one continue each other, as in Word); a w:num with a
    startOverride restarts its level; a number resets the levels below it."""

    def __init__(self, doc: Document) -> None:
        self.levels: dict[str | None, dict[int, _Level]] = {}  # abstractNumId -> ilvl -> lvl props
        self.nums: dict[str, tuple[str | None, dict[int, int]]] = {}  # numId -> (abstractNumId, overrides)
        self.counters: dict[str | None, dict[int, int]] = {}
        self.started: set[str] = set()
        self.style_lvl: dict[str, tuple[str, int]] = {}  # styleId -> (abstractNumId, ilvl)
        try:
            root = doc.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for an in root.findall(_W + "abstractNum"):
            aid = an.get(_W + "abstractNumId")
            lvls: dict[int, _Level] = {}
            for lvl in an.findall(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl", "0"))
                lvls[ilvl] = {
                    "start": int(_val(lvl, "start") or 1),
                    "fmt": _val(lvl, "numFmt") or "decimal",
                    "text": _val(lvl, "lvlText"),
                    "suff": _val(lvl, "suff") or "tab",
                    "legal": lvl.find(_W + "isLgl") is not None,
                }
                pstyle = _val(lvl, "pStyle")
                if pstyle:
                    self.style_lvl[pstyle] = (aid, ilvl)
            self.levels[aid] = lvls
        for num in root.findall(_W + "num"):
            overrides: dict[int, int] = {}
            for ov in num.findall(_W + "lvlOverride"):
                start = _val(ov, "startOverride")
                if start is not None:
                    overrides[int(ov.get(_W + "ilvl", "0"))] = int(start)
            self.nums[num.get(_W + "numId")] = (_val(num, "abstractNumId"), overrides)

    def label(self, p_el: _Element, chain: list[_Element]) -> str | None:
        """The number Word draws before the w:p element ``p_el`` (counting it), or None."""
        found = self._num_pr(p_el, chain)
        if found is None:
            return None
        num_id, ilvl = found
        if num_id not in self.nums:
            return None
        aid, overrides = self.nums[num_id]
        lvls = self.levels.get(aid, {})
        lvl = lvls.get(ilvl)
        if lvl is None or lvl["fmt"] == "bullet" or lvl["text"] is None:
            return None
        legal = lvl["legal"]
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.started:  # a w:num that restarts the list
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
        counters[ilvl] = counters.get(ilvl, lvls[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def value(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            at = lvls.get(k)
            n = counters.get(k, 1 if at is None else at["start"])
            return format_number(n, "decimal" if legal or at is None else at["fmt"])

        text = re.sub(r"%([1-9])", value, lvl["text"])
        if not text:
            return None
        if lvl["suff"] == "nothing" or not (text[-1].isascii() or lvl["suff"] == "space"):
            return text  # 一、 （一） end in CJK punctuation: nothing between label and text
        return text + " "

    def _num_pr(self, p_el: _Element, chain: list[_Element]) -> tuple[str, int] | None:
        ppr = p_el.pPr
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            return (num_id, int(_val(num_pr, "ilvl") or 0)) if num_id and num_id != "0" else None
        for style in chain:  # numbering set on the paragraph's style (e.g. a numbered Heading 1)
            sppr = style.find(_W + "pPr")
            num_pr = sppr.find(_W + "numPr") if sppr is not None else None
            if num_pr is not None:
                num_id = _val(num_pr, "numId")
                if not num_id or num_id == "0":
                    return None
                written = _val(num_pr, "ilvl")
                if written is not None:
                    return num_id, int(written)
                aid = self.nums.get(num_id, (None, {}))[0]
                hit = self.style_lvl.get(style.get(_W + "styleId"))
                return num_id, hit[1] if hit and hit[0] == aid else 0
        return None


def _val(el: _Element, child: str) -> str | None:
    c = el.find(_W + child)
    return None if c is None else c.get(_W + "val")
