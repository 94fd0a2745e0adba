"""PDF: the text layer in reading order, one ``Part(kind="page")`` per page.

pdfplumber gives lines with their positions. Ruled tables come out as rows (cells joined by a
tab, as in .docx) at their place on the page; lines that a paragraph wrapped at the right
margin are joined again, so a sentence is not cut by the layout. Page furniture (page-number
lines such as ``- 3 -``, ``第3页 共8页``, ``3/8`` or a bare number, and running headers/footers
repeated on most pages) stays in the text but is recorded as ``Part(kind="page-furniture")``
(``style`` says which: ``page-number``, ``header`` or ``footer``) for the cleaner to drop.
"""

from __future__ import annotations

__all__ = ["PAGE_NUMBER_RE", "Line", "read", "page_lines", "furniture", "build"]

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..chars import COLONS, SENTENCE_ENDS
from ..model import Part, Source
from . import IngestError
from .magic import is_pdf

if TYPE_CHECKING:
    from pdfplumber.page import Page as PdfPage

    from .ocr import Box, OcrSettings

# A whole line that is only a page number, in the styles Chinese documents use.
PAGE_NUMBER_RE = re.compile(
    r"""^\s*(?:
        [-—–－~～·.\s]*\d{1,4}[-—–－~～·.\s]*                      # 3, - 3 -, — 3 —
      | 第\s*\d{1,4}\s*页\s*[,，/、]?\s*(?:共\s*\d{1,4}\s*页)?      # 第3页 共8页
      | 共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页           # 共8页 第3页
      | \d{1,4}\s*/\s*\d{1,4}                                       # 3/8
      | (?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?             # Page 3 of 8
      | [\[【(（]\s*\d{1,4}\s*[\]】)）]                              # [3] （3）
    )\s*$""",
    re.X | re.I,
)

# Lines a paragraph ends with, so the next line is not its continuation.
_FINAL = tuple(SENTENCE_ENDS + COLONS)
_CID_RE = re.compile(r"\(cid:\d+\)")  # a glyph whose font has no map back to Unicode
_X_TOLERANCE = 0.5  # of the character size: a wider gap between glyphs is a space
_EDGE_LINES = 2  # furniture is looked for among the first and last lines of a page


@dataclass(slots=True)
class Line:
    text: str
    top: float
    x0: float
    x1: float
    size: float  # character height: the tolerance for "reaches the margin"
    table_row: bool = False
    left: float | None = None  # the margins of the line's column, where the page has columns
    right: float | None = None


def read(
    path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict", ocr: OcrSettings | None = None
) -> Source:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if not is_pdf(data):
        raise IngestError(path, key="ingest.not_pdf")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise IngestError(path, key="ingest.pdf_password") from None
    except Exception as e:
        # pdfplumber wraps pdfminer's errors: PdfminerException(PDFPasswordIncorrect())
        inner = [e, e.__context__, *e.args]
        if any(isinstance(x, PDFPasswordIncorrect) for x in inner):
            raise IngestError(path, key="ingest.pdf_password") from None
        raise IngestError(path, key="ingest.pdf_corrupt", why=_why(e)) from None
    try:
        with pdf:
            pages = _pages(pdf)
    except Exception as e:
        raise IngestError(path, key="ingest.pdf_corrupt", why=_why(e)) from None
    if not pages:
        raise IngestError(path, key="ingest.pdf_no_pages")
    from .ocr import OcrSettings, available_engine, mark

    settings = ocr or OcrSettings.from_env()
    todo = ocr_targets(pages, settings.mode)
    boxes: list[list[Box]] = []
    skipped = False
    if todo:
        try:
            boxes = _ocr_pages(path, data, pages, todo, settings)
        except IngestError as e:
            if any(page.lines for page in pages):  # the text layer still reads: keep it, say what was not
                skipped = True
            else:
                raise IngestError(path, key="pdf.scanned", pages=len(pages), why=e.problem) from None
    if not any(page.lines for page in pages):
        if todo:  # OCR read every page and found nothing: blank pages
            raise IngestError(path, key="pdf.blank", pages=len(pages))
        images = sum(len(page.images) for page in pages)
        raise IngestError(path, key="pdf.no_text_ocr_off", pages=len(pages), images=images)
    src = build(path, [page.lines for page in pages], truncated=b"%%EOF" not in data[-2048:])
    if boxes:
        mark(src, boxes, available_engine(settings.engine) or "")
    if skipped:
        src.flags.append("ocr-skipped")
    visible = sum(1 for c in src.text if not c.isspace())
    if src.text.count("\ufffd") > visible * 0.3:
        raise IngestError(path, key="ingest.pdf_no_unicode")
    return src


