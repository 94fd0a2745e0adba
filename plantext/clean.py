"""Cleaning: recognise web chrome, page residue, placeholders, mojibake and watermark characters
as spans over the source (never editing it) and set quality flags. Views built later leave out
the spans marked ``drop``; offsets still index the untouched source.

Span kinds (``Span.detail`` names the rule):

``chrome``        drop  site furniture: breadcrumbs, stamps, prev/next links, download buttons,
                        upload headers, copyright lines, site blurbs, the trailing link lists
                        (rules in ``resources/chrome.txt``)
``page-residue``  drop  page numbers of document-sharing sites (``N、`` opening each flattened
                        page, often mid-word) and PDF page furniture recorded by the reader; the
                        span swallows the break so the clean view rejoins the cut sentence
``watermark``     drop  zero-width characters, soft hyphens
``line-break``    drop  a paragraph break that cuts a sentence (text copied from PDFs and pages)
``placeholder``   keep  20xx, 20__, xx, □, ^v^, ``**`` censored words
``mojibake``      keep  U+FFFD, 锟斤拷, Latin-1 runs of misdecoded UTF-8, runs of rare Han characters

``source.meta["footer_start"]`` is where the trailing chrome block begins (``len(text)`` when
there is none); ``split`` ends the last plan before it.
"""

from __future__ import annotations

__all__ = [
    "TERMINAL",
    "PLACEHOLDER_RE",
    "WATERMARK_RE",
    "rules",
    "looks_traditional",
    "clean",
    "line_end",
    "is_chrome_line",
    "MARKER_RE",
    "SENTENCE_END_RE",
    "drop_spans",
    "Dropped",
    "noise_rows",
]

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from .chars import BLANKS_IN_LINE, BULLETS, CJK_SENTENCE_ENDS, SENTENCE_ENDS, char_class
from .errors import FormatError
from .lexicons import loader
from .model import Source, Span

_BLANKS = BLANKS_IN_LINE
_BULLETS = BULLETS
# what may end a sentence (closing quotes and brackets after a full stop included)
TERMINAL = '。．.！!？?；;…」』”"’）)】]〕》>'

# Every scanning pattern opens with a character class, so the regex engine skips ahead to the
# few places where a match can start instead of trying every alternative at every character.
PLACEHOLDER_RE = re.compile(
    r"[12xXｘＸ×□〇○^*＊_＿](?:"
    r"(?<=1)9(?=[xX×ｘＸ_＿\d\-－])|(?<=2)0(?=[xX×ｘＸ_＿\d\-－])"  # a year: 20xx 201x 20__ 20-年
    r"|(?<=[xXｘＸ×])(?<![A-Za-z].)[xXｘＸ×]+(?![A-Za-z])"  # xx, XXX市, ××学校
    r"|(?<=[xXｘＸ])(?<=[\u4e00-\u9fff].)(?=[\u4e00-\u9fff])"  # 十x五, x月x日
    r"|(?<=□)□*|(?<=〇)〇+|(?<=○)○+|(?<=\^)v\^|(?<=\*)\*+|(?<=＊)＊+|(?<=_)__+|(?<=＿)＿+)"
)
_YEAR_TAIL_RE = re.compile(r"(?:[xX×ｘＸ]{1,2}|\d[xXｘＸ]|_{1,4}|＿{1,4}|[-－](?=年))(?![A-Za-z])")
_WM = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
WATERMARK_RE = re.compile(f"[{_WM}][{_WM}]*")
# U+FFFD, runs of private-use characters (undecodable font glyphs), the classic GBK round trips of
# U+FFFD (锟斤拷) and of uninitialised memory (烫烫烫, 屯屯屯)
# (a lone private-use character is a symbol-font glyph: Word's list bullets come as U+F0B7)
_MOJIBAKE_RE = re.compile(
    "[\ufffd\ue000-\uf8ff锟烫屯](?:(?<=\ufffd)[\ufffd\ue000-\uf8ff]*"
    "|(?<=[\ue000-\uf8ff])[\ufffd\ue000-\uf8ff]+"
    "|(?<=锟)斤拷(?:锟斤拷)*|(?<=烫)烫烫+|(?<=屯)屯屯+)"
)
# UTF-8 read as Latin-1/cp1252: runs of accented letters, C1 controls and cp1252 symbols
_LATIN = (
    "\u0080-\u009f\u00a1-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_LATIN_RUN_RE = re.compile(f"[{_LATIN}][{_LATIN}][{_LATIN}]+")
_CJK_PUNCT = set("“”‘’…·—–")
_HAN_RUN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{4,}")
_NON_HAN_RE = re.compile("[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_LETTER_RE = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0080-\u009f]")
# a page number opening a paragraph on document-sharing sites: "2、成培训特色"
_PAGE_MARK_RE = re.compile(r"\n[ \t\u3000]*(\d{1,3})、[ \t\u3000]*")
_PAGE_MARK0_RE = re.compile(r"[ \t\u3000]*(\d{1,3})、[ \t\u3000]*")


@dataclass(slots=True)
class _Rules:
    line: re.Pattern  # every line rule after a newline: one scan finds the candidate lines
    first: re.Pattern  # the same, for the text's first line
    lines: list[tuple[str, re.Pattern]]  # each line rule on its own, to name a hit
    keys: list[tuple[str, int, re.Pattern]]  # (name, longest line, rule) searched anywhere
    needles: list[tuple[str, ...]]  # per key rule, literals one of which a hit must contain ((): none known)
    tails: frozenset[str]  # names of the tail rules (headings of link lists)
    # per key rule, the literals every hit starts with ((): unknown), and one Aho-Corasick
    # automaton over all of them with, per literal, the rules it opens (None: no automaton)
    openings: list[tuple[str, ...]]
    automaton: object
    opens: list[tuple[int, ...]]
    unopened: list[int]  # the key rules with no known opening (each scanned on its own)
    # the places a line rule can match: a newline, the lead, then a character some rule opens
    # with (None: every newline is tried); per such character (a literal one), the line
    # pattern with only the rules that can open with it
    line_starts: re.Pattern | None
    line_by_char: dict[str, re.Pattern]
    # per such character, the line rules (in file order) that can open with it, to name a hit
    lines_by_char: dict[str, list[tuple[str, re.Pattern]]]


@loader
def rules() -> _Rules:
    """The chrome rules of ``resources/chrome.txt``, compiled once."""
    text = resources.files("plantext.resources").joinpath("chrome.txt").read_text("utf-8")
    lead = f"[{_BLANKS}{re.escape(_BULLETS)}]*"
    lines, keys, tails = [], [], set()
    longest = {"key": 200, "tail": 80, "para": 1 << 30}
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        kind, name, pattern = raw.split(None, 2)
        pattern = pattern.strip()
        if pattern.endswith("$"):  # CRLF text: "$" stands before "\n", after the "\r"
            pattern = pattern[:-1] + r"\r?$"
        try:
            rx = re.compile(f"(?m){lead}(?:{pattern})" if kind == "line" else f"(?m){pattern}")
        except re.error as e:
            raise FormatError(key="cmd.chrome_line", line=n, why=str(e)) from None
        if kind == "line":
            lines.append((name, rx))
        elif kind in longest:
            keys.append((name, longest[kind], rx))
            if kind == "tail":
                tails.add(name)
        else:
            raise FormatError(key="cmd.chrome_line", line=n, why=kind)
    alts = "|".join(f"(?:{rx.pattern[len('(?m)') + len(lead) :]})" for _, rx in lines)
    openings = [_openings(rx.pattern[len("(?m)") :]) for _, _, rx in keys]
    words = sorted({w for o in openings for w in o})
    automaton = None
    try:
        import ahocorasick_rs

        # over UTF-16 bytes, as a DFA: three times faster than over str with the default NFA
        automaton = (
            ahocorasick_rs.BytesAhoCorasick(
                [w.encode("utf-16-le") for w in words], implementation=ahocorasick_rs.Implementation.DFA
            )
            if words
            else None
        )
    except ImportError:  # without the automaton every rule is scanned with its own regex
        pass
    firsts = _first_class(f"(?m)(?:{alts})")
    bodies = [rx.pattern[len("(?m)") + len(lead) :] for _, rx in lines]
    by_char: dict[str, re.Pattern] = {}
    lines_by_char: dict[str, list[tuple[str, re.Pattern]]] = {}
    if firsts:
        found = [_first_class(f"(?m){b}") for b in bodies]
        classes = [c for c in found if c]
        if len(classes) == len(bodies):
            for c in set().union(*map(_literal_firsts, classes)):
                own = [b for b, cls in zip(bodies, classes) if re.fullmatch(f"[{cls}]", c)]
                by_char[c] = re.compile(f"(?m)\n{lead}(?:{'|'.join(f'(?:{b})' for b in own)})")
            # (only when no rule opens with a lead character: then the lead is the whole run of them)
            if not any(re.fullmatch(f"[{cls}]", ch) for cls in classes for ch in _BLANKS + _BULLETS):
                for c in by_char:
                    lines_by_char[c] = [x for x, cls in zip(lines, classes) if re.fullmatch(f"[{cls}]", c)]
    return _Rules(
        line=re.compile(f"(?m)\n{lead}(?:{alts})"),
        first=re.compile(f"(?m){lead}(?:{alts})"),
        lines=lines,
        keys=keys,
        needles=[_needles(rx.pattern[len("(?m)") :]) for _, _, rx in keys],
        tails=frozenset(tails),
        openings=openings,
        automaton=automaton,
        opens=[tuple(k for k, o in enumerate(openings) if w in o) for w in words],
        unopened=[k for k, o in enumerate(openings) if not o],
        line_starts=re.compile(f"\n{lead}(?=[{firsts}]){_openers(bodies)}") if firsts else None,
        line_by_char=by_char,
        lines_by_char=lines_by_char,
    )


def _first_class(pattern: str) -> str | None:
    """A character class (its inside, for ``[...]``) holding every character a match of
    ``pattern`` can start with; None when that is not known (a match may be empty, open with
    any character, a negated class ...)."""
    from re import _constants as sre
    from re import _parser as sre_parse

    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    got = _firsts(list(parsed), sre)
    return "".join(sorted(set(got[0]))) if got is not None and got[0] and not got[1] else None


def _openers(bodies: list[str], most: int = 400) -> str:
    r"""A lookahead that every match of one of the patterns ``bodies`` passes at its start: the
    beginnings (up to 5 characters or classes: ``更新时间``, ``第\s*\d``, ``\d\d\d\d[-/.]``) some
    match of a pattern must open with, grouped by their first character; a pattern whose
    beginnings are not known adds its first class. Empty when a pattern's start is not known."""
    from re import _constants as sre
    from re import _parser as sre_parse

    alts: set[tuple[str, ...]] = set()
    classes: list[str] = []
    for body in bodies:
        parsed = sre_parse.parse(body)
        got = None if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) else _prefixes(list(parsed), sre, most)
        if got is not None and all(p for p, _ in got):
            alts |= {p for p, _ in got}
            continue
        cls = _first_class(f"(?m){body}")
        if not cls:
            return ""
        classes.append(cls)
    groups: dict[str, set[str]] = {}
    for a in alts:
        groups.setdefault(a[0], set()).add("".join(a[1:]))
    # The regex engine passes over an alternative that opens with another literal character in
    # one test, but tries the alternatives one by one. The literal ones go behind a guard that
    # the line opens with none of the leading classes (``[\d]``: many lines open with a digit),
    # when no literal one opens with a character of those classes: such a line then costs one
    # test after its class's alternatives, not one per literal alternative.
    literal, parts, guard = [], [], classes[:]
    for c, rests in sorted(groups.items()):
        tail = "" if "" in rests else "(?:" + "|".join(sorted(rests)) + ")"
        if len(c) == 1 or (len(c) == 2 and c[0] == "\\"):
            literal.append(c + tail)
        else:
            parts.append(c + tail)
            if c.startswith("[") and c.endswith("]"):  # (not "[...]*": that may open with anything)
                guard.append(c[1:-1])
    parts += [f"[{c}]" for c in classes]
    if guard and literal and not any(re.fullmatch(f"[{''.join(guard)}]", c[-1]) for c in literal):
        parts.append(f"(?![{''.join(guard)}])(?:{'|'.join(literal)})")
    else:
        parts = literal + parts
    return "(?=" + "|".join(parts) + ")" if parts else ""


