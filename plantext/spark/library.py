"""The plan library as Parquet: the SQLite library's tables (``plantext.index``), one Parquet
file per table in a folder, row for row (rowids kept), so that a library can move between one
machine and a cluster: :func:`export_parquet` and :func:`import_parquet` (pyarrow only).

A Parquet library folder holds one folder per table, ``meta.parquet/`` (schema version,
fingerprint settings: what ``Library`` checks on open), ``sources``, ``plans``, ``postings``,
``grams``, ``clauses``, ``clause_stats`` and ``bands``, each of Parquet part files (the same
columns as the SQLite tables; ``rowid`` first where the SQLite table has one that other tables
point to). ``index add --engine spark`` (:mod:`plantext.spark.add`) appends part files; a
library exported before this layout (one ``<table>.parquet`` file each) is read as well.
"""

from __future__ import annotations

__all__ = ["TABLES", "export_parquet", "import_parquet", "table_files"]

import os
import shutil
from pathlib import Path
from typing import Any

from ..errors import LibraryError

# tables in the order they are filled (foreign keys: plans point to sources)
TABLES = ("meta", "sources", "plans", "postings", "grams", "clauses", "clause_stats", "bands")
_WITH_ROWID = {"sources", "plans"}
_TYPES = {"INTEGER": "int64", "TEXT": "string", "BLOB": "binary", "REAL": "float64"}


def _columns(db: Any, table: str) -> list[tuple[str, str]]:
    cols = [(r[1], _TYPES.get(str(r[2]).upper(), "string")) for r in db.execute(f"PRAGMA table_info({table})")]
    if table in _WITH_ROWID and not any(c == "rowid" for c, _ in cols):
        cols.insert(0, ("rowid", "int64"))
    return cols


def table_files(folder: str | os.PathLike, table: str) -> list[Path]:
    """The Parquet files of ``table`` in a library folder: its part files (``table.parquet/``),
    or the one file an older export wrote; empty when the table is missing."""
    p = Path(folder) / f"{table}.parquet"
    if p.is_file():
        return [p]
    if p.is_dir():
        return sorted(f for f in p.iterdir() if f.suffix == ".parquet" and not f.name.startswith((".", "_")))
    return []


def export_parquet(lib: Any, folder: str | os.PathLike, batch: int = 50_000) -> dict[str, int]:
    """Write every table of the open ``lib`` (:class:`plantext.index.Library`) to
    ``folder/<table>.parquet/part-00000.parquet``; returns the rows written per table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in TABLES:
        cols = _columns(lib.db, table)
        schema = pa.schema([(c, getattr(pa, t)()) for c, t in cols])
        names = ", ".join(f'"{c}"' if c != "rowid" else "rowid" for c, _ in cols)
        order = " ORDER BY rowid" if table in _WITH_ROWID else ""
        cur = lib.db.execute(f"SELECT {names} FROM {table}{order}")
        n = 0
        dest = out / f"{table}.parquet"
        if dest.is_dir():
            shutil.rmtree(dest)
        elif dest.exists():
            dest.unlink()
        dest.mkdir()
        with pq.ParquetWriter(dest / "part-00000.parquet", schema) as w:
            while True:
                rows = cur.fetchmany(batch)
                if not rows:
                    break
                w.write_table(
                    pa.Table.from_arrays(
                        [pa.array([r[k] for r in rows], type=schema.field(k).type) for k in range(len(cols))],
                        schema=schema,
                    )
                )
                n += len(rows)
        counts[table] = n
    return counts


def import_parquet(folder: str | os.PathLike, db_path: str | os.PathLike, batch: int = 50_000) -> dict[str, int]:
    """A new SQLite library at ``db_path`` from a Parquet library folder (refused when
    ``db_path`` holds plans already); returns the rows read per table."""
    import pyarrow.parquet as pq

    from ..index import Library

    src = Path(folder)
    files = {t: table_files(src, t) for t in TABLES}
    for table in TABLES:
        if not files[table]:
            raise LibraryError(key="spark.not_a_library", path=str(src), what=f"{table}.parquet")
    counts: dict[str, int] = {}
    with Library(db_path, create=True) as lib:
        if lib.db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]:
            raise LibraryError(key="spark.import_not_empty", path=lib.path)
        lib.db.execute("BEGIN")
        try:
            lib.db.execute("DELETE FROM meta")
            for table in TABLES:
                n = 0
                for path in files[table]:
                    f = pq.ParquetFile(path)
                    cols = f.schema_arrow.names
                    names = ", ".join(f'"{c}"' if c != "rowid" else "rowid" for c in cols)
                    sql = f"INSERT INTO {table}({names}) VALUES({', '.join('?' * len(cols))})"
                    for b in f.iter_batches(batch_size=batch):
                        lib.db.executemany(sql, zip(*(b.column(k).to_pylist() for k in range(len(cols)))))
                        n += b.num_rows
                counts[table] = n
            lib.db.execute("COMMIT")
        except Exception:
            lib.db.execute("ROLLBACK")
            raise
    Library(db_path).close()  # open it again as any reader would: schema version and settings checked
    return counts
