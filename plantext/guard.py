"""Clear errors for wrong argument types at the library's public entry points.

``plantext.outline(source)`` (a Source, not a Plan), ``plantext.targets(None)`` or
``plantext.similar("a.txt")`` would otherwise fail deep inside with ``AttributeError: ... has
no attribute 'view'``; these checks say what was expected instead (a UsageError)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .errors import UsageError

__all__ = ["require_plan", "require_plans", "require_source"]


def _got(x: Any) -> str:
    if x is None:
        return "None"
    if hasattr(x, "path") and hasattr(x, "text"):  # a Source: its path says enough
        return f"{type(x).__name__} {x.path!r}"
    r = repr(x)
    return f"{type(x).__name__} {r if len(r) <= 40 else r[:37] + '...'}"


def _expected(x: Any, what: str, key: str) -> UsageError:
    from .errors import UsageError
    from .i18n import tr
    from .model import Source

    err = UsageError(key=key, what=what, got=_got(x))
    if isinstance(x, Source):
        return UsageError(f"{err.message}; {tr('hostile.source_not_plan')}")
    return err


def require_plan(plan: Any, what: str) -> None:
    """Raise UsageError unless ``plan`` is a :class:`~plantext.model.Plan` (``what`` names the
    function, e.g. ``"plantext.outline"``)."""
    from .model import Plan

    if not isinstance(plan, Plan):
        raise _expected(plan, what, "hostile.expected_plan")


def require_plans(plans: Any, what: str) -> Sequence:
    """``plans`` as a list after checking it is an iterable of Plans (a single Plan, a str,
    None or a Source are UsageErrors naming what was expected)."""
    from .model import Plan

    if plans is None or isinstance(plans, (str, bytes, Plan)) or not hasattr(plans, "__iter__"):
        raise _expected(plans, what, "hostile.expected_plans")
    out = list(plans)
    for p in out:
        if not isinstance(p, Plan):
            raise _expected(p, what, "hostile.expected_plans")
    return out


def require_source(source: Any, what: str) -> None:
    """Raise UsageError unless ``source`` is a :class:`~plantext.model.Source` (what ``load``
    returns); a path or a Plan given instead is named."""
    from .errors import UsageError
    from .model import Source

    if not isinstance(source, Source):
        raise UsageError(key="hostile.expected_source", what=what, got=_got(source))
