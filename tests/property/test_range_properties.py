"""Property tests for ranges: grouping order, widths of sums, simulation against the formula."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import mhneed
from mhneed.published.rates import RateTable
from tests.helpers import grid_table
from tests.property.strategies import (
    districts_and_counties,
    populations,
    survey_tables,
    tables,
)

VALUES = ["population", "cases", "cases_lower", "cases_upper"]


def values(frame: pd.DataFrame) -> np.ndarray:
    return frame[VALUES].to_numpy(np.float64)


def as_counties(pop: pd.DataFrame, county_of: dict[str, str]) -> pd.DataFrame:
    """The population with each district's people counted in its county."""
    counties = pop.assign(area_code=pop["area_code"].map(county_of))
    return counties.groupby(["area_code", "sex", "age"], as_index=False)["population"].sum()


@given(districts_and_counties(), tables())
def test_grouping_order_does_not_matter(
    data: tuple[pd.DataFrame, dict[str, str]], table: RateTable
) -> None:
    """Counties from districts, districts then counties, or counties directly: one result."""
    pop, county_of = data
    est = mhneed.estimate(pop, table)
    grouped = est.summarise(by=["group", "condition"], groups=county_of).to_frame()
    via_districts = (
        est.summarise(by=["area_code", "condition"])
        .summarise(by=["group", "condition"], groups=county_of)
        .to_frame()
    )
    direct = (
        mhneed.estimate(as_counties(pop, county_of), table)
        .summarise(by=["area_code", "condition"])
        .to_frame()
    )
    np.testing.assert_allclose(values(grouped), values(via_districts), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(values(grouped), values(direct), rtol=1e-12, atol=1e-9)
    assert grouped["interval"].astype(str).tolist() == direct["interval"].astype(str).tolist()


@settings(max_examples=40)
@given(districts_and_counties(), st.integers(0, 2**32 - 1))
def test_simulated_grouping_order_does_not_matter(
    data: tuple[pd.DataFrame, dict[str, str]], seed: int
) -> None:
    """With one seed, simulating counties from districts equals simulating them directly."""
    pop, county_of = data
    table = grid_table()
    grouped = (
        mhneed.estimate(pop, table)
        .simulate(by=["group", "condition"], groups=county_of, draws=500, seed=seed)
        .to_frame()
    )
    direct = (
        mhneed.estimate(as_counties(pop, county_of), table)
        .simulate(by=["area_code", "condition"], draws=500, seed=seed)
        .to_frame()
    )
    np.testing.assert_allclose(values(grouped), values(direct), rtol=1e-9, atol=1e-9)


@given(populations(max_areas=5), tables())
def test_width_of_a_sum_of_areas(pop: pd.DataFrame, table: RateTable) -> None:
    """Confidence intervals: width of the sum <= sum of widths; published ranges: equal."""
    est = mhneed.estimate(pop, table)
    areas = est.summarise(by=["area_code", "condition"]).to_frame()
    total = est.summarise(by=["condition"]).to_frame().set_index("condition")
    width = (areas["cases_upper"] - areas["cases_lower"]).groupby(areas["condition"], observed=True)
    summed = width.sum(min_count=1)
    for condition, of_areas in summed.items():
        of_sum = total.loc[condition, "cases_upper"] - total.loc[condition, "cases_lower"]
        if np.isnan(of_areas):
            assert np.isnan(of_sum)
        elif table.meta.interval == "published_range":
            assert of_sum == np.float64(of_areas) or np.isclose(of_sum, of_areas, rtol=1e-12)
        else:
            assert of_sum <= of_areas * (1 + 1e-12) + 1e-9


@settings(max_examples=60)
@given(survey_tables(), populations(max_areas=3, max_rows=60))
def test_simulated_and_analytic_widths_agree(table: RateTable, pop: pd.DataFrame) -> None:
    """14 strata, 20,000 draws: simulated and analytic widths agree within 2%, any population."""
    est = mhneed.estimate(pop, table)
    for by in (["condition"], ["area_code", "condition"], ["condition", "sex"]):
        analytic = est.summarise(by=by).to_frame()
        simulated = est.simulate(by=by, draws=20_000, seed=20240601).to_frame()
        width_a = (analytic["cases_upper"] - analytic["cases_lower"]).to_numpy()
        width_s = (simulated["cases_upper"] - simulated["cases_lower"]).to_numpy()
        some = width_a > 1e-6 * analytic["cases"].to_numpy() + 1e-9
        np.testing.assert_allclose(width_s[some], width_a[some], rtol=0.02)
        np.testing.assert_allclose(width_s[~some], width_a[~some], atol=1e-6)


@given(populations(max_areas=4), st.integers(1, 1000))
def test_simulated_limits_scale_with_population(pop: pd.DataFrame, k: int) -> None:
    """Multiplying every population by k multiplies the simulated limits by k (same seed)."""
    table = grid_table()
    base = mhneed.estimate(pop, table).simulate(by=["area_code"], draws=300, seed=1).to_frame()
    scaled = (
        mhneed.estimate(pop.assign(population=pop["population"] * k), table)
        .simulate(by=["area_code"], draws=300, seed=1)
        .to_frame()
    )
    np.testing.assert_allclose(values(scaled), values(base) * k, rtol=1e-9, atol=1e-6)


@given(populations(max_areas=4), tables())
def test_lower_le_cases_le_upper_when_simulated(pop: pd.DataFrame, table: RateTable) -> None:
    """Simulated limits bracket the point, and published ranges are refused, never drawn."""
    est = mhneed.estimate(pop, table)
    if table.meta.interval == "published_range":
        return
    frame = est.simulate(by=["area_code", "condition"], draws=1000, seed=3).to_frame()
    has = frame["cases_lower"].notna()
    assert (frame.loc[has, "cases_lower"] <= frame.loc[has, "cases"] + 1e-9).all()
    assert (frame.loc[has, "cases"] <= frame.loc[has, "cases_upper"] + 1e-9).all()
