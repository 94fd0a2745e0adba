"""OCR: text from page images — scanned PDFs, photos and page images (.png, .jpg, .tif).

Two engines, both offline, models from the package registries:

- ``rapidocr`` (default): RapidOCR with the PP-OCRv4 Chinese detection and recognition models
  that the ``rapidocr-onnxruntime`` wheel carries (``pip install 'plantext[ocr]'``).
- ``tesseract``: Tesseract 5 with ``chi_sim`` + ``chi_tra`` (Debian: tesseract-ocr,
  tesseract-ocr-chi-sim, tesseract-ocr-chi-tra), through pytesseract; used when RapidOCR is not
  installed, or chosen with ``PLANTEXT_OCR_ENGINE=tesseract``.

The engine returns boxes (a line of text, its place and its confidence); ``page_lines`` puts
them in reading order — rows top to bottom, two-column pages column by column, a row of
table cells joined by tabs — as the PDF reader's ``Line`` records, so OCR text goes through the
same line joining and page-furniture marking as a text layer. ``repair`` mends the OCR
confusions that are safe to mend (O/〇 between digits, 一 between digits, a dash read for 一 in
a heading marker). Red seals are taken out before recognition (the red channel).

Each page runs in a worker process with a time limit, so one pathological page cannot hang a
batch; the source carries ``flags: ["ocr"]`` and ``meta["ocr"]`` (engine, pages, confidence).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import Any

from ..lexicons import loader
from ..model import Source
from . import IngestError
from .pdf import Line, build

__all__ = ["Box", "IMAGE_EXTENSIONS", "OcrSettings", "available_engine", "ocr_images", "page_lines", "read", "repair"]

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
MODES = ("auto", "always", "never")
MAX_PIXELS = 60_000_000  # a page image larger than this (e.g. 7,000 x 8,500) is scaled down


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How OCR runs: ``mode`` auto (image-only pages and image files) | always | never,
    ``dpi`` for rendering PDF pages, ``timeout`` seconds per page, ``engine`` or None (best)."""

    mode: str = "auto"
    dpi: int = 300
    timeout: float = 120.0
    engine: str | None = None

    @classmethod
    def from_env(cls) -> OcrSettings:
        """Settings from ``PLANTEXT_OCR`` (auto | always | never), ``PLANTEXT_OCR_ENGINE``,
        ``PLANTEXT_OCR_DPI`` and ``PLANTEXT_OCR_TIMEOUT`` (what the CLI's ``--ocr`` sets)."""
        env = os.environ
        mode = env.get("PLANTEXT_OCR", "auto").strip().lower()
        return cls(
            mode=mode if mode in MODES else "auto",
            dpi=int(env.get("PLANTEXT_OCR_DPI", "300") or 300),
            timeout=float(env.get("PLANTEXT_OCR_TIMEOUT", "120") or 120),
            engine=env.get("PLANTEXT_OCR_ENGINE") or None,
        )


@dataclass(frozen=True, slots=True)
class Box:
    """One recognised line: text, bounding box in pixels, confidence 0..1."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float


def available_engine(preferred: str | None = None) -> str | None:
    """The OCR engine to use here: ``preferred`` (or ``PLANTEXT_OCR_ENGINE``) when installed,
    else RapidOCR, else Tesseract with Chinese data, else None."""
    want = preferred or os.environ.get("PLANTEXT_OCR_ENGINE") or None
    have = [e for e in ("rapidocr", "tesseract") if _installed(e)]
    if want:
        return want if want in have else None
    return have[0] if have else None


def _installed(engine: str) -> bool:
    if engine == "rapidocr":
        from importlib.util import find_spec

        return find_spec("rapidocr_onnxruntime") is not None
    if engine == "tesseract":
        from importlib.util import find_spec

        if find_spec("pytesseract") is None or not shutil.which("tesseract"):
            return False
        return _tesseract_langs() != ""
    return False


def _tesseract_langs() -> str:
    import subprocess

    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    langs = [x for x in ("chi_sim", "chi_tra") if x in out.split()]
    return "+".join(langs)


# --- recognition (runs in a worker process) -----------------------------------------------


@loader
def _rapidocr() -> Any:
    """RapidOCR's engine (its ONNX models come inside the package), loaded once per worker process."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def _recognise(engine: str, png: bytes) -> list[Box]:
    """OCR one page image (PNG bytes) in the worker; boxes in image pixels."""
    import numpy as np
    from PIL import Image

    img = Image.open(io.BytesIO(png))
    img = _unseal(img)
    if engine == "rapidocr":
        result, _ = _rapidocr()(np.asarray(img.convert("RGB")))
        boxes = []
        for quad, text, conf in result or []:
            xs = [p[0] for p in quad]
            ys = [p[1] for p in quad]
            boxes.append(Box(text, min(xs), min(ys), max(xs), max(ys), float(conf)))
        return boxes
    import pytesseract

    data = pytesseract.image_to_data(
        img, lang=_tesseract_langs() or "chi_sim", config="--psm 3", output_type=pytesseract.Output.DICT
    )
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    boxes = []
    for idx in lines.values():
        text = _join_tesseract([data["text"][i] for i in idx])
        x0 = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        x1 = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        conf = statistics.fmean(max(float(data["conf"][i]), 0.0) for i in idx) / 100
        boxes.append(Box(text, x0, top, x1, bottom, conf))
    return boxes


