"""Property tests for projections: the wide frame holds the tidy figures, changes add up, and
published-range limits are the extremes over every choice of rates."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import mhneed
from mhneed.outputs.projections import MEASURES
from mhneed.published.rates import RateTable
from tests.property.strategies import FOUR_STRATA, four_strata_tables, projected_populations


@given(
    projected_populations(), st.sampled_from(["published_range", "confidence_interval"]), st.data()
)
def test_wide_holds_exactly_the_tidy_figures(
    pop: pd.DataFrame, interval: str, data: st.DataObject
) -> None:
    """Every figure of the years-as-columns frame is the tidy frame's, and nothing else is there."""
    table = data.draw(four_strata_tables(interval))
    tidy = mhneed.projection_tidy(mhneed.estimate(pop, table))
    wide = mhneed.projection_wide(tidy)
    years = sorted(tidy["year"].unique())
    assert len(wide) == len(tidy) // len(years) * len(MEASURES)
    back = wide.melt(
        id_vars=["area_code", "condition", "measure"], value_vars=years, var_name="year"
    )
    long = tidy.melt(
        id_vars=["area_code", "condition", "year"], value_vars=list(MEASURES), var_name="measure"
    )
    keys = ["area_code", "condition", "year", "measure"]
    for frame in (back, long):
        for key in ("area_code", "condition", "measure"):
            frame[key] = frame[key].astype(str)
        frame["year"] = frame["year"].astype(np.int64)
    joined = long.merge(back, on=keys, how="outer", suffixes=("_tidy", "_wide"), indicator=True)
    assert (joined["_merge"] == "both").all()
    np.testing.assert_array_equal(joined["value_tidy"].to_numpy(), joined["value_wide"].to_numpy())


@given(projected_populations(), st.data())
def test_change_is_cases_less_base_cases(pop: pd.DataFrame, data: st.DataObject) -> None:
    """change = cases - base year's cases, and every change range holds its change."""
    table = data.draw(
        four_strata_tables(data.draw(st.sampled_from(["published_range", "confidence_interval"])))
    )
    tidy = mhneed.projection_tidy(mhneed.estimate(pop, table))
    base = tidy[tidy["year"] == tidy["year"].min()].set_index("area_code")["cases"]
    expected = tidy["cases"].to_numpy() - base.loc[tidy["area_code"].astype(str)].to_numpy()
    np.testing.assert_allclose(tidy["change"].to_numpy(), expected, rtol=1e-9, atol=1e-6)
    scale = 1e-9 * (1 + tidy["cases"].abs().to_numpy())
    assert (tidy["change_lower"].to_numpy() <= tidy["change"].to_numpy() + scale).all()
    assert (tidy["change"].to_numpy() <= tidy["change_upper"].to_numpy() + scale).all()


def strata_population(pop: pd.DataFrame) -> pd.DataFrame:
    """Population by area, year and the four strata, summed directly from the input."""
    rows = {}
    for (sex, low, high), i in zip(FOUR_STRATA, range(4), strict=True):
        mask = (pop["sex"] == sex) & (pop["age"] >= low)
        if high is not None:
            mask &= pop["age"] <= high
        rows[i] = pop[mask].groupby(["area_code", "year"])["population"].sum()
    return pd.DataFrame(rows).fillna(0.0)


@given(projected_populations(), four_strata_tables("published_range"))
def test_published_range_limits_are_extremes_over_rates(
    pop: pd.DataFrame, table: RateTable
) -> None:
    """With published ranges, the change's limits (cases and per cent) are the least and greatest
    over all 16 choices of each rate at its low or high bound, found by brute force."""
    tidy = mhneed.projection_tidy(mhneed.estimate(pop, table)).set_index(["area_code", "year"])
    strata = strata_population(pop)
    bounds = [(r.lower, r.upper) for r in table.cells("c")]
    base_year = min(pop["year"])
    for (area, year), row in tidy.iterrows():
        p = strata.loc[(area, year)].to_numpy() if (area, year) in strata.index else np.zeros(4)
        b = (
            strata.loc[(area, base_year)].to_numpy()
            if (area, base_year) in strata.index
            else np.zeros(4)
        )
        changes, ratios = [], []
        for rates in itertools.product(*bounds):
            r = np.asarray(rates)
            changes.append(float((p - b) @ r))
            if b @ r > 0:
                ratios.append(float(p @ r / (b @ r)))
        tol = 1e-9 * (1 + float(np.abs(p).sum() + np.abs(b).sum()))
        assert abs(row["change_lower"] - min(changes)) <= tol
        assert abs(row["change_upper"] - max(changes)) <= tol
        if np.isfinite(row["change_pct"]) and len(ratios) == 16:
            assert abs(row["change_pct_lower"] - 100 * (min(ratios) - 1)) <= 1e-6 * (
                1 + abs(row["change_pct_lower"])
            )
            assert abs(row["change_pct_upper"] - 100 * (max(ratios) - 1)) <= 1e-6 * (
                1 + abs(row["change_pct_upper"])
            )