def _one_char(op, av, sre) -> list[str] | None:
    """Regex pieces, each matching one character, that together match what the single-character
    item (a literal, a class) matches; None for anything else (a negated class ...)."""
    if op is sre.LITERAL:
        return [re.escape(chr(av))]
    if op is not sre.IN:
        return None
    if all(kind is sre.LITERAL for kind, _ in av) and len(av) <= 8:
        return [re.escape(chr(v)) for _, v in av]
    body = _class_items(av, sre)
    return None if body is None else ["[" + "".join(body) + "]"]


def _class_items(av, sre) -> list[str] | None:
    """The items of a character class (literals, ranges, \\d-like categories) as regex text;
    None when one cannot be written back (a negation ...)."""
    out = []
    for kind, v in av:
        if kind is sre.LITERAL:
            out.append(re.escape(chr(v)))
        elif kind is sre.RANGE:
            out.append(f"{re.escape(chr(v[0]))}-{re.escape(chr(v[1]))}")
        elif kind is sre.CATEGORY and getattr(v, "name", None) in _CATEGORIES:
            out.append(_CATEGORIES[v.name])
        else:
            return None
    return out


def _prefixes(items: list, sre, most: int, depth: int = 5) -> set[tuple[tuple[str, ...], bool]] | None:
    """The beginnings of the matches of ``items``: (regex pieces, whether they are the whole of
    ``items``); every match starts with what one of them matches (an empty one: nothing known
    on that path). None when there would be more than ``most``."""
    out: set[tuple[tuple[str, ...], bool]] = {((), True)}
    for op, av in items:
        if not any(done for _, done in out):
            break
        one = _one_char(op, av, sre)
        step: set[tuple[tuple[str, ...], bool]] | None
        if one is not None:
            step = {((c,), True) for c in one}
        elif op is sre.SUBPATTERN:
            step = _prefixes(list(av[3]), sre, most, depth)
        elif op is sre.BRANCH:
            step = set()
            for b in av[1]:
                sub = _prefixes(list(b), sre, most, depth)
                if sub is None:
                    return None
                step |= sub
        elif op is sre.MAX_REPEAT:
            lo, hi, body = av[0], av[1], list(av[2])
            single = _one_char(body[0][0], body[0][1], sre) if len(body) == 1 else None
            if single is not None and len(single) == 1 and (lo, hi) != (0, 1):
                c = single[0]
                if lo == 0:  # x* x{0,n}: as many as the text has (more than allowed is still a start)
                    step = {((c + "*",), True)}
                else:  # x{n}, x{n,}: n of them, then more only if exactly n
                    step = {((c,) * min(lo, depth), lo == hi and lo <= depth)}
            else:
                sub = _prefixes(body, sre, most, depth)
                if sub is None:
                    return None
                if hi == 1:  # x? or x
                    step = sub | {((), True)} if lo == 0 else sub
                elif lo >= 1:  # x+ x{2,}: one x, then not known
                    step = {(p, False) for p, _ in sub}
                else:
                    step = {((), False)}
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # zero width
            continue
        else:
            step = {((), False)}
        if step is None:
            return None
        nxt: set[tuple[tuple[str, ...], bool]] = set()
        for p, done in out:
            if not done:
                nxt.add((p, False))
                continue
            for q, d in step:
                s = p + q
                nxt.add((s[:depth], d and len(s) < depth))
        out = nxt
        if len(out) > most:
            return None
    return out


