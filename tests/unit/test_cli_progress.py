"""Unit tests for the command line's progress line and bar (mhneed.cli.progress)."""

from __future__ import annotations

import io

from mhneed.cli.progress import Progress, ProgressBar


class FakeTerminal(io.StringIO):
    """A text stream that says it is (or is not) a terminal."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_only_on_a_terminal() -> None:
    """Progress writes to a terminal and clears its line; to a pipe it writes nothing."""
    term = FakeTerminal(tty=True)
    progress = Progress(stream=term)
    progress("estimating")
    progress.clear()
    assert term.getvalue() == "\r\x1b[Kmhneed: estimating…\r\x1b[K"
    pipe = FakeTerminal(tty=False)
    quiet = Progress(stream=pipe)
    quiet("estimating")
    quiet.clear()
    assert pipe.getvalue() == ""
    off = Progress(stream=FakeTerminal(tty=True), enabled=False)
    off("estimating")
    assert off.stream.getvalue() == ""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only() -> None:
    """Drawn on a terminal, silent otherwise and when disabled (--quiet)."""
    tty = _Tty()
    bar = ProgressBar(stream=tty, width=10)
    bar(13, 26, "estimating years")
    assert tty.getvalue() == "\r\033[Kmhneed: estimating years [█████·····] 13/26"
    bar.clear()
    assert tty.getvalue().endswith("\r\033[K")
    quiet = _Tty()
    ProgressBar(stream=quiet, enabled=False)(1, 2, "x")
    assert quiet.getvalue() == ""
    pipe = io.StringIO()
    ProgressBar(stream=pipe)(1, 2, "x")
    assert pipe.getvalue() == ""
