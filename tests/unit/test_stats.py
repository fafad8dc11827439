"""Unit tests for mhneed.stats: the normal quantile, Wilson and Byar's intervals, their errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import mhneed
from mhneed.errors import InputError
from mhneed.stats import byar_interval, normal_quantile, wilson_interval


def bisect_quantile(p: float) -> float:
    """The normal quantile by bisection on Phi from math.erfc, tail by tail."""
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if p < 0.5:
            below = 0.5 * math.erfc(-mid / math.sqrt(2)) < p
        else:
            below = 0.5 * math.erfc(mid / math.sqrt(2)) > 1 - p
        lo, hi = (mid, hi) if below else (lo, mid)
    return (lo + hi) / 2


@pytest.mark.parametrize(
    ("p", "z"),
    [
        (0.975, 1.959963984540054),
        (0.999, 3.090232306167813),
        (0.995, 2.5758293035489004),
        (0.9, 1.2815515655446004),
        (0.5, 0.0),
        (0.025, -1.959963984540054),
        (0.001, -3.090232306167813),
    ],
)
def test_normal_quantile_known_values(p: float, z: float) -> None:
    """The normal quantile matches tabulated values to 1e-12."""
    assert normal_quantile(p) == pytest.approx(z, abs=1e-12)


@pytest.mark.parametrize(
    "p", [1e-300, 1e-12, 1e-6, 0.0001, 0.02, 0.02425, 0.3, 0.7, 0.97575, 0.98, 0.9999]
)
def test_normal_quantile_matches_bisection(p: float) -> None:
    """Across both tails and Acklam's three regions, z agrees with bisection to 1e-12."""
    assert normal_quantile(p) == pytest.approx(bisect_quantile(p), rel=1e-12, abs=1e-12)


def test_normal_quantile_symmetric() -> None:
    """Phi^-1(1 - p) = -Phi^-1(p)."""
    for p in (0.001, 0.01, 0.2, 0.4):
        assert normal_quantile(1 - p) == pytest.approx(-normal_quantile(p), rel=1e-13)


@pytest.mark.parametrize("p", [0, 1, -0.5, 1.5, float("nan"), True, "0.5"])
def test_normal_quantile_refuses_non_probabilities(p: object) -> None:
    """p must be strictly between 0 and 1."""
    with pytest.raises(InputError) as info:
        normal_quantile(p)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"normal_quantile: p={p!r} must be a probability strictly between 0 and 1"
    )


def test_exported_as_mhneed_stats() -> None:
    """mhneed.stats is the module, with the helpers in its __all__."""
    assert mhneed.stats.wilson_interval is wilson_interval
    assert {"wilson_interval", "byar_interval", "normal_quantile"} <= set(mhneed.stats.__all__)
    assert "stats" in mhneed.__all__


def test_wilson_scalar_gives_floats_arrays_give_arrays() -> None:
    """Scalars in, floats out; arrays in, arrays of the broadcast shape out."""
    low, high = wilson_interval(5, 10)
    assert isinstance(low, float)
    assert isinstance(high, float)
    lows, highs = wilson_interval(np.array([[0, 5], [7, 10]]), 10)
    assert lows.shape == highs.shape == (2, 2)
    assert lows[0, 1] == low
    assert highs[0, 1] == high


def test_wilson_extremes_are_exact() -> None:
    """x = 0 gives a lower limit of exactly 0; x = n an upper limit of exactly 1."""
    low, high = wilson_interval(np.array([0.0, 20.0]), np.array([20.0, 20.0]))
    assert low[0] == 0.0
    assert high[1] == 1.0
    z = normal_quantile(0.975)
    assert low[1] == pytest.approx(20 / (20 + z * z), rel=1e-14)
    assert high[0] == pytest.approx(z * z / (20 + z * z), rel=1e-14)


def test_wilson_wider_at_higher_confidence() -> None:
    """The 99.8% interval contains the 95% one."""
    l95, h95 = wilson_interval(30, 200, 0.95)
    l998, h998 = wilson_interval(30, 200, 0.998)
    assert l998 < l95 < 30 / 200 < h95 < h998


def test_wilson_accepts_fractional_effective_counts() -> None:
    """An effective count from a survey design need not be whole."""
    low, high = wilson_interval(12.5, 333.3)
    assert 0 < low < 12.5 / 333.3 < high < 1