def _why(e: Exception) -> str:
    inner = e.args[0] if len(e.args) == 1 and isinstance(e.args[0], Exception) else e
    msg = str(inner).strip() or type(inner).__name__
    return msg.splitlines()[0][:120]


@dataclass(slots=True)
class Page:
    lines: list[Line]
    images: list[tuple[float, float, float, float]]  # x0, top, x1, bottom in points
    width: float
    height: float


def _pages(pdf: Any) -> list[Page]:
    """The lines and the image boxes of every page."""
    out = []
    for page in pdf.pages:
        images = [(im["x0"], im["top"], im["x1"], im["bottom"]) for im in page.images]
        out.append(Page(page_lines(page), images, float(page.width), float(page.height)))
        page.close()  # drop the page's parsed objects: long PDFs stay small in memory
    return out


_IMAGE_SHARE = 0.15  # an image covering this share of a page with text is read by OCR


def ocr_targets(pages: list[Page], mode: str) -> dict[int, list[tuple[float, float, float, float]] | None]:
    """Which pages need OCR: page index -> None (the whole page) or the image boxes to read.

    ``auto``: pages without a text layer whole, and on pages with text the large images only;
    ``always``: every page whole (the text layer is replaced); ``never``: none."""
    todo: dict[int, list[tuple[float, float, float, float]] | None] = {}
    if mode == "never":
        return todo
    for i, page in enumerate(pages):
        if mode == "always" or not page.lines:
            todo[i] = None
            continue
        area = page.width * page.height or 1.0
        big = [b for b in page.images if (b[2] - b[0]) * (b[3] - b[1]) >= _IMAGE_SHARE * area]
        if big:
            todo[i] = big
    return todo


def _ocr_pages(
    path: str,
    data: bytes,
    pages: list[Page],
    todo: dict[int, list[tuple[float, float, float, float]] | None],
    settings: OcrSettings,
) -> list[list[Box]]:
    """Render what ``todo`` names, OCR it and put its lines into ``pages`` (in place)."""
    import pypdfium2 as pdfium

    from .ocr import ocr_images
    from .ocr import page_lines as ocr_page_lines

    scale = settings.dpi / 72
    doc = pdfium.PdfDocument(data)
    crops: list[tuple[int, tuple[float, float, float, float] | None]] = []
    images = []
    try:
        for i, boxes in todo.items():
            img = doc[i].render(scale=scale).to_pil()
            wanted: list[tuple[float, float, float, float] | None] = list(boxes) if boxes else [None]
            for box in wanted:
                crops.append((i, box))
                images.append(img if box is None else img.crop(tuple(int(v * scale) for v in box)))
    finally:
        doc.close()
    found = ocr_images(images, settings, path)
    for (i, crop), img, read_boxes in zip(crops, images, found):
        page = pages[i]
        x0, top = (crop[0], crop[1]) if crop else (0.0, 0.0)
        new = ocr_page_lines(read_boxes, img.width, scale=1 / scale, top=top, left=x0)
        page.lines = new if crop is None else sorted(page.lines + new, key=lambda ln: ln.top)
    return found


