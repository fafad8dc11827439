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

Each side of a cell's interval is read as a standard error on the logit scale,
``se_lower = (logit(rate) - logit(lower)) / z`` and ``se_upper = (logit(upper) -
logit(rate)) / z``, with ``z`` the normal quantile of the table's level. The
analytic combination turns each side into persons with the secant of the logit
transform, ``population × (rate - lower) / z``, which is the published limit
exactly (see ``docs/methods.md`` for why the secant, not the tangent); the
simulation (:func:`mhneed.engine.simulation.simulate_limits`) draws each stratum's
rate on the logit scale with those two standard errors.

A combined row whose strata include one with no published interval has no
interval either: nothing is invented. (Wilson intervals for cells with none
published, from the survey's bases, are in :mod:`mhneed.engine.survey_bases`.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._group_ids import codes_of, group_ids
from mhneed.stats import normal_quantile

__all__ = [
    "STRATUM",
    "Strata",
    "combine",
    "counted",
    "logit",
    "logit_sides",
    "standard_errors",
    "stratum_sums",
    "sum_by",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The columns that identify one rate (one stratum of the survey).
STRATUM = ["condition", "sex", "age_band"]


def combine(
    cells: pd.DataFrame,
    by: list[str],
    kind: str,
    no_interval: str,
    *,
    mixed: str | None = None,
) -> pd.DataFrame:
    """Combine cell rows into one row per ``by`` group.

    Parameters
    ----------
    cells : pandas.DataFrame
        Cell-level rows with ``by`` columns, the stratum columns, ``population``,
        ``rate``, ``lower``, ``upper`` and ``interval``.
    by : list of str
        The grouping columns of the result.
    kind : str
        The interval kind: ``confidence_interval``, ``published_range`` or
        ``none``.
    no_interval : str
        The label for rows with no interval.
    mixed : str, optional
        The label for a group whose cells carry different interval labels
        (published confidence limits beside Wilson intervals); by default the
        label of one of its cells.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``population``, ``cases``, ``cases_lower``,
        ``cases_upper`` [persons] and ``interval``, one row per group, groups in
        sorted order (categorical columns in their category order).
    """
    st = stratum_sums(cells, by)
    pop, owner, n_groups = st.pop, st.owner, st.n_groups
    rate = cells["rate"].to_numpy(np.float64)[st.rep]
    low = pop * cells["lower"].to_numpy(np.float64)[st.rep]
    high = pop * cells["upper"].to_numpy(np.float64)[st.rep]
    cases = pop * rate
    missing = np.isnan(low) | np.isnan(high)
    if kind == "confidence_interval":
        low_part, high_part = (cases - low) ** 2, (high - cases) ** 2
    else:
        low_part, high_part = low, high

    def total(values: FloatArray) -> FloatArray:
        return sum_by(owner, np.where(missing, 0.0, values), n_groups)

    out_pop = sum_by(owner, pop, n_groups)
    out_cases = sum_by(owner, cases, n_groups)
    any_missing = sum_by(owner, missing.astype(np.float64), n_groups) > 0
    if kind == "confidence_interval":
        lower = out_cases - np.sqrt(total(low_part))
        upper = out_cases + np.sqrt(total(high_part))
    else:
        lower, upper = total(low_part), total(high_part)

    data = {col: _take(cells[col], st.group_rep) for col in by}
    out = pd.DataFrame(data, index=pd.RangeIndex(n_groups))
    out["population"] = out_pop
    out["cases"] = out_cases
    out["cases_lower"] = np.where(any_missing, np.nan, lower)
    out["cases_upper"] = np.where(any_missing, np.nan, upper)
    label_codes, label_names = codes_of(cells["interval"])
    stratum_label = label_codes[st.rep]
    group_label = label_codes[st.group_rep]
    differs = np.bincount(
        owner, weights=(stratum_label != group_label[owner]).astype(np.float64), minlength=n_groups
    )
    labels = np.asarray(label_names, dtype=object)[group_label]
    if mixed is not None:
        labels = np.where(differs > 0, mixed, labels)
    out["interval"] = pd.Categorical(np.where(any_missing, no_interval, labels))
    return out


def logit_sides(
    rate: FloatArray, lower: FloatArray, upper: FloatArray, z: float
) -> tuple[npt.NDArray[np.bool_], FloatArray, FloatArray]:
    """Each cell's lower and upper standard errors, on the logit scale where it can be.

    Parameters
    ----------
    rate, lower, upper : numpy.ndarray
        The published rate and limits [proportions]; NaN limits where none
        were published.
    z : float
        The normal quantile of the interval's level (1.959964 for 95%).

    Returns
    -------
    on_logit : numpy.ndarray of bool
        True where ``0 < lower`` and ``upper < 1``, so the logit of every figure
        is finite; elsewhere (a rate or limit of 0 or 1) the standard errors are
        on the proportion scale.
    se_lower, se_upper : numpy.ndarray
        ``(logit(rate) - logit(lower)) / z`` and ``(logit(upper) - logit(rate)) /
        z`` on the logit scale; ``(rate - lower) / z`` and ``(upper - rate) / z``
        on the proportion scale; NaN with no interval.
    """
    with np.errstate(invalid="ignore"):
        on_logit = (lower > 0) & (upper < 1)
    r = np.where(on_logit, rate, 0.5)  # placeholders off the logit scale keep logs finite
    lo = np.where(on_logit, lower, 0.25)
    hi = np.where(on_logit, upper, 0.75)
    se_lower = np.where(on_logit, (logit(r) - logit(lo)) / z, (rate - lower) / z)
    se_upper = np.where(on_logit, (logit(hi) - logit(r)) / z, (upper - rate) / z)
    return on_logit, se_lower, se_upper


def standard_errors(cells: pd.DataFrame, level: float | None) -> pd.DataFrame:
    """Each stratum's published limits read as standard errors.

    One row per stratum of ``cells`` (``condition, sex, age_band``), with its
    ``rate``, ``lower``, ``upper``, ``interval``, ``scale`` and ``se_lower``,
    ``se_upper``, ``se`` at ``level`` (0.95 when ``None``); see
    :meth:`mhneed.engine.results.Estimate.standard_errors`.
    """
    coded = [codes_of(cells[c]) for c in STRATUM]
    _, rep = group_ids([c for c, _ in coded], [len(u) for _, u in coded])
    frame = cells.iloc[rep][[*STRATUM, "rate", "lower", "upper", "interval"]]
    frame = frame.reset_index(drop=True)
    level = level or 0.95
    z = normal_quantile(0.5 + level / 2.0)
    rate, low, high = (frame[c].to_numpy(np.float64) for c in ("rate", "lower", "upper"))
    on_logit, se_lower, se_upper = logit_sides(rate, low, high, z)
    has = ~(np.isnan(low) | np.isnan(high))
    frame["scale"] = np.where(has, np.where(on_logit, "logit", "proportion"), "none")
    frame["se_lower"] = se_lower
    frame["se_upper"] = se_upper
    frame["se"] = (se_lower + se_upper) / 2.0
    return frame


def counted(cells: pd.DataFrame, count: str) -> pd.DataFrame:
    """Cells with their count column named ``population``, as the interval maths expects."""
    return cells if count == "population" else cells.rename(columns={count: "population"})


@dataclass(frozen=True)
class Strata:
    """Cell rows summed to strata (a ``by`` group × condition × sex × age band)."""

    pop: FloatArray  # per stratum: population summed over the rows combined
    rep: IntArray  # per stratum: one cell row of it
    owner: IntArray  # per stratum: its group
    group_rep: IntArray  # per group: one cell row of it
    n_groups: int
    stratum_codes: list[IntArray]  # per cell row: condition, sex, age_band codes
    stratum_sizes: list[int]


def stratum_sums(cells: pd.DataFrame, by: list[str]) -> Strata:
    """Sum each stratum's population across the rows of each ``by`` group (one pass)."""
    extra = [c for c in STRATUM if c not in by]
    columns = [*by, *extra]
    coded = {c: codes_of(cells[c]) for c in dict.fromkeys([*columns, *STRATUM])}
    codes = [coded[c][0] for c in columns]
    sizes = [len(coded[c][1]) for c in columns]
    group, group_rep = group_ids(codes[: len(by)], sizes[: len(by)])
    stratum, stratum_rep = group_ids(codes, sizes)
    pop = sum_by(stratum, cells["population"].to_numpy(np.float64), len(stratum_rep))
    return Strata(
        pop=pop,
        rep=stratum_rep,
        owner=group[stratum_rep],
        group_rep=group_rep,
        n_groups=len(group_rep),
        stratum_codes=[coded[c][0] for c in STRATUM],
        stratum_sizes=[len(coded[c][1]) for c in STRATUM],
    )


def sum_by(ids: IntArray, weights: FloatArray, n: int) -> FloatArray:
    """Sum of ``weights`` for each id ``0 .. n - 1`` (one ``bincount``)."""
    return np.asarray(np.bincount(ids, weights=weights, minlength=n), dtype=np.float64)


def logit(p: FloatArray) -> FloatArray:
    """``log(p / (1 - p))``, elementwise."""
    return np.asarray(np.log(p) - np.log1p(-p), dtype=np.float64)


# -- private helpers ---------------------------------------------------------------


def _take(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """Rows of a column, keeping a categorical's categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)[rows]
        return pd.Series(pd.Categorical.from_codes(codes, categories=column.cat.categories))
    return pd.Series(column.to_numpy()[rows], dtype=column.dtype)
