"""Tables for people who file them: CSV (UTF-8 with BOM, so Excel reads Chinese) and XLSX
(header row, frozen panes, autofilter, column widths, numbers as numbers)."""

from __future__ import annotations

__all__ = ["Sheet", "cell", "csv_bytes", "xlsx_bytes", "write_table"]

import csv
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from .files import check_writable, write_bytes


@dataclass
class Sheet:
    name: str
    columns: Sequence[str]
    rows: list[Any] = field(default_factory=list)  # each a sequence of cells


def cell(v: Any) -> Any:
    """Lists become '; '-joined text, None an empty cell; numbers stay numbers."""
    if v is None:
        return ""
    if isinstance(v, (list, tuple, set)):
        return "; ".join(str(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}={x}" for k, x in v.items())
    return v


def csv_bytes(sheet: Sheet) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(sheet.columns)
    for r in sheet.rows:
        w.writerow([_guard(cell(v)) for v in r])
    return buf.getvalue().encode("utf-8-sig")


def _width(v: Any) -> int:
    s = str(cell(v))
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s[:200])


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one workbook, streamed row by row (XlsxWriter's constant-memory mode: each
    row goes to a temporary file as it is written, linear in the rows, nothing kept per cell;
    its in-memory mode would switch that off and hold every cell, some 180 bytes each)."""
    import xlsxwriter

    buf = io.BytesIO()
    options = {"constant_memory": True, "nan_inf_to_errors": True}
    wb = xlsxwriter.Workbook(buf, options)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "pattern": 1, "valign": "vcenter"})
    for sh in sheets:
        ws = wb.add_worksheet(sh.name[:31])
        # what a streamed sheet writes before its rows: the frozen header, the filter, the widths
        ws.freeze_panes(1, 0)
        if sh.columns:
            ws.autofilter(0, 0, len(sh.rows), len(sh.columns) - 1)
        for i, name in enumerate(sh.columns):
            sample = [name] + [r[i] for r in sh.rows[:500]]
            ws.set_column(i, i, min(60, max(6, max(map(_width, sample)) + 2)))
        # (the header row's cells reach as far as the longest row, as a sheet built in memory styles them)
        wide = max([len(sh.columns), 1, *map(len, sh.rows)])
        for i in range(wide):
            if i < len(sh.columns):
                ws.write_string(0, i, str(sh.columns[i]), head)
            else:
                ws.write_blank(0, i, None, head)
        text, number, boolean = ws.write_string, ws.write_number, ws.write_boolean
        for row, r in enumerate(sh.rows, 1):
            for col, v in enumerate(r):
                v = _xlsx_cell(v)
                if isinstance(v, str):
                    if v:  # always text: a cell that reads "=SUM(A1)" is no formula
                        text(row, col, v[:_CELL_MAX])
                elif isinstance(v, bool):
                    boolean(row, col, v)
                elif isinstance(v, (int, float)):
                    number(row, col, v)
                else:
                    text(row, col, str(v)[:_CELL_MAX])
    wb.close()
    return buf.getvalue()


_CELL_MAX = 32767  # characters Excel holds in a cell (a longer text is cut: Excel would not open the file)
_ILLEGAL = {c: None for c in list(range(0, 9)) + [11, 12] + list(range(14, 32))}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _guard(v: Any) -> Any:
    """CSV text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, TAB or CR first, as OWASP lists)
    gets a leading apostrophe: document text must not become a formula (CSV injection). The
    comparators plantext writes (``=``, ``>=`` ...) are values, not formulas, and stay as they are."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(v) and v not in _COMPARATORS:
        return "'" + v
    return v


_COMPARATORS = frozenset(("=", "<=", ">=", "<", ">"))


def _xlsx_cell(v: Any) -> Any:
    v = cell(v)
    if isinstance(v, str) and _CONTROL.search(v):
        v = v.translate(_ILLEGAL)  # XML 1.0 (the sheet's format) holds no control characters
    return v


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def write_table(path: str | os.PathLike, sheets: Sheet | Sequence[Sheet], force: bool = False) -> None:
    """Write by extension: .xlsx (all sheets), .csv (first sheet), .jsonl/.json (records)."""
    if isinstance(sheets, Sheet):
        sheets = [sheets]
    ext = os.path.splitext(str(path))[1].lower()
    check_writable(path, force)  # refuse before building the workbook
    if ext == ".xlsx":
        data = xlsx_bytes(sheets)
    elif ext == ".csv":
        data = csv_bytes(sheets[0])
    elif ext in (".jsonl", ".json"):
        from .jsonout import dumps, dumps_lines

        recs = [dict(zip(sheets[0].columns, r)) for r in sheets[0].rows]
        data = (dumps_lines(recs) if ext == ".jsonl" else dumps(recs)).encode("utf-8")
    else:
        raise UsageError(key="cmd.table_format", path=str(path), ext=ext or "-")
    write_bytes(path, data, force)
