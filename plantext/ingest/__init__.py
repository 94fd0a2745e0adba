"""Readers, one per format, each turning a file into a :class:`~plantext.model.Source`.

``load(path)`` picks the reader by extension (and by content for stdin); ``iter_paths``
expands directories. Any problem with a file is an :class:`IngestError` naming the file, so
a batch can report it in one line and go on.
"""

from __future__ import annotations

__all__ = [
    "IngestError",
    "READERS",
    "DEFAULT_MAX_SIZE",
    "MAX_FILES",
    "SYSTEM_TREES",
    "as_paths",
    "iter_paths",
    "file_key",
    "sha256_text",
    "parse_size",
    "read_bytes",
    "read_stdin",
    "load",
    "sniff",
]

import hashlib
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, UsageError, os_reason
from ..i18n import tr
from ..model import Source
from ..names import path_text
from .magic import is_ole, is_pdf, is_zip

if TYPE_CHECKING:
    from .ocr import OcrSettings


class IngestError(InputError):
    """A file that cannot be read; ``str(err)`` is one line: ``PATH: problem``.

    An :class:`~plantext.errors.InputError`; kept under its own name for callers that catch it.
    ``hint`` is a message key the CLI prints after the problem (the option that helps).
    ``path`` is the name as reported (valid Unicode, see :func:`plantext.names.path_text`).
    """

    def __init__(
        self, path: str, problem: str | None = None, *, key: str | None = None, hint: str | None = None, **params: Any
    ) -> None:
        super().__init__(problem, key=key, path=path_text(path) if path is not None else None, hint=hint, **params)

    @property
    def problem(self) -> str:
        """The problem, without the path."""
        return self.message


# extension -> reader module name (imported lazily: python-docx, pdfplumber ... are heavy)
READERS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".docx": "docx",
    ".docm": "docx",
    ".doc": "doc",
    ".wps": "doc",  # WPS Office: converted by LibreOffice like .doc (or read as what it is inside)
    ".rtf": "rtf",
    ".odt": "odt",
    ".ofd": "ofd",
    ".pdf": "pdf",
    ".png": "ocr",
    ".jpg": "ocr",
    ".jpeg": "ocr",
    ".tif": "ocr",
    ".tiff": "ocr",
    ".bmp": "ocr",
    ".webp": "ocr",
    ".html": "html",
    ".htm": "html",
    ".mhtml": "html",
    ".mht": "html",
}


DEFAULT_MAX_SIZE = 200_000_000  # bytes read from one file (--max-size)
MAX_FILES = 1_000_000  # files taken from one folder given as input
# trees that hold no plans and never end (/proc, /sys) or are the whole file system
SYSTEM_TREES = ("/", "/proc", "/sys", "/dev", "/run")


