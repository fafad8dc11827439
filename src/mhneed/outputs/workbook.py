"""Excel workbooks a planner can hand on: the planners' tables, tidy data, sources and methods.

:func:`write_tables_excel` writes frames such as :func:`mhneed.area_pivot`,
:func:`mhneed.pivot_table` and :func:`mhneed.projection_wide` to one
``.xlsx`` workbook, laid out for reading and printing:

* one sheet per table, with its title, the headings in bold and wrapped, the
  heading rows and the row labels frozen, columns sized to their contents,
  whole numbers for cases and people (``#,##0``), one decimal for rates
  (``#,##0.0``), and the page set up to print landscape, one page wide, with
  the heading rows repeated on every page;
* the tidy rows on a sheet of their own (``Data``), one figure per row;
* a ``Sources and methods`` sheet: the rate tables, their citations and
  sources, the standard population when rates are age-standardised, what the
  ranges are, the input's source, the caveats and the notes given.

Text is made safe as :func:`mhneed.safe_text` says, so a name from your file
never runs as a formula. It needs the optional extra ``excel`` (openpyxl).
"""

from __future__ import annotations

import importlib
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mhneed._extras import require
from mhneed._files import atomic_path, output_path
from mhneed.errors import InputError
from mhneed.outputs.formula_guard import safe_text

__all__ = ["CASES_FORMAT", "RATE_FORMAT", "number_format", "write_tables_excel"]

#: Number format of counts: cases, people, births [whole numbers, thousands separated].
CASES_FORMAT = "#,##0"

#: Number format of rates and per cent changes [one decimal place].
RATE_FORMAT = "#,##0.0"

_RATIO_FORMAT = "0.00"
_SOURCES_SHEET = "Sources and methods"
_DATA_SHEET = "Data"


def number_format(measure: object) -> str | None:
    """The Excel number format of a figure, from its column (or measure) name.

    Parameters
    ----------
    measure : object
        A column name such as ``"cases_lower"``, ``"rate"``, ``"std_rate"``,
        ``"change_pct"`` or ``"rate_ratio"``.

    Returns
    -------
    str or None
        :data:`CASES_FORMAT` for counts, :data:`RATE_FORMAT` for rates and per
        cent changes, ``"0.00"`` for ratios, None for anything else.

    Examples
    --------
    >>> number_format("cases_upper"), number_format("rate_lower"), number_format("label")
    ('#,##0', '#,##0.0', None)
    """
    name = str(measure)
    if name.endswith("ratio"):
        return _RATIO_FORMAT
    if "pct" in name or "rate" in name:
        return RATE_FORMAT
    if any(word in name for word in ("cases", "population", "births", "change")):
        return CASES_FORMAT
    return None


def write_tables_excel(
    tables: Mapping[str, pd.DataFrame],
    path: str | os.PathLike[str],
    *,
    data: pd.DataFrame | None = None,
    title: str | None = None,
    notes: Sequence[str] = (),
) -> Path:
    """Write planners' tables, their tidy data and a sources-and-methods sheet to ``.xlsx``.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Sheet name → table (its index is written as the first columns; a
        two-level column index as two heading rows). Each table's
        ``attrs["mhneed"]`` provenance, when it has one, feeds the sources
        sheet. Sheet names must be unique, at most 31 characters, and not
        ``Data`` or ``Sources and methods``.
    path : str or path
        The ``.xlsx`` file to write (its folder must exist).
    data : pandas.DataFrame, optional
        The tidy rows behind the tables (such as :func:`mhneed.area_table` or
        :func:`mhneed.projection_tidy`), written to the sheet ``Data``.
    title : str, optional
        A line above every table.
    notes : sequence of str
        Lines for the sources-and-methods sheet (such as what the service
        lots are).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        When no tables are given, or a sheet name is empty, longer than 31
        characters, holds a character Excel forbids (``[]:*?/\\``), repeats
        another (ignoring case) or is a name this workbook uses itself.
    MissingExtraError
        When openpyxl is not installed (``pip install "mhneed[excel]"``).
    """
    if not tables:
        raise InputError(
            "write_tables_excel: no tables given; give a mapping of sheet name to table",
            rule="at least one table",
        )
    _check_names(list(tables))
    out = output_path(path, function="write_tables_excel", suffixes=(".xlsx",))
    openpyxl = require("openpyxl", "writing Excel files")
    styles = importlib.import_module("openpyxl.styles")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        _table_sheet(book.create_sheet(name), frame, title, styles)
    if data is not None:
        _table_sheet(book.create_sheet(_DATA_SHEET), data.reset_index(drop=True), None, styles)
    frames = [*tables.values(), *([data] if data is not None else [])]
    _sources_sheet(book.create_sheet(_SOURCES_SHEET), frames, notes, styles)
    with atomic_path(out) as tmp:
        book.save(tmp)
    return out


# -- private helpers ---------------------------------------------------------------


