"""Reference tests on real ONS and Nomis files (small copies in tests/data, quirks kept).

Published totals are reproduced exactly: Rutland mid-2014 (ONS MYE2), Leicestershire and
its seven districts, Rutland births 2014, Rutland mid-2011 (Nomis). Then the estimates the
issue asks for: a county from its districts, an 18-67 scope, years, plain tidy input.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.published.rates import RateTable
from tests.conftest import DATA

MYE2 = DATA / "ons_mye2_2014"
FEMALES = MYE2 / "UK females-Table 1.csv"
MALES = MYE2 / "UK males-Table 1.csv"
PERSONS = MYE2 / "UK persons-Table 1.csv"
BIRTHS = DATA / "ons_births_2014" / "Table 3-Table 1.csv"
NOMIS = DATA / "nomis_mye_2011" / "rutland_NM_2002_1_extract.tsv"

RUTLAND = "E06000017"
LEICESTERSHIRE = "E10000018"
DISTRICTS = [f"E07000{n}" for n in range(129, 136)]


@pytest.fixture(scope="module")
def mye2() -> pd.DataFrame:
    """Women's and men's files, with the persons file as a check."""
    return mhneed.read_ons_mye2([FEMALES, MALES, PERSONS])


def area(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """One area's rows."""
    return frame[frame["area_code"] == code]


# -- published totals ------------------------------------------------------------------


def test_rutland_2014_totals(mye2: pd.DataFrame) -> None:
    """Rutland mid-2014: 38,022 persons, 18,468 women, 19,554 men (ONS MYE2)."""
    rutland = area(mye2, RUTLAND)
    assert rutland["population"].sum() == 38_022
    by_sex = rutland.groupby("sex")["population"].sum()
    assert by_sex["female"] == 18_468
    assert by_sex["male"] == 19_554
    assert rutland["area_name"].unique().tolist() == ["Rutland"]
    assert rutland["year"].unique().tolist() == [2014]
    assert mye2.attrs["top_age"] == 90
    assert rutland["age"].max() == 90


def test_rutland_2014_matches_the_shipped_dataset(mye2: pd.DataFrame) -> None:
    """The reader gives exactly the frame shipped as mhneed.rutland_population()."""
    rutland = area(mye2, RUTLAND).reset_index(drop=True)
    pd.testing.assert_frame_equal(rutland, mhneed.rutland_population())


def test_persons_file_alone_gives_the_same_totals() -> None:
    """The persons file alone: Rutland 38,022 as sex 'persons'."""
    persons = mhneed.read_ons_mye2(PERSONS)
    assert set(persons["sex"]) == {"persons"}
    assert area(persons, RUTLAND)["population"].sum() == 38_022


def test_leicestershire_equals_its_seven_districts(mye2: pd.DataFrame) -> None:
    """Leicestershire E10000018 (667,905) is the sum of E07000129-E07000135, age by age."""
    county = area(mye2, LEICESTERSHIRE)
    assert county["population"].sum() == 667_905
    districts = mye2[mye2["area_code"].isin(DISTRICTS)]
    assert districts["area_code"].nunique() == 7
    assert districts["population"].sum() == 667_905
    by_cell = districts.groupby(["sex", "age"])["population"].sum()
    pd.testing.assert_series_equal(
        county.set_index(["sex", "age"])["population"], by_cell, check_names=False
    )


def test_rutland_births_2014(mye2: pd.DataFrame) -> None:
    """Rutland births 2014 = 341; Leicestershire 6,789 = its districts' births."""
    births = mhneed.read_ons_births(BIRTHS, mye2)
    rutland = births[births["area_code"] == RUTLAND]
    assert rutland["births"].tolist() == [341]
    assert rutland["area_type"].tolist() == ["unitary authority"]
    assert rutland["year"].tolist() == [2014]
    county = births[births["area_code"] == LEICESTERSHIRE]
    assert county["births"].tolist() == [6_789]
    assert county["area_type"].tolist() == ["county"]
    districts = births[births["area_code"].isin(DISTRICTS)]
    assert len(districts) == 7
    assert set(districts["area_type"]) == {"district"}
    assert districts["births"].sum() == 6_789


