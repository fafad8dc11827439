"""The survey bases a user gives for Wilson intervals: a frame or a dict, read and checked.

:meth:`Estimate.with_survey_bases <mhneed.engine.results.Estimate.with_survey_bases>`
takes the survey's unweighted base and its design factor (``deft``) or design effect
(``deff``) for cells of the rate table, as a frame with columns ``condition, sex,
age_band, base`` and ``deft`` or ``deff``, or a dict ``{(condition, sex, age_band):
{"base": n, "deft": f}}``. :func:`read_bases` checks every rule (a named design
column, numbers above 0, each cell of the table at most once) and returns them
keyed by the table's cells, with the design effect (``deft²`` for a deft).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from mhneed.errors import AgeBandError, InputError, MissingColumnError
from mhneed.published.bands import parse_band

if TYPE_CHECKING:
    from mhneed.published.rates import RateTable

__all__ = ["read_bases"]


def read_bases(
    bases: pd.DataFrame | Mapping[Any, Any], table: RateTable
) -> dict[tuple[str, str, str], tuple[float, float]]:
    """The bases as ``{(condition, sex, age_band): (base, design_effect)}``, checked."""
    where = "with_survey_bases"
    records = _records(bases, where)
    rows: dict[tuple[str, str, str], tuple[float, float]] = {}
    first: dict[tuple[str, str, str], int] = {}
    for i, (cond, sex, band, base, factor, design) in enumerate(records, start=1):
        key = _checked_key(table, i, (cond, sex, band), (base, factor, design), where)
        if key in rows:
            raise InputError(
                f"{where}: bases rows {first[key]} and {i} both give condition {key[0]}, sex "
                f"{key[1]}, age_band {key[2]}; give each cell once",
                column="condition",
                rule="one base per cell",
                values=[key],
            )
        first[key] = i
        number = float(factor)
        rows[key] = (float(base), number**2 if design == "deft" else number)
    return rows


# -- private helpers ---------------------------------------------------------------

_BASE_COLUMNS = ("condition", "sex", "age_band", "base")
_DESIGN = ("deft", "deff")
_AMBIGUOUS = (
    "survey tables print the design factor (deft: APMS 2014's chapter 14 tables, against "
    "the weighted base), while the design effect is its square (deff = deft²); a deft "
    "taken for a deff gives intervals too narrow"
)


def _records(bases: pd.DataFrame | Mapping[Any, Any], where: str) -> list[tuple[Any, ...]]:
    """The bases as (condition, sex, age_band, base, deft or deff, which) records."""
    if isinstance(bases, pd.DataFrame):
        design = _design_column(bases, where)
        for col in _BASE_COLUMNS:
            if col not in bases.columns:
                have = ", ".join(map(str, bases.columns)) or "none"
                raise MissingColumnError(
                    f"{where}: bases has no column {col!r}; it needs condition, sex, age_band, "
                    f"base and deft or deff (1 for a simple random sample); it has: {have}",
                    column=col,
                    rule="bases columns",
                    values=[col],
                )
        columns = [*_BASE_COLUMNS, design]
        records = [(*r, design) for r in bases[columns].itertuples(index=False, name=None)]
    elif isinstance(bases, Mapping):
        records = []
        for key, value in bases.items():
            records.append((*_dict_key(key, value, where), *_dict_value(key, value, where)))
    else:
        raise InputError(
            f"{where}: bases must be a DataFrame with columns condition, sex, age_band, base "
            "and deft (or deff), or a dict of (condition, sex, age_band) to {'base': n, "
            f"'deft': f}}, not {type(bases).__name__}",
            column="bases",
            rule="bases is a DataFrame or a dict",
            values=[type(bases).__name__],
        )
    if not records:
        raise InputError(
            f"{where}: bases is empty; give a base and design effect for at least one cell",
            column="bases",
            rule="at least one base",
        )
    return records


def _checked_key(
    table: RateTable,
    i: int,
    cell: tuple[object, object, object],
    given: tuple[object, object, str],
    where: str,
) -> tuple[str, str, str]:
    """Record ``i``'s cell of the rate table, after checking its band, cell and numbers."""
    cond, sex, band = cell
    base, factor, design = given
    what = f"row {i} (condition {cond}, sex {sex}, age_band {band})"
    try:
        band_text = str(parse_band(str(band)))
    except AgeBandError as exc:
        raise InputError(
            f"{where}: bases {what}: column age_band: {exc}",
            column="age_band",
            rule="age band format",
            values=[band],
        ) from None
    key = (str(cond).strip(), str(sex).strip().lower(), band_text)
    if not any(
        r.condition == key[0] and r.sex == key[1] and r.age_band == key[2] for r in table.rows
    ):
        raise InputError(
            f"{where}: bases {what}: rate table {table.id} has no cell condition "
            f"{key[0]}, sex {key[1]}, age_band {key[2]}; give bases for the table's own "
            "cells",
            column="condition",
            rule="bases name cells of the rate table",
            values=[key],
        )
    for col, value in (("base", base), (design, factor)):
        number = _positive(value)
        if number is None:
            raise InputError(
                f"{where}: bases {what}: column {col}: {value!r} is not a number above 0",
                column=col,
                rule=f"{col} > 0",
                values=[value],
            )
    return key


