"""Metadata per plan (region, year, school type ...) from a CSV manifest or from path patterns.

A manifest is a CSV file with a ``path`` column (matched to the sources: as written, as a
path relative to the manifest's folder or the working folder, or by file name when that is
unique) and/or an ``id`` column (matched to plan ids such as ``page.txt#2``), plus any
metadata columns. A path pattern such as ``{region}/{year}/*`` takes fields from the folders
a file sits in. Both land in ``plan.meta`` and every output row carries them.

Values are strings, except whole numbers without a leading zero (``2024``), which become
ints so that years sort and plot as numbers. Empty cells set nothing.
"""

from __future__ import annotations

__all__ = [
    "KEYS",
    "MetaError",
    "Manifest",
    "MetaReport",
    "value",
    "load_manifest",
    "PathPattern",
    "compile_pattern",
    "from_path",
    "apply_meta",
    "meta_fields",
]

import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .i18n import tr

if TYPE_CHECKING:  # pragma: no cover
    from .model import Plan

KEYS = ("path", "id")


class MetaError(InputError):
    """A manifest or pattern that cannot be used; the message is one line naming the file.

    An :class:`~plantext.errors.InputError`, kept under its own name for callers that catch it."""


@dataclass
class Manifest:
    path: str
    fields: list[str]  # metadata columns, in file order (not path/id)
    rows: list[dict[str, Any]]  # metadata per row
    lines: list[int] = field(default_factory=list)  # the CSV line of each row
    by_id: dict[str, int] = field(default_factory=dict)
    by_path: dict[str, int] = field(default_factory=dict)  # as written
    by_resolved: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)  # file names that are unique

    def match(self, plan: Plan) -> int | None:
        """Index of the row for ``plan`` (id first, then its source path), or None."""
        i = self.by_id.get(plan.id)
        if i is not None:
            return i
        sp = plan.source.path
        for table, key in (
            (self.by_path, sp),
            (self.by_path, _posix(sp)),
            (self.by_resolved, _resolved(sp)),
            (self.by_name, _name(sp)),
        ):
            i = table.get(key)
            if i is not None:
                return i
        return None


@dataclass
class MetaReport:
    """What :func:`apply_meta` matched: plans without a row, manifest lines that matched nothing."""

    matched: int = 0
    unmatched: list[str] = field(default_factory=list)  # plan ids
    unused: list[int] = field(default_factory=list)  # manifest lines

    def warnings(self, manifest: str | None = None) -> list[str]:
        """One line per kind of mismatch, in the reader's language."""
        out = []
        if self.unmatched:
            key = "meta.no_metadata_in" if manifest else "meta.no_metadata"
            out.append(tr(key, n=len(self.unmatched), manifest=manifest, ids=_some(self.unmatched)))
        if self.unused and manifest:
            out.append(
                tr("meta.unused_rows", manifest=manifest, n=len(self.unused), lines=_some(map(str, self.unused)))
            )
        return out


def _some(items: Iterable[str], n: int = 5) -> str:
    items = list(items)
    return ", ".join(items[:n]) + (f" ... (+{len(items) - n})" if len(items) > n else "")


def _posix(p: str) -> str:
    return p.replace("\\", "/")


def _resolved(p: str, base: Path | None = None) -> str:
    q = Path(_posix(p))
    if base is not None and not q.is_absolute():
        q = base / q
    return os.path.normcase(str(q.resolve()))


def _name(p: str) -> str:
    return PurePosixPath(_posix(p)).name


_INT_RE = re.compile(r"-?[1-9]\d{0,17}|0")


def value(s: str) -> Any:
    """A cell as stored in ``plan.meta``: stripped, whole numbers as int, empty as None."""
    s = s.strip()
    if not s:
        return None
    return int(s) if _INT_RE.fullmatch(s) else s


def _unicode_with_bom(path: str, data: bytes) -> str | None:
    """The text of a UTF-32 or UTF-16 file that starts with its BOM, else None."""
    import codecs

    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                raise MetaError(key="meta.not_text", path=path) from None
    return None


def _decode(path: str, data: bytes) -> str:
    # Excel on Chinese Windows saves CSV as GBK; everything else is UTF-8 (maybe with BOM).
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise MetaError(key="meta.not_text", path=path)


