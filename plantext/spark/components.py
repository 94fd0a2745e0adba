"""Connected components of a pair graph: large-star/small-star joins on Spark DataFrames
(Kiveris et al., "Connected Components in MapReduce and Beyond", 2014), or on the driver
(``scipy``) when the pairs fit there. GraphFrames is not needed."""

from __future__ import annotations

__all__ = ["components", "components_local"]

from collections.abc import Iterable
from typing import Any

import numpy as np


def components_local(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """``{node: smallest node of its component}`` for the nodes of ``edges`` (on the driver)."""
    e = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
    if len(e) == 0:
        return {}
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes, inv = np.unique(e, return_inverse=True)
    inv = inv.reshape(-1, 2)
    n = len(nodes)
    graph = coo_matrix((np.ones(len(inv), dtype=np.int8), (inv[:, 0], inv[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    root = np.full(labels.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(root, labels, nodes)
    return dict(zip(nodes.tolist(), root[labels].tolist()))


def _large_star(e: Any) -> Any:
    from pyspark.sql import functions as F

    sym = e.select("u", "v").unionByName(e.select(F.col("v").alias("u"), F.col("u").alias("v")))
    mins = sym.groupBy("u").agg(F.min("v").alias("m")).withColumn("m", F.least("u", "m"))
    # every larger neighbour of u is linked to the smallest node around u
    return (
        sym.join(mins, "u")
        .where(F.col("v") > F.col("u"))
        .select(F.col("v").alias("u"), F.col("m").alias("v"))
        .distinct()
    )


def _small_star(e: Any) -> Any:
    from pyspark.sql import functions as F

    o = e.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
    mins = o.groupBy("u").agg(F.min("v").alias("m"))
    # u and its smaller neighbours are linked to the smallest of them
    linked = o.join(mins, "u").select(F.col("v").alias("u"), F.col("m").alias("v")).where(F.col("u") != F.col("v"))
    return linked.unionByName(mins.select("u", F.col("m").alias("v"))).distinct()


def components(spark: Any, edges: Any, max_rounds: int = 64) -> Any:
    """A DataFrame ``(node long, root long)``: every node of ``edges`` (columns ``a``, ``b``,
    long) with the smallest node of its connected component, by alternating large-star and
    small-star rounds until the edges stop changing (each round's result is checkpointed
    locally, so the plan does not grow)."""
    from pyspark.sql import functions as F

    e = (
        edges.select(F.greatest("a", "b").alias("u"), F.least("a", "b").alias("v"))
        .where(F.col("u") != F.col("v"))
        .distinct()
        .localCheckpoint()
    )
    for _ in range(max_rounds):
        nxt = _small_star(_large_star(e)).localCheckpoint()
        if nxt.count() == e.count() and nxt.exceptAll(e).isEmpty():
            e = nxt
            break
        e = nxt
    else:  # pragma: no cover - the rounds converge in O(log n)
        raise RuntimeError("connected components did not converge")
    roots = e.select(F.col("v").alias("node")).distinct().withColumn("root", F.col("node"))
    return e.select(F.col("u").alias("node"), F.col("v").alias("root")).unionByName(roots).distinct()
