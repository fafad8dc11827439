"""A validated population's dense array and totals, whatever the rows' order (Hypothesis).

``validate_population`` places rows that come in key, sex and age order straight into
the dense array of key groups × (sex, age), and adds each group's row of it left to
right for the group's total. These must equal, to the last bit, a count of the rows
(``numpy.bincount``) in that order, for fractional counts, areas with ages missing,
categorical or text keys, and the same people given in any order of rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from mhneed.inputs.population import row_sums, validate_population


@st.composite
def ordered_populations(draw: st.DrawFn) -> pd.DataFrame:
    """Rows in area, sex and age order; some (area, sex, age) cells left out."""
    n_areas = draw(st.integers(1, 4))
    ages = draw(st.integers(1, 6))
    rows = []
    for area in range(n_areas):
        for sex in ("female", "male"):
            for age in range(ages):
                if draw(st.booleans()) or (area, sex, age) == (0, "female", 0):
                    value = draw(
                        st.one_of(
                            st.sampled_from([0.0, -0.0, 1.0, 1e9]),
                            st.floats(0, 1e6, allow_nan=False, allow_infinity=False),
                        )
                    )
                    rows.append((f"E0{area}", sex, age, value))
    frame = pd.DataFrame(rows, columns=["area_code", "sex", "age", "population"])
    if draw(st.booleans()):
        frame["area_code"] = frame["area_code"].astype("category")
        frame["sex"] = frame["sex"].astype("category")
    return frame


def counted(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The dense array and totals as a count of the rows in the order given."""
    pop = validate_population(frame)
    width = 2 * len(pop.units)
    dense = np.bincount(pop.cell, weights=pop.population, minlength=pop.n_groups * width)
    totals = np.bincount(pop.group, weights=pop.population, minlength=pop.n_groups)
    return dense.reshape(pop.n_groups, width), totals


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.tobytes() == b.tobytes()


@given(ordered_populations())
def test_rows_in_order_equal_a_count_to_the_last_bit(frame: pd.DataFrame) -> None:
    pop = validate_population(frame)
    assert pop.in_order
    dense, totals = counted(frame)
    assert same_bits(pop.dense(), dense)
    assert same_bits(pop.totals, totals)


@given(ordered_populations(), st.randoms(use_true_random=False))
def test_order_of_rows_changes_nothing(frame: pd.DataFrame, random: object) -> None:
    order = list(range(len(frame)))
    random.shuffle(order)  # type: ignore[attr-defined]
    shuffled = frame.iloc[order]
    ordered, mixed = validate_population(frame), validate_population(shuffled)
    assert mixed.in_order == (order == sorted(order))
    assert same_bits(mixed.dense(), ordered.dense())
    assert same_bits(mixed.totals, ordered.totals)


@given(
    st.lists(
        st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    )
)
def test_row_sums_add_left_to_right(rows: list[list[float]]) -> None:
    dense = np.array(rows)
    expected = [((0.0 + r[0]) + r[1]) + r[2] for r in rows]
    assert row_sums(dense).tobytes() == np.array(expected).tobytes()
