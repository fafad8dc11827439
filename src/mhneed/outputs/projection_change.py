"""The change from a base year and its range, when every year uses the same rates.

Used by :mod:`mhneed.outputs.projections`; the module notes there say what the ranges
mean. Each function works on stratum rows (one per group, year, condition, sex
and age band) with ``population``, ``rate``, ``lower`` and ``upper``, an
``owner`` array naming each row's output row, and the base year's population of
the same stratum.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["change_limits", "change_pct_limits"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def change_limits(
    kind: str, owner: IntArray, n: int, cells: pd.DataFrame, base_pop: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Change of cases from the base year, with limits (the rates' own kind of range)."""
    delta = cells["population"].to_numpy(np.float64) - base_pop
    change = _sum(owner, delta * cells["rate"].to_numpy(np.float64), n)
    lower, upper = _limits(kind, owner, n, change, delta, cells)
    return change, lower, upper


def change_pct_limits(
    kind: str, owner: IntArray, n: int, cells: pd.DataFrame, base_pop: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per cent change of cases, with limits (delta method, or exact over published ranges)."""
    pop = cells["population"].to_numpy(np.float64)
    rate = cells["rate"].to_numpy(np.float64)
    base_cases = _sum(owner, base_pop * rate, n)
    with np.errstate(all="ignore"):
        ratio = np.where(base_cases > 0, _sum(owner, pop * rate, n) / base_cases, np.nan)
        pct = 100.0 * (ratio - 1.0)
        if kind == "published_range":
            low, high = (cells[c].to_numpy(np.float64) for c in ("lower", "upper"))
            lowest = _ratio_extreme(owner, n, pop, base_pop, low, high, largest=False)
            highest = _ratio_extreme(owner, n, pop, base_pop, low, high, largest=True)
            missing = _sum(owner, (np.isnan(low) | np.isnan(high)).astype(np.float64), n) > 0
            lower = np.where(missing, np.nan, 100.0 * (lowest - 1.0))
            upper = np.where(missing, np.nan, 100.0 * (highest - 1.0))
            return pct, lower, upper
        # d pct / d rate_s = 100 (P_s - ratio × B_s) / base cases
        weight = 100.0 * (pop - ratio[owner] * base_pop) / base_cases[owner]
    lower, upper = _limits(kind, owner, n, pct, np.nan_to_num(weight), cells)
    bad = ~np.isfinite(pct)
    return pct, np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


# -- private helpers ---------------------------------------------------------------


def _sum(owner: IntArray, values: FloatArray, n: int) -> FloatArray:
    return np.bincount(owner, weights=values, minlength=n).astype(np.float64)


def _sides(weight: FloatArray, rate: FloatArray, low: FloatArray, high: FloatArray) -> Any:
    """Each stratum's error below and above, for a weight that may be negative."""
    down, up = rate - low, high - rate
    below = np.where(weight >= 0, weight * down, -weight * up)
    above = np.where(weight >= 0, weight * up, -weight * down)
    return below, above


def _limits(
    kind: str, owner: IntArray, n: int, point: FloatArray, weight: FloatArray, cells: pd.DataFrame
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper limits of ``Σ weight × rate`` per owner (the sums' own kind of range)."""
    rate, low, high = (cells[c].to_numpy(np.float64) for c in ("rate", "lower", "upper"))
    missing = _sum(owner, (np.isnan(low) | np.isnan(high)).astype(np.float64), n) > 0
    if kind == "confidence_interval":
        below, above = _sides(weight, rate, low, high)
        with np.errstate(over="ignore"):  # a base of almost no cases: limits without bound
            lower = point - np.sqrt(_sum(owner, np.nan_to_num(below) ** 2, n))
            upper = point + np.sqrt(_sum(owner, np.nan_to_num(above) ** 2, n))
    elif kind == "published_range":
        lower = _sum(owner, np.nan_to_num(np.minimum(weight * low, weight * high)), n)
        upper = _sum(owner, np.nan_to_num(np.maximum(weight * low, weight * high)), n)
    else:
        missing[:] = True
        lower = upper = point
    nan = np.full(n, np.nan)
    return np.where(missing, nan, lower), np.where(missing, nan, upper)


def _ratio_extreme(
    owner: IntArray,
    n: int,
    pop: FloatArray,
    base_pop: FloatArray,
    low: FloatArray,
    high: FloatArray,
    *,
    largest: bool,
) -> FloatArray:
    """The least or greatest ``Σ pop × r / Σ base_pop × r`` with each r in [low, high].

    Dinkelbach's method: given a ratio λ, the rates maximising (or minimising)
    ``Σ (pop - λ base_pop) r`` are each at a bound, chosen by the sign of its
    coefficient; the ratio at those rates is the next λ. The ratio improves at
    every step and stops at the optimum after a few steps.
    """
    with np.errstate(all="ignore"):  # a ratio over an empty base is NaN, and stays so
        return _dinkelbach(
            owner, n, pop, base_pop, np.nan_to_num(low), np.nan_to_num(high), largest
        )


def _dinkelbach(
    owner: IntArray,
    n: int,
    pop: FloatArray,
    base_pop: FloatArray,
    low: FloatArray,
    high: FloatArray,
    largest: bool,
) -> FloatArray:
    rates = (low + high) / 2.0
    ratio = _sum(owner, pop * rates, n) / _sum(owner, base_pop * rates, n)
    for _ in range(200):
        coefficient = pop - ratio[owner] * base_pop
        if largest:
            rates = np.where(coefficient > 0, high, low)
        else:
            rates = np.where(coefficient > 0, low, high)
        new = _sum(owner, pop * rates, n) / _sum(owner, base_pop * rates, n)
        settled = np.isclose(new, ratio, rtol=1e-15, atol=0.0) | ~np.isfinite(new)
        ratio = new
        if settled.all():
            break
    return ratio
