"""The fast paths of cleaning give what the plain scans gave: the character table, the line-rule
filter, the byte automaton for key rules, the placeholder and mojibake gates, script counts."""

import re
from pathlib import Path

import numpy as np
import pytest

from plantext.clean import (
    _ASTRAL,
    _DASH_BIT,
    _HAN_BIT,
    _HAN_RUN_RE,
    _LATIN,
    _LATIN_BIT,
    _LATIN_RUN_RE,
    _MOJI_BIT,
    _MOJIBAKE_RE,
    _PH_BIT,
    _PH_MARK_RE,
    _RARE_BIT,
    _TRAD_BIT,
    _WM,
    _WM_BIT,
    _YEAR_DASH_RE,
    Chars,
    ScriptCounts,
    _char_kinds,
    _char_table,
    _first_class,
    _key_openings,
    _line_rule_starts,
    _matches_at,
    _placeholders,
    _rare_han_re,
    _rare_in_runs,
    _runs,
    _traditional_re,
    _year_dashes,
    looks_traditional,
    rules,
)

ROOT = Path(__file__).resolve().parent.parent

# text written for these tests: chrome lines with bullets and blanks in front, a stamp whose
# "\s*" runs over the next line, CRLF, an astral character before key rules, placeholders,
# mojibake, watermark characters, traditional script
WRITTEN = [
    "学校工作计划\n首页 > 范文 > 工作计划\n  • 发布时间：2024-03-01 10:20:00\n"
    "一、指导思想\n坚持立德树人，落实课程方案。\n上一篇：教研计划\n相关文章：\n版权所有 ©范文网\n",
    "𠀀𠀁 上传人：ab**12 文档编号：1234\r\n第1页 / 共3页\r\n点击下载文档\r\n更新时间：\r\n\r\n全文阅读已结束",
    "时间：2024-01-02 10:00\n\n  下载文档全文\n20xx年，20-年，十x五，□□学校，锟斤拷\ufffd\u200b，Ã¤Â¸Â­",
    "-年 0-年19-年 2020-年计划 1919-年 2021年 x 本校實施計劃與學習時間，發展學生，組織開展，課程與教學。" * 3,
    "ASCII only text\nCopyright 2024\nmore > lines > here\n",
    "",
    "\n",
    "\u3000\u3000•\n",
    "201x年 20__年 19＿＿年 2019x 1920xx A20xxB 20２x年 x20xx\n20XX年度 2024-2025学年 ××学校 第3页 / 共9页\n",
    "\n1、一\n2024-03-01 10:20 阅读 12\n  第 2 页/共 5 页\nTags: 计划\n20241",
    "第一段文字写到这里没有完\n结束了，后面还有很多很多的文字要继续写下去才算完整。\r\n"
    "十四个字的一行文字写在这里\n接着写下一行的内容，一共要超过十五个字才行。\n十五个字的一行文字写在这里呀\n"
    "接下来的一行也很长很长很长很长很长很长很长。\n短，\r\n\r\n  接着写\n好。短句在此\n继续写完这一句话，让它足够长足够长。\n"
    "。一二三四五六七八九十一二三\r\n继续写完这一句话，让它足够长足够长。\n标题\n\n\u3000\u3000正文开始，写一些内容。",
    "我们要认真做好本学期的教学工作，努力提高\n教学质量，让每个学生都得到充分而全面的发展。\r\n"
    "好。继续努力把各项工作做得更加扎实\r\n有效，让每个学生都得到充分而全面的发展和进步。\n"
    "好。继续努力提高\n教学质量，让每个学生都得到充分而全面的发展和进步。\n"
    "做好工作，\n\n  教学质量，让每个学生都得到充分而全面的发展和进步。\n",
    "鑫淼犇骉龘㐀豈，犇骉龘一二，三犇骉龘。鑫淼犇\n骉龘㐀\u3400\u3401\u3402\uf900𠀀犇骉龘",
    "他说：“……”Ã©，¹¤×÷¼Æ»®，Ã© x ·“”，\ue000中\ue001\ue002\ufffd\ufffd烫烫烫屯屯锟斤拷锟斤拷锟 𠀀xx×20xx ^v^ ** ＊＊ __ ＿＿＿",
]


