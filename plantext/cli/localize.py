"""Help in the reader's language: command and option help from the ``cli`` message catalog.

The Typer decorators keep their English help (what a Python reader sees in the code); when the
command line is parsed, :func:`localize` walks the click command tree and replaces each help
text that has a catalog entry, keyed by where it sits:

- ``cli.cmd.<path>``          a command's help (``cli.cmd.check``, ``cli.cmd.index.add``)
- ``cli.opt.<path>.<param>``  one command's option or argument (``cli.opt.report.output``)
- ``cli.opt.<param>``         an option shared by several commands (``cli.opt.against``)

It also names the value an option takes in words (``文件``, ``FILE``) instead of Typer's
``<list[str]>`` / ``{paths}``, and translates the help panel titles and the usage line.

Errors in the command line (a missing argument, an unknown option or command, an option without
its value, a value of the wrong type, extra arguments) are raised by click (Typer's copy, which
has no gettext catalog) with English text. Each command's ``parse_args`` (and a group's
``resolve_command``) is wrapped so that such an error is raised again as a ``UsageError`` whose
message :func:`error_text` builds from the error's own fields (its class, parameter, option
name, possibilities) with the ``cli.click.*`` catalog entries; the usage line and "try -h"
come from the catalog too.
"""

from __future__ import annotations

__all__ = ["localize_command", "localize", "error_text"]

from collections.abc import Callable
from typing import Any

from ..i18n import catalog, tr

# value names by the option's annotation
_METAVAR = {float: "cli.metavar.number", int: "cli.metavar.integer"}


def _key(*parts: str) -> str | None:
    k = ".".join(parts)
    return k if k in catalog() else None


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _metavar(param: Any) -> str | None:
    """The value's name in words (Typer 0.29 runs on its own copy of click: duck-typed here)."""
    if getattr(param, "is_flag", False):
        return None
    name = param.name or ""
    if _is_argument(param):
        key = "cli.metavar.paths" if param.nargs != 1 else "cli.metavar.path"
        if name == "ids":
            key = "cli.metavar.ids"
        return tr(key)
    if name in ("against", "boilerplate"):
        return tr("cli.metavar.paths")
    if name in ("out",):
        return tr("cli.metavar.folder")
    if _key("cli.metavar", name):
        return tr(f"cli.metavar.{name}")
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and desc.is_path:
        return tr("cli.metavar.file")
    annotation = getattr(desc, "annotation", None)
    return tr(_METAVAR.get(annotation, "cli.metavar.text"))  # type: ignore[arg-type]


def _usage_name(param: Any, metavar: str) -> Callable[[], str]:
    def name() -> str:
        return metavar if param.required else f"[{metavar}]"

    return name


def _folding(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Typer lays option help out in rich Columns, whose cells cut a "word" wider than the column
    with an ellipsis; Chinese has no spaces, so a whole sentence is one word. Fold instead."""

    def get(*args: Any, **kwargs: Any) -> Any:
        cols = fn(*args, **kwargs)
        for item in getattr(cols, "renderables", ()):
            if hasattr(item, "overflow"):
                item.overflow = "fold"
        return cols

    get.__wrapped__ = fn  # type: ignore[attr-defined]
    return get


def _const(value: str | None) -> Callable[..., str | None]:
    def display(ctx: Any = None) -> str | None:
        return value

    return display


def _help_option(orig: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``get_help_option`` whose option says "show this help" in the reader's language."""

    def get(ctx: Any) -> Any:
        opt = orig(ctx)
        if opt is not None:
            opt.help = tr("cli.opt.help")
            opt.display_type_rich = _const(None)
        return opt

    get.__wrapped__ = orig  # type: ignore[attr-defined]
    return get


def _param_of(ctx: Any, option: str) -> Any:
    """The parameter of ``ctx``'s command that ``option`` (``--format``, ``-f``) names."""
    cmd = getattr(ctx, "command", None)
    for param in getattr(cmd, "params", ()):
        if option in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            return param
    return None


def _hint(err: Any, ctx: Any) -> str:
    """How click names the parameter: ``'-o' / '--out'`` or ``'路径…'``."""
    hint = getattr(err, "param_hint", None)
    if hint is None and getattr(err, "param", None) is not None:
        hint = err.param.get_error_hint()
    if hint is None:
        return ""
    return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)


def _value_kind(param: Any) -> str | None:
    """The catalog key saying what a parameter's value must be (a number, an integer, one of ...)."""
    desc = getattr(param, "type_descriptor", None)
    if desc is None:
        return None
    if getattr(desc, "is_choice", False):
        return "cli.click.expected_choice"
    annotation: Any = getattr(desc, "annotation", None)
    return {float: "cli.click.expected_number", int: "cli.click.expected_integer"}.get(annotation)


