"""The Typer app and what every command shares: reading inputs with per-file errors, output
to stdout or a file that is never overwritten without --force, and the exit code."""

from __future__ import annotations

__all__ = [
    "GREEDY",
    "expand_greedy",
    "take_lang",
    "PlantextGroup",
    "File",
    "Paths",
    "Encoding",
    "Errors",
    "Force",
    "Output",
    "Against",
    "Boilerplate",
    "Stock",
    "Jobs",
    "Meta",
    "MetaFromPath",
    "MaxSize",
    "explain",
    "Session",
    "write_stdout",
    "refuse_overlap",
    "check_encoding",
    "read_counts",
    "stdout_is_terminal",
    "to_file_as",
    "output_format",
    "main",
]

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional, TypeGuard, TypeVar, overload

import typer
from typer.core import TyperGroup

from ..errors import PlantextError, os_reason
from ..i18n import tr
from ..names import printable
from ..report.files import write_text

if TYPE_CHECKING:  # pragma: no cover
    from typer import _click

    from ..inputs import Inputs
    from ..meta import Manifest
    from ..model import Plan
    from ..report.tables import Sheet

T = TypeVar("T")

# Options that take every path after them (``--against refs/*.txt``): the shell expands the glob
# into many words, and click would give the option only the first. ``PlantextGroup`` rewrites
# ``--against a b c`` into ``--against a --against b --against c`` before click parses.
GREEDY = ("--against", "--boilerplate")


def expand_greedy(args: Sequence[str], names: Sequence[str] = GREEDY) -> list[str]:
    """``args`` with every word after a greedy option (up to the next option or ``--``) given to
    that option: ``["s", "--against", "a", "b", "-o", "x"]`` -> ``["s", "--against", "a",
    "--against", "b", "-o", "x"]``. ``--against=a b`` works too; a lone ``-`` (stdin) is a value."""
    out: list[str] = []
    opt: str | None = None  # the greedy option the words now belong to
    fresh = False  # the next word is the value click expects right after the option
    for i, a in enumerate(args):
        if a == "--":
            out.extend(args[i:])
            break
        if a.startswith("-") and a != "-":
            name = a.partition("=")[0]
            opt = name if name in names else None
            fresh = opt is not None and "=" not in a
        else:
            if opt is not None and not fresh:
                out.append(opt)
            fresh = False
        out.append(a)
    return out


# global options that may stand anywhere on the command line, and the variable each sets
GLOBAL_ENV = {"--lang": "PLANTEXT_LANG", "--ocr": "PLANTEXT_OCR"}


def take_lang(args: list[str]) -> list[str]:
    """Remove the global options (``--lang X``, ``--ocr auto|always|never``, or ``--opt=X``) from
    anywhere before ``--`` and set their environment variables (GLOBAL_ENV), so
    ``plantext check ... --lang en`` works as well as ``plantext --lang en check ...``."""
    import os

    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            out.extend(args[i:])
            break
        name, eq, value = a.partition("=")
        if name in GLOBAL_ENV and (eq or i + 1 < len(args)):
            os.environ[GLOBAL_ENV[name]] = value if eq else args[i + 1]
            i += 1 if eq else 2
            continue
        out.append(a)
        i += 1
    return out


