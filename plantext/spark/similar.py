"""``plantext similar`` on Spark: the default engine's stages, composed as ``mapInPandas``
stages and SQL joins over plantext's own pure functions, with the same output.

Stage by stage (see :mod:`plantext.similarity.similar` for what each step means):

1. plans (``read.read_plans``): fold text, blanked below one n-gram, and its content hash;
2. stock 5-grams, counted on the driver over the sampled sources only (at most
   ``stock_sample`` sources, the ones with the smallest content hashes: order-free), then
   broadcast (its size is bounded by the sample, not the corpus);
3. sketch per plan (map): non-stock 5-grams → MinHash signature → band keys, and the sampled
   5-grams of the containment pass;
4. candidates (joins): equal content hashes, equal band keys (then the signature floor), and
   rare sampled 5-grams with enough votes;
5. verification per pair (map over the pair joined with both fold texts);
6. clusters: connected components on the driver, or by large-star/small-star joins when the
   pairs are more than ``driver_pairs``.

``star=True`` (giant clusters, for archive runs): inside a group of plans with one content
hash or one band key only the edges to the group's first plan are candidates (not every pair),
and the result lists each plan's best verified match instead of every pair; clusters are the
components of the verified edges.
"""

from __future__ import annotations

__all__ = ["similar_spark", "similar_paths"]

import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

import numpy as np

from ..errors import UsageError
from ..model import Match
from ..similarity.fingerprint import minhash_many, shingle_hashes, shingle_hashes_many, sorted_unique, unique_per_group
from ..similarity.similar import (
    HashSet,
    Options,
    SimilarResult,
    band_keys,
    clusters_of,
    containment_sample,
    lsh_floor,
    lsh_rows,
    sorted_clusters,
    stock_cut,
    stock_from_sample,
    verify_doc,
    verify_pair,
)
from . import note_memory
from .components import components

Progress = Callable[[str, int, int], None]
_SKETCH = "gid long, nvalid long, sig array<long>, bands array<long>, sample array<long>"
_VERIFIED = "a long, b long, score double, containment double"


# -- per-partition maps (pure functions of their rows and the broadcast stock set) -------------


