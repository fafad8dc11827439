"""Properties of perinatal estimates and of rounding them (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import mhneed
from tests.property.strategies import bases, birth_counts, births_frames
from tests.property.strategies import perinatal_tables as tables

CASES = ["cases_lower", "cases", "cases_upper"]

#: Rounding takes a value within 1e-9 of the base from a multiple to be that multiple.
SNAP = 1e-9


def perinatal(births: pd.DataFrame, table: mhneed.RateTable) -> mhneed.Estimate:
    """estimate_perinatal with maternities."""
    return mhneed.estimate_perinatal(births, table, denominator="maternities")


def values(est: mhneed.Estimate) -> np.ndarray:
    """The case columns as an array (rows × lower, central, upper)."""
    return est.to_frame()[CASES].to_numpy(dtype=np.float64)


@given(births_frames(), tables, st.data())
def test_more_births_never_gives_fewer_cases(
    births: pd.DataFrame, table: mhneed.RateTable, data: st.DataObject
) -> None:
    """Adding births to any area never lowers any figure, rounded or not."""
    extra = data.draw(st.lists(birth_counts, min_size=len(births), max_size=len(births)))
    more = births.assign(births=births["births"] + np.array(extra))
    base = data.draw(bases)
    low, high = perinatal(births, table), perinatal(more, table)
    assert (np.nan_to_num(values(high)) >= np.nan_to_num(values(low))).all()
    for how in ("up", "nearest"):
        rounded_low = values(low.round(to=base, how=how))
        rounded_high = values(high.round(to=base, how=how))
        assert (np.nan_to_num(rounded_high) >= np.nan_to_num(rounded_low)).all()


@given(births_frames(), tables, bases)
def test_lower_central_upper_in_order(
    births: pd.DataFrame, table: mhneed.RateTable, base: float
) -> None:
    """lower ≤ central ≤ upper, before and after rounding; no limit means both missing."""
    est = perinatal(births, table)
    for e in (est, est.round(to=base, how="up"), est.round(to=base, how="nearest")):
        v = values(e)
        has = ~np.isnan(v[:, 0])
        assert (np.isnan(v[:, 0]) == np.isnan(v[:, 2])).all()
        assert (v[has, 0] <= v[has, 1]).all()
        assert (v[has, 1] <= v[has, 2]).all()


@given(births_frames(), tables, bases)
def test_rounding_up(births: pd.DataFrame, table: mhneed.RateTable, base: float) -> None:
    """Up: never lower, moves by less than the base, above zero gives at least the base."""
    est = perinatal(births, table)
    raw, up = values(est), values(est.round(to=base, how="up"))
    has = ~np.isnan(raw)
    raw, up = raw[has], up[has]
    assert (up >= raw - SNAP * base).all()
    assert (raw > up - base).all()  # moved by less than the base (robust to float spacing)
    assert (up[raw > 0] >= base).all()
    assert (up[raw == 0] == 0).all()
    assert np.allclose(up / base, np.round(up / base), rtol=0, atol=1e-6)


@given(births_frames(), tables, bases)
def test_rounding_to_nearest(births: pd.DataFrame, table: mhneed.RateTable, base: float) -> None:
    """Nearest: moves a value by at most half the base, onto a multiple of it."""
    est = perinatal(births, table)
    raw, near = values(est), values(est.round(to=base, how="nearest"))
    has = ~np.isnan(raw)
    raw, near = raw[has], near[has]
    assert (np.abs(near - raw) <= base / 2 + SNAP * base).all()
    assert np.allclose(near / base, np.round(near / base), rtol=0, atol=1e-6)


@given(births_frames(min_areas=2), tables)
def test_many_areas_at_once_same_as_one_at_a_time(
    births: pd.DataFrame, table: mhneed.RateTable
) -> None:
    """Estimating every area together gives the same rows as estimating each alone."""
    together = perinatal(births, table)
    alone = [perinatal(part, table) for _, part in births.groupby("area_code", sort=True)]
    pd.testing.assert_frame_equal(
        _plain(together.to_frame()),
        _plain(pd.concat([a.to_frame() for a in alone], ignore_index=True)),
    )

    pd.testing.assert_frame_equal(
        _plain(together.coverage),
        _plain(pd.concat([a.coverage for a in alone], ignore_index=True)),
    )


@given(births_frames(), tables, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(
    births: pd.DataFrame, table: mhneed.RateTable, rnd: object
) -> None:
    """Shuffling the input rows gives the same estimate."""
    order = list(range(len(births)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    shuffled = births.iloc[order]
    pd.testing.assert_frame_equal(
        perinatal(births, table).to_frame(), perinatal(shuffled, table).to_frame()
    )


@given(births_frames(), tables, st.integers(min_value=2, max_value=50))
def test_scaling_births_scales_cases(
    births: pd.DataFrame, table: mhneed.RateTable, factor: int
) -> None:
    """k times the births gives k times every figure."""
    base = values(perinatal(births, table))
    scaled = values(perinatal(births.assign(births=births["births"] * factor), table))
    # atol: products of tiny drawn rates and tiny counts can fall below the normal floats
    np.testing.assert_allclose(scaled, base * factor, rtol=1e-12, atol=1e-300)


@given(births_frames(min_areas=2), tables)
def test_summary_over_areas_adds_bound_to_bound(
    births: pd.DataFrame, table: mhneed.RateTable
) -> None:
    """Summarised by condition: total births × rate, and each bound the sum of the bounds."""
    est = perinatal(births, table)
    summary = est.summarise(by=["condition"]).to_frame().set_index("condition")
    cells = est.to_frame()
    total = float(births["births"].sum())
    for cond, part in cells.groupby("condition", observed=True):
        row = summary.loc[cond]
        assert np.isclose(row["births"], total, rtol=1e-12)
        for col in CASES:
            expected = part[col].sum(min_count=len(part))
            assert np.isclose(row[col], expected, rtol=1e-9, atol=1e-9, equal_nan=True)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as text, so per-area categories compare by value."""
    return frame.astype({c: str for c in frame.columns if frame[c].dtype in ("category", object)})
