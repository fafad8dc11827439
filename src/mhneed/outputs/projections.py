"""Projections: an estimate over several years, with the change from the base year.

A projected population is a population with a ``year`` key (see
:func:`mhneed.read_ons_snpp`), so :func:`mhneed.estimate` covers every year at
once. :func:`projection_tidy` lays the result out as one row per area (or
group), condition and year, with the change from the base year in cases and
per cent, each with its range; :func:`projection_wide` puts the years side by
side as columns, as PANSI and POPPI do.

What the range of a change means
--------------------------------
Every year uses the same national rates, so the survey's uncertainty about a
rate moves every year's figure the same way. The range of a change is that
uncertainty applied to the *change* in population, stratum by stratum (the
same rate in both years): most of it cancels, and the range is far narrower
than the two years' ranges side by side. For confidence intervals each
stratum's error in the change is ``ΔP × (rate - lower)`` on one side and
``ΔP × (upper - rate)`` on the other (sides swap where the population falls),
combined in quadrature as :meth:`mhneed.Estimate.summarise` does; for the per
cent change the same rule applies to its first-order (delta-method) weights.
For published ranges (a low and a high scenario) the range is the least and
greatest change with every rate anywhere in its published range (for the per
cent change, found exactly by Dinkelbach's method). No range includes the
uncertainty of the population projection itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.engine.results import Estimate
from mhneed.errors import InputError, MissingColumnError
from mhneed.outputs.projection_change import change_limits, change_pct_limits

__all__ = [
    "CHANGE_RANGE_NOTE",
    "MEASURES",
    "RATES_FIXED_NOTE",
    "projection_tidy",
    "projection_wide",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The caveat every projection carries: the survey's rates do not change.
RATES_FIXED_NOTE = (
    "Projections hold the survey's rates fixed: every year uses the same rates ({table}), so the "
    "figures change only with the projected population's size and its mix of ages and sexes; "
    "no trend in prevalence is assumed. A population projection is not a forecast: it shows "
    "the population if recent trends in births, deaths and migration continue."
)

#: What the range of a change from the base year means.
CHANGE_RANGE_NOTE = (
    "The range of a change from {base} is the survey's uncertainty about its rates applied to "
    "the change in population: the same rate is used in both years, so most of that "
    "uncertainty cancels, and the change's range is narrower than the two years' ranges side "
    "by side. No range includes the uncertainty of the population projection itself, which "
    "ONS does not publish as an interval (its variant projections show it)."
)

#: The figures of a projection, in the order :func:`projection_wide` lists them.
MEASURES = (
    "population",
    "cases",
    "cases_lower",
    "cases_upper",
    "change",
    "change_lower",
    "change_upper",
    "change_pct",
    "change_pct_lower",
    "change_pct_upper",
)

_STRATUM = ["sex", "age_band"]


def projection_tidy(
    est: Estimate,
    *,
    by: Sequence[str] | None = None,
    groups: Mapping[Any, Any] | pd.DataFrame | None = None,
    base_year: int | None = None,
) -> pd.DataFrame:
    """An estimate over several years as tidy rows, with the change from the base year.

    Parameters
    ----------
    est : Estimate
        An estimate of a population with a ``year`` key, such as from
        :func:`mhneed.read_ons_snpp` then :func:`mhneed.estimate`.
    by : sequence of str, optional
        The columns kept apart besides ``year`` and ``condition``: key columns
        (``area_code``, ``area_name``), ``sex`` or ``age_band``, or ``group``
        with ``groups``. Default: the estimate's keys other than ``year`` (or
        ``group`` alone with ``groups``).
    groups : dict or pandas.DataFrame, optional
        Areas to groups, as for :meth:`mhneed.Estimate.summarise`: a county
        from its districts, or service lots.
    base_year : int, optional
        The year changes are measured from; by default the first year.

    Returns
    -------
    pandas.DataFrame
        One row per ``by`` group, condition and year: the ``by`` columns,
        ``condition``, ``label``, ``year``, ``population`` (in the condition's
        scope) [persons], ``cases``, ``cases_lower``, ``cases_upper``
        [persons], ``interval`` (what the ranges are), ``change``,
        ``change_lower``, ``change_upper`` [persons, from the base year] and
        ``change_pct``, ``change_pct_lower``, ``change_pct_upper`` [per cent of
        the base year's cases]. The base year's change is 0 with range 0 to 0.
        ``attrs["mhneed"]`` is the estimate's provenance with ``base_year``,
        ``years`` and the projection's caveats (:data:`RATES_FIXED_NOTE`,
        :data:`CHANGE_RANGE_NOTE`) added to its ``warnings``.

    Raises
    ------
    InputError
        When the estimate has no ``year`` key, ``base_year`` is not one of its
        years, or an area (key group) is in some years but not others.
    MissingColumnError, CombineError
        As :meth:`mhneed.Estimate.summarise`, for ``by`` and ``groups``.

    Notes
    -----
    ``change`` is exactly ``cases`` minus the base year's ``cases``. Its range
    is not the difference of the two years' ranges: see the module notes
    (and ``docs/tutorials/projection.md``). A range is missing (NaN) where a
    rate in the group has no published interval, and a per cent change where
    the base year has no cases.

    Examples
    --------
    >>> people = mhneed.read_ons_snpp(files)  # doctest: +SKIP
    >>> est = mhneed.estimate(people, "apms_2014", conditions=["gad"])  # doctest: +SKIP
    >>> mhneed.projection_tidy(est)[["year", "cases", "change", "change_pct"]]  # doctest: +SKIP
    """
    keys, years, base = _check(est, by, groups, base_year)
    order = [*keys, "condition", "year"]
    summary = est.summarise(by=order, groups=groups)
    totals = summary.to_frame()
    strata = est.summarise(by=[*order, *(s for s in _STRATUM if s not in keys)], groups=groups)
    _check_same_areas(summary.coverage, [k for k in summary.keys if k != "year"], years, base)
    cells = _with_rates(strata.to_frame(), est)
    owner = _owner(cells, totals, order)
    base_pop = _base_population(cells, list(dict.fromkeys([*keys, "condition", *_STRATUM])), base)
    n = len(totals)
    change, change_lo, change_hi = change_limits(est.interval_kind, owner, n, cells, base_pop)
    pct, pct_lo, pct_hi = change_pct_limits(est.interval_kind, owner, n, cells, base_pop)
    out = totals.drop(columns=[c for c in ("rounding",) if c in totals.columns])
    labels = {c.id: c.label for c in est.table.meta.conditions}
    out.insert(len(keys) + 1, "label", out["condition"].astype(str).map(labels))
    out["change"] = change
    out["change_lower"] = change_lo
    out["change_upper"] = change_hi
    out["change_pct"] = pct
    out["change_pct_lower"] = pct_lo
    out["change_pct_upper"] = pct_hi
    out.attrs["mhneed"] = _provenance(est, base, years)
    return out


def projection_wide(
    est: Estimate | pd.DataFrame,
    *,
    by: Sequence[str] | None = None,
    groups: Mapping[Any, Any] | pd.DataFrame | None = None,
    base_year: int | None = None,
    measures: Sequence[str] = MEASURES,
) -> pd.DataFrame:
    """An estimate over several years with the years as columns, as PANSI and POPPI show them.

    Parameters
    ----------
    est : Estimate or pandas.DataFrame
        An estimate with a ``year`` key, or the frame :func:`projection_tidy`
        returned (then ``by``, ``groups`` and ``base_year`` must not be given).
    by, groups, base_year
        As for :func:`projection_tidy`.
    measures : sequence of str, default :data:`MEASURES`
        The figures to show, one row each, in this order.

    Returns
    -------
    pandas.DataFrame
        One row per ``by`` group, condition and measure: the ``by`` columns,
        ``condition``, ``label``, ``interval``, ``measure`` (the name of a
        column of :func:`projection_tidy`, such as ``cases`` or
        ``change_pct_upper``), then one column per year holding exactly the
        tidy frame's figures. ``attrs["mhneed"]`` as for
        :func:`projection_tidy`.

    Raises
    ------
    InputError
        When a measure is not one of :data:`MEASURES`, or a tidy frame is given
        with ``by``, ``groups`` or ``base_year``; otherwise as
        :func:`projection_tidy`.
    """
    unknown = [m for m in measures if m not in MEASURES]
    if unknown or not measures:
        raise InputError(
            f"projection_wide: measures {unknown or list(measures)} are not figures of a "
            f"projection; choose from {', '.join(MEASURES)}",
            column="measure",
            rule="measures from MEASURES",
            values=unknown,
        )
    if isinstance(est, pd.DataFrame):
        if by is not None or groups is not None or base_year is not None:
            raise InputError(
                "projection_wide: by, groups and base_year apply to an Estimate; the tidy "
                "frame given was already made with them",
                rule="options with an Estimate only",
            )
        tidy = est
    else:
        tidy = projection_tidy(est, by=by, groups=groups, base_year=base_year)
    ids = list(tidy.columns[: list(tidy.columns).index("year")])
    rows = [*ids, "interval"]
    long = tidy.melt(id_vars=[*rows, "year"], value_vars=list(measures), var_name="measure")
    long["measure"] = pd.Categorical(long["measure"], categories=list(measures))
    wide = long.pivot(index=[*rows, "measure"], columns="year", values="value")
    wide = wide.sort_index(level=[*ids, "measure"], sort_remaining=False).reset_index()
    wide.columns = pd.Index([*rows, "measure", *wide.columns[len(rows) + 1 :]], dtype=object)
    wide["measure"] = wide["measure"].astype(str)
    wide.attrs["mhneed"] = tidy.attrs.get("mhneed", {})
    return wide


# -- private helpers ---------------------------------------------------------------


def _check(
    est: Estimate,
    by: Sequence[str] | None,
    groups: Mapping[Any, Any] | pd.DataFrame | None,
    base_year: int | None,
) -> tuple[list[str], list[int], int]:
    """The ``by`` keys (year and condition left out), the years and the base year."""
    if not isinstance(est, Estimate):
        raise InputError(
            f"projection_tidy: expected an Estimate from mhneed.estimate, got {type(est).__name__}",
            rule="an Estimate",
            values=[type(est).__name__],
        )
    if "year" not in est.keys:
        raise MissingColumnError(
            f"projection_tidy: the estimate has no year key (its keys: "
            f"{', '.join(est.keys) or 'none'}); estimate a population with a year column, "
            "such as from mhneed.read_ons_snpp",
            column="year",
            rule="a year key",
            values=list(est.keys),
        )
    if by is None:
        keys = ["group"] if groups is not None else [k for k in est.keys if k != "year"]
    else:
        keys = [by] if isinstance(by, str) else list(dict.fromkeys(by))
        keys = [k for k in keys if k not in ("year", "condition")]
    years = sorted(int(y) for y in pd.unique(est.coverage["year"]))
    base = years[0] if base_year is None else base_year
    if isinstance(base, bool) or not isinstance(base, (int, np.integer)) or base not in years:
        raise InputError(
            f"projection_tidy: base_year={base_year!r} is not a year of the estimate; its "
            f"years are {', '.join(map(str, years))}",
            column="year",
            rule="base_year is one of the estimate's years",
            values=[base_year],
        )
    return keys, years, int(base)


def _check_same_areas(coverage: pd.DataFrame, keys: list[str], years: list[int], base: int) -> None:
    """Every key group is in every year, so a change never counts an area's arrival or loss."""
    if not keys:
        return
    groups = coverage[[*keys, "year"]].drop_duplicates()
    in_base = groups[groups["year"] == base].drop(columns="year")
    base_set = set(map(tuple, in_base.astype(str).to_numpy().tolist()))
    for year in years:
        here = groups[groups["year"] == year].drop(columns="year")
        here_set = set(map(tuple, here.astype(str).to_numpy().tolist()))
        for lacking, has, missing in (
            (year, base, base_set - here_set),
            (base, year, here_set - base_set),
        ):
            if missing:
                what = ", ".join(sorted(missing)[0])
                raise InputError(
                    f"projection_tidy: {', '.join(keys)} {what} is in {has} but not in "
                    f"{lacking}; every year needs the same areas, or the change from {base} "
                    "would count an area's arrival or absence as a change in need",
                    column="year",
                    rule="the same areas in every year",
                    values=[what],
                )


