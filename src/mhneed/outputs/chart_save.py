"""Writing a chart to a file: all or nothing, with matplotlib's warnings put in words.

A chart is saved through a temporary file beside its path, so a failed save
leaves no partial file; the warnings matplotlib gives while drawing (a missing
character in the font, once per character and pass) become one warning of
mhneed's own per chart, naming the chart.
"""

from __future__ import annotations

import os
import re
import warnings
from typing import Any

from mhneed._files import atomic_path, output_path
from mhneed.outputs.chart_style import matplotlib_module

__all__ = ["save_chart"]


def save_chart(fig: Any, path: str | os.PathLike[str], dpi: int, function: str) -> None:
    """Save through a temporary file beside ``path``: a failed save leaves no partial file.

    Call it straight from the public chart function (``function`` names it): the
    warnings it gives point at that function's caller.
    """
    out = output_path(path, function=function, suffixes=None)
    backend = matplotlib_module("matplotlib.backends.backend_agg")
    backend.FigureCanvasAgg(fig)
    fmt = out.suffix[1:].lower() or "png"
    with atomic_path(out) as tmp, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp, dpi=dpi, facecolor="white", format=fmt)
    _rewarn(caught, out.name, function)


# -- private helpers ---------------------------------------------------------------

_GLYPH = re.compile(r"Glyph (\d+) .*missing from font\(s\) (.+?)\.?$")


def _rewarn(caught: list[warnings.WarningMessage], name: str, function: str) -> None:
    """matplotlib's warnings while drawing, as mhneed's own: one per chart, in words.

    matplotlib warns once per missing character and drawing pass ("Glyph 26481
    (...) missing from font(s) DejaVu Sans."), pointing at mhneed's code; the
    characters are gathered into one warning naming the chart. Any other
    warning is passed on, prefixed with the chart.
    """
    missing: dict[str, None] = {}
    fonts: dict[str, None] = {}
    for w in caught:
        text = str(w.message)
        match = _GLYPH.search(text)
        if match:
            missing[chr(int(match.group(1)))] = None
            fonts[match.group(2)] = None
        else:
            warnings.warn(f"{function}: chart {name}: {text}", UserWarning, stacklevel=4)
    if missing:
        chars = ", ".join(repr(c) for c in missing)
        warnings.warn(
            f"{function}: chart {name}: the chart's font ({', '.join(fonts)}) has no {chars}, "
            "so they show as empty boxes; the names are whole in the data files",
            UserWarning,
            stacklevel=4,
        )
