"""What :func:`~mhneed.outputs.compare.compare` is given, checked before any join.

The join keys (named, or the key columns the recorded frame shares with the
estimate), the recorded counts (numbers, 0 or more: never true/false values,
dates or durations, which pandas would take as 1/0 and nanoseconds), the
condition of each count, and one row per key with no key missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mhneed.engine.intervals import STRATUM
from mhneed.engine.results import Estimate
from mhneed.errors import InputError, MissingColumnError, UnknownConditionError

__all__ = ["recorded_frame"]


def recorded_frame(
    estimate: Estimate,
    recorded: pd.DataFrame,
    on: Sequence[str] | None,
    column: str,
    condition: str | None,
    where: str,
) -> tuple[list[str], pd.DataFrame, pd.Series]:
    """The join keys; recorded as those keys, ``condition`` and ``recorded``; the counts.

    Raises the errors :func:`~mhneed.outputs.compare.compare` lists for its
    ``recorded``, ``on``, ``column`` and ``condition`` arguments.
    """
    keys = [k for k in estimate.keys if k not in STRATUM]
    if estimate.by is not None:
        keys = [k for k in estimate.by if k not in STRATUM]
    on_list = _on(on, recorded, keys, where)
    if column not in recorded.columns:
        have = ", ".join(map(str, recorded.columns)) or "none"
        raise MissingColumnError(
            f"{where}: recorded has no column {column!r} of counts; name it with column=; "
            f"it has: {have}",
            column=column,
            rule="a count column",
            values=[column],
        )
    counts = _counts(recorded[column], column, where)
    rec = recorded[on_list].copy()
    rec["condition"] = _conditions(
        recorded, condition, estimate.conditions, estimate.table.id, where
    )
    rec["recorded"] = counts.to_numpy()
    _check_keys(rec, [*on_list, "condition"], where)
    return on_list, rec, counts


# -- private helpers ---------------------------------------------------------------


def _plain_value(value: object) -> object:
    """A numpy scalar as the Python value it holds (for messages)."""
    return value.item() if isinstance(value, np.generic) else value


def _on(
    on: Sequence[str] | None,
    recorded: pd.DataFrame,
    keys: list[str],
    where: str,
) -> list[str]:
    """The join keys, checked against both frames."""
    if on is None:
        on_list = [c for c in recorded.columns if c in keys]
        if not on_list:
            have = ", ".join(map(str, recorded.columns)) or "none"
            raise MissingColumnError(
                f"{where}: recorded shares no key column with the estimate; the estimate's "
                f"keys are: {', '.join(keys) or 'none'}; recorded has: {have}",
                column=keys[0] if keys else None,
                rule="a shared key column",
                values=keys,
            )
        return on_list
    on_list = [on] if isinstance(on, str) else list(dict.fromkeys(on))
    for c in on_list:
        if c not in keys:
            raise MissingColumnError(
                f"{where}: on column {c!r} is not a key of the estimate; its keys are: "
                f"{', '.join(keys) or 'none'}",
                column=c,
                rule="on columns are estimate keys",
                values=[c],
            )
        if c not in recorded.columns:
            have = ", ".join(map(str, recorded.columns)) or "none"
            raise MissingColumnError(
                f"{where}: recorded has no column {c!r} to join on; it has: {have}",
                column=c,
                rule="on columns in recorded",
                values=[c],
            )
    return on_list


def _counts(values: pd.Series, column: str, where: str) -> pd.Series:
    """The recorded counts as numbers, refusing missing, non-numeric and negative values,
    and true/false values, dates and durations (which pandas would take as 1/0 and
    nanoseconds)."""
    kind = _not_a_count(values)
    if kind is not None:
        odd = values.map(_odd_value).to_numpy(dtype=bool)
        if not odd.any():  # the whole column's type
            odd = np.ones(len(values), dtype=bool)
        rows = values.index[odd]
        shown = ", ".join(f"row {r}: {_plain_value(values.loc[r])!r}" for r in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        raise InputError(
            f"{where}: column {column}: holds {kind}, not counts; {shown}{more}",
            column=column,
            rule="counts are numbers",
            values=[_plain_value(v) for v in values.loc[rows[:20]]],
        )
    as_numbers = pd.to_numeric(values, errors="coerce")
    numbers = as_numbers.to_numpy(np.float64, na_value=np.nan)
    bad = ~np.isfinite(numbers) | (numbers < 0)
    if bad.any():
        rows = values.index[bad]
        shown = ", ".join(f"row {r}: {_plain_value(values.loc[r])!r}" for r in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        raise InputError(
            f"{where}: column {column}: counts must be numbers, 0 or more; {shown}{more}",
            column=column,
            rule="counts >= 0",
            values=[_plain_value(v) for v in values.loc[rows[:20]]],
        )
    return as_numbers


def _not_a_count(values: pd.Series) -> str | None:
    """What kind of non-count a column holds (by its type, or any value's), or None."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "true/false values"
    if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        return "dates"
    if pd.api.types.is_timedelta64_dtype(dtype):
        return "durations"
    if pd.api.types.is_complex_dtype(dtype):
        return "complex numbers"
    if pd.api.types.is_object_dtype(dtype):
        kinds = {k for k in values.map(_odd_value) if k}
        if kinds:
            return " and ".join(sorted(kinds))
    return None


def _odd_value(value: object) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "true/false values"
    if isinstance(value, (datetime.date, np.datetime64, pd.Period)):
        return "dates"
    if isinstance(value, (datetime.timedelta, np.timedelta64)):
        return "durations"
    if isinstance(value, complex):
        return "complex numbers"
    return ""


def _conditions(
    recorded: pd.DataFrame,
    condition: str | None,
    conditions: list[str],
    table_id: str,
    where: str,
) -> Any:
    """The condition of each recorded row, checked against the estimate."""
    if condition is not None:
        if "condition" in recorded.columns:
            raise InputError(
                f"{where}: recorded has a condition column and condition={condition!r} was "
                "also given; use one or the other",
                column="condition",
                rule="condition column or argument, not both",
                values=[condition],
            )
        if condition not in conditions:
            raise UnknownConditionError(
                f"{where}: condition {condition!r} is not in the estimate; its conditions are: "
                f"{', '.join(conditions)}",
                column="condition",
                rule="condition in the estimate",
                values=[condition],
            )
        return condition
    if "condition" in recorded.columns:
        given = recorded["condition"].astype(str)
        unknown = sorted(set(given) - set(conditions))
        if unknown:
            raise UnknownConditionError(
                f"{where}: recorded column condition has {', '.join(map(repr, unknown))}, not "
                f"in the estimate; its conditions are: {', '.join(conditions)}",
                column="condition",
                rule="condition in the estimate",
                values=unknown,
            )
        return given.to_numpy()
    if len(conditions) > 1:
        raise UnknownConditionError(
            f"{where}: the estimate has {len(conditions)} conditions "
            f"({', '.join(conditions)}) from rate table {table_id}; say which the counts are "
            "for with condition=, or give recorded a condition column",
            column="condition",
            rule="one condition per count",
            values=conditions,
        )
    return conditions[0]


def _check_keys(rec: pd.DataFrame, join: list[str], where: str) -> None:
    """No missing and no repeated keys in the recorded frame."""
    for c in join:
        blank = rec[c].isna().to_numpy()
        if blank.any():
            rows = rec.index[blank]
            raise InputError(
                f"{where}: recorded column {c}: missing values in rows "
                f"{', '.join(map(str, rows[:10]))}; every row needs its keys",
                column=c,
                rule="keys filled in",
                values=list(rows[:20]),
            )
    twice = rec.duplicated(subset=join, keep=False).to_numpy()
    if twice.any():
        rows = rec.index[twice]
        first = rec.loc[rows[0], join]
        shown = ", ".join(f"{c} {first[c]}" for c in join)
        raise InputError(
            f"{where}: recorded has more than one row for {shown} (rows "
            f"{', '.join(map(str, rows[:10]))}); give one count per key",
            column=join[0],
            rule="one row per key",
            values=list(rows[:20]),
        )
