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

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

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
_PLACEHOLDER_RE = re.compile(r"(?<!\d)(?:(?:19|20)\d\d){1,2}(?=学?年|年度|级|届)|20xx|x{2,}")
PLACEHOLDER = "#"


def fold_placeholders(fold: str) -> str:
    return _PLACEHOLDER_RE.sub(PLACEHOLDER, fold)


def fold_string(text: str) -> str:
    """``plantext.normalize`` fold of ``text`` without building the offset map.

    Similarity needs only the folded string, and building it directly is about ten times
    faster than the :class:`View` machinery. It uses normalize's own tables and falls back to
    the view when a shortcut could differ; the tests assert it equals ``plan.view("fold").text``.
    """
    from ..normalize import _FOLD_DROP_RE, View, _t2s, fold, normalize

    if _COMBINING_RE.search(text):  # NFKC of the whole text could compose across characters
        return fold(normalize(View.identity(text))).text
    # Punctuation that folding drops anyway becomes a line break first: it still separates
    # the runs OpenCC converts, and the text left for NFKC is mostly already normal (fast).
    text = _drop_re().sub("\n", text)
    t = unicodedata.normalize("NFKC", text)
    s = _t2s().convert(t)
    if len(s) != len(t) or len(t) != len(text):
        # a phrase or a compatibility character changed length: go the per-character way
        return fold(normalize(View.identity(text))).text
    s = s.replace("\n", "")
    if _FOLD_DROP_RE.search(s):  # what NFKC turned into punctuation (⑴ -> (1))
        s = _FOLD_DROP_RE.sub("", s)
    return _UPPER_RE.sub(lambda m: m.group().lower(), s)


# Combining marks and conjoining jamo, the only places where NFKC of a whole text differs
# from NFKC character by character (what normalize does, to keep offsets).
_COMBINING_RE = re.compile("[\u0300-\u036f\u1100-\u11ff\u1dc0-\u1dff\u20d0-\u20ff\u302a-\u302f"
                           "\u3099-\u309c\ufe20-\ufe2f\uff9e\uff9f]")
_UPPER_RE = re.compile("[A-Z]+")


@lru_cache(maxsize=1)
def _drop_re() -> re.Pattern:
    """Characters that fold drops whatever NFKC makes of them (punctuation, spaces, symbols)."""
    from ..normalize import _FOLD_DROP_RE

    keep_out = _FOLD_DROP_RE.fullmatch
    chars = [chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000 and keep_out(chr(c))
             and (lambda n: n == "" or keep_out(n))(unicodedata.normalize("NFKC", chr(c)))]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]+")


def fold_text(plan) -> str:
    """The text fingerprints are taken of: the plan's fold view, placeholders folded.

    Reuses the plan's cached fold view when another stage built it already.
    """
    v = plan._views.get("fold")
    text = v.text if v is not None else fold_string(plan.view("clean").text)
    return fold_placeholders(text)


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
        h += cp[k:k + m] * mul[k]
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
            counts[g0:g0 + step] = np.bincount((key >> _U64(HASH_BITS)).astype(np.int64),
                                               minlength=min(step, n_groups - g0))
    vals = np.concatenate(out) if out else np.empty(0, dtype=np.uint64)
    return vals, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def shingle_sets_many(texts: Sequence[str], n: int = NGRAM, block: int = 1 << 22,
                      progress: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_set`` of every text, in CSR layout ``(values, offsets)``: text ``i`` owns
    ``values[offsets[i]:offsets[i + 1]]``.

    Texts are hashed ~``block`` characters at a time (one numpy pass per block, bounded
    temporary memory) and deduplicated with :func:`unique_per_group`.
    """
    parts: list[tuple[np.ndarray, np.ndarray]] = []
    i = 0
    while i < len(texts):
        j, size = i, 0
        while j < len(texts) and j - i < (1 << GROUP_BITS) and (size == 0 or size + len(texts[j]) <= block):
            size += max(len(texts[j]), n)
            j += 1
        padded = [t if len(t) >= n or not t else t + "\0" * (n - len(t)) for t in texts[i:j]]
        lens = np.fromiter((len(t) for t in padded), dtype=np.int64, count=j - i)
        cp = _codepoints("".join(padded))
        if len(cp) >= n:
            # n-grams crossing into the next text are hashed too, then left out
            h = _ngram_hash(cp, n)
            ends = np.cumsum(lens)
            local = np.repeat(np.arange(j - i), lens)[:len(h)]
            ok = np.arange(len(h)) <= (ends - n)[local]
            parts.append(unique_per_group(h[ok], local[ok], j - i))
        else:
            parts.append((np.empty(0, dtype=np.uint64), np.zeros(j - i + 1, dtype=np.int64)))
        if progress:
            progress("shingles", j, len(texts))
        i = j
    if not parts:
        return np.empty(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    values = np.concatenate([v for v, _ in parts])
    counts = np.concatenate([np.diff(o) for _, o in parts])
    return values, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


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


def minhash_many(values: np.ndarray, offsets: np.ndarray, num_perm: int = NUM_PERM, seed: int = SEED,
                 block: int = 1 << 16, perm_chunk: int = 8, progress: Progress | None = None) -> np.ndarray:
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
            y = _permuted(xs, a[p:p + perm_chunk], b[p:p + perm_chunk])
            sig[docs, p:p + perm_chunk] = np.minimum.reduceat(y, rel, axis=1).T
        if progress:
            progress("minhash", int(docs[-1]) + 1, n)
    return sig


def fingerprint(fold: str, n: int = NGRAM, num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """The MinHash signature of a plan's fold text (``fold_text(plan)``): what a library of
    past plans stores to find candidates later."""
    return minhash(shingle_set(fold, n), num_perm, seed)


def jaccard_estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))
