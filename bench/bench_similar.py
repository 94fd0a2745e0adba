"""Near-duplicate search: plantext ``similar()`` against datasketch's MinHashLSH recipe.

    python3 bench/bench_similar.py                 # 4,000 plans (~7 M characters)
    python3 bench/bench_similar.py --n 40000 --only plantext   # the memory run

Writes a corpus with planted near-duplicates (bench/corpus.py) to a temporary folder, then runs
each tool on the same files in its own child process (so that peak memory, ru_maxrss, is each
tool's own) and prints wall time, peak memory, recall of the planted pairs (overall and per
disguise) and the number of false pairs (reported pairs that were not planted). plantext's wall
time includes reading, cleaning and splitting the files (``read``) and ``similar()`` itself,
which normalises (NFKC, traditional -> simplified, ...) before comparing; the peer only reads.
``--repeat K`` alternates the tools K times and keeps each one's fastest run (a busy machine).

The datasketch recipe is the one its documentation gives: character 5-grams of each file's
text, ``MinHash(num_perm=128)`` with ``update_batch``, ``MinHashLSH(threshold, num_perm=128)``,
insert all then query all, keep pairs whose estimated Jaccard reaches the threshold.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_plantext(paths: list[str], threshold: float) -> dict:
    from plantext.inputs import read_inputs
    from plantext.similarity.similar import similar

    base = _rss_mb()
    t0 = time.perf_counter()
    inputs = read_inputs(paths)
    t1 = time.perf_counter()
    result = similar(inputs.plans, threshold)
    t2 = time.perf_counter()
    return {
        "pairs": [[m.a, m.b] for m in result.pairs],
        "read_s": t1 - t0,
        "similar_s": t2 - t1,
        "wall_s": t2 - t0,
        "base_mb": base,
        "peak_mb": _rss_mb(),
        "stats": result.stats,
        "plans": len(inputs.plans),
    }


def run_datasketch(paths: list[str], threshold: float) -> dict:
    from datasketch import MinHash, MinHashLSH

    base = _rss_mb()
    t0 = time.perf_counter()
    texts = {p: Path(p).read_text(encoding="utf-8") for p in paths}
    t1 = time.perf_counter()
    sigs = {}
    for p, text in texts.items():
        m = MinHash(num_perm=128)
        m.update_batch([text[i : i + 5].encode("utf-8") for i in range(max(1, len(text) - 4))])
        sigs[p] = m
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    for p, m in sigs.items():
        lsh.insert(p, m)
    pairs = set()
    for p, m in sigs.items():
        for q in lsh.query(m):
            if q != p and m.jaccard(sigs[q]) >= threshold:
                pairs.add(tuple(sorted((p, q))))
    t2 = time.perf_counter()
    return {
        "pairs": sorted(pairs),
        "read_s": t1 - t0,
        "similar_s": t2 - t1,
        "wall_s": t2 - t0,
        "base_mb": base,
        "peak_mb": _rss_mb(),
        "plans": len(texts),
    }


def child(tool: str, listing: str, threshold: float) -> None:
    paths = Path(listing).read_text(encoding="utf-8").split("\n")
    out = (run_plantext if tool == "plantext" else run_datasketch)(paths, threshold)
    sys.stdout.write(json.dumps(out))


def scaling(sizes: list[int], seed: int, dup_rate: float, threshold: float) -> None:
    """similar() alone (in this process, texts already folded) on corpora of growing size,
    each generated with the same duplicate rate."""
    from corpus import generate

    from plantext.similarity.fingerprint import fold_placeholders, fold_strings
    from plantext.similarity.similar import similar_texts

    print("plans  seconds  us/plan  candidates  planted  recall  false  seconds by step")
    for n in sizes:
        docs, planted = generate(n, seed, dup_rate)
        folds = [fold_placeholders(t) for t in fold_strings([t for _, t in docs])]
        t = time.perf_counter()
        r = similar_texts([name for name, _ in docs], folds, threshold)
        dt = time.perf_counter() - t
        found = {tuple(sorted((m.a, m.b))) for m in r.pairs}
        print(
            f"{n:6d}  {dt:7.2f}  {dt / n * 1e6:7.0f}  {r.stats['candidates']:10d}  {len(planted):7d}  "
            f"{len(found & planted) / max(1, len(planted)):.4f}  {len(found - planted):5d}  {r.stats['seconds']}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=4000, help="plans to generate (default 4000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dup-rate", type=float, default=0.1)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--only", choices=["plantext", "datasketch"], help="run one tool only")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool, alternating; the fastest is shown")
    ap.add_argument("--dir", help="corpus folder (default: a temporary one)")
    ap.add_argument("--scale", help="comma-separated corpus sizes: plantext's time per plan at each (linear growth)")
    ap.add_argument("--child", nargs=2, metavar=("TOOL", "LISTING"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child[0], a.child[1], a.threshold)
        return
    if a.scale:
        scaling([int(x) for x in a.scale.split(",")], a.seed, a.dup_rate, a.threshold)
        return

    from corpus import write_corpus_kinds

    with tempfile.TemporaryDirectory(prefix="plantext-bench-") as tmp:
        folder = Path(a.dir or tmp)
        t = time.perf_counter()
        paths, kinds = write_corpus_kinds(folder / "plans", a.n, a.seed, a.dup_rate)
        chars = sum(len(Path(p).read_text(encoding="utf-8")) for p in paths)
        print(
            f"corpus: {len(paths)} plans, {chars / 1e6:.2f} M characters "
            f"({sum(Path(p).stat().st_size for p in paths) / 1e6:.1f} MB UTF-8), "
            f"{len(kinds)} planted pairs, written in {time.perf_counter() - t:.1f} s"
        )
        listing = folder / "paths.txt"
        listing.write_text("\n".join(paths), encoding="utf-8")
        planted = set(kinds)
        by_kind = Counter(kinds.values())
        results: dict[str, dict] = {}
        walls: dict[str, list[float]] = {}
        tools = [t for t in ("plantext", "datasketch") if not a.only or t == a.only]
        for _ in range(a.repeat):  # alternate the tools, keep each one's fastest run
            for tool in tools:
                proc = subprocess.run(
                    [sys.executable, __file__, "--threshold", str(a.threshold), "--child", tool, str(listing)],
                    capture_output=True,
                    text=True,
                    env=os.environ,
                )
                if proc.returncode:
                    print(f"{tool}: failed\n{proc.stderr}")
                    continue
                r = json.loads(proc.stdout)
                walls.setdefault(tool, []).append(r["wall_s"])
                if tool not in results or r["wall_s"] < results[tool]["wall_s"]:
                    results[tool] = r
        for tool in tools:
            if tool not in results:
                continue
            r = results[tool]
            found = {tuple(sorted(p)) for p in r["pairs"]}
            hit = found & planted
            false = found - planted
            print(
                f"\n{tool}: wall {r['wall_s']:.2f} s (read {r['read_s']:.2f} s + similar {r['similar_s']:.2f} s; "
                f"runs {', '.join(f'{w:.2f}' for w in walls[tool])}), peak memory {r['peak_mb']:.0f} MB "
                f"(after imports {r['base_mb']:.0f} MB)"
            )
            print(
                f"  recall {len(hit) / max(1, len(planted)):.4f} ({len(hit)}/{len(planted)}), "
                f"false pairs {len(false)}, pairs reported {len(found)}"
            )
            missed = Counter(kinds[p] for p in planted - found)
            print(
                "  recall by disguise: "
                + ", ".join(
                    f"{k} {1 - missed.get(k, 0) / c:.2f}"
                    for k, c in sorted(by_kind.items(), key=lambda x: -x[1])
                    if c >= 5 or missed.get(k)
                )
            )
            if r.get("stats"):
                print(f"  stats: {r['stats']}")
        if len(results) == 2:
            p, d = results["plantext"], results["datasketch"]
            print(
                f"\nplantext / datasketch wall time: {p['wall_s'] / d['wall_s']:.2f} "
                f"(target <= 0.35, #22); similarity step only: {p['similar_s'] / d['similar_s']:.2f}"
            )


if __name__ == "__main__":
    main()
