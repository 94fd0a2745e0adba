"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) opens the file
from disk; the tests read the rendered DOM. Skipped when Chromium or playwright is missing."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from test_report_html import GUIDE, PAIR, READING, STEP, STOCK, sample_case

from plantext.i18n import tr
from plantext.model import Target
from plantext.report.findings import DEFAULT_THRESHOLDS, band
from plantext.report.html import render_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    exe = os.environ.get("PLANTEXT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("no chromium")
    return exe


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    docs, plans = sample_case()
    path = tmp_path_factory.mktemp("report") / "report.html"
    bad = '<img src=x onerror="window.__t = 1">不少于12学时</script>'
    targets = {
        "in/hostile.txt": [
            Target(
                "in/hostile.txt",
                "in/hostile.txt",
                1,
                "一、培训目标",
                "",
                bad,
                0,
                5,
                12.0,
                unit="学时",
                comparator="不少于",
                flags=["<b>"],
            )
        ]
    }
    old = os.environ.get("PLANTEXT_LANG")
    os.environ["PLANTEXT_LANG"] = "zh"  # the reviewer's language: asserted on below
    try:
        path.write_text(render_html(docs, plans, targets, title="复制检测"), encoding="utf-8")
    finally:
        if old is None:
            del os.environ["PLANTEXT_LANG"]
        else:
            os.environ["PLANTEXT_LANG"] = old
    return docs, plans, path


@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        # playwright gives every launch a fresh temporary profile (user data dir)
        b = pw.chromium.launch(executable_path=exe, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, report):
    ctx = browser.new_context(viewport={"width": 1200, "height": 500})
    pg = ctx.new_page()
    pg.dialogs, pg.requests, pg.errors = [], [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(report[2].as_uri(), wait_until="load")
    pg.wait_for_selector("body[data-ready]")
    yield pg
    ctx.close()


def open_doc(page, i: int) -> None:
    """Scroll submission ``i`` into view: its panes are laid out when they come near the screen."""
    page.locator(f"#d{i} .cols").scroll_into_view_if_needed()
    page.wait_for_selector(f"#d{i} .pane.sub mark")
    # on a busy machine the text may be laid out a moment after the first mark
    page.wait_for_function(f"() => (document.querySelector('#d{i} .pane.sub .text') || {{}}).textContent")


# the text of each mark without its fragment number (a <sup> at the start of a fragment)
MARKS = """(sel) => Array.from(document.querySelectorAll(sel)).map(m => [m.dataset.p || null, m.className,
  Array.from(m.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join("")])"""
NUMBERS = """(sel) => Array.from(document.querySelectorAll(sel + " sup.no")).map(s => s.textContent)"""
IN_VIEW = """([pane, mark]) => { const p = document.querySelector(pane).getBoundingClientRect();
  const m = document.querySelector(mark).getBoundingClientRect();
  return m.top >= p.top - 1 && m.bottom <= p.bottom + 1; }"""


# the text of each element without the fragment numbers
TEXTS = """(sel) => Array.from(document.querySelectorAll(sel)).map(t => {
    const c = t.cloneNode(true); c.querySelectorAll('sup').forEach(s => s.remove()); return c.textContent; })"""


def test_chinese_labels_numbered_pairs_and_copied_characters(page, report):
    docs, plans, _ = report
    heads = page.locator("#summary thead th").all_inner_texts()
    assert [h.strip(" ▲▼") for h in heads[:5]] == [
        "序号",
        "送检文件",
        "总文字复制比",
        "去除引用后的复制比",
        "单篇最大文字复制比",
    ]
    assert "重复字数 / 总字数" in heads and "判定" in heads
    open_doc(page, 0)
    findings = dict(
        zip(page.locator("#d0 dl.findings dt").all_inner_texts(), page.locator("#d0 dl.findings dd").all_inner_texts())
    )
    # the check's own figures (Plan.chars), as in its JSON
    # (a check made by hand, without them: counted from the plan alike)
    total = plans["in/a.txt"].chars
    assert findings["重复字数 / 总字数"] == f"{round(docs[0].copy_ratio * total)} / {total} 字"
    assert findings["总文字复制比"] == f"{100 * docs[0].copy_ratio:.1f}%"
    assert findings["疑似片段"] == "3"
    # fragments numbered on both sides: ①② from the first source, ③ from the second
    assert page.evaluate(NUMBERS, "#d0 .pane.sub") == ["①", "②", "③"]
    assert page.evaluate(NUMBERS, "#d0 .pane.ref .src[data-ref='refs/ref.txt']") == ["①", "②"]
    assert page.evaluate(NUMBERS, "#d0 .pane.ref .src[data-ref='refs/ref2.txt']") == ["③"]
    assert page.locator("#d0 .pane-head").all_inner_texts() == ["送检文件全文", "来源对照"]
    expected = tr(f"report.band.{band(docs[0].copy_ratio, DEFAULT_THRESHOLDS)}", "zh")
    assert expected in ("中度复制", "重度复制") and page.locator("#d0 h2 .verdict").inner_text() == expected
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#d0").screenshot(path=str(ARTIFACTS / "report-submission.png"))


def test_summary_and_marks(page, report):
    docs = report[0]
    rows = page.locator("#summary tbody tr")
    assert rows.count() == 2
    order = sorted(range(2), key=lambda i: -docs[i].copy_ratio)  # highest first
    assert page.evaluate("Array.from(document.querySelectorAll('#summary tbody tr')).map(r => +r.dataset.doc)") == order
    first = rows.nth(order.index(0))
    assert first.locator("td:nth-child(2) a").inner_text() == "临江县实验中学教师培训工作方案"
    assert first.locator("td:nth-child(3)").inner_text().strip() == f"{100 * docs[0].copy_ratio:.1f}%"
    assert first.locator("td:nth-child(6)").inner_text() == "阳光小学2023学年校本研修工作计划"
    open_doc(page, 0)
    assert page.evaluate(MARKS, "#d0 .pane.sub mark") == [
        ["p0-1", "cp", GUIDE],
        ["p0-2", "cp", STEP],
        ["p0-3", "cp", PAIR],
        [None, "bp", STOCK],
    ]
    # the source side: the same fragments, marked, under their sources
    assert page.evaluate(MARKS, "#d0 .pane.ref .src[data-ref='refs/ref.txt'] mark") == [
        ["p0-1", "cp", GUIDE],
        ["p0-2", "cp", STEP],
    ]
    assert page.evaluate(MARKS, "#d0 .pane.ref .src[data-ref='refs/ref2.txt'] mark") == [["p0-3", "cp", PAIR]]
    colour = "(sel) => getComputedStyle(document.querySelector(sel)).backgroundColor"
    assert page.evaluate(colour, "#d0 .pane.sub mark.cp") != page.evaluate(colour, "#d0 .pane.sub mark.bp")
    # opened from disk, nothing fetched from anywhere
    assert all(u.startswith(("file:", "blob:", "data:")) for u in page.requests), page.requests
    assert page.errors == []


def test_click_scrolls_the_other_side(page):
    open_doc(page, 0)
    ref_pane, sub_pane = "#d0 .pane.ref", "#d0 .pane.sub"
    target = "#d0 .pane.ref mark[data-p~='p0-3']"
    assert page.evaluate(IN_VIEW, [ref_pane, target]) is False  # below the fold before the click
    page.locator("#d0 .pane.sub mark[data-p~='p0-3']").click()
    assert page.evaluate(f"document.querySelector('{ref_pane}').scrollTop") > 0
    assert page.evaluate(IN_VIEW, [ref_pane, target]) is True
    assert page.evaluate(MARKS, "#d0 .pane mark.on") == [["p0-3", "cp on", PAIR]] * 2

    # and back: a fragment on the source side brings the submission's copy into view
    back = "#d0 .pane.sub mark[data-p~='p0-1']"
    page.evaluate(f"(s => s.scrollTop = s.scrollHeight)(document.querySelector('{sub_pane}'))")
    page.evaluate(f"document.querySelector('{ref_pane}').scrollTop = 0")
    assert page.evaluate(IN_VIEW, [sub_pane, back]) is False
    page.locator("#d0 .pane.ref mark[data-p~='p0-1']").click()
    assert page.evaluate(IN_VIEW, [sub_pane, back]) is True

    # the fragment list scrolls both panes
    page.evaluate(f"document.querySelector('{ref_pane}').scrollTop = 0")
    page.locator("#d0 details.passages summary").click()
    page.wait_for_selector("#d0 details.passages tbody tr")  # rows are laid out on the (async) toggle event
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('#d0 details.passages tbody tr'))"
        ".map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    assert [r[0] for r in rows] == ["①", "②", "③"]
    assert [r[4] for r in rows] == ["阳光小学2023学年校本研修工作计划"] * 2 + ["西湖中学青年教师培养方案"]
    assert rows[2][6] == PAIR[:29] + "…" and rows[1][6] == STEP[:29] + "…"
    page.locator("#d0 a.goto[data-p='p0-3']").click()
    assert page.evaluate(IN_VIEW, [ref_pane, target]) is True


def test_hostile_text_stays_text(page):
    open_doc(page, 1)
    assert page.dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.title() == "复制检测"
    assert page.locator("img").count() == 0 and page.locator("script:not([type])").count() == 1
    text = page.locator("#d1 .pane.sub .text").inner_text()
    assert '<script>alert("x")</script>' in text
    assert "<img src=x onerror=\"document.title='pwned'\">" in text
    assert page.evaluate(MARKS, "#d1 .pane.sub mark") == [
        ["p1-1", "cp", "全体班主任每学期参加"],
        ["p1-2", "cp", READING],
    ]
    assert page.locator("#d1 .src[data-ref='library#7']").inner_text().count("来源文字不可用") == 1
    # a fragment from a source without text: a click points at that source's note
    page.locator("#d1 .pane.sub mark[data-p~='p1-1']").click()
    assert page.evaluate("document.querySelector('#d1 .src[data-ref=\"library#7\"] .muted').classList.contains('on')")
    # the targets, laid out when opened, stay text too
    page.locator("#d1 details.targets summary").click()
    page.wait_for_selector("#d1 table.targets td")
    cells = page.evaluate("Array.from(document.querySelectorAll('#d1 table.targets td')).map(c => c.textContent)")
    assert cells == [
        '<img src=x onerror="window.__t = 1">不少于12学时</script> <b>',
        "12 学时",
        "不少于",
        "",
        "",
        "一、培训目标",
    ]
    assert page.locator("img").count() == 0 and page.evaluate("window.__t") is None
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)


