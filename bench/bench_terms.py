"""How long `plantext terms` (and compare / sections) take on thousands of plans.

Generates synthetic plans with bench/corpus.py (each ~1,750 characters, the usual sections),
writes them as .txt files with a manifest (group = the plan's topic, year), then times each
step of the library path that `plantext terms` / `compare` / `sections` take, and the
`plantext terms` command end to end. Prints figures; asserts nothing.

    python3 bench/bench_terms.py --plans 3000
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import TOPICS, write_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for segmentation (0: one per CPU)")
    ap.add_argument("--no-cli", action="store_true", help="skip timing the plantext terms command")
    args = ap.parse_args()

    from plantext.inputs import read_inputs
    from plantext.meta import apply_meta
    from plantext.outline import outline
    from plantext.research import compare, corpus_terms, sections, term_table
    from plantext.segment import tokenizer

    with tempfile.TemporaryDirectory() as tmp:
        paths, _ = write_corpus(Path(tmp) / "plans", args.plans, seed=args.seed, dup_rate=0.0)
        man = Path(tmp) / "manifest.csv"
        with open(man, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["path", "group", "year"])
            for i, p in enumerate(paths):
                first = Path(p).read_text(encoding="utf-8").split("\n", 1)[0]
                topic = next((t for t in TOPICS if t in first), "其他")
                w.writerow([p, topic, 2021 + i % 4])
        tokenizer()  # jieba's dictionary load is a one-off per process, not per plan

        steps: list[tuple[str, float, float]] = []

        def cpu() -> float:  # this process and its finished workers
            t = os.times()
            return t.user + t.system + t.children_user + t.children_system

        def step(label, fn):
            t, c = time.perf_counter(), cpu()
            out = fn()
            steps.append((label, time.perf_counter() - t, cpu() - c))
            return out

        inputs = step("read + split", lambda: read_inputs([str(Path(tmp) / "plans")]))
        plans = inputs.plans
        step("metadata (manifest)", lambda: apply_meta(plans, str(man)))
        chars = sum(p.end - p.start for p in plans)
        nodes = step("outline", lambda: [outline(p) for p in plans])
        pts = step(f"terms: segment + filter (jobs={args.jobs})", lambda: corpus_terms(plans, nodes, jobs=args.jobs))
        step("terms: TF-IDF top 10 per plan", lambda: term_table(pts, ("plan",), top=10))
        step("terms: by section kind", lambda: term_table(pts, ("kind",), top=30))
        groups = step("compare by group (log-odds)", lambda: compare(pts, "group", top=20)[0])
        step("sections matrix", lambda: sections(plans, nodes))

        print(
            f"{len(plans)} plans, {chars / 1e6:.2f} M characters, {len(groups)} groups; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        print(f"  {'step':40s} {'wall s':>7s} {'plans/s':>9s} {'CPU s':>7s}")
        for label, s, c in steps:
            print(f"  {label:40s} {s:7.2f} {len(plans) / s:9.0f} {c:7.2f}")
        for label, pick in (
            ("terms (segment + tables)", lambda l: l.startswith("terms")),
            ("all steps", lambda l: True),
        ):
            s = sum(x for l, x, _ in steps if pick(l))
            c = sum(x for l, _, x in steps if pick(l))
            print(f"{label:42s} {s:7.2f} {len(plans) / s:9.0f} {c:7.2f}")

        if not args.no_cli:
            out = Path(tmp) / "terms.csv"
            t = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "plantext",
                    "terms",
                    str(Path(tmp) / "plans"),
                    "--meta",
                    str(man),
                    "--top",
                    "10",
                    "--jobs",
                    str(args.jobs),
                    "-o",
                    str(out),
                ],
                check=True,
            )
            s = time.perf_counter() - t
            print(
                f"{'plantext terms --jobs ' + str(args.jobs) + ' (CLI, end to end)':42s} {s:7.2f} {len(plans) / s:9.0f}"
            )


if __name__ == "__main__":
    main()