def load_manifest(path: str | os.PathLike) -> Manifest:
    """Read a manifest CSV. Raises :class:`MetaError` naming the file (and line) on a bad one."""
    path = str(path)
    if os.path.isdir(path):
        raise MetaError(key="meta.is_dir", path=path)
    from .ingest import IngestError, read_bytes

    try:  # a regular file only (a FIFO is refused, never opened), at most the input size limit
        data = read_bytes(path)
    except IngestError as e:
        raise MetaError(e.message, path=e.path) from None
    text = _unicode_with_bom(path, data)  # Excel's "Unicode text": UTF-16 with a BOM, TAB-separated
    if text is None:
        if b"\0" in data[:4096]:
            raise MetaError(key="meta.binary", path=path)
        text = _decode(path, data)
    head = next((ln for ln in text.splitlines() if ln.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if "\t" in head and "," not in head else ",")
    try:
        header = next((r for r in reader if any(c.strip() for c in r)), None)
    except csv.Error as e:
        raise MetaError(key="meta.csv_error", path=path, line=reader.line_num, why=str(e)) from None
    if header is None:
        raise MetaError(key="meta.empty", path=path)
    header = [h.strip() for h in header]
    head_line = reader.line_num
    for i, h in enumerate(header, 1):
        if not h:
            raise MetaError(key="meta.unnamed_column", path=path, line=head_line, column=i)
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise MetaError(key="meta.duplicate_column", path=path, line=head_line, column=dup[0])
    keys = [k for k in KEYS if k in header]
    if not keys:
        raise MetaError(key="meta.no_key_column", path=path, columns=", ".join(header))
    fields = [h for h in header if h not in KEYS]
    m = Manifest(path=path, fields=fields, rows=[])
    base = Path(path).resolve().parent
    names: dict[str, list[int]] = {}
    seen: dict[tuple[str, str], int] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise MetaError(key="meta.csv_error", path=path, line=reader.line_num, why=str(e)) from None
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise MetaError(key="meta.field_count", path=path, line=line, fields=len(row), header=len(header))
        rec = dict(zip(header, (c.strip() for c in row)))
        if not any(rec[k] for k in keys):
            raise MetaError(key="meta.empty_key", path=path, line=line, keys=" / ".join(keys))
        idx = len(m.rows)
        for k in keys:
            v = rec[k]
            if not v:
                continue
            if (k, v) in seen:
                raise MetaError(key="meta.duplicate_key", path=path, line=line, field=k, value=v, first=seen[k, v])
            seen[k, v] = line
            if k == "id":
                m.by_id[v] = idx
            else:
                m.by_path[v] = m.by_path[_posix(v)] = idx
                # relative paths: to the manifest's folder first, then to the working folder
                m.by_resolved.setdefault(_resolved(v, base), idx)
                m.by_resolved.setdefault(_resolved(v), idx)
                names.setdefault(_name(v), []).append(idx)
        m.rows.append({f: value(rec[f]) for f in fields if value(rec[f]) is not None})
        m.lines.append(line)
    m.by_name = {n: ix[0] for n, ix in names.items() if len(ix) == 1}
    return m


# -- path patterns ------------------------------------------------------------------------

_FIELD_RE = re.compile(r"\{([^{}]*)\}|\*\*|\*|[^{}*]+|[{}]")


@dataclass(frozen=True)
class PathPattern:
    text: str
    rx: re.Pattern
    folders: bool  # the last part names a folder, so the pattern matches the file's folder


def compile_pattern(pattern: str) -> PathPattern:
    """``{region}/{year}/*`` -> a regex over the tail of a path: ``{name}`` takes one folder or
    part of a file name, ``*`` anything within one folder, ``**`` any number of folders.

    A pattern whose last part has neither ``*`` nor ``.`` (``{region}/{year}``) names folders
    only and is matched against the file's folder."""
    parts, names = [], set()
    body = pattern.strip().strip("/")
    for m in _FIELD_RE.finditer(body):
        tok = m.group()
        if m.group(1) is not None:
            name = m.group(1)
            if not name.isidentifier():
                raise MetaError(key="meta.pattern_bad_name", pattern=pattern, name=name)
            if name in names:
                raise MetaError(key="meta.pattern_twice", pattern=pattern, name=name)
            names.add(name)
            parts.append(f"(?P<{name}>[^/]+?)")
        elif tok == "**":
            parts.append(".*")
        elif tok == "*":
            parts.append("[^/]*")
        elif tok in "{}":
            raise MetaError(key="meta.pattern_unbalanced", pattern=pattern, token=tok)
        else:
            parts.append(re.escape(tok))
    if not names:
        raise MetaError(key="meta.pattern_no_field", pattern=pattern)
    last = body.rsplit("/", 1)[-1]
    return PathPattern(
        pattern, re.compile(r"(?:^|/)" + "".join(parts) + "$"), folders="*" not in last and "." not in last
    )


def from_path(path: str, pattern: str | PathPattern) -> dict[str, Any] | None:
    """Fields that ``pattern`` takes from ``path``, or None.

    The path is matched as given (not resolved), so folders above the inputs named on the
    command line never leak into the metadata."""
    pat = compile_pattern(pattern) if isinstance(pattern, str) else pattern
    p = _posix(path)
    m = pat.rx.search(str(PurePosixPath(p).parent) if pat.folders else p)
    if m is None:
        return None
    return {k: value(v) for k, v in m.groupdict().items() if value(v) is not None}


def apply_meta(
    plans: Iterable[Plan], manifest: Manifest | str | None = None, pattern: str | None = None, also: Iterable[Plan] = ()
) -> MetaReport:
    """Fill ``plan.meta`` from a path pattern and/or a manifest (the manifest wins on a clash).

    Returns what matched; plans without metadata keep the fields they had. ``also``: more plans
    (the references a submission is checked against) that take their metadata from the same
    manifest: the rows they match are used rows, and they are not listed when they have none."""
    if isinstance(manifest, (str, os.PathLike)):
        manifest = load_manifest(manifest)
    rx = compile_pattern(pattern) if pattern else None
    rep = MetaReport()
    used: set[int] = set()
    for plan in plans:
        got = False
        if rx is not None:
            fields = from_path(plan.source.path, rx)
            if fields is not None:
                plan.meta.update(fields)
                got = True
        if manifest is not None:
            i = manifest.match(plan)
            if i is not None:
                plan.meta.update(manifest.rows[i])
                used.add(i)
                got = True
        if got:
            rep.matched += 1
        else:
            rep.unmatched.append(plan.id)
    for plan in also:
        if rx is not None:
            fields = from_path(plan.source.path, rx)
            if fields is not None:
                plan.meta.update(fields)
        if manifest is not None:
            i = manifest.match(plan)
            if i is not None:
                plan.meta.update(manifest.rows[i])
                used.add(i)
    if manifest is not None:
        rep.unused = [manifest.lines[i] for i in range(len(manifest.rows)) if i not in used]
    return rep


def meta_fields(plans: Iterable[Plan]) -> list[str]:
    """Metadata field names over ``plans``, in first-seen order (for table columns)."""
    out: dict[str, None] = {}
    for p in plans:
        for k in p.meta:
            out.setdefault(k, None)
    return list(out)
