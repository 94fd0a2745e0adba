"""Segmentation speed (characters per second, one core): plantext's jieba with the domain
dictionary against plain ``jieba.lcut`` on the same generated plans (bench/corpus.py).

    python3 bench/bench_segment.py [--mb 4] [--repeat 3]

Prints, for the same text: ``jieba.lcut`` (global dictionary), ``segment.cut`` (private
tokenizer + domain dictionary), ``segment.words`` (normalised view and source offsets, views
built inside the timing) and ``segment.sentences``; the cost of the domain dictionary
(cut / lcut, the target is at most 20%); and outlines per second. Start-up (loading jieba's
dictionary) is timed separately and left out of the rates. Best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=4.0, help="UTF-8 megabytes of plan text")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import logging

    import jieba

    from corpus import generate

    from plantext import segment
    from plantext.clean import clean
    from plantext.model import Plan, Source
    from plantext.outline import outline

    jieba.setLogLevel(logging.WARNING)
    texts: list[str] = []
    n = 200
    while sum(len(t.encode()) for t in texts) < args.mb * 1e6:
        docs, _ = generate(n, seed=args.seed + len(texts))
        texts.extend(t for _, t in docs)
    nbytes = sum(len(t.encode()) for t in texts)
    nchars = sum(len(t) for t in texts)
    print(f"corpus: {len(texts)} generated plans, {nchars:,} characters, {nbytes / 1e6:.1f} MB UTF-8")

    t = time.perf_counter()
    jieba.initialize()
    t_glob = time.perf_counter() - t
    t = time.perf_counter()
    segment.tokenizer()
    t_ours = time.perf_counter() - t
    print(f"start-up: global jieba {t_glob:.2f} s, plantext tokenizer (+ {sum(1 for _ in open(segment.userdict_path(), encoding='utf-8'))} "
          f"domain words) {t_ours:.2f} s")

    def plans():
        out = []
        for i, text in enumerate(texts):
            src = clean(Source(path=f"p{i}.txt", text=text, format="txt"))
            out.append(Plan(id=src.path, source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise)))
        return out

    lcut = best(lambda: [jieba.lcut(x) for x in texts], args.repeat)
    cut = best(lambda: [segment.cut(x) for x in texts], args.repeat)
    words = best(lambda: [segment.words(p) for p in plans()], args.repeat)
    sents = best(lambda: [segment.sentences(p) for p in plans()], args.repeat)
    ps = plans()
    for p in ps:
        p.view("norm")
    outl = best(lambda: [outline(p) for p in ps], args.repeat)

    rate = lambda s: nchars / s  # noqa: E731
    print(f"jieba.lcut (global dict)        {rate(lcut):>12,.0f} chars/s")
    print(f"segment.cut (domain dict)       {rate(cut):>12,.0f} chars/s")
    print(f"segment.words (+views, offsets) {rate(words):>12,.0f} chars/s")
    print(f"segment.sentences (+views)      {rate(sents):>12,.0f} chars/s")
    print(f"outline (views built)           {rate(outl):>12,.0f} chars/s  {len(ps) / outl:,.0f} plans/s")
    ratio = cut / lcut
    verdict = "within" if ratio <= 1.2 else "OVER"
    print(f"domain dictionary cost: cut/lcut time = {ratio:.3f} ({(ratio - 1) * 100:+.1f}%), {verdict} the 20% budget")


if __name__ == "__main__":
    main()