def _literal_firsts(cls: str) -> set[str]:
    """The single characters named in a class made by :func:`_first_class` (not its ranges
    and categories)."""
    out, i = set(), 0
    while i < len(cls):
        if cls[i] == "\\":
            if cls[i + 1] not in "dsw":
                out.add(cls[i + 1])
            i += 2
        elif i + 1 < len(cls) and cls[i + 1] == "-" and i + 2 < len(cls):
            i += 3
        else:
            out.add(cls[i])
            i += 1
    return out


def _firsts(items: list, sre) -> tuple[list[str], bool] | None:
    """(class parts a match of ``items`` can start with, whether it can be empty); None: unknown."""
    out: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            return out + [re.escape(chr(av))], False
        if op is sre.IN:
            cls = _class_items(av, sre)
            return None if cls is None else (out + cls, False)
        if op is sre.SUBPATTERN:
            sub = _firsts(list(av[3]), sre)
        elif op is sre.BRANCH:
            subs = [x for x in (_firsts(list(b), sre) for b in av[1]) if x is not None]
            if len(subs) < len(av[1]):
                return None
            sub = ([c for x in subs for c in x[0]], any(x[1] for x in subs))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            sub = _firsts(list(av[2]), sre)
            if sub is not None and av[0] == 0:
                sub = (sub[0], True)
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # zero width: look past it
            continue
        else:
            return None
        if sub is None:
            return None
        out += sub[0]
        if not sub[1]:
            return out, False
    return out, True


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


_META = set(".^$*+?{}[]\\|()")


def _needles(pattern: str) -> tuple[str, ...]:
    """The literals a rule opens with (``(?:上一篇|下一篇)...`` or ``小编|小編``), so that a
    text holding none of them is skipped with a fast ``in`` test instead of a regex scan.
    () when the rule has no such opening (then it is always scanned)."""
    if pattern.startswith("(?:"):
        close = pattern.find(")")
        body, rest = pattern[3:close], pattern[close + 1 :]
        if close < 0 or "(" in body or "|" in rest:  # nested, or an alternative outside the group
            return ()
    else:
        body = pattern
    alts = body.split("|")
    return tuple(alts) if all(a and not set(a) & _META for a in alts) else ()


