"""plantext index: the library of past plans (自建比对库) — add, list, remove, stats, export, check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import Encoding, Errors, Force, Meta, MetaFromPath, Paths, Session, app, output_format

index_app = typer.Typer(help="The library of past plans that submissions are checked against (SQLite, one file).",
                        no_args_is_help=True)
app.add_typer(index_app, name="index")

Db = Annotated[Path, typer.Option("--db", help="The library file (SQLite).")]
Format = Annotated[str, typer.Option("--format", "-f", help="json | table (default: table on a terminal)")]


def open_library(s: Session, db: Path, create: bool = False):
    from ..index import Library, LibraryError

    try:
        return Library(db, create=create)
    except LibraryError as e:
        s.fail(e)


@index_app.command("add")
def add(
    paths: Paths,
    db: Db,
    meta: Meta = None,
    meta_from_path: MetaFromPath = None,
    batch: Annotated[int, typer.Option("--batch", help="Plans per transaction (each committed batch survives a crash).")] = 500,
    encoding: Encoding = None,
    errors: Errors = "strict",
) -> None:
    """Add plans to the library (created when missing). Plans already stored are skipped."""
    from .progress import progress

    s = Session()
    inputs = s.read_with_meta(paths, meta, meta_from_path, encoding, errors)
    with open_library(s, db, create=True) as lib, progress("adding to the library", total=len(inputs.plans)) as advance:
        rep = lib.add(inputs.plans, batch=batch, progress=lambda done, total: advance(description=f"{done}/{total}"))
    for msg in rep.refused:
        s.error(msg)
    typer.echo(f"{db}: added {len(rep.added)} plans, skipped {len(rep.skipped)} already in the library"
               + (f", refused {len(rep.refused)}" if rep.refused else ""), err=True)
    s.done()


@index_app.command("list")
def list_(db: Db, format: Format = "") -> None:
    """The plans in the library: id, source, title, content hash, when added."""
    from ..report.jsonout import dumps

    s = Session()
    fmt = output_format(s, format, None, ("json", "table"))
    with open_library(s, db) as lib:
        entries = lib.entries()
    if fmt == "json":
        keys = ("id", "source", "title", "sha256", "added")
        s.emit(dumps([{k: d[k] for k in keys} for d in (e.to_dict() for e in entries)]))
    else:
        from .tables import print_table

        print_table(["id", "title", "added", "sha256"], [[e.id, e.title, e.added, e.sha256[:12]] for e in entries],
                    title=f"{len(entries)} plans in {db}")
    s.done()


@index_app.command("remove")
def remove(ids: Annotated[list[str], typer.Argument(help="Plan ids, or source paths (all their plans).")], db: Db) -> None:
    """Remove plans from the library."""
    s = Session()
    with open_library(s, db) as lib:
        removed, missing = lib.remove(ids)
    for m in missing:
        s.error(f"{db}: {m}: not in the library")
    typer.echo(f"{db}: removed {len(removed)} plans", err=True)
    s.done()


@index_app.command("stats")
def stats(db: Db, format: Format = "") -> None:
    """How many plans and sources the library holds, and its size in bytes."""
    from ..report.jsonout import dumps

    s = Session()
    fmt = output_format(s, format, None, ("json", "table"))
    with open_library(s, db) as lib:
        st = lib.stats()
    if fmt == "json":
        s.emit(dumps(st))
    else:
        typer.echo(f"{db}: {st['plans']} plans from {st['sources']} sources, {st['bytes'] / 1e6:.1f} MB")
    s.done()


@index_app.command("export")
def export(
    db: Db,
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.jsonl (one plan a line) or a folder (one .txt per source and manifest.csv).")],
    force: Force = False,
) -> None:
    """Export the library: plans with their text and metadata, for another tool or a backup."""
    from ..errors import UsageError
    from ..report.files import OutputExists, write_text
    from ..report.jsonout import dumps_lines
    from ..report.tables import Sheet, write_table

    s = Session()
    as_jsonl = output.suffix.lower() == ".jsonl"
    if as_jsonl:  # refuse before reading the whole library
        s.refuse_existing(output, force)
    elif output.exists() and not output.is_dir():
        s.fail(f"{output}: exists and is not a folder")
    elif output.exists() and any(output.iterdir()) and not force:
        s.fail(UsageError("folder is not empty", path=str(output), hint="hint.force_folder"))
    with open_library(s, db) as lib:
        plans = lib.plans()
        entries = {e.id: e for e in lib.entries()}
    try:
        if as_jsonl:
            write_text(output, dumps_lines({**entries[p.id].to_dict(), "start": p.start, "end": p.end,
                                            "text": p.text} for p in plans), force)
        else:
            sources = {}
            for p in plans:
                sources.setdefault(p.source.path, p.source.text)
            names = _file_names(list(sources))
            for path, text in sources.items():
                write_text(output / names[path], text, force)
            keys = sorted({k for p in plans for k in p.meta})
            rows = [[names[p.source.path], p.id, p.title, *[p.meta.get(k) for k in keys]] for p in plans]
            write_table(output / "manifest.csv", Sheet("plans", ["path", "id", "title", *keys], rows), force)
    except OutputExists as e:
        s.fail(e)
    typer.echo(f"exported {len(plans)} plans to {output}", err=True)
    s.done()


def _file_names(paths: list[str]) -> dict[str, str]:
    """A distinct .txt name for each stored source path (folders flattened)."""
    out, used = {}, set()
    for p in paths:
        stem = Path(p).stem if p != "-" else "stdin"
        name, k = f"{stem}.txt", 2
        while name in used:
            name, k = f"{stem}-{k}.txt", k + 1
        used.add(name)
        out[p] = name
    return out


@index_app.command("check")
def check(db: Db) -> None:
    """Verify the library's integrity (SQLite's own check and plantext's consistency checks)."""
    s = Session()
    with open_library(s, db) as lib:
        problems = lib.check()
        st = lib.stats()
    for p in problems:
        s.error(f"{db}: {p}")
    if not problems:
        typer.echo(f"{db}: ok ({st['plans']} plans)", err=True)
    s.done()
