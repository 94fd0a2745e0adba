"""RTF (Word and WPS save plans as RTF, often under a .doc name).

Read with striprtf (pure Python, no conversion process): ``\\uN`` escapes and ``\\'hh`` bytes in
the document's code page (``\\ansicpg936`` is GBK, 950 Big5 ...); table rows, which striprtf
ends with ``|``, become one line each with cells joined by a tab (``table-row`` parts).
"""

from __future__ import annotations

import codecs
import re

from ..model import Part, Source
from . import IngestError

__all__ = ["read"]

_CPG = re.compile(rb"\\ansicpg(\d+)")


def _codepage(data: bytes) -> str:
    m = _CPG.search(data[:4096])
    name = f"cp{int(m.group(1))}" if m else "cp1252"
    name = {"cp936": "gbk", "cp950": "big5", "cp54936": "gb18030"}.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name


def read(path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict") -> Source:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise IngestError(path, key="rtf.not_rtf")
    try:
        raw = rtf_to_text(data.decode("latin-1"), encoding=encoding or _codepage(data), errors="replace")
    except Exception as e:  # striprtf's own failure on a broken file
        raise IngestError(path, key="rtf.broken", why=type(e).__name__) from None
    chunks: list[str] = []
    parts: list[Part] = []
    pos = 0
    for i, line in enumerate(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        row = line.endswith("|") and line.count("|") >= 2
        text = "\t".join(c.strip() for c in line[:-1].split("|")) if row else line
        if i:
            chunks.append("\n")
            pos += 1
        if row:
            parts.append(Part(pos, pos + len(text), "table-row", index=i + 1))
        chunks.append(text)
        pos += len(text)
    return Source(path=path, text="".join(chunks), format="rtf", parts=parts)
