"""Reading a batch of inputs: every file that can be read becomes plans; every file that
cannot becomes one error line, and the batch goes on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .ingest import DEFAULT_MAX_SIZE, IngestError, as_paths, file_key, iter_paths, load
from .model import Plan, Source
from .split import split


@dataclass
class Inputs:
    sources: list[Source] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    # paths skipped because they name a file read already (as given, ./x, a symlink, a hard link)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, the path read)


def read_inputs(paths: str | Iterable[str], *, encoding: str | None = None, errors: str = "strict",
                on_error: Callable[[IngestError], None] | None = None,
                max_size: int | None = None) -> Inputs:
    """Load and split every input. ``paths`` is one path or an iterable of paths (folders
    expanded); ``on_error(err)`` is called for each unreadable file. A file named twice (as
    given, as ``./x``, through a symlink) is read once, under the first name."""
    out = Inputs()

    def fail(e: IngestError) -> None:
        out.errors.append(e)
        if on_error:
            on_error(e)

    seen: dict[tuple[int, int], str] = {}
    for path in iter_paths(as_paths(paths), on_error=fail):
        key = file_key(path)
        if key is not None:
            if key in seen:
                out.duplicates.append((path, seen[key]))
                continue
            seen[key] = path
        try:
            src = load(path, encoding=encoding, errors=errors,
                       max_size=DEFAULT_MAX_SIZE if max_size is None else max_size)
            plans = split(src)
        except IngestError as e:
            fail(e)
            continue
        except RecursionError:
            fail(IngestError(path, "cannot split: nested too deeply"))
            continue
        out.sources.append(src)
        if not plans:  # a page that is all site chrome: say so rather than give nothing
            fail(IngestError(path, "no plan text found (only web-page chrome)"))
        out.plans.extend(plans)
    return out
