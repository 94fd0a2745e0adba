"""Pictures for researchers, each written as PNG and SVG: section coverage (heatmap),
distinctive terms per group (bars of z) and term trends by year (lines).

matplotlib is used through ``Figure`` objects with the Agg canvas (no pyplot state, works
headless); Chinese labels need a CJK font, looked up among the fonts matplotlib knows and,
when it was installed after matplotlib built its cache, among the system font files.
"""

from __future__ import annotations

__all__ = [
    "FORMATS",
    "KNOWN_FONTS",
    "PlotError",
    "cjk_font",
    "save",
    "coverage",
    "distinctive",
    "trend",
    "trend_series",
]

import io
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..i18n import tr
from ..report.files import check_writable, write_bytes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from .compare import GroupTerms
    from .sections import PlanSections
    from .terms import PlanTerms

FORMATS = ("png", "svg")
KNOWN_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Droid Sans Fallback",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
_FILE_HINTS = (
    "cjk",
    "wqy",
    "sourcehan",
    "droidsansfallback",
    "uming",
    "ukai",
    "simhei",
    "simsun",
    "msyh",
    "pingfang",
    "hiragino",
    "notosanssc",
    "notoserifsc",
    "heiti",
    "stheiti",
)


class PlotError(UsageError):
    """A plot that cannot be drawn (no CJK font, matplotlib missing); one line.

    A :class:`~plantext.errors.UsageError`, kept under its own name for callers that catch it."""


@lru_cache(maxsize=4)
def cjk_font(font: str | None = None) -> str:
    """The family name of a font that covers Chinese (``font``: a family name or a font file)."""
    try:
        from matplotlib import font_manager as fm
    except ImportError:  # pragma: no cover
        raise PlotError(key="cmd.no_matplotlib") from None
    if font:
        if Path(font).is_file():
            try:
                fm.fontManager.addfont(font)
                return fm.FontProperties(fname=font).get_name()
            except Exception:  # FreeType's own failure: not a font file, or a damaged one
                raise PlotError(key="cmd.bad_font", font=font) from None
        if font in {f.name for f in fm.fontManager.ttflist}:
            return font
        raise PlotError(key="cmd.no_such_font", font=font)
    names = {f.name for f in fm.fontManager.ttflist}
    for n in KNOWN_FONTS:
        if n in names:
            return n
    for path in fm.findSystemFonts():
        if any(h in Path(path).name.lower().replace("-", "").replace("_", "") for h in _FILE_HINTS):
            try:
                fm.fontManager.addfont(path)
            except Exception:  # an unreadable font file is no reason to stop looking
                continue
    names = {f.name for f in fm.fontManager.ttflist}
    for n in KNOWN_FONTS:
        if n in names:
            return n
    raise PlotError(key="cmd.no_cjk_font")


@contextmanager
def _style(font: str | None) -> Iterator[None]:
    """rc settings for one figure (no global change), with matplotlib's font fallback
    warnings ("Failed to find font weight ...", one per label) kept quiet."""
    import matplotlib

    log = logging.getLogger("matplotlib.font_manager")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(
            {
                "font.family": [cjk_font(font), "DejaVu Sans"],
                "axes.unicode_minus": False,
                "svg.fonttype": "path",
                "svg.hashsalt": "plantext",  # stable SVG ids between runs
            }
        ):
            yield
    finally:
        log.setLevel(level)


