"""Research over a corpus of plans: terms (frequencies, TF-IDF, keywords) per plan, section
kind or group; terms distinctive of a group (weighted log-odds, z); section coverage; plots;
and :func:`corpus` for pandas users.

Submodules import their heavy libraries (jieba, scikit-learn, matplotlib, pandas) inside
functions, so importing this package stays cheap.
"""

from __future__ import annotations

from .compare import GroupTerms, TermScore, compare, compare_rows, log_odds
from .corpus import Corpus, corpus
from .sections import PlanSections, common_kinds, plan_sections, sections
from .stage import Research, research
from .terms import PlanTerms, corpus_terms, keep, keywords, plan_terms, term_table

__all__ = [
    "Corpus",
    "corpus",
    "compare",
    "compare_rows",
    "log_odds",
    "GroupTerms",
    "TermScore",
    "PlanSections",
    "sections",
    "plan_sections",
    "common_kinds",
    "PlanTerms",
    "plan_terms",
    "corpus_terms",
    "keywords",
    "term_table",
    "keep",
    "Research",
    "research",
]
