"""Encoding detection of .txt inputs: share of plans decoded exactly, by encoding and length.

    python3 bench/bench_encodings.py [--plans 300]

Plans from ``bench/corpus.py``, cut to the first N characters (short files are the hard case
for detection), saved as GB18030, Big5 (traditional script via OpenCC s2tw), UTF-16 without
a BOM and UTF-8, are read by ``plantext.ingest.load`` with no encoding given. A plan counts as
right when the decoded text equals the text that was encoded; an IngestError counts as wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ENCODINGS = ("gb18030", "big5", "utf-16-le", "utf-8")
LENGTHS = (12, 20, 60, 300, None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=300)
    args = ap.parse_args()

    import opencc
    from corpus import generate

    from plantext.ingest import IngestError, load

    s2tw = opencc.OpenCC("s2tw")
    docs, _ = generate(args.plans, seed=3, dup_rate=0.0)
    print(f"{len(docs)} plans; exact decodes out of {len(docs)} per cell")
    print(f"{'chars':>6}" + "".join(f"{e:>11}" for e in ENCODINGS))
    for length in LENGTHS:
        row = []
        for enc in ENCODINGS:
            right = 0
            for _, text in docs:
                t = text[:length] if length else text
                if enc == "big5":
                    t = s2tw.convert(t)
                data = t.encode(enc, "replace")
                t = data.decode(enc)  # what Big5 could hold of it
                try:  # noqa: SIM105
                    right += load("plan.txt", data=data).text == t
                except IngestError:
                    pass
            row.append(right)
        print(f"{length or 'whole':>6}" + "".join(f"{r / len(docs):>11.1%}" for r in row))


if __name__ == "__main__":
    main()
