"""Fingerprints of plans: character n-gram hashes and MinHash signatures, as numpy arrays.

Everything here is a pure function of a plan's *fold* text (NFKC, simplified script, no
punctuation or whitespace, lower case; see :mod:`plantext.normalize`) with placeholders
folded, so fingerprints can be stored (``plantext index``) and compared later::

    text = fold_text(plan)                 # str
    h = shingle_hashes(text)               # uint64, one per 5-gram, in text order
    s = shingle_set(text)                  # uint64, sorted unique
    sig = minhash(s)                       # uint64[128]

Hashing and MinHash are vectorised with numpy over code points and shingles (no per-n-gram
Python code); the ``*_many`` variants work on a whole corpus at once in CSR layout
(``values``, ``offsets``: plan ``i`` owns ``values[offsets[i]:offsets[i + 1]]``).
"""

from __future__ import annotations

__all__ = [
    "NGRAM",
    "NUM_PERM",
    "SEED",
    "EMPTY",
    "HASH_BITS",
    "HASH_MASK",
    "GROUP_BITS",
    "Progress",
    "PLACEHOLDER",
    "fold_placeholders",
    "fold_string",
    "fold_strings",
    "fold_text",
    "fold_texts",
    "shingle_hashes",
    "sorted_unique",
    "shingle_set",
    "unique_per_group",
    "shingle_hashes_many",
    "shingle_sets_many",
    "permutations",
    "minhash",
    "minhash_many",
    "fingerprint",
    "jaccard_estimate",
]

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from ..lexicons import loader

NGRAM = 5
NUM_PERM = 128
SEED = 1
EMPTY = np.iinfo(np.uint64).max
# Shingle hashes keep 52 bits, leaving 12 for a plan number in the sort keys of
# unique_per_group (collisions among 10**8 distinct 5-grams: a handful, harmless).
HASH_BITS = 52
HASH_MASK = (1 << HASH_BITS) - 1
GROUP_BITS = 64 - HASH_BITS
_U64 = np.uint64

Progress = Callable[[str, int, int], None]

# -- fold text ------------------------------------------------------------------------------

# Years (2024年, 2023-2024学年) and the 20xx / xx placeholders of template pages read alike, so
# that a template and the plan filled in from it compare equal. Works on fold text (lower
# case, no punctuation); other numbers stay.
# (Each pattern opens with a character class, which Python's re scans for quickly; the
# digit-before and 19/20 checks are done on the few hits.)
_YEAR_RE = re.compile(r"[12][09](?:\d\d(?:[12][09]\d\d)?(?=学?年|年度|级|届)|xx)")
_XX_RE = re.compile(r"xx+")
PLACEHOLDER = "#"


def fold_placeholders(fold: str) -> str:
    def year(m: re.Match) -> str:
        s, y = m.start(), m.group()
        if (s and fold[s - 1].isdigit()) or y[:2] not in ("19", "20") or (len(y) == 8 and y[4:6] not in ("19", "20")):
            return y
        return PLACEHOLDER

    out = _YEAR_RE.sub(year, fold)
    return _XX_RE.sub(PLACEHOLDER, out) if "xx" in out else out


def fold_string(text: str) -> str:
    """``plantext.normalize`` fold of ``text`` (what ``View`` mode ``fold`` gives) without
    building the offset map; see :func:`fold_strings`."""
    return fold_strings([text])[0]


def fold_strings(texts: Sequence[str], block: int = 1 << 20) -> list[str]:
    """The fold of each text, as ``plantext.normalize`` makes it, but vectorised.

    Similarity needs only the folded strings, not their offset maps. Per-character NFKC,
    dropping of punctuation and spaces, and A-Z lower-casing are one table lookup per code
    point in numpy; traditional->simplified is one OpenCC call per block of texts (dropped
    characters become line breaks, which OpenCC phrases never cross, as in normalize's
    per-run conversion). A text with a character NFKC expands (⑴ -> (1)) or outside the BMP,
    or whose conversion changes length, takes the View path. The tests assert equality with
    ``plan.view("fold").text``.
    """
    out: list[str | None] = [None] * len(texts)
    i = 0
    while i < len(texts):
        j, size = i, 0
        while j < len(texts) and (size == 0 or size + len(texts[j]) < block):
            size += len(texts[j]) + 1
            j += 1
        _fold_block(texts, i, j, out)
        i = j
    return out  # type: ignore[return-value]


