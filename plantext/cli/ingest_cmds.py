"""plantext text / split."""

from __future__ import annotations

__all__ = ["text", "split"]

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..i18n import tr
from ..report.jsonout import dumps
from .app import Encoding, Errors, File, Force, MaxSize, Output, Paths, Session, app, output_format, stdout_is_terminal

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Plan, Span


@app.command()
def text(
    path: File,
    encoding: Encoding = None,
    errors: Errors = "strict",
    output: Output = None,
    force: Force = False,
    max_size: MaxSize = None,
) -> None:
    """Print the decoded source text: exactly what every offset indexes."""
    from ..ingest import IngestError, load

    s = Session()
    try:
        src = load(path, encoding=encoding, errors=errors, max_size=s.max_size())
    except IngestError as e:
        s.fail(e)
    text = src.text
    if (output is None or str(output) == "-") and stdout_is_terminal():
        from ..names import printable

        text = printable(text.replace("\r\n", "\n"), keep="\n\t")  # no raw escape sequences on a terminal
    s.emit(text, output, force)
    s.done()


@app.command()
def split(
    paths: Paths,
    format: Annotated[str, typer.Option("--format", "-f", help="json | table")] = "",
    noise: Annotated[
        bool,
        typer.Option(
            "--noise",
            help="show what cleaning found: chrome, page "
            "residue, placeholders, mojibake (json: a noise list per plan; "
            "table: one row per span instead of one per plan)",
        ),
    ] = False,
    encoding: Encoding = None,
    errors: Errors = "strict",
    output: Output = None,
    force: Force = False,
    max_size: MaxSize = None,
) -> None:
    """Split inputs (template-site pages hold many plans) into plans with titles and spans."""
    s = Session()
    fmt = output_format(s, format, output, ("json", "table"))
    inputs = s.read(paths, encoding, errors)
    if fmt == "json":
        rows = [_plan_row(p, noise) for p in inputs.plans]
        s.emit(dumps(rows), output, force)
    elif noise:
        from .tables import print_table

        span_rows: list[list[object]] = []
        for src in inputs.sources:
            plans = [p for p in inputs.plans if p.source is src]
            for n in src.noise:
                inside = next((p.plan for p in plans if p.start <= n.start < p.end), "")
                span_rows.append(
                    [
                        src.path,
                        inside,
                        n.kind,
                        n.detail,
                        n.start,
                        n.end,
                        tr("table.drop") if n.drop else tr("table.keep"),
                        _excerpt(src.text[n.start : n.end]),
                    ]
                )
        print_table(
            ["source", "plan", "kind", "rule", "start", "end", "view", "text"],
            span_rows,
            title=tr("table.split_noise", spans=len(span_rows), files=len(inputs.sources)),
            output=output,
            force=force,
            session=s,
        )
    else:
        from .tables import print_table

        print_table(
            ["id", "title", "start", "end", "chars", "flags"],
            [[p.id, p.title, p.start, p.end, p.chars, ", ".join(p.flags)] for p in inputs.plans],
            title=tr("table.split", plans=len(inputs.plans), files=len(inputs.sources)),
            output=output,
            force=force,
            session=s,
        )
    s.done()


def _plan_row(p: Plan, noise: bool) -> dict[str, Any]:
    d = p.to_dict()
    row = {k: d[k] for k in ("id", "source", "plan", "title", "start", "end")} | {"chars": p.chars, "flags": d["flags"]}
    return row | {"noise": [_span(n) for n in p.noise]} if noise else row


def _span(n: Span) -> dict[str, Any]:
    return {"start": n.start, "end": n.end, "kind": n.kind, "detail": n.detail, "drop": n.drop}


def _excerpt(text: str, width: int = 30) -> str:
    """One line: newlines shown as ⏎, long spans cut in the middle."""
    t = text.replace("\r", "").replace("\n", "⏎")
    return t if len(t) <= width else t[: width - 11] + " … " + t[-8:]
