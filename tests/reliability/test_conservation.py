"""Nothing lost: everyone in the input is in an estimate or counted out of scope.

Populations are drawn with several areas and years, ages partly out of every shipped
table's scope, single years, top-coded ages or bands, and optionally a narrowed
``ages=``. The expected counts are worked out here row by row, independently of the
engine, and the engine's results must match them per area, year and condition. The
same rows in another order, under another index or with other key dtypes must give
the same numbers.
"""

from __future__ import annotations

import importlib
import warnings
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mhneed
from mhneed.errors import InternalError
from mhneed.published.bands import AgeBand, parse_band
from mhneed.published.rates import RateTable
from tests.property.strategies import (
    AGE_SCOPES,
    PERSONS_TABLES,
    births_frames,
    disguised,
    perinatal_tables,
    scoped_populations,
)

REASONS = ("in_scope", "too_young", "too_old", "wrong_sex")
Key = tuple[Any, ...]


def _scope(table: RateTable, condition: str, ages: AgeBand | None) -> AgeBand | None:
    scope = table.meta.condition(condition).scope
    return scope if ages is None else scope.intersect(ages)


def _unit(value: object, top: int | None) -> AgeBand:
    if isinstance(value, str):
        return parse_band(value)
    age = int(value)  # type: ignore[call-overload]
    return AgeBand(age, None if age == top else age)


def _shares(unit: AgeBand, scope: AgeBand) -> dict[str, float]:
    """The share of a unit's people in scope, too young and too old (uniform over years)."""
    if unit.upper is None:  # open: placed whole (drawn to start at 75 or over)
        old = scope.upper is not None and unit.lower > scope.upper
        return {"in_scope": 0.0 if old else 1.0, "too_young": 0.0, "too_old": float(old)}
    width = unit.upper - unit.lower + 1
    young = max(0, min(unit.upper, scope.lower - 1) - unit.lower + 1)
    old = 0 if scope.upper is None else max(0, unit.upper - max(unit.lower, scope.upper + 1) + 1)
    return {
        "in_scope": (width - young - old) / width,
        "too_young": young / width,
        "too_old": old / width,
    }


def expected_coverage(
    frame: pd.DataFrame,
    table: RateTable,
    conditions: list[str],
    ages: AgeBand | None,
    top: int | None,
) -> dict[Key, dict[str, float]]:
    """Row by row: (area, year, condition) -> population, in scope and each reason."""
    column = "age_band" if "age_band" in frame.columns else "age"
    out: dict[Key, dict[str, float]] = defaultdict(
        lambda: dict.fromkeys(("population", *REASONS), 0.0)
    )
    for area, year, sex, value, people in frame[
        ["area_code", "year", "sex", column, "population"]
    ].itertuples(index=False):
        unit = _unit(value, top)
        for cond in conditions:
            counts = out[(area, year, cond)]
            counts["population"] += people
            if sex not in table.meta.condition(cond).sexes:
                counts["wrong_sex"] += people
                continue
            scope = _scope(table, cond, ages)
            assert scope is not None
            for reason, share in _shares(unit, scope).items():
                counts[reason] += people * share
    return out


def _coverage_by_key(est: mhneed.Estimate) -> dict[Key, dict[str, float]]:
    cov = est.coverage
    return {
        (str(a), int(y), str(c)): {
            k: float(v) for k, v in zip(("population", *REASONS), rest, strict=True)
        }
        for a, y, c, *rest in cov[
            ["area_code", "year", "condition", "population", *REASONS]
        ].itertuples(index=False)
    }


def _overlapping(table: RateTable, ages: AgeBand | None) -> list[str]:
    return [c for c in table.conditions if _scope(table, c, ages) is not None]


