"""Regenerate the format fixtures in tests/data/formats/ (and the demo .docx/.pdf/.html plans
in corpora/demo/ with ``--demo``).

One short sample plan, written for this project, saved in every format and encoding a
reviewer receives. The generated files are committed, so the tests never need fpdf2 or the
CJK font; rerun this only when the sample changes::

    python3 tests/data/make_formats.py            # tests/data/formats/*
    python3 tests/data/make_formats.py --demo     # corpora/demo/*.docx|.pdf|.html
    python3 tests/data/make_formats.py --doc      # also plan.doc, through LibreOffice

Needs python-docx, fpdf2, opencc and a CJK TrueType font (Debian ``fonts-wqy-zenhei``).
"""

from __future__ import annotations

import argparse
import html
import io
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "formats"
DEMO = HERE.parent.parent / "corpora" / "demo"
FONTS = ["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"]

# The sample: a title, 一、/（一）/1. headings, a table (tab-separated cells) and targets.
# Lines starting with "#N " are headings of level N (the docx gets Heading N styles);
# lines containing tabs are table rows.
SAMPLE = """\
#0 城关第二小学2024年青年教师培训计划
为加快青年教师专业成长，提高课堂教学能力，根据县教育局关于教师队伍建设的部署，结合本校实际，制定本计划。
#1 一、培训对象
全校教龄在五年以内的青年教师，共计46人，其中本学年新入职教师9人，由学校统一安排指导教师。
#1 二、培训目标
#2 （一）师德水平明显提高
每位青年教师全年参加师德专题学习不少于12学时，签订师德承诺书的比例达到100%。
#2 （二）教学能力稳步提升
1. 每学期上公开课不少于1节，听课不少于20节。
2. 到2024年12月底前，青年教师课堂教学达标率达到95%以上。
3. 每人每学年撰写教学反思不少于10篇，优秀案例获奖人数力争达到8人。
#1 三、培训安排
月份\t内容\t学时\t负责部门
3月\t师德师风专题讲座\t6\t德育处
4月\t课堂观察与评课\t8\t教务处
5月\t信息技术与学科融合\t10\t电教中心
#1 四、保障措施
#2 （一）组织保障
成立由校长任组长的培训工作领导小组，教务处具体负责日常管理，每月召开一次工作例会。
#2 （二）经费保障
学校安排专项培训经费3.5万元，主要用于外聘专家讲座、购买书籍和资料。
#2 （三）考核评价
培训结束后进行考核，考核结果记入教师业务档案，作为评优评先的重要依据。
"""

# Page furniture of the PDF and Word versions (must not reach the plan text).
RUNNING_HEADER = "城关第二小学教务处 内部资料"
WORD_HEADER = "城关第二小学文件"
WORD_FOOTER = "第 1 页"


def lines(sample: str = SAMPLE) -> list[tuple[int | None, str]]:
    """(heading level or None, text) per line of a sample."""
    out = []
    for line in sample.splitlines():
        if line.startswith("#") and line[1:2].isdigit():
            out.append((int(line[1]), line[3:]))
        else:
            out.append((None, line))
    return out


def plain(sample: str = SAMPLE) -> str:
    return "\n".join(t for _, t in lines(sample)) + "\n"


# -- text encodings -------------------------------------------------------------------------


def write_texts(out: Path) -> None:
    text = plain()
    (out / "plan.utf8.txt").write_bytes(text.encode("utf-8"))
    (out / "plan.utf8-bom.txt").write_bytes(text.encode("utf-8-sig"))
    (out / "plan.utf16.txt").write_bytes(text.encode("utf-16"))  # with BOM
    (out / "plan.gb18030.txt").write_bytes(text.encode("gb18030"))
    (out / "plan.crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    import opencc

    trad = opencc.OpenCC("s2tw").convert(text)  # Taiwan forms: what Big5 can encode
    assert trad != text
    (out / "plan.big5.txt").write_bytes(trad.encode("big5"))


# -- docx -----------------------------------------------------------------------------------


def write_docx(path: Path, sample: str = SAMPLE, header: str = WORD_HEADER, footer: str = WORD_FOOTER) -> None:
    import docx

    doc = docx.Document()
    sec = doc.sections[0]
    sec.header.paragraphs[0].text = header
    sec.footer.paragraphs[0].text = footer
    rows: list[list[str]] = []

    def flush():
        if rows:
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            rows.clear()

    for level, text in lines(sample):
        if "\t" in text:
            rows.append(text.split("\t"))
            continue
        flush()
        if level is None:
            doc.add_paragraph(text)
        else:
            doc.add_heading(text, level)  # level 0 is the Title style
    flush()
    doc.core_properties.created = doc.core_properties.modified = _FIXED_DATE  # reproducible bytes
    doc.core_properties.last_modified_by = doc.core_properties.author = "plantext"
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_fixed_zip_times(buf.getvalue()))