def page_lines(page: PdfPage) -> list[Line]:
    """The page's lines top to bottom; each ruled table becomes one line per row."""
    # one column is a frame or a box round the text (a page border, a ruled header), not a table
    tables = [t for t in page.find_tables() if len(t.columns) > 1]
    body = page
    if tables:
        boxes = [t.bbox for t in tables]

        def outside(obj: dict[str, Any]) -> bool:
            cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

        body = page.filter(outside)
    lines = []
    # tolerance relative to the glyph size: letter-spaced Chinese (字符间距加宽, justified lines)
    # must not come out as "教 师 培 训"
    for ln in body.extract_text_lines(return_chars=False, x_tolerance_ratio=_X_TOLERANCE):
        text = _CID_RE.sub("\ufffd", ln["text"])  # U+FFFD: the cleaner flags it as mojibake
        if text.strip():
            lines.append(Line(text, ln["top"], ln["x0"], ln["x1"], ln["bottom"] - ln["top"]))
    for t in tables:
        rows = t.extract(x_tolerance_ratio=_X_TOLERANCE)
        for box, row in zip(t.rows, rows):
            x0, top, x1, bottom = box.bbox
            cells = [_CID_RE.sub("\ufffd", _cell(c)) for c in row if c is not None]  # None: merged away
            if any(cells):
                lines.append(Line("\t".join(cells), top, x0, x1, bottom - top, table_row=True))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _cell(text: str | None) -> str:
    """A cell's wrapped lines joined back into one (CJK: no space)."""
    out = ""
    for piece in (text or "").splitlines():
        if piece.strip():
            out += _joiner(out, piece.strip()) + piece.strip()
    return out


def _joiner(prev: str, nxt: str) -> str:
    """What goes between two pieces of a wrapped line: a space between English words only
    (Chinese text and numbers split by the wrap join directly)."""
    if (
        prev
        and nxt
        and nxt[0].isascii()
        and nxt[0].isalpha()
        and prev[-1].isascii()
        and (prev[-1].isalpha() or prev[-1] in ",.;:!?")
    ):
        return " "
    return ""


