"""The shared writers (plantext/report/files.py, tables.py, jsonout.py): never overwrite without
force, leave no half or stray file, keep document text from becoming a spreadsheet formula."""

from __future__ import annotations

import json

import pytest

from plantext.errors import UsageError
from plantext.report.files import OutputExists, write_bytes, write_chunks, write_text
from plantext.report.jsonout import dumps, dumps_lines, iter_dumps
from plantext.report.tables import Sheet, csv_bytes, write_table

pytestmark = pytest.mark.usefixtures("english")  # asserts the English wording of messages


def test_write_refuses_an_existing_file_unless_forced(tmp_path):
    out = tmp_path / "sub" / "a.txt"
    write_text(out, "一、工作目标")  # parent folders are created
    with pytest.raises(OutputExists, match="a.txt: already exists$") as e:  # the library names no CLI flag
        write_text(out, "二、主要任务")
    assert isinstance(e.value, UsageError) and e.value.hint == "hint.force"
    write_text(out, "二、主要任务", force=True)
    assert out.read_text(encoding="utf-8") == "二、主要任务"


def test_a_failed_write_leaves_no_temp_file(tmp_path):
    from plantext.errors import OutputError

    (tmp_path / "report.html").mkdir()  # a folder where the file should go
    with pytest.raises(OutputError):  # one line naming the file, not an OSError traceback
        write_bytes(tmp_path / "report.html", b"<html>", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_csv_has_a_bom_and_guards_formulas(tmp_path):
    sheet = Sheet(
        "targets", ["text", "value", "flags"], [["=SUM(A1)", -5, ["conflict", "placeholder"]], ["-3学时", 1.5, None]]
    )
    data = csv_bytes(sheet)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        "text,value,flags",
        "'=SUM(A1),-5,conflict; placeholder",
        "'-3学时,1.5,",
    ]


def test_write_table_by_extension(tmp_path):
    sheet = Sheet("plans", ["id", "kinds"], [["a.txt", ["指导思想", "工作目标"]], ["b.txt", []]])
    write_table(tmp_path / "t.jsonl", sheet)
    assert [json.loads(x) for x in (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()] == [
        {"id": "a.txt", "kinds": ["指导思想", "工作目标"]},
        {"id": "b.txt", "kinds": []},
    ]
    write_table(tmp_path / "t.xlsx", [sheet, Sheet("empty", ["x"])])
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames == ["plans", "empty"]
    assert [[c.value for c in r] for r in wb["plans"].iter_rows()] == [
        ["id", "kinds"],
        ["a.txt", "指导思想; 工作目标"],
        ["b.txt", None],
    ]
    with pytest.raises(ValueError, match="unknown table format '.ods'"):
        write_table(tmp_path / "t.ods", sheet)
    assert not (tmp_path / "t.ods").exists()


def test_json_rounds_floats_and_keeps_chinese():
    assert dumps({"score": 0.123456, "title": "工作计划"}, indent=None) == '{"score": 0.1235, "title": "工作计划"}'
    assert dumps_lines([{"v": 1 / 3}, {"v": None}]) == '{"v": 0.3333}\n{"v": null}\n'


@pytest.mark.parametrize(
    "value",
    [
        {
            "documents": [{"id": "a.txt", "passages": [{"start": 0, "text": "一、\n目标"}]}, {"score": 1 / 3}],
            "peers": [],
        },
        [{"id": "b.txt", "nodes": [[], {}]}, 2, "三"],
        {"pairs": [], "stats": {"plans": 2, "sizes": [1, 2]}, "note": None},
        {},
        [],
    ],
)
def test_json_in_pieces_is_the_same_text(value, tmp_path):
    pieces = list(iter_dumps(value))
    assert "".join(pieces) == dumps(value)
    write_chunks(tmp_path / "out.json", pieces)
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == json.loads(dumps(value))


def test_a_failed_stream_leaves_no_file(tmp_path):
    def pieces():
        yield "{"
        raise RuntimeError("stage failed")

    with pytest.raises(RuntimeError):
        write_chunks(tmp_path / "check.json", pieces())
    assert list(tmp_path.iterdir()) == []
