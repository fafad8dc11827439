"""Unit tests for Wilson intervals from survey bases: mhneed.engine.survey_bases and its input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.engine.labels import NO_INTERVAL
from mhneed.errors import CombineError, InputError, MissingColumnError
from mhneed.stats import wilson_interval
from tests.helpers import make_table


def people(areas: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Women and men aged 30 in each area: {area: (women, men)}."""
    rows = []
    for area, (women, men) in areas.items():
        rows += [(area, "female", 30, women), (area, "male", 30, men)]
    return pd.DataFrame(rows, columns=["area_code", "sex", "age", "population"])


# -- Wilson intervals from survey bases -------------------------------------------------

BASES = pd.DataFrame(
    {
        "condition": ["gad", "gad"],
        "sex": ["female", "male"],
        "age_band": ["16+", "16+"],
        "base": [4000, 3000],
        "deff": [1.5, 1.5],
    }
)


def gad_estimate(**kwargs: object) -> mhneed.Estimate:
    return mhneed.estimate(
        mhneed.rutland_population(), "apms_2014", conditions=["gad", "ptsd"], **kwargs
    )


def test_wilson_from_base_and_design_effect() -> None:
    """Cells with no published interval get Wilson limits at n = base / design effect."""
    est = gad_estimate().with_survey_bases(BASES)
    f = est.to_frame()
    women = f[(f["condition"] == "gad") & (f["sex"] == "female")].iloc[0]
    n = 4000 / 1.5
    low, high = wilson_interval(0.068 * n, n)
    assert (women["lower"], women["upper"]) == (low, high)
    assert women["cases_lower"] == pytest.approx(15356 * low, rel=1e-15)
    assert women["cases_upper"] == pytest.approx(15356 * high, rel=1e-15)
    assert women["interval"] == (
        "95% confidence interval (Wilson, from the survey base and design effect)"
    )
    ptsd = f[f["condition"] == "ptsd"].iloc[0]
    assert (ptsd["lower"], ptsd["upper"], ptsd["interval"]) == (
        0.038,
        0.05,
        "95% confidence interval",
    )
    assert est.interval_kind == "confidence_interval"
    assert est.interval_level == 0.95


def test_wilson_cells_combine_in_quadrature() -> None:
    """Summarised, Wilson intervals combine like published ones, and the label says Wilson."""
    est = gad_estimate().with_survey_bases(BASES)
    row = est.summarise(by=["condition"]).to_frame().set_index("condition").loc["gad"]
    cells = est.to_frame()
    gad = cells[cells["condition"] == "gad"]
    lower = gad["cases"].sum() - math.sqrt(((gad["cases"] - gad["cases_lower"]) ** 2).sum())
    upper = gad["cases"].sum() + math.sqrt(((gad["cases_upper"] - gad["cases"]) ** 2).sum())
    assert (row["cases_lower"], row["cases_upper"]) == pytest.approx((lower, upper), rel=1e-14)
    assert row["interval"] == (
        "95% confidence interval (Wilson, from the survey base and design effect)"
    )


def test_mixed_published_and_wilson_label() -> None:
    """A row combining a published interval with a Wilson one says both."""
    table = make_table([("c", "female", "16+", 10, 8, 13), ("c", "male", "16+", 5, None, None)])
    est = mhneed.estimate(people({"A": (100, 100)}), table)
    assert est.summarise(by=["condition"]).to_frame()["interval"].tolist() == [NO_INTERVAL]
    with_base = est.with_survey_bases({("c", "male", "16+"): {"base": 800, "deff": 2.0}})
    assert with_base.summarise(by=["condition"]).to_frame()["interval"].tolist() == [
        "95% confidence interval (published limits and Wilson intervals)"
    ]


def test_bases_for_published_cells_are_not_used_and_listed() -> None:
    """A published interval wins over a base; the provenance lists the base as not used."""
    bases = pd.concat(
        [
            BASES,
            pd.DataFrame(
                {
                    "condition": ["ptsd"],
                    "sex": ["persons"],
                    "age_band": ["16+"],
                    "base": [7000],
                    "deff": [1.5],
                }
            ),
        ]
    )
    est = gad_estimate().with_survey_bases(bases)
    record = est.provenance()["survey_bases"]
    assert record["not_used"] == [{"condition": "ptsd", "sex": "persons", "age_band": "16+"}]
    assert [(u["condition"], u["sex"], u["effective_n"]) for u in record["used"]] == [
        ("gad", "female", 4000 / 1.5),
        ("gad", "male", 2000.0),
    ]
    assert "Wilson intervals from survey bases and design effects for 2 cells" in est.describe()