class PlantextGroup(TyperGroup):
    """The top-level command: ``--lang`` anywhere, greedy path options, help in the reader's language."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        args = expand_greedy(take_lang(list(args)))
        from .localize import localize

        localize(self)
        return super().parse_args(ctx, args)


app = typer.Typer(
    name="plantext",
    cls=PlantextGroup,
    help="Read, split, outline and compare Chinese plan documents (工作计划, 培训计划, 实施方案).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    lang: Annotated[
        Optional[str],
        typer.Option("--lang", help="Language of everything printed: zh (Chinese, the default) or en (English)."),
    ] = None,
    ocr: Annotated[
        Optional[str],
        typer.Option(
            "--ocr", help="OCR of scanned pages and images: auto (image-only pages, the default), always or never."
        ),
    ] = None,
) -> None:
    """The global options (``--lang`` is taken out of the arguments wherever it stands, see PlantextGroup)."""


File = Annotated[str, typer.Argument(help="One file ('-' reads stdin).")]
Paths = Annotated[list[str], typer.Argument(help="Files or folders ('-' reads stdin).", show_default=False)]
Encoding = Annotated[
    Optional[str],
    typer.Option("--encoding", help="Force the text encoding of .txt and .html inputs (e.g. gb18030, big5)."),
]
Errors = Annotated[str, typer.Option("--errors", help="Undecodable bytes: 'strict' (an error) or 'replace' (U+FFFD).")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite output files that exist.")]
Output = Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of stdout.")]
Against = Annotated[
    Optional[list[str]],
    typer.Option(
        "--against",
        help="Reference files or folders (template pages, past plans); without it the submissions are checked against each other.",
    ),
]
Boilerplate = Annotated[
    Optional[list[str]],
    typer.Option(
        "--boilerplate",
        help="Files or folders of text that is boilerplate wherever it appears (never counted as copied).",
    ),
]
Stock = Annotated[
    bool,
    typer.Option(
        "--stock/--no-stock", help="Treat the shipped stock phrases (policy slogans, set sentences) as boilerplate."
    ),
]
Jobs = Annotated[
    Optional[int],
    typer.Option(
        "--jobs",
        "-j",
        help="Worker processes for per-file work (default: the number of cores); the output is the same.",
        show_default=False,
    ),
]
Meta = Annotated[
    Optional[Path], typer.Option("--meta", help="CSV manifest: a 'path' (or 'id') column and metadata columns.")
]
MetaFromPath = Annotated[
    Optional[str], typer.Option("--meta-from-path", help="Metadata from folders, e.g. '{region}/{year}/*'.")
]
SparkMaster = Annotated[
    Optional[str], typer.Option("--master", help="Spark master URL (default local[*]; with --engine spark).")
]
SparkPartitions = Annotated[
    Optional[int],
    typer.Option("--partitions", min=1, help="Spark partitions for reading and shuffles (with --engine spark)."),
]
MaxSize = Annotated[
    Optional[str],
    typer.Option(
        "--max-size",
        help="Largest input file read, and the most a .docx or PDF may inflate to (e.g. 200MB, 1GB; default 200MB).",
        show_default=False,
    ),
]


def explain(err: BaseException | str) -> str:
    """One line for the terminal: the error's message, plus the option that helps (its ``hint``).

    The library's messages name no command-line flag; the CLI adds it here from the hint key."""
    if isinstance(err, PlantextError) and err.hint:
        return f"{err} ({tr(err.hint)})"
    return str(err)


