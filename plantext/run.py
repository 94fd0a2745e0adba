"""Kept for callers of ``plantext.run``: the pipeline of ``plantext run`` is :mod:`plantext.pipeline`."""

from __future__ import annotations

from .pipeline import Artifacts, RunOptions, RunResult, run

__all__ = ["Artifacts", "RunOptions", "RunResult", "run"]