def test_births_rows_the_copy_cannot_match(mye2: pd.DataFrame) -> None:
    """Names with no single area code in MYE2 are reported, not guessed."""
    births = mhneed.read_ons_births(BIRTHS, mye2)
    unmatched = births.attrs["unmatched"]
    for name in (
        "ENGLAND, WALES AND ELSEWHERE",
        "Cornwall and Isles of Scilly",
        "Rhondda, Cynon, Taff",
        "Hywel Dda",
    ):
        assert name in unmatched
    assert births.loc[births["area_name"] == "The Vale of Glamorgan", "area_code"].tolist() == [
        "W06000014"
    ]
    assert (births["area_name"] == "WALES").sum() == 1


def test_rutland_2011_from_nomis() -> None:
    """Rutland mid-2011 from the Nomis NM_2002_1 extract: 37,581 persons."""
    frame = mhneed.read_nomis(NOMIS)
    assert frame["population"].sum() == 37_581
    assert frame["area_code"].unique().tolist() == [RUTLAND]
    assert frame["age"].min() == 0
    assert frame["age"].max() == 90
    assert len(frame) == 182
    est = mhneed.estimate(frame, "apms_2014", conditions=["gad"])
    assert est.params["top_age"] == 90
    assert est.coverage["population"].iloc[0] == 37_581


# -- a county from its districts ---------------------------------------------------------


def age_sex_table(interval: str) -> RateTable:
    """An age-by-sex table (APMS-style bands) with a range on every cell."""
    bands = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
    rows = []
    for sex, base in (("female", 20.0), ("male", 13.0)):
        for i, band in enumerate(bands):
            rate = base + (3 - abs(3 - i))
            rows.append(("cmd", sex, band, rate, rate - 2.5, rate + 3.0, "s"))
    meta = {
        "id": f"test_{interval}",
        "title": "test table",
        "publisher": "test",
        "edition": 2014,
        "geography": "England",
        "population": "adults 16+",
        "ages": "16+",
        "denominator": "persons",
        "interval": interval,
        "level": 0.95 if interval == "confidence_interval" else None,
        "unit": "percent",
        "conditions": [{"id": "cmd", "label": "CMD", "period": "past week", "ages": "16+"}],
        "sources": [{"id": "s", "citation": "test", "kind": "primary"}],
    }
    frame = pd.DataFrame(
        rows, columns=["condition", "sex", "age_band", "rate", "lower", "upper", "source"]
    )
    return RateTable.from_frame(frame, meta)


def numbers(frame: pd.DataFrame) -> np.ndarray:
    """Population, point and range of each row."""
    return frame[["population", "cases", "cases_lower", "cases_upper"]].to_numpy(dtype=float)


@pytest.mark.parametrize(
    "table",
    [
        mhneed.load_table("apms_2014"),
        age_sex_table("confidence_interval"),
        age_sex_table("published_range"),
    ],
    ids=["apms_2014", "age_by_sex_ci", "age_by_sex_published_range"],
)
@pytest.mark.parametrize("by", [["condition"], ["condition", "sex"], ["condition", "age_band"]])
def test_county_equals_its_districts_grouped(
    mye2: pd.DataFrame, table: RateTable, by: list[str]
) -> None:
    """Leicestershire from its county row = grouped from its districts: points and ranges."""
    county = mhneed.estimate(area(mye2, LEICESTERSHIRE), table)
    direct = county.summarise(by=["area_code", *by]).to_frame()
    districts = mhneed.estimate(mye2[mye2["area_code"].isin(DISTRICTS)], table)
    mapping = dict.fromkeys(DISTRICTS, LEICESTERSHIRE)
    grouped = districts.summarise(by=["group", *by], groups=mapping).to_frame()
    assert grouped["group"].unique().tolist() == [LEICESTERSHIRE]
    assert len(grouped) == len(direct)
    np.testing.assert_allclose(numbers(grouped), numbers(direct), rtol=1e-12, equal_nan=True)
    assert grouped["interval"].astype(str).tolist() == direct["interval"].astype(str).tolist()


