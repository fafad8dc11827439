"""The regularised incomplete gamma functions and their roots, with numpy only.

What the exact Poisson limits of :func:`mhneed.stats.byar_interval` are solved
from: ``P(a, x)`` by its series, ``Q(a, x)`` by its continued fraction, and
``ln Γ`` by Lanczos' approximation.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = ["gamma_q", "gamma_root", "lgamma"]

FloatArray = npt.NDArray[np.float64]


def gamma_root(
    a: FloatArray,
    target: float,
    lo: FloatArray,
    hi: FloatArray,
    guess: FloatArray,
    *,
    upper_tail: bool,
) -> FloatArray:
    """μ with P(a, μ) = target (or Q(a, μ) = target): Newton inside a bisection bracket."""
    lo, hi = lo.copy(), hi.copy()
    mu = np.where((guess > lo) & (guess < hi), guess, 0.5 * (lo + hi))
    lg = lgamma(a)
    active = np.ones(len(a), dtype=bool)
    for _ in range(200):
        i = np.flatnonzero(active)
        if not len(i):
            break
        m, ai = mu[i], a[i]
        # f rises with μ either way
        f = target - gamma_q(ai, m) if upper_tail else _gamma_p(ai, m) - target
        lo[i] = np.where(f < 0, m, lo[i])
        hi[i] = np.where(f > 0, m, hi[i])
        density = np.exp(-m + (ai - 1.0) * np.log(np.maximum(m, 1e-300)) - lg[i])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = m - f / density
        inside = np.isfinite(step) & (step > lo[i]) & (step < hi[i])
        new = np.where(inside, step, 0.5 * (lo[i] + hi[i]))
        # Newton converges quadratically: after a step this small, what is left is
        # below rounding error
        close = inside & (np.abs(new - m) <= 1e-10 * np.abs(new))
        done = close | (f == 0) | (hi[i] - lo[i] <= 4e-16 * hi[i])
        mu[i] = np.where(f == 0, m, new)
        active[i[done]] = False
    return mu


def _prefactor(a: FloatArray, x: FloatArray) -> FloatArray:
    """``x^a e^(-x) / Γ(a)``, computed on the log scale."""
    with np.errstate(divide="ignore"):
        return np.asarray(np.exp(a * np.log(x) - x - lgamma(a)), dtype=np.float64)


def _gamma_p(a: FloatArray, x: FloatArray) -> FloatArray:
    """Regularised lower incomplete gamma ``P(a, x)``, for ``a > 0``, ``x >= 0``."""
    series = x < a + 1.0
    out = np.empty_like(x)
    if series.any():
        out[series] = _p_series(a[series], x[series])
    if (~series).any():
        out[~series] = 1.0 - _q_fraction(a[~series], x[~series])
    return out


def gamma_q(a: FloatArray, x: FloatArray) -> FloatArray:
    """Regularised upper incomplete gamma ``Q(a, x) = 1 - P(a, x)``."""
    a, x = np.broadcast_arrays(a, x)
    series = x < a + 1.0
    out = np.empty(x.shape, dtype=np.float64)
    if series.any():
        out[series] = 1.0 - _p_series(a[series], x[series])
    if (~series).any():
        out[~series] = _q_fraction(a[~series], x[~series])
    return out


def _p_series(a: FloatArray, x: FloatArray) -> FloatArray:
    """``P(a, x)`` by its power series (converges fast for ``x < a + 1``)."""
    term = 1.0 / a
    total = term.copy()
    n = np.zeros_like(a)
    for _ in range(1000):
        n = n + 1.0
        term = term * x / (a + n)
        total = total + term
        if np.all(np.abs(term) <= np.abs(total) * 1e-17):
            break
    return np.where(x == 0, 0.0, total * _prefactor(a, x))


def _q_fraction(a: FloatArray, x: FloatArray) -> FloatArray:
    """``Q(a, x)`` by its continued fraction, modified Lentz (for ``x >= a + 1``)."""
    tiny = 1e-300
    b = x + 1.0 - a
    c = np.full_like(x, 1.0 / tiny)
    d = 1.0 / b
    h = d.copy()
    for i in range(1, 1000):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) <= 1e-15):
            break
    return np.asarray(h * _prefactor(a, x), dtype=np.float64)


_LANCZOS_G = 7.0


_LANCZOS = (
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
)


def lgamma(a: FloatArray) -> FloatArray:
    """``ln Γ(a)`` for ``a > 0``, element by element (Lanczos, g = 7)."""
    a = np.asarray(a, dtype=np.float64)
    small = a < 0.5
    z = np.where(small, a + 1.0, a) - 1.0  # Γ(a) = Γ(a + 1) / a below 1/2
    series = np.full_like(z, _LANCZOS[0])
    for i, coef in enumerate(_LANCZOS[1:], start=1):
        series = series + coef / (z + i)
    t = z + _LANCZOS_G + 0.5
    out = 0.5 * math.log(2.0 * math.pi) + (z + 0.5) * np.log(t) - t + np.log(series)
    return np.where(small, out - np.log(np.where(small, a, 1.0)), out)