_SEP = 0x0A  # code point of a dropped character until OpenCC has run
_COMPLEX = 0xFFFFFFFF


@loader
def _fold_table() -> np.ndarray:
    """Per BMP code point: what fold keeps of it (NFKC, A-Z lower-cased), ``_SEP`` when fold
    drops it, ``_COMPLEX`` when NFKC makes several characters of it (or a surrogate)."""
    from ..normalize import _FOLD_DROP_RE

    table = np.arange(0x10000, dtype=np.uint32)
    drop = _FOLD_DROP_RE.fullmatch
    for c in range(0x10000):
        if 0xD800 <= c < 0xE000:
            table[c] = _COMPLEX
            continue
        n = unicodedata.normalize("NFKC", chr(c)) if c >= 0x80 else chr(c)
        if len(n) != 1:
            table[c] = _SEP if n == "" else _COMPLEX
        elif drop(n):
            table[c] = _SEP
        else:
            table[c] = ord(n.lower()) if "A" <= n <= "Z" else ord(n)
    return table


def _fold_block(texts: Sequence[str], i: int, j: int, out: list) -> None:
    from ..normalize import View, _t2s, fold, normalize

    def slow(k: int) -> str:
        return fold(normalize(View.identity(texts[k]))).text

    joined = "\n".join(texts[i:j])
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    lens = np.fromiter((len(texts[k]) for k in range(i, j)), dtype=np.int64, count=j - i)
    starts = np.concatenate([[0], np.cumsum(lens + 1)[:-1]])
    big = cp >= 0x10000
    mapped = _fold_table()[np.where(big, 0, cp)]
    bad = big | (mapped == _COMPLEX)
    ok = np.ones(j - i, dtype=bool)
    if bad.any():  # these texts take the slow path
        ok[np.searchsorted(starts, np.flatnonzero(bad), side="right") - 1] = False
        mapped[bad] = _SEP
    folded = mapped.astype("<u4").tobytes().decode("utf-32-le")
    # OpenCC only for the texts with a character it converts (most plans are simplified)
    convertible = np.concatenate([[0], np.cumsum(_t2s_chars()[mapped], dtype=np.int64)])
    trad = convertible[starts + lens] > convertible[starts]
    conv = _t2s().convert
    for k in range(j - i):
        if not ok[k]:
            out[i + k] = slow(i + k)
            continue
        piece = folded[starts[k] : starts[k] + lens[k]]
        if trad[k]:
            piece = conv(piece)
            if len(piece) != lens[k]:  # a phrase changed length: the per-character way
                out[i + k] = slow(i + k)
                continue
        out[i + k] = piece.replace("\n", "")