def test_county_ci_for_ptsd_and_nssh(mye2: pd.DataFrame) -> None:
    """The APMS conditions with published CIs have a range, and it is the county's."""
    table = mhneed.load_table("apms_2014")
    districts = mhneed.estimate(mye2[mye2["area_code"].isin(DISTRICTS)], table, ["ptsd", "nssh"])
    grouped = districts.summarise(
        by=["group", "condition"], groups=dict.fromkeys(DISTRICTS, "Leicestershire")
    ).to_frame()
    ptsd = grouped.set_index("condition").loc["ptsd"]
    # one persons rate (4.4%, 3.8-5.0) on the county's 16+ population
    adults = area(mye2, LEICESTERSHIRE).query("age >= 16")["population"].sum()
    assert ptsd["population"] == adults
    assert ptsd["cases"] == pytest.approx(adults * 0.044, rel=1e-12)
    assert ptsd["cases_lower"] == pytest.approx(adults * 0.038, rel=1e-12)
    assert ptsd["cases_upper"] == pytest.approx(adults * 0.050, rel=1e-12)
    nssh = grouped.set_index("condition").loc["nssh"]
    ages = area(mye2, LEICESTERSHIRE).query("16 <= age <= 74")["population"].sum()
    assert nssh["population"] == ages
    assert nssh["cases_lower"] == pytest.approx(ages * 0.058, rel=1e-12)


def test_districts_into_service_lots(mye2: pd.DataFrame) -> None:
    """Districts grouped into two lots: the lots add up to the county's points."""
    lots = pd.DataFrame(
        {
            "area_code": DISTRICTS,
            "group": ["west", "north", "east", "west", "east", "north", "east"],
        }
    )
    est = mhneed.estimate(mye2[mye2["area_code"].isin(DISTRICTS)], "apms_2014", ["gad"])
    by_lot = est.summarise(by=["group", "condition"], groups=lots).to_frame()
    assert by_lot["group"].tolist() == ["east", "north", "west"]
    county = mhneed.estimate(area(mye2, LEICESTERSHIRE), "apms_2014", ["gad"])
    total = county.summarise(by=["condition"]).to_frame()
    assert by_lot["cases"].sum() == pytest.approx(total["cases"].iloc[0], rel=1e-12)


# -- custom age scopes -------------------------------------------------------------------


def test_18_to_67_from_single_years_is_exact(mye2: pd.DataFrame) -> None:
    """An 18-67 estimate includes exactly the people aged 18 to 67, cell by cell."""
    people = area(mye2, LEICESTERSHIRE)
    table = age_sex_table("confidence_interval")
    with pytest.warns(UserWarning, match="Ages narrowed to 18-67"):
        est = mhneed.estimate(people, table, ages=(18, 67))
    assert est.warnings[0] == mhneed.engine.labels.OVERLAP_WARNING
    assert est.params["narrowed_rates"] == [
        f"{c} {s} {published} applied to {used}"
        for c in dict.fromkeys(r.condition for r in table.rows)
        for s in ("female", "male")
        for published, used in (("16-24", "18-24"), ("65-74", "65-67"))
    ]
    assert est.params["split_bands"] is False
    cov = est.coverage.iloc[0]
    assert cov["in_scope"] == people.query("18 <= age <= 67")["population"].sum()
    assert cov["too_young"] == people.query("age < 18")["population"].sum()
    assert cov["too_old"] == people.query("age > 67")["population"].sum()
    assert cov["in_scope"] + cov["too_young"] + cov["too_old"] == 667_905
    cells = est.to_frame()
    assert cells["age_band"].astype(str).unique().tolist() == [
        "18-24",
        "25-34",
        "35-44",
        "45-54",
        "55-64",
        "65-67",
    ]
    for row in cells.itertuples():
        lower, upper = (int(x) for x in str(row.age_band).split("-"))
        expected = people.query(f"sex == '{row.sex}' and {lower} <= age <= {upper}")
        assert row.population == expected["population"].sum()


def test_18_to_64_with_apms_persons_rates(mye2: pd.DataFrame) -> None:
    """PANSI's 18-64 scope on the shipped table: cells hold exactly ages 18-64 by sex."""
    people = area(mye2, RUTLAND)
    est = mhneed.estimate(people, "apms_2014", conditions=["gad", "nssh"], ages="18-64")
    cells = est.to_frame().set_index(["condition", "sex"])
    for sex in ("female", "male"):
        expected = people.query(f"sex == '{sex}' and 18 <= age <= 64")["population"].sum()
        assert cells.loc[("gad", sex), "population"] == expected
        assert cells.loc[("nssh", "persons"), "age_band"] == "18-64"
    nssh = cells.loc[("nssh", "persons")]
    assert nssh["population"] == people.query("18 <= age <= 64")["population"].sum()


