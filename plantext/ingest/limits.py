"""Size limits on what a reader decompresses, checked before the reader runs.

A file is read only up to the size limit (``--max-size``), but a small file may inflate
without bound: a .docx (a zip package) whose parts inflate to gigabytes, a PDF whose
compressed streams do. Both are refused here, quickly and with bounded memory, by one line
naming the part and the sizes:

- a zip package: every part's inflated size (as the zip's directory records it; ``zipfile``
  never returns more than that) at most the limit, all parts together at most the limit, and
  no part larger than ``RATIO_MIN`` inflating more than ``RATIO`` times (a bomb, not a document);
- a PDF: every stream that is not an image (pdfminer decodes those, never image data) is
  decoded through its filter chain (Flate, LZW, RunLength, ASCII85, ASCIIHex: a bomb may hide
  behind an ASCII filter) and counted, Flate in 1 MB steps, each at most the limit and all
  together at most twice the limit.
"""

from __future__ import annotations

__all__ = ["RATIO", "RATIO_MIN", "check", "check_zip", "check_pdf"]

import io
import re
import zipfile
import zlib

from . import IngestError, _size
from .magic import is_pdf, is_zip

RATIO = 100  # inflation of one part beyond which a large part is a bomb (XML compresses 5-30 times)
RATIO_MIN = 20_000_000  # ... when it inflates to more than this
_STEP = 1 << 20


def check(name: str, data: bytes, limit: int) -> None:
    """Raise IngestError when ``data`` (a zip package or a PDF) inflates past ``limit``."""
    if is_zip(data):
        check_zip(name, data, limit)
    elif is_pdf(data):
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
_FILTER_RE = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME_RE = re.compile(rb"/([A-Za-z0-9]+)")
# what pdfminer decodes in a stream's filter chain, by full and abbreviated name
_DECODERS = {
    b"FlateDecode": "flate",
    b"Fl": "flate",
    b"LZWDecode": "lzw",
    b"LZW": "lzw",
    b"RunLengthDecode": "rl",
    b"RL": "rl",
    b"ASCII85Decode": "a85",
    b"A85": "a85",
    b"ASCIIHexDecode": "hex",
    b"AHx": "hex",
}


def check_pdf(name: str, data: bytes, limit: int) -> None:
    total = 0
    view = memoryview(data)
    for m in _STREAM_RE.finditer(data):
        start = m.end()
        head = data[max(0, m.start() - 2048) : m.start()]
        obj = head.rfind(b"obj")
        head = head[obj:] if obj >= 0 else head
        f = _FILTER_RE.search(head)
        if b"/Image" in head or f is None:
            continue
        names = _NAME_RE.findall(f.group(1))
        if not names or any(n not in _DECODERS for n in names):  # an image codec (DCT, JPX ...) or unknown
            continue
        chain = [_DECODERS[n] for n in names]
        end = data.find(b"endstream", start)
        n = _decoded_size(view[start : end if end >= 0 else len(data)], chain, limit)
        if n > limit:
            raise IngestError(name, key="hostile.pdf_stream", offset=start, limit=_size(limit))
        total += n
        if total > 2 * limit:
            raise IngestError(name, key="hostile.pdf_total", limit=_size(2 * limit))


def _decoded_size(buf: bytes | memoryview, chain: list[str], limit: int) -> int:
    """Bytes a stream decodes to through its filter chain, counted past ``limit`` at the most:
    every filter but the last is decoded (at most ``limit + 1`` bytes kept), the last counted."""
    data = bytes(buf) if len(chain) > 1 else buf
    for i, kind in enumerate(chain):
        last = i == len(chain) - 1
        if kind == "flate":
            if last:
                return _inflated(data, limit)
            d = zlib.decompressobj()
            try:
                data = d.decompress(data, limit + 1)
            except zlib.error:
                return len(data)
        elif kind == "lzw":
            out = _lzw(bytes(data), limit, keep=not last)
            if last or isinstance(out, int):
                return out if isinstance(out, int) else len(out)
            data = out
        elif kind == "rl":
            out = _run_length(bytes(data), limit, keep=not last)
            if last or isinstance(out, int):
                return out if isinstance(out, int) else len(out)
            data = out
        else:  # ASCII85 and ASCIIHex shrink their input: decode (bounded by the stream's size)
            data = _ascii(bytes(data), kind)
            if last:
                return len(data)
        if len(data) > limit:
            return len(data)
    return len(data)


def _ascii(data: bytes, kind: str) -> bytes:
    import base64
    import binascii

    try:
        if kind == "hex":
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
            return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
        body = re.sub(rb"\s", b"", data.split(b"~>", 1)[0])
        return base64.a85decode(body.removeprefix(b"<~"))
    except (ValueError, binascii.Error):
        return b""


def _lzw(data: bytes, limit: int, keep: bool) -> bytes | int:
    """LZW-decoded bytes (``keep``) or their count, stopping past ``limit``."""
    from pdfminer.lzw import LZWDecoder

    n = 0
    parts: list[bytes] = []
    try:
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            n += len(chunk)
            if keep:
                parts.append(chunk)
            if n > limit:
                break
    except Exception:  # damaged data: pdfminer stops there too
        pass
    return b"".join(parts) if keep else n


def _run_length(data: bytes, limit: int, keep: bool) -> bytes | int:
    """RunLength-decoded bytes (``keep``) or their count, stopping past ``limit``."""
    n = i = 0
    out = bytearray()
    while i < len(data) and n <= limit:
        length = data[i]
        if length == 128:
            break
        if length < 128:
            chunk = data[i + 1 : i + 2 + length]
            i += length + 2
            n += len(chunk)
            if keep:
                out += chunk
        else:
            n += 257 - length
            if keep and i + 1 < len(data):
                out += data[i + 1 : i + 2] * (257 - length)
            i += 2
    return bytes(out) if keep else n


def _inflated(buf: bytes | memoryview, limit: int) -> int:
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
