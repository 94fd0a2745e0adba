"""One exception family for everything plantext raises on purpose.

``PlantextError`` is the base; the kinds say whose problem it is:

- ``InputError``   an input file or path cannot be read as given (missing, special file,
                   too large, undecodable, encrypted ...); ``path`` names it.
- ``FormatError``  the file was read but its format is broken or unsupported.
- ``LibraryError`` the plan library (``--db`` / ``--index``) is damaged, foreign or unwritable.
- ``UsageError``   the caller asked for something inconsistent (wrong type, bad option value,
                   an output that exists and may not be overwritten).
- ``OutputError``  an output could not be written (disk full, a folder in the way).

Messages describe the problem, in the reader's language (``plantext.i18n``); they never name a
command-line flag: the CLI adds the flag to use from ``hint`` (a message key).
An error built with a message ``key`` renders through the catalog; plain text is kept as is.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "PlantextError",
    "InputError",
    "FormatError",
    "LibraryError",
    "UsageError",
    "OutputError",
    "os_reason",
]


class PlantextError(Exception):
    """Base of every error plantext raises on purpose.

    ``PlantextError("text")`` keeps the text; ``PlantextError(key="ingest.binary", path=p)``
    renders the catalog message ``key`` with the other keywords as parameters.
    ``path`` (when given) is the file the error is about and prefixes the message.
    ``hint`` is a catalog key the CLI may print after the message (the flag that fixes it).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        key: str | None = None,
        path: str | None = None,
        hint: str | None = None,
        **params: Any,
    ) -> None:
        self.key = key
        self.path = path
        self.hint = hint
        self.params = params
        self._message = message
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The problem, without the path."""
        if self.key is not None:
            from .i18n import tr

            return tr(self.key, **self.params)
        return self._message or ""

    def __str__(self) -> str:
        msg = self.message
        return f"{self.path}: {msg}" if self.path else msg

    def __reduce__(self) -> tuple[Any, ...]:
        # pickles (worker processes) whatever the subclass's constructor takes
        return _rebuild, (type(self), dict(self.__dict__))


def _rebuild(cls: type[PlantextError], state: dict[str, Any]) -> PlantextError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, err.message)
    return err


class InputError(PlantextError):
    """An input cannot be read as given."""


class FormatError(PlantextError):
    """An input's format is broken or unsupported."""


class LibraryError(PlantextError):
    """The plan library is damaged, foreign, locked or unwritable."""


class UsageError(PlantextError, ValueError):
    """Inconsistent arguments: wrong types, bad values, a refused overwrite."""


class OutputError(PlantextError):
    """An output could not be written."""


def os_reason(e: BaseException) -> str:
    """Why an operating-system call failed, in the reader's language: the catalog's words for
    the error number (``os.EACCES`` ...), else the system's own text (``strerror``)."""
    import errno

    from .i18n import catalog, tr

    num = getattr(e, "errno", None)
    name = errno.errorcode.get(num, "") if isinstance(num, int) else ""
    if name and f"os.{name}" in catalog():
        return tr(f"os.{name}")
    return getattr(e, "strerror", None) or str(e) or type(e).__name__
