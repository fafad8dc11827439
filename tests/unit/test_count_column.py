"""Unit tests for mhneed.inputs.count_column: the population counts and their messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

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
