"""File names of any bytes, carried safely to every output and printed safely.

A path read from a folder may hold bytes that are not UTF-8 (Python keeps them as lone
surrogates, ``\\udcff``), or control characters (ESC, BEL, a newline, a TAB first). Such a
name must neither break an output (JSON, SQLite, CSV and XLSX all need valid Unicode) nor
reach a terminal raw (an ESC sequence, a forged second error line).

- :func:`path_text` turns any path (``str``, ``bytes``, ``os.PathLike``) into valid Unicode:
  undecodable bytes are written ``\\xNN`` (as ``ls -b`` does); everything else is kept. This
  is the name plantext reports (``Source.path``, ids).
- :func:`printable` escapes what a terminal would act on (C0/C1 controls, DEL, bidirectional
  overrides) as ``\\xNN`` / ``\\uNNNN``; ``keep`` names the characters left as they are
  (``"\\n\\t"`` for text, nothing for a one-line message).
"""

from __future__ import annotations

import os
import re

__all__ = ["path_text", "printable", "has_controls", "control_pictures"]

_SURROGATE_RE = re.compile("[\udc80-\udcff]")
_CONTROL = "\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_CONTROL_RE = re.compile(f"[{_CONTROL}]")


def path_text(path: str | bytes | os.PathLike) -> str:
    """A path as valid Unicode text: undecodable bytes shown as ``\\xNN``."""
    p = os.fspath(path)
    if isinstance(p, bytes):
        p = os.fsdecode(p)
    if not _SURROGATE_RE.search(p):
        try:
            p.encode("utf-8")
            return p
        except UnicodeEncodeError:  # lone surrogates that no file system decoding made
            pass
    return (
        _SURROGATE_RE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", p)
        .encode("utf-8", "backslashreplace")
        .decode("utf-8")
    )


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` safe to print on a terminal: controls escaped (those in ``keep`` excepted)."""
    if keep:
        return re.sub(f"[{_CONTROL}]", lambda m: m.group() if m.group() in keep else _escape(m), text)
    return _CONTROL_RE.sub(_escape, text)


def has_controls(text: str) -> bool:
    return _CONTROL_RE.search(text) is not None


# C0 controls as their Unicode pictures (ESC -> ␛), DEL -> ␡, C1 and bidi overrides -> U+FFFD:
# one character for one, so offsets into the text stay valid
_PICTURES = {c: 0x2400 + c for c in range(0x20) if c not in (9, 10, 13)} | {0x7F: 0x2421}
_PICTURES |= {c: 0xFFFD for c in range(0x80, 0xA0)} | {c: 0xFFFD for c in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E)}


def control_pictures(text: str) -> str:
    """``text`` with control characters shown as visible symbols, length unchanged (for HTML
    and spreadsheets, where a raw ESC or BEL is invalid or acted on)."""
    return text.translate(_PICTURES) if _CONTROL_RE.search(text) else text