def _real_texts() -> list[str]:
    out = []
    for folder in (ROOT / "tests" / "data", ROOT.parent / "shared", Path("/work/shared")):
        if folder.is_dir():
            for p in sorted(folder.rglob("*.txt"))[:60]:
                try:
                    out.append(p.read_text("utf-8"))
                except (UnicodeDecodeError, OSError):
                    continue
    return out


TEXTS = WRITTEN + _real_texts()


def test_character_table_says_what_the_regexes_say():
    table = _char_table()
    every = "".join(map(chr, range(_ASTRAL)))
    for bit, rx in (
        (_WM_BIT, f"[{_WM}]"),
        (_MOJI_BIT, "[\ufffd\ue000-\uf8ff锟烫屯]"),
        (_LATIN_BIT, f"[{_LATIN}]"),
        (_RARE_BIT, _rare_han_re().pattern),
        (_TRAD_BIT, _traditional_re().pattern),
        (_PH_BIT, "[xXｘＸ×□〇○^*＊_＿]"),
        (_DASH_BIT, "[-－]"),
    ):
        want = {m.start() for m in re.finditer(rx, every)}
        assert set(np.flatnonzero(table[:_ASTRAL] & bit).tolist()) == want
    assert table[_ASTRAL] == 0  # an astral character is in none of the classes
    assert table[0x4E00] & _HAN_BIT and not table[ord("a")] & _HAN_BIT


