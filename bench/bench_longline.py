"""Targets on one-line files: plan text with every line break taken out (as pasted from PDFs and
web pages), 1, 10 and 100 MB by default.

    python3 bench/bench_longline.py [--mb 1 10 100] [--breaks]

Prints, per size, the seconds (wall and cpu) and MB/s of :func:`plantext.targets.targets` on the
``norm`` view (the view is built first, untimed, so the figure is the extractor's own), and the
number of rows. ``--breaks`` runs the same text with its line breaks kept, for comparison. A
stage linear in its input shows about the same MB/s at every size.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def one_line(mb: float, breaks: bool, seed: int = 0) -> str:
    from corpus import generate

    want = int(mb * 1_000_000 / 3)  # ~3 bytes a character in UTF-8
    parts, n, k = [], 0, 0
    while n < want:
        docs, _ = generate(200, seed=seed + k)
        for _, text in docs:
            t = text if breaks else text.replace("\r", "").replace("\n", "")
            parts.append(t)
            n += len(t)
            if n >= want:
                break
        k += 1
    return ("\n" if breaks else "").join(parts)[:want]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[1, 10, 100])
    ap.add_argument("--breaks", action="store_true", help="keep the line breaks (the usual case)")
    args = ap.parse_args()

    from plantext.model import Plan, Source
    from plantext.segment import pos_tokenizer
    from plantext.targets import targets

    warm = Source(path="warm.txt", text="每位教师每学期听课不少于20节，教研组3个。", format="txt")
    targets(Plan(id="warm", source=warm, plan=1, title="", start=0, end=len(warm.text)), nodes=[])
    pos_tokenizer()  # load lexicons, patterns and the tokenizers: not per-file work
    for mb in args.mb:
        text = one_line(mb, args.breaks)
        src = Source(path=f"{mb:g}MB.txt", text=text, format="txt")
        plan = Plan(id=src.path, source=src, plan=1, title="", start=0, end=len(text))
        t0 = time.perf_counter()
        plan.view("norm")
        tv = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        rows = targets(plan, nodes=[])
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        size = len(text.encode("utf-8")) / 1e6
        print(
            f"{size:7.1f} MB {'lines' if args.breaks else 'one line'}: view {tv:6.2f} s  targets wall {dt:7.2f} s  "
            f"cpu {cpu:7.2f} s  {size / max(cpu, 1e-9):6.2f} MB/s  rows {len(rows)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
