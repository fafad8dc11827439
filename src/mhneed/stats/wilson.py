"""Wilson's score interval for a proportion, as PHE's technical guide computes it.

References
----------
Wilson EB (1927) Probable inference, the law of succession, and statistical
inference. *J Am Stat Assoc* 22:209–212.

Public Health England (2018) *Technical Guide: Confidence Intervals*, appendix 3.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import numpy.typing as npt

from mhneed.stats._checks import as_numbers, check_rule, checked_z, scalar_or_array

__all__ = ["wilson_interval"]


@overload
def wilson_interval(x: float, n: float, confidence: float = 0.95) -> tuple[float, float]: ...
@overload
def wilson_interval(
    x: npt.ArrayLike, n: npt.ArrayLike, confidence: float = 0.95
) -> tuple[Any, Any]: ...
def wilson_interval(x: Any, n: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Wilson score confidence interval for a proportion ``x / n``.

    Parameters
    ----------
    x : float or array_like
        The number with the characteristic [persons]; ``0 <= x <= n``. Need not
        be a whole number (an effective count from a survey design).
    n : float or array_like
        The number asked or counted [persons]; ``n > 0``. Broadcast against ``x``.
    confidence : float, default 0.95
        The confidence level, strictly between 0 and 1 (0.95, 0.998, ...).

    Returns
    -------
    (lower, upper) : pair of floats or of numpy arrays
        The limits as proportions in [0, 1]: floats when ``x`` and ``n`` are
        scalars, arrays of their broadcast shape otherwise. ``x = 0`` gives a
        lower limit of exactly 0; ``x = n`` an upper limit of exactly 1.

    Notes
    -----
    With ``z`` the normal quantile at ``(1 + confidence) / 2`` (PHE Technical
    Guide, appendix 3)::

        lower, upper = (2x + z² ∓ z √(z² + 4x(1 − x/n))) / (2(n + z²))

    Raises
    ------
    InputError
        When ``x`` or ``n`` is not a finite number, ``x < 0``, ``n <= 0``,
        ``x > n``, or the confidence level is not in (0, 1).

    References
    ----------
    Wilson EB (1927) *J Am Stat Assoc* 22:209–212. Newcombe RG (1998)
    Two-sided confidence intervals for the single proportion: comparison of
    seven methods. *Stat Med* 17:857–872.

    Examples
    --------
    >>> low, high = wilson_interval(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    """
    z = checked_z(confidence, "wilson_interval")
    xa = as_numbers(x, "x", "wilson_interval")
    na = as_numbers(n, "n", "wilson_interval")
    xa, na = np.broadcast_arrays(xa, na)
    check_rule(xa < 0, xa, "x", "x >= 0", "wilson_interval: x must be 0 or more", "x")
    check_rule(na <= 0, na, "n", "n > 0", "wilson_interval: n must be more than 0", "n")
    check_rule(xa > na, xa, "x", "x <= n", "wilson_interval: x must not be more than n", "x", na)
    z2 = z * z
    with np.errstate(invalid="ignore"):
        spread = z * np.sqrt(z2 + 4.0 * xa * (1.0 - xa / na))
    denom = 2.0 * (na + z2)
    lower = np.where(xa == 0, 0.0, (2.0 * xa + z2 - spread) / denom)
    upper = np.where(xa == na, 1.0, (2.0 * xa + z2 + spread) / denom)
    return scalar_or_array(np.clip(lower, 0.0, 1.0), x, n), scalar_or_array(
        np.clip(upper, 0.0, 1.0), x, n
    )
