"""One sample plan (tests/data/make_formats.py) in every format and encoding reads to the same
text, modulo script, width and whitespace; each reader's parts point at the right text."""

from __future__ import annotations

import base64
import io
import shutil
import stat
from pathlib import Path

import pytest

from plantext.ingest import IngestError, load, sniff
from plantext.normalize import text_view

pytestmark = pytest.mark.usefixtures("english")  # asserts the English wording of messages

FORMATS = Path(__file__).parent / "data" / "formats"
TEXTS = ["utf8", "utf8-bom", "utf16", "gb18030", "big5", "crlf"]
ALL = [f"plan.{t}.txt" for t in TEXTS] + ["plan.docx", "plan.pdf", "plan.html", "plan.mhtml"]


def fold(src) -> str:
    """The source's text without page furniture, folded (no whitespace/punctuation, simplified)."""
    drop = [(p.start, p.end) for p in src.parts if p.kind == "page-furniture"]
    return text_view(src.text, "fold", drop).text


@pytest.fixture(scope="module")
def reference():
    return load(str(FORMATS / "plan.utf8.txt"))


@pytest.mark.parametrize("name", ALL)
def test_every_format_reads_to_the_same_text(name, reference):
    src = load(str(FORMATS / name))
    assert fold(src) == fold(reference)
    assert src.sha256 and src.text.strip()


@pytest.mark.parametrize(
    "name,encoding",
    [
        ("plan.utf8.txt", "utf-8"),
        ("plan.utf8-bom.txt", "utf-8-sig"),
        ("plan.utf16.txt", "utf-16"),
        ("plan.gb18030.txt", "gb18030"),
        ("plan.big5.txt", "big5hkscs"),
        ("plan.crlf.txt", "utf-8"),
    ],
)
def test_text_encodings_are_detected(name, encoding, reference):
    src = load(str(FORMATS / name))
    assert src.encoding == encoding
    if name == "plan.crlf.txt":  # kept exactly: offsets index the file's own text
        assert src.text == reference.text.replace("\n", "\r\n")
    elif name == "plan.big5.txt":
        assert "計劃" in src.text and "计划" not in src.text
    else:
        assert src.text == reference.text


def test_docx_paragraphs_tables_and_heading_levels():
    src = load(str(FORMATS / "plan.docx"))
    text = src.text
    lines = text.split("\n")
    assert lines[0] == "城关第二小学2024年青年教师培训计划"
    # the table lands between its heading and the next section, a row per line, cells by tab
    i = lines.index("三、培训安排")
    assert lines[i + 1].split("\t") == ["月份", "内容", "学时", "负责部门"]
    assert lines[i + 4].split("\t") == ["5月", "信息技术与学科融合", "10", "电教中心"]
    assert lines[i + 5] == "四、保障措施"
    # header and footer are not part of the plan
    assert "城关第二小学文件" not in text and "第 1 页" not in text
    by_text = {text[p.start : p.end]: p for p in src.parts}
    assert (by_text["一、培训对象"].style, by_text["一、培训对象"].level) == ("Heading 1", 1)
    assert (by_text["（二）经费保障"].style, by_text["（二）经费保障"].level) == ("Heading 2", 2)
    assert (
        by_text["全校教龄在五年以内的青年教师，共计46人，其中本学年新入职教师9人，由学校统一安排指导教师。"].level
        is None
    )
    assert by_text["城关第二小学2024年青年教师培训计划"].style == "Title"
    rows = [p for p in src.parts if p.kind == "table-row"]
    assert [p.index for p in rows] == [1, 2, 3, 4]
    assert all("\t" in text[p.start : p.end] for p in rows)


