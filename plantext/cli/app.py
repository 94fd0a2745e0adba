"""The Typer app and what every command shares: reading inputs with per-file errors, output
to stdout or a file that is never overwritten without --force, and the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..report.files import OutputExists, write_text

app = typer.Typer(
    name="plantext",
    help="Read, split, outline and compare Chinese plan documents (工作计划, 培训计划, 实施方案).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Paths = Annotated[list[str], typer.Argument(help="Files or folders ('-' reads stdin).", show_default=False)]
Encoding = Annotated[Optional[str], typer.Option("--encoding", help="Force the text encoding of .txt and .html inputs (e.g. gb18030, big5).")]
Errors = Annotated[str, typer.Option("--errors", help="Undecodable bytes: 'strict' (an error) or 'replace' (U+FFFD).")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite output files that exist.")]
Output = Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of stdout.")]


class Session:
    """Collects failures so that a batch goes on and the exit code says something failed."""

    def __init__(self) -> None:
        self.failed = False

    def error(self, msg: str) -> None:
        self.failed = True
        typer.echo(f"plantext: {msg}", err=True)

    def warn(self, msg: str) -> None:
        typer.echo(f"plantext: warning: {msg}", err=True)

    def read(self, paths: list[str], encoding: str | None = None, errors: str = "strict"):
        from ..inputs import read_inputs

        if errors not in ("strict", "replace"):
            self.fail(f"--errors must be 'strict' or 'replace', not {errors!r}")
        return read_inputs(paths, encoding=encoding, errors=errors, on_error=lambda e: self.error(str(e)))

    def emit(self, text: str, output: Path | None = None, force: bool = False) -> None:
        """Print to stdout, or write to ``output`` (refused if it exists and not --force)."""
        if output is None or str(output) == "-":
            sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
            return
        try:
            write_text(output, text, force)
        except OutputExists as e:
            self.error(str(e))

    def fail(self, msg: str) -> None:
        self.error(msg)
        raise typer.Exit(2)

    def done(self) -> None:
        raise typer.Exit(1 if self.failed else 0)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def main() -> None:  # console-script entry point
    try:
        app()
    except BrokenPipeError:  # `plantext ... | head`
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        typer.echo("plantext: interrupted", err=True)
        sys.exit(130)
