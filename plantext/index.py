"""The plan library (自建比对库): past plans and template pages kept in one SQLite file, so
that new submissions are checked against everything received before.

What is stored per plan: id, source path, title, content hash, metadata, its ``fold`` text and
the map back to the source (delta-encoded, zlib), its MinHash signature with LSH band keys
(for ``similar --index``) and a *winnowed* sample of the copy check's seed n-grams in an
inverted table (for ``check --index``). Each source's text is stored once, compressed: the
report shows reference text, and passages point into it.

Winnowing (Schleimer et al. 2003) keeps the smallest hash of every window of ``WINNOW``
consecutive n-grams: any common run of ``WINNOW + n - 1`` key characters (the check's
shortest passage) shares at least one kept hash, and only ~2/(WINNOW+1) of the n-grams are
stored. Candidate search is index look-ups of the submission's kept hashes, so its cost grows
with the number of candidates, not with the library.

Reliability: WAL journal, one transaction per chunk of plans (``add(..., batch=N)``), a schema
version in ``meta`` checked on open (older versions migrated, newer or foreign files refused).
"""

from __future__ import annotations

__all__ = [
    "SCHEMA_VERSION",
    "APPLICATION_ID",
    "WINNOW",
    "AddReport",
    "Entry",
    "fingerprint_settings",
    "winnow",
    "Library",
    "BAND_ROWS",
    "check_against",
    "similar_against",
    "Lookups",
    "rare_limits",
    "rare_weights",
    "reference_index_from",
]

import functools
import json
import os
import sqlite3
import stat
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import LibraryError, os_reason
from .i18n import tr
from .model import Plan, Source
from .names import path_text

SCHEMA_VERSION = 3
APPLICATION_ID = 0x706C7478  # 'pltx': marks the SQLite file as a plantext library
WINNOW = 8

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources(
    rowid INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, format TEXT,
    encoding TEXT, text BLOB NOT NULL, added TEXT NOT NULL, UNIQUE(path, sha256));