def test_pdf_pages_furniture_and_rejoined_lines():
    src = load(str(FORMATS / "plan.pdf"))
    text = src.text
    pages = [p for p in src.parts if p.kind == "page"]
    assert [p.index for p in pages] == [1, 2] and src.meta["pages"] == 2
    furniture = [(p.index, p.style, text[p.start : p.end]) for p in src.parts if p.kind == "page-furniture"]
    assert furniture == [
        (1, "header", "城关第二小学教务处 内部资料"),
        (1, "page-number", "- 1 -"),
        (2, "header", "城关第二小学教务处 内部资料"),
        (2, "page-number", "- 2 -"),
    ]
    for p in pages:  # page parts tile the text, with the furniture inside them
        assert text[p.start : p.end].startswith("城关第二小学教务处") and text[p.start : p.end].endswith(
            f"- {p.index} -"
        )
    # a paragraph the layout wrapped is one line again; separate paragraphs stay apart
    assert "根据县教育局关于教师队伍建设的部署，结合本校实际，制定本计划。\n一、培训对象\n" in text
    # the table: rows with tab-joined cells; the row that moved to page 2 has its wrapped cell whole
    assert "3月\t师德师风专题讲座\t6\t德育处" in text
    row = next(p for p in src.parts if p.kind == "table-row" and p.index == 2)  # the row on page 2
    assert text[row.start : row.end] == "5月\t信息技术与学科融合\t10\t电教中心"


def test_pdf_wrapped_pieces_join_without_spaces_in_chinese():
    from plantext.ingest.pdf import _cell, _joiner

    assert _cell("信息技术与学\n科融合") == "信息技术与学科融合"
    assert _cell("Project\nplan\n") == "Project plan"
    assert _joiner("合格率达到9", "8%以上") == "" and _joiner("using the", "method") == " "


@pytest.mark.parametrize("name,fmt", [("plan.html", "html"), ("plan.mhtml", "mhtml")])
def test_web_pages_give_the_article_only(name, fmt):
    src = load(str(FORMATS / name))
    assert src.format == fmt
    lines = src.text.split("\n")
    assert lines[0] == "城关第二小学2024年青年教师培训计划"  # the <h1> title first
    assert lines[-1].startswith("培训结束后进行考核")
    for chrome in ("首页", "登录", "相关推荐", "上一篇", "下一篇", "Copyright", "备案号", "发布时间", "范文资料站"):
        assert chrome not in src.text
    assert "4月\t课堂观察与评课\t8\t教务处" in lines
    heads = {src.text[p.start : p.end]: p.level for p in src.parts if p.style in ("h2", "h3")}
    assert heads["二、培训目标"] == 1 and heads["（一）师德水平明显提高"] == 2


def test_html_encoding_from_meta_then_detection():
    assert load(str(FORMATS / "plan.html")).encoding == "gb18030"  # declared gbk, read as its superset
    page = (FORMATS / "plan.html").read_bytes()
    lying = page.replace(b"charset=gbk", b"charset=utf-8")  # the page lies: GBK bytes
    src = load("lying.html", data=lying)
    assert src.encoding == "gb18030" and "青年教师" in src.text
    western = page.replace(b"charset=gbk", b"charset=iso-8859-1")  # decodes, but to mojibake
    src = load("western.html", data=western)
    assert src.encoding == "gb18030" and "青年教师" in src.text


def test_mhtml_base64_part_with_its_charset():
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    html = (
        "<html><head><title>t</title></head><body><div><h1>某校读书活动方案</h1>"
        "<p>每名学生每学期阅读课外书籍不少于五本。</p><p>各班每周安排一节阅读课。</p></div></body></html>"
    )
    msg = MIMEMultipart("related")
    part = MIMEText(html, "html", "gb18030")  # base64, charset=gb18030 in the part header
    msg.attach(part)
    src = load("saved.mht", data=msg.as_bytes())
    assert src.format == "mhtml" and src.encoding == "gb18030"
    assert "每名学生每学期阅读课外书籍不少于五本。" in src.text.split("\n")


def test_html_falls_back_to_body_text_when_the_extractor_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    page = (
        "<html><head><style>p{color:red}</style><script>var x = '脚本';</script></head><body>"
        "<p>第一段文字。<br>第二行文字。</p><table><tr><td>甲</td><td>乙</td></tr></table></body></html>"
    )
    src = load("plain.html", data=page.encode("utf-8"))
    assert src.text.split("\n") == ["第一段文字。", "第二行文字。", "甲\t乙"]


@pytest.mark.parametrize("name", ALL)
def test_stdin_reads_every_format(name):
    data = (FORMATS / name).read_bytes()
    by_path = load(str(FORMATS / name))
    by_stdin = load("-", data=data)
    assert by_stdin.path == "-"
    assert by_stdin.text == by_path.text


