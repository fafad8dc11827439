"""Unit tests for mhneed.inputs.key_groups: key columns checked and coded into key groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError
from mhneed.inputs.population import validate_population


def pop(**cols: object) -> pd.DataFrame:
    """A small population frame; defaults give two rows."""
    base: dict[str, object] = {
        "area_code": ["A", "A"],
        "sex": ["female", "male"],
        "age": [20, 20],
        "population": [10, 12],
    }
    base.update(cols)
    return pd.DataFrame({k: v for k, v in base.items() if v is not None})


def test_missing_key_value() -> None:
    """A key column with a missing value is refused."""
    with pytest.raises(InputError) as info:
        validate_population(pop(area_code=["A", None]))
    assert (
        str(info.value)
        == "column area_code: missing values in rows 1; key columns must be filled in"
    )


def test_no_keys_one_group() -> None:
    """A frame with no key columns is one group."""
    p = validate_population(pop().drop(columns=["area_code"]))
    assert p.keys == []
    assert p.n_groups == 1


def test_groups_sorted_and_dtypes_kept() -> None:
    """Key groups are in sorted key order and keep the input's dtypes."""
    frame = pd.DataFrame(
        {
            "area": ["B", "A", "B", "A"],
            "year": [2020, 2021, 2020, 2021],
            "sex": ["f", "f", "m", "m"],
            "age": [1, 1, 1, 1],
            "population": [1, 2, 3, 4],
        }
    )
    p = validate_population(frame)
    assert p.groups.to_dict("list") == {"area": ["A", "B"], "year": [2021, 2020]}
    assert p.groups["year"].dtype == np.int64
    assert p.group.tolist() == [1, 0, 1, 0]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([0, 1, 2, 3], ["A", "B", "C", "D"]),  # in order, every category used
        ([0, 1, 0, 3], ["A", "B", "D"]),  # as many changes as in order, but C unused
        ([0, 0, 1, 3], ["A", "B", "D"]),  # in order, C unused
        ([3, 2, 1, 0], ["A", "B", "C", "D"]),  # every category, rows reversed
    ],
)
def test_unused_categories_are_no_groups(codes: list[int], expected: list[str]) -> None:
    """A categorical key's categories with no rows make no group, whatever the row order."""
    area = pd.Categorical.from_codes(codes, categories=["A", "B", "C", "D"])
    frame = pop(area_code=area, sex=["female"] * 4, age=[20, 21, 22, 23], population=[1, 2, 3, 4])
    p = validate_population(frame)
    assert p.groups["area_code"].tolist() == expected
    assert p.totals.tolist() == [
        float(sum(v for c, v in zip(codes, [1, 2, 3, 4], strict=True) if c == k))
        for k in sorted(set(codes))
    ]


def test_one_year_beside_areas_codes_as_one_value() -> None:
    """A year column with one value (one year of a projection) keeps its value and dtype."""
    frame = pop(year=np.array([2031, 2031], dtype=np.int32))
    p = validate_population(frame)
    assert p.groups.to_dict("list") == {"area_code": ["A"], "year": [2031]}
    assert p.groups["year"].dtype == np.int32


# -- area names that differ only invisibly, one code with two names (issue 15) ------------


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        (["Rutland", "Rutland\u200b"], "'Rutland', 'Rutland\\u200b'"),
        (["Caf\u00e9", "Cafe\u0301"], "'Cafe\\u0301', 'Caf\\xe9'"),
        (["Rutland", "Rutland\ufeff"], "'Rutland', 'Rutland\\ufeff'"),
        (
            ["Bath and NE Somerset", "Bath and\u00a0NE Somerset"],
            "'Bath and NE Somerset', 'Bath and\\xa0NE Somerset'",
        ),
    ],
)
def test_area_names_that_print_alike_are_refused(names: list[str], shown: str) -> None:
    """Names in two Unicode forms, or with a zero-width character, would split an area."""
    frame = pd.DataFrame(
        {
            "area_code": ["E06000017", "E06000016"],
            "area_name": names,
            "sex": "female",
            "age": 30,
            "population": [100.0, 200.0],
        }
    )
    with pytest.raises(InputError) as info:
        validate_population(frame)
    assert str(info.value) == (
        f"column area_name: values {shown} (rows 0, 1) look the same but differ (spaces, "
        "invisible characters or Unicode forms in the text, or a number and a text), so they "
        "would be counted as separate groups; make them the same"
    )
    assert info.value.rule == "key values distinct as printed"


def test_one_code_two_names_is_refused() -> None:
    """An area code carrying two names (Rutland, Rutland UA) would split the area in two."""
    frame = pd.DataFrame(
        {
            "area_code": ["E06000017", "E06000017", "E06000016"],
            "area_name": ["Rutland", "Rutland UA", "Leicester"],
            "sex": "female",
            "age": [30, 31, 30],
            "population": [100.0, 200.0, 300.0],
        }
    )
    with pytest.raises(InputError) as info:
        validate_population(frame)
    assert str(info.value) == (
        "column area_name: area_code E06000017 has 2 names, 'Rutland', 'Rutland UA' (rows 0, "
        "1), so its people would be counted as separate areas; give each area code one name"
    )
    assert (info.value.column, info.value.rule) == ("area_name", "one name per area code")
    assert info.value.rows is not None
    assert list(info.value.rows.index) == [0, 1]


def test_one_code_two_names_in_births_is_refused() -> None:
    """The same rule holds for births frames (estimate_perinatal)."""
    births = pd.DataFrame(
        {
            "area_code": ["E06000017", "E06000017"],
            "area_name": ["Rutland", "Rutland UA"],
            "year": [2014, 2014],
            "births": [300.0, 41.0],
        }
    )
    with pytest.raises(InputError, match="area_code E06000017 has 2 names"):
        mhneed.estimate_perinatal(births, denominator="live_births")
