"""mhneed.stats against values computed independently, and against published tables.

Each expected value here is computed by a different route from the library's:

* exact Poisson limits by bisection on the Poisson distribution function, summed
  term by term in Python floats (the library inverts the regularised incomplete
  gamma function by Newton's method);
* Wilson limits from the textbook closed form (p + z²/2n ± z √(pq/n + z²/4n²)) /
  (1 + z²/n), and by bisection on the score equation |p - π| = z √(π(1 - π)/n)
  (the library uses the PHE form (2x + z² ± z √(z² + 4x(1 - x/n))) / (2(n + z²)));
* Byar's limits as the Wilson–Hilferty approximation to the chi-squared
  quantile, χ²(p; ν) ≈ ν (1 - 2/(9ν) + z_p √(2/(9ν)))³, halved, with ν = 2x and
  2x + 2.

The normal quantile z for the expected values is found by bisection on
math.erfc, not by the library. Published values (4 decimal places) are checked
to half a unit in the last place.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mhneed.stats import byar_interval, wilson_interval

LEVELS = (0.95, 0.998)
REL = 1e-9


def z_of(confidence: float) -> float:
    """Two-sided normal quantile by bisection on the upper tail from math.erfc."""
    tail = (1 - confidence) / 2
    lo, hi = 0.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(mid / math.sqrt(2)) > tail:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu), terms summed one by one."""
    term = math.exp(-mu)
    total = term
    for j in range(1, k + 1):
        term *= mu / j
        total += term
    return total


def poisson_upper_tail(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu), terms from k upwards (no subtraction)."""
    term = math.exp(-mu + k * math.log(mu) - math.lgamma(k + 1))
    total = 0.0
    j = k
    while True:
        total += term
        j += 1
        term *= mu / j
        if term < total * 1e-18 and j > mu:
            return total


def bisect(f: object, lo: float, hi: float) -> float:
    """Root of an increasing function by bisection to the last bit."""
    func = f  # type: ignore[assignment]
    for _ in range(400):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if func(mid) < 0:  # type: ignore[operator]
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def exact_limits(k: int, confidence: float) -> tuple[float, float]:
    """Exact Poisson limits: P(X >= k | lower) = α/2 and P(X <= k | upper) = α/2."""
    tail = (1 - confidence) / 2
    lower = 0.0 if k == 0 else bisect(lambda mu: poisson_upper_tail(k, mu) - tail, 0.0, k)
    upper = bisect(lambda mu: tail - poisson_cdf(k, mu), k, 10.0 * k + 100.0)
    return lower, upper


def wilson_textbook(x: float, n: float, confidence: float) -> tuple[float, float]:
    """Wilson's interval in the textbook arrangement."""
    z = z_of(confidence)
    p = x / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


def wilson_by_score(x: float, n: float, confidence: float) -> tuple[float, float]:
    """Wilson's interval as the roots of the score equation, by bisection."""
    z = z_of(confidence)
    p = x / n

    def excess(pi: float) -> float:
        return abs(p - pi) - z * math.sqrt(pi * (1 - pi) / n)

    lower = 0.0 if x == 0 else bisect(lambda pi: -excess(pi), 0.0, p)
    upper = 1.0 if x == n else bisect(excess, p, 1.0)
    return lower, upper


def byar_wilson_hilferty(x: float, confidence: float) -> tuple[float, float]:
    """Byar's limits as halved Wilson–Hilferty chi-squared quantiles."""
    z = z_of(confidence)

    def chi2(nu: float, zp: float) -> float:
        return nu * (1 - 2 / (9 * nu) + zp * math.sqrt(2 / (9 * nu))) ** 3

    return chi2(2 * x, -z) / 2, chi2(2 * x + 2, z) / 2


@pytest.mark.parametrize("confidence", LEVELS)
@pytest.mark.parametrize("k", range(10))
def test_exact_poisson_limits_below_ten(k: int, confidence: float) -> None:
    """Counts 0-9: exact limits agree with bisection on the Poisson CDF to 1e-9 (relative)."""
    low, high = byar_interval(k, confidence)
    want_low, want_high = exact_limits(k, confidence)
    assert low == pytest.approx(want_low, rel=REL, abs=0.0)
    assert high == pytest.approx(want_high, rel=REL)


