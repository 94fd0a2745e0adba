"""Reading a batch of inputs: every file that can be read becomes plans; every file that
cannot becomes one error line, and the batch goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from .ingest import IngestError, iter_paths, load
from .model import Plan, Source
from .split import split


@dataclass
class Inputs:
    sources: list[Source] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def read_one(path: str, encoding: str | None = None, errors: str = "strict"
             ) -> tuple[Source | None, list[Plan], IngestError | None]:
    """Load and split one input: ``(source, plans, None)``, or the error that stopped it."""
    try:
        src = load(path, encoding=encoding, errors=errors)
    except IngestError as e:
        return None, [], e
    plans = split(src)
    if not plans:  # a page that is all site chrome: say so rather than give nothing
        return src, [], IngestError(path, "no plan text found (only web-page chrome)")
    return src, plans, None


def read_inputs(paths: Iterable[str], *, encoding: str | None = None, errors: str = "strict",
                on_error: Callable[[IngestError], None] | None = None, jobs: int = 1) -> Inputs:
    """Load and split every input (in ``jobs`` worker processes: same result, same order).
    ``on_error(err)`` is called for each unreadable file, in input order."""
    from .pipeline import parallel_map

    out = Inputs()
    files = list(iter_paths(paths))
    if "-" in files:  # stdin is read by this process
        jobs = 1
    for src, plans, err in parallel_map(partial(read_one, encoding=encoding, errors=errors), files, jobs):
        if src is not None:
            out.sources.append(src)
        if err is not None:
            out.errors.append(err)
            if on_error:
                on_error(err)
        out.plans.extend(plans)
    return out