def _join_tesseract(words: list[str]) -> str:
    """Tesseract separates every Chinese character by a space: keep spaces only between Latin words."""
    out = ""
    for w in words:
        if out and out[-1].isascii() and out[-1].isalnum() and w[0].isascii() and w[0].isalnum():
            out += " "
        out += w
    return out


def _unseal(img: Any) -> Any:
    """Grey page with red seals and red ink taken off: on the red channel red prints light,
    black stays dark (the lighter of grey and red keeps black text under a seal)."""
    from PIL import ImageChops

    rgb = img.convert("RGB")
    gray = rgb.convert("L")
    return ImageChops.lighter(gray, rgb.getchannel("R")) if _has_red(rgb) else gray


def _has_red(img: Any) -> bool:
    import numpy as np

    a = np.asarray(img.convert("RGB").reduce(4), dtype=np.int16)
    red = (a[..., 0] - np.maximum(a[..., 1], a[..., 2])) > 80
    return bool(red.mean() > 0.0005)


def ocr_images(images: list[Any], settings: OcrSettings, path: str, progress: Any = None) -> list[list[Box]]:
    """OCR page images (Pillow) in a worker process, each with ``settings.timeout``."""
    engine = available_engine(settings.engine)
    if engine is None:
        raise IngestError(path, key="ocr.missing")
    pngs = []
    for img in images:
        if img.width * img.height > MAX_PIXELS:
            scale = (MAX_PIXELS / (img.width * img.height)) ** 0.5
            img = img.resize((int(img.width * scale), int(img.height * scale)))
        buf = io.BytesIO()
        img.save(buf, "PNG")
        pngs.append(buf.getvalue())
    out: list[list[Box]] = []
    # fork: the engine is loaded in the child only, and no __main__ needs re-importing
    ctx = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
    pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    try:
        for i, png in enumerate(pngs, 1):
            fut = pool.submit(_recognise, engine, png)
            try:
                out.append(fut.result(timeout=settings.timeout))
            except FutureTimeout:
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.kill()
                raise IngestError(path, key="ocr.timeout", page=i, seconds=f"{settings.timeout:g}") from None
            except BrokenProcessPool:
                raise IngestError(path, key="ocr.crashed", engine=engine, page=i) from None
            if progress is not None:
                progress(i, len(pngs))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return out


# --- layout ----------------------------------------------------------------------------------


