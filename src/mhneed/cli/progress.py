"""Progress on standard error, drawn only when it is a terminal.

:class:`Progress` says what the command is doing (``mhneed: reading births…``);
:class:`ProgressBar` draws a bar for long runs (a projection year by year, or
thousands of small areas). Both write one line, which :meth:`clear` removes.
"""

from __future__ import annotations

import sys
from typing import TextIO

import pandas as pd

__all__ = ["Progress", "ProgressBar", "count_groups"]


class _StatusLine:
    """One line on standard error, drawn only when it is a terminal: what both share."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and _isatty(self.stream)
        self._shown = False

    def clear(self) -> None:
        """Remove the line."""
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False

    def _show(self, line: str) -> None:
        self.stream.write(f"\r\033[K{line}")
        self.stream.flush()
        self._shown = True


class Progress(_StatusLine):
    """Progress on standard error, shown only when it is a terminal."""

    def __call__(self, message: str) -> None:
        if self.enabled:
            self._show(f"mhneed: {message}…")


class ProgressBar(_StatusLine):
    """A progress bar on standard error, drawn only when it is a terminal."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True, width: int = 24):
        super().__init__(stream, enabled)
        self.width = width

    def __call__(self, done: int, total: int, what: str) -> None:
        """Draw ``done`` of ``total`` (such as years, or parts of areas)."""
        if not self.enabled or total <= 0:
            return
        filled = round(self.width * done / total)
        bar = "█" * filled + "·" * (self.width - filled)
        self._show(f"mhneed: {what} [{bar}] {done}/{total}")


def count_groups(frame: pd.DataFrame) -> str:
    """What a progress line says is being estimated: ``3 areas × 25 years``, or rows."""
    parts = []
    if "area_code" in frame.columns:
        n = frame["area_code"].nunique()
        parts.append(f"{n} area{'s' if n != 1 else ''}")
    if "year" in frame.columns:
        n = frame["year"].nunique()
        parts.append(f"{n} year{'s' if n != 1 else ''}")
    return " × ".join(parts) or f"{len(frame)} rows"


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
