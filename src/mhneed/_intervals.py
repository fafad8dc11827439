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

from mhneed._grouping import codes_of, group_ids

__all__ = ["STRATUM", "combine"]

#: The columns that identify one rate (one stratum of the survey).
STRATUM = ["condition", "sex", "age_band"]


def combine(cells: pd.DataFrame, by: list[str], kind: str, no_interval: str) -> pd.DataFrame:
    """Combine cell rows into one row per ``by`` group.

    Parameters
    ----------
    cells : pandas.DataFrame
        Cell-level rows with ``by`` columns, the stratum columns, ``population``,
        ``rate``, ``lower``, ``upper`` and ``interval``.
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
        ``cases_upper`` [persons] and ``interval``, one row per group, groups in
        sorted order (categorical columns in their category order).
    """
    extra = [c for c in STRATUM if c not in by]
    coded = [codes_of(cells[c]) for c in [*by, *extra]]
    codes = [c for c, _ in coded]
    sizes = [len(u) for _, u in coded]
    group, group_rep = group_ids(codes[: len(by)], sizes[: len(by)])
    stratum, stratum_rep = group_ids(codes, sizes)
    n_groups, n_strata = len(group_rep), len(stratum_rep)

    # 1. one stratum (same national rate) summed across the rows combined
    pop = np.bincount(stratum, weights=cells["population"].to_numpy(np.float64), minlength=n_strata)
    rate = cells["rate"].to_numpy(np.float64)[stratum_rep]
    low = pop * cells["lower"].to_numpy(np.float64)[stratum_rep]
    high = pop * cells["upper"].to_numpy(np.float64)[stratum_rep]
    cases = pop * rate
    missing = np.isnan(low) | np.isnan(high)
    if kind == "confidence_interval":
        low_part, high_part = (cases - low) ** 2, (high - cases) ** 2
    else:
        low_part, high_part = low, high

    # 2. strata combined within each group
    owner = group[stratum_rep]

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(owner, weights=np.where(missing, 0.0, values), minlength=n_groups)

    out_pop = np.bincount(owner, weights=pop, minlength=n_groups)
    out_cases = np.bincount(owner, weights=cases, minlength=n_groups)
    any_missing = np.bincount(owner, weights=missing.astype(np.float64), minlength=n_groups) > 0
    if kind == "confidence_interval":
        lower = out_cases - np.sqrt(total(low_part))
        upper = out_cases + np.sqrt(total(high_part))
    else:
        lower, upper = total(low_part), total(high_part)

    data = {col: _take(cells[col], group_rep) for col in by}
    out = pd.DataFrame(data, index=pd.RangeIndex(n_groups))
    out["population"] = out_pop
    out["cases"] = out_cases
    out["cases_lower"] = np.where(any_missing, np.nan, lower)
    out["cases_upper"] = np.where(any_missing, np.nan, upper)
    labels = cells["interval"].to_numpy(dtype=object)[group_rep]
    out["interval"] = pd.Categorical(np.where(any_missing, no_interval, labels))
    return out


def _take(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """Rows of a column, keeping a categorical's categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)[rows]
        return pd.Series(pd.Categorical.from_codes(codes, categories=column.cat.categories))
    return pd.Series(column.to_numpy()[rows], dtype=column.dtype)
