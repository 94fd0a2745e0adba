"""OpenDocument text (.odt, LibreOffice and WPS Office's open format).

``content.xml`` in body order: headings (``text:h``, ``outline-level`` as the part's level),
paragraphs and list items one line each, tables one line per row with cells joined by a tab
(covered cells of a merged range kept empty, as in .docx); ``text:s`` (runs of spaces),
``text:tab`` and ``text:line-break`` become their characters. Notes and annotations are left
out. Read with lxml (entities off, no network); parts larger than ``MAX_PART`` are refused.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from ..model import Part, Source
from . import IngestError

__all__ = ["read"]

MAX_PART = 64 * 1024 * 1024
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_SKIP = {
    f"{{{_TEXT}}}note",
    f"{{{_TEXT}}}note-citation",
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation",
    f"{{{_TEXT}}}tracked-changes",
    f"{{{_TEXT}}}sequence-decls",
}


def _inline(el) -> str:  # type: ignore[no-untyped-def]
    """The text of a paragraph with its spaces, tabs and breaks."""
    out = [el.text or ""]
    for ch in el:
        tag = ch.tag
        if tag in _SKIP:
            pass
        elif tag == f"{{{_TEXT}}}s":
            out.append(" " * int(ch.get(f"{{{_TEXT}}}c", "1")))
        elif tag == f"{{{_TEXT}}}tab":
            out.append("\t")
        elif tag == f"{{{_TEXT}}}line-break":
            out.append("\n")
        else:
            out.append(_inline(ch))
        out.append(ch.tail or "")
    return "".join(out)


class _Builder:
    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.parts: list[Part] = []
        self.pos = 0
        self.n = 0

    def line(self, text: str, kind: str, level: int | None = None, style: str | None = None) -> None:
        text = text.replace("\n", " ") if kind == "table-row" else text
        if not text.strip():
            return
        if self.chunks:
            self.chunks.append("\n")
            self.pos += 1
        self.n += 1
        self.parts.append(Part(self.pos, self.pos + len(text), kind, index=self.n, style=style, level=level))
        self.chunks.append(text)
        self.pos += len(text)

    def walk(self, el) -> None:  # type: ignore[no-untyped-def]
        for ch in el:
            tag = ch.tag
            if tag == f"{{{_TEXT}}}h":
                level = ch.get(f"{{{_TEXT}}}outline-level")
                self.line(_inline(ch), "paragraph", level=int(level) if level and level.isdigit() else 1, style="h")
            elif tag == f"{{{_TEXT}}}p":
                self.line(_inline(ch), "paragraph", style=ch.get(f"{{{_TEXT}}}style-name"))
            elif tag == f"{{{_TABLE}}}table":
                self.table(ch)
            elif tag not in _SKIP:
                self.walk(ch)  # lists, sections, frames

    def table(self, tbl) -> None:  # type: ignore[no-untyped-def]
        for row in tbl.iter(f"{{{_TABLE}}}table-row"):
            cells = []
            for cell in row:
                if cell.tag not in (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"):
                    continue
                text = " ".join(_inline(p).strip() for p in cell.iter(f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"))
                repeat = min(int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1")), 64)
                cells.extend([text.strip()] * repeat)
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                self.line("\t".join(cells), "table-row")


def read(path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict") -> Source:
    from lxml import etree

    try:
        zf = zipfile.ZipFile(BytesIO(data))
        info = zf.getinfo("content.xml")
    except (zipfile.BadZipFile, KeyError):
        raise IngestError(path, key="odt.not_odt") from None
    with zf.open(info) as fh:
        raw = fh.read(MAX_PART + 1)  # the header's size may lie: read no more than the limit
    if info.file_size > MAX_PART or len(raw) > MAX_PART:
        raise IngestError(
            path,
            key="zip.part_too_large",
            part="content.xml",
            size=f"{max(info.file_size, len(raw)):,}",
            limit=f"{MAX_PART:,}",
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(raw, parser)
    if root is None:
        raise IngestError(path, key="odt.not_xml")
    b = _Builder()
    body = next(root.iter("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text"), root)
    b.walk(body)
    src = Source(path=path, text="".join(b.chunks), format="odt", parts=b.parts)
    return src
