"""Unit tests for mhneed.engine.estimate: the engine, scope and coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, RateTableError, UnknownConditionError
from tests.helpers import grid_table, make_table


def people(ages: list[int], female: list[float], male: list[float], **keys: str) -> pd.DataFrame:
    """Single-year population for one key group."""
    frame = pd.DataFrame(
        {
            "sex": ["female"] * len(ages) + ["male"] * len(ages),
            "age": ages + ages,
            "population": female + male,
        }
    )
    for k, v in keys.items():
        frame.insert(0, k, v)
    return frame


def test_sex_cells_by_hand() -> None:
    """Women's and men's rates apply to their own 16+ populations; under-16s are out of scope."""
    t = make_table(
        [("c", "female", "16+", 10, None, None), ("c", "male", "16+", 5, None, None)],
        interval="none",
    )
    est = mhneed.estimate(people([10, 20, 80], [100, 200, 300], [50, 60, 70], area="A"), t)
    f = est.to_frame()
    assert f[["sex", "age_band", "population"]].values.tolist() == [
        ["female", "16+", 500.0],
        ["male", "16+", 130.0],
    ]
    assert f["cases"].tolist() == pytest.approx([50.0, 6.5])
    cov = est.coverage.iloc[0]
    assert (cov["population"], cov["in_scope"], cov["too_young"], cov["too_old"]) == (
        780,
        630,
        150,
        0,
    )


def test_persons_cell_and_interval() -> None:
    """A persons cell takes both sexes; limits scale with population."""
    t = make_table([("c", "persons", "16+", 4.4, 3.8, 5.0)])
    f = mhneed.estimate(people([30], [1000], [1000]), t).to_frame()
    assert f["population"].tolist() == [2000.0]
    assert f[["cases", "cases_lower", "cases_upper"]].iloc[0].tolist() == pytest.approx(
        [88, 76, 100]
    )
    assert f["interval"].tolist() == ["95% confidence interval"]


def test_no_interval_is_labelled_not_invented() -> None:
    """Cells without published limits have NaN limits and say so."""
    t = make_table([("a", "persons", "16+", 1, None, None), ("b", "persons", "16+", 2, 1, 3)])
    f = mhneed.estimate(people([30], [10], [10]), t).to_frame()
    assert f["interval"].tolist() == ["no interval published", "95% confidence interval"]
    assert np.isnan(f["cases_lower"].iloc[0])


def test_age_grid_by_hand() -> None:
    """Single years land in the right age-by-sex cells."""
    t = grid_table()
    ages = [16, 24, 25, 74, 75, 100]
    f = mhneed.estimate(people(ages, [1, 2, 4, 8, 16, 32], [0, 0, 0, 0, 0, 64]), t).to_frame()
    got = dict(zip(zip(f["sex"], f["age_band"], strict=False), f["population"], strict=False))
    assert got[("female", "16-24")] == 3
    assert got[("female", "25-34")] == 4
    assert got[("female", "65-74")] == 8
    assert got[("female", "75+")] == 48
    assert got[("male", "75+")] == 64
    assert got[("male", "16-24")] == 0
    assert len(f) == 14


def test_top_coded_age_goes_to_open_band() -> None:
    """ONS's 90 (90 and over) lands in 75+; from attrs too."""
    t = grid_table()
    frame = people([90], [10], [20])
    frame.attrs["top_age"] = 90
    f = mhneed.estimate(frame, t).to_frame()
    assert f.loc[f["age_band"] == "75+", "population"].tolist() == [10.0, 20.0]


def test_top_coded_age_outside_a_closed_scope_is_too_old() -> None:
    """90+ is wholly above 16-74 and counted too old."""
    t = make_table(
        [("c", "persons", "16-74", 6.4, 5.8, 7.2)],
        conditions=[{"id": "c", "label": "c", "period": "p", "ages": "16-74"}],
    )
    est = mhneed.estimate(people([50, 90], [1, 10], [1, 10]), t, top_age=90)
    assert est.coverage[["in_scope", "too_old"]].iloc[0].tolist() == [2.0, 20.0]


