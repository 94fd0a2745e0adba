"""plantext check: which passages of each submission were copied from where, and how much."""

from __future__ import annotations

__all__ = ["check", "run_check"]

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..i18n import tr

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import JustifyMethod

    from ..inputs import Inputs
    from ..model import DocumentCheck, Plan
from .app import (
    Against,
    Boilerplate,
    Encoding,
    Errors,
    Force,
    MaxSize,
    Output,
    Paths,
    Session,
    SparkMaster,
    Stock,
    app,
    output_format,
    read_counts,
    refuse_overlap,
)

_EXCERPT = 24  # characters of a passage shown in the table

Quotes = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--quotes",
        help="A file of well-known lines (one per line, # comments) reported as quotation, not copy, "
        "besides the shipped list; may be given more than once.",
    ),
]


def read_quotes(s: Session, paths: Optional[list[Path]]) -> tuple:
    """The quotation lines of the ``--quotes`` files (UTF-8 or GB18030); a file that cannot
    be read ends the command with one line."""
    from ..errors import os_reason
    from ..i18n import tr
    from ..ingest import IngestError, read_bytes
    from ..similarity.quotes import parse_lines

    out: list = []
    for path in paths or ():
        try:  # a regular file only, of bounded size (a FIFO would wait forever, /dev/zero never end)
            raw = read_bytes(str(path), name=str(path))
        except IngestError as e:
            s.fail(tr("check.quotes_unreadable", path=path, reason=e.message))
        except OSError as e:
            s.fail(tr("check.quotes_unreadable", path=path, reason=os_reason(e)))
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            s.fail(tr("check.quotes_encoding", path=path))
        lines = parse_lines(text, str(path))
        if not lines:
            s.fail(tr("check.quotes_empty", path=path))
        out.extend(lines)
    return tuple(out)


@app.command()
def check(
    paths: Paths,
    against: Against = None,
    boilerplate: Boilerplate = None,
    index: Annotated[
        Optional[Path],
        typer.Option(
            "--index", help="A plan library (plantext index add) to check against; ref.id names the stored plan."
        ),
    ] = None,
    stock: Stock = True,
    quotes: Quotes = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="json | table (default: table on a terminal, else json)")
    ] = "",
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    output: Output = None,
    force: Force = False,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="default | spark: with spark, --index is a Parquet library folder (plantext index export --parquet).",
        ),
    ] = "default",
    master: SparkMaster = None,
) -> None:
    """Copied passages of each submission with their place in the source they came from, the
    copy ratio (总文字复制比), the largest single-source ratio, per-section ratios and the
    ranked sources; stock phrases and text shared by many plans come out as boilerplate."""
    from ..report.jsonout import dumps

    s = Session()
    fmt = output_format(s, format, output, ("json", "table"))
    s.refuse_existing(output, force)
    inputs, docs, refs, bp = run_check(
        s,
        paths,
        against,
        boilerplate,
        index,
        stock,
        encoding,
        errors,
        quotes=read_quotes(s, quotes),
        engine=engine,
        master=master,
    )
    if fmt == "json":
        s.emit(dumps({"documents": docs}), output, force)
    else:
        texts = {p.id: p.source.text for p in [*refs, *bp, *inputs.plans]}
        _print_tables(docs, texts, output, force, s)
    s.done()


def run_check(
    s: Session,
    paths: list[str],
    against: list[str] | None,
    boilerplate: list[str] | None,
    index: Path | None,
    stock: bool,
    encoding: str | None,
    errors: str,
    meta: Path | None = None,
    meta_from_path: str | None = None,
    quotes: tuple = (),
    engine: str = "default",
    master: str | None = None,
) -> tuple[Inputs, list[DocumentCheck], list[Plan], list[Plan]]:
    """Read submissions, references (files or a library) and boilerplate, and run the check
    with a progress bar; shared by ``check`` and ``report``. Returns (inputs, documents,
    reference plans, boilerplate plans); any failure ends the command with one line."""
    if index is not None and against:
        s.fail(tr("cli.against_and_index"))
    refuse_overlap(s, paths, against, boilerplate)
    if engine not in ("default", "spark"):
        s.fail(tr("spark.engine_choice", value=engine))
    if engine == "spark":
        from .spark_cmds import check_on_spark

        return check_on_spark(s, paths, boilerplate, index, stock, encoding, errors, quotes, master)
    lib = None
    if index is not None:
        from .index_cmds import open_library

        lib = open_library(s, index)
    inputs, ref_inputs = s.read_with_meta(paths, meta, meta_from_path, encoding, errors, references=against or [])
    if not inputs.plans:
        s.fail(tr("cli.no_submissions"))
    refs = ref_inputs.plans if ref_inputs else []
    if against and not refs:
        s.fail(tr("cli.no_references"))
    bp_inputs = s.read(boilerplate, encoding, errors) if boilerplate else None
    bp = bp_inputs.plans if bp_inputs else []
    s.info(read_counts(inputs, ref_inputs, bp_inputs, index))

    from ..similarity.check import check
    from .progress import progress

    try:
        with progress(tr("cli.progress.check"), total=len(inputs.plans)) as advance:
            if lib is not None:
                from ..index import check_against

                with lib:
                    docs = check_against(
                        lib,
                        inputs.plans,
                        boilerplate=bp or None,
                        stock=stock,
                        progress=lambda done, total: advance(),
                        quotes=quotes,
                    )
                    refs = lib.plans(sorted({p.ref.id for d in docs for p in d.passages}))
            else:
                docs = check(
                    inputs.plans,
                    refs or None,
                    bp or None,
                    stock=stock,
                    progress=lambda done, total: advance(),
                    quotes=quotes,
                )
    except Exception as e:  # a bug must still end in one line and a non-zero exit
        s.fail(tr("cmd.failed", what="check", why=f"{type(e).__name__}: {e}"))
    return inputs, docs, refs, bp


