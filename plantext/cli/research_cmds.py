"""plantext terms / compare / sections / plot: research over a corpus of plans."""

from __future__ import annotations

__all__ = ["Format", "Jobs", "terms", "compare", "sections", "plot"]

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..errors import UsageError
from ..i18n import current_lang, tr
from .tables import col

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Plan, Section
    from ..report.tables import Sheet
from .app import (
    Encoding,
    Errors,
    Force,
    MaxSize,
    Meta,
    MetaFromPath,
    Output,
    Paths,
    Session,
    app,
    output_format,
    to_file_as,
)

Format = Annotated[str, typer.Option("--format", "-f", help="json | csv | table")]
Jobs = Annotated[
    int, typer.Option("--jobs", "-j", help="Worker processes for segmentation (0: one per CPU; used from 200 plans).")
]


def _outlines(s: Session, plans: Sequence[Plan]) -> list[list[Section]]:
    from ..outline import outline

    return s.per_plan(plans, outline, "outline")


def _format(s: Session, fmt: str, output: Path | None) -> str:
    return output_format(s, fmt, output, ("json", "csv", "table"), files=("json", "csv", "xlsx", "jsonl"))


def _left_out(s: Session, ids: list[str], field: str) -> None:
    if ids:
        s.warn(tr("cmd.left_out", n=len(ids), field=field, ids=", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")))


def _emit_rows(
    s: Session,
    rows: list[dict[str, Any]],
    fmt: str,
    output: Path | None,
    force: bool,
    title: str,
    sheets: Sequence[Sheet] | None = None,
    json_value: Any = None,
    table_cols: Sequence[str] | None = None,
    lead: Sequence[str] = (),
    name: str = "rows",
) -> None:
    """Rows out as JSON (``json_value`` when given), CSV/XLSX/JSONL (by -o extension) or a table."""
    from ..report.jsonout import dumps
    from ..report.tables import csv_bytes
    from ..research.stage import dict_sheet

    sheets = sheets or [dict_sheet(name, rows, lead)]
    if fmt in ("xlsx", "jsonl") or to_file_as(output, "csv"):
        assert output is not None  # output_format gives these formats only from -o's extension
        s.write_table(output, sheets, force)
    elif fmt == "json":
        s.emit(dumps(json_value if json_value is not None else rows), output, force)
    elif fmt == "csv":
        s.emit(csv_bytes(sheets[0]).decode("utf-8-sig"), output, force)
    else:
        from .tables import print_table

        sh = sheets[0]
        cols = list(table_cols or sh.columns)
        idx = [list(sh.columns).index(c) for c in cols if c in sh.columns]
        print_table(
            [sh.columns[i] for i in idx],
            [[_short(r[i]) for i in idx] for r in sh.rows],
            title=title,
            output=output,
            force=force,
            session=s,
        )


def _short(v: Any) -> Any:
    return f"{v:.3f}" if isinstance(v, float) else v


def _unique(plans: Sequence[Plan]) -> list[Plan]:
    """A plan repeated inside one source counts once in research (see research.dedupe)."""
    from ..research.dedupe import unique_plans

    return unique_plans(plans)[0]


