"""Typed records that flow from stage to stage.

Every record that points into a document carries ``start``/``end`` code-point offsets into
``Source.text``: cleaning and normalisation never edit the source, they add spans and views.
Records are plain dataclasses so they pickle (multiprocessing, Spark) and serialise to JSON
(see :func:`plantext.report.jsonout.to_json`).
"""

from __future__ import annotations

__all__ = [
    "Part",
    "Span",
    "Source",
    "Plan",
    "Sentence",
    "Token",
    "Section",
    "Target",
    "Ref",
    "Passage",
    "Match",
    "SectionRatio",
    "SourceRatio",
    "DocumentCheck",
]

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .normalize import View


@dataclass(slots=True)
class Part:
    """Where a stretch of ``Source.text`` came from in the original file."""

    start: int
    end: int
    kind: str  # paragraph | table-row | page | header | line
    index: int = 0  # paragraph number, page number (from 1), table row ...
    style: str | None = None  # docx paragraph style name
    level: int | None = None  # heading level hinted by the format (docx Heading 2 -> 2)


@dataclass(slots=True)
class Span:
    """A stretch of source text that cleaning recognised (never removed from the source).

    ``kind`` is one of chrome | page-residue | line-break | watermark (dropped from views) or
    placeholder | mojibake (kept: part of what the author wrote, flagged).
    ``drop`` says whether normalised views leave it out (chrome, page residue) or keep it
    (placeholders stay in the text: they are part of what the author wrote).
    """

    start: int
    end: int
    kind: str
    drop: bool = True
    detail: str = ""


@dataclass(slots=True)
class Source:
    path: str  # as given on the command line ('-' for stdin)
    text: str
    format: str  # txt | docx | pdf | html | mhtml | doc
    encoding: str | None = None
    sha256: str = ""  # of the decoded text, so the same plan in two encodings hashes alike
    parts: list[Part] = field(default_factory=list)
    noise: list[Span] = field(default_factory=list)  # filled by clean()
    flags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    cleaned: bool = False


@dataclass(slots=True, eq=False, weakref_slot=True)
class Plan:
    """One plan inside a source: ``source.text[start:end]``. The record holds no cache: the
    views :meth:`view` builds are kept beside it (:mod:`plantext.normalize`), not in it."""

    id: str  # SOURCE, or SOURCE#N when the source holds several plans
    source: Source
    plan: int  # N, from 1 in document order
    title: str
    start: int
    end: int
    title_start: int = -1  # span of the title line in the source, -1 when taken from the page
    title_end: int = -1
    noise: list[Span] = field(default_factory=list)  # the source's noise spans inside [start, end)
    flags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    # the document a plan was cut from when split divided one file's document structure (a file of
    # 附件, documents bound in one PDF): plans sharing a ``doc`` are never compared with each other
    # (similar, check). Empty for a plan that is a document of its own (a template page's entries).
    doc: str = ""

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]

    def view(self, mode: str = "norm") -> View:
        """A normalised view of the plan with offsets back to the source (built once per plan and
        mode while the plan lives: :func:`plantext.normalize.cached_plan_view`).

        ``clean``: noise dropped only; ``norm``: also NFKC, canonical punctuation and
        simplified script; ``fold``: ``norm`` without whitespace and punctuation, for
        comparing plans. See :mod:`plantext.normalize`.
        """
        from .normalize import cached_plan_view

        return cached_plan_view(self, mode)

    @property
    def chars(self) -> int:
        """The plan's length in characters (字数), one meaning everywhere (``split``, research
        tables, section lengths, the check's total): the letters and digits of its text —
        whitespace, punctuation, web chrome and page residue left out — i.e. the length of its
        ``fold`` view. Layout and line breaks do not change it."""
        return len(self.view("fold").text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source.path,
            "plan": self.plan,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "title_start": self.title_start,
            "title_end": self.title_end,
            "flags": list(self.flags),
            "meta": dict(self.meta),
        }


