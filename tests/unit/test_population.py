"""Unit tests for mhneed.inputs.population: the population boundary and its messages."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from mhneed.errors import InputError, MissingColumnError
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


def test_reserved_key_name() -> None:
    """A key column named like an output column is refused."""
    with pytest.raises(InputError, match="key column 'cases' has the name of an output column"):
        validate_population(pop(cases=[1, 2]))


def test_dense_array_is_shared_and_read_only() -> None:
    """The dense array is made once and shared with totals, so no caller can write to it."""
    p = validate_population(pop(population=[10, 12]))
    assert p.dense() is p.dense()
    with pytest.raises(ValueError, match="read-only"):
        p.dense()[:] = 0
    assert p.totals.tolist() == [22.0]


def test_row_order_worked_out_from_the_cells() -> None:
    """Whether rows are in cell order comes from the cells, so a copy with others is not stale."""
    p = validate_population(pop(sex=["female", "male"]))
    assert p.in_order
    flipped = dataclasses.replace(p, cell=p.cell[::-1].copy(), population=p.population[::-1].copy())
    assert not flipped.in_order
    assert flipped.dense().tolist() == p.dense().tolist()


def test_cells_with_two_rows_are_added_up_when_built_directly() -> None:
    """A Population made without validation with one cell twice adds the rows, as a count."""
    p = validate_population(pop(sex=["female", "male"]))
    twice = dataclasses.replace(p, cell=np.array([p.cell[0], p.cell[0]]))
    assert not twice.distinct
    assert twice.dense().sum() == 22.0
    assert twice.dense()[0, p.cell[0]] == 22.0
