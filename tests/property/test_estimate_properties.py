"""Property tests for estimate and summarise (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import mhneed
from mhneed.published.rates import RateTable
from tests.property.strategies import populations, tables

VALUES = ["population", "cases", "cases_lower", "cases_upper"]


def _values(est: mhneed.Estimate) -> pd.DataFrame:
    return est.to_frame()[VALUES]


@given(populations(), tables(), st.integers(1, 1000))
def test_scaling(pop: pd.DataFrame, table: RateTable, k: int) -> None:
    """Multiplying every population by k multiplies every estimate by k."""
    base = _values(mhneed.estimate(pop, table))
    scaled_pop = pop.assign(population=pop["population"] * k)
    scaled = _values(mhneed.estimate(scaled_pop, table))
    np.testing.assert_allclose(scaled.to_numpy(), base.to_numpy() * k, rtol=1e-12, atol=1e-9)


@given(populations(integer=False), tables())
def test_lower_le_cases_le_upper(pop: pd.DataFrame, table: RateTable) -> None:
    """Every row, cells and summaries: cases_lower <= cases <= cases_upper where published."""
    est = mhneed.estimate(pop, table)
    for frame in (est.to_frame(), est.summarise(by=["area_code", "condition"]).to_frame()):
        has = frame["cases_lower"].notna()
        assert (frame.loc[has, "cases_lower"] <= frame.loc[has, "cases"] + 1e-9).all()
        assert (frame.loc[has, "cases"] <= frame.loc[has, "cases_upper"] + 1e-9).all()
        assert (frame["cases"] >= 0).all()


@given(populations(), tables())
def test_zero_population_zero_cases(pop: pd.DataFrame, table: RateTable) -> None:
    """Zero population gives zero cases and zero limits."""
    frame = mhneed.estimate(pop.assign(population=0.0), table).to_frame()
    assert (frame["cases"] == 0).all()
    assert (frame["cases_lower"].fillna(0) == 0).all()
    assert (frame["cases_upper"].fillna(0) == 0).all()


@given(populations(), tables(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(pop: pd.DataFrame, table: RateTable, rnd: object) -> None:
    """Shuffling the input rows gives identical results."""
    order = list(range(len(pop)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    a = mhneed.estimate(pop, table).to_frame()
    b = mhneed.estimate(pop.iloc[order], table).to_frame()
    pd.testing.assert_frame_equal(a, b)


@given(populations(years=True), tables())
def test_everyone_accounted_for(pop: pd.DataFrame, table: RateTable) -> None:
    """Per area, year and condition: in scope + out of scope = input total, exactly."""
    est = mhneed.estimate(pop, table, top_age=100)
    cov = est.coverage
    total = cov[["in_scope", "too_young", "too_old", "wrong_sex"]].sum(axis=1)
    assert (total == cov["population"]).all()
    inputs = pop.groupby(["area_code", "year"])["population"].sum()
    per_group = cov.groupby(["area_code", "year"])["population"].first()
    assert {(str(a), y): v for (a, y), v in per_group.items()} == {
        (str(a), y): v for (a, y), v in inputs.items()
    }
    cells = (
        est.to_frame()
        .groupby(["area_code", "year", "condition"], observed=True)["population"]
        .sum()
    )
    in_scope = cov.set_index(["area_code", "year", "condition"])["in_scope"]
    np.testing.assert_allclose(cells.sort_index().to_numpy(), in_scope.sort_index().to_numpy())


@given(populations(max_areas=1), tables(), st.data())
def test_split_area_equals_whole(pop: pd.DataFrame, table: RateTable, data: st.DataObject) -> None:
    """Splitting an area in two and summarising equals the whole, for points and ranges."""
    share = data.draw(st.lists(st.integers(0, 100_000), min_size=len(pop), max_size=len(pop)))
    part = np.minimum(np.asarray(share, dtype=np.float64), pop["population"].to_numpy())
    half_a = pop.assign(area_code="part_a", population=part)
    half_b = pop.assign(area_code="part_b", population=pop["population"].to_numpy() - part)
    whole = (
        mhneed.estimate(pop.assign(area_code="whole"), table).summarise(by=["condition"]).to_frame()
    )
    parts = (
        mhneed.estimate(pd.concat([half_a, half_b]), table).summarise(by=["condition"]).to_frame()
    )
    pd.testing.assert_frame_equal(whole, parts, rtol=1e-12)
