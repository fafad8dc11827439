"""Charts for a report page: cases by age band and sex, and cases over years.

Both charts are drawn from a :class:`~mhneed.report.Report`, sized for a
page of a report (16 cm wide), with a title, the units, a range for every
figure that has one, and a footer naming the rates, their source and the
input, and saying that conditions overlap. They need the optional extra
``plot`` (matplotlib); they draw with matplotlib's Agg renderer and never
touch ``pyplot``'s global state, so they work on a server with no display.
"""

from __future__ import annotations

import importlib
import os
import re
import textwrap
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mhneed._extras import require
from mhneed._files import atomic_path, output_path
from mhneed._labels import split_methods
from mhneed.errors import InputError, UnknownConditionError
from mhneed.report import ALL, BLOCKS, Report, place

__all__ = ["COLOURS", "plot_age_sex", "plot_over_years"]

#: Colours of the blocks (Okabe-Ito, readable with colour-blindness and in grey).
COLOURS = {"female": "#D55E00", "male": "#0072B2", "persons": "#009E73"}

#: Figure size [inches]: 16 cm by 10.5 cm, the width of an A4 page's text.
FIGSIZE = (6.3, 4.15)

_RANGE_WORDS = {
    "published range": "{what}: the published low–high range.",
    "no interval published": "No range is published for these rates.",
}


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
    rows = _condition_rows(report, condition, select, "plot_age_sex", keep=())
    blocks = [s for s in ("female", "male") if (rows["sex"] == s).any()] or ["persons"]
    rows = rows[rows["sex"].isin(blocks)]
    banded = rows[rows["age_band"] != ALL]
    if not banded.empty:
        columns = [b for b in report.bands if (banded["age_band"] == b).any()]
        rows = banded
    else:
        columns = [ALL]
    ages = str(rows["ages"].iloc[0])
    whole = "All ages" if ages == "all ages" else f"Ages {ages}"
    labels = [whole if c == ALL else c for c in columns]
    figure_mod = _mpl("matplotlib.figure")
    _mpl("matplotlib.backends.backend_agg")
    fig = figure_mod.Figure(figsize=FIGSIZE, layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(columns), dtype=np.float64)
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
                    _fmt(yi, report.decimals),
                    (xi, ti),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                    color="#333333",
                )
    ax.set_xticks(x, labels)
    ax.set_xlabel("Age band [years]" if columns != [ALL] else "")
    ax.set_ylabel(_y_label(report))
    ax.set_ylim(0, top * 1.25 if top > 0 else 1)  # headroom for the labels and the legend
    if len(columns) == 1:
        ax.set_xlim(-1.5, 1.5)  # one group of bars: keep them bar-shaped
    _style(ax)
    if len(blocks) > 1:
        ax.legend(frameon=False, fontsize=8, loc="upper right", ncols=len(blocks))
    where = place(_group_of(rows, report.keys))
    ax.set_title(
        title
        or f"{_label(rows)}\nEstimated number of {_who(report)}{_split(columns, blocks)}"
        f"{', ' + where if where else ''}",
        fontsize=9.5,
        loc="left",
        parse_math=False,  # names from the user's files may hold "$"
    )
    _footer(fig, report, rows, note, "Range bars")
    if path is not None:
        _save(fig, path, dpi, "plot_age_sex")
    return fig


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
    if "year" not in report.keys:
        raise InputError(
            "plot_over_years: the report has no year key column; its keys are: "
            f"{', '.join(report.keys) or 'none'}",
            column="year",
            rule="a year key",
            values=list(report.keys),
        )
    rows = _condition_rows(report, condition, select, "plot_over_years", keep=("year",))
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
    years = rows["year"].to_numpy(dtype=np.int64)
    cases = rows["cases"].to_numpy(dtype=np.float64)
    low = rows["cases_lower"].to_numpy(dtype=np.float64)
    high = rows["cases_upper"].to_numpy(dtype=np.float64)
    figure_mod = _mpl("matplotlib.figure")
    ticker = _mpl("matplotlib.ticker")
    _mpl("matplotlib.backends.backend_agg")
    fig = figure_mod.Figure(figsize=FIGSIZE, layout="constrained")
    ax = fig.add_subplot()
    colour = COLOURS[chosen]
    has = ~(np.isnan(low) | np.isnan(high))
    if has.any():
        ax.fill_between(
            years[has],
            low[has],
            high[has],
            color=colour,
            alpha=0.18,
            linewidth=0,
            label=_range_label(rows),
        )
    if illustrative_after is not None and (years > illustrative_after).any():
        tail = years >= illustrative_after
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
        ax.axvspan(illustrative_after + 0.5, years.max() + 0.5, color="#f0f0f0", zorder=0)
        ax.text(
            (illustrative_after + 0.5 + years.max() + 0.5) / 2,
            0.02,
            "illustrative, not an official projection",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=7,
            color="#555555",
        )
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
    top = float(np.nanmax(np.where(has, high, cases))) if len(cases) else 1.0
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.set_xlim(years.min() - 0.5, years.max() + 0.5)
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    ax.set_xlabel("Year")
    ax.set_ylabel(_y_label(report))
    _style(ax)
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
    where = place({k: v for k, v in _group_of(rows, report.keys).items() if k != "year"})
    span = f"{years.min()}–{years.max()}"
    ax.set_title(
        title
        or f"{_label(rows)}\nEstimated number of {_who(report, chosen)}, {span}"
        f"{', ' + where if where else ''}",
        fontsize=9.5,
        loc="left",
        parse_math=False,  # names from the user's files may hold "$"
    )
    _footer(fig, report, rows, note, "Shading")
    if path is not None:
        _save(fig, path, dpi, "plot_over_years")
    return fig


