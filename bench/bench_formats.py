"""Reading speed of each ingest reader (.docx, .pdf, .html, .mhtml) on one core.

    python3 bench/bench_formats.py [--plans 200] [--formats docx,pdf,html,mhtml] [--real FILE...]

Plans from ``bench/corpus.py`` are saved in each format by the writers of
``tests/data/make_formats.py`` (headings styled, site chrome around the web pages, running
header and page numbers in the PDFs; the PDFs need a CJK font, Debian ``fonts-wqy-zenhei``).
Then ``plantext.ingest.load`` reads them file by file in this process; the benchmark prints
files/s, MB/s of extracted text (UTF-8) and of file bytes, pages/s for PDFs (per CPU second of
this process), and checks that the extracted text still holds every line of the plan (fold
view, so width/spacing do not count), and the mean size and CPU seconds per file. ``--real``
also times real files given on the command line (saved web pages, say), one line each.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _writers():
    spec = importlib.util.spec_from_file_location("make_formats", HERE.parent / "tests" / "data" / "make_formats.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    import datetime

    mod._FIXED_DATE = datetime.datetime(2024, 2, 26, tzinfo=datetime.UTC)
    return mod


_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def markup(text: str) -> str:
    """A plain plan in the writers' sample markup: '#0 ' title, '#1 '/'#2 ' headings."""
    out = []
    for i, line in enumerate(x.strip() for x in text.splitlines()):
        if not line:
            continue
        level = 0 if i == 0 else 1 if _H1.match(line) else 2 if _H2.match(line) and len(line) < 30 else None
        out.append(f"#{level} {line}" if level is not None else line)
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=200, help="plans per format")
    ap.add_argument("--formats", default="docx,pdf,html,mhtml")
    ap.add_argument("--real", nargs="*", default=[], help="real files to time one by one")
    args = ap.parse_args()

    import warnings

    warnings.filterwarnings("ignore")
    from corpus import generate

    from plantext.ingest import load
    from plantext.normalize import text_view

    mod = _writers()
    docs, _ = generate(args.plans, seed=7, dup_rate=0.0)
    samples = [markup(text) for _, text in docs]
    write = {
        "docx": lambda p, s: mod.write_docx(p, s),
        "pdf": lambda p, s: mod.write_pdf(p, s),
        "html": lambda p, s: mod.write_html(p, s, charset="gbk"),
        "mhtml": lambda p, s: mod.write_mhtml(p, s),
    }
    print(f"{len(samples)} plans per format, {sum(map(len, samples)) / len(samples):.0f} characters each on average")
    print(
        f"{'format':8}{'files/s':>9}{'text MB/s':>11}{'file MB/s':>11}{'pages/s':>9}{'lines kept':>12}"
        f"{'KB/file':>9}{'s/file':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="plantext-bench-formats-") as tmp:
        for fmt in args.formats.split(","):
            paths = []
            for i, sample in enumerate(samples):
                path = Path(tmp) / f"plan{i:05d}.{fmt}"
                write[fmt](path, sample)
                paths.append((path, sample))
            nbytes = sum(p.stat().st_size for p, _ in paths)
            # CPU time of this process: on a busy machine wall time would measure the neighbours
            t0 = time.process_time()
            sources = [load(str(p)) for p, _ in paths]
            dt = time.process_time() - t0
            text_mb = sum(len(s.text.encode("utf-8")) for s in sources) / 1e6
            pages = sum(s.meta.get("pages", 0) for s in sources)
            kept = total = 0
            for src, (_, sample) in zip(sources, paths):
                drop = [(p.start, p.end) for p in src.parts if p.kind == "page-furniture"]
                got = text_view(src.text, "fold", drop).text
                for line in sample.splitlines():
                    want = text_view(re.sub(r"^#\d ", "", line), "fold").text
                    total += 1
                    kept += want in got
            rate = f"{pages / dt:9.1f}" if pages else f"{'-':>9}"
            print(
                f"{fmt:8}{len(paths) / dt:9.1f}{text_mb / dt:11.2f}{nbytes / 1e6 / dt:11.2f}{rate}{kept / total:12.1%}"
                f"{nbytes / 1e3 / len(paths):9.1f}{dt / len(paths):8.3f}"
            )
    if args.real:
        load(args.real[0])  # imports and lexicons once, outside the timing
        print(f"{'real file':48}{'KB':>8}{'s':>8}{'chars':>9}")
        for path in args.real:
            t0 = time.process_time()
            try:
                n = len(load(path).text)
            except Exception as e:  # a refused file is a figure too
                n = f"{type(e).__name__}"
            print(
                f"{Path(path).name[-48:]:48}{Path(path).stat().st_size / 1e3:8.1f}{time.process_time() - t0:8.3f}{n:>9}"
            )


if __name__ == "__main__":
    main()