def _figure(w: float, h: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, stem: str | Path, force: bool = False) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` (refused when they exist, unless ``force``)."""
    paths = [Path(f"{stem}.{ext}") for ext in FORMATS]
    for p in paths:
        check_writable(p, force)
    for p, ext in zip(paths, FORMATS):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, dpi=150, metadata={"Date": None} if ext == "svg" else None)
        write_bytes(p, buf.getvalue(), force)
    return paths


def _short(s: str, n: int = 18) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def coverage(
    rows: Sequence[PlanSections],
    stem: str | Path,
    force: bool = False,
    font: str | None = None,
    group: str | None = None,
    max_plans: int = 60,
) -> list[Path]:
    """:func:`coverage_figure` written as ``stem.png`` and ``stem.svg``."""
    with _style(font):
        return save(coverage_figure(rows, group, max_plans), stem, force)


def coverage_figure(rows: Sequence[PlanSections], group: str | None = None, max_plans: int = 60) -> Figure:
    """Section coverage. Up to ``max_plans`` plans: plans x kinds, the cell's shade the kind's
    share of the plan's characters (blank: absent, in the legend). More plans: the share of
    plans having each kind, per value of ``group`` (or for all plans). A colour bar explains
    the shades."""
    import matplotlib
    import numpy as np
    from matplotlib.patches import Patch

    from .sections import all_kinds

    kinds = all_kinds(rows)
    if not kinds:
        raise PlotError(key="research.no_kinds")
    absent = False
    if len(rows) <= max_plans:
        labels = [_short(r.plan.title or r.plan.id) for r in rows]
        M = np.array([[r.lengths.get(k, 0) / max(r.chars, 1) for k in kinds] for r in rows], dtype=float)
        mask = np.array([[k not in r.kinds for k in kinds] for r in rows])
        absent = bool(mask.any())
        M = np.ma.masked_where(mask, M)
        title, cbar = tr("research.coverage.title"), tr("research.coverage.share")
    else:
        keyed: dict[Any, list] = {}
        for r in rows:
            keyed.setdefault(
                r.plan.meta.get(group, tr("research.coverage.ungrouped")) if group else tr("research.coverage.all"), []
            ).append(r)
        labels = [str(k) for k in keyed]
        M = np.array([[sum(k in r.kinds for r in rs) / len(rs) for k in kinds] for rs in keyed.values()])
        title, cbar = tr("research.coverage.groups_title", n=len(rows)), tr("research.coverage.plan_share")
    fig = _figure(min(2.0 + 0.55 * len(kinds), 22), min(2.0 + 0.32 * len(labels), 24))
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="white")
    im = ax.imshow(M, aspect="auto", cmap=cmap, vmin=0)
    ax.set_xticks(range(len(kinds)), kinds, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label=cbar, shrink=0.8)
    if absent:
        fig.legend(
            handles=[Patch(facecolor="white", edgecolor="#718096", label=tr("research.coverage.absent"))],
            loc="outside lower center",
            frameon=False,
        )
    return fig


SIGNIFICANT = 1.96  # two-sided p < 0.05


def distinctive(
    groups: Sequence[GroupTerms],
    field: str,
    stem: str | Path,
    force: bool = False,
    font: str | None = None,
    top: int = 10,
) -> list[Path]:
    """:func:`distinctive_figure` written as ``stem.png`` and ``stem.svg``."""
    with _style(font):
        return save(distinctive_figure(groups, field, top), stem, force)


def distinctive_figure(groups: Sequence[GroupTerms], field: str, top: int = 10) -> Figure:
    """One bar chart per group: its top terms by z; dark bars are significant (z >= 1.96,
    p < 0.05), grey bars not, the dashed line marks z = 1.96 (all three in the legend). A
    group too small to test (``scored`` False) gets a panel saying so, without bars."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if not groups:
        raise PlotError(key="research.no_groups")
    n = len(groups)
    cols = min(n, 3)
    nrows = (n + cols - 1) // cols
    from .compare import MIN_GROUP_PLANS

    fig = _figure(4.2 * cols, 0.45 * top * nrows + 1.8)
    for i, g in enumerate(groups):
        ax = fig.add_subplot(nrows, cols, i + 1)
        ax.set_title(tr("research.distinctive.panel", field=field, group=g.group, plans=g.plans))
        if not g.scored:
            ax.text(
                0.5,
                0.5,
                tr("research.distinctive.too_small", n=MIN_GROUP_PLANS),
                ha="center",
                va="center",
                transform=ax.transAxes,
                color="#718096",
            )
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        ts = g.terms[:top][::-1]
        zs = [0.0 if t.z is None else t.z for t in ts]  # a scored group's terms all have a z
        ax.barh([t.term for t in ts], zs, color=["#2b6cb0" if z >= SIGNIFICANT else "#a0aec0" for z in zs])
        ax.axvline(SIGNIFICANT, color="#c53030", lw=0.8, ls="--")
        ax.set_xlabel(tr("research.distinctive.xlabel"))
    handles = [
        Patch(color="#2b6cb0", label=tr("research.distinctive.significant")),
        Patch(color="#a0aec0", label=tr("research.distinctive.not_significant")),
        Line2D([], [], color="#c53030", lw=0.8, ls="--", label=tr("research.distinctive.threshold")),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    return fig


_YEAR_RE = re.compile(r"(?<!\d)(1\d{3}|2\d{3})(?!\d)|([〇零一二三四五六七八九]{4})")


def year_number(value: Any) -> int | None:
    """A year as a number: 2021, "2021", "2021年", "2021学年", "2020-2021学年" (its first
    year), "二〇二一年"; None when the value holds no year."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if 1000 <= value <= 2999 and value == int(value) else None
    from ..numerals import parse_number

    m = _YEAR_RE.search(str(value))
    if not m:
        return None
    if m.group(1):
        return int(m.group(1))
    v = parse_number(m.group(2))
    return int(v) if v is not None and 1000 <= v <= 2999 else None


def trend(
    series: dict[str, dict[Any, float]],
    stem: str | Path,
    force: bool = False,
    font: str | None = None,
    field: str = "year",
) -> list[Path]:
    """:func:`trend_figure` written as ``stem.png`` and ``stem.svg``."""
    with _style(font):
        return save(trend_figure(series, field), stem, force)


def trend_figure(series: dict[str, dict[Any, float]], field: str = "year") -> Figure:
    """Lines: per term, its rate (per 1,000 terms) in each year. When every value of the field
    is a year, the x axis is numeric (2018 -> 2021 spans three years, with a tick per year);
    otherwise the values are evenly spaced categories. Each line is named in the legend."""
    if not series:
        raise PlotError(key="research.no_trend")
    fig = _figure(7.5, 4.5)
    ax = fig.add_subplot()
    from .compare import _group_key

    values = {y for s in series.values() for y in s}
    nums = {y: n for y in values if (n := year_number(y)) is not None}
    numeric = len(nums) == len(values) and len(set(nums.values())) == len(values)
    if numeric:
        years = sorted(values, key=lambda y: nums[y])
        xs: list[Any] = [nums[y] for y in years]
    else:
        years = sorted(values, key=_group_key)  # 2023 and "2023学年" mixed
        xs = [str(y) for y in years]
    for term, s in series.items():
        ax.plot(xs, [s.get(y, 0.0) for y in years], marker="o", label=term)
    if numeric:
        lo, hi = min(xs), max(xs)
        step = max(1, (hi - lo + 11) // 12)  # at most about a dozen ticks
        ax.set_xticks(range(lo, hi + 1, step))
        ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.set_xlabel(field)
    ax.set_ylabel(tr("research.trend.ylabel"))
    ax.set_title(tr("research.trend.title"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig


def trend_series(
    pts: Sequence[PlanTerms],
    field: str = "year",
    terms: Sequence[str] | None = None,
    per_year: int = 2,
) -> dict[str, dict[Any, float]]:
    """Rates per 1,000 terms by value of ``field`` for ``terms`` (default: the ``per_year``
    most distinctive terms of each year, by the weighted log-odds of :mod:`.compare`; years
    with too few plans for a test propose none)."""
    from .compare import compare

    by: dict[Any, list[str]] = {}
    for pt in pts:
        v = pt.plan.meta.get(field)
        if v is not None:
            by.setdefault(v, []).extend(pt.terms)
    if len(by) < 2:
        return {}
    if terms is None:
        groups, _ = compare(pts, field, top=per_year)
        terms = list(dict.fromkeys(t.term for g in groups if g.scored for t in g.terms if t.z is not None and t.z > 0))
        if not any(g.scored for g in groups):  # no year has plans enough for a test: the commonest terms
            counts: dict[str, int] = {}
            for ws in by.values():
                for w in ws:
                    counts[w] = counts.get(w, 0) + 1
            terms = sorted(counts, key=lambda w: (-counts[w], w))[: per_year * 2]
    out: dict[str, dict[Any, float]] = {}
    for term in terms:
        out[term] = {y: 1000.0 * ws.count(term) / max(len(ws), 1) for y, ws in by.items()}
    return out