def as_paths(paths: object) -> list[str]:
    """A path or an iterable of paths as a list of ``str`` paths: a ``str``, ``bytes`` or
    ``os.PathLike`` is one path (never iterated by character). Anything else is a UsageError."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    elif paths is None or not hasattr(paths, "__iter__") or isinstance(paths, dict):
        raise UsageError(key="hostile.expected_paths", got=_type_name(paths))
    out: list[str] = []
    for p in paths:
        if not isinstance(p, (str, bytes, os.PathLike)):
            raise UsageError(key="hostile.expected_paths", got=f"[{_type_name(p)}, ...]")
        p = os.fspath(p)
        out.append(os.fsdecode(p) if isinstance(p, bytes) else p)
    return out


def _type_name(x: object) -> str:
    if x is None:
        return "None"
    r = repr(x)
    return f"{type(x).__name__} {r if len(r) <= 40 else r[:37] + '...'}"


def iter_paths(
    paths: object,
    on_error: Callable[[IngestError], object] | None = None,
    max_files: int = MAX_FILES,
    exclude: Iterable[str | os.PathLike] = (),
) -> Iterator[str]:
    """Files named on the command line, directories expanded (sorted, recursively, hidden
    files and unknown extensions skipped). Paths are yielded as given, so ids stay stable.
    ``paths`` may be one path. A system tree (``/``, ``/proc`` ...) is not walked and a folder
    yields at most ``max_files`` files; those and unreadable subfolders are reported through
    ``on_error(IngestError)`` (without it they are skipped). Files and folders in ``exclude``
    (the command's own outputs) are not taken from a folder being walked."""
    skip = {os.path.realpath(os.fspath(x)) for x in exclude}

    def report(err: IngestError) -> None:
        if on_error is not None:
            on_error(err)

    for p in as_paths(paths):
        if p == "-":
            yield p
        elif os.path.isdir(p):
            real = os.path.realpath(p)
            tree = next((t for t in SYSTEM_TREES if real == t or (t != "/" and real.startswith(t + "/"))), None)
            if tree is not None:
                report(IngestError(p, key="hostile.system_tree", what=tree))
                continue
            n = 0

            def unreadable(e: OSError) -> None:  # called within this iteration: p is this path
                reason = os_reason(e)
                report(IngestError(e.filename or p, key="hostile.cannot_read", reason=reason))  # noqa: B023

            for root, dirs, files in os.walk(p, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                if skip:  # an output folder or file inside an input folder is not read back
                    dirs[:] = [d for d in dirs if os.path.realpath(os.path.join(root, d)) not in skip]
                    files = [f for f in files if os.path.realpath(os.path.join(root, f)) not in skip]
                for f in sorted(files):
                    if not f.startswith(".") and Path(f).suffix.lower() in READERS:
                        n += 1
                        if n > max_files:
                            report(IngestError(p, key="hostile.too_many_files", limit=max_files))
                            break
                        yield os.path.join(root, f)
                if n > max_files:
                    break
            if n == 0:  # a folder given with nothing to read in it: said, not passed over in silence
                report(IngestError(p, key="hostile.empty_folder", exts=" ".join(sorted({*READERS} - {".text"}))))
        else:
            yield p


def file_key(path: str) -> tuple[int, int] | None:
    """(device, inode) of a file, to tell the same file given twice (``x``, ``./x``, a
    symlink); None for stdin or a path that cannot be looked at."""
    if path == "-":
        return None
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _size(n: int) -> str:
    for unit, k in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= k:
            return f"{n / k:.1f} {unit}".replace(".0 ", " ")
    return f"{n} B"


def parse_size(value: str | int) -> int:
    """``200MB``, ``1.5G``, ``500k``, ``1000000`` -> bytes (decimal units; ``MiB`` binary)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value > 0:
            return value
        raise UsageError(key="hostile.bad_size", value=value)
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)b?\s*", str(value), re.I)
    if not m:
        raise UsageError(key="hostile.bad_size", value=value)
    base = 1024 if m.group(3) else 1000
    n = int(float(m.group(1)) * base ** " kmgt".index(m.group(2).lower() or " "))
    if n <= 0:
        raise UsageError(key="hostile.bad_size", value=value)
    return n


_KINDS = (
    (stat.S_ISFIFO, "hostile.what.fifo"),
    (stat.S_ISCHR, "hostile.what.chardev"),
    (stat.S_ISBLK, "hostile.what.blockdev"),
    (stat.S_ISSOCK, "hostile.what.socket"),
)


def _not_regular(name: str, mode: int) -> IngestError:
    what = next((k for test, k in _KINDS if test(mode)), "hostile.what.other")
    return IngestError(name, key="hostile.not_regular", what=tr(what))


# read-only, and a FIFO or a terminal swapped in after the check neither blocks nor becomes ours
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def read_bytes(path: str, max_size: int = DEFAULT_MAX_SIZE, name: str | None = None) -> bytes:
    """The bytes of a regular file, at most ``max_size`` of them. Special files (a FIFO, a
    device, a socket) are refused after ``stat`` without being opened for reading, so a pipe
    with no writer never blocks; the file is opened non-blocking and checked again, in case it
    was swapped in between. Raises IngestError naming ``name`` (default: the path)."""
    name = path_text(path) if name is None else name
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise IngestError(name, key="hostile.no_such_file") from None
    except (OSError, ValueError) as e:
        raise IngestError(name, key="hostile.cannot_read", reason=os_reason(e)) from None
    if stat.S_ISDIR(st.st_mode):
        raise IngestError(name, key="hostile.is_dir")
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(name, st.st_mode)
    if st.st_size > max_size:
        raise IngestError(name, key="hostile.too_large", size=_size(st.st_size), limit=_size(max_size))
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        raise IngestError(name, key="hostile.cannot_read", reason=os_reason(e)) from None
    try:  # (read on the descriptor itself: no buffered file object for one read of a known size)
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(name, st.st_mode)
        try:
            data = _read_upto(partial(os.read, fd), max_size, min(st.st_size, max_size) + 1)
        except OSError as e:
            raise IngestError(name, key="hostile.cannot_read", reason=os_reason(e)) from None
    finally:
        os.close(fd)
    if len(data) > max_size:  # it grew while we looked
        raise IngestError(name, key="hostile.too_large", size=f"> {_size(max_size)}", limit=_size(max_size))
    return data


def _read_upto(read: Callable[[int], bytes], max_size: int, first: int = 1 << 20) -> bytes:
    """At most ``max_size + 1`` bytes from ``read`` (a file's or a descriptor's), read in steps (no buffer of the whole limit
    allocated up front); one read of ``first`` bytes takes a regular file of known size."""
    chunks = []
    n = 0
    want = first
    while n <= max_size:
        b = read(min(want, max_size + 1 - n))
        if not b:
            break
        chunks.append(b)
        n += len(b)
        want = 1 << 20
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _suffix(path: str) -> str:
    """``Path(path).suffix``, without building a Path when the last part is a plain name."""
    name = path.rpartition(os.sep)[2]
    if not name or name in (".", "..") or (os.altsep and os.altsep in path):
        return Path(path).suffix
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def read_stdin(max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """Standard input, at most ``max_size`` bytes (``/dev/zero`` as stdin is refused, not
    read until memory runs out)."""
    data = _read_upto(sys.stdin.buffer.read, max_size)
    if len(data) > max_size:
        raise IngestError("-", key="hostile.stdin_too_large", limit=_size(max_size))
    return data


def load(
    path: str | os.PathLike,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    data: bytes | None = None,
    max_size: int | None = None,
    ocr: OcrSettings | None = None,
) -> Source:
    """Read one file (``-`` for stdin) into a Source. Raises IngestError (an InputError).

    Only regular files are read, at most ``max_size`` bytes (default ``DEFAULT_MAX_SIZE``);
    a zip package (.docx) or a PDF whose parts inflate past that size is refused before a
    reader decompresses it. ``path`` must be a str or os.PathLike (UsageError otherwise: an
    int would be read as a file descriptor). ``ocr`` says when scanned pages and images are
    read by OCR (default: from the environment, ``PLANTEXT_OCR``, else image-only pages; see
    :mod:`plantext.ingest.ocr`)."""
    from importlib import import_module

    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        raise UsageError(key="hostile.expected_path", got=_type_name(path))
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    name = path_text(path)
    limit = DEFAULT_MAX_SIZE if max_size is None else max_size
    if data is None:
        data = read_stdin(limit) if path == "-" else read_bytes(path, limit, name)
    if not data:
        raise IngestError(name, key="ingest.empty")
    ext = _suffix(path).lower() if path != "-" else sniff(data)
    if ext in _CONTAINERS:  # a .wps that is a .docx inside, a .doc that is an .odt or RTF ...: by content
        found = sniff(data)  # (an OLE file stays with its extension's reader: an encrypted .docx is one)
        ext = found if found in _CONTAINERS and found != ".doc" else ext
    kind = READERS.get(ext)
    if kind is None:
        kind = READERS.get(sniff(data))
        if kind is None:
            raise IngestError(name, key="ingest.unsupported", ext=path_text(ext) or tr("ingest.no_extension"))
    from . import limits

    limits.check(name, data, limit)
    reader = sys.modules.get(f"{__name__}.{kind}") or import_module(f".{kind}", __name__)
    extra = {"ocr": ocr} if ocr is not None and kind in ("pdf", "ocr") else {}
    try:
        src: Source = reader.read(name, data, encoding=encoding, errors=errors, **extra)
    except IngestError:
        raise
    except MemoryError:
        raise IngestError(name, key="hostile.too_large", size="?", limit=_size(limit)) from None
    except RecursionError:
        raise IngestError(name, key="ingest.too_deep", kind=kind) from None
    except Exception as e:  # a reader library's own failure on a broken file
        if type(e).__name__ == "XMLSyntaxError":  # lxml: a damaged part, or one nested past its depth limit
            raise IngestError(
                name, key="ingest.xml_broken", kind=kind, line=getattr(e, "lineno", None) or "?"
            ) from None
        raise IngestError(name, key="ingest.reader_failed", kind=kind, why=f"{type(e).__name__}: {e}".strip()) from None
    if not src.text or src.text.isspace():  # (no stripped copy of the whole text)
        raise IngestError(name, key="ingest.no_text")
    # a .txt decoded from UTF-8 without a replaced byte: its UTF-8 bytes are the file's, hashed as they are
    exact = (
        kind == "text"
        and src.encoding == "utf-8"
        and (errors == "strict" or (errors == "replace" and "\ufffd" not in src.text))
    )
    src.sha256 = hashlib.sha256(data).hexdigest() if exact else sha256_text(src.text)
    return src


_CONTAINERS = {".doc", ".docx", ".docm", ".wps", ".odt", ".ofd", ".rtf"}
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"))


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
    if is_pdf(data):
        return ".pdf"
    if is_zip(data):
        return _zip_kind(data)
    for magic, ext in _IMAGE_MAGIC:
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[:2] == b"BM" and len(data) > 26 and data[6:10] == b"\0\0\0\0":  # reserved bytes are zero
        return ".bmp"
    if is_ole(data):
        return ".doc"
    if head.startswith(b"{\\rtf"):
        return ".rtf"
    low = head[:512].lower()
    if low.startswith(b"mime-version") or b"multipart/related" in low:
        return ".mhtml"
    if low.startswith((b"<!doctype html", b"<html")) or b"<body" in low:
        return ".html"
    return ".txt"