class Session:
    """Collects failures so that a batch goes on and the exit code says something failed."""

    def __init__(self) -> None:
        self.failed = False

    def error(self, msg: BaseException | str) -> None:
        """One error line (a plantext error gets its hint); the batch goes on, the exit code is 1."""
        self.failed = True
        _echo_err(f"plantext: {printable(explain(msg))}")

    def warn(self, msg: str) -> None:
        _echo_err(f"plantext: {tr('run.warning', msg=printable(msg))}")

    def info(self, msg: str) -> None:
        """A one-line note on stderr (file names in it escaped)."""
        _echo_err(printable(msg))

    def max_size(self) -> int | None:
        """``--max-size`` of the running command (None: the default), checked once."""
        from ..errors import UsageError
        from ..ingest import parse_size

        ctx = _current_context()
        value = ctx.params.get("max_size") if ctx is not None else None
        if value is None:
            return None
        try:
            return parse_size(value)
        except UsageError as e:
            self.fail(f"--max-size: {e}")

    def read(self, paths: list[str], encoding: str | None = None, errors: str = "strict") -> Inputs:
        """Read the inputs (one error line per unreadable file). A bad --encoding or --errors stops
        before any reading; the command's own output (-o) is never read as an input, nor
        overwritten when it names one."""
        from ..inputs import read_inputs

        if errors not in ("strict", "replace"):
            self.fail(tr("cli.errors_choice", value=errors))
        check_encoding(self, encoding)
        outputs = self.outputs()
        self.refuse_input_as_output(paths, outputs)
        return read_inputs(
            paths,
            encoding=encoding,
            errors=errors,
            on_error=self.error,
            max_size=self.max_size(),
            exclude=outputs,
        )

    def outputs(self) -> list[str]:
        """The files or folders the running command writes (its -o / --out), as given."""
        ctx = _current_context()
        params = ctx.params if ctx is not None else {}
        out = [params.get("output"), params.get("out")]
        return [str(o) for o in out if o is not None and str(o) not in ("", "-")]

    def refuse_input_as_output(self, paths: Sequence[str], outputs: Sequence[str]) -> None:
        """Stop (exit 2) when -o names one of the input files (with --force it would be
        overwritten by the results) or an input folder."""
        import os

        if not outputs:
            return
        real = {os.path.realpath(o): o for o in outputs}
        for p in paths:
            if p != "-" and os.path.realpath(p) in real and os.path.exists(p):
                key = "hostile.out_is_input_folder" if os.path.isdir(p) else "hostile.output_is_input"
                self.fail(PlantextError(key=key, path=real[os.path.realpath(p)]))

    @overload
    def read_with_meta(
        self,
        paths: list[str],
        meta: Path | None,
        meta_from_path: str | None,
        encoding: str | None = None,
        errors: str = "strict",
        quiet: bool = False,
        references: None = None,
    ) -> Inputs: ...

    @overload
    def read_with_meta(
        self,
        paths: list[str],
        meta: Path | None,
        meta_from_path: str | None,
        encoding: str | None = None,
        errors: str = "strict",
        quiet: bool = False,
        *,
        references: list[str],
    ) -> tuple[Inputs, Inputs | None]: ...

    def read_with_meta(
        self,
        paths: list[str],
        meta: Path | None,
        meta_from_path: str | None,
        encoding: str | None = None,
        errors: str = "strict",
        quiet: bool = False,
        references: list[str] | None = None,
    ) -> Inputs | tuple[Inputs, Inputs | None]:
        """``read`` plus --meta/--meta-from-path; a bad manifest or pattern stops before the reading.
        ``quiet``: no warnings about unmatched plans. ``references``: paths read with the same
        manifest (rows naming a reference are not "rows that match no input"); then the result
        is ``(inputs, reference inputs)``."""
        from ..meta import apply_meta

        manifest = self.manifest(meta, meta_from_path)
        inputs = self.read(paths, encoding, errors)
        refs = self.read(references, encoding, errors) if references else None
        if manifest or meta_from_path:
            rep = apply_meta(inputs.plans, manifest, meta_from_path, also=refs.plans if refs else ())
            for w in [] if quiet else rep.warnings(str(meta) if meta else None):
                self.warn(w)
        return inputs if references is None else (inputs, refs)

    def manifest(self, meta: Path | None, meta_from_path: str | None) -> Manifest | None:
        """The --meta manifest (None without one); a bad manifest or --meta-from-path pattern stops here,
        before any reading."""
        from ..meta import MetaError, compile_pattern, load_manifest

        try:
            manifest = load_manifest(meta) if meta else None
            if meta_from_path:
                compile_pattern(meta_from_path)
        except MetaError as e:
            self.fail(e)
        return manifest

    def per_plan(self, plans: Sequence[Plan], fn: Callable[[Plan], list[T]], what: str) -> list[list[T]]:
        """``[fn(plan) ...]``; a plan whose ``fn`` raises gets one error line and ``[]``, so the batch goes on."""
        out: list[list[T]] = []
        for p in plans:
            try:
                out.append(fn(p))
            except Exception as e:
                self.error(f"{p.id}: " + tr("cmd.failed", what=what, why=f"{type(e).__name__}: {e}"))
                out.append([])
        return out

    def emit(self, text: str, output: Path | None = None, force: bool = False) -> None:
        """Print to stdout, or write to ``output`` (refused if it exists and not --force)."""
        if not _to_file(output):
            write_stdout(text if text.endswith("\n") or not text else text + "\n")
            return
        from ..errors import PlantextError

        try:
            write_text(output, text, force)
        except PlantextError as e:
            self.error(e)

    def write_table(self, output: Path, sheets: Sheet | Sequence[Sheet], force: bool = False) -> None:
        """``report.tables.write_table`` (format by extension); an existing file is an error line."""
        from ..errors import PlantextError
        from ..report.tables import write_table

        try:
            write_table(output, sheets, force)
        except PlantextError as e:
            self.error(e)

    def refuse_existing(self, output: Path | None, force: bool = False) -> None:
        """Stop (exit 2) before the long work when -o names a file that exists and not --force,
        a folder, or a place that cannot be written."""
        from ..report.files import check_output

        if _to_file(output):
            try:
                check_output(output, force)
            except PlantextError as e:
                self.fail(e)

    def fail(self, msg: BaseException | str) -> NoReturn:
        self.error(msg)
        raise typer.Exit(2)

    def done(self) -> None:
        raise typer.Exit(1 if self.failed else 0)