@given(
    scoped_populations(),
    st.sampled_from(PERSONS_TABLES),
    st.sampled_from(AGE_SCOPES),
    st.data(),
)
def test_everyone_in_scope_or_counted_out(
    drawn: tuple[pd.DataFrame, int | None],
    table_id: str,
    narrow: tuple[int, int | None] | None,
    data: st.DataObject,
) -> None:
    """Per area, year and condition: in scope + out of scope = the input, as worked out here."""
    frame, top = drawn
    table = mhneed.load_table(table_id)
    ages = None if narrow is None else AgeBand(*narrow)
    conditions = _overlapping(table, ages)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bands split uniformly say so; not under test here
        est = mhneed.estimate(frame, table, conditions=conditions, ages=narrow, top_age=top)
        again = mhneed.estimate(
            data.draw(disguised(frame)), table, conditions=conditions, ages=narrow, top_age=top
        )

    expected = expected_coverage(frame, table, conditions, ages, top)
    got = _coverage_by_key(est)
    assert got.keys() == expected.keys()
    for key, counts in expected.items():
        for name, value in counts.items():
            assert got[key][name] == pytest.approx(value, rel=1e-12, abs=1e-6), (key, name)
        total = sum(got[key][r] for r in REASONS)
        assert total == pytest.approx(got[key]["population"], rel=1e-12, abs=1e-6)

    # the cells of each area, year and condition hold exactly the people in scope
    cells = est.to_frame().groupby(["area_code", "year", "condition"], observed=True)["population"]
    for (area, year, cond), in_cells in cells.sum().items():
        assert in_cells == pytest.approx(got[(str(area), int(year), str(cond))]["in_scope"])

    # one row per key group and cell: nothing duplicated, nothing dropped
    result = est.to_frame()
    groups = frame[["area_code", "year"]].drop_duplicates()
    n_cells = sum(
        sum(1 for r in table.cells(c) if r.band.intersect(_scope(table, c, ages)) is not None)  # type: ignore[arg-type]
        for c in conditions
    )
    assert len(result) == len(groups) * n_cells
    assert not result.duplicated(["area_code", "year", "condition", "sex", "age_band"]).any()

    # the same rows in another order, index or key dtype give the same numbers
    _assert_same_numbers(est, again)


def _assert_same_numbers(a: mhneed.Estimate, b: mhneed.Estimate) -> None:
    for left, right in ((a.to_frame(), b.to_frame()), (a.coverage, b.coverage)):
        left = left.assign(area_code=left["area_code"].astype(str))
        right = right.assign(area_code=right["area_code"].astype(str))
        pd.testing.assert_frame_equal(left, right)


@given(births_frames(), perinatal_tables, st.data())
def test_every_birth_counted(births: pd.DataFrame, table: RateTable, data: st.DataObject) -> None:
    """Per area and year: every birth is in scope, in every condition, whatever the index."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = mhneed.estimate_perinatal(births, table, denominator="maternities")
        again = mhneed.estimate_perinatal(
            data.draw(disguised(births.assign(population=0.0))).drop(columns="population"),
            table,
            denominator="maternities",
        )
    inputs = {(a, y): b for a, y, b in births.itertuples(index=False)}
    cov = est.coverage
    assert len(cov) == len(inputs) * len(table.conditions)
    for area, year, _condition, n, in_scope, *out in cov[
        [
            "area_code",
            "year",
            "condition",
            "births",
            "in_scope",
            "too_young",
            "too_old",
            "wrong_sex",
        ]
    ].itertuples(index=False):
        assert n == inputs[(str(area), int(year))]
        assert in_scope == n
        assert out == [0.0, 0.0, 0.0]
    frame = est.to_frame()
    assert len(frame) == len(inputs) * len(table.conditions)
    assert frame.groupby("condition", observed=True)["births"].sum().tolist() == pytest.approx(
        [sum(inputs.values())] * len(table.conditions)
    )
    _assert_same_numbers(est, again)


def test_engine_check_catches_lost_people(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the weights ever lost people, the engine's own check stops with an InternalError."""
    engine = importlib.import_module("mhneed.engine.plan")
    real = engine._condition_weights

    def leaky(*args: Any, **kwargs: Any) -> np.ndarray:
        return real(*args, **kwargs) * 0.5  # half of everyone vanishes

    monkeypatch.setattr(engine, "_condition_weights", leaky)
    monkeypatch.setattr(engine, "_PLANS", type(engine._PLANS)())  # no plan made before
    people = pd.DataFrame({"sex": ["female", "male"], "age": [30, 40], "population": [10, 20]})
    with pytest.raises(InternalError) as info:
        mhneed.estimate(people, "apms_2014", conditions=["gad"])
    assert str(info.value) == (
        "mhneed engine: coverage does not account for every person (in scope + out of scope "
        "!= population in 1 rows of the coverage report); this is a bug in mhneed, please "
        "report it"
    )
    assert info.value.rows is not None
    assert isinstance(info.value, AssertionError)
