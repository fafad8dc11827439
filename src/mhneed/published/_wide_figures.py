"""A figure printed in a wide sheet read as a number: a percentage, a dash, a limit.

Used by :func:`mhneed.published.rate_file_wide.read_wide_rate_table`. A printed
``–`` is 0 (no cases observed in the sample), with a note; a text figure
holding a comma is refused unless the decimal mark is stated (``decimal=``),
since ``4,9`` could be 4.9 or 49; a blank or non-numeric cell is refused,
naming its row and column.
"""

from __future__ import annotations

import re
from typing import Any

from mhneed.errors import RateTableError
from mhneed.published._rate_file_common import Cell
from mhneed.published._wide_layout import DASHES, Row

__all__ = ["cell_record"]


def cell_record(
    row: Row,
    col: int,
    band: str,
    name: str,
    heading: str,
    *,
    required: bool,
    decimal: str | None,
) -> dict[str, Any]:
    """One cell of a condition row as a record (age band, rate, limits, note); empty if blank.

    ``required`` refuses a blank cell (an age band) or allows it (the All column).
    """
    where = f"{name}: row {row.line} ({row.label!r}, block {heading!r}), column {band}"
    rate, dash = _figure(row.cells[col], where, "the figure", required=required, decimal=decimal)
    if rate is None:
        return {}
    lower = upper = None
    if row.lower is not None or row.upper is not None:
        if row.lower is None or row.upper is None:
            raise RateTableError(
                f"{where}: {'lower' if row.lower is not None else 'upper'} confidence limits "
                "are given without the other; give both rows or neither",
                column="lower" if row.lower is None else "upper",
                rule="both limits or neither",
            )
        lower, _ = _figure(
            _at(row.lower, col), where, "the lower limit", required=False, decimal=decimal
        )
        upper, _ = _figure(
            _at(row.upper, col), where, "the upper limit", required=False, decimal=decimal
        )
    return {
        "age_band": band,
        "rate": rate,
        "lower": lower,
        "upper": upper,
        "note": _DASH_NOTE if dash else "",
    }


# -- private helpers ---------------------------------------------------------------

_DASH_NOTE = 'printed "–" in the source (no cases observed in the survey sample); stored as 0'

_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")

_DECIMAL_COMMA = re.compile(r"^[0-9]+(?:,[0-9]+)?$")


def _at(cells: list[Cell], col: int) -> Cell:
    return cells[col] if col < len(cells) else None


def _figure(
    value: Cell, where: str, what: str, *, required: bool, decimal: str | None
) -> tuple[float | None, bool]:
    if value is None:
        if required:
            raise RateTableError(
                f"{where}: no figure; every cell of a condition row needs a percentage "
                "(or '–' for no cases observed)",
                column="rate",
                rule="a figure in every age band",
            )
        return None, False
    if isinstance(value, float):
        return value, False
    text = value.strip().removesuffix("%").strip()
    if text in DASHES:
        return 0.0, True
    if "," in text:
        text = _comma_figure(value, text, where, what, decimal)
    try:
        if "_" in text:
            raise ValueError(text)  # Python's float() reads 6_8 as 68
        return float(text), False
    except ValueError:
        raise RateTableError(
            f"{where}: {what} {value!r} is not a number; write the percentage, or '–' for no "
            "cases observed",
            column="rate",
            rule="numeric",
            values=[value],
        ) from None


def _comma_figure(value: str, text: str, where: str, what: str, decimal: str | None) -> str:
    """A text figure with a comma, as plain digits, read with the decimal mark stated."""
    if decimal is None:
        as_decimal, as_thousands = text.replace(",", "."), text.replace(",", "")
        raise RateTableError(
            f"{where}: {what} {value!r} holds a comma, which is ambiguous: a decimal comma "
            f"({as_decimal}) or a thousands separator ({as_thousands})? Pass decimal=',' if "
            "the file writes decimals with commas, or decimal='.' if its commas separate "
            "thousands",
            column="rate",
            rule="no comma in a figure unless decimal= is given",
            values=[value],
        )
    if decimal == "." and _THOUSANDS.match(text):
        return text.replace(",", "")
    if decimal == "," and _DECIMAL_COMMA.match(text):
        return text.replace(",", ".")
    how = (
        "its commas must separate thousands (such as 1,000.5)"
        if decimal == "."
        else "write it with one comma and no points (such as 4,9)"
    )
    raise RateTableError(
        f"{where}: {what} {value!r} is not a number with decimal={decimal!r}: {how}",
        column="rate",
        rule=f"a number with decimal={decimal!r}",
        values=[value],
    )
