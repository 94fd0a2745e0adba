"""``plantext run`` on 500, 1,000 and 2,000 generated plans: each stage's time and its growth.

    python3 bench/bench_run.py                      # 500, 1000, 2000 plans, --jobs 1, 3 repeats
    python3 bench/bench_run.py --sizes 250 500 --jobs 2 --repeat 5

Writes each corpus once (bench/corpus.py, planted near-duplicates included, seed 1) to a
temporary folder and runs the whole pipeline (``plantext.pipeline.run``, what the command runs)
``--repeat`` times per size, each run in a fresh child process so that one run's caches do not
help the next; the rounds go over the sizes in turn, so that a busy spell of the machine falls on
every size alike. Per stage (its writer included) it prints:

- the CPU seconds of the stage, of the pipeline's process and of the worker processes it ran
  (with ``--jobs 1`` all the work), the least of the repeats (load only adds to it), and the
  spread of the repeats (largest / least - 1) so that a reader sees how far to trust it;
- the growth factor per doubling of the input (time at 2n / time at n; linear is 2.0, the
  target is at most 2.2);
- beside it, the growth of what the stage produced (plans, outline nodes, targets, similar
  pairs, copied passages, report bytes ...): a stage whose output grows faster than its input
  is allowed to grow as fast as its output, and the table shows that;
- the same CPU figures divided by the run's reference loop (a fixed piece of pure-Python work timed
  before and after the run, printed too): on a shared machine whose speed changes by a third
  from one minute to the next (other tenants) the growth is read better so; and the growth
  round by round (the runs of one round follow each other, so they meet the same machine more
  often than the least of all runs do) with the median of the rounds;
- the wall seconds (the median of the repeats; on a busy machine it says little);
- the corpus itself at each size (characters per plan, planted pairs), to show it scales fairly.

Each child first runs the pipeline over 20 other plans (a warm-up, not timed): loading modules,
lexicons and the segmenter's dictionary is a cost per process, not per plan, and would make the
smaller corpus look slower per plan than it is (and hide growth).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# what each stage produced: (label, key in the child's "out" dict)
OUTPUT_OF = {
    "read": ("chars", "chars"),
    "split": ("plans", "plans"),
    "clean": ("rows", "cleaning_rows"),
    "outline": ("nodes", "nodes"),
    "targets": ("targets", "targets"),
    "research": ("rows", "research_rows"),
    "similar": ("pairs", "similar_pairs"),
    "check": ("passages", "passages"),
    "report": ("bytes", "report_bytes"),
    "total": ("plans", "plans"),
}

CHILD = r"""
import json, os, re, resource, sys, time, zipfile
sys.path[:0] = [{root!r}]
from plantext.pipeline import RunOptions, run

def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

def reference_loop():
    # CPU seconds of a fixed piece of pure-Python work (dicts, strings, sorting: what the
    # stages do), the least of three: how fast the machine runs Python just now
    best = 1e9
    for _ in range(3):
        t = time.process_time()
        d = {{str(i) + "计划": i * i for i in range(200_000)}}
        "".join(sorted(d)[::100])
        sum(len(k) for k in d)
        best = min(best, time.process_time() - t)
    return best

before = reference_loop()
# a warm-up run over a few other plans first: modules, lexicons and the segmenter's dictionary
# are loaded once per process, a cost that would make the smaller corpus look slower per plan
run([{warm!r}], {out!r} + "-warm", RunOptions(jobs={jobs}))
out = {out!r}
t, c = time.perf_counter(), cpu()
res = run([{inp!r}], out, RunOptions(jobs={jobs}))
res.timings["total"], res.cpu["total"] = time.perf_counter() - t, cpu() - c
calib = (before + reference_loop()) / 2

def rows(name):  # rows of every sheet of an xlsx (its sheet XML counted, not parsed)
    with zipfile.ZipFile(os.path.join(out, name)) as z:
        return sum(z.read(f).count(b"<row ") for f in z.namelist() if f.startswith("xl/worksheets/"))

