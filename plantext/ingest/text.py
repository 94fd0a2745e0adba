"""Plain text in any Chinese encoding: UTF-8 (with or without BOM), UTF-16 (with a BOM, or
without one when the bytes read as Chinese), GB18030/GBK, Big5. The decoded text is kept
exactly (no newline translation), so offsets index the file. Control bytes that text never
holds make a file binary (an error, not a page of mojibake)."""

from __future__ import annotations

__all__ = ["decode", "looks_binary", "utf16_without_bom", "looks_like_text", "read"]

import codecs
import re

from ..model import Part, Source
from . import IngestError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# charset-normalizer may name a narrower codec than the file needs; decode with a superset.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "hz": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "ascii": "utf-8",
}


def decode(path: str, data: bytes, encoding: str | None = None, errors: str = "strict") -> tuple[str, str]:
    """Decode bytes, detecting the encoding unless one is forced. Returns (text, encoding)."""
    if encoding:
        try:
            return data.decode(encoding, errors), encoding
        except LookupError:
            raise IngestError(path, key="ingest.unknown_encoding", encoding=encoding) from None
        except UnicodeDecodeError as e:
            raise IngestError(
                path, key="ingest.bad_byte", encoding=encoding, offset=e.start, hint="hint.errors_replace"
            ) from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _strict(path, data, enc, errors), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    enc16 = utf16_without_bom(data)
    if enc16:
        return _strict(path, data, enc16, errors), enc16
    if looks_binary(data):
        raise IngestError(path, key="ingest.binary")
    from charset_normalizer import from_bytes

    candidates = []
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8", "cp950"]).best()
    if best is not None:
        candidates.append(_SUPERSETS.get(best.encoding.replace("_", "").replace("-", ""), best.encoding))
    candidates += ["gb18030", "big5hkscs"]
    garbled = []
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if not looks_garbled(text):
            return text, enc
        garbled.append(enc)
    if garbled:  # valid bytes in a Chinese codec, but not text in it: EUC-TW, CNS 11643 ...
        raise IngestError(path, key="ingest_docs.legacy_encoding", encodings=" / ".join(garbled), hint="hint.encoding")
    if errors != "strict":
        return data.decode(candidates[0], errors), candidates[0]
    raise IngestError(path, key="ingest.undecodable", offset=utf8_error.start, hint="hint.encoding")


def looks_garbled(text: str, sample: int = 20000) -> bool:
    """Whether decoded text is mostly characters outside common use: real Chinese text has
    under 3 % of its Han characters there, bytes of another legacy codec read as GB18030 or
    Big5 (EUC-TW, say) 40 % and more. Needs 50 Han characters to judge."""
    from ..clean import _rare_han_re

    head = text[:sample]
    han = len(_HAN_RE.findall(head))
    return han >= 50 and len(_rare_han_re().findall(head)) > 0.15 * han


_HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _strict(path: str, data: bytes, enc: str, errors: str) -> str:
    try:
        return data.decode(enc, errors)
    except UnicodeDecodeError as e:
        raise IngestError(
            path, key="ingest.bad_byte", encoding=enc, offset=e.start, hint="hint.errors_replace"
        ) from None


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


_CONTROL_BYTES = bytes(i for i in range(32) if i not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """Control bytes that text never has (BOM-less UTF-16, whose NULs all fall on one side
    of each pair, excepted)."""
    head = data[:sample]
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) <= len(head) // 100:
        return False
    nul_even, nul_odd = head[0::2].count(0), head[1::2].count(0)
    utf16 = max(nul_even, nul_odd) > len(head) // 5 and min(nul_even, nul_odd) < max(nul_even, nul_odd) // 20
    return not utf16


def utf16_without_bom(data: bytes, sample: int = 8192) -> str | None:
    """'utf-16-le' or '-be' when the bytes read as Chinese/ASCII text in it (Notepad writes a
    BOM, other tools do not)."""
    if len(data) % 2 or len(data) < 4:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:sample].decode(enc)
        except UnicodeDecodeError:
            continue
        good = sum(
            1
            for c in text
            if "\u4e00" <= c <= "\u9fff"
            or "\u3000" <= c <= "\u303f"
            or "\uff00" <= c <= "\uffef"
            or (c.isascii() and (c.isprintable() or c in "\r\n\t"))
        )
        if good >= len(text) * 0.95:
            return enc
    return None


def looks_like_text(data: bytes, sample: int = 4096) -> bool:
    """Whether the start of ``data`` reads as text in one of the encodings we detect."""
    head = data[:sample]
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return not _CONTROL_RE.search(head.decode(enc, "ignore"))
    for enc in ("utf-8", "gb18030", "big5hkscs"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError as e:
            if e.start < len(head) - 4:  # not just a character cut at the sample's end
                continue
            text = head[: e.start].decode(enc)
        return len(_CONTROL_RE.findall(text)) <= len(text) // 100
    return False


# control characters that binary data is full of and text is not: DEL, VT (Word's manual line
# break), ESC and FF turn up in real text exported by other tools, and a stray C0 is no proof
_BINARY_RE = re.compile(r"[\x01-\x08\x0e-\x1a\x1c-\x1f]")


# the bytes of NUL and of the controls of _BINARY_RE: in UTF-8, GB18030 and Big5 a byte below 0x20 is
# always that character (never part of a multi-byte one), so bytes without them decode to text without them
_BINARY_BYTES = bytes([0, *range(1, 9), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_ASCII_SAFE = ("utf-8", "utf-8-sig", "gb18030", "big5hkscs")


def _clean_bytes(data: bytes, enc: str) -> bool:
    """Whether text decoded from ``data`` in ``enc`` surely holds no NUL and no control of
    ``_BINARY_RE`` (a fast test on the bytes; False: not known, look at the text)."""
    return enc in _ASCII_SAFE and len(data.translate(None, _BINARY_BYTES)) == len(data)


def read(path: str, data: bytes, *, encoding: str | None = None, errors: str = "strict") -> Source:
    text, enc = decode(path, data, encoding, errors)
    # a NUL, or C0 controls beyond a trace (a tenth of the text decoded by a Unicode codec,
    # which random bytes rarely pass; a hundredth otherwise) make a file binary
    if not _clean_bytes(data, enc):
        sample = text[:65536]
        share = 10 if enc.replace("-", "").lower().startswith("utf") else 100
        if "\x00" in text or len(_BINARY_RE.findall(sample)) > len(sample) // share:
            raise IngestError(path, key="ingest.binary")
    return Source(path=path, text=text, format="txt", encoding=enc, parts=[Part(0, len(text), "text")])
