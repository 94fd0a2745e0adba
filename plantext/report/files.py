"""Output files are never overwritten unless the user asked (``--force``)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UsageError


class OutputExists(UsageError):
    """An output that exists and may not be overwritten (a :class:`~plantext.errors.UsageError`).

    The message names the file; ``hint`` (``hint.force``) is the CLI's way to overwrite it."""

    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__("already exists", path=str(path), hint="hint.force")


def check_writable(path: str | os.PathLike, force: bool = False) -> Path:
    """Raise OutputExists if ``path`` exists and ``force`` is off; create parent folders."""
    p = Path(path)
    if p.exists() and not force:
        raise OutputExists(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def write_bytes(path: str | os.PathLike, data: bytes, force: bool = False) -> Path:
    """Write atomically (temp file + rename) so an interrupted run leaves no half file."""
    p = check_writable(path, force)
    tmp = p.with_name(f".{p.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, p)
    except BaseException:  # a full disk or a folder in the way: no stray temp file either
        tmp.unlink(missing_ok=True)
        raise
    return p


def write_text(path: str | os.PathLike, text: str, force: bool = False, encoding: str = "utf-8") -> Path:
    return write_bytes(path, text.encode(encoding), force)
