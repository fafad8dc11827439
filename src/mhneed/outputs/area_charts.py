"""A chart that compares areas: one bar per area, group or total, with range whiskers.

:func:`plot_areas` draws one condition of an :func:`mhneed.area_table` as
horizontal bars (so long names stay readable): the crude rate per 100,000, or
the cases, of each area, service lot and level total, each with its range as
a whisker, the comparator's rate (England's) as a dashed line, and a footer
naming the rates' source, what the ranges are and the input's source (never a
file name alone). It needs the optional extra ``plot`` (matplotlib) and
draws with the Agg renderer, never touching ``pyplot``.
"""

from __future__ import annotations

import os
import textwrap
from typing import Any, Literal

import numpy as np
import pandas as pd

from mhneed.errors import InputError, UnknownConditionError
from mhneed.outputs.chart_save import save_chart
from mhneed.outputs.chart_style import FIGSIZE, matplotlib_module

__all__ = ["plot_areas"]

_LEVEL_COLOURS = {
    "country": "#555555",
    "region": "#777777",
    "county": "#009E73",
    "district or unitary authority": "#0072B2",
}
_GROUP_COLOUR = "#E69F00"
_TOTAL_COLOUR = "#56B4E9"


def plot_areas(
    table: pd.DataFrame,
    condition: str,
    *,
    measure: Literal["rate", "std_rate", "cases"] = "rate",
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
    note: str | None = None,
    source: str | None = None,
    dpi: int = 200,
) -> Any:
    """Bars across areas, lots and level totals for one condition, with range whiskers.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`mhneed.area_table` (one value of any other key, such as
        ``year``).
    condition : str
        The condition's id.
    measure : {"rate", "std_rate", "cases"}, default "rate"
        The crude rate per 100,000, the age-standardised rate (needs
        ``standardise=True``) or the estimated cases.
    path : str or path, optional
        Write the chart here (PNG, or any format matplotlib knows).
    title : str, optional
        By default the condition's label and what is drawn.
    note : str, optional
        A line added to the footer (such as what the service lots are).
    source : str, optional
        Where the population came from (such as "ONS mid-2014 population
        estimates (MYE2)"), for the footer.
    dpi : int, default 200
        Resolution of the file written [dots per inch].

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    UnknownConditionError
        When the condition is not in the table.
    InputError
        When ``measure`` is not a column of the table.
    MissingExtraError
        When matplotlib is not installed.
    """
    rows = _condition_rows(table, condition, measure)
    figure_mod = matplotlib_module("matplotlib.figure")
    names = [str(n) for n in rows["area_name"]]
    height = max(FIGSIZE[1], 1.4 + 0.28 * len(names))
    fig = figure_mod.Figure(figsize=(FIGSIZE[0], height), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(names))[::-1].astype(np.float64)
    _draw_bars(ax, rows, measure, y)
    ax.set_yticks(y, [_short(n) for n in names])
    ax.tick_params(labelsize=7.5)
    ticker = matplotlib_module("matplotlib.ticker")
    ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(_axis_label(table, measure), fontsize=8.5)
    label, ages = str(rows["label"].iloc[0]), str(rows["ages"].iloc[0])
    ax.set_title(
        title or f"{label}\n{_what(measure)}, ages {ages}",
        fontsize=9.5,
        loc="left",
        parse_math=False,
    )
    _footer(fig, table, rows, source, note)
    if path is not None:
        save_chart(fig, path, dpi, "plot_areas")
    return fig


# -- private helpers ---------------------------------------------------------------


def _condition_rows(table: pd.DataFrame, condition: str, measure: str) -> pd.DataFrame:
    """The table's rows of ``condition``, checked to have the ``measure`` column."""
    rows = table[table["condition"].astype(str) == condition]
    if rows.empty:
        known = ", ".join(dict.fromkeys(table["condition"].astype(str)))
        raise UnknownConditionError(
            f"plot_areas: condition {condition!r} is not in the table; it has: {known}",
            column="condition",
            rule="a condition of the table",
            values=[condition],
        )
    if measure not in rows.columns:
        hint = " (area_table(..., standardise=True) adds it)" if measure == "std_rate" else ""
        raise InputError(
            f"plot_areas: measure={measure!r} is not a column of the table{hint}",
            column=measure,
            rule="measure is a column of the table",
            values=[measure],
        )
    return rows


def _draw_bars(ax: Any, rows: pd.DataFrame, measure: str, y: Any) -> None:
    """One bar per row at ``y`` with its range as a whisker, and the comparator as a line."""
    values = rows[measure].to_numpy(np.float64)
    low = rows[f"{measure}_lower"].to_numpy(np.float64)
    high = rows[f"{measure}_upper"].to_numpy(np.float64)
    colours = [_colour(str(level)) for level in rows["level"]]
    ax.barh(y, values, 0.7, color=colours, zorder=2)
    has = ~(np.isnan(low) | np.isnan(high))
    if has.any():
        err = np.vstack([values[has] - low[has], high[has] - values[has]])
        ax.errorbar(
            values[has], y[has], xerr=err, fmt="none", ecolor="#222222", elinewidth=0.9,
            capsize=2.5, zorder=3,
        )  # fmt: skip
    comparator = _comparator(rows, measure)
    if comparator is not None:
        name, value = comparator
        ax.axvline(value, color="#222222", linestyle="--", linewidth=0.9, zorder=4)
        ax.annotate(
            name, (value, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -2),
            textcoords="offset points", fontsize=7, va="top",
        )  # fmt: skip


def _colour(level: str) -> str:
    if level.startswith("group of"):
        return _GROUP_COLOUR
    if level.startswith("total of"):
        return _TOTAL_COLOUR
    return _LEVEL_COLOURS.get(level, "#999999")


def _short(name: str) -> str:
    return name if len(name) <= 34 else name[:32] + "…"


def _what(measure: str) -> str:
    return {
        "rate": "Estimated cases per 100,000 people (crude rate)",
        "std_rate": "Age-standardised rate per 100,000 (European Standard Population 2013)",
        "cases": "Estimated number of people",
    }[measure]


def _axis_label(table: pd.DataFrame, measure: str) -> str:
    per = table.attrs.get("mhneed", {}).get("area_table", {}).get("per", 100_000)
    if measure == "cases":
        return "People (estimated number)"
    return f"Cases per {per:,} in the condition's ages"


def _comparator(rows: pd.DataFrame, measure: str) -> tuple[str, float] | None:
    column = f"comparator_{measure}"
    if measure == "cases" or column not in rows.columns:
        return None
    value = float(rows[column].iloc[0])
    return (str(rows["comparator"].iloc[0]), value) if np.isfinite(value) else None


def _footer(
    fig: Any, table: pd.DataFrame, rows: pd.DataFrame, source: str | None, note: str | None
) -> None:
    prov = table.attrs.get("mhneed", {})
    kinds = "; ".join(dict.fromkeys(str(k) for k in rows["interval"]))
    parts = [
        f"Rates: {prov.get('title', 'not stated')} ({prov.get('publisher', '')}, "
        f"{prov.get('edition', '')}).",
    ]
    if source:
        parts.append(f"Population: {source.rstrip('.')}.")
    parts.append(f"Whiskers: {kinds}.")
    parts.append(
        "Colours: grey country or region, green county, blue district, orange a group of "
        "districts, light blue a level's total; totals are never added across levels."
    )
    if note:
        parts.append(note)
    text = "\n".join(textwrap.wrap(" ".join(parts), width=125))
    fig.get_layout_engine().set(h_pad=0.04)
    fig.supxlabel(text, fontsize=6, color="#444444", ha="left", x=0.01, parse_math=False)
