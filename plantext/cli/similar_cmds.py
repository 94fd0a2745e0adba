"""plantext similar: near-duplicate plans across the inputs, as pairs and clusters."""

from __future__ import annotations

__all__ = ["similar"]

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..i18n import tr
from .app import (
    Encoding,
    Errors,
    Force,
    MaxSize,
    Output,
    Paths,
    Session,
    SparkMaster,
    SparkPartitions,
    app,
    output_format,
    to_file_as,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..similarity.similar import SimilarResult

# share of the bar (percent) per library stage (see plantext.similarity.similar)
_STAGES = {"normalise": 0.35, "shingles": 0.2, "minhash": 0.25, "verify": 0.2}


@app.command()
def similar(
    paths: Paths,
    threshold: Annotated[
        float,
        typer.Option("--threshold", "-t", help="Report pairs whose score or containment reaches this share (0-1]."),
    ] = 0.5,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="json | table | csv (default: table on a terminal, else json; with -o, from its extension)",
        ),
    ] = "",
    index: Annotated[
        Optional[Path],
        typer.Option("--index", help="Also compare with the plans of this library (plantext index add)."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="default | spark (pip install 'plantext[spark]'; the same output).")
    ] = "default",
    master: SparkMaster = None,
    partitions: SparkPartitions = None,
    best_match: Annotated[
        bool,
        typer.Option(
            "--best-match",
            help="Giant clusters: clusters plus each plan's best match instead of every pair (with --engine spark).",
        ),
    ] = False,
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """Plans that are the same plan handed in twice, lightly edited, re-titled or converted to
    traditional script: pairs with the share of text they have in common, and clusters."""
    from ..similarity.similar import similar as find_similar

    s = Session()
    if not 0 < threshold <= 1:
        s.fail(tr("cmd.threshold_option", value=threshold))
    fmt = output_format(s, format, output, ("json", "table", "csv"), files=("json", "csv", "xlsx"))
    s.refuse_existing(output, force)
    if engine not in ("default", "spark"):
        s.fail(tr("spark.engine_choice", value=engine))
    if engine == "spark":
        if index is not None:
            s.fail(tr("spark.no_index_here"))
        from .spark_cmds import similar_on_spark

        result, titles, n_plans = similar_on_spark(
            s, paths, threshold, encoding, errors, master, partitions, best_match
        )
        _write(s, fmt, result, titles, n_plans, output, force)
        return
    if best_match or master or partitions:
        s.fail(tr("spark.spark_only"))

    lib = None
    if index is not None:  # outside the catch-all below, so a bad library is one line
        from .index_cmds import open_library

        lib = open_library(s, index)
    inputs = s.read(paths, encoding, errors)
    titles = {p.id: p.title for p in inputs.plans}
    try:
        with _bar() as on_progress:
            if lib is not None:
                from ..index import similar_against

                with lib:
                    result = similar_against(lib, inputs.plans, threshold)
                    paired = {x for m in result.pairs for x in (m.a, m.b)}  # once, not per entry
                    titles.update({e.id: e.title for e in lib.entries() if e.id in paired})
            else:
                result = find_similar(inputs.plans, threshold, progress=on_progress)
    except Exception as e:  # a bug must still end in one line and a non-zero exit
        s.fail(tr("cmd.failed", what="similar", why=f"{type(e).__name__}: {e}"))

    _write(s, fmt, result, titles, len(inputs.plans), output, force)


def _write(
    s: Session,
    fmt: str,
    result: SimilarResult,
    titles: dict[str, str],
    n_plans: int,
    output: Path | None,
    force: bool,
) -> None:
    from ..report.jsonout import dumps
    from ..similarity.similar import sheets, to_json

    if fmt == "xlsx" or to_file_as(output, "csv"):
        assert output is not None  # output_format gives xlsx only from -o's extension
        s.write_table(output, list(sheets(result, titles)), force)
    elif fmt == "json":
        s.emit(dumps(to_json(result, titles)), output, force)
    elif fmt == "csv":
        from ..report.tables import csv_bytes

        s.emit(csv_bytes(sheets(result, titles)[0]).decode("utf-8-sig"), output, force)
    else:
        _print_tables(result, titles, n_plans, output, force, s)
    s.done()


def _print_tables(
    result: SimilarResult, titles: dict[str, str], n_plans: int, output: Path | None, force: bool, session: Session
) -> None:
    from rich.table import Table

    from ..i18n import tr
    from .tables import col, print_tables, short_ids

    short, common = short_ids([x for m in result.pairs for x in (m.a, m.b)])
    under = tr("table.under", folder=common) if common else ""
    clusters = Table(
        title=tr("table.similar_clusters", clusters=len(result.clusters), plans=n_plans) + under, header_style="bold"
    )
    for c in ("cluster", "plans", "id", "title"):
        clusters.add_column(col(c), overflow="fold")
    for k, members in enumerate(result.clusters, 1):
        for i, pid in enumerate(members):
            clusters.add_row(
                str(k) if i == 0 else "",
                str(len(members)) if i == 0 else "",
                short.get(pid, pid),
                titles.get(pid, ""),
                end_section=i == len(members) - 1,
            )
    pairs = Table(title=tr("table.similar_pairs", pairs=len(result.pairs)), header_style="bold")
    for c in ("score", "containment", "a", "title a", "b", "title b"):
        pairs.add_column(col(c), overflow="fold", justify="right" if c in ("score", "containment") else "left")
    for m in result.pairs:
        pairs.add_row(
            f"{m.score:.2f}", f"{m.containment:.2f}", short[m.a], titles.get(m.a, ""), short[m.b], titles.get(m.b, "")
        )
    print_tables([clusters, pairs], output, force, session)


@contextmanager
def _bar() -> Iterator[Callable[[str, int, int], None]]:
    """A rich bar on stderr (only on a terminal) fed by similar()'s ``progress`` callback."""
    from .progress import progress

    with progress(tr("cli.progress.similar"), total=100) as advance:
        done: dict[str, float] = {}

        def on_progress(stage: str, k: int, total: int) -> None:
            share = 100 * _STAGES.get(stage, 0.0) * (k / total if total else 1.0)
            advance(share - done.get(stage, 0.0), description=f"near-duplicates: {stage}")
            done[stage] = share

        yield on_progress
