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

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from .align import Doc, key_text

STOCK_ID = "plantext:stock_phrases.txt"
MIN_SOURCES = 5


@dataclass(frozen=True, slots=True)
class Phrase:
    key: str
    start: int  # offsets of the phrase in the stock-phrase file
    end: int


@lru_cache(maxsize=1)
def stock_text() -> str:
    return resources.files("plantext.resources").joinpath("stock_phrases.txt").read_text("utf-8")


@lru_cache(maxsize=1)
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


def stock_hits(doc: Doc) -> list[tuple[int, int, Phrase]]:
    """Fold spans of ``doc`` that are stock phrases, non-overlapping, in text order."""
    taken = np.zeros(len(doc.key) + 1, dtype=bool)
    hits = []
    for ph in stock_phrases():
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


def common_hashes(docs: list[Doc], min_sources: int = MIN_SOURCES) -> np.ndarray:
    """Sorted n-gram hashes found in at least ``min_sources`` distinct sources of ``docs``."""
    if len({d.source for d in docs}) < min_sources:
        return np.zeros(0, dtype=np.uint64)
    by_source: dict[str, list[np.ndarray]] = {}
    for d in docs:
        by_source.setdefault(d.source, []).append(d.hashes)
    # one entry per (hash, source), then count sources per hash
    h = np.concatenate([np.unique(np.concatenate(hs)) for hs in by_source.values()])
    u, counts = np.unique(h, return_counts=True)
    return u[counts >= min_sources]


def common_mask(doc: Doc, common: np.ndarray, ngram: int) -> np.ndarray:
    """Boolean mask over ``doc.fold``: characters inside an n-gram of ``common``."""
    mask = np.zeros(len(doc.fold), dtype=bool)
    if not len(common) or not len(doc.hashes):
        return mask
    hit = np.nonzero(np.isin(doc.hashes, common))[0]
    if not len(hit):
        return mask
    # key chars covered by the hit n-grams, then their fold spans
    kcov = np.zeros(len(doc.key) + 1, dtype=np.int64)
    np.add.at(kcov, hit, 1)
    np.add.at(kcov, np.minimum(hit + ngram, len(doc.key)), -1)
    kidx = np.nonzero(np.cumsum(kcov)[:len(doc.key)] > 0)[0]
    for s, e in zip(doc.kstart[kidx].tolist(), doc.kend[kidx].tolist()):
        mask[s:e] = True
    return mask
