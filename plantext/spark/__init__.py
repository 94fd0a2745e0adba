"""The same stages on Apache Spark (``pip install 'plantext[spark]'``).

plantext's own pure stage functions (:mod:`plantext.similarity.similar`,
:mod:`plantext.similarity.fingerprint`) composed as ``mapInPandas`` stages and SQL joins:
read → clean → split → fold (per file), stock sample (driver, bounded by the sample), sketch
and band keys (per plan), candidate pairs (joins on band keys, content hashes and rare sampled
5-grams), verification (per pair), connected components (driver, or large-star/small-star
joins when the pairs are many). The output equals the default engine's.

- :func:`session` starts (or returns) a SparkSession; :func:`require` checks pyspark and Java.
- :func:`plantext.spark.similar.similar_spark` / :func:`~plantext.spark.similar.similar_paths`.
- :func:`plantext.spark.components.components` (DataFrames) and ``components_local`` (driver).
"""

from __future__ import annotations

__all__ = ["ARROW_BATCH", "note_memory", "require", "require_pyarrow", "session"]

import os
import shutil
import sys
from importlib import resources
from typing import Any

from ..errors import UsageError

# rows per Arrow batch handed to a Python worker (files to read, plans to sketch, pairs to
# verify): what one worker holds at a time, the same on any corpus (Spark's default, 10,000,
# would make a partition's first 10,000 plans one batch)
ARROW_BATCH = 200


def note_memory(stage: str) -> None:
    """Append ``stage pid rss_kB peak_kB`` of this (worker) process to the file named by
    ``PLANTEXT_SPARK_MEMLOG`` when it is set: how the benchmark finds which stage's memory
    grows. Nothing otherwise."""
    log = os.environ.get("PLANTEXT_SPARK_MEMLOG")
    if not log:
        return
    vals = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    vals[line[:5]] = line.split()[1]
        with open(log, "a") as f:
            f.write(f"{stage} {os.getpid()} {vals.get('VmRSS', '?')} {vals.get('VmHWM', '?')}\n")
    except OSError:
        pass


def require() -> None:
    """Raise a :class:`UsageError` (in the reader's language) when pyspark or Java is missing."""
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as e:
        raise UsageError(key="spark.no_pyspark", what=getattr(e, "name", None) or str(e)) from None
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise UsageError(key="spark.no_java")


def require_pyarrow() -> None:
    """Raise a :class:`UsageError` when pyarrow (Parquet libraries) is missing."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise UsageError(key="spark.no_pyarrow") from None


def session(
    master: str | None = None,
    partitions: int | None = None,
    app_name: str = "plantext",
    conf: dict[str, Any] | None = None,
) -> Any:
    """A SparkSession (the active one when there is one and ``master`` is not given).

    Local mode binds 127.0.0.1 and runs the executors' Python as this one (``SPARK_LOCAL_IP``,
    ``PYSPARK_PYTHON`` unless set); ``partitions`` sets the shuffle partitions. Arrow batches
    are kept small (:data:`ARROW_BATCH` rows) so that a Python worker's memory does not grow with the
    corpus.
    """
    require()
    import warnings

    from pyspark.sql import SparkSession

    # pyspark warns about pandas 3 on every import; the stages use nothing it lacks
    warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")

    if master is None:
        active = SparkSession.getActiveSession()
        if active is not None:
            return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    m = master or os.environ.get("PLANTEXT_SPARK_MASTER") or "local[*]"
    if m.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    b = (
        SparkSession.builder.master(m)
        .appName(app_name)
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_BATCH))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.executorEnv.PYTHONWARNINGS", "ignore::FutureWarning")
    )
    log4j = resources.files("plantext") / "resources" / "spark-log4j2.properties"
    if m.startswith("local") and os.path.exists(str(log4j)):
        b = b.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}")
    if m.startswith("local"):
        b = b.config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
    if partitions:
        b = b.config("spark.sql.shuffle.partitions", str(partitions)).config(
            "spark.default.parallelism", str(partitions)
        )
    elif m.startswith("local"):  # Spark's 200 shuffle partitions are 200 files per task on one machine
        b = b.config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 2)))
    for k, v in (conf or {}).items():
        b = b.config(k, str(v))
    try:
        spark = b.getOrCreate()
    except Exception as e:  # the JVM did not start: no Java, a bad master URL ...
        raise UsageError(key="spark.cannot_start", master=m, reason=f"{type(e).__name__}: {e}".strip()[:300]) from None
    if partitions:
        spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    spark.sparkContext.setLogLevel("ERROR")
    return spark
