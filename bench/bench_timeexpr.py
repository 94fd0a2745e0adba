"""Time expressions read per second (plantext.timeexpr.find, uncached) on the sentences of a
generated corpus (bench/corpus.py), and, when the jionlp package is importable, the same
sentences through ``jionlp.ner.extract_time`` for comparison (jionlp is not a dependency).

    python3 bench/bench_timeexpr.py [--plans 300] [--jionlp 200]

Prints sentences/s, expressions found, and for jionlp its import time and sentences/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=300)
    ap.add_argument("--jionlp", type=int, default=200, help="sentences to give jionlp (0: skip)")
    args = ap.parse_args()

    from corpus import generate

    from plantext.normalize import text_view
    from plantext.segment import sentence_spans
    from plantext.timeexpr import find

    docs, _ = generate(args.plans, seed=0)
    sents = []
    for _, text in docs:
        norm = text_view(text, "norm").text
        sents.extend(norm[a:b] for a, b in sentence_spans(norm))
    raw = find.__wrapped__  # no cache: every sentence parsed
    raw("2024年3月1日前")
    t0, c0 = time.perf_counter(), time.process_time()
    n = sum(len(raw(s)) for s in sents)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"plantext.timeexpr: {len(sents)} sentences, {n} expressions; "
        f"wall {dt:.2f} s, cpu {cpu:.2f} s, {len(sents) / cpu:.0f} sentences/s (cpu)"
    )
    if not args.jionlp:
        return
    try:
        t0 = time.perf_counter()
        import jionlp  # noqa: F401  (optional, for the comparison only)

        imp = time.perf_counter() - t0
    except ImportError:
        print("jionlp: not installed (pip install jionlp to compare)")
        return
    some = sents[: args.jionlp]

    def extract(s: str) -> int:
        try:
            return len(jionlp.ner.extract_time(s))
        except Exception:  # noqa: BLE001  (jionlp raises on some sentences)
            return -1

    extract(some[0])
    t0, c0 = time.perf_counter(), time.process_time()
    counts = [extract(s) for s in some]
    m = sum(c for c in counts if c > 0)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"jionlp: import {imp:.2f} s; {len(some)} sentences, {m} expressions, "
        f"{counts.count(-1)} raised; "
        f"cpu {cpu:.2f} s, {len(some) / cpu:.0f} sentences/s (cpu)"
    )


if __name__ == "__main__":
    main()