@pytest.mark.parametrize(
    ("x", "n", "message"),
    [
        (11, 10, "wilson_interval: x must not be more than n; got x 11 (n 10)"),
        ([1, -2], 10, "wilson_interval: x must be 0 or more; got x -2"),
        (1, 0, "wilson_interval: n must be more than 0; got n 0"),
        (float("nan"), 3, "wilson_interval: x must be finite numbers; got nan"),
        (1, float("inf"), "wilson_interval: n must be finite numbers; got inf"),
        ("a", 3, "wilson_interval: x must be numbers; got 'a'"),
        (
            list(range(1, 8)),
            0.5,
            "wilson_interval: x must not be more than n; got x 1 (n 0.5), 2 (n 0.5), "
            "3 (n 0.5), 4 (n 0.5), 5 (n 0.5) and 2 more",
        ),
    ],
)
def test_wilson_refuses_bad_input(x: object, n: object, message: str) -> None:
    """Bad counts are named, with the rule and the values."""
    with pytest.raises(InputError) as info:
        wilson_interval(x, n)
    assert str(info.value) == message


@pytest.mark.parametrize("confidence", [0, 1, 95, -0.1, float("nan"), True])
def test_confidence_must_be_a_proportion(confidence: object) -> None:
    """Confidence is a level in (0, 1), not a percentage."""
    for func, args in ((wilson_interval, (1, 10)), (byar_interval, (1,))):
        with pytest.raises(InputError) as info:
            func(*args, confidence)  # type: ignore[operator]
        assert str(info.value) == (
            f"{func.__name__}: confidence={confidence!r} must be strictly between 0 and 1, "
            "such as 0.95 or 0.998"
        )
        assert info.value.column == "confidence"


def test_byar_exact_below_ten_byar_from_ten() -> None:
    """Counts below 10 use exact limits; from 10 Byar's formula, with the exact z."""
    z = normal_quantile(0.975)
    low, high = byar_interval(10)
    assert low == 10 * (1 - 1 / 90 - z / (3 * math.sqrt(10))) ** 3
    assert high == 11 * (1 - 1 / 99 + z / (3 * math.sqrt(11))) ** 3
    low0, high0 = byar_interval(0)
    assert low0 == 0.0
    assert high0 == pytest.approx(-math.log(0.025), rel=1e-13)


def test_byar_vectorised_any_shape() -> None:
    """Arrays of any shape give limits of that shape, each as for its own scalar."""
    counts = np.array([[0, 1, 9], [10, 65, 1045]], dtype=float)
    low, high = byar_interval(counts, 0.998)
    assert low.shape == high.shape == (2, 3)
    for i, j in np.ndindex(counts.shape):
        one = byar_interval(float(counts[i, j]), 0.998)
        assert (low[i, j], high[i, j]) == pytest.approx(one, rel=1e-14)


def test_byar_fractional_and_tiny_counts() -> None:
    """Counts need not be whole; a tiny count's lower limit may underflow to 0."""
    low, high = byar_interval(np.array([1e-3, 0.5, 9.999]))
    assert low[0] == 0.0
    assert 0 < low[1] < 0.5 < high[1]
    assert high[0] == pytest.approx(-math.log(0.025), rel=1e-2)
    ten_low, ten_high = byar_interval(10)
    assert low[2] < ten_low * 1.01
    assert high[2] < ten_high * 1.01


def test_byar_refuses_negative_and_non_finite() -> None:
    """Negative and non-finite counts are refused with the values named."""
    with pytest.raises(InputError) as info:
        byar_interval([3, -1])
    assert str(info.value) == "byar_interval: x must be 0 or more; got x -1"
    assert info.value.values == (-1.0,)
    with pytest.raises(InputError) as info:
        byar_interval(float("inf"))
    assert str(info.value) == "byar_interval: x must be finite numbers; got inf"


def test_any_confidence_level() -> None:
    """Any level in (0, 1) works, and limits widen as it rises."""
    previous = (math.inf, -math.inf)
    for level in (0.5, 0.8, 0.9, 0.95, 0.99, 0.998, 0.999999):
        low, high = byar_interval(5, level)
        assert low < previous[0]
        assert high > previous[1]
        previous = (low, high)
