"""plantext targets: quantitative targets as jsonl, csv, a terminal table or a spreadsheet."""

from __future__ import annotations

__all__ = ["targets"]

from typing import Annotated

import typer

from ..i18n import tr
from .app import (
    Encoding,
    Errors,
    Force,
    MaxSize,
    Meta,
    MetaFromPath,
    Output,
    Paths,
    Session,
    app,
    output_format,
    to_file_as,
)


@app.command()
def targets(
    paths: Paths,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl | csv | table (default: table on a terminal, else jsonl; with -o, from its extension)",
        ),
    ] = "",
    meta: Meta = None,
    meta_from_path: MetaFromPath = None,
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """Quantitative targets (学时, 人次, %, 万元 ...) with unit, comparator, frequency, subject,
    deadline and who is responsible; -o FILE.xlsx|.csv|.jsonl writes a spreadsheet."""
    from ..report.jsonout import dumps_lines
    from ..report.targets_table import sheets, staff_sheets, target_dict
    from ..targets import all_targets

    s = Session()
    fmt = output_format(s, format, output, ("jsonl", "csv", "table"), files=("xlsx", "csv", "jsonl"), fallback="jsonl")
    s.refuse_existing(output, force)
    inputs = s.read_with_meta(paths, meta, meta_from_path, encoding, errors)
    rows = [t for found in s.per_plan(inputs.plans, lambda p: all_targets([p]), "targets") for t in found]
    if fmt == "xlsx":  # the staff's workbook: titles, metadata, words, in the reader's language
        assert output is not None  # output_format gives xlsx only from -o's extension
        s.write_table(output, staff_sheets(rows, inputs.plans), force)
    elif to_file_as(output, "csv"):
        s.write_table(output, sheets(rows), force)
    elif fmt == "jsonl":
        s.emit(dumps_lines([target_dict(t) for t in rows]), output, force)
    elif fmt == "csv":
        from ..report.tables import csv_bytes

        s.emit(csv_bytes(sheets(rows)[0]).decode("utf-8"), output, force)
    else:
        from ..report.targets_table import COLUMNS, comparator_words, flag_meaning
        from .tables import print_table

        # for a person: headers, comparators and flags in words, in the reader's language
        # the DESIGN.md columns, less where each target stands (a terminal is narrow)
        where = ("source", "plan", "section", "sentence", "start", "end")
        cols = [c for c in COLUMNS if c not in where]
        words = {"comparator": comparator_words, "flags": lambda fs: "；".join(flag_meaning(f) or f for f in fs)}
        table = [
            [words[c](getattr(t, c)) if c in words else _number(d[c]) for c in cols]
            for t, d in zip(rows, map(target_dict, rows))
        ]
        print_table(
            [tr(f"targets.col.{c}") for c in cols],
            table,
            title=tr("cli.targets.title", rows=len(rows), plans=len(inputs.plans)),
            output=output,
            force=force,
            session=s,
        )
    s.done()


def _number(v: object) -> object:
    """Whole numbers without the .0 (2万 -> 20000, not 20000.0)."""
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v, 4)
    return v
