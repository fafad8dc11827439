"""Reference: the Rutland JSNA 2018's perinatal Table 1, reproduced exactly."""

from __future__ import annotations

import pandas as pd
import pytest

import mhneed

#: Rutland JSNA 2018, Table 1 (via ../shared/data/RATES.md §1): 312 women gave birth in
#: Rutland in 2016; published estimates (low, high), rounded up to multiples of 5.
JSNA_TABLE_1 = {
    "adjustment_distress": (50.0, 95.0),
    "mild_moderate_depression_anxiety": (35.0, 50.0),
    "severe_depressive_illness": (10.0, 10.0),
    "ptsd": (10.0, 10.0),
    "postpartum_psychosis": (5.0, 5.0),
    "chronic_smi": (5.0, 5.0),
}


def rutland() -> mhneed.Estimate:
    """312 maternities in Rutland in 2016 against the shipped JCPMH table."""
    births = pd.DataFrame({"area_name": ["Rutland"], "year": [2016], "births": [312]})
    return mhneed.estimate_perinatal(births, "jcpmh_2012_perinatal", denominator="maternities")


def ranges(est: mhneed.Estimate) -> dict[str, tuple[float, float]]:
    """Each condition's (low, high) figures."""
    frame = est.to_frame()
    return {
        str(rec["condition"]): (float(rec["cases_lower"]), float(rec["cases_upper"]))
        for rec in frame.to_dict("records")
    }


def test_rounded_up_to_5_reproduces_table_1() -> None:
    """Births × rate per 1,000, rounded up to multiples of 5, gives the JSNA's Table 1 exactly."""
    assert ranges(rutland().round(to=5, how="up")) == JSNA_TABLE_1


def test_rounded_to_nearest_5_does_not() -> None:
    """Rounding to the nearest 5 gives different figures (RATES.md §1)."""
    nearest = ranges(rutland().round(to=5, how="nearest"))
    assert nearest != JSNA_TABLE_1
    assert nearest["adjustment_distress"] == (45.0, 95.0)  # 46.8 rounds down
    assert nearest["mild_moderate_depression_anxiety"] == (30.0, 45.0)  # 31.2 and 46.8
    assert nearest["postpartum_psychosis"] == (0.0, 0.0)  # 0.624 rounds to none


def test_unrounded_figures_and_midpoint() -> None:
    """Before rounding: 312 × rate ÷ 1,000, and cases is the midpoint of the range."""
    frame = rutland().to_frame().set_index("condition")
    row = frame.loc["adjustment_distress"]
    assert (row["cases_lower"], row["cases_upper"]) == (312 * 0.15, 312 * 0.3)
    assert row["cases"] == pytest.approx((row["cases_lower"] + row["cases_upper"]) / 2, rel=1e-12)
    assert frame.loc["ptsd", "cases"] == 312 * 0.03
    assert set(frame["interval"]) == {"published range"}


def test_rounded_estimate_says_how() -> None:
    """The rounded table's frame and metadata name the rounding rule."""
    frame = rutland().round(to=5, how="up").to_frame()
    assert set(frame["rounding"]) == {"rounded up to a multiple of 5"}
    assert frame.attrs["mhneed"]["rounding"] == "rounded up to a multiple of 5"
    assert frame.attrs["mhneed"]["denominator"] == "maternities"
