"""The provenance's coverage by condition equals pandas' group-by sum (Hypothesis).

``mhneed.engine.provenance.coverage_by_condition`` adds each column in row order with
one count; the conditions must come in the order, and whole numbers to the very
totals, that ``coverage.groupby("condition", observed=True, sort=False).sum()`` gives
(fractional ones to within rounding: the group-by compensates its sums).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mhneed.engine.provenance import coverage_by_condition

COLUMNS = ["population", "in_scope", "too_young", "too_old", "wrong_sex"]


@st.composite
def coverage_frames(draw: st.DrawFn) -> pd.DataFrame:
    """Coverage rows for some conditions (categories possibly unused), whole or fractional."""
    categories = draw(st.permutations(["gad", "ptsd", "ocd", "psychosis"]))
    n = draw(st.integers(0, 30))
    conditions = draw(st.lists(st.sampled_from(categories[:3]), min_size=n, max_size=n))
    whole = draw(st.booleans())
    number = (
        st.integers(0, 10**9).map(float)
        if whole
        else st.floats(0, 1e7, allow_nan=False, allow_infinity=False)
    )
    data: dict[str, object] = {"condition": pd.Categorical(conditions, categories=list(categories))}
    for col in COLUMNS:
        data[col] = draw(st.lists(number, min_size=n, max_size=n))
    return pd.DataFrame(data)


@given(coverage_frames())
def test_coverage_by_condition_equals_a_group_by_sum(coverage: pd.DataFrame) -> None:
    sums = coverage.groupby("condition", observed=True, sort=False)[COLUMNS].sum()
    expected = {str(c): {k: float(v) for k, v in row.items()} for c, row in sums.iterrows()}
    got = coverage_by_condition(coverage, COLUMNS)
    assert list(got) == list(expected)
    whole = bool((coverage[COLUMNS] % 1 == 0).all().all())
    for cond, row in expected.items():
        for col, value in row.items():
            if whole:
                assert got[cond][col].hex() == value.hex()
            else:
                assert got[cond][col] == pytest.approx(value, rel=1e-12, abs=1e-9)