def test_sniff_names_the_format():
    assert sniff((FORMATS / "plan.pdf").read_bytes()) == ".pdf"
    assert sniff((FORMATS / "plan.docx").read_bytes()) == ".docx"
    assert sniff((FORMATS / "plan.mhtml").read_bytes()) == ".mhtml"
    assert sniff((FORMATS / "plan.gb18030.txt").read_bytes()) == ".txt"


def test_cli_text_reads_stdin():
    from typer.testing import CliRunner

    from plantext.cli import app

    res = CliRunner().invoke(app, ["text", "-"], input=(FORMATS / "plan.docx").read_bytes())
    assert res.exit_code == 0
    assert res.stdout.split("\n")[0] == "城关第二小学2024年青年教师培训计划"


# -- docx details ---------------------------------------------------------------------------


def _docx_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_merged_cells_once_and_outline_levels():
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document()
    doc.add_paragraph("前言")
    t = doc.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "培训内容安排"  # one cell across the row
    t.cell(1, 0).merge(t.cell(2, 0)).text = "上半年"  # one cell down two rows
    for r, (a, b) in enumerate([("讲座", "4学时"), ("研讨", "2学时")], 1):
        t.cell(r, 1).text, t.cell(r, 2).text = a, b
    own = doc.styles.add_style("标题 2", 1)  # a custom style by that name
    doc.add_paragraph("（一）具体要求", style=own)
    p = doc.add_paragraph("第二章 工作措施")  # outline level on the paragraph
    lvl = OxmlElement("w:outlineLvl")
    lvl.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().append(lvl)
    src = load("merged.docx", data=_docx_bytes(doc))
    assert src.text.split("\n") == [
        "前言",
        "培训内容安排",
        "上半年\t讲座\t4学时",
        "\t研讨\t2学时",
        "（一）具体要求",
        "第二章 工作措施",
    ]
    levels = {src.text[p.start : p.end]: p.level for p in src.parts}
    assert levels["（一）具体要求"] == 2 and levels["第二章 工作措施"] == 1 and levels["前言"] is None


# -- pdf page furniture, as a function over page lines --------------------------------------


def test_page_furniture_styles_and_running_lines():
    from plantext.ingest.pdf import furniture

    pages = [
        ["某县教育局文件", "一、工作目标", "全年完成培训任务。", "二、主要措施", "每月检查一次。", "第1页 共3页"],
        [
            "某县教育局文件",
            "（二）专项培训",
            "3",
            "每学期两次。",
            "三、保障",
            "第2页 共3页",
        ],  # a bare number mid-page is text
        ["某县教育局文件", "经费由学校统筹。", "四、考核", "年底考核。", "第3页 共3页"],
    ]
    assert furniture(pages) == [{0, 5}, {0, 5}, {0, 4}]
    assert furniture([["标题", "正文第一段。", "1/8"], ["正文继续。", "2/8"]]) == [{2}, {1}]
    assert furniture([["正文。", "- 7 -"]]) == [{1}]
    assert furniture([["正文。", "Page 3 of 9"]]) == [{1}]
    # a footer whose number changes page to page is still the same running line
    pages = [
        ["正文甲。", "第一段。", "2024年工作计划 1"],
        ["正文乙。", "第二段。", "2024年工作计划 2"],
        ["正文丙。", "第三段。", "2024年工作计划 3"],
    ]
    assert furniture(pages) == [{2}, {2}, {2}]
    # the running header repeats the title: the title itself, under it on page 1, stays
    pages = [
        ["青山小学工作计划", "青山小学工作计划", "一、目标", "正文。", "1"],
        ["青山小学工作计划", "二、措施", "正文二。", "2"],
    ]
    assert furniture(pages) == [{0, 4}, {0, 3}]
    # a line on the edge of two pages out of five is not a running line
    pages = [["甲。", "附：培训名单"], ["乙。", "附：培训名单"], ["丙。", "丁。"], ["戊。", "己。"], ["庚。", "辛。"]]
    assert furniture(pages) == [set()] * 5


# -- .doc -------------------------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _fake_tool(tmp_path, name: str, script: str) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    tool = bin_dir / name
    tool.write_text("#!/bin/sh\n" + script)
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    return str(bin_dir)


