import csv
import io

from openpyxl import load_workbook

from plantext.report.tables import Sheet, csv_bytes, write_table


def test_csv_has_bom_and_guards_formulas():
    data = csv_bytes(Sheet("t", ["a", "b", "c"], [["=1+2", -3, "@SUM(A1)"], ["不少于", "=", ["x", "y"]]]))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["a", "b", "c"], ["'=1+2", "-3", "'@SUM(A1)"], ["不少于", "=", "x; y"]]


def test_xlsx_keeps_numbers_and_guards_text(tmp_path):
    out = tmp_path / "t.xlsx"
    write_table(out, [Sheet("one", ["n", "s"], [[1.5, '=HYPERLINK("x")'], [None, "学时"]])])
    ws = load_workbook(out)["one"]
    assert ws["A2"].value == 1.5 and ws["B2"].value == '=HYPERLINK("x")' and ws["B2"].data_type == "s"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B3"


def test_xlsx_cells_read_back_as_written(tmp_path):
    out = tmp_path / "t.xlsx"
    long = "培训" * 20000  # longer than a cell holds
    rows = [["一、\x07工作目标\x00", "https://example.org/plan", True], [long, 3, ["教务处", "德育处"]]]
    write_table(out, [Sheet("plans", ["title", "link", "ok"], rows), Sheet("empty", ["x"])])
    wb = load_workbook(out)
    ws = wb["plans"]
    assert (
        [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        == [
            ["一、工作目标", "https://example.org/plan", True],  # control characters dropped, a link stays text
            [long[:32767], 3, "教务处; 德育处"],
        ]
    )
    assert ws["B2"].hyperlink is None
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert [[c.value for c in r] for r in wb["empty"].iter_rows()] == [["x"]]


def test_short_ids_cut_the_shared_folder_only():
    from plantext.cli.tables import short_ids

    short, common = short_ids(["in/2024/a.txt", "in/2023/b.txt#2", "plantext:stock_phrases.txt", None])
    assert common == "in"
    assert short == {
        "in/2024/a.txt": "2024/a.txt",
        "in/2023/b.txt#2": "2023/b.txt#2",
        "plantext:stock_phrases.txt": "plantext:stock_phrases.txt",
    }
    assert short_ids(["a.txt", "b.txt"]) == ({"a.txt": "a.txt", "b.txt": "b.txt"}, "")