def _design_column(bases: pd.DataFrame, where: str) -> str:
    """The bases frame's design column: ``deft`` or ``deff``, named, exactly one."""
    given = [c for c in _DESIGN if c in bases.columns]
    if len(given) == 1:
        return given[0]
    if len(given) == 2:
        raise InputError(
            f"{where}: bases has both a deft and a deff column; give one (deff = deft²)",
            column="deff",
            rule="deft or deff, not both",
            values=list(_DESIGN),
        )
    if "design_effect" in bases.columns:
        raise InputError(
            f"{where}: bases column 'design_effect' is ambiguous: {_AMBIGUOUS}; name the "
            "column deft (the design factor) or deff (the design effect)",
            column="design_effect",
            rule="deft or deff, by name",
            values=["design_effect"],
        )
    have = ", ".join(map(str, bases.columns)) or "none"
    raise MissingColumnError(
        f"{where}: bases has no column 'deft' or 'deff'; give the design factor (deft, as "
        "survey tables print it) or the design effect (deff = deft²) for each cell, 1 for a "
        f"simple random sample; it has: {have}",
        column="deft",
        rule="bases columns",
        values=list(_DESIGN),
    )


def _dict_key(key: object, value: object, where: str) -> tuple[object, object, object]:
    if not (isinstance(key, tuple) and len(key) == 3):
        raise InputError(
            f"{where}: a bases dict maps (condition, sex, age_band) to {{'base': n, 'deft': "
            f"f}} (or 'deff'); got {key!r}: {value!r}",
            column="bases",
            rule="(condition, sex, age_band): {base, deft or deff}",
            values=[key],
        )
    return key[0], key[1], key[2]


def _dict_value(key: object, value: object, where: str) -> tuple[object, object, str]:
    named = isinstance(value, Mapping) and set(value) in ({"base", "deft"}, {"base", "deff"})
    if not named:
        why = f" ({_AMBIGUOUS})" if isinstance(value, tuple) else ""
        raise InputError(
            f"{where}: a bases dict maps (condition, sex, age_band) to {{'base': n, 'deft': "
            f"f}} (or 'deff'), naming which is given; got {key!r}: {value!r}{why}",
            column="bases",
            rule="(condition, sex, age_band): {base, deft or deff}",
            values=[key],
        )
    assert isinstance(value, Mapping)
    design = "deft" if "deft" in value else "deff"
    return value["base"], value[design], design


def _positive(value: object) -> float | None:
    """The value as a finite number above 0, else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None
