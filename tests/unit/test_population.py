"""Unit tests for mhneed.population: the population boundary and its messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.bands import AgeBand
from mhneed.errors import InputError, MissingColumnError
from mhneed.population import normalise_sex, validate_population


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


def test_valid_population_codes() -> None:
    """Keys, sex codes, single-year units and values come out as arrays."""
    p = validate_population(pop())
    assert p.keys == ["area_code"]
    assert p.groups["area_code"].tolist() == ["A"]
    assert p.sex.tolist() == [0, 1]
    assert p.unit.tolist() == [20, 20]
    assert p.units[20] == AgeBand(20, 20)
    assert p.population.tolist() == [10.0, 12.0]
    assert p.dense().sum() == 22.0


@pytest.mark.parametrize(
    ("labels", "codes"),
    [
        (["female", "male"], [0, 1]),
        (["F", "M"], [0, 1]),
        (["Female", "Male"], [0, 1]),
        ([" women ", "MEN"], [0, 1]),
        ([2, 1], [0, 1]),
        ([2.0, 1.0], [0, 1]),
        (["2", "1"], [0, 1]),
    ],
)
def test_sex_labels(labels: list[object], codes: list[int]) -> None:
    """The usual sex codings are all accepted (ONS and Nomis: 1 male, 2 female)."""
    assert normalise_sex(pd.Series(labels)).tolist() == codes


def test_sex_categorical() -> None:
    """A categorical sex column is read through its categories."""
    assert normalise_sex(pd.Series(["M", "F", "M"], dtype="category")).tolist() == [1, 0, 1]


def test_unknown_sex_labels_listed() -> None:
    """Unknown labels are listed with their rows."""
    with pytest.raises(InputError) as info:
        validate_population(pop(sex=["female", "x"]))
    assert str(info.value) == (
        "column sex: unknown label 'x' (rows 1); use female/male, F/M, or the ONS codes "
        "2 (female) and 1 (male)"
    )
    assert info.value.values == ("x",)


def test_persons_rows_refused() -> None:
    """Rows for both sexes together are refused with their rows."""
    with pytest.raises(InputError) as info:
        validate_population(pop(sex=["female", "persons"]))
    assert str(info.value) == (
        "column sex: 'persons' is both sexes together (rows 1); give the population as "
        "separate female and male rows"
    )


@pytest.mark.parametrize("missing", ["sex", "population"])
def test_missing_columns(missing: str) -> None:
    """A missing required column is named, with the columns the frame has."""
    frame = pop().drop(columns=[missing])
    with pytest.raises(MissingColumnError) as info:
        validate_population(frame)
    have = ", ".join(frame.columns)
    assert str(info.value) == (
        f"population frame: missing column {missing!r}; a population needs columns sex, "
        f"age (or age_band) and population, plus any key columns; it has: {have}"
    )


def test_missing_age() -> None:
    """Neither age nor age_band: the message says both are options."""
    with pytest.raises(MissingColumnError) as info:
        validate_population(pop().drop(columns=["age"]))
    assert str(info.value) == (
        "population frame: missing column 'age' (or 'age_band'); a population needs single "
        "years of age or age bands; it has: area_code, sex, population"
    )


def test_both_age_and_band() -> None:
    """Age and age_band together are ambiguous."""
    with pytest.raises(InputError, match="has both 'age' and 'age_band'"):
        validate_population(pop(age_band=["16-24", "16-24"]))


def test_empty() -> None:
    """An empty frame is refused."""
    with pytest.raises(InputError) as info:
        validate_population(pop().iloc[0:0])
    assert str(info.value) == "population is empty: the frame has no rows"


def test_thousands_separators_point_to_readers() -> None:
    """Numbers as text with thousands separators point the user to the readers."""
    with pytest.raises(InputError) as info:
        validate_population(pop(population=["1,234", "12"]))
    assert str(info.value) == (
        "column population: value '1,234' (rows 0) is text with thousands separators, not a "
        "number; read ONS files with mhneed.read_ons_mye2 or mhneed.read_nomis, or read the "
        "CSV with pandas.read_csv(..., thousands=',')"
    )


def test_text_population() -> None:
    """Text that is not a number is named."""
    with pytest.raises(InputError) as info:
        validate_population(pop(population=["ten", "12"]))
    assert str(info.value) == "column population: value 'ten' (rows 0) is not a number"


def test_numeric_text_population_is_accepted() -> None:
    """Numbers held as text (without separators) are read as numbers."""
    assert validate_population(pop(population=["10", "12.5"])).population.tolist() == [10.0, 12.5]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            [np.nan, 1.0],
            "column population: values are missing (NaN) in rows 0; every population must be "
            "a finite number",
        ),
        (
            [np.inf, 1.0],
            "column population: values are not finite (NaN or infinite) in rows 0; every "
            "population must be a finite number",
        ),
        (
            [5.0, -1.0],
            "column population: negative value -1 in rows 1; a population cannot be negative",
        ),
    ],
)
def test_population_values(values: list[float], message: str) -> None:
    """NaN, infinite and negative counts are refused with their rows."""
    with pytest.raises(InputError) as info:
        validate_population(pop(population=values))
    assert str(info.value) == message


def test_fractional_population_allowed() -> None:
    """Projections have decimals: they are accepted."""
    assert validate_population(pop(population=[10.25, 0.5])).population.sum() == 10.75


@pytest.mark.parametrize(
    ("ages", "message"),
    [
        ([20.5, 20], "column age: value 20.5 (rows 0) is not a whole number of years"),
        ([-1, 20], "column age: value -1 (rows 0) is outside the rule 0 <= age <= 120"),
        ([121, 20], "column age: value 121 (rows 0) is outside the rule 0 <= age <= 120"),
        (
            ["90+", "20"],
            "column age: value '90+' (rows 0) is not a whole number of years; for a "
            "top-coded age such as '90+' give the number (90) and top_age=90, or use an age_band column",
        ),
        ([None, 20], "column age: missing values in rows 0"),
    ],
)
def test_age_rules(ages: list[object], message: str) -> None:
    """Ages must be whole years in 0..120."""
    with pytest.raises(InputError) as info:
        validate_population(pop(age=ages))
    assert str(info.value) == message


def test_age_above_top_age() -> None:
    """With a top-coded age, older single years are refused."""
    with pytest.raises(InputError) as info:
        validate_population(pop(age=[91, 20]), top_age=90)
    assert str(info.value) == (
        "column age: value 91 (rows 0) is outside the rule 0 <= age <= top_age (90); "
        "top_age=90 means 90 is the oldest age, standing for 90+"
    )


def test_top_age_unit_is_open() -> None:
    """The top-coded age becomes an open-ended unit."""
    p = validate_population(pop(age=[90, 20]), top_age=90)
    assert p.units[90] == AgeBand(90, None)


def test_duplicate_rows() -> None:
    """The same key, sex and age twice is refused, listing the rows."""
    frame = pop(sex=["female", "female"])
    with pytest.raises(InputError) as info:
        validate_population(frame)
    assert str(info.value) == (
        "population frame: duplicate rows for the same area_code, sex, age (rows 0, 1); "
        "each key, sex and age must appear once"
    )
    assert info.value.rows is not None
    assert len(info.value.rows) == 2


def test_missing_key_value() -> None:
    """A key column with a missing value is refused."""
    with pytest.raises(InputError) as info:
        validate_population(pop(area_code=["A", None]))
    assert (
        str(info.value)
        == "column area_code: missing values in rows 1; key columns must be filled in"
    )


def test_reserved_key_name() -> None:
    """A key column named like an output column is refused."""
    with pytest.raises(InputError, match="key column 'cases' has the name of an output column"):
        validate_population(pop(cases=[1, 2]))


def test_bands_accepted_and_merged() -> None:
    """Bands written two ways are one unit; units are sorted."""
    frame = pd.DataFrame(
        {
            "sex": ["female", "male", "female"],
            "age_band": ["25+", "16–24", "16-24"],
            "population": [1, 2, 3],
        }
    )
    p = validate_population(frame)
    assert p.units == (AgeBand(16, 24), AgeBand(25, None))
    assert p.unit.tolist() == [1, 0, 0]
    assert p.banded


def test_overlapping_population_bands() -> None:
    """Population bands that overlap would double count: refused."""
    frame = pd.DataFrame(
        {"sex": ["female", "female"], "age_band": ["16-24", "20-29"], "population": [1, 2]}
    )
    with pytest.raises(InputError) as info:
        validate_population(frame)
    assert str(info.value) == (
        "column age_band: the age bands must cover ages 16-29 exactly once; ages covered "
        "twice: 20-24 (in both 16-24 and 20-29); population bands must not overlap or leave gaps"
    )


def test_gapped_population_bands() -> None:
    """A gap between population bands is refused."""
    frame = pd.DataFrame(
        {"sex": ["female", "female"], "age_band": ["16-24", "35+"], "population": [1, 2]}
    )
    with pytest.raises(InputError, match="ages not covered: 25-34"):
        validate_population(frame)


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
