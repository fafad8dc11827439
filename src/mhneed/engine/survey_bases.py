"""Wilson intervals from the survey's bases, for cells with no published interval.

:meth:`Estimate.with_survey_bases <mhneed.engine.results.Estimate.with_survey_bases>`
gives a cell that has a rate but no published confidence interval a Wilson interval
(:func:`mhneed.stats.wilson_interval`) from the survey's unweighted base and design
effect: effective sample size ``n = base / deff`` and ``x = rate × n``.
:func:`check_survey_bases` checks the call's arguments; :func:`apply_survey_bases`
reads the bases (:func:`mhneed.inputs.survey_bases.read_bases`: a frame or a dict,
each cell of the rate table at most once), sets the cells' limits and records what
was used. See ``docs/methods.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._group_ids import codes_of, group_ids
from mhneed.engine.intervals import STRATUM
from mhneed.errors import CombineError, InputError
from mhneed.inputs.survey_bases import read_bases
from mhneed.published.bands import parse_band
from mhneed.stats import wilson_interval

if TYPE_CHECKING:
    from mhneed.published.rates import RateTable

__all__ = ["apply_survey_bases", "check_survey_bases"]

FloatArray = npt.NDArray[np.float64]


def check_survey_bases(
    confidence: float | None,
    *,
    by: list[str] | None,
    rounding: str | None,
    kind: str,
    table: RateTable,
) -> float:
    """The level of the Wilson intervals, after checking that the estimate can take them.

    ``by``, ``rounding`` and ``kind`` are the estimate's (see
    :meth:`mhneed.engine.results.Estimate.with_survey_bases`); ``confidence``
    defaults to the table's level for a table of confidence intervals, else 0.95.

    Raises
    ------
    CombineError
        When the estimate is summarised or rounded, or the table publishes ranges.
    InputError
        When ``confidence`` is not in (0, 1) or differs from the table's level.
    """
    if by is not None or rounding is not None:
        what = rounding if rounding is not None else "summarised"
        raise CombineError(
            f"with_survey_bases: this estimate is {what}; give the bases to the cell "
            "estimate from mhneed.estimate(), then summarise and round",
            rule="survey bases on cells",
            values=[what],
        )
    if kind == "published_range":
        raise CombineError(
            f"with_survey_bases: rate table {table.id} publishes ranges (low and "
            "high scenarios); a Wilson interval is a survey confidence interval, and the "
            "two kinds cannot be combined",
            column="interval",
            rule="Wilson intervals for survey rates only",
            values=[kind],
        )
    table_level = table.meta.level if kind == "confidence_interval" else None
    if confidence is None:
        confidence = table_level if table_level is not None else 0.95
    valid = not isinstance(confidence, bool) and isinstance(confidence, (int, float))
    if not valid or not 0.0 < confidence < 1.0:
        raise InputError(
            f"with_survey_bases: confidence={confidence!r} must be strictly between 0 "
            "and 1, such as 0.95",
            column="confidence",
            rule="0 < confidence < 1",
            values=[confidence],
        )
    if table_level is not None and confidence != table_level:
        raise InputError(
            f"with_survey_bases: confidence={confidence:g} differs from rate table "
            f"{table.id}'s confidence level {table_level:g}; intervals of different "
            "levels cannot be combined",
            column="confidence",
            rule="confidence equals the table's level",
            values=[confidence],
        )
    return float(confidence)


def apply_survey_bases(
    cells: pd.DataFrame,
    table: RateTable,
    bases: pd.DataFrame | Mapping[Any, Any],
    *,
    level: float,
    label: str,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cells with Wilson limits where none were published and a survey base is given.

    Parameters
    ----------
    cells : pandas.DataFrame
        Cell rows of an estimate.
    table : RateTable
        The estimate's rate table; bases are keyed by its rows.
    bases : pandas.DataFrame or mapping
        ``condition, sex, age_band, base`` rows with a ``deft`` or a ``deff``
        column, or ``{(condition, sex, age_band): {"base": n, "deft": f}}``
        (or ``"deff"``).
    level : float
        The confidence level of the Wilson intervals.
    label : str
        The ``interval`` label of the cells given Wilson limits.

    Returns
    -------
    cells : pandas.DataFrame
        A copy, with ``lower``, ``upper`` [proportions], ``cases_lower``,
        ``cases_upper`` [persons] and ``interval`` set for those cells.
    record : dict
        ``level``, ``used`` (per cell: condition, sex, age_band, base,
        deff, deft, effective_n, lower, upper) and ``not_used`` (cells given
        a base that already had a published interval, or are not in the
        estimate).
    """
    given = read_bases(bases, table)
    coded = [codes_of(cells[c]) for c in STRATUM]
    stratum, rep = group_ids([c for c, _ in coded], [len(u) for _, u in coded])
    rate = cells["rate"].to_numpy(np.float64)
    lower = cells["lower"].to_numpy(np.float64)
    base = np.full(len(rep), np.nan)
    deff = np.full(len(rep), np.nan)
    key_of: list[tuple[str, str, str]] = []
    for i, row in enumerate(rep):  # one pass over strata (table cells), not areas
        cond, sex, band = (str(cells[c].iloc[row]) for c in STRATUM)
        key = _table_key(table, cond, sex, band)
        key_of.append(key)
        if key in given and np.isnan(lower[row]):
            base[i], deff[i] = given[key]
    use = ~np.isnan(base)
    n_eff = base[use] / deff[use]
    wl, wu = wilson_interval(rate[rep][use] * n_eff, n_eff, level)
    new_lower = np.full(len(rep), np.nan)
    new_upper = np.full(len(rep), np.nan)
    new_lower[use], new_upper[use] = wl, wu
    record = _record(level, given, key_of, base, deff, new_lower, new_upper, use)
    out = _with_limits(cells, stratum, use, new_lower, new_upper, label)
    return out, record


