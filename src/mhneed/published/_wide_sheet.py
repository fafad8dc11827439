"""A sheet of a wide rate table as a grid of cells: from CSV, .xlsx, .xls or a DataFrame.

Used by :func:`mhneed.published.rate_file_wide.read_wide_rate_table`. Each cell
is blank (``None``), a number or stripped text (:func:`as_cell`); the grid's
name (the file, and the sheet of a workbook) heads every message about it.
Workbooks are read with openpyxl (``.xlsx``) and xlrd (``.xls``), the
``excel`` extra; a damaged or renamed file is refused by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from mhneed._extras import require
from mhneed._file_quirks import check_size, csv_rows
from mhneed.errors import RateTableError
from mhneed.published._rate_file_common import WIDE_READER, Cell, PathOrFrame, as_cell, file_text

__all__ = ["read_grid"]


def read_grid(path_or_frame: PathOrFrame, sheet: str | int | None) -> tuple[str, list[list[Cell]]]:
    """The name of the sheet, for messages, and its cells, row by row."""
    if isinstance(path_or_frame, pd.DataFrame):
        frame = path_or_frame
        raw: list[list[Any]] = frame.astype(object).to_numpy().tolist()
        if not isinstance(frame.columns, pd.RangeIndex):
            raw.insert(0, list(frame.columns))
        return "the DataFrame", [[as_cell(v) for v in row] for row in raw]
    path = Path(path_or_frame)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".xlsx", ".xlsm", ".xls"):
        check_size(path, WIDE_READER, error=RateTableError)
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise RateTableError(
                f"{path.name}: sheet={sheet!r} applies to Excel workbooks; a CSV file has one "
                "sheet, so leave sheet out",
                column="sheet",
                rule="sheet only for workbooks",
                values=[sheet],
            )
        rows = csv_rows(file_text(path), ",", WIDE_READER, path.name, error=RateTableError)
        return path.name, [[as_cell(v) for v in cells] for _, cells in rows]
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        return _read_xls(path, sheet)
    raise RateTableError(
        f"{path.name}: cannot read files ending {suffix or '(no extension)'!r}; give a .csv, "
        ".xlsx or .xls file, or a DataFrame",
        column="path",
        rule="a .csv, .xlsx or .xls file",
        values=[suffix],
    )


# -- private helpers ---------------------------------------------------------------


def _read_xlsx(path: Path, sheet: str | int | None) -> tuple[str, list[list[Cell]]]:
    openpyxl = require("openpyxl", "reading .xlsx files")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        if exc.filename is not None:
            raise  # missing, a folder, no permission: the builtin, untouched
        raise _not_a_workbook(path, exc) from None  # a seek the damaged zip sent astray
    except Exception as exc:  # openpyxl raises many kinds on a damaged file (BadZipFile, ...)
        raise _not_a_workbook(path, exc) from None
    try:
        index = _sheet_index(list(book.sheetnames), sheet, path.name)
        rows = book.worksheets[index].iter_rows(values_only=True)
        grid = [[as_cell(v) for v in row] for row in rows]
        return f"{path.name}, sheet {book.sheetnames[index]!r}", grid
    except RateTableError:
        raise
    except Exception as exc:  # a damaged sheet inside a readable zip
        raise _not_a_workbook(path, exc) from None
    finally:
        book.close()


def _read_xls(path: Path, sheet: str | int | None) -> tuple[str, list[list[Cell]]]:
    xlrd = require("xlrd", "reading .xls files")
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except OSError as exc:
        if exc.filename is not None:
            raise  # missing, a folder, no permission: the builtin, untouched
        raise _not_a_workbook(path, exc) from None
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, ...
        raise _not_a_workbook(path, exc) from None
    try:
        index = _sheet_index(list(book.sheet_names()), sheet, path.name)
        page = book.sheet_by_index(index)
        grid = [
            [as_cell(page.cell_value(r, c)) for c in range(page.ncols)] for r in range(page.nrows)
        ]
        return f"{path.name}, sheet {book.sheet_names()[index]!r}", grid
    except RateTableError:
        raise
    except Exception as exc:  # a damaged sheet
        raise _not_a_workbook(path, exc) from None
    finally:
        book.release_resources()


def _not_a_workbook(path: Path, exc: BaseException) -> RateTableError:
    kind = "an .xls" if path.suffix.lower() == ".xls" else "an .xlsx"
    detail = " ".join(str(exc).split())[:200] or type(exc).__name__
    return RateTableError(
        f"{WIDE_READER}: {path.name} is not a readable {path.suffix.lower()} workbook "
        f"({detail}); is it {kind} file saved by Excel, or another kind of file renamed?",
        column="path",
        rule="a readable workbook",
        values=[path.name],
    )


def _sheet_index(names: list[str], sheet: str | int | None, where: str) -> int:
    if sheet is None:
        return 0
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return sheet
    if isinstance(sheet, str) and sheet in names:
        return names.index(sheet)
    raise RateTableError(
        f"{where}: no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}",
        column="sheet",
        rule="sheet in the workbook",
        values=[sheet],
    )