@pytest.mark.parametrize("confidence", LEVELS)
def test_exact_limits_vectorised_match_scalars(confidence: float) -> None:
    """The same counts as one array give the same limits as the independent route."""
    counts = np.arange(10)
    low, high = byar_interval(counts, confidence)
    for k in counts:
        want_low, want_high = exact_limits(int(k), confidence)
        assert low[k] == pytest.approx(want_low, rel=REL, abs=0.0)
        assert high[k] == pytest.approx(want_high, rel=REL)


@pytest.mark.parametrize("confidence", LEVELS)
def test_closed_forms_for_zero_and_one(confidence: float) -> None:
    """x = 0: upper = -ln(α/2); x = 1: lower = -ln(1 - α/2) (the Poisson CDF inverted by hand)."""
    tail = (1 - confidence) / 2
    assert byar_interval(0, confidence) == pytest.approx((0.0, -math.log(tail)), rel=REL)
    assert byar_interval(1, confidence)[0] == pytest.approx(-math.log1p(-tail), rel=REL)


@pytest.mark.parametrize("confidence", LEVELS)
@pytest.mark.parametrize("x", [10, 11, 25, 65, 99.5, 1045, 123456])
def test_byar_from_ten(x: float, confidence: float) -> None:
    """From 10 up: Byar's limits equal halved Wilson–Hilferty chi-squared quantiles."""
    assert byar_interval(x, confidence) == pytest.approx(
        byar_wilson_hilferty(x, confidence), rel=REL
    )


@pytest.mark.parametrize("x", [10, 20, 50, 100, 389])
def test_byar_close_to_exact_from_ten(x: int) -> None:
    """PHE: at 95%, Byar's method is within 0.2% of the exact limits for counts of 10 or more."""
    low, high = byar_interval(x)
    want_low, want_high = exact_limits(x, 0.95)
    assert low == pytest.approx(want_low, rel=2e-3)
    assert high == pytest.approx(want_high, rel=2e-3)


@pytest.mark.parametrize("confidence", LEVELS)
@pytest.mark.parametrize(
    ("x", "n"),
    [
        (0, 1),
        (0, 20),
        (1, 1),
        (20, 20),
        (1, 29),
        (15, 148),
        (81, 263),
        (65, 100),
        (1045, 5000),
        (0.445, 1),
        (12.5, 333.3),
        (499, 500),
        (5000, 5000),
    ],
)
def test_wilson_two_routes(x: float, n: float, confidence: float) -> None:
    """Wilson limits agree with the textbook form and the score equation to 1e-9 (relative)."""
    low, high = wilson_interval(x, n, confidence)
    for want_low, want_high in (
        wilson_textbook(x, n, confidence),
        wilson_by_score(x, n, confidence),
    ):
        assert low == pytest.approx(want_low, rel=REL, abs=1e-15 if x == 0 else 0.0)
        assert high == pytest.approx(want_high, rel=REL)
    if x == 0:
        assert low == 0.0
    if x == n:
        assert high == 1.0


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_newcombe_table(x: int, n: int, low: float, high: float) -> None:
    """Newcombe (1998) Stat Med 17:857-872, Table I, score method without correction (95%)."""
    got = wilson_interval(x, n)
    assert got == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize(
    ("k", "low", "high"),
    [
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (2, 0.2422, 7.2247),
        (3, 0.6187, 8.7673),
        (4, 1.0899, 10.2416),
        (5, 1.6235, 11.6683),
        (9, 4.1154, 17.0848),
    ],
)
def test_exact_poisson_published_table(k: int, low: float, high: float) -> None:
    """Exact (Garwood) 95% limits for a Poisson count as tabulated to 4 decimal places."""
    assert byar_interval(k) == pytest.approx((low, high), abs=5e-5)
