"""plantext report: the reviewer's side-by-side report (HTML) or its spreadsheet (XLSX)."""

from __future__ import annotations

__all__ = ["FORMATS", "FlagAt", "report"]

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..i18n import tr
from .app import Against, Boilerplate, Encoding, Errors, Force, Meta, MetaFromPath, Paths, Session, Stock, app

FORMATS = (".html", ".htm", ".pdf", ".xlsx")
FlagAt = Annotated[
    Optional[str], typer.Option("--flag-at", help="Copy-ratio thresholds of the verdict bands, e.g. 0.1,0.3,0.5.")
]


@app.command()
def report(
    paths: Paths,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="report.html (side by side), report.pdf (to print) or report.xlsx (tables)."
        ),
    ],
    against: Against = None,
    index: Annotated[
        Optional[Path], typer.Option("--index", help="A plan library (plantext index add) to check against.")
    ] = None,
    boilerplate: Boilerplate = None,
    stock: Stock = True,
    quotes: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--quotes", help="A file of well-known lines reported as quotation, not copy (besides the shipped list)."
        ),
    ] = None,
    flag_at: FlagAt = None,
    meta: Meta = None,
    meta_from_path: MetaFromPath = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Heading of the report.")] = None,
    targets: Annotated[
        bool, typer.Option("--targets/--no-targets", help="List the targets found in each plan (HTML).")
    ] = True,
    encoding: Encoding = None,
    errors: Errors = "strict",
    force: Force = False,
) -> None:
    """Check the submissions for copied text and write the reviewer's report (HTML, PDF or XLSX)."""
    from ..errors import PlantextError
    from ..report.findings import parse_thresholds
    from .check_cmds import read_quotes, run_check

    s = Session()
    ext = output.suffix.lower()
    if ext not in FORMATS:
        s.fail(tr("report.unknown_format", path=output, ext=ext or "''"))
    try:
        thresholds = parse_thresholds(flag_at)
    except PlantextError as e:
        s.fail(e)
    s.refuse_existing(output, force)
    if ext == ".pdf":  # no Chromium to print with: say so before the check, not after it
        from ..errors import OutputError
        from ..report.pdf import find_chromium

        if find_chromium() is None:
            s.fail(OutputError(key="report.pdf.no_renderer"))

    inputs, docs, refs, bp = run_check(
        s,
        paths,
        against,
        boilerplate,
        index,
        stock,
        encoding,
        errors,
        meta=meta,
        meta_from_path=meta_from_path,
        quotes=read_quotes(s, quotes),
    )
    plans = {p.id: p for p in [*bp, *refs, *inputs.plans]}
    try:
        if ext == ".xlsx":
            from ..report.xlsx import write_xlsx

            write_xlsx(output, docs, plans, force, thresholds=thresholds)
        else:
            from ..report.html import collect_targets, render_html

            found = collect_targets(inputs.plans) if targets else {}
            against_paths = against or ()
            if ext == ".pdf":
                from ..report.pdf import write_pdf

                write_pdf(output, docs, plans, found, force, title=title, against=against_paths, thresholds=thresholds)
            else:
                from ..report.files import write_text

                page = render_html(docs, plans, found, title=title, against=against_paths, thresholds=thresholds)
                write_text(output, page, force)
    except PlantextError as e:
        s.fail(e)
    copied = sum(1 for d in docs if any(p.kind == "copy" for p in d.passages))
    s.info(tr("report.written", path=output, n=len(docs), copied=copied))
    s.done()
