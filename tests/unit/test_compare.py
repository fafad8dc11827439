"""Unit tests for mhneed.compare: recorded counts against estimated need, joined by keys."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import (
    CombineError,
    InputError,
    MissingColumnError,
    UnknownConditionError,
)
from tests.helpers import make_table

CI = make_table([("c", "female", "16+", 10, 8, 13), ("c", "male", "16+", 5, 4, 7)])


def people(areas: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Women and men aged 30 in each area: {area: (women, men)}."""
    rows = []
    for area, (women, men) in areas.items():
        rows += [(area, "female", 30, women), (area, "male", 30, men)]
    return pd.DataFrame(rows, columns=["area_code", "sex", "age", "population"])


def two_conditions() -> mhneed.Estimate:
    return mhneed.estimate(
        people({"A": (1000, 1000), "B": (2000, 2000)}), "apms_2014", conditions=["gad", "ptsd"]
    )


def test_share_met_and_its_range_by_hand() -> None:
    """share = recorded / cases; its range recorded / upper to recorded / lower."""
    est = mhneed.estimate(people({"A": (1000, 2000), "B": (3000, 4000)}), CI)
    recorded = pd.DataFrame({"area_code": ["B", "A"], "recorded": [150, 60]})
    out = mhneed.compare(est, recorded)
    summary = est.summarise(by=["area_code", "condition"]).to_frame().set_index("area_code")
    assert out["area_code"].tolist() == ["B", "A"]  # the recorded frame's order
    for _, row in out.iterrows():
        s = summary.loc[row["area_code"]]
        assert row["share_met"] == row["recorded"] / s["cases"]
        assert row["share_met_lower"] == row["recorded"] / s["cases_upper"]
        assert row["share_met_upper"] == row["recorded"] / s["cases_lower"]
        assert row["share_met_lower"] < row["share_met"] < row["share_met_upper"]
    assert list(out.columns) == [
        "area_code",
        "condition",
        "recorded",
        "cases",
        "cases_lower",
        "cases_upper",
        "interval",
        "share_met",
        "share_met_lower",
        "share_met_upper",
    ]
    assert out["recorded"].dtype == np.int64
    assert out["interval"].tolist() == ["95% confidence interval"] * 2
    assert out.attrs["unmatched"].empty
    assert out.attrs["mhneed"]["table"] == "test"


def test_joined_by_key_not_position() -> None:
    """Shuffling the recorded rows moves nothing: each count meets its own area's estimate."""
    est = mhneed.estimate(people({"A": (1000, 2000), "B": (3000, 4000)}), CI)
    rec = pd.DataFrame({"area_code": ["A", "B"], "recorded": [60, 150]})
    a = mhneed.compare(est, rec).set_index("area_code").sort_index()
    b = mhneed.compare(est, rec.iloc[::-1]).set_index("area_code").sort_index()
    pd.testing.assert_frame_equal(a, b)
    assert a.loc["A", "cases"] == pytest.approx(1000 * 0.10 + 2000 * 0.05)


def test_unmatched_keys_reported() -> None:
    """Keys in only one frame are left out, listed with the reason, and warned about."""
    est = two_conditions()
    rec = pd.DataFrame({"area_code": ["A", "C"], "recorded": [300, 5]})
    with pytest.warns(UserWarning, match="2 keys did not match") as record:
        out = mhneed.compare(est, rec, condition="ptsd")
    assert [str(w.message) for w in record] == [
        "compare: 2 keys did not match and are left out of the result (listed in "
        "attrs['unmatched']; unmatched='error' refuses them): area_code C, condition ptsd "
        "(no estimate for this key); area_code B, condition ptsd (no recorded count for this "
        "key)"
    ]
    assert out["area_code"].tolist() == ["A"]
    lost = out.attrs["unmatched"]
    assert lost.to_dict("records") == [
        {"area_code": "C", "condition": "ptsd", "reason": "no estimate for this key"},
        {"area_code": "B", "condition": "ptsd", "reason": "no recorded count for this key"},
    ]


