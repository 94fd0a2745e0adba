"""Records to JSON-ready values with the stable keys of DESIGN.md."""

from __future__ import annotations

__all__ = ["to_json", "dumps", "dumps_lines"]

import dataclasses
import json
from collections.abc import Iterable
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
