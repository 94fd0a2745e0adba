"""Pictures for researchers, each written as PNG and SVG: section coverage (heatmap),
distinctive terms per group (bars of z) and term trends by year (lines).

matplotlib is used through ``Figure`` objects with the Agg canvas (no pyplot state, works
headless); Chinese labels need a CJK font, looked up among the fonts matplotlib knows and,
when it was installed after matplotlib built its cache, among the system font files.
"""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import UsageError
from ..report.files import check_writable, write_bytes

if TYPE_CHECKING:  # pragma: no cover
    from .compare import GroupTerms
    from .sections import PlanSections

FORMATS = ("png", "svg")
KNOWN_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
               "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
               "Heiti SC", "Hiragino Sans GB", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN",
               "AR PL UKai CN", "Droid Sans Fallback", "Noto Sans CJK JP", "Noto Sans CJK TC")
_FILE_HINTS = ("cjk", "wqy", "sourcehan", "droidsansfallback", "uming", "ukai", "simhei", "simsun", "msyh",
               "pingfang", "hiragino", "notosanssc", "notoserifsc", "heiti", "stheiti")
NO_FONT = ("no font with Chinese characters found for plots (install one, e.g. "
           "`apt-get install fonts-noto-cjk` or `fonts-wqy-zenhei`, or pass a font file)")


class PlotError(UsageError):
    """A plot that cannot be drawn (no CJK font, matplotlib missing); one line.

    A :class:`~plantext.errors.UsageError`, kept under its own name for callers that catch it."""


@lru_cache(maxsize=4)
def cjk_font(font: str | None = None) -> str:
    """The family name of a font that covers Chinese (``font``: a family name or a font file)."""
    try:
        from matplotlib import font_manager as fm
    except ImportError:  # pragma: no cover
        raise PlotError("plots need matplotlib (pip install matplotlib)") from None
    if font:
        if Path(font).is_file():
            fm.fontManager.addfont(font)
            return fm.FontProperties(fname=font).get_name()
        if font in {f.name for f in fm.fontManager.ttflist}:
            return font
        raise PlotError(f"font {font!r} not found")
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
    raise PlotError(NO_FONT)


@contextmanager
def _style(font: str | None):
    """rc settings for one figure (no global change), with matplotlib's font fallback
    warnings ("Failed to find font weight ...", one per label) kept quiet."""
    import matplotlib

    rc = {"font.family": [cjk_font(font), "DejaVu Sans"], "axes.unicode_minus": False,
          "svg.fonttype": "path", "svg.hashsalt": "plantext"}  # stable SVG ids between runs
    log = logging.getLogger("matplotlib.font_manager")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(rc):
            yield
    finally:
        log.setLevel(level)


def _figure(w: float, h: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig, stem: str | Path, force: bool = False) -> list[Path]:
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


def coverage(rows: Sequence["PlanSections"], stem: str | Path, force: bool = False, font: str | None = None,
             group: str | None = None, max_plans: int = 60) -> list[Path]:
    """Section coverage. Up to ``max_plans`` plans: plans x kinds, the cell's shade the kind's
    share of the plan's characters (blank: absent). More plans: the share of plans having
    each kind, per value of ``group`` (or for all plans)."""
    import matplotlib
    import numpy as np

    from .sections import all_kinds

    kinds = all_kinds(rows)
    if not kinds:
        raise PlotError("no section kinds found in the plans: nothing to plot")
    with _style(font):
        if len(rows) <= max_plans:
            labels = [_short(r.plan.title or r.plan.id) for r in rows]
            M = np.array([[r.lengths.get(k, 0) / max(r.chars, 1) for k in kinds] for r in rows], dtype=float)
            M = np.ma.masked_where(np.array([[k not in r.kinds for k in kinds] for r in rows]), M)
            title, cbar = "各计划的章节构成（空白：缺少该部分）", "占全文字数比例"
        else:
            keyed: dict[Any, list] = {}
            for r in rows:
                keyed.setdefault(r.plan.meta.get(group, "（未分组）") if group else "全部", []).append(r)
            labels = [str(k) for k in keyed]
            M = np.array([[sum(k in r.kinds for r in rs) / len(rs) for k in kinds] for rs in keyed.values()])
            title, cbar = f"含有各部分的计划比例（{len(rows)} 篇）", "计划比例"
        fig = _figure(min(2.0 + 0.55 * len(kinds), 22), min(1.6 + 0.32 * len(labels), 24))
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps["Blues"].with_extremes(bad="white")
        im = ax.imshow(M, aspect="auto", cmap=cmap, vmin=0)
        ax.set_xticks(range(len(kinds)), kinds, rotation=45, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        ax.set_title(title)
        fig.colorbar(im, ax=ax, label=cbar, shrink=0.8)
        return save(fig, stem, force)


def distinctive(groups: Sequence["GroupTerms"], field: str, stem: str | Path, force: bool = False,
                font: str | None = None, top: int = 10) -> list[Path]:
    """One bar chart per group: its top terms by z (a dashed line at z = 1.96, p < 0.05)."""
    if not groups:
        raise PlotError("no groups to plot")
    n = len(groups)
    cols = min(n, 3)
    nrows = (n + cols - 1) // cols
    with _style(font):
        fig = _figure(4.2 * cols, 0.45 * top * nrows + 1.2)
        for i, g in enumerate(groups):
            ax = fig.add_subplot(nrows, cols, i + 1)
            ts = g.terms[:top][::-1]
            ax.barh([t.term for t in ts], [t.z for t in ts],
                    color=["#2b6cb0" if t.z >= 1.96 else "#a0aec0" for t in ts])
            ax.axvline(1.96, color="#c53030", lw=0.8, ls="--")
            ax.set_title(f"{field} = {g.group}（{g.plans} 篇）")
            ax.set_xlabel("z（加权对数优势比）")
        return save(fig, stem, force)


def trend(series: dict[str, dict[Any, float]], stem: str | Path, force: bool = False, font: str | None = None,
          field: str = "year") -> list[Path]:
    """Lines: per term, its rate (per 1,000 terms) in each year."""
    if not series:
        raise PlotError("no terms to plot a trend of")
    with _style(font):
        fig = _figure(7.5, 4.5)
        ax = fig.add_subplot()
        from .compare import _group_key

        years = sorted({y for s in series.values() for y in s}, key=_group_key)  # 2023 and "2023学年" mixed
        for term, s in series.items():
            ax.plot([str(y) for y in years], [s.get(y, 0.0) for y in years], marker="o", label=term)
        ax.set_xlabel(field)
        ax.set_ylabel("每千词出现次数")
        ax.set_title("用词的年度变化")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        return save(fig, stem, force)


def trend_series(pts, field: str = "year", terms: Sequence[str] | None = None, per_year: int = 2,
                 ) -> dict[str, dict[Any, float]]:
    """Rates per 1,000 terms by value of ``field`` for ``terms`` (default: the ``per_year``
    most distinctive terms of each year, by the weighted log-odds of :mod:`.compare`)."""
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
        terms = list(dict.fromkeys(t.term for g in groups for t in g.terms if t.z > 0))
    out: dict[str, dict[Any, float]] = {}
    for term in terms:
        out[term] = {y: 1000.0 * ws.count(term) / max(len(ws), 1) for y, ws in by.items()}
    return out