def test_summary_sorts(page, report):
    docs = report[0]
    by_copy = sorted(range(len(docs)), key=lambda i: docs[i].copy_ratio)
    order = "Array.from(document.querySelectorAll('#summary tbody tr')).map(r => +r.dataset.doc)"
    page.locator("#summary th", has_text="总文字复制比").click()
    assert page.evaluate(order) == by_copy
    page.locator("#summary th", has_text="总文字复制比").click()
    assert page.evaluate(order) == by_copy[::-1]
    page.locator("#summary th", has_text="序号").click()
    assert page.evaluate(order) == [0, 1]


def test_prints_whole(page):
    page.emulate_media(media="print")
    style = "(sel) => { const s = getComputedStyle(document.querySelector(sel)); return [s.overflowY, s.maxHeight]; }"
    assert page.evaluate(style, "#d0 .pane.ref") == ["visible", "none"]  # nothing hidden in a scroll box
    assert page.evaluate("getComputedStyle(document.querySelector('#d1')).breakBefore") == "page"
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("Array.from(document.querySelectorAll('details')).every(d => d.open)")
    assert page.locator("#d1 .pane.sub mark").count() == 2  # every pane laid out for print
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate("Array.from(document.querySelectorAll('details')).some(d => !d.open)")
    pdf = page.pdf()
    assert pdf[:5] == b"%PDF-" and len(pdf) > 10000


