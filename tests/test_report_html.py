"""The reviewer's report without a browser: escaping, structure, marks at the right text,
the stretches of sources shown, the spreadsheet. Sample plans written for these tests;
check results are built by hand with offsets found by ``str.find``."""

from __future__ import annotations

from dataclasses import replace

import lxml.html
import pytest
from report_panes import panes

from plantext.model import DocumentCheck, Passage, Ref, SectionRatio, Source, SourceRatio
from plantext.report.html import pieces, render_html, report_data, stretches, summary_rows
from plantext.split import split

REF = """阳光小学2023学年校本研修工作计划

一、指导思想
坚持以课堂为主阵地，以问题为导向，把校本研修与教师日常教学紧密结合起来，促进教师在实践中反思、在反思中成长。

二、研修目标
1. 每位教师本学年完成校本研修不少于48学时。
2. 每个教研组每学期至少开展4次主题研讨活动。
3. 青年教师每人每学期上一节汇报课，骨干教师每学期上一节示范课。
4. 全校教师信息技术应用能力测评合格率达到100%。
5. 每位教师每学期听课不少于20节，其中跨学科听课不少于5节，并写出有质量的听课反思。
6. 教研组每学年完成一项校级小课题研究，形成研究报告并在全校范围内进行交流展示。

三、主要措施
（一）推行"一课三研"制度，由教研组长牵头，先个人备课，再集体议课，最后跟进上课。
（二）建立教师成长档案，记录听课、评课和反思情况，学期末由教科室统一检查。
（三）每月举办一次"青蓝论坛"，由青年教师轮流主讲，骨干教师点评。
（四）鼓励教师撰写教学案例和论文，优秀成果在校刊上交流。

四、保障措施
学校成立校本研修领导小组，校长任组长，统筹安排研修经费，确保各项活动落到实处。
"""

REF2 = """西湖中学青年教师培养方案

为加快青年教师专业成长，结合我校实际，制定本方案。
一、培养对象
教龄五年以内的青年教师。
二、培养方式
实行师徒结对，每位青年教师由一名骨干教师担任导师，师徒每周互相听课不少于一节。
三、考核办法
学年末由学校组织考核，考核结果记入教师业务档案。
"""

SUB_A = """临江县实验中学教师培训工作方案

一、总体思路
坚持以课堂为主阵地，以问题为导向，把校本研修与教师日常教学紧密结合起来，促进教师在实践中反思、在反思中成长。

二、工作任务
1. 全体教师参加县级以上集中培训，人均不少于30学时。
2. 组织“师德讲堂”读书交流会两次，邀请县教研室专家逐一点评，由工会负责。

三、实施步骤
（一）推行"一课三研"制度，由教研组长牵头，先个人备课，再集体议课，最后跟进上课。
（二）九月份完成培训需求调查，十月份起分批实施。
（三）实行师徒结对，每位青年教师由一名骨干教师担任导师，师徒每周互相听课不少于一节。

四、保障措施
学校成立校本研修领导小组，校长任组长，统筹安排研修经费，确保各项活动落到实处。
"""

HOSTILE = """新民小学班主任培训计划<script>alert("x")</script>

一、培训目标
全体班主任每学期参加专题培训不少于12学时。<img src=x onerror="document.title='pwned'">

二、培训内容
组织“师德讲堂”读书交流会两次，邀请县教研室专家逐一点评，由工会负责。
</b></div></section><script>window.__pwned = 1</script><mark data-p="p1-0">fake</mark>
"""

GUIDE = "坚持以课堂为主阵地，以问题为导向，把校本研修与教师日常教学紧密结合起来，促进教师在实践中反思、在反思中成长。"
STEP = '推行"一课三研"制度，由教研组长牵头，先个人备课，再集体议课，最后跟进上课。'
PAIR = "实行师徒结对，每位青年教师由一名骨干教师担任导师，师徒每周互相听课不少于一节。"
STOCK = "学校成立校本研修领导小组，校长任组长，统筹安排研修经费，确保各项活动落到实处。"
READING = "组织“师德讲堂”读书交流会两次，邀请县教研室专家逐一点评，由工会负责。"


def plan_of(path: str, text: str):
    [plan] = split(Source(path, text, "txt"))
    return plan


