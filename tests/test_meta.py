from pathlib import Path

import pytest

from plantext.inputs import read_inputs
from plantext.meta import MetaError, apply_meta, compile_pattern, from_path, load_manifest, meta_fields

pytestmark = pytest.mark.usefixtures("english")  # asserts the English wording of messages

DATA = Path(__file__).parent / "data" / "research"
PLANS = DATA / "plans"


@pytest.fixture(scope="module")
def plans():
    return read_inputs([str(PLANS)]).plans


def by_name(plans):
    return {Path(p.source.path).name: p for p in plans}


def test_manifest_paths_relative_to_the_manifest(plans):
    rep = apply_meta(plans, load_manifest(DATA / "manifest.csv"))
    assert rep.matched == 10 and rep.unmatched == [] and rep.unused == []
    p = by_name(plans)["西林中学教育信息化工作计划.txt"]
    assert p.meta == {"group": "信息化", "region": "城西区", "year": 2024, "school_type": "中学"}
    assert meta_fields(plans) == ["group", "region", "year", "school_type"]


def test_manifest_path_as_given_by_name_and_by_id(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")
    a = tmp_path / "a" / "计划.txt"
    b = tmp_path / "b" / "方案.txt"
    c = tmp_path / "c" / "要点.txt"
    for f in (a, b, c):
        f.parent.mkdir()
        f.write_text("工作计划\n一、工作目标\n提高质量。\n", encoding="utf-8")
    man = tmp_path / "m.csv"
    man.write_text(f"path,id,year\n{a},,2021\n方案.txt,,2022\n,{c},2023\nnothing.txt,,2020\n", encoding="utf-8")
    plans = read_inputs([str(a), str(b), str(c)]).plans
    rep = apply_meta(plans, str(man))
    assert [p.meta.get("year") for p in plans] == [2021, 2022, 2023]
    assert rep.unused == [5]
    assert rep.warnings("m.csv") == ["m.csv: 1 rows match no input (lines 5)"]
    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    assert rep.warnings("m.csv") == ["m.csv：1 行没有对应任何输入（第 5 行）"]


def test_name_shared_by_two_rows_is_not_guessed(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")
    f = tmp_path / "x" / "plan.txt"
    f.parent.mkdir()
    f.write_text("计划\n内容。\n", encoding="utf-8")
    man = tmp_path / "m.csv"
    man.write_text("path,region\none/plan.txt,甲\ntwo/plan.txt,乙\n", encoding="utf-8")
    plans = read_inputs([str(f)]).plans
    rep = apply_meta(plans, str(man))
    assert plans[0].meta == {} and rep.unmatched == [str(f)]
    assert rep.warnings(str(man))[0].startswith("1 plans have no metadata in ")


def test_gbk_manifest_from_excel(tmp_path):
    man = tmp_path / "m.csv"
    man.write_bytes("path,学校类型\nx.txt,幼儿园\n".encode("gb18030"))
    m = load_manifest(man)
    assert m.fields == ["学校类型"] and m.rows == [{"学校类型": "幼儿园"}]


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty file (expected a header row with a 'path' or 'id' column)"),
        ("name,year\na,1\n", "no 'path' or 'id' column (columns: name, year)"),
        ("path,year\na.txt,2020\nb.txt\n", "line 3: 1 fields, the header has 2"),
        ("path,year\na.txt,2020\n\na.txt,2021\n", "line 4: path 'a.txt' already on line 2"),
        ("path,,year\na,b,c\n", "line 1: column 2 has no name"),
        ("path,year,year\na,b,c\n", "line 1: column 'year' appears twice"),
        ("path,year\n,2020\n", "line 2: empty path"),
    ],
)
def test_bad_manifest_names_file_and_line(tmp_path, content, message):
    man = tmp_path / "bad.csv"
    man.write_text(content, encoding="utf-8")
    with pytest.raises(MetaError) as e:
        load_manifest(man)
    assert str(e.value) == f"{man}: {message}"


def test_missing_and_binary_manifest(tmp_path):
    with pytest.raises(MetaError, match=r"nope\.csv: no such file$"):
        load_manifest(tmp_path / "nope.csv")
    x = tmp_path / "book.xlsx"
    x.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(MetaError, match=r"book\.xlsx: binary file"):
        load_manifest(x)


def test_meta_from_path_pattern(plans):
    rep = apply_meta(plans, pattern="{region}/{year}/*")
    assert rep.unmatched == []
    p = by_name(plans)["东湖小学智慧课堂建设实施方案.txt"]
    assert p.meta["region"] == "城东区" and p.meta["year"] == 2023


def test_pattern_parts_of_names_and_folders_only():
    assert from_path("data/2023/城关区_小学.txt", "{year}/{region}_{type}.txt") == {
        "year": 2023,
        "region": "城关区",
        "type": "小学",
    }
    assert from_path("data/城关区/2023/a.txt", "{region}/{year}") == {"region": "城关区", "year": 2023}
    assert from_path("a.txt", "{region}/{year}/*") is None
    assert from_path("x/0571/a.txt", "{code}/*") == {"code": "0571"}  # leading zero stays text


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("region/year", "no {field}"),
        ("{region/*", "unbalanced '{'"),
        ("{1x}/*", "is not a field name"),
        ("{a}/{a}/*", "appears twice"),
    ],
)
def test_bad_pattern(pattern, message):
    with pytest.raises(MetaError, match=message):
        compile_pattern(pattern)


def test_manifest_wins_over_pattern(plans, tmp_path):
    man = tmp_path / "m.csv"
    man.write_text("path,region\n西林小学师德培训计划.txt,西林镇\n", encoding="utf-8")
    apply_meta(plans, str(man), pattern="{region}/{year}/*")
    p = by_name(plans)["西林小学师德培训计划.txt"]
    assert p.meta["region"] == "西林镇" and p.meta["year"] == 2022


def test_id_column_names_one_plan_of_a_page(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "学校工作计划（精选2篇）\n\n学校工作计划 篇1\n\n一、工作目标\n提高教学质量，开展校本研修。\n"
        "\n学校工作计划 篇2\n\n一、工作目标\n加强师德建设，提高职业道德水平。\n",
        encoding="utf-8",
    )
    plans = read_inputs([str(page)]).plans
    assert [p.id for p in plans] == [f"{page}#1", f"{page}#2"]
    man = tmp_path / "m.csv"
    man.write_text(f"id,topic\n{page}#2,师德\n", encoding="utf-8")
    rep = apply_meta(plans, str(man))
    assert [p.meta for p in plans] == [{}, {"topic": "师德"}] and rep.unmatched == [f"{page}#1"]
