"""A chart for a report page: estimated cases by age band and sex, with range bars.

Drawn from a :class:`~mhneed.outputs.report.Report`, sized for a page of a report
(16 cm wide), with a title, the units, a range for every figure that has one,
and a footer naming the rates, their source and the input, and saying that
conditions overlap. It needs the optional extra ``plot`` (matplotlib); it draws
with matplotlib's Agg renderer and never touches ``pyplot``'s global state, so
it works on a server with no display. The pieces the report's charts share:
:mod:`mhneed.outputs.chart_rows` (the rows drawn), :mod:`mhneed.outputs.chart_text`
(their words), :mod:`mhneed.outputs.chart_style` and :mod:`mhneed.outputs.chart_save`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mhneed.outputs.chart_rows import condition_rows, group_of
from mhneed.outputs.chart_save import save_chart
from mhneed.outputs.chart_style import COLOURS, FIGSIZE, matplotlib_module, style_axes
from mhneed.outputs.chart_text import add_footer, by_words, condition_label, who, y_label
from mhneed.outputs.report import Report
from mhneed.outputs.report_layout import ALL, BLOCKS, place

__all__ = ["plot_age_sex"]


def plot_age_sex(
    report: Report,
    condition: str,
    *,
    select: Mapping[str, Any] | None = None,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
    note: str | None = None,
    dpi: int = 200,
) -> Any:
    """Bar chart of estimated cases by age band and sex, with range bars.

    Parameters
    ----------
    report : Report
        From :func:`mhneed.report_table`.
    condition : str
        The condition's id, such as ``"psychotic_disorder"``.
    select : mapping, optional
        Key column values picking one key group of the report (such as
        ``{"area_code": "E06000017"}``); needed when the report has more than
        one.
    path : str or path, optional
        Write the chart here (PNG, or any format matplotlib knows by the
        file's extension).
    title : str, optional
        The chart's title; by default the condition's label and the place.
    note : str, optional
        A line added to the footer (such as an assumption).
    dpi : int, default 200
        Resolution of the file written [dots per inch].

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    MissingExtraError
        When matplotlib is not installed (``pip install "mhneed[plot]"``).
    UnknownConditionError
        When the condition is not in the report.
    InputError
        When ``select`` does not pick exactly one key group.

    Notes
    -----
    Women and men are drawn side by side when the condition's rates are
    published by sex; a condition with a persons rate is drawn for all people.
    A condition published for its whole age scope (``16+``) is one group of
    bars. Range bars show each figure's range (a confidence interval or a
    published range, as the footer says); figures with no published range
    have none.
    """
    rows = condition_rows(report, condition, select, "plot_age_sex", keep=())
    rows, columns, blocks = _bands_and_blocks(report, rows)
    figure_mod = matplotlib_module("matplotlib.figure")
    matplotlib_module("matplotlib.backends.backend_agg")
    fig = figure_mod.Figure(figsize=FIGSIZE, layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(columns), dtype=np.float64)
    top = _draw_bars(ax, rows, x, blocks, columns, report.decimals)
    _label_bands(ax, report, rows, x, columns, blocks, top)
    where = place(group_of(rows, report.keys))
    ax.set_title(
        title
        or f"{condition_label(rows)}\nEstimated number of {who(report)}"
        f"{by_words(columns, blocks)}{', ' + where if where else ''}",
        fontsize=9.5,
        loc="left",
        parse_math=False,  # names from the user's files may hold "$"
    )
    add_footer(fig, report, rows, note, "Range bars")
    if path is not None:
        save_chart(fig, path, dpi, "plot_age_sex")
    return fig


# -- private helpers ---------------------------------------------------------------


def _bands_and_blocks(
    report: Report, rows: pd.DataFrame
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The rows drawn, their age bands (or the whole scope, ``All``) and sexes drawn.

    Women and men side by side when the rates are published by sex, else
    persons; the age bands of the report when the condition has bands, else
    one group of bars for its whole age scope.
    """
    blocks = [s for s in ("female", "male") if (rows["sex"] == s).any()] or ["persons"]
    rows = rows[rows["sex"].isin(blocks)]
    banded = rows[rows["age_band"] != ALL]
    if not banded.empty:
        columns = [b for b in report.bands if (banded["age_band"] == b).any()]
        rows = banded
    else:
        columns = [ALL]
    return rows, columns, blocks


def _draw_bars(
    ax: Any, rows: pd.DataFrame, x: Any, blocks: list[str], columns: list[str], decimals: int
) -> float:
    """Bars of each block side by side, their range bars and figures; the highest top drawn."""
    width = 0.8 / len(blocks)
    top = 0.0
    for i, sex in enumerate(blocks):
        part = rows[rows["sex"] == sex].set_index("age_band").reindex(columns)
        cases = part["cases"].to_numpy(dtype=np.float64)
        low = part["cases_lower"].to_numpy(dtype=np.float64)
        high = part["cases_upper"].to_numpy(dtype=np.float64)
        offset = x + (i - (len(blocks) - 1) / 2) * width
        ax.bar(offset, cases, width * 0.92, color=COLOURS[sex], label=BLOCKS[sex], zorder=2)
        has = ~(np.isnan(low) | np.isnan(high))
        if has.any():
            err = np.vstack([cases[has] - low[has], high[has] - cases[has]])
            ax.errorbar(
                offset[has],
                cases[has],
                yerr=err,
                fmt="none",
                ecolor="#222222",
                elinewidth=0.9,
                capsize=2.5,
                zorder=3,
            )
        tops = np.where(has, high, cases)
        top = max(top, float(np.nanmax(tops)) if np.isfinite(tops).any() else 0.0)
        for xi, yi, ti in zip(offset, cases, tops, strict=True):
            if np.isfinite(yi):
                ax.annotate(
                    _fmt(yi, decimals),
                    (xi, ti),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                    color="#333333",
                )
    return top


def _label_bands(
    ax: Any,
    report: Report,
    rows: pd.DataFrame,
    x: Any,
    columns: list[str],
    blocks: list[str],
    top: float,
) -> None:
    """The age bands (or the ages of the whole scope) under the bars, the axes and the legend."""
    ages = str(rows["ages"].iloc[0])
    whole = "All ages" if ages == "all ages" else f"Ages {ages}"
    labels = [whole if c == ALL else c for c in columns]
    ax.set_xticks(x, labels)
    ax.set_xlabel("Age band [years]" if columns != [ALL] else "")
    ax.set_ylabel(y_label(report))
    ax.set_ylim(0, top * 1.25 if top > 0 else 1)  # headroom for the labels and the legend
    if len(columns) == 1:
        ax.set_xlim(-1.5, 1.5)  # one group of bars: keep them bar-shaped
    style_axes(ax)
    if len(blocks) > 1:
        ax.legend(frameon=False, fontsize=8, loc="upper right", ncols=len(blocks))


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"