def passage(sub: str, ref_id: str, ref: str, frag: str, kind: str = "copy", score: float = 1.0) -> Passage:
    s, r = sub.find(frag), ref.find(frag)
    assert s >= 0 and r >= 0, frag
    return Passage(s, s + len(frag), kind, score, Ref(ref_id, r, r + len(frag)))


def sample_case():
    """(docs, plans): two submissions checked against two references and each other."""
    plans = {
        p.id: p
        for p in (
            plan_of("refs/ref.txt", REF),
            plan_of("refs/ref2.txt", REF2),
            plan_of("in/a.txt", SUB_A),
            plan_of("in/hostile.txt", HOSTILE),
        )
    }
    a = plans["in/a.txt"]
    pa = [
        passage(SUB_A, "refs/ref.txt", REF, GUIDE, score=0.98),
        passage(SUB_A, "refs/ref.txt", REF, STEP, score=0.95),
        passage(SUB_A, "refs/ref2.txt", REF2, PAIR, score=0.9),
        passage(SUB_A, "refs/ref.txt", REF, STOCK, kind="boilerplate", score=0.88),
    ]
    n = len(a.text)
    copy = (len(GUIDE) + len(STEP) + len(PAIR)) / n
    doc_a = DocumentCheck(
        "in/a.txt",
        "in/a.txt",
        1,
        copy,
        len(STOCK) / n,
        pa,
        (len(GUIDE) + len(STEP)) / n,
        "refs/ref.txt",
        sections=[
            SectionRatio("一、总体思路", "guide", SUB_A.find("一、总体思路"), SUB_A.find("二、工作任务"), 0.9),
            SectionRatio("三、实施步骤", "measures", SUB_A.find("三、实施步骤"), SUB_A.find("四、保障措施"), 0.6),
        ],
        sources=[
            SourceRatio("refs/ref.txt", (len(GUIDE) + len(STEP)) / n),
            SourceRatio("refs/ref2.txt", len(PAIR) / n),
        ],
        title=a.title,
    )
    h = plans["in/hostile.txt"]
    ph = [
        passage(HOSTILE, "in/a.txt", SUB_A, READING, score=0.93),
        # a stored plan whose text is not at hand (checked against an index)
        Passage(HOSTILE.find("全体班主任"), HOSTILE.find("全体班主任") + 10, "copy", 0.8, Ref("library#7", 100, 110)),
    ]
    doc_h = DocumentCheck(
        "in/hostile.txt",
        "in/hostile.txt",
        1,
        (len(READING) + 10) / len(h.text),
        0.0,
        ph,
        len(READING) / len(h.text),
        "in/a.txt",
        sources=[SourceRatio("in/a.txt", len(READING) / len(h.text)), SourceRatio("library#7", 10 / len(h.text))],
        title=h.title,
        flags=["<b>odd</b>"],
    )
    return [doc_a, doc_h], plans


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")


@pytest.fixture
def case():
    docs, plans = sample_case()
    return docs, plans, render_html(docs, plans, title="测试报告 <i>x</i>", against=["refs/"])


def marks(el, side: str):
    return [(m.get("data-p"), m.get("class"), m.text_content()) for m in el.cssselect(f".pane.{side} mark")]


def test_hostile_text_is_text(case):
    docs, plans, html = case
    tree = lxml.html.fromstring(html)
    # the only script that runs is the report's own; the rest is data (JSON, base85)
    assert len(tree.xpath("//script[not(@type)]")) == 1
    assert {s.get("type") for s in tree.xpath("//script[@type]")} == {"application/json", "application/octet-stream"}
    assert "alert" not in html.split("<script>")[-1]
    assert tree.xpath("//img") == [] and tree.xpath("//i") == [] and tree.xpath("//b") == []
    assert "__pwned" not in html and "<mark data-p=" not in html  # document text lives only in the packed data
    # the packed text holds the document exactly; the page sets it with textContent
    p = panes(html)[1]
    assert '<script>alert("x")</script>' in p.text and "<img src=x onerror=\"document.title='pwned'\">" in p.text
    assert [m[2] for m in p.marks].count("fake") == 0 and '<mark data-p="p1-0">fake</mark>' in p.text
    assert tree.cssselect("title")[0].text == "测试报告 <i>x</i>"
    sec = tree.get_element_by_id("d1")
    assert [f.text for f in sec.cssselect(".flag")] == ["<b>odd</b>"]


