"""Splitting a source (often a template-site page holding many plans) into plans."""

from __future__ import annotations

from .clean import clean
from .model import Plan, Source


def split(source: Source) -> list[Plan]:
    """The plans in a source, in document order, with ids per DESIGN.md."""
    clean(source)
    text = source.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    line_end = text.find("\n", start)
    line_end = end if line_end < 0 else line_end
    title = text[start:line_end].strip()
    plan = Plan(id=source.path, source=source, plan=1, title=title, start=start, end=end,
                title_start=start, title_end=start + len(text[start:line_end].rstrip()))
    return _finish(source, [plan])


def _finish(source: Source, plans: list[Plan]) -> list[Plan]:
    for i, p in enumerate(plans, 1):
        p.plan = i
        p.id = source.path if len(plans) == 1 else f"{source.path}#{i}"
        p.noise = [s for s in source.noise if s.start < p.end and s.end > p.start]
        p.flags = sorted({s.kind for s in p.noise if s.kind in ("placeholder", "mojibake")} | set(p.flags))
    return plans