def _fixed_zip_times(data: bytes) -> bytes:
    """The same package with every member dated alike, so regenerating changes no bytes."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 2, 26, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED  # a ZipInfo would otherwise be stored
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


# -- pdf ------------------------------------------------------------------------------------


def write_spaced_pdf(path: Path, spacing: float = 3.5) -> None:
    """The sample's opening lines letter-spaced, as Word's 字符间距加宽 or justified lines print."""
    from fpdf import FPDF

    font = next((f for f in FONTS if Path(f).exists()), None)
    pdf = FPDF(format="A5")
    pdf.set_creation_date(_FIXED_DATE)
    pdf.add_font("cjk", fname=font)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    pdf.set_char_spacing(spacing)
    for _, text in lines()[:4]:
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
    path.write_bytes(bytes(pdf.output()))


def write_doc(docx_path: Path, out: Path) -> None:
    """The .docx saved as old Word 97 .doc by LibreOffice (nothing in Python writes .doc)."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("--doc needs LibreOffice: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--norestore",
                "--convert-to",
                "doc",
                "--outdir",
                tmp,
                str(docx_path),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        out.write_bytes((Path(tmp) / (docx_path.stem + ".doc")).read_bytes())


def write_framed_pdf(path: Path) -> None:
    """A page inside a border with a rule under its header: boxes, not a table."""
    from fpdf import FPDF

    font = next((f for f in FONTS if Path(f).exists()), None)
    pdf = FPDF(format="A5")
    pdf.set_creation_date(_FIXED_DATE)
    pdf.add_font("cjk", fname=font)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    pdf.rect(10, 10, 128, 190)
    pdf.line(10, 30, 138, 30)
    pdf.set_xy(15, 15)
    pdf.cell(0, 8, WORD_HEADER)
    pdf.set_xy(15, 35)
    for _, text in lines()[:6]:
        pdf.multi_cell(118, 8, text, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
        pdf.set_x(15)
    path.write_bytes(bytes(pdf.output()))


def write_pdf(path: Path, sample: str = SAMPLE, header: str = RUNNING_HEADER, page_style: str = "dash") -> None:
    from fpdf import FPDF

    font = next((f for f in FONTS if Path(f).exists()), None)
    if font is None:
        raise SystemExit("needs a CJK font: apt-get install fonts-wqy-zenhei")

    class Pdf(FPDF):
        def header(self):
            self.set_font("cjk", size=9)
            self.cell(0, 8, header, align="C")
            self.ln(12)

        def footer(self):
            self.set_y(-15)
            self.set_font("cjk", size=9)
            label = f"- {self.page_no()} -" if page_style == "dash" else f"第{self.page_no()}页 共{{nb}}页"
            self.cell(0, 8, label, align="C")

    pdf = Pdf(format="A5")
    pdf.set_creation_date(_FIXED_DATE)
    pdf.add_font("cjk", fname=font)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    rows: list[list[str]] = []

    def flush():
        if rows:
            pdf.set_font("cjk", size=10)
            with pdf.table(first_row_as_headings=False) as table:
                for cells in rows:
                    row = table.row()
                    for cell in cells:
                        row.cell(cell)
            pdf.ln(3)
            rows.clear()

    for level, text in lines(sample):
        if "\t" in text:
            rows.append(text.split("\t"))
            continue
        flush()
        size = {0: 16, 1: 13, 2: 12}.get(level, 12)
        pdf.set_font("cjk", size=size)
        pdf.multi_cell(
            0, size * 0.6, text, align="C" if level == 0 else "L", new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR"
        )  # CJK: break anywhere
        pdf.ln(1.5)
    flush()
    path.write_bytes(bytes(pdf.output()))


# -- html / mhtml ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_培训计划_范文资料站</title>
</head><body>
<div class="top"><a href="/">首页</a> | <a href="/login">登录</a> | <a href="/reg">注册</a></div>
<div class="nav"><a href="/">范文资料站</a> &gt; <a href="/jh/">工作计划</a> &gt; <a href="/jh/px/">培训计划</a></div>
<div class="main">
<div class="article">
<h1>{title}</h1>
<div class="info">发布时间：2024-02-26 来源：网友投稿 阅读：1024</div>
<div class="content">
{body}
</div>
</div>
<div class="related"><h3>相关推荐</h3><ul>
<li><a href="/jh/1.html">学校安全工作计划范文</a></li>
<li><a href="/jh/2.html">班主任工作计划（精选5篇）</a></li>
<li><a href="/jh/3.html">幼儿园保育员工作计划</a></li>
</ul></div>
<div class="pager"><a href="/jh/px/9.html">上一篇：教研组工作计划</a> <a href="/jh/px/11.html">下一篇：新教师培训方案</a></div>
</div>
<div class="footer">Copyright &copy; 2024 范文资料站 版权所有 备案号：京ICP备00000000号</div>
</body></html>
"""


def html_body(sample: str = SAMPLE) -> tuple[str, str]:
    """(title, article HTML) of a sample: headings as <h2>/<h3>, rows as a <table>."""
    title, parts, rows = "", [], []

    def flush():
        if rows:
            trs = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>\n" for r in rows)
            parts.append(f'<table border="1">\n{trs}</table>')
            rows.clear()

    for level, text in lines(sample):
        if level == 0:
            title = text
            continue
        if "\t" in text:
            rows.append(text.split("\t"))
            continue
        flush()
        tag = {1: "h2", 2: "h3"}.get(level, "p")
        parts.append(f"<{tag}>{html.escape(text)}</{tag}>")
    flush()
    return title, "\n".join(parts)


def page(sample: str = SAMPLE, charset: str = "utf-8") -> str:
    title, body = html_body(sample)
    return PAGE.format(charset=charset, title=html.escape(title), body=body)


def write_html(path: Path, sample: str = SAMPLE, charset: str = "gbk") -> None:
    path.write_bytes(page(sample, charset).encode(charset))


def write_mhtml(path: Path, sample: str = SAMPLE) -> None:
    # What a browser's "save as single file" gives: multipart/related, the page quoted-printable.
    msg = MIMEMultipart("related", type="text/html", boundary="----MultipartBoundary--plantext----")
    msg["Subject"] = "saved page"
    msg["Snapshot-Content-Location"] = "https://fanwen.example.com/jh/px/10.html"
    part = MIMEText(page(sample, "utf-8"), "html", "utf-8")
    del part["Content-Transfer-Encoding"]
    import email.charset
    import email.generator
    import email.policy

    cs = email.charset.Charset("utf-8")
    cs.body_encoding = email.charset.QP
    part.set_payload(page(sample, "utf-8"), charset=cs)
    part["Content-Location"] = "https://fanwen.example.com/jh/px/10.html"
    msg.attach(part)
    css = MIMEText("body{font-size:14px}", "css", "utf-8")
    css["Content-Location"] = "https://fanwen.example.com/style.css"
    msg.attach(css)
    buf = io.StringIO()
    email.generator.Generator(buf, policy=email.policy.SMTP, mangle_from_=False).flatten(msg)
    path.write_bytes(buf.getvalue().encode("ascii"))


# -- demo corpus: three more plans, each in one format ----------------------------------------

DEMO_DOCX = """\
#0 青山县2024年中小学教师全员培训实施方案
为全面提升全县中小学教师的师德素养和专业能力，推动教育高质量发展，按照市教育局有关要求，结合我县实际，制定本方案。
#1 一、总体目标
全年完成中小学教师全员培训3200人次，人均培训学时不少于72学时，其中网络研修不少于30学时。
#1 二、主要任务
#2 （一）新教师入职培训
对本年度新招聘的教师开展为期10天的集中培训，8月25日前完成。
#2 （二）骨干教师提升培训
1. 遴选县级骨干教师120名，分学科组建研修共同体。
2. 每名骨干教师每学期送教下乡不少于2次。
#2 （三）校长领导力培训
组织中小学校长参加专题研修，参训率达到100%。
#1 三、经费预算
项目\t金额（万元）\t用途
集中培训\t45\t专家讲课、食宿
网络研修\t18\t平台使用
送教下乡\t12\t交通补助
#1 四、工作要求
各学校要高度重视，指定专人负责，于每学期末报送培训开展情况。县教师进修学校负责培训的组织实施与考核。
"""

DEMO_PDF = """\
#0 向阳小学语文教研组2024年春季工作计划
本学期语文教研组以提高课堂教学质量为中心，以课题研究为抓手，扎实开展教研活动，促进教师专业成长。
#1 一、工作目标
1. 全组教师人人上一节研讨课，组内听课每人不少于15节。
2. 学生课外阅读量每人每月不少于2本，期末阅读测评合格率达到98%以上。
3. 完成县级课题《小学高年级整本书阅读策略研究》的中期报告。
#1 二、主要工作
#2 （一）加强常规管理
每两周开展一次集体备课，认真落实备课、上课、作业、辅导、评价五个环节，教研组长每月检查一次教案和作业批改。
#2 （二）开展特色活动
三月份举行古诗词诵读比赛，四月份开展读书节活动，五月份组织作文竞赛，六月份进行教学成果展示。
#2 （三）做好青蓝结对
每位骨干教师带徒1名，师徒每周互相听课至少1节，学期末进行结对考核。
#1 三、月份安排
二月份：制定教研计划，落实各年级教学进度。
三月份：古诗词诵读比赛；青年教师汇报课。
四月份：读书节活动；课题中期研讨。
五月份：作文竞赛；期中质量分析。
六月份：复习研讨；教学成果展示；学期工作总结。
"""

DEMO_HTML = """\
#0 红星幼儿园2024年度安全工作计划
安全工作是幼儿园各项工作的前提。为切实保障全园师生的生命财产安全，根据上级有关文件精神，特制定本年度安全工作计划。
#1 一、指导思想
坚持安全第一、预防为主的方针，落实安全工作责任制，建立健全安全管理制度，确保全年无重大安全事故。
#1 二、工作目标
1. 全园教职工安全培训参训率达到100%，每学期开展安全培训不少于2次。
2. 每月组织一次消防或防震疏散演练，幼儿疏散时间控制在3分钟以内。
3. 食品留样率达到100%，食堂从业人员持证上岗。
#1 三、具体措施
#2 （一）落实门卫制度
门卫24小时值班，外来人员一律登记，接送幼儿必须凭接送卡。
#2 （二）加强设施检查
后勤组每周检查一次大型玩具、电器线路和消防器材，发现隐患及时上报并在48小时内整改到位。
#2 （三）开展安全教育
各班每周上一节安全教育课，利用家长会、微信群向家长宣传交通安全和防溺水知识。
#1 四、责任分工
园长为安全工作第一责任人，保健医生负责卫生保健和食品安全，各班教师负责本班幼儿日常安全。
"""


def write_demo(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_docx(out / "青山县教师全员培训实施方案.docx", DEMO_DOCX, header="青山县教育局", footer="青山县教育局印发")
    write_pdf(out / "向阳小学语文教研组工作计划.pdf", DEMO_PDF, header="向阳小学语文教研组", page_style="of")
    write_html(out / "红星幼儿园安全工作计划.html", DEMO_HTML, charset="utf-8")


_FIXED_DATE = None


def main(argv: list[str] | None = None) -> None:
    global _FIXED_DATE
    import datetime

    _FIXED_DATE = datetime.datetime(2024, 2, 26, tzinfo=datetime.UTC)  # reproducible bytes
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo", action="store_true", help="write the demo plans into corpora/demo/")
    ap.add_argument("--out", type=Path, default=OUT, help="folder for the fixtures (default tests/data/formats)")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDFs (they need a CJK font)")
    ap.add_argument("--doc", action="store_true", help="also write plan.doc (needs LibreOffice)")
    args = ap.parse_args(argv)
    if args.demo:
        write_demo(DEMO)
        print(f"wrote demo plans to {DEMO}")
        return
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_texts(out)
    write_docx(out / "plan.docx")
    if not args.no_pdf:
        write_pdf(out / "plan.pdf")
        write_spaced_pdf(out / "spaced.pdf")
        write_framed_pdf(out / "framed.pdf")
    write_html(out / "plan.html")
    write_mhtml(out / "plan.mhtml")
    if args.doc:
        write_doc(out / "plan.docx", out / "plan.doc")
    print(f"wrote {len(list(out.iterdir()))} files to {out}")


if __name__ == "__main__":
    main()
