"""The house style every chart shares: page size, colours, axes, matplotlib imported on demand.

Charts need the optional extra ``plot`` (matplotlib): :func:`matplotlib_module`
imports a matplotlib module, or raises the error naming the extra. Charts draw
with matplotlib's Agg renderer and never touch ``pyplot``'s global state, so they
work on a server with no display.
"""

from __future__ import annotations

import importlib
from typing import Any

from mhneed._extras import require

__all__ = ["COLOURS", "FIGSIZE", "matplotlib_module", "style_axes"]

#: Colours of the blocks (Okabe-Ito, readable with colour-blindness and in grey).
COLOURS = {"female": "#D55E00", "male": "#0072B2", "persons": "#009E73"}

#: Figure size [inches]: 16 cm by 10.5 cm, the width of an A4 page's text.
FIGSIZE = (6.3, 4.15)


def matplotlib_module(module: str) -> Any:
    """A matplotlib module, or the error naming the ``plot`` extra when matplotlib is missing."""
    require("matplotlib", "drawing charts")
    return importlib.import_module(module)


def style_axes(ax: Any) -> None:
    """Thousands on the y axis, light horizontal grid lines, no top or right frame, small type."""
    ticker = matplotlib_module("matplotlib.ticker")
    ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.xaxis.label.set_size(8.5)
    ax.yaxis.label.set_size(8.5)
