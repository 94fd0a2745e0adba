"""The lexicons and tokenizers plantext's stages read, held by one explicit object.

Every word list, table, tokenizer and pattern compiled from them (units, stock phrases, quotation
lines, the thesaurus, jieba's tokenizer, the OpenCC converter, the message catalogs ...) is made by
a *loader*: a function of no arguments that reads package data, registered with :func:`loader`.
Calling the loader's name (``units()``, ``segment.tokenizer()``) returns the value held by the
active :class:`Resources`, which loads it the first time it is asked and keeps it. The values are
read-only once loaded: stages never change them.

>>> from plantext import lexicons
>>> from plantext.targets.units import units
>>> mine = lexicons.Resources()          # a fresh set, loaded on first use
>>> with lexicons.use(mine):
...     "学时" in units()
True
>>> "plantext.targets.units.units" in mine.loaded()
True

A function of text whose result depends on the lexicons is memoized per set with :func:`memo`.

Which object is active is a context variable: :data:`DEFAULT` unless a caller says otherwise with
``with use(resources):`` (``pipeline.run`` does so for ``RunOptions.resources``, and its worker
processes activate the same object). A ``Resources`` may replace any loader's value
(``Resources(overrides={units: {...}})``) to run the stages on other lexicons; derived values
(a pattern compiled from a list) are loaded in the same object, so they follow the override. Pickling
a ``Resources`` keeps only its overrides: a worker process loads the rest itself.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar, cast

__all__ = ["DEFAULT", "Loader", "Resources", "activate", "current", "loader", "memo", "use"]

T = TypeVar("T")

_LOADERS: dict[str, Callable[[], Any]] = {}  # name -> the function that loads it (code, not state)


class Loader(Protocol[T]):
    """The accessor :func:`loader` makes: calling it returns the value of the active Resources."""

    name: str  # the resource's name: module and function
    load: Callable[[], T]  # the function that loads it

    def __call__(self) -> T: ...


class Resources:
    """One set of loaded lexicons and tokenizers; each loaded on first use, then kept (thread-safe)."""

    def __init__(self, overrides: Mapping[str | Callable[[], Any], Any] | None = None) -> None:
        self._overrides = {_name(k): v for k, v in (overrides or {}).items()}
        self._values: dict[str, Any] = dict(self._overrides)
        self._lock = threading.RLock()  # a loader may ask for another loader's value
        self._memos: dict[str, Callable[..., Any]] = {}  # name -> a memo of a function of the lexicons

    def get(self, name: str) -> Any:
        """The value of the loader ``name``, loading it now if this object has not yet."""
        try:
            return self._values[name]
        except KeyError:
            pass
        with self._lock:
            if name not in self._values:
                self._values[name] = _LOADERS[name]()
            return self._values[name]

    def memo(self, name: str, fn: Callable[..., T], maxsize: int) -> Callable[..., T]:
        """This set's memo of ``fn`` (a function whose result depends on the lexicons)."""
        try:
            return self._memos[name]
        except KeyError:
            with self._lock:
                return self._memos.setdefault(name, functools.lru_cache(maxsize=maxsize)(fn))

    def loaded(self) -> tuple[str, ...]:
        """The names of the values loaded (or given) so far."""
        return tuple(sorted(self._values))

    def preload(self, names: tuple[str, ...] | None = None) -> Resources:
        """Load ``names`` (default: every loader registered so far) now, e.g. before forking workers."""
        for name in names if names is not None else tuple(_LOADERS):
            self.get(name)
        return self

    def __reduce__(self) -> tuple[type[Resources], tuple[dict[str, Any]]]:
        return Resources, (self._overrides,)

    def __repr__(self) -> str:
        return f"Resources(loaded={len(self._values)}, overrides={sorted(self._overrides)})"


DEFAULT = Resources()  # what stages read unless a caller activates another set
_ACTIVE: ContextVar[Resources] = ContextVar("plantext_resources", default=DEFAULT)


def current() -> Resources:
    """The active Resources."""
    return _ACTIVE.get()


@contextmanager
def use(resources: Resources | None) -> Iterator[Resources]:
    """Activate ``resources`` (``None``: keep the active one) for the code inside the block."""
    if resources is None:
        yield current()
        return
    token = _ACTIVE.set(resources)
    try:
        yield resources
    finally:
        _ACTIVE.reset(token)


def activate(resources: Resources) -> None:
    """Make ``resources`` the active set of this thread for good (a worker process's initializer)."""
    _ACTIVE.set(resources)


def loader(fn: Callable[[], T]) -> Loader[T]:
    """Register ``fn`` as the loader of a resource named by its module and name; return its accessor."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    _LOADERS[name] = fn

    @functools.wraps(fn)
    def get() -> T:
        return cast(T, _ACTIVE.get().get(name))

    acc = cast(Loader[T], get)
    acc.name = name
    acc.load = fn
    return acc


def memo(maxsize: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Memoize a function of hashable arguments whose result also depends on the lexicons (a word
    looked up in jieba's dictionary): each Resources keeps its own memo, so an override never
    meets a result computed with other lexicons."""

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> T:
            return _ACTIVE.get().memo(name, fn, maxsize)(*args, **kwargs)

        return call

    return wrap


def _name(key: str | Callable[[], Any]) -> str:
    if isinstance(key, str):
        return key
    name = getattr(key, "name", None)
    if not isinstance(name, str):
        raise TypeError(f"not a plantext loader: {key!r}")
    return name
