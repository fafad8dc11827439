"""Recorded against estimated: the share of estimated need that services record.

:func:`compare` joins counts a service records by area (people on a GP
register, people entering NHS Talking Therapies treatment) to an estimate of
how many people have the condition, by key columns (never by row position),
and gives the share of estimated need met, ``recorded / cases``, with its
range: ``recorded / cases_upper`` to ``recorded / cases_lower``.
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from mhneed._intervals import STRATUM
from mhneed.errors import CombineError, InputError, MissingColumnError, UnknownConditionError
from mhneed.results import Estimate

__all__ = ["compare"]

#: The columns :func:`compare` adds beside the keys.
SHARE_COLUMNS = ("share_met", "share_met_lower", "share_met_upper")


def compare(
    estimate: Estimate,
    recorded: pd.DataFrame,
    *,
    on: Sequence[str] | None = None,
    column: str = "recorded",
    condition: str | None = None,
    unmatched: Literal["report", "error"] = "report",
) -> pd.DataFrame:
    """The share of estimated need that a recorded count meets, with its range.

    Parameters
    ----------
    estimate : Estimate
        Estimated cases: cell rows from :func:`mhneed.estimate` (summarised
        here by ``on`` and condition) or a summary from
        :meth:`Estimate.summarise` or :meth:`Estimate.simulate` whose ``by``
        columns are ``on`` plus ``condition``.
    recorded : pandas.DataFrame
        Recorded counts [persons]: the ``on`` key columns, the count column
        (``column``), and a ``condition`` column when the estimate has several
        conditions and ``condition=`` is not given. One row per key.
    on : sequence of str, optional
        The key columns to join on, such as ``["area_code"]``. By default the
        columns of ``recorded`` that are key columns of the estimate.
    column : str, default "recorded"
        The column of ``recorded`` holding the counts.
    condition : str, optional
        The condition the counts are for, when the estimate has several and
        ``recorded`` has no ``condition`` column.
    unmatched : {"report", "error"}, default "report"
        What to do with keys in only one of the two: ``"report"`` leaves them
        out of the result, lists them in ``result.attrs["unmatched"]`` (a
        frame of the keys with a ``reason`` column) and warns, naming them
        (a ``UserWarning``); ``"error"`` raises.

    Returns
    -------
    pandas.DataFrame
        One row per matched key: the ``on`` columns, ``condition``,
        ``recorded`` [persons], ``cases``, ``cases_lower``, ``cases_upper``
        [persons], ``interval`` (the estimate's kind of range), ``share_met``
        (``recorded / cases``), ``share_met_lower`` (``recorded /
        cases_upper``) and ``share_met_upper`` (``recorded / cases_lower``),
        as proportions (1 means the recorded count equals the estimate; above
        1 is possible). A share is NaN where the estimate has no interval,
        infinite where a lower limit is 0 and something was recorded, and 0
        wherever nothing was recorded (even against an estimate or limit of
        0). ``attrs["unmatched"]`` lists keys left out; ``attrs["mhneed"]``
        holds the estimate's provenance.

    Raises
    ------
    MissingColumnError
        When ``recorded`` lacks a key column or the count column, or no key
        column is shared with the estimate.
    InputError
        When a count is missing, not a number (true/false values, dates and
        durations are not counts) or negative; a key repeats or
        has a missing value; ``unmatched`` is not "report" or "error"; or
        (with ``unmatched="error"``) keys do not match.
    CombineError
        When the estimate is rounded, is summarised by columns other than
        ``on`` and ``condition``, or (cell rows) has more than one value of
        another key for one recorded key, such as several years for one area
        when the counts have no year: those would be added together.
    UnknownConditionError
        When ``condition`` (or a condition in ``recorded``) is not in the
        estimate, or the estimate has several conditions and neither a
        ``condition`` column nor ``condition=`` says which.

    Notes
    -----
    The range comes from the estimate's range only: the recorded count is
    taken as exact. To show the recorded figure's own random variation, use
    :func:`mhneed.stats.byar_interval` on it.

    Examples
    --------
    >>> import pandas as pd
    >>> import mhneed
    >>> est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["ptsd"])
    >>> seen = pd.DataFrame({"area_code": ["E06000017"], "recorded": [400]})
    >>> out = mhneed.compare(est, seen)
    >>> shares = out[["recorded", "share_met", "share_met_lower", "share_met_upper"]]
    >>> print(shares.round(3).to_string(index=False))
     recorded  share_met  share_met_lower  share_met_upper
          400      0.288            0.254            0.334
    """
    where = "compare"
    if not isinstance(estimate, Estimate):
        raise InputError(
            f"{where}: estimate must be an Estimate from mhneed.estimate(), not "
            f"{type(estimate).__name__}",
            column="estimate",
            rule="an Estimate",
            values=[type(estimate).__name__],
        )
    if not isinstance(recorded, pd.DataFrame):
        raise InputError(
            f"{where}: recorded must be a DataFrame of key columns and counts, not "
            f"{type(recorded).__name__}",
            column="recorded",
            rule="a DataFrame",
            values=[type(recorded).__name__],
        )
    if unmatched not in ("report", "error"):
        raise InputError(
            f"{where}: unmatched={unmatched!r} is not one of 'report', 'error'",
            column="unmatched",
            rule="unmatched in report, error",
            values=[unmatched],
        )
    if estimate.rounding is not None:
        raise CombineError(
            f"{where}: this estimate is {estimate.rounding}; compare with the unrounded "
            "estimate, then round what you show",
            rule="compare before rounding",
            values=[estimate.rounding],
        )
    keys = [k for k in estimate.keys if k not in STRATUM]
    if estimate.by is not None:
        keys = [k for k in estimate.by if k not in STRATUM]
    on_list = _on(on, recorded, keys, estimate, where)
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
    conditions = estimate.conditions
    rec = recorded[on_list].copy()
    rec["condition"] = _conditions(recorded, condition, conditions, estimate.table.id, where)
    rec["recorded"] = counts.to_numpy()
    _check_keys(rec, [*on_list, "condition"], where)

    summary = _summary(estimate, on_list, where)
    frame = summary.to_frame()
    join = [*on_list, "condition"]
    est_cols = ["cases", "cases_lower", "cases_upper", "interval"]
    left = _plain(rec, join)
    left["_order"] = np.arange(len(left))
    right = _plain(frame[[*join, *est_cols]], [*join, "interval"])
    for c in on_list:
        if _numeric(left[c]) != _numeric(right[c]):
            kinds = {True: "numbers", False: "text"}
            raise InputError(
                f"{where}: key column {c} holds {kinds[_numeric(left[c])]} in recorded but "
                f"{kinds[_numeric(right[c])]} in the estimate; give it the estimate's type",
                column=c,
                rule="key types match",
                values=[str(left[c].dtype)],
            )
    merged = left.merge(right, on=join, how="outer", indicator=True, sort=False)
    merged = merged.sort_values("_order", kind="stable", na_position="last")
    only_rec = merged["_merge"] == "left_only"
    only_est = (merged["_merge"] == "right_only") & merged["condition"].isin(set(left["condition"]))
    lost = pd.concat(
        [
            merged.loc[only_rec, join].assign(reason="no estimate for this key"),
            merged.loc[only_est, join].assign(reason="no recorded count for this key"),
        ],
        ignore_index=True,
    )
    shown = "; ".join(
        f"{', '.join(f'{c} {row[c]}' for c in join)} ({row['reason']})"
        for row in lost.head(10).to_dict("records")
    )
    more = f" and {len(lost) - 10} more" if len(lost) > 10 else ""
    if unmatched == "report" and len(lost):
        warnings.warn(
            f"{where}: {len(lost)} key{'s' if len(lost) != 1 else ''} did not match and "
            f"{'are' if len(lost) != 1 else 'is'} left out of the result (listed in "
            f"attrs['unmatched']; unmatched='error' refuses them): {shown}{more}",
            UserWarning,
            stacklevel=2,
        )
    if unmatched == "error" and len(lost):
        raise InputError(
            f"{where}: {len(lost)} key{'s' if len(lost) != 1 else ''} did not match: {shown}{more}",
            column=on_list[0],
            rule="every key matches",
            values=lost[join[0]].tolist(),
            rows=lost,
        )
    out = merged.loc[merged["_merge"] == "both", [*join, "recorded", *est_cols]]
    out = out.reset_index(drop=True)
    out["recorded"] = out["recorded"].astype(counts.dtype)  # an outer join may make floats
    rec_values = out["recorded"].to_numpy(np.float64)
    cases = out["cases"].to_numpy(np.float64)
    for col, of in (
        ("share_met", cases),
        ("share_met_lower", out["cases_upper"].to_numpy(np.float64)),
        ("share_met_upper", out["cases_lower"].to_numpy(np.float64)),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            share = rec_values / of
        # nothing recorded is no share of the need met, even against a need of 0
        share[(rec_values == 0) & (of == 0)] = 0.0
        out[col] = share
    out["condition"] = pd.Categorical(out["condition"], categories=conditions)
    out["interval"] = pd.Categorical(out["interval"])
    out.attrs["unmatched"] = lost
    out.attrs["mhneed"] = summary.provenance()
    return out


# -- private helpers ---------------------------------------------------------------


def _plain(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy with categorical columns turned into their plain values, for a join."""
    out = frame.copy()
    for c in columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(out[c].cat.categories.dtype)
    return out