@loader
def _t2s_chars() -> np.ndarray:
    """Per BMP code point: does OpenCC t2s convert it (alone)? A text with none of these is
    left as it is (a phrase-only conversion of characters that never change alone is the
    one thing this can miss)."""
    from ..normalize import _t2s

    out = np.zeros(0x10000 + 1, dtype=bool)
    han = [c for r in ((0x3400, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    conv = _t2s().convert("\n".join(map(chr, han))).split("\n")
    if len(conv) == len(han):
        for c, o in zip(han, conv):
            out[c] = o != chr(c)
    else:  # pragma: no cover - defensive: treat every Han character as convertible
        out[han] = True
    return out


def fold_text(plan) -> str:
    """The text fingerprints are taken of: the plan's fold view, placeholders folded.

    Reuses the plan's cached fold view when another stage built it already.
    """
    return fold_texts([plan])[0]


def fold_texts(plans: Sequence) -> list[str]:
    """:func:`fold_text` of many plans at once (vectorised, see :func:`fold_strings`)."""
    from ..normalize import known_view

    known = [known_view(p, "fold") for p in plans]
    out = [v.text if v is not None else None for v in known]
    todo = [k for k, t in enumerate(out) if t is None]
    for k, t in zip(todo, fold_strings([plans[k].view("clean").text for k in todo])):
        out[k] = t
    return [fold_placeholders(t) for t in out]


# -- n-gram hashes ----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _multipliers(n: int) -> np.ndarray:
    rng = np.random.default_rng(0x5EED + n)
    return rng.integers(1, 1 << 63, size=n, dtype=np.uint64) | _U64(1)


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, in place: spreads every input bit over the output."""
    h ^= h >> _U64(33)
    h *= _U64(0xFF51AFD7ED558CCD)
    h ^= h >> _U64(33)
    h *= _U64(0xC4CEB9FE1A85EC53)
    h ^= h >> _U64(33)
    return h


def _ngram_hash(cp: np.ndarray, n: int) -> np.ndarray:
    """Hashes of all n-grams of the code points ``cp`` (uint64): a random linear form of the
    n code points (wrapping mod 2**64), then a finaliser."""
    m = len(cp) - n + 1
    mul = _multipliers(n)
    h = cp[:m] * mul[0]
    for k in range(1, n):
        h += cp[k : k + m] * mul[k]
    return _fmix64(h) >> _U64(64 - HASH_BITS)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)


def shingle_hashes(text: str, n: int = NGRAM) -> np.ndarray:
    """Hash (uint64 below ``2**HASH_BITS``) of every character n-gram of ``text``, in text
    order (``len - n + 1`` values; a text shorter than ``n`` is one shingle, an empty one none)."""
    cp = _codepoints(text)
    if len(cp) == 0:
        return np.empty(0, dtype=np.uint64)
    if len(cp) < n:
        cp = np.concatenate([cp, np.zeros(n - len(cp), dtype=np.uint64)])
    return _ngram_hash(cp, n)


def sorted_unique(x: np.ndarray) -> np.ndarray:
    """``np.unique`` by one sort (numpy 2's hash-based unique is far slower on uint64)."""
    s = np.sort(x)
    if len(s) < 2:
        return s
    return s[np.concatenate([[True], s[1:] != s[:-1]])]


def shingle_set(text: str, n: int = NGRAM) -> np.ndarray:
    """Sorted unique n-gram hashes of ``text``."""
    return sorted_unique(shingle_hashes(text, n))


def unique_per_group(values: np.ndarray, group: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values of each group, in CSR layout ``(values, offsets)``.

    ``group`` (non-decreasing is not required) numbers each value's group. Groups are done
    ``2**GROUP_BITS`` at a time with one sort of ``group << HASH_BITS | value`` keys, instead
    of one small sort per group.
    """
    out: list[np.ndarray] = []
    counts = np.zeros(n_groups, dtype=np.int64)
    step = 1 << GROUP_BITS
    mask = _U64(HASH_MASK)
    for g0 in range(0, max(n_groups, 1), step):
        sel = (group >= g0) & (group < g0 + step) if n_groups > step else slice(None)
        key = np.sort((group[sel] - g0).astype(np.uint64) << _U64(HASH_BITS) | values[sel])
        if len(key):
            key = key[np.concatenate([[True], key[1:] != key[:-1]])]
            out.append(key & mask)
            counts[g0 : g0 + step] = np.bincount(
                (key >> _U64(HASH_BITS)).astype(np.int64), minlength=min(step, n_groups - g0)
            )
    vals = np.concatenate(out) if out else np.empty(0, dtype=np.uint64)
    return vals, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def shingle_hashes_many(
    texts: Sequence[str], n: int = NGRAM, block: int = 1 << 20, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_hashes`` of every text, in CSR layout ``(values, offsets)``: text ``i`` owns
    ``values[offsets[i]:offsets[i + 1]]``, in text order.

    Texts are hashed ~``block`` characters at a time: one numpy pass over their concatenation
    (n-grams that cross into the next text are hashed, then left out), bounded memory.
    """
    parts: list[np.ndarray] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    i = 0
    while i < len(texts):
        j, size = i, 0
        while j < len(texts) and (size == 0 or size + len(texts[j]) <= block):
            size += max(len(texts[j]), n)
            j += 1
        padded = [t if len(t) >= n or not t else t + "\0" * (n - len(t)) for t in texts[i:j]]
        lens = np.fromiter((len(t) for t in padded), dtype=np.int64, count=j - i)
        cp = _codepoints("".join(padded))
        if len(cp) >= n:
            h = _ngram_hash(cp, n)
            ok = np.ones(len(h), dtype=bool)
            ends = np.cumsum(lens)
            cross = (ends[:, None] - np.arange(1, n)[None, :]).ravel()
            ok[cross[(cross >= 0) & (cross < len(h))]] = False
            parts.append(h[ok])
            counts[i:j] = np.maximum(lens - n + 1, 0)
        if progress:
            progress("shingles", j, len(texts))
        i = j
    values = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
    return values, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def shingle_sets_many(
    texts: Sequence[str], n: int = NGRAM, block: int = 1 << 20, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_set`` of every text, in CSR layout ``(values, offsets)``."""
    pos, off = shingle_hashes_many(texts, n, block, progress)
    group = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(off))
    return unique_per_group(pos, group, len(texts))


# -- MinHash ------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def permutations(num_perm: int = NUM_PERM, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """``(a, b)`` of the hash permutations ``x -> (a * x + b) mod 2**64``, ``a`` odd.

    An affine map with odd ``a`` is a bijection of the 64-bit hash space, so each one is a
    true permutation of the (already well mixed) shingle hashes, and numpy computes it in two
    wrapping operations. The textbook ``mod (2**61 - 1)`` needs 128-bit products, which numpy
    lacks: done in uint64 it either overflows (as datasketch's does) or, kept exact with
    restricted ``a``, degenerates into a near-monotone map that ruins the estimate.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 63, size=num_perm, dtype=np.uint64) * _U64(2) + _U64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64) * _U64(2)
    return a, b


def _permuted(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    y = np.multiply(a[:, None], x[None, :])
    y += b[:, None]
    return y


def minhash(hashes: np.ndarray, num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """MinHash signature (uint64[num_perm]) of a set of shingle hashes; an empty set gives
    all ``EMPTY`` (2**64 - 1)."""
    a, b = permutations(num_perm, seed)
    if len(hashes) == 0:
        return np.full(num_perm, EMPTY, dtype=np.uint64)
    return _permuted(np.asarray(hashes, dtype=np.uint64), a, b).min(axis=1)


def minhash_many(
    values: np.ndarray,
    offsets: np.ndarray,
    num_perm: int = NUM_PERM,
    seed: int = SEED,
    block: int = 1 << 16,
    perm_chunk: int = 8,
    progress: Progress | None = None,
) -> np.ndarray:
    """MinHash signatures ``(n_plans, num_perm)`` of CSR shingle sets, equal to ``minhash``
    of each set. Works a block of ~``block`` shingles and ``perm_chunk`` permutations at a
    time so that the temporaries stay in cache."""
    a, b = permutations(num_perm, seed)
    n = len(offsets) - 1
    sig = np.full((n, num_perm), EMPTY, dtype=np.uint64)
    x = values
    nonempty = np.flatnonzero(np.diff(offsets) > 0)
    if len(nonempty) == 0:
        return sig
    starts = offsets[nonempty]
    # doc blocks: cut where the running shingle count passes multiples of `block`
    cuts = np.unique(np.searchsorted(starts, np.arange(0, len(x), block), side="left"))
    cuts = np.append(cuts[cuts < len(nonempty)], len(nonempty))
    for c0, c1 in zip(cuts[:-1], cuts[1:]):
        docs = nonempty[c0:c1]
        lo, hi = offsets[docs[0]], offsets[docs[-1] + 1]
        xs = x[lo:hi]
        rel = offsets[docs] - lo
        for p in range(0, num_perm, perm_chunk):
            y = _permuted(xs, a[p : p + perm_chunk], b[p : p + perm_chunk])
            sig[docs, p : p + perm_chunk] = np.minimum.reduceat(y, rel, axis=1).T
        if progress:
            progress("minhash", int(docs[-1]) + 1, n)
    return sig


def fingerprint(fold: str, n: int = NGRAM, num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """The MinHash signature of a plan's fold text (``fold_text(plan)``): what a library of
    past plans stores to find candidates later."""
    return minhash(shingle_set(fold, n), num_perm, seed)


def jaccard_estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))