def _chunks(lengths: list[int], chars: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` runs of consecutive texts of at most ``chars`` characters together
    (a longer text alone): the work of one step is bounded by characters, not plans."""
    start, size = 0, 0
    for k, n in enumerate(lengths):
        if k > start and size + n > chars:
            yield start, k
            start, size = k, 0
        size += n
    if start < len(lengths):
        yield start, len(lengths)


def _sketch(batches: Iterator[Any], stock: Any, opt: Options, rows: int, chars: int = 1 << 20) -> Iterator[Any]:
    import pandas as pd

    members = HashSet(stock.value)  # once per partition
    for b in batches:
        all_folds = b["fold"].tolist()
        gids = b["gid"].to_numpy()
        for c0, c1 in _chunks([len(f) for f in all_folds], chars):
            folds = all_folds[c0:c1]
            n = len(folds)
            pos, off = shingle_hashes_many(folds, opt.ngram)
            doc_of = np.repeat(np.arange(n, dtype=np.int64), np.diff(off))
            keep = ~members.contains(pos)
            ns, ns_doc = pos[keep], doc_of[keep]
            del pos, doc_of, keep
            ns_off = np.concatenate([[0], np.cumsum(np.bincount(ns_doc, minlength=n))]).astype(np.int64)
            sig = minhash_many(ns, ns_off, opt.num_perm, opt.seed)
            bands = band_keys(sig, rows).view(np.int64)
            sel = containment_sample(ns, opt.sample_bits)
            h, h_off = unique_per_group(ns[sel], ns_doc[sel], n)
            h = h.view(np.int64)
            yield pd.DataFrame(
                {
                    "gid": gids[c0:c1],
                    "nvalid": np.diff(ns_off),
                    "sig": list(sig.view(np.int64)),
                    "bands": list(bands),
                    "sample": [h[h_off[k] : h_off[k + 1]] for k in range(n)],
                }
            )
        note_memory("sketch")


def _verify(batches: Iterator[Any], stock: Any, opt: Options, cache_plans: int = 256) -> Iterator[Any]:
    from collections import OrderedDict

    import pandas as pd

    st = stock.value
    # the pairs come sorted by their first plan: that one recurs in a run; the second plans are
    # kept least-recently-used, at most ``cache_plans`` (a worker's memory does not grow with
    # the candidate sets)
    cache: OrderedDict[int, Any] = OrderedDict()

    def doc(gid: int, fold: str) -> Any:
        d = cache.get(gid)
        if d is None:
            h = shingle_hashes(fold, opt.ngram) if fold else np.zeros(0, dtype=np.uint64)
            d = cache[gid] = verify_doc(h, len(fold), st, opt.ngram)
            if len(cache) > cache_plans:
                cache.popitem(last=False)
        else:
            cache.move_to_end(gid)
        return d

    for b in batches:
        out = []
        for a, fa, da, bb, fb, db in zip(
            b["a"].tolist(),
            b["fold_a"].tolist(),
            b["doc_a"].tolist(),
            b["b"].tolist(),
            b["fold_b"].tolist(),
            b["doc_b"].tolist(),
        ):
            if da and da == db:  # plans cut from one document are not copies of each other
                continue
            score, cont = verify_pair(doc(a, fa), doc(bb, fb), opt.ngram)
            if max(score, cont) >= opt.threshold:
                out.append((a, bb, score, cont))
        yield pd.DataFrame(out, columns=["a", "b", "score", "containment"])
        note_memory(f"verify cache={len(cache)}")


# -- the job ---------------------------------------------------------------------------------


def _stock(spark: Any, plans: Any, opt: Options) -> tuple[np.ndarray, int]:
    """The stock set (sorted uint64) and the number of sources, exactly as the default engine
    counts it: sources numbered by their first plan, sampled by smallest content hash."""
    from pyspark.sql import functions as F

    srcs = plans.groupBy("source").agg(F.min("gid").alias("first"), F.min("content").alias("key"))
    n_src = srcs.count()
    if n_src <= stock_cut(n_src, opt):
        return stock_from_sample(np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64), n_src, opt), n_src
    picked = srcs.orderBy("key", "first").limit(opt.stock_sample) if n_src > opt.stock_sample else srcs
    rows = plans.join(F.broadcast(picked.select("source", "first")), "source").select("first", "fold").collect()
    by_source: dict[int, list[np.ndarray]] = {}
    for r in rows:
        if r.fold:
            by_source.setdefault(r.first, []).append(shingle_hashes(r.fold, opt.ngram))
    n_picked = min(n_src, opt.stock_sample)
    sets = [sorted_unique(np.concatenate(v)) for _, v in sorted(by_source.items())]
    sizes = [len(s) for s in sets] + [0] * (n_picked - len(sets))  # sources with only tiny texts count too
    values = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    return stock_from_sample(values, offsets, n_src, opt), n_src


def _pairs_in_groups(df: Any, keys: list[str], star: bool) -> Any:
    """``(a, b)`` with ``a < b`` for plans sharing ``keys``: every pair, or (``star``) each
    plan with the group's first plan."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if star:
        w = Window.partitionBy(*keys)
        return (
            df.withColumn("a", F.min("gid").over(w))
            .where(F.col("gid") != F.col("a"))
            .select("a", F.col("gid").alias("b"))
        )
    x, y = df.alias("x"), df.alias("y")
    cond = [F.col(f"x.{k}") == F.col(f"y.{k}") for k in keys] + [F.col("x.gid") < F.col("y.gid")]
    return x.join(y, cond).select(F.col("x.gid").alias("a"), F.col("y.gid").alias("b"))


def similar_spark(
    spark: Any,
    plans: Any,
    threshold: float = 0.5,
    *,
    star: bool = False,
    driver_pairs: int = 2_000_000,
    progress: Progress | None = None,
    **options: Any,
) -> SimilarResult:
    """:func:`plantext.similarity.similar.similar` on Spark over a DataFrame of plans
    (``read.PLAN_SCHEMA``; rows with an ``error`` are left out). Equal output."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    opt = Options(threshold=threshold, **options)
    if not 0 < opt.threshold <= 1:
        raise UsageError(key="cmd.threshold", value=opt.threshold)
    seconds: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(step: str, k: int = 1, total: int = 1) -> None:
        now = time.perf_counter()
        seconds[step] = round(now - clock[0], 3)
        clock[0] = now
        if progress:
            progress(step, k, total)

    plans = (
        plans.where(F.col("error").isNull())
        .select("gid", "id", "source", "doc", "title", "fold", "content")
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    n = plans.count()
    stats: dict[str, Any] = {"plans": n, "seconds": seconds, "engine": "spark"}
    lap("read")
    if n < 2:
        plans.unpersist()
        return SimilarResult([], [], stats)

    stock_arr, n_src = _stock(spark, plans, opt)
    stats["stock_ngrams"] = int(len(stock_arr))
    stats["sources"] = n_src
    stock = spark.sparkContext.broadcast(stock_arr)
    lap("stock")

    rows = lsh_rows(opt.threshold, opt.num_perm, opt.recall)
    stats["lsh_bands"] = [opt.num_perm // rows, rows]
    sketch = (
        plans.select("gid", "fold")
        .mapInPandas(partial(_sketch, stock=stock, opt=opt, rows=rows), _SKETCH)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )

    # candidates: identical fold texts ...
    exact = _pairs_in_groups(plans.where(F.length("fold") > 0).select("gid", "content"), ["content"], star)
    # ... MinHash-LSH bands, above the signature floor ...
    banded = sketch.where(F.col("nvalid") > 0).select("gid", F.posexplode("bands").alias("band", "key"))
    lsh = _pairs_in_groups(banded, ["band", "key"], star).distinct()
    sigs = sketch.select("gid", "sig")
    agree = F.aggregate(
        F.zip_with(F.col("sa"), F.col("sb"), lambda x, y: (x == y).cast("long")),
        F.lit(0).cast("long"),
        lambda acc, x: acc + x,
    )
    lsh = (
        lsh.join(sigs.select(F.col("gid").alias("a"), F.col("sig").alias("sa")), "a")
        .join(sigs.select(F.col("gid").alias("b"), F.col("sig").alias("sb")), "b")
        .where(agree.cast("double") / F.lit(float(opt.num_perm)) >= F.lit(lsh_floor(opt.threshold)))
        .select("a", "b")
    )
    # ... and rare sampled 5-grams with enough votes (containment)
    post = sketch.select("gid", F.explode("sample").alias("h"))
    df = post.groupBy("h").agg(F.count("*").alias("df")).where(F.col("df") <= opt.rare_df)
    post = post.join(df, "h")
    size = post.groupBy("gid").agg(F.count("*").alias("size"))
    shared = (
        _pairs_in_groups(post.where(F.col("df") >= 2).select("gid", "h"), ["h"], False)
        .groupBy("a", "b")
        .agg(F.count("*").alias("votes"))
    )
    cont = (
        shared.join(size.select(F.col("gid").alias("a"), F.col("size").alias("size_a")), "a")
        .join(size.select(F.col("gid").alias("b"), F.col("size").alias("size_b")), "b")
        .where(
            F.col("votes")
            >= F.greatest(  # similarity.similar.containment_need, as SQL
                F.lit(3.0), F.lit(0.5 * opt.threshold) * F.least("size_a", "size_b").cast("double")
            )
        )
        .select("a", "b")
    )
    cands = exact.unionByName(lsh).unionByName(cont).distinct()

    # verification, one pair at a time, with both fold texts joined in
    texts = plans.select("gid", "fold", "doc")
    joined = (
        cands.join(
            texts.select(F.col("gid").alias("a"), F.col("fold").alias("fold_a"), F.col("doc").alias("doc_a")), "a"
        )
        .join(texts.select(F.col("gid").alias("b"), F.col("fold").alias("fold_b"), F.col("doc").alias("doc_b")), "b")
        .repartition("a")
        .sortWithinPartitions("a", "b")
        .select("a", "fold_a", "doc_a", "b", "fold_b", "doc_b")
    )
    verified = joined.mapInPandas(partial(_verify, stock=stock, opt=opt), _VERIFIED).persist(
        StorageLevel.MEMORY_AND_DISK
    )
    n_verified = verified.count()
    stats["verified"] = n_verified
    lap("verify")

    ids = plans.select("gid", "id")
    if star:
        result_pairs = _best_match(verified)
    else:
        result_pairs = verified
    named = result_pairs.join(ids.select(F.col("gid").alias("a"), F.col("id").alias("id_a")), "a").join(
        ids.select(F.col("gid").alias("b"), F.col("id").alias("id_b")), "b"
    )
    matches = [Match(r.id_a, r.id_b, round(r.score, 4), round(r.containment, 4)) for r in named.collect()]
    matches.sort(key=lambda m: (-max(m.score, m.containment), -m.score, m.a, m.b))
    stats["pairs"] = len(matches)
    lap("pairs")

    if n_verified <= driver_pairs:
        edges = [(r.a, r.b) for r in verified.select("a", "b").collect()]
        nodes = (
            verified.select(F.col("a").alias("gid")).unionByName(verified.select(F.col("b").alias("gid"))).distinct()
        )
        gid_id = {r.gid: r.id for r in ids.join(nodes, "gid").collect()}
        at = {g: k for k, g in enumerate(sorted(gid_id))}
        names = [gid_id[g] for g in sorted(gid_id)]
        clusters = clusters_of(names, [(at[a], at[b]) for a, b in edges])
    else:
        roots = components(spark, verified.select("a", "b"))
        clusters = sorted_clusters(
            r.members
            for r in roots.join(ids.select(F.col("gid").alias("node"), "id"), "node")
            .groupBy("root")
            .agg(F.collect_list("id").alias("members"))
            .collect()
        )
    lap("clusters")
    for df_ in (verified, sketch, plans):
        df_.unpersist()
    stock.unpersist()
    return SimilarResult(matches, clusters, stats)


def _best_match(verified: Any) -> Any:
    """Each plan's best verified edge (highest ``max(score, containment)``, then score, then
    the other plan's number), each edge once."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    both = verified.select(
        "a", "b", "score", "containment", F.col("a").alias("me"), F.col("b").alias("other")
    ).unionByName(verified.select("a", "b", "score", "containment", F.col("b").alias("me"), F.col("a").alias("other")))
    w = Window.partitionBy("me").orderBy(F.greatest("score", "containment").desc(), F.col("score").desc(), "other")
    return (
        both.withColumn("k", F.row_number().over(w))
        .where(F.col("k") == 1)
        .select("a", "b", "score", "containment")
        .distinct()
    )


def similar_paths(
    spark: Any,
    paths: Iterable[str],
    threshold: float = 0.5,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    max_size: int | None = None,
    partitions: int | None = None,
    on_error: Callable[[str], None] | None = None,
    star: bool = False,
    progress: Progress | None = None,
    **options: Any,
) -> tuple[SimilarResult, dict[str, str]]:
    """Read ``paths`` on Spark and find near-duplicates: ``(result, titles of the paired plans)``.
    ``on_error(message)`` gets one line per file that could not be read, in input order."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from .read import read_plans

    listing_errors: list[Any] = []
    df = read_plans(
        spark,
        paths,
        encoding=encoding,
        errors=errors,
        max_size=max_size,
        partitions=partitions,
        ngram=options.get("ngram", Options.ngram),
        on_error=listing_errors.append,
    ).persist(StorageLevel.MEMORY_AND_DISK)
    if on_error:
        for e in listing_errors:
            on_error(str(e))
        for r in df.where(F.col("error").isNotNull()).select("gid", "error").orderBy("gid").collect():
            on_error(r.error)
    result = similar_spark(spark, df, threshold, star=star, progress=progress, **options)
    paired = sorted({x for m in result.pairs for x in (m.a, m.b)})
    titles: dict[str, str] = {}
    if paired:
        want = spark.createDataFrame([(x,) for x in paired], "id string")
        titles = {r.id: r.title for r in df.join(F.broadcast(want), "id").select("id", "title").collect()}
    df.unpersist()
    return result, titles
