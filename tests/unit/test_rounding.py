"""Unit tests for mhneed.engine.rounding: Estimate.round, its rules, labels and messages."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
import pytest

import mhneed
import mhneed.engine.rounding
from mhneed import (
    CombineError,
    InputError,
)
from tests.helpers import make_table
from tests.unit.test_perinatal import births_frame, estimate, user_table

# -- rounding a perinatal estimate ---------------------------------------------------


def test_summarising_a_rounded_estimate_is_refused() -> None:
    """Summarise first, then round."""
    rounded = estimate(births_frame()).round(to=5, how="up")
    with pytest.raises(CombineError) as info:
        rounded.summarise(by=["condition"])
    assert str(info.value) == (
        "this estimate is rounded up to a multiple of 5; summarising rounded figures adds up "
        "rounding errors: summarise the unrounded estimate first, then round"
    )


def test_rounding_twice_is_refused() -> None:
    """A rounded estimate is rounded once only."""
    rounded = estimate(births_frame()).round(to=10, how="nearest")
    with pytest.raises(CombineError) as info:
        rounded.round(to=5, how="up")
    assert str(info.value) == (
        "this estimate is already rounded to the nearest 10; round the unrounded estimate"
    )


def test_round_leaves_births_rates_and_coverage_alone() -> None:
    """Rounding changes the case columns only, and says how in the frame."""
    est = estimate(births_frame(births=[312, 1234.5]))
    ways: list[tuple[Literal["up", "nearest"], str]] = [
        ("up", "rounded up to a multiple of 5"),
        ("nearest", "rounded to the nearest 5"),
    ]
    for how, label in ways:
        rounded = est.round(to=5, how=how)
        frame = rounded.to_frame()
        assert rounded.rounding == label
        assert set(frame["rounding"]) == {label}
        assert frame.attrs["mhneed"]["rounding"] == label
        assert f"  rounding: {label}" in rounded.describe().split("\n")
        unrounded = est.to_frame()
        keep = ["area_code", "year", "condition", "births", "rate", "lower", "upper", "interval"]
        pd.testing.assert_frame_equal(frame[keep], unrounded[keep])
        pd.testing.assert_frame_equal(rounded.coverage, est.coverage)
    assert "rounding" not in est.to_frame().columns


@pytest.mark.parametrize(
    ("births", "to", "how", "expected"),
    [
        (312, 5, "up", (5.0, 5.0, 5.0)),  # 0.624: any count above zero rounds up to the base
        (312, 5, "nearest", (0.0, 0.0, 0.0)),
        (312, 10, "up", (10.0, 10.0, 10.0)),
        (1e-9, 5, "up", (5.0, 5.0, 5.0)),  # tiny but not zero: still at least the base
        (0, 5, "up", (0.0, 0.0, 0.0)),  # zero stays zero
        (2500, 5, "up", (5.0, 5.0, 5.0)),  # exactly 5 stays 5 (not 10 from float noise)
        (3750, 5, "nearest", (10.0, 10.0, 10.0)),  # 7.5: a half rounds up
        (312, 0.5, "up", (1.0, 1.0, 1.0)),
        (312, np.int64(5), "up", (5.0, 5.0, 5.0)),  # numpy numbers are numbers
    ],
)
def test_round_values(births: float, to: float, how: str, expected: tuple[float, ...]) -> None:
    """Rounding the postpartum psychosis figure (2 per 1,000) in each way."""
    est = estimate(pd.DataFrame({"births": [births]}), conditions=["postpartum_psychosis"])
    frame = est.round(to=to, how=how).to_frame()  # type: ignore[arg-type]
    assert tuple(frame[["cases_lower", "cases", "cases_upper"]].iloc[0]) == expected


def test_round_float_noise_at_a_multiple() -> None:
    """A count a hair above a multiple (binary floating point) is that multiple."""
    noisy = 10.000000000000002
    assert noisy != 10
    values = mhneed.engine.rounding.round_values(np.array([noisy, 9.36, 14.999]), 5, "up")
    assert values.tolist() == [10.0, 10.0, 15.0]


def test_round_up_through_the_api_ignores_float_noise() -> None:
    """1,500 births × 70 per 1,000 is 105 (105.00000000000001 in floating point): up to 105."""
    table = user_table([{"condition": "x", "rate": 70}])
    est = estimate(pd.DataFrame({"births": [1500]}), table=table)
    assert est.to_frame()["cases"].iloc[0] != 105  # the noise is really there
    assert est.round(to=5, how="up").to_frame()["cases"].tolist() == [105.0]


def test_round_keeps_missing_limits_missing() -> None:
    """A limit that was not published stays missing after rounding."""
    table = user_table([{"condition": "b", "rate": 5}])
    frame = estimate(pd.DataFrame({"births": [1000]}), table=table).round(5, "up").to_frame()
    assert frame["cases"].tolist() == [5.0]
    assert frame[["cases_lower", "cases_upper"]].isna().all().all()


def test_round_labels_large_bases_with_separators() -> None:
    """Whole bases print as whole numbers; others as decimals."""
    est = estimate(births_frame())
    assert est.round(to=1000, how="nearest").rounding == "rounded to the nearest 1,000"
    assert est.round(to=2.5, how="up").rounding == "rounded up to a multiple of 2.5"
    assert est.round(to=10.0, how="up").rounding == "rounded up to a multiple of 10"


@pytest.mark.parametrize(
    ("to", "how", "message"),
    [
        (5, "down", "round: how='down' is not one of 'up', 'nearest'"),
        (0, "up", "round: to=0 must be a positive number such as 5 or 10"),
        (-5, "up", "round: to=-5 must be a positive number such as 5 or 10"),
        (math.inf, "up", "round: to=inf must be a positive number such as 5 or 10"),
        (True, "up", "round: to=True must be a positive number such as 5 or 10"),
        ("5", "up", "round: to='5' must be a positive number such as 5 or 10"),
    ],
)
def test_round_bad_arguments(to: object, how: str, message: str) -> None:
    """Bad rounding arguments are refused with a clear message."""
    est = estimate(births_frame())
    with pytest.raises(InputError) as info:
        est.round(to=to, how=how)  # type: ignore[arg-type]
    assert str(info.value) == message


# -- rounding a population's estimate ------------------------------------------------


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


def test_round_up_and_nearest() -> None:
    """Rounding up gives the next multiple; nearest rounds halves up; populations untouched."""
    t = make_table([("c", "persons", "16+", 0.1, 0.01, 0.2)])
    frame = pd.DataFrame({"sex": ["female"], "age": [30], "population": [3120]})
    est = mhneed.estimate(frame, t)  # 3.12 cases, 0.312 to 6.24
    up = est.round(5, "up").to_frame()
    assert up[["cases", "cases_lower", "cases_upper"]].iloc[0].tolist() == [5, 5, 10]
    near = est.round(5, "nearest").to_frame()
    assert near[["cases", "cases_lower", "cases_upper"]].iloc[0].tolist() == [5, 0, 5]
    assert up["population"].iloc[0] == 3120
    assert up["rounding"].iloc[0] == "rounded up to a multiple of 5"
    assert near["rounding"].iloc[0] == "rounded to the nearest 5"


def test_round_up_exact_multiple_stays() -> None:
    """A count that is a multiple in decimal but not in binary is not pushed up a step."""
    t = make_table(
        [("c", "persons", "16+", None, 3, 3)], interval="published_range", unit="per_1000"
    )
    frame = pd.DataFrame({"sex": ["female"], "age": [30], "population": [3000.0 + 1e-9]})
    assert mhneed.estimate(frame, t).round(5, "up").to_frame()["cases"].iloc[0] == 10


def test_summarise_rounded_refused() -> None:
    """Rounding is last: a rounded estimate cannot be summarised."""
    est = mhneed.estimate(two_areas(), CI_TABLE).round(5, "up")
    with pytest.raises(CombineError) as info:
        est.summarise(by=["condition"])
    assert str(info.value) == (
        "this estimate is rounded up to a multiple of 5; summarising rounded figures adds up "
        "rounding errors: summarise the unrounded estimate first, then round"
    )


@pytest.mark.parametrize(
    ("to", "how", "message"),
    [
        (0, "up", "round: to=0 must be a positive number such as 5 or 10"),
        (5, "down", "round: how='down' is not one of 'up', 'nearest'"),
        (
            1e-300,
            "nearest",
            "round: to=1e-300 is outside 0.000001 to 1,000,000,000, the bases a count can be "
            "rounded to; round to a count such as 5, 10 or 1,000",
        ),
        (
            10**400,
            "up",
            "round: to=1000000000... (401 characters) is outside 0.000001 to 1,000,000,000, "
            "the bases a count can be rounded to; round to a count such as 5, 10 or 1,000",
        ),
    ],
)
def test_round_arguments(to: float, how: str, message: str) -> None:
    """Bad rounding arguments are named."""
    with pytest.raises(InputError) as info:
        mhneed.estimate(two_areas(), CI_TABLE).round(to, how)  # type: ignore[arg-type]
    assert str(info.value) == message
