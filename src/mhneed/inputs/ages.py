"""The ages of a population: single years (``age``) or bands (``age_band``), as age units.

The engine counts people by *age unit*: each single year of age (0, 1, ... up to the
oldest; a top-coded age such as 90 stands for 90 and over and is open-ended), or each
distinct age band of a banded population (``16-24``, ``75+``; the same band written
two ways is one unit, and the bands must neither overlap nor leave gaps).
:func:`age_units` and :func:`band_units` give each row's unit and the units in age
order.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.errors import AgeBandError, InputError
from mhneed.inputs.column_checks import check_number_kind, row_labels
from mhneed.published.bands import MAX_AGE, AgeBand, check_partition, parse_band

__all__ = ["age_units", "band_units", "single_year_units"]

IntArray = npt.NDArray[np.int64]


def age_units(column: pd.Series, top_age: int | None) -> tuple[IntArray, tuple[AgeBand, ...]]:
    """Per row its age unit (its single year of age), and the units in age order.

    Ages must be whole years from 0 to :data:`~mhneed.published.bands.MAX_AGE`, or to
    ``top_age``, which stands for that age and over.
    """
    top_age = _checked_top_age(top_age)
    check_number_kind(column, "age", "whole years")
    if not pd.api.types.is_numeric_dtype(column.dtype):
        column = _numbers(column)
    limit = MAX_AGE if top_age is None else top_age
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":  # whole, never missing
        whole = np.asarray(column.to_numpy(), dtype=np.int64)
        if whole.size and whole.min() >= 0 and whole.max() <= limit:
            return whole, single_year_units(int(whole.max()), top_age)
    ages = column.to_numpy(dtype=np.float64, na_value=np.nan)
    _check_ages(column, ages, limit, top_age)
    codes = ages.astype(np.int64)
    return codes, single_year_units(int(codes.max()), top_age)


@lru_cache(maxsize=256)
def single_year_units(oldest: int, top_age: int | None) -> tuple[AgeBand, ...]:
    """Single years 0..oldest (0..top_age, the last open-ended, with a top-coded age).

    Kept once made: every population of the same ages has the same (immutable) units.
    """
    last = oldest if top_age is None else top_age
    units = [AgeBand(a, a) for a in range(last + 1)]
    if top_age is not None:
        units[top_age] = AgeBand(top_age, None)
    return tuple(units)


def band_units(column: pd.Series) -> tuple[IntArray, tuple[AgeBand, ...]]:
    """Per row its age unit (its band), and the distinct bands in age order.

    The same band written two ways (``16-24``, ``16–24``) is one unit; the bands must
    neither overlap nor leave gaps.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    if (codes < 0).any():
        raise InputError(
            f"column age_band: missing values in rows {row_labels(column.index[codes < 0])}",
            column="age_band",
            rule="no missing values",
            values=[None],
        )
    bands: list[AgeBand] = []
    for label in uniques:
        try:
            bands.append(parse_band(str(label)))
        except AgeBandError as exc:
            bad = column.index[column.to_numpy() == label]
            raise InputError(
                f"column age_band: {exc.message} (rows {row_labels(bad)})",
                column="age_band",
                rule="age band format",
                values=[label],
            ) from None
    # the same band may be written two ways ("16-24", "16–24"): merge them
    distinct = sorted(set(bands), key=lambda b: (b.lower, b.upper is None, b.upper or 0))
    index = {b: i for i, b in enumerate(distinct)}
    remap = np.array([index[b] for b in bands], dtype=np.int64)
    oldest = distinct[-1]
    scope = AgeBand(distinct[0].lower, None if any(b.is_open for b in distinct) else oldest.upper)
    try:
        check_partition(distinct, scope, what="column age_band")
    except AgeBandError as exc:
        raise InputError(
            exc.message + "; population bands must not overlap or leave gaps",
            column="age_band",
            rule="bands do not overlap or leave gaps",
            values=exc.values,
        ) from None
    return remap[codes], tuple(distinct)


# -- private helpers ---------------------------------------------------------------


def _checked_top_age(top_age: object) -> int | None:
    """``top_age`` as a whole number of years in 0..MAX_AGE (a numpy integer too), or None."""
    if isinstance(top_age, np.integer):
        top_age = int(top_age)
    if top_age is None:
        return None
    if isinstance(top_age, int) and not isinstance(top_age, bool) and 0 <= top_age <= MAX_AGE:
        return top_age
    raise InputError(
        f"top_age {top_age!r} is not a whole number of years in 0..{MAX_AGE}",
        column="age",
        rule=f"top_age in 0..{MAX_AGE}",
        values=[top_age],
    )


def _numbers(column: pd.Series) -> pd.Series:
    """An age column of text as numbers; text that is not a number is refused."""
    numeric = pd.to_numeric(column, errors="coerce")
    bad = numeric.isna() & column.notna()
    if bad.any():
        first = column[bad].iloc[0]
        hint = ""
        if isinstance(first, str) and first.strip().endswith("+"):
            hint = (
                f"; for a top-coded age such as '90+' give the number ({first.strip()[:-1]}) "
                f"and top_age={first.strip()[:-1]}, or use an age_band column"
            )
        raise InputError(
            f"column age: value {first!r} (rows {row_labels(column.index[bad])}) is not a "
            f"whole number of years{hint}",
            column="age",
            rule="whole years",
            values=list(column[bad].head(10)),
            rows=column[bad].head(10).to_frame(),
        )
    return numeric


def _check_ages(
    column: pd.Series, ages: npt.NDArray[np.float64], limit: int, top_age: int | None
) -> None:
    """Ages filled in, whole and from 0 to ``limit`` (MAX_AGE, or top_age)."""
    nan = np.isnan(ages)
    if nan.any():
        raise InputError(
            f"column age: missing values in rows {row_labels(column.index[nan])}",
            column="age",
            rule="no missing values",
            values=[None],
            rows=column[nan].head(10).to_frame(),
        )
    fractional = ages != np.floor(ages)
    if fractional.any():
        raise InputError(
            f"column age: value {ages[fractional][0]:g} (rows "
            f"{row_labels(column.index[fractional])}) is not a whole number of years",
            column="age",
            rule="whole years",
            values=list(ages[fractional][:10]),
            rows=column[fractional].head(10).to_frame(),
        )
    out = (ages < 0) | (ages > limit)
    if out.any():
        rule = f"0 <= age <= {MAX_AGE}"
        extra = ""
        if top_age is not None:
            rule = f"0 <= age <= top_age ({top_age})"
            extra = (
                f"; top_age={top_age} means {top_age} is the oldest age, standing for {top_age}+"
            )
        raise InputError(
            f"column age: value {ages[out][0]:g} (rows {row_labels(column.index[out])}) is "
            f"outside the rule {rule}{extra}",
            column="age",
            rule=rule,
            values=list(ages[out][:10]),
            rows=column[out].head(10).to_frame(),
        )
