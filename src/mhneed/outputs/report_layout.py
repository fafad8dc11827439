"""How a report is laid out: figures as numbers, as text cells, as plain text, as tidy rows.

A :class:`~mhneed.outputs.report.Report` holds one row per figure
(:attr:`Report.rows`); the functions here lay those rows out as a JSNA table
prints them: one line per key group × block × condition, a column per age
band and ``All``, each figure with its range. :meth:`Report.numbers`,
:meth:`Report.layout` and :meth:`Report.to_text` call them.

* :func:`report_numbers`: the layout with figures as numbers (for Excel);
* :func:`report_layout`: the layout as text, ``"1,388 (1,199–1,577)"``;
* :func:`report_text`: the whole report as plain text, notes included;
* :func:`tidy_frame`: the rows, one figure per row, with their rounding;
* :func:`format_range` and :func:`place`: one figure, or one key group, as
  the report prints it.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from mhneed.outputs.report import Report

__all__ = [
    "ALL",
    "BLOCKS",
    "FIGURES",
    "KEY_HEADINGS",
    "format_range",
    "place",
    "report_layout",
    "report_numbers",
    "report_text",
    "tidy_frame",
]

#: The column (and ``age_band`` value in :attr:`Report.rows`) for a condition's whole age scope.
ALL = "All"

#: The blocks of a report, in order: the ``sex`` value and the block's heading.
BLOCKS: dict[str, str] = {"female": "Women", "male": "Men", "persons": "All people"}

#: Headings for key columns the readers produce; other key columns keep their names.
KEY_HEADINGS: dict[str, str] = {
    "area_code": "Area code",
    "area_name": "Area",
    "area": "Area",
    "year": "Year",
    "group": "Group",
}

#: The figure columns of :attr:`Report.rows`: the estimate and its range [persons].
FIGURES = ("cases", "cases_lower", "cases_upper")


def report_numbers(report: Report) -> pd.DataFrame:
    """The layout with figures as numbers: one line per key group × block × condition.

    Parameters
    ----------
    report : Report
        From :func:`mhneed.report_table`.

    Returns
    -------
    pandas.DataFrame
        As :meth:`Report.numbers` describes.
    """
    rows = report.rows
    index = [*report.keys, "sex", "condition"]
    lines = rows[rows["age_band"] == ALL].copy()
    out = pd.DataFrame({k: lines[k].to_numpy() for k in report.keys})
    out["Sex"] = lines["sex"].map(BLOCKS).to_numpy()
    out["Condition"] = lines["label"].to_numpy()
    out["Period"] = lines["period"].to_numpy()
    out["Ages"] = lines["ages"].to_numpy()
    out[report.count_heading] = lines[report.count_column].to_numpy(dtype=np.float64)
    positions = _positions(lines, index)
    for col in report.columns:
        part = rows[rows["age_band"] == col]
        where = _lookup(positions, part, index)
        for value, suffix in zip(FIGURES, ("", " low", " high"), strict=True):
            filled = np.full(len(out), np.nan)
            vals = part[value].to_numpy(dtype=np.float64)
            if value == "cases":
                vals = np.where(part["range_only"].to_numpy(dtype=bool), np.nan, vals)
            filled[where] = vals
            out[f"{col}{suffix}"] = filled
    out["Range"] = lines["interval"].to_numpy()
    return out


def report_layout(report: Report) -> pd.DataFrame:
    """The layout as text, ready to paste into a report.

    Parameters
    ----------
    report : Report
        From :func:`mhneed.report_table`.

    Returns
    -------
    pandas.DataFrame
        As :meth:`Report.layout` describes.
    """
    nums = report_numbers(report)
    out = pd.DataFrame({KEY_HEADINGS.get(k, k): nums[k].to_numpy() for k in report.keys})
    for col in ("Sex", "Condition", "Period", "Ages"):
        out[col] = nums[col].to_numpy()
    out[report.count_heading] = [_number(v, 0) for v in nums[report.count_heading]]
    range_only = report.rows.loc[report.rows["age_band"] == ALL, "range_only"].tolist()
    for col in report.columns:
        out[col] = [
            _cell(c, lo, hi, only, report.decimals)
            for c, lo, hi, only in zip(
                nums[col], nums[f"{col} low"], nums[f"{col} high"], range_only, strict=True
            )
        ]
    out["Range"] = nums["Range"].to_numpy()
    return out


def report_text(report: Report, width: int = 100) -> str:
    """The report as plain text: a heading per key group, a table per block, then the notes.

    Parameters
    ----------
    report : Report
        From :func:`mhneed.report_table`.
    width : int, default 100
        Width the notes are wrapped to [characters].
    """
    layout = report_layout(report)
    headings = [KEY_HEADINGS.get(k, k) for k in report.keys]
    shown = ["Condition", "Period", "Ages", report.count_heading, *report.columns]
    right = {report.count_heading, *report.columns}
    # drop the band columns no line of this report fills
    shown = [c for c in shown if c not in report.bands or (layout[c] != "").any()]
    widths = {c: max(len(c), *(len(str(v)) for v in layout[c])) for c in shown}
    lines = [report.title, f"Rates: {report.table.meta.title} [{report.table.id}]", ""]
    groups = report.groups()
    for n, group in enumerate(groups):
        mask = np.ones(len(layout), dtype=bool)
        for key, heading in zip(report.keys, headings, strict=True):
            mask &= (layout[heading] == group[key]).to_numpy()
        if report.keys:
            lines.append(place(group))
            lines.append("")
        part = layout[mask]
        for block in BLOCKS.values():
            rows = part[part["Sex"] == block]
            if rows.empty:
                continue
            lines.append(block)
            lines.append(_text_row({c: c for c in shown}, shown, widths, right))
            lines.extend(_text_row(rec, shown, widths, right) for rec in rows.to_dict("records"))
            lines.append("")
        if n < len(groups) - 1:
            lines.append("")
    for note in report.notes:
        lines.extend(textwrap.wrap(note, width=width, subsequent_indent="  ") or [""])
    return "\n".join(lines)


def tidy_frame(report: Report) -> pd.DataFrame:
    """The report's rows as a tidy frame: one figure per row, with its rounding.

    Returns
    -------
    pandas.DataFrame
        :attr:`Report.rows` with ``rounding`` (the rule, or empty) and
        ``table`` (the rate table's id) added; for an estimate from births,
        also ``denominator`` (what the ``births`` column counts:
        ``maternities``, ``live_births`` or ``deliveries``) and
        ``rates_per`` (what the table's rates are per), so a row says when
        live births stood in for maternities.
    """
    frame = report.rows.copy()
    frame["rounding"] = report.rounding or ""
    frame["table"] = report.table.id
    if report.count_column == "births":
        frame["denominator"] = str(report.provenance["denominator"])
        frame["rates_per"] = str(report.provenance["table_denominator"])
    return frame


def place(group: Mapping[str, Any]) -> str:
    """A key group as a heading: "Rutland (E06000017), 2014", "North lot, 2014", "ward W1"."""
    parts: list[str] = []
    name, code = group.get("area_name"), group.get("area_code")
    if name is not None and code is not None:
        parts.append(f"{name} ({code})")
    elif name is not None or code is not None:
        parts.append(str(name if name is not None else code))
    for key, value in group.items():
        if key in ("area_name", "area_code"):
            continue
        known = key in ("year", "group", "area")
        parts.append(str(value) if known else f"{key} {value}")
    return ", ".join(parts)


def format_range(
    cases: float, low: float, high: float, *, range_only: bool = False, decimals: int = 0
) -> str:
    """A figure and its range as a report prints it.

    Parameters
    ----------
    cases, low, high : float
        The figure and its range [persons]; NaN where missing.
    range_only : bool, default False
        Show the range alone (the source publishes only a range).
    decimals : int, default 0
        Decimal places.

    Returns
    -------
    str
        ``"1,388 (1,199–1,577)"``, ``"1,388"`` (no range), ``"47–94"`` (range
        only), ``"5"`` (a range whose ends are equal), ``"0 (none in sample; up to
        36)"`` (a rate of 0 with an upper limit: no cases in the survey sample), or
        ``""`` (no figure).

    Examples
    --------
    >>> format_range(1387.8, 1198.6, 1577.1)
    '1,388 (1,199–1,577)'
    >>> format_range(70.2, 46.8, 93.6, range_only=True)
    '47–94'
    >>> format_range(0.0, 0.0, 36.4)
    '0 (none in sample; up to 36)'
    """
    return _cell(cases, low, high, range_only, decimals)


# -- private helpers ---------------------------------------------------------------


def _positions(lines: pd.DataFrame, index: list[str]) -> dict[tuple[Any, ...], int]:
    tuples = zip(*(lines[c] for c in index), strict=True)
    return {t: i for i, t in enumerate(tuples)}


def _lookup(
    positions: dict[tuple[Any, ...], int], part: pd.DataFrame, index: list[str]
) -> list[int]:
    return [positions[t] for t in zip(*(part[c] for c in index), strict=True)]


def _number(value: float, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.{decimals}f}"


def _cell(cases: float, low: float, high: float, range_only: bool, decimals: int) -> str:
    has_range = not (_missing(low) or _missing(high))
    if range_only and has_range:
        lo, hi = _number(low, decimals), _number(high, decimals)
        return lo if lo == hi else f"{lo}–{hi}"
    if _missing(cases):
        return ""
    text = _number(cases, decimals)
    if has_range and cases == 0 and low == 0 and high > 0:
        # a rate of 0 with an upper limit: none in the survey sample (a '-' in the source)
        return f"{text} (none in sample; up to {_number(high, decimals)})"
    if has_range and low != high:  # equal limits: a single published figure, no range to show
        text += f" ({_number(low, decimals)}–{_number(high, decimals)})"
    return text


def _missing(value: float) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text_row(
    rec: Mapping[Any, Any], shown: list[str], widths: dict[str, int], right: set[str]
) -> str:
    cells = [
        f"{rec[c]!s:>{widths[c]}}" if c in right else f"{rec[c]!s:<{widths[c]}}" for c in shown
    ]
    return "  ".join(cells).rstrip()
