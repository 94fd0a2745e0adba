"""The ``plantext`` command: one module per group of commands, each registering on ``app``.
Argument parsing and output formatting only; the work is done by the library."""

from . import (  # noqa: F401  (register commands)
    check_cmds,
    index_cmds,
    ingest_cmds,
    outline_cmds,
    report_cmds,
    research_cmds,
    run_cmd,
    similar_cmds,
    targets_cmds,
)
from .app import app, main

__all__ = ["app", "main"]
