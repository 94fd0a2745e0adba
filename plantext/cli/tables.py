"""Rich tables for the terminal, plain text when written to a file."""

from __future__ import annotations

__all__ = ["col", "print_table", "print_tables", "short_ids"]

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .app import Session


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    title: str | None = None,
    output: Path | None = None,
    force: bool = False,
    session: Session | None = None,
) -> None:
    from rich.table import Table

    from ..names import printable

    t = Table(title=printable(title) if title else title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(col(c), overflow="fold")
    for r in rows:
        t.add_row(*map(_text, r))
    print_tables([t], output, force, session)


def col(name: str) -> str:
    """A column header in the reader's language (``table.col.<name>``); a name the catalog does
    not hold (a metadata field, a header already translated) is shown as it is."""
    from ..i18n import catalog, tr

    key = f"table.col.{name}"
    return tr(key) if key in catalog() else name


def _text(v: Any) -> str:
    from ..names import printable

    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return printable(", ".join(map(str, v)))
    return printable(str(v))  # a file name's ESC or BEL never reaches the terminal


def print_tables(
    tables: Sequence[Any], output: Path | None = None, force: bool = False, session: Session | None = None
) -> None:
    """Rich tables to the terminal, or as 160-column plain text through ``session.emit`` with -o."""
    from rich.console import Console

    if output is None:
        console = Console()
        for t in tables:
            console.print(t)
        return
    assert session is not None, "a table written to a file goes through the session"
    console = Console(record=True, width=160, file=io.StringIO())
    for t in tables:
        console.print(t)
    session.emit(console.export_text(), output, force)


def short_ids(ids: Iterable[str]) -> tuple[dict[str, str], str]:
    """Plan ids for narrow table columns: the folder all file ids share is cut off (and
    returned, to name in the title). Ids outside it (``plantext:stock_phrases.txt``) stay as
    they are; JSON, CSV and spreadsheets keep the full ids."""
    import os

    unique = [i for i in dict.fromkeys(ids) if i]
    dirs = {os.path.dirname(i.split("#", 1)[0]) for i in unique} - {""}
    try:
        common = os.path.commonpath(list(dirs)) if dirs else ""
    except ValueError:  # absolute and relative paths mixed
        common = ""
    if not common or common == os.sep:
        return {i: i for i in unique}, ""
    n = len(common) + 1
    return {i: i[n:] if i.startswith(common + os.sep) else i for i in unique}, common
