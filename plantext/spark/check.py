"""``check --index`` against a Parquet library on Spark: each submission's candidates are found
by joins over the library's tables (grams, postings, clause_stats: archive-sized), then each
submission is aligned on the driver against its ≤ 50 candidates only, with the same functions
as the SQLite path (:func:`plantext.index.reference_index_from`, ``check.check_doc``): the
same results.

Submissions are done ``batch`` at a time, so the driver holds the candidates of one batch.
"""

from __future__ import annotations

__all__ = ["ParquetLibrary", "check_parquet"]

import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import LibraryError
from ..index import Lookups, _i64, _unpack_offsets, rare_limits, rare_weights, reference_index_from, winnow
from .library import TABLES


class ParquetLibrary:
    """The tables of a Parquet library folder as Spark DataFrames (``export_parquet``)."""

    def __init__(self, spark: Any, folder: str) -> None:
        from ..index import fingerprint_settings

        self.spark = spark
        self.folder = str(folder)
        local = "://" not in self.folder
        for t in TABLES:
            if local and not (Path(self.folder) / f"{t}.parquet").exists():
                raise LibraryError(key="spark.not_a_library", path=self.folder, what=f"{t}.parquet")
        self.t = {t: spark.read.parquet(f"{self.folder.rstrip('/')}/{t}.parquet") for t in TABLES}
        meta = {r.key: r.value for r in self.t["meta"].collect()}
        now = fingerprint_settings()
        differ = [k for k in now if k in meta and meta[k] != now[k]]
        if differ:
            raise LibraryError(
                key="index.settings_differ",
                path=self.folder,
                settings=", ".join(f"{k} {meta[k]} ≠ {now[k]}" for k in differ),
            )
        self.n_plans = self.t["plans"].count()
        self.n_sources = self.t["sources"].count()

    def docs(self, rowids: Sequence[int], params: Any, cache: dict) -> list:
        """``align.Doc`` records of stored plans (as ``Library.docs``), cached in ``cache``."""
        from pyspark.sql import functions as F

        from ..similarity.align import doc_from_text

        todo = sorted({int(r) for r in rowids if ("doc", int(r)) not in cache})
        if todo:
            want = self.spark.createDataFrame([(r,) for r in todo], "rowid long")
            plans = (
                self.t["plans"]
                .join(F.broadcast(want), "rowid")
                .select("rowid", "id", F.col("source").alias("sid"), "plan", "title", "fold", "offsets")
            )
            src = self.t["sources"].select(F.col("rowid").alias("sid"), "path", F.col("text").alias("blob"))
            for r in plans.join(src, "sid").collect():
                text = cache.get(("src", r.sid))
                if text is None:
                    text = cache[("src", r.sid)] = zlib.decompress(r.blob).decode("utf-8")
                starts, ends = _unpack_offsets(r.offsets, len(r.fold))
                cache[("doc", r.rowid)] = doc_from_text(
                    r.id, r.path, r.plan, r.fold, text, starts, ends, title=r.title, ngram=params.ngram
                )
        return [cache[("doc", int(r))] for r in rowids]

    def lookups(self, subs: Sequence[Any], limit: int = 50) -> list[Lookups]:
        """:meth:`plantext.index.Library.lookups` of many submissions at once, by joins."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        from ..similarity.boilerplate import min_sources_for

        spark = self.spark
        q = [(k, h) for k, sub in enumerate(subs) for h in dict.fromkeys(_i64(sub.hashes[winnow(sub.hashes)]))]
        stats: list[dict[int, tuple[int, int]]] = [{} for _ in subs]
        if q:
            qdf = spark.createDataFrame(q, "k long, hash long")
            for r in qdf.join(self.t["grams"], "hash").select("k", "hash", "plans", "sources").collect():
                stats[r.k][r.hash] = (r.plans, r.sources)
        rare = [(k, h, w) for k in range(len(subs)) for h, w in rare_weights(stats[k], self.n_plans, self.n_sources)]
        ranked: list[list[int]] = [[] for _ in subs]
        if rare:
            rdf = spark.createDataFrame(rare, "k long, hash long, w double")
            # the weights summed in hash order (as SQLite's join over its hash-keyed table does)
            got = (
                rdf.join(self.t["postings"], "hash")
                .groupBy("k", "plan")
                .agg(
                    F.aggregate(
                        F.array_sort(F.collect_list(F.struct("hash", "w"))), F.lit(0.0), lambda acc, x: acc + x["w"]
                    ).alias("s")
                )
            )
            w = Window.partitionBy("k").orderBy(F.col("s").desc(), F.col("plan"))
            got = got.withColumn("n", F.row_number().over(w)).where(F.col("n") <= limit + 1)
            for r in sorted(got.select("k", "n", "plan").collect()):
                ranked[r.k].append(r.plan)
        own: dict[str, int] = {}
        ids = sorted({s.id for s in subs})
        if ids:
            want = spark.createDataFrame([(i,) for i in ids], "id string")
            own = {r.id: r.rowid for r in self.t["plans"].join(F.broadcast(want), "id").select("id", "rowid").collect()}
        clauses: list[list[tuple[int, int, int]]] = [[] for _ in subs]
        if self.n_sources >= min_sources_for(self.n_sources):
            c = [
                (k, h)
                for k, sub in enumerate(subs)
                if sub.clauses is not None and len(sub.clauses)
                for h in _i64(np.unique(sub.clauses[sub.clauses != 0]))
            ]
            if c:
                cdf = spark.createDataFrame(c, "k long, hash long")
                for r in cdf.join(self.t["clause_stats"], "hash").select("k", "hash", "sources", "example").collect():
                    clauses[r.k].append((r.hash, r.sources, r.example))
                for x in clauses:
                    x.sort()  # SQLite returns them in hash order (its primary key)
        return [
            Lookups(self.n_plans, self.n_sources, stats[k], ranked[k], own.get(subs[k].id), clauses[k])
            for k in range(len(subs))
        ]

    def word_candidates(
        self, subs: Sequence[Any], looks: Sequence[Lookups], limit: int = 50, word_limit: int = 20, min_shared: int = 3
    ) -> list[list[int]]:
        """The word channel's candidates of many submissions at once, by joins: as
        ``Library._word_candidates`` (stored plans sharing at least ``min_shared`` rare content
        words, weighted by 1 / the plans holding each, best first, not the ranked candidates
        nor the plan itself), up to ``word_limit`` per submission."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        from ..similarity.reword import word_hashes

        out: list[list[int]] = [[] for _ in subs]
        if word_limit <= 0 or not subs:
            return out
        max_df = rare_limits(self.n_plans, self.n_sources)[0]
        q = [(k, h) for k, sub in enumerate(subs) for h in dict.fromkeys(_i64(word_hashes(sub.fold)))]
        if not q:
            return out
        qdf = self.spark.createDataFrame(q, "k long, hash long")
        rare = (
            qdf.join(self.t["grams"].select("hash", "plans"), "hash")
            .where((F.col("plans") > 0) & (F.col("plans") <= max_df))
            .select("k", "hash", (F.lit(1.0) / F.col("plans")).alias("w"))
        )
        got = (
            rare.join(self.t["postings"], "hash")
            .groupBy("k", "plan")
            .agg(
                F.count("*").alias("n_shared"),
                # summed in hash order, as SQLite's join over its hash-keyed query table does
                F.aggregate(
                    F.array_sort(F.collect_list(F.struct("hash", "w"))), F.lit(0.0), lambda acc, x: acc + x["w"]
                ).alias("s"),
            )
            .where(F.col("n_shared") >= min_shared)
        )
        # SQLite takes the first word_limit + |skip| and drops the skipped: the first word_limit
        # not skipped, which the first word_limit + limit + 2 (|skip| <= limit + 2) hold as well
        w = Window.partitionBy("k").orderBy(F.col("s").desc(), F.col("plan"))
        got = got.withColumn("n", F.row_number().over(w)).where(F.col("n") <= word_limit + limit + 2)
        ranked: list[list[int]] = [[] for _ in subs]
        for r in sorted(got.select("k", "n", "plan").collect()):
            ranked[r.k].append(r.plan)
        for k, look in enumerate(looks):
            skip = {*look.ranked[: limit + 1], look.own if look.own is not None else -1}
            out[k] = [r for r in ranked[k] if r not in skip][:word_limit]
        return out


