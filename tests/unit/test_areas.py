"""Unit tests for mhneed.outputs.areas and area_pivot: a county, its districts, lots, England."""

from __future__ import annotations

import pandas as pd
import pytest

import mhneed
from mhneed.errors import CombineError, InputError, MissingColumnError
from mhneed.outputs.area_pivot import area_pivot
from mhneed.outputs.areas import area_table
from tests.conftest import DATA
from tests.helpers import make_table

MYE2 = DATA / "ons_mye2_2014"
DISTRICTS = [f"E0700013{i}" for i in range(6)] + ["E07000129"]
LOTS = {
    "E07000130": "North lot",
    "E07000133": "North lot",
    "E07000134": "North lot",
    "E07000129": "South lot",
    "E07000131": "South lot",
    "E07000132": "South lot",
    "E07000135": "South lot",
}


@pytest.fixture(scope="module")
def leicestershire() -> mhneed.Estimate:
    """England, Leicestershire and its seven districts, mid-2014 (MYE2), PTSD only."""
    people = mhneed.read_ons_mye2([MYE2 / "UK females-Table 1.csv", MYE2 / "UK males-Table 1.csv"])
    people = people[people["area_code"].isin(["E92000001", "E10000018", *DISTRICTS])]
    return mhneed.estimate(people, "apms_2014_by_age_sex", conditions=["ptsd"])


def row(frame: pd.DataFrame, name: str) -> pd.Series:
    """The one row of an area, group or total by its name."""
    hit = frame[frame["area_name"] == name]
    assert len(hit) == 1
    return hit.iloc[0]


def test_each_area_labelled_by_its_level(leicestershire: mhneed.Estimate) -> None:
    """England first, then the county, then its districts: each with its GSS level."""
    table = area_table(leicestershire)
    assert list(table["area_name"]) == [
        "ENGLAND",
        "Leicestershire",
        "Blaby",
        "Charnwood",
        "Harborough",
        "Hinckley and Bosworth",
        "Melton",
        "North West Leicestershire",
        "Oadby and Wigston",
    ]
    assert list(table["level"][:3]) == ["country", "county", "district or unitary authority"]


def test_lots_add_their_own_districts_only(leicestershire: mhneed.Estimate) -> None:
    """North lot's people 16+ are Charnwood's, Melton's and NW Leicestershire's (MYE2 2014)."""
    table = area_table(leicestershire, LOTS)
    north = row(table, "North lot")
    assert north["population"] == 144_394 + 41_906 + 78_159
    assert north["level"] == "group of district or unitary authority areas"
    assert north["area_code"] == ""
    charnwood, melton = row(table, "Charnwood"), row(table, "Melton")
    nwl = row(table, "North West Leicestershire")
    assert north["cases"] == pytest.approx(charnwood["cases"] + melton["cases"] + nwl["cases"])


def test_level_total_equals_the_county(leicestershire: mhneed.Estimate) -> None:
    """The seven districts' total is exactly the county's estimate and range, never added to it."""
    table = area_table(leicestershire, totals=True)
    total = row(table, "Total of 7 districts and unitary authorities")
    county = row(table, "Leicestershire")
    assert total["level"] == "total of district or unitary authority areas"
    assert total["population"] == county["population"] == 549_006
    for column in ("cases", "cases_lower", "cases_upper", "rate"):
        assert total[column] == pytest.approx(county[column], rel=1e-12)
    assert len(table) == 10  # nine areas and one total: no total of England with its county


def test_comparator_rate_beside_every_row(leicestershire: mhneed.Estimate) -> None:
    """England's crude rate beside each row, and the ratio of the local rate to it."""
    table = area_table(leicestershire, comparator="E92000001", standardise=True)
    england = row(table, "ENGLAND")
    charnwood = row(table, "Charnwood")
    assert charnwood["comparator"] == "ENGLAND"
    assert charnwood["comparator_rate"] == pytest.approx(england["rate"])
    assert charnwood["rate_ratio"] == pytest.approx(charnwood["rate"] / england["rate"])
    assert england["rate"] == pytest.approx(england["cases"] / 44_013_062 * 100_000)
    # Charnwood (Loughborough's students) has a higher crude rate than England's, but a lower
    # age-standardised one: the difference is its age structure
    assert charnwood["rate"] > england["rate"]
    assert charnwood["std_rate"] < charnwood["comparator_std_rate"]
    assert charnwood["comparator_std_rate"] == pytest.approx(england["std_rate"])