def test_submission_text_whole_and_marked(case):
    docs, plans, html = case
    p = panes(html)[0]
    # the pane holds the plan's text exactly
    assert p.text == plans["in/a.txt"].text
    # fragments numbered in submission order; boilerplate is coloured but not numbered
    assert p.marks == [("p0-1", "cp", GUIDE), ("p0-2", "cp", STEP), ("p0-3", "cp", PAIR), (None, "bp", STOCK)]


def test_source_side_shows_matching_stretches(case):
    docs, plans, html = case
    blocks = panes(html)[0].sources
    assert [b.id for b in blocks] == ["refs/ref.txt", "refs/ref2.txt"]
    assert blocks[0].marks == [("p0-1", GUIDE), ("p0-2", STEP)]  # the same numbers as on the submission side
    # only stretches around the passages, at their real offsets in the reference
    for a, b, text in blocks[0].stretches:
        assert text == REF[a:b]
    shown = "".join(t for _, _, t in blocks[0].stretches)
    assert "全校教师信息技术应用能力测评合格率" not in shown  # far from every passage
    assert "统筹安排研修经费" not in shown  # boilerplate: not shown beside
    assert len(blocks[0].stretches) == 2 and blocks[0].gaps == 2
    assert blocks[1].marks == [("p0-3", PAIR)]
    # what is stored of a reference is what is shown of it, once
    data = report_data(html)
    stored = "".join(t for _, t in data["R"]["refs/ref.txt"][2])
    assert "全校教师信息技术应用能力测评合格率" not in stored and GUIDE in stored


def test_missing_reference_listed_without_text(case):
    docs, plans, html = case
    p = panes(html)[1]
    assert [b.id for b in p.sources] == ["in/a.txt", "library#7"]
    assert p.sources[1].stretches == [] and p.sources[0].marks == [("p1-2", READING)]
    assert [m[2] for m in p.marks] == ["全体班主任每学期参加", READING]
    assert [r[0] for r in p.table] == ["in/a.txt", "library#7"]


def test_summary_rows_and_sections(case):
    docs, plans, html = case
    tree = lxml.html.fromstring(html)
    rows = tree.cssselect("#summary tbody tr")
    # highest copy ratio first
    order = sorted(range(len(docs)), key=lambda i: -docs[i].copy_ratio)
    assert [int(r.get("data-doc")) for r in rows] == order
    assert [float(r.cssselect("td.ratio")[0].get("data-v")) for r in rows] == [docs[i].copy_ratio for i in order]
    a = rows[order.index(0)]
    assert a.cssselect("td")[5].text == plans["refs/ref.txt"].title  # the source by its title
    assert f"{100 * docs[0].copy_ratio:.1f}%" in a.cssselect("td.ratio")[0].text_content()
    p = panes(html)[0]
    assert [r[0] for r in p.sections] == ["一、总体思路", "三、实施步骤"]
    assert [r[0] for r in p.table] == ["refs/ref.txt", "refs/ref2.txt"]
    # 总字数 and 重复字数 are the check's figures (Plan.chars: letters and digits)
    # (this check is made by hand, without them: counted from the plan alike)
    total = plans["in/a.txt"].chars
    assert docs[0].total_chars == 0 and total < sum(1 for c in plans["in/a.txt"].text if not c.isspace())
    assert p.findings["copied / total characters"] == f"{round(docs[0].copy_ratio * total)} / {total} characters"
    assert p.findings["suspected fragments"] == "3"
    frags = p.fragments
    g, r = SUB_A.find(GUIDE), REF.find(GUIDE)
    assert len(frags) == 3 and frags[0] == [1, g, g + len(GUIDE), 0, r, r + len(GUIDE), 0.98]
    assert [f[3] for f in frags] == [0, 0, 1]
    assert summary_rows(docs, plans)[1]["flags"] == ["<b>odd</b>"]


