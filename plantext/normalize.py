"""Normalised views of source text that keep an offset map back to the source.

A :class:`View` is a string built from a base string by a list of edits (replace
``base[s:e]`` with ``repl``).  The map is stored per *segment* (a run copied unchanged, or one
edit), not per character, so building a view costs time in the number of edits, and mapping
an offset is one bisect.  Views stack: a view of a view maps through its parent to the source.

Modes used across plantext (see :func:`plan_view`):

``clean``  noise spans that cleaning marked ``drop`` (web chrome, page residue) left out;
``norm``   ``clean`` + NFKC + canonical (full-width) punctuation + traditional->simplified;
           what outline, targets and segmentation read;
``fold``   ``norm`` without whitespace and punctuation, lower-cased; what similarity compares.
"""

from __future__ import annotations

__all__ = [
    "Edit",
    "View",
    "merge_edits",
    "apply_edits",
    "nfkc_edits",
    "punct_edits",
    "t2s_edits",
    "is_traditional",
    "fold_edits",
    "normalize",
    "fold",
    "text_view",
    "plan_view",
    "known_view",
    "remember_view",
    "cached_plan_view",
]

import re
import unicodedata
import weakref
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import UsageError
from .lexicons import loader

Edit = tuple[int, int, str]


class View:
    """``text`` derived from a base string, with offsets back to the source."""

    __slots__ = ("text", "parent", "_vstart", "_bstart", "_vlen", "_blen", "offset")

    def __init__(self, text: str, parent: View | None, vstart, bstart, vlen, blen, offset=0):
        self.text = text
        self.parent = parent
        self._vstart = vstart
        self._bstart = bstart
        self._vlen = vlen
        self._blen = blen
        self.offset = offset  # added to base offsets when there is no parent

    # -- construction -------------------------------------------------------------------
    @classmethod
    def identity(cls, text: str, offset: int = 0) -> View:
        return cls(text, None, [0], [0], [len(text)], [len(text)], offset)

    @classmethod
    def slice(cls, text: str, start: int, end: int, drop: Iterable[tuple[int, int]] = ()) -> View:
        """``text[start:end]`` without the ``drop`` spans, mapped to offsets into ``text``."""
        edits = [(max(s, start) - start, min(e, end) - start, "") for s, e in drop if e > start and s < end]
        return apply_edits(text[start:end], merge_edits(edits), offset=start)

    # -- mapping -------------------------------------------------------------------------
    def _base_start(self, p: int) -> int:
        i = bisect_right(self._vstart, p) - 1
        if i < 0:
            return 0
        vs, bs, vl, bl = self._vstart[i], self._bstart[i], self._vlen[i], self._blen[i]
        if vl == bl:
            return bs + min(p - vs, vl)
        return bs if p < vs + vl else bs + bl

    def _base_end(self, e: int) -> int:
        if e <= 0:
            return self._base_start(0)
        i = bisect_right(self._vstart, e - 1) - 1
        vs, bs, vl, bl = self._vstart[i], self._bstart[i], self._vlen[i], self._blen[i]
        if vl == bl:
            return bs + (e - vs)
        return bs + bl

    def src(self, p: int) -> int:
        """Source offset of the view character at ``p`` (``len(text)`` maps to the end)."""
        b = self._base_start(p)
        return self.parent.src(b) if self.parent is not None else b + self.offset

    def src_end(self, e: int) -> int:
        """Source offset just past the view character at ``e - 1`` (exclusive end)."""
        b = self._base_end(e)
        return self.parent.src_end(b) if self.parent is not None else b + self.offset

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span of the view span ``[start, end)``."""
        if end <= start:
            s = self.src(start)
            return s, s
        return self.src(start), self.src_end(end)

    def derive(self, edits: Sequence[Edit]) -> View:
        """A view of this view's text with ``edits`` applied."""
        if not edits:
            return self
        v = apply_edits(self.text, edits)
        v.parent = self
        return v

    def offsets(self):
        """Per-character source offsets as two int64 numpy arrays ``(starts, ends)``:
        view char ``i`` comes from ``source[starts[i]:ends[i]]``. Vectorised, so a view can
        be stored (e.g. in the plan library) and rebuilt with :meth:`from_offsets`."""
        import numpy as np

        vl = np.asarray(self._vlen, dtype=np.int64)
        bl = np.asarray(self._blen, dtype=np.int64)
        bs = np.asarray(self._bstart, dtype=np.int64)
        n = len(self.text)
        seg = np.repeat(np.arange(len(vl)), vl)  # segment of each view char
        within = np.arange(n, dtype=np.int64) - np.repeat(np.asarray(self._vstart, dtype=np.int64), vl)
        ident = (vl == bl)[seg]
        starts = np.where(ident, bs[seg] + within, bs[seg])
        ends = np.where(ident, starts + 1, (bs + bl)[seg])
        if self.parent is None:
            return starts + self.offset, ends + self.offset
        ps, pe = self.parent.offsets()
        # a base range [s, e) maps to the parent's [ps[s], pe[e-1])
        if len(ps) == 0:
            return starts, ends
        return ps[np.minimum(starts, len(ps) - 1)], pe[np.clip(ends - 1, 0, len(pe) - 1)]

    @classmethod
    def from_offsets(cls, text: str, starts, ends) -> View:
        """Rebuild a parentless view from :meth:`offsets` (one segment per character)."""
        n = len(text)
        return _ArrayView(text, list(map(int, starts[:n])), list(map(int, ends[:n])))

    def same_length(self, text: str) -> View:
        """A view of this one whose text was replaced character for character."""
        return View(text, self, [0], [0], [len(text)], [len(text)])

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:  # pragma: no cover
        return f"View({self.text[:30]!r}..., {len(self.text)} chars)"


