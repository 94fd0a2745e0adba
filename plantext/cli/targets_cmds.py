"""plantext targets: quantitative targets as jsonl, csv, a terminal table or a spreadsheet."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .app import Encoding, Errors, Force, Output, Paths, Session, app, stdout_is_terminal

_FORMATS = ("jsonl", "csv", "table")


@app.command()
def targets(
    paths: Paths,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl | csv | table (default: table on a terminal, else jsonl; with -o, from its extension)")] = "",
    encoding: Encoding = None,
    errors: Errors = "strict",
    output: Output = None,
    force: Force = False,
) -> None:
    """Quantitative targets (学时, 人次, %, 万元 ...) with unit, comparator, frequency, subject,
    deadline and who is responsible; -o FILE.xlsx|.csv|.jsonl writes a spreadsheet."""
    from ..report.files import OutputExists
    from ..report.jsonout import dumps_lines
    from ..targets import all_targets, sheets, target_dict

    s = Session()
    ext = os.path.splitext(str(output))[1].lower() if output is not None and str(output) != "-" else ""
    if ext and ext not in (".xlsx", ".csv", ".jsonl") and not format:
        s.fail(f"{output}: unknown output format {ext!r} (use .xlsx, .csv or .jsonl)")
    fmt = format or (ext[1:] if ext in (".xlsx", ".csv", ".jsonl") else ("table" if stdout_is_terminal() else "jsonl"))
    if fmt not in _FORMATS and not (fmt == "xlsx" and ext == ".xlsx"):
        s.fail(f"--format must be one of {', '.join(_FORMATS)}, not {fmt!r}")
    if ext in (".xlsx", ".csv", ".jsonl") and format and format != ext[1:]:
        s.fail(f"--format {format} does not match {output}")
    if output is not None and ext and output.exists() and not force:  # before the work
        s.fail(f"{output}: already exists (use --force to overwrite)")
    inputs = s.read(paths, encoding, errors)
    rows = []
    for p in inputs.plans:
        try:
            rows.extend(all_targets([p]))
        except Exception as e:  # one bad plan must not lose the batch
            s.error(f"{p.id}: targets failed: {type(e).__name__}: {e}")
    if ext in (".xlsx", ".csv"):
        from ..report.tables import write_table

        try:
            write_table(output, sheets(rows), force)
        except OutputExists as e:
            s.error(str(e))
    elif fmt == "jsonl":
        s.emit(dumps_lines([target_dict(t) for t in rows]), output, force)
    elif fmt == "csv":
        from ..report.tables import csv_bytes

        s.emit(csv_bytes(sheets(rows)[0]).decode("utf-8"), output, force)
    else:
        from .tables import print_table

        cols = ["id", "text", "value", "value_max", "unit", "comparator", "qualifier",
                "per", "subject", "deadline", "responsible", "flags"]
        table = [[_fmt(target_dict(t)[c]) for c in cols] for t in rows]
        print_table(cols, table, title=f"{len(rows)} targets in {len(inputs.plans)} plans",
                    output=output, force=force, session=s)
    s.done()


def _fmt(v):
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v, 4)
    if isinstance(v, list):
        return ", ".join(v)
    return v
