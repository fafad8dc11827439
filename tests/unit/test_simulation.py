"""Unit tests for Estimate.simulate: simulated percentile limits, reproducible with a seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mhneed
import mhneed.engine.simulation as intervals
from mhneed.engine.labels import NO_INTERVAL
from mhneed.errors import CombineError, InputError
from tests.helpers import grid_table, make_table

CI = make_table([("c", "female", "16+", 10, 8, 13), ("c", "male", "16+", 5, 4, 7)])


def people(areas: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Women and men aged 30 in each area: {area: (women, men)}."""
    rows = []
    for area, (women, men) in areas.items():
        rows += [(area, "female", 30, women), (area, "male", 30, men)]
    return pd.DataFrame(rows, columns=["area_code", "sex", "age", "population"])


def rutland_grid() -> mhneed.Estimate:
    return mhneed.estimate(mhneed.rutland_population(), grid_table())


def test_same_seed_same_limits_other_seed_other_limits() -> None:
    """A seed makes the simulation reproducible; another seed gives other draws."""
    est = rutland_grid()
    a = est.simulate(by=["condition"], draws=2000, seed=7).to_frame()
    b = est.simulate(by=["condition"], draws=2000, seed=7).to_frame()
    c = est.simulate(by=["condition"], draws=2000, seed=8).to_frame()
    pd.testing.assert_frame_equal(a, b)
    assert a["cases_lower"].iloc[0] != c["cases_lower"].iloc[0]


def test_seed_chosen_and_recorded_when_not_given() -> None:
    """Without a seed one is chosen and recorded, and repeats the run."""
    est = rutland_grid()
    first = est.simulate(by=["condition"], draws=1000)
    sim = first.provenance()["simulation"]
    assert sim["draws"] == 1000
    assert sim["level"] == 0.95
    again = est.simulate(by=["condition"], draws=1000, seed=sim["seed"])
    pd.testing.assert_frame_equal(first.to_frame(), again.to_frame())


def test_points_unchanged_limits_labelled_simulated() -> None:
    """Populations and cases are those of summarise; only the limits and labels change."""
    est = rutland_grid()
    analytic = est.summarise(by=["condition", "sex"]).to_frame()
    simulated = est.simulate(by=["condition", "sex"], draws=20_000, seed=1).to_frame()
    pd.testing.assert_frame_equal(
        analytic[["condition", "sex", "population", "cases"]],
        simulated[["condition", "sex", "population", "cases"]],
    )
    assert (
        simulated["interval"].tolist() == ["95% confidence interval, simulated (20,000 draws)"] * 2
    )
    assert (simulated["cases_lower"] < simulated["cases"]).all()
    assert (simulated["cases"] < simulated["cases_upper"]).all()


def test_single_stratum_percentiles_are_published_limits() -> None:
    """One stratum: the simulated limits are population × published limits (to 1e-6)."""
    table = make_table([("c", "persons", "16+", 4.4, 3.8, 5.0)])
    s = mhneed.estimate(people({"A": (1000, 3000)}), table).simulate(
        by=["condition"], draws=20_000, seed=3
    )
    row = s.to_frame().iloc[0]
    assert row["cases_lower"] == pytest.approx(4000 * 0.038, rel=1e-6)
    assert row["cases_upper"] == pytest.approx(4000 * 0.05, rel=1e-6)


def test_zero_rate_stratum_drawn_on_the_proportion_scale() -> None:
    """A rate of 0 with an upper limit (a '–' cell) is drawn on the proportion scale."""
    table = make_table([("c", "persons", "16+", 0, 0, 0.8)])
    row = (
        mhneed.estimate(people({"A": (500, 500)}), table)
        .simulate(by=["condition"], draws=20_000, seed=3)
        .to_frame()
        .iloc[0]
    )
    assert row["cases_lower"] == 0.0
    assert row["cases_upper"] == pytest.approx(1000 * 0.008, rel=1e-6)


def test_areas_share_each_draw() -> None:
    """Every area uses the same national rate in a draw: one stratum's limits add over areas."""
    table = make_table([("c", "persons", "16+", 4.4, 3.8, 5.0)])
    est = mhneed.estimate(people({"A": (1000, 0), "B": (3000, 0)}), table)
    per_area = est.simulate(by=["area_code", "condition"], draws=5000, seed=2).to_frame()
    whole = est.simulate(by=["condition"], draws=5000, seed=2).to_frame().iloc[0]
    assert per_area["cases_lower"].sum() == pytest.approx(whole["cases_lower"], rel=1e-12)
    assert per_area["cases_upper"].sum() == pytest.approx(whole["cases_upper"], rel=1e-12)


