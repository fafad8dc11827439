"""Integer codes of a key column equal pandas' sorted factorize, whatever the column (Hypothesis).

``mhneed._group_ids.codes_of`` codes integer columns by offset from their least
value when they span few values (a year, an age), without hashing; every other
column goes through ``pandas.factorize(sort=True)``. Both ways must give the same
codes and the same values, of the same dtype, for every integer dtype, at the ends
of its range, for one value or many, and with gaps between the values used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from mhneed._group_ids import codes_of

INTEGER_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


@st.composite
def integer_columns(draw: st.DrawFn) -> pd.Series:
    """A column of one integer dtype: values near its least, its greatest, zero, or anywhere."""
    dtype = np.dtype(draw(st.sampled_from(INTEGER_DTYPES)))
    info = np.iinfo(dtype)
    width = min(draw(st.sampled_from([1, 2, 5, 60, 5_000])), int(info.max) - int(info.min) + 1)
    base = draw(
        st.one_of(
            st.sampled_from([int(info.min), int(info.max) - width + 1, 0]),
            st.integers(int(info.min), int(info.max) - width + 1),
        )
    )
    base = max(int(info.min), min(base, int(info.max) - width + 1))
    offsets = draw(st.lists(st.integers(0, width - 1), min_size=1, max_size=40))
    spread = draw(st.booleans())  # a value far away: the codes fall back to hashing
    values = [base + k for k in offsets]
    if spread:
        values.append(int(info.max) if base < 0 or dtype.kind == "u" else int(info.min))
    return pd.Series(np.array(values, dtype=dtype))


@given(integer_columns())
def test_integer_codes_equal_sorted_factorize(column: pd.Series) -> None:
    before = column.copy()
    codes, uniques = codes_of(column)
    expected_codes, expected_uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
    assert codes.dtype == np.int64
    np.testing.assert_array_equal(codes, expected_codes)
    pd.testing.assert_index_equal(uniques, pd.Index(expected_uniques), exact=True)
    pd.testing.assert_series_equal(column, before)  # the caller's column is never written


@given(st.lists(st.integers(1990, 2050), min_size=1, max_size=60))
def test_year_columns_code_as_sorted_positions(years: list[int]) -> None:
    codes, uniques = codes_of(pd.Series(years, dtype="int64"))
    assert list(uniques) == sorted(set(years))
    assert [uniques[c] for c in codes] == years
