"""What the interval helpers check of their arguments, and how they give results back."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from mhneed.errors import InputError
from mhneed.stats.normal import normal_quantile

__all__ = ["as_numbers", "check_rule", "checked_z", "scalar_or_array"]

FloatArray = npt.NDArray[np.float64]


def checked_z(confidence: float, where: str) -> float:
    """The two-sided normal quantile for a confidence level, checked."""
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, (int, float))
        or not 0.0 < confidence < 1.0
    ):
        raise InputError(
            f"{where}: confidence={confidence!r} must be strictly between 0 and 1, "
            "such as 0.95 or 0.998",
            column="confidence",
            rule="0 < confidence < 1",
            values=[confidence],
        )
    return normal_quantile(0.5 + confidence / 2.0)


def as_numbers(values: Any, name: str, where: str) -> FloatArray:
    """Values as a float array, refusing what is not a finite number."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(
            f"{where}: {name} must be numbers; got {values!r}",
            column=name,
            rule="numeric",
            values=[values],
        ) from None
    bad = ~np.isfinite(arr)
    if bad.any():
        shown = ", ".join(f"{v:g}" for v in np.atleast_1d(arr)[np.atleast_1d(bad)][:5])
        raise InputError(
            f"{where}: {name} must be finite numbers; got {shown}",
            column=name,
            rule="finite",
            values=list(np.atleast_1d(arr)[np.atleast_1d(bad)][:20]),
        )
    return arr


def check_rule(
    bad: npt.NDArray[np.bool_],
    values: FloatArray,
    column: str,
    rule: str,
    message: str,
    name: str,
    other: FloatArray | None = None,
) -> None:
    if not bad.any():
        return
    flat = np.atleast_1d(values)[np.atleast_1d(bad)]
    if other is None:
        shown = ", ".join(f"{v:g}" for v in flat[:5])
    else:
        others = np.atleast_1d(other)[np.atleast_1d(bad)]
        shown = ", ".join(f"{v:g} (n {o:g})" for v, o in zip(flat[:5], others[:5], strict=False))
    more = f" and {len(flat) - 5} more" if len(flat) > 5 else ""
    raise InputError(
        f"{message}; got {name} {shown}{more}",
        column=column,
        rule=rule,
        values=[float(v) for v in flat[:20]],
    )


def scalar_or_array(values: FloatArray, *inputs: Any) -> Any:
    """A float when every input was a scalar, else the array."""
    if all(np.ndim(i) == 0 for i in inputs):
        return float(values.reshape(-1)[0])
    return values
