"""Segmentation speed (characters per second, one core): plantext's jieba with the domain
dictionary against plain ``jieba.lcut`` on the same generated plans (bench/corpus.py).

    python3 bench/bench_segment.py [--mb 4] [--repeat 3]

Prints, for the same text: ``jieba.lcut`` (global dictionary), ``tokenizer().lcut`` (the
private tokenizer with the domain dictionary), ``segment.cut`` (that, whitespace dropped),
``segment.words`` (normalised view and source offsets, views
built inside the timing) and ``segment.sentences``; the cost of the domain dictionary
(cut / lcut, the target is at most 20%); and outlines per second. Start-up (loading jieba's
dictionary) is timed separately and left out of the rates. CPU time of this process, best of
``--repeat`` interleaved runs (the figures stay comparable on a busy machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def best_of(fns: dict, repeat: int) -> dict:
    """Best CPU time of each function, runs interleaved so that load from other processes on
    the machine hits all of them alike."""
    times: dict = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            t = time.process_time()
            fn()
            times[k].append(time.process_time() - t)
    return {k: min(v) for k, v in times.items()}


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
    print(
        f"start-up: global jieba {t_glob:.2f} s, plantext tokenizer (+ {sum(1 for _ in open(segment.userdict_path(), encoding='utf-8'))} "  # noqa: SIM115
        f"domain words) {t_ours:.2f} s"
    )

    def plans():
        out = []
        for i, text in enumerate(texts):
            # generated plans carry no chrome or page residue: no cleaning, whatever its state
            src = Source(path=f"p{i}.txt", text=text, format="txt", cleaned=True)
            out.append(Plan(id=src.path, source=src, plan=1, title="", start=0, end=len(text)))
        return out

    ps = plans()
    for p in ps:
        p.view("norm")
    ours = segment.tokenizer()
    t = best_of(
        {
            "lcut": lambda: [jieba.lcut(x) for x in texts],
            "ours_lcut": lambda: [ours.lcut(x) for x in texts],
            "cut": lambda: [segment.cut(x) for x in texts],
            "words": lambda: [segment.words(p) for p in plans()],
            "sents": lambda: [segment.sentences(p) for p in plans()],
            "outline": lambda: [outline(p) for p in ps],
        },
        args.repeat,
    )
    lcut, cut, words, sents, outl = t["lcut"], t["cut"], t["words"], t["sents"], t["outline"]

    rate = lambda s: nchars / s  # noqa: E731
    print(f"jieba.lcut (global dict)        {rate(lcut):>12,.0f} chars/s")
    print(f"tokenizer().lcut (domain dict)  {rate(t['ours_lcut']):>12,.0f} chars/s")
    print(f"segment.cut (+ drop whitespace) {rate(cut):>12,.0f} chars/s")
    print(f"segment.words (+views, offsets) {rate(words):>12,.0f} chars/s")
    print(f"segment.sentences (+views)      {rate(sents):>12,.0f} chars/s")
    print(f"outline (views built before)    {rate(outl):>12,.0f} chars/s  {len(ps) / outl:,.0f} plans/s")
    ratio = cut / lcut
    verdict = "within" if ratio <= 1.2 else "OVER"
    print(
        f"domain dictionary cost: tokenizer().lcut/jieba.lcut time = {t['ours_lcut'] / lcut:.3f}; "
        f"segment.cut/jieba.lcut = {ratio:.3f} ({(ratio - 1) * 100:+.1f}%), {verdict} the 20% budget"
    )


if __name__ == "__main__":
    main()
