"""Read a report.html's panes without a browser: the page packs, per submission, its text and
the marks (offsets) the script lays out; this reads them back as (id, class, text) so tests can
assert what each side shows. tests/test_report_browser.py checks the script lays them out so."""

from __future__ import annotations

from dataclasses import dataclass, field

from plantext.report.html import report_data

KIND = ["cp", "bp", "qt"]


@dataclass
class Source:
    id: str
    title: str
    stretches: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, text)
    marks: list[tuple[str, str]] = field(default_factory=list)  # (fragment id, text)
    gaps: int = 0


@dataclass
class Panes:
    text: str | None
    marks: list[tuple[str | None, str, str]]  # (fragment id or None, class, text) on the submission side
    noise: list[tuple[int, int, str]]
    sources: list[Source]
    fragments: list[list]
    table: list[list] = field(default_factory=list)  # the sources table: [id, title, detail, ratio, n, earlier, r]
    stock: list[str] = field(default_factory=list)  # boilerplate and stock phrases, listed apart
    sections: list[list] = field(default_factory=list)  # [title, kind, start, end, ratio]
    targets: dict | None = None
    findings: dict = field(default_factory=dict)  # label -> value


def ref_text(data: dict, rid: str, a: int, b: int) -> str:
    j, lo, segs = data["R"][rid]
    if j >= 0 and a >= lo and b <= lo + len(data["T"][j]):
        return data["T"][j][a - lo : b - lo]
    for s, t in segs:
        if s <= a and b <= s + len(t):
            return t[a - s : b - s]
    raise AssertionError(f"{rid} [{a}, {b}) not stored")


def panes(html: str) -> list[Panes]:
    data = report_data(html)
    out = []
    for i, d in enumerate(data["D"]):
        text = data["T"][d["t"]] if d["t"] >= 0 else None
        marks = (
            [(f"p{i}-{m[3]}" if m[3] else None, KIND[m[2]], text[m[0] : m[1]]) for m in d.get("m", [])] if text else []
        )
        sources = []
        for blk in d["s"]:
            rid, title = d["src"][blk[0]][:2]
            src = Source(rid, title)
            for a, b, gap in blk[1]:
                src.stretches.append((a, b, ref_text(data, rid, a, b)))
                src.gaps += gap
            src.gaps += blk[3] if len(blk) > 3 else 0
            src.marks = [(f"p{i}-{no}", ref_text(data, rid, a, b)) for a, b, no in blk[2]] if blk[1] else []
            sources.append(src)
        out.append(
            Panes(
                text,
                marks,
                [tuple(z) for z in d.get("z", [])],
                sources,
                d["f"],
                d["src"],
                d["st"],
                d["sec"],
                d.get("tg"),
                {f[0]: f[1] for f in d["fi"]},
            )
        )
    return out
