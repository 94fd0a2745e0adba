"""Plan library benchmark: add throughput, size on disk per plan, and check latency per
submission as the library grows (it should follow the candidate count, not the size).

    python bench/bench_index.py --sizes 1000 10000          # quick
    python bench/bench_index.py --sizes 10000 100000        # the issue's figures (slow)

Each size is reached by adding more generated plans to the same library, timing every add
(plans/s), then checking the same held-out submissions against it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402

from plantext.index import Library, check_against  # noqa: E402
from plantext.ingest.text import read  # noqa: E402
from plantext.split import split  # noqa: E402


def plans_of(docs, prefix: str):
    out = []
    for name, text in docs:
        out += split(read(f"{prefix}/{name}.txt", text.encode("utf-8")))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--submissions", type=int, default=20)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--db", default=None, help="library file (default: a temp file)")
    a = ap.parse_args()
    db = a.db or os.path.join(tempfile.mkdtemp(), "bench.db")
    # submissions: plans whose planted copies are in the library
    pool, planted = generate(max(a.sizes) + a.submissions, seed=42, dup_rate=0.05)
    subs = plans_of(pool[-a.submissions :], "submissions")
    pool = pool[: -a.submissions]
    print(
        f"library {db}; {a.submissions} submissions; corpus of {len(pool)} generated plans "
        f"({sum(len(t) for _, t in pool) / 1e6:.1f} M chars)"
    )
    print(f"{'plans':>8} {'add plans/s':>12} {'bytes/plan':>11} {'check ms/sub':>13} {'candidates':>11}")
    have = 0
    with Library(db, create=True) as lib:
        for size in sorted(a.sizes):
            chunk = plans_of(pool[have:size], "library")
            t = time.perf_counter()
            lib.add(chunk, batch=a.batch)
            add_rate = len(chunk) / (time.perf_counter() - t)
            have = size
            lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            st = lib.stats()
            from plantext.similarity.align import make_doc

            t = time.perf_counter()
            results = check_against(lib, subs)
            ms = (time.perf_counter() - t) * 1000 / len(subs)
            cands = sum(len(lib.reference_index(make_doc(s)).docs) for s in subs[:5]) / min(5, len(subs))
            print(f"{st['plans']:>8} {add_rate:>12.0f} {st['bytes'] / st['plans']:>11.0f} {ms:>13.1f} {cands:>11.1f}")
            del results


if __name__ == "__main__":
    main()
