"""Unit tests for mhneed.engine.results: Estimate.summarise and its repr."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import CombineError, MissingColumnError
from tests.helpers import make_table


def two_areas() -> pd.DataFrame:
    """Two areas, women and men aged 30."""
    return pd.DataFrame(
        {
            "area": ["A", "A", "B", "B"],
            "sex": ["female", "male", "female", "male"],
            "age": [30, 30, 30, 30],
            "population": [1000, 2000, 3000, 4000],
        }
    )


CI_TABLE = make_table([("c", "female", "16+", 10, 8, 13), ("c", "male", "16+", 5, 4, 7)])
RANGE_TABLE = make_table(
    [("c", "female", "16+", None, 10, 15), ("c", "male", "16+", None, 20, 30)],
    interval="published_range",
)


def test_confidence_interval_by_hand() -> None:
    """Sum each stratum across areas first, then combine strata in quadrature, side by side."""
    s = mhneed.estimate(two_areas(), CI_TABLE).summarise(by=["condition"]).to_frame()
    # women: 4000 people, 400 cases, limits 320-520; men: 6000, 300 cases, 240-420
    lower = 700 - math.hypot(400 - 320, 300 - 240)
    upper = 700 + math.hypot(520 - 400, 420 - 300)
    row = s.iloc[0]
    assert row["population"] == 10000
    assert row["cases"] == pytest.approx(700)
    assert row["cases_lower"] == pytest.approx(lower)
    assert row["cases_upper"] == pytest.approx(upper)
    assert row["interval"] == "95% confidence interval"


def test_one_stratum_across_areas_adds_widths() -> None:
    """For one stratum, areas share the national rate: limits add like points."""
    est = mhneed.estimate(two_areas(), CI_TABLE)
    s = est.summarise(by=["condition", "sex"]).to_frame()
    women = s[s["sex"] == "female"].iloc[0]
    assert (women["cases"], women["cases_lower"], women["cases_upper"]) == pytest.approx(
        (400, 320, 520)
    )


def test_published_range_adds_bound_to_bound() -> None:
    """Published ranges combine low with low and high with high."""
    s = mhneed.estimate(two_areas(), RANGE_TABLE).summarise(by=["area"]).to_frame()
    a = s[s["area"] == "A"].iloc[0]
    assert (a["cases_lower"], a["cases_upper"]) == pytest.approx((100 + 400, 150 + 600))
    assert a["cases"] == pytest.approx(125 + 500)
    assert a["interval"] == "published range"


def test_condition_added_implicitly_for_single_condition() -> None:
    """With one condition, by=['area'] keeps the condition column."""
    s = mhneed.estimate(two_areas(), CI_TABLE).summarise(by=["area"]).to_frame()
    assert list(s.columns[:2]) == ["area", "condition"]
    assert s["population"].tolist() == [3000.0, 7000.0]


def test_summing_across_conditions_refused() -> None:
    """Summarising without condition when there are several is an error."""
    est = mhneed.estimate(two_areas(), "apms_2014", conditions=["gad", "ptsd"])
    with pytest.raises(CombineError) as info:
        est.summarise(by=["area"])
    assert str(info.value) == (
        "summarise(by=['area']): without 'condition' in by, counts for 2 different conditions "
        "would be added together; people can have more than one condition, so add 'condition' "
        "to by (rate table apms_2014 does not say its conditions are mutually exclusive)"
    )


def test_mutually_exclusive_table_may_sum_conditions() -> None:
    """A table that says its conditions exclude each other can be summed across them."""
    t = make_table(
        [("a", "persons", "16+", 10, None, None), ("b", "persons", "16+", 20, None, None)],
        interval="none",
        mutually_exclusive=True,
    )
    s = mhneed.estimate(two_areas(), t).summarise(by=["area"]).to_frame()
    assert s["cases"].tolist() == pytest.approx([900, 2100])


def test_unknown_by_column() -> None:
    """An unknown by column is named with the choices."""
    with pytest.raises(MissingColumnError) as info:
        mhneed.estimate(two_areas(), CI_TABLE).summarise(by=["region", "condition"])
    assert str(info.value) == (
        "summarise: by column 'region' not in the estimate; choose from area, condition, sex, age_band"
    )


def test_missing_interval_stays_missing() -> None:
    """A group containing a stratum with no published interval has no interval."""
    t = make_table([("c", "female", "16+", 10, 8, 12), ("c", "male", "16+", 5, None, None)])
    s = mhneed.estimate(two_areas(), t).summarise(by=["condition"]).to_frame()
    assert np.isnan(s["cases_lower"].iloc[0])
    assert np.isnan(s["cases_upper"].iloc[0])
    assert s["interval"].iloc[0] == "no interval published"


def test_summarise_twice_uses_cells() -> None:
    """Summarising a summary recomputes from the cells: any order gives the same result."""
    est = mhneed.estimate(two_areas(), CI_TABLE)
    direct = est.summarise(by=["condition"]).to_frame()
    via = est.summarise(by=["area", "condition"]).summarise(by=["condition"]).to_frame()
    pd.testing.assert_frame_equal(direct, via)


def test_repr() -> None:
    """The repr says table, rows and level."""
    est = mhneed.estimate(two_areas(), CI_TABLE)
    assert repr(est) == "<Estimate test: 4 rows (cells), 1 condition>"
    assert (
        repr(est.summarise(by=["area"]))
        == "<Estimate test: 2 rows (summary by area, condition), 1 condition>"
    )
