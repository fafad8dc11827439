"""Rounding for publication: counts to a multiple of 5, 10 or any base, up or to the nearest.

Rounding is a presentation step, applied last (:meth:`Estimate.round
<mhneed.engine.results.Estimate.round>`): a rounded estimate cannot be summarised,
simulated or rounded again. :func:`round_values` holds the rules (a count within
``1e-9 × to`` of a multiple is that multiple; rounding up never takes a count above
zero to 0; zero and missing limits stay as they are), :func:`check_rounding` the
arguments, and :func:`rounding_label` the words every output uses ("rounded up to a
multiple of 5").
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from mhneed.errors import CombineError, InputError

__all__ = [
    "ROUND_MAX",
    "ROUND_MIN",
    "check_rounding",
    "refuse_rounded",
    "round_values",
    "rounded_frame",
    "rounding_label",
]

#: The bases a count may be rounded to (a smaller one overflowed to infinity).
ROUND_MIN = 1e-6
ROUND_MAX = 1e9


def check_rounding(to: float, how: str, rounding: str | None) -> None:
    """Check the arguments of :meth:`Estimate.round`, and that the estimate is not rounded.

    Raises
    ------
    InputError
        When ``how`` is not "up" or "nearest", or ``to`` is not a number from
        0.000001 to 1,000,000,000.
    CombineError
        When the estimate is already rounded (``rounding`` says how).
    """
    if how not in ("up", "nearest"):
        raise InputError(
            f"round: how={how!r} is not one of 'up', 'nearest'",
            column="how",
            rule="how in up, nearest",
            values=[how],
        )
    if isinstance(to, bool) or not isinstance(to, numbers.Real) or not _finite(to) or to <= 0:
        raise InputError(
            f"round: to={_shown(to)} must be a positive number such as 5 or 10",
            column="to",
            rule="to > 0",
            values=[to],
        )
    if not ROUND_MIN <= to <= ROUND_MAX:  # 1e-300 overflowed to inf, 10**400 raised
        raise InputError(
            f"round: to={_shown(to)} is outside 0.000001 to 1,000,000,000, the bases a "
            "count can be rounded to; round to a count such as 5, 10 or 1,000",
            column="to",
            rule="to in 0.000001..1,000,000,000",
            values=[to],
        )
    if rounding is not None:
        raise CombineError(
            f"this estimate is already {rounding}; round the unrounded estimate",
            rule="round once",
            values=[rounding],
        )


def refuse_rounded(rounding: str | None, advice: str, rule: str) -> None:
    """Refuse to work on a rounded estimate: rounding comes last.

    Raises
    ------
    CombineError
        "this estimate is {rounding}; {advice}", when ``rounding`` is not ``None``.
    """
    if rounding is not None:
        raise CombineError(
            f"this estimate is {rounding}; {advice}",
            rule=rule,
            values=[rounding],
        )


def rounded_frame(frame: pd.DataFrame, to: float, how: str) -> pd.DataFrame:
    """A copy of ``frame`` with ``cases``, ``cases_lower`` and ``cases_upper`` rounded."""
    frame = frame.copy()
    for col in ("cases", "cases_lower", "cases_upper"):
        frame[col] = round_values(frame[col].to_numpy(dtype=np.float64), to, how)
    return frame


def round_values(values: np.ndarray, to: float, how: str) -> np.ndarray:
    """Round to multiples of ``to``; see :meth:`Estimate.round` for the rules."""
    to = float(to)
    scaled = np.round(values / to, 9)  # within 1e-9 of a multiple: that multiple
    if how == "up":
        rounded = np.ceil(scaled)
        rounded = np.where((values > 0) & (rounded == 0), 1.0, rounded)  # never up to 0
    else:
        rounded = np.floor(scaled + 0.5)
    return np.asarray(rounded * to, dtype=np.float64)


def rounding_label(to: float, how: str) -> str:
    """How the figures were rounded, in words: "rounded up to a multiple of 5",
    "rounded to the nearest 10"."""
    words = "rounded up to a multiple of" if how == "up" else "rounded to the nearest"
    base = f"{int(to):,}" if float(to).is_integer() else f"{float(to):g}"
    return f"{words} {base}"


# -- private helpers ---------------------------------------------------------------


def _finite(value: numbers.Real) -> bool:
    if isinstance(value, numbers.Integral):
        return True  # however large: 10**400 is refused as out of range, not as infinite
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float, such as 10**400
        return False


def _shown(value: object) -> str:
    """A value for a message, cut short when very long (10**400 has 401 digits)."""
    text = repr(value)
    if len(text) <= 24:
        return text
    return f"{text[:10]}... ({len(text)} characters)"
