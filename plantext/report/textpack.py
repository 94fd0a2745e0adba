"""The report's texts stored once: a run a text shares with an earlier text is written as a
copy of it, not again.

gzip (the only compression every browser can undo, with ``DecompressionStream``) looks back
32 KB, about two plans of Chinese text: a template paragraph that three hundred submissions
copied, or the source a submission was copied from, is further back than that and is stored
again each time. So before gzip the texts are written as runs of literal text and copies
``[back, start, length]`` (the text ``back`` places earlier, from ``start``, ``length``
characters); the page rebuilds the texts (``expandTexts`` in report.html.j2) before it lays
anything out, and :func:`expand` does the same in Python.

A text with characters beyond the Basic Multilingual Plane is kept whole and never copied
from: the page counts UTF-16 code units where Python counts characters.

Base85 (:func:`b85`) writes the compressed bytes into the page in 5 characters per 4 bytes
where base64 takes 5⅓; its alphabet has no ``<`` or ``&`` (nothing in it can end the script
element or start markup) and no control characters.
"""

from __future__ import annotations

__all__ = ["MIN_RUN", "ALPHABET", "compress", "expand", "encode", "decode", "b85", "unb85"]

import base64
import re
from collections.abc import Sequence

MIN_RUN = 16  # characters: a shorter shared run costs more as a copy than as text
_STEP = MIN_RUN // 2  # the earlier texts are indexed every _STEP characters
_WIDE = re.compile("[\U00010000-\U0010ffff]")

Packed = list[str | int]


def compress(texts: Sequence[str], min_run: int = MIN_RUN) -> list[Packed]:
    """Each text as a flat list: a string is literal text, three integers ``back, start,
    length`` a copy of ``texts[i - back][start : start + length]``. A run of at least
    ``min_run + min_run // 2`` characters found in an earlier text is always copied (the
    earlier texts are indexed every ``min_run // 2`` characters; the first text holding a
    run is its source), extended as far as the two texts agree either way."""
    step = max(1, min_run // 2)
    index: dict[str, tuple[int, int]] = {}
    out: list[Packed] = []
    for ti, t in enumerate(texts):
        if _WIDE.search(t):
            out.append([t] if t else [])
            continue
        ops: Packed = []
        lit = 0  # where the pending literal text starts
        j = 0
        n = len(t)
        while j + min_run <= n:
            hit = index.get(t[j : j + min_run])
            if hit is None:
                j += 1
                continue
            si, sp = hit
            src = texts[si]
            length = min_run + _common(t, j + min_run, src, sp + min_run)
            back = 0
            while back < j - lit and back < sp and t[j - back - 1] == src[sp - back - 1]:
                back += 1
            j -= back
            if j > lit:
                ops.append(t[lit:j])
            ops.extend((ti - si, sp - back, length + back))
            j += length + back
            lit = j
        if lit < n:
            ops.append(t[lit:])
        for p in range(0, n - min_run + 1, step):
            index.setdefault(t[p : p + min_run], (ti, p))
        out.append(ops)
    return out


def _common(a: str, i: int, b: str, k: int) -> int:
    """How many characters ``a[i:]`` and ``b[k:]`` have in common at their start."""
    n = 0
    while True:
        x, y = a[i + n : i + n + 64], b[k + n : k + n + 64]
        if x == y:
            if len(x) < 64:
                return n + len(x)
            n += 64
            continue
        for c, d in zip(x, y):
            if c != d:
                return n
            n += 1
        return n


def expand(packed: Sequence[Sequence[str | int]]) -> list[str]:
    """The texts :func:`compress` packed."""
    texts: list[str] = []
    for ops in packed:
        parts: list[str] = []
        k = 0
        while k < len(ops):
            x = ops[k]
            if isinstance(x, str):
                parts.append(x)
                k += 1
                continue
            start, length = ops[k + 1], ops[k + 2]
            assert isinstance(start, int) and isinstance(length, int)
            parts.append(texts[len(texts) - x][start : start + length])
            k += 3
        texts.append("".join(parts))
    return texts


def encode(packed: Sequence[Sequence[str | int]]) -> bytes:
    """The packed texts as bytes: the length in bytes of the literal text (4 bytes,
    big-endian), all the literal text in UTF-16LE (the page cuts it in UTF-16 code units;
    Chinese text compresses better so than as UTF-8), then for each text, as unsigned LEB128
    numbers: its count of copies, each copy as ``literal length, back, start, length``, and
    the length of its last literal run."""
    lits: list[str] = []
    nums: list[int] = []
    for ops in packed:
        copies: list[int] = []
        lit = k = 0
        while k < len(ops):
            x = ops[k]
            if isinstance(x, str):
                lits.append(x)
                lit += _units(x)
                k += 1
                continue
            copies.extend((lit, x, int(ops[k + 1]), int(ops[k + 2])))
            lit = 0
            k += 3
        nums.append(len(copies) // 4)
        nums.extend(copies)
        nums.append(lit)
    text = "".join(lits).encode("utf-16-le", "surrogatepass")
    return len(text).to_bytes(4, "big") + text + _leb128(nums)


def _units(s: str) -> int:
    """UTF-16 code units in ``s``."""
    return len(s) + len(_WIDE.findall(s)) if _WIDE.search(s) else len(s)


def _leb128(nums: Sequence[int]) -> bytes:
    out = bytearray()
    for n in nums:
        while n >= 0x80:
            out.append(n & 0x7F | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out)


def decode(blob: bytes) -> list[Packed]:
    """The inverse of :func:`encode` (``expandTexts`` in the page reads the same bytes)."""
    m = int.from_bytes(blob[:4], "big")
    lits, pos = blob[4 : 4 + m], 4 + m
    lp = 0

    def num() -> int:
        nonlocal pos
        v = shift = 0
        while True:
            c = blob[pos]
            pos += 1
            v |= (c & 0x7F) << shift
            shift += 7
            if c < 0x80:
                return v

    def literal(units: int) -> str:
        nonlocal lp
        s = lits[2 * lp : 2 * (lp + units)].decode("utf-16-le", "surrogatepass")
        lp += units
        return s

    out: list[Packed] = []
    while pos < len(blob):
        ops: Packed = []
        for _ in range(num()):
            n = num()
            if n:
                ops.append(literal(n))
            ops.extend((num(), num(), num()))
        n = num()
        if n:
            ops.append(literal(n))
        out.append(ops)
    return out


_B85 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
# Python's base85 alphabet with "<" and "&" replaced by "." and ","
ALPHABET = _B85.replace(b"<", b".").replace(b"&", b",").decode("ascii")
_TO = bytes.maketrans(_B85, ALPHABET.encode("ascii"))
_FROM = bytes.maketrans(ALPHABET.encode("ascii"), _B85)


def b85(data: bytes) -> str:
    """``data`` as base85 in :data:`ALPHABET`: each 4 bytes (big-endian) as 5 digits, most
    significant first; a last group of 1–3 bytes is padded with zero bytes and written with
    as many digits as bytes plus one."""
    return base64.b85encode(data).translate(_TO).decode("ascii")


def unb85(text: str) -> bytes:
    """The inverse of :func:`b85`."""
    return base64.b85decode(text.encode("ascii").translate(_FROM))