@app.command()
def terms(
    paths: Paths,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="plan | kind (one unit per section kind) | a section kind such as 保障措施 (only its words, per plan).",
        ),
    ] = "plan",
    group_by: Annotated[
        Optional[str],
        typer.Option("--group-by", help="A metadata field: one unit per value (with --by kind: per value and kind)."),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Terms per unit (0: all).")] = 10,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="Per-plan keywords: tfidf (corpus idf) | tfidf-jieba (jieba's general idf: for a few plans) | textrank.",
        ),
    ] = "tfidf",
    meta: Meta = None,
    meta_from_path: MetaFromPath = None,
    format: Format = "",
    jobs: Jobs = 0,
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """Term frequencies and TF-IDF keywords per plan, per section kind or per group."""
    from ..research.terms import METHODS, corpus_terms, keywords, term_table

    s = Session()
    fmt = _format(s, format, output)
    if method not in METHODS:
        s.fail(tr("cmd.bad_choice", option="--method", choices=" | ".join(METHODS), value=method))
    if top < 0:
        s.fail(tr("cmd.not_negative", option="--top"))
    if method != "tfidf" and (by != "plan" or group_by):
        s.fail(tr("cmd.method_per_plan", method=method))
    plans = _unique(s.read_with_meta(paths, meta, meta_from_path, encoding, errors).plans)
    if group_by:
        need_field(s, plans, group_by, meta, meta_from_path)
        lacking = [p.id for p in plans if p.meta.get(group_by) is None]
        _left_out(s, lacking, group_by)
    kind = None
    dims: list[str] = [group_by] if group_by else []
    if by == "kind":
        dims.append("kind")
    elif by == "plan":
        if not group_by:
            dims.append("plan")
    else:
        from ..outline import kinds

        if by not in kinds():
            s.fail(tr("cmd.bad_choice", option="--by", choices=" | ".join(["plan", "kind", *kinds()]), value=by))
        kind = by
        if not group_by:
            dims.append("plan")
    # with the outline always, so that kind headings (一、指导思想) never count as terms
    pts = corpus_terms(plans, _outlines(s, plans), jobs=_jobs(s, jobs))
    if method != "tfidf":
        rows = keywords(pts, top=top or 10, method=method)
    else:
        rows = term_table(pts, dims, top=top or None, kind=kind)
    unit = " x ".join(col(d) for d in dims) + (tr("table.terms_in", kind=kind) if kind else "")
    from ..research.stage import lead_columns

    _emit_rows(
        s,
        rows,
        fmt,
        output,
        force,
        tr("table.terms", unit=unit, plans=len(plans)),
        lead=lead_columns(plans),
        name="terms",
        table_cols=[
            c
            for c in ("id", "title", group_by, "kind", "rank", "term", "count", "share", "plans", "tfidf", "score")
            if c and (c != "kind" or by == "kind")
        ],
    )
    s.done()


