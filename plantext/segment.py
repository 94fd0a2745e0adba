"""Words and sentences of a plan, with offsets into the source text.

Words come from a private ``jieba.Tokenizer`` (never the global one) loaded with the domain
dictionary ``resources/userdict.txt`` (校本研修, 骨干教师, 送教下乡, ...: terms plans use that
jieba's own dictionary splits). Each entry is ``word freq pos``; the frequencies are just high
enough to keep the word whole (what ``jieba.suggest_freq`` advises), so adding the dictionary
does not slow segmentation down. A few entries at the end are words jieba already has, listed
with jieba's own frequency only to correct their tag (落实 a -> v, 创造性地 n -> d) for the
POS rules of :mod:`plantext.outline`. Compositional phrases (县级骨干教师) are left out so
that their head words count in term statistics.

Both ``words`` and ``sentences`` read the plan's ``norm`` view: page residue and web chrome are
gone, punctuation is full width and the script simplified, so one rule set serves every input.
Offsets are mapped back through the view (``view.offsets()``, ``view.span``); ``Token.text``
is the normalised word, ``Sentence.text`` the source slice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from .chars import CJK_SENTENCE_ENDS, char_class
from .lexicons import loader
from .model import Sentence, Token

if TYPE_CHECKING:  # pragma: no cover
    import jieba
    import jieba.posseg
    import spacy

    from .model import Plan
    from .normalize import View

__all__ = [
    "tokenizer",
    "pos_tokenizer",
    "cut",
    "tokens",
    "words",
    "sentences",
    "sentence_spans",
    "stopwords",
    "nlp",
    "doc",
    "userdict_path",
]


def userdict_path() -> str:
    return str(resources.files("plantext") / "resources" / "userdict.txt")


@loader
def tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer with the domain dictionary (built on first use).

    jieba caches its own prefix dictionary in a temp file (built once per machine); loading it
    takes about a second per process, and the user dictionary adds some 25 ms.
    """
    import jieba

    tk = jieba.Tokenizer()
    with _quiet_jieba():  # jieba logs "Building prefix dict..." at DEBUG; its logger's level is left alone
        tk.initialize()
        tk.load_userdict(userdict_path())
    return tk


class _BelowWarning:
    """A logging filter that drops records below WARNING."""

    @staticmethod
    def filter(record: Any) -> bool:
        return bool(record.levelno >= 30)


@contextmanager
def _quiet_jieba() -> Iterator[None]:
    """Silence jieba's progress lines while it builds a tokenizer, with a filter on jieba's own
    logger that is removed afterwards (``jieba.setLogLevel`` would change it for the process)."""
    import logging

    log = logging.getLogger("jieba")
    f = _BelowWarning()
    log.addFilter(f)
    try:
        yield
    finally:
        log.removeFilter(f)


