"""Recorded against estimated: the share of estimated need that services record.

:func:`compare` joins counts a service records by area (people on a GP
register, people entering NHS Talking Therapies treatment) to an estimate of
how many people have the condition, by key columns (never by row position),
and gives the share of estimated need met, ``recorded / cases``, with its
range: ``recorded / cases_upper`` to ``recorded / cases_lower``.

Its steps live beside it: checking the recorded counts
(:mod:`mhneed.outputs.compare_inputs`) and setting them beside the estimate by
key (:mod:`mhneed.outputs.compare_join`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from mhneed.engine.results import Estimate
from mhneed.errors import CombineError, InputError
from mhneed.outputs.compare_inputs import recorded_frame
from mhneed.outputs.compare_join import align, report_unmatched, summary_for

__all__ = ["compare"]

#: The columns :func:`compare` adds beside the keys.
SHARE_COLUMNS = ("share_met", "share_met_lower", "share_met_upper")


def compare(
    estimate: Estimate,
    recorded: pd.DataFrame,
    *,
    on: Sequence[str] | None = None,
    column: str = "recorded",
    condition: str | None = None,
    unmatched: Literal["report", "error"] = "report",
) -> pd.DataFrame:
    """The share of estimated need that a recorded count meets, with its range.

    Parameters
    ----------
    estimate : Estimate
        Estimated cases: cell rows from :func:`mhneed.estimate` (summarised
        here by ``on`` and condition) or a summary from
        :meth:`Estimate.summarise` or :meth:`Estimate.simulate` whose ``by``
        columns are ``on`` plus ``condition``.
    recorded : pandas.DataFrame
        Recorded counts [persons]: the ``on`` key columns, the count column
        (``column``), and a ``condition`` column when the estimate has several
        conditions and ``condition=`` is not given. One row per key.
    on : sequence of str, optional
        The key columns to join on, such as ``["area_code"]``. By default the
        columns of ``recorded`` that are key columns of the estimate.
    column : str, default "recorded"
        The column of ``recorded`` holding the counts.
    condition : str, optional
        The condition the counts are for, when the estimate has several and
        ``recorded`` has no ``condition`` column.
    unmatched : {"report", "error"}, default "report"
        What to do with keys in only one of the two: ``"report"`` leaves them
        out of the result, lists them in ``result.attrs["unmatched"]`` (a
        frame of the keys with a ``reason`` column) and warns, naming them
        (a ``UserWarning``); ``"error"`` raises.

    Returns
    -------
    pandas.DataFrame
        One row per matched key: the ``on`` columns, ``condition``,
        ``recorded`` [persons], ``cases``, ``cases_lower``, ``cases_upper``
        [persons], ``interval`` (the estimate's kind of range), ``share_met``
        (``recorded / cases``), ``share_met_lower`` (``recorded /
        cases_upper``) and ``share_met_upper`` (``recorded / cases_lower``),
        as proportions (1 means the recorded count equals the estimate; above
        1 is possible). A share is NaN where the estimate has no interval,
        infinite where a lower limit is 0 and something was recorded, and 0
        wherever nothing was recorded (even against an estimate or limit of
        0). ``attrs["unmatched"]`` lists keys left out; ``attrs["mhneed"]``
        holds the estimate's provenance.

    Raises
    ------
    MissingColumnError
        When ``recorded`` lacks a key column or the count column, or no key
        column is shared with the estimate.
    InputError
        When a count is missing, not a number (true/false values, dates and
        durations are not counts) or negative; a key repeats or
        has a missing value; ``unmatched`` is not "report" or "error"; or
        (with ``unmatched="error"``) keys do not match.
    CombineError
        When the estimate is rounded, is summarised by columns other than
        ``on`` and ``condition``, or (cell rows) has more than one value of
        another key for one recorded key, such as several years for one area
        when the counts have no year: those would be added together.
    UnknownConditionError
        When ``condition`` (or a condition in ``recorded``) is not in the
        estimate, or the estimate has several conditions and neither a
        ``condition`` column nor ``condition=`` says which.

    Notes
    -----
    The range comes from the estimate's range only: the recorded count is
    taken as exact. To show the recorded figure's own random variation, use
    :func:`mhneed.stats.byar_interval` on it.

    Examples
    --------
    >>> import pandas as pd
    >>> import mhneed
    >>> est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["ptsd"])
    >>> seen = pd.DataFrame({"area_code": ["E06000017"], "recorded": [400]})
    >>> out = mhneed.compare(est, seen)
    >>> shares = out[["recorded", "share_met", "share_met_lower", "share_met_upper"]]
    >>> print(shares.round(3).to_string(index=False))
     recorded  share_met  share_met_lower  share_met_upper
          400      0.288            0.254            0.334
    """

    where = "compare"
    _check_arguments(estimate, recorded, unmatched, where)
    on_list, rec, counts = recorded_frame(estimate, recorded, on, column, condition, where)
    summary = summary_for(estimate, on_list, where)
    out, lost = align(rec, summary.to_frame(), on_list, where)
    report_unmatched(lost, [*on_list, "condition"], unmatched, where)
    out["recorded"] = out["recorded"].astype(counts.dtype)  # an outer join may make floats
    _add_shares(out)
    out["condition"] = pd.Categorical(out["condition"], categories=estimate.conditions)
    out["interval"] = pd.Categorical(out["interval"])
    out.attrs["unmatched"] = lost
    out.attrs["mhneed"] = summary.provenance()
    return out


# -- private helpers ---------------------------------------------------------------


def _check_arguments(
    estimate: Estimate, recorded: pd.DataFrame, unmatched: str, where: str
) -> None:
    """An unrounded Estimate, a DataFrame of counts, and a known ``unmatched``."""
    if not isinstance(estimate, Estimate):
        raise InputError(
            f"{where}: estimate must be an Estimate from mhneed.estimate(), not "
            f"{type(estimate).__name__}",
            column="estimate",
            rule="an Estimate",
            values=[type(estimate).__name__],
        )
    if not isinstance(recorded, pd.DataFrame):
        raise InputError(
            f"{where}: recorded must be a DataFrame of key columns and counts, not "
            f"{type(recorded).__name__}",
            column="recorded",
            rule="a DataFrame",
            values=[type(recorded).__name__],
        )
    if unmatched not in ("report", "error"):
        raise InputError(
            f"{where}: unmatched={unmatched!r} is not one of 'report', 'error'",
            column="unmatched",
            rule="unmatched in report, error",
            values=[unmatched],
        )
    if estimate.rounding is not None:
        raise CombineError(
            f"{where}: this estimate is {estimate.rounding}; compare with the unrounded "
            "estimate, then round what you show",
            rule="compare before rounding",
            values=[estimate.rounding],
        )


def _add_shares(out: pd.DataFrame) -> None:
    """The share met, ``recorded / cases``, and its range from the estimate's range."""
    rec_values = out["recorded"].to_numpy(np.float64)
    cases = out["cases"].to_numpy(np.float64)
    for col, of in (
        ("share_met", cases),
        ("share_met_lower", out["cases_upper"].to_numpy(np.float64)),
        ("share_met_upper", out["cases_lower"].to_numpy(np.float64)),
    ):
        with np.errstate(divide="ignore", invalid="ignore"):
            share = rec_values / of
        # nothing recorded is no share of the need met, even against a need of 0
        share[(rec_values == 0) & (of == 0)] = 0.0
        out[col] = share
