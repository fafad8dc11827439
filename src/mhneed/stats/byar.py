"""Confidence limits for a count of events: exact Poisson below 10, Byar's method from 10.

References
----------
Public Health England (2018) *Technical Guide: Confidence Intervals*,
appendices 1 (Byar's method) and 2 (chi-squared exact method).

Breslow NE, Day NE (1987) *Statistical methods in cancer research, volume II*.
Lyon: IARC.
"""

from __future__ import annotations

import math
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from mhneed.stats._checks import as_numbers, check_rule, checked_z, scalar_or_array
from mhneed.stats._gamma import gamma_q, gamma_root, lgamma

__all__ = ["BYAR_FROM", "byar_interval"]

FloatArray = npt.NDArray[np.float64]

#: Counts from this value up use Byar's approximation; below it, exact Poisson limits.
BYAR_FROM = 10


@overload
def byar_interval(x: float, confidence: float = 0.95) -> tuple[float, float]: ...
@overload
def byar_interval(x: npt.ArrayLike, confidence: float = 0.95) -> tuple[Any, Any]: ...
def byar_interval(x: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Confidence interval for a count of events: exact below 10, Byar's from 10 up.

    Parameters
    ----------
    x : float or array_like
        The observed count [events, such as people entering treatment];
        ``x >= 0``. Need not be a whole number.
    confidence : float, default 0.95
        The confidence level, strictly between 0 and 1 (0.95, 0.998, ...).

    Returns
    -------
    (lower, upper) : pair of floats or of numpy arrays
        The limits of the expected count [events]: floats for a scalar ``x``,
        arrays of its shape otherwise. Divide by a population to get the
        limits of a rate.

    Notes
    -----
    With ``z`` the normal quantile at ``(1 + confidence) / 2`` and
    ``α = 1 − confidence``:

    * ``x < 10``: exact (chi-squared) limits, ``lower = χ²(α/2; 2x) / 2`` and
      ``upper = χ²(1 − α/2; 2x + 2) / 2`` (PHE Technical Guide, appendix 2),
      so ``x = 0`` gives ``(0, −ln(α/2))``. Computed as the Poisson means at
      which the regularised incomplete gamma function reaches ``α/2``: the
      function by its series and continued fraction, the root by Newton's
      method kept inside a bisection bracket, to double precision;
    * ``x >= 10``: Byar's approximation (appendix 1),
      ``lower = x (1 − 1/(9x) − z/(3√x))³`` and
      ``upper = (x + 1)(1 − 1/(9(x + 1)) + z/(3√(x + 1)))³``.

    Raises
    ------
    InputError
        When ``x`` is not a finite number or is negative, or the confidence
        level is not in (0, 1).

    References
    ----------
    Breslow NE, Day NE (1987) *Statistical methods in cancer research, volume
    II*. Lyon: IARC. Armitage P, Berry G, Matthews JNS (2002) *Statistical
    methods in medical research*, 4th edn. Oxford: Blackwell.

    Examples
    --------
    >>> low, high = byar_interval(1)
    >>> round(low, 4), round(high, 4)
    (0.0253, 5.5716)
    """
    z = checked_z(confidence, "byar_interval")
    xa = as_numbers(x, "x", "byar_interval")
    check_rule(xa < 0, xa, "x", "x >= 0", "byar_interval: x must be 0 or more", "x")
    alpha = 1.0 - confidence
    lower = np.zeros_like(xa)
    upper = np.zeros_like(xa)
    big = xa >= BYAR_FROM
    if big.any():
        o = xa[big]
        lower[big] = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * np.sqrt(o))) ** 3
        o1 = o + 1.0
        upper[big] = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
    small = ~big
    if small.any():
        lo, hi = _poisson_exact(xa[small], alpha, z)
        lower[small] = lo
        upper[small] = hi
    return scalar_or_array(lower, x), scalar_or_array(upper, x)


# -- private helpers ---------------------------------------------------------------


def _poisson_exact(x: FloatArray, alpha: float, z: float) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson limits: means where P(X >= x) = α/2 and P(X <= x) = α/2.

    For a count ``x`` these are the roots of ``P(x, μ) = α/2`` (lower; 0 when
    ``x = 0``) and ``Q(x + 1, μ) = α/2`` (upper), with P and Q the regularised
    lower and upper incomplete gamma functions; that is ``χ²(α/2; 2x)/2`` and
    ``χ²(1 − α/2; 2x + 2)/2``. Each distinct count is solved once.
    """
    values, inverse = np.unique(x, return_inverse=True)
    tail = alpha / 2.0
    lower = np.zeros_like(values)
    pos = values > 0
    if pos.any():
        a = values[pos]
        # P(a, μ) rises from 0 to 1 in μ, and P(a, a) > 1/2 > tail (a gamma's median is below
        # its mean): the root lies in (0, a). For a small count P(a, μ) ≈ μ^a / Γ(a + 1),
        # whose root can be too small for a double (0 is then the answer); otherwise
        # Byar's formula is the first guess
        log_small = (math.log(tail) + lgamma(a + 1.0)) / a
        byar = a * (1.0 - 1.0 / (9.0 * a) - z / (3.0 * np.sqrt(a))) ** 3
        guess = np.where(a < 1.0, np.exp(np.maximum(log_small, -745.0)), byar)
        solve = log_small > -700.0
        found = np.zeros_like(a)
        if solve.any():
            ok = solve
            found[ok] = gamma_root(
                a[ok], tail, np.zeros_like(a[ok]), a[ok].copy(), guess[ok], upper_tail=False
            )
        lower[pos] = found
    a1 = values + 1.0
    # Q(a1, μ) falls from 1 to 0; at μ = x it is P(Poisson(x) <= x) > 1/2 > tail
    lo = values.copy()
    hi = 2.0 * a1 + 10.0 + 2.0 * z * z
    for _ in range(64):  # widen until Q(a1, hi) <= tail; doubling, so few steps
        short = gamma_q(a1, hi) > tail
        if not short.any():
            break
        hi = np.where(short, 2.0 * hi, hi)
    guess = a1 * (1.0 - 1.0 / (9.0 * a1) + z / (3.0 * np.sqrt(a1))) ** 3
    upper = gamma_root(a1, tail, lo, hi, guess, upper_tail=True)
    return lower[inverse].reshape(x.shape), upper[inverse].reshape(x.shape)
