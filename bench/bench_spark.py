"""Time and peak memory of ``plantext similar`` on the default engine and on Spark (local
mode), on generated corpora (bench/corpus.py), and whether the two outputs are equal.

    python3 bench/bench_spark.py --n 2000 20000 [--master local[2]] [--partitions 8]
    python3 bench/bench_spark.py --check 800 200     # check --index: SQLite vs Parquet on Spark
    python3 bench/bench_spark.py --add 2000          # index add: SQLite vs --engine spark (Parquet)

Each run is a fresh ``plantext similar DIR -f json -o FILE`` process; its process tree is
sampled every 0.2 s (psutil): ``peak total`` is the largest sum of the tree's resident memory,
``peak jvm`` the Spark JVM's, ``peak worker`` the largest single Python worker of Spark's
executors (what one executor core's Python needs; it should not grow with the corpus), and for
the default engine ``peak total`` is its one process. Prints one row per run and the per-plan
figures. Run it niced on a shared machine; figures are the machine's, not asserts.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))  # this tree's plantext, not an installed one


def _status(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` (the process's own peak resident set, kB) from /proc."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    out[line[:5]] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return out


class Tree:
    """Samples a process tree: the largest sum of resident memory, each process's own peak
    (``VmHWM``: a peak between two samples is not missed) and its CPU seconds."""

    def __init__(self, proc) -> None:
        self.proc = proc
        self.total = 0
        self.hwm: dict[int, int] = {}  # pid -> peak resident bytes
        self.kind: dict[int, str] = {}  # pid -> driver | jvm | worker
        self.cpu: dict[int, float] = {}  # pid -> user + system seconds (last seen)

    def sample(self) -> None:
        import psutil

        try:
            procs = [self.proc, *self.proc.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for p in procs:
            try:
                name = " ".join(p.cmdline()[:3])
                t = p.cpu_times()
            except psutil.Error:
                continue
            st = _status(p.pid)
            total += st.get("VmRSS", 0)
            self.hwm[p.pid] = max(self.hwm.get(p.pid, 0), st.get("VmHWM", 0))
            self.cpu[p.pid] = t.user + t.system
            self.kind[p.pid] = (
                "driver"
                if p.pid == self.proc.pid
                else "jvm"
                if "java" in name
                else "worker"
                if "python" in name
                else "other"
            )
        self.total = max(self.total, total)

    def peak(self, kind: str) -> int:
        return max((v for k, v in self.hwm.items() if self.kind.get(k) == kind), default=0)

    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())


def run(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    import psutil

    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    tree = Tree(psutil.Process(p.pid))
    while p.poll() is None:
        tree.sample()
        time.sleep(0.2)
    err = p.stderr.read() if p.stderr else ""
    return {
        "seconds": time.perf_counter() - t0,
        "total": tree.total,
        "driver": tree.peak("driver"),
        "jvm": tree.peak("jvm"),
        "worker": tree.peak("worker"),
        "cpu": tree.cpu_seconds(),
        "rc": p.returncode,
        "stderr": err[-2000:],
    }


def check_figures(n_lib: int, n_sub: int, master: str) -> None:
    """``check --index`` on a SQLite library and on its Parquet export (Spark): time and equality."""
    import tempfile

    from corpus import generate

    from plantext.index import Library, check_against
    from plantext.model import Source
    from plantext.report.jsonout import dumps
    from plantext.spark import session
    from plantext.spark.check import check_parquet
    from plantext.spark.library import export_parquet
    from plantext.split import split

    d = tempfile.mkdtemp(prefix="plantext_bench_check_")
    docs, _ = generate(n_lib + n_sub, seed=21, dup_rate=0.3)

    def plans(items):
        return [p for n, t in items for p in split(Source(path=n + ".txt", text=t, format="txt"))]

    lib_plans, subs = plans(docs[:n_lib]), plans(docs[n_lib:])
    with Library(d + "/lib.db", create=True) as lib:
        lib.add(lib_plans)
        export_parquet(lib, d + "/pq")
        t = time.perf_counter()
        want = check_against(lib, subs)
        t_sql = time.perf_counter() - t
    spark = session(master)
    t = time.perf_counter()
    got = check_parquet(spark, d + "/pq", subs)
    t_pq = time.perf_counter() - t
    same = dumps(got) == dumps(want)
    print(
        f"check: library {len(lib_plans)} plans, {len(subs)} submissions, {sum(len(x.passages) for x in want)} "
        f"passages; sqlite {t_sql:.1f} s, parquet on spark {t_pq:.1f} s; equal: {'yes' if same else 'NO'}"
    )


def _rows(folder: Path, table: str) -> list:
    import pyarrow.parquet as pq

    from plantext.spark.library import table_files

    rows = [
        tuple((k, v) for k, v in r.items() if k != "added")
        for f in table_files(folder, table)
        for r in pq.read_table(f).to_pylist()
    ]
    return sorted((r for r in rows if dict(r).get("key") != "created"), key=repr)


def add_figures(n: int, a: argparse.Namespace, env: dict[str, str]) -> None:
    """``index add`` of the generated corpus into SQLite and, with ``--engine spark``, into a
    Parquet folder: time, CPU, peak memory per process kind, and whether the tables are equal
    (the SQLite library exported with ``index export --parquet``, row for row)."""
    import shutil

    from corpus import write_corpus

    from plantext.spark.library import TABLES

    corpus = Path(a.dir) / f"plans{n}"
    if not (corpus / ".done").exists():
        write_corpus(corpus, n, seed=0)
        (corpus / ".done").write_text("")
    db, pq, ref = Path(a.dir) / f"add{n}.db", Path(a.dir) / f"add{n}_pq", Path(a.dir) / f"add{n}_ref"
    for p in (db, pq, ref):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    base = [sys.executable, "-m", "plantext", "index", "add", str(corpus)]
    for engine, cmd in (
        ("default", [*base, "--db", str(db)]),
        ("spark", [*base, "--db", str(pq), "--engine", "spark", "--master", a.master]),
    ):
        r = run(cmd, env)
        mb = 1 << 20
        print(
            f"index add {n:>7} {engine:>7} {r['seconds']:>8.1f} s, cpu {r['cpu']:>8.1f} s ({1000 * r['cpu'] / n:.2f} "
            f"ms/plan), peak total {r['total'] / mb:.0f} MB, driver {r['driver'] / mb:.0f}, jvm {r['jvm'] / mb:.0f}, "
            f"worker {r['worker'] / mb:.0f} MB, exit {r['rc']}",
            flush=True,
        )
    subprocess.run([*base[:3], "index", "export", "--db", str(db), "--parquet", "-o", str(ref)], env=env, check=True)
    same = all(_rows(ref, t) == _rows(pq, t) for t in TABLES)
    print(f"index add {n}: tables equal: {'yes' if same else 'NO'}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[2000, 20000])
    ap.add_argument("--engines", nargs="+", default=["default", "spark"])
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--dir", default="/tmp/plantext_bench_spark")
    ap.add_argument(
        "--check",
        type=int,
        nargs=2,
        metavar=("LIBRARY", "SUBMISSIONS"),
        help="instead: check on a SQLite library and on its Parquet export, e.g. --check 800 200",
    )
    ap.add_argument(
        "--add", type=int, metavar="PLANS", help="instead: index add on SQLite and on Spark, e.g. --add 2000"
    )
    a = ap.parse_args()
    if a.check:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        check_figures(a.check[0], a.check[1], a.master)
        return

    from corpus import write_corpus

    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        PLANTEXT_PROGRESS="0",
        SPARK_LOCAL_IP="127.0.0.1",
        PYSPARK_PYTHON=sys.executable,
    )
    if a.add:
        add_figures(a.add, a, env)
        return
    print(
        f"{'plans':>7} {'engine':>7} {'seconds':>8} {'cpu s':>8} {'cpu ms/plan':>11} {'peak total MB':>14} "
        f"{'driver MB':>10} {'jvm MB':>8} {'worker MB':>10} {'equal':>6}"
    )
    for n in a.n:
        corpus = Path(a.dir) / f"plans{n}"
        if not (corpus / ".done").exists():
            write_corpus(corpus, n, seed=0)
            (corpus / ".done").write_text("")
        outs = {}
        for engine in a.engines:
            out = Path(a.dir) / f"similar{n}_{engine}.json"
            cmd = [
                sys.executable,
                "-m",
                "plantext",
                "similar",
                str(corpus),
                "-t",
                str(a.threshold),
                "-f",
                "json",
                "-o",
                str(out),
                "--force",
            ]
            if engine == "spark":
                cmd += ["--engine", "spark", "--master", a.master]
                if a.partitions:
                    cmd += ["--partitions", str(a.partitions)]
            r = run(cmd, env)
            outs[engine] = out
            same = ""
            base = Path(a.dir) / f"similar{n}_default.json"  # this run's, or an earlier run's on the same corpus
            if engine != "default" and r["rc"] == 0 and base.exists():
                same = "yes" if filecmp.cmp(base, out, shallow=False) else "NO"
            mb = 1 << 20
            print(
                f"{n:>7} {engine:>7} {r['seconds']:>8.1f} {r['cpu']:>8.1f} {1000 * r['cpu'] / n:>11.2f} "
                f"{r['total'] / mb:>14.0f} {r['driver'] / mb:>10.0f} {r['jvm'] / mb:>8.0f} {r['worker'] / mb:>10.0f} "
                f"{same:>6}",
                flush=True,
            )
            if r["rc"] != 0:
                print(f"  exit {r['rc']}: {r['stderr']}", flush=True)


if __name__ == "__main__":
    main()
