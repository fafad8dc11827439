"""The engine's two ways of combining cells agree to the last bit (Hypothesis).

A cell estimate keeps its cells as arrays (``mhneed.engine.cells.CellBlock``) and
summarises them without building the frame of key groups × cells; an estimate
that holds only that frame combines it with ``mhneed.engine.intervals.combine``. Both
must give identical frames, values, dtypes, categories and row order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import mhneed
from mhneed.engine.results import Estimate
from mhneed.published.rates import RateTable
from mhneed.published.tables import load_table
from tests.property.strategies import populations, tables

#: Tables of every shape: national by sex, age by sex (with zero cells and design
#: factors), trend years, persons rates, published ranges.
ALL_TABLES = st.one_of(
    tables(),
    st.sampled_from(
        [load_table(t) for t in ("apms_2014_by_age_sex", "apms_2007_psychosis", "apms_2007")]
    ),
)


#: Cell columns a summary may keep, in several orders.
CELL_BY = [
    ["condition"],
    ["condition", "sex"],
    ["sex", "condition"],
    ["condition", "age_band"],
    ["condition", "sex", "age_band"],
    ["age_band", "sex", "condition"],
]


def _frame_only(est: Estimate) -> Estimate:
    """The same estimate holding only its frame of cells, as a frame-built one does."""
    return Estimate._from_engine(
        frame=est._frame.copy(),
        table=est.table,
        coverage=est.coverage,
        keys=est.keys,
        params=est.params,
    )


def _by_lists(keys: list[str]) -> st.SearchStrategy[list[str]]:
    """``by`` lists: any keys in any order, then condition and perhaps sex or age band."""
    return st.tuples(
        st.permutations(keys).flatmap(lambda ks: st.integers(0, len(ks)).map(lambda n: ks[:n])),
        st.sampled_from(CELL_BY),
    ).map(lambda kc: [*kc[0], *kc[1]])


@settings(max_examples=150, deadline=None)
@given(populations(integer=False, years=True), ALL_TABLES, st.data())
def test_block_summary_equals_frame_summary(
    pop: pd.DataFrame, table: RateTable, data: st.DataObject
) -> None:
    """summarise from the cell arrays equals summarise from the cell frame, exactly."""
    est = mhneed.estimate(pop, table)
    by = data.draw(_by_lists(list(est.keys)))
    fast = est.summarise(by=by).to_frame()
    slow = _frame_only(est).summarise(by=by).to_frame()
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)


@settings(max_examples=60, deadline=None)
@given(populations(integer=False, years=True), ALL_TABLES)
def test_cell_frame_from_block_is_the_estimate(pop: pd.DataFrame, table: RateTable) -> None:
    """The cell frame built from the arrays has every cell of every group, population exact."""
    est = mhneed.estimate(pop, table)
    frame = est.to_frame()
    assert len(frame) == est._block.n_groups * est._block.n_cells  # type: ignore[union-attr]
    totals = frame.groupby(["condition"], observed=True)["population"].sum()
    in_scope = est.coverage.groupby("condition", observed=True)["in_scope"].sum()
    np.testing.assert_allclose(totals.to_numpy(), in_scope.reindex(totals.index), rtol=1e-12)
    cases = frame["population"].to_numpy() * frame["rate"].to_numpy()
    assert np.array_equal(frame["cases"].to_numpy(), cases)
