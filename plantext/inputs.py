"""Reading a batch of inputs: every file that can be read becomes plans; every file that
cannot becomes one error line, and the batch goes on."""

from __future__ import annotations

__all__ = ["Inputs", "read_one", "read_inputs"]

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from .clean import clean
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


def read_one(
    path: str, encoding: str | None = None, errors: str = "strict", max_size: int | None = None
) -> tuple[Source | None, list[Plan], IngestError | None]:
    """Load and split one input: ``(source, plans, None)``, or the error that stopped it."""
    try:
        src = clean(
            load(path, encoding=encoding, errors=errors, max_size=DEFAULT_MAX_SIZE if max_size is None else max_size)
        )
        plans = split(src)  # the plans point to src
    except IngestError as e:
        return None, [], e
    except RecursionError:
        return None, [], IngestError(path, key="ingest.split_too_deep")
    if not plans:  # a page that is all site chrome: say so rather than give nothing
        from .split import no_plan_reason

        key, params = no_plan_reason(src)
        return src, [], IngestError(path, key=key, **params)
    return src, plans, None


def read_inputs(
    paths: str | Iterable[str],
    *,
    encoding: str | None = None,
    errors: str = "strict",
    on_error: Callable[[IngestError], None] | None = None,
    max_size: int | None = None,
    jobs: int = 1,
    exclude: Iterable[str | os.PathLike] = (),
) -> Inputs:
    """Load and split every input. ``paths`` is one path or an iterable of paths (folders
    expanded); ``on_error(err)`` is called for each unreadable file, in input order. A file named
    twice (as given, as ``./x``, through a symlink) is read once, under the first name.
    ``jobs`` > 1 reads and splits in worker processes: the same result, in the same order.
    ``exclude``: outputs of the command (a file, a folder) that a folder walked holds; not read."""
    from .pipeline import parallel_map

    out = Inputs()
    items: list[str | IngestError] = []  # the files to read, and the paths that failed, in order
    seen: dict[tuple[int, int], str] = {}
    for path in iter_paths(as_paths(paths), on_error=items.append, exclude=exclude):
        key = file_key(path) if path != "-" else (-1, -1)  # stdin named twice is read once
        if key is not None:
            if key in seen:
                out.duplicates.append((path, seen[key]))
                continue
            seen[key] = path
        items.append(path)
    files = [x for x in items if isinstance(x, str)]
    if "-" in files:  # stdin is read by this process
        jobs = 1
    read = iter(parallel_map(partial(read_one, encoding=encoding, errors=errors, max_size=max_size), files, jobs))
    for item in items:
        src, plans, err = (None, [], item) if isinstance(item, IngestError) else next(read)
        if src is not None:
            out.sources.append(src)
        if err is not None:
            out.errors.append(err)
            if on_error:
                on_error(err)
        out.plans.extend(plans)
    return out
