"""The SNPP reader on real ONS projection files: figures a reader can check in the files by hand.

The files are in tests/data/ons_snpp/ (see tests/data/README.md): every row for Rutland of
the 2022-based Z1 files, and Hartlepool's rows for 2016 and 2017 of a Nomis NM_2006_1
extract (2016-based). Office for National Statistics, Open Government Licence v3.0.
"""

from __future__ import annotations

import pandas as pd
import pytest

import mhneed
from tests.conftest import DATA

SNPP = DATA / "ons_snpp"
RUTLAND_FILES = [
    SNPP / f"2022 SNPP Population {sex} - extract Rutland_E06000017.csv"
    for sex in ("females", "males", "persons")
]
NOMIS = SNPP / "NM_2006_1_hartlepool_2016_2017_extract.tsv"


@pytest.fixture(scope="module")
def rutland() -> pd.DataFrame:
    """Rutland's 2022-based projection, read from the three Z1 files."""
    return mhneed.read_ons_snpp(RUTLAND_FILES)


def cell(frame: pd.DataFrame, year: int, sex: str, age: int) -> float:
    """One figure of the frame."""
    row = frame[(frame["year"] == year) & (frame["sex"] == sex) & (frame["age"] == age)]
    assert len(row) == 1
    return float(row["population"].iloc[0])


def test_rutland_shape_and_years(rutland: pd.DataFrame) -> None:
    """26 years (2022-2047) × 2 sexes × 91 ages; the persons and All ages rows are not counted."""
    assert len(rutland) == 26 * 2 * 91
    assert sorted(rutland["year"].unique()) == list(range(2022, 2048))
    assert set(rutland["area_code"]) == {"E06000017"}
    assert set(rutland["area_name"]) == {"Rutland"}
    assert rutland.attrs["base_year"] == 2022
    assert rutland.attrs["top_age"] == 90
    assert rutland.attrs["source"] == "ONS subnational population projections, 2022-based (Z1)"


def test_rutland_single_figures_as_in_the_files(rutland: pd.DataFrame) -> None:
    """The first row of the females file (age 0: 136.000 in 2022, 133.516 in 2023), and others."""
    assert cell(rutland, 2022, "female", 0) == 136.0
    assert cell(rutland, 2023, "female", 0) == 133.516
    assert cell(rutland, 2047, "female", 0) == 136.864
    assert cell(rutland, 2022, "male", 0) == 139.0
    assert cell(rutland, 2024, "male", 4) == 163.992


def test_rutland_totals_match_the_all_ages_rows(rutland: pd.DataFrame) -> None:
    """Men 21,150 and women 20,075 in 2022; persons All ages 42,516.887 (2030), 44,517.060 (2040)."""
    by = rutland.groupby(["year", "sex"])["population"].sum()
    assert by.loc[(2022, "male")] == pytest.approx(21150.0, abs=1e-9)
    assert by.loc[(2022, "female")] == pytest.approx(20075.0, abs=1e-9)
    persons = rutland.groupby("year")["population"].sum()
    assert persons.loc[2022] == pytest.approx(41225.0, abs=1e-9)
    # single years rounded to three decimals: the sum is within their rounding of All ages
    assert persons.loc[2030] == pytest.approx(42516.887, abs=0.01)
    assert persons.loc[2040] == pytest.approx(44517.060, abs=0.01)


def test_rutland_ninety_and_over(rutland: pd.DataFrame) -> None:
    """'90 and over' is age 90: 539.000 persons in 2022 and 1,334.720 in 2040."""
    top = rutland[rutland["age"] == 90].groupby("year")["population"].sum()
    assert top.loc[2022] == pytest.approx(539.0, abs=1e-9)
    assert top.loc[2040] == pytest.approx(1334.720, abs=0.002)


def test_rutland_estimate_over_every_year(rutland: pd.DataFrame) -> None:
    """One estimate covers every projected year; the coverage counts everyone in each year."""
    est = mhneed.estimate(rutland, "apms_2014", conditions=["gad"])
    coverage = est.coverage.set_index("year")["population"]
    assert coverage.loc[2022] == pytest.approx(41225.0)
    assert len(coverage) == 26


def test_nomis_projection_extract() -> None:
    """Hartlepool 2016: 92,845 persons; women 90 and over (C_AGE 191) 544; years from PROJECTED_YEAR_NAME."""
    people = mhneed.read_ons_snpp(NOMIS)
    assert sorted(people["year"].unique()) == [2016, 2017]
    assert people.attrs["base_year"] == 2016
    assert people.loc[people["year"] == 2016, "population"].sum() == 92845
    assert cell(people, 2016, "female", 90) == 544
    assert cell(people, 2016, "male", 0) == 576
    assert len(people) == 2 * 2 * 91
