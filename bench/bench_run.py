"""``plantext run`` on 500, 1,000 and 2,000 generated plans: each stage's time and its growth.

    python3 bench/bench_run.py                      # 500, 1000, 2000 plans, --jobs 1
    python3 bench/bench_run.py --sizes 250 500 --jobs 2

Writes each corpus (bench/corpus.py, planted near-duplicates included) to a temporary folder and
runs the whole pipeline (``plantext.pipeline.run``, what the command runs) in a child process per
size, so that one size's caches do not help the next. Prints, per stage (its writer included),
the CPU seconds (of the pipeline's process; with ``--jobs 1`` all the work) and the wall seconds
at each size, and the growth factor per doubling of the input (time at 2n / time at n; linear is
2.0, the target is at most 2.2). On a busy machine the wall clock says little: read the CPU table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def one(n: int, jobs: int, workdir: Path) -> dict[str, dict[str, float]]:
    """Run the pipeline over ``n`` plans in a child process: wall and CPU seconds per stage (and
    ``total``)."""
    code = f"""
import json, sys, time
sys.path[:0] = [{str(HERE)!r}, {str(ROOT)!r}]
from corpus import write_corpus
from plantext.pipeline import RunOptions, run
write_corpus({str(workdir / "in")!r}, {n}, seed=1)
t = time.perf_counter()
res = run([{str(workdir / "in")!r}], {str(workdir / "out")!r}, RunOptions(jobs={jobs}))
res.timings["total"] = time.perf_counter() - t
res.cpu["total"] = sum(res.cpu.values())
print(json.dumps({{"wall": res.timings, "cpu": res.cpu}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(results: dict[int, dict[str, dict[str, float]]], sizes: list[int], kind: str) -> None:
    stages = list(dict.fromkeys(k for r in results.values() for k in r[kind]))
    print(f"{kind} seconds per stage, and the growth per doubling")
    print(
        f"{'stage':<12}"
        + "".join(f"{n:>10}" for n in sizes)
        + "".join(f"{f'x{b}/{a}':>12}" for a, b in zip(sizes, sizes[1:]))
    )
    for s in stages:
        secs = [results[n][kind].get(s, 0.0) for n in sizes]
        growth = [f"{b / a:>12.2f}" if a > 0.05 else f"{'-':>12}" for a, b in zip(secs, secs[1:])]
        print(f"{s:<12}" + "".join(f"{x:>10.2f}" for x in secs) + "".join(growth))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    results: dict[int, dict[str, dict[str, float]]] = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="plantext-bench-run-") as tmp:
            t = time.perf_counter()
            results[n] = one(n, args.jobs, Path(tmp))
            print(
                f"{n} plans: {results[n]['wall']['total']:.1f} s (with writing the corpus "
                f"{time.perf_counter() - t:.1f} s): " + json.dumps(results[n]),
                file=sys.stderr,
                flush=True,
            )
    print(f"plantext run, --jobs {args.jobs}")
    table(results, args.sizes, "cpu")  # a busy machine slows the wall clock, not the CPU time
    table(results, args.sizes, "wall")


if __name__ == "__main__":
    main()
