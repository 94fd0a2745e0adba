"""OFD (GB/T 33190), China's fixed-layout format for 公文 and e-archives.

An OFD file is a zip of XML: ``OFD.xml`` names each document's ``Document.xml``, which lists
its pages (``Pages/Page/@BaseLoc``) and templates; a page's ``Content.xml`` holds layers of
``TextObject``s, each with a ``Boundary`` (x y w h, in mm), a font ``Size`` and ``TextCode``
runs (``X``/``Y`` inside the boundary, ``DeltaX`` glyph advances, ``g n d`` repeating ``d``).
Runs are placed on the page, grouped into lines by baseline and read left to right; a wide
gap between runs on one line is a table cell (tab). The lines then go through the PDF
reader's ``build`` (wrapped lines rejoined, page numbers and running headers marked), so an
OFD reads like the PDF it was printed from. Template pages (letterheads, page numbers) come
before the page's own content. Element names are matched without their namespace: writers
use more than one. Signatures, seals and annotations are not text.

No kept reader on the registries reads OFD text and tables (``ofdparser`` writes page images,
``easyofd`` converts to PDF through PyMuPDF), so this is a small reader over the zip/XML.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from ..model import Source
from . import IngestError
from .pdf import Line, build

__all__ = ["read"]

MAX_PART = 64 * 1024 * 1024  # bytes of one XML part, inflated
_GAP = 1.5  # a gap wider than this many character sizes between two runs is a cell border


@dataclass(slots=True)
class Run:
    text: str
    x0: float
    x1: float
    y: float  # baseline
    size: float


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _floats(s: str | None) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?", s or "")]


def _deltas(spec: str | None) -> list[float]:
    """``DeltaX``: numbers, with ``g N D`` meaning N times D."""
    out: list[float] = []
    toks = (spec or "").split()
    i = 0
    while i < len(toks):
        if toks[i] == "g" and i + 2 < len(toks):
            out.extend([float(toks[i + 2])] * int(float(toks[i + 1])))
            i += 3
        else:
            try:  # noqa: SIM105
                out.append(float(toks[i]))
            except ValueError:
                pass
            i += 1
    return out


class _Package:
    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        try:
            self.zf = zipfile.ZipFile(BytesIO(data))
        except zipfile.BadZipFile:
            raise IngestError(path, key="ofd.not_zip") from None
        self.names = {n.lstrip("/"): n for n in self.zf.namelist()}

    def xml(self, name: str):  # type: ignore[no-untyped-def]
        from lxml import etree

        key = posixpath.normpath(name.lstrip("/"))
        real = self.names.get(key) or next((v for k, v in self.names.items() if k.lower() == key.lower()), None)
        if real is None:
            raise IngestError(self.path, key="ofd.missing_part", part=key)
        info = self.zf.getinfo(real)
        with self.zf.open(real) as fh:
            raw = fh.read(MAX_PART + 1)  # the header's size may lie: read no more than the limit
        if info.file_size > MAX_PART or len(raw) > MAX_PART:
            raise IngestError(
                self.path,
                key="zip.part_too_large",
                part=key,
                size=f"{max(info.file_size, len(raw)):,}",
                limit=f"{MAX_PART:,}",
            )
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
        root = etree.fromstring(raw, parser)
        if root is None:
            raise IngestError(self.path, key="ofd.not_xml", part=key)
        return root


def _child(el, name: str):  # type: ignore[no-untyped-def]
    return next((c for c in el.iter() if _local(c.tag) == name), None)


def _text_runs(root) -> list[Run]:  # type: ignore[no-untyped-def]
    runs: list[Run] = []
    for obj in root.iter():
        if _local(obj.tag) != "TextObject":
            continue
        bx, by, *_ = _floats(obj.get("Boundary")) + [0.0, 0.0]
        size = float(obj.get("Size") or obj.get("size") or 3.5)
        ctm = _floats(obj.get("CTM"))
        if len(ctm) == 6 and ctm[0]:
            size *= abs(ctm[3] or ctm[0])
        x = y = 0.0
        for code in obj:
            if _local(code.tag) != "TextCode" or not code.text:
                continue
            x = float(code.get("X", x))
            y = float(code.get("Y", y))
            text = code.text.replace("\r", "").replace("\n", "")
            dx = _deltas(code.get("DeltaX"))
            width = sum(dx[: len(text) - 1]) + size if dx else size * len(text)
            runs.append(Run(text, bx + x, bx + x + width, by + y, size))
            x += width
    return runs


def _lines(runs: list[Run]) -> list[Line]:
    """Runs grouped by baseline into lines, left to right; wide gaps become tabs."""
    lines: list[Line] = []
    group: list[Run] = []

    def flush() -> None:
        if not group:
            return
        group.sort(key=lambda r: r.x0)
        size = max(r.size for r in group)
        text, cells = group[0].text, 1
        for prev, r in zip(group, group[1:]):
            gap = r.x0 - prev.x1
            if gap > _GAP * size:
                text += "\t"
                cells += 1
            elif gap > size * 0.3 and prev.text[-1:].isascii() and r.text[:1].isascii():
                text += " "
            text += r.text
        if text.strip():
            lines.append(
                Line(text, min(r.y for r in group) - size, group[0].x0, group[-1].x1, size, table_row=cells > 1)
            )
        group.clear()

    for r in sorted(runs, key=lambda r: (r.y, r.x0)):
        if group and abs(r.y - group[-1].y) > 0.5 * min(r.size, group[-1].size):
            flush()
        group.append(r)
    flush()
    return lines


def read(path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict") -> Source:
    pkg = _Package(path, data)
    root = pkg.xml("OFD.xml")
    docs = [el.text.strip() for el in root.iter() if _local(el.tag) == "DocRoot" and el.text]
    if not docs:
        raise IngestError(path, key="ofd.no_doc")
    pages: list[list[Line]] = []
    for doc_loc in docs:
        doc = pkg.xml(doc_loc)
        base = posixpath.dirname(doc_loc.lstrip("/"))
        templates = {t.get("ID"): t.get("BaseLoc") for t in doc.iter() if _local(t.tag) == "TemplatePage"}
        for page in doc.iter():
            if _local(page.tag) != "Page" or not page.get("BaseLoc"):
                continue
            content = pkg.xml(posixpath.join(base, page.get("BaseLoc")))
            runs = []
            for tref in content.iter():
                if _local(tref.tag) == "Template" and templates.get(tref.get("TemplateID")):
                    runs += _text_runs(pkg.xml(posixpath.join(base, templates[tref.get("TemplateID")])))
            runs += _text_runs(content)
            pages.append(_lines(runs))
    if not any(pages):
        raise IngestError(path, key="ofd.no_text", pages=len(pages))
    src = build(path, pages)
    src.format = "ofd"
    return src