def test_agrees_with_analytic_width_on_fourteen_strata() -> None:
    """14 strata, 20,000 draws: simulated and analytic widths agree within 2%."""
    est = rutland_grid()
    for by in (["condition"], ["condition", "sex"], ["condition", "age_band"]):
        analytic = est.summarise(by=by).to_frame()
        simulated = est.simulate(by=by, draws=20_000, seed=11).to_frame()
        ratio = (simulated["cases_upper"] - simulated["cases_lower"]) / (
            analytic["cases_upper"] - analytic["cases_lower"]
        )
        assert np.abs(ratio - 1).max() < 0.02, (by, ratio.tolist())


def test_blocks_give_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Summing groups a few at a time (small memory blocks) changes nothing."""
    pop = pd.concat(
        [mhneed.rutland_population().assign(area_code=f"E0{i}") for i in range(5)],
        ignore_index=True,
    )
    est = mhneed.estimate(pop, grid_table())
    whole = est.simulate(by=["area_code", "condition"], draws=1000, seed=5).to_frame()
    monkeypatch.setattr(intervals, "_BLOCK", 3000)
    blocks = est.simulate(by=["area_code", "condition"], draws=1000, seed=5).to_frame()
    pd.testing.assert_frame_equal(whole, blocks, rtol=1e-12)


def test_no_interval_rows_stay_without() -> None:
    """A group with a stratum with no published interval has none, simulated or not."""
    table = make_table([("c", "female", "16+", 10, 8, 12), ("c", "male", "16+", 5, None, None)])
    est = mhneed.estimate(people({"A": (100, 100)}), table)
    s = est.simulate(by=["condition", "sex"], draws=1000, seed=1).to_frame()
    assert s["interval"].tolist() == [
        "95% confidence interval, simulated (1,000 draws)",
        NO_INTERVAL,
    ]
    assert np.isnan(s["cases_lower"].iloc[1])
    assert np.isnan(s["cases_upper"].iloc[1])


def test_groups_as_in_summarise() -> None:
    """groups= maps areas to groups, as summarise does; a group equals its areas combined."""
    est = mhneed.estimate(people({"A": (100, 200), "B": (300, 400), "C": (50, 60)}), CI)
    grouped = est.simulate(
        by=["group", "condition"], groups={"A": "X", "B": "X", "C": "Y"}, draws=3000, seed=4
    ).to_frame()
    direct = (
        mhneed.estimate(people({"X": (400, 600), "Y": (50, 60)}), CI)
        .simulate(by=["area_code", "condition"], draws=3000, seed=4)
        .to_frame()
    )
    np.testing.assert_allclose(
        grouped[["cases", "cases_lower", "cases_upper"]].to_numpy(),
        direct[["cases", "cases_lower", "cases_upper"]].to_numpy(),
        rtol=1e-12,
    )


def test_summarise_after_simulate_is_analytic() -> None:
    """Summarising a simulated estimate recomputes analytic ranges from the cells."""
    est = rutland_grid()
    again = est.simulate(by=["condition", "sex"], draws=1000, seed=1).summarise(by=["condition"])
    pd.testing.assert_frame_equal(again.to_frame(), est.summarise(by=["condition"]).to_frame())
    assert again.provenance()["simulation"] is None


def test_describe_names_the_simulation() -> None:
    """describe() says the ranges were simulated, with draws and seed."""
    text = rutland_grid().simulate(by=["condition"], draws=1000, seed=9).describe()
    assert "ranges simulated: 1,000 draws, seed 9, 95% percentile interval" in text


def test_published_ranges_refused() -> None:
    """Published ranges are scenarios, not a distribution to draw from."""
    table = make_table([("c", "persons", "16+", None, 10, 15)], interval="published_range")
    with pytest.raises(CombineError) as info:
        mhneed.estimate(people({"A": (1, 1)}), table).simulate(by=["condition"], seed=1)
    assert str(info.value) == (
        "simulate: rate table test publishes ranges (a low and a high scenario), not "
        "confidence intervals, so there is no sampling distribution to draw from; use "
        "summarise(), which adds the ranges bound to bound"
    )


def test_rounded_refused() -> None:
    """Simulate the unrounded estimate, then round."""
    est = mhneed.estimate(people({"A": (100, 100)}), CI).round(5)
    with pytest.raises(CombineError) as info:
        est.simulate(by=["condition"], seed=1)
    assert str(info.value) == (
        "this estimate is rounded to the nearest 5; simulate from the unrounded estimate, "
        "then round"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"draws": 10},
            "simulate: draws=10 must be a whole number from 100 to 1,000,000, such as 20000",
        ),
        (
            {"draws": 2000.0},
            "simulate: draws=2000.0 must be a whole number from 100 to 1,000,000, such as 20000",
        ),
        ({"seed": -1}, "simulate: seed=-1 must be a whole number, 0 or more"),
        ({"seed": "x"}, "simulate: seed='x' must be a whole number, 0 or more"),
    ],
)
def test_bad_draws_and_seed(kwargs: dict[str, object], message: str) -> None:
    """draws and seed are checked and named."""
    est = mhneed.estimate(people({"A": (100, 100)}), CI)
    with pytest.raises(InputError) as info:
        est.simulate(by=["condition"], **kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_by_checked_as_in_summarise() -> None:
    """by follows summarise's rules; messages name simulate."""
    est = mhneed.estimate(people({"A": (100, 100)}), "apms_2014", conditions=["gad", "ptsd"])
    with pytest.raises(CombineError) as info:
        est.simulate(by=["area_code"], seed=1)
    assert str(info.value).startswith("simulate(by=['area_code']): without 'condition' in by")
    with pytest.raises(InputError) as info:
        est.simulate(by=["area_code", "condition"], groups={"A": "X"}, seed=1)
    assert str(info.value) == (
        "simulate(by=['area_code', 'condition']): groups= was given but 'group' is not in by; "
        "add it, such as by=['group', 'condition']"
    )