def test_targets_listed():
    from plantext.model import Target

    docs, plans = sample_case()
    q = "不少于30学时"
    t = Target(
        "in/a.txt",
        "in/a.txt",
        1,
        "二、工作任务",
        "",
        q,
        SUB_A.find(q),
        SUB_A.find(q) + len(q),
        30.0,
        unit="学时",
        comparator="不少于",
        flags=["<x>"],
    )
    bad = Target(
        "in/a.txt",
        "in/a.txt",
        1,
        "</script><script>alert(1)</script>",
        "",
        "1—2次",
        0,
        1,
        1.0,
        value_max=2.0,
        unit="次",
        per="每月",
        responsible="教务处 & 教科室",
    )
    html = render_html(docs, plans, {"in/a.txt": [t, bad, t]})
    data = panes(html)[0].targets  # the page lays these out when the list is opened (textContent)
    assert data["sec"] == ["二、工作任务", "</script><script>alert(1)</script>"]
    assert data["rows"] == [
        [q, "30 学时", "不少于", "", "", 0, ["<x>"]],
        ["1—2次", "1–2 次", "每月", "", "教务处 & 教科室", 1, []],
        [q, "30 学时", "不少于", "", "", 0, ["<x>"]],
    ]
    assert panes(html)[1].targets is None
    assert "</script><script>" not in html  # packed: nothing in it can end the script element


def test_pieces_overlap_and_merge():
    text = "abcdefghij"
    # two passages overlapping on 'de': the overlap counts as boilerplate, as in the ratios
    got = pieces(text, 100, [(102, 105, 0, "boilerplate", 0.5), (103, 107, 1, "copy", 0.9)])
    assert [(p.text, p.passages, p.kind) for p in got] == [
        ("ab", (), None),
        ("c", (0,), "boilerplate"),
        ("de", (0, 1), "boilerplate"),
        ("fg", (1,), "copy"),
        ("hij", (), None),
    ]
    assert "".join(p.text for p in got) == text
    # spans outside the text are clipped away
    assert [(p.text, p.passages) for p in pieces(text, 100, [(90, 101, 0, "copy", 1.0), (110, 120, 1, "copy", 1)])] == [
        ("a", (0,)),
        ("bcdefghij", ()),
    ]


def test_stretches_context_and_merging():
    assert stretches((0, 1000), [(500, 510)], context=20) == [(480, 530)]
    assert stretches((0, 1000), [(10, 20), (50, 60)], context=20) == [(0, 80)]  # overlapping: one stretch
    assert stretches((0, 1000), [(10, 20), (80, 90)], context=20) == [(0, 110)]  # a gap of 20: shown
    assert stretches((0, 1000), [(10, 20), (300, 310)], context=20) == [(0, 40), (280, 330)]
    assert stretches((100, 200), [(190, 199)], context=20) == [(170, 200)]


def test_stretches_end_at_sentence_boundaries():
    text = "第一句话到此为止。第二句很长很长的话，中间有逗号，然后才结束。\n第三句：被抄的内容在这里。第四句接着说别的事情，直到句号。第五句也不短，一直写到这里才停下。"  # noqa: E501
    s = text.find("被抄的内容在这里。")
    e = s + len("被抄的内容在这里。")
    [(a, b)] = stretches((0, len(text)), [(s, e)], context=20, text=text)
    assert text[a:b] == "第三句：被抄的内容在这里。第四句接着说别的事情，直到句号。"
    # no boundary within reach: the context is kept as it is
    [(a, b)] = stretches((0, len(text)), [(s, e)], context=3, text=text)
    assert (a, b) == (s - 3, e + 3)


def test_passages_outside_the_plan_are_skipped():
    docs, plans = sample_case()
    a = plans["in/a.txt"]
    docs[0].passages.append(Passage(a.end + 5, a.end + 9, "copy", 1.0, Ref("refs/ref.txt", 0, 4)))
    docs[0].passages.append(Passage(40, 40, "copy", 1.0, Ref("refs/ref.txt", 0, 4)))
    p = panes(render_html(docs, plans))[0]
    assert len(p.marks) == 4 and len(p.fragments) == 3
    assert p.text == a.text


def test_empty_report():
    tree = lxml.html.fromstring(render_html([], {}))
    assert tree.cssselect("#summary tbody tr") == [] and "No submissions" in tree.text_content()


