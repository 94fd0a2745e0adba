"""Targets extracted per second on a large generated corpus (bench/corpus.py).

    python3 bench/bench_targets.py [--plans 2000] [--outline]

Prints plans/s, targets/s and characters/s for :func:`plantext.targets.targets` (views built
inside the timing, as in a real run). Without ``--outline`` the section lookup is left out
(``nodes=[]``), so the figure is the extractor's own; with it, outlines are computed first
(untimed) and passed in.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--outline", action="store_true", help="pass real outlines (section column)")
    args = ap.parse_args()

    from corpus import generate

    from plantext.clean import clean
    from plantext.model import Plan, Source
    from plantext.targets import targets

    docs, _ = generate(args.plans, seed=args.seed)
    plans = []
    for name, text in docs:
        src = clean(Source(path=name, text=text, format="txt"))
        plans.append(Plan(id=name, source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise)))
    chars = sum(p.end - p.start for p in plans)
    nodes = {}
    if args.outline:
        from plantext.outline import outline

        nodes = {p.id: outline(p) for p in plans}
    targets(plans[0], nodes=[])  # load lexicons, compile patterns, OpenCC: not per-plan work

    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    flags = Counter()
    units = Counter()
    for p in plans:
        rows = targets(p, nodes=nodes.get(p.id, []))
        n += len(rows)
        for r in rows:
            units[r.unit] += 1
            flags.update(r.flags)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"plans: {len(plans)}  chars: {chars}  targets: {n}  ({n / len(plans):.1f} per plan)")
    for label, t in (("wall", dt), ("cpu", cpu)):  # cpu: what one core does, whatever the load
        print(
            f"{label}: {t:.2f} s  plans/s: {len(plans) / t:.0f}  targets/s: {n / t:.0f}  "
            f"chars/s: {chars / t:.0f}  (outline {'on' if args.outline else 'off'})"
        )
    print("units:", ", ".join(f"{u} {c}" for u, c in units.most_common(10)))
    print("flags:", dict(flags) or "none")


if __name__ == "__main__":
    main()