def test_first_class_of_patterns():
    assert _first_class("(?:ab|\\s*c)d") == "\\sac"
    assert _first_class("[^x]y") is None  # a negated class: unknown
    assert _first_class("x*") is None  # a match may be empty
    assert _first_class("(?=a)b") == "b"


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_fast_scans_equal_plain_scans(i):
    text = TEXTS[i]
    r = rules()
    assert _line_rule_starts(text, r) == [m.start() + 1 for m in r.line.finditer(text)]
    words = sorted({w for o in r.openings for w in o})
    want = sorted((k, m.start()) for k, w in enumerate(words) for m in re.finditer(f"(?={re.escape(w)})", text))
    assert sorted(_key_openings(text, r.automaton)) == want
    kinds = _char_kinds(text)
    chars = Chars(text)
    for bit in (_WM_BIT, _MOJI_BIT, _LATIN_BIT, _RARE_BIT, _TRAD_BIT, _PH_BIT, _DASH_BIT, _HAN_BIT):
        assert chars.positions(bit) == (np.flatnonzero(kinds & bit).tolist() if bit != _HAN_BIT else [])
        for a, b in ((0, len(text)), (3, 4000), (len(text) // 2, len(text) + 5)):
            assert chars.count(bit, a, b) == int(np.count_nonzero(kinds[a:b] & bit))
    assert Chars(text, text.encode("utf-16-le", "surrogatepass")).positions(_PH_BIT) == chars.positions(_PH_BIT)
    assert _placeholders(text, chars) == _placeholders(text)
    assert _year_dashes(text, chars) == [m.start() for m in _YEAR_DASH_RE.finditer(text)]
    for rx, bit in ((_MOJIBAKE_RE, _MOJI_BIT), (_PH_MARK_RE, _PH_BIT)):
        assert _matches_at(rx, text, chars.positions(bit)) == [m.span() for m in rx.finditer(text)]
    assert _runs(chars.positions(_LATIN_BIT), 3) == [m.span() for m in _LATIN_RUN_RE.finditer(text)]
    rare = np.flatnonzero(kinds & _RARE_BIT).tolist()
    assert rare == [m.start() for m in _rare_han_re().finditer(text)]
    assert list(_rare_in_runs(text, positions=rare)) == list(_rare_in_runs(text))
    for least in (1, 2, 3):  # each Han run of four or more, scanned on its own for rare characters
        want = [[m.start() for m in _rare_han_re().finditer(text, *run.span())] for run in _HAN_RUN_RE.finditer(text)]
        assert list(_rare_in_runs(text, least)) == [w for w in want if len(w) >= least]
    assert looks_traditional(text, chars=chars) == looks_traditional(text)
    counts = ScriptCounts(text)
    for a, b in ((0, len(text)), (len(text) // 3, len(text)), (0, 5000), (7, 307)):
        assert counts.looks_traditional(a, b) == looks_traditional(text[a : min(b, a + 4000)])


def test_traditional_text_is_seen_in_a_span():
    trad = "本校實施計劃與學習時間，發展學生，組織開展，課程與教學，專業發展與評價。" * 4
    text = "学校工作计划，发展学生。" * 50 + trad
    counts = ScriptCounts(text)
    assert counts.looks_traditional(600, len(text))
    assert not counts.looks_traditional(0, 600)


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_title_candidates_equal_a_scan_of_every_line(i):
    from plantext.split import _DOC_END_RE, _DOC_WORD_RE, _TITLE_LINE_RE, _candidate_lines

    text = TEXTS[i] + "\n小学教学工作计划\n  某校德育实施方案（试行）\r\n工作计划\n"
    for start, end in ((0, len(text)), (len(text) // 7, len(text)), (13, len(text) // 2 + 3)):
        want = [m.span() for m in _TITLE_LINE_RE.finditer(text, start, end) if _DOC_END_RE.search(m.group("line"))]
        got = [
            m.span()
            for m in _candidate_lines(_TITLE_LINE_RE, _DOC_WORD_RE, text, end, start)
            if _DOC_END_RE.search(m.group("line"))
        ]
        assert got == want


def test_noise_rows_name_the_plan_of_each_span():
    from plantext.clean import noise_rows
    from plantext.model import Source
    from plantext.split import split

    a = Source(
        "a.txt",
        "学校工作计划\n一、指导思想\n坚持立德树人，20xx年落实课程方案，全面提高教育质量。\n版权所有 ©范文网\n",
        "txt",
    )
    b = Source(
        "b.txt", "教研工作计划\n一、工作目标\n本学期xx学校开展教研活动，提高教师专业水平和课堂教学质量。\n", "txt"
    )
    plans = split(a) + split(b)
    rows = noise_rows([p.source for p in plans], plans)
    assert [(r[0], r[1], r[2], r[3] or "", r[7]) for r in rows] == [
        ("a.txt", "a.txt", "placeholder", "", "20xx"),
        ("a.txt", "", "chrome", "copyright", "版权所有 ©范文网⏎"),
        ("a.txt", "", "chrome", "footer", "版权所有 ©范文网⏎"),
        ("b.txt", "b.txt", "placeholder", "", "xx"),
    ]


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_line_rules_named_by_their_opening_character_as_by_every_rule(i, monkeypatch):
    import dataclasses
    import sys

    mod = sys.modules["plantext.clean"]
    text = TEXTS[i]
    fast = mod._chrome(text)
    plain = dataclasses.replace(rules(), lines_by_char={})
    monkeypatch.setattr(mod, "rules", lambda: plain)
    assert [(s.start, s.end, s.detail) for s in mod._chrome(text)] == [(s.start, s.end, s.detail) for s in fast]


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_pian_headers_found_with_the_line_test_as_without(i):
    from plantext.split import _PIAN_KEY_RE, _PIAN_RE, _candidate_lines, _pian_maybe

    text = TEXTS[i] + (
        "\n教师工作计划 篇1\n【篇二】\n  篇三：小学工作计划\u3000\r\n第4篇 学校计划\n（范文五）教研计划\n"
        "每人写一篇教学反思。\n\r篇6\n【 篇 七 】 \n读了这篇文章，很有收获\n範文8：計劃\n"
    )
    for end in (len(text), len(text) // 2):
        want = [m.span("line") for m in _candidate_lines(_PIAN_RE, _PIAN_KEY_RE, text, end)]
        got = [m.span("line") for m in _candidate_lines(_PIAN_RE, _PIAN_KEY_RE, text, end, maybe=_pian_maybe)]
        assert got == want


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_split_shortcuts_equal_plain_scans(i):
    from plantext.chars import SENTENCE_ENDS
    from plantext.clean import Dropped, clean, drop_spans
    from plantext.model import Source
    from plantext.split import _COLLECTION_RE, _LAST_END_RE, _PIAN_KEY_RE, _collection, _key_hits, split, truncated

    text = TEXTS[i]
    for t in (text, text + "\n工作计划（精选3篇）\n", "篇" + text):
        for end in (len(t), len(t) // 2, 0):
            got, want = _collection(t, end), _COLLECTION_RE.search(t, 0, end)
            assert (got and got.span()) == (want and want.span())
    for t in (text, text + "範文篇范范文範範文篇篇范文文", "范文" + text[:50]):
        for a, b in ((0, len(t)), (1, len(t) - 1), (len(t) // 3, len(t) // 2)):
            assert _key_hits(_PIAN_KEY_RE, t, a, b) == [m.start() for m in _PIAN_KEY_RE.finditer(t, a, b)]
    for line in [ln.strip() for ln in text.splitlines()] + ["", "。", "a。b！c", "一、目标。！", "好；"]:
        n = len(line) - 1
        m = _LAST_END_RE.match(line, 0, n)
        assert (m.end() - 1 if m else -1) == max(line.rfind(c, 0, n) for c in SENTENCE_ENDS)
    src = clean(Source("t.txt", text, "txt")) if text.strip() else None
    if src is not None:
        dropped = Dropped(drop_spans(src.noise))
        for p in split(src):
            assert truncated(p, dropped) == truncated(p)


def test_suffix_is_the_suffix_pathlib_gives():
    from plantext.ingest import _suffix

    for p in (
        "a.txt",
        "dir/a.TXT",
        "a",
        ".txt",
        "a.",
        "a..txt",
        "dir.d/file",
        "a/b.tar.gz",
        "a/",
        "a/.",
        "..",
        "x/..",
        "",
    ):
        assert _suffix(p) == Path(p).suffix, p


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_line_breaks_found_with_the_line_test_in_the_pattern_as_without(i, monkeypatch):
    import sys

    from plantext.clean import Dropped

    mod = sys.modules["plantext.clean"]
    text = TEXTS[i]
    fast = mod._line_breaks(text, Dropped([]))
    monkeypatch.setattr(mod, "_LONG_BREAK_RE", mod._BREAK_RE)
    assert mod._line_breaks(text, Dropped([])) == fast


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_digit_line_ends_are_where_the_stem_key_matches(i):
    from plantext.split import _STEM_KEY_RE, _digit_line_ends

    text = TEXTS[i] + "\n计划1\n计划2 \r\n计划 3\u3000\n计划4\r \n5\r\r\n 6\n\n12\t \n\r\n8\r\n\n7"
    for end in (len(text), len(text) - 1, len(text) // 2, 1, 0):
        want = []
        for m in _STEM_KEY_RE.finditer(text, 0, end):
            s = text.rfind("\n", 0, m.start()) + 1
            if not want or text.rfind("\n", 0, want[-1]) + 1 != s:
                want.append(m.start())
        got = _digit_line_ends(text, end)
        assert [text.rfind("\n", 0, k) + 1 for k in got] == [text.rfind("\n", 0, k) + 1 for k in want]


@pytest.mark.parametrize("i", range(len(TEXTS)))
def test_one_page_scan_finds_what_the_two_page_patterns_find(i):
    from plantext.clean import _PAGE_LINE_RE, _PAGE_MARK_RE, _page_scan

    text = TEXTS[i] + (
        "\n- 3 -\n第3页\n 第 2 页 共 8 页\r\n3/8\n12、正文\n3\n/\n8\n-\n3\n-\n1、\n2/3\n\u30004、 续\n1234、\n第\n5\n页\n7、"
    )
    marks, lines = _page_scan(text)
    assert [(m.span(), m.span(1), n) for m, n in marks] == [
        (m.span(), m.span(1), int(m.group(1))) for m in _PAGE_MARK_RE.finditer(text)
    ]
    names = ("dash", "nth", "num", "of")
    assert [(m.span(), [m.group(g) for g in names]) for m in lines] == [
        (m.span(), [m.group(g) for g in names]) for m in _PAGE_LINE_RE.finditer(text)
    ]