def _rows_at(frame: pd.DataFrame, columns: list[str], values: tuple[Any, ...]) -> Any:
    """A boolean mask of the rows whose ``columns`` equal ``values``."""
    mask = np.ones(len(frame), dtype=bool)
    for c, v in zip(columns, values, strict=True):
        mask &= (frame[c] == v).to_numpy()
    return mask


def _plain_value(value: object) -> object:
    """A numpy scalar as the Python value it holds (for messages)."""
    return value.item() if isinstance(value, np.generic) else value


def _numeric(column: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(column.dtype)) and not pd.api.types.is_bool_dtype(
        column.dtype
    )


def _on(
    on: Sequence[str] | None,
    recorded: pd.DataFrame,
    keys: list[str],
    estimate: Estimate,
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


def _summary(estimate: Estimate, on: list[str], where: str) -> Estimate:
    """The estimate summarised to ``on`` (and condition), or checked if already summarised."""
    if estimate.by is None:
        coverage = estimate.coverage
        for key in (k for k in estimate.keys if k not in on):
            per_key = coverage.groupby(on, observed=True, sort=False)[key].nunique()
            if (per_key > 1).any():
                where_many = per_key[per_key > 1].index[0]
                shown = where_many if isinstance(where_many, tuple) else (where_many,)
                at = ", ".join(f"{c} {v}" for c, v in zip(on, shown, strict=True))
                values = sorted(map(str, coverage.loc[_rows_at(coverage, on, shown), key].unique()))
                raise CombineError(
                    f"{where}: the estimate has more than one {key} for {at} "
                    f"({', '.join(values[:5])}), but recorded counts are by "
                    f"{', '.join(on)}; adding them up would add different {key}s "
                    f"together: give recorded a {key} column, or estimate one {key}",
                    column=key,
                    rule="one estimate per recorded key",
                    values=values,
                )
        return estimate.summarise(by=[*on, "condition"])
    extra = [b for b in estimate.by if b not in on and b != "condition"]
    if extra:
        raise CombineError(
            f"{where}: the estimate is summarised by {', '.join(estimate.by)}, but recorded "
            f"counts are by {', '.join(on)}; {', '.join(extra)} would have to be added up "
            f"first: summarise the estimate by {', '.join([*on, 'condition'])}",
            column=extra[0],
            rule="estimate summarised by the join keys",
            values=extra,
        )
    missing = [c for c in on if c not in estimate.by]
    if missing:  # pragma: no cover - _on takes keys from estimate.by
        raise CombineError(f"{where}: the estimate is not summarised by {missing}")
    return estimate
