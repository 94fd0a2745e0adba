"""What the command line prints about itself (help, usage, mistakes in the command line) is in
the reader's language: Chinese by default, click's English with ``--lang en``."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from plantext.cli import app

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = (
    "Usage:",
    "Error",
    "Try ",
    "Missing",
    "No such",
    "Invalid value",
    "requires an argument",
    "does not take a value",
    "Got unexpected",
    "Did you mean",
    "Possible options",
)

# a mistake, what the Chinese message says, what the English one says
MISTAKES = [
    (["check"], "缺少参数 '路径…'。", "Missing argument 'PATH...'."),
    (["check", "a.txt", "--bogus"], "没有选项 --bogus。", "No such option: --bogus"),
    (["check", "a.txt", "--format"], "选项 --format 后面要跟一个值。", "Option '--format' requires an argument."),
    (["check", "a.txt", "--stock=yes"], "选项 --stock 不带值。", "Option '--stock' does not take a value."),
    (["chek", "a.txt"], "没有命令 'chek'。是否想用：check？", "No such command 'chek'. Did you mean check?"),
    (["run", "a.txt"], "缺少选项 '-o' / '--out'。", "Missing option '-o' / '--out'."),
    (
        ["similar", "a.txt", "--threshold", "abc"],
        "'--threshold' / '-t' 的值无效：应为数字（如 0.5）。",
        "Invalid value for '--threshold' / '-t': a number is expected (e.g. 0.5).",
    ),
    (["index", "stats", "extra", "--db", "x.db"], "多余的参数：extra", "Got unexpected extra argument(s) (extra)"),
    (["index", "bogus"], "没有命令 'bogus'。", "No such command 'bogus'."),
    (["split", "a.txt", "--jobs", "2"], "没有选项 --jobs。", "No such option: --jobs"),
]


def invoke(args: list[str], lang: str, monkeypatch) -> str:
    monkeypatch.setenv("PLANTEXT_LANG", lang)
    monkeypatch.setenv("COLUMNS", "200")  # one line per message (no folding inside the error panel)
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2, r.output
    return r.output


def panel(output: str) -> str:
    """The text of the error panel, its lines joined."""
    return " ".join(line.strip("│ ").strip() for line in output.splitlines() if line.startswith("│"))


@pytest.mark.parametrize("args,zh,en", MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES])
def test_command_line_mistakes_in_chinese_by_default(args, zh, en, monkeypatch):
    out = invoke(args, "zh", monkeypatch)
    assert panel(out).startswith(zh)
    first = out.splitlines()[0]
    assert first.startswith("用法：plantext") and "[选项]" in first
    assert "查看帮助" in out.splitlines()[1]
    assert not [w for w in ENGLISH if w in out]


@pytest.mark.parametrize("args,zh,en", MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES])
def test_command_line_mistakes_in_english_on_request(args, zh, en, monkeypatch):
    out = invoke(["--lang", "en", *args], "zh", monkeypatch)
    assert panel(out).startswith(en)
    assert out.startswith("Usage: plantext") and "for help." in out.splitlines()[1]
    assert not CJK.search(out.replace("路径", ""))


def test_no_such_option_names_the_close_ones(monkeypatch):
    out = invoke(["check", "a.txt", "--agains", "b.txt"], "zh", monkeypatch)
    # (click's close matches: --engine, the Spark engine's option, is close to --agains too)
    assert panel(out) == "没有选项 --agains。（可能是：--against、--engine）"


def _commands(cmd, path=()):
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _commands(sub, path + (name,))


def test_every_help_text_is_in_chinese(monkeypatch):
    """Every command and option has its Chinese help (a catalog entry), once the tree is localized."""
    from plantext.cli.localize import localize

    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    root = typer.main.get_command(app)
    localize(root)
    missing = []
    for path, cmd in _commands(root):
        texts = [("", cmd.help or "")] + [(p.name, getattr(p, "help", None) or "") for p in cmd.params]
        for name, text in texts:
            # a list of formats (json | table) reads the same in both languages
            if text and not CJK.search(text) and not re.fullmatch(r"[a-z0-9 |]+", text):
                missing.append((" ".join(path), name, text[:40]))
    assert missing == []


@pytest.mark.parametrize("path", [[], ["check"], ["run"], ["report"], ["index"], ["index", "add"], ["targets"]])
def test_help_usage_line(path, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    r = CliRunner().invoke(app, [*path, "-h"])
    assert r.exit_code == 0, r.output
    assert "用法：plantext" in r.output and "Usage" not in r.output
    assert "<list[str]>" not in r.output and "{paths}" not in r.output
    monkeypatch.setenv("PLANTEXT_LANG", "en")
    r = CliRunner().invoke(app, [*path, "-h"])
    usage = next(line for line in r.output.splitlines() if line.strip())
    assert usage.strip().startswith("Usage: plantext") and not CJK.search(usage) and "Options" in r.output