def test_standardised_rate_of_a_lot_pools_its_districts(leicestershire: mhneed.Estimate) -> None:
    """A lot's standardised rate lies between its districts' ones."""
    table = area_table(leicestershire, LOTS, standardise=True)
    north = row(table, "North lot")["std_rate"]
    members = [
        row(table, n)["std_rate"] for n in ("Charnwood", "Melton", "North West Leicestershire")
    ]
    assert min(members) <= north <= max(members)


def test_comparator_not_in_the_estimate(leicestershire: mhneed.Estimate) -> None:
    """A comparator must be estimated with the areas."""
    with pytest.raises(InputError) as info:
        area_table(leicestershire, comparator="E12000004")
    assert str(info.value).startswith(
        "area_table: comparator 'E12000004' is not an area of the estimate (its areas: "
        "E92000001, E10000018, E07000129"
    )


def test_comparator_by_name(leicestershire: mhneed.Estimate) -> None:
    """A comparator can be named (case ignored)."""
    table = area_table(leicestershire, comparator="england")
    assert (table["comparator"] == "ENGLAND").all()


def test_group_of_two_levels_refused(leicestershire: mhneed.Estimate) -> None:
    """A group holding a county and one of its districts would count people twice."""
    with pytest.raises(CombineError) as info:
        area_table(leicestershire, {"E10000018": "Mixed", "E07000129": "Mixed"})
    assert str(info.value).startswith(
        "area_table: group 'Mixed': this total would add areas of different geography levels "
        "(county: E10000018; district or unitary authority: E07000129)"
    )


def test_no_area_codes_refused() -> None:
    """Levels come from area codes."""
    table = make_table([("c", "persons", "16+", 10.0, 8.0, 13.0)])
    pop = pd.DataFrame({"area": ["A"], "sex": ["female"], "age": [30], "population": [10]})
    with pytest.raises(MissingColumnError) as info:
        area_table(mhneed.estimate(pop, table))
    assert str(info.value) == (
        "area_table: the estimate has no area_code key (its keys: area); levels are read from "
        "area codes"
    )


def test_pivot_has_a_block_per_area_group_and_total(leicestershire: mhneed.Estimate) -> None:
    """Conditions as rows; the county, districts, lots and total as column blocks."""
    table = area_table(leicestershire, LOTS, totals=True)
    pivot = area_pivot(table)
    blocks = list(dict.fromkeys(pivot.columns.get_level_values(0)))
    assert blocks[:3] == ["", "ENGLAND", "Leicestershire"]
    assert blocks[-3:] == [
        "North lot",
        "South lot",
        "Total of 7 districts and unitary authorities",
    ]
    assert pivot.loc["ptsd", ("Leicestershire", "cases")] == pytest.approx(
        row(table, "Leicestershire")["cases"]
    )


def test_pivot_unknown_measure(leicestershire: mhneed.Estimate) -> None:
    """A measure must be a column of the table."""
    with pytest.raises(MissingColumnError) as info:
        area_pivot(area_table(leicestershire), measures=["cases", "std_rate"])
    assert str(info.value).startswith("area_pivot: no column std_rate in the table; its columns:")


def test_pivot_group_named_like_an_area(leicestershire: mhneed.Estimate) -> None:
    """A group named as an area (the county's districts grouped as 'Leicestershire') gets
    its own block: both blocks are told apart by code or level, none is lost."""
    districts = dict.fromkeys(DISTRICTS, "Leicestershire")
    table = area_table(leicestershire, districts)
    pivot = area_pivot(table)
    blocks = list(dict.fromkeys(pivot.columns.get_level_values(0)))
    assert blocks == [
        "",
        "ENGLAND",
        "Leicestershire (E10000018)",
        "Blaby",
        "Charnwood",
        "Harborough",
        "Hinckley and Bosworth",
        "Melton",
        "North West Leicestershire",
        "Oadby and Wigston",
        "Leicestershire (group)",
    ]
    county = table[(table["area_code"] == "E10000018")].iloc[0]
    group = table[(table["area_name"] == "Leicestershire") & (table["area_code"] == "")]
    assert pivot.loc["ptsd", ("Leicestershire (E10000018)", "cases")] == county["cases"]
    assert pivot.loc["ptsd", ("Leicestershire (group)", "cases")] == group["cases"].iloc[0]
    assert group["cases"].iloc[0] == pytest.approx(county["cases"], rel=1e-12)
