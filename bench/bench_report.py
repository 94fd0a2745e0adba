"""The reviewer's HTML report at scale: 200 generated submissions (checked against each other
and against generated template references), rendered to one file, opened in headless Chromium.

Prints the file size and the browser's load time (navigation start to the end of the load
event, from the Navigation Timing API), the time until the packed data is inflated and the
first panes laid out (the page is usable), first contentful paint, and how long opening the
last submission and clicking a fragment takes. Targets (issue 22): for 1,000 submissions,
under 5 MB and open in under 2 s.

    python3 bench/bench_report.py [--n 1000] [--refs 50] [--chars 1750] [--join 1] [--runs 3]

``--join 3`` makes each submission three generated plans long (about 5,500 characters, the
length of many real plans).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build(n: int, n_refs: int, chars: int, dup_rate: float, out: Path, join: int = 1) -> tuple[int, int]:
    from corpus import generate

    from plantext.model import Source
    from plantext.report.html import collect_targets, render_html
    from plantext.similarity.check import check
    from plantext.split import split

    docs, _ = generate((n + n_refs) * join, seed=7, dup_rate=dup_rate, target_chars=chars)
    if join > 1:  # longer plans: the bodies of the next plans (titles dropped) appended
        docs = [
            (docs[i][0], docs[i][1] + "".join(t.split("\n", 1)[1] for _, t in docs[i + 1 : i + join]))
            for i in range(0, len(docs), join)
        ]
    plans = [p for name, text in docs for p in split(Source(name, text, "txt"))]
    subs, refs = plans[:n], plans[n:]
    t = time.perf_counter()
    checked = check(subs, subs + refs)
    t_check = time.perf_counter() - t
    t = time.perf_counter()
    found = collect_targets(subs)
    t_targets = time.perf_counter() - t
    t = time.perf_counter()
    html = render_html(checked, {p.id: p for p in plans}, found, against=["generated references"])
    t_render = time.perf_counter() - t
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    n_pass = sum(len(d.passages) for d in checked)
    print(
        f"corpus: {n} submissions + {n_refs} references, {sum(len(p.text) for p in subs)} submission chars, "
        f"{n_pass} passages, {sum(1 for d in checked if d.copy_ratio > 0.3)} submissions over 30% copy"
    )
    print(f"check {t_check:.2f} s, targets {t_targets:.2f} s, render_html {t_render:.2f} s")
    return len(html.encode("utf-8")), n_pass


def parts(html: str) -> None:
    """Where the file's bytes go: the page itself, and the packed data (base85 of gzip): its
    JSON and the texts (runs of literal text and copies of earlier texts)."""
    import gzip
    import re

    from plantext.report.textpack import unb85

    m = re.search(r'id="pt-data"[^>]*>([^<]*)<', html)
    if not m:
        return
    blob = gzip.decompress(unb85(m.group(1)))
    n = int.from_bytes(blob[:4], "big")
    js, texts = (len(gzip.compress(b, 9, mtime=0)) for b in (blob[4 : 4 + n], blob[4 + n :]))
    print(
        f"packed data {len(m.group(1)) / 1e6:.2f} MB in the page (gzip {js / 1e6:.2f} MB of JSON, "
        f"{texts / 1e6:.2f} MB of texts, apart); the page without it {(len(html.encode()) - len(m.group(1))) / 1e6:.2f} MB"
    )


def measure(path: Path, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        print("no chromium: load time not measured")
        return
    loads, fcps, clicks, readies = [], [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=FLAGS)
        for _ in range(runs):
            ctx = browser.new_context(viewport={"width": 1366, "height": 900})
            page = ctx.new_page()
            page.goto(path.as_uri(), wait_until="load")
            nav = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
            import json

            nav = json.loads(nav)
            loads.append(nav["loadEventEnd"] - nav["startTime"])
            # the page is usable: the packed data inflated (older reports have none: the load event)
            page.wait_for_function("document.body.dataset.ready || !document.getElementById('pt-data')")
            # the page stamps the moment its data is inflated (ms from navigation start)
            readies.append(page.evaluate("+document.body.dataset.ready || performance.now()"))
            fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0")
            fcps.append(fcp)
            # the last submission brought into view (its panes laid out), then a click on a fragment:
            # the source side scrolls to it
            ms = page.evaluate("""() => {
                const t = performance.now();
                const docs = document.querySelectorAll('section.doc');
                const last = docs[docs.length - 1];
                if (!last) return -1;
                last.scrollIntoView();
                return new Promise(done => {
                  const go = () => {
                    const m = last.querySelector('.pane.sub mark.cp');
                    if (!m && performance.now() - t < 5000) return requestAnimationFrame(go);
                    if (m) { m.click(); last.querySelector('.pane.ref').getBoundingClientRect(); }
                    done(performance.now() - t);
                  };
                  requestAnimationFrame(go);
                }); }""")
            clicks.append(ms)
            ctx.close()
        browser.close()
    print(
        f"browser load (navigation start -> load event end): median {statistics.median(loads) / 1000:.2f} s "
        f"over {runs} runs (max {max(loads) / 1000:.2f} s)"
    )
    print(
        f"usable (packed data inflated, panes can be laid out): median {statistics.median(readies) / 1000:.2f} s "
        f"(max {max(readies) / 1000:.2f} s); target < 2 s"
    )
    print(f"first contentful paint: median {statistics.median(fcps) / 1000:.2f} s")
    print(
        f"open the last submission and click a fragment -> source side scrolled: "
        f"median {statistics.median(clicks):.0f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="submissions")
    ap.add_argument("--refs", type=int, default=50, help="template references")
    ap.add_argument("--chars", type=int, default=1750, help="characters per generated plan")
    ap.add_argument("--dup-rate", type=float, default=0.3)
    ap.add_argument("--join", type=int, default=1, help="plans per submission (longer submissions)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "report.html")
    a = ap.parse_args()
    size, _ = build(a.n, a.refs, a.chars, a.dup_rate, a.out, a.join)
    print(f"file: {a.out} {size / 1e6:.2f} MB ({size / a.n / 1e3:.1f} kB per submission); target < 5 MB")
    parts(a.out.read_text(encoding="utf-8"))
    measure(a.out, a.runs)


if __name__ == "__main__":
    main()
