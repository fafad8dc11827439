"""A chart for a report page: estimated cases over years, with the range as a ribbon.

Drawn from a :class:`~mhneed.outputs.report.Report` with a ``year`` key, as
:func:`~mhneed.outputs.age_sex_chart.plot_age_sex` is (the same page size, title,
units and footer); years that are not estimates from published populations (an
illustrative projection) can be drawn dashed on a shaded background.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mhneed.errors import InputError
from mhneed.outputs.chart_rows import condition_rows, group_of
from mhneed.outputs.chart_save import save_chart
from mhneed.outputs.chart_style import COLOURS, FIGSIZE, matplotlib_module, style_axes
from mhneed.outputs.chart_text import add_footer, condition_label, range_label, who, y_label
from mhneed.outputs.report import Report
from mhneed.outputs.report_layout import ALL, place

__all__ = ["plot_over_years"]


def plot_over_years(
    report: Report,
    condition: str,
    *,
    sex: str | None = None,
    select: Mapping[str, Any] | None = None,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
    note: str | None = None,
    illustrative_after: int | None = None,
    dpi: int = 200,
) -> Any:
    """Line chart of estimated cases over years, with the range as a ribbon.

    Parameters
    ----------
    report : Report
        From :func:`mhneed.report_table`, with a ``year`` key column.
    condition : str
        The condition's id.
    sex : {"female", "male", "persons"}, optional
        Which block to draw; by default ``persons`` if the report has it,
        else its only block.
    select : mapping, optional
        Values of the key columns other than ``year`` that pick one area or
        group, when the report has more than one.
    path : str or path, optional
        Write the chart here.
    title : str, optional
        The chart's title.
    note : str, optional
        A line added to the footer (such as the growth assumption).
    illustrative_after : int, optional
        Years after this one are not estimates from published populations
        (such as an illustrative projection): they are drawn dashed, on a
        shaded background labelled "illustrative".
    dpi : int, default 200
        Resolution of the file written [dots per inch].

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    MissingExtraError
        When matplotlib is not installed.
    InputError
        When the report has no ``year`` key, ``sex`` is not one of its
        blocks, or ``select`` does not pick one area or group.
    UnknownConditionError
        When the condition is not in the report.
    """
    rows, chosen = _year_rows(report, condition, sex, select)
    years = rows["year"].to_numpy(dtype=np.int64)
    figure_mod = matplotlib_module("matplotlib.figure")
    matplotlib_module("matplotlib.ticker")
    matplotlib_module("matplotlib.backends.backend_agg")
    fig = figure_mod.Figure(figsize=FIGSIZE, layout="constrained")
    ax = fig.add_subplot()
    top = _draw_years(ax, rows, COLOURS[chosen], illustrative_after)
    _label_years(ax, report, years, top)
    where = place({k: v for k, v in group_of(rows, report.keys).items() if k != "year"})
    span = f"{years.min()}–{years.max()}"
    ax.set_title(
        title
        or f"{condition_label(rows)}\nEstimated number of {who(report, chosen)}, {span}"
        f"{', ' + where if where else ''}",
        fontsize=9.5,
        loc="left",
        parse_math=False,  # names from the user's files may hold "$"
    )
    add_footer(fig, report, rows, note, "Shading")
    if path is not None:
        save_chart(fig, path, dpi, "plot_over_years")
    return fig


# -- private helpers ---------------------------------------------------------------


def _year_rows(
    report: Report, condition: str, sex: str | None, select: Mapping[str, Any] | None
) -> tuple[pd.DataFrame, str]:
    """The series drawn: the chosen block's whole-scope rows, one per year in order."""
    if "year" not in report.keys:
        raise InputError(
            "plot_over_years: the report has no year key column; its keys are: "
            f"{', '.join(report.keys) or 'none'}",
            column="year",
            rule="a year key",
            values=list(report.keys),
        )
    rows = condition_rows(report, condition, select, "plot_over_years", keep=("year",))
    blocks = list(dict.fromkeys(str(s) for s in rows["sex"]))
    chosen = sex or ("persons" if "persons" in blocks else blocks[0])
    if chosen not in blocks:
        raise InputError(
            f"plot_over_years: sex={chosen!r} is not a block of {condition} in this report; "
            f"choose from {', '.join(blocks)}",
            column="sex",
            rule="sex is a block of the condition",
            values=[chosen],
        )
    rows = rows[(rows["sex"] == chosen) & (rows["age_band"] == ALL)].sort_values("year")
    return rows, chosen


def _draw_years(ax: Any, rows: pd.DataFrame, colour: str, illustrative_after: int | None) -> float:
    """The range as a ribbon, the estimates as a line (later years dashed); the highest point."""
    years = rows["year"].to_numpy(dtype=np.int64)
    cases = rows["cases"].to_numpy(dtype=np.float64)
    low = rows["cases_lower"].to_numpy(dtype=np.float64)
    high = rows["cases_upper"].to_numpy(dtype=np.float64)
    has = ~(np.isnan(low) | np.isnan(high))
    if has.any():
        ax.fill_between(
            years[has],
            low[has],
            high[has],
            color=colour,
            alpha=0.18,
            linewidth=0,
            label=range_label(rows),
        )
    if illustrative_after is not None and (years > illustrative_after).any():
        _draw_illustrative(ax, years, cases, colour, illustrative_after)
        head = years <= illustrative_after
    else:
        head = np.ones(len(years), dtype=bool)
    ax.plot(
        years[head],
        cases[head],
        color=colour,
        lw=1.6,
        marker="o",
        markersize=3.5,
        label="Estimate" if illustrative_after is None else "Estimate (published population)",
        zorder=4,
    )
    return float(np.nanmax(np.where(has, high, cases))) if len(cases) else 1.0


def _draw_illustrative(ax: Any, years: Any, cases: Any, colour: str, after: int) -> None:
    """Years after ``after`` dashed, on a shaded background labelled "illustrative"."""
    tail = years >= after
    ax.plot(
        years[tail],
        cases[tail],
        color=colour,
        lw=1.6,
        linestyle="--",
        marker="o",
        markersize=3.5,
        markerfacecolor="white",
        label="Illustrative (assumed population)",
        zorder=3,
    )
    ax.axvspan(after + 0.5, years.max() + 0.5, color="#f0f0f0", zorder=0)
    ax.text(
        (after + 0.5 + years.max() + 0.5) / 2,
        0.02,
        "illustrative, not an official projection",
        transform=ax.get_xaxis_transform(),
        ha="center",
        va="bottom",
        fontsize=7,
        color="#555555",
    )


def _label_years(ax: Any, report: Report, years: Any, top: float) -> None:
    """The axes' limits and labels, whole years on the x axis, and the legend, estimates first."""
    ticker = matplotlib_module("matplotlib.ticker")
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.set_xlim(years.min() - 0.5, years.max() + 0.5)
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.set_xlabel("Year")
    ax.set_ylabel(y_label(report))
    style_axes(ax)
    handles, names = ax.get_legend_handles_labels()
    order = sorted(range(len(names)), key=lambda i: (not names[i].startswith("Estimate"), names[i]))
    ax.legend(
        [handles[i] for i in order],
        [names[i] for i in order],
        frameon=False,
        fontsize=8,
        loc="lower left",
        bbox_to_anchor=(0, 0.06),
    )
