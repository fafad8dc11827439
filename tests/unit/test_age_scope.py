"""Unit tests for mhneed.engine.age_scope: the ages= argument of an estimate."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError


def people(ages: list[int], female: list[float], male: list[float], **keys: str) -> pd.DataFrame:
    """Single-year population for one key group."""
    frame = pd.DataFrame(
        {
            "sex": ["female"] * len(ages) + ["male"] * len(ages),
            "age": ages + ages,
            "population": female + male,
        }
    )
    for k, v in keys.items():
        frame.insert(0, k, v)
    return frame


def test_bad_ages_argument() -> None:
    """A malformed ages argument is refused."""
    with pytest.raises(InputError, match=r"ages 'adults' is not an age range"):
        mhneed.estimate(people([30], [1], [1]), "apms_2014", ages="adults")


@pytest.mark.parametrize(
    ("ages", "message"),
    [
        (
            (16.5, 64),
            "ages (16.5, 64): 16.5 is not a whole number of years; rates and populations are "
            "by whole years of age, so give whole years such as (16, 64)",
        ),
        (
            (18, 64.9),
            "ages (18, 64.9): 64.9 is not a whole number of years; rates and populations are "
            "by whole years of age, so give whole years such as (16, 64)",
        ),
        (
            (True, 64),
            "ages (True, 64): True is not a number of years; give (lower, upper) such as "
            "(18, 64), or (18, None) for 18 and over",
        ),
    ],
)
def test_ages_bounds_are_whole_years(ages: tuple[object, object], message: str) -> None:
    """A fractional age bound is refused, never cut to a whole year."""
    with pytest.raises(InputError) as info:
        mhneed.estimate(people([30], [1], [1]), "apms_2014", ages=ages)  # type: ignore[arg-type]
    assert str(info.value) == message
    assert (info.value.column, info.value.rule) == ("ages", "ages are whole years")


def test_ages_open_with_infinity() -> None:
    """(18, inf) means 18 and over, the same as (18, None) (it raised OverflowError)."""
    frame = people([17, 30, 95], [1, 2, 3], [4, 5, 6])
    a = mhneed.estimate(frame, "apms_2014", ages=(18, math.inf), conditions=["gad"])
    b = mhneed.estimate(frame, "apms_2014", ages=(18, None), conditions=["gad"])
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert str(a.params["ages"]) == "18+"
