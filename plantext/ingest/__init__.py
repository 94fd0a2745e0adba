"""Readers, one per format, each turning a file into a :class:`~plantext.model.Source`.

``load(path)`` picks the reader by extension (and by content for stdin); ``iter_paths``
expands directories. Any problem with a file is an :class:`IngestError` naming the file, so
a batch can report it in one line and go on.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..errors import InputError
from ..model import Source

if TYPE_CHECKING:
    from .ocr import OcrSettings


class IngestError(InputError):
    """A file that cannot be read; ``str(err)`` is one line: ``PATH: problem``.

    An :class:`~plantext.errors.InputError`; kept under its own name for callers that catch it.
    ``hint`` is a message key the CLI prints after the problem (the option that helps).
    """

    def __init__(self, path: str, problem: str | None = None, *, key: str | None = None,
                 hint: str | None = None, **params: Any) -> None:
        super().__init__(problem, key=key, path=path, hint=hint, **params)

    @property
    def problem(self) -> str:
        """The problem, without the path."""
        return self.message


# extension -> reader module name (imported lazily: python-docx, pdfplumber ... are heavy)
READERS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".docx": "docx", ".docm": "docx", ".doc": "doc",
    ".wps": "doc",  # WPS Office: converted by LibreOffice like .doc (or read as what it is inside)
    ".rtf": "rtf",
    ".odt": "odt", ".ofd": "ofd",
    ".pdf": "pdf",
    ".png": "ocr", ".jpg": "ocr", ".jpeg": "ocr", ".tif": "ocr", ".tiff": "ocr", ".bmp": "ocr", ".webp": "ocr",
    ".html": "html", ".htm": "html", ".mhtml": "html", ".mht": "html",
}


def iter_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files named on the command line, directories expanded (sorted, recursively, hidden
    files and unknown extensions skipped). Paths are yielded as given, so ids stay stable."""
    for p in paths:
        if p == "-":
            yield p
        elif os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith(".") and Path(f).suffix.lower() in READERS:
                        yield os.path.join(root, f)
        else:
            yield p


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(path: str, *, encoding: str | None = None, errors: str = "strict",
         data: bytes | None = None, ocr: OcrSettings | None = None) -> Source:
    """Read one file (``-`` for stdin) into a Source. Raises IngestError.

    ``ocr`` says when scanned pages and images are read by OCR (default: from the
    environment, ``PLANTEXT_OCR``, else image-only pages; see :mod:`plantext.ingest.ocr`)."""
    from importlib import import_module

    if data is None:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except FileNotFoundError:
                raise IngestError(path, "no such file") from None
            except IsADirectoryError:
                raise IngestError(path, "is a directory") from None
            except OSError as e:
                raise IngestError(path, f"cannot read: {e.strerror or e}") from None
    if not data:
        raise IngestError(path, "empty file")
    ext = Path(path).suffix.lower() if path != "-" else sniff(data)
    if ext in _CONTAINERS:  # a .wps that is a .docx inside, a .doc that is an .odt ...: by content
        found = sniff(data)
        ext = found if found in _CONTAINERS else ext
    name = READERS.get(ext)
    if name is None:
        name = READERS.get(sniff(data))
        if name is None:
            raise IngestError(path, f"unsupported file type {ext or '(no extension)'!r}")
    reader = import_module(f".{name}", __name__)
    extra = {"ocr": ocr} if ocr is not None and name in ("pdf", "ocr") else {}
    try:
        src = reader.read(path, data, encoding=encoding, errors=errors, **extra)
    except IngestError:
        raise
    except Exception as e:  # a reader library's own failure on a broken file
        raise IngestError(path, f"cannot read as {name}: {type(e).__name__}: {e}".strip()) from None
    if not src.text.strip():
        raise IngestError(path, "no text found in the file")
    src.sha256 = sha256_text(src.text)
    return src


_CONTAINERS = {".doc", ".docx", ".docm", ".wps", ".odt", ".ofd", ".rtf"}
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"II*\x00", ".tif"),
                (b"MM\x00*", ".tif"))


def _zip_kind(data: bytes) -> str:
    """Which zip package: Word (.docx), OpenDocument text (.odt) or OFD (.ofd)."""
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return ".docx"  # the Word reader says what is wrong with it
    if "OFD.xml" in names or "/OFD.xml" in names:
        return ".ofd"
    if "content.xml" in names and "word/document.xml" not in names:
        return ".odt"
    return ".docx"


def sniff(data: bytes) -> str:
    """Guess an extension from content, for stdin and files with no extension."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, ext in _IMAGE_MAGIC:
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[:2] == b"BM" and len(data) > 26 and data[6:10] == b"\0\0\0\0":  # reserved bytes are zero
        return ".bmp"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ".doc"
    if head.startswith(b"{\\rtf"):
        return ".rtf"
    low = head[:512].lower()
    if low.startswith(b"mime-version") or b"multipart/related" in low:
        return ".mhtml"
    if low.startswith((b"<!doctype html", b"<html")) or b"<body" in low:
        return ".html"
    return ".txt"