def test_cells_without_base_still_say_no_interval() -> None:
    """Only cells given a base get an interval; the rest are not invented."""
    est = gad_estimate().with_survey_bases(BASES.iloc[:1])
    f = est.to_frame()
    men = f[(f["condition"] == "gad") & (f["sex"] == "male")].iloc[0]
    assert np.isnan(men["cases_lower"])
    assert men["interval"] == NO_INTERVAL
    assert est.summarise(by=["condition"]).to_frame()["interval"].tolist()[0] == NO_INTERVAL


def test_bases_keyed_by_table_bands_when_ages_narrowed() -> None:
    """With ages=(18, 64) the cell band is 18-64, but the base is the table's 16+ cell's."""
    est = gad_estimate(ages=(18, 64)).with_survey_bases(BASES)
    f = est.to_frame()
    assert f.loc[f["condition"] == "gad", "age_band"].astype(str).tolist() == ["18-64", "18-64"]
    assert f.loc[f["condition"] == "gad", "lower"].notna().all()


def test_table_without_intervals_gets_confidence_intervals_at_95() -> None:
    """A table of kind none becomes a 95% confidence-interval estimate (or another level)."""
    table = make_table(
        [("a", "female", "16+", 5, None, None), ("a", "male", "16+", 3, None, None)],
        interval="none",
    )
    bases = {
        ("a", "female", "16+"): {"base": 500, "deff": 1.2},
        ("a", "male", "16+"): {"base": 400, "deff": 1.2},
    }
    est = mhneed.estimate(people({"A": (1000, 1000)}), table)
    at95 = est.with_survey_bases(bases)
    assert at95.interval_kind == "confidence_interval"
    assert at95.provenance()["interval"] == "confidence_interval"
    at90 = est.with_survey_bases(bases, confidence=0.9)
    assert at90.to_frame()["interval"].iloc[0] == (
        "90% confidence interval (Wilson, from the survey base and design effect)"
    )
    low90 = at90.to_frame()["lower"].iloc[0]
    assert low90 == wilson_interval(0.05 * 500 / 1.2, 500 / 1.2, 0.9)[0]


def test_bases_dict_and_frame_agree() -> None:
    """A dict of (condition, sex, age_band) to {base, deff} works like the frame."""
    as_dict = {
        ("gad", "female", "16+"): {"base": 4000, "deff": 1.5},
        ("gad", "male", "16+"): {"base": 3000, "deff": 1.5},
    }
    a = gad_estimate().with_survey_bases(BASES).to_frame()
    b = gad_estimate().with_survey_bases(as_dict).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_deft_is_squared() -> None:
    """A deft column gives exactly the intervals of a deff column holding its square."""
    deft = BASES.drop(columns=["deff"]).assign(deft=[1.199, 1.167])
    deff = BASES.assign(deff=[1.199**2, 1.167**2])
    a = gad_estimate().with_survey_bases(deft)
    b = gad_estimate().with_survey_bases(deff)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    used = a.provenance()["survey_bases"]["used"]
    assert used[1]["effective_n"] == pytest.approx(3000 / 1.167**2, rel=1e-15)
    assert used[1]["deft"] == pytest.approx(1.167, rel=1e-15)
    as_dict = gad_estimate().with_survey_bases(
        {
            ("gad", "female", "16+"): {"base": 4000, "deft": 1.199},
            ("gad", "male", "16+"): {"base": 3000, "deft": 1.167},
        }
    )
    pd.testing.assert_frame_equal(as_dict.to_frame(), a.to_frame())


def test_apms_gad_men_published_interval_from_deft() -> None:
    """APMS 2014 GAD men: base 3,058 and deft 1.199 (against that base) give an effective
    base of 2,127, as the survey's weighted base and its printed deft do (3,686 / 1.316²)."""
    deft = BASES.drop(columns=["deff"]).assign(base=[4000, 3058], deft=[1.2, 1.199])
    used = gad_estimate().with_survey_bases(deft).provenance()["survey_bases"]["used"]
    assert used[1]["effective_n"] == pytest.approx(3686 / 1.316**2, rel=2e-3)


def bases_with(**changes: object) -> pd.DataFrame:
    frame = BASES.copy()
    for col, value in changes.items():
        frame[col] = frame[col].astype(object)
        frame.loc[1, col] = value
    return frame


