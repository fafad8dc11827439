"""Unit tests for mhneed.engine.perinatal: estimate_perinatal, its denominators and reports."""

from __future__ import annotations

import doctest
import math
import warnings
from typing import Any

import pandas as pd
import pytest

import mhneed
import mhneed.engine.perinatal
import mhneed.engine.results
from mhneed import (
    CombineError,
    InputError,
    RateTable,
    RateTableError,
    UnknownConditionError,
)
from mhneed.engine.labels import OVERLAP_WARNING

JCPMH = "jcpmh_2012_perinatal"

LIVE_BIRTHS_WARNING = (
    "The births are counted as live births (each baby born alive, so twins count twice), but "
    "the rates of table jcpmh_2012_perinatal apply to maternities (women giving birth, each "
    "counted once); the estimates have not been adjusted for the difference. Live births run "
    "above maternities (a multiple birth is one maternity), so these estimates are likely to "
    "be a little high."
)


def births_frame(**columns: Any) -> pd.DataFrame:
    """A small births frame: two areas, one year, unless told otherwise."""
    data = {"area_code": ["E06000017", "E06000016"], "year": [2016, 2016], "births": [312, 1000]}
    data.update(columns)
    return pd.DataFrame(data)


def user_table(
    rows: list[dict[str, Any]],
    *,
    denominator: str = "maternities",
    interval: str = "published_range",
) -> RateTable:
    """A user's own births table, built through the public RateTable.from_frame."""
    conditions = list(dict.fromkeys(r["condition"] for r in rows))
    meta = {
        "id": "my_table",
        "title": "My perinatal table",
        "publisher": "Me",
        "edition": 2020,
        "geography": "England",
        "population": "women giving birth",
        "ages": "all ages",
        "denominator": denominator,
        "interval": interval,
        "level": 0.95 if interval == "confidence_interval" else None,
        "unit": "per_1000",
        "conditions": [
            {"id": c, "label": c, "period": "perinatal", "ages": "all ages", "sexes": ["female"]}
            for c in conditions
        ],
        "sources": [{"id": "mine", "citation": "My source.", "kind": "primary"}],
    }
    frame = pd.DataFrame(
        [
            {"sex": "female", "age_band": "all ages", "rate": "", "lower": "", "upper": ""}
            | {"source": "mine"}
            | r
            for r in rows
        ]
    )
    return RateTable.from_frame(frame, meta)


def estimate(births: pd.DataFrame, **kwargs: Any) -> mhneed.Estimate:
    """estimate_perinatal with maternities unless told otherwise."""
    kwargs.setdefault("denominator", "maternities")
    return mhneed.estimate_perinatal(births, **kwargs)


# -- the estimate ---------------------------------------------------------------------


def test_columns_and_row_order() -> None:
    """Rows are key groups (sorted) × conditions (table order), with the documented columns."""
    frame = estimate(births_frame()).to_frame()
    assert list(frame.columns) == [
        "area_code",
        "year",
        "condition",
        "sex",
        "age_band",
        "births",
        "rate",
        "lower",
        "upper",
        "cases",
        "cases_lower",
        "cases_upper",
        "interval",
    ]
    table = mhneed.load_table(JCPMH)
    assert frame["area_code"].tolist() == ["E06000016"] * 6 + ["E06000017"] * 6
    assert frame["condition"].tolist() == table.conditions * 2
    assert set(frame["sex"]) == {"female"}
    assert set(frame["age_band"]) == {"all ages"}
    assert set(frame["interval"]) == {"published range"}


def test_cases_are_births_times_the_published_range() -> None:
    """1,000 maternities give the published per-1,000 figures, with the midpoint as cases."""
    frame = estimate(births_frame()).to_frame()
    thousand = frame[frame["births"] == 1000].set_index("condition")
    # RATES.md §1, per 1,000 maternities
    published = {
        "postpartum_psychosis": (2, 2),
        "chronic_smi": (2, 2),
        "severe_depressive_illness": (30, 30),
        "mild_moderate_depression_anxiety": (100, 150),
        "ptsd": (30, 30),
        "adjustment_distress": (150, 300),
    }
    for cond, (low, high) in published.items():
        row = thousand.loc[cond]
        assert row["cases_lower"] == pytest.approx(low, rel=1e-12)
        assert row["cases_upper"] == pytest.approx(high, rel=1e-12)
        assert row["cases"] == pytest.approx((low + high) / 2, rel=1e-12)