class _ArrayView(View):
    """A view whose map is stored per character (rebuilt from :meth:`View.offsets`)."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, text: str, starts: list[int], ends: list[int]):
        super().__init__(text, None, [], [], [], [], 0)
        self._starts, self._ends = starts, ends

    def src(self, p: int) -> int:
        if p < len(self._starts):
            return self._starts[p]
        return self._ends[-1] if self._ends else 0

    def src_end(self, e: int) -> int:
        if e <= 0:
            return self.src(0)
        return self._ends[e - 1]

    def offsets(self):
        import numpy as np

        return np.asarray(self._starts, dtype=np.int64), np.asarray(self._ends, dtype=np.int64)


def merge_edits(edits: list[Edit]) -> list[Edit]:
    """Sort edits and merge overlapping deletions; later overlapping edits are dropped."""
    out: list[Edit] = []
    for s, e, r in sorted(edits, key=lambda x: (x[0], x[1])):
        if out and s < out[-1][1]:
            ps, pe, pr = out[-1]
            if pr == "" and r == "":
                out[-1] = (ps, max(pe, e), "")
            continue
        out.append((s, e, r))
    return out


def apply_edits(base: str, edits: Sequence[Edit], offset: int = 0) -> View:
    """Build a view; ``edits`` sorted and non-overlapping.

    Runs that keep their length (copied text, and 1:1 replacements such as t2s or width)
    map character by character, so consecutive ones share one segment: a traditional-script
    plan with thousands of changed characters still has only as many segments as it has
    insertions and deletions.
    """
    pieces: list[str] = []
    vstart: list[int] = []
    bstart: list[int] = []
    vlen: list[int] = []
    blen: list[int] = []
    v = b = 0

    def seg(vs: int, bs: int, vl: int, bl: int) -> None:
        if vl == bl and vlen and vlen[-1] == blen[-1]:
            vlen[-1] += vl
            blen[-1] += bl
        else:
            vstart.append(vs)
            bstart.append(bs)
            vlen.append(vl)
            blen.append(bl)

    for s, e, r in edits:
        if s > b:
            pieces.append(base[b:s])
            seg(v, b, s - b, s - b)
            v += s - b
        pieces.append(r)
        seg(v, s, len(r), e - s)
        v += len(r)
        b = e
    if b < len(base) or not vstart:
        pieces.append(base[b:])
        seg(v, b, len(base) - b, len(base) - b)
    return View("".join(pieces), None, vstart, bstart, vlen, blen, offset)


# -- normalisers: each returns edits over its input ---------------------------------------


@loader
def _nfkc_re() -> re.Pattern:
    # Characters whose NFKC form differs (full-width forms, circled numbers, compatibility
    # ideographs ...). Built once, lazily: a class of ranges over the BMP.
    chars = [
        chr(c)
        for c in range(0x80, 0x10000)
        if not 0xD800 <= c < 0xE000 and unicodedata.normalize("NFKC", chr(c)) != chr(c)
    ]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def nfkc_edits(text: str) -> list[Edit]:
    norm = unicodedata.normalize
    return [(m.start(), m.end(), norm("NFKC", m.group())) for m in _nfkc_re().finditer(text)]


# After NFKC, full-width punctuation has become ASCII; Chinese text writes it full width.
# ':' and ',' between digits (12:30, 1,000) and '.' are left alone.
_PUNCT = {
    ",": "，",
    ";": "；",
    "?": "？",
    "!": "！",
    "(": "（",
    ")": "）",
    ":": "：",
    "﹐": "，",
    "､": "、",
    "｡": "。",
    "~": "～",
    "〜": "～",
    "－": "-",
    "―": "—",
    "─": "—",
    "–": "—",
    "‐": "-",
}
_PUNCT_RE = re.compile(r"(?<!\d)[,:](?!\d)|[;?!()﹐､｡~〜－―─–‐]")


def punct_edits(text: str) -> list[Edit]:
    return [(m.start(), m.end(), _PUNCT[m.group()]) for m in _PUNCT_RE.finditer(text)]


@loader
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


_HAN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def t2s_edits(text: str) -> list[Edit]:
    """Traditional -> simplified (OpenCC ``t2s``), as per-character edits.

    OpenCC converts phrases; when a run changes length (rare for t2s) it is converted char by
    char so that every character keeps its own offset.
    """
    conv = _t2s().convert
    whole = conv(text)
    if len(whole) == len(text):  # the common case: one call, then compare code points
        import numpy as np

        a = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
        b = np.frombuffer(whole.encode("utf-32-le"), dtype="<u4")
        return [(i, i + 1, whole[i]) for i in np.flatnonzero(a != b).tolist()]
    edits: list[Edit] = []
    for m in _HAN_RE.finditer(text):
        run = m.group()
        out = conv(run)
        if len(out) != len(run):
            out = "".join(conv(c) if len(conv(c)) == 1 else c for c in run)
        if out != run:
            base = m.start()
            edits.extend((base + i, base + i + 1, o) for i, (c, o) in enumerate(zip(run, out)) if c != o)
    return edits


def is_traditional(text: str, sample: int = 20000) -> bool:
    """True when a noticeable share of the Han characters change under t2s."""
    han = "".join(_HAN_RE.findall(text[:sample]))
    if len(han) < 20:
        return False
    changed = sum(1 for a, b in zip(han, _t2s().convert(han)) if a != b)
    return changed / len(han) > 0.04


_FOLD_DROP_RE = re.compile(r"[\s\u3000\W_]+", re.UNICODE)


def fold_edits(text: str) -> list[Edit]:
    """Drop whitespace and punctuation (anything not a letter or digit)."""
    return [(m.start(), m.end(), "") for m in _FOLD_DROP_RE.finditer(text)]


def normalize(view: View, *, t2s: bool = True) -> View:
    """NFKC, canonical punctuation and (optionally) simplified script, as a derived view."""
    v = view.derive(nfkc_edits(view.text))
    v = v.derive(punct_edits(v.text))
    if t2s:
        whole = _t2s().convert(v.text)
        if len(whole) == len(v.text):  # one character for one: the map is the identity
            return v if whole == v.text else v.same_length(whole)
        v = v.derive(t2s_edits(v.text))
    return v


def fold(view: View) -> View:
    v = view.derive(fold_edits(view.text))
    low = [(i, i + 1, c.lower()) for i, c in enumerate(v.text) if "A" <= c <= "Z"]
    return v.derive(low)


def text_view(
    text: str, mode: str = "norm", drop: Iterable[tuple[int, int]] = (), start: int = 0, end: int | None = None
) -> View:
    """A view of ``text[start:end]`` in ``mode`` (clean | norm | fold)."""
    v = View.slice(text, start, len(text) if end is None else end, drop)
    if mode == "clean":
        return v
    v = normalize(v)
    if mode == "norm":
        return v
    if mode == "fold":
        return fold(v)
    raise UsageError(key="cmd.view_mode", mode=mode)


def plan_view(plan, mode: str = "norm") -> View:
    drop = [(s.start, s.end) for s in plan.noise if s.drop]
    if mode == "fold":
        return fold(plan.view("norm"))
    if mode == "norm":
        return normalize(plan.view("clean"))
    return text_view(plan.source.text, mode, drop, plan.start, plan.end)


# -- views of plans, kept beside the records ---------------------------------------------------------
# A plan's views are costly (NFKC, t2s, offset maps) and read by every stage, so they are built
# once per plan and mode. They are kept here, not in the Plan record (a pickled plan stays small,
# a record stays plain data): a weak mapping per plan object, so views go when their plan goes,
# each checked against what it was built from (a plan moved to other offsets or noise gets new ones).

_PLAN_VIEWS: weakref.WeakKeyDictionary[Any, dict[str, tuple[tuple[Any, ...], View]]] = weakref.WeakKeyDictionary()


def _view_key(plan: Any) -> tuple[Any, ...]:
    return (id(plan.source), plan.start, plan.end, len(plan.noise))


def known_view(plan: Any, mode: str) -> View | None:
    """The view of ``plan`` in ``mode`` if one was built (or stored) already, else None."""
    got = _PLAN_VIEWS.get(plan, {}).get(mode)
    return got[1] if got is not None and got[0] == _view_key(plan) else None


def remember_view(plan: Any, mode: str, view: View) -> None:
    """Keep ``view`` as the plan's view in ``mode`` (a library restores stored fold views)."""
    _PLAN_VIEWS.setdefault(plan, {})[mode] = (_view_key(plan), view)


def cached_plan_view(plan: Any, mode: str = "norm") -> View:
    """:func:`plan_view`, built once per plan and mode while the plan lives."""
    v = known_view(plan, mode)
    if v is None:
        v = plan_view(plan, mode)
        remember_view(plan, mode, v)
    return v