def _check_names(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        problem = None
        if not str(name).strip():
            problem = "is empty"
        elif len(name) > 31:
            problem = f"has {len(name)} characters (Excel allows 31)"
        elif any(ch in name for ch in "[]:*?/\\"):
            problem = "holds a character Excel forbids ([]:*?/\\)"
        elif name.lower() in seen:
            problem = "repeats another sheet's name"
        elif name.lower() in (_DATA_SHEET.lower(), _SOURCES_SHEET.lower(), "history"):
            problem = "is a name this workbook uses itself (or Excel reserves)"
        if problem:
            raise InputError(
                f"write_tables_excel: sheet name {name!r} {problem}",
                column="sheet name",
                rule="unique sheet names of 1-31 characters",
                values=[name],
            )
        seen.add(name.lower())


def _value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool | int | float):
        return value
    return safe_text(str(value))


def _put(sheet: Any, row: int, col: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=col, value=_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula
    return cell


def _table_sheet(sheet: Any, frame: pd.DataFrame, title: str | None, styles: Any) -> None:
    letter = importlib.import_module("openpyxl.utils").get_column_letter
    bold = styles.Font(bold=True)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    has_index = not isinstance(frame.index, pd.RangeIndex)
    table = frame.reset_index() if has_index else frame
    n_index = frame.index.nlevels if has_index else 0
    columns = list(table.columns)
    levels = table.columns.nlevels
    top = 1
    if title:
        _put(sheet, 1, 1, title).font = styles.Font(bold=True, size=13)
        top = 3
    widths = [0] * len(columns)
    for col, name in enumerate(columns, start=1):
        parts = list(name) if isinstance(name, tuple) else [name]
        for level, part in enumerate(parts):
            if level > 0 and part == "" and col <= n_index:
                continue
            text = "" if part is None else str(part)
            if level == 0 and col > 1 and isinstance(name, tuple):
                previous = columns[col - 2]
                if isinstance(previous, tuple) and previous[0] == name[0]:
                    text = ""  # a block's name once, over its first column
            cell = _put(sheet, top + level, col, text or None)
            cell.font, cell.alignment = bold, wrap
        widths[col - 1] = max(len(str(p)) for p in parts) if col > n_index else 10
    measure_col = columns.index("measure") if "measure" in columns else None
    first = top + levels
    for r, record in enumerate(table.itertuples(index=False, name=None), start=first):
        row_format = number_format(record[measure_col]) if measure_col is not None else None
        for c, value in enumerate(record, start=1):
            cell = _put(sheet, r, c, value)
            name = columns[c - 1]
            fmt = row_format or number_format(name[-1] if isinstance(name, tuple) else name)
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool) and fmt:
                cell.number_format = fmt
            if isinstance(cell.value, str):
                widths[c - 1] = max(widths[c - 1], min(len(cell.value), 50))
            elif cell.value is not None:
                widths[c - 1] = max(widths[c - 1], 10)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[letter(c)].width = max(8, min(width + 2, 52))
    keys = max(n_index, _leading_text(table))
    sheet.freeze_panes = sheet.cell(row=first, column=keys + 1)
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{top}:{first - 1}"


def _leading_text(frame: pd.DataFrame) -> int:
    """How many columns at the left hold labels (text), to keep in view when scrolling."""
    n = 0
    for name in frame.columns:
        if frame[name].dtype.kind in "ifub":
            break
        n += 1
    return min(n, 4)


def _sources_sheet(
    sheet: Any, frames: Sequence[pd.DataFrame], notes: Sequence[str], styles: Any
) -> None:
    bold = styles.Font(bold=True)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    row = 1
    _put(sheet, row, 1, "Sources and methods").font = styles.Font(bold=True, size=13)
    row += 2
    seen: set[str] = set()
    for frame in frames:
        prov = frame.attrs.get("mhneed")
        if not isinstance(prov, Mapping) or prov.get("table") in seen:
            continue
        seen.add(str(prov.get("table")))
        lines = [
            ("Rate table", f"{prov.get('title', '')} [{prov.get('table', '')}]"),
            ("Citation", prov.get("citation", "")),
            ("Geography of the rates", prov.get("geography", "")),
            ("Population the rates cover", prov.get("population_covered", "")),
            ("Counted", str(prov.get("denominator", "")).replace("_", " ")),
            ("Ranges", _ranges(prov)),
        ]
        lines += [("Source", s.get("citation", "")) for s in prov.get("sources", [])]
        if prov.get("standard"):
            lines.append(("Standard population", str(prov["standard"])))
        if prov.get("data_source"):
            lines.append(("Input", str(prov["data_source"])))
        lines += [("Caveat", c) for c in prov.get("caveats", [])]
        lines += [("Warning", w) for w in prov.get("warnings", [])]
        for label, text in lines:
            _put(sheet, row, 1, label).font = bold
            _put(sheet, row, 2, text).alignment = wrap
            row += 1
        row += 1
    for note in notes:
        _put(sheet, row, 1, "Note").font = bold
        _put(sheet, row, 2, note).alignment = wrap
        row += 1
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 110
    sheet.freeze_panes = "A3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _ranges(prov: Mapping[str, Any]) -> str:
    kind = prov.get("interval")
    if kind == "confidence_interval":
        level = prov.get("interval_level") or 0.95
        return (
            f"{level:.0%} confidence intervals of the survey's rates (sampling error of the "
            "national survey; they do not measure local variation)"
        )
    if kind == "published_range":
        return "the published low and high rates (a range, not a confidence interval)"
    return "no interval published"
