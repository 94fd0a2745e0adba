"""Property tests of the offset maps of views (hypothesis): whatever the text and the dropped
spans, every view character maps back to a source character it came from, in order, and a view
span maps to a source span that holds the source of every character in it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plantext.normalize import text_view

# text from the characters normalisation touches: traditional/simplified pairs, full-width digits
# and letters, punctuation of both widths, blanks, circled numbers, line breaks
ALPHABET = "學時不少於学时不少于教師教师４８48ＡＢab，,。.；;：:（）()、 \u3000\n\t㈠①一二三"
texts = st.text(alphabet=ALPHABET, min_size=0, max_size=60)


@st.composite
def text_and_drops(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(texts)
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=4))
    return text, [(min(a, b), max(a, b)) for a, b in spans if a != b]


def _kept(n: int, drops: list[tuple[int, int]]) -> list[int]:
    return [i for i in range(n) if not any(a <= i < b for a, b in drops)]


@settings(max_examples=80, deadline=None)
@given(text_and_drops())
def test_clean_view_is_the_text_without_the_dropped_spans(case):
    text, drops = case
    v = text_view(text, "clean", drop=drops)
    kept = _kept(len(text), drops)
    assert v.text == "".join(text[i] for i in kept)
    assert [v.src(i) for i in range(len(v.text))] == kept


@settings(max_examples=80, deadline=None)
@given(text_and_drops(), st.sampled_from(["norm", "fold"]))
def test_every_view_character_maps_into_the_kept_source_in_order(case, mode):
    text, drops = case
    v = text_view(text, mode, drop=drops)
    kept = set(_kept(len(text), drops))
    src = [v.src(i) for i in range(len(v.text))]
    assert src == sorted(src)  # document order is kept
    assert all(s in kept for s in src)  # never a dropped or out-of-range character


@settings(max_examples=80, deadline=None)
@given(text_and_drops(), st.sampled_from(["clean", "norm", "fold"]), st.data())
def test_a_view_span_covers_the_sources_of_its_characters(case, mode, data):
    text, drops = case
    v = text_view(text, mode, drop=drops)
    n = len(v.text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    s, e = v.span(a, b)
    assert 0 <= s <= e <= len(text)
    for i in range(a, b):
        assert s <= v.src(i) < e
