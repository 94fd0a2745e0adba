"""The reviewer's report as a PDF, to print or hand out: the overview, then per submission its
findings, its sources and the numbered fragments side by side (①, the submission's text, beside
①, the source's), a running header naming the submission and page numbers, CJK fonts embedded.

Rendered from a print layout (``templates/print.html.j2``: static markup, no script) by headless
Chromium (``chromium --headless --print-to-pdf``), which embeds the fonts it uses (the page asks
for Noto Sans CJK / WenQuanYi Zen Hei, as Debian's fonts-noto-cjk / fonts-wqy-zenhei install).
The running header uses CSS page-margin boxes on a named page per submission.
"""

from __future__ import annotations

__all__ = ["CANDIDATES", "FLAGS", "find_chromium", "html_to_pdf", "render_pdf_html", "write_pdf"]

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..model import DocumentCheck, Plan, Target

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
]


def find_chromium() -> str | None:
    """The Chromium to print with: ``PLANTEXT_CHROMIUM`` or the first on PATH."""
    env = os.environ.get("PLANTEXT_CHROMIUM")
    if env:
        return env
    for name in CANDIDATES:
        exe = shutil.which(name)
        if exe:
            return exe
    return None


def html_to_pdf(html: str, out: str | os.PathLike, timeout: float = 600) -> None:
    """Print ``html`` (a complete page needing no network) to the PDF file ``out``."""
    exe = find_chromium()
    if exe is None:
        raise OutputError(key="report.pdf.no_renderer")
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="plantext-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        target = Path(tmp) / "report.pdf"
        cmd = [exe, *FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}", page.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise OutputError(key="report.pdf.failed", reason=f"{type(e).__name__}: {e}") from None
        if not target.exists() or target.stat().st_size == 0:
            reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
            raise OutputError(key="report.pdf.failed", reason=reason[0])
        from .files import write_bytes

        write_bytes(out, target.read_bytes(), force=True)  # atomic: no half file on an interruption


def render_pdf_html(
    docs: Sequence[DocumentCheck],
    plans: Mapping[str, Plan],
    targets: Mapping[str, Sequence[Target]] | None = None,
    **kwargs: Any,
) -> str:
    """The print layout of the report (what :func:`write_pdf` prints); keywords as ``render_html``."""
    from .html import render_html

    return render_html(docs, plans, targets, template="print.html.j2", **kwargs)


def write_pdf(
    path: str | os.PathLike,
    docs: Sequence[DocumentCheck],
    plans: Mapping[str, Plan],
    targets: Mapping[str, Sequence[Target]] | None = None,
    force: bool = False,
    **kwargs: Any,
) -> None:
    """Write the report as a PDF (refused if ``path`` exists and not ``force``)."""
    from .files import check_writable

    check_writable(path, force)
    html_to_pdf(render_pdf_html(docs, plans, targets, **kwargs), path)
