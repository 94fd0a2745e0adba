"""Size limits on what a reader decompresses, checked before the reader runs.

A file is read only up to the size limit (``--max-size``), but a small file may inflate
without bound: a .docx (a zip package) whose parts inflate to gigabytes, a PDF whose
compressed streams do. Both are refused here, quickly and with bounded memory, by one line
naming the part and the sizes:

- a zip package: every part's inflated size (as the zip's directory records it; ``zipfile``
  never returns more than that) at most the limit, all parts together at most the limit, and
  no part larger than ``RATIO_MIN`` inflating more than ``RATIO`` times (a bomb, not a document);
- a PDF: every Flate stream that is not an image (pdfminer decodes those, never image data)
  is inflated in 1 MB steps and counted, each at most the limit and all together at most
  twice the limit.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from . import IngestError, _size

RATIO = 100  # inflation of one part beyond which a large part is a bomb (XML compresses 5-30 times)
RATIO_MIN = 20_000_000  # ... when it inflates to more than this
_STEP = 1 << 20


def check(name: str, data: bytes, limit: int) -> None:
    """Raise IngestError when ``data`` (a zip package or a PDF) inflates past ``limit``."""
    if data[:4] == b"PK\x03\x04":
        check_zip(name, data, limit)
    elif b"%PDF" in data[:1024]:
        check_pdf(name, data, limit)


def check_zip(name: str, data: bytes, limit: int) -> None:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return  # not readable as a zip: the reader says what it is
    total = 0
    for info in infos:
        size = info.file_size
        if size > limit:
            raise IngestError(name, key="hostile.inflates", part=info.filename, size=_size(size), limit=_size(limit))
        if size > RATIO_MIN and size > RATIO * max(info.compress_size, 1):
            raise IngestError(name, key="hostile.ratio", part=info.filename, ratio=size // max(info.compress_size, 1))
        total += size
        if total > limit:
            raise IngestError(name, key="hostile.inflates_total", size=f"> {_size(limit)}", limit=_size(limit))


_STREAM_RE = re.compile(rb"(?<!end)stream\r?\n")


def check_pdf(name: str, data: bytes, limit: int) -> None:
    total = 0
    view = memoryview(data)
    for m in _STREAM_RE.finditer(data):
        start = m.end()
        head = data[max(0, m.start() - 2048):m.start()]
        obj = head.rfind(b"obj")
        head = head[obj:] if obj >= 0 else head
        if b"/Image" in head or b"Flate" not in head and b"/Fl" not in head:
            continue
        end = data.find(b"endstream", start)
        n = _inflated(view[start:end if end >= 0 else len(data)], limit - 0)
        if n > limit:
            raise IngestError(name, key="hostile.pdf_stream", offset=start, limit=_size(limit))
        total += n
        if total > 2 * limit:
            raise IngestError(name, key="hostile.pdf_total", limit=_size(2 * limit))


def _inflated(buf, limit: int) -> int:
    """Bytes a zlib stream inflates to, counted in steps, stopping past ``limit``."""
    d = zlib.decompressobj()
    n = 0
    tail = buf
    try:
        while True:
            out = d.decompress(tail, _STEP)
            n += len(out)
            if n > limit or d.eof:
                return n
            tail = d.unconsumed_tail
            if not out and not tail:
                return n
    except zlib.error:  # not zlib data, or damaged: pdfminer reports it (or skips the stream)
        return n
