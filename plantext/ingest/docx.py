"""Word .docx: the body's paragraphs and tables in document order, joined by "\\n".

One ``Part`` per paragraph (``style`` = style name, ``level`` = heading level from a
Heading N / 标题 N style or an outline level, a hint for the outline) and per table row (cells
joined by a tab, a merged cell once). Headers, footers, footnotes and text boxes are left out:
they are page furniture, not the plan.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..model import Part, Source
from . import IngestError

_HEADING_RE = re.compile(r"^(?:heading|标题|標題)\s*([1-9])$", re.I)


def read(path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict") -> Source:
    if data.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") not in data:
        from .doc import read as read_doc  # an old .doc renamed .docx: convert it if we can

        return read_doc(path, data)
    check_package(path, data)
    import docx

    try:
        doc = docx.Document(io.BytesIO(data))
    except KeyError as e:  # a part the package names is missing
        raise IngestError(path, f"damaged Word document (missing part {e})") from None
    except zipfile.BadZipFile as e:
        raise IngestError(path, f"damaged Word document ({e})") from None
    return from_document(path, doc)


def check_package(path: str, data: bytes) -> None:
    """Tell apart the things people save as .docx that are not one."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise IngestError(path, "password-protected Word document (remove the password and save again)")
    if not data.startswith(b"PK"):
        from .text import looks_like_text

        if looks_like_text(data):
            raise IngestError(path, "not a Word document: it holds plain text (rename it to .txt)")
        raise IngestError(path, "not a Word document (not a zip package)")
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        raise IngestError(path, "damaged or truncated Word document (not a readable zip)") from None
    if "word/document.xml" not in names:
        what = ("an Excel workbook" if any(n.startswith("xl/") for n in names) else
                "a PowerPoint file" if any(n.startswith("ppt/") for n in names) else
                "a zip archive")
        raise IngestError(path, f"not a Word document: {what} (no word/document.xml)")


def from_document(path: str, doc) -> Source:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

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

    for el in _blocks(doc.element.body):
        if el.tag == _P:
            npara += 1
            para = Paragraph(el, doc)
            style = _style_name(para)
            add(para.text, Part(0, 0, "paragraph", index=npara, style=style, level=_level(para, style)))
        else:
            for r, cells in enumerate(_rows(Table(el, doc)), 1):
                add("\t".join(cells), Part(0, 0, "table-row", index=r))
    text = "".join(chunks)
    src = Source(path=path, text=text, format="docx", parts=parts)
    try:
        title = doc.core_properties.title
    except Exception:  # malformed core.xml is no reason to refuse the document
        title = None
    if title:
        src.meta["title"] = title
    return src


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT = _W + "p", _W + "tbl", _W + "sdt"


def _blocks(parent):
    """w:p and w:tbl children in document order, looking inside content controls (w:sdt)."""
    for el in parent.iterchildren():
        if el.tag in (_P, _TBL):
            yield el
        elif el.tag == _SDT:
            content = el.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)


def _rows(table) -> list[list[str]]:
    """Cell texts per row, each physical cell once (a horizontally merged cell is one w:tc;
    the continuation of a vertical merge is left empty rather than repeating the text)."""
    from docx.table import _Cell

    out = []
    for tr in table._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                cells.append("")
                continue
            cell = _Cell(tc, table)
            texts = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
            texts += ["\t".join(" ".join(c) for c in _rows(t)) for t in cell.tables]  # nested tables
            cells.append(" ".join(t.replace("\n", " ").replace("\t", " ") for t in texts if t))
        if any(cells):
            out.append(cells)
    return out


def _style_name(para) -> str | None:
    try:
        style = para.style
    except (KeyError, ValueError):
        return None
    return style.name if style is not None else None


def _level(para, style_name: str | None) -> int | None:
    """Heading level: a Heading N style, else an outline level set on the paragraph or its
    style chain (Word's 大纲级别; 9 means body text)."""
    if style_name:
        m = _HEADING_RE.match(style_name.strip())
        if m:
            return int(m.group(1))
    el = para._p.pPr
    lvl = _outline_lvl(el)
    style = None
    try:
        style = para.style
    except (KeyError, ValueError):
        pass
    while lvl is None and style is not None:
        lvl = _outline_lvl(style.element.pPr)
        style = style.base_style
    if lvl is not None and 0 <= lvl < 9:
        return lvl + 1
    return None


def _outline_lvl(ppr) -> int | None:
    if ppr is None:
        return None
    el = ppr.find(_W + "outlineLvl")
    if el is None:
        return None
    try:
        return int(el.get(_W + "val"))
    except (TypeError, ValueError):
        return None
