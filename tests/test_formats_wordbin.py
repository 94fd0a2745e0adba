"""Old Word .doc read without LibreOffice or antiword (plantext.ingest.wordbin), and what real
documents of other formats showed: three-line cover titles, numbered items after a table.

The .doc files here are built by the test itself: an OLE compound file holding a WordDocument
stream (file information block, characters, one page of paragraph properties) and a 1Table
stream (piece table, paragraph-property index). Sample text written for these tests."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from plantext.ingest import IngestError, load
from plantext.normalize import text_view

FORMATS = Path(__file__).parent / "data" / "formats"
_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def _ole(streams: dict[str, bytes]) -> bytes:
    """A compound file (512-byte sectors, one FAT sector, no mini stream: every stream padded to
    4096 bytes) holding ``streams``."""
    padded = {name: body + b"\0" * (-len(body) % 512 or 0) for name, body in streams.items()}
    padded = {name: body + b"\0" * max(0, 4096 - len(body)) for name, body in padded.items()}
    fat = [_FATSECT, _END]
    starts, sectors = {}, []
    for name, body in padded.items():
        n = len(body) // 512
        starts[name] = 2 + len(sectors)
        for k in range(n):
            fat.append(starts[name] + k + 1 if k < n - 1 else _END)
        sectors += [body[k * 512 : (k + 1) * 512] for k in range(n)]
    assert len(fat) <= 128
    fat += [_FREE] * (128 - len(fat))

    def entry(name: str, kind: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        e = raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1, _FREE, _FREE, _FREE)
        return e.ljust(116, b"\0") + struct.pack("<IQ", start, size)

    directory = entry("Root Entry", 5, _END, 0)
    for name in streams:
        directory += entry(name, 2, starts[name], len(padded[name]))  # no stream under the mini cutoff
    directory = directory.ljust(512, b"\0")
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, _END, 0, _END, 0)
    struct.pack_into("<I", header, 0x4C, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 0x4C + 4 * i, _FREE)
    return bytes(header) + struct.pack("<128I", *fat) + directory + b"".join(sectors)


def _word(main: str, after: str = "", ascii_tail: str = "", *, in_table=(), row_ends=(), flags=0x0200) -> bytes:
    """A Word 97 binary document: ``main`` (UTF-16), then ``ascii_tail`` as an 8-bit piece, then
    ``after`` (a header story, beyond the main document's length). ``in_table``/``row_ends``:
    indices of the paragraph marks (``\\r``/``\\x07`` in ``main``, counted from 0) that lie in a
    table cell / end a table row."""
    text_fc = 1024
    wide = (main + after).encode("utf-16-le")
    tail_fc = text_fc + len(wide)
    word = bytearray(4096)
    struct.pack_into("<HH", word, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", word, 0x0A, flags)
    struct.pack_into("<H", word, 32, 14)
    struct.pack_into("<H", word, 62, 22)
    struct.pack_into("<I", word, 64 + 12, len(main) + len(ascii_tail))  # ccpText
    struct.pack_into("<H", word, 152, 93)
    word[text_fc : text_fc + len(wide)] = wide
    word[tail_fc : tail_fc + len(ascii_tail)] = ascii_tail.encode("ascii")
    # paragraph properties: one run per paragraph of ``main``, in one FKP page (page 3)
    bounds = [0] + [i + 1 for i, ch in enumerate(main) if ch in "\r\x07"]
    runs = list(zip(bounds, bounds[1:]))
    page = bytearray(512)
    crun = len(runs)
    for r, (a, b) in enumerate(runs):
        struct.pack_into("<II", page, 4 * r, text_fc + 2 * a, text_fc + 2 * b)
    papx = {  # cb = 3: 2*3-1 = 5 bytes: the style (istd 0), then one sprm with a 1-byte operand
        "ttp": bytes([3, 0, 0]) + struct.pack("<HB", 0x2417, 1),
        "cell": bytes([3, 0, 0]) + struct.pack("<HB", 0x2416, 1),
    }
    page[480:486], page[490:496] = papx["ttp"], papx["cell"]
    page[511] = crun
    for r in range(crun):
        offset = 240 if r in row_ends else 245 if r in in_table else 0
        page[4 * (crun + 1) + 13 * r] = offset
    word[3 * 512 : 4 * 512] = page
    # the table stream: PlcBtePapx at 0, the Clx at 64
    fc_end = text_fc + 2 * len(main)
    table = bytearray(256)
    struct.pack_into("<III", table, 0, text_fc, fc_end, 3)
    pieces = [(0, len(main), text_fc, False)]
    if ascii_tail:
        pieces.append((len(main), len(main) + len(ascii_tail), tail_fc, True))
    if after:  # a later story (a header): after the main document's characters
        pieces.append((pieces[-1][1], pieces[-1][1] + len(after), text_fc + 2 * len(main), False))
    plc = struct.pack(f"<{len(pieces) + 1}I", *[p[0] for p in pieces], pieces[-1][1])
    for _, _, fc, compressed in pieces:
        plc += struct.pack("<HIH", 0, (fc * 2) | 0x40000000 if compressed else fc, 0)
    table[64 : 64 + 5 + len(plc)] = b"\x02" + struct.pack("<I", len(plc)) + plc
    base = 154
    struct.pack_into("<II", word, base + 13 * 8, 0, 12)  # fcPlcfBtePapx, lcb
    struct.pack_into("<II", word, base + 33 * 8, 64, 5 + len(plc))  # fcClx, lcb
    return _ole({"WordDocument": bytes(word), "1Table": bytes(table)})


@pytest.fixture
def no_converter(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # neither soffice nor antiword


def test_doc_read_without_a_converter(no_converter):
    main = (
        "青山县实验小学2025年教研工作计划\r"
        "一、工作目标\r"
        '每位教师每学期听课不少于\x13 MERGEFIELD 节数 \x1420\x15节，详见\x13 HYPERLINK "http://x" \x14教研网\x15。\r'
        "月份\x07内容\x07\x07"
        "3月\x07集体备课\x0b教材分析\x07\x07"
        "二、保障措施\r"
    )
    data = _word(main, after="第 1 页\r", ascii_tail="Plan 2025\r", in_table=(3, 4, 6, 7), row_ends=(5, 8))
    src = load("plan.doc", data=data)
    assert src.format == "doc" and src.meta["converter"] == "builtin"
    assert src.text.split("\n") == [
        "青山县实验小学2025年教研工作计划",
        "一、工作目标",
        "每位教师每学期听课不少于20节，详见教研网。",
        "月份\t内容",
        "3月\t集体备课 教材分析",
        "二、保障措施",
        "Plan 2025",
    ]
    assert [p.kind for p in src.parts] == ["paragraph"] * 3 + ["table-row"] * 2 + ["paragraph"] * 2
    for p in src.parts:  # every part is the span of its line
        assert "\n" not in src.text[p.start : p.end] and src.text[p.start : p.end].strip()


def test_doc_without_row_marks_keeps_cells_in_order(no_converter):
    main = "目标\r甲\x07乙\x07\x07"
    src = load("t.doc", data=_word(main))  # no paragraph properties say where the row ends
    assert src.text.split("\n")[0] == "目标" and src.text.replace("\t", "").endswith("甲乙")


def test_doc_encrypted_or_unreadable_says_so(no_converter):
    with pytest.raises(IngestError) as e:
        load("locked.doc", data=_word("秘密\r", flags=0x0200 | 0x0100))
    assert str(e.value).startswith("locked.doc: ") and "密码" in str(e.value)
    bad = bytearray(_word("内容\r"))
    bad[512 + 1024 : 512 + 1026] = b"\0\0"  # WordDocument no longer starts with the FIB's magic
    with pytest.raises(IngestError) as e:
        load("bad.wps", data=bytes(bad))
    assert str(e.value).startswith("bad.wps: ") and "LibreOffice" in str(e.value)


def test_real_doc_without_a_converter(no_converter):
    """plan.doc (saved from plan.docx by LibreOffice) reads to the .docx's text, table rows too."""
    src = load(str(FORMATS / "plan.doc"))
    ref = load(str(FORMATS / "plan.docx"))
    assert src.meta["converter"] == "builtin"
    assert src.text == ref.text
    rows = [src.text[p.start : p.end] for p in src.parts if p.kind == "table-row"]
    assert rows == [ref.text[p.start : p.end] for p in ref.parts if p.kind == "table-row"]
    assert text_view(src.text, "fold").text == text_view(ref.text, "fold").text


# -- titles printed over three lines on a cover ------------------------------------------------


def test_cover_title_over_three_lines():
    from plantext.titles import Line, pick

    def lines(rows, hints=()):
        out, pos = [], 0
        for i, row in enumerate(rows):
            out.append(Line(pos, pos + len(row), row, hint="title" if i in hints else None, joined_to_next=True))
            pos += len(row) + 1
        return out

    cover = [
        "附件2：",
        "2025年青山县中小学生暑期",
        "“科技进社区”志愿服务活动",
        "项目申报书",
        "团队名称：",
        "二〇二五年六月",
    ]
    assert pick(lines(cover))[2] == "2025年青山县中小学生暑期“科技进社区”志愿服务活动项目申报书"
    # a PDF sets the first two lines in its largest type and the document's name smaller
    assert pick(lines(cover, hints=(1, 2)))[2] == "2025年青山县中小学生暑期“科技进社区”志愿服务活动项目申报书"
    # a Word cover: school, project and 申 报 书 all in the title style
    word = ["青山师范学院", "大学生科研训练计划项目", "申 报 书", "项目名称：", "二〇二五年三月"]
    assert pick(lines(word, hints=(0, 1, 2)))[2] == "大学生科研训练计划项目申 报 书"
    # a title that names its document on one line takes neither neighbour
    one = ["青山县实验小学", "2025年读书月活动方案", "各班主任："]
    assert pick(lines(one))[2] == "2025年读书月活动方案"
    # a column name over a two-line title opening with 关于 is no part of it
    web = ["教学教研", "关于开展2025年暑期安全教育的", "通知"]
    assert pick(lines(web))[2] == "关于开展2025年暑期安全教育的通知"


def test_cover_title_split_from_a_word_file():
    import io

    import docx

    from plantext.split import split

    doc = docx.Document()
    for row in ["附件1：", "2025年青山县中小学生暑期", "“科技进社区”志愿服务活动", "项目申报书"]:
        doc.add_paragraph(row)
    for row in ["一、活动目标", "组织学生走进社区，开展科学小实验展示，每支队伍不少于6人。", "二、活动安排"]:
        doc.add_paragraph(row)
    doc.add_paragraph("7月10日至7月20日，每天上午在社区活动中心开展两场展示，下午整理记录。")
    buf = io.BytesIO()
    doc.save(buf)
    plans = split(load("cover.docx", data=buf.getvalue()))
    assert [p.title for p in plans] == ["2025年青山县中小学生暑期“科技进社区”志愿服务活动项目申报书"]
    assert plans[0].source.text[plans[0].start :].startswith("2025年青山县")


# -- numbered items after a table are no page numbers ------------------------------------------


def test_numbered_items_after_tables_are_headings():
    import io

    import docx

    from plantext.clean import clean
    from plantext.outline import outline
    from plantext.split import split

    doc = docx.Document()
    doc.add_paragraph("2025年春季信息技术课程有关安排的通知")
    doc.add_paragraph("各位同学：")
    doc.add_paragraph("1、分组名单")
    doc.add_paragraph("根据大家报来的名单，已将各小组编好号，请在本周内核对，如有出入请告知助教。")
    doc.add_paragraph("2、平台账号")
    doc.add_paragraph("下列同学的平台账号无法添加，请在3月5日前把正确的账号发给助教")
    table = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate(
        [("学号", "账号"), ("2501", "http://example.cn/u/a"), ("2502", "http://example.cn/u/b")]
    ):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    doc.add_paragraph("3、代码仓库")
    doc.add_paragraph("下列同学还没有加入课程的代码仓库，请按助教的邮件加入")
    table = doc.add_table(rows=2, cols=2)
    for r, (a, b) in enumerate([("学号", "用户名"), ("2503", "student-c")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    doc.add_paragraph("4、作业提交")
    doc.add_paragraph("所有作业在每周五22点前上传，逾期不再接收。")
    buf = io.BytesIO()
    doc.save(buf)
    src = load("notice.docx", data=buf.getvalue())
    assert not [s for s in clean(src).noise if s.kind == "page-residue"]
    nodes = outline(split(src)[0])
    assert [(n.depth, n.marker, n.title) for n in nodes] == [
        (1, "1、", "分组名单"),
        (1, "2、", "平台账号"),
        (1, "3、", "代码仓库"),
        (1, "4、", "作业提交"),
    ]


# -- PDF: a table printed with its title on every page ------------------------------------------


def _table_pages(head: list[tuple[str, float, float]], rows_per_page: list[list[str]]):
    from plantext.ingest.pdf import Line

    pages = []
    for rows in rows_per_page:
        lines = [Line(text, 30.0 + 22 * k, x0, x0 + 25 * len(text), size) for k, (text, x0, size) in enumerate(head)]
        lines += [Line(row, 100.0 + 30 * k, 13.0, 580.0, 28.0, table_row=True) for k, row in enumerate(rows)]
        pages.append(lines)
    return pages


def test_pdf_title_printed_on_every_page_is_the_title_on_page_one():
    from plantext.ingest.pdf import build
    from plantext.split import split

    head = [("2025级信息工程专业本科教学计划", 110.0, 14.0), ("方向：通信工程 毕业要求学分：160", 13.0, 9.0)]
    rows = [["序号\t课程名称\t学分", "1\t高等数学\t5"], ["2\t大学物理\t4", "3\t程序设计\t3"], ["4\t信号与系统\t4"]]
    src = build("plan.pdf", _table_pages(head, rows))
    lines = src.text.split("\n")
    assert lines[:3] == ["2025级信息工程专业本科教学计划", "方向：通信工程 毕业要求学分：160", "序号\t课程名称\t学分"]
    furniture = [src.text[p.start : p.end] for p in src.parts if p.kind == "page-furniture"]
    assert furniture == [head[0][0], head[1][0]] * 2  # pages 2 and 3 only
    plans = split(src)
    assert [(p.title, p.start) for p in plans] == [("2025级信息工程专业本科教学计划", 0)]


def test_pdf_running_head_over_a_larger_title_stays_furniture():
    from plantext.ingest.pdf import Line, build

    pages = []
    for k in range(3):
        lines = [Line("青山县教育局文件汇编", 20.0, 200.0, 400.0, 9.0)]
        if k == 0:
            lines.append(Line("青山县2025年教师培训计划", 60.0, 150.0, 450.0, 16.0))
        body = ["组织教师参加专题培训。", "每月开展一次课堂观摩。", "学期末进行考核评价。"][k]
        lines += [Line(f"{body}（{'甲乙丙'[j]}）", 100.0 + 20 * j, 60.0, 400.0, 10.5) for j in range(3)]
        pages.append(lines)
    src = build("plan.pdf", pages)
    furniture = [src.text[p.start : p.end] for p in src.parts if p.kind == "page-furniture"]
    assert furniture == ["青山县教育局文件汇编"] * 3


def test_pdf_title_in_large_type_is_not_joined_to_the_small_line_under_it():
    from plantext.ingest.pdf import Line, build

    page = [
        Line("青山县实验小学2025年春季学期教研工作安排一览", 30.0, 60.0, 540.0, 15.0),  # reaches the right margin
        Line("说明：各教研组按表中时间安排活动，如有调整另行通知", 52.0, 60.0, 540.0, 9.5),
        Line("各教研组请于每月底前提交活动记录，教务处汇总后上报。", 70.0, 60.0, 300.0, 9.5),
    ]
    assert build("a.pdf", [page]).text.split("\n")[0] == "青山县实验小学2025年春季学期教研工作安排一览"


# -- outline: chapter numbers standing alone over 1.1, 1.2 (GB/T 8567 plan templates) -----------


@pytest.mark.parametrize("sep", [" ", "", "\u3000"])
def test_bare_chapter_number_heads_its_sections(sep):
    from plantext.outline import outline
    from plantext.split import split

    text = (
        "青山县智慧校园平台项目实施计划\n"
        f"1{sep}项目背景\n"
        f"1.1{sep}建设目的\n"
        "为提高学校管理效率，建设统一的智慧校园平台，覆盖教务、德育和后勤三项业务。\n"
        f"1.2{sep}建设范围\n"
        "全县二十所中小学，分两批接入平台，第一批八所学校在本学期完成接入工作。\n"
        f"2{sep}实施安排\n"
        "项目分为准备、部署、试运行三个阶段，各阶段的任务和时间安排如下。\n"
        f"2.1{sep}准备阶段\n"
        "三月份完成需求调研和方案论证，四月份完成设备采购和网络改造，五月底前验收。\n"
        f"2.1.1{sep}需求调研\n"
        "由教育局信息中心牵头，每所学校指定一名联络员，收集各业务部门的具体需求。\n"
        f"2.2{sep}部署阶段\n"
        "六月份完成平台部署，七月份组织教师培训，每名教师参加培训不少于6学时。\n"
        "3 年度预算共计120万元，其中设备费80万元。\n"
    )
    nodes = outline(split(load("p.txt", data=text.encode()))[0])
    assert [(n.depth, n.marker, n.title) for n in nodes] == [
        (1, "1", "项目背景"),
        (2, "1.1", "建设目的"),
        (2, "1.2", "建设范围"),
        (1, "2", "实施安排"),
        (2, "2.1", "准备阶段"),
        (3, "2.1.1", "需求调研"),
        (2, "2.2", "部署阶段"),
    ]


def test_pdf_page_number_under_a_cover_does_not_cut_the_title_off():
    from plantext.ingest.pdf import Line, build
    from plantext.split import split

    cover = [
        Line("附件1：", 40.0, 60.0, 110.0, 10.5),
        Line("2025年青山县中小学生暑期", 120.0, 150.0, 450.0, 18.0),
        Line("“科技进社区”志愿服务活动", 150.0, 150.0, 450.0, 18.0),
        Line("项目申报书", 180.0, 230.0, 370.0, 14.0),
        Line("团队名称：", 260.0, 120.0, 200.0, 10.5),
        Line("青山县团委", 700.0, 240.0, 360.0, 10.5),
        Line("-1-", 800.0, 290.0, 310.0, 9.0),
    ]
    form = [
        Line("填表说明", 40.0, 260.0, 340.0, 12.0),
        Line("1．此表由参加活动的团队负责人填写，每支队伍填写一份。", 70.0, 60.0, 400.0, 10.5),
        Line("2．请按表格结构如实填写，不得改变表格的结构和内容。", 90.0, 60.0, 400.0, 10.5),
        Line("3．活动结束后一周内提交总结材料和活动照片。", 110.0, 60.0, 360.0, 10.5),
        Line("-2-", 800.0, 290.0, 310.0, 9.0),
    ]
    src = build("form.pdf", [cover, form])
    plans = split(src)
    assert [p.title for p in plans] == ["2025年青山县中小学生暑期“科技进社区”志愿服务活动项目申报书"]
    assert src.text[plans[0].start :].startswith("2025年青山县中小学生暑期")