def test_summary_filters(page, report):
    docs = report[0]
    visible = (
        "Array.from(document.querySelectorAll('#summary tbody tr')).filter(r => !r.hidden).map(r => +r.dataset.doc)"
    )
    page.fill("#find", "HOSTILE")
    assert page.evaluate(visible) == [1]
    page.fill("#find", "")
    least = min(d.copy_ratio for d in docs)
    page.fill("#min-copy", f"{100 * least + 1:.0f}")
    assert page.evaluate(visible) == [i for i, d in enumerate(docs) if d.copy_ratio > least]
    assert "已显示 1 / 2" in page.locator("#shown-count").inner_text()


def test_a_long_overview_fills_in_from_the_data(browser, tmp_path):
    """Past the first rows, the overview's rows come from the packed data after the page opened:
    all of them, highest copy ratio first, and sorting still works over every row."""
    import copy

    docs, plans = sample_case()
    many = []
    for n in range(150):
        d = replace(copy.deepcopy(docs[n % 2]), copy_ratio=round((n * 37 % 150) / 150, 4))
        many.append(d)
    path = tmp_path / "many.html"
    path.write_text(render_html(many, plans), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1200, "height": 500})
    pg = ctx.new_page()
    pg.goto(path.as_uri(), wait_until="load")
    pg.wait_for_function("document.querySelectorAll('#summary tbody tr').length === 150")
    order = "Array.from(document.querySelectorAll('#summary tbody tr')).map(r => +r.dataset.doc)"
    assert pg.evaluate(order) == sorted(range(150), key=lambda i: (-many[i].copy_ratio, i))
    pg.locator("#summary th").nth(0).click()
    assert pg.evaluate(order) == list(range(150))
    ctx.close()


