"""Scanned pages made from typed text, for the OCR benchmark and tests.

``render(text, dpi=300, variant="clean")`` draws the text with a CJK font on a white A4 page
(12 pt, as plans are printed) and returns a Pillow image; the variants imitate what scanners
and phones do to a page:

    clean      nothing else
    noisy      speckle, grain and a slight blur (a worn copier)
    stamped    a red 公章 (ring, star and arc of text) printed over the body text
    rotated    the page turned by 2 degrees
    columns    the text set in two columns

``scan_pdf(pages, path)`` writes page images as a PDF with no text layer, as a scanner does.
Everything is drawn here (Pillow and numpy): nothing is downloaded.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

VARIANTS = ("clean", "noisy", "stamped", "rotated", "columns")
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


def font_path() -> str | None:
    """A CJK font on this machine, or None."""
    return next((p for p in FONT_CANDIDATES if Path(p).exists()), None)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        if not para.strip():
            lines.append("")
            continue
        cur = ""
        for ch in para:
            if cur and font.getlength(cur + ch) > width:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        lines.append(cur)
    return lines


def _page(
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    size: tuple[int, int],
    left: int,
    top: int,
    leading: int,
    img: Image.Image | None = None,
) -> Image.Image:
    img = img or Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    y = top
    for line in lines:
        if line:
            draw.text((left, y), line, font=font, fill=(20, 20, 20))
        y += leading
    return img


def render(text: str, dpi: int = 300, variant: str = "clean", seed: int = 0, trim: bool = False) -> list[Image.Image]:
    """The text as scanned A4 pages (as many as it needs); ``trim`` cuts the blank margins down
    to a quarter inch (a smaller image OCRs faster: tests use it)."""
    fp = font_path()
    if fp is None:
        raise RuntimeError("no CJK font (apt-get install fonts-wqy-zenhei)")
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    font = ImageFont.truetype(fp, int(12 / 72 * dpi))
    margin = int(dpi * 1.0)
    leading = int(font.size * 1.6)
    per_page = (h - 2 * margin) // leading
    if variant == "columns":
        gap = int(dpi * 0.4)
        col_w = (w - 2 * margin - gap) // 2
        lines = _wrap(text, font, col_w)
        pages = []
        for i in range(0, len(lines), 2 * per_page):
            chunk = lines[i : i + 2 * per_page]
            img = _page(chunk[:per_page], font, (w, h), margin, margin, leading)
            _page(chunk[per_page:], font, (w, h), margin + col_w + gap, margin, leading, img)
            pages.append(img)
    else:
        lines = _wrap(text, font, w - 2 * margin)
        pages = [
            _page(lines[i : i + per_page], font, (w, h), margin, margin, leading)
            for i in range(0, len(lines), per_page)
        ]
    rng = random.Random(seed)
    out = [_disguise(p, variant, dpi, rng, fp) for p in pages]
    return [_trim(p, dpi // 4) for p in out] if trim else out


def _trim(img: Image.Image, pad: int) -> Image.Image:
    box = Image.eval(img.convert("L"), lambda v: 255 if v < 200 else 0).getbbox()
    if box is None:
        return img
    x0, y0, x1, y1 = box
    return img.crop((max(0, x0 - pad), max(0, y0 - pad), min(img.width, x1 + pad), min(img.height, y1 + pad)))


def _disguise(img: Image.Image, variant: str, dpi: int, rng: random.Random, fp: str) -> Image.Image:
    if variant == "noisy":
        a = np.asarray(img.convert("L"), dtype=np.int16)
        nrng = np.random.default_rng(rng.randrange(1 << 30))
        a = a + nrng.normal(0, 18, a.shape).astype(np.int16)
        speck = nrng.random(a.shape)
        a[speck < 0.002] = 0
        a[speck > 0.998] = 255
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(dpi / 300 * 0.8))
        return img.convert("RGB")
    if variant == "stamped":
        return _stamp(img, dpi, rng, fp)
    if variant == "rotated":
        return img.rotate(2, resample=Image.Resampling.BICUBIC, expand=False, fillcolor="white")
    return img


def _stamp(img: Image.Image, dpi: int, rng: random.Random, fp: str) -> Image.Image:
    """A red seal (ring, five-pointed star, arc of text) multiplied over the page."""
    r = int(dpi * 0.8)
    seal = Image.new("RGB", (2 * r + 4, 2 * r + 4), "white")
    d = ImageDraw.Draw(seal)
    red = (220, 40, 40)
    c = r + 2
    d.ellipse((2, 2, 2 * r + 2, 2 * r + 2), outline=red, width=max(3, dpi // 40))
    star = [
        (
            c + r * 0.28 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
            c - r * 0.28 * math.sin(math.pi / 2 + k * 4 * math.pi / 5),
        )
        for k in range(5)
    ]
    d.polygon(star, fill=red)
    font = ImageFont.truetype(fp, int(r * 0.28))
    name = "教育局教师发展中心"
    for k, ch in enumerate(name):
        ang = math.pi * (0.85 + 0.7 * k / (len(name) - 1))  # an arc over the top
        x, y = c + r * 0.72 * math.cos(ang), c - r * 0.72 * math.sin(ang)
        d.text((x, y), ch, font=font, fill=red, anchor="mm")
    w, h = img.size
    x0 = rng.randrange(w // 2, w - 2 * r - int(dpi * 0.5))
    y0 = rng.randrange(int(dpi * 1.2), max(int(dpi * 1.3), h // 3))
    region = img.crop((x0, y0, x0 + seal.width, y0 + seal.height))
    a = np.asarray(region, dtype=np.float32) / 255
    b = np.asarray(seal, dtype=np.float32) / 255
    mixed = Image.fromarray((a * (0.35 + 0.65 * b) * 255).astype(np.uint8))  # ink multiplies, a little faded
    img = img.copy()
    img.paste(mixed, (x0, y0))
    return img


def scan_pdf(pages: list[Image.Image], path: str | Path, dpi: int = 300) -> Path:
    """Page images as a PDF without a text layer (what a scanner hands out)."""
    path = Path(path)
    first, *rest = [p.convert("RGB") for p in pages]
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=dpi)
    return path