def load(name):
    with open(os.path.join(out, name), encoding="utf-8") as f:
        return json.load(f)

plans = load("plans.json")
check = load("check.json")
docs = check["documents"] + check.get("between_submissions", [])
counts = {{
    "plans": len(plans),
    "chars": sum(len(s.text) for s in res.inputs.sources),
    "cleaning_rows": sum(1 for _ in open(os.path.join(out, "cleaning.csv"), encoding="utf-8")) - 1,
    "nodes": sum(len(r["nodes"]) for r in load("outline.json")),
    "targets": sum(1 for _ in open(os.path.join(out, "targets.csv"), encoding="utf-8")) - 1,
    "research_rows": rows("terms.xlsx") + rows("sections.xlsx"),
    "similar_pairs": len(load("similar.json")["pairs"]),
    "passages": sum(len(d["passages"]) for d in docs),
    "report_bytes": os.path.getsize(os.path.join(out, "report.html")),
}}
print(json.dumps({{"wall": res.timings, "cpu": res.cpu, "write": getattr(res, "cpu_write", {{}}), "out": counts, "calib": calib}}))
"""


def one(inp: Path, out: Path, jobs: int, warm: Path) -> dict:
    """One run of the pipeline over the corpus ``inp`` in a fresh child process (after a
    warm-up run over the corpus ``warm``)."""
    code = CHILD.format(root=str(ROOT), inp=str(inp), out=str(out), jobs=jobs, warm=str(warm))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the run over {inp} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


sys.path.insert(0, str(HERE))
from corpus import write_corpus  # noqa: E402


def corpus_stats(n: int, folder: Path) -> dict:
    """Write the corpus of ``n`` plans; what it holds."""
    paths, planted = write_corpus(folder, n, seed=1)
    chars = sum(len(Path(p).read_text(encoding="utf-8")) for p in paths)
    return {"plans": len(paths), "chars": chars, "planted": len(planted)}


def growth(a: float, b: float) -> str:
    return f"{b / a:.2f}" if a > 0.05 else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="runs per size (the least CPU time is kept)")
    args = ap.parse_args()
    sizes = args.sizes
    runs: dict[int, list[dict]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory(prefix="plantext-bench-run-") as tmp:
        corpus = {n: corpus_stats(n, Path(tmp) / f"in{n}") for n in sizes}
        warm = Path(tmp) / "warm"
        write_corpus(warm, 20, seed=99)
        for r in range(args.repeat):
            for n in sizes:
                t = time.perf_counter()
                got = one(Path(tmp) / f"in{n}", Path(tmp) / f"out{n}-{r}", args.jobs, warm)
                runs[n].append(got)
                print(
                    f"round {r + 1}, {n} plans: {got['cpu']['total']:.1f} s CPU, {time.perf_counter() - t:.1f} s wall, "
                    f"reference loop {got['calib']:.3f} s",
                    file=sys.stderr,
                    flush=True,
                )

    print(f"plantext run, --jobs {args.jobs}, {args.repeat} runs per size")
    print(
        "corpus: "
        + "; ".join(
            f"{n} plans, {c['chars'] / c['plans']:.0f} chars/plan, {c['planted']} planted pairs"
            for n, c in corpus.items()
        )
    )
    steps = list(zip(sizes, sizes[1:]))
    stages = list(dict.fromkeys(k for rs in runs.values() for x in rs for k in x["cpu"]))
    stages = [s for s in stages if s != "total"] + ["total"]

    def least(n: int, kind: str, s: str) -> float:
        return min(x[kind].get(s, 0.0) for x in runs[n])

    print()
    print("CPU seconds per stage (process + workers; least of the runs), spread of the runs, growth per doubling")
    print(
        f"{'stage':<10}"
        + "".join(f"{n:>9}" for n in sizes)
        + f"{'spread':>8}"
        + "".join(f"{f'cpu x{b}/{a}':>14}{'output':>10}{'out x':>7}" for a, b in steps)
    )
    for s in stages:
        secs = [least(n, "cpu", s) for n in sizes]
        spread = max(
            (max(x["cpu"].get(s, 0.0) for x in runs[n]) / secs[i] - 1) if secs[i] > 0.05 else 0.0
            for i, n in enumerate(sizes)
        )
        label, key = OUTPUT_OF.get(s, ("", ""))
        outs = [runs[n][0]["out"].get(key, 0) for n in sizes]
        line = f"{s:<10}" + "".join(f"{x:>9.2f}" for x in secs) + f"{spread:>7.0%} "
        for (i, _), (a, b) in zip(enumerate(steps), zip(secs, secs[1:])):
            oa, ob = outs[i], outs[i + 1]
            line += f"{growth(a, b):>14}{label:>10}{(f'{ob / oa:.2f}' if oa else '-'):>7}"
        print(line)
    print()
    print(
        "the machine's speed: the reference loop (fixed pure-Python work, timed before and after each run) took "
        + "; ".join(f"{n} plans " + ", ".join(f"{x['calib']:.3f}" for x in runs[n]) + " s" for n in sizes)
    )
    print(
        "CPU per stage in reference loops (stage CPU / its run's loop, least of the runs), growth per doubling: "
        "the machine's changes of speed between runs taken out"
    )
    for s in stages:
        secs = [min(x["cpu"].get(s, 0.0) / x["calib"] for x in runs[n]) for n in sizes]
        small = [least(n, "cpu", s) for n in sizes]
        print(
            f"{s:<10}"
            + "".join(f"{x:>9.1f}" for x in secs)
            + "".join(f"{growth(a, b) if sa > 0.05 else '-':>14}" for a, b, sa in zip(secs, secs[1:], small))
        )
    print()
    print(
        "growth per doubling, round by round (the runs of one round follow each other, so they meet the same "
        "machine): each round's ratio of the stage's CPU in reference loops, and the median of the rounds"
    )
    for s in stages:
        line = f"{s:<10}"
        for (a, b), sa in zip(steps, [least(n, "cpu", s) for n in sizes]):
            if sa <= 0.05:
                line += f"{f'x{b}/{a}':>12}{'-':>8}"
                continue
            ratios = [
                (y["cpu"].get(s, 0.0) / y["calib"]) / (x["cpu"].get(s, 0.0) / x["calib"])
                for x, y in zip(runs[a], runs[b])
                if x["cpu"].get(s, 0.0) > 0
            ]
            line += (
                f"{f'x{b}/{a}':>12}"
                + "".join(f"{q:>6.2f}" for q in ratios)
                + f"  median {statistics.median(ratios):.2f}"
            )
        print(line)
    print()
    print("of which the writers (CPU seconds, least of the runs)")
    for s in [s for s in stages if any(least(n, "write", s) > 0 for n in sizes)]:
        secs = [least(n, "write", s) for n in sizes]
        print(
            f"{s:<10}"
            + "".join(f"{x:>9.2f}" for x in secs)
            + "".join(f"{growth(a, b):>14}" for a, b in zip(secs, secs[1:]))
        )
    print()
    print("outputs at each size")
    for s in stages:
        label, key = OUTPUT_OF.get(s, ("", ""))
        if key:
            print(f"{s:<10}{label:>9}" + "".join(f"{runs[n][0]['out'].get(key, 0):>12}" for n in sizes))
    print()
    print("wall seconds per stage (median of the runs)")
    for s in stages:
        secs = [statistics.median(x["wall"].get(s, 0.0) for x in runs[n]) for n in sizes]
        print(
            f"{s:<10}"
            + "".join(f"{x:>9.2f}" for x in secs)
            + "".join(f"{growth(a, b):>14}" for a, b in zip(secs, secs[1:]))
        )


if __name__ == "__main__":
    main()
