"""The report's compact texts (plantext/report/textpack.py): runs shared with an earlier text
stored as copies, base85 in the page. Decoded here as the page decodes them, they must give
back every text exactly; the browser test (test_report_browser.py) checks the page does."""

from __future__ import annotations

import gzip
import json
import random
import re

import pytest
from test_report_html import GUIDE, PAIR, REF, REF2, STEP, STOCK, SUB_A

from plantext.model import Source, Target
from plantext.report.html import marks_of, render_html, report_data
from plantext.report.textpack import ALPHABET, MIN_RUN, b85, compress, decode, encode, expand, unb85
from plantext.similarity.check import check
from plantext.split import split

# written for these tests: a plan that takes two paragraphs of REF and one of REF2, edited
EDITED = (
    "城南小学2024年教师研修计划\n\n一、指导思想\n"
    + GUIDE.replace("日常教学", "课堂教学")
    + "\n\n二、主要措施\n（一）"
    + STEP
    + "\n（二）"
    + PAIR
    + "每学期末交流一次带教心得。\n三、保障\n"
    + STOCK
    + "\n"
)
# a name beyond the Basic Multilingual Plane (the page counts such characters twice)
WIDE = "𠮷田小学研修计划\n" + GUIDE + "\n" + STOCK + "\n"


def test_a_copied_run_is_stored_once():
    head, tail = "乙校计划：", "（完）"
    a = REF
    b = head + REF[20:140] + tail
    packed = compress([a, b])
    assert packed[0] == [a]  # nothing earlier to copy from
    assert packed[1] == [head, 1, 20, 120, tail]
    assert expand(packed) == [a, b]


def test_copies_reach_back_past_the_gzip_window():
    # the shared paragraph is 40,000 characters back: beyond gzip's 32 KB window
    filler = ["".join(random.Random(k).choice("春夏秋冬东南西北上下左右") for _ in range(4000)) for k in range(10)]
    texts = [REF, *filler, "丙校：" + REF[5:200]]
    packed = compress(texts)
    assert packed[-1] == ["丙校：", len(texts) - 1, 5, 195]
    assert expand(packed) == texts


@pytest.mark.parametrize("min_run", [4, MIN_RUN])
def test_every_text_comes_back_exactly(min_run):
    rnd = random.Random(5)
    texts = [REF, REF2, SUB_A, EDITED, WIDE, "", "短", REF, REF[:MIN_RUN], SUB_A + REF2]
    for _ in range(30):  # pieces of the others, cut anywhere, with edits between them
        parts = []
        for _ in range(rnd.randint(1, 6)):
            src = rnd.choice(texts)
            a = rnd.randint(0, len(src))
            parts.append(src[a : a + rnd.randint(0, 90)])
            parts.append(rnd.choice(["", "，", "改写", "\n", "𠮷"]))
        texts.append("".join(parts))
    packed = compress(texts, min_run)
    assert expand(packed) == texts
    assert decode(encode(packed)) == [[x for x in ops if x != ""] for ops in packed]
    # a text with a character beyond the BMP is stored whole and never copied from
    wide = [k for k, t in enumerate(texts) if re.search("[\U00010000-\U0010ffff]", t)]
    assert all(packed[k] == [texts[k]] for k in wide)
    backs = _copies(packed)
    assert backs and not {k - back for k, back, _, _ in backs} & set(wide)
    # the repeated REF is a single copy of the first
    assert packed[7] == [7, 0, len(REF)]


def _copies(packed):
    out = []
    for k, ops in enumerate(packed):
        j = 0
        while j < len(ops):
            if isinstance(ops[j], str):
                j += 1
            else:
                out.append((k, ops[j], ops[j + 1], ops[j + 2]))
                j += 3
    return out


def test_copies_are_long_enough_and_own_words_stay_text():
    texts = [REF, EDITED]
    packed = compress(texts)
    assert all(length >= MIN_RUN for _, _, _, length in _copies(packed))
    # the edited plan keeps its own words and copies the rest
    literal = "".join(x for x in packed[1] if isinstance(x, str))
    assert "城南小学" in literal and "课堂" in packed[1]  # 日常 -> 课堂 inside a copied sentence
    assert PAIR in literal  # from REF2, not among the texts
    assert STOCK not in literal and GUIDE[:20] not in literal and len(literal) < len(EDITED) / 2


@pytest.mark.parametrize("n", range(0, 13))
def test_base85_round_trip_and_alphabet(n):
    data = bytes(random.Random(n).randrange(256) for _ in range(n)) + b"\xff" * (n % 3)
    text = b85(data)
    assert unb85(text) == data
    assert len(text) == len(data) // 4 * 5 + (len(data) % 4 + 1 if len(data) % 4 else 0)
    assert set(text) <= set(ALPHABET)


