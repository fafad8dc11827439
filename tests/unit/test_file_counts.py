"""Unit tests for mhneed.inputs.file_counts: counts as the population files write them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mhneed.inputs.count_column import MAX_COUNT
from mhneed.inputs.file_counts import (
    count_text,
    counts_array,
    parse_count,
    parse_counts,
    too_large,
    too_large_words,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("38,022", 38022.0),
        (" 341 ", 341.0),
        ("12.5", 12.5),
        ("1\u00a0234", 1234.0),
        ("-5", -5.0),
        ("1,23", None),
        ("²", None),
        ("", None),
    ],
)
def test_parse_count(text: str, value: float | None) -> None:
    """Thousands separators and non-breaking spaces are read; other text is not a count."""
    assert parse_count(text) == value


def test_parse_counts_many_at_once() -> None:
    """Many counts at once; anything else (a sign, an inner space, blank) is NaN."""
    got = parse_counts(pd.Series([" 41,225.000", "539", "-1", "1\u00a0234", "", "x"]))
    assert got[:2].tolist() == [41225.0, 539.0]
    assert np.isnan(got[2:]).all()


def test_too_large_counts_array_and_count_text() -> None:
    """Counts above MAX_COUNT are refused; whole counts become int64; messages print alike."""
    assert too_large(MAX_COUNT + 1)
    assert not too_large(MAX_COUNT)
    assert too_large_words().startswith("is more than 10,000,000,000")
    assert counts_array(np.array([1.0, 2.0])).dtype == np.int64
    assert counts_array(np.array([1.5, np.nan])).dtype == np.float64
    assert [count_text(1234.0), count_text(1234.5), count_text(np.nan)] == [
        "1,234",
        "1,234.50",
        "missing",
    ]
