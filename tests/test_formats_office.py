"""OFD, ODT, RTF and WPS: files made here to the formats' own structure, read back exactly."""

from __future__ import annotations

import io
import zipfile

import pytest

from plantext.ingest import IngestError, load, sniff

OFD_NS = "http://www.ofdspec.org/2016"


def _zip(files: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _text_object(oid: int, x: float, y: float, size: float, text: str, delta: str | None = None) -> str:
    dx = f' DeltaX="{delta}"' if delta else ""
    return (
        f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} 150 {size * 1.3}" Font="3" Size="{size}">'
        f'<ofd:TextCode X="0" Y="{size}"{dx}>{text}</ofd:TextCode></ofd:TextObject>'
    )


def _page(objects: list[str], template: str | None = None) -> str:
    tpl = f'<ofd:Template TemplateID="{template}"/>' if template else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}">{tpl}<ofd:Content>'
        f'<ofd:Layer ID="2">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
    )


def make_ofd(pages: list[list[str]], header: str | None = None) -> bytes:
    """An OFD package: OFD.xml -> Doc_0/Document.xml -> pages (and a template page with a header)."""
    tpl_decl = '<ofd:TemplatePage ID="90" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if header else ""
    page_refs = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    files: dict[str, str | bytes] = {
        "OFD.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/Document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}">'
            f"<ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea>"
            f"<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>{tpl_decl}"
            f"</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
        ),
    }
    if header:
        files["Doc_0/Tpls/Tpl_0/Content.xml"] = _page([_text_object(91, 80, 10, 3.5, header)])
    for i, objs in enumerate(pages):
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = _page(objs, "90" if header else None)
    return _zip(files)


def test_ofd_text_lines_tables_and_template_header(tmp_path):
    body1 = [
        _text_object(1, 40, 30, 6, "东山镇中心小学安全工作计划"),
        # one line in two runs (a font change in the middle): joined without a gap
        _text_object(2, 25, 50, 4, "一、工作目标", "g 5 4"),
        _text_object(3, 25, 60, 4, "全年安全教育不少于", "g 8 4"),
        _text_object(4, 25 + 9 * 4, 60, 4, "12课时。"),
        # a table row: three cells far apart on one baseline
        _text_object(5, 25, 75, 4, "项目"),
        _text_object(6, 80, 75, 4, "次数"),
        _text_object(7, 140, 75, 4, "负责人"),
        _text_object(8, 25, 85, 4, "消防演练"),
        _text_object(9, 80, 85, 4, "4"),
        _text_object(10, 140, 85, 4, "李强"),
    ]
    body2 = [_text_object(11, 25, 30, 4, "二、保障措施"), _text_object(12, 25, 40, 4, "各班每月开展一次隐患排查。")]
    path = tmp_path / "plan.ofd"
    path.write_bytes(make_ofd([body1, body2], header="东山镇中心小学"))
    src = load(str(path))
    assert src.format == "ofd"
    assert src.text == (
        "东山镇中心小学\n东山镇中心小学安全工作计划\n一、工作目标\n全年安全教育不少于12课时。\n"
        "项目\t次数\t负责人\n消防演练\t4\t李强\n"
        "东山镇中心小学\n二、保障措施\n各班每月开展一次隐患排查。"
    )
    rows = [src.text[p.start : p.end] for p in src.parts if p.kind == "table-row"]
    assert rows == ["项目\t次数\t负责人", "消防演练\t4\t李强"]
    pages = [(p.index, src.text[p.start : p.end].split("\n")[0]) for p in src.parts if p.kind == "page"]
    assert pages == [(1, "东山镇中心小学"), (2, "东山镇中心小学")]
    # the letterhead printed by the template on every page is a running header, for the cleaner to drop
    furniture = {src.text[p.start : p.end] for p in src.parts if p.kind == "page-furniture"}
    assert furniture == {"东山镇中心小学"}


