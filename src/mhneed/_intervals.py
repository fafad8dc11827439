"""Interval maths: how a cell's range carries through when cells are combined.

Two kinds of range, never mixed:

* a **published range** (a low and a high scenario, such as 100-150 per
  1,000): combined bound with bound, so the low figure of a sum is the sum of
  the low figures;
* a survey **confidence interval** (sampling error of a national rate): every
  area uses the same national rate, so the population of one stratum (a
  condition × sex × age band cell) is summed across areas first; the strata are
  independent samples, so their errors are then combined in quadrature. The
  lower and upper sides are combined separately, which keeps a published
  asymmetric interval exact for a single stratum.

A combined row whose strata include one with no published interval has no
interval either: nothing is invented.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["STRATUM", "combine"]

#: The columns that identify one rate (one stratum of the survey).
STRATUM = ["condition", "sex", "age_band"]


def combine(cells: pd.DataFrame, by: list[str], kind: str, no_interval: str) -> pd.DataFrame:
    """Combine cell rows into one row per ``by`` group.

    Parameters
    ----------
    cells : pandas.DataFrame
        Cell-level rows with ``by`` columns, the stratum columns, ``population``,
        ``rate``, ``lower``, ``upper``, ``cases`` and ``interval``.
    by : list of str
        The grouping columns of the result.
    kind : str
        The table's interval kind: ``confidence_interval``, ``published_range``
        or ``none``.
    no_interval : str
        The label for rows with no interval.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``population``, ``cases``, ``cases_lower``,
        ``cases_upper`` [persons] and ``interval``.
    """
    strata_by = by + [c for c in STRATUM if c not in by]
    grouped = cells.groupby(strata_by, sort=True, observed=True, dropna=False)
    strata = grouped.agg(
        population=("population", "sum"),
        rate=("rate", "first"),
        lower=("lower", "first"),
        upper=("upper", "first"),
        interval=("interval", "first"),
    ).reset_index()
    pop = strata["population"].to_numpy()
    cases = pop * strata["rate"].to_numpy()
    low = pop * strata["lower"].to_numpy()
    high = pop * strata["upper"].to_numpy()
    strata["cases"] = cases
    strata["missing"] = np.isnan(low) | np.isnan(high)
    if kind == "confidence_interval":
        strata["low_part"] = (cases - low) ** 2
        strata["high_part"] = (high - cases) ** 2
    else:
        strata["low_part"] = low
        strata["high_part"] = high
    out = (
        strata.groupby(by, sort=True, observed=True, dropna=False)
        .agg(
            population=("population", "sum"),
            cases=("cases", "sum"),
            low_part=("low_part", "sum"),
            high_part=("high_part", "sum"),
            missing=("missing", "any"),
            interval=("interval", "first"),
        )
        .reset_index()
    )
    total = out["cases"].to_numpy()
    if kind == "confidence_interval":
        lower = total - np.sqrt(out["low_part"].to_numpy())
        upper = total + np.sqrt(out["high_part"].to_numpy())
    else:
        lower = out["low_part"].to_numpy()
        upper = out["high_part"].to_numpy()
    missing = out["missing"].to_numpy()
    out["cases_lower"] = np.where(missing, np.nan, lower)
    out["cases_upper"] = np.where(missing, np.nan, upper)
    interval = out["interval"].astype(object).where(~missing, no_interval)
    out["interval"] = pd.Categorical(interval)
    return out[[*by, "population", "cases", "cases_lower", "cases_upper", "interval"]]