def test_doc_through_antiword(tmp_path, monkeypatch):
    out = "某校教研工作计划\n\n一、目标\n\n|月份|内容|\n|3月|集体备课|\n"
    encoded = base64.b64encode(out.encode()).decode()
    monkeypatch.setenv("PATH", _fake_tool(tmp_path, "antiword", f"echo {encoded} | /usr/bin/base64 -d\n"))
    src = load("old.doc", data=OLE)
    assert src.format == "doc" and src.meta["converter"] == "antiword"
    assert src.text == "某校教研工作计划\n一、目标\n月份\t内容\n3月\t集体备课"
    assert [p.kind for p in src.parts] == ["paragraph", "paragraph", "table-row", "table-row"]


def test_doc_converter_failure_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", _fake_tool(tmp_path, "antiword", "echo 'input.doc is encrypted' >&2; exit 1\n"))
    with pytest.raises(IngestError) as e:
        load("locked.doc", data=OLE)
    assert str(e.value) == "locked.doc: password-protected Word document (remove the password and save again)"


def test_doc_without_a_converter_says_how(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(IngestError) as e:
        load("old.doc", data=OLE)
    msg = str(e.value)
    assert msg.startswith("old.doc: ") and "LibreOffice" in msg and "antiword" in msg and ".docx" in msg
    assert "\n" not in msg


def test_doc_that_is_really_docx_or_html():
    src = load("renamed.doc", data=(FORMATS / "plan.docx").read_bytes())
    assert src.format == "docx" and src.text.startswith("城关第二小学2024年青年教师培训计划")
    page = "<html><body><h1>某园保育工作计划</h1><p>每天开窗通风不少于两次。</p></body></html>"
    src = load("word-web-page.doc", data=page.encode("utf-8"))
    assert "每天开窗通风不少于两次。" in src.text


def test_fixtures_are_what_the_script_makes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_formats", FORMATS.parent / "make_formats.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.main(["--out", str(tmp_path), "--no-pdf"])  # the PDFs need a CJK font; the rest is exact
    made = sorted(p.name for p in tmp_path.iterdir())
    assert len(made) == 9
    for name in made:
        assert (tmp_path / name).read_bytes() == (FORMATS / name).read_bytes(), name


def test_letter_spaced_pdf_has_no_spaces_between_characters():
    src = load(str(FORMATS / "spaced.pdf"))
    assert src.text.split("\n")[:3] == [
        "城关第二小学2024年青年教师培训计划",
        "为加快青年教师专业成长，提高课堂教学能力，根据县教育局关于教师队伍建设的部署，结合本校实际，制定本计划。",
        "一、培训对象",
    ]


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(enc, reference):
    src = load("nobom.txt", data=reference.text.encode(enc))
    assert src.encoding == enc and src.text == reference.text


def _numbering_docx() -> bytes:
    """Paragraphs numbered by Word (numbering.xml), not typed: 一、 （一） 1. and a bullet."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = docx.Document()
    numbering = doc.part.numbering_part.element
    lvls = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{f}"/><w:lvlText w:val="{t}"/></w:lvl>'
        for i, (f, t) in enumerate(lvls)
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{xml}</w:abstractNum>'))
    numbering.insert(
        1,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:lvl w:ilvl="0">'
            '<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="70"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="71"><w:abstractNumId w:val="91"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="72"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )

    def para(text, num, ilvl=0):
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>')
        )

    heading = doc.styles["Heading 1"]  # a heading style that carries the list's first level
    heading.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="70"/></w:numPr>')
    )
    doc.add_paragraph("某校课后服务实施方案")
    para("工作目标", 70)
    para("服务时间", 70, 1)
    para("每周一至周五下午放学后。", 70, 2)
    para("每次不超过两小时。", 70, 2)
    para("服务内容", 70, 1)
    para("作业辅导", 71)
    para("保障措施", 70)
    para("家长自愿报名。", 72, 2)  # its own list instance, starting again at 1
    doc.add_heading("工作要求", 1)
    return _docx_bytes(doc)


def test_docx_automatic_numbering_is_drawn():
    src = load("numbered.docx", data=_numbering_docx())
    assert src.text.split("\n") == [
        "某校课后服务实施方案",
        "一、工作目标",
        "（一）服务时间",
        "1. 每周一至周五下午放学后。",
        "2. 每次不超过两小时。",
        "（二）服务内容",
        "作业辅导",
        "二、保障措施",
        "1. 家长自愿报名。",
        "三、工作要求",
    ]
    assert src.parts[-1].level == 1 and src.parts[-1].style == "Heading 1"


def test_number_formats():
    from plantext.ingest.docx import format_number

    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 23, 101)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十三",
        "一百零一",
    ]
    assert format_number(12, "chineseLegalSimplified") == "壹拾贰"
    assert format_number(3, "ideographTraditional") == "丙" and format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(28, "lowerLetter") == "bb" and format_number(14, "upperRoman") == "XIV"


# -- template-site pages ----------------------------------------------------------------------

SITE = """<html><head><meta charset="gb2312"><title>{title}-范文大全</title></head><body>
<div id="header"><a href="/">首页</a> &gt; <a href="/jh">工作计划</a> &gt; <a href="/jh/bzr">班主任</a></div>
<div id="left"><h1>{title}</h1><div class="content">{body}</div>
<div class="tags">标签：班主任 工作计划</div></div>
<div id="right"><h3>相关文章</h3><ul><li><a href="/1">小学班主任工作计划</a></li>
<li><a href="/2">初中班主任工作总结</a></li><li><a href="/3">班级管理工作计划</a></li></ul></div>
<div id="footer">关于我们 | 联系我们 | 免责声明</div></body></html>"""
CLASS_PLAN = [
    "一、指导思想",
    "坚持以学生发展为本，加强班级常规管理，营造积极向上的班风。",
    "二、工作目标",
    "1. 学生体质健康达标率达到95%以上。",
    "2. 每学期家访不少于一次，覆盖全班学生。",
]


def _collection(layout: str, tail: list[str] = ()) -> bytes:
    lines = []
    for i in (1, 2, 3):
        lines += [f"班主任工作计划 篇{i}", *CLASS_PLAN]
    lines += list(tail)
    if layout == "p":
        body = "".join(f"<p>&nbsp;&nbsp;{x}</p>" for x in lines)
    else:  # all text in one block, lines broken by <br>: common on template sites
        body = "<br>\n".join(lines)
    return SITE.format(title="班主任工作计划（精选3篇）", body=body).encode("gbk")


@pytest.mark.parametrize("layout", ["p", "br"])
def test_collection_page_keeps_every_plan_and_drops_site_chrome(layout):
    src = load(f"{layout}.html", data=_collection(layout))
    lines = src.text.split("\n")
    assert lines[0] == "班主任工作计划（精选3篇）"
    assert [x for x in lines if x.startswith("班主任工作计划 篇")] == [f"班主任工作计划 篇{i}" for i in (1, 2, 3)]
    assert lines.count(CLASS_PLAN[1]) == 3 and lines[-1] == CLASS_PLAN[-1]
    for chrome in ("首页", "相关文章", "小学班主任工作计划", "标签", "免责声明"):
        assert chrome not in src.text


def test_page_tail_with_a_signature_date_is_kept():
    src = load("signed.html", data=_collection("br", tail=["城关小学德育处", "2024年2月26日"]))
    assert "城关小学德育处\n2024年2月26日" in src.text and "篇3" in src.text


def test_docx_text_in_revisions_content_controls_and_fields():
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = docx.Document()
    p = doc.add_paragraph("全年培训")
    w = nsdecls("w")
    for xml in (
        f'<w:ins {w} w:id="1" w:author="审核人"><w:r><w:t>不少于72学时</w:t></w:r></w:ins>',
        f'<w:del {w} w:id="2" w:author="审核人"><w:r><w:delText>不少于36学时</w:delText></w:r></w:del>',
        f"<w:sdt {w}><w:sdtContent><w:r><w:t>，由教务处</w:t></w:r></w:sdtContent></w:sdt>",
        f'<w:fldSimple {w} w:instr="DOCPROPERTY Dept"><w:r><w:t>负责</w:t></w:r></w:fldSimple>',
        f"<w:r {w}><w:t>。</w:t></w:r>",
    ):
        p._p.append(parse_xml(xml))
    src = load("revised.docx", data=_docx_bytes(doc))
    assert src.text == "全年培训不少于72学时，由教务处负责。"


def test_pdf_glyphs_without_unicode_map(monkeypatch):
    from pdfplumber.page import Page

    real = Page.extract_text_lines

    def some_cid(self, **kw):  # one font of the page lost its map: its glyphs come out as (cid:N)
        lines = real(self, **kw)
        return [dict(ln, text=ln["text"].replace("培训", "(cid:2201)(cid:871)")) for ln in lines]

    monkeypatch.setattr(Page, "extract_text_lines", some_cid)
    src = load(str(FORMATS / "plan.pdf"))
    assert "城关第二小学2024年青年教师\ufffd\ufffd计划" in src.text and "cid:" not in src.text

    monkeypatch.setattr(
        Page,
        "extract_text_lines",
        lambda self, **kw: [dict(ln, text="(cid:3)(cid:4)(cid:5)") for ln in real(self, **kw)],
    )
    with pytest.raises(IngestError, match=r"plan\.pdf: text layer cannot be decoded .*run OCR first$"):
        load(str(FORMATS / "plan.pdf"))


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword not installed")
def test_doc_that_antiword_refuses(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "antiword").symlink_to(shutil.which("antiword"))
    monkeypatch.setenv("PATH", str(bin_dir))  # antiword only, even where LibreOffice is installed
    with pytest.raises(IngestError) as e:
        load(str(tmp_path / "bad.doc"), data=OLE[:8] + bytes((i * 7919 + 13) % 256 for i in range(512)))
    msg = str(e.value)
    assert msg.startswith(f"{tmp_path / 'bad.doc'}: antiword could not convert it: ")
    assert "plantext-doc-" not in msg and "\n" not in msg  # not antiword's name for our temporary copy


def test_rtf_and_wps_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    rtf = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 SimSun;}}\f0 \u22521?\u35757?}"
    for name in ("plan.rtf", "-", "plan.doc"):  # RTF needs no conversion program (striprtf)
        assert load(name, data=rtf).text == "培训"
    with pytest.raises(IngestError, match="^plan.wps: a WPS Office document needs LibreOffice or antiword"):
        load("plan.wps", data=OLE)


def test_pdf_border_and_rules_are_not_a_table():
    src = load(str(FORMATS / "framed.pdf"))
    assert src.text.split("\n")[:3] == [
        "城关第二小学文件",
        "城关第二小学2024年青年教师培训计划",
        "为加快青年教师专业成长，提高课堂教学能力，根据县教育局关于教师队伍建设的部署，结合本校实际，制定本计划。",
    ]
    assert not [p for p in src.parts if p.kind == "table-row"]


@pytest.mark.parametrize(
    "title,want",
    [
        ("城关二小青年教师培训计划_培训计划_范文资料站", "城关二小青年教师培训计划"),
        ("城关二小青年教师培训计划 - 范文资料站", "城关二小青年教师培训计划"),
        ("2023-2024学年青年教师培训计划-范文资料站", "2023-2024学年青年教师培训计划"),
        ("青年教师培训计划|范文网", "青年教师培训计划"),
    ],
)
def test_page_title_from_title_tag_loses_the_site_name(title, want):
    page = (
        f"<html><head><title>{title}</title></head><body><div class='content'>"
        "<p>为加快青年教师专业成长，提高课堂教学能力，根据县教育局的部署，制定本计划。</p>"
        "<p>一、培训对象</p><p>全校教龄在五年以内的青年教师，共计46人，其中新入职教师9人。</p></div></body></html>"
    )
    src = load("titled.html", data=page.encode("utf-8"))
    assert src.text.split("\n")[0] == want


def test_docx_one_column_table_is_a_box_of_paragraphs():
    import docx

    doc = docx.Document()
    doc.add_paragraph("附件")
    box = doc.add_table(rows=1, cols=1).cell(0, 0)
    box.text = "一、活动目的"
    box.add_paragraph("让每名学生掌握基本的急救知识。")
    box.add_paragraph("二、活动时间")
    src = load("boxed.docx", data=_docx_bytes(doc))
    assert src.text.split("\n") == ["附件", "一、活动目的", "让每名学生掌握基本的急救知识。", "二、活动时间"]
    assert not [p for p in src.parts if p.kind == "table-row"]


# -- a real .doc (made from plan.docx by LibreOffice), read by whichever converter is here --------


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword not installed")
def test_real_doc_through_antiword(tmp_path, monkeypatch, reference):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "antiword").symlink_to(shutil.which("antiword"))
    monkeypatch.setenv("PATH", str(bin_dir))  # antiword only, even where LibreOffice is installed
    src = load(str(FORMATS / "plan.doc"))
    assert src.meta["converter"] == "antiword"
    assert fold(src) == fold(reference)
    assert "月份\t内容\t学时\t负责部门" in src.text.split("\n")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_real_doc_through_libreoffice(reference):
    src = load(str(FORMATS / "plan.doc"))
    assert src.format == "doc" and src.meta["converter"] == "soffice"
    assert fold(src) == fold(reference)
    heads = {src.text[p.start : p.end]: p.level for p in src.parts if p.level}
    assert heads["一、培训对象"] == 1 and heads["（三）考核评价"] == 2  # styles survive the round trip


@pytest.mark.parametrize("layout", ["p", "br"])
def test_layout_table_page_is_not_flattened_into_one_row(layout):
    body = "".join(f"<p>{x}</p>" for x in CLASS_PLAN) if layout == "p" else "<br>".join(CLASS_PLAN)
    page = (
        "<html><head><meta charset='gbk'><title>班主任工作计划_范文网</title></head><body><table width='960'>"
        "<tr><td colspan='2'><a href='/'>首页</a> | <a href='/jh'>工作计划</a></td></tr>"
        "<tr><td width='200'><a href='/a'>工作总结</a><br><a href='/b'>心得体会</a></td>"
        f"<td><h1>班主任工作计划</h1>{body}</td></tr></table></body></html>"
    )
    src = load("grid.html", data=page.encode("gbk"))
    lines = src.text.split("\n")
    i = lines.index("班主任工作计划")
    assert lines[i + 1 : i + 1 + len(CLASS_PLAN)] == CLASS_PLAN
    assert not [p for p in src.parts if p.kind == "table-row"]


def test_docx_text_boxes_follow_their_anchor_once():
    import docx
    from docx.oxml import parse_xml

    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    )

    def box(text):
        return f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"

    doc = docx.Document()
    anchor = doc.add_paragraph("")  # the red-letter header of an official document, in a box
    anchor._p.append(
        parse_xml(
            f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{box("青山县教育局文件")}'
            f"</w:drawing></mc:Choice><mc:Fallback><w:pict>{box('青山县教育局文件')}</w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>"
        )
    )
    doc.add_paragraph("关于印发教师培训方案的通知")
    src = load("boxed-header.docx", data=_docx_bytes(doc))
    assert src.text == "\n青山县教育局文件\n关于印发教师培训方案的通知"
    assert [p.style for p in src.parts] == ["text-box", "Normal"]


def test_docx_cells_in_content_controls():
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = docx.Document()
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "项目", "经费"
    t.cell(1, 0).text = "集中培训"
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[1])  # the second cell of a form row is a content control
    tr.append(
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:tc><w:p><w:r><w:t>4.5万元</w:t></w:r></w:p>"
            "</w:tc></w:sdtContent></w:sdt>"
        )
    )
    src = load("form.docx", data=_docx_bytes(doc))
    assert src.text.split("\n") == ["项目\t经费", "集中培训\t4.5万元"]


def test_html_source_line_wrap_inside_a_chinese_sentence_is_no_space():
    page = (
        "<html><head><title>t</title></head><body><article><h1>某校读书节活动方案</h1>"
        "<p>每名学生每学期阅读课外书籍不少于五本，\n      各班每周安排一节阅读课。</p>"
        "<p>活动分为三个阶段 第一阶段为宣传发动，时间两周，由各班班主任负责组织实施。</p></article></body></html>"
    )
    lines = load("wrapped.html", data=page.encode("utf-8")).text.split("\n")
    assert "每名学生每学期阅读课外书籍不少于五本，各班每周安排一节阅读课。" in lines
    assert "活动分为三个阶段 第一阶段为宣传发动，时间两周，由各班班主任负责组织实施。" in lines  # a typed space stays