def check_parquet(
    spark: Any,
    folder: str,
    submissions: Sequence[Any],
    *,
    boilerplate: Sequence[Any] | None = None,
    stock: bool = True,
    quotes: Sequence[Any] = (),
    limit: int = 50,
    word_limit: int = 20,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> list:
    """``check_against`` on a Parquet library: the same ``DocumentCheck`` records (``limit``
    candidates by seed n-grams, ``word_limit`` more by content words, as
    ``Library.reference_index``)."""
    from ..similarity.align import AlignParams, make_doc
    from ..similarity.check import build_index, check_doc

    lib = ParquetLibrary(spark, folder)
    p = AlignParams()
    bp_index = build_index(list(boilerplate), p, max_df=1 << 30) if boilerplate else None
    out = []
    for b0 in range(0, len(submissions), batch):
        plans = submissions[b0 : b0 + batch]
        docs = [make_doc(plan, p.ngram) for plan in plans]
        looks = lib.lookups(docs, limit)
        extras = lib.word_candidates(docs, looks, limit, word_limit) if p.words else [[] for _ in docs]
        need = [r for look, ex in zip(looks, extras) for r in [*look.ranked, *ex, *(c[2] for c in look.clauses)]]
        cache: dict = {}
        lib.docs(need, p, cache)  # one join for the batch

        def stored(rowids: list[int], c: dict = cache) -> list:
            return lib.docs(rowids, p, c)

        for plan, doc, look, extra in zip(plans, docs, looks, extras):
            idx = reference_index_from(doc, look, stored, p, limit, extra)
            out.append(check_doc(doc, idx, bp_index, stock=stock, exclude=(doc.id,), plan=plan, quotes=quotes))
            if progress:
                progress(len(out), len(submissions))
    return out