@pytest.mark.parametrize(
    ("bases", "error", "message"),
    [
        (
            BASES.drop(columns=["deff"]),
            MissingColumnError,
            "with_survey_bases: bases has no column 'deft' or 'deff'; give the design factor "
            "(deft, as survey tables print it) or the design effect (deff = deft²) for each "
            "cell, 1 for a simple random sample; it has: condition, sex, age_band, base",
        ),
        (
            BASES.rename(columns={"deff": "design_effect"}),
            InputError,
            "with_survey_bases: bases column 'design_effect' is ambiguous: survey tables print "
            "the design factor (deft: APMS 2014's chapter 14 tables, against the weighted "
            "base), while the design effect is its square (deff = deft²); a deft taken for a "
            "deff gives intervals too narrow; name the column deft (the design factor) or "
            "deff (the design effect)",
        ),
        (
            BASES.assign(deft=1.2),
            InputError,
            "with_survey_bases: bases has both a deft and a deff column; give one (deff = deft²)",
        ),
        (
            BASES.drop(columns=["base"]),
            MissingColumnError,
            "with_survey_bases: bases has no column 'base'; it needs condition, sex, "
            "age_band, base and deft or deff (1 for a simple random sample); it has: "
            "condition, sex, age_band, deff",
        ),
        (
            bases_with(base=0),
            InputError,
            "with_survey_bases: bases row 2 (condition gad, sex male, age_band 16+): column "
            "base: 0 is not a number above 0",
        ),
        (
            bases_with(deff="high"),
            InputError,
            "with_survey_bases: bases row 2 (condition gad, sex male, age_band 16+): column "
            "deff: 'high' is not a number above 0",
        ),
        (
            bases_with(sex="persons"),
            InputError,
            "with_survey_bases: bases row 2 (condition gad, sex persons, age_band 16+): rate "
            "table apms_2014 has no cell condition gad, sex persons, age_band 16+; give bases "
            "for the table's own cells",
        ),
        (
            bases_with(age_band="16 to"),
            InputError,
            "with_survey_bases: bases row 2 (condition gad, sex male, age_band 16 to): column "
            "age_band: age band '16 to' is not a band: write 'lower-upper' (such as '16-24') "
            "or 'lower+' (such as '75+')",
        ),
        (
            bases_with(sex="Female"),
            InputError,
            "with_survey_bases: bases rows 1 and 2 both give condition gad, sex female, "
            "age_band 16+; give each cell once",
        ),
        (
            [("gad", "female", "16+", 1, 1)],
            InputError,
            "with_survey_bases: bases must be a DataFrame with columns condition, sex, "
            "age_band, base and deft (or deff), or a dict of (condition, sex, age_band) to "
            "{'base': n, 'deft': f}, not list",
        ),
        (
            {("gad", "female"): {"base": 1, "deft": 1}},
            InputError,
            "with_survey_bases: a bases dict maps (condition, sex, age_band) to {'base': n, "
            "'deft': f} (or 'deff'); got ('gad', 'female'): {'base': 1, 'deft': 1}",
        ),
        (
            {("gad", "female", "16+"): (4000, 1.2)},
            InputError,
            "with_survey_bases: a bases dict maps (condition, sex, age_band) to {'base': n, "
            "'deft': f} (or 'deff'), naming which is given; got ('gad', 'female', '16+'): "
            "(4000, 1.2) (survey tables print the design factor (deft: APMS 2014's chapter "
            "14 tables, against the weighted base), while the design effect is its square "
            "(deff = deft²); a deft taken for a deff gives intervals too narrow)",
        ),
        (
            BASES.iloc[:0],
            InputError,
            "with_survey_bases: bases is empty; give a base and design effect for at least "
            "one cell",
        ),
    ],
)
def test_bad_bases(bases: object, error: type[Exception], message: str) -> None:
    """Each broken rule in the bases is named with the row, column and value."""
    with pytest.raises(error) as info:
        gad_estimate().with_survey_bases(bases)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_bases_refused_on_summaries_ranges_and_other_levels() -> None:
    """Bases go on cells, on survey tables, at the table's own confidence level."""
    with pytest.raises(CombineError) as info:
        gad_estimate().summarise(by=["condition"]).with_survey_bases(BASES)
    assert str(info.value) == (
        "with_survey_bases: this estimate is summarised; give the bases to the cell estimate "
        "from mhneed.estimate(), then summarise and round"
    )
    ranges = make_table([("c", "persons", "16+", None, 10, 15)], interval="published_range")
    with pytest.raises(CombineError) as info:
        mhneed.estimate(people({"A": (1, 1)}), ranges).with_survey_bases(
            {("c", "persons", "16+"): (100, 1)}
        )
    assert str(info.value) == (
        "with_survey_bases: rate table test publishes ranges (low and high scenarios); a "
        "Wilson interval is a survey confidence interval, and the two kinds cannot be combined"
    )
    with pytest.raises(InputError) as info:
        gad_estimate().with_survey_bases(BASES, confidence=0.99)
    assert str(info.value) == (
        "with_survey_bases: confidence=0.99 differs from rate table apms_2014's confidence "
        "level 0.95; intervals of different levels cannot be combined"
    )
    with pytest.raises(InputError) as info:
        gad_estimate().with_survey_bases(BASES, confidence=95)
    assert str(info.value) == (
        "with_survey_bases: confidence=95 must be strictly between 0 and 1, such as 0.95"
    )