def _limits(param: Any) -> str | None:
    """What a ranged number option allows, in words (``--batch`` 至少为 1), or None."""
    desc = getattr(param, "type_descriptor", None)
    info = getattr(desc, "parameter_info", None)
    if not getattr(desc, "is_ranged", False) or info is None:
        return None
    lo, hi = getattr(info, "min", None), getattr(info, "max", None)
    if lo is not None and hi is not None:
        return tr("cli.click.in_range", min=lo, max=hi)
    if lo is not None:
        return tr("cli.click.at_least", min=lo)
    if hi is not None:
        return tr("cli.click.at_most", max=hi)
    return None


def error_text(err: Any, ctx: Any = None) -> str:
    """The message of a click usage error in the reader's language, built from its fields."""
    name = type(err).__name__
    ctx = ctx if ctx is not None else getattr(err, "ctx", None)
    if name == "MissingParameter":
        param = getattr(err, "param", None)
        kind = getattr(err, "param_type", None) or getattr(param, "param_type_name", "parameter")
        key = "cli.click.missing_argument" if kind == "argument" else "cli.click.missing_option"
        return tr(key, name=_hint(err, ctx))
    if name == "NoSuchOption":
        text = tr("cli.click.no_such_option", name=err.option_name)
        if getattr(err, "possibilities", None):
            text += tr("cli.click.possible", names=tr("cli.click.sep").join(sorted(err.possibilities)))
        return text
    if name == "BadOptionUsage":
        param = _param_of(ctx, err.option_name)
        if param is not None and getattr(param, "is_flag", False):
            return tr("cli.click.takes_no_value", name=err.option_name)
        if param is not None and (param.nargs or 1) > 1:
            return tr("cli.click.needs_values", name=err.option_name, n=param.nargs)
        return tr("cli.click.needs_value", name=err.option_name)
    if name == "BadParameter":
        param = getattr(err, "param", None)
        kind = _value_kind(param)
        if kind == "cli.click.expected_choice":
            choices = [str(c) for c in getattr(getattr(param, "type_descriptor", None), "choices", None) or ()]
            return tr("cli.click.invalid_value", name=_hint(err, ctx), reason=tr(kind, choices="|".join(choices)))
        limits = _limits(param)
        if limits is not None and "valid" not in str(getattr(err, "message", "")):  # a number out of range
            return tr("cli.click.invalid_value", name=_hint(err, ctx), reason=limits)
        if kind is not None:
            return tr("cli.click.invalid_value", name=_hint(err, ctx), reason=tr(kind))
        return tr("cli.click.invalid_value", name=_hint(err, ctx), reason=err.message)
    return str(err.format_message())


def _usage_error(err: Any, ctx: Any) -> Any:
    """``err`` as a usage error with the message in the reader's language (same exit code)."""
    cls = next(c for c in type(err).__mro__ if c.__name__ == "UsageError")
    new = cls(error_text(err, ctx), ctx)
    new.exit_code = err.exit_code
    return new


def _is_usage_error(err: BaseException) -> bool:
    return any(c.__name__ == "UsageError" for c in type(err).__mro__) and type(err).__name__ != "NoArgsIsHelpError"


def _parsing(orig: Any, is_group: bool) -> Callable[[Any, list[str]], list[str]]:
    """``parse_args`` whose usage errors are in the reader's language; extra arguments too."""

    def parse_args(ctx: Any, args: list[str]) -> list[str]:
        allow = ctx.allow_extra_args
        if not is_group:
            ctx.allow_extra_args = True  # checked below, to say it in the reader's language
        try:
            rest: list[str] = orig(ctx, args)
        except Exception as e:
            if _is_usage_error(e) and not getattr(e, "_plantext", False):
                raise _mark(_usage_error(e, ctx)) from e
            raise
        finally:
            ctx.allow_extra_args = allow
        if rest and not is_group and not allow and not ctx.resilient_parsing:
            raise _mark(_usage_error_class()(tr("cli.click.extra_args", args=" ".join(rest)), ctx))
        return rest

    parse_args.__wrapped__ = orig  # type: ignore[attr-defined]
    return parse_args


def _usage_error_class() -> type[Exception]:
    """click's UsageError (Typer 0.29 vendors its own click as ``typer._click``)."""
    try:
        from typer._click.exceptions import UsageError
    except ImportError:  # pragma: no cover - a Typer on the click package
        from click.exceptions import UsageError as ClickUsageError

        return ClickUsageError
    return UsageError


def _mark(err: Any) -> Any:
    err._plantext = True
    return err


