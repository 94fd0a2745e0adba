"""What every command shares (plantext/cli/app.py, cli/tables.py): the output format from
--format or the -o extension, refusing an existing output before the work, a batch that goes on
past one plan's failure, metadata read before the inputs, tables to the terminal or a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from plantext.cli import app
from plantext.cli.app import Session, output_format, to_file_as

PLAN = """城南小学青年教师培训计划

一、培训目标
本学期组织青年教师开展教学基本功培训，每人听课不少于20节。

二、培训安排
3月20日前完成师徒结对，每月开展一次主题研讨，全年培训不少于36学时。
"""


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")  # the messages below are asserted in English


def _code(fn) -> int:
    with pytest.raises(typer.Exit) as e:
        fn()
    return e.value.exit_code


def test_format_from_extension_flag_or_fallback(tmp_path, capsys):
    s = Session()
    files = ("json", "csv", "xlsx")
    assert output_format(s, "", tmp_path / "a.XLSX", ("json", "csv", "table"), files) == "xlsx"
    assert output_format(s, "csv", tmp_path / "a.csv", ("json", "csv", "table"), files) == "csv"
    # not a terminal under pytest: the fallback, and an extension outside ``files`` with --format given
    assert output_format(s, "", None, ("json", "table"), fallback="json") == "json"
    assert output_format(s, "table", tmp_path / "a.txt", ("json", "csv", "table"), files) == "table"
    assert output_format(s, "", Path("-"), ("jsonl", "table"), ("jsonl",), fallback="jsonl") == "jsonl"
    assert not s.failed


@pytest.mark.parametrize(
    "fmt, out, message",
    [
        ("xml", None, "--format must be json, csv or table, not 'xml'"),
        ("xlsx", None, "xlsx is written to a file: use -o FILE.xlsx"),
        ("csv", "a.json", "--format csv does not match"),
        ("", "a.txt", "a.txt: unknown output format '.txt' (use .json, .csv or .xlsx)"),
    ],
)
def test_format_refusals_exit_2(tmp_path, capsys, fmt, out, message):
    s = Session()
    output = tmp_path / out if out else None
    assert _code(lambda: output_format(s, fmt, output, ("json", "csv", "table"), ("json", "csv", "xlsx"))) == 2
    assert message in capsys.readouterr().err


def test_to_file_as_needs_a_file_with_that_extension(tmp_path):
    assert to_file_as(tmp_path / "t.CSV", "csv")
    assert not to_file_as(tmp_path / "t.txt", "csv")
    assert not to_file_as(Path("-"), "csv") and not to_file_as(None, "csv")


def test_refuse_existing_only_for_an_existing_file_without_force(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")  # the CLI adds the flag from the error's hint
    s = Session()
    out = tmp_path / "o.json"
    s.refuse_existing(out)  # absent: fine
    s.refuse_existing(Path("-"))
    out.write_text("keep")
    s.refuse_existing(out, force=True)
    assert _code(lambda: s.refuse_existing(out)) == 2
    assert f"{out}: already exists (use --force to overwrite)" in capsys.readouterr().err


def test_per_plan_reports_a_failure_and_goes_on(capsys):
    class P:
        def __init__(self, id):
            self.id = id

    def work(p):
        if p.id == "b":
            raise ValueError("no heading")
        return [p.id.upper()]

    s = Session()
    assert s.per_plan([P("a"), P("b"), P("c")], work, "outline") == [["A"], [], ["C"]]
    assert s.failed
    assert capsys.readouterr().err == "plantext: b: outline failed: ValueError: no heading\n"


def test_read_with_meta_stops_on_a_bad_manifest_before_reading(tmp_path, capsys):
    bad = tmp_path / "m.csv"
    bad.write_text("school,year\n城南小学,2024\n", encoding="utf-8")
    s = Session()
    assert _code(lambda: s.read_with_meta([str(tmp_path / "missing.txt")], bad, None)) == 2
    err = capsys.readouterr().err
    assert "m.csv" in err and "missing.txt" not in err


def test_read_with_meta_fills_plan_meta(tmp_path):
    d = tmp_path / "east" / "2024"
    d.mkdir(parents=True)
    (d / "plan.txt").write_text(PLAN, encoding="utf-8")
    inputs = Session().read_with_meta([str(tmp_path / "east")], None, "{region}/{year}/*")
    assert [(p.meta["region"], p.meta["year"]) for p in inputs.plans] == [("east", 2024)]


def test_targets_writes_csv_to_a_file_named_otherwise_when_asked(tmp_path):
    f = tmp_path / "plan.txt"
    f.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "targets.txt"  # not a table extension: --format csv is written as text
    r = CliRunner().invoke(app, ["targets", str(f), "-f", "csv", "-o", str(out)])
    assert r.exit_code == 0, r.output
    head, *rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert head.split(",")[:3] == ["id", "source", "plan"] and len(rows) >= 3
    r = CliRunner().invoke(app, ["targets", str(f), "-o", str(out)])
    assert r.exit_code == 2 and "unknown output format '.txt'" in r.stderr


def test_split_table_to_a_file_is_plain_text(tmp_path):
    f = tmp_path / "plan.txt"
    f.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "plans.txt"
    r = CliRunner().invoke(app, ["split", str(f), "-f", "table", "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "1 plans in 1 files" in text and "城南小学青年教师培训计划" in text and "\x1b[" not in text
    r = CliRunner().invoke(app, ["split", str(f), "-f", "json", "-o", str(out)])
    assert r.exit_code == 1 and "already exists" in r.stderr and "城南小学" in out.read_text(encoding="utf-8")


def test_sections_json_file_by_extension(tmp_path):
    f = tmp_path / "plan.txt"
    f.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "s.json"
    r = CliRunner().invoke(app, ["sections", str(f), "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [str(f)]
    r = CliRunner().invoke(app, ["sections", str(f), "-f", "csv", "-o", str(out), "--force"])
    assert r.exit_code == 2 and "--format csv does not match" in r.stderr


@pytest.mark.parametrize("command", ["similar", "check"])
def test_a_missing_library_is_one_line_before_the_reading(tmp_path, command, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")
    db = tmp_path / "none.db"
    r = CliRunner().invoke(app, [command, str(tmp_path / "missing.txt"), "--index", str(db), "-f", "json"])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [f"plantext: {db}: no such library (create it with `plantext index add`)"]
