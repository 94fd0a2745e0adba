"""Character classes, in one place: blanks, bullets, sentence and clause punctuation.

Modules compose their sets from these atoms (a sentence end for the copy check also ends at a line
break; a title test also stops at a comma) instead of writing their own lists, so that a mark added
here (a new full-width form) reaches every rule that should see it.
"""

from __future__ import annotations

import re

__all__ = [
    "BLANKS",
    "BLANKS_IN_LINE",
    "BULLETS",
    "CJK_SENTENCE_ENDS",
    "CLOSING",
    "COLONS",
    "COMMAS",
    "ELLIPSIS",
    "LINE_BREAKS",
    "SENTENCE_ENDS",
    "char_class",
]

BLANKS_IN_LINE = " \t\r\u3000\xa0"  # space, tab, CR, ideographic space, no-break space
LINE_BREAKS = "\n\r"
BLANKS = BLANKS_IN_LINE + "\n"
BULLETS = "-–*•·●○■◆◇★☆▲►▶▪※>"  # list markers written before an item
CJK_SENTENCE_ENDS = "。！？；"  # full-width marks that always end a sentence
SENTENCE_ENDS = CJK_SENTENCE_ENDS + "!?;"  # with their half-width forms (not ".", as in 3.5)
COMMAS = "，,"
COLONS = "：:"
ELLIPSIS = "…"
CLOSING = "）)”’》】」』"  # closing brackets and quotation marks


def char_class(chars: str) -> str:
    """A regular-expression character class matching any of ``chars``."""
    return "[" + "".join(re.escape(c) for c in dict.fromkeys(chars)) + "]"