@dataclass(slots=True, frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Section:
    """A node of a plan's heading outline. ``start``..``end`` covers the heading and its body;
    the slice always begins with ``marker``."""

    depth: int
    marker: str
    ordinal: int
    title: str
    kind: str | None
    start: int
    end: int
    title_start: int = -1
    title_end: int = -1
    parent: int | None = None  # index of the parent node in the flat list

    def to_dict(self) -> dict[str, Any]:
        return {
            "depth": self.depth,
            "marker": self.marker,
            "ordinal": self.ordinal,
            "title": self.title,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True, frozen=True)
class Target:
    id: str
    source: str
    plan: int
    section: str | None
    sentence: str
    text: str
    start: int
    end: int
    value: float | None
    value_max: float | None = None
    unit: str | None = None
    comparator: str | None = None
    qualifier: str | None = None
    per: str | None = None
    subject: str | None = None
    deadline: str | None = None
    responsible: str | None = None
    flags: list[str] = field(default_factory=list)
    section_kind: str | None = None
    # the deadline read as a value (plantext.timeexpr): kind date | range | before | since | within
    # | term; ISO first/last day where the year is known (the date's own, else the plan's); the
    # deadline's [start, end) in the source when it was read from the sentence
    deadline_kind: str | None = None
    deadline_start: str | None = None
    deadline_end: str | None = None
    deadline_span: tuple[int, int] | None = None
    # ``per`` read as a value: every 2 week (每两周), 3 day (每隔3天), 1 term (每学期)
    per_every: float | None = None
    per_unit: str | None = None
    # an amount of calendar time as ISO 8601 (3天 -> P3D, 2小时 -> PT2H), else None
    duration: str | None = None


@dataclass(slots=True, frozen=True)
class Ref:
    id: str
    start: int
    end: int


@dataclass(slots=True, frozen=True)
class Passage:
    """A stretch of a submission found in a reference (offsets into each one's source)."""

    start: int
    end: int
    kind: str  # copy | boilerplate | quote
    score: float
    ref: Ref
    channel: str = "chars"  # the evidence: exact character runs ("chars") or reworded sentences ("words")


@dataclass(slots=True, frozen=True)
class Match:
    """Two plans whose normalised text overlaps. ``score`` is symmetric; ``containment`` is the
    share of the shorter plan found in the longer one."""

    a: str
    b: str
    score: float
    containment: float = 0.0


@dataclass(slots=True, frozen=True)
class SectionRatio:
    title: str
    kind: str | None
    start: int
    end: int
    copy_ratio: float


@dataclass(slots=True, frozen=True)
class SourceRatio:
    id: str
    copy_ratio: float


@dataclass(slots=True, frozen=True)
class DocumentCheck:
    """The copy check of one submission plan (DESIGN.md ``check`` contract)."""

    id: str
    source: str
    plan: int
    copy_ratio: float
    boilerplate_ratio: float
    passages: list[Passage] = field(default_factory=list)
    max_source_ratio: float = 0.0
    max_source: str | None = None
    sections: list[SectionRatio] = field(default_factory=list)
    sources: list[SourceRatio] = field(default_factory=list)
    title: str = ""
    flags: list[str] = field(default_factory=list)
    # copy_ratio == copied_chars / total_chars exactly (fold characters: no punctuation or
    # whitespace); copied_chars counts copy passages and quotations found in a reference,
    # quoted_chars the latter; copy_ratio_without_quotes leaves them out (去除引用复制比)
    copy_ratio_without_quotes: float = 0.0
    copied_chars: int = 0
    quoted_chars: int = 0
    total_chars: int = 0
    # per source on its own, the share of the text found in it (copies and quotations, as
    # copy_ratio): ``sources`` gives each copied character to one source only, so a text two
    # sources both hold reads 0 for the second there; this is what a pair of texts shares
    shared: list[SourceRatio] = field(default_factory=list)