def test_cases_match_the_table_rows_for_every_group() -> None:
    """Every row is births × the table's rate, lower and upper for its condition."""
    births = births_frame(births=[312.5, 7])
    frame = estimate(births).to_frame()
    rows = mhneed.load_table(JCPMH).to_frame().set_index("condition")
    for rec in frame.to_dict("records"):
        row = rows.loc[rec["condition"]]
        assert rec["rate"] == row["rate"]
        assert rec["cases"] == rec["births"] * row["rate"]
        assert rec["cases_lower"] == rec["births"] * row["lower"]
        assert rec["cases_upper"] == rec["births"] * row["upper"]


def test_no_key_columns() -> None:
    """A frame with only a births column gives one row per condition and no key columns."""
    frame = estimate(pd.DataFrame({"births": [312]})).to_frame()
    assert list(frame.columns[:2]) == ["condition", "sex"]
    assert len(frame) == 6


def test_zero_and_fractional_births() -> None:
    """Zero births give zero cases; fractional counts (averages) are allowed."""
    frame = estimate(births_frame(births=[0, 312.5])).to_frame()
    zero = frame[frame["births"] == 0]
    assert (zero[["cases", "cases_lower", "cases_upper"]] == 0).all().all()
    assert frame.loc[frame["births"] == 312.5, "births"].size == 6


def test_conditions_subset_in_table_order() -> None:
    """Chosen conditions keep the table's order; repeats are dropped; a string is one condition."""
    est = estimate(births_frame(), conditions=["ptsd", "chronic_smi", "ptsd"])
    assert est.conditions == ["ptsd", "chronic_smi"]
    assert est.to_frame()["condition"].tolist() == ["ptsd", "chronic_smi"] * 2
    assert estimate(births_frame(), conditions="ptsd").conditions == ["ptsd"]


def test_categorical_keys_keep_their_dtype() -> None:
    """A categorical key column stays categorical in the result."""
    births = births_frame(area_code=pd.Categorical(["b", "a"], categories=["b", "a"]))
    frame = estimate(births).to_frame()
    assert isinstance(frame["area_code"].dtype, pd.CategoricalDtype)
    assert frame["area_code"].tolist()[:6] == ["b"] * 6


def test_input_frame_not_changed() -> None:
    """The input frame is left as it was."""
    births = births_frame()
    before = births.copy()
    estimate(births)
    pd.testing.assert_frame_equal(births, before)


def test_coverage_counts_every_birth_in_scope() -> None:
    """Coverage: births in scope = all births; nobody out of scope."""
    est = estimate(births_frame())
    cov = est.coverage
    assert list(cov.columns) == [
        "area_code",
        "year",
        "condition",
        "births",
        "in_scope",
        "too_young",
        "too_old",
        "wrong_sex",
    ]
    assert (cov["in_scope"] == cov["births"]).all()
    assert (cov[["too_young", "too_old", "wrong_sex"]] == 0).all().all()
    assert est.provenance()["coverage"]["ptsd"] == {
        "births": 1312.0,
        "in_scope": 1312.0,
        "too_young": 0.0,
        "too_old": 0.0,
        "wrong_sex": 0.0,
    }


def test_count_column() -> None:
    """A perinatal estimate counts births; a population estimate counts population."""
    assert estimate(births_frame()).count_column == "births"
    people = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["gad"])
    assert people.count_column == "population"
    assert "population" in people.to_frame().columns
    assert "population" in people.summarise(by=["area_code"]).to_frame().columns
    assert "population" in people.provenance()["coverage"]["gad"]


# -- denominator ----------------------------------------------------------------------


def test_denominator_recorded() -> None:
    """The caller's denominator is in the provenance, beside the table's."""
    prov = estimate(births_frame()).to_frame().attrs["mhneed"]
    assert prov["denominator"] == "maternities"
    assert prov["table_denominator"] == "maternities"


