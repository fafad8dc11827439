"""Property tests for totals over areas: grouped totals add up, nobody counted twice, and
totals across geography levels are refused unless grouped explicitly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

import mhneed
from mhneed.errors import CombineError
from mhneed.inputs.geography import level_of
from mhneed.published.rates import RateTable
from tests.property.strategies import areas_of_levels, tables


@given(areas_of_levels(), tables())
def test_grouped_totals_add_up_and_levels_are_checked(
    data: tuple[pd.DataFrame, dict[str, str]], table: RateTable
) -> None:
    """Any split into areas, any grouping: each group is the sum of its members, each person
    once; a total over all areas is refused exactly when their codes hold two levels."""
    pop, group_of = data
    est = mhneed.estimate(pop, table)
    per_area = est.summarise(by=["area_code", "condition"]).to_frame()
    grouped = est.summarise(by=["group", "condition"], groups=group_of).to_frame()
    per_area["group"] = per_area["area_code"].map(group_of)
    for (group, condition), members in per_area.groupby(["group", "condition"]):
        row = grouped[(grouped["group"] == group) & (grouped["condition"] == condition)]
        assert len(row) == 1
        for col in ("population", "cases"):
            assert row[col].iloc[0] == pytest.approx(members[col].sum(), rel=1e-12, abs=1e-9)
    in_scope = est.coverage.groupby("condition")["in_scope"].sum()
    for condition, people in grouped.groupby("condition")["population"].sum().items():
        assert people == pytest.approx(in_scope[condition], rel=1e-12, abs=1e-9)

    levels = {level_of(c) for c in pop["area_code"].unique()} - {None}
    if len(levels) > 1:
        with pytest.raises(CombineError) as info:
            est.summarise(by=["condition"])
        assert info.value.rule == "totals never cross geography levels"
        assert set(info.value.values) == {
            c for c in pop["area_code"].unique() if level_of(c) is not None
        }
    else:
        total = est.summarise(by=["condition"]).to_frame()
        np.testing.assert_allclose(
            total.set_index("condition")["population"].sort_index().to_numpy(),
            in_scope.sort_index().to_numpy(),
            rtol=1e-12,
        )
