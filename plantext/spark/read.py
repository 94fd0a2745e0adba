"""Reading plans on Spark's executors: read → clean → split → fold, one file per row.

The driver lists local paths as the default engine does (``ingest.iter_paths``: folders sorted
and walked, the same file named twice read once), so plan ids, input order and therefore the
output equal the default engine's; executors read each file by its path (a local path must be
visible to them at the same place, as for any file Spark reads). A path with a scheme
(``hdfs://``, ``s3a://``, ``file://``) is listed and read by Spark (``binaryFile``, recursive,
hidden files and unknown extensions skipped, sorted by path); plans are named by the URI.
"""

from __future__ import annotations

__all__ = ["PLAN_SCHEMA", "error_gid", "is_uri", "list_inputs", "plan_rows", "read_file", "read_files", "read_plans"]

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from . import note_memory

PLAN_SCHEMA = "gid long, id string, source string, doc string, title string, fold string, content long, error string"
# a plan's number inside its file: gid = file number << PLAN_BITS | plan index (input order)
PLAN_BITS = 20
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_uri(path: str) -> bool:
    return bool(_URI.match(path))


def list_inputs(paths: Iterable[str], on_error: Any = None) -> tuple[list[str], list[str]]:
    """``(local files in input order, URIs)``: folders expanded as the default engine does, a
    file named twice kept once (under its first name)."""
    from ..ingest import file_key, iter_paths

    local: list[str] = []
    uris: list[str] = []
    seen: set[tuple[int, int]] = set()
    plain: list[str] = []
    for p in paths:
        (uris if is_uri(p) else plain).append(p)
    for path in iter_paths(plain, on_error=on_error):
        key = file_key(path)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        local.append(path)
    return local, uris


def read_file(
    name: str, data: bytes | None, encoding: str | None = None, errors: str = "strict", max_size: int | None = None
) -> tuple[Any, list[Any], Any]:
    """``(source, plans, error)`` of one file, read from its path (``data`` None) or from its
    bytes (a URI Spark read), as ``inputs.read_one`` does."""
    from ..ingest import DEFAULT_MAX_SIZE, IngestError, load
    from ..inputs import read_one

    if data is None:
        return read_one(name, encoding, errors, max_size)
    from ..clean import clean
    from ..split import no_plan_reason, split

    limit = DEFAULT_MAX_SIZE if max_size is None else max_size
    src, plans, err = None, [], None
    try:
        if len(data) > limit:
            raise IngestError(name, key="hostile.too_large", size=str(len(data)), limit=str(limit))
        src = clean(load(name, encoding=encoding, errors=errors, data=data, max_size=limit))
        plans = split(src)
        if not plans:
            key, params = no_plan_reason(src)
            err = IngestError(name, key=key, **params)
    except IngestError as e:
        err = e
    except RecursionError:
        err = IngestError(name, key="ingest.split_too_deep")
    return src, plans, err


def error_gid(file_no: int) -> int:
    """The row number of a file's error row (after its plans)."""
    return (file_no << PLAN_BITS) | ((1 << PLAN_BITS) - 1)


def plan_rows(
    file_no: int,
    name: str,
    data: bytes | None,
    encoding: str | None = None,
    errors: str = "strict",
    max_size: int | None = None,
    ngram: int = 5,
) -> list[dict[str, Any]]:
    """The rows of one file: one per plan (fold text blanked below one n-gram, as the default
    engine does, and its content hash), or one error row. Pure: name and bytes in, rows out."""
    from ..similarity.fingerprint import fold_texts
    from ..similarity.similar import content_keys

    src, plans, err = read_file(name, data, encoding, errors, max_size)
    rows: list[dict[str, Any]] = []
    if plans:
        folds = [f if len(f) >= ngram else "" for f in fold_texts(plans)]
        keys = content_keys(folds)
        for k, (p, f) in enumerate(zip(plans, folds)):
            rows.append(
                {
                    "gid": (file_no << PLAN_BITS) | k,
                    "id": p.id,
                    "source": p.source.path,
                    "doc": p.doc or "",
                    "title": p.title or "",
                    "fold": f,
                    "content": int(keys[k]),
                    "error": None,
                }
            )
    if err is not None:
        rows.append(
            {
                "gid": error_gid(file_no),
                "id": None,
                "source": name,
                "doc": None,
                "title": None,
                "fold": None,
                "content": None,
                "error": str(err),
            }
        )
    return rows