CREATE TABLE IF NOT EXISTS plans(
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source INTEGER NOT NULL REFERENCES sources(rowid),
    plan INTEGER NOT NULL, title TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    sha256 TEXT NOT NULL UNIQUE, meta TEXT NOT NULL, flags TEXT NOT NULL, fold TEXT NOT NULL,
    offsets BLOB NOT NULL, signature BLOB NOT NULL, added TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS plans_source ON plans(source);
CREATE TABLE IF NOT EXISTS postings(hash INTEGER NOT NULL, plan INTEGER NOT NULL,
    PRIMARY KEY(hash, plan)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS grams(hash INTEGER PRIMARY KEY, plans INTEGER NOT NULL, sources INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS clauses(hash INTEGER NOT NULL, plan INTEGER NOT NULL,
    PRIMARY KEY(hash, plan)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS clause_stats(hash INTEGER PRIMARY KEY, sources INTEGER NOT NULL, example INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bands(band INTEGER NOT NULL, key INTEGER NOT NULL, plan INTEGER NOT NULL,
    PRIMARY KEY(band, key, plan)) WITHOUT ROWID;
"""


_TABLES = ("meta", "sources", "plans", "postings", "grams", "clauses", "clause_stats", "bands")


def _db_error(path: str, e: BaseException) -> LibraryError:
    """One line for what SQLite (or a damaged stored blob) said."""
    msg = str(e) or type(e).__name__
    low = msg.lower()
    if "full" in low:
        return LibraryError(key="index.disk_full", path=path)
    if "readonly" in low or "read-only" in low:
        return LibraryError(key="index.read_only", path=path, reason=msg)
    if "locked" in low or "busy" in low:
        return LibraryError(key="index.locked", path=path, reason=msg)
    if "unable to open" in low:
        return LibraryError(key="index.cannot_open", path=path, reason=msg)
    if isinstance(e, (sqlite3.Error, zlib.error, ValueError, UnicodeError, TypeError, KeyError, IndexError)):
        return LibraryError(key="index.damaged", path=path, reason=msg)
    return LibraryError(key="index.damaged", path=path, reason=f"{type(e).__name__}: {msg}")


_DAMAGE = (sqlite3.Error, zlib.error, ValueError, UnicodeError, TypeError, KeyError, IndexError)


def _guarded(fn):
    """A library method whose SQLite errors and undecodable stored data become one LibraryError."""

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        try:
            return fn(self, *args, **kwargs)
        except LibraryError:
            raise
        except _DAMAGE as e:
            raise _db_error(self.path, e) from None

    return wrapper


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # same content already stored
    refused: list[str] = field(default_factory=list)  # messages: id taken by other content


@dataclass
class Entry:
    id: str
    source: str
    title: str
    sha256: str
    added: str
    plan: int = 1
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "sha256": self.sha256,
            "added": self.added,
            "plan": self.plan,
            "meta": self.meta,
        }


# -- encoding helpers ---------------------------------------------------------------------


def _i64(h: np.ndarray) -> list[int]:
    """uint64 hashes as SQLite's signed 64-bit integers."""
    return np.asarray(h, dtype=np.uint64).view(np.int64).tolist()


def _pack_offsets(starts: np.ndarray, ends: np.ndarray) -> bytes:
    # deltas are mostly 1 (starts) and 1 (end - start): they compress to a few bytes a line
    s = np.asarray(starts, dtype=np.int64)
    d = np.diff(s, prepend=0).astype(np.int32)
    w = (np.asarray(ends, dtype=np.int64) - s).astype(np.int32)
    return zlib.compress(d.tobytes() + w.tobytes(), 6)


def _unpack_offsets(blob: bytes, n: int) -> tuple[np.ndarray, np.ndarray]:
    raw = np.frombuffer(zlib.decompress(blob), dtype=np.int32)
    starts = np.cumsum(raw[:n].astype(np.int64))
    return starts, starts + raw[n : 2 * n]


def fingerprint_settings() -> dict[str, str]:
    """Every setting a library's fingerprints depend on, as stored in its ``meta`` table: the
    winnowing window, the shingle size, MinHash permutations and seed (``similar --index``) and
    the copy check's seed n-gram size."""
    from .similarity.align import AlignParams
    from .similarity.fingerprint import NGRAM, NUM_PERM, SEED

    return {
        "winnow": str(WINNOW),
        "shingle": str(NGRAM),
        "permutations": str(NUM_PERM),
        "seed": str(SEED),
        "seed_ngram": str(AlignParams().ngram),
    }


def winnow(hashes: np.ndarray, w: int = WINNOW) -> np.ndarray:
    """Positions of the winnowed hashes: the rightmost minimum of every window of ``w``."""
    n = len(hashes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n <= w:
        return np.array([n - 1 - int(np.argmin(hashes[::-1]))], dtype=np.int64)
    win = np.lib.stride_tricks.sliding_window_view(hashes, w)
    pos = w - 1 - np.argmin(win[:, ::-1], axis=1) + np.arange(len(win))
    return np.unique(pos)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


# -- the library --------------------------------------------------------------------------


class Library:
    """One library file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike, create: bool = False, *, write: bool | None = None):
        """Open the library at ``path``. ``create``: make it when missing (or an empty file);
        ``write`` (default: ``create``): open read-write; otherwise the file is opened
        read-only (SQLite ``mode=ro``: nothing is written, no journal switch, so a read-only
        file or folder is readable). Only a regular file is opened. Every problem is one
        LibraryError naming the file."""
        self._fs = os.fspath(path)
        if isinstance(self._fs, bytes):
            self._fs = os.fsdecode(self._fs)
        self.path = path_text(self._fs)
        self.write = create if write is None else write
        self.db: sqlite3.Connection = None  # set by _connect; None once closed
        try:
            st = os.stat(self._fs)
        except FileNotFoundError:
            st = None
        except OSError as e:
            raise LibraryError(key="index.cannot_open", path=self.path, reason=os_reason(e)) from None
        fresh = st is None
        if st is None:
            if not create:
                raise LibraryError(key="index.missing", path=self.path)
        elif stat.S_ISDIR(st.st_mode):
            raise LibraryError(key="index.is_dir", path=self.path)
        elif not stat.S_ISREG(st.st_mode):
            what = (
                "hostile.what.fifo"
                if stat.S_ISFIFO(st.st_mode)
                else "hostile.what.chardev"
                if stat.S_ISCHR(st.st_mode)
                else "hostile.what.blockdev"
                if stat.S_ISBLK(st.st_mode)
                else "hostile.what.socket"
                if stat.S_ISSOCK(st.st_mode)
                else "hostile.what.other"
            )
            raise LibraryError(key="index.not_regular", path=self.path, what=tr(what))
        elif st.st_size == 0:
            if not create:  # a read command never turns an empty file into a library
                raise LibraryError(key="index.empty", path=self.path)
            fresh = True
        else:
            try:
                fd = os.open(self._fs, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
                with os.fdopen(fd, "rb") as fh:
                    head = fh.read(16)
            except OSError as e:
                raise LibraryError(key="index.cannot_open", path=self.path, reason=os_reason(e)) from None
            if head != b"SQLite format 3\x00":
                raise LibraryError(key="index.not_sqlite", path=self.path)
        try:
            self._connect(fresh)
            self._open(fresh=fresh)
            if self.write:  # WAL only once the file is known to be a plantext library
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
        except LibraryError:
            self.close()
            raise
        except _DAMAGE as e:
            self.close()
            raise _db_error(self.path, e) from None

    def _connect(self, fresh: bool) -> None:
        if self.write:
            self.db = sqlite3.connect(self._fs, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA busy_timeout=30000")
            self.db.execute("PRAGMA foreign_keys=ON")
        else:
            from urllib.parse import quote

            uri = "file:" + quote(os.fsencode(os.path.abspath(self._fs)))
            try:
                self.db = sqlite3.connect(uri + "?mode=ro", timeout=30, isolation_level=None, uri=True)
                self.db.execute("PRAGMA application_id").fetchone()
            except sqlite3.OperationalError:
                # a WAL library in a read-only folder cannot get its -shm file: read it as it is
                if self.db is not None:
                    self.db.close()
                self.db = sqlite3.connect(uri + "?mode=ro&immutable=1", timeout=30, isolation_level=None, uri=True)
            self.db.execute("PRAGMA busy_timeout=30000")
        # fingerprints are inserted at random keys: a page cache of ~256 MB keeps adds to a
        # large library from going to disk for every B-tree page (SQLite's default is 2 MB)
        self.db.execute("PRAGMA cache_size=-262144")

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    # -- schema ----------------------------------------------------------------------------
    def _open(self, fresh: bool) -> None:
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if fresh or (not tables and app_id == 0):
            if not self.write:  # an SQLite file with nothing in it: not made into a library by a read
                raise LibraryError(key="index.foreign", path=self.path)
            self.db.execute("BEGIN IMMEDIATE")
            try:
                _execute_all(self.db, _SCHEMA)
                self.db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                self._set_meta(
                    {
                        "schema_version": str(SCHEMA_VERSION),
                        **fingerprint_settings(),
                        "created": _now(),
                        "plantext": _version(),
                    }
                )
                self.db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            return
        if app_id != APPLICATION_ID or "meta" not in tables:
            raise LibraryError(key="index.foreign", path=self.path)
        raw = self.meta().get("schema_version", "0")
        try:
            version = int(str(raw).strip())
        except ValueError:
            raise LibraryError(key="index.bad_version", path=self.path, value=str(raw)[:40]) from None
        if version > SCHEMA_VERSION:
            raise LibraryError(key="index.newer", path=self.path, version=version, supported=SCHEMA_VERSION)
        if version < SCHEMA_VERSION:
            if not self.write:  # upgrade in place when we may write, else say why it cannot be read
                if not os.access(self._fs, os.W_OK) or not os.access(
                    os.path.dirname(os.path.abspath(self._fs)), os.W_OK
                ):
                    raise LibraryError(key="index.needs_upgrade", path=self.path, version=version)
                self.db.close()
                self.write = True
                self._connect(False)
            self._migrate(version)
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = [t for t in _TABLES if t not in tables]
        if missing:
            raise LibraryError(key="index.missing_tables", path=self.path, tables=", ".join(missing))
        self._check_settings()

    def _check_settings(self) -> None:
        """Refuse a library whose fingerprints were made with other settings (mixing them would
        compare unlike hashes); record the settings an older library did not store yet."""
        stored, now = self.meta(), fingerprint_settings()
        differ = [k for k in now if k in stored and stored[k] != now[k]]
        if differ:
            raise LibraryError(
                key="index.settings_differ",
                path=self.path,
                settings=", ".join(f"{k} {stored[k]} ≠ {now[k]}" for k in differ),
            )
        if self.write and any(k not in stored for k in now):
            self._set_meta({k: v for k, v in now.items() if k not in stored})

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already (it does on a full disk)."""
        try:
            if self.db is not None and self.db.in_transaction:
                self.db.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def _migrate(self, version: int) -> None:
        steps = {1: _migrate_1_to_2, 2: _migrate_2_to_3}
        self.db.execute("BEGIN IMMEDIATE")
        try:
            while version < SCHEMA_VERSION:
                step = steps.get(version)
                if step is None:
                    raise LibraryError(key="index.too_old", path=self.path, version=version)
                step(self.db)
                version += 1
                self._set_meta({"schema_version": str(version)})
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    @_guarded
    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def _set_meta(self, kv: dict[str, str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", kv.items())

    # -- adding ----------------------------------------------------------------------------
    @_guarded
    def add(
        self, plans: Sequence[Plan], batch: int = 500, progress: Callable[[int, int], None] | None = None
    ) -> AddReport:
        """Store plans; each chunk of ``batch`` plans is one transaction (durable once
        committed). A plan whose content is already stored is skipped; a plan that cannot be
        fingerprinted is refused (the others are stored). A damaged library is refused before
        anything is written; a full disk stops with ``index.disk_full`` and leaves the chunk
        unwritten (the chunks before it stay)."""
        if not self.write:
            raise LibraryError(key="index.read_only", path=self.path, reason="opened for reading")
        plans = list(plans)
        problems = [r[0] for r in self.db.execute("PRAGMA quick_check(5)") if r[0] != "ok"]
        if problems:
            raise LibraryError(key="index.damaged", path=self.path, reason="; ".join(problems)[:300])
        rep = AddReport()
        step = max(1, batch)  # (a batch of 0 or less is one plan a transaction: never an empty slice)
        for k in range(0, len(plans), step):
            chunk = plans[k : k + step]
            prepared = []
            for p in chunk:  # the numpy work, outside the write lock
                try:
                    prepared.append(_prepare(p))
                except (ValueError, TypeError, UnicodeError, IndexError, AttributeError) as e:
                    rep.refused.append(f"{path_text(p.id)}: {tr('index.cannot_fingerprint', reason=e)}")
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self._add_chunk(prepared, rep)
                self.db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            if progress:
                progress(min(k + step, len(plans)), len(plans))
        return rep

    def _add_chunk(self, prepared: list[_Prepared], rep: AddReport) -> None:
        db = self.db
        new_source_hashes: dict[int, set[int]] = {}
        old_source_hashes: dict[int, set[int]] = {}
        plan_grams: list[int] = []
        new_source_clauses: dict[int, dict[int, int]] = {}  # clause hash -> an example plan
        old_source_clauses: dict[int, dict[int, int]] = {}
        for pr in prepared:
            p = pr.plan
            row = db.execute("SELECT id FROM plans WHERE sha256=?", (pr.sha,)).fetchone()
            if row is not None:
                rep.skipped.append(p.id if row[0] == p.id else f"{p.id} (= {row[0]})")
                continue
            if db.execute("SELECT 1 FROM plans WHERE id=?", (p.id,)).fetchone():
                rep.refused.append(f"{p.id}: " + tr("library.id_taken"))
                continue
            src = p.source
            r = db.execute("SELECT rowid FROM sources WHERE path=? AND sha256=?", (src.path, src.sha256)).fetchone()
            if r is None:
                sid = db.execute(
                    "INSERT INTO sources(path, sha256, format, encoding, text, added) VALUES(?,?,?,?,?,?)",
                    (
                        src.path,
                        src.sha256,
                        src.format,
                        src.encoding,
                        zlib.compress(src.text.encode("utf-8"), 6),
                        _now(),
                    ),
                ).lastrowid
                new_source_hashes.setdefault(sid, set())
            else:
                sid = r[0]
                old_source_hashes.setdefault(sid, set())
            pid = db.execute(
                'INSERT INTO plans(id, source, plan, title, start, "end", sha256, meta, flags, fold, offsets, '
                "signature, added) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    p.id,
                    sid,
                    p.plan,
                    p.title,
                    p.start,
                    p.end,
                    pr.sha,
                    json.dumps(p.meta, ensure_ascii=False, default=str),
                    json.dumps(p.flags),
                    pr.fold,
                    pr.offsets,
                    pr.signature.tobytes(),
                    _now(),
                ),
            ).lastrowid
            db.executemany("INSERT OR IGNORE INTO postings(hash, plan) VALUES(?, ?)", ((h, pid) for h in pr.grams))
            db.executemany("INSERT OR IGNORE INTO clauses(hash, plan) VALUES(?, ?)", ((h, pid) for h in pr.clauses))
            db.executemany(
                "INSERT OR IGNORE INTO bands(band, key, plan) VALUES(?, ?, ?)",
                ((b, key, pid) for b, key in enumerate(pr.bands)),
            )
            (new_source_hashes if sid in new_source_hashes else old_source_hashes)[sid].update(pr.grams)
            plan_grams.extend(pr.grams)
            seen = (new_source_clauses if sid in new_source_hashes else old_source_clauses).setdefault(sid, {})
            for clause in pr.clauses:  # a clause's example is its first plan (the smallest rowid)
                seen.setdefault(clause, pid)
            rep.added.append(p.id)
        # gram statistics, aggregated over the chunk: plans holding each gram, and new sources
        # holding it (a source counts once however many of its plans hold the gram)
        if plan_grams:
            h, n = np.unique(np.asarray(plan_grams, dtype=np.int64), return_counts=True)
            src = np.unique(
                np.concatenate(
                    [np.asarray(list(v), dtype=np.int64) for v in new_source_hashes.values()] or [np.zeros(0, np.int64)]
                ),
                return_counts=True,
            )
            ns = np.zeros(len(h), dtype=np.int64)
            ns[np.searchsorted(h, src[0])] = src[1]
            db.executemany(
                "INSERT INTO grams(hash, plans, sources) VALUES(?, ?, ?) ON CONFLICT(hash) DO UPDATE "
                "SET plans = plans + excluded.plans, sources = sources + excluded.sources",
                zip(h.tolist(), n.tolist(), ns.tolist()),
            )
        for hashes in old_source_hashes.values():
            self._recount(hashes)
        merged: dict[int, list[int]] = {}
        for clauses in new_source_clauses.values():
            for h, pid in clauses.items():
                m = merged.setdefault(h, [0, pid])
                m[0] += 1
                m[1] = min(m[1], pid)
        db.executemany(
            "INSERT INTO clause_stats(hash, sources, example) VALUES(?, ?, ?) ON CONFLICT(hash) DO UPDATE "
            "SET sources = sources + excluded.sources",
            ((h, n, e) for h, (n, e) in merged.items()),
        )
        for clauses in old_source_clauses.values():
            self._recount_clauses(clauses)

    def _recount_clauses(self, hashes: Iterable[int]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO clause_stats(hash, sources, example) SELECT c.hash, COUNT(DISTINCT p.source), "
            "MIN(c.plan) FROM clauses c JOIN plans p ON p.rowid=c.plan WHERE c.hash=? GROUP BY c.hash",
            ((h,) for h in hashes),
        )
        self.db.executemany(
            "DELETE FROM clause_stats WHERE hash=? AND NOT EXISTS (SELECT 1 FROM clauses WHERE hash=?)",
            ((h, h) for h in hashes),
        )

    def _recount(self, hashes: Iterable[int]) -> None:
        self.db.executemany(
            "UPDATE grams SET plans=(SELECT COUNT(*) FROM postings WHERE hash=grams.hash), "
            "sources=(SELECT COUNT(DISTINCT p.source) FROM postings q JOIN plans p ON p.rowid=q.plan "
            "WHERE q.hash=grams.hash) WHERE hash=?",
            ((h,) for h in hashes),
        )
        self.db.execute("DELETE FROM grams WHERE plans=0")

    # -- removing, listing -----------------------------------------------------------------
    @_guarded
    def remove(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Remove plans by id, or every plan of a source path. Returns (removed, not found)."""
        if not self.write:
            raise LibraryError(key="index.read_only", path=self.path, reason="opened for reading")
        removed, missing = [], []
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for key in ids:
                rows = self.db.execute(
                    "SELECT p.rowid, p.id FROM plans p JOIN sources s ON s.rowid=p.source WHERE p.id=? OR s.path=?",
                    (key, key),
                ).fetchall()
                if not rows:
                    missing.append(key)
                for pid, plan_id in rows:
                    # the fingerprint tables have no per-plan index (it would double their size):
                    # recompute the plan's keys from what is stored and delete by key
                    (doc,) = self.docs([pid])
                    grams = _plan_grams(doc)
                    sig = np.frombuffer(
                        self.db.execute("SELECT signature FROM plans WHERE rowid=?", (pid,)).fetchone()[0],
                        dtype=np.uint64,
                    )
                    self.db.executemany("DELETE FROM postings WHERE hash=? AND plan=?", ((h, pid) for h in grams))
                    clauses = _i64(np.unique(doc.clauses[doc.clauses != 0]))
                    self.db.executemany("DELETE FROM clauses WHERE hash=? AND plan=?", ((h, pid) for h in clauses))
                    self.db.executemany(
                        "DELETE FROM bands WHERE band=? AND key=? AND plan=?",
                        ((b, k, pid) for b, k in enumerate(_i64(_band_keys(sig)[0]))),
                    )
                    self.db.execute("DELETE FROM plans WHERE rowid=?", (pid,))
                    self._recount(grams)
                    self._recount_clauses(clauses)
                    removed.append(plan_id)
            self.db.execute("DELETE FROM sources WHERE rowid NOT IN (SELECT source FROM plans)")
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return removed, missing

    @_guarded
    def entries(self) -> list[Entry]:
        return [
            Entry(i, s, t, h, a, n, json.loads(m))
            for i, s, t, h, a, n, m in self.db.execute(
                "SELECT p.id, s.path, p.title, p.sha256, p.added, p.plan, p.meta FROM plans p "
                "JOIN sources s ON s.rowid=p.source ORDER BY p.rowid"
            )
        ]

    @_guarded
    def stats(self) -> dict:
        plans = self.db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
        sources = self.db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        size = sum(os.path.getsize(self._fs + suf) for suf in ("", "-wal") if os.path.exists(self._fs + suf))
        return {"plans": plans, "sources": sources, "bytes": size}

    def check(self) -> list[str]:
        """Integrity problems, one line each (an empty list when the library is sound). Never
        raises on damage: what cannot be read is itself a finding."""
        problems: list[str] = []

        def step(fn) -> None:
            try:
                fn()
            except _DAMAGE as e:
                problems.append(str(_db_error("", e)))

        def sqlite_checks() -> None:
            problems.extend(str(r[0]) for r in self.db.execute("PRAGMA integrity_check(100)") if r[0] != "ok")

        def foreign_keys() -> None:
            problems.extend(f"foreign key: {tuple(r)}" for r in self.db.execute("PRAGMA foreign_key_check"))

        def tables() -> None:
            have = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = [t for t in _TABLES if t not in have]
            if missing:
                problems.append(str(LibraryError(key="index.missing_tables", tables=", ".join(missing))))

        def sources() -> None:
            for sid, path, _sha, blob in self.db.execute("SELECT rowid, path, sha256, text FROM sources"):
                try:
                    zlib.decompress(blob).decode("utf-8")
                except (zlib.error, UnicodeError, TypeError, ValueError):
                    problems.append(tr("index.stored_text", source=f"{path} (#{sid})"))

        def plans() -> None:
            for _pid, plan_id, fold, blob, sig, meta, flags in self.db.execute(
                "SELECT rowid, id, fold, offsets, signature, meta, flags FROM plans"
            ):
                try:
                    s, e = _unpack_offsets(blob, len(fold))
                    if len(s) != len(fold) or len(e) != len(fold):
                        raise ValueError("length")
                except Exception:
                    problems.append(f"{plan_id}: offset map does not match its text")
                if not isinstance(sig, bytes) or len(sig) != 128 * 8:
                    problems.append(f"{plan_id}: signature is damaged")
                try:
                    json.loads(meta)
                    json.loads(flags)
                except (TypeError, ValueError):
                    problems.append(f"{plan_id}: metadata is damaged")

        def fingerprints() -> None:
            for (plan_id,) in self.db.execute(
                "SELECT id FROM plans p WHERE length(p.fold) >= 16 AND NOT EXISTS "
                "(SELECT 1 FROM postings q WHERE q.plan=p.rowid)"
            ):
                problems.append(f"{plan_id}: no fingerprints")
            for (plan_id,) in self.db.execute(
                "SELECT id FROM plans p WHERE NOT EXISTS (SELECT 1 FROM bands b WHERE b.plan=p.rowid) "
                "AND length(p.fold) >= 5"
            ):
                problems.append(f"{plan_id}: no signature bands")
            n = self.db.execute("SELECT COUNT(*) FROM postings WHERE plan NOT IN (SELECT rowid FROM plans)").fetchone()[
                0
            ]
            if n:
                problems.append(f"{n} fingerprints belong to no plan")
            n = self.db.execute("SELECT COUNT(*) FROM grams WHERE plans <= 0 OR sources < 0").fetchone()[0]
            if n:
                problems.append(f"{n} fingerprint counts are wrong")

        for fn in (sqlite_checks, tables, foreign_keys, sources, plans, fingerprints):
            step(fn)
        return list(dict.fromkeys(problems))

    # -- reading plans back ----------------------------------------------------------------
    def _source(self, sid: int, cache: dict) -> Source:
        src = cache.get(sid)
        if src is None:
            path, sha, fmt, enc, blob = self.db.execute(
                "SELECT path, sha256, format, encoding, text FROM sources WHERE rowid=?", (sid,)
            ).fetchone()
            src = cache[sid] = Source(
                path=path,
                text=zlib.decompress(blob).decode("utf-8"),
                format=fmt,
                encoding=enc,
                sha256=sha,
                cleaned=True,
            )
        return src

    @_guarded
    def docs(self, rowids: Sequence[int], params=None, cache: dict | None = None):
        """Alignment records (:class:`~plantext.similarity.align.Doc`) of stored plans, built
        from the stored fold text and offset map: the original files are not read again."""
        from .similarity.align import AlignParams, doc_from_text

        p = params or AlignParams()
        cache = {} if cache is None else cache
        out = []
        for rid in rowids:
            doc = cache.get(("doc", int(rid)))
            if doc is not None:
                out.append(doc)
                continue
            pid, sid, plan, title, fold, blob = self.db.execute(
                "SELECT id, source, plan, title, fold, offsets FROM plans WHERE rowid=?", (int(rid),)
            ).fetchone()
            src = self._source(sid, cache)
            starts, ends = _unpack_offsets(blob, len(fold))
            doc = doc_from_text(pid, src.path, plan, fold, src.text, starts, ends, title=title, ngram=p.ngram)
            if len(cache) < 20000:  # candidates recur across submissions: prepare each once
                cache[("doc", int(rid))] = doc
            out.append(doc)
        return out

    @_guarded
    def plans(self, ids: Sequence[str] | None = None) -> list[Plan]:
        """Stored plans as :class:`Plan` records (their fold view is the stored one)."""
        from .normalize import View, remember_view

        cache: dict = {}
        q = (
            'SELECT id, source, plan, title, start, "end", meta, flags, fold, offsets FROM plans'
            + (f" WHERE id IN ({','.join('?' * len(ids))})" if ids else "")
            + " ORDER BY rowid"
        )
        out = []
        for pid, sid, n, title, start, end, meta, flags, fold, blob in self.db.execute(q, list(ids or [])):
            src = self._source(sid, cache)
            plan = Plan(
                id=pid,
                source=src,
                plan=n,
                title=title,
                start=start,
                end=end,
                meta=json.loads(meta),
                flags=json.loads(flags),
            )
            remember_view(plan, "fold", View.from_offsets(fold, *_unpack_offsets(blob, len(fold))))
            out.append(plan)
        return out

    # -- candidate search ------------------------------------------------------------------
    def _query(
        self, sql: str, values: Sequence[int], extra: Sequence = (), weights: Sequence[float] | None = None
    ) -> list[tuple]:
        """Run ``sql`` with ``{q}`` replaced by a temp table of ``values`` (hashes, with a
        weight ``w`` each)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS q(hash INTEGER PRIMARY KEY, w REAL)")
        self.db.execute("DELETE FROM temp.q")
        self.db.executemany(
            "INSERT OR IGNORE INTO temp.q(hash, w) VALUES(?, ?)",
            zip(values, weights if weights is not None else [1.0] * len(values)),
        )
        return self.db.execute(sql.format(q="temp.q"), list(extra)).fetchall()

    @_guarded
    def lookups(self, sub, limit: int = 50) -> Lookups:
        """What the library says about one prepared submission (:class:`Lookups`): its kept
        seed hashes' library counts, its candidate plans ranked, its common clauses."""
        from .similarity.boilerplate import min_sources_for

        n_plans = self.db.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
        n_sources = self.db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        kept = sub.hashes[winnow(sub.hashes)]
        stats = {
            h: (pl, so)
            for h, pl, so in self._query(
                "SELECT g.hash, g.plans, g.sources FROM {q} CROSS JOIN grams g ON g.hash={q}.hash", _i64(kept)
            )
        }
        rare = rare_weights(stats, n_plans, n_sources)
        rows = self._query(
            "SELECT p.plan, COUNT(*), SUM({q}.w) FROM {q} CROSS JOIN postings p ON p.hash={q}.hash "
            "GROUP BY p.plan ORDER BY 3 DESC, 1 LIMIT ?",
            [h for h, _ in rare],
            (limit + 1,),
            [w for _, w in rare],
        )
        own = self.db.execute("SELECT rowid FROM plans WHERE id=?", (sub.id,)).fetchone()
        clauses: list[tuple[int, int, int]] = []
        if sub.clauses is not None and len(sub.clauses) and n_sources >= min_sources_for(n_sources):
            clauses = [
                tuple(r)
                for r in self._query(
                    "SELECT c.hash, c.sources, c.example FROM {q} CROSS JOIN clause_stats c ON c.hash={q}.hash",
                    _i64(np.unique(sub.clauses[sub.clauses != 0])),
                )
            ]
        return Lookups(n_plans, n_sources, stats, [r[0] for r in rows], own[0] if own else None, clauses)

    @_guarded
    def reference_index(self, sub, params=None, limit: int = 50, cache: dict | None = None, word_limit: int = 20):
        """A :class:`~plantext.similarity.check.RefIndex` for one prepared submission: its
        candidate references from the stored fingerprints (``limit`` by rare seed n-grams, and
        up to ``word_limit`` more by rare content words for the word channel), with library-wide
        rarity and boilerplate statistics."""
        from .similarity.align import AlignParams

        p = params or AlignParams()
        look = self.lookups(sub, limit)
        extra: list[int] = []
        if p.words:
            skip = {*look.ranked[: limit + 1], look.own if look.own is not None else -1}
            extra = self._word_candidates(sub, rare_limits(look.n_plans, look.n_sources)[0], skip, word_limit)
        return reference_index_from(sub, look, lambda rowids: self.docs(rowids, p, cache), p, limit, extra)

    def _word_candidates(self, sub, max_df: int, skip: set[int], limit: int, min_shared: int = 3) -> list[int]:
        """Stored plans sharing rare content words with ``sub`` (weighted by 1 / the plans
        holding each), best first: the candidates of the word channel, whose reworded sentences
        share few seed n-grams with their source. Plans stored before words were posted have
        none and are found by their n-grams only."""
        from .similarity.reword import word_hashes

        words = _i64(word_hashes(sub.fold))
        if not words or limit <= 0:
            return []
        df = {
            h: pl
            for h, pl in self._query("SELECT g.hash, g.plans FROM {q} CROSS JOIN grams g ON g.hash={q}.hash", words)
        }
        rare = [(h, 1.0 / pl) for h, pl in df.items() if 0 < pl <= max_df]
        if not rare:
            return []
        rows = self._query(
            "SELECT p.plan, COUNT(*), SUM({q}.w) FROM {q} CROSS JOIN postings p ON p.hash={q}.hash "
            "GROUP BY p.plan HAVING COUNT(*) >= ? ORDER BY 3 DESC, 1 LIMIT ?",
            [h for h, _ in rare],
            (min_shared, limit + len(skip)),
            [w for _, w in rare],
        )
        return [r[0] for r in rows if r[0] not in skip][:limit]

    @_guarded
    def similar_candidates(self, signatures: np.ndarray) -> set[int]:
        """Stored plans sharing an LSH band with any of ``signatures`` (one row per plan)."""
        bands = _band_keys(signatures)
        out: set[int] = set()
        for b in range(bands.shape[1]):
            for (pid,) in self._query(
                "SELECT b.plan FROM {q} CROSS JOIN bands b ON b.key={q}.hash AND b.band=?", _i64(bands[:, b]), (b,)
            ):
                out.add(pid)
        return out

    @_guarded
    def ids_of(self, rowids: Iterable[int]) -> list[str]:
        rowids = list(rowids)
        if not rowids:
            return []
        return [
            r[0]
            for r in self.db.execute(
                f"SELECT id FROM plans WHERE rowid IN ({','.join('?' * len(rowids))}) ORDER BY rowid", rowids
            )
        ]


@dataclass
class Lookups:
    """What a library holds about one submission, looked up by :meth:`Library.lookups` (SQLite)
    or by joins (``plantext.spark.check``): the input of :func:`reference_index_from`."""

    n_plans: int
    n_sources: int
    stats: dict[int, tuple[int, int]]  # kept seed hash (int64) -> (plans, sources) holding it
    ranked: list[int]  # candidate plan rowids, best first (weight, then rowid), at most limit + 1
    own: int | None  # rowid of the stored plan with the submission's id
    clauses: list[tuple[int, int, int]]  # (clause hash, sources, example plan rowid) found in the library


def rare_limits(n_plans: int, n_sources: int) -> tuple[int, int]:
    """``(max_df, k_src)``: a kept seed hash is rare when at most ``max_df`` plans hold it and
    (in a library of at least ``k_src`` sources) fewer than ``k_src`` sources."""
    from .similarity.boilerplate import min_sources_for

    return max(10, n_plans // 20), min_sources_for(n_sources)


def rare_weights(stats: dict[int, tuple[int, int]], n_plans: int, n_sources: int) -> list[tuple[int, float]]:
    """The rare kept hashes with their weight ``1 / plans`` (what ranks the candidates)."""
    max_df, k_src = rare_limits(n_plans, n_sources)
    return [(h, 1.0 / pl) for h, (pl, so) in stats.items() if pl <= max_df and (n_sources < k_src or so < k_src)]


def reference_index_from(
    sub, look: Lookups, docs: Callable[[list[int]], list], params, limit: int = 50, extra: Sequence[int] = ()
):
    """:meth:`Library.reference_index` from its :class:`Lookups` and a way to build stored plans'
    ``align.Doc`` records (``docs(rowids)``): the same on any store. ``extra``: more candidate
    rowids (the word channel's, found by content words)."""
    from .similarity.boilerplate import Common
    from .similarity.check import build_index

    p = params
    k_src = rare_limits(look.n_plans, look.n_sources)[1]
    pos = winnow(sub.hashes)
    kept = sub.hashes[pos]
    own = look.own
    cand = [r for r in look.ranked if own is None or r != own][:limit]  # never itself
    cand += [r for r in dict.fromkeys(extra) if r != own and r not in cand]

    # boilerplate clauses: held by plans of at least k_src sources
    common_clauses, example = [], []
    for h, nsrc, ex in look.clauses:
        if nsrc >= k_src:
            common_clauses.append(h)
            example.append(ex)
    need = list(dict.fromkeys([*cand, *example]))
    docs_ = docs(need)
    idx = build_index(docs_[: len(cand)], p, max_df=1 << 30, min_sources=1 << 30, compact=False)
    # rarity is the library's (weights), not the candidates'
    idx.max_df, idx.n_plans = rare_limits(look.n_plans, look.n_sources)[0], look.n_plans
    idx.docs = docs_  # example plans of boilerplate clauses are looked up by position
    at = {rid: i for i, rid in enumerate(need)}
    if common_clauses:
        cl = np.asarray(common_clauses, dtype=np.int64).view(np.uint64)
        ex = np.asarray([at[e] for e in example], dtype=np.int64)
        order = np.argsort(cl)
        # common grams matter only while building an index; stock grams were left out of `rare`
        idx.common = Common(Common.empty().grams, cl[order], ex[order])
    # rarity of every submission n-gram: the library count of a kept hash next to it
    df_kept = np.array([look.stats.get(h, (0, 0))[0] for h in _i64(kept)], dtype=np.int64)
    if len(pos):
        # an n-gram between two sampled ones is taken to be as common as the commoner of
        # them: a rare name next to template wording does not make the wording rare
        every = np.arange(len(sub.hashes))
        right = np.clip(np.searchsorted(pos, every), 0, len(pos) - 1)
        left = np.clip(np.searchsorted(pos, every, "right") - 1, 0, len(pos) - 1)
        nearest = np.where(df_kept[left] >= df_kept[right], left, right)
        # weights() discounts the submission when it is among the references; the library
        # counts it when it is stored under the same id
        df_all = df_kept[nearest] - (1 if own is not None else 0) + (1 if sub.id in idx.ids else 0)
        u, first = np.unique(sub.hashes, return_index=True)
        idx.df_hash, idx.df = u, np.maximum(df_all[first], 1)
        idx.df_known = np.isin(u, kept)
    return idx


# Band keys are computed with a fixed number of rows, so stored keys serve any query; the
# threshold of ``similar --index`` only changes how candidates are verified.
BAND_ROWS = 4


def _band_keys(sig: np.ndarray, rows: int = BAND_ROWS) -> np.ndarray:
    sig = np.atleast_2d(np.asarray(sig, dtype=np.uint64))
    nb = sig.shape[1] // rows
    mul = np.random.default_rng(11).integers(1, 1 << 63, size=rows, dtype=np.uint64) | np.uint64(1)
    out = np.zeros((sig.shape[0], nb), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b in range(nb):
            for k in range(rows):
                out[:, b] += sig[:, b * rows + k] * mul[k]
    return out


def _plan_grams(doc) -> list[int]:
    """The hashes a plan is posted under: its winnowed seed n-grams (the character channel's
    candidates) and its content words (the word channel's: a reworded passage shares words, not
    seven-character runs). One hash space; the two never meet in a query."""
    from .similarity.reword import word_hashes

    return _i64(np.unique(np.concatenate((doc.hashes[winnow(doc.hashes)], word_hashes(doc.fold)))))


@dataclass
class _Prepared:
    plan: Plan
    sha: str
    fold: str
    offsets: bytes
    signature: np.ndarray
    bands: list[int]
    grams: list[int]
    clauses: list[int]


def _prepare(plan: Plan) -> _Prepared:
    """Everything stored for a plan, computed once: fold view and map, signature, seeds."""
    import hashlib

    from .similarity.align import make_doc
    from .similarity.fingerprint import fold_placeholders, minhash, shingle_set

    view = plan.view("fold")
    starts, ends = view.offsets()
    doc = make_doc(plan)
    sig = minhash(shingle_set(fold_placeholders(view.text)))
    grams = _plan_grams(doc)
    clauses = _i64(np.unique(doc.clauses[doc.clauses != 0])) if doc.clauses is not None else []
    return _Prepared(
        plan,
        hashlib.sha256(plan.text.encode("utf-8")).hexdigest(),
        view.text,
        _pack_offsets(starts, ends),
        sig,
        _i64(_band_keys(sig)[0]),
        grams,
        clauses,
    )


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    # schema 1 had no clause table: boilerplate clauses could not be found in the library
    _execute_all(
        db,
        """
        CREATE TABLE IF NOT EXISTS clauses(hash INTEGER NOT NULL, plan INTEGER NOT NULL,
            PRIMARY KEY(hash, plan)) WITHOUT ROWID;
    """,
    )
    from .similarity.align import doc_from_text

    for pid, sid, fold, blob in db.execute("SELECT rowid, source, fold, offsets FROM plans").fetchall():
        text = zlib.decompress(db.execute("SELECT text FROM sources WHERE rowid=?", (sid,)).fetchone()[0]).decode()
        s, e = _unpack_offsets(blob, len(fold))
        doc = doc_from_text("", "", 0, fold, text, s, e)
        db.executemany(
            "INSERT OR IGNORE INTO clauses(hash, plan) VALUES(?, ?)",
            ((h, pid) for h in _i64(np.unique(doc.clauses[doc.clauses != 0]))),
        )


def _migrate_2_to_3(db: sqlite3.Connection) -> None:
    # schema 2 counted the sources of a clause at query time, slow for stock clauses
    db.execute(
        "CREATE TABLE IF NOT EXISTS clause_stats(hash INTEGER PRIMARY KEY, sources INTEGER NOT NULL, "
        "example INTEGER NOT NULL)"
    )
    db.execute(
        "INSERT OR REPLACE INTO clause_stats(hash, sources, example) SELECT c.hash, COUNT(DISTINCT p.source), "
        "MIN(c.plan) FROM clauses c JOIN plans p ON p.rowid=c.plan GROUP BY c.hash"
    )


def _execute_all(db: sqlite3.Connection, script: str) -> None:
    # executescript() would commit the open transaction first; run the statements inside it
    for stmt in script.split(";"):
        if stmt.strip():
            db.execute(stmt)


def _version() -> str:
    from . import __version__

    return __version__


def check_against(
    lib: Library,
    submissions: Sequence[Plan],
    *,
    boilerplate: Sequence[Plan] | None = None,
    stock: bool = True,
    progress: Callable[[int, int], None] | None = None,
    quotes=(),
):
    """``check --index``: each submission against its candidates in the library (``quotes``:
    quotation lines besides the shipped list)."""
    from .similarity.align import AlignParams, make_doc
    from .similarity.check import build_index, check_doc

    p = AlignParams()
    bp_index = build_index(list(boilerplate), p, max_df=1 << 30) if boilerplate else None
    cache: dict = {}
    out = []
    for k, plan in enumerate(submissions):
        doc = make_doc(plan, p.ngram)
        idx = lib.reference_index(doc, p, cache=cache)
        out.append(check_doc(doc, idx, bp_index, stock=stock, exclude=(doc.id,), plan=plan, quotes=quotes))
        if progress:
            progress(k + 1, len(submissions))
    return out


def similar_against(lib: Library, plans: Sequence[Plan], threshold: float = 0.5):
    """``similar --index``: the inputs against each other and against the library plans that
    share an LSH band or a rare fingerprint with one of them; pairs among library plans alone
    are not reported."""
    from .similarity.align import make_doc
    from .similarity.fingerprint import fold_text, minhash, shingle_set
    from .similarity.similar import SimilarResult, _clusters, similar_texts

    folds = [fold_text(p) for p in plans]
    sigs = np.stack([minhash(shingle_set(f)) for f in folds]) if folds else np.zeros((0, 128), np.uint64)
    cand = lib.similar_candidates(sigs)
    for plan in plans:  # containment: a short plan inside a stored one shares its seeds
        h = make_doc(plan).hashes
        cand.update(
            r[0]
            for r in lib._query(
                "SELECT DISTINCT p.plan FROM {q} CROSS JOIN postings p ON p.hash={q}.hash", _i64(h[winnow(h)])
            )
        )
    own = {p.id for p in plans}
    stored = [p for p in lib.plans(lib.ids_of(cand)) if p.id not in own]
    ids = [p.id for p in plans] + [p.id for p in stored]
    res = similar_texts(
        ids,
        folds + [fold_text(p) for p in stored],
        threshold,
        groups=[p.source.path for p in plans] + [p.source.path for p in stored],
    )
    pairs = [m for m in res.pairs if m.a in own or m.b in own]
    at = {i: k for k, i in enumerate(ids)}
    return SimilarResult(pairs, _clusters(ids, [(at[m.a], at[m.b]) for m in pairs]), res.stats)