@app.command()
def compare(
    paths: Paths,
    group_by: Annotated[str, typer.Option("--group-by", help="The metadata field whose values are the groups.")],
    top: Annotated[int, typer.Option("--top", help="Terms per group (0: all).")] = 20,
    alpha0: Annotated[
        Optional[float],
        typer.Option("--alpha0", help="Weight of the Dirichlet prior in tokens (default: the corpus size)."),
    ] = None,
    meta: Meta = None,
    meta_from_path: MetaFromPath = None,
    format: Format = "",
    jobs: Jobs = 0,
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """Terms distinctive of each group against the rest (weighted log-odds, informative
    Dirichlet prior; Monroe et al. 2008), ranked by z."""
    from ..research.compare import compare as compare_groups
    from ..research.compare import compare_rows
    from ..research.stage import sheet_name
    from ..research.terms import corpus_terms

    s = Session()
    fmt = _format(s, format, output)
    if not meta and not meta_from_path:
        s.fail(tr("cli.compare_needs_meta"))
    if alpha0 is not None and not (0 < alpha0 < float("inf")):  # (nan and inf too: every score would be nan)
        s.fail(tr("cmd.positive", option="--alpha0"))
    if top < 0:
        s.fail(tr("cmd.not_negative", option="--top"))
    plans = _unique(s.read_with_meta(paths, meta, meta_from_path, encoding, errors).plans)
    need_field(s, plans, group_by, meta, meta_from_path)
    pts = corpus_terms(plans, _outlines(s, plans), jobs=_jobs(s, jobs))
    try:
        groups, missing = compare_groups(pts, group_by, top=top or None, alpha0=alpha0)
    except ValueError as e:
        s.fail(e)
    _left_out(s, missing, group_by)
    rows = compare_rows(groups, group_by)
    _emit_rows(
        s,
        rows,
        fmt,
        output,
        force,
        tr("table.compare", field=group_by),
        json_value={"groups": [g.to_dict() for g in groups]},
        name=sheet_name(f"compare {group_by}"),
        table_cols=["group", "plans", "scored", "rank", "term", "count", "rest", "score", "z"],
    )
    s.done()


@app.command()
def sections(
    paths: Paths,
    meta: Meta = None,
    meta_from_path: MetaFromPath = None,
    format: Format = "",
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    output: Output = None,
    force: Force = False,
) -> None:
    """Which section kinds each plan has (a plan x kind matrix of lengths in characters) and
    which common kinds (held by >= 60% of the plans) it lacks."""
    from ..research.corpus import Corpus
    from ..research.sections import sections as plan_sections
    from ..research.stage import dict_sheet, lead_columns, section_sheets

    s = Session()
    fmt = _format(s, format, output)
    plans = _unique(s.read_with_meta(paths, meta, meta_from_path, encoding, errors).plans)
    nodes = _outlines(s, plans)
    rows = plan_sections(plans, nodes)
    dicts = [r.to_dict() for r in rows]
    if fmt in ("json", "table"):  # the matrix, nodes and missing sheets are for files
        sheets = [dict_sheet("sections", dicts)]
    else:
        sheets = section_sheets(rows, Corpus(plans, nodes=nodes).rows_sections(), lead_columns(plans))
    _emit_rows(
        s,
        dicts,
        fmt,
        output,
        force,
        tr("table.sections", plans=len(plans)),
        sheets=sheets,
        table_cols=["id", "title", "kinds", "missing"],
    )
    s.done()


@app.command()
def plot(
    paths: Paths,
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for the PNG and SVG files.")],
    group_by: Annotated[
        Optional[list[str]],
        typer.Option(
            "--group-by", help="Metadata field(s) to compare groups by (default: every field with 2-12 shared values)."
        ),
    ] = None,
    year: Annotated[
        Optional[str],
        typer.Option("--year", help="The year field for the term trend (default: year, 年份 or 年度 when present)."),
    ] = None,
    font: Annotated[
        Optional[str], typer.Option("--font", help="A font family or font file with Chinese characters.")
    ] = None,
    meta: Meta = None,
    meta_from_path: MetaFromPath = None,
    jobs: Jobs = 0,
    encoding: Encoding = None,
    errors: Errors = "strict",
    max_size: MaxSize = None,
    force: Force = False,
) -> None:
    """Plots as PNG and SVG: section coverage, distinctive terms per group, term trend by year."""
    from ..report.files import OutputExists
    from ..research.plots import PlotError, cjk_font
    from ..research.sections import sections as plan_sections
    from ..research.stage import group_fields, plots, year_field
    from ..research.terms import corpus_terms

    s = Session()
    if out.exists() and not out.is_dir():
        s.fail(UsageError(key="cmd.not_a_folder", path=str(out)))
    try:
        cjk_font(font)
    except PlotError as e:
        s.fail(e)
    plans = _unique(s.read_with_meta(paths, meta, meta_from_path, encoding, errors).plans)
    if not plans:
        s.fail(tr("cmd.nothing_to_plot"))
    for g in group_by or ():
        need_field(s, plans, g, meta, meta_from_path)
    fields = list(group_by) if group_by else group_fields(plans)
    for f in fields:
        if not any(p.meta.get(f) is not None for p in plans):
            s.fail(tr("cmd.no_field", field=f))
    yf = year or year_field(plans)
    nodes = _outlines(s, plans)
    pts = corpus_terms(plans, nodes, jobs=_jobs(s, jobs))
    srows = plan_sections(plans, nodes)
    try:
        written = plots(
            out,
            pts,
            srows if any(r.kinds for r in srows) else None,
            fields,
            year=yf,
            force=force,
            font=font,
            group=fields[0] if fields else None,
        )
    except (PlotError, OutputExists, ValueError) as e:
        s.fail(e)
    if not written:
        s.warn(tr("cmd.no_plots"))
    for p in written:
        typer.echo(str(p), err=True)
    s.done()


def need_field(s: Session, plans: Sequence[Plan], field: str, meta: Path | None, meta_from_path: str | None) -> None:
    """Stop (exit 2) when no plan has the metadata ``field``: name the fields the plans do have,
    or, when no metadata was given, the options that give it."""
    if not plans or any(p.meta.get(field) is not None for p in plans):
        return
    have = sorted({k for p in plans for k, v in p.meta.items() if v is not None and k not in ("path", "id")})
    if not (meta or meta_from_path):
        s.fail(tr("cli.field_no_meta", field=field))
    if have:
        s.fail(
            tr("cli.field_missing", field=field, fields="、".join(have) if current_lang() == "zh" else ", ".join(have))
        )
    s.fail(tr("cli.field_none", field=field))


def _jobs(s: Session, jobs: int) -> int:
    """--jobs: 0 is one process per core; a negative number stops the command (exit 2)."""
    if jobs < 0:
        s.fail(tr("cmd.not_negative", option="--jobs"))
    return jobs