SKEWED = make_table(
    [("c", "persons", "16-34", 0.8, 0.3, 2.4), ("c", "persons", "35+", 0.5, 0.1, 1.9)]
)


def test_monte_carlo_error_beside_the_limits() -> None:
    """Each simulated limit has its Monte Carlo error beside it: >0 for sums, 0 for one stratum."""
    est = rutland_grid()
    frame = est.simulate(by=["condition", "sex"], draws=20_000, seed=1).to_frame()
    assert frame.columns.tolist() == [
        "condition",
        "sex",
        "population",
        "cases",
        "cases_lower",
        "cases_upper",
        "cases_lower_mc_se",
        "cases_upper_mc_se",
        "interval",
    ]
    for side in ("cases_lower", "cases_upper"):
        relative = frame[f"{side}_mc_se"] / frame[side]
        assert ((relative > 0) & (relative < 0.002)).all(), relative.tolist()
    one = mhneed.estimate(
        people({"A": (1000, 3000)}), make_table([("c", "persons", "16+", 4.4, 3.8, 5.0)])
    )
    row = one.simulate(by=["condition"], draws=1000, seed=1).to_frame().iloc[0]
    assert (row["cases_lower_mc_se"], row["cases_upper_mc_se"]) == (0.0, 0.0)


def test_monte_carlo_error_nan_without_an_interval() -> None:
    """No interval, no Monte Carlo error."""
    table = make_table([("c", "female", "16+", 10, 8, 12), ("c", "male", "16+", 5, None, None)])
    s = mhneed.estimate(people({"A": (100, 100)}), table).simulate(
        by=["condition"], draws=1000, seed=1
    )
    assert np.isnan(s.to_frame()["cases_lower_mc_se"].iloc[0])


def test_reported_error_matches_the_spread_over_seeds() -> None:
    """The reported error is about the limit's real spread from seed to seed (skewed example)."""
    est = mhneed.estimate(mhneed.rutland_population(), SKEWED)
    runs = [
        est.simulate(by=["condition"], draws=4000, seed=s).to_frame().iloc[0] for s in range(40)
    ]
    for side in ("cases_lower", "cases_upper"):
        spread = np.std([r[side] for r in runs], ddof=1)
        reported = np.mean([r[f"{side}_mc_se"] for r in runs])
        assert 0.6 < reported / spread < 1.5, (side, reported, spread)


def test_control_variate_kept_only_where_it_helps() -> None:
    """Where the sums are the proxy (exactly normal) the corrected percentile is exact."""
    rng = np.random.default_rng(0)
    proxy = rng.standard_normal((2, 2000)) * np.array([[3.0], [5.0]])
    edges = np.arange(0, 2001, 200)
    z = 1.959963984540054
    probs = [0.025, 0.975]
    q, se = intervals._percentiles(proxy, proxy, np.array([3.0, 5.0]), probs, z, edges)
    np.testing.assert_allclose(q, [[-3 * z, -5 * z], [3 * z, 5 * z]], rtol=1e-12)
    assert (se < 1e-12).all()
    # a skewed sum whose proxy is only loosely tied to it: the plain percentile is kept
    skewed = np.exp(proxy) + rng.standard_normal((2, 2000)) * 10
    q, _ = intervals._percentiles(skewed, proxy, np.array([3.0, 5.0]), probs, z, edges)
    plain = np.quantile(skewed, probs, axis=1, method="hazen")
    assert (q == plain).any()


def test_numpy_integers_for_draws_and_seed() -> None:
    """draws and seed may be numpy integers (as read from a frame), giving the same limits."""
    est = rutland_grid()
    a = est.simulate(by=["condition"], draws=np.int64(1000), seed=np.int32(5))
    b = est.simulate(by=["condition"], draws=1000, seed=5)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert a.provenance()["simulation"] == {"draws": 1000, "seed": 5, "level": 0.95}
    assert type(a.provenance()["simulation"]["draws"]) is int
