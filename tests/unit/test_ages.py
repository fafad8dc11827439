"""Unit tests for mhneed.inputs.ages: single years and age bands as age units, and their messages."""

from __future__ import annotations

import pandas as pd
import pytest

from mhneed.errors import InputError
from mhneed.inputs.population import validate_population
from mhneed.published.bands import AgeBand


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
