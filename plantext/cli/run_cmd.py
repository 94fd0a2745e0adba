"""plantext run: the main job, every stage over the inputs, outputs into one folder."""

from __future__ import annotations

__all__ = ["run"]

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..i18n import tr
from .app import (
    Against,
    Encoding,
    Errors,
    Force,
    Jobs,
    MetaFromPath,
    Paths,
    Session,
    app,
    check_encoding,
    read_counts,
    refuse_overlap,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import RunResult


@app.command()
def run(
    paths: Paths,
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")],
    against: Against = None,
    index: Annotated[
        Optional[Path], typer.Option("--index", help="A library (plantext index) to check the inputs against.")
    ] = None,
    add: Annotated[bool, typer.Option("--add", help="With --index: add the inputs to the library afterwards.")] = False,
    meta: Annotated[
        Optional[Path], typer.Option("--meta", help="CSV manifest with a 'path' column and metadata columns.")
    ] = None,
    meta_from_path: MetaFromPath = None,
    encoding: Encoding = None,
    errors: Errors = "strict",
    force: Force = False,
    jobs: Jobs = None,
    quotes: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--quotes", help="A file of well-known lines reported as quotation, not copy (besides the shipped list)."
        ),
    ] = None,
) -> None:
    """Run every stage on the inputs and write all outputs into OUT/."""
    from ..pipeline import RunOptions
    from ..pipeline import run as run_all
    from .check_cmds import read_quotes

    s = Session()
    if jobs is not None and jobs < 0:
        s.fail(tr("cmd.not_negative", option="--jobs"))
    check_encoding(s, encoding)
    refuse_overlap(s, paths, against)
    from ..ingest import iter_paths

    if not any(True for _ in iter_paths(paths)):  # an empty folder: say so, write nothing
        s.fail(tr("run.nothing", n=len(paths)))
    opts = RunOptions(
        against=against or [],
        index=str(index) if index else None,
        add=add,
        meta=str(meta) if meta else None,
        meta_from_path=meta_from_path,
        encoding=encoding,
        errors=errors,
        force=force,
        jobs=jobs or None,  # (0: one process per core, as everywhere)
        quotes=read_quotes(s, quotes),
    )
    result = run_all(paths, out, opts, on_error=s.error, on_info=lambda m: typer.echo(m, err=True))
    if result.refused:
        raise typer.Exit(2)
    if result.inputs is not None:
        s.info(read_counts(result.inputs, result.references, index=index))
    if result.inputs is None or not result.inputs.plans:
        s.error(tr("run.nothing", n=len(paths)))
    else:
        summary(result, out)
    s.done()


def summary(result: RunResult, out: Path, top: int = 3) -> None:
    """The last lines: how many plans were checked, the highest copy ratios (against the references
    when there are any), the submissions that share text with each other, where the report is."""
    docs = sorted(result.checked, key=lambda d: (-d.copy_ratio, d.id))
    lines = [tr("run.summary.head", n=len(result.checked))]
    lines += [
        tr("run.summary.row", ratio=f"{100 * d.copy_ratio:5.1f}%", title=d.title or d.id, id=d.id) for d in docs[:top]
    ]
    if result.peers:
        from ..report.findings import peer_pairs

        pairs = peer_pairs(result.peers)
        lines.append(tr("run.summary.peers", n=len(pairs)) if pairs else tr("run.summary.no_peers"))
        lines += [
            tr(
                "run.summary.peer_row",
                a=p.a,
                b=p.b,
                a_ratio=f"{100 * p.a_ratio:.1f}%",
                b_ratio=f"{100 * p.b_ratio:.1f}%",
            )
            for p in pairs[:top]
        ]
    if "report.html" in result.written:
        lines.append(tr("run.summary.report", path=out / "report.html"))
    typer.echo("\n".join(lines), err=True)
