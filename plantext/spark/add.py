"""``plantext index add --engine spark``: plans stored into a Parquet library folder by Spark,
the same tables as the SQLite library (:mod:`plantext.index`), built directly (no SQLite).

Stage by stage:

1. read → clean → split → fingerprint, per file on the executors (``index._prepare``: fold view
   and offset map, MinHash signature and band keys, winnowed seed n-grams and content words,
   boilerplate clauses) — the rows of the new plans;
2. dedupe by joins with the stored plans: a plan whose content (sha256 of its text) is stored,
   or held by an earlier plan of this input, is skipped; a plan whose id is stored with other
   content is refused (as ``Library.add`` does);
3. rowids in input order after the stored ones (a source gets its rowid at its first new plan),
   as SQLite gives them, so that a Parquet library and a SQLite library made of the same adds
   are the same rows;
4. the new rows of ``sources``, ``plans``, ``postings``, ``clauses`` and ``bands`` are written
   beside the library (``_adding/``), ``grams`` and ``clause_stats`` recounted from all postings
   and clauses (plans and distinct sources holding each hash; a clause's example is its first
   plan), then moved in: new part files into the appended tables, the recounted tables swapped.

A library folder holds one folder per table (``plans.parquet/part-*.parquet``); a library
written by an older ``index export --parquet`` (one file per table) is turned into that layout
first. The fingerprint settings in ``meta`` are checked as ``Library`` checks them.
"""

from __future__ import annotations

__all__ = ["LIB_SCHEMAS", "SparkAddReport", "add_parquet", "library_rows"]

import json
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..errors import LibraryError
from .library import TABLES

# the SQLite tables' columns (plantext.index._SCHEMA), as written by export_parquet
LIB_SCHEMAS = {
    "meta": "key string, value string",
    "sources": "rowid long, path string, sha256 string, format string, encoding string, text binary, added string",
    "plans": "rowid long, id string, source long, plan long, title string, start long, `end` long, sha256 string, "
    "meta string, flags string, fold string, offsets binary, signature binary, added string",
    "postings": "hash long, plan long",
    "grams": "hash long, plans long, sources long",
    "clauses": "hash long, plan long",
    "clause_stats": "hash long, sources long, example long",
    "bands": "band long, key long, plan long",
}
_APPENDED = ("sources", "plans", "postings", "clauses", "bands")
_RECOUNTED = ("grams", "clause_stats")
_STAGING = "_adding"

# one row per plan (or per unreadable file: ``error``; per plan that cannot be fingerprinted: ``refused``)
_ROWS = (
    "gid long, path string, src_sha string, format string, encoding string, src_text binary, id string, "
    "plan long, title string, start long, `end` long, sha256 string, meta string, flags string, fold string, "
    "offsets binary, signature binary, bands array<long>, grams array<long>, clauses array<long>, "
    "meta_row long, meta_ok boolean, error string, refused string"
)
_COLUMNS = [c.strip().split()[0].strip("`") for c in _ROWS.split(",")]


@dataclass
class SparkAddReport:
    """What :func:`add_parquet` did: counts (the ids of a million-plan add stay on the cluster)."""

    added: int = 0
    skipped: int = 0  # same content stored already, or earlier in this input
    refused: list[str] = field(default_factory=list)  # messages: id taken by other content, no fingerprint
    unmatched: int = 0  # plans no manifest row or path pattern gave metadata (when one was given)
    unmatched_ids: list[str] = field(default_factory=list)  # the first few of them
    unused_rows: list[int] = field(default_factory=list)  # manifest lines that matched no plan


def library_rows(
    file_no: int,
    name: str,
    data: bytes | None,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    max_size: int | None = None,
    manifest: Any = None,
    pattern: str | None = None,
) -> list[dict[str, Any]]:
    """The library rows of one file (runs on an executor): everything ``Library.add`` stores
    per plan, or one error row. Pure: name and bytes in, rows out."""
    from ..i18n import tr
    from ..index import _prepare
    from ..names import path_text
    from .read import PLAN_BITS, error_gid, read_file

    src, plans, err = read_file(name, data, encoding, errors, max_size)
    rows: list[dict[str, Any]] = []
    empty = dict.fromkeys(_COLUMNS)
    if plans:
        meta_rows: list[int | None] = [None] * len(plans)
        ok = [True] * len(plans)
        if manifest is not None or pattern:
            from ..meta import apply_meta

            rep = apply_meta(plans, manifest, pattern)
            missing = set(rep.unmatched)
            ok = [p.id not in missing for p in plans]
            if manifest is not None:
                meta_rows = [manifest.match(p) for p in plans]
        blob = zlib.compress(src.text.encode("utf-8"), 6)
        for k, p in enumerate(plans):
            row = {
                **empty,
                "gid": (file_no << PLAN_BITS) | k,
                "path": src.path,
                "src_sha": src.sha256,
                "format": src.format,
                "encoding": src.encoding,
                "src_text": blob if k == 0 else None,  # a source's text once, on its first plan's row
                "id": p.id,
                "plan": p.plan,
                "title": p.title,
                "start": p.start,
                "end": p.end,
                "meta_row": meta_rows[k],
                "meta_ok": ok[k],
            }
            try:
                pr = _prepare(p)
            except (ValueError, TypeError, UnicodeError, IndexError, AttributeError) as e:
                row["refused"] = f"{path_text(p.id)}: {tr('index.cannot_fingerprint', reason=e)}"
                rows.append(row)
                continue
            row.update(
                sha256=pr.sha,
                meta=json.dumps(p.meta, ensure_ascii=False, default=str),
                flags=json.dumps(p.flags),
                fold=pr.fold,
                offsets=pr.offsets,
                signature=pr.signature.tobytes(),
                bands=pr.bands,
                grams=pr.grams,
                clauses=pr.clauses,
            )
            rows.append(row)
    if err is not None:
        rows.append({**empty, "gid": error_gid(file_no), "path": name, "error": str(err)})
    return rows