def test_top_coded_age_that_cannot_be_placed() -> None:
    """A top-coded age inside a closed band cannot be split: a clear error."""
    t = make_table(
        [("c", "persons", "16-94", 1, None, None)],
        interval="none",
        conditions=[{"id": "c", "label": "c", "period": "p", "ages": "16-94"}],
    )
    with pytest.raises(InputError) as info:
        mhneed.estimate(people([90], [1], [1]), t, top_age=90)
    assert str(info.value) == (
        "column age: age 90 is top-coded (90+, 90 and over), but condition c (ages 16-94) of rate "
        "table test ends or splits a band above it, so the people aged 90+ cannot be placed; give "
        "single years above the top-coded age, or narrow ages to end below it"
    )


def test_narrowed_ages_are_exact_for_single_years() -> None:
    """ages=(18, 64): only ages 18 to 64 count; the rest are reported out of scope."""
    t = grid_table()
    ages = list(range(0, 91))
    frame = people(ages, [1.0] * 91, [2.0] * 91)
    est = mhneed.estimate(frame, t, ages=(18, 64))
    f = est.to_frame()
    assert f["population"].sum() == (64 - 18 + 1) * 3
    assert set(f["age_band"]) == {"18-24", "25-34", "35-44", "45-54", "55-64"}
    cov = est.coverage.iloc[0]
    assert (cov["too_young"], cov["too_old"]) == (18 * 3, (90 - 64) * 3)


def test_banded_population_split_uniformly() -> None:
    """A population band straddling the scope is split by its share of years, and flagged."""
    t = make_table([("c", "persons", "16+", 10, None, None)], interval="none")
    frame = pd.DataFrame(
        {"sex": ["female", "female"], "age_band": ["10-19", "20+"], "population": [100, 50]}
    )
    est = mhneed.estimate(frame, t)
    assert est.to_frame()["population"].tolist() == [40.0 + 50.0]
    assert est.coverage["too_young"].tolist() == [60.0]
    assert est.params["split_bands"] is True
    assert any("split uniformly" in w for w in est.warnings)