def test_xlsx_sheets(tmp_path):
    from openpyxl import load_workbook

    from plantext.report.files import OutputExists
    from plantext.report.xlsx import write_xlsx

    docs, plans = sample_case()
    out = tmp_path / "report.xlsx"
    write_xlsx(out, docs, plans)
    wb = load_workbook(out)
    assert wb.sheetnames == ["summary", "passages", "sections"]
    summary = list(wb["summary"].values)
    assert summary[0][:5] == ("id", "title", "school · place · year", "copy_ratio", "copy_ratio_without_quotes")
    assert [r[0] for r in summary[1:]] == ["in/a.txt", "in/hostile.txt"]  # highest first
    assert summary[1][3] == pytest.approx(docs[0].copy_ratio, abs=5e-5)
    rows = list(wb["passages"].values)
    assert rows[0] == (
        "submission",
        "fragment",
        "start",
        "end",
        "text",
        "source",
        "source_title",
        "source_start",
        "source_end",
        "source_text",
        "kind",
        "score",
    )
    first = rows[1]
    assert first[:6] == ("in/a.txt", 1, SUB_A.find(GUIDE), SUB_A.find(GUIDE) + len(GUIDE), GUIDE, "refs/ref.txt")
    assert REF[first[7] : first[8]] == GUIDE and first[10] == "copy"
    assert rows[-1][5] == "library#7" and rows[-1][9] is None  # text not at hand: empty cell
    assert len(rows) == 1 + 6
    with pytest.raises(OutputExists):
        write_xlsx(out, docs, plans)
    write_xlsx(out, docs, plans, force=True)


