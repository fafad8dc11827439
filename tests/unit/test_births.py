"""Unit tests for mhneed.inputs.births: the births frame and its messages."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed import (
    InputError,
    MissingColumnError,
)


def births_frame(**columns: Any) -> pd.DataFrame:
    """A small births frame: two areas, one year, unless told otherwise."""
    data = {"area_code": ["E06000017", "E06000016"], "year": [2016, 2016], "births": [312, 1000]}
    data.update(columns)
    return pd.DataFrame(data)


def estimate(births: pd.DataFrame, **kwargs: Any) -> mhneed.Estimate:
    """estimate_perinatal with maternities unless told otherwise."""
    kwargs.setdefault("denominator", "maternities")
    return mhneed.estimate_perinatal(births, **kwargs)


# -- validating the births frame ------------------------------------------------------


@pytest.mark.parametrize(
    ("births", "error", "message"),
    [
        (
            pd.Series([312]),
            InputError,
            "births must be a pandas DataFrame with a births column, not Series; for one count "
            "use pd.DataFrame({'births': [312]})",
        ),
        (
            pd.DataFrame({"area": ["x"], "population": [312]}),
            MissingColumnError,
            "births frame: missing column 'births'; give the counts in a column named births "
            "(and say what they count with denominator=), or maternities in a column named "
            "maternities, plus any key columns; it has: area, population",
        ),
        (
            pd.DataFrame(columns=["area", "births"]),
            InputError,
            "births frame is empty: the frame has no rows",
        ),
        (
            pd.DataFrame([["x", "y", 1]], columns=["area", "area", "births"]),
            InputError,
            "births frame: column 'area' appears more than once",
        ),
        (
            pd.DataFrame({0: ["x"], "births": [1]}),
            InputError,
            "births frame: column name 0 is not text; name every key column",
        ),
        (
            pd.DataFrame({"area": ["x", "x"], "sex": ["female", "male"], "births": [150, 162]}),
            InputError,
            "births frame: key column 'sex' has the name of an output column; the rates apply to "
            "women giving birth, so sum births over the sex of the baby first; rename or drop it "
            "(reserved: age_band, births, cases, cases_lower, cases_upper, condition, in_scope, "
            "interval, lower, rate, recorded, rounding, sex, share_met, share_met_lower, "
            "share_met_upper, source, table, too_old, too_young, upper, wrong_sex)",
        ),
        (
            pd.DataFrame({"cases": [1], "births": [1]}),
            InputError,
            "births frame: key column 'cases' has the name of an output column; rename or drop "
            "it (reserved: age_band, births, cases, cases_lower, cases_upper, condition, "
            "in_scope, interval, lower, rate, recorded, rounding, sex, share_met, "
            "share_met_lower, share_met_upper, source, table, too_old, too_young, upper, "
            "wrong_sex)",
        ),
        (
            births_frame(births=[True, False]),
            InputError,
            "column births: holds true/false values, not counts",
        ),
        (
            births_frame(births=["312", "many"]),
            InputError,
            "column births: value 'many' (rows 1) is not a number",
        ),
        (
            births_frame(births=["2,847", "312"]),
            InputError,
            "column births: value '2,847' (rows 0) is not a number; it looks like text with "
            "thousands separators: read the CSV with pandas.read_csv(..., thousands=',')",
        ),
        (
            births_frame(births=[312, np.nan]),
            InputError,
            "column births: values are missing (NaN) in rows 1; every count of births must be a "
            "finite number",
        ),
        (
            births_frame(births=[np.inf, np.nan]),
            InputError,
            "column births: values are not finite (NaN or infinite) in rows 0, 1; every count of "
            "births must be a finite number",
        ),
        (
            births_frame(births=[312, -1]),
            InputError,
            "column births: negative value -1 in rows 1; a count of births cannot be negative",
        ),
        (
            births_frame(year=[2016, None]),
            InputError,
            "column year: missing values in rows 1; key columns must be filled in",
        ),
        (
            births_frame(area_code=["E06000017", "E06000017"]),
            InputError,
            "births frame: duplicate rows for the same area_code, year (rows 0, 1); each key "
            "group must appear once (sum the births first if they are split further)",
        ),
        (
            pd.DataFrame({"births": [312, 300]}),
            InputError,
            "births frame: 2 rows but no key columns (rows 0, 1); give one row, or add key "
            "columns (such as area_code, year) that tell the rows apart",
        ),
    ],
)
def test_bad_births(births: Any, error: type[Exception], message: str) -> None:
    """Each rule of the births frame has its own message, raised before any work."""
    with pytest.raises(error) as info:
        estimate(births)
    assert type(info.value) is error
    assert str(info.value) == message


def test_bad_births_error_names_column_rule_and_rows() -> None:
    """The error carries the column, the rule, the values and the offending rows."""
    births = births_frame(births=[312, -1])
    with pytest.raises(InputError) as info:
        estimate(births)
    err = info.value
    assert err.column == "births"
    assert err.rule == "births >= 0"
    assert err.values == (-1.0,)
    assert err.rows is not None
    pd.testing.assert_frame_equal(err.rows, births.iloc[[1]])


def test_duplicate_keys_error_lists_the_keys() -> None:
    """A duplicate key group's values are in the error."""
    with pytest.raises(InputError) as info:
        estimate(births_frame(area_code=["E06000017", "E06000017"]))
    assert info.value.values == (("E06000017", 2016), ("E06000017", 2016))
    assert info.value.rule == "one row per key group"


def test_births_validated_before_the_table_is_used() -> None:
    """Input errors are reported whatever the conditions, before any estimate is made."""
    with pytest.raises(InputError, match="negative value"):
        estimate(births_frame(births=[1, -1]), conditions=["ptsd"])
