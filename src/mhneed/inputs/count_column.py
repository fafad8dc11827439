"""The count column of a population or births frame: numbers, finite, 0 or more, not too many.

:func:`count_values` checks a frame's ``population`` or ``births`` (or ``maternities``)
column and returns it as floats; counts may be fractional (projections and averages
over years have decimals). The readers' own parsing of counts as files write them
(thousands separators in text) is in :mod:`mhneed.inputs.file_counts`.
"""

from __future__ import annotations

import math
import re

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.errors import InputError
from mhneed.inputs.column_checks import check_number_kind, row_labels

__all__ = ["MAX_COUNT", "count_values"]

#: The largest count one row may hold [persons]: more than the world's population.
MAX_COUNT = 10_000_000_000

FloatArray = npt.NDArray[np.float64]


def count_values(frame: pd.DataFrame, column: str, *, noun: str, huge: str) -> FloatArray:
    """A count column (population or births) as floats, after every rule is checked.

    Parameters
    ----------
    frame : pandas.DataFrame
        The input frame.
    column : str
        The count column, ``"population"`` or ``"births"``.
    noun : str
        What one value is, for messages: ``"population"``, ``"count of births"``.
    huge : str
        What a value above :data:`MAX_COUNT` would be, for messages.

    Raises
    ------
    InputError
        For text that is not a number (pointing to the readers when it has
        thousands separators), missing or infinite values, negative values, and
        values above :data:`MAX_COUNT`; each names the column, rule, values and rows.
    """
    col = frame[column]
    check_number_kind(col, column, "counts")
    if not pd.api.types.is_numeric_dtype(col.dtype):
        col = _numbers(frame, column)
    values = np.asarray(col.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    if values.size:  # two reductions say when every value keeps every rule (the usual case)
        low, high = float(values.min()), float(values.max())
        if math.isfinite(low) and math.isfinite(high) and low >= 0 and high <= MAX_COUNT:
            return values
    finite = np.isfinite(values)
    if not finite.all():
        odd = ~finite
        what = "missing (NaN)" if np.isnan(values[odd]).all() else "not finite (NaN or infinite)"
        raise InputError(
            f"column {column}: values are {what} in rows {row_labels(frame.index[odd])}; "
            f"every {noun} must be a finite number",
            column=column,
            rule="finite",
            values=list(values[odd][:10]),
            rows=frame[odd].head(10),
        )
    negative = values < 0
    if negative.any():
        raise InputError(
            f"column {column}: negative value {values[negative][0]:g} in rows "
            f"{row_labels(frame.index[negative])}; a {noun} cannot be negative",
            column=column,
            rule=f"{column} >= 0",
            values=list(values[negative][:10]),
            rows=frame[negative].head(10),
        )
    too_big = values > MAX_COUNT
    if too_big.any():
        raise InputError(
            f"column {column}: value {values[too_big][0]:g} in rows "
            f"{row_labels(frame.index[too_big])} is {huge}; the rule is {column} <= "
            f"{MAX_COUNT:,.0f}",
            column=column,
            rule=f"{column} <= {MAX_COUNT:.0e}",
            values=list(values[too_big][:10]),
            rows=frame[too_big].head(10),
        )
    return values


# -- private helpers ---------------------------------------------------------------

_THOUSANDS = re.compile(r"^\s*-?\d{1,3}(,\d{3})+(\.\d+)?\s*$")


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    """A count column of text as numbers; text that is not a number is refused."""
    col = frame[column]
    numeric = pd.to_numeric(col, errors="coerce")
    bad = numeric.isna() & col.notna()
    if bad.any():
        first = col[bad].iloc[0]
        rows = row_labels(col.index[bad])
        if column == "population" and isinstance(first, str) and _THOUSANDS.match(first):
            message = (
                f"column population: value {first!r} (rows {rows}) is text with thousands "
                "separators, not a number; read ONS files with mhneed.read_ons_mye2 or "
                "mhneed.read_nomis, or read the CSV with pandas.read_csv(..., thousands=',')"
            )
        else:
            hint = ""
            if column != "population" and isinstance(first, str) and "," in first:
                hint = (
                    "; it looks like text with thousands separators: read the CSV with "
                    "pandas.read_csv(..., thousands=',')"
                )
            message = f"column {column}: value {first!r} (rows {rows}) is not a number{hint}"
        raise InputError(
            message,
            column=column,
            rule="numeric",
            values=list(col[bad].head(10)),
            rows=frame[bad].head(10),
        )
    return numeric
