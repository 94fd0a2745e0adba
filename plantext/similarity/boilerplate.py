"""Boilerplate: text a plan shares with many others, which is not evidence of copying.

Three sources, each giving a mask over a submission's fold characters:

- stock phrases shipped as package data (``resources/stock_phrases.txt``: policy slogans and
  set sentences), matched on the seeding key so that synonym and number variants still hit;
- fingerprints whose document frequency in the reference set reaches ``min_sources``
  distinct sources (template pages repeat one plan under many titles, so sources, not plans);
- a boilerplate file or folder the user passes (aligned like a reference by
  :mod:`plantext.similarity.check`).
"""

from __future__ import annotations

__all__ = [
    "STOCK_ID",
    "MIN_SOURCES",
    "Phrase",
    "stock_text",
    "stock_phrases",
    "stock_hits",
    "min_sources_for",
    "Common",
    "common_sources",
    "common_text",
    "common_runs",
]

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Protocol, TypeVar

import numpy as np

from ..lexicons import loader
from .align import Doc, key_text

STOCK_ID = "plantext:stock_phrases.txt"
MIN_SOURCES = 5


@dataclass(frozen=True, slots=True)
class Phrase:
    key: str
    start: int  # offsets of the phrase in the stock-phrase file
    end: int


@loader
def stock_text() -> str:
    return resources.files("plantext.resources").joinpath("stock_phrases.txt").read_text("utf-8")


@loader
def stock_phrases() -> tuple[Phrase, ...]:
    from ..normalize import text_view

    out = []
    pos = 0
    for line in stock_text().splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and not body.lstrip().startswith("#"):
            key = key_text(text_view(body, "fold").text)[0]
            if len(key) >= 4:
                out.append(Phrase(key, pos, pos + len(body)))
        pos += len(line)
    # longest first, so that a longer set sentence wins over a slogan inside it
    return tuple(sorted(out, key=lambda p: -len(p.key)))


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


P = TypeVar("P", bound=_Keyed)


def stock_hits(doc: Doc) -> list[tuple[int, int, Phrase]]:
    """Fold spans of ``doc`` that are stock phrases, non-overlapping, in text order."""
    return phrase_hits(doc, stock_phrases())


def phrase_hits(doc: Doc, phrases: Iterable[P]) -> list[tuple[int, int, P]]:
    """Fold spans of ``doc`` where the ``key`` of one of ``phrases`` occurs, taken in the order
    given (longest first wins) and never overlapping one taken before, in text order."""
    taken = np.zeros(len(doc.key) + 1, dtype=bool)
    hits = []
    for ph in phrases:
        i = doc.key.find(ph.key)
        while i >= 0:
            j = i + len(ph.key)
            if not taken[i:j].any():
                taken[i:j] = True
                fs, fe = doc.fold_span(i, j)
                hits.append((fs, fe, ph))
            i = doc.key.find(ph.key, j)
    hits.sort(key=lambda h: h[0])
    return hits


def min_sources_for(n_sources: int) -> int:
    """Stock text is in a noticeable share of plans, not merely in a few: a template plan
    found on five sites is still a source to name when it is copied."""
    return max(MIN_SOURCES, -(-n_sources * 2 // 100))


@dataclass(slots=True)
class Common:
    """Text common to many sources of a reference set (all arrays sorted by hash)."""

    grams: np.ndarray  # n-gram hashes: not used as seeds
    clauses: np.ndarray  # whole-clause hashes: boilerplate wherever they appear
    example: np.ndarray  # per clause hash, the index of one plan that holds it

    @classmethod
    def empty(cls) -> Common:
        z = np.zeros(0, dtype=np.uint64)
        return cls(z, z, np.zeros(0, dtype=np.int64))


def _per_source_counts(docs: list[Doc], attr: str):
    by_source: dict[str, list[np.ndarray]] = {}
    for d in docs:
        v = getattr(d, attr)
        if v is not None and len(v):
            by_source.setdefault(d.source, []).append(v)
    if not by_source:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    # one entry per (hash, source), then count the sources of each hash
    return np.unique(np.concatenate([np.unique(np.concatenate(v)) for v in by_source.values()]), return_counts=True)


def _sources_per_hash(docs: list[Doc], postings: tuple[np.ndarray, np.ndarray, np.ndarray]):
    """``_per_source_counts(docs, "hashes")`` from sorted postings, when each source's plans
    stand together in ``docs`` (then a hash's plans, ascending, have their sources ascending
    too, and a source change within the run is a new source); (None, None) otherwise."""
    h, owner, starts = postings
    number: dict[str, int] = {}
    src_of = np.array([number.setdefault(d.source, len(number)) for d in docs], dtype=np.int32)
    if len(src_of) > 1 and (np.diff(src_of) < 0).any():
        return None, None
    if not len(h):
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    src = src_of[owner]
    new = np.ones(len(h), dtype=bool)
    new[1:] = src[1:] != src[:-1]
    new[starts] = True
    del src
    return h[starts], np.add.reduceat(new, starts, dtype=np.int64)


def common_sources(docs: list[Doc], min_sources: int | None = None) -> int | None:
    """The number of distinct sources that makes text common in ``docs`` (``min_sources``, by
    default :func:`min_sources_for`), or None when there are fewer sources than that."""
    n_sources = len({d.source for d in docs})
    k = min_sources if min_sources is not None else min_sources_for(n_sources)
    return None if n_sources < k else k


def common_text(
    docs: list[Doc],
    min_sources: int | None = None,
    postings: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    grams: np.ndarray | None = None,
) -> Common:
    """N-grams and clauses found in at least ``min_sources`` distinct sources of ``docs``
    (default :func:`min_sources_for`); sources, not plans, because a template page repeats one
    plan under many titles. ``postings``: each plan's distinct n-gram hashes, sorted, with
    their plans (ascending within a hash) and the start of each hash's run, when the caller
    made them: the sources are then counted on them, without a second sort; ``grams``: the
    common n-grams when the caller counted them (``build_index``, part by part)."""
    k = common_sources(docs, min_sources)
    if k is None:
        return Common.empty()
    if grams is None:
        u, c = _sources_per_hash(docs, postings) if postings is not None else (None, None)
        if u is None or c is None:
            u, c = _per_source_counts(docs, "hashes")
        grams = u[c >= k]
    u, c = _per_source_counts(docs, "clauses")
    clauses = u[(c >= k) & (u != 0)]
    example = np.full(len(clauses), -1, dtype=np.int64)
    for i, d in enumerate(docs):
        if d.clauses is None or not len(clauses):
            continue
        pos = np.searchsorted(clauses, d.clauses)
        pos = np.minimum(pos, len(clauses) - 1)
        hit = (clauses[pos] == d.clauses) & (example[pos] < 0)
        example[pos[hit]] = i
        if (example >= 0).all():
            break
    return Common(grams, clauses, example)


def common_runs(doc: Doc, common: Common) -> list[tuple[int, int]]:
    """Runs of consecutive common clauses of ``doc`` as ranges of clause numbers."""
    if not len(common.clauses) or doc.clauses is None or not len(doc.clauses):
        return []
    hit = np.isin(doc.clauses, common.clauses)
    runs, c = [], 0
    while c < len(hit):
        if hit[c]:
            e = c
            while e + 1 < len(hit) and hit[e + 1]:
                e += 1
            runs.append((c, e + 1))
            c = e + 1
        else:
            c += 1
    return runs
