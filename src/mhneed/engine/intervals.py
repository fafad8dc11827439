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
simulation (:func:`simulate_limits`) draws each stratum's rate on the logit
scale with those two standard errors.

A combined row whose strata include one with no published interval has no
interval either: nothing is invented.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._grouping import codes_of, group_ids
from mhneed.bands import parse_band
from mhneed.errors import AgeBandError, InputError, MissingColumnError
from mhneed.stats import normal_quantile, wilson_interval

if TYPE_CHECKING:
    from mhneed.rates import RateTable

__all__ = ["STRATUM", "apply_survey_bases", "combine", "logit_sides", "simulate_limits"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The columns that identify one rate (one stratum of the survey).
STRATUM = ["condition", "sex", "age_band"]

#: Largest block of simulated values held at once [float64 elements] (32 MB).
_BLOCK = 1 << 22

#: Independent Latin hypercubes a simulation is made of; their spread measures
#: each simulated limit's Monte Carlo error.
REPLICATES = 10


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
    st = _strata(cells, by)
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
        return _sum_by(owner, np.where(missing, 0.0, values), n_groups)

    out_pop = _sum_by(owner, pop, n_groups)
    out_cases = _sum_by(owner, cases, n_groups)
    any_missing = _sum_by(owner, missing.astype(np.float64), n_groups) > 0
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
    se_lower = np.where(on_logit, (_logit(r) - _logit(lo)) / z, (rate - lower) / z)
    se_upper = np.where(on_logit, (_logit(hi) - _logit(r)) / z, (upper - rate) / z)
    return on_logit, se_lower, se_upper


def simulate_limits(
    cells: pd.DataFrame,
    by: list[str],
    *,
    level: float,
    z: float,
    draws: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Simulated confidence limits of the cases in each ``by`` group, with their Monte Carlo error.

    Each stratum's rate is drawn ``draws`` times, once per draw for the whole
    estimate, so every area and group in a draw uses the same national rate.
    A draw is ``expit(logit(rate) + Z × se)`` with ``Z`` standard normal and
    ``se`` the lower side's standard error when ``Z < 0``, the upper side's
    otherwise (:func:`logit_sides`); cells whose rate or limits are 0 or 1 are
    drawn the same way on the proportion scale and clipped to [0, 1]. Either
    way a single stratum's percentiles are its published limits. A group's
    cases in a draw are the sum over its strata of population × drawn rate; its
    limits are the ``(1 - level) / 2`` and ``(1 + level) / 2`` percentiles over
    the draws.

    The draws are :data:`REPLICATES` independent Latin hypercubes
    (:func:`_latin_normal`), so the spread of a limit over the replicates
    measures its Monte Carlo error; each limit of each group is estimated both
    plainly and with a control variate, and the one whose replicates agree
    better is kept (:func:`_percentiles`).

    Parameters
    ----------
    cells : pandas.DataFrame
        Cell rows, as for :func:`combine`.
    by : list of str
        The grouping columns.
    level : float
        The confidence level of the published intervals.
    z : float
        The normal quantile at ``(1 + level) / 2``.
    draws : int
        The number of draws (at least :data:`REPLICATES`).
    rng : numpy.random.Generator
        The source of the draws.

    Returns
    -------
    lower, upper : numpy.ndarray
        Per group, in the order :func:`combine` returns them [persons]; NaN
        where a group has a stratum with no interval.
    lower_se, upper_se : numpy.ndarray
        Each limit's Monte Carlo standard error [persons]: the standard
        deviation of the limit over the replicates over ``sqrt(REPLICATES)``;
        0 for a group with people in one stratum only, whose limits are the
        published limits exactly; NaN with no interval.
    """
    st = _strata(cells, by)
    # table strata: every (condition, sex, age_band) of the estimate, numbered the same
    # way whatever the grouping, so one seed gives one set of national rates
    t_row, t_rep = group_ids(st.stratum_codes, st.stratum_sizes)
    t_of = t_row[st.rep]
    rate = cells["rate"].to_numpy(np.float64)[t_rep]
    low = cells["lower"].to_numpy(np.float64)[t_rep]
    high = cells["upper"].to_numpy(np.float64)[t_rep]
    missing = np.isnan(low) | np.isnan(high)
    normal, edges = _latin_normal(rng, len(t_rep), draws)
    low, high = np.where(missing, rate, low), np.where(missing, rate, high)
    drawn = _draw_rates(rate, low, high, z, normal)
    # the control variate's slope per stratum: the mean of the two sides' standard
    # errors in persons per person (rate units)
    slope = (high - low) / (2.0 * z)

    probs = [(1.0 - level) / 2.0, (1.0 + level) / 2.0]
    limits = np.empty((2, st.n_groups))
    errors = np.zeros((2, st.n_groups))
    counts = np.bincount(st.owner, minlength=st.n_groups)
    order = np.argsort(st.owner, kind="stable")  # strata grouped, groups in order
    # a group with people in one stratum (or none): population × that stratum's published
    # limits, which are its percentiles exactly (one stratum's draws reproduce them)
    peopled = np.bincount(st.owner, weights=(st.pop > 0).astype(np.float64), minlength=st.n_groups)
    single = np.flatnonzero(peopled <= 1)
    if len(single):
        for side, limit in enumerate((low, high)):
            limits[side, single] = _sum_by(st.owner, st.pop * limit[t_of], st.n_groups)[single]
    # groups of several strata: population × drawn rate summed, a block of groups at a time
    is_multi = peopled > 1
    multi = np.flatnonzero(is_multi)
    if len(multi):
        strata = order[is_multi[st.owner[order]]]  # their strata, group by group
        bounds = np.concatenate([[0], np.cumsum(counts[multi])])
        per_block = max(1, _BLOCK // (2 * max(draws, 1)))  # groups per block
        for a in range(0, len(multi), per_block):
            b = min(a + per_block, len(multi))
            idx = strata[bounds[a] : bounds[b]]
            row = np.repeat(np.arange(b - a), counts[multi[a:b]])
            used, col = np.unique(t_of[idx], return_inverse=True)
            # population of each (group, stratum) in the block: a small dense matrix
            weights = np.zeros((b - a, len(used)))
            weights[row, col] = st.pop[idx]
            sums = weights @ drawn[used]
            scaled = weights * slope[used]
            proxy = scaled @ normal[used]
            proxy_sd = np.sqrt((scaled**2).sum(axis=1))
            q, se = _percentiles(sums, proxy, proxy_sd, probs, z, edges)
            limits[:, multi[a:b]] = q
            errors[:, multi[a:b]] = se
    any_missing = np.bincount(
        st.owner, weights=missing[t_of].astype(np.float64), minlength=st.n_groups
    )
    limits[:, any_missing > 0] = np.nan
    errors[:, any_missing > 0] = np.nan
    return limits[0], limits[1], errors[0], errors[1]


def apply_survey_bases(
    cells: pd.DataFrame,
    table: RateTable,
    bases: pd.DataFrame | Mapping[Any, Any],
    *,
    level: float,
    label: str,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cells with Wilson limits where none were published and a survey base is given.

    Parameters
    ----------
    cells : pandas.DataFrame
        Cell rows of an estimate.
    table : RateTable
        The estimate's rate table; bases are keyed by its rows.
    bases : pandas.DataFrame or mapping
        ``condition, sex, age_band, base`` rows with a ``deft`` or a ``deff``
        column, or ``{(condition, sex, age_band): {"base": n, "deft": f}}``
        (or ``"deff"``).
    level : float
        The confidence level of the Wilson intervals.
    label : str
        The ``interval`` label of the cells given Wilson limits.

    Returns
    -------
    cells : pandas.DataFrame
        A copy, with ``lower``, ``upper`` [proportions], ``cases_lower``,
        ``cases_upper`` [persons] and ``interval`` set for those cells.
    record : dict
        ``level``, ``used`` (per cell: condition, sex, age_band, base,
        deff, deft, effective_n, lower, upper) and ``not_used`` (cells given
        a base that already had a published interval, or are not in the
        estimate).
    """
    given = _read_bases(bases, table)
    coded = [codes_of(cells[c]) for c in STRATUM]
    stratum, rep = group_ids([c for c, _ in coded], [len(u) for _, u in coded])
    rate = cells["rate"].to_numpy(np.float64)
    lower = cells["lower"].to_numpy(np.float64)
    upper = cells["upper"].to_numpy(np.float64)
    base = np.full(len(rep), np.nan)
    deff = np.full(len(rep), np.nan)
    key_of: list[tuple[str, str, str]] = []
    for i, row in enumerate(rep):  # one pass over strata (table cells), not areas
        cond, sex, band = (str(cells[c].iloc[row]) for c in STRATUM)
        key = _table_key(table, cond, sex, band)
        key_of.append(key)
        if key in given and np.isnan(lower[row]):
            base[i], deff[i] = given[key]
    use = ~np.isnan(base)
    n_eff = base[use] / deff[use]
    wl, wu = wilson_interval(rate[rep][use] * n_eff, n_eff, level)
    new_lower = np.full(len(rep), np.nan)
    new_upper = np.full(len(rep), np.nan)
    new_lower[use], new_upper[use] = wl, wu
    used_keys = {key_of[i] for i in np.flatnonzero(use)}
    record: dict[str, Any] = {
        "level": level,
        "used": [
            {
                "condition": key_of[i][0],
                "sex": key_of[i][1],
                "age_band": key_of[i][2],
                "base": float(base[i]),
                "deff": float(deff[i]),
                "deft": float(np.sqrt(deff[i])),
                "effective_n": float(base[i] / deff[i]),
                "lower": float(new_lower[i]),
                "upper": float(new_upper[i]),
            }
            for i in np.flatnonzero(use)
        ],
        "not_used": [
            {"condition": k[0], "sex": k[1], "age_band": k[2]} for k in given if k not in used_keys
        ],
    }
    out = cells.copy()
    row_use = use[stratum]
    population = out["population"].to_numpy(np.float64)
    out["lower"] = np.where(row_use, new_lower[stratum], lower)
    out["upper"] = np.where(row_use, new_upper[stratum], upper)
    out["cases_lower"] = np.where(
        row_use, population * out["lower"].to_numpy(), out["cases_lower"].to_numpy()
    )
    out["cases_upper"] = np.where(
        row_use, population * out["upper"].to_numpy(), out["cases_upper"].to_numpy()
    )
    if row_use.any():
        interval = out["interval"].astype("category")
        if label not in interval.cat.categories:
            interval = interval.cat.add_categories([label])
        codes = np.asarray(interval.cat.codes.to_numpy(), dtype=np.int64)
        code = list(interval.cat.categories).index(label)
        codes = np.where(row_use, code, codes)
        out["interval"] = pd.Categorical.from_codes(codes, categories=interval.cat.categories)
    return out, record


# -- private helpers ---------------------------------------------------------------

_BASE_COLUMNS = ("condition", "sex", "age_band", "base")
_DESIGN = ("deft", "deff")
_AMBIGUOUS = (
    "survey tables print the design factor (deft: APMS 2014's chapter 14 tables, against "
    "the weighted base), while the design effect is its square (deff = deft²); a deft "
    "taken for a deff gives intervals too narrow"
)


def _read_bases(
    bases: pd.DataFrame | Mapping[Any, Any], table: RateTable
) -> dict[tuple[str, str, str], tuple[float, float]]:
    """The bases as ``{(condition, sex, age_band): (base, design_effect)}``, checked."""
    where = "with_survey_bases"
    if isinstance(bases, pd.DataFrame):
        design = _design_column(bases, where)
        for col in _BASE_COLUMNS:
            if col not in bases.columns:
                have = ", ".join(map(str, bases.columns)) or "none"
                raise MissingColumnError(
                    f"{where}: bases has no column {col!r}; it needs condition, sex, age_band, "
                    f"base and deft or deff (1 for a simple random sample); it has: {have}",
                    column=col,
                    rule="bases columns",
                    values=[col],
                )
        columns = [*_BASE_COLUMNS, design]
        records = [(*r, design) for r in bases[columns].itertuples(index=False, name=None)]
    elif isinstance(bases, Mapping):
        records = []
        for key, value in bases.items():
            records.append((*_dict_key(key, value, where), *_dict_value(key, value, where)))
    else:
        raise InputError(
            f"{where}: bases must be a DataFrame with columns condition, sex, age_band, base "
            "and deft (or deff), or a dict of (condition, sex, age_band) to {'base': n, "
            f"'deft': f}}, not {type(bases).__name__}",
            column="bases",
            rule="bases is a DataFrame or a dict",
            values=[type(bases).__name__],
        )
    if not records:
        raise InputError(
            f"{where}: bases is empty; give a base and design effect for at least one cell",
            column="bases",
            rule="at least one base",
        )
    rows: dict[tuple[str, str, str], tuple[float, float]] = {}
    first: dict[tuple[str, str, str], int] = {}
    for i, (cond, sex, band, base, factor, design) in enumerate(records, start=1):
        what = f"row {i} (condition {cond}, sex {sex}, age_band {band})"
        try:
            band_text = str(parse_band(str(band)))
        except AgeBandError as exc:
            raise InputError(
                f"{where}: bases {what}: column age_band: {exc}",
                column="age_band",
                rule="age band format",
                values=[band],
            ) from None
        key = (str(cond).strip(), str(sex).strip().lower(), band_text)
        if not any(
            r.condition == key[0] and r.sex == key[1] and r.age_band == key[2] for r in table.rows
        ):
            raise InputError(
                f"{where}: bases {what}: rate table {table.id} has no cell condition "
                f"{key[0]}, sex {key[1]}, age_band {key[2]}; give bases for the table's own "
                "cells",
                column="condition",
                rule="bases name cells of the rate table",
                values=[key],
            )
        for col, value in (("base", base), (design, factor)):
            number = _positive(value)
            if number is None:
                raise InputError(
                    f"{where}: bases {what}: column {col}: {value!r} is not a number above 0",
                    column=col,
                    rule=f"{col} > 0",
                    values=[value],
                )
        if key in rows:
            raise InputError(
                f"{where}: bases rows {first[key]} and {i} both give condition {key[0]}, sex "
                f"{key[1]}, age_band {key[2]}; give each cell once",
                column="condition",
                rule="one base per cell",
                values=[key],
            )
        first[key] = i
        number = float(factor)
        rows[key] = (float(base), number**2 if design == "deft" else number)
    return rows


def _design_column(bases: pd.DataFrame, where: str) -> str:
    """The bases frame's design column: ``deft`` or ``deff``, named, exactly one."""
    given = [c for c in _DESIGN if c in bases.columns]
    if len(given) == 1:
        return given[0]
    if len(given) == 2:
        raise InputError(
            f"{where}: bases has both a deft and a deff column; give one (deff = deft²)",
            column="deff",
            rule="deft or deff, not both",
            values=list(_DESIGN),
        )
    if "design_effect" in bases.columns:
        raise InputError(
            f"{where}: bases column 'design_effect' is ambiguous: {_AMBIGUOUS}; name the "
            "column deft (the design factor) or deff (the design effect)",
            column="design_effect",
            rule="deft or deff, by name",
            values=["design_effect"],
        )
    have = ", ".join(map(str, bases.columns)) or "none"
    raise MissingColumnError(
        f"{where}: bases has no column 'deft' or 'deff'; give the design factor (deft, as "
        "survey tables print it) or the design effect (deff = deft²) for each cell, 1 for a "
        f"simple random sample; it has: {have}",
        column="deft",
        rule="bases columns",
        values=list(_DESIGN),
    )


def _dict_key(key: object, value: object, where: str) -> tuple[object, object, object]:
    if not (isinstance(key, tuple) and len(key) == 3):
        raise InputError(
            f"{where}: a bases dict maps (condition, sex, age_band) to {{'base': n, 'deft': "
            f"f}} (or 'deff'); got {key!r}: {value!r}",
            column="bases",
            rule="(condition, sex, age_band): {base, deft or deff}",
            values=[key],
        )
    return key[0], key[1], key[2]


def _dict_value(key: object, value: object, where: str) -> tuple[object, object, str]:
    named = isinstance(value, Mapping) and set(value) in ({"base", "deft"}, {"base", "deff"})
    if not named:
        why = f" ({_AMBIGUOUS})" if isinstance(value, tuple) else ""
        raise InputError(
            f"{where}: a bases dict maps (condition, sex, age_band) to {{'base': n, 'deft': "
            f"f}} (or 'deff'), naming which is given; got {key!r}: {value!r}{why}",
            column="bases",
            rule="(condition, sex, age_band): {base, deft or deff}",
            values=[key],
        )
    assert isinstance(value, Mapping)
    design = "deft" if "deft" in value else "deff"
    return value["base"], value[design], design


def _positive(value: object) -> float | None:
    """The value as a finite number above 0, else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _table_key(table: RateTable, condition: str, sex: str, band: str) -> tuple[str, str, str]:
    """The rate-table cell an estimate cell comes from (its band may be narrowed by ages=)."""
    cell = parse_band(band)
    for row in table.rows:
        if row.condition == condition and row.sex == sex and row.band.covers(cell):
            return (row.condition, row.sex, row.age_band)
    return (condition, sex, band)  # pragma: no cover - every cell comes from a row


@dataclass(frozen=True)
class _Strata:
    """Cell rows summed to strata (a ``by`` group × condition × sex × age band)."""

    pop: FloatArray  # per stratum: population summed over the rows combined
    rep: IntArray  # per stratum: one cell row of it
    owner: IntArray  # per stratum: its group
    group_rep: IntArray  # per group: one cell row of it
    n_groups: int
    stratum_codes: list[IntArray]  # per cell row: condition, sex, age_band codes
    stratum_sizes: list[int]


def _strata(cells: pd.DataFrame, by: list[str]) -> _Strata:
    """Sum each stratum's population across the rows of each ``by`` group (one pass)."""
    extra = [c for c in STRATUM if c not in by]
    columns = [*by, *extra]
    coded = {c: codes_of(cells[c]) for c in dict.fromkeys([*columns, *STRATUM])}
    codes = [coded[c][0] for c in columns]
    sizes = [len(coded[c][1]) for c in columns]
    group, group_rep = group_ids(codes[: len(by)], sizes[: len(by)])
    stratum, stratum_rep = group_ids(codes, sizes)
    pop = _sum_by(stratum, cells["population"].to_numpy(np.float64), len(stratum_rep))
    return _Strata(
        pop=pop,
        rep=stratum_rep,
        owner=group[stratum_rep],
        group_rep=group_rep,
        n_groups=len(group_rep),
        stratum_codes=[coded[c][0] for c in STRATUM],
        stratum_sizes=[len(coded[c][1]) for c in STRATUM],
    )


def _percentiles(
    sums: FloatArray,
    proxy: FloatArray,
    proxy_sd: FloatArray,
    probs: list[float],
    z: float,
    edges: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """Percentiles of each row of ``sums`` and their Monte Carlo errors.

    Each percentile is estimated two ways from the pooled draws: plainly, and
    corrected with a control variate. ``proxy`` is a normal variable made from
    the same draws (each stratum's normal value × its population × its mean
    standard error), so its true percentiles are known, ``∓ z × proxy_sd``; the
    corrected percentile subtracts ``β`` times the proxy's simulated
    percentile's error, ``β`` the regression slope of the sums on the proxy
    (Hesterberg and Nelson 1998). The correction helps where the sums are close
    to normal and can hurt in a skewed tail, so each way is also computed in
    every replicate (the draws between consecutive ``edges``), and for each
    group and limit the way whose replicates spread less is kept, with that
    spread (their standard deviation over ``sqrt(replicates)``) as its error.
    """
    q = np.quantile(sums, probs, axis=1, method="hazen")  # (2, groups)
    q_proxy = np.quantile(proxy, probs, axis=1, method="hazen")
    truth = np.stack([-z * proxy_sd, z * proxy_sd])
    centred = proxy - proxy.mean(axis=1, keepdims=True)
    var = np.einsum("ij,ij->i", centred, centred)
    cov = np.einsum("ij,ij->i", sums, centred)  # the sums' mean drops out against centred
    beta = np.where(var > 0, cov / np.where(var > 0, var, 1.0), 0.0)
    reps = len(edges) - 1
    plain_r = np.empty((reps, *q.shape))
    cv_r = np.empty((reps, *q.shape))
    for r in range(reps):
        part = slice(int(edges[r]), int(edges[r + 1]))
        plain_r[r] = np.quantile(sums[:, part], probs, axis=1, method="hazen")
        proxy_r = np.quantile(proxy[:, part], probs, axis=1, method="hazen")
        cv_r[r] = plain_r[r] - beta * (proxy_r - truth)
    se_plain = plain_r.std(axis=0, ddof=1) / math.sqrt(reps)
    se_cv = cv_r.std(axis=0, ddof=1) / math.sqrt(reps)
    # clearly better only (a relative margin far above rounding), so that scaling every
    # population by k, or a tie, never flips the choice
    use_cv = se_cv + 1e-9 * np.abs(q) < se_plain * (1.0 - 1e-6)
    best = np.where(use_cv, q - beta * (q_proxy - truth), q)
    return np.asarray(best, dtype=np.float64), np.where(use_cv, se_cv, se_plain)


@lru_cache(maxsize=4)
def _normal_scores(n: int) -> FloatArray:
    """The ``n`` normal quantiles ``Φ⁻¹((k + ½) / n)``, ``k = 0 .. n - 1`` (read-only)."""
    half = np.array([normal_quantile((k + 0.5) / n) for k in range(n // 2)])
    middle = np.zeros(n % 2)
    scores = np.concatenate([half, middle, -half[::-1]])
    scores.setflags(write=False)
    return scores


def _latin_normal(rng: np.random.Generator, strata: int, draws: int) -> tuple[FloatArray, IntArray]:
    """Standard normal draws: :data:`REPLICATES` independent Latin hypercubes side by side.

    The draws are split into :data:`REPLICATES` replicates as evenly as they
    go (``edges`` marks where each starts and ends). In replicate ``r`` of
    ``m`` draws, row ``t`` (stratum ``t``) holds the ``m`` normal quantiles at
    ``(k + ½) / m`` in an order shuffled by ``rng``, independently for each row
    and replicate. Each stratum's draws are then spread as a normal sample
    should be, which takes the sampling noise out of one stratum's percentiles
    and most of it out of a sum's; the replicates are independent, so how much
    a percentile differs between them measures its Monte Carlo error.
    """
    reps = min(REPLICATES, draws)
    sizes = np.full(reps, draws // reps)
    sizes[: draws % reps] += 1
    edges = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    parts = [
        rng.permuted(np.broadcast_to(_normal_scores(int(m)), (strata, int(m))), axis=1)
        for m in sizes
    ]
    return np.asarray(np.concatenate(parts, axis=1), dtype=np.float64), edges


def _draw_rates(
    rate: FloatArray, lower: FloatArray, upper: FloatArray, z: float, normal: FloatArray
) -> FloatArray:
    """Rates drawn from standard normal values: two-sided, on the logit scale where it can be."""
    on_logit, se_lower, se_upper = logit_sides(rate, lower, upper, z)
    below = normal < 0
    se = np.where(below, se_lower[:, None], se_upper[:, None])
    out = np.empty_like(normal)
    lg = np.flatnonzero(on_logit)
    if len(lg):
        eta = _logit(rate[lg])[:, None] + normal[lg] * se[lg]
        out[lg] = 1.0 / (1.0 + np.exp(-eta))
    pr = np.flatnonzero(~on_logit)
    if len(pr):
        out[pr] = np.clip(rate[pr, None] + normal[pr] * se[pr], 0.0, 1.0)
    return out


def _sum_by(ids: IntArray, weights: FloatArray, n: int) -> FloatArray:
    """Sum of ``weights`` for each id ``0 .. n - 1`` (one ``bincount``)."""
    return np.asarray(np.bincount(ids, weights=weights, minlength=n), dtype=np.float64)


def _logit(p: FloatArray) -> FloatArray:
    return np.asarray(np.log(p) - np.log1p(-p), dtype=np.float64)


def _take(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """Rows of a column, keeping a categorical's categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)[rows]
        return pd.Series(pd.Categorical.from_codes(codes, categories=column.cat.categories))
    return pd.Series(column.to_numpy()[rows], dtype=column.dtype)
