"""How the command line words what went wrong: one line each, on standard error.

Errors are printed as one line (:func:`error_message`, :func:`one_line`), and
warnings as ``mhneed: warning: ...`` lines once the run is done
(:func:`show_warnings`), never as Python's tracebacks or ``file:line`` warnings.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Sequence

from mhneed.errors import MhneedError

__all__ = ["error_message", "one_line", "show_warnings"]


def show_warnings(caught: Sequence[warnings.WarningMessage]) -> None:
    """Each distinct warning once, as 'mhneed: warning: ...' on standard error.

    Warnings about single charts that say the same thing ("plot_age_sex: chart
    X.png: the chart's font has no ...") are given once, naming how many charts.
    """
    charts: dict[str, list[str]] = {}
    for w in caught:
        text = one_line(str(w.message))
        match = re.match(r"(\w+): chart (.+?\.\w+): (.*)$", text)
        key = f"{match.group(1)}: {match.group(3)}" if match else text
        charts.setdefault(key, [])
        if match:
            charts[key].append(match.group(2))
    for key, names in charts.items():
        if len(names) > 1:
            function, rest = key.split(": ", 1)
            key = f"{function}: {len(names)} charts ({names[0]}, ...): {rest}"
        elif names:
            function, rest = key.split(": ", 1)
            key = f"{function}: chart {names[0]}: {rest}"
        print(f"mhneed: warning: {key}", file=sys.stderr)


def error_message(exc: BaseException) -> str:
    """What went wrong: mhneed's message, or an OS error's reason and file."""
    if isinstance(exc, OSError) and not isinstance(exc, MhneedError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return str(exc)


def one_line(text: str) -> str:
    """The text on one line, runs of spaces and line breaks made one space."""
    return " ".join(text.split())
