"""Reference: Rutland's real ONS mid-2014 population through the APMS 2014 rates.

The population totals are ONS's published figures (Rutland E06000017: 38,022
persons, 18,468 women, 19,554 men). The expected caseloads are computed here
independently, with the csv module and plain arithmetic on the published rates
(APMS 2014 as quoted in RATES.md §2.1), not with mhneed's engine.
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest

import mhneed

# APMS 2014, percent (RATES.md §2.1): (women, men) or persons for both
SEX_RATES = {"gad": (6.8, 4.9), "cmd_symptoms": (19.1, 12.2), "phobias": (3.0, 1.8)}
PERSONS = {"ptsd": (4.4, 3.8, 5.0), "nssh": (6.4, 5.8, 7.2)}


def _raw() -> list[dict[str, str]]:
    text = resources.files("mhneed").joinpath("data/rutland_mye2_2014.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _sum(rows: list[dict[str, str]], sex: str | None, lo: int, hi: int) -> int:
    return sum(
        int(r["population"])
        for r in rows
        if (sex is None or r["sex"] == sex) and lo <= int(r["age"]) <= hi
    )


def test_published_totals() -> None:
    """The shipped Rutland rows total ONS's published figures."""
    rows = _raw()
    assert _sum(rows, None, 0, 90) == 38022
    assert _sum(rows, "female", 0, 90) == 18468
    assert _sum(rows, "male", 0, 90) == 19554


def test_sex_specific_rates_independently() -> None:
    """Cases for sex-specific conditions equal women 16+ × rate + men 16+ × rate."""
    rows = _raw()
    women, men = _sum(rows, "female", 16, 90), _sum(rows, "male", 16, 90)
    s = (
        mhneed.estimate(mhneed.rutland_population(), "apms_2014")
        .summarise(by=["condition"])
        .to_frame()
    )
    got = s.set_index("condition")["cases"]
    for cond, (w, m) in SEX_RATES.items():
        assert got[cond] == pytest.approx(women * w / 100 + men * m / 100, rel=1e-12)


def test_confidence_limits_independently() -> None:
    """PTSD (16+) and non-suicidal self-harm (16-74 only) carry their published 95% limits."""
    rows = _raw()
    scope = {"ptsd": _sum(rows, None, 16, 90), "nssh": _sum(rows, None, 16, 74)}
    s = (
        mhneed.estimate(mhneed.rutland_population(), "apms_2014")
        .summarise(by=["condition"])
        .to_frame()
    )
    s = s.set_index("condition")
    for cond, (rate, lo, hi) in PERSONS.items():
        n = scope[cond]
        assert s.loc[cond, "population"] == n
        assert s.loc[cond, ["cases", "cases_lower", "cases_upper"]].tolist() == pytest.approx(
            [n * rate / 100, n * lo / 100, n * hi / 100], rel=1e-12
        )
        assert s.loc[cond, "interval"] == "95% confidence interval"
