"""A corpus of plans for pandas users::

    import plantext
    c = plantext.corpus(["plans/"], meta="manifest.csv")
    c.plans()                  # one row per plan, metadata columns included
    c.sections()               # one row per outline node; c.coverage(): plan x kind lengths
    c.terms(by="kind")         # term counts / TF-IDF per section kind (or "plan", a field ...)
    c.compare("region")        # distinctive terms per region (weighted log-odds, z)
    c.targets()                # quantitative targets

Every table is a ``pandas.DataFrame`` whose rows carry the plan's metadata. pandas is an
optional extra (``pip install 'plantext[pandas]'``); the records behind each table are
available without it (``c.rows_*`` methods return lists of dicts).
"""

from __future__ import annotations

__all__ = ["PANDAS_MISSING", "Corpus", "corpus"]

from collections.abc import Iterable, Sequence
from dataclasses import fields as dc_fields
from typing import TYPE_CHECKING, Any

from .terms import PLAN_KEYS, add_meta, plan_row

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from ..meta import MetaReport
    from ..model import Plan, Section
    from .sections import PlanSections
    from .terms import PlanTerms

PANDAS_MISSING = "plantext.corpus tables need pandas: pip install 'plantext[pandas]' (or pandas)"


def _pd():
    try:
        import pandas
    except ImportError:
        raise ImportError(PANDAS_MISSING) from None
    return pandas


def _frame(rows: list[dict[str, Any]], columns: Sequence[str] = ()) -> pandas.DataFrame:
    pd = _pd()
    cols = list(dict.fromkeys(list(columns) + [k for r in rows for k in r]))
    return pd.DataFrame(rows, columns=cols)


