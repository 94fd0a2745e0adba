"""The stderr progress helper: silent unless a person watches a terminal."""

from __future__ import annotations

import io
import sys

from plantext.cli import progress as prog


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_stderr_is_not_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert prog.enabled() is False
    assert list(prog.track(range(5), "counting")) == [0, 1, 2, 3, 4]
    with prog.progress("working", total=3) as advance:
        advance()
        advance(2, description="still working")
    assert sys.stderr.getvalue() == ""


def test_bar_on_a_terminal(monkeypatch):
    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.delenv("PLANTEXT_PROGRESS", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert prog.enabled() is True
    seen = []
    for x in prog.track(["a", "b", "c"], "fingerprinting"):
        seen.append(x)
    assert seen == ["a", "b", "c"]
    assert "fingerprinting" in err.getvalue()
    monkeypatch.setenv("PLANTEXT_PROGRESS", "0")
    assert prog.enabled() is False
