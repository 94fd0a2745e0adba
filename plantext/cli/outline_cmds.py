"""plantext outline / segment."""

from __future__ import annotations

__all__ = ["outline", "segment"]

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from .app import Encoding, Errors, File, Force, MaxSize, Output, Paths, Session, app, output_format

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Plan, Section


def _heading(n: Section) -> str:
    """Marker and title, once when the marker is the title (二月份：)."""
    return n.marker if n.marker.rstrip("：:、.． ") == n.title else f"{n.marker} {n.title}"


def _tree(plans: Sequence[Plan], trees: dict[str, list[Section]]) -> str:
    lines: list[str] = []
    for p in plans:
        lines.append(f"{p.id}  {p.title}")
        for n in trees[p.id]:
            kind = f"  [{n.kind}]" if n.kind else ""
            lines.append(f"{'  ' * n.depth}{_heading(n)}{kind}  {n.start}-{n.end}")
        lines.append("")
    return "\n".join(lines)


def _md(plans: Sequence[Plan], trees: dict[str, list[Section]]) -> str:
    out: list[str] = []
    for p in plans:
        out.append(f"# {p.title or p.id}\n")
        out.append(f"`{p.id}`\n")
        for n in trees[p.id]:
            kind = f" *({n.kind})*" if n.kind else ""
            if n.depth <= 5:
                out.append(f"{'#' * (n.depth + 1)} {_heading(n)}{kind}\n")
            else:
                out.append(f"{'  ' * (n.depth - 6)}- {_heading(n)}{kind}")
        out.append("")
    return "\n".join(out)


@app.command()
def outline(
    paths: Paths,
    format: Annotated[str, typer.Option("--format", "-f", help="json | tree | md")] = "",
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """The heading outline of each plan: depth, marker, ordinal, title, section kind, span."""
    from ..outline import outline as outline_of
    from ..outline import to_rows
    from ..report.jsonout import dumps

    s = Session()
    fmt = output_format(s, format, output, ("json", "tree", "md"), terminal="tree")
    inputs = s.read(paths, encoding, errors)
    trees = dict(zip([p.id for p in inputs.plans], s.per_plan(inputs.plans, outline_of, "outline")))
    if fmt == "json":
        s.emit(dumps(to_rows(inputs.plans, trees)), output, force)
    elif fmt == "tree":
        s.emit(_tree(inputs.plans, trees), output, force)
    else:
        s.emit(_md(inputs.plans, trees), output, force)
    s.done()


@app.command()
def segment(
    path: File,
    format: Annotated[
        str, typer.Option("--format", "-f", help="text (words separated by spaces) | jsonl (sentences with offsets)")
    ] = "text",
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """Words (text) or sentences with source offsets (jsonl) of each plan in FILE."""
    from .. import segment as seg
    from ..report.jsonout import dumps_lines

    s = Session()
    output_format(s, format, output, ("text", "jsonl"))
    inputs = s.read([path], encoding, errors)
    if format == "text":
        out = []
        for p in inputs.plans:  # normalised words, one line per sentence
            toks, i = seg.words(p), 0
            for sent in seg.sentences(p):
                while i < len(toks) and toks[i].start < sent.start:
                    i += 1
                line = []
                while i < len(toks) and toks[i].start < sent.end:
                    line.append(toks[i].text)
                    i += 1
                out.append(" ".join(line))
        s.emit("\n".join(out), output, force)
    else:
        rows = [
            {"id": p.id, "plan": p.plan, "start": x.start, "end": x.end, "text": x.text}
            for p in inputs.plans
            for x in seg.sentences(p)
        ]
        s.emit(dumps_lines(rows), output, force)
    s.done()