def test_banded_population_aligned_is_not_split() -> None:
    """Bands that fit the table's bands are not split."""
    t = grid_table()
    bands = ["0-15", "16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
    frame = pd.DataFrame({"sex": "male", "age_band": bands, "population": range(1, 9)})
    est = mhneed.estimate(frame, t)
    assert est.params["split_bands"] is False
    assert est.coverage[["in_scope", "too_young"]].iloc[0].tolist() == [35.0, 1.0]
    assert not any("split" in w for w in est.warnings)


def test_open_population_band_across_rate_bands() -> None:
    """An open-ended population band spanning several rate bands cannot be split."""
    frame = pd.DataFrame({"sex": ["male"] * 2, "age_band": ["16-24", "25+"], "population": [5, 7]})
    with pytest.raises(InputError) as info:
        mhneed.estimate(frame, grid_table())
    assert str(info.value) == (
        "column age_band: band 25+ is open-ended, but condition grid (ages 16+) of rate table "
        "test divides the ages 25+ between bands, and an open-ended band cannot be split; give "
        "narrower bands, or narrow ages to end below it"
    )


def test_wrong_sex_is_reported() -> None:
    """Men are out of scope for a women-only condition."""
    t = make_table(
        [("w", "female", "16+", 10, None, None)],
        interval="none",
        conditions=[{"id": "w", "label": "w", "period": "p", "ages": "16+", "sexes": ["female"]}],
    )
    est = mhneed.estimate(people([30], [10], [7]), t)
    assert est.coverage[["in_scope", "wrong_sex"]].iloc[0].tolist() == [10.0, 7.0]


def test_choose_conditions() -> None:
    """Only the requested conditions are estimated."""
    est = mhneed.estimate(people([30], [10], [10]), "apms_2014", conditions=["gad", "ptsd"])
    assert est.to_frame()["condition"].unique().tolist() == ["gad", "ptsd"]


def test_unknown_condition() -> None:
    """An unknown condition is named, with the valid ones."""
    with pytest.raises(UnknownConditionError) as info:
        mhneed.estimate(
            people([30], [1], [1]),
            make_table([("a", "persons", "16+", 1, None, None)], interval="none"),
            conditions=["zz"],
        )
    assert str(info.value) == "condition 'zz' not in rate table test; its conditions are: a"


def test_births_table_refused() -> None:
    """A table with a births denominator is refused by estimate()."""
    with pytest.raises(RateTableError) as info:
        mhneed.estimate(people([30], [1], [1]), "jcpmh_2012_perinatal")
    assert str(info.value) == (
        "rate table jcpmh_2012_perinatal has denominator maternities, not persons; estimate "
        "from births with mhneed.estimate_perinatal"
    )


def test_ages_not_overlapping_scope() -> None:
    """Narrowing to ages outside a condition's scope is an error."""
    with pytest.raises(InputError, match="ages 0-15 do not overlap condition gad's scope"):
        mhneed.estimate(people([30], [1], [1]), "apms_2014", conditions=["gad"], ages="0-15")


def test_many_groups_row_count_and_order() -> None:
    """One row per key group × cell, groups in sorted key order."""
    frame = pd.concat([people([30], [1], [2], area="B"), people([30], [3], [4], area="A")])
    f = mhneed.estimate(frame, "apms_2014", conditions=["gad"]).to_frame()
    assert f["area"].tolist() == ["A", "A", "B", "B"]
    assert f["population"].tolist() == [3.0, 4.0, 1.0, 2.0]


def test_docstring_example_runs() -> None:
    """The example in help(mhneed.estimate) runs and gives its printed output."""
    import doctest

    doc = mhneed.estimate.__doc__
    assert doc is not None
    assert "Examples" in doc
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(mhneed.estimate, "estimate", globs={}):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 4
    assert result.failed == 0


# -- narrowed ages: the rate was published for a wider band (issue 15) -------------------

NARROWED = (
    "Ages narrowed to 18-64: rates published for wider age bands are applied to the "
    "narrower bands (gad female 16+ applied to 18-64; gad male 16+ applied to 18-64), which "
    "assumes the rate is the same at every age of the published band; the source gives no "
    "rate for the narrower band itself."
)


def test_narrowed_ages_warn_and_say_so_in_the_output() -> None:
    """ages=(18, 64) on a 16+ table warns, and the estimate and its report say so."""
    import warnings as _warnings

    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        est = mhneed.estimate(
            mhneed.rutland_population(), "apms_2014", conditions=["gad"], ages=(18, 64)
        )
    assert [str(w.message) for w in caught if w.category is UserWarning] == [NARROWED]
    assert NARROWED in est.warnings
    assert est.params["narrowed_rates"] == [
        "gad female 16+ applied to 18-64",
        "gad male 16+ applied to 18-64",
    ]
    report = mhneed.report_table(est)
    assert any(NARROWED in note for note in report.notes)


def test_ages_that_cut_no_rate_band_do_not_warn() -> None:
    """ages= that only selects whole published bands says nothing."""
    import warnings as _warnings

    with _warnings.catch_warnings():
        _warnings.simplefilter("error", UserWarning)
        est = mhneed.estimate(
            mhneed.rutland_population(), "apms_2014", conditions=["gad"], ages="16+"
        )
    assert est.params["narrowed_rates"] == []
    assert not any(w.startswith("Ages narrowed") for w in est.warnings)


def test_kept_labels_cannot_be_written_through_a_result() -> None:
    """The categorical types of a table's labels are kept for later estimates, read only."""
    people = mhneed.rutland_population()
    first = mhneed.estimate(people, "apms_2014", top_age=90).to_frame()
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(first["condition"].cat.categories)[0] = "changed"
    again = mhneed.estimate(people, "apms_2014", top_age=90).to_frame()
    assert again["condition"].iloc[0] == "cmd_symptoms"
