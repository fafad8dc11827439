"""Write reports to an Excel workbook that is safe to open: figures as numbers, with sources.

:func:`write_excel` writes one or more reports to an ``.xlsx`` workbook: a
sheet per rate table in the report layout with figures stored as numbers, a
data sheet per table with the tidy rows, a ``Sources`` sheet and a ``Notes``
sheet. It needs the optional extra ``excel`` (openpyxl).

Text is written so that a spreadsheet never runs it as a formula
(:func:`~mhneed.outputs.formula_guard.safe_text`), and text holding a control
character an ``.xlsx`` file cannot store is refused with a message naming the
sheet and cell.
"""

from __future__ import annotations

import importlib
import math
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mhneed._extras import require
from mhneed._files import atomic_path, output_path
from mhneed.errors import InputError
from mhneed.outputs.formula_guard import SAFE_TEXT_RULE, safe_text
from mhneed.outputs.report import KEY_HEADINGS, Report, check_report
from mhneed.outputs.report_layout import tidy_frame

__all__ = ["write_excel"]

_SHEET_BAD = set("[]:*?/\\")
#: The sheet name Excel keeps for itself (change tracking), in any case; a workbook with a
#: sheet of that name is reported as damaged.
_EXCEL_RESERVED = "history"
#: Characters an .xlsx file cannot hold (control characters but tab, line feed, CR).
_EXCEL_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_excel(
    reports: Report | Sequence[Report],
    path: str | os.PathLike[str],
    *,
    sheet_names: Sequence[str] | None = None,
) -> Path:
    """Write reports to an Excel workbook (``.xlsx``), figures stored as numbers.

    Parameters
    ----------
    reports : Report or sequence of Report
        One report per rate table (such as APMS and perinatal estimates for
        the same area).
    path : str or path
        The ``.xlsx`` file to write (its folder must exist).
    sheet_names : sequence of str, optional
        A sheet name for each report (such as ``"Districts"``, ``"County"``);
        by default each report's table id. Names are cut to Excel's 31
        characters, characters Excel forbids (``[]:*?/\\``) become ``_``, and a
        repeated name, or the name Excel reserves (``History``, in any case),
        gets a number (``History (2)``).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    MissingExtraError
        When openpyxl is not installed (``pip install "mhneed[excel]"``).
    InputError
        When no reports are given, one is not a :class:`~mhneed.outputs.report.Report`
        (such as an :class:`~mhneed.engine.results.Estimate`), ``path`` does not end in
        ``.xlsx`` or its folder does not exist, or ``sheet_names`` does not give
        one name per report.

    Notes
    -----
    The workbook holds, for each report, a sheet named after its table (such
    as ``apms_2014``) in the report layout: a heading row with each age band
    and ``All`` over three columns (estimate, low, high), figures as numbers
    shown with thousands separators (unrounded figures keep their full
    precision), and the notes under the table; and a sheet ``<table> data``
    with the tidy rows. Then ``Sources`` (one row per source of every table:
    table, edition, title, publisher, the table's citation and each source's
    citation) and ``Notes`` (per table: scope, input, rounding, the coverage
    report, warnings and caveats; and the rule for text from your files, see
    :func:`safe_text`).

    The workbook is written to a temporary file in the same folder and renamed
    when complete, so a failed write leaves no partial file.
    """
    if isinstance(reports, Report):
        items = [reports]
    elif isinstance(reports, Sequence) and not isinstance(reports, str):
        items = list(reports)
    else:
        items = [reports]
    for n, item in enumerate(items):
        check_report(item, "write_excel", "reports" if len(items) == 1 else f"reports[{n}]")
    out = output_path(path, function="write_excel", suffixes=(".xlsx",))
    if not items:
        raise InputError(
            "write_excel: no reports given; give one Report or a list of them",
            rule="at least one report",
        )
    names = [r.table.id for r in items] if sheet_names is None else [str(n) for n in sheet_names]
    if len(names) != len(items):
        raise InputError(
            f"write_excel: {len(names)} sheet names for {len(items)} reports; give one name "
            "per report",
            column="sheet_names",
            rule="one sheet name per report",
            values=list(names),
        )
    openpyxl = require("openpyxl", "writing Excel files")
    styles = importlib.import_module("openpyxl.styles")
    bold = styles.Font(bold=True)
    title_font = styles.Font(bold=True, size=13)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    centre = styles.Alignment(horizontal="center")
    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = {_EXCEL_RESERVED}  # so a sheet asked to be "History" gets a number
    for report, name in zip(items, names, strict=True):
        sheet = book.create_sheet(_sheet_name(name, used))
        _report_sheet(sheet, report, bold, title_font, centre)
        data = book.create_sheet(_sheet_name(f"{name[:26]} data", used))
        _frame_sheet(data, tidy_frame(report), bold)
    _sources_sheet(book.create_sheet(_sheet_name("Sources", used)), items, bold, wrap)
    _notes_sheet(book.create_sheet(_sheet_name("Notes", used)), items, names, bold, title_font)
    with atomic_path(out) as tmp:
        book.save(tmp)
    return out