RowsOf = Callable[[int, str, "bytes | None"], list[dict[str, Any]]]


def _read_local(batches: Iterator[Any], rows_of: RowsOf, columns: list[str], stage: str) -> Iterator[Any]:
    import pandas as pd

    for b in batches:
        rows = [r for no, name in zip(b["no"].tolist(), b["name"].tolist()) for r in rows_of(int(no), name, None)]
        yield pd.DataFrame(rows, columns=columns)
        note_memory(stage)


def _read_bytes(batches: Iterator[Any], rows_of: RowsOf, columns: list[str], stage: str) -> Iterator[Any]:
    import pandas as pd

    for b in batches:
        rows = [
            r
            for no, name, data in zip(b["no"].tolist(), b["path"].tolist(), b["content"].tolist())
            for r in rows_of(int(no), name, bytes(data))
        ]
        yield pd.DataFrame(rows, columns=columns)
        note_memory(stage)


_COLUMNS = ["gid", "id", "source", "doc", "title", "fold", "content", "error"]


def read_files(
    spark: Any,
    paths: Iterable[str],
    rows_of: RowsOf,
    schema: str,
    *,
    partitions: int | None = None,
    on_error: Any = None,
    stage: str = "read",
) -> Any:
    """A DataFrame of ``schema`` rows: ``rows_of(file number, name, bytes or None)`` for every
    input file, numbered in input order (local files as the default engine lists them, then
    the files under URIs, sorted)."""
    from functools import partial

    from pyspark.sql import functions as F

    from ..ingest import READERS

    columns = [c.strip().split()[0].strip("`") for c in schema.split(",")]
    local, uris = list_inputs(list(paths), on_error)
    parts = []
    n = len(local)
    if local:
        slices = partitions or max(1, min(len(local) // 200 + 1, spark.sparkContext.defaultParallelism * 4))
        files = spark.createDataFrame([(k, p) for k, p in enumerate(local)], "no long, name string").repartition(
            slices, "no"
        )
        parts.append(files.mapInPandas(partial(_read_local, rows_of=rows_of, columns=columns, stage=stage), schema))
    if uris:
        raw = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(uris)
        raw = raw.where(~F.element_at(F.split("path", "/"), -1).startswith("."))
        exts = sorted(READERS)
        raw = raw.where(F.lower(F.regexp_extract("path", r"(\.[^./]+)$", 1)).isin(exts))
        names = sorted(r.path for r in raw.select("path").collect())
        order = spark.createDataFrame([(n + k, p) for k, p in enumerate(names)], "no long, path string")
        raw = raw.join(order, "path").select("no", "path", "content")
        if partitions:
            raw = raw.repartition(partitions, "no")
        parts.append(raw.mapInPandas(partial(_read_bytes, rows_of=rows_of, columns=columns, stage=stage), schema))
    if not parts:
        return spark.createDataFrame([], schema)
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p)
    return out


def read_plans(
    spark: Any,
    paths: Iterable[str],
    *,
    encoding: str | None = None,
    errors: str = "strict",
    max_size: int | None = None,
    ngram: int = 5,
    partitions: int | None = None,
    on_error: Any = None,
) -> Any:
    """A DataFrame of :data:`PLAN_SCHEMA` rows: every plan of every input (``error`` null), and
    one row per file that could not be read (``error`` its message)."""
    from functools import partial

    rows_of = partial(plan_rows, encoding=encoding, errors=errors, max_size=max_size, ngram=ngram)
    return read_files(spark, paths, rows_of, PLAN_SCHEMA, partitions=partitions, on_error=on_error)