# -- private helpers ---------------------------------------------------------------


def _record(
    level: float,
    given: dict[tuple[str, str, str], tuple[float, float]],
    key_of: list[tuple[str, str, str]],
    base: FloatArray,
    deff: FloatArray,
    new_lower: FloatArray,
    new_upper: FloatArray,
    use: npt.NDArray[np.bool_],
) -> dict[str, Any]:
    """What was used: per stratum given a Wilson interval its base, design effect and
    limits; and the cells given a base that was not used."""
    used_keys = {key_of[i] for i in np.flatnonzero(use)}
    record: dict[str, Any] = {
        "level": level,
        "used": [
            {
                "condition": key_of[i][0],
                "sex": key_of[i][1],
                "age_band": key_of[i][2],
                "base": float(base[i]),
                "deff": float(deff[i]),
                "deft": float(np.sqrt(deff[i])),
                "effective_n": float(base[i] / deff[i]),
                "lower": float(new_lower[i]),
                "upper": float(new_upper[i]),
            }
            for i in np.flatnonzero(use)
        ],
        "not_used": [
            {"condition": k[0], "sex": k[1], "age_band": k[2]} for k in given if k not in used_keys
        ],
    }
    return record


def _with_limits(
    cells: pd.DataFrame,
    stratum: npt.NDArray[np.int64],
    use: npt.NDArray[np.bool_],
    new_lower: FloatArray,
    new_upper: FloatArray,
    label: str,
) -> pd.DataFrame:
    """A copy of the cells with the Wilson limits (per stratum) where ``use`` says."""
    lower = cells["lower"].to_numpy(np.float64)
    upper = cells["upper"].to_numpy(np.float64)
    out = cells.copy()
    row_use = use[stratum]
    population = out["population"].to_numpy(np.float64)
    out["lower"] = np.where(row_use, new_lower[stratum], lower)
    out["upper"] = np.where(row_use, new_upper[stratum], upper)
    out["cases_lower"] = np.where(
        row_use, population * out["lower"].to_numpy(), out["cases_lower"].to_numpy()
    )
    out["cases_upper"] = np.where(
        row_use, population * out["upper"].to_numpy(), out["cases_upper"].to_numpy()
    )
    if row_use.any():
        interval = out["interval"].astype("category")
        if label not in interval.cat.categories:
            interval = interval.cat.add_categories([label])
        codes = np.asarray(interval.cat.codes.to_numpy(), dtype=np.int64)
        code = list(interval.cat.categories).index(label)
        codes = np.where(row_use, code, codes)
        out["interval"] = pd.Categorical.from_codes(codes, categories=interval.cat.categories)
    return out


def _table_key(table: RateTable, condition: str, sex: str, band: str) -> tuple[str, str, str]:
    """The rate-table cell an estimate cell comes from (its band may be narrowed by ages=)."""
    cell = parse_band(band)
    for row in table.rows:
        if row.condition == condition and row.sex == sex and row.band.covers(cell):
            return (row.condition, row.sex, row.age_band)
    return (condition, sex, band)  # pragma: no cover - every cell comes from a row
