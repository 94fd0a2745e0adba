"""The files of ``plantext run``: each writer turns part of the :class:`~plantext.pipeline.Artifacts`
into files of the output folder.

Writers know file names and formats; the stages that made the artifacts know neither. A writer
writes into a :class:`RunFolder` (a temporary folder inside OUT); the folder is published into OUT
only when the run ends, so an interrupted run leaves nothing half written, and a file is listed
as written only once its writer finished.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_bytes, write_chunks, write_text
from .jsonout import iter_dumps

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import Artifacts

__all__ = [
    "OUTPUTS",
    "TEMP_PREFIX",
    "RunFolder",
    "is_output",
    "write_plans",
    "write_cleaning",
    "write_outline",
    "write_targets",
    "write_research",
    "write_similar",
    "write_check",
    "write_index_check",
    "write_report",
]

# Every name a run may write (a --force run removes the ones it did not write this time).
OUTPUTS = (
    "plans.json",
    "errors.txt",
    "cleaning.csv",
    "outline.json",
    "targets.xlsx",
    "targets.csv",
    "terms.xlsx",
    "sections.xlsx",
    "sections.png",
    "sections.svg",
    "compare-*.png",
    "compare-*.svg",
    "trend.png",
    "trend.svg",
    "similar.json",
    "similar.xlsx",
    "check.json",
    "index_check.json",
    "report.html",
)
TEMP_PREFIX = ".plantext-run-"
CLEANING_COLUMNS = ["source", "plan", "kind", "rule", "start", "end", "dropped", "text"]


def is_output(name: str) -> bool:
    """A file name ``plantext run`` writes."""
    return any(fnmatch.fnmatchcase(name, pat) for pat in OUTPUTS)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


class RunFolder:
    """A temporary folder inside ``out`` that the writers fill; :meth:`publish` moves what was
    written into ``out`` and removes what an older run wrote and this one did not."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=out))
        self.written: list[str] = []

    @staticmethod
    def leftovers(out: Path) -> list[Path]:
        """Temporary folders of runs that were killed (their process is gone)."""
        found = []
        for p in out.glob(f"{TEMP_PREFIX}*"):
            pid = p.name[len(TEMP_PREFIX) :].split("-", 1)[0]
            if p.is_dir() and pid.isdigit() and not _pid_alive(int(pid)):
                found.append(p)
        return found

    def file(self, name: str) -> Path:
        return self.path / name

    def write(self, writer: Callable[[Path, Artifacts], Iterable[str]], art: Artifacts) -> list[str]:
        """Run one writer; the names it wrote count only when it finished (else they are removed)."""
        before = set(os.listdir(self.path))
        try:
            names = list(writer(self.path, art))
        except BaseException:
            for name in set(os.listdir(self.path)) - before:
                _remove(self.path / name)
            raise
        self.written.extend(names)
        return names

    def publish(self) -> None:
        """Move the written files into ``out``; remove older outputs this run did not write."""
        for name in self.written:
            os.replace(self.path / name, self.out / name)
        keep = set(self.written)
        for p in self.out.iterdir():
            if p.is_file() and p.name not in keep and is_output(p.name):
                p.unlink()

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _remove(p: Path) -> None:
    if p.is_dir():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)


# -- writers: (folder, artifacts) -> names written ------------------------------------------------


def write_plans(folder: Path, art: Artifacts) -> list[str]:
    """``plans.json`` (the DESIGN.md split contract) and ``errors.txt`` (one line per unreadable file)."""
    write_chunks(folder / "plans.json", iter_dumps([p.to_dict() for p in art.plans]), force=True)
    if not art.inputs.errors:
        return ["plans.json"]
    write_text(folder / "errors.txt", "".join(f"{e}\n" for e in art.inputs.errors), force=True)
    return ["plans.json", "errors.txt"]


def write_cleaning(folder: Path, art: Artifacts) -> list[str]:
    """``cleaning.csv``: what cleaning found in every source."""
    from ..clean import noise_rows
    from .tables import Sheet, csv_bytes

    rows = noise_rows(art.inputs.sources, art.plans)
    write_bytes(folder / "cleaning.csv", csv_bytes(Sheet("cleaning", CLEANING_COLUMNS, rows)), force=True)
    return ["cleaning.csv"]


def write_outline(folder: Path, art: Artifacts) -> list[str]:
    """``outline.json`` (the DESIGN.md outline contract)."""
    from ..outline import to_rows

    assert art.outlines is not None
    write_chunks(folder / "outline.json", iter_dumps(to_rows(art.plans, art.outlines)), force=True)
    return ["outline.json"]


def write_targets(folder: Path, art: Artifacts) -> list[str]:
    """``targets.xlsx`` and ``targets.csv``: one row per target, and the flags sheet."""
    from .tables import write_table
    from .targets_table import sheets, staff_sheets

    assert art.targets is not None
    rows = art.target_rows()
    write_table(folder / "targets.xlsx", staff_sheets(rows, art.plans), force=True)  # for people
    write_table(folder / "targets.csv", sheets(rows), force=True)  # the DESIGN.md columns, for programs
    return ["targets.xlsx", "targets.csv"]


def write_research(folder: Path, art: Artifacts) -> list[str]:
    """``terms.xlsx``, ``sections.xlsx`` and the plots the data allow (see research.stage)."""
    from ..research.stage import research_sheets, write_plots
    from .tables import write_table

    r = art.research
    if r is None:
        return []
    terms, sections = research_sheets(r)
    write_table(folder / "terms.xlsx", terms, force=True)
    write_table(folder / "sections.xlsx", sections, force=True)
    return ["terms.xlsx", "sections.xlsx", *(p.name for p in write_plots(folder, r, art.warn))]


def write_similar(folder: Path, art: Artifacts) -> list[str]:
    """``similar.json`` (DESIGN.md contract, with titles) and ``similar.xlsx``."""
    from ..similarity.similar import sheets, to_json
    from .tables import write_table

    assert art.similar is not None
    titles = {p.id: p.title for p in art.plans}
    write_chunks(folder / "similar.json", iter_dumps(to_json(art.similar, titles)), force=True)
    write_table(folder / "similar.xlsx", list(sheets(art.similar, titles)), force=True)
    return ["similar.json", "similar.xlsx"]


def write_check(folder: Path, art: Artifacts) -> list[str]:
    """``check.json``: the submissions against the references (the same figures as ``plantext
    check SUBMISSIONS --against REFERENCES``; without references, against each other); with
    references, ``between_submissions`` holds the submissions checked against each other."""
    out: dict[str, object] = {"documents": art.check}
    if art.peers is not None:
        out["between_submissions"] = art.peers
    write_chunks(folder / "check.json", iter_dumps(out), force=True)
    return ["check.json"]


def write_index_check(folder: Path, art: Artifacts) -> list[str]:
    """``index_check.json``: every input against the library."""
    if art.index is None:
        return []
    write_chunks(folder / "index_check.json", iter_dumps({"documents": art.index.documents}), force=True)
    return ["index_check.json"]


def write_report(folder: Path, art: Artifacts) -> list[str]:
    """``report.html``: the copy check of every submission, side by side with its sources, and
    the text the submissions share with each other listed apart."""
    from .html import render_html

    assert art.check is not None
    plans = {p.id: p for p in [*art.references, *art.plans]}
    refs = [*art.against, *dict.fromkeys(p.source.path for p in art.pages)]
    html = render_html(
        art.check, plans, art.targets or {}, against=refs, each_other=art.peers is not None, peers=art.peers
    )
    write_text(folder / "report.html", html, force=True)
    return ["report.html"]