def test_ofd_any_namespace_and_broken_packages(tmp_path):
    other = make_ofd([[_text_object(1, 20, 20, 4, "二、主要任务")]]).replace(OFD_NS.encode(), b"http://example.org/ofd")
    p = tmp_path / "a.ofd"
    p.write_bytes(other)
    assert load(str(p)).text == "二、主要任务"
    missing = _zip(
        {
            "OFD.xml": f'<ofd:OFD xmlns:ofd="{OFD_NS}"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml'
            "</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        }
    )
    p.write_bytes(missing)
    with pytest.raises(IngestError, match="Doc_0/Document.xml"):
        load(str(p))
    p.write_bytes(b"not a zip at all")
    with pytest.raises(IngestError):
        load(str(p))


def make_odt(body: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    return _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": content})


def test_odt_headings_spaces_lists_and_tables(tmp_path):
    body = (
        '<text:h text:outline-level="1">西湖中学教研工作计划</text:h>'
        '<text:p>本学期<text:s text:c="2"/>重点<text:tab/>如下<text:note><text:note-body>'
        "<text:p>脚注不是正文</text:p></text:note-body></text:note>。</text:p>"
        "<text:list><text:list-item><text:p>1.每周教研一次</text:p></text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell><text:p>月份</text:p></table:table-cell>"
        '<table:table-cell table:number-columns-spanned="2"><text:p>内容</text:p></table:table-cell>'
        "<table:covered-table-cell/></table:table-row>"
        "<table:table-row><table:table-cell><text:p>三月</text:p></table:table-cell>"
        "<table:table-cell/><table:table-cell><text:p>公开课</text:p></table:table-cell></table:table-row>"
        "</table:table>"
    )
    p = tmp_path / "plan.odt"
    p.write_bytes(make_odt(body))
    src = load(str(p))
    assert src.text == "西湖中学教研工作计划\n本学期  重点\t如下。\n1.每周教研一次\n月份\t内容\n三月\t\t公开课"
    heading = next(x for x in src.parts if x.level)
    assert (src.text[heading.start : heading.end], heading.level) == ("西湖中学教研工作计划", 1)
    assert [src.text[x.start : x.end] for x in src.parts if x.kind == "table-row"] == ["月份\t内容", "三月\t\t公开课"]


def _rtf(body: str) -> bytes:
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}" + body + "}").encode("ascii")


def _gbk(s: str) -> str:
    return "".join(f"\\'{b:02x}" for b in s.encode("gbk"))


def test_rtf_code_page_unicode_escapes_and_table(tmp_path):
    body = (
        _gbk("安全工作计划")
        + "\\par "
        + "\\u20840?\\u24180?"
        + _gbk("开展演练")
        + "4"
        + _gbk("次")
        + "\\par "
        + "\\trowd\\cellx2000\\cellx4000 "
        + _gbk("项目")
        + "\\cell "
        + _gbk("次数")
        + "\\cell\\row "
        + "\\trowd\\cellx2000\\cellx4000 "
        + _gbk("演练")
        + "\\cell 4\\cell\\row "
    )
    p = tmp_path / "plan.rtf"
    p.write_bytes(_rtf(body))
    src = load(str(p))
    assert src.format == "rtf"
    lines = src.text.strip("\n").split("\n")
    assert lines[:4] == ["安全工作计划", "全年开展演练4次", "项目\t次数", "演练\t4"]
    assert [src.text[x.start : x.end] for x in src.parts if x.kind == "table-row"] == ["项目\t次数", "演练\t4"]
    # Word saves RTF under a .doc name: read as what it is
    d = tmp_path / "plan.doc"
    d.write_bytes(_rtf(body))
    assert load(str(d)).text == src.text


def test_containers_recognised_by_content_not_name(tmp_path):
    odt = make_odt("<text:p>一、指导思想</text:p>")
    ofd = make_ofd([[_text_object(1, 20, 20, 4, "一、指导思想")]])
    assert sniff(odt) == ".odt" and sniff(ofd) == ".ofd"
    for name, data in (("a.wps", odt), ("b.doc", odt), ("c.wps", ofd), ("d.docx", odt)):
        p = tmp_path / name
        p.write_bytes(data)
        assert load(str(p)).text == "一、指导思想", name
