"""plantext report: the reviewer's side-by-side report (HTML) or its spreadsheet (XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import Encoding, Errors, Force, Paths, Session, app

FORMATS = (".html", ".htm", ".xlsx")


@app.command()
def report(
    paths: Paths,
    output: Annotated[Path, typer.Option("-o", "--output", help="report.html (side by side) or report.xlsx (tables).")],
    against: Annotated[Optional[list[str]], typer.Option("--against", help="Reference files or folders (template pages, past plans); without it the submissions are checked against each other.")] = None,
    boilerplate: Annotated[Optional[list[str]], typer.Option("--boilerplate", help="Files or folders of text that is boilerplate wherever it appears (never counted as copied).")] = None,
    stock: Annotated[bool, typer.Option("--stock/--no-stock", help="Treat the shipped stock phrases (policy slogans, set sentences) as boilerplate.")] = True,
    title: Annotated[Optional[str], typer.Option("--title", help="Heading of the HTML report.")] = None,
    targets: Annotated[bool, typer.Option("--targets/--no-targets", help="List the targets found in each plan (HTML).")] = True,
    encoding: Encoding = None,
    errors: Errors = "strict",
    force: Force = False,
) -> None:
    """Check SUBMISSIONs for copied text and write the reviewer's report."""
    from ..report.files import OutputExists, check_writable

    s = Session()
    ext = output.suffix.lower()
    if ext not in FORMATS:
        s.fail(f"{output}: unknown report format {ext or '(none)'!r} (use .html or .xlsx)")
    try:  # refuse before the long work, not after it
        check_writable(output, force)
    except OutputExists as e:
        s.fail(str(e))
    inputs = s.read(paths, encoding, errors)
    refs = s.read(against, encoding, errors).plans if against else []
    if not inputs.plans:
        s.fail("no plans to report on")
    if against and not refs:
        s.fail("no reference plans could be read from --against")
    bp = s.read(boilerplate, encoding, errors).plans if boilerplate else []
    from ..similarity.check import check
    from .progress import progress

    try:
        with progress("checking for copied text", total=len(inputs.plans)) as advance:
            docs = check(inputs.plans, refs or None, bp or None, stock=stock,
                         progress=lambda done, total: advance())
    except Exception as e:  # a bug must still end in one line and a non-zero exit
        s.fail(f"check failed: {type(e).__name__}: {e}")
    plans = {p.id: p for p in [*bp, *refs, *inputs.plans]}
    try:
        if ext == ".xlsx":
            from ..report.xlsx import write_xlsx

            write_xlsx(output, docs, plans, force)
        else:
            from ..report.files import write_text
            from ..report.html import collect_targets, render_html

            found = collect_targets(inputs.plans) if targets else {}
            write_text(output, render_html(docs, plans, found, title=title or "plantext copy check",
                                           against=against or ()), force)
    except OutputExists as e:
        s.fail(str(e))
    copied = sum(1 for d in docs if d.passages)
    typer.echo(f"plantext: {output}: {len(docs)} submissions, {copied} with matched passages", err=True)
    s.done()
