"""Cleaning: recognise web chrome, page residue, placeholders and mojibake as spans over the
source (never editing it) and set quality flags. Views built later leave out the spans marked
``drop``; offsets still index the untouched source."""

from __future__ import annotations

import re

from .model import Source, Span

PLACEHOLDER_RE = re.compile(r"(?:20|19)[xX×＊*]{2}|[xX]{2,}|□+|\^v\^|\*{3,}|＊{3,}|_{3,}")


def clean(source: Source) -> Source:
    """Fill ``source.noise`` and ``source.flags``; idempotent."""
    if source.cleaned:
        return source
    text = source.text
    noise = [Span(m.start(), m.end(), "placeholder", drop=False) for m in PLACEHOLDER_RE.finditer(text)]
    noise += [Span(m.start(), m.end(), "mojibake", drop=False) for m in re.finditer("\ufffd+", text)]
    noise.sort(key=lambda s: (s.start, s.end))
    source.noise = noise
    flags = {s.kind for s in noise}
    source.flags = sorted(flags)
    source.cleaned = True
    return source