def test_xlsx_headers_in_chinese(tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from plantext.report.xlsx import write_xlsx

    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    docs, plans = sample_case()
    write_xlsx(tmp_path / "r.xlsx", docs, plans)
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["汇总", "片段", "章节"]
    head = list(wb["汇总"].values)[0]
    assert head[:9] == (
        "送检文件",
        "标题",
        "单位 · 地区 · 年份",
        "总文字复制比",
        "去除引用后的复制比",
        "单篇最大文字复制比",
        "最大来源",
        "最大来源标题",
        "重复字数",
    )
    rows = list(wb["片段"].values)
    assert rows[0][:2] == ("送检文件", "片段编号") and rows[1][10] == "复制"


def test_stretch_found_in_many_sources_shown_beside_the_best():
    """A template sentence found in five references: one mark, beside the best-ranked source;
    the sources table still lists all five."""
    docs, plans = sample_case()
    d = docs[0]
    s = SUB_A.find(STEP)
    refs = []
    for n in range(5):
        rid = f"refs/t{n}.txt"
        text = f"第{n + 1}份参考计划\n（二）{STEP}\n其余内容各不相同，编号{n}。\n"
        plans[rid] = plan_of(rid, text)
        r = text.find(STEP)
        refs.append(Passage(s, s + len(STEP), "copy", 0.5 + n / 10, Ref(rid, r, r + len(STEP))))
    docs[0] = replace(
        d,
        passages=[p for p in d.passages if p.start != s] + refs,
        sources=(
            [SourceRatio("refs/t2.txt", 0.2), SourceRatio("refs/t4.txt", 0.1)]
            + d.sources
            + [SourceRatio(f"refs/t{n}.txt", 0.05) for n in (0, 1, 3)]
        ),
    )
    html = render_html(docs, plans)
    p = panes(html)[0]
    # t2: the largest source overall, though t4 scores higher here
    assert [m for m in p.marks if m[2] == STEP] == [("p0-2", "cp", STEP)]
    blocks = [b.id for b in p.sources]
    assert "refs/t2.txt" in blocks and not {"refs/t0.txt", "refs/t1.txt", "refs/t3.txt", "refs/t4.txt"} & set(blocks)
    rows = [r[0] for r in p.table]
    assert rows[:2] == ["refs/t2.txt", "refs/t4.txt"] and {f"refs/t{n}.txt" for n in range(5)} <= set(rows)
    assert len(p.fragments) == 3


def test_cleaning_spans_shown_as_such():
    from plantext.model import Span

    docs, plans = sample_case()
    a = plans["in/a.txt"]
    s = SUB_A.find("九月份")
    g = SUB_A.find(GUIDE)
    a.noise = [Span(s, s + 3, "placeholder", drop=False), Span(g + 5, g + 12, "page-residue")]
    p = panes(render_html(docs, plans))[0]
    assert sorted(p.noise) == [(g + 5, g + 12, "page-residue"), (s, s + 3, "placeholder")]
    # the passage is still one fragment
    assert [m for m in p.marks if m[0] == "p0-1"] == [("p0-1", "cp", GUIDE)]
    assert p.text == a.text


def test_stock_phrases_listed_apart():
    from importlib import resources

    listing = resources.files("plantext.resources").joinpath("stock_phrases.txt").read_text("utf-8")
    phrase = next(line for line in listing.splitlines() if line and not line.startswith("#"))
    r = listing.find(phrase)
    docs, plans = sample_case()
    text = f"新学期计划\n我们{phrase}，做好各项工作。\n"
    plans["in/s.txt"] = plan_of("in/s.txt", text)
    s = text.find(phrase)
    docs = [
        DocumentCheck(
            "in/s.txt",
            "in/s.txt",
            1,
            0.0,
            len(phrase) / len(text),
            [Passage(s, s + len(phrase), "boilerplate", 1.0, Ref("plantext:stock_phrases.txt", r, r + len(phrase)))],
        )
    ]
    html = render_html(docs, plans)
    p = panes(html)[0]
    assert p.sources == [] and p.marks == [(None, "bp", phrase)] and p.fragments == []
    assert p.table == []  # not a source of copying ...
    [item] = p.stock  # ... but listed apart, with how much of it
    assert "stock phrases shipped with plantext" in item and f"{len(phrase)} characters" in item


def test_submission_without_text_still_listed():
    docs, plans = sample_case()
    del plans["in/a.txt"]  # e.g. a result loaded from check.json without its file
    p = panes(render_html(docs, plans))[0]
    assert p.text is None
    assert [b.id for b in p.sources] == ["refs/ref.txt", "refs/ref2.txt"]
    assert p.sources[1].marks == [("p0-3", PAIR)]


def test_boilerplate_inside_a_copied_stretch():
    """A plan lifted whole from one source, stock sentences and all: the stock sentences are
    coloured boilerplate (as the ratios count them) but shown beside the source it came from."""
    docs, plans = sample_case()
    d = docs[0]
    whole = SUB_A.find("一、总体思路"), SUB_A.find(STOCK) + len(STOCK)
    s = SUB_A.find(STOCK)
    docs[0] = replace(
        d,
        passages=[
            Passage(whole[0], whole[1], "copy", 0.9, Ref("refs/ref.txt", 0, len(REF))),
            Passage(s, s + len(STOCK), "boilerplate", 1.0, Ref("refs/ref2.txt", 0, 10)),
        ],
        sources=[SourceRatio("refs/ref.txt", 0.8)],
    )
    p = panes(render_html(docs, plans))[0]
    assert [(m[0], m[1]) for m in p.marks] == [("p0-1", "cp"), ("p0-1", "bp")]
    assert p.marks[1][2] == STOCK and p.marks[0][2] + p.marks[1][2] == SUB_A[whole[0] : whole[1]]
    assert [b.id for b in p.sources] == ["refs/ref.txt"]


def test_xlsx_stock_phrase_rows_carry_the_phrase_and_ratios_are_rounded(tmp_path):
    from openpyxl import load_workbook

    from plantext.report.xlsx import write_xlsx
    from plantext.similarity.check import check

    text = (
        "北岸小学教研计划\n一、指导思想\n本学期以习近平新时代中国特色社会主义思想为指导，"
        "结合学校实际，组织教师每周三下午集体备课，轮流说课、评课，每人每学期写三篇反思。\n"
    )
    sub = split(Source("sub.txt", text, "txt"))[0]
    docs = check([sub], [])
    out = tmp_path / "r.xlsx"
    write_xlsx(out, docs, {sub.id: sub})
    wb = load_workbook(out)
    rows = [r for r in list(wb["passages"].values)[1:] if r[5] == "plantext:stock_phrases.txt"]
    assert {r[4] for r in rows} >= {"以习近平新时代中国特色社会主义思想为指导", "结合学校实际"}
    assert all(r[9] and r[9].replace(" ", "") == r[4] for r in rows)  # the phrase, as listed
    ratio = list(wb["summary"].values)[1][12]
    assert 0 < ratio < 1 and round(ratio, 4) == ratio
