"""Records to JSON-ready values with the stable keys of DESIGN.md."""

from __future__ import annotations

__all__ = ["to_json", "dumps", "dumps_lines", "iter_dumps"]

import dataclasses
import json
from collections.abc import Iterable, Iterator
from typing import Any


def to_json(obj: Any) -> Any:
    """Dataclasses (via their ``to_dict`` when they have one), lists and dicts, recursively."""
    if hasattr(obj, "to_dict"):
        return to_json(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj) if not f.name.startswith("_")}
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, 4)
    return obj


def dumps(obj: Any, indent: int | None = 2) -> str:
    return json.dumps(to_json(obj), ensure_ascii=False, indent=indent)


def dumps_lines(rows: Iterable[Any]) -> str:
    return "".join(json.dumps(to_json(r), ensure_ascii=False) + "\n" for r in rows)


def iter_dumps(obj: Any) -> Iterator[str]:
    """``dumps(obj)`` in pieces, the same text: a list, or a dict's list values, item by item.

    A large result (``check.json`` of thousands of documents) is then neither converted nor held
    as one string at once; each item is converted and encoded on its own."""
    if isinstance(obj, dict) and obj:
        yield "{"
        for i, (k, v) in enumerate(obj.items()):
            yield ("," if i else "") + "\n  " + json.dumps(k, ensure_ascii=False) + ": "
            yield from _items(v, "  ") if isinstance(v, (list, tuple)) else [_indented(v, "  ")]
        yield "\n}"
    elif isinstance(obj, (list, tuple)):
        yield from _items(obj, "")
    else:
        yield dumps(obj)


def _items(values: list[Any] | tuple[Any, ...], pad: str) -> Iterator[str]:
    if not values:
        yield "[]"
        return
    yield "["
    for i, v in enumerate(values):
        yield ("," if i else "") + "\n  " + pad + _indented(v, pad + "  ")
    yield "\n" + pad + "]"


def _indented(value: Any, pad: str) -> str:
    """``dumps(value)`` as it reads nested ``len(pad)`` columns deep (a string's own line breaks
    are escaped by JSON, so every newline of the text is indentation)."""
    return dumps(value).replace("\n", "\n" + pad)
