"""plantext index: the library of past plans (自建比对库) — add, list, remove, stats, export, check."""

from __future__ import annotations

__all__ = [
    "Db",
    "Format",
    "open_library",
    "library_errors",
    "add",
    "list_",
    "remove",
    "stats",
    "export",
    "import_",
    "check",
]

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..i18n import tr

if TYPE_CHECKING:  # pragma: no cover
    from ..index import Library
    from ..model import Plan

from .app import (
    Encoding,
    Errors,
    Force,
    MaxSize,
    Meta,
    MetaFromPath,
    Paths,
    Session,
    SparkMaster,
    SparkPartitions,
    app,
    output_format,
)

index_app = typer.Typer(
    help="The library of past plans that submissions are checked against (SQLite, one file).", no_args_is_help=True
)
app.add_typer(index_app, name="index")

Db = Annotated[Path, typer.Option("--db", help="The library file (SQLite).")]
Format = Annotated[str, typer.Option("--format", "-f", help="json | table (default: table on a terminal)")]


def open_library(s: Session, db: Path, create: bool = False, write: bool | None = None) -> Library:
    """The library, or one line and exit 2 (read commands open it read-only)."""
    from ..index import Library, LibraryError

    try:
        return Library(db, create=create, write=write)
    except LibraryError as e:
        s.fail(e)


@contextmanager
def library_errors(s: Session, code: int = 2) -> Iterator[None]:
    """A LibraryError (damage found while reading, a full disk) is one line and exit ``code``."""
    from ..errors import LibraryError

    try:
        yield
    except LibraryError as e:
        s.error(str(e))
        raise typer.Exit(code) from None


@index_app.command("add")
def add(
    paths: Paths,
    db: Db,
    meta: Meta = None,
    meta_from_path: MetaFromPath = None,
    batch: Annotated[
        int, typer.Option("--batch", min=1, help="Plans per transaction (each committed batch survives a crash).")
    ] = 500,
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="default | spark: with spark, --db is a Parquet library folder built by Spark (pip install 'plantext[spark]').",
        ),
    ] = "default",
    master: SparkMaster = None,
    partitions: SparkPartitions = None,
) -> None:
    """Add plans to the library (created when missing). Plans already stored are skipped."""
    from .progress import progress

    s = Session()
    if engine not in ("default", "spark"):
        s.fail(tr("spark.engine_choice", value=engine))
    if engine == "spark":
        from .spark_cmds import add_on_spark

        add_on_spark(s, paths, db, meta, meta_from_path, encoding, errors, master, partitions)
        return
    if master or partitions:
        s.fail(tr("spark.spark_only"))
    lib = open_library(s, db, create=True)  # a damaged or foreign library stops before the reading
    with lib, library_errors(s, 1):
        inputs = s.read_with_meta(paths, meta, meta_from_path, encoding, errors)
        with progress(tr("cli.progress.index_add"), total=len(inputs.plans)) as advance:
            rep = lib.add(
                inputs.plans, batch=batch, progress=lambda done, total: advance(description=f"{done}/{total}")
            )
    for msg in rep.refused:
        s.error(msg)
    s.info(
        f"{lib.path}: "
        + tr("cmd.index_added", added=len(rep.added), skipped=len(rep.skipped))
        + (tr("cmd.index_refused", n=len(rep.refused)) if rep.refused else "")
    )
    s.done()


@index_app.command("list")
def list_(db: Db, format: Format = "") -> None:
    """The plans in the library: id, source, title, content hash, when added."""
    from ..report.jsonout import dumps

    s = Session()
    fmt = output_format(s, format, None, ("json", "table"))
    with open_library(s, db) as lib, library_errors(s):
        entries = lib.entries()
    if fmt == "json":
        keys = ("id", "source", "title", "sha256", "added")
        s.emit(dumps([{k: d[k] for k in keys} for d in (e.to_dict() for e in entries)]))
    else:
        from .tables import print_table

        print_table(
            ["id", "title", "added", "sha256"],
            [[e.id, e.title, e.added, e.sha256[:12]] for e in entries],
            title=tr("table.index_list", plans=len(entries), db=db),
        )
    s.done()


@index_app.command("remove")
def remove(
    ids: Annotated[list[str], typer.Argument(help="Plan ids, or source paths (all their plans).")], db: Db
) -> None:
    """Remove plans from the library."""
    s = Session()
    with open_library(s, db, write=True) as lib, library_errors(s, 1):
        removed, missing = lib.remove(ids)
    for m in missing:
        s.error(f"{lib.path}: {m}: " + tr("cmd.index_not_in"))
    s.info(f"{lib.path}: " + tr("cmd.index_removed", n=len(removed)))
    s.done()


