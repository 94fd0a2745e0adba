from plantext.normalize import View, text_view

TRAD = "一、指導思想（一）教師，每學期培訓學時不少於４８學時。abc\n第二"


def test_norm_view_maps_back_to_source():
    v = text_view(TRAD, "norm")
    assert v.text == "一、指导思想（一）教师，每学期培训学时不少于48学时。abc\n第二"
    i = v.text.index("48")
    s, e = v.span(i, i + 2)
    assert TRAD[s:e] == "４８"
    i = v.text.index("学时不少于")
    s, e = v.span(i, i + 5)
    assert TRAD[s:e] == "學時不少於"


def test_fold_drops_punctuation_and_whitespace_and_dropped_spans():
    v = text_view(TRAD, "fold", drop=[(2, 6)])
    assert v.text == "一一教师每学期培训学时不少于48学时abc第二"
    i = v.text.index("教师")
    s, e = v.span(i, i + 2)
    assert (s, e) == (TRAD.index("教師"), TRAD.index("教師") + 2)
    # a span across the dropped stretch covers it in the source
    s, e = v.span(0, 2)
    assert TRAD[s:e] == "一、指導思想（一"


def test_expansion_maps_every_char_to_its_source_char():
    t = "培训㈠计划"
    v = text_view(t, "norm")
    assert v.text == "培训（一）计划"
    assert v.span(2, 5) == (2, 3)
    assert v.span(5, 7) == (3, 5)


def test_slice_offsets_are_absolute():
    t = "头部\n正文内容"
    v = View.slice(t, 3, len(t))
    assert v.text == "正文内容" and v.span(0, 2) == (3, 5)


def test_offsets_round_trip_through_arrays():
    t = "頭部\n一、指導思想（一）教師，每學期４８學時。"
    v = text_view(t, "fold", drop=[(0, 3)], start=0)
    starts, ends = v.offsets()
    assert len(starts) == len(v.text)
    for i in range(len(v.text)):
        assert (starts[i], ends[i]) == v.span(i, i + 1)
    w = View.from_offsets(v.text, starts, ends)
    for s in range(len(v.text)):
        for e in range(s + 1, len(v.text) + 1):
            assert w.span(s, e) == v.span(s, e)


def test_overlapping_deletions_merge_into_one():
    """Dropped spans that overlap (chrome inside a page-residue run) leave out their union:
    neither the later one is lost nor the first one cut short."""
    from plantext.normalize import merge_edits

    assert merge_edits([(4, 9, ""), (2, 6, "")]) == [(2, 9, "")]
    assert merge_edits([(2, 4, ""), (3, 8, ""), (7, 9, "")]) == [(2, 9, "")]
    assert merge_edits([(2, 5, ""), (3, 4, "x")]) == [(2, 5, "")]  # a replacement inside a deletion goes
    t = "一二三四五六七八九十甲乙"
    v = text_view(t, "clean", drop=[(2, 6), (4, 9)])
    assert v.text == "一二十甲乙"
    assert [v.src(i) for i in range(len(v.text))] == [0, 1, 9, 10, 11]
    assert v.span(1, 3) == (1, 10)  # a view span across the gap covers the dropped text in the source