class Corpus:
    """Plans with their metadata; outlines and terms computed once, on first use.

    A plan repeated inside one source (the same body, see :mod:`.dedupe`) is counted once:
    ``plan_list`` holds the first, ``duplicates`` maps each repeat's id to the id kept."""

    def __init__(
        self,
        plans: Sequence[Plan],
        errors: Sequence[Exception] = (),
        meta_report: MetaReport | None = None,
        jobs: int = 1,
        nodes: Sequence[Sequence[Section]] | None = None,
    ):
        from .dedupe import unique_plans

        # a plan repeated on one page is counted once: {id of the repeat: id kept}
        self.plan_list, self.duplicates = unique_plans(plans)
        if nodes is not None and self.duplicates:
            nodes = [n for p, n in zip(plans, nodes) if p.id not in self.duplicates]
        self.jobs = jobs  # worker processes for segmentation (0: one per CPU)
        self.errors = list(errors)  # files that could not be read (IngestError)
        self.meta_report = meta_report
        self._nodes: list[list[Section]] | None = None if nodes is None else [list(n) for n in nodes]
        self._terms: list[PlanTerms] | None = None
        self._sections: list[PlanSections] | None = None

    def __len__(self) -> int:
        return len(self.plan_list)

    def __repr__(self) -> str:
        return f"Corpus({len(self.plan_list)} plans, {len(self.errors)} unreadable files)"

    # -- cached analyses ----------------------------------------------------------------------
    @property
    def nodes(self) -> list[list[Section]]:
        if self._nodes is None:
            from ..outline import outline

            self._nodes = [outline(p) for p in self.plan_list]
        return self._nodes

    @property
    def plan_terms(self) -> list[PlanTerms]:
        if self._terms is None:
            from .terms import corpus_terms

            self._terms = corpus_terms(self.plan_list, self.nodes, jobs=self.jobs)
        return self._terms

    @property
    def section_rows(self) -> list[PlanSections]:
        if self._sections is None:
            from .sections import sections

            self._sections = sections(self.plan_list, self.nodes)
        return self._sections

    # -- records ------------------------------------------------------------------------------
    def rows_plans(self) -> list[dict[str, Any]]:
        out = []
        for p in self.plan_list:
            row = {k: v for k, v in plan_row(p).items()}
            row.update({"start": p.start, "end": p.end, "chars": p.chars, "flags": list(p.flags)})
            out.append(row)
        return out

    def rows_sections(self) -> list[dict[str, Any]]:
        from .sections import char_counter

        out = []
        for p, nodes in zip(self.plan_list, self.nodes):
            if not nodes:
                continue
            count = char_counter(p)
            for n in nodes:
                row = {
                    "id": p.id,
                    "source": p.source.path,
                    "plan": p.plan,
                    "title": p.title,
                    "depth": n.depth,
                    "marker": n.marker,
                    "ordinal": n.ordinal,
                    "section": n.title,
                    "kind": n.kind,
                    "start": n.start,
                    "end": n.end,
                    "chars": count(n.start, n.end),
                }
                out.append(add_meta(row, p.meta))
        return out

    def rows_targets(self) -> list[dict[str, Any]]:
        try:
            from ..targets import targets
        except ImportError:  # pragma: no cover - the targets module ships with plantext
            raise ImportError("plantext.targets is not available in this installation") from None
        from ..model import Target

        names = [f.name for f in dc_fields(Target)]
        out = []
        for p, nodes in zip(self.plan_list, self.nodes):
            for t in targets(p, nodes):
                row = {k: getattr(t, k) for k in names}
                row["flags"] = list(t.flags)
                row["title"] = p.title
                out.append(add_meta(row, p.meta))
        return out

    # -- DataFrames ---------------------------------------------------------------------------
    def plans(self) -> pandas.DataFrame:
        """One row per plan: id, source, plan, title, metadata, start, end, chars
        (:attr:`plantext.model.Plan.chars`), flags."""
        return _frame(self.rows_plans(), PLAN_KEYS)

    def sections(self) -> pandas.DataFrame:
        """One row per outline node (``section`` is the node's title, ``chars`` its length as
        :attr:`plantext.model.Plan.chars` counts), with the plan's columns and metadata."""
        return _frame(
            self.rows_sections(), PLAN_KEYS + ("depth", "marker", "ordinal", "section", "kind", "start", "end", "chars")
        )

    def coverage(self) -> pandas.DataFrame:
        """The plan x kind matrix: fold characters of each kind (0: the plan lacks it), the
        plan's length and the common kinds (>= 60% of plans) it lacks; indexed by id."""
        from .sections import matrix_rows

        cols, rows = matrix_rows(self.section_rows)
        df = _pd().DataFrame(rows, columns=cols)
        return df.set_index("id") if len(df) else df

    def missing(self) -> pandas.DataFrame:
        """One row per (plan, common kind it lacks)."""
        rows = [
            add_meta(
                {
                    "id": r.plan.id,
                    "source": r.plan.source.path,
                    "plan": r.plan.plan,
                    "title": r.plan.title,
                    "missing": k,
                },
                r.plan.meta,
            )
            for r in self.section_rows
            for k in r.missing
        ]
        return _frame(rows, PLAN_KEYS + ("missing",))

    def targets(self) -> pandas.DataFrame:
        """Quantitative targets (:func:`plantext.targets.targets`), one row each."""
        return _frame(self.rows_targets(), ("id", "source", "plan", "title", "section", "text", "value", "unit"))

    def terms(
        self,
        by: str | Iterable[str] = "plan",
        top: int | None = 20,
        kind: str | None = None,
    ) -> pandas.DataFrame:
        """Term counts and TF-IDF per unit: ``by`` is ``"plan"``, ``"kind"``, a metadata
        field, or a list of them (``["region", "kind"]``); ``kind`` keeps only the words of
        sections of that kind. See :func:`plantext.research.terms.term_table`."""
        from .terms import term_table

        dims = [by] if isinstance(by, str) else list(by)
        return _frame(term_table(self.plan_terms, dims, top=top, kind=kind))

    def keywords(self, top: int = 10, method: str = "tfidf") -> pandas.DataFrame:
        """Top keywords per plan (``tfidf`` or ``textrank``)."""
        from .terms import keywords

        return _frame(keywords(self.plan_terms, top=top, method=method))

    def compare(self, field: str, top: int | None = 20, alpha0: float | None = None) -> pandas.DataFrame:
        """Terms distinctive of each value of ``field`` against the rest (weighted log-odds
        with an informative Dirichlet prior): field, group, plans, rank, term, count, rest,
        score (log-odds ratio), z."""
        from .compare import compare, compare_rows

        groups, _ = compare(self.plan_terms, field, top=top, alpha0=alpha0)
        return _frame(compare_rows(groups, field))


def corpus(
    paths: str | Iterable[str],
    meta: str | None = None,
    meta_from_path: str | None = None,
    encoding: str | None = None,
    errors: str = "strict",
    jobs: int = 1,
) -> Corpus:
    """Read plans from files or folders into a :class:`Corpus`, metadata from a CSV manifest
    (``meta``) and/or a path pattern (``meta_from_path="{region}/{year}/*"``).

    Unreadable files are kept in ``Corpus.errors`` (the rest is read); a bad manifest raises
    :class:`plantext.meta.MetaError`. ``jobs`` > 1 segments plans in worker processes."""
    from ..inputs import read_inputs
    from ..meta import apply_meta, load_manifest

    if isinstance(paths, str):
        paths = [paths]
    manifest = load_manifest(meta) if meta else None
    inputs = read_inputs(list(paths), encoding=encoding, errors=errors)
    report = apply_meta(inputs.plans, manifest, meta_from_path) if (manifest or meta_from_path) else None
    return Corpus(inputs.plans, inputs.errors, report, jobs=jobs)