# -- private helpers ---------------------------------------------------------------


def _condition_rows(
    report: Report,
    condition: str,
    select: Mapping[str, Any] | None,
    who: str,
    keep: tuple[str, ...],
) -> pd.DataFrame:
    rows = report.rows
    if condition not in set(rows["condition"]):
        have = ", ".join(dict.fromkeys(str(c) for c in rows["condition"]))
        raise UnknownConditionError(
            f"{who}: condition {condition!r} is not in the report; its conditions are: {have}",
            column="condition",
            rule="condition in the report",
            values=[condition],
        )
    rows = rows[rows["condition"] == condition]
    for key, value in (select or {}).items():
        if key not in report.keys:
            raise InputError(
                f"{who}: select names {key!r}, which is not a key column of the report; its "
                f"keys are: {', '.join(report.keys) or 'none'}",
                column=key,
                rule="select names key columns",
                values=[key],
            )
        rows = rows[rows[key] == value]
    group_keys = [k for k in report.keys if k not in keep]
    if rows.empty:
        raise InputError(
            f"{who}: select={dict(select or {})} matches no rows of the report",
            rule="select matches one key group",
            values=list((select or {}).values()),
        )
    if group_keys:
        distinct = rows[group_keys].drop_duplicates()
        if len(distinct) > 1:
            shown = "; ".join(
                place(dict(zip(group_keys, rec, strict=True)))
                for rec in distinct.head(5).itertuples(index=False)
            )
            more = f" and {len(distinct) - 5} more" if len(distinct) > 5 else ""
            raise InputError(
                f"{who}: the report has {len(distinct)} areas or groups ({shown}{more}); "
                f"choose one with select={{{group_keys[0]!r}: ...}}",
                column=group_keys[0],
                rule="select matches one key group",
                values=[len(distinct)],
            )
    return rows


def _group_of(rows: pd.DataFrame, keys: list[str]) -> dict[str, Any]:
    if not keys or rows.empty:
        return {}
    first = rows.iloc[0]
    return {k: first[k] for k in keys}


def _label(rows: pd.DataFrame) -> str:
    label, period = str(rows["label"].iloc[0]), str(rows["period"].iloc[0])
    return label if period.startswith("not stated") else f"{label}, {period}"


def _split(columns: list[str], blocks: list[str]) -> str:
    by = [w for w, yes in (("age", columns != [ALL]), ("sex", len(blocks) > 1)) if yes]
    return f", by {' and '.join(by)}" if by else ""


def _who(report: Report, sex: str | None = None) -> str:
    if report.count_column == "births":
        return "women giving birth"
    return {"female": "women", "male": "men"}.get(sex or "", "people")


def _y_label(report: Report) -> str:
    return f"{_who(report).capitalize()} (estimated number)"


def _range_label(rows: pd.DataFrame) -> str:
    kinds = [str(k) for k in dict.fromkeys(rows["interval"])]
    kind = kinds[0] if kinds else ""
    return {"published range": "Published range"}.get(kind, kind[:1].upper() + kind[1:])


def _footer(fig: Any, report: Report, rows: pd.DataFrame, note: str | None, what: str) -> None:
    meta = report.table.meta
    kinds = [str(k) for k in dict.fromkeys(rows["interval"])]
    ranges = []
    level, details, kinds = split_methods(kinds)
    if level is not None:
        ranges.append(f"{what}: {level}s of the survey rates ({'; '.join(details)}).")
    for kind in kinds:
        if kind in _RANGE_WORDS:
            ranges.append(_RANGE_WORDS[kind].format(what=what))
        else:
            ranges.append(f"{what}: {kind} of the survey rate.")
    if bool(rows["range_only"].any()):
        ranges.append("The source publishes only a range; the central figure is its midpoint.")
    parts = [
        f"Rates: {meta.title} ({meta.publisher}, {meta.edition}).",
    ]
    if report.data_source:
        counted = "Births" if report.count_column == "births" else "Population"
        parts.append(f"{counted}: {report.data_source.rstrip('.')}.")
    parts.extend(ranges)
    parts.append(report.rounding.capitalize() + "." if report.rounding else "Unrounded estimates.")
    parts.append("Conditions overlap: do not add figures for different conditions.")
    denominator = report.denominator_note
    if denominator and denominator != note:  # births counted as live births, say so
        parts.append(denominator)
    if note:
        parts.append(note)
    text = "\n".join(textwrap.wrap(" ".join(parts), width=125))
    fig.get_layout_engine().set(h_pad=0.04)
    fig.supxlabel(text, fontsize=6, color="#444444", ha="left", x=0.01, parse_math=False)


def _style(ax: Any) -> None:
    ticker = _mpl("matplotlib.ticker")
    ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.xaxis.label.set_size(8.5)
    ax.yaxis.label.set_size(8.5)


def _mpl(module: str) -> Any:
    """A matplotlib module, or the error naming the ``plot`` extra when matplotlib is missing."""
    require("matplotlib", "drawing charts")
    return importlib.import_module(module)


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _save(fig: Any, path: str | os.PathLike[str], dpi: int, function: str) -> None:
    """Save through a temporary file beside ``path``: a failed save leaves no partial file."""
    out = output_path(path, function=function, suffixes=None)
    backend = _mpl("matplotlib.backends.backend_agg")
    backend.FigureCanvasAgg(fig)
    fmt = out.suffix[1:].lower() or "png"
    with atomic_path(out) as tmp, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp, dpi=dpi, facecolor="white", format=fmt)
    _rewarn(caught, out.name, function)


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