@index_app.command("stats")
def stats(db: Db, format: Format = "") -> None:
    """How many plans and sources the library holds, and its size in bytes."""
    from ..report.jsonout import dumps

    s = Session()
    fmt = output_format(s, format, None, ("json", "table"))
    with open_library(s, db) as lib, library_errors(s):
        st = lib.stats()
    if fmt == "json":
        s.emit(dumps(st))
    else:
        s.emit(
            tr(
                "table.index_stats",
                db=lib.path,
                plans=st["plans"],
                sources=st["sources"],
                mb=f"{st['bytes'] / 1e6:.1f}",
            )
        )
    s.done()


@index_app.command("export")
def export(
    db: Db,
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="FILE.jsonl (one plan a line) or a folder (one .txt per source and manifest.csv)."
        ),
    ],
    force: Force = False,
    parquet: Annotated[
        bool,
        typer.Option(
            "--parquet",
            help="Write the library's tables as Parquet into the folder (for --engine spark; pip install 'plantext[spark]').",
        ),
    ] = False,
) -> None:
    """Export the library: plans with their text and metadata, for another tool or a backup."""
    from ..errors import PlantextError, UsageError
    from ..report.files import OutputExists, write_text
    from ..report.jsonout import dumps_lines
    from ..report.tables import Sheet, write_table

    s = Session()
    if parquet:
        from .spark_cmds import export_parquet_cmd

        export_parquet_cmd(s, db, output, force)
    as_jsonl = output.suffix.lower() == ".jsonl"
    if as_jsonl:  # refuse before reading the whole library
        s.refuse_existing(output, force)
    elif output.exists() and not output.is_dir():
        s.fail(UsageError(key="cmd.not_a_folder", path=str(output)))
    elif output.exists() and any(output.iterdir()) and not force:
        s.fail(UsageError(key="cmd.folder_not_empty", path=str(output), hint="hint.force_folder"))
    with open_library(s, db) as lib, library_errors(s):
        plans = lib.plans()
        entries = {e.id: e for e in lib.entries()}
    try:
        if as_jsonl:
            write_text(
                output,
                dumps_lines({**entries[p.id].to_dict(), "start": p.start, "end": p.end, "text": p.text} for p in plans),
                force,
            )
        else:
            # every stored version of a path (a file re-added after editing) is its own file
            sources: dict[tuple[str, str], str] = {}
            for p in plans:
                sources.setdefault(_version_key(p), p.source.text)
            names = _file_names(list(sources))
            for key, text in sources.items():
                write_text(output / names[key], text, force)
            keys = sorted({k for p in plans for k in p.meta})
            rows = [
                [names[_version_key(p)], p.id, p.title, p.source.path, *[p.meta.get(k) for k in keys]] for p in plans
            ]
            write_table(output / "manifest.csv", Sheet("plans", ["path", "id", "title", "source", *keys], rows), force)
    except OutputExists as e:
        s.fail(e)
    except PlantextError as e:
        s.fail(e)
    s.info(tr("cmd.index_exported", n=len(plans), out=output))
    s.done()


def _version_key(p: Plan) -> tuple[str, str]:
    return (p.source.path, p.source.sha256 or "")


def _file_names(keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A distinct .txt name for each stored source version (folders flattened; a second
    version of a path gets ``-2`` ...)."""
    out, used = {}, set()
    for key in keys:
        p = key[0]
        stem = (Path(p).stem if p != "-" else "stdin").replace("\\", "_") or "source"
        stem = "".join(c if c.isprintable() else "_" for c in stem)
        name, k = f"{stem}.txt", 2
        while name in used:
            name, k = f"{stem}-{k}.txt", k + 1
        used.add(name)
        out[key] = name
    return out


@index_app.command("import")
def import_(
    folder: Annotated[Path, typer.Argument(help="A Parquet library folder (plantext index export --parquet).")],
    db: Db,
) -> None:
    """Make a new library file from a Parquet library folder (the same tables, row for row)."""
    from .spark_cmds import import_parquet_cmd

    import_parquet_cmd(Session(), folder, db)


@index_app.command("check")
def check(db: Db) -> None:
    """Verify the library's integrity (SQLite's own check and plantext's consistency checks).
    Each problem is one line; exit 1 when there is any (a library that cannot be opened is one)."""
    from ..errors import LibraryError
    from ..i18n import tr
    from ..index import Library

    s = Session()
    try:
        lib = Library(db)
    except LibraryError as e:
        s.error(str(e))
        s.done()
    with lib:
        problems = lib.check()
        try:
            st = lib.stats()
        except LibraryError as e:
            problems.append(e.message)
            st = None
    for p in problems:
        s.error(f"{lib.path}: {p}")
    if not problems:
        s.info(f"{lib.path}: {tr('index.check_ok', plans=st['plans'])}")
    s.done()
