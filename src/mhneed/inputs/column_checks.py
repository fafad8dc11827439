"""Checks every input column shares, and how their messages name the rows and values at fault.

A count or an age must be a number (not true/false, a date or a duration); a sex or
key column must hold single values (not lists or dicts). Every refusal names the rows
(:func:`row_labels`: the first five row labels and how many more) and quotes the values
(:func:`quote`).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pandas as pd

from mhneed.errors import InputError

__all__ = ["check_number_kind", "quote", "row_labels", "unhashable"]


def check_number_kind(column: pd.Series, name: str, what: str) -> None:
    """Numbers only: not true/false, complex numbers, dates or durations."""
    dtype = column.dtype
    kind = None
    if pd.api.types.is_bool_dtype(dtype):
        kind = "true/false values"
    elif pd.api.types.is_complex_dtype(dtype):
        kind = "complex numbers"
    elif pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        kind = "dates"
    elif pd.api.types.is_timedelta64_dtype(dtype):
        kind = "durations"
    if kind is not None:
        raise InputError(
            f"column {name}: holds {kind}, not {what}",
            column=name,
            rule="numeric",
            values=[str(dtype)],
        )


def unhashable(column: pd.Series, name: str) -> InputError:
    """A column holding lists, dicts or other values that are not single values."""
    bad = column.map(lambda v: not isinstance(v, Hashable)).to_numpy(dtype=bool)
    first = column[bad].iloc[0] if bad.any() else None
    return InputError(
        f"column {name}: value {first!r} (rows {row_labels(column.index[bad])}) is a "
        f"{type(first).__name__}, not a single value",
        column=name,
        rule="single values",
        values=list(column[bad].head(10)),
        rows=column[bad].head(10).to_frame(),
    )


def quote(values: Sequence[object]) -> str:
    """Up to ten values, quoted (``repr``) and separated by commas, for a message."""
    return ", ".join(repr(v) for v in values[:10])


def row_labels(index: pd.Index | Sequence[object], limit: int = 5) -> str:
    """The first ``limit`` row labels of ``index``, and how many more, for a message."""
    labels = list(index[: limit + 1])
    shown = ", ".join(str(x) for x in labels[:limit])
    more = len(index) - limit
    return shown + (f" and {more} more" if more > 0 else "")