@loader
def pos_tokenizer() -> jieba.posseg.POSTokenizer:
    """A ``jieba.posseg.POSTokenizer`` over :func:`tokenizer`, with the domain dictionary's
    tags (落实/v, 校本研修/vn ...).

    Importing ``jieba.posseg`` parses jieba's word-tag table for its global tagger (~1.5 s);
    ours copies that table instead of parsing it again. The user tags are read from the
    dictionary file: jieba's own way takes them from the tokenizer and clears them there, so a
    second tagger over the same tokenizer would go without them.
    """
    import jieba.posseg

    pt = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pt.tokenizer = tokenizer()
    pt.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    with open(userdict_path(), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and not line.startswith("#"):
                pt.word_tag_tab[parts[0]] = parts[2]
    pt.makesure_userdict_loaded = lambda: None
    return pt


def _keep(word: str) -> bool:
    return not word.isspace()


def cut(text: str, hmm: bool = True) -> list[str]:
    """The words of ``text`` (whitespace dropped), with the domain dictionary."""
    return [w for w in tokenizer().cut(text, HMM=hmm) if _keep(w)]


def tokens(text: str, hmm: bool = True, memo: dict[str, tuple[str, ...]] | None = None) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` over ``text`` itself, whitespace dropped.

    ``memo``: the words of the runs already cut (a dict the caller keeps across the texts of
    one corpus, filled here up to :data:`MEMO_MAX` runs). jieba cuts a text run by run (a run of
    Han characters, letters and digits between punctuation and spaces) and each run alone, so a
    run met before, a clause every plan of a template shares, is not cut again: the same
    words, without the dictionary walk that is most of a corpus's segmentation time."""
    if memo is None:
        return [t for t in tokenizer().tokenize(text, HMM=hmm) if _keep(t[0])]
    import jieba

    tk = tokenizer()
    out: list[tuple[str, int, int]] = []
    pos = 0
    for i, run in enumerate(jieba.re_han_default.split(text)):
        if not run:
            continue
        words = memo.get(run) if i % 2 else None  # odd parts are the runs jieba cuts with its dictionary
        if words is None:
            words = tuple(tk.cut(run, HMM=hmm))
            if i % 2 and len(memo) < MEMO_MAX:
                memo[run] = words
        for w in words:
            if _keep(w):
                out.append((w, pos, pos + len(w)))
            pos += len(w)
    return out


MEMO_MAX = 200_000  # runs kept by :func:`tokens`'s memo (some 40 MB at most)


def words(plan: Plan) -> list[Token]:
    """Tokens of the plan's ``norm`` view with source offsets (``Token.text`` normalised)."""
    from .guard import require_plan

    require_plan(plan, "plantext.words")
    view = plan.view("norm")
    toks = tokens(view.text)
    if not toks:
        return []
    starts, ends = (a.tolist() for a in view.offsets())  # one vectorised map, not a bisect per token
    return [Token(starts[s], ends[e - 1], w) for w, s, e in toks]


# -- sentences ------------------------------------------------------------------------------

TERMINATORS = CJK_SENTENCE_ENDS
_PAIRS = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "《": "》",
    "【": "】",
    "〔": "〕",
    "〈": "〉",
}
_CLOSERS = {c: o for o, c in _PAIRS.items()}
PAIR_LIMIT = 300  # a quote or bracket longer than this is taken as unclosed (broken text)
_BREAK_RE = re.compile(char_class(CJK_SENTENCE_ENDS) + r"+|\n")
_CONTENT_RE = re.compile(r"[^\W_]")  # a sentence must hold a letter, digit or Han character


def _protected(text: str) -> list[tuple[int, int]]:
    """Spans ``[open, close]`` of matched quotes/brackets; unmatched ones protect nothing, so a
    stray ``（`` cannot swallow the rest of the plan."""
    stack: list[tuple[str, int]] = []
    spans: list[tuple[int, int]] = []
    for i, c in enumerate(text):
        if c in _PAIRS:
            stack.append((c, i))
        elif c in _CLOSERS:
            want = _CLOSERS[c]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    o = stack[k][1]
                    del stack[k:]
                    if i - o <= PAIR_LIMIT:
                        spans.append((o, i))
                    break
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans over ``text`` (already normalised: full-width punctuation).

    A sentence ends after a run of 。！？； or at a line break, unless that lies inside a
    matched pair of quotes or brackets (“” ‘’ 「」 『』 （） 《》 【】); surrounding whitespace
    is trimmed and spans without any letter, digit or Han character are dropped.
    """
    prot = _protected(text)
    cuts = []
    k = 0
    for m in _BREAK_RE.finditer(text):
        p = m.start()
        while k < len(prot) and prot[k][1] < p:
            k += 1
        if k < len(prot) and prot[k][0] < p <= prot[k][1]:
            continue
        cuts.append(m.end())
    out = []
    prev = 0
    for c in cuts + [len(text)]:
        s, e = prev, c
        prev = c
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and _CONTENT_RE.search(text, s, e):
            out.append((s, e))
    return out


def view_sentences(view: View, source_text: str) -> list[Sentence]:
    out = []
    for s, e in sentence_spans(view.text):
        a, b = view.span(s, e)
        out.append(Sentence(a, b, source_text[a:b]))
    return out


def sentences(plan: Plan) -> list[Sentence]:
    """Sentences of the plan (read on its ``norm`` view) with source offsets and source text."""
    from .guard import require_plan

    require_plan(plan, "plantext.sentences")
    return view_sentences(plan.view("norm"), plan.source.text)


# -- stopwords ------------------------------------------------------------------------------


@loader
def stopwords() -> frozenset[str]:
    """Function words and the stock words of plans (进一步, 加强, 认真, 积极 ...), simplified.
    Punctuation is not listed: test ``word.isalnum()`` for that."""
    text = (resources.files("plantext") / "resources" / "stopwords.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


# -- spaCy ----------------------------------------------------------------------------------


@loader
def nlp() -> spacy.language.Language:
    """``spacy.blank("zh")`` with the jieba segmenter, using :func:`tokenizer` (the domain
    dictionary) instead of the global jieba that spaCy would import."""
    import spacy
    from spacy.lang.zh import ChineseTokenizer

    pipe = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    zh = pipe.tokenizer
    assert isinstance(zh, ChineseTokenizer)  # what spacy.blank("zh") builds
    zh.jieba_seg = tokenizer()  # ChineseTokenizer calls .cut(text, cut_all=False)
    return pipe


def _src_offset(i: int) -> Callable[[spacy.tokens.Token], int]:
    """The getter of ``token._.src_start`` (``i`` 0) or ``_.src_end`` (1)."""

    def get(t: spacy.tokens.Token) -> int:
        start_end: tuple[int, int] = t.doc.user_data["src_spans"][t.i]
        return start_end[i]

    return get


def doc(plan: Plan) -> spacy.tokens.Doc:
    """A spaCy ``Doc`` of the plan's ``norm`` text; ``doc.user_data["src_spans"]`` holds each
    token's ``(start, end)`` in the source (also as ``token._.src_start`` / ``_.src_end``)."""
    from spacy.tokens import Token as SpacyToken

    for name, i in (("src_start", 0), ("src_end", 1)):
        if not SpacyToken.has_extension(name):
            SpacyToken.set_extension(name, getter=_src_offset(i))
    view = plan.view("norm")
    d = nlp()(view.text)
    d.user_data["src_spans"] = [view.span(t.idx, t.idx + len(t.text)) for t in d]
    d.user_data["plan"] = plan.id
    return d
