"""Unit tests for mhneed.inputs.row_order: the order of a population reader's rows."""

from __future__ import annotations

import pandas as pd

from mhneed.inputs.row_order import in_long_order


def test_rows_by_year_area_in_file_order_sex_then_age() -> None:
    """Year, then area as first listed, then female before male, then age; line dropped."""
    frame = pd.DataFrame(
        {
            "area_code": ["E2", "E1", "E2", "E1"],
            "year": [2020, 2020, 2019, 2020],
            "sex": ["male", "female", "female", "male"],
            "age": [0, 1, 0, 0],
            "line": [1, 2, 3, 4],
        }
    )
    out = in_long_order(frame)
    assert list(out.columns) == ["area_code", "year", "sex", "age"]
    assert out.index.tolist() == [0, 1, 2, 3]
    assert list(out.itertuples(index=False, name=None)) == [
        ("E2", 2019, "female", 0),
        ("E2", 2020, "male", 0),
        ("E1", 2020, "female", 1),
        ("E1", 2020, "male", 0),
    ]