def test_alphabet_is_safe_inside_a_script_element():
    assert len(set(ALPHABET)) == len(ALPHABET) == 85
    assert not set(ALPHABET) & set("<&\"'\\ \t\r\n")
    assert all(0x20 < ord(c) < 0x7F for c in ALPHABET)


def plans_of(texts: dict[str, str]):
    return [p for name, text in texts.items() for p in split(Source(name, text, "txt"))]


def copied_case():
    """Submissions (real check results) that share long runs with each other and the references."""
    subs = plans_of({"in/a.txt": SUB_A, "in/edited.txt": EDITED, "in/wide.txt": WIDE, "in/again.txt": EDITED + REF2})
    refs = plans_of({"refs/ref.txt": REF, "refs/ref2.txt": REF2})
    return check(subs, subs + refs), {p.id: p for p in subs + refs}, subs


def page_blob(html: str) -> tuple[dict, list]:
    """The page's packed data as the page reads it: the JSON and the texts' runs and copies."""
    body = re.search(r'id="pt-data" data-encoding="gzip\+base85">([^<]*)<', html).group(1)
    blob = gzip.decompress(unb85(body))
    n = int.from_bytes(blob[:4], "big")
    return json.loads(blob[4 : 4 + n].decode("utf-8")), decode(blob[4 + n :])


def test_the_page_data_gives_back_every_text():
    docs, plans, subs = copied_case()
    html = render_html(docs, plans, {})
    raw, packed = page_blob(html)
    assert "T" not in raw and _copies(packed)  # stored as copies, not again
    data = report_data(html)
    for i, d in enumerate(docs):
        plan = plans[d.id]
        text = data["T"][data["D"][i]["t"]]
        assert text == plan.source.text[plan.start : plan.end]
        # each mark covers the copied text at its offsets
        marks = marks_of(raw["D"][i]["m"])
        assert marks  # every submission here copies something
        for a, b, kind, _ in marks:
            assert 0 <= a < b <= len(text)
            covering = [p for p in d.passages if p.start - plan.start <= a and b <= p.end - plan.start]
            assert ["copy", "boilerplate"][kind] in {p.kind for p in covering}
    # the stretches of sources shown beside: text of the reference at the offsets given
    for d in data["D"]:
        for blk in d["s"]:
            rid = d["src"][blk[0]][0]
            ref = plans[rid]
            j, lo, segs = data["R"][rid]
            for a, b, _ in blk[1]:
                if j >= 0 and lo <= a and b <= lo + len(data["T"][j]):
                    shown = data["T"][j][a - lo : b - lo]
                else:
                    shown = next(t[a - s : b - s] for s, t in segs if s <= a and b <= s + len(t))
                assert shown == ref.source.text[a:b]


def targets_of(docs):
    """Targets written here for the first and third submissions (rows in the page's columns)."""

    def target(doc, text, value, unit, flags=()):
        return Target(doc.id, doc.id, 1, "二、主要措施", text, text, 0, len(text), value, unit=unit, flags=list(flags))

    return {
        docs[0].id: [target(docs[0], "人均不少于30学时", 30.0, "学时"), target(docs[0], "交流会两次", 2.0, "次")],
        docs[2].id: [target(docs[2], "听课不少于一节", 1.0, "节", ["qualitative"])],
    }


def test_targets_come_back_per_submission():
    docs, plans, _ = copied_case()
    data = report_data(render_html(docs, plans, targets_of(docs)))
    rows = {i: [r[:2] for r in d["tg"]["rows"]] for i, d in enumerate(data["D"]) if d.get("tg")}
    assert rows == {0: [["人均不少于30学时", "30 学时"], ["交流会两次", "2 次"]], 2: [["听课不少于一节", "1 节"]]}


def test_literal_lengths_count_utf16_units():
    texts = ["𠮷" * 3 + "乙" * 20, "甲" * 40, "丙" + "甲" * 30 + "𠮷"]
    blob = encode(compress(texts))
    m = int.from_bytes(blob[:4], "big")
    assert blob[4 : 4 + m].decode("utf-16-le") == "𠮷𠮷𠮷" + "乙" * 20 + "甲" * 40 + "丙" + "甲" * 30 + "𠮷"
    # text 0: no copies, 26 units; text 1: 40 units; text 2 (kept whole): 1 + 30 + 2 units
    assert blob[4 + m :] == bytes([0, 26, 0, 40, 0, 33])
    assert expand(decode(blob)) == texts
