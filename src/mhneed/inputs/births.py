"""Births input: a frame of births (or maternities) by key group, validated at the boundary.

A births frame has any key columns (area code, year, anything) and a ``births``
column, or a ``maternities`` column, or both: one row per key group. Counts may be
fractional (an average over several years) and must be finite and not negative.
:func:`validate_births` checks every rule before any work is done and returns the
key groups and counts :func:`mhneed.estimate_perinatal` uses. A ``maternities``
column is preferred when there is one (:func:`count_column`): it is what the JCPMH
rates are per.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.errors import InputError, MissingColumnError
from mhneed.inputs.column_checks import row_labels
from mhneed.inputs.count_column import count_values
from mhneed.inputs.key_groups import RESERVED_COLUMNS, key_groups

__all__ = ["MATERNITIES", "count_column", "validate_births"]

#: Column names a key column of a births frame may not have (they name output columns).
_RESERVED_KEYS = RESERVED_COLUMNS | {"births", "sex", "age_band"}

#: The count column preferred when a births frame has it: what the JCPMH rates are per.
MATERNITIES = "maternities"

FloatArray = npt.NDArray[np.float64]


def count_column(frame: object) -> str:
    """The column the counts are read from: maternities when there is one, else births."""
    if isinstance(frame, pd.DataFrame) and MATERNITIES in frame.columns:
        return MATERNITIES
    return "births"


def validate_births(
    frame: pd.DataFrame, count: str = "births"
) -> tuple[list[str], FloatArray, npt.NDArray[np.int64], pd.DataFrame, float | None]:
    """Key columns, counts, key group per row, the key groups and the unused births' total.

    ``count`` is the column the counts are read from (``births`` or
    ``maternities``); a ``births`` column beside ``maternities`` is checked as
    counts too, and its total returned (``None`` when there is none).
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"births must be a pandas DataFrame with a births column, not "
            f"{type(frame).__name__}; for one count use pd.DataFrame({{'births': [312]}})",
            rule="a DataFrame",
            values=[type(frame).__name__],
        )
    have = ", ".join(map(str, frame.columns)) or "none"
    dupes = frame.columns[frame.columns.duplicated()].tolist()
    if dupes:
        raise InputError(
            f"births frame: column {dupes[0]!r} appears more than once",
            column=str(dupes[0]),
            rule="unique column names",
            values=dupes,
        )
    if count not in frame.columns:
        raise MissingColumnError(
            "births frame: missing column 'births'; give the counts in a column named births "
            "(and say what they count with denominator=), or maternities in a column named "
            f"maternities, plus any key columns; it has: {have}",
            column="births",
            rule="required columns",
            values=["births"],
        )
    if len(frame) == 0:
        raise InputError(
            "births frame is empty: the frame has no rows", column="births", rule="non-empty"
        )
    counts = {count, "births"}
    keys = [c for c in frame.columns if c not in counts]
    _check_key_names(keys)
    values = count_values(
        frame,
        count,
        noun=f"count of {count}",
        huge=f"more {count} than there are people on Earth",
    )
    unused = None
    if count != "births" and "births" in frame.columns:
        unused = float(
            count_values(
                frame,
                "births",
                noun="count of births",
                huge="more births than there are people on Earth",
            ).sum()
        )
    group, groups = key_groups(frame, keys)
    _check_duplicates(frame, keys, group, len(groups), count)
    return keys, values, group, groups, unused


# -- private helpers ---------------------------------------------------------------


def _check_key_names(keys: Sequence[object]) -> None:
    """Key columns named in text, and not with the name of an output column."""
    for key in keys:
        if not isinstance(key, str):
            raise InputError(
                f"births frame: column name {key!r} is not text; name every key column",
                column=str(key),
                rule="column names are text",
                values=[key],
            )
        if key in _RESERVED_KEYS:
            hint = ""
            if key == "sex":
                hint = (
                    "; the rates apply to women giving birth, so sum births over the sex of "
                    "the baby first"
                )
            raise InputError(
                f"births frame: key column {key!r} has the name of an output column{hint}; "
                f"rename or drop it (reserved: {', '.join(sorted(_RESERVED_KEYS))})",
                column=key,
                rule="key names not reserved",
                values=[key],
            )


def _check_duplicates(
    frame: pd.DataFrame,
    keys: list[str],
    group: npt.NDArray[np.int64],
    n_groups: int,
    count: str = "births",
) -> None:
    per_group = np.bincount(group, minlength=n_groups)
    if per_group.max(initial=0) <= 1:
        return
    dup = per_group[group] > 1
    rows = frame[dup].head(10)
    where = f"rows {row_labels(frame.index[dup])}"
    if not keys:
        raise InputError(
            f"births frame: {len(frame)} rows but no key columns ({where}); give one row, or "
            "add key columns (such as area_code, year) that tell the rows apart",
            column=count,
            rule="one row per key group",
            rows=rows,
        )
    raise InputError(
        f"births frame: duplicate rows for the same {', '.join(keys)} ({where}); each key "
        f"group must appear once (sum the {count} first if they are split further)",
        column=keys[0] if len(keys) == 1 else None,
        rule="one row per key group",
        values=[tuple(r) for r in rows[keys].itertuples(index=False)],
        rows=rows,
    )
