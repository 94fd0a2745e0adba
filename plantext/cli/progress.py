"""Progress bars on stderr for long work, shown only when stderr is a terminal, so pipes,
files and tests see nothing.

    from .progress import progress, track

    with progress("checking", total=len(plans)) as advance:
        for plan in plans:
            ...
            advance()            # or advance(n), advance(description="...")

    for plan in track(plans, "fingerprinting"):
        ...

Library functions that report progress take a plain callback (e.g. ``on_step=advance``); the
bar itself stays in the CLI.
"""

from __future__ import annotations

__all__ = ["T", "enabled", "progress", "track"]

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def enabled() -> bool:
    """Bars only for a person watching: stderr is a terminal and PLANTEXT_PROGRESS is not 0."""
    if os.environ.get("PLANTEXT_PROGRESS", "") == "0":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # stderr replaced or closed
        return False


def _noop(n: float = 1, description: str | None = None) -> None:
    pass


@contextmanager
def progress(description: str, total: float | None = None) -> Iterator[Callable[..., None]]:
    """A bar on stderr; yields ``advance(n=1, description=None)``. ``total=None``: a spinner."""
    if not enabled():
        yield _noop
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
    if total is not None:
        columns += [MofNCompleteColumn(), TimeRemainingColumn()]
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: float = 1, description: str | None = None) -> None:
            if description is None:
                bar.advance(task, n)
            else:
                bar.update(task, advance=n, description=description)

        yield advance


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate ``items`` with a bar (total from ``len(items)`` when it has one)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with progress(description, total) as advance:
        for item in items:
            yield item
            advance()
