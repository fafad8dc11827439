"""The pivot layout planners paste: conditions as rows, areas (or years) as columns.

A JSNA table (the Rutland perinatal table, the Leicestershire service-lot
tables) has one row per condition and one block of columns per area: the
estimated cases, their range and a crude rate, with the rate that was applied.
:func:`pivot_table` returns that layout as a pandas frame; writing it to CSV or
Excel is left to the caller (``frame.to_csv``) or to :mod:`mhneed.outputs.workbook`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mhneed.engine.results import Estimate
from mhneed.errors import InputError, MissingColumnError
from mhneed.published.bands import AgeBand

__all__ = ["PER_CHOICES", "PIVOT_MEASURES", "pivot_table"]

#: The bases a crude rate can be given per: per cent, per 1,000, per 10,000, per 100,000.
PER_CHOICES = (100, 1_000, 10_000, 100_000)

#: The figures in each column block, in order.
PIVOT_MEASURES = (
    "population",
    "cases",
    "cases_lower",
    "cases_upper",
    "rate",
    "rate_lower",
    "rate_upper",
)

_ROW_COLUMNS = ("label", "ages", "rate_applied", "interval")
_SEX_WORDS = {"female": "women", "male": "men", "persons": "all"}
_AREA_KEYS = ("area_code", "area_name")


def pivot_table(
    est: Estimate,
    columns: str | None = None,
    *,
    groups: Mapping[Any, Any] | pd.DataFrame | None = None,
    per: int = 100_000,
) -> pd.DataFrame:
    """Conditions as rows and areas (or years, or groups) as columns, as a JSNA table has them.

    Parameters
    ----------
    est : Estimate
        An unrounded estimate from :func:`mhneed.estimate` (or
        :func:`mhneed.estimate_perinatal`).
    columns : str, optional
        The key column whose values become the column blocks: ``area_name``
        (the default when the estimate has it, else ``area_code``),
        ``year`` for a projection, or ``group`` with ``groups``. Every other
        key must have one value within each block: figures are never added
        across years or across a county and its districts.
    groups : dict or pandas.DataFrame, optional
        Areas to groups (districts to their county, or to service lots), as
        for :meth:`mhneed.Estimate.summarise`; ``columns`` is then ``group``.
    per : {100, 1000, 10000, 100000}, default 100000
        The base of the crude rate: 100 gives per cent, 100,000 per 100,000
        as Fingertips shows rates.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``condition`` (in the rate table's order), with two-level
        columns. First ``("", "label")``, ``("", "ages")`` (the ages counted),
        ``("", "rate_applied")`` (the published rate or rates applied, with
        their range, in the unit of ``per``: the same national rates in every
        block, so shown once per row) and ``("", "interval")`` (what the
        ranges are). Then, for each block ``v``: ``(v, "population")`` (in
        the condition's scope) [persons or births], ``(v, "cases")``,
        ``(v, "cases_lower")``, ``(v, "cases_upper")`` [persons], ``(v,
        "rate")``, ``(v, "rate_lower")``, ``(v, "rate_upper")`` [cases per
        ``per`` in scope]: the crude rate, which is the applied rates weighted
        by the block's own mix of ages and sexes. Unrounded; round as a last
        step. ``attrs["mhneed"]`` is the estimate's provenance with ``pivot``
        (``columns``, ``per`` and ``rate_unit``).

    Raises
    ------
    MissingColumnError
        When ``columns`` is not a key of the estimate.
    InputError
        When ``per`` is not one of :data:`PER_CHOICES`; another key has more
        than one value within a block (such as several years under one area:
        the message names the key and values); or ``area_name`` is the
        columns and two area codes share a name.
    CombineError
        When the estimate is rounded, as :meth:`mhneed.Estimate.summarise`.

    Examples
    --------
    >>> est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["ptsd"])
    >>> frame = mhneed.pivot_table(est, per=100)
    >>> round(float(frame.loc["ptsd", ("Rutland", "rate")]), 1)
    4.4
    """
    if per not in PER_CHOICES or isinstance(per, bool):
        raise InputError(
            f"pivot_table: per={per!r} is not one of {', '.join(f'{p:,}' for p in PER_CHOICES)} "
            "(100 gives per cent)",
            column="per",
            rule="per in 100, 1000, 10000, 100000",
            values=[per],
        )
    column = _column(est, columns, groups)
    summary = est.summarise(by=[column, "condition"], groups=groups)
    _check_blocks(summary.coverage, column, summary.keys, grouped=groups is not None)
    frame = summary.to_frame()
    blocks = list(pd.unique(frame[column]))
    conditions = [c for c in est.conditions if c in set(frame["condition"].astype(str))]
    rows = _row_columns(est, frame, conditions, per)
    parts = [rows]
    for value in blocks:
        mine = frame[(frame[column] == value).to_numpy()].set_index(
            frame.loc[frame[column] == value, "condition"].astype(str)
        )
        mine = mine.reindex(conditions)
        count = mine[summary.count_column].to_numpy(np.float64)
        block = pd.DataFrame(index=pd.Index(conditions, name="condition"))
        block["population"] = count
        for name in ("cases", "cases_lower", "cases_upper"):
            block[name] = mine[name].to_numpy(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            for name, source in (
                ("rate", "cases"),
                ("rate_lower", "cases_lower"),
                ("rate_upper", "cases_upper"),
            ):
                block[name] = np.where(count > 0, block[source] / count * per, np.nan)
        block.columns = pd.MultiIndex.from_product([[_label(value)], list(block.columns)])
        parts.append(block)
    out = pd.concat(parts, axis=1)
    out.columns.names = [column, "measure"]
    prov = est.provenance()
    prov["pivot"] = {"columns": column, "per": per, "rate_unit": _unit(per, summary.count_column)}
    out.attrs["mhneed"] = prov
    return out


# -- private helpers ---------------------------------------------------------------


def _column(
    est: Estimate, columns: str | None, groups: Mapping[Any, Any] | pd.DataFrame | None
) -> str:
    keys = [*est.keys, *(["group"] if groups is not None else [])]
    if columns is None:
        if groups is not None:
            return "group"
        columns = next((k for k in ("area_name", "area_code") if k in keys), None)
        if columns is None:
            raise MissingColumnError(
                f"pivot_table: the estimate has no area_name or area_code key (its keys: "
                f"{', '.join(keys) or 'none'}); say which key gives the columns",
                column="columns",
                rule="a key for the columns",
                values=keys,
            )
    if columns not in keys:
        raise MissingColumnError(
            f"pivot_table: columns={columns!r} is not a key of the estimate; choose from "
            f"{', '.join(keys) or 'none (the estimate has no key columns)'}",
            column=str(columns),
            rule="columns is a key",
            values=[columns],
        )
    return columns


def _check_blocks(coverage: pd.DataFrame, column: str, keys: list[str], *, grouped: bool) -> None:
    """Each other key has one value within a block, so nothing is added across years or levels."""
    others = [k for k in keys if k != column and not (grouped and k in _AREA_KEYS)]
    if column == "area_name" and "area_code" in keys:
        others.append("area_code")
    for key in others:
        values = coverage.groupby(column, observed=True, sort=False)[key].unique()
        for block, found in values.items():
            if len(found) > 1:
                shown = ", ".join(str(v) for v in sorted(found, key=str)[:5])
                more = ", …" if len(found) > 5 else ""
                raise InputError(
                    f"pivot_table(columns={column!r}): {key} has {len(found)} values within "
                    f"{block} ({shown}{more}); adding them together would count people more "
                    f"than once or mix figures that do not add: keep one {key} (filter the "
                    f"population), or make {key} the columns",
                    column=key,
                    rule="one value of every other key within a column block",
                    values=list(found[:5]),
                )


def _row_columns(
    est: Estimate, frame: pd.DataFrame, conditions: list[str], per: int
) -> pd.DataFrame:
    meta = est.table.meta
    narrow = est.params.get("ages")
    cells = est._cells  # the cell rows the estimate was combined from
    rows = pd.DataFrame(index=pd.Index(conditions, name="condition"))
    labels, ages, applied, intervals = [], [], [], []
    for cond_id in conditions:
        cond = meta.condition(cond_id)
        labels.append(cond.label)
        scope = cond.scope if not isinstance(narrow, AgeBand) else cond.scope.intersect(narrow)
        ages.append(str(scope if scope is not None else cond.scope))
        mine = cells[(cells["condition"] == cond_id).to_numpy()]
        applied.append(_applied(mine, per))
        kinds = frame.loc[(frame["condition"] == cond_id).to_numpy(), "interval"]
        intervals.append("; ".join(dict.fromkeys(str(k) for k in kinds)))
    for name, values in zip(_ROW_COLUMNS, (labels, ages, applied, intervals), strict=True):
        rows[name] = values
    rows.columns = pd.MultiIndex.from_product([[""], list(rows.columns)])
    return rows


def _applied(cells: pd.DataFrame, per: int) -> str:
    """The rates applied to a condition's cells, with their range, in the unit of ``per``."""
    rates = cells[["sex", "age_band", "rate", "lower", "upper"]].astype(
        {"sex": str, "age_band": str}
    )
    rates = rates.drop_duplicates(subset=["sex", "age_band"])
    texts = []
    for sex, band, rate, lower, upper in rates.itertuples(index=False):
        text = _number(rate * per, per)
        if not (np.isnan(lower) or np.isnan(upper)):
            text += f" ({_number(lower * per, per)}–{_number(upper * per, per)})"
        texts.append(text if len(rates) == 1 else f"{_SEX_WORDS.get(sex, sex)} {band}: {text}")
    return "; ".join(texts) + ("" if per == 100 else f" per {per:,}")


def _number(value: float, per: int) -> str:
    if per == 100:
        return f"{value:,.1f}%"
    return f"{value:,.1f}" if per <= 1_000 else f"{value:,.0f}"


def _unit(per: int, count: str) -> str:
    who = "people" if count == "population" else "births"
    return f"cases per {per:,} {who} in the condition's age scope" + (" (%)" if per == 100 else "")


def _label(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value