def test_matching_denominator_gives_no_warning() -> None:
    """Maternities against a per-maternities table: no warning beyond the overlap."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = estimate(births_frame())
    assert est.warnings == [OVERLAP_WARNING]


@pytest.mark.parametrize("spelling", ["live_births", "live births", "Live-Births", " LIVE_BIRTHS "])
def test_live_births_warn_and_are_not_adjusted(spelling: str) -> None:
    """Live births are recorded, warned about everywhere, and the numbers are unchanged."""
    with pytest.warns(UserWarning, match="^The births are counted as") as record:
        est = estimate(births_frame(), denominator=spelling)
    assert [str(w.message) for w in record] == [LIVE_BIRTHS_WARNING]
    assert est.warnings == [OVERLAP_WARNING, LIVE_BIRTHS_WARNING]
    frame = est.to_frame()
    assert frame.attrs["mhneed"]["denominator"] == "live_births"
    assert frame.attrs["mhneed"]["warnings"] == [OVERLAP_WARNING, LIVE_BIRTHS_WARNING]
    text = est.describe()
    assert "  denominator: live births (the rate table's rates apply to maternities)" in text.split(
        "\n"
    )
    assert f"    - {LIVE_BIRTHS_WARNING}" in text.split("\n")
    plain = estimate(births_frame()).to_frame()
    cols = ["cases", "cases_lower", "cases_upper"]
    pd.testing.assert_frame_equal(frame[cols], plain[cols])


def test_deliveries_warning_has_no_direction() -> None:
    """For deliveries nothing is claimed about the size of the difference."""
    with pytest.warns(UserWarning, match="^The births are counted as") as record:
        estimate(births_frame(), denominator="deliveries")
    assert [str(w.message) for w in record] == [
        "The births are counted as deliveries, but the rates of table jcpmh_2012_perinatal "
        "apply to maternities (women giving birth, each counted once); the estimates have not "
        "been adjusted for the difference."
    ]


def test_live_births_table_with_live_births_gives_no_warning() -> None:
    """A user's table per 1,000 live births with live births: no mismatch."""
    table = user_table([{"condition": "x", "lower": 10, "upper": 20}], denominator="live_births")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = estimate(births_frame(), table=table, denominator="live_births")
    assert est.warnings == [OVERLAP_WARNING]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "births",
            "denominator 'births' is not one of maternities, live_births, deliveries: say what "
            "the births column counts",
        ),
        (
            "persons",
            "denominator 'persons' is not one of maternities, live_births, deliveries: say what "
            "the births column counts; for a population use mhneed.estimate",
        ),
        (
            None,
            "denominator is not given: say what the births column counts (maternities, "
            "live_births, deliveries), or give maternities in a column named maternities",
        ),
    ],
)
def test_bad_denominator(value: object, message: str) -> None:
    """An unknown denominator is refused, naming the allowed ones."""
    with pytest.raises(InputError) as info:
        estimate(births_frame(), denominator=value)
    assert str(info.value) == message
    assert info.value.column == "denominator"
    assert info.value.values == (value,)


def test_denominator_is_required() -> None:
    """With a births column, the caller must say what the births count: there is no default."""
    with pytest.raises(InputError, match=r"^denominator is not given") as info:
        mhneed.estimate_perinatal(births_frame())
    assert info.value.rule == "denominator given"


# -- a maternities column (issue 16, item 9) ------------------------------------------


