"""Help in the reader's language: command and option help from the ``cli`` message catalog.

The Typer decorators keep their English help (what a Python reader sees in the code); when the
command line is parsed, :func:`localize` walks the click command tree and replaces each help
text that has a catalog entry, keyed by where it sits:

- ``cli.cmd.<path>``          a command's help (``cli.cmd.check``, ``cli.cmd.index.add``)
- ``cli.opt.<path>.<param>``  one command's option or argument (``cli.opt.report.output``)
- ``cli.opt.<param>``         an option shared by several commands (``cli.opt.against``)

It also names the value an option takes in words (``文件``, ``FILE``) instead of Typer's
``<list[str]>`` / ``{paths}``, and translates the help panel titles.
"""

from __future__ import annotations

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


def _usage_name(param: Any, metavar: str):
    def name() -> str:
        return metavar if param.required else f"[{metavar}]"

    return name


def _folding(fn):
    """Typer lays option help out in rich Columns, whose cells cut a "word" wider than the column
    with an ellipsis; Chinese has no spaces, so a whole sentence is one word. Fold instead."""
    def get(*args: Any, **kwargs: Any):
        cols = fn(*args, **kwargs)
        for item in getattr(cols, "renderables", ()):
            if hasattr(item, "overflow"):
                item.overflow = "fold"
        return cols

    get.__wrapped__ = fn  # type: ignore[attr-defined]
    return get


def _const(value: str | None):
    def display(ctx: Any = None) -> str | None:
        return value

    return display


def _help_option(orig):
    """``get_help_option`` whose option says "show this help" in the reader's language."""
    def get(ctx: Any):
        opt = orig(ctx)
        if opt is not None:
            opt.help = tr("cli.opt.help")
            opt.display_type_rich = _const(None)
        return opt

    get.__wrapped__ = orig  # type: ignore[attr-defined]
    return get


def localize_command(cmd: Any, path: tuple[str, ...]) -> None:
    key = _key("cli.cmd", *path) if path else _key("cli.cmd.plantext")
    if key:
        cmd.help = tr(key)
        cmd.short_help = None
    for param in cmd.params:
        name = param.name or ""
        key = _key("cli.opt", *path, name) or _key("cli.opt", name)
        if key and hasattr(param, "help"):
            param.help = tr(key)  # type: ignore[attr-defined]
        mv = _metavar(param)
        # the type column: the value's name, or nothing for flags and arguments (never <list[str]>)
        param.display_type_rich = _const(None if _is_argument(param) else mv)
        if mv is not None:
            param.metavar = mv
            if _is_argument(param):
                # the usage line: PATH... rather than {paths}...
                param._usage_display_name = _usage_name(param, mv)  # type: ignore[attr-defined]
    if hasattr(cmd, "get_help_option"):
        cmd.get_help_option = _help_option(cmd.get_help_option)
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
        ru = None
    if ru is not None:
        panels: dict[str, Any] = {
            "ARGUMENTS_PANEL_TITLE": "cli.panel.arguments", "OPTIONS_PANEL_TITLE": "cli.panel.options",
            "COMMANDS_PANEL_TITLE": "cli.panel.commands", "ERRORS_PANEL_TITLE": "cli.panel.error",
            "DEFAULT_STRING": "cli.panel.default", "REQUIRED_LONG_STRING": "cli.panel.required",
            "RICH_HELP": "cli.panel.try_help", "ABORTED_TEXT": "cli.panel.aborted",
        }
        for attr, key in panels.items():
            if hasattr(ru, attr):
                setattr(ru, attr, tr(key))
        help_fn = getattr(ru, "_get_parameter_help", None)
        if help_fn is not None and not hasattr(help_fn, "__wrapped__"):
            ru._get_parameter_help = _folding(help_fn)
    localize_command(group, ())
