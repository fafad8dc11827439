"""Unit tests for mhneed.outputs.pivot: conditions as rows, areas or years as columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, MissingColumnError
from tests.helpers import make_table

#: Women 10% (8-13%), men 5% (4-6%), ages 16+; and one persons rate of 20% with no interval.
TABLE = make_table(
    [
        ("c", "female", "16+", 10.0, 8.0, 13.0),
        ("c", "male", "16+", 5.0, 4.0, 6.0),
        ("d", "persons", "16+", 20.0, None, None),
    ]
)


def people() -> pd.DataFrame:
    """Two areas and two years: women 1,000 and men 3,000 aged 30 in A; 500 and 500 in B."""
    rows = []
    for year in (2022, 2030):
        for code, name, f, m in (("E1", "A", 1000, 3000), ("E2", "B", 500, 500)):
            for sex, n in (("female", f), ("male", m)):
                rows.append(
                    {"area_code": code, "area_name": name, "year": year, "sex": sex, "age": 30,
                     "population": n + (year - 2022)}
                )  # fmt: skip
    return pd.DataFrame(rows)


def one_year() -> mhneed.Estimate:
    """The estimate for 2022 only."""
    pop = people()
    return mhneed.estimate(pop[pop["year"] == 2022], TABLE)


def test_areas_as_columns_by_hand() -> None:
    """Cases, their range and crude rates per 100,000 for each area, conditions as rows."""
    frame = mhneed.pivot_table(one_year())
    assert list(frame.index) == ["c", "d"]
    assert frame.columns.names == ["area_name", "measure"]
    assert list(dict.fromkeys(frame.columns.get_level_values(0))) == ["", "A", "B"]
    a = frame["A"].loc["c"]
    assert a["population"] == 4000
    assert a["cases"] == pytest.approx(1000 * 0.10 + 3000 * 0.05)  # 250
    assert a["rate"] == pytest.approx(250 / 4000 * 100_000)  # 6,250 per 100,000
    assert a["cases_lower"] == pytest.approx(250 - np.hypot(1000 * 0.02, 3000 * 0.01))
    assert a["rate_lower"] == pytest.approx(a["cases_lower"] / 4000 * 100_000)
    b = frame["B"].loc["c"]
    assert b["rate"] == pytest.approx(75 / 1000 * 100_000)  # B's mix of sexes: 7,500
    assert frame.loc["c", ("", "rate_applied")] == (
        "women 16+: 10,000 (8,000–13,000); men 16+: 5,000 (4,000–6,000) per 100,000"
    )
    assert frame.loc["d", ("", "rate_applied")] == "20,000 per 100,000"
    assert frame.loc["d", ("", "interval")] == "no interval published"
    assert np.isnan(frame.loc["d", ("A", "cases_lower")])
    assert frame.loc["c", ("", "ages")] == "16+"
    assert frame.attrs["mhneed"]["pivot"] == {
        "columns": "area_name",
        "per": 100_000,
        "rate_unit": "cases per 100,000 people in the condition's age scope",
    }


def test_per_cent() -> None:
    """per=100 gives per cent, and the applied rate in per cent."""
    frame = mhneed.pivot_table(one_year(), "area_code", per=100)
    assert frame.loc["c", ("E1", "rate")] == pytest.approx(6.25)
    assert frame.loc["c", ("", "rate_applied")] == (
        "women 16+: 10.0% (8.0%–13.0%); men 16+: 5.0% (4.0%–6.0%)"
    )


def test_figures_are_the_summary() -> None:
    """Every block holds exactly the summarised estimate's figures for that area."""
    est = one_year()
    frame = mhneed.pivot_table(est, "area_code")
    summary = est.summarise(by=["area_code", "condition"]).to_frame()
    for row in summary.itertuples(index=False):
        block = frame[str(row.area_code)].loc[str(row.condition)]
        for name in ("population", "cases", "cases_lower", "cases_upper"):
            assert block[name] == pytest.approx(getattr(row, name), nan_ok=True)


def test_years_as_columns() -> None:
    """A projection for one area, years as columns."""
    pop = people()
    est = mhneed.estimate(pop[pop["area_code"] == "E2"], TABLE)
    frame = mhneed.pivot_table(est, "year")
    assert list(dict.fromkeys(frame.columns.get_level_values(0))) == ["", 2022, 2030]
    assert frame.loc["d", (2030, "population")] == 1016


def test_groups_as_columns() -> None:
    """Areas grouped (a county from its districts) give one block per group."""
    frame = mhneed.pivot_table(one_year(), groups={"E1": "County", "E2": "County"})
    assert frame.loc["c", ("County", "cases")] == pytest.approx(250 + 75)


def test_years_under_one_area_are_refused() -> None:
    """Two years under one area would be added together: refused, naming the key and values."""
    est = mhneed.estimate(people(), TABLE)
    with pytest.raises(InputError) as exc:
        mhneed.pivot_table(est, "area_code")
    assert str(exc.value) == (
        "pivot_table(columns='area_code'): year has 2 values within E1 (2022, 2030); adding "
        "them together would count people more than once or mix figures that do not add: keep "
        "one year (filter the population), or make year the columns"
    )


def test_shared_area_name_is_refused() -> None:
    """Two area codes with one name would be merged under the name: refused."""
    pop = people()
    pop = pop[pop["year"] == 2022].assign(area_name="Same")
    with pytest.raises(InputError) as exc:
        mhneed.pivot_table(mhneed.estimate(pop, TABLE))
    assert str(exc.value) == (
        "pivot_table(columns='area_name'): area_code has 2 values within Same (E1, E2); adding "
        "them together would count people more than once or mix figures that do not add: keep "
        "one area_code (filter the population), or make area_code the columns"
    )


def test_bad_per() -> None:
    """per must be one of the usual bases."""
    with pytest.raises(InputError) as exc:
        mhneed.pivot_table(one_year(), per=50)
    assert str(exc.value) == (
        "pivot_table: per=50 is not one of 100, 1,000, 10,000, 100,000 (100 gives per cent)"
    )


def test_columns_not_a_key() -> None:
    """columns must be a key of the estimate."""
    with pytest.raises(MissingColumnError) as exc:
        mhneed.pivot_table(one_year(), "region")
    assert str(exc.value) == (
        "pivot_table: columns='region' is not a key of the estimate; choose from area_code, "
        "area_name, year"
    )
