"""The Spark engine behind ``--engine spark`` (thin: options in, library call, results out)."""

from __future__ import annotations

__all__ = ["similar_on_spark", "spark_session"]

from typing import Any

from ..errors import PlantextError


def spark_session(s: Any, master: str | None, partitions: int | None) -> Any:
    """A SparkSession, or one error line and exit 2 (no pyspark, no Java, a bad master)."""
    from ..spark import session

    try:
        return session(master, partitions)
    except PlantextError as e:
        s.fail(e)


def similar_on_spark(s: Any, paths: list[str], threshold: float, encoding: str | None, errors: str,
                     master: str | None, partitions: int | None, best_match: bool) -> tuple[Any, dict[str, str], int]:
    """``(result, titles, number of plans)`` of ``plantext similar --engine spark``."""
    from ..spark.similar import similar_paths

    if errors not in ("strict", "replace"):
        from ..i18n import tr

        s.fail(tr("cli.errors_choice", value=errors))
    spark = spark_session(s, master, partitions)
    try:
        result, titles = similar_paths(spark, paths, threshold, encoding=encoding, errors=errors,
                                       max_size=s.max_size(), partitions=partitions, on_error=s.error,
                                       star=best_match)
    except PlantextError as e:
        s.fail(e)
    except Exception as e:  # a bug or a cluster failure must still end in one line and a non-zero exit
        s.fail(f"similar failed: {type(e).__name__}: {e}")
    return result, titles, int(result.stats.get("plans", 0))
