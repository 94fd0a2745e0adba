"""One exception family: the old names are kinds of PlantextError, library messages name no CLI
flag, and the CLI adds the flag that helps from the error's hint."""

import pytest
from typer.testing import CliRunner

from plantext.cli import app
from plantext.errors import FormatError, InputError, LibraryError, OutputError, PlantextError, UsageError
from plantext.index import LibraryError as IndexLibraryError
from plantext.ingest import IngestError, load
from plantext.meta import MetaError, compile_pattern
from plantext.report.files import OutputExists
from plantext.research.plots import PlotError


def test_old_names_are_kinds_of_the_family():
    assert issubclass(IngestError, InputError) and issubclass(MetaError, InputError)
    assert issubclass(PlotError, UsageError) and issubclass(OutputExists, UsageError)
    assert IndexLibraryError is LibraryError
    for kind in (InputError, FormatError, LibraryError, UsageError, OutputError):
        assert issubclass(kind, PlantextError)


def test_undecodable_bytes_name_no_flag_but_carry_a_hint(tmp_path, english):
    f = tmp_path / "plan.txt"
    f.write_bytes("一、工作目标\n".encode() + b"\xff\xfe\x80")
    with pytest.raises(IngestError) as e:
        load(str(f), encoding="utf-8")
    assert "--" not in str(e.value) and e.value.hint == "hint.errors_replace"
    assert str(e.value) == f"{f}: {e.value.problem}" and "offset 19" in e.value.problem


def test_a_bad_path_pattern_names_no_flag(english):
    with pytest.raises(MetaError, match=r"^path pattern '\{region\}/\{region\}': \{region\} appears twice$"):
        compile_pattern("{region}/{region}")


def test_unknown_option_values_are_usage_errors(english):
    from plantext.normalize import text_view

    with pytest.raises(UsageError, match="unknown view mode 'sideways'"):
        text_view("一、目标", "sideways")


@pytest.mark.parametrize(
    "lang, problem, hint",
    [
        ("en", "cannot decode as utf-8-sig: bad byte at offset 19", "(use --errors replace to decode anyway)"),
        ("zh", "无法按 utf-8-sig 解码：第 19 字节有误", "(使用 --errors replace 仍可解码)"),
    ],
)
def test_the_cli_prints_the_message_and_the_hint(tmp_path, monkeypatch, lang, problem, hint):
    monkeypatch.setenv("PLANTEXT_LANG", lang)
    f = tmp_path / "plan.txt"
    f.write_bytes(b"\xef\xbb\xbf" + "一、工作目标\n".encode() + b"\xff\x80")
    r = CliRunner().invoke(app, ["text", str(f)])
    assert r.exit_code == 2
    line = r.stderr.strip()
    assert line == f"plantext: {f}: {problem} {hint}"
