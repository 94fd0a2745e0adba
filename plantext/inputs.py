"""Reading a batch of inputs: every file that can be read becomes plans; every file that
cannot becomes one error line, and the batch goes on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .ingest import IngestError, iter_paths, load
from .model import Plan, Source
from .split import split


@dataclass
class Inputs:
    sources: list[Source] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def read_inputs(paths: Iterable[str], *, encoding: str | None = None, errors: str = "strict",
                on_error=None) -> Inputs:
    """Load and split every input. ``on_error(err)`` is called for each unreadable file."""
    out = Inputs()
    for path in iter_paths(paths):
        try:
            src = load(path, encoding=encoding, errors=errors)
        except IngestError as e:
            out.errors.append(e)
            if on_error:
                on_error(e)
            continue
        out.sources.append(src)
        plans = split(src)
        if not plans:  # a page that is all site chrome: say so rather than give nothing
            e = IngestError(path, "no plan text found (only web-page chrome)")
            out.errors.append(e)
            if on_error:
                on_error(e)
        out.plans.extend(plans)
    return out