def test_print_overview_fits_the_page(browser, tmp_path, monkeypatch):
    """The PDF's overview table on A4: no header or verdict wider than its column (Chinese
    headers wrap; before, nowrap headers ran into each other and the verdict off the page)."""
    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    docs, plans = sample_case()
    path = tmp_path / "print.html"
    path.write_text(render_html(docs, plans, title="复制检测", template="print.html.j2"), encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 714, "height": 1000})  # A4 less the margins, at 96 dpi
    pg = ctx.new_page()
    pg.emulate_media(media="print")
    pg.goto(path.as_uri(), wait_until="load")
    over = pg.evaluate("""() => Array.from(document.querySelectorAll('#summary th, #summary .verdict'))
        .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right >
                     (e.closest('td, th') || e).getBoundingClientRect().right + 1)
        .map(e => e.textContent)""")
    right = pg.evaluate("() => document.querySelector('#summary').getBoundingClientRect().right")
    ctx.close()
    assert over == [] and right <= 714


@pytest.mark.parametrize("native", [True, False], ids=["DecompressionStream", "without"])
def test_page_rebuilds_the_packed_texts(browser, tmp_path, native):
    """Texts stored as copies of earlier texts (plantext/report/textpack.py) come back exactly
    in the panes, with the browser's gzip or (older browsers) the page's own; the page's
    decoders read every length of base85's last group and every kind of deflate block."""
    import zlib

    from report_panes import ref_text
    from test_report_textpack import copied_case, targets_of

    from plantext.report.findings import flag_label
    from plantext.report.html import report_data
    from plantext.report.textpack import b85, compress, encode

    docs, plans, _ = copied_case()
    path = tmp_path / "copied.html"
    html = render_html(docs, plans, targets_of(docs))
    path.write_text(html, encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1200, "height": 500})
    if not native:
        ctx.add_init_script("delete window.DecompressionStream")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(path.as_uri(), wait_until="load")
    pg.wait_for_selector("body[data-ready]")
    assert pg.evaluate("typeof DecompressionStream") == ("function" if native else "undefined")
    for i, d in enumerate(docs):
        open_doc(pg, i)
        shown = pg.evaluate(
            "(i) => { const t = document.querySelector('#d' + i + ' .pane.sub .text').cloneNode(true);"
            " t.querySelectorAll('sup').forEach(s => s.remove()); return t.textContent; }",
            i,
        )
        plan = plans[d.id]
        assert shown == plan.source.text[plan.start : plan.end]
    # each mark and each stretch of a source holds the text at its offsets, also after a
    # character beyond the BMP (two UTF-16 code units in the page, one character in Python)
    data = report_data(html)
    assert "𠮷" in data["T"][data["D"][2]["t"]]
    for i, d in enumerate(data["D"]):
        text = data["T"][d["t"]]
        assert pg.evaluate(MARKS, f"#d{i} .pane.sub mark") == [
            [f"p{i}-{no}" if no else None, ["cp", "bp", "qt"][k], text[a:b]] for a, b, k, no in d["m"]
        ]
        stretches = [ref_text(data, d["src"][blk[0]][0], a, b) for blk in d["s"] for a, b, _ in blk[1]]
        assert pg.evaluate(TEXTS, f"#d{i} .pane.ref .text") == stretches
    # each submission's targets (rows from the report's columns)
    got = {}
    for i in (0, 2):
        pg.locator(f"#d{i} details.targets summary").click()
        pg.wait_for_selector(f"#d{i} table.targets td")
        got[i] = pg.evaluate(
            f"Array.from(document.querySelectorAll('#d{i} table.targets tr')).slice(1)"
            ".map(r => [r.cells[0].textContent, r.cells[1].textContent])"
        )
    assert got == {
        0: [["人均不少于30学时", "30 学时"], ["交流会两次", "2 次"]],
        2: [["听课不少于一节 " + flag_label("qualitative", "targets"), "1 节"]],
    }
    # the page's own decoders on inputs made here: every last-group length, copies of copies
    script = pg.evaluate("Array.from(document.scripts).map(s => s.textContent).join('\\n')")
    start = script.index("  var B85 =")
    decoders = script[start : script.index("  function inflate(", start)]
    blobs = [bytes(range(200, 200 + n)) + bytes(n) for n in range(9)]
    texts = ["甲乙丙丁" * 10, "子丑" + "甲乙丙丁" * 8 + "寅", "卯" + "子丑" + "甲乙丙丁" * 8 + "寅辰", "𠮷" * 3]
    raw = ("".join(texts) * 40).encode() + bytes(range(256)) * 30

    def gz(data: bytes, level: int = 9, strategy: int = zlib.Z_DEFAULT_STRATEGY) -> list[int]:
        c = zlib.compressobj(level, zlib.DEFLATED, 31, 9, strategy)  # 31: a gzip member
        return list(c.compress(data) + c.flush())

    # deflate blocks: dynamic codes, stored, fixed codes; nothing at all
    members = [gz(raw), gz(raw, 0), gz(raw, 9, zlib.Z_FIXED), gz(b"")]
    got = pg.evaluate(
        "([blobs, packed, members]) => { " + decoders + " return [blobs.map(b => Array.from(unb85(b))),"
        " expandTexts(Uint8Array.from(packed), 0),"
        " members.map(m => Array.from(gunzip(Uint8Array.from(m))))]; }",
        [[b85(b) for b in blobs], list(encode(compress(texts, 4))), members],
    )
    assert got == [[list(b) for b in blobs], texts, [list(raw)] * 3 + [[]]]
    assert errors == []
    ctx.close()
