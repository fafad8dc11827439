"""Read figures from the APMS 2014 data-table workbooks by their labels.

The publisher's workbooks (Excel 97, one per chapter) print each table with a
title, a header row of age bands, blocks of rows per sex (or per condition), and
bases at the foot. Labels carry footnote letters and stray spaces (``CMDa``,
``All  ``, ``16-24\\xa0``, sheet ``2.6 ``), so everything here is found by its
label, never by a fixed position, and a missing label stops the build with the
sheet and the label named.

Conventions (from each workbook's Title sheet): ``-`` is a zero estimate (no
observations in the sample); in the trend tables a ``-`` in the units row marks a
survey year that did not cover that age band. Used by ``tools/build_tables.py``;
needs ``xlrd`` (a development dependency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xlrd

__all__ = ["BuildError", "Figure", "Sheet", "open_sheet", "same_label"]


class BuildError(Exception):
    """A workbook does not hold what the build expects; the message names sheet and label."""


@dataclass(frozen=True)
class Figure:
    """One figure read from a workbook cell.

    ``value`` is the number as stored (a percentage, a base, a proportion); a
    ``-`` is 0 with ``dash`` true. ``cell`` is ``sheet!A1``.
    """

    value: float
    cell: str
    dash: bool = False


def same_label(text: object, label: str) -> bool:
    """True when a cell's text is ``label``, up to case, spaces and one footnote letter."""
    got, want = _norm(text), _norm(label)
    if got == want:
        return True
    return len(got) == len(want) + 1 and got.startswith(want) and got[-1] in "abcdefgh"


@cache
def _book(path: Path) -> xlrd.book.Book:
    return xlrd.open_workbook(str(path), on_demand=True)


def open_sheet(path: Path, name: str) -> Sheet:
    """The sheet whose name is ``name`` (ignoring stray spaces) in the workbook at ``path``."""
    book = _book(path)
    for sheet_name in book.sheet_names():
        if sheet_name.strip() == name:
            return Sheet(book.sheet_by_name(sheet_name), name)
    raise BuildError(f"{path.name}: no sheet named {name!r}; sheets: {book.sheet_names()}")


class Sheet:
    """One table of a workbook, with look-ups by label."""

    def __init__(self, sheet: xlrd.sheet.Sheet, name: str) -> None:
        self._sheet = sheet
        self.name = name

    @property
    def nrows(self) -> int:
        """The number of rows."""
        return int(self._sheet.nrows)

    # -- cells -------------------------------------------------------------------

    def text(self, row: int, col: int) -> object:
        """The raw value of a cell ('' past the edge)."""
        if row >= self._sheet.nrows or col >= self._sheet.ncols:
            return ""
        return self._sheet.cell_value(row, col)

    def ref(self, row: int, col: int) -> str:
        """``sheet!A1`` for a 0-based row and column."""
        return f"{self.name}!{_col_letters(col)}{row + 1}"

    def figure(self, row: int, col: int) -> Figure:
        """The number in a cell; ``-`` is a zero; anything else stops the build."""
        value = self.text(row, col)
        if isinstance(value, float):
            return Figure(value, self.ref(row, col))
        if isinstance(value, str) and value.strip() == "-":
            return Figure(0.0, self.ref(row, col), dash=True)
        raise BuildError(
            f"table {self.name}, cell {self.ref(row, col)}: expected a number or '-', "
            f"found {value!r}"
        )

    # -- rows --------------------------------------------------------------------

    def find_row(self, label: str, *, start: int = 0, stop: int | None = None, col: int = 0) -> int:
        """The first row in ``[start, stop)`` whose column ``col`` holds ``label``."""
        end = self._sheet.nrows if stop is None else min(stop, self._sheet.nrows)
        for row in range(start, end):
            if same_label(self.text(row, col), label):
                return row
        raise BuildError(
            f"table {self.name}: no row labelled {label!r} in column {_col_letters(col)} "
            f"between rows {start + 1} and {end}"
        )

    def rows_labelled(self, label: str, *, col: int = 0) -> list[int]:
        """Every row whose column ``col`` holds ``label``."""
        return [r for r in range(self._sheet.nrows) if same_label(self.text(r, col), label)]

    def block(self, label: str, *, after: int = 0) -> tuple[int, int]:
        """The rows of the block headed ``label`` (such as ``Men``): (header row, end row).

        A block ends at the next row whose first column holds text and nothing
        else on the row (the next block's heading), or at the bases.
        """
        head = self.find_row(label, start=after)
        row = head + 1
        while row < self._sheet.nrows:
            first = self.text(row, 0)
            rest = [self.text(row, c) for c in range(1, self._sheet.ncols)]
            if isinstance(first, str) and first.strip() and all(v == "" for v in rest):
                break
            if isinstance(first, str) and _norm(first).startswith("bases"):
                break
            row += 1
        return head, row

    # -- columns -----------------------------------------------------------------

    def header_columns(self, labels: list[str]) -> tuple[int, dict[str, int]]:
        """The header row holding every one of ``labels``, and each label's column."""
        for row in range(min(self._sheet.nrows, 12)):
            found: dict[str, int] = {}
            for col in range(self._sheet.ncols):
                for label in labels:
                    if label not in found and same_label(self.text(row, col), label):
                        found[label] = col
            if len(found) == len(labels):
                return row, found
        raise BuildError(f"table {self.name}: no header row holds all of the labels {labels}")

    def year_column(self, header_row: int, band_col: int, year: int) -> int | None:
        """In a trend table, the column of ``year`` under the band heading at ``band_col``.

        The band's columns run from its heading to the next heading; the years
        are on the first row below the headings that holds years. ``None`` when
        the survey year has no column for the band, or its units cell is ``-``
        (the survey did not cover those ages).
        """
        stop = band_col + 1
        while stop < self._sheet.ncols and self.text(header_row, stop) == "":
            stop += 1
        year_row = next(
            (
                r
                for r in range(header_row + 1, header_row + 4)
                if any(_year(self.text(r, c)) for c in range(band_col, stop))
            ),
            None,
        )
        if year_row is None:
            raise BuildError(f"table {self.name}: no row of survey years under the band headings")
        for col in range(band_col, stop):
            if _year(self.text(year_row, col)) == year:
                units = self.text(year_row + 1, col)
                if isinstance(units, str) and units.strip() == "-":
                    return None
                return col
        return None


def _year(value: object) -> int | None:
    """A survey year in a heading cell (``2007``, ``2007.0`` or ``'2007b'``)."""
    if isinstance(value, float) and 1990 <= value <= 2030:
        return int(value)
    match = re.fullmatch(r"\s*((?:19|20)\d\d)[a-h]?\s*", str(value))
    return int(match.group(1)) if match else None


def _norm(value: object) -> str:
    text = str(value).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _col_letters(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