def _resolving(orig: Any, cmd: Any) -> Callable[[Any, list[str]], Any]:
    """``resolve_command`` saying "no such command" (and the closest names) in the reader's language."""

    def resolve_command(ctx: Any, args: list[str]) -> Any:
        try:
            return orig(ctx, args)
        except Exception as e:
            if not _is_usage_error(e) or getattr(e, "_plantext", False) or not args:
                raise
            if args[0] in getattr(cmd, "commands", {}) or args[0].startswith("-"):
                raise
            from difflib import get_close_matches

            text = tr("cli.click.no_such_command", name=args[0])
            near = get_close_matches(args[0], list(getattr(cmd, "commands", {})))
            if near:
                text += tr("cli.click.did_you_mean", names=tr("cli.click.sep").join(near))
            cls = next(c for c in type(e).__mro__ if c.__name__ == "UsageError")
            raise _mark(cls(text, ctx)) from e

    resolve_command.__wrapped__ = orig  # type: ignore[attr-defined]
    return resolve_command


def _usage_line(cmd: Any) -> Callable[[Any, Any], None]:
    """``format_usage`` with the prefix in the reader's language (用法：)."""

    def format_usage(ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(cmd.collect_usage_pieces(ctx)), prefix=tr("cli.usage"))

    return format_usage


def _wrap(cmd: Any, attr: str, make: Any) -> None:
    """Set ``cmd.attr`` to ``make(original)`` once (the tree is localized at every parse)."""
    current = getattr(cmd, attr)
    orig = getattr(current, "__wrapped__", current)
    setattr(cmd, attr, make(orig))


def _plain(text: str) -> str:
    """Help text shown as written: Typer reads help as rich markup, where ``[spark]`` (in
    ``pip install 'plantext[spark]'``) is a style tag and vanishes."""
    from rich.markup import escape

    return escape(text)


def localize_command(cmd: Any, path: tuple[str, ...]) -> None:
    key = _key("cli.cmd", *path) if path else _key("cli.cmd.plantext")
    if key:
        cmd.help = _plain(tr(key))
        cmd.short_help = None
    for param in cmd.params:
        name = param.name or ""
        key = _key("cli.opt", *path, name) or _key("cli.opt", name)
        if key and hasattr(param, "help"):
            param.help = _plain(tr(key))
        mv = _metavar(param)
        # the type column: the value's name, or nothing for flags and arguments (never <list[str]>)
        param.display_type_rich = _const(None if _is_argument(param) else mv)
        if mv is not None:
            param.metavar = mv
            if _is_argument(param):
                # the usage line: PATH... rather than {paths}...
                param._usage_display_name = _usage_name(param, mv)
    if hasattr(cmd, "get_help_option"):
        _wrap(cmd, "get_help_option", _help_option)
    is_group = hasattr(cmd, "commands")
    _wrap(cmd, "parse_args", lambda orig: _parsing(orig, is_group))
    if is_group:
        _wrap(cmd, "resolve_command", lambda orig: _resolving(orig, cmd))
    cmd.format_usage = _usage_line(cmd)
    cmd.options_metavar = tr("cli.metavar.options")
    for name, sub in getattr(cmd, "commands", {}).items():
        localize_command(sub, path + (name,))
    if hasattr(cmd, "commands"):
        cmd.subcommand_metavar = tr("cli.metavar.command")


def localize(group: Any) -> None:
    """Translate the help of ``group`` and every command under it into the current language."""
    try:
        from typer import rich_utils as ru
    except ImportError:  # pragma: no cover - rich not installed
        pass
    else:
        panels: dict[str, Any] = {
            "ARGUMENTS_PANEL_TITLE": "cli.panel.arguments",
            "OPTIONS_PANEL_TITLE": "cli.panel.options",
            "COMMANDS_PANEL_TITLE": "cli.panel.commands",
            "ERRORS_PANEL_TITLE": "cli.panel.error",
            "DEFAULT_STRING": "cli.panel.default",
            "REQUIRED_LONG_STRING": "cli.panel.required",
            "RICH_HELP": "cli.panel.try_help",
            "ABORTED_TEXT": "cli.panel.aborted",
            "DEPRECATED_STRING": "cli.panel.deprecated",
            "ENVVAR_STRING": "cli.panel.envvar",
        }
        for attr, key in panels.items():
            if hasattr(ru, attr):
                setattr(ru, attr, tr(key))
        help_fn = getattr(ru, "_get_parameter_help", None)
        if help_fn is not None and not hasattr(help_fn, "__wrapped__"):
            ru._get_parameter_help = _folding(help_fn)
    localize_command(group, ())