def furniture(pages: list[list[str]]) -> list[set[int]]:
    """Indices of furniture lines per page: page numbers, and running headers/footers (lines
    among the first/last of a page whose text, digits ignored, recurs on most pages)."""

    def key(s: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", s))

    def edge(n: int) -> list[int]:
        return sorted(set(range(min(_EDGE_LINES, n))) | set(range(max(0, n - _EDGE_LINES), n)))

    counts: dict[str, int] = {}
    for lines in pages:
        for k in {key(lines[i]) for i in edge(len(lines))}:
            counts[k] = counts.get(k, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    out = []
    for lines in pages:
        found: set[int] = set()
        n = len(lines)
        seen: set[str] = set()
        for i in edge(n):
            k = key(lines[i])
            if PAGE_NUMBER_RE.match(lines[i]):
                found.add(i)
            elif len(pages) > 1 and k and counts.get(k, 0) >= need and k not in seen:
                found.add(i)
                seen.add(k)  # a header repeating the title: the title under it is not furniture
        # only the outermost lines: a header, then maybe a page number under it (not body text)
        top = [i for i in sorted(found) if i < n / 2]
        bottom = [i for i in sorted(found) if i >= n / 2]
        keep = {i for j, i in enumerate(top) if i == j}
        keep |= {i for j, i in enumerate(reversed(bottom)) if i == n - 1 - j}
        out.append(keep)
    return out


def build(path: str, pages: list[list[Line]], truncated: bool = False) -> Source:
    """Join pages into text: furniture lines kept but marked, wrapped lines rejoined."""
    marks = furniture([[ln.text for ln in lines] for lines in pages])
    if marks and marks[0]:
        marks[0] = _title_on_every_page(pages[0], marks[0])
    right = max((ln.x1 for lines in pages for ln in lines if not ln.table_row), default=0.0)
    left = min((ln.x0 for lines in pages for ln in lines if not ln.table_row), default=0.0)
    chunks: list[str] = []
    parts: list[Part] = []
    pos = 0
    title_lines: list[list[int]] = []
    for pno, (lines, furn) in enumerate(zip(pages, marks), 1):
        if pno > 1:
            chunks.append("\n")
            pos += 1
        page_start = pos
        big = _largest(lines, furn) if pno == 1 else set()
        for i, ln in enumerate(lines):
            if i:
                prev = lines[i - 1]
                sep = "\n"
                if (
                    not prev.table_row
                    and not ln.table_row
                    and i - 1 not in furn
                    and i not in furn
                    and _wrapped(prev, ln, left, right)
                ):
                    sep = _joiner(prev.text, ln.text)
                chunks.append(sep)
                pos += len(sep)
            start = pos
            chunks.append(ln.text)
            pos += len(ln.text)
            if i in big and ln.text.strip():
                lead = len(ln.text) - len(ln.text.lstrip())
                title_lines.append([start + lead, pos - (len(ln.text) - len(ln.text.rstrip()))])
            if i in furn:
                kind = (
                    "page-number" if PAGE_NUMBER_RE.match(ln.text) else ("header" if i < len(lines) / 2 else "footer")
                )
                parts.append(Part(start, pos, "page-furniture", index=pno, style=kind))
            elif ln.table_row:
                parts.append(Part(start, pos, "table-row", index=pno))
        parts.append(Part(page_start, pos, "page", index=pno))
    text = "".join(chunks)
    parts.sort(key=lambda p: (p.start, -p.end))
    src = Source(path=path, text=text, format="pdf", parts=parts)
    src.meta["pages"] = len(pages)
    if title_lines:
        src.meta["title_lines"] = title_lines
    if truncated:
        src.meta["truncated"] = True
    return src


def _title_on_every_page(lines: list[Line], furn: set[int]) -> set[int]:
    """The first page's furniture without a repeated head line set in the page's largest type,
    standing out (20 % above the median of the page's other lines), and the repeated lines right
    under it: a table or form printed with its title block on every page. On the first page
    that block is the title and its notes; a running head is set small, above a larger title."""
    sizes = {i: ln.size for i, ln in enumerate(lines) if not ln.table_row and ln.text.strip()}
    keep = set(furn)
    for i in sorted(furn):
        if i >= len(lines) / 2 or PAGE_NUMBER_RE.match(lines[i].text) or i not in sizes:
            continue
        others = sorted(size for j, size in sizes.items() if j != i)
        if others and sizes[i] >= max(others) and sizes[i] >= others[len(others) // 2] * 1.2:
            keep.discard(i)
            j = i + 1  # the block under it printed on every page too (方向…, 学分…): the title's own lines
            while j in keep and j < len(lines) / 2 and not PAGE_NUMBER_RE.match(lines[j].text):
                keep.discard(j)
                j += 1
    return keep


def _largest(lines: list[Line], furn: set[int]) -> set[int]:
    """Indices of the lines set in the page's largest type, when it stands out (20 % above the
    median body line): the first page's title (or a 公文's 发文机关标志, which the title rules
    skip). At most three lines."""
    body = [(i, ln) for i, ln in enumerate(lines) if i not in furn and not ln.table_row and ln.text.strip()]
    if len(body) < 2:
        return set()
    sizes = sorted(ln.size for _, ln in body)
    median = sizes[len(sizes) // 2]
    top = sizes[-1]
    if top < median * 1.2:
        return set()
    big = {i for i, ln in body if ln.size >= top * 0.95}
    return big if len(big) <= 3 else set()


def _wrapped(prev: Line, ln: Line, left: float, right: float) -> bool:
    """``ln`` continues ``prev``: prev runs to the right margin without ending a sentence, and
    ln starts at the left margin (not indented as a new paragraph would be), in the same type
    size (a title in large type over a line of small print is no wrapped sentence)."""
    tol = max(prev.size, 1.0) * 1.5
    if prev.right is not None and ln.left is not None and prev.left == ln.left:  # same column
        left, right = ln.left, prev.right
    return (
        prev.x1 >= right - tol
        and abs(prev.size - ln.size) <= 0.2 * max(prev.size, ln.size)  # a paragraph goes on in its own type size
        and not prev.text.rstrip().endswith(_FINAL)
        and ln.x0 <= left + tol * 0.5
        and ln.top - prev.top < prev.size * 3
    )
