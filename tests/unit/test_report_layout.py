"""Unit tests for the layouts of a report (mhneed.outputs.report_layout)."""

from __future__ import annotations

import numpy as np
import pytest

import mhneed
from mhneed.outputs.report_layout import format_range, place
from mhneed.outputs.report_table import report_table
from tests.helpers import AGE_BANDS
from tests.unit.test_report_table import rutland


def test_to_text_layout() -> None:
    """The text has the title, a heading per area, a table per block, then the notes."""
    rep = report_table(mhneed.estimate(rutland(), "apms_2007_psychosis"))
    lines = rep.to_text().splitlines()
    assert lines[0] == "Estimated number of people with each condition"
    assert lines[3] == "Rutland (E06000017), 2014"
    assert lines[5] == "Women"
    assert lines[6].split() == [
        "Condition",
        "Period",
        "Ages",
        "Population",
        *AGE_BANDS,
        "All",
    ]
    assert lines[7].split()[-2:] == ["0", "70"]
    assert "Men" in lines
    assert "All people" in lines
    assert lines[lines.index("All people") + 2].split()[-1] == "103"


def test_format_range_and_place() -> None:
    """The cell format and the heading of a key group."""
    nan = float("nan")
    assert format_range(1387.8, 1198.6, 1577.1) == "1,388 (1,199–1,577)"
    assert format_range(1387.8, nan, nan) == "1,388"
    assert format_range(nan, 0.68, 0.68, range_only=True) == "1"
    assert format_range(7.0, 5.5, 9.0, decimals=1) == "7.0 (5.5–9.0)"
    assert format_range(nan, nan, nan) == ""
    assert place({"area_code": "E06000017", "area_name": "Rutland", "year": 2014}) == (
        "Rutland (E06000017), 2014"
    )
    assert place({"group": "North lot", "ward": "W1"}) == "North lot, ward W1"
    assert place({"area_code": "E06000017"}) == "E06000017"


def test_numbers_are_numbers() -> None:
    """numbers() holds floats, with low and high beside each figure."""
    rep = report_table(mhneed.estimate(rutland(), "apms_2014", conditions=["ptsd"]))
    nums = rep.numbers()
    assert list(nums.columns[-4:]) == ["All", "All low", "All high", "Range"]
    row = nums.iloc[0]
    assert row["All"] == pytest.approx(31542 * 0.044)
    assert row["All low"] == pytest.approx(31542 * 0.038)
    assert row["All high"] == pytest.approx(31542 * 0.050)
    assert nums["Population"].dtype == np.float64
