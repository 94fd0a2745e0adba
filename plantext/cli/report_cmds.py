"""plantext report: the reviewer's side-by-side report (HTML) or its spreadsheet (XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import Against, Boilerplate, Encoding, Errors, Force, Paths, Session, Stock, app

FORMATS = (".html", ".htm", ".xlsx")


@app.command()
def report(
    paths: Paths,
    output: Annotated[Path, typer.Option("-o", "--output", help="report.html (side by side) or report.xlsx (tables).")],
    against: Against = None,
    index: Annotated[Optional[Path], typer.Option("--index", help="A plan library (plantext index add) to check against.")] = None,
    boilerplate: Boilerplate = None,
    stock: Stock = True,
    title: Annotated[Optional[str], typer.Option("--title", help="Heading of the HTML report.")] = None,
    targets: Annotated[bool, typer.Option("--targets/--no-targets", help="List the targets found in each plan (HTML).")] = True,
    encoding: Encoding = None,
    errors: Errors = "strict",
    force: Force = False,
) -> None:
    """Check SUBMISSIONs for copied text and write the reviewer's report."""
    from ..report.files import OutputExists
    from .check_cmds import run_check

    s = Session()
    ext = output.suffix.lower()
    if ext not in FORMATS:
        s.fail(f"{output}: unknown report format {ext or '(none)'!r} (use .html or .xlsx)")
    s.refuse_existing(output, force)

    inputs, docs, refs, bp = run_check(s, paths, against, boilerplate, index, stock, encoding, errors)
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
        s.fail(e)
    copied = sum(1 for d in docs if d.passages)
    typer.echo(f"plantext: {output}: {len(docs)} submissions, {copied} with matched passages", err=True)
    s.done()
