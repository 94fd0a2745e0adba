"""Everything a person reads, in Chinese by default, English on request.

Messages live in catalogs shipped as package data: ``resources/messages/*.tsv``, one file per
area (``cli.tsv``, ``ingest.tsv``, ``report.tsv`` ...), each line ``key<TAB>中文<TAB>English``
with ``{name}`` placeholders (``str.format``). Lines starting with ``#`` are comments.
Keys are namespaced by area (``ingest.binary``); a key missing from the catalog renders as
itself, so a typo is visible, never a crash.

The language: an explicit ``lang`` argument, else ``PLANTEXT_LANG`` (``zh`` / ``en``; the CLI's
``--lang`` sets it), else an English locale (``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` starting
with ``en``) gives English, else Chinese.
"""

from __future__ import annotations

import os
from importlib import resources
from typing import Any

from .lexicons import loader

__all__ = ["LANGS", "current_lang", "tr", "catalog"]

LANGS = ("zh", "en")


def current_lang() -> str:
    """The language messages are rendered in now (``zh`` or ``en``)."""
    env = os.environ.get("PLANTEXT_LANG", "").strip().lower()
    if env[:2] in LANGS:
        return env[:2]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        val = os.environ.get(var, "")
        if val:
            return "en" if val.lower().startswith("en") else "zh"
    return "zh"


@loader
def catalog() -> dict[str, tuple[str, str]]:
    """Every message: key -> (中文, English). Read once from the package data (immutable)."""
    out: dict[str, tuple[str, str]] = {}
    folder = resources.files("plantext") / "resources" / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".tsv"):
            continue
        for lineno, line in enumerate(entry.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise ValueError(f"{entry.name}:{lineno}: expected key, 中文, English separated by tabs")
            key, zh, en = parts
            out[key] = (zh.replace("\\n", "\n"), en.replace("\\n", "\n"))
    return out


def tr(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` (default: ``current_lang()``), formatted with ``params``."""
    pair = catalog().get(key)
    if pair is None:
        return key if not params else f"{key} {params}"
    text = pair[1] if (lang or current_lang()) == "en" else pair[0]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