def test_unmatched_error() -> None:
    """unmatched='error' stops with the keys that did not match."""
    est = two_conditions()
    rec = pd.DataFrame({"area_code": ["A", "C"], "recorded": [300, 5]})
    with pytest.raises(InputError) as info:
        mhneed.compare(est, rec, condition="ptsd", unmatched="error")
    assert str(info.value) == (
        "compare: 2 keys did not match: area_code C, condition ptsd (no estimate for this "
        "key); area_code B, condition ptsd (no recorded count for this key)"
    )
    assert info.value.rows is not None
    assert len(info.value.rows) == 2


def test_condition_column_joins_conditions() -> None:
    """A condition column in recorded joins each count to its own condition."""
    est = two_conditions()
    rec = pd.DataFrame(
        {"area_code": ["A", "A", "B"], "condition": ["gad", "ptsd", "ptsd"], "recorded": [3, 4, 5]}
    )
    with pytest.warns(UserWarning, match="area_code B, condition gad"):
        out = mhneed.compare(est, rec)
    assert list(zip(out["area_code"], out["condition"], out["recorded"], strict=True)) == [
        ("A", "gad", 3),
        ("A", "ptsd", 4),
        ("B", "ptsd", 5),
    ]
    gad = out.iloc[0]
    assert math.isnan(gad["share_met_lower"])  # gad has no published interval
    assert gad["interval"] == "no interval published"
    assert gad["share_met"] == 3 / (1000 * 0.068 + 1000 * 0.049)
    assert out.attrs["unmatched"].to_dict("records") == [
        {"area_code": "B", "condition": "gad", "reason": "no recorded count for this key"}
    ]


def test_summarised_and_simulated_estimates() -> None:
    """A summary by the keys and condition is used as it is, simulated limits included."""
    est = two_conditions()
    rec = pd.DataFrame({"area_code": ["A", "B"], "recorded": [40, 90]})
    simulated = est.simulate(by=["area_code", "condition"], draws=1000, seed=1)
    out = mhneed.compare(simulated, rec, condition="ptsd")
    frame = simulated.to_frame()
    ptsd = frame[frame["condition"] == "ptsd"].set_index("area_code")
    assert out["share_met_upper"].tolist() == [
        40 / ptsd.loc["A", "cases_lower"],
        90 / ptsd.loc["B", "cases_lower"],
    ]
    assert out["interval"].tolist() == ["95% confidence interval, simulated (1,000 draws)"] * 2


def test_groups_summary_joins_on_group() -> None:
    """An estimate summarised into groups compares with counts by group."""
    est = mhneed.estimate(people({"A": (10, 20), "B": (30, 40)}), CI)
    county = est.summarise(by=["group", "condition"], groups={"A": "X", "B": "X"})
    out = mhneed.compare(county, pd.DataFrame({"group": ["X"], "recorded": [3]}))
    assert out["cases"].tolist() == pytest.approx([40 * 0.10 + 60 * 0.05])


def test_zero_lower_limit_gives_unbounded_share() -> None:
    """A lower limit of 0 with something recorded: the share has no upper bound."""
    table = make_table([("c", "persons", "16+", 0, 0, 0.8)])
    est = mhneed.estimate(people({"A": (500, 500)}), table)
    out = mhneed.compare(est, pd.DataFrame({"area_code": ["A"], "recorded": [2]}))
    row = out.iloc[0]
    assert row["share_met_upper"] == math.inf
    assert row["share_met_lower"] == 2 / 8
    assert math.isinf(row["share_met"])


def test_nothing_recorded_against_zero_is_zero() -> None:
    """0 recorded against an estimate (or lower limit) of 0 is a share of 0, not NaN."""
    table = make_table([("c", "persons", "16+", 0, 0, 0.8)])
    est = mhneed.estimate(people({"A": (500, 500)}), table)
    out = mhneed.compare(est, pd.DataFrame({"area_code": ["A"], "recorded": [0]}))
    row = out.iloc[0]
    assert (row["share_met"], row["share_met_lower"], row["share_met_upper"]) == (0.0, 0.0, 0.0)
    none = make_table([("c", "persons", "16+", 0, None, None)], interval="none")
    est = mhneed.estimate(people({"A": (500, 500)}), none)
    row = mhneed.compare(est, pd.DataFrame({"area_code": ["A"], "recorded": [0]})).iloc[0]
    assert row["share_met"] == 0.0
    assert math.isnan(row["share_met_lower"])
    assert math.isnan(row["share_met_upper"])


