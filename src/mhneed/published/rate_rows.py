"""A rate table's rows read from a frame in the file's unit, as proportions.

Each row's figures are read as numbers in the table's unit (refusing text, true
or false, infinities, a comma that could be a decimal or a thousands separator,
and figures outside the unit's range) and divided into proportions; a blank
rate with both limits takes the midpoint of the published range. The age band
and sex are checked, and the optional provenance columns (``cell``, ``base``,
``interval_method``) read. Every row that does not parse, or breaks a rule of
the table (:mod:`mhneed.published.rate_checks`), is reported at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from mhneed.errors import AgeBandError, MissingColumnError, RateTableError
from mhneed.published.bands import parse_band
from mhneed.published.rate_checks import Problem, all_problems, row_problems
from mhneed.published.rate_models import ROW_COLUMNS, UNIT_MAX, RateRow, RowSex, TableMeta

__all__ = ["read_rows"]


def read_rows(
    rows: pd.DataFrame, meta: TableMeta, checks: pd.DataFrame | None = None
) -> tuple[tuple[RateRow, ...], tuple[RateRow, ...]]:
    """The rows and published checks of a table, from frames in the file's unit.

    Parameters
    ----------
    rows : pandas.DataFrame
        Columns ``condition, sex, age_band, rate, lower, upper, source`` and
        optionally ``note`` and the provenance columns; figures in
        ``meta.unit``.
    meta : TableMeta
        The table's metadata.
    checks : pandas.DataFrame, optional
        Published figures kept to check the table, same columns.

    Returns
    -------
    tuple
        The rows, and the checks (empty without ``checks``), as
        :class:`RateRow` with rates as proportions.

    Raises
    ------
    MissingColumnError
        When a frame lacks a column.
    RateTableError
        When a frame has no rows, or naming every row that does not parse or
        breaks a rule of the table.
    """
    parts = [("row", rows)] + ([] if checks is None else [("published check", checks)])
    parsed: dict[str, tuple[RateRow, ...]] = {}
    problems: list[Problem] = []
    for what, frame in parts:
        good, bad = _parse_rows(frame, meta, what=what)
        problems += bad
        problems += row_problems(meta, good, what=what)
        parsed[what] = tuple(row for _, row in good)
    if problems:
        raise all_problems(meta, problems)
    return parsed["row"], parsed.get("published check", ())


# -- private helpers ---------------------------------------------------------------


def _parse_rows(
    frame: pd.DataFrame, meta: TableMeta, *, what: str
) -> tuple[list[tuple[int, RateRow]], list[Problem]]:
    """Each row that parses, numbered from 1, and the problem of each row that does not."""
    missing = [c for c in ROW_COLUMNS if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"rate table {meta.id}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; a rate table has columns {', '.join(ROW_COLUMNS)}",
            column=missing[0],
            rule="required columns",
            values=missing,
        )
    if len(frame) == 0:
        raise RateTableError(
            f"rate table {meta.id}: no rows; a table needs at least one rate",
            rule="at least one row",
        )
    good: list[tuple[int, RateRow]] = []
    bad: list[Problem] = []
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        try:
            good.append((i, _parse_row(rec, i, meta, what)))
        except RateTableError as exc:  # name the offending row, and go on to the next
            bad.append((what, i, exc, frame.iloc[[i - 1]]))
    return good, bad


def _parse_row(rec: Mapping[Any, Any], i: int, meta: TableMeta, what: str) -> RateRow:
    divisor = UNIT_MAX[meta.unit]
    where = (
        f"rate table {meta.id}, {what} {i} (condition {rec['condition']}, "
        f"sex {rec['sex']}, age_band {rec['age_band']})"
    )
    rate = _number(rec["rate"], "rate", where, meta.unit)
    lower = _number(rec["lower"], "lower", where, meta.unit)
    upper = _number(rec["upper"], "upper", where, meta.unit)
    midpoint = False
    if rate is None:
        if lower is None or upper is None:
            raise RateTableError(
                f"{where}: column rate is blank; a blank rate needs both lower and upper "
                "(a published range), whose midpoint is then used",
                column="rate",
                rule="rate given, or a range",
                values=[rec["rate"]],
            )
        rate = (lower + upper) / 2
        midpoint = True
    try:
        band = str(parse_band(rec["age_band"]))
    except AgeBandError as exc:
        raise RateTableError(
            f"{where}: column age_band: {exc}",
            column="age_band",
            rule="age band format",
            values=[rec["age_band"]],
        ) from None
    sex = str(rec["sex"]).strip().lower()
    if sex not in ("female", "male", "persons"):
        raise RateTableError(
            f"{where}: column sex: value {rec['sex']!r} is not one of female, male, persons",
            column="sex",
            rule="sex in female, male, persons",
            values=[rec["sex"]],
        )
    note = rec.get("note")
    extra = _provenance(rec, where)
    return RateRow(
        condition=str(rec["condition"]).strip(),
        sex=cast(RowSex, sex),
        age_band=band,
        rate=rate / divisor,
        lower=None if lower is None else lower / divisor,
        upper=None if upper is None else upper / divisor,
        source=str(rec["source"]).strip(),
        note="" if note is None or _is_blank(note) else str(note),
        rate_is_midpoint=midpoint,
        **extra,
    )


def _provenance(rec: Mapping[Any, Any], where: str) -> dict[str, Any]:
    """The optional provenance columns of one row (blank ones left at their defaults)."""
    out: dict[str, Any] = {}
    cell = rec.get("cell")
    if cell is not None and not _is_blank(cell):
        out["cell"] = str(cell).strip()
    base = rec.get("base")
    if base is not None and not _is_blank(base):
        number = _number(base, "base", where, "proportion", top=math.inf)
        if number is not None and number <= 0:
            raise RateTableError(
                f"{where}: column base: value {number:g} is not a positive number of "
                "people; the base is the survey's unweighted sample size for the cell",
                column="base",
                rule="base > 0",
                values=[base],
            )
        out["base"] = number
    method = rec.get("interval_method")
    if method is not None and not _is_blank(method):
        text = str(method).strip()
        allowed = ("published", "design_factor", "none_in_sample")
        if text not in allowed:
            raise RateTableError(
                f"{where}: column interval_method: value {method!r} is not one of "
                f"{', '.join(allowed)}",
                column="interval_method",
                rule="interval_method in published, design_factor, none_in_sample",
                values=[method],
            )
        out["interval_method"] = text
    return out


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _number(
    value: object, column: str, where: str, unit: str, *, top: float | None = None
) -> float | None:
    if _is_blank(value) or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        raise RateTableError(
            f"{where}: column {column}: value {value!r} is true/false, not a number",
            column=column,
            rule="numeric",
            values=[value],
        )
    try:
        if isinstance(value, str) and "_" in value:
            raise ValueError(value)  # Python's float() reads 6_8 as 68
        number = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type,unused-ignore]
    except (TypeError, ValueError):
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+,[0-9]+\s*", value):
            text = value.strip()
            hint = (
                f"; a comma is ambiguous (a decimal comma, {text.replace(',', '.')}, or a "
                f"thousands separator, {text.replace(',', '')}): write the figure with a "
                "decimal point and no thousands separators"
            )
        raise RateTableError(
            f"{where}: column {column}: value {value!r} is not a number{hint}",
            column=column,
            rule="numeric",
            values=[value],
        ) from None
    if not math.isfinite(number):
        raise RateTableError(
            f"{where}: column {column}: value {value!r} is not a finite number",
            column=column,
            rule="finite",
            values=[value],
        )
    if top is None:
        top = UNIT_MAX[unit]
    if number < 0 or number > top:
        raise RateTableError(
            f"{where}: column {column}: value {number:g} is outside 0..{top:g}, "
            f"the range for unit {unit}",
            column=column,
            rule=f"0 <= {column} <= {top:g} ({unit})",
            values=[value],
        )
    return number