class _Fs:
    """The library folder's file system (Hadoop's: a local folder, hdfs://, s3a:// ...)."""

    def __init__(self, spark: Any, root: str) -> None:
        jvm = spark._jvm
        self._path = jvm.org.apache.hadoop.fs.Path
        self.root = root.rstrip("/") or "/"
        self.fs = self._path(self.root).getFileSystem(spark._jsc.hadoopConfiguration())

    def p(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def exists(self, path: str) -> bool:
        return bool(self.fs.exists(self._path(path)))

    def is_dir(self, path: str) -> bool:
        return bool(self.fs.getFileStatus(self._path(path)).isDirectory())

    def names(self, path: str) -> list[str]:
        return sorted(str(st.getPath().getName()) for st in self.fs.listStatus(self._path(path)))

    def mkdirs(self, path: str) -> None:
        self.fs.mkdirs(self._path(path))

    def move(self, src: str, dst: str) -> None:
        if not self.fs.rename(self._path(src), self._path(dst)):
            raise OSError(f"cannot move {src} to {dst}")

    def delete(self, path: str) -> None:
        self.fs.delete(self._path(path), True)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


def _open(spark: Any, fs: _Fs) -> tuple[bool, dict[str, str]]:
    """``(exists, meta)`` of the library folder; a folder with some tables but not all, newer
    schema or other fingerprint settings is refused; one-file tables become folders."""
    from ..index import SCHEMA_VERSION, fingerprint_settings

    have = [t for t in TABLES if fs.exists(fs.p(f"{t}.parquet"))]
    if not have:
        return False, {}
    missing = [t for t in TABLES if t not in have]
    if missing:
        raise LibraryError(key="spark.not_a_library", path=fs.root, what=f"{missing[0]}.parquet")
    for t in TABLES:  # an older export: one file per table -> a folder holding that file
        f = fs.p(f"{t}.parquet")
        if not fs.is_dir(f):
            fs.move(f, f + ".moving")
            fs.mkdirs(f)
            fs.move(f + ".moving", f"{f}/part-00000-exported.parquet")
    meta = {r.key: r.value for r in spark.read.schema(LIB_SCHEMAS["meta"]).parquet(fs.p("meta.parquet")).collect()}
    try:
        version = int(str(meta.get("schema_version", "0")).strip())
    except ValueError:
        raise LibraryError(key="index.bad_version", path=fs.root, value=str(meta.get("schema_version"))[:40]) from None
    if version != SCHEMA_VERSION:
        key = "index.newer" if version > SCHEMA_VERSION else "index.needs_upgrade"
        raise LibraryError(key=key, path=fs.root, version=version, supported=SCHEMA_VERSION)
    now = fingerprint_settings()
    differ = [k for k in now if k in meta and meta[k] != now[k]]
    if differ:
        raise LibraryError(
            key="index.settings_differ", path=fs.root, settings=", ".join(f"{k} {meta[k]} ≠ {now[k]}" for k in differ)
        )
    return True, meta


def _with_rowids(df: Any, order: str, start: int, name: str) -> Any:
    """``df`` (one row per key) numbered ``start, start + 1, ...`` in ``order`` (distributed:
    ``zipWithIndex`` over the sorted rows, no single partition)."""
    from pyspark.sql.types import LongType, StructField, StructType

    cols = df.columns
    schema = StructType([*df.schema.fields, StructField(name, LongType(), False)])
    rdd = df.orderBy(order).rdd.zipWithIndex().map(lambda t: (*t[0], start + t[1]))
    return df.sparkSession.createDataFrame(rdd, schema).select(*cols, name)


def add_parquet(
    spark: Any,
    folder: str,
    paths: Iterable[str],
    *,
    encoding: str | None = None,
    errors: str = "strict",
    max_size: int | None = None,
    manifest: Any = None,
    pattern: str | None = None,
    partitions: int | None = None,
    on_error: Callable[[str], None] | None = None,
) -> SparkAddReport:
    """Store the plans of ``paths`` in the Parquet library ``folder`` (made when missing), as
    ``Library.add`` stores them in SQLite. ``on_error(message)``: one line per unreadable file,
    in input order. ``manifest`` (``meta.Manifest``) / ``pattern``: metadata, as ``--meta`` and
    ``--meta-from-path`` give it."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from .. import __version__
    from ..i18n import tr
    from ..index import SCHEMA_VERSION, fingerprint_settings
    from .read import read_files

    fs = _Fs(spark, str(folder))
    exists, _meta = _open(spark, fs)
    stage = fs.p(_STAGING)
    if fs.exists(stage):  # left by an add that stopped before moving anything in
        fs.delete(stage)

    def table(t: str) -> Any:
        if exists:
            return spark.read.schema(LIB_SCHEMAS[t]).parquet(fs.p(f"{t}.parquet"))
        return spark.createDataFrame([], LIB_SCHEMAS[t])

    listing: list[Any] = []
    rows_of = partial(
        library_rows, encoding=encoding, errors=errors, max_size=max_size, manifest=manifest, pattern=pattern
    )
    rows = read_files(
        spark, paths, rows_of, _ROWS, partitions=partitions, on_error=listing.append, stage="index add"
    ).persist(StorageLevel.MEMORY_AND_DISK)
    rep = SparkAddReport()
    if on_error:
        for e in listing:
            on_error(str(e))
        for r in rows.where(F.col("error").isNotNull()).select("gid", "error").orderBy("gid").collect():
            on_error(r.error)
    plans_in = rows.where(F.col("error").isNull())
    if manifest is not None or pattern:
        rep.unmatched = plans_in.where(~F.col("meta_ok")).count()
        rep.unmatched_ids = [
            r.id for r in plans_in.where(~F.col("meta_ok")).orderBy("gid").select("id").limit(5).collect()
        ]
        if manifest is not None:
            used = {
                r.meta_row
                for r in plans_in.where(F.col("meta_row").isNotNull()).select("meta_row").distinct().collect()
            }
            rep.unused_rows = [manifest.lines[i] for i in range(len(manifest.rows)) if i not in used]
    refused = [
        (r.gid, r.refused) for r in plans_in.where(F.col("refused").isNotNull()).select("gid", "refused").collect()
    ]
    good = plans_in.where(F.col("refused").isNull())

    # dedupe, as Library.add: content stored -> skipped; id stored (other content) -> refused;
    # content held by an earlier plan of this input -> skipped
    old_plans = table("plans")
    keys = good.select("gid", "id", "sha256").join(
        old_plans.select("sha256", F.col("id").alias("old_id")), "sha256", "left"
    )
    skipped = keys.where(F.col("old_id").isNotNull()).count()
    keys = keys.where(F.col("old_id").isNull()).join(old_plans.select("id", F.lit(True).alias("taken")), "id", "left")
    taken = tr("library.id_taken")
    refused += [
        (r.gid, f"{r.id}: {taken}") for r in keys.where(F.col("taken").isNotNull()).select("gid", "id").collect()
    ]
    keys = keys.where(F.col("taken").isNull())
    keys = keys.withColumn("first", F.min("gid").over(Window.partitionBy("sha256")))
    skipped += keys.where(F.col("gid") != F.col("first")).count()
    keys = keys.where(F.col("gid") == F.col("first"))
    keys = keys.withColumn("n", F.row_number().over(Window.partitionBy("id").orderBy("gid")))  # one id named twice
    refused += [(r.gid, f"{r.id}: {taken}") for r in keys.where(F.col("n") > 1).select("gid", "id").collect()]
    keys = keys.where(F.col("n") == 1).select("gid")
    rep.skipped = skipped
    rep.refused = [m for _, m in sorted(refused)]

    n_new = keys.count()
    rep.added = n_new
    if n_new == 0:
        rows.unpersist()
        if not exists:  # an empty library is still a library (as SQLite makes one)
            _write_meta(spark, fs, stage, SCHEMA_VERSION, fingerprint_settings(), __version__)
            for t in TABLES:
                if t != "meta":
                    spark.createDataFrame([], LIB_SCHEMAS[t]).write.parquet(fs.p(_STAGING, f"{t}.parquet"))
            _commit(fs, exists)
        return rep

    max_pid = old_plans.agg(F.max("rowid")).first()[0] or 0
    old_src = table("sources")
    max_sid = old_src.agg(F.max("rowid")).first()[0] or 0
    ids = _with_rowids(keys, "gid", max_pid + 1, "rowid")
    new = rows.join(ids, "gid").persist(StorageLevel.MEMORY_AND_DISK)
    # sources: a stored one (same path and content) or a new one, numbered at its first new plan
    firsts = new.groupBy("path", "src_sha").agg(F.min("gid").alias("first"))
    known = firsts.join(
        old_src.select(F.col("rowid").alias("sid"), "path", F.col("sha256").alias("src_sha")),
        ["path", "src_sha"],
        "left",
    )
    fresh = _with_rowids(
        known.where(F.col("sid").isNull()).select("path", "src_sha", "first"), "first", max_sid + 1, "sid"
    )
    src_ids = (
        known.where(F.col("sid").isNotNull())
        .select("path", "src_sha", "sid")
        .unionByName(fresh.select("path", "src_sha", "sid"))
    )
    blobs = (
        rows.where(F.col("src_text").isNotNull())
        .select("path", "src_sha", "format", "encoding", "src_text")
        .dropDuplicates(["path", "src_sha"])
    )
    added = F.lit(_now())
    out = {
        "sources": fresh.join(blobs, ["path", "src_sha"]).select(
            F.col("sid").alias("rowid"),
            "path",
            F.col("src_sha").alias("sha256"),
            "format",
            "encoding",
            F.col("src_text").alias("text"),
            added.alias("added"),
        ),
        "plans": new.join(src_ids, ["path", "src_sha"]).select(
            "rowid",
            "id",
            F.col("sid").alias("source"),
            "plan",
            "title",
            "start",
            "end",
            "sha256",
            "meta",
            "flags",
            "fold",
            "offsets",
            "signature",
            added.alias("added"),
        ),
        "postings": new.select(F.explode("grams").alias("hash"), F.col("rowid").alias("plan")),
        "clauses": new.select(F.explode("clauses").alias("hash"), F.col("rowid").alias("plan")),
        "bands": new.select(F.posexplode("bands").alias("band", "key"), F.col("rowid").alias("plan")).select(
            F.col("band").cast("long"), "key", "plan"
        ),
    }
    for t, df in out.items():
        df.write.parquet(fs.p(_STAGING, f"{t}.parquet"))
    new.unpersist()
    rows.unpersist()

    def staged(t: str) -> Any:
        return spark.read.schema(LIB_SCHEMAS[t]).parquet(fs.p(_STAGING, f"{t}.parquet"))

    # statistics over the whole library: plans and distinct sources per hash (as Library keeps them)
    owner = (
        table("plans")
        .select(F.col("rowid").alias("plan"), "source")
        .unionByName(staged("plans").select(F.col("rowid").alias("plan"), "source"))
    )
    postings = table("postings").unionByName(staged("postings"))
    postings.join(owner, "plan").groupBy("hash").agg(
        F.count("*").alias("plans"), F.countDistinct("source").alias("sources")
    ).write.parquet(fs.p(_STAGING, "grams.parquet"))
    clauses = table("clauses").unionByName(staged("clauses"))
    clauses.join(owner, "plan").groupBy("hash").agg(
        F.countDistinct("source").alias("sources"), F.min("plan").alias("example")
    ).write.parquet(fs.p(_STAGING, "clause_stats.parquet"))
    if not exists:
        _write_meta(spark, fs, stage, SCHEMA_VERSION, fingerprint_settings(), __version__)
    _commit(fs, exists)
    return rep


def _write_meta(spark: Any, fs: _Fs, stage: str, version: int, settings: dict[str, str], plantext: str) -> None:
    rows = [("schema_version", str(version)), *settings.items(), ("created", _now()), ("plantext", plantext)]
    spark.createDataFrame(rows, LIB_SCHEMAS["meta"]).coalesce(1).write.parquet(f"{stage}/meta.parquet")


def _commit(fs: _Fs, exists: bool) -> None:
    """Move the staged tables in: new part files into the appended tables, the recounted
    tables (and a new library's meta, last: it marks the folder as a library) swapped."""
    stage = fs.p(_STAGING)
    fs.mkdirs(fs.root)
    for t in _APPENDED:
        dst = fs.p(f"{t}.parquet")
        if not fs.exists(dst):
            fs.mkdirs(dst)
        src = f"{stage}/{t}.parquet"
        for name in fs.names(src):
            if name.endswith(".parquet") and not name.startswith((".", "_")):
                fs.move(f"{src}/{name}", f"{dst}/{name}")
    for t in (*_RECOUNTED, *(() if exists else ("meta",))):
        dst = fs.p(f"{t}.parquet")
        if fs.exists(dst):
            fs.move(dst, f"{stage}/old-{t}.parquet")
        fs.move(f"{stage}/{t}.parquet", dst)
    fs.delete(stage)