def _short(t: str, n: int) -> str:
    return t if len(t) <= n else t[: n - 1] + "…"


def _excerpt(text: str | None, start: int, end: int) -> str:
    return "" if text is None else _short(" ".join(text[start:end].split()), _EXCERPT)


def _copied(d: DocumentCheck) -> str:
    """重复字数 / 总字数 of a submission (``Plan.chars``: letters and digits), as the JSON, the
    report and the spreadsheet give them."""
    return f"{d.copied_chars} / {d.total_chars}" if d.total_chars else ""


def _print_tables(
    docs: Sequence[DocumentCheck],
    texts: dict[str, str],
    output: Path | None,
    force: bool,
    session: Session,
    top: int = 8,
) -> None:
    from rich.table import Table

    from .tables import print_tables, short_ids

    short, common = short_ids(
        [d.id for d in docs]
        + [d.max_source for d in docs if d.max_source]
        + [p.ref.id for d in docs for p in d.passages]
    )
    name = lambda i: short.get(i, i or "")  # noqa: E731
    summary = Table(
        title=tr("cli.check.title", n=len(docs)) + (tr("cli.check.under", folder=common) if common else ""),
        header_style="bold",
    )
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("id", "left"),
        ("title", "left"),
        ("copy", "right"),
        ("copied", "right"),
        ("verdict", "left"),
        ("largest_source", "left"),
        ("its_share", "right"),
        ("fragments", "right"),
    )
    for c, j in columns:
        num = j == "right"
        summary.add_column(
            tr(f"cli.check.col.{c}"),
            justify=j,
            overflow="fold",
            no_wrap=num,
            min_width=6 if num else None,
            ratio=None if num else 2 if c != "title" else 1,
        )
    from ..report.findings import DEFAULT_THRESHOLDS, band, band_label

    for d in sorted(docs, key=lambda d: (-d.copy_ratio, d.id)):
        summary.add_row(
            name(d.id),
            _short(d.title, 16),
            f"{d.copy_ratio:.1%}",
            _copied(d),
            band_label(band(d.copy_ratio, DEFAULT_THRESHOLDS), DEFAULT_THRESHOLDS),
            name(d.max_source),
            f"{d.max_source_ratio:.1%}" if d.max_source else "",
            str(sum(p.kind == "copy" for p in d.passages)),
        )
    tables = [summary]
    for d in docs:
        shown = sorted((p for p in d.passages if p.kind == "copy"), key=lambda p: p.start - p.end)[:top]
        if not shown:
            continue
        t = Table(title=tr("cli.check.doc_title", id=name(d.id), ratio=f"{d.copy_ratio:.1%}"), header_style="bold")
        for c in ("span", "score", "submission", "source", "source_span", "source_text"):
            t.add_column(
                tr(f"cli.check.col.{c}"),
                overflow="fold",
                no_wrap=c in ("span", "score", "source_span"),
                ratio=2 if c in ("submission", "source_text") else 1 if c == "source" else None,
            )
        for p in sorted(shown, key=lambda p: p.start):
            t.add_row(
                f"{p.start}-{p.end}",
                f"{p.score:.2f}",
                _excerpt(texts.get(d.id), p.start, p.end),
                name(p.ref.id),
                f"{p.ref.start}-{p.ref.end}",
                _excerpt(texts.get(p.ref.id), p.ref.start, p.ref.end),
            )
        tables.append(t)
    print_tables(tables, output, force, session)