def test_year_keys_are_numbers() -> None:
    """Numeric keys join as numbers; text for a numeric key is refused with the types named."""
    pop = people({"A": (100, 100)}).assign(year=2014)
    est = mhneed.estimate(pop, CI)
    ok = mhneed.compare(est, pd.DataFrame({"area_code": ["A"], "year": [2014], "recorded": [1]}))
    assert ok["year"].tolist() == [2014]
    with pytest.raises(InputError) as info:
        mhneed.compare(est, pd.DataFrame({"area_code": ["A"], "year": ["2014"], "recorded": [1]}))
    assert str(info.value) == (
        "compare: key column year holds text in recorded but numbers in the estimate; give it "
        "the estimate's type"
    )


@pytest.mark.parametrize(
    ("recorded", "kwargs", "error", "message"),
    [
        (
            pd.DataFrame({"area_code": ["A"], "count": [1]}),
            {},
            MissingColumnError,
            "compare: recorded has no column 'recorded' of counts; name it with column=; it "
            "has: area_code, count",
        ),
        (
            pd.DataFrame({"area": ["A"], "recorded": [1]}),
            {},
            MissingColumnError,
            "compare: recorded shares no key column with the estimate; the estimate's keys "
            "are: area_code; recorded has: area, recorded",
        ),
        (
            pd.DataFrame({"area_code": ["A"], "recorded": [1]}),
            {"on": ["district"]},
            MissingColumnError,
            "compare: on column 'district' is not a key of the estimate; its keys are: area_code",
        ),
        (
            pd.DataFrame({"area_code": ["A", "B"], "recorded": [1, -2]}),
            {},
            InputError,
            "compare: column recorded: counts must be numbers, 0 or more; row 1: -2",
        ),
        (
            pd.DataFrame({"area_code": ["A", "B"], "recorded": ["1", "many"]}),
            {},
            InputError,
            "compare: column recorded: counts must be numbers, 0 or more; row 1: 'many'",
        ),
        (
            pd.DataFrame({"area_code": ["A", "A"], "recorded": [1, 2]}),
            {},
            InputError,
            "compare: recorded has more than one row for area_code A, condition c (rows 0, 1); "
            "give one count per key",
        ),
        (
            pd.DataFrame({"area_code": ["A", None], "recorded": [1, 2]}),
            {},
            InputError,
            "compare: recorded column area_code: missing values in rows 1; every row needs "
            "its keys",
        ),
        (
            pd.DataFrame({"area_code": ["A"], "recorded": [1]}),
            {"unmatched": "drop"},
            InputError,
            "compare: unmatched='drop' is not one of 'report', 'error'",
        ),
        (
            pd.DataFrame({"area_code": ["A"], "recorded": [1]}),
            {"condition": "gad"},
            UnknownConditionError,
            "compare: condition 'gad' is not in the estimate; its conditions are: c",
        ),
        (
            pd.DataFrame({"area_code": ["A"], "condition": ["x"], "recorded": [1]}),
            {},
            UnknownConditionError,
            "compare: recorded column condition has 'x', not in the estimate; its conditions "
            "are: c",
        ),
        (
            pd.DataFrame({"area_code": ["A"], "condition": ["c"], "recorded": [1]}),
            {"condition": "c"},
            InputError,
            "compare: recorded has a condition column and condition='c' was also given; use "
            "one or the other",
        ),
        (
            [("A", 1)],
            {},
            InputError,
            "compare: recorded must be a DataFrame of key columns and counts, not list",
        ),
    ],
)
def test_bad_input(
    recorded: object, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    """Every broken rule is named, with the column and the value."""
    est = mhneed.estimate(people({"A": (100, 100), "B": (5, 5)}), CI)
    with pytest.raises(error) as info:
        mhneed.compare(est, recorded, **kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_several_conditions_need_saying_which() -> None:
    """Counts for an estimate of several conditions must say which condition they are for."""
    rec = pd.DataFrame({"area_code": ["A"], "recorded": [1]})
    with pytest.raises(UnknownConditionError) as info:
        mhneed.compare(two_conditions(), rec)
    assert str(info.value) == (
        "compare: the estimate has 2 conditions (gad, ptsd) from rate table apms_2014; say "
        "which the counts are for with condition=, or give recorded a condition column"
    )


def test_refuses_rounded_and_wrongly_summarised_estimates() -> None:
    """Compare unrounded estimates, summarised by the keys only."""
    est = two_conditions()
    rec = pd.DataFrame({"area_code": ["A"], "recorded": [1]})
    with pytest.raises(CombineError) as info:
        mhneed.compare(est.summarise(by=["area_code", "condition"]).round(5), rec, condition="gad")
    assert str(info.value) == (
        "compare: this estimate is rounded to the nearest 5; compare with the unrounded "
        "estimate, then round what you show"
    )
    with pytest.raises(CombineError) as info:
        mhneed.compare(est.summarise(by=["area_code", "condition", "sex"]), rec, condition="gad")
    assert str(info.value) == (
        "compare: the estimate is summarised by area_code, condition, sex, but recorded counts "
        "are by area_code; sex would have to be added up first: summarise the estimate by "
        "area_code, condition"
    )
    with pytest.raises(InputError) as info:
        mhneed.compare(est.to_frame(), rec)  # type: ignore[arg-type]
    assert str(info.value) == (
        "compare: estimate must be an Estimate from mhneed.estimate(), not DataFrame"
    )


def test_exported() -> None:
    """mhneed.compare is public."""
    assert "compare" in mhneed.__all__


def test_refuses_to_add_up_other_keys() -> None:
    """Counts by area against an estimate of several years: refused, not summed over years."""
    people_by_year = pd.concat(
        [people({"A": (100, 100)}).assign(year=2014), people({"A": (100, 100)}).assign(year=2015)]
    )
    est = mhneed.estimate(people_by_year, CI)
    with pytest.raises(CombineError) as info:
        mhneed.compare(est, pd.DataFrame({"area_code": ["A"], "recorded": [3]}))
    assert str(info.value) == (
        "compare: the estimate has more than one year for area_code A (2014, 2015), but "
        "recorded counts are by area_code; adding them up would add different years together: "
        "give recorded a year column, or estimate one year"
    )
    with pytest.warns(UserWarning, match="area_code A, year 2014"):
        by_year = mhneed.compare(
            est, pd.DataFrame({"area_code": ["A"], "year": [2015], "recorded": [3]})
        )
    assert by_year["cases"].tolist() == pytest.approx([100 * 0.10 + 100 * 0.05])


def test_keys_that_follow_the_area_are_not_a_problem() -> None:
    """An area_name key (one per area) does not stop a comparison by area_code."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["ptsd"])
    out = mhneed.compare(est, pd.DataFrame({"area_code": ["E06000017"], "recorded": [3]}))
    assert out["cases"].tolist() == pytest.approx([31542 * 0.044])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            [pd.Timestamp("2020-01-01"), pd.Timestamp("2020-02-01")],
            "compare: column recorded: holds dates, not counts; row 0: Timestamp('2020-01-01 "
            "00:00:00'), row 1: Timestamp('2020-02-01 00:00:00')",
        ),
        (
            [True, False],
            "compare: column recorded: holds true/false values, not counts; row 0: True, "
            "row 1: False",
        ),
        (
            [300, True],
            "compare: column recorded: holds true/false values, not counts; row 1: True",
        ),
        (
            [pd.Timedelta(days=1), pd.Timedelta(days=2)],
            "compare: column recorded: holds durations, not counts; row 0: Timedelta('1 days "
            "00:00:00'), row 1: Timedelta('2 days 00:00:00')",
        ),
    ],
)
def test_counts_that_are_not_numbers(values: list[object], message: str) -> None:
    """Dates, true/false values and durations are refused as counts (not read as 1 or ns)."""
    est = two_conditions()
    rec = pd.DataFrame({"area_code": ["A", "B"], "recorded": values})
    with pytest.raises(InputError) as info:
        mhneed.compare(est, rec, condition="ptsd")
    assert str(info.value) == message
    assert (info.value.column, info.value.rule) == ("recorded", "counts are numbers")