def _openings(pattern: str) -> tuple[str, ...]:
    """The literals every match of a rule starts with: the literal head of each alternative
    (``(?:分享到[:：]|扫一扫)`` -> 分享到, 扫一扫; ``_第\\d+页`` -> _第) or the characters of a
    leading class (``[>»›＞]``). () when some alternative opens with no literal."""
    if pattern.startswith("[") and "]" in pattern[1:]:
        body = pattern[1 : pattern.index("]", 1)]
        return tuple(body) if body and not set(body) & _META and "-" not in body else ()
    if pattern.startswith("(?:"):
        close = pattern.find(")")
        body, rest = pattern[3:close], pattern[close + 1 :]
        if close < 0 or "(" in body or _top_level_bar(rest):
            return ()
        alts = body.split("|")
        tail = rest
        lit = ""  # the literal characters right after the group go with every alternative
        for i, c in enumerate(tail):
            if c in _META:
                lit = tail[: i - 1] if c in "?*{" else tail[:i]
                break
        else:
            lit = tail
        if lit and all(a and not set(a) & _META for a in alts):
            return tuple(a + lit for a in alts)
    else:
        if "|" in pattern and ("(" in pattern or "[" in pattern):
            return ()  # an alternative at the top level beside groups: not worth parsing
        alts = pattern.split("|")
        tail = ""
    out = []
    for a in alts:
        head = a
        for i, c in enumerate(a):
            if c in _META:
                head = a[: i - 1] if c in "?*{" else a[:i]  # a quantifier makes the last literal optional
                break
        if not head and tail[:1] and tail[0] not in _META and len(alts) == 1:
            head = tail[0]
        if not head:
            return ()
        out.append(head)
    return tuple(out)


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` has an alternative ``|`` outside every group and class."""
    depth, i, cls = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if cls:
            cls = c != "]"
        elif c == "[":
            cls = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


@loader
def _rare_han_re() -> re.Pattern:
    """Han characters outside the common set (resources/common_han.txt)."""
    text = resources.files("plantext.resources").joinpath("common_han.txt").read_text("utf-8")
    common = sorted({ord(c) for ln in text.splitlines() if not ln.startswith("#") for c in ln.strip()})
    ranges, lo = [], 0x4E00
    for c in common + [0xA000]:
        if c > lo:
            ranges.append(f"\\u{lo:04x}-\\u{c - 1:04x}" if c - 1 > lo else f"\\u{lo:04x}")
        lo = max(lo, c + 1)
    return re.compile("[\u3400-\u4dbf\uf900-\ufaff" + "".join(ranges) + "]")


@loader
def _traditional_re() -> re.Pattern:
    """Common characters that only traditional script writes (their t2s form differs)."""
    from .normalize import _t2s

    text = resources.files("plantext.resources").joinpath("common_han.txt").read_text("utf-8")
    chars = [c for ln in text.splitlines() if not ln.startswith("#") for c in ln.strip()]
    conv = _t2s().convert("\n".join(chars)).split("\n")
    trad = [c for c, s in zip(chars, conv) if s != c]
    return re.compile("[" + "".join(trad) + "]")


# bits of the character table: which characters cleaning looks for
_WM_BIT, _MOJI_BIT, _LATIN_BIT, _RARE_BIT, _TRAD_BIT, _HAN_BIT, _PH_BIT, _DASH_BIT = 1, 2, 4, 8, 16, 32, 64, 128
_ASTRAL = 0x10000  # the table's last slot stands for every character beyond the BMP (none of the classes)


@loader
def _char_table():
    """Per code point of the Basic Multilingual Plane, bits naming the classes of characters
    the cleaning rules open with: watermark (``WATERMARK_RE``), mojibake (``_MOJIBAKE_RE``),
    Latin-1 look-alikes (``_LATIN_RUN_RE``), rare Han (``_rare_han_re``), traditional-only
    (``_traditional_re``), Han (U+4E00-U+9FFF and the traditional-only ones), placeholder
    openings other than a digit (``PLACEHOLDER_RE``), the dashes of ``_YEAR_DASH_RE``. Built by
    running each class over every character, so the table says exactly what the regexes would."""
    import numpy as np

    every = "".join(map(chr, range(_ASTRAL)))
    table = np.zeros(_ASTRAL + 1, dtype=np.uint8)
    for bit, rx in (
        (_WM_BIT, re.compile(f"[{_WM}]")),
        (_MOJI_BIT, re.compile("[\ufffd\ue000-\uf8ff锟烫屯]")),
        (_LATIN_BIT, re.compile(f"[{_LATIN}]")),
        (_RARE_BIT, _rare_han_re()),
        (_TRAD_BIT, _traditional_re()),
        (_PH_BIT, re.compile("[xXｘＸ×□〇○^*＊_＿]")),
        (_DASH_BIT, re.compile("[-－]")),
    ):
        at = np.fromiter((m.start() for m in rx.finditer(every)), dtype=np.int64)
        table[at] |= bit
    table[0x4E00:0xA000] |= _HAN_BIT
    table[(table & _TRAD_BIT) != 0] |= _HAN_BIT
    return table


def _char_kinds(text: str, utf16: bytes | None = None):
    """The table's bits for each character of ``text`` (a numpy array as long as the text).
    ``utf16``: ``text.encode("utf-16-le", "surrogatepass")`` when known (with two bytes per
    character, its units are the code points)."""
    import numpy as np

    if utf16 is not None and len(utf16) == 2 * len(text):
        return _char_table()[np.frombuffer(utf16, dtype=np.uint16)]
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _char_table()[np.minimum(codes, _ASTRAL)]


@loader
def _sparse_table():
    """``_char_table`` without the Han bit: nonzero only for the few characters (rare, traditional,
    placeholder, Latin-1, mojibake, watermark) that cleaning looks at one by one."""
    return _char_table() & (0xFF ^ _HAN_BIT)


class Chars:
    """The characters of a text that the rarer cleaning rules open with, found with one table
    look-up per character (``_char_kinds`` without the Han bit); each rule then looks at the
    positions of its own class (a few in real text) instead of scanning the text.
    ``utf16``: ``text.encode("utf-16-le", "surrogatepass")`` when known."""

    __slots__ = ("codes", "kinds", "present", "_at")
    codes: Any
    kinds: Any
    _at: dict[int, Any]

    def __init__(self, text: str, utf16: bytes | None = None) -> None:
        import numpy as np

        if utf16 is None or len(utf16) != 2 * len(text):
            utf16 = text.encode("utf-16-le", "surrogatepass")
        if len(utf16) == 2 * len(text):  # (two bytes per character: its units are the code points)
            self.codes = np.frombuffer(utf16, dtype=np.uint16)
        else:
            codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            self.codes = np.minimum(codes, _ASTRAL)
        self.kinds = np.take(_sparse_table(), self.codes)
        self.present = int(np.bitwise_or.reduce(self.kinds)) if len(self.kinds) else 0
        self._at = {}

    def positions(self, bit: int) -> list[int]:
        """Where the characters of class ``bit`` stand, in order (``_char_kinds(text) & bit``)."""
        return self.array(bit).tolist() if self.present & bit else []

    def array(self, bit: int):
        """:meth:`positions` as a numpy array."""
        import numpy as np

        got = self._at.get(bit)
        if got is None:  # (a boolean array: numpy lists its nonzero places several times faster)
            got = self._at[bit] = (
                ((self.kinds & bit) != 0).nonzero()[0] if self.present & bit else np.zeros(0, dtype=np.intp)
            )
        return got

    def count(self, bit: int, start: int, end: int) -> int:
        """How many characters of ``text[start:end]`` are of class ``bit`` (the Han bit too)."""
        import numpy as np

        if bit == _HAN_BIT:
            return int(np.count_nonzero(np.take(_char_table(), self.codes[start:end]) & _HAN_BIT))
        if not self.present & bit:
            return 0
        return int(np.count_nonzero(self.kinds[start:end] & bit))


def looks_traditional(text: str, kinds=None, chars: Chars | None = None) -> bool:
    """``normalize.is_traditional``, asked only when traditional-only characters are more than a
    trace in the first 4000 characters (the common case, simplified text, costs one table
    look-up per character); when they are more than 8 % of the Han characters there, the text
    is traditional without asking (t2s changes at least those). ``kinds``: ``_char_kinds(text)``
    when known; ``chars``: ``Chars(text)`` when known (the Han characters are then counted only
    when the traditional-only ones are more than a trace)."""
    import numpy as np

    if chars is not None:
        trad = chars.count(_TRAD_BIT, 0, 4000)
        return trad >= 8 and _decide(text[:4000], trad, chars.count(_HAN_BIT, 0, 4000))
    kinds = _char_kinds(text[:4000]) if kinds is None else kinds[:4000]
    return _decide(text[:4000], int(np.count_nonzero(kinds & _TRAD_BIT)), int(np.count_nonzero(kinds & _HAN_BIT)))


def _decide(text: str, trad: int, han: int) -> bool:
    # a few traditional-only characters occur in simplified text too (names, 乾, 著 ...)
    if trad < 8:
        return False
    if trad >= 0.08 * han:
        return True
    from .normalize import is_traditional

    return is_traditional(text)


class ScriptCounts:
    """Traditional-only characters of a text, found once, so that :meth:`looks_traditional`
    answers for any span (the plans of a page) with a count of positions; Han characters are
    counted only for a span with traditional-only ones."""

    __slots__ = ("text", "chars", "trad")

    def __init__(self, text: str, chars: Chars | None = None):
        """``chars``: ``Chars(text)`` when known."""
        self.text = text
        self.chars = Chars(text) if chars is None else chars
        self.trad = self.chars.positions(_TRAD_BIT)

    def looks_traditional(self, start: int, end: int) -> bool:
        """``looks_traditional(text[start:end][:4000])``."""
        end = min(end, start + 4000, len(self.text))
        trad = bisect_right(self.trad, end - 1) - bisect_right(self.trad, start - 1)
        if trad < 8:
            return False
        return _decide(self.text[start:end], trad, self.chars.count(_HAN_BIT, start, end))


def clean(source: Source) -> Source:
    """The source with ``noise``, ``flags`` and ``meta["footer_start"]`` filled in: a new record,
    ``source`` itself is left as it was (a source already cleaned is returned as it is)."""
    if not isinstance(source, Source):
        from .guard import require_source

        require_source(source, "plantext.clean")
    return clean_with_kinds(source)[0]


def clean_with_kinds(source: Source) -> tuple[Source, Chars | None]:
    """:func:`clean`, and the :class:`Chars` of its text that cleaning computed (None when the
    source was cleaned already), for ``split`` to reuse."""
    if source.cleaned:
        return source, None
    text = source.text
    noise: list[Span] = []
    utf16 = text.encode("utf-16-le", "surrogatepass")  # for the key automaton and the character table
    noise += _chrome(text, utf16)
    footer = _footer(text, noise)
    if footer < len(text):
        noise.append(Span(footer, len(text), "chrome", True, "footer"))
    marks, page_lines = _page_scan(text)
    residue = _page_residue(text, marks, {p.end for p in source.parts if p.kind == "table-row"})
    if residue:
        residue += _last_page_number(text, footer, residue)
    noise += residue
    noise += _furniture(source)
    noise += _page_lines(text, Dropped(drop_spans(noise)), page_lines)
    noise += _line_breaks(text, Dropped(drop_spans(noise)))
    # one table look-up per character finds the few characters the rarer rules below open with
    chars = Chars(text, utf16)
    if chars.present & _WM_BIT:
        noise += [
            Span(m.start(), m.end(), "watermark", True, " ".join(f"U+{ord(c):04X}" for c in m.group()))
            for m in WATERMARK_RE.finditer(text)
        ]
    noise += _placeholders(text, chars)
    noise += _mojibake(text, chars)
    noise.sort(key=lambda s: (s.start, -s.end))
    flags = {s.kind for s in noise} | set(source.flags)  # a reader's flags (ocr ...) stay
    if looks_traditional(text, chars=chars):
        flags.add("traditional-script")
    if source.meta.get("truncated"):  # a reader saw the file end early (a PDF without %%EOF)
        flags.add("truncated")
    out = replace(
        source,
        noise=noise,
        flags=sorted(flags),
        meta={**source.meta, "footer_start": footer},
        parts=list(source.parts),
        cleaned=True,
    )
    return out, chars


# -- chrome ---------------------------------------------------------------------------------


def line_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def _whole_line(text: str, start: int) -> tuple[int, int]:
    """The line holding ``start``, with its newline (so the clean view loses the whole line)."""
    s = text.rfind("\n", 0, start) + 1
    e = line_end(text, start)
    return s, min(e + 1, len(text))


def _chrome(text: str, utf16: bytes | None = None) -> list[Span]:
    """``utf16``: the text's UTF-16-LE bytes (surrogatepass) when known."""
    r = rules()
    found: dict[int, Span] = {}
    starts = _line_rule_starts(text, r)
    if r.first.match(text):
        starts.insert(0, 0)
    lead = _BLANKS + _BULLETS
    for s in starts:
        e = line_end(text, s)
        j = s
        while j < e and text[j] in lead:
            j += 1
        own = r.lines_by_char.get(text[j], r.lines) if j < e else r.lines  # the rules that can open there
        name = "chrome"
        for n, rx in own:
            if rx.match(text, s, e):
                name = n
                break
        found[s] = Span(s, min(e + 1, len(text)), "chrome", True, name)
    if r.automaton is None:
        for (name, longest, rx), needles in zip(r.keys, r.needles):
            if needles and not any(n in text for n in needles):
                continue
            for m in rx.finditer(text):
                s, e = _whole_line(text, m.start())
                if s not in found and e - s <= longest + 2:
                    found[s] = Span(s, e, "chrome", True, name)
        return sorted(found.values(), key=lambda x: x.start)
    # one pass of the automaton finds every place a key rule can start; each rule's regex is
    # then tried only there. Per line the first rule (in file order) that matches names it,
    # as scanning rule after rule would.
    hits: dict[int, list[tuple[int, int]]] = {}  # line start -> (literal, position)
    for w, at in _key_openings(text, r.automaton, utf16):  # every start, even nested
        s = text.rfind("\n", 0, at) + 1
        if s in found:
            continue
        lst = hits.get(s)
        if lst is None:
            lst = hits[s] = []
        lst.append((w, at))
    cand = {s: [(k, at) for w, at in lst for k in r.opens[w]] for s, lst in hits.items()}  # -> (rule, position)
    for k in r.unopened:  # a rule with no known opening: scanned on its own
        for m in r.keys[k][2].finditer(text):
            s = text.rfind("\n", 0, m.start()) + 1
            if s not in found:
                cand.setdefault(s, []).append((k, m.start()))
    for s in sorted(cand):
        if s in found:
            continue
        e = None
        for k, at in sorted(cand[s]):
            name, longest, rx = r.keys[k]
            if r.openings[k] and not rx.match(text, at):
                continue
            if e is None:
                e = min(line_end(text, s) + 1, len(text))
            if e - s <= longest + 2:
                found[s] = Span(s, e, "chrome", True, name)
                break
    return [found[s] for s in sorted(found)]


def _line_rule_starts(text: str, r: _Rules) -> list[int]:
    """The line starts (after the first line) where a line rule matches: what
    ``r.line.finditer`` finds, trying the rules only after a newline whose line opens with a
    character some rule starts with."""
    if r.line_starts is None:
        return [m.start() + 1 for m in r.line.finditer(text)]
    out, done = [], 0
    match, by_char = r.line.match, r.line_by_char
    for c in r.line_starts.finditer(text):
        at = c.start()
        if at < done:  # inside the last match, as finditer would skip it
            continue
        rx = by_char.get(text[c.end()])
        m = rx.match(text, at) if rx is not None else match(text, at)
        if m is not None:
            out.append(at + 1)
            done = m.end()
    return out


def _key_openings(text: str, automaton, utf16: bytes | None = None) -> list[tuple[int, int]]:
    """(literal, character offset) of every place, nested ones included, where a key rule's
    opening literal occurs. The automaton runs over the UTF-16 bytes (two per character when
    the text has no astral character: a match at an even offset is a character match)."""
    data = text.encode("utf-16-le", "surrogatepass") if utf16 is None else utf16
    if len(data) == 2 * len(text):
        return [(w, at >> 1) for w, at, _ in automaton.find_matches_as_indexes(data, overlapping=True) if not at & 1]
    # astral characters take two units: offsets are counted in characters one match at a time
    hits = automaton.find_matches_as_indexes(data, overlapping=True)
    chars: dict[int, int] = {}
    b0 = c0 = 0
    for b in sorted({at for _, at, _ in hits if not at & 1}):
        c0 += len(data[b0:b].decode("utf-16-le", "surrogatepass"))
        chars[b] = c0
        b0 = b
    return [(w, chars[at]) for w, at, _ in hits if not at & 1]


def is_chrome_line(line: str) -> bool:
    """Whether one line (no newline) is chrome by the rules."""
    r = rules()
    return r.first.match(line) is not None or any(
        rx.search(line) is not None and len(line) <= longest for _, longest, rx in r.keys
    )


_LEAD = _BLANKS + _BULLETS
_DATED_RE = re.compile(r"\d{1,2}-\d{1,2}$")  # a dated link: "…工作计划03-12"


def _is_tail_line(line: str) -> bool:
    """A line that can sit in a trailing list of links: short titles, dated links, snippets."""
    s = line.strip(_LEAD)
    if not s:
        return True
    if s.endswith(("...", "…", "..")) or (s[-1].isdecimal() and _DATED_RE.search(s)):  # (\d: a decimal digit)
        return True
    return len(s) <= 40 and s[-1] not in CJK_SENTENCE_ENDS


def _footer(text: str, chrome: list[Span]) -> int:
    """Start of the trailing chrome block. Walk lines back from the end while they are chrome
    or list lines (short titles, dated links, snippets). A list is chrome below a list heading
    (``相关文章:``, a ``tail`` rule): the block starts at the earliest such heading, moved up over
    the chrome lines right above it (``展开阅读全文``). Without a heading only the trailing run
    of chrome lines is footer, so a stray download button above a plan's last short lines does
    not cut them off."""
    kinds = {s.start: s.detail for s in chrome}
    heads = rules().tails
    footer = len(text)  # start of the trailing run of chrome lines
    run = True  # still in that run
    block: list[tuple[int, bool]] = []  # (line start, is chrome) walking up
    end = len(text)
    while end > 0:
        s = text.rfind("\n", 0, end - 1) + 1
        if s in kinds:
            block.append((s, True))
            if run:
                footer = s
        else:
            line = text[s:end].rstrip("\r\n")
            if not line.strip(_BLANKS):
                pass
            elif _is_tail_line(line):
                block.append((s, False))
                run = False
            else:
                break
        end = s
    top = [i for i, (s, chrome_line) in enumerate(block) if chrome_line and kinds[s] in heads]
    if not top:
        return footer
    i = top[-1]
    while i + 1 < len(block) and block[i + 1][1]:
        i += 1
    return min(footer, block[i][0])


# -- page residue ----------------------------------------------------------------------------


def _prev_char(text: str, i: int) -> tuple[int, str]:
    """Index and value of the last non-blank character before ``i`` (-1, '' at the start)."""
    j = i - 1
    while j >= 0 and (text[j] in _BLANKS or text[j] in "\r\n"):
        j -= 1
    return j, (text[j] if j >= 0 else "")


def _page_residue(
    text: str, found: list | None = None, row_ends: set[int] | frozenset[int] = frozenset()
) -> list[Span]:
    """Page numbers of flattened document-sharing pages: paragraphs opening with ``N、`` where N
    runs 1, 2, 3 ... over long chunks, most of them cutting a sentence. Real list items open
    sentences and follow a finished one, so their runs fail the test; so does an item after a
    table (``row_ends``: where the reader's table rows end, a row ends without punctuation).
    ``found``: the matches of ``_PAGE_MARK_RE`` with their numbers, when known (:func:`_page_scan`)."""
    first = _PAGE_MARK0_RE.match(text)
    if found is None:
        found = [(m, int(m.group(1))) for m in _PAGE_MARK_RE.finditer(text)]
    marks = [(first, int(first.group(1)))] + found if first else found
    if len(marks) < 2:
        return []
    chains: list[list] = []
    tails: dict[int, list] = {}  # last number -> open chain
    for m, n in marks:
        chain = tails.pop(n - 1, None)
        if chain is None:
            chain = []
            chains.append(chain)
        chain.append(m)
        tails[n] = chain
    out = []
    for chain in chains:
        if len(chain) < 2 or (chain[-1].start() - chain[0].start()) / (len(chain) - 1) < 120:
            continue  # (the mean distance between marks: short chunks are a list's items)
        cut = 0
        for m in chain[1:]:
            j, c = _prev_char(text, m.start())
            cut += bool(c) and c not in TERMINAL and j + 1 not in row_ends
        if cut * 2 < len(chain) - 1:
            continue
        for m in chain:
            j, c = _prev_char(text, m.start())
            start = j + 1 if c and c not in TERMINAL else m.start(1)
            out.append(Span(start, m.end(), "page-residue", True, f"page {m.group(1)}"))
    return out


# a paragraph break between two Han characters (or after a comma): a sentence cut by layout?
_BREAK_RE = re.compile(
    r"\n(?:(?<=[\u4e00-\u9fff，、,]\n)|(?<=[\u4e00-\u9fff，、,]\r\n))[ \t\u3000\xa0\r\n]*(?=[\u4e00-\u9fff“（《])"
)
# _BREAK_RE where the line before passes the first test of _line_breaks: it is 15 characters
# long (14 and the "\r" of CRLF let through too), or ends in a comma, or holds a "。" (fixed-width
# lookbehinds, one per distance from the break). No break inside a match of _BREAK_RE can be
# one, so this finds the breaks of _BREAK_RE that pass the test (and a few more).
_LONG_BREAK_RE = re.compile(
    r"\n(?:(?<=[\u4e00-\u9fff，、,]\n)|(?<=[\u4e00-\u9fff，、,]\r\n))"
    r"(?=[ \t\u3000\xa0\r\n]*[\u4e00-\u9fff“（《])"  # (the line after first: a cheaper test than the line before)
    r"(?:(?<=[^\n]{15}\n)|(?<=[，、,]\n)|(?<=[，、,]\r\n)|"
    + "|".join(f"(?<=。[^\n]{{{k}}}\n)" for k in range(15))
    + r")[ \t\u3000\xa0\r\n]*(?=[\u4e00-\u9fff“（《])"
)
# an outline marker opening a line: 一、 （一） 1、 1. (1) ① 第一章 a、
MARKER_RE = re.compile(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]"
    r"|\d+[、.．)）]|[①-⑳]|第[一二三四五六七八九十\d]+[章节條条部篇]|[a-zA-Z][、.．)])"
)
SENTENCE_END_RE = re.compile(char_class(SENTENCE_ENDS))
_LABEL_RE = re.compile(r"[^\n：:，。]{1,12}[：:]")  # "培训对象：", "组长:"


def _has_comma(s: str) -> bool:
    return "，" in s or "," in s or ("、" in s and "、" in _CN_MARK_RE.sub("", s))


# an outline marker of Chinese numerals ("一、"), whose "、" is no comma of a sentence (a
# heading that runs on after a title on its line: "……篇1一、区域游戏的意义")
_CN_MARK_RE = re.compile("(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3}、")


def _line_breaks(text: str, dropped: Dropped) -> list[Span]:
    """Paragraph breaks that cut a sentence (text copied from PDFs and web pages): the line
    before stops mid-sentence and reads as a sentence (long, or with a full stop inside, or
    ending in a comma, or with commas and no outline marker), the line after goes on with a Han
    character. Headings, label lines (``培训对象：…``) and short title lines keep their break.
    The span covers the break, so the clean view rejoins the sentence."""
    out = []
    # (the tests are filters: the cheap ones on the line's text run first)
    for m in _LONG_BREAK_RE.finditer(text):
        a, b = m.start() - (text[m.start() - 1] == "\r"), m.end()
        ls = text.rfind("\n", 0, a) + 1
        # a short line (the title lines above a body) with no full stop and no comma at its end
        # fails the first test below (text[a - 1] is no blank: it ends the stripped line)
        if a - ls < 15 and text[a - 1] not in "，,、" and "。" not in text[ls:a]:
            continue
        prev = text[ls:a].strip(_BLANKS)
        if len(prev) < 35 and "。" not in prev and prev[-1] not in "，,、" and (len(prev) < 15 or not _has_comma(prev)):
            continue  # (the marker test of the rule below is needed only past this one)
        marker = MARKER_RE.match(prev)
        if not marker and _LABEL_RE.match(prev):
            continue
        if not (
            len(prev) >= 35
            or "。" in prev
            or prev[-1] in "，,、"
            or (len(prev) >= 15 and not marker and _has_comma(prev))
        ):
            continue
        if dropped.at(a - 1) or dropped.at(b) or dropped.at(a):
            continue
        nxt = text[b : line_end(text, b)].strip(_BLANKS)
        if "\t" in prev or "\t" in nxt:
            continue  # a table row (TAB-separated cells) keeps its break: rows are never one sentence
        if MARKER_RE.match(nxt) or _LABEL_RE.match(nxt) or (len(nxt) < 15 and nxt[-1:] not in TERMINAL):
            continue
        # a short clause after the last full stop followed by a short line is as likely a list
        # of phrases ("……教研活动？是的 / 结束；") as a cut: keep the break
        if len(SENTENCE_END_RE.split(prev)[-1]) < 12 and len(nxt) < 20:
            continue
        out.append(Span(a, b, "line-break", True, "cut sentence"))
    return out


_PAGE_COUNT_RE = re.compile(r"(?:页数|頁數)\s*[:：]\s*(\d{1,4})|共\s*(\d{1,4})\s*[页頁]")


def _last_page_number(text: str, end: int, residue: list[Span]) -> list[Span]:
    """The original document's last page number, glued to the end of flattened text
    (``…2018年3月2日印8`` on a page whose header says 页数:8)."""
    m = _PAGE_COUNT_RE.search(text, 0, residue[0].start)
    if m is None:
        return []
    n = m.group(1) or m.group(2)
    j, _ = _prev_char(text, end)
    s = j + 1 - len(n)
    if s > 0 and text[s : j + 1] == n and not text[s - 1].isdigit() and not text[s - 1].isspace():
        return [Span(s, j + 1, "page-residue", True, f"page {n}")]
    return []


# a line holding only a page number: "- 3 -", "—3—", "第3页", "第 3 页 共 8 页", "3/8"
_PAGE_LINE = (
    r"(?:[-—–－]\s*(?P<dash>\d{1,3})\s*[-—–－]|第\s*(?P<nth>\d{1,3})\s*[页頁](?:\s*[,，/／]?\s*共\s*\d{1,3}\s*[页頁])?"
    r"|(?P<num>\d{1,3})\s*[/／]\s*(?P<of>\d{1,3}))[ \t\u3000]*\r?(?=\n|\Z)"
)
_PAGE_LINE_RE = re.compile(r"\n[ \t\u3000]*" + _PAGE_LINE)
# _PAGE_MARK_RE (group 1) and _PAGE_LINE_RE in one scan of the newlines. Where one matches the
# other cannot (after the digits: "、", or a blank, a slash, a dash), and no newline inside a
# match of one opens a match of the other (a "、" never follows digits inside a page line), so
# the scan finds the matches of both. (The lookahead names the characters that open either:
# a line opening with anything else, most lines, is passed over with one test.)
_PAGE_SCAN_RE = re.compile(r"\n[ \t\u3000]*(?=[\d\-—–－第])(?:(\d{1,3})、[ \t\u3000]*|" + _PAGE_LINE + ")")


def _page_scan(text: str) -> tuple[list, list]:
    """(the matches of ``_PAGE_MARK_RE`` with their numbers, those of ``_PAGE_LINE_RE``), from
    one scan."""
    marks, lines = [], []
    for m in _PAGE_SCAN_RE.finditer(text):
        g = m.group(1)
        if g is None:
            lines.append(m)
        else:
            marks.append((m, int(g)))
    return marks, lines


def _page_lines(text: str, dropped: Dropped, found: list | None = None) -> list[Span]:
    """Page numbers left on lines of their own by a PDF or Word conversion. When the page
    break cuts a sentence the span reaches back over the break, so the view rejoins it.
    ``found``: the matches of ``_PAGE_LINE_RE``, when known (:func:`_page_scan`)."""
    out = []
    for m in _PAGE_LINE_RE.finditer(text) if found is None else found:
        s, e = m.start() + 1, m.end()
        if dropped.at(s) or (m.group("num") and int(m.group("num")) > int(m.group("of"))):
            continue
        j, c = _prev_char(text, m.start())
        k = e
        while k < len(text) and text[k] in _BLANKS + "\n":
            k += 1
        nxt = text[k : k + 1]
        if c and c not in TERMINAL and "\u4e00" <= nxt <= "\u9fff":
            out.append(
                Span(j + 1, k, "page-residue", True, f"page {m.group('dash') or m.group('nth') or m.group('num')}")
            )
        else:
            out.append(
                Span(
                    s,
                    min(e + 1, len(text)),
                    "page-residue",
                    True,
                    f"page {m.group('dash') or m.group('nth') or m.group('num')}",
                )
            )
    return out


def _furniture(source: Source) -> list[Span]:
    """Page numbers and running headers a reader recorded as ``Part(kind="page-furniture")``;
    a whole line goes with its newline."""
    text = source.text
    out = []
    for p in source.parts:
        if p.kind != "page-furniture" or p.end <= p.start:
            continue
        end = (
            p.end + 1
            if p.end < len(text) and text[p.end] == "\n" and (p.start == 0 or text[p.start - 1] == "\n")
            else p.end
        )
        out.append(Span(p.start, end, "page-residue", True, f"page {p.index}" if p.index else "furniture"))
    return out


# -- placeholders ------------------------------------------------------------------------------

# with no placeholder opening other than a digit in the text, PLACEHOLDER_RE only finds years
# ("19"/"20", never overlapping) and the only tail a year can have is "-年"
_YEAR_DASH_RE = re.compile("(?:19|20)[-－](?=年)")
# PLACEHOLDER_RE without its years: what it finds at a character other than a digit
_PH_MARK_RE = re.compile(
    r"[xXｘＸ×□〇○^*＊_＿](?:"
    r"(?<=[xXｘＸ×])(?<![A-Za-z].)[xXｘＸ×]+(?![A-Za-z])"
    r"|(?<=[xXｘＸ])(?<=[\u4e00-\u9fff].)(?=[\u4e00-\u9fff])"
    r"|(?<=□)□*|(?<=〇)〇+|(?<=○)○+|(?<=\^)v\^|(?<=\*)\*+|(?<=＊)＊+|(?<=_)__+|(?<=＿)＿+)"
)


def _matches_at(rx: re.Pattern, text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The spans ``rx.finditer(text)`` finds, for a pattern whose every match opens with a
    character standing at one of ``positions`` (sorted) and is not empty: ``rx`` is tried only
    there, past the end of the match before."""
    out: list[tuple[int, int]] = []
    done, match = 0, rx.match
    for p in positions:
        if p < done:
            continue
        m = match(text, p)
        if m is not None:
            out.append(m.span())
            done = m.end()
    return out


def _year_dashes(text: str, chars: Chars) -> list[int]:
    """Where ``_YEAR_DASH_RE`` matches (``19-年``, ``20－年``; three characters each), from the
    positions of the dashes."""
    return [
        p - 2
        for p in chars.positions(_DASH_BIT)
        if text[p + 1 : p + 2] == "年" and text[p - 2 : p] in ("19", "20") and p >= 2
    ]


def _placeholders(text: str, chars: Chars | None = None) -> list[Span]:
    """``chars``: ``Chars(text)`` when known (None: every match of ``PLACEHOLDER_RE`` is looked
    at)."""
    out: list[Span] = []
    if chars is not None and not chars.present & _PH_BIT:
        for s in _year_dashes(text, chars):
            if not (s > 0 and text[s - 1].isdigit()):
                out.append(Span(s, s + 3, "placeholder", False))
        return out
    tail = _YEAR_TAIL_RE.match
    if chars is None:
        found = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    else:
        # PLACEHOLDER_RE stops at every "1" and "2"; a year it keeps has a tail that opens with a
        # placeholder character (20xx, 20__, 201x: two or three after the year) or is "-年".
        # So: the matches at the placeholder characters, and the years that stand before one.
        marks = chars.positions(_PH_BIT)
        found = _matches_at(_PH_MARK_RE, text, marks)
        starts = set()
        for p in marks:
            starts.add(p - 2)
            starts.add(p - 3)
        starts.update(_year_dashes(text, chars))
        years = [(s, s + 2) for s in starts if s >= 0 and text[s : s + 2] in ("19", "20")]
        if years:  # (a year's "19"/"20" is never inside another match: the two merge in order)
            found = sorted(found + years)
    for s, e in found:
        if out and s < out[-1].end:  # the tail of a year already taken
            continue
        if e - s == 2 and text[s].isdigit():  # "19"/"20": a year only with a placeholder tail
            t = tail(text, e)
            if t is None or (s > 0 and text[s - 1].isdigit()):
                continue
            e = t.end()
        out.append(Span(s, e, "placeholder", False))
    return out


# -- mojibake ----------------------------------------------------------------------------------


def _mojibake(text: str, chars: Chars | None = None) -> list[Span]:
    """``chars``: ``Chars(text)`` when known."""
    if chars is None:
        chars = Chars(text)
    out = [
        Span(s, e, "mojibake", False, "decoding")
        for s, e in _matches_at(_MOJIBAKE_RE, text, chars.positions(_MOJI_BIT))
    ]
    latin = chars.array(_LATIN_BIT)
    three = len(latin) >= 3 and bool((latin[2:] - latin[:-2] == 2).any())  # (any three in a row)
    for a, b in _runs(latin.tolist(), 3) if three else ():  # what _LATIN_RUN_RE finds
        # real text has the odd "·" or "“”" or "……" in a row; misdecoded UTF-8 has accented
        # letters, misdecoded GBK a jumble of Latin-1 symbols (¹¤×÷¼Æ»®)
        g = text[a:b]
        if len(_LATIN_LETTER_RE.findall(g)) >= 2 or (len(g) >= 4 and len(set(g) - _CJK_PUNCT) >= 3):
            out.append(Span(a, b, "mojibake", False, "decoding"))
    out.sort(key=lambda s: s.start)
    # text decoded with the wrong Chinese codec: valid but rare characters, densely packed (3
    # within 6 characters) inside one run of Han characters of 4 or more. Names stand between
    # punctuation (王垭烨、许琪): a run of 3 is a name, and punctuation breaks a cluster.
    taken = [(s.start, s.end) for s in out]
    # one scan for the rare characters (few in real text); only the Han runs holding three of
    # them are looked at, each with the rule below
    for rare in _rare_in_runs(text, positions=chars.positions(_RARE_BIT)):
        i = 0
        while i + 2 < len(rare):
            if rare[i + 2] - rare[i] <= 5:
                j = i + 2
                while j + 1 < len(rare) and rare[j + 1] - rare[j] <= 3:
                    j += 1
                a, b = rare[i], rare[j] + 1
                if not any(x < b and a < y for x, y in taken):
                    last = out[-1] if out and out[-1].detail == "rare-han" else None
                    if last is not None and 0 <= a - last.end <= 2:  # a stray symbol inside one garble
                        last.end = b
                    else:
                        out.append(Span(a, b, "mojibake", False, "rare-han"))
                i = j + 1
            else:
                i += 1
    out.sort(key=lambda s: s.start)
    return out


def _runs(positions: list[int], least: int) -> list[tuple[int, int]]:
    """The runs of consecutive ``positions`` (sorted) at least ``least`` long, as (start, end)."""
    out = []
    i, n = 0, len(positions)
    while i + least - 1 < n:
        if positions[i + least - 1] - positions[i] != least - 1:
            i += 1
            continue
        j = i + least - 1
        while j + 1 < n and positions[j + 1] == positions[j] + 1:
            j += 1
        out.append((positions[i], positions[j] + 1))
        i = j + 1
    return out


def _rare_in_runs(text: str, least: int = 3, positions: list[int] | None = None):
    """Per run of Han characters (``_HAN_RUN_RE``) holding at least ``least`` rare characters,
    in order, the positions of its rare characters: what scanning every run for them would
    give, from one scan of the text (rare characters are few in real text). ``positions``:
    those of every rare character, when known. A rare character is a Han one, so two of them
    share a run when only Han characters stand between them; only a run holding ``least`` of
    them is looked at whole (is it four characters long?)."""
    rare = [r.start() for r in _rare_han_re().finditer(text)] if positions is None else positions
    k, n = 0, len(rare)
    while k + least - 1 < n:
        j = k + 1
        while j < n and _NON_HAN_RE.search(text, rare[j - 1] + 1, rare[j]) is None:
            j += 1
        if j - k >= least:
            a = rare[k]
            while a > 0 and _is_han(text[a - 1]):
                a -= 1
            if _HAN_RUN_RE.match(text, a):
                yield rare[k:j]
        k = j


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


# -- helpers for split and other stages ------------------------------------------------------------


def drop_spans(noise: list[Span]) -> list[tuple[int, int]]:
    """The ``drop`` spans merged into sorted, disjoint ``(start, end)`` pairs."""
    out: list[tuple[int, int]] = []
    for a, b in sorted([(n.start, n.end) for n in noise if n.drop]):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


class Dropped:
    """Fast membership tests against merged drop spans."""

    __slots__ = ("spans", "_starts")

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self._starts = [s for s, _ in spans]

    def at(self, i: int) -> tuple[int, int] | None:
        k = bisect_right(self._starts, i) - 1
        if k >= 0 and self.spans[k][1] > i:
            return self.spans[k]
        return None

    def covers(self, start: int, end: int, text: str) -> bool:
        """Whether every non-blank character of ``text[start:end]`` is dropped."""
        i = start
        while i < end:
            if text[i] in _BLANKS or text[i] in "\r\n":
                i += 1
                continue
            span = self.at(i)
            if span is None:
                return False
            i = span[1]
        return True

    def last_kept(self, start: int, end: int, text: str) -> int:
        """One past the last kept non-blank character of ``text[start:end]`` (``start`` if none)."""
        i = end
        while i > start:
            c = text[i - 1]
            if c in _BLANKS or c in "\r\n":
                i -= 1
                continue
            span = self.at(i - 1)
            if span is None:
                return i
            i = span[0]
        return start

    def first_kept(self, start: int, end: int, text: str) -> int:
        """The first kept non-blank character of ``text[start:end]`` (``end`` if none)."""
        i = start
        while i < end:
            c = text[i]
            if c in _BLANKS or c in "\r\n":
                i += 1
                continue
            span = self.at(i)
            if span is None:
                return i
            i = span[1]
        return end


# -- plantext run ---------------------------------------------------------------------------------


def noise_rows(sources, plans) -> list[list]:
    """One row per span cleaning found: source, plan id ('' outside every plan), kind, rule,
    start, end, dropped, text (newlines shown as ⏎)."""
    rows = []
    by_source: dict[int, list] = {}  # the plans of each source, in order (one pass, not one per source)
    for p in plans:
        by_source.setdefault(id(p.source), []).append(p)
    for src in sources:
        own = by_source.get(id(src), [])
        for n in src.noise:
            inside = next((p.id for p in own if p.start <= n.start < p.end), "")
            text = src.text[n.start : n.end].replace("\r", "").replace("\n", "⏎")
            rows.append([src.path, inside, n.kind, n.detail, n.start, n.end, n.drop, text[:200]])
    return rows
