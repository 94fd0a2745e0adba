"""How the copy check's cost grows with the references: per submission, and for the whole stage.

    python3 bench/bench_check_growth.py                          # 1000, 2000, 4000 references
    python3 bench/bench_check_growth.py --sizes 500 1000 2000 --stage

One corpus of generated plans (``bench/corpus.py``, planted near-duplicates included) is
written once; the index is built over its first N plans, N doubling, and the same submissions
(plans among the first of the corpus, each checked against the others as ``plantext run``
does) are checked at every size. Per part of :func:`plantext.similarity.check.check_doc` it
prints the CPU milliseconds per submission (the least of ``--repeat`` rounds; the rounds go
over the sizes in turn, so that a busy spell of the machine falls on every size alike) and the
growth per doubling of the references. A part whose cost per submission does not grow with the
references shows 1.0x (a log factor a little more); the stage, which checks every plan, then
grows 2.0x per doubling. The parts:

- ``lookup``: the submission's n-grams looked up in the index's postings (``RefIndex.lookup``);
- ``weights``, ``unique_runs``, ``candidates``: what is derived from the lookup;
- ``words``: the word channel (``reword.find``) over the whole submission;
- ``align``: the alignments with the candidates;
- ``check_doc``: the whole check of the submission (outline, boilerplate, quotations ... too).

With ``--stage``: the check stage as ``plantext run`` runs it (``check(plans)``: the index of
the N plans built, then every plan checked against the others), CPU seconds and growth.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402

PARTS = ("lookup", "weights", "unique_runs", "candidates", "words", "align", "check_doc")


def _plans(n: int, seed: int) -> list:
    from plantext.model import Source
    from plantext.split import split

    docs, _ = generate(n, seed=seed)
    plans = [p for name, text in docs for p in split(Source(name + ".txt", text, "txt"))]
    for p in plans:  # the fold views earlier stages compute anyway
        p.view("fold")
    return plans


def _parts(plans: list, subs: list, rounds: dict, size: int) -> None:
    """One round at one size: each part's CPU seconds over the submissions, into ``rounds``."""
    from plantext.similarity.align import align, make_doc
    from plantext.similarity.check import _title_unweighted, build_index, check_doc
    from plantext.similarity.reword import find

    index = build_index(plans[:size])
    docs = [make_doc(p, index.params.ngram) for p in subs]
    clock = time.process_time
    spent = dict.fromkeys(PARTS, 0.0)
    for plan, d in zip(subs, docs):
        skip = {d.id}
        t = clock()
        look = index.lookup(d)
        t1 = clock()
        w = _title_unweighted(index.weights(d, look), d, plan)
        t2 = clock()
        unique = index.unique_runs(d, w, skip, look)
        t3 = clock()
        cands = index.candidates(d, exclude=skip, look=look)
        t4 = clock()
        if index.words is not None:
            find(d, index.docs, index.words, exclude=skip, exclude_at=index.numbers(skip))
        t5 = clock()
        for ref in cands:
            align(d, ref, index.params, w, unique)
        t6 = clock()
        check_doc(d, index, exclude=(d.id,), plan=plan)
        t7 = clock()
        for part, a, b in zip(PARTS, (t, t1, t2, t3, t4, t5, t6), (t1, t2, t3, t4, t5, t6, t7)):
            spent[part] += b - a
    for part, s in spent.items():
        best = rounds.setdefault((part, size), s)
        rounds[(part, size)] = min(best, s)


def _stage(plans: list, size: int) -> tuple[float, int]:
    from plantext.similarity.check import check

    t = time.process_time()
    res = check(plans[:size])
    return time.process_time() - t, sum(len(r.passages) for r in res)


def _growth(values: list[float]) -> str:
    return " ".join(f"{b / a:5.2f}x" if a > 0 else "    -" for a, b in zip(values, values[1:]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000])
    ap.add_argument("--subs", type=int, default=200, help="submissions checked at every size")
    ap.add_argument("--repeat", type=int, default=2, help="rounds (the least CPU time is kept)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stage", action="store_true", help="also time the whole check stage (every plan)")
    args = ap.parse_args()
    sizes = sorted(args.sizes)

    t = time.perf_counter()
    plans = _plans(sizes[-1], args.seed)
    step = max(1, sizes[0] // args.subs)
    subs = plans[: sizes[0] : step][: args.subs]
    print(
        f"corpus: {len(plans)} plans ({time.perf_counter() - t:.0f}s to generate and split); "
        f"{len(subs)} submissions among the first {sizes[0]}, checked against the first N"
    )
    from plantext.similarity.check import check

    check(plans[:30])  # what a process loads once (lexicons, the segmenter's dictionary)
    rounds: dict = {}
    stage: dict[int, float] = {}
    passages: dict[int, int] = {}
    for _ in range(args.repeat):
        for size in sizes:
            _parts(plans, subs, rounds, size)
            if args.stage:
                s, n = _stage(plans, size)
                stage[size] = min(stage.get(size, s), s)
                passages[size] = n

    print()
    print(f"{'ms CPU per submission':<24}" + "".join(f"{n:>9}" for n in sizes) + "   growth per doubling")
    for part in PARTS:
        v = [rounds[(part, n)] / len(subs) * 1000 for n in sizes]
        print(f"{part:<24}" + "".join(f"{x:>9.3f}" for x in v) + "   " + _growth(v))
    if args.stage:
        print()
        print(f"{'check stage (all plans)':<24}" + "".join(f"{n:>9}" for n in sizes) + "   growth per doubling")
        v = [stage[n] for n in sizes]
        print(f"{'CPU s':<24}" + "".join(f"{x:>9.1f}" for x in v) + "   " + _growth(v))
        p = [float(passages[n]) for n in sizes]
        print(f"{'passages':<24}" + "".join(f"{int(x):>9}" for x in p) + "   " + _growth(p))


if __name__ == "__main__":
    main()
