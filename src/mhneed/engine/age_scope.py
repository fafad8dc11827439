"""The ``ages=`` argument of an estimate: narrowing every condition's age scope.

``ages`` may be a pair of whole years, ``(18, 64)``, ``(65, None)`` or ``(65,
math.inf)`` for 65 and over; a band, ``"18-64"`` or ``"65+"``; or an
:class:`~mhneed.published.bands.AgeBand`. :func:`parse_ages` reads it as an age band
(``None`` for no narrowing) and refuses anything else, such as ``16.5`` (never cut
to 16).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from mhneed.errors import AgeBandError, InputError
from mhneed.published.bands import AgeBand, parse_band

__all__ = ["AgesArg", "parse_ages"]

#: Age-scope narrowing accepted by :func:`estimate`.
AgesArg = tuple[int, int] | tuple[int, None] | str | AgeBand | None


def parse_ages(ages: AgesArg) -> AgeBand | None:
    """The age band ``ages`` narrows the scope to, or ``None``; see :func:`mhneed.estimate`."""
    if ages is None:
        return None
    try:
        if isinstance(ages, AgeBand):
            return ages
        if isinstance(ages, str):
            return parse_band(ages)
        lower, upper = ages
        if upper is not None and _is_inf(upper):
            upper = None  # (18, inf) means 18 and over
        for bound in (lower, upper):
            _check_whole_age(ages, bound)
        return AgeBand(int(lower), None if upper is None else int(upper))
    except (AgeBandError, TypeError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(
            f"ages {ages!r} is not an age range: give (lower, upper) such as (18, 64), "
            f"or a band such as '18-64' or '65+' ({exc})",
            column="ages",
            rule="an age range",
            values=[ages],
        ) from None


# -- private helpers ---------------------------------------------------------------


def _is_inf(value: object) -> bool:
    return isinstance(value, (float, np.floating)) and bool(np.isposinf(value))


def _check_whole_age(ages: object, bound: object) -> None:
    """A bound of ``ages=`` must be a whole number of years (16.5 was cut to 16)."""
    if bound is None:
        return
    if isinstance(bound, (bool, np.bool_)) or not isinstance(bound, numbers.Real):
        raise InputError(
            f"ages {ages!r}: {bound!r} is not a number of years; give (lower, upper) such as "
            "(18, 64), or (18, None) for 18 and over",
            column="ages",
            rule="ages are whole years",
            values=[bound],
        )
    if isinstance(bound, numbers.Integral):
        return
    if not math.isfinite(float(bound)) or not float(bound).is_integer():
        raise InputError(
            f"ages {ages!r}: {bound!r} is not a whole number of years; rates and populations "
            "are by whole years of age, so give whole years such as (16, 64)",
            column="ages",
            rule="ages are whole years",
            values=[bound],
        )
