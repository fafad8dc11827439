"""Property tests for the shipped age-by-sex APMS 2014 table (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import mhneed

TABLE = mhneed.load_table("apms_2014_by_age_sex")
COUNTS = st.lists(st.integers(0, 5000), min_size=2 * 91, max_size=2 * 91)


def _population(counts: list[int]) -> pd.DataFrame:
    ages = list(range(91))
    return pd.DataFrame(
        {
            "area_code": "E06000017",
            "sex": ["female"] * 91 + ["male"] * 91,
            "age": ages + ages,
            "population": counts,
        }
    )


@settings(max_examples=20, deadline=None)
@given(COUNTS)
def test_cases_lie_between_the_bands_limits(counts: list[int]) -> None:
    """Each condition's cases lie between the sums of its bands' lower and upper limits, and
    the combined limits (quadrature) lie inside those sums."""
    est = mhneed.estimate(_population(counts), TABLE)
    cells = (
        est.to_frame()
        .groupby("condition", observed=True)[["cases", "cases_lower", "cases_upper"]]
        .sum()
    )
    summary = est.summarise(by=["condition"]).to_frame().set_index("condition")
    tol = 1e-7
    assert (cells["cases_lower"] <= summary["cases_lower"] + tol).all()
    assert (summary["cases_lower"] <= summary["cases"] + tol).all()
    assert (summary["cases"] <= summary["cases_upper"] + tol).all()
    assert (summary["cases_upper"] <= cells["cases_upper"] + tol).all()
    np.testing.assert_allclose(summary["cases"], cells["cases"], rtol=1e-12, atol=1e-9)


@settings(max_examples=20, deadline=None)
@given(COUNTS, st.sampled_from(["female", "male"]), st.sampled_from([0, 5, 15, 65, 70, 80, 90]))
def test_a_person_out_of_scope_changes_only_coverage(counts: list[int], sex: str, age: int) -> None:
    """Adding one person of an age outside a condition's scope changes no case count of that
    condition, only its coverage (too young or too old)."""
    pop = _population(counts)
    before = mhneed.estimate(pop, TABLE)
    more = pop.copy()
    more.loc[(more["sex"] == sex) & (more["age"] == age), "population"] += 1
    after = mhneed.estimate(more, TABLE)
    for cond in TABLE.meta.conditions:
        scope = cond.scope
        if scope.contains(age):
            continue
        a = before.to_frame().query("condition == @cond.id")
        b = after.to_frame().query("condition == @cond.id")
        np.testing.assert_array_equal(a["cases"].to_numpy(), b["cases"].to_numpy())
        cov_a = before.coverage.set_index("condition").loc[cond.id]
        cov_b = after.coverage.set_index("condition").loc[cond.id]
        reason = "too_young" if age < scope.lower else "too_old"
        assert cov_b[reason] == cov_a[reason] + 1
        assert cov_b["in_scope"] == cov_a["in_scope"]
        assert cov_b["population"] == cov_a["population"] + 1
