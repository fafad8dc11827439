"""Unit tests for mhneed.inputs.sex: sex labels read as codes, and their messages."""

from __future__ import annotations

import pandas as pd
import pytest

from mhneed.errors import InputError
from mhneed.inputs.population import validate_population
from mhneed.inputs.sex import normalise_sex


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