def check_encoding(s: Session, encoding: str | None) -> None:
    """Stop (exit 2) on an --encoding Python does not know, or one that is no text encoding
    (base64, zlib ...): said once, not once for every file of the batch."""
    if not encoding:
        return
    import codecs

    try:
        info = codecs.lookup(encoding)
    except LookupError:
        s.fail(tr("cli.bad_encoding", encoding=encoding))
    if not getattr(info, "_is_text_encoding", True):
        s.fail(tr("cli.bad_encoding", encoding=encoding))


def _current_context() -> Any:
    """The running command's click context (typer may vendor its own click: typer's or click's
    ``Context``, hence no one class)."""
    for mod in ("typer._click.globals", "click"):
        try:
            m = __import__(mod, fromlist=["get_current_context"])
            ctx = m.get_current_context(silent=True)
        except (ImportError, AttributeError):
            continue
        if ctx is not None:
            return ctx
    return None


def _echo_err(line: str) -> None:
    """One line on stderr, whatever its encoding (unencodable characters escaped)."""
    try:
        typer.echo(line, err=True)
    except UnicodeEncodeError:
        enc = getattr(sys.stderr, "encoding", None) or "utf-8"
        typer.echo(line.encode(enc, "backslashreplace").decode(enc), err=True)


def write_stdout(text: str) -> None:
    """Text to stdout; characters its encoding cannot hold (a strict UTF-8 or ASCII stdout)
    are escaped instead of ending the command with a traceback."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        enc = getattr(sys.stdout, "encoding", None) or "utf-8"
        sys.stdout.flush()
        data = text.encode(enc, "backslashreplace")
        buf = getattr(sys.stdout, "buffer", None)
        if buf is not None:
            buf.write(data)
            buf.flush()
        else:
            sys.stdout.write(data.decode(enc))


def refuse_overlap(s: Session, paths: Sequence[str], *others: Sequence[str] | None) -> None:
    """Stop (exit 2) when a file is both a submission and a reference (or boilerplate): it would
    be checked against itself. Folders are expanded; paths compare after resolving."""
    import os

    from ..ingest import iter_paths

    def files(ps: Sequence[str] | None) -> dict[str, str]:
        # stdin counts as one file: given on both sides it could be read only once
        return {(os.path.realpath(p) if p != "-" else "-"): p for p in iter_paths(ps or ())}

    subs = files(paths)
    for other in others:
        both = [subs[k] for k in files(other) if k in subs]
        if both:
            s.fail(tr("cli.both_submission_and_reference", path=both[0], n=len(both)))


def read_counts(
    subs: Inputs, refs: Inputs | None = None, boilerplate: Inputs | None = None, index: Path | None = None
) -> str:
    """The line every check prints: how many submissions and references were read."""
    parts = [tr("cli.read.submissions", files=len(subs.sources), plans=len(subs.plans))]
    if refs is not None:
        parts.append(tr("cli.read.references", files=len(refs.sources), plans=len(refs.plans)))
    elif index is not None:
        parts.append(tr("cli.read.library", path=index))
    else:
        parts.append(tr("cli.read.each_other"))
    if boilerplate is not None:
        parts.append(tr("cli.read.boilerplate", files=len(boilerplate.sources), plans=len(boilerplate.plans)))
    return tr("cli.read.sep").join(parts)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _to_file(output: Path | None) -> TypeGuard[Path]:
    return output is not None and str(output) != "-"


def to_file_as(output: Path | None, fmt: str) -> TypeGuard[Path]:
    """-o names a file whose extension is ``fmt`` (so the format came from it or matches it)."""
    return _to_file(output) and output.suffix.lower() == "." + fmt


def _either(names: Sequence[str]) -> str:
    sep = "、" if tr("cli.or") == "或" else ", "
    return names[0] if len(names) == 1 else f"{sep.join(names[:-1])} {tr('cli.or')} {names[-1]}"


def output_format(
    s: Session,
    format: str,
    output: Path | None,
    choices: Sequence[str],
    files: Sequence[str] = (),
    terminal: str = "table",
    fallback: str = "json",
) -> str:
    """The format asked for with --format, else the extension of -o when it is one of ``files``
    (written as a file by extension), else ``terminal`` on a terminal without -o, else ``fallback``.
    Stops (exit 2) on a format not in ``choices``, -o with an extension not in ``files`` and no
    --format, or a --format that contradicts the extension."""
    ext = output.suffix.lower()[1:] if _to_file(output) else ""
    if ext in files:
        if format and format != ext:
            s.fail(tr("cli.format_mismatch", fmt=format, output=output))
        return ext
    if ext and files and not format:
        s.fail(tr("cli.unknown_extension", output=output, ext="." + ext, exts=_either(["." + f for f in files])))
    fmt = format or (terminal if output is None and stdout_is_terminal() else fallback)
    if fmt not in choices:
        if fmt in files or fmt in ("xlsx", "csv", "html", "pdf"):  # a file format asked for on stdout
            s.fail(tr("cli.format_is_a_file", fmt=fmt))
        s.fail(tr("cli.format_choices", choices=_either(choices), fmt=fmt))
    return fmt


def main() -> None:  # console-script entry point
    import errno

    from ..errors import PlantextError

    try:
        app()
    except BrokenPipeError:  # `plantext ... | head`
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        typer.echo("plantext: " + tr("cmd.interrupted"), err=True)
        sys.exit(130)
    except SystemExit as e:  # Typer turns Ctrl-C into a silent exit 130: say what happened
        if e.code == 130:
            _echo_err("plantext: " + tr("cmd.interrupted"))
        raise
    except PlantextError as e:  # one the command did not turn into its own line
        _echo_err(f"plantext: {printable(str(e))}")
        sys.exit(1)
    except OSError as e:
        if e.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO):
            raise
        name = f"{printable(str(e.filename))}: " if e.filename else ""
        msg = (
            tr("hostile.disk_full")
            if e.errno in (errno.ENOSPC, errno.EDQUOT)
            else tr("hostile.cannot_write", reason=os_reason(e))
        )
        _echo_err(f"plantext: {name}{msg}")
        sys.exit(1)
