"""Output files are never overwritten unless the user asked (``--force``)."""

from __future__ import annotations

__all__ = [
    "OutputExists",
    "check_output",
    "check_writable",
    "write_bytes",
    "write_chunks",
    "output_error",
    "write_text",
]

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError, os_reason

if TYPE_CHECKING:  # pragma: no cover
    from ..errors import OutputError


class OutputExists(UsageError):
    """An output that exists and may not be overwritten (a :class:`~plantext.errors.UsageError`).

    The message names the file; ``hint`` (``hint.force``) is the CLI's way to overwrite it."""

    def __init__(self, path: str | os.PathLike) -> None:
        super().__init__(key="hostile.exists", path=str(path), hint="hint.force")


def check_output(path: str | os.PathLike, force: bool = False) -> Path:
    """What :func:`check_writable` checks, without creating anything: raise OutputExists if
    ``path`` exists and ``force`` is off, OutputError if it is a folder, if a part of its path is
    a file, or if the folder it would go in cannot be written (so a command can say so before
    its long work, not after)."""
    from ..errors import OutputError
    from ..names import path_text

    p = Path(path)
    if p.is_dir():
        raise OutputError(key="hostile.output_is_dir", path=path_text(p))
    if p.exists() and not force:
        raise OutputExists(p)
    parent = p.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(key="hostile.parent_not_folder", path=path_text(p), parent=path_text(parent))
    if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(key="hostile.cannot_write", path=path_text(p), reason=_os_words("EACCES"))
    return p


def _os_words(name: str) -> str:
    from ..i18n import tr

    return tr(f"os.{name}")


def check_writable(path: str | os.PathLike, force: bool = False) -> Path:
    """Raise OutputExists if ``path`` exists and ``force`` is off (OutputError if it is a folder
    or its folder cannot be made); create parent folders."""
    p = check_output(path, force)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise output_error(p, e) from None
    return p


def write_bytes(path: str | os.PathLike, data: bytes, force: bool = False) -> Path:
    """Write atomically (temp file + rename) so an interrupted run leaves no half file."""
    return write_chunks(path, [data], force)


def write_chunks(
    path: str | os.PathLike, chunks: Iterable[str | bytes], force: bool = False, encoding: str = "utf-8"
) -> Path:
    """Write ``chunks`` one after another, atomically like :func:`write_bytes`: a large output
    (``check.json`` of thousands of documents) is made and written piece by piece."""
    p = check_writable(path, force)
    tmp = p.with_name(f".{p.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            for c in chunks:
                f.write(c if isinstance(c, bytes) else c.encode(encoding))
        os.replace(tmp, p)
    except OSError as e:  # a full disk or a folder in the way: one clear error, no stray temp file
        _unlink(tmp)
        raise output_error(p, e) from None
    except BaseException:
        _unlink(tmp)
        raise
    return p


def _unlink(path: Path) -> None:
    try:  # noqa: SIM105
        path.unlink(missing_ok=True)
    except OSError:
        pass


def output_error(path: str | os.PathLike, e: OSError) -> OutputError:
    """An OSError met writing ``path`` as one OutputError line (a full disk said as such)."""
    import errno

    from ..errors import OutputError
    from ..names import path_text

    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(key="hostile.disk_full", path=path_text(path))
    return OutputError(key="hostile.cannot_write", path=path_text(path), reason=os_reason(e))


def write_text(path: str | os.PathLike, text: str, force: bool = False, encoding: str = "utf-8") -> Path:
    return write_bytes(path, text.encode(encoding), force)