def banded(people: pd.DataFrame, edges: list[int]) -> pd.DataFrame:
    """Single years summed into bands starting at each edge (the last open-ended)."""
    labels = [f"{a}-{b - 1}" for a, b in itertools.pairwise(edges)]
    labels.append(f"{edges[-1]}+")
    cut = pd.cut(people["age"], [*edges, 200], right=False, labels=labels)
    out = people.assign(age_band=cut.astype(str)).drop(columns="age")
    keys = [c for c in out.columns if c != "population"]
    return out.groupby(keys, as_index=False, observed=True)["population"].sum()


def test_18_to_67_from_bands_splits_and_says_so(mye2: pd.DataFrame) -> None:
    """With banded input, a band straddling 67 is split uniformly and the result says so."""
    people = area(mye2, RUTLAND)
    frame = banded(people, [0, 18, 25, 35, 45, 55, 65, 70, 75])
    table = age_sex_table("confidence_interval")
    est = mhneed.estimate(frame, table, ages=(18, 67))
    assert est.params["split_bands"] is True
    assert est.params["split_band_labels"] == ["65-69"]
    split_warning = (
        "Some population age bands (65-69) straddle a rate band or the age scope 18-67; their "
        "population was split uniformly across the band's single years, which assumes people "
        "are spread evenly over those ages. Give single years of age for an exact estimate."
    )
    assert split_warning in est.warnings
    assert split_warning in est.provenance()["warnings"]
    assert "65-69" in est.describe()
    band = people.query("65 <= age <= 69")["population"].sum()
    exact = people.query("18 <= age <= 64")["population"].sum()
    assert est.coverage["in_scope"].iloc[0] == pytest.approx(exact + band * 3 / 5, rel=1e-12)


def test_bands_that_fit_are_not_split(mye2: pd.DataFrame) -> None:
    """Banded input whose bands fit the scope and the table is exact, with no warning."""
    people = area(mye2, RUTLAND)
    frame = banded(people, [0, 16, 25, 35, 45, 55, 65, 75])
    est = mhneed.estimate(frame, age_sex_table("published_range"))
    assert est.params["split_bands"] is False
    assert len(est.warnings) == 1


# -- years -------------------------------------------------------------------------------


def test_projection_over_years(mye2: pd.DataFrame) -> None:
    """A population by year (a projection) estimates each year; summaries by year add up."""
    base = area(mye2, RUTLAND).drop(columns="year")
    growth = {2014: 1.0, 2020: 1.05, 2025: 1.1, 2030: 1.2}
    projection = pd.concat(
        [base.assign(year=y, population=base["population"] * g) for y, g in growth.items()],
        ignore_index=True,
    )
    est = mhneed.estimate(projection, "apms_2014", conditions=["gad", "ptsd"])
    summary = est.summarise(by=["year", "condition"]).to_frame()
    assert summary["year"].unique().tolist() == list(growth)
    gad = summary[summary["condition"] == "gad"].set_index("year")
    adults = base.query("age >= 16").groupby("sex")["population"].sum()
    for year, g in growth.items():
        expected = g * (adults["female"] * 0.068 + adults["male"] * 0.049)
        assert gad.loc[year, "cases"] == pytest.approx(expected, rel=1e-12)
    ptsd = summary[summary["condition"] == "ptsd"].set_index("year")
    assert ptsd.loc[2030, "cases_upper"] == pytest.approx(1.2 * adults.sum() * 0.05, rel=1e-12)
    by_area_year = est.summarise(by=["area_code", "year", "condition"]).to_frame()
    assert len(by_area_year) == 8


# -- plain tidy input --------------------------------------------------------------------


def test_plain_tidy_csv_still_works(mye2: pd.DataFrame) -> None:
    """A tidy CSV read with pandas gives the same estimate as the reader's frame."""
    text = area(mye2, RUTLAND).to_csv(index=False)
    tidy = pd.read_csv(io.StringIO(text))
    from_csv = mhneed.estimate(tidy, "apms_2014", top_age=90)
    from_reader = mhneed.estimate(area(mye2, RUTLAND), "apms_2014")
    pd.testing.assert_frame_equal(
        from_csv.summarise(by=["area_code", "condition"]).to_frame(),
        from_reader.summarise(by=["area_code", "condition"]).to_frame(),
        check_dtype=False,
    )
