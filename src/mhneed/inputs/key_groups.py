"""The key columns of an input: checked, and coded into key groups.

A population's (or births frame's) key columns are every column other than the
counts, sex and age: area code, area name, year, anything. Each distinct
combination of their values is a *key group* (one area in one year), and the engine
works with a dense code per row (:func:`key_groups`). Key values must be filled in
and distinct as printed: ``2014`` and ``"2014"``, or ``"E06000017"`` and
``"E06000017 "``, would split one group in two, and an area code with two names
would count one area twice; each is refused with the rows that hold it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._group_ids import codes_of, group_ids
from mhneed._text import (
    MISSING_TEXT,
    means_missing,
    plain_text,
    printed,
    printed_all,
    quoted_apart,
)
from mhneed.errors import InputError
from mhneed.inputs.column_checks import quote, row_labels, unhashable

__all__ = ["RESERVED_COLUMNS", "key_groups"]

#: Output column names that a key column may not use.
RESERVED_COLUMNS = frozenset(
    {
        "condition",
        "rate",
        "lower",
        "upper",
        "cases",
        "cases_lower",
        "cases_upper",
        "interval",
        "source",
        "in_scope",
        "too_young",
        "too_old",
        "wrong_sex",
        # added by to_frame, the tidy CSV and compare (a key of this name was overwritten)
        "rounding",
        "table",
        "recorded",
        "share_met",
        "share_met_lower",
        "share_met_upper",
    }
)

IntArray = npt.NDArray[np.int64]


def key_groups(frame: pd.DataFrame, keys: list[str]) -> tuple[IntArray, pd.DataFrame]:
    """Dense key-group codes per row (in sorted key order) and one row per group."""
    n = len(frame)
    if not keys:
        return np.zeros(n, dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    per_key: list[tuple[IntArray, pd.Index]] = []
    for key in keys:
        try:
            codes, uniques = codes_of(frame[key])
        except TypeError:
            raise unhashable(frame[key], key) from None
        if (codes < 0).any():
            raise InputError(
                f"column {key}: missing values in rows "
                f"{row_labels(frame.index[codes < 0])}; key columns must be filled in",
                column=key,
                rule="no missing keys",
                values=[None],
                rows=frame[codes < 0].head(10),
            )
        _check_key_values(frame, key, codes, uniques)
        per_key.append((codes, uniques))
    varying = [i for i, (_, uniques) in enumerate(per_key) if len(uniques) > 1]
    one = varying[0] if len(varying) == 1 else 0
    only = per_key[one]
    if len(varying) <= 1 and _every_value_used(frame[keys[one]], *only):
        # one key that varies, every value used (an area code column, perhaps beside one
        # year): its codes are the groups, and every other key has its one value
        group = only[0]
        group_codes = [
            np.arange(len(uniques), dtype=np.int64)
            if codes is only[0]
            else np.zeros(len(only[1]), dtype=np.int64)
            for codes, uniques in per_key
        ]
    else:
        group, rep = group_ids([c for c, _ in per_key], [len(u) for _, u in per_key])
        group_codes = [codes[rep] for codes, _ in per_key]
    groups = pd.DataFrame(
        {
            key: _group_column(frame[key], uniques, codes)
            for key, (_, uniques), codes in zip(keys, per_key, group_codes, strict=True)
        }
    )
    if "area_code" in keys and "area_name" in keys:
        _check_one_name_per_code(frame, per_key[keys.index("area_code")], groups)
    return group, groups


# -- private helpers ---------------------------------------------------------------


def _every_value_used(column: pd.Series, codes: IntArray, uniques: pd.Index) -> bool:
    """Whether every value of ``uniques`` has a row (only a categorical can list unused ones).

    Rows in order of a categorical's codes (as readers give them) are read from its own
    small codes: sorted codes from 0 that step up one at a time use every value.
    """
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return True  # factorized or offset codes: only the values present
    own = column.cat.codes.to_numpy()
    if len(own) and own[0] == 0 and own[-1] == len(uniques) - 1:
        steps = own[1:] != own[:-1]
        if int(np.count_nonzero(steps)) == len(uniques) - 1 and bool(np.all(own[1:] >= own[:-1])):
            return True
    return bool(np.bincount(codes, minlength=len(uniques)).all())


def _check_key_values(frame: pd.DataFrame, key: str, codes: IntArray, uniques: pd.Index) -> None:
    """Key values must be filled in and distinct as written: no blank text, no text that
    means missing, and no two values that print the same (``2014`` and ``"2014"``,
    ``"E06000017"`` and ``"E06000017 "``), which would split one group in two."""
    if len(uniques) == 0 or (
        pd.api.types.is_numeric_dtype(uniques.dtype) or pd.api.types.is_bool_dtype(uniques.dtype)
    ):
        return
    plain = plain_text(uniques)
    if plain is not None and plain.all() and not means_missing(uniques).any():
        return  # each prints as itself (so they are distinct), and none means missing
    text = pd.Series(printed_all(uniques), dtype=object)
    blank = (text == "") | text.str.lower().isin(MISSING_TEXT)
    alike = text.duplicated(keep=False)
    if not (blank.any() or alike.any()):
        return
    used = np.zeros(len(uniques), dtype=bool)  # a categorical may list unused categories
    used[codes[codes >= 0]] = True
    blank &= used
    if blank.any():
        value = uniques[int(np.flatnonzero(blank)[0])]
        rows = codes == int(np.flatnonzero(blank)[0])
        what = "blank" if printed(value) == "" else "text that means a missing value"
        raise InputError(
            f"column {key}: value {value!r} (rows {row_labels(frame.index[rows])}) is {what}; "
            "key columns must be filled in",
            column=key,
            rule="no missing keys",
            values=[value],
            rows=frame[rows].head(10),
        )
    twins = text[used].duplicated(keep=False).reindex(text.index, fill_value=False).to_numpy()
    if twins.any():
        first = text[twins].iloc[0]
        same = np.flatnonzero(twins & (text == first).to_numpy())
        values = [uniques[int(i)] for i in same]
        rows = np.isin(codes, same)
        raise InputError(
            f"column {key}: values {quoted_apart(values)} (rows {row_labels(frame.index[rows])}) "
            "look the same but differ (spaces, invisible characters or Unicode forms in the "
            "text, or a number and a text), so they would be counted as separate groups; "
            "make them the same",
            column=key,
            rule="key values distinct as printed",
            values=values,
            rows=frame[rows].head(10),
        )


def _check_one_name_per_code(
    frame: pd.DataFrame, code_key: tuple[IntArray, pd.Index], groups: pd.DataFrame
) -> None:
    """One area code, one name: two names for a code would split the area in two."""
    pairs = groups[["area_code", "area_name"]].drop_duplicates()
    twice = pairs["area_code"].duplicated(keep=False).to_numpy()
    if not twice.any():
        return
    code = pairs.loc[twice, "area_code"].iloc[0]
    names = list(dict.fromkeys(pairs.loc[pairs["area_code"] == code, "area_name"]))
    codes, uniques = code_key
    rows = codes == uniques.get_loc(code)
    raise InputError(
        f"column area_name: area_code {code} has {len(names)} names, {quote(names)} (rows "
        f"{row_labels(frame.index[rows])}), so its people would be counted as separate "
        "areas; give each area code one name",
        column="area_name",
        rule="one name per area code",
        values=names,
        rows=frame[rows].head(10),
    )


def _group_column(column: pd.Series, uniques: pd.Index, codes: IntArray) -> pd.Series:
    """One key column of the groups frame: numbers stay numbers; text becomes categorical."""
    dtype = column.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        return pd.Series(uniques.take(codes), dtype=dtype)
    if (
        isinstance(dtype, pd.CategoricalDtype)
        and not dtype.ordered
        and len(codes) == len(uniques)
        and np.array_equal(codes, np.arange(len(codes)))
    ):  # every category, in its own order: the column's own type
        return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype))
    used = np.unique(codes)
    remap = np.full(len(uniques), -1, dtype=np.int64)
    remap[used] = np.arange(len(used), dtype=np.int64)
    return pd.Series(pd.Categorical.from_codes(remap[codes], categories=uniques.take(used)))
