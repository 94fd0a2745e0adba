"""OCR benchmark: character accuracy and seconds per page on generated scans.

Plans written for this project (``corpora/src``) are drawn as scanned pages (bench/scans.py:
clean, noisy, stamped, rotated 2 degrees, two columns; 150 and 300 dpi), saved as PDFs without a
text layer and read back by ``plantext.load`` (the OCR path users get). Character accuracy is
``1 - edit distance / length`` over the text without whitespace. Then the targets of each
scanned plan (value, unit, comparator, per) are compared with those of its typed original.

    python3 bench/bench_ocr.py                         # RapidOCR, 2 plans, every variant
    python3 bench/bench_ocr.py --engines rapidocr tesseract --plans 3
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scans import VARIANTS, render, scan_pdf  # noqa: E402


def _flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


def accuracy(got: str, want: str) -> float:
    from rapidfuzz.distance import Levenshtein

    g, w = _flat(got), _flat(want)
    return max(0.0, 1 - Levenshtein.distance(g, w) / max(len(w), 1))


def target_keys(text: str, path: str) -> Counter[tuple]:
    import plantext
    from plantext.model import Source

    src = Source(path=path, text=text, format="txt")
    keys: Counter[tuple] = Counter()
    for plan in plantext.split(src):
        for t in plantext.targets(plan):
            keys[(t.value, t.value_max, t.unit, t.comparator, t.per)] += 1
    return keys


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", nargs="+", default=["rapidocr"], choices=["rapidocr", "tesseract"])
    ap.add_argument("--plans", type=int, default=2, help="how many of corpora/src's plans")
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    args = ap.parse_args()

    from plantext.ingest import load
    from plantext.ingest.ocr import OcrSettings, available_engine

    texts = [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "corpora/src").glob("*.txt"))
        if "trad" not in p.name
    ][: args.plans]
    print(
        f"{len(texts)} plans ({sum(len(_flat(t)) for _, t in texts):,} characters); "
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'engine':<10} {'dpi':>4} {'variant':<8} {'pages':>5} {'char acc':>9} {'s/page':>7}")
    for engine in args.engines:
        if available_engine(engine) is None:
            print(f"{engine:<10} not installed")
            continue
        for dpi in args.dpi:
            for variant in args.variants:
                pages = secs = 0.0
                accs = []
                with tempfile.TemporaryDirectory() as tmp:
                    for i, (name, text) in enumerate(texts):
                        imgs = render(text, dpi, variant, seed=i)
                        pdf = scan_pdf(imgs, Path(tmp) / f"{name}.pdf", dpi)
                        t0 = time.perf_counter()
                        src = load(str(pdf), ocr=OcrSettings(mode="auto", engine=engine, dpi=dpi, timeout=600))
                        secs += time.perf_counter() - t0
                        pages += len(imgs)
                        accs.append(accuracy(src.text, text))
                        if variant == "clean" and dpi == max(args.dpi):
                            want = target_keys(text, name)
                            got = target_keys(src.text, name)
                            same = sum((want & got).values())
                            print(
                                f"    targets {name}: {same}/{sum(want.values())} rows equal to the typed original"
                                f" ({sum(got.values())} read from the scan)"
                            )
                acc = sum(accs) / len(accs)
                print(
                    f"{engine:<10} {dpi:>4} {variant:<8} {int(pages):>5} {acc:>9.4f} {secs / pages:>7.1f}", flush=True
                )


if __name__ == "__main__":
    main()