def _rows(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into rows (vertical overlap of at least half the smaller height)."""
    rows: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        if rows:
            last = rows[-1]
            top = min(x.top for x in last)
            bottom = max(x.bottom for x in last)
            overlap = min(bottom, b.bottom) - max(top, b.top)
            if overlap >= 0.5 * min(bottom - top, b.bottom - b.top):
                last.append(b)
                continue
        rows.append([b])
    return [sorted(r, key=lambda b: b.x0) for r in rows]


def _gutter(boxes: list[Box], width: float) -> float | None:
    """The x of a gutter between two columns of text, or None for a one-column page.

    Two columns: few boxes cross some x in the middle third of the text width, and wide lines
    stand on both sides of it, at least three on one (a table's short cells make no columns)."""
    if len(boxes) < 6:
        return None
    left = min(b.x0 for b in boxes)
    right = max(b.x1 for b in boxes)
    span = right - left
    best: tuple[int, float] | None = None
    for k in range(1, 40):
        x = left + span * (1 / 3 + k / 120)
        crossing = sum(1 for b in boxes if b.x0 < x < b.x1)
        if best is None or crossing < best[0]:
            best = (crossing, x)
    assert best is not None
    crossing, x = best
    if crossing > max(2, len(boxes) // 8):  # titles and headings may cross the gutter
        return None
    wide_l = [b for b in boxes if b.x1 <= x and b.x1 - b.x0 > span * 0.25]
    wide_r = [b for b in boxes if b.x0 >= x and b.x1 - b.x0 > span * 0.25]
    few, many = sorted((len(wide_l), len(wide_r)))
    return x if few >= 1 and many >= 3 else None


def reading_order(boxes: list[Box], width: float) -> list[tuple[list[Box], tuple[float, float] | None]]:
    """Rows of boxes in reading order, each with its column's margins (None: full width).

    A two-column stretch is read column by column (lines that cross the gutter, such as a
    title, split the stretches), everything else row by row."""
    g = _gutter(boxes, width)
    if g is None:
        return [(row, None) for row in _rows(boxes)]
    out: list[tuple[list[Box], tuple[float, float] | None]] = []
    stretch: list[Box] = []

    def flush() -> None:
        for side in ([b for b in stretch if b.x1 <= g], [b for b in stretch if b.x0 >= g]):
            if side:
                margins = (min(b.x0 for b in side), max(b.x1 for b in side))
                out.extend((row, margins) for row in _rows(side))
        stretch.clear()

    for row in _rows(boxes):
        if any(b.x0 < g < b.x1 for b in row):
            flush()
            out.append((row, None))
        else:
            stretch.extend(row)
    flush()
    return out


def page_lines(boxes: list[Box], width: float, scale: float = 1.0, top: float = 0.0, left: float = 0.0) -> list[Line]:
    """OCR boxes as the PDF reader's lines (positions scaled by ``scale`` and shifted by
    ``left``/``top``, e.g. pixels to PDF points for an image placed on a page). A row of boxes
    with wide gaps between them is a table row, its cells joined by tabs."""
    lines = []
    for row, margins in reading_order(boxes, width):
        height = statistics.median(b.bottom - b.top for b in row)
        text = row[0].text
        gaps = 0
        for prev, b in zip(row, row[1:]):
            wide = b.x0 - prev.x1 > height * 1.5
            gaps += wide
            text += ("\t" if wide else "") + b.text
        text = repair(text)
        if not text.strip():
            continue
        col = (left + margins[0] * scale, left + margins[1] * scale) if margins else (None, None)
        lines.append(
            Line(
                text,
                top + row[0].top * scale,
                left + row[0].x0 * scale,
                left + row[-1].x1 * scale,
                height * scale,
                table_row=gaps > 0,
                left=col[0],
                right=col[1],
            )
        )
    return lines


# --- repairs ---------------------------------------------------------------------------------

_REPAIRS = (
    (re.compile(r"(?<=[0-9])[Oo〇](?=[0-9%％.年月日时万亿元人名所个次])"), "0"),
    (re.compile(r"(?<=[0-9])[lI|](?=[0-9])"), "1"),
    (re.compile(r"(?<=[0-9])[一—](?=[0-9])"), "-"),  # 3一5名: a dash between two digits
    (re.compile(r"^(\s*)[-—－_](?=、)"), r"\1一"),  # -、指导思想: the heading marker 一、
)


def repair(text: str) -> str:
    """Mend OCR confusions that cannot change a meaning: letters O/l between digits, 一 between
    digits (a range dash), a dash before 、 opening a line (the marker 一、)."""
    for rx, rep in _REPAIRS:
        text = rx.sub(rep, text)
    return text


# --- image files -----------------------------------------------------------------------------


def read(
    path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict", ocr: OcrSettings | None = None
) -> Source:
    """A page image (.png, .jpg, .tif with one or more frames) read by OCR."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    settings = ocr or OcrSettings.from_env()  # (--ocr never holds for images as for PDFs)
    if settings.mode == "never":
        raise IngestError(path, key="ocr.off")
    Image.MAX_IMAGE_PIXELS = None  # we scale large pages down ourselves (MAX_PIXELS)
    try:
        img = Image.open(io.BytesIO(data))
        frames = []
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            frames.append(ImageOps.exif_transpose(img.copy()) or img.copy())
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise IngestError(path, key="ocr.bad_image", why=str(e)) from None
    pages = ocr_images(frames, settings, path)
    src = build(path, [page_lines(b, f.width) for b, f in zip(pages, frames)])
    src.format = "image"
    return mark(src, pages, available_engine(settings.engine) or "")


def mark(src: Source, pages: list[list[Box]], engine: str) -> Source:
    """Flag a source read (partly) by OCR, with the engine and its mean line confidence."""
    confs = [b.conf for boxes in pages for b in boxes]
    conf = round(statistics.fmean(confs), 3) if confs else 0.0
    src.flags.append("ocr")
    if conf and conf < 0.85:
        src.flags.append("ocr-low-confidence")
    src.meta["ocr"] = {"engine": engine, "pages": len(pages), "confidence": conf}
    return src