# -- private helpers ---------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    """A value for an openpyxl cell: numbers as numbers, text made safe, NaN empty."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (int, float)):
        return value
    return safe_text(str(value))


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in _SHEET_BAD else ch for ch in name).strip("'")[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _put(
    sheet: Any, row: int, col: int, value: Any, *, font: Any = None, fmt: str | None = None
) -> Any:
    value = _cell_value(value)
    if isinstance(value, str) and (bad := _EXCEL_ILLEGAL.search(value)):
        where = f"sheet {sheet.title!r}, cell {sheet.cell(row=row, column=col).coordinate}"
        raise InputError(
            f"write_excel: {where}: text {value!r} holds a control character "
            f"(U+{ord(bad.group()):04X}) that Excel cannot store; remove it from the input "
            "(such as an area or group name)",
            column="reports",
            rule="no control characters in text written to Excel",
            values=[value],
        )
    cell = sheet.cell(row=row, column=col, value=value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever openpyxl guesses
    if font is not None:
        cell.font = font
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _report_sheet(sheet: Any, report: Report, bold: Any, title_font: Any, centre: Any) -> None:
    nums = report.numbers()
    keys = [KEY_HEADINGS.get(k, k) for k in report.keys]
    fixed = [*keys, "Sex", "Condition", "Period", "Ages", report.count_heading]
    figure_fmt = "#,##0" if report.decimals == 0 else "#,##0." + "0" * report.decimals
    _put(sheet, 1, 1, report.title, font=title_font)
    _put(sheet, 2, 1, f"Rates: {report.table.meta.title} [{report.table.id}]")
    if report.data_source:
        what = "Births" if report.count_column == "births" else "Population"
        _put(sheet, 3, 1, f"{what}: {report.data_source}")
    top, sub = 5, 6
    for col, heading in enumerate(fixed, start=1):
        _put(sheet, top, col, heading, font=bold)
        sheet.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
    col = len(fixed) + 1
    for band in report.columns:
        _put(sheet, top, col, band, font=bold).alignment = centre
        sheet.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 2)
        for offset, word in enumerate(("estimate", "low", "high")):
            _put(sheet, sub, col + offset, word, font=bold).alignment = centre
        col += 3
    _put(sheet, top, col, "Range", font=bold)
    sheet.merge_cells(start_row=top, start_column=col, end_row=sub, end_column=col)
    source_cols = [*report.keys, "Sex", "Condition", "Period", "Ages", report.count_heading]
    row = sub + 1
    for rec in nums.to_dict("records"):
        col = 1
        for name in source_cols:
            fmt = "#,##0" if name == report.count_heading else None
            _put(sheet, row, col, rec[name], fmt=fmt)
            col += 1
        for band in report.columns:
            for suffix in ("", " low", " high"):
                _put(sheet, row, col, rec[f"{band}{suffix}"], fmt=figure_fmt)
                col += 1
        _put(sheet, row, col, rec["Range"])
        row += 1
    row += 1
    for note in report.notes:
        _put(sheet, row, 1, note)
        row += 1
    sheet.freeze_panes = sheet.cell(row=sub + 1, column=len(fixed) + 1)
    widths = {"Condition": 48, "Period": 16, "Sex": 11, "Ages": 9, "Area": 22, "Group": 18}
    letter = importlib.import_module("openpyxl.utils").get_column_letter
    for col, heading in enumerate(fixed, start=1):
        sheet.column_dimensions[letter(col)].width = widths.get(heading, 12)
    for col in range(len(fixed) + 1, len(fixed) + 3 * len(report.columns) + 1):
        sheet.column_dimensions[letter(col)].width = 10
    sheet.column_dimensions[letter(len(fixed) + 3 * len(report.columns) + 1)].width = 24


def _frame_sheet(sheet: Any, frame: pd.DataFrame, bold: Any, start: int = 1) -> int:
    for col, name in enumerate(frame.columns, start=1):
        _put(sheet, start, col, str(name), font=bold)
    row = start + 1
    for rec in frame.itertuples(index=False, name=None):
        for col, value in enumerate(rec, start=1):
            _put(sheet, row, col, value)
        row += 1
    return row


def _sources_sheet(sheet: Any, reports: Iterable[Report], bold: Any, wrap: Any) -> None:
    headings = [
        "Table",
        "Edition",
        "Title",
        "Publisher",
        "Table citation",
        "Source",
        "Kind",
        "Citation",
        "URL",
    ]
    for col, heading in enumerate(headings, start=1):
        _put(sheet, 1, col, heading, font=bold)
    row = 2
    seen: set[tuple[str, str]] = set()
    for report in reports:
        meta = report.table.meta
        for source in report.provenance["sources"]:
            if (meta.id, source["id"]) in seen:
                continue
            seen.add((meta.id, source["id"]))
            url = report.table.source(source["id"]).url or ""
            values = [
                meta.id,
                meta.edition,
                meta.title,
                meta.publisher,
                meta.citation,
                source["id"],
                source["kind"],
                source["citation"],
                url,
            ]
            for col, value in enumerate(values, start=1):
                _put(sheet, row, col, value).alignment = wrap
            row += 1
    letter = importlib.import_module("openpyxl.utils").get_column_letter
    for col, width in enumerate((24, 9, 40, 24, 40, 24, 10, 70, 30), start=1):
        sheet.column_dimensions[letter(col)].width = width


def _notes_sheet(
    sheet: Any, reports: Sequence[Report], names: Sequence[str], bold: Any, title_font: Any
) -> None:
    row = 1
    for report, name in zip(reports, names, strict=True):
        meta = report.table.meta
        prov = report.provenance
        heading = f"{meta.id}: {meta.title}"
        if name != meta.id:
            heading = f"{name} ({heading})"
        _put(sheet, row, 1, heading, font=title_font)
        row += 1
        _put(sheet, row, 1, "Scope", font=bold)
        row += 1
        denominator = str(prov["denominator"]).replace("_", " ")
        if prov["denominator"] != prov["table_denominator"]:
            denominator += f" (the rates apply to {prov['table_denominator'].replace('_', ' ')})"
        scope = [
            ("Geography of the rates", meta.geography),
            ("Population the rates cover", meta.population),
            ("Ages", meta.ages + (f", narrowed to {prov['ages']}" if prov["ages"] else "")),
            ("Input counts", denominator),
            ("Input", report.data_source or "not stated"),
            ("Rounding", report.rounding or "none (unrounded estimates)"),
            ("Edition", meta.edition),
            ("Publisher", meta.publisher),
        ]
        for label, value in scope:
            _put(sheet, row, 1, label)
            _put(sheet, row, 2, value)
            row += 1
        row += 1
        _put(sheet, row, 1, "Conditions", font=bold)
        row += 1
        conditions = pd.DataFrame(prov["conditions"]).rename(
            columns={"id": "condition", "label": "label", "period": "period", "ages": "ages"}
        )
        row = _frame_sheet(sheet, conditions, bold, start=row) + 1
        _put(sheet, row, 1, "Coverage: everyone in the input, in scope or out of scope", font=bold)
        row += 1
        row = _frame_sheet(sheet, report.coverage, bold, start=row) + 1
        _put(sheet, row, 1, "Notes, warnings and caveats", font=bold)
        row += 1
        for note in report.notes:
            _put(sheet, row, 1, note)
            row += 1
        row += 1
    _put(sheet, row, 1, "Text from your files", font=bold)
    _put(sheet, row + 1, 1, SAFE_TEXT_RULE)
    letter = importlib.import_module("openpyxl.utils").get_column_letter
    sheet.column_dimensions[letter(1)].width = 28
    sheet.column_dimensions[letter(2)].width = 40