def test_maternities_column_needs_no_denominator() -> None:
    """A maternities column is counted as maternities: no warning, the denominator recorded."""
    frame = births_frame().rename(columns={"births": "maternities"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = mhneed.estimate_perinatal(frame)
    assert est.provenance()["denominator"] == "maternities"
    assert est.to_frame()["births"].tolist()[:1] == [1000.0]  # E06000016 first
    assert est.warnings == [OVERLAP_WARNING]
    assert "  denominator: maternities" in est.describe().split("\n")
    same = mhneed.estimate_perinatal(frame, denominator="Maternities")
    assert same.to_frame().equals(est.to_frame())


def test_maternities_column_preferred_to_births() -> None:
    """Both columns: maternities are used, births checked but not used, and that is said."""
    frame = births_frame(maternities=[305, 990])
    with pytest.warns(UserWarning, match=r"^The births frame has both") as record:
        est = mhneed.estimate_perinatal(frame)
    assert [str(w.message) for w in record] == [
        "The births frame has both maternities and births columns: the maternities (1,295 in "
        "all) were used, as the rates are per maternity; the births column (1,312 in all) was "
        "checked but not used."
    ]
    out = est.to_frame()
    assert list(out.columns[:3]) == ["area_code", "year", "condition"]
    assert out.groupby("area_code", sort=False)["births"].first().to_dict() == {
        "E06000016": 990.0,
        "E06000017": 305.0,
    }
    assert est.params["unused_births"] == 1312.0
    assert est.provenance()["denominator"] == "maternities"


def test_maternities_column_with_another_denominator_refused() -> None:
    """denominator= describes a births column; with maternities it can only be maternities."""
    frame = births_frame(maternities=[305, 990])
    with pytest.raises(InputError) as info:
        mhneed.estimate_perinatal(frame, denominator="live_births")
    assert str(info.value) == (
        "births frame: denominator 'live_births' does not describe the maternities column, "
        "which counts maternities and is used when there is one; leave denominator out (or "
        "drop the maternities column to use the births column)"
    )
    assert info.value.column == "denominator"
    assert info.value.rule == "a maternities column counts maternities"


@pytest.mark.parametrize(
    ("maternities", "births", "message"),
    [
        (
            [305, -1],
            [312, 1000],
            "column maternities: negative value -1 in rows 1; a count of maternities cannot be "
            "negative",
        ),
        (
            [305, None],
            [312, 1000],
            "column maternities: values are missing (NaN) in rows 1; every count of maternities "
            "must be a finite number",
        ),
        ([305, 990], [312, "many"], "column births: value 'many' (rows 1) is not a number"),
    ],
)
def test_maternities_and_unused_births_checked(
    maternities: list[Any], births: list[Any], message: str
) -> None:
    """Bad maternities are named as maternities; a bad unused births column is refused too."""
    frame = births_frame(births=births, maternities=maternities)
    with pytest.raises(InputError) as info:
        mhneed.estimate_perinatal(frame)
    assert str(info.value) == message


# -- tables ---------------------------------------------------------------------------


def test_persons_table_refused() -> None:
    """A table per persons is refused, pointing to mhneed.estimate."""
    with pytest.raises(RateTableError) as info:
        estimate(births_frame(), table="apms_2014")
    assert str(info.value) == (
        "rate table apms_2014 has denominator persons, not births; estimate from a population "
        "with mhneed.estimate"
    )
    assert info.value.column == "denominator"


def test_table_with_several_rates_per_condition_refused() -> None:
    """A births table with more than one row for a condition is refused."""
    rows = [
        {"condition": "x", "age_band": "0-29", "rate": 10},
        {"condition": "x", "age_band": "30+", "rate": 20},
    ]
    table = user_table(rows)
    with pytest.raises(RateTableError) as info:
        estimate(births_frame(), table=table)
    assert str(info.value) == (
        "rate table my_table: condition x has 2 rates (female 0-29, female 30+); "
        "estimate_perinatal applies one rate per condition to every birth, so each condition "
        "needs exactly one row"
    )


def test_unknown_condition() -> None:
    """An unknown condition is refused, listing the table's conditions."""
    with pytest.raises(UnknownConditionError) as info:
        estimate(births_frame(), conditions=["psychosis"])
    assert str(info.value) == (
        "condition 'psychosis' not in rate table jcpmh_2012_perinatal; its conditions are: "
        "postpartum_psychosis, chronic_smi, severe_depressive_illness, "
        "mild_moderate_depression_anxiety, ptsd, adjustment_distress"
    )


def test_table_of_the_wrong_type() -> None:
    """A table must be a RateTable or an id."""
    with pytest.raises(RateTableError) as info:
        estimate(births_frame(), table=42)
    assert str(info.value) == "table must be a RateTable or a shipped table id, not int"


def test_user_table_with_rate_and_without_interval() -> None:
    """A given rate is used as is; a row with no limits has NaN limits and says so."""
    table = user_table(
        [
            {"condition": "a", "rate": 12, "lower": 10, "upper": 20},
            {"condition": "b", "rate": 5},
        ]
    )
    frame = estimate(pd.DataFrame({"births": [1000]}), table=table).to_frame()
    a, b = frame.to_dict("records")
    assert (a["cases"], a["cases_lower"], a["cases_upper"]) == pytest.approx((12, 10, 20))
    assert a["interval"] == "published range"
    assert b["cases"] == pytest.approx(5)
    assert math.isnan(b["cases_lower"])
    assert math.isnan(b["cases_upper"])
    assert b["interval"] == "no interval published"


def test_confidence_interval_table_is_labelled() -> None:
    """A user's births table with confidence limits labels them as such."""
    table = user_table(
        [{"condition": "a", "rate": 12, "lower": 10, "upper": 20}], interval="confidence_interval"
    )
    frame = estimate(pd.DataFrame({"births": [1000]}), table=table).to_frame()
    assert frame["interval"].tolist() == ["95% confidence interval"]


# -- warnings and reports -------------------------------------------------------------


def test_overlap_warning_in_frame_metadata_and_describe() -> None:
    """The overlap caveat is in the frame's metadata and the describe() text."""
    est = estimate(births_frame())
    assert OVERLAP_WARNING in est.to_frame().attrs["mhneed"]["warnings"]
    assert f"    - {OVERLAP_WARNING}" in est.describe().split("\n")
    rounded = est.round(to=5, how="up")
    assert OVERLAP_WARNING in rounded.to_frame().attrs["mhneed"]["warnings"]
    assert f"    - {OVERLAP_WARNING}" in rounded.describe().split("\n")
    summary = est.summarise(by=["condition"])
    assert OVERLAP_WARNING in summary.to_frame().attrs["mhneed"]["warnings"]


def test_describe_speaks_of_births() -> None:
    """describe() counts births, not people, for a perinatal estimate."""
    lines = estimate(pd.DataFrame({"births": [312]})).describe().split("\n")
    assert "  denominator: maternities" in lines
    assert "  coverage (births in the input, in scope and out of scope, by condition):" in lines
    assert (
        "    postpartum_psychosis, chronic_smi, severe_depressive_illness, "
        "mild_moderate_depression_anxiety, ptsd, adjustment_distress: births 312, in scope 312"
    ) in lines


# -- summarising ---------------------------------------------------------------------


def test_summarise_over_areas_adds_births_and_bounds() -> None:
    """Summarising by condition adds births and the published range bound to bound."""
    est = estimate(births_frame())
    summary = est.summarise(by=["condition"]).to_frame().set_index("condition")
    cells = est.to_frame().groupby("condition", observed=True)[
        ["births", "cases", "cases_lower", "cases_upper"]
    ]
    expected = cells.sum()
    for col in ("births", "cases", "cases_lower", "cases_upper"):
        assert summary[col].to_dict() == pytest.approx(expected[col].to_dict(), rel=1e-12)
    assert set(summary["interval"]) == {"published range"}


def test_summarise_across_conditions_refused() -> None:
    """Perinatal conditions overlap, so they are never added together."""
    with pytest.raises(CombineError) as info:
        estimate(births_frame()).summarise(by=["area_code"])
    assert str(info.value) == (
        "summarise(by=['area_code']): without 'condition' in by, counts for 6 different "
        "conditions would be added together; people can have more than one condition, so add "
        "'condition' to by (rate table jcpmh_2012_perinatal does not say its conditions are "
        "mutually exclusive)"
    )


# -- documentation --------------------------------------------------------------------


def test_docstring_examples_run() -> None:
    """The examples in estimate_perinatal's and Estimate.round's docstrings run."""
    finder = doctest.DocTestFinder()
    tests = finder.find(mhneed.engine.perinatal.estimate_perinatal, globs={})
    tests += finder.find(mhneed.engine.results.Estimate.round, globs={})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).attempted >= 9
    assert runner.summarize(verbose=False).failed == 0
