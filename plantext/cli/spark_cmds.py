"""The Spark engine behind ``--engine spark`` (thin: options in, library call, results out)."""

from __future__ import annotations

__all__ = [
    "add_on_spark",
    "check_on_spark",
    "export_parquet_cmd",
    "import_parquet_cmd",
    "similar_on_spark",
    "spark_session",
]

from typing import Any

from ..errors import PlantextError


def spark_session(s: Any, master: str | None, partitions: int | None) -> Any:
    """A SparkSession, or one error line and exit 2 (no pyspark, no Java, a bad master)."""
    from ..spark import session

    try:
        return session(master, partitions)
    except PlantextError as e:
        s.fail(e)


def similar_on_spark(
    s: Any,
    paths: list[str],
    threshold: float,
    encoding: str | None,
    errors: str,
    master: str | None,
    partitions: int | None,
    best_match: bool,
) -> tuple[Any, dict[str, str], int]:
    """``(result, titles, number of plans)`` of ``plantext similar --engine spark``."""
    from ..spark.similar import similar_paths

    if errors not in ("strict", "replace"):
        from ..i18n import tr

        s.fail(tr("cli.errors_choice", value=errors))
    spark = spark_session(s, master, partitions)
    try:
        result, titles = similar_paths(
            spark,
            paths,
            threshold,
            encoding=encoding,
            errors=errors,
            max_size=s.max_size(),
            partitions=partitions,
            on_error=s.error,
            star=best_match,
        )
    except PlantextError as e:
        s.fail(e)
    except Exception as e:  # a bug or a cluster failure must still end in one line and a non-zero exit
        from ..i18n import tr

        s.fail(tr("spark.failed", what="similar", reason=f"{type(e).__name__}: {e}"[:500]))
    return result, titles, int(result.stats.get("plans", 0))


def export_parquet_cmd(s: Any, db: Any, output: Any, force: bool) -> None:
    """``index export --parquet``: the library's tables into the folder ``output``."""
    from ..errors import UsageError
    from ..i18n import tr
    from ..spark import require_pyarrow
    from ..spark.library import TABLES, export_parquet
    from .index_cmds import library_errors, open_library

    try:
        require_pyarrow()
    except PlantextError as e:
        s.fail(e)
    if output.exists() and not output.is_dir():
        s.fail(UsageError(tr("spark.not_a_folder"), path=str(output)))
    if not force and any((output / f"{t}.parquet").exists() for t in TABLES):
        s.fail(UsageError(tr("spark.folder_has_library"), path=str(output), hint="hint.force_folder"))
    with open_library(s, db) as lib, library_errors(s):
        try:
            counts = export_parquet(lib, output)
        except OSError as e:
            s.fail(f"{output}: {e.strerror or e}")
    s.info(tr("spark.exported", plans=counts["plans"], folder=str(output)))
    s.done()


def import_parquet_cmd(s: Any, folder: Any, db: Any) -> None:
    """``index import FOLDER --db FILE``."""
    from ..i18n import tr
    from ..spark import require_pyarrow
    from ..spark.library import import_parquet

    try:
        require_pyarrow()
        counts = import_parquet(folder, db)
    except PlantextError as e:
        s.fail(e)
    except OSError as e:
        s.fail(f"{folder}: {e.strerror or e}")
    s.info(tr("spark.imported", plans=counts["plans"], db=str(db)))
    s.done()


def check_on_spark(
    s: Any,
    paths: list[str],
    boilerplate: Any,
    index: Any,
    stock: bool,
    encoding: str | None,
    errors: str,
    quotes: tuple,
    master: str | None,
) -> tuple[Any, list, list, list]:
    """``check SUBMISSIONS --index PARQUET_FOLDER --engine spark``: ``(inputs, documents, [], boilerplate)``."""
    from ..i18n import tr
    from ..spark.check import check_parquet
    from .progress import progress

    if index is None:
        s.fail(tr("spark.check_needs_index"))
    inputs = s.read(paths, encoding, errors)
    if not inputs.plans:
        s.fail(tr("cli.no_submissions"))
    bp = s.read(boilerplate, encoding, errors).plans if boilerplate else []
    spark = spark_session(s, master, None)
    try:
        with progress(tr("cli.progress.check"), total=len(inputs.plans)) as advance:
            docs = check_parquet(
                spark,
                str(index),
                inputs.plans,
                boilerplate=bp or None,
                stock=stock,
                quotes=quotes,
                progress=lambda done, total: advance(),
            )
    except PlantextError as e:
        s.fail(e)
    except Exception as e:  # a bug or a cluster failure must still end in one line and a non-zero exit
        s.fail(tr("spark.failed", what="check", reason=f"{type(e).__name__}: {e}"[:500]))
    return inputs, docs, [], bp


def add_on_spark(
    s: Any,
    paths: list[str],
    db: Any,
    meta: Any,
    meta_from_path: str | None,
    encoding: str | None,
    errors: str,
    master: str | None,
    partitions: int | None,
) -> None:
    """``index add PATHS --engine spark --db FOLDER``: the plans stored into a Parquet library by Spark."""
    from ..i18n import tr
    from ..meta import _some as some
    from ..spark.add import add_parquet

    if errors not in ("strict", "replace"):
        s.fail(tr("cli.errors_choice", value=errors))
    if db.exists() and not db.is_dir():
        from ..errors import UsageError

        s.fail(UsageError(tr("spark.not_a_folder"), path=str(db)))
    manifest = s.manifest(meta, meta_from_path)
    spark = spark_session(s, master, partitions)
    try:
        rep = add_parquet(
            spark,
            str(db),
            paths,
            encoding=encoding,
            errors=errors,
            max_size=s.max_size(),
            manifest=manifest,
            pattern=meta_from_path,
            partitions=partitions,
            on_error=s.error,
        )
    except PlantextError as e:
        s.fail(e)
    except Exception as e:  # a bug or a cluster failure must still end in one line and a non-zero exit
        s.fail(tr("spark.failed", what="index add", reason=f"{type(e).__name__}: {e}"[:500]))
    if rep.unmatched:
        key = "meta.no_metadata_in" if meta else "meta.no_metadata"
        more = rep.unmatched - len(rep.unmatched_ids)
        ids = some(rep.unmatched_ids) + (f" ... (+{more})" if more > 0 else "")
        s.warn(tr(key, n=rep.unmatched, manifest=str(meta) if meta else None, ids=ids))
    if rep.unused_rows and meta:
        s.warn(
            tr("meta.unused_rows", manifest=str(meta), n=len(rep.unused_rows), lines=some(map(str, rep.unused_rows)))
        )
    for msg in rep.refused:
        s.error(msg)
    s.info(
        f"{db}: "
        + tr("cmd.index_added", added=rep.added, skipped=rep.skipped)
        + (tr("cmd.index_refused", n=len(rep.refused)) if rep.refused else "")
    )
    s.done()
