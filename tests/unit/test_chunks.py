"""Unit tests for mhneed.engine.chunks (estimate_chunks): a population in parts equals one pass."""

from __future__ import annotations

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError


def projection() -> pd.DataFrame:
    """Rutland's real 2014 population, repeated as three illustrative years (test values)."""
    base = mhneed.rutland_population().drop(columns=["year"])
    years = [
        base.assign(year=y, population=base["population"] * (1 + 0.01 * i))
        for i, y in enumerate([2024, 2025, 2026])
    ]
    frame = pd.concat(years, ignore_index=True)
    frame.attrs["top_age"] = 90
    return frame


def test_parts_equal_single_pass() -> None:
    """Estimating one year at a time gives exactly the single-pass result and coverage."""
    frame = projection()
    whole = mhneed.estimate(frame, "apms_2014")
    parts = mhneed.estimate_chunks((p for _, p in frame.groupby("year")), "apms_2014", top_age=90)
    pd.testing.assert_frame_equal(parts.to_frame(), whole.to_frame())
    pd.testing.assert_frame_equal(parts.coverage, whole.coverage)
    by_year = parts.summarise(by=["year", "condition"]).to_frame()
    pd.testing.assert_frame_equal(by_year, whole.summarise(by=["year", "condition"]).to_frame())


def test_parts_in_any_order_with_different_categories() -> None:
    """Parts whose categorical keys have different categories are united."""
    a = pd.DataFrame(
        {
            "area": pd.Categorical(["x", "x"]),
            "sex": ["f", "m"],
            "age": [30, 30],
            "population": [10, 20],
        }
    )
    b = a.assign(area=pd.Categorical(["y", "y"]))
    est = mhneed.estimate_chunks([a, b], "apms_2014", conditions=["gad"])
    frame = est.to_frame()
    assert frame["area"].tolist() == ["x", "x", "y", "y"]
    assert list(frame["area"].cat.categories) == ["x", "y"]


def test_repeated_key_group_refused() -> None:
    """A key group in two parts would be counted twice: refused."""
    a = pd.DataFrame({"area": ["x"], "sex": ["f"], "age": [30], "population": [10]})
    with pytest.raises(InputError) as info:
        mhneed.estimate_chunks([a, a], "apms_2014", conditions=["gad"])
    assert str(info.value) == (
        "estimate_chunks: key groups appear in more than one part (x); split the population so "
        "that each key group lies wholly in one part"
    )


def test_different_keys_refused() -> None:
    """Parts must share key columns."""
    a = pd.DataFrame({"area": ["x"], "sex": ["f"], "age": [30], "population": [10]})
    b = a.rename(columns={"area": "lsoa"})
    with pytest.raises(InputError) as info:
        mhneed.estimate_chunks([a, b], "apms_2014", conditions=["gad"])
    assert str(info.value) == (
        "estimate_chunks: part 2 has key columns ['lsoa'], part 1 has ['area']; every part "
        "needs the same key columns"
    )


def test_no_parts() -> None:
    """An empty iterable is an error."""
    with pytest.raises(InputError, match="no population parts were given"):
        mhneed.estimate_chunks(iter([]), "apms_2014")


def test_docstring_example() -> None:
    """The docstring example runs."""
    import doctest

    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(mhneed.estimate_chunks, "estimate_chunks", globs={}):
        runner.run(test)
    summary = runner.summarize(verbose=False)
    assert summary.attempted >= 4
    assert summary.failed == 0


def test_summarised_parts_equal_the_single_pass_summary() -> None:
    """by= keeps only each year's summary, and equals summarising a single pass."""
    frame = projection()
    whole = mhneed.estimate(frame, "apms_2014").summarise(by=["year", "condition"])
    parts = mhneed.estimate_chunks(
        (p for _, p in frame.groupby("year")), "apms_2014", top_age=90, by=["year", "condition"]
    )
    pd.testing.assert_frame_equal(parts.to_frame(), whole.to_frame())
    cov = parts.coverage
    assert list(cov.columns[:2]) == ["year", "condition"]
    accounted = cov[["in_scope", "too_young", "too_old", "wrong_sex"]].sum(axis=1)
    assert accounted.to_numpy() == pytest.approx(cov["population"].to_numpy(), rel=1e-12)
    assert cov.groupby("year")["population"].first().tolist() == [
        pytest.approx(38022 * f) for f in (1.0, 1.01, 1.02)
    ]


def test_summarised_parts_cannot_be_summarised_again() -> None:
    """Only the summary is kept, so summarising again is refused with the reason."""
    frame = projection()
    parts = mhneed.estimate_chunks(
        (p for _, p in frame.groupby("year")), "apms_2014", top_age=90, by=["year", "condition"]
    )
    with pytest.raises(mhneed.CombineError) as info:
        parts.summarise(by=["condition"])
    assert str(info.value) == (
        "summarise: this estimate was summarised part by part (estimate_chunks(..., "
        "by=['year', 'condition'])) and keeps only that summary, not its cells; to combine it "
        "another way, run estimate_chunks with that by"
    )


def test_summary_groups_spanning_parts_refused() -> None:
    """A by without the column the parts are split by would add years together: refused."""
    frame = projection()
    with pytest.raises(InputError) as info:
        mhneed.estimate_chunks(
            (p for _, p in frame.groupby("year")),
            "apms_2014",
            top_age=90,
            conditions=["gad"],
            by=["condition"],
        )
    assert str(info.value) == (
        "estimate_chunks(by=['condition']): summary groups appear in more than one part (gad); "
        "add the column the parts are split by (such as year) to by"
    )