def _with_rates(strata: pd.DataFrame, est: Estimate) -> pd.DataFrame:
    """Stratum rows with their rate and limits, joined by condition, sex and age band."""
    key = ["condition", *_STRATUM]
    cells = est._cells  # the cell rows the estimate was combined from
    rates = cells[[*key, "rate", "lower", "upper"]].astype({k: str for k in key})
    rates = rates.drop_duplicates(subset=key)
    joined = strata.astype({k: str for k in key}).merge(rates, on=key, how="left", validate="m:1")
    return joined


def _owner(cells: pd.DataFrame, totals: pd.DataFrame, order: list[str]) -> IntArray:
    """Each stratum row's row in ``totals``, joined by key (never by position)."""
    index = totals[order].astype(str).assign(_row=np.arange(len(totals)))
    joined = cells[order].astype(str).merge(index, on=order, how="left", validate="m:1")
    return joined["_row"].to_numpy(np.int64)


def _base_population(cells: pd.DataFrame, key: list[str], base: int) -> FloatArray:
    """Each stratum row's population in the base year (same group, condition and stratum)."""
    text = cells[key].astype(str)
    base_rows = text[(cells["year"] == base).to_numpy()].assign(
        _base=cells.loc[cells["year"] == base, "population"].to_numpy(np.float64)
    )
    joined = text.merge(base_rows, on=key, how="left", validate="m:1")
    return joined["_base"].fillna(0.0).to_numpy(np.float64)


def _provenance(est: Estimate, base: int, years: list[int]) -> dict[str, Any]:
    prov = est.provenance()
    notes = [
        RATES_FIXED_NOTE.format(table=f"{prov['title']}, edition {prov['edition']}"),
        CHANGE_RANGE_NOTE.format(base=base),
    ]
    prov["warnings"] = [*prov["warnings"], *notes]
    prov["base_year"] = base
    prov["years"] = years
    prov["projection_caveats"] = notes
    return prov
