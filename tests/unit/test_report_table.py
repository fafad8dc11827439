"""Unit tests for building a report from an estimate (mhneed.outputs.report_table)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import CombineError, InputError, MissingColumnError
from mhneed.outputs.report_layout import ALL
from mhneed.outputs.report_table import report_table
from tests.helpers import AGE_BANDS, grid_table

TABLES = Path(__file__).resolve().parents[2] / "prevalence_tables"


def rutland() -> pd.DataFrame:
    """Rutland's shipped mid-2014 population."""
    return mhneed.rutland_population()


def expected_psychosis_cells() -> pd.DataFrame:
    """Rutland psychosis cells by plain arithmetic: people in each band × the published percent."""
    people = rutland()
    rates = pd.read_csv(TABLES / "apms_2007_psychosis.csv")
    rows = []
    for rec in rates.to_dict("records"):
        band = str(rec["age_band"])
        low, high = (75, 200) if band == "75+" else map(int, band.split("-"))
        mask = (people["sex"] == rec["sex"]) & people["age"].between(low, high)
        count = float(people.loc[mask, "population"].sum())
        rows.append((rec["sex"], band, count, count * float(rec["rate"]) / 100))
    return pd.DataFrame(rows, columns=["sex", "age_band", "population", "cases"])


def perinatal_312() -> mhneed.Estimate:
    """Rutland 2016: 312 women gave birth (Rutland JSNA 2018, Table 1)."""
    births = pd.DataFrame({"area_name": ["Rutland"], "year": [2016], "births": [312]})
    return mhneed.estimate_perinatal(births, denominator="maternities")


def test_psychosis_cells_match_plain_arithmetic() -> None:
    """Each band figure of each sex is the band's people × the published rate."""
    rep = report_table(mhneed.estimate(rutland(), "apms_2007_psychosis"))
    rows = rep.rows[(rep.rows["sex"] != "persons") & (rep.rows["age_band"] != ALL)]
    got = rows.set_index(["sex", "age_band"])[["population", "cases"]]
    want = expected_psychosis_cells().set_index(["sex", "age_band"])
    assert len(got) == len(want) == 14
    for key, row in want.iterrows():
        assert got.loc[key].tolist() == pytest.approx(row.tolist(), rel=1e-12)


def test_all_and_persons_add_up_unrounded() -> None:
    """All is the sum of the bands; All people is women plus men, band by band."""
    rep = report_table(mhneed.estimate(rutland(), "apms_2007_psychosis"))
    frame = rep.rows.set_index(["sex", "age_band"])["cases"]
    for sex in ("female", "male"):
        assert frame[(sex, ALL)] == pytest.approx(sum(frame[(sex, b)] for b in AGE_BANDS))
    for band in [*AGE_BANDS, ALL]:
        assert frame[("persons", band)] == pytest.approx(
            frame[("female", band)] + frame[("male", band)]
        )


def test_layout_blocks_bands_and_cells() -> None:
    """The layout: a line per block, band columns then All, figures as whole numbers."""
    rep = report_table(mhneed.estimate(rutland(), "apms_2007_psychosis"))
    layout = rep.layout()
    assert list(layout.columns) == [
        "Area code",
        "Area",
        "Year",
        "Sex",
        "Condition",
        "Period",
        "Ages",
        "Population",
        *AGE_BANDS,
        "All",
        "Range",
    ]
    assert layout["Sex"].tolist() == ["Women", "Men", "All people"]
    women = layout.iloc[0]
    assert women[["16-24", "35-44", "All", "Population", "Ages"]].tolist() == [
        "7",
        "23",
        "70",
        "15,356",
        "16+",
    ]
    assert women["Range"] == "no interval published"


def test_persons_rates_only_under_all_people() -> None:
    """A condition published for persons appears under All people only; sex rates in all three."""
    rep = report_table(mhneed.estimate(rutland(), "apms_2014"))
    layout = rep.layout()
    women = layout.loc[layout["Sex"] == "Women", "Condition"].tolist()
    assert women == [
        "Common mental disorder symptoms (CIS-R score 12 or more)",
        "Any common mental disorder (one or more of the six CMDs)",
        "Generalised anxiety disorder",
        "Mixed anxiety and depressive disorder (CMD-NOS)",
        "Panic disorder",
        "Phobias",
        "Obsessive compulsive disorder",
        "Psychotic disorder (2014 sample only)",
    ]
    persons = layout[layout["Sex"] == "All people"].set_index("Condition")
    assert len(persons) == 14
    assert rep.bands == []
    ptsd = persons.loc["Post-traumatic stress disorder (screen positive, PCL-C)"]
    assert ptsd["All"] == "1,388 (1,199–1,577)"
    assert ptsd["Range"] == "95% confidence interval"
    nssh = persons.loc["Non-suicidal self-harm"]
    assert nssh[["Ages", "Population", "All"]].tolist() == [
        "16-74",
        "27,474",
        "1,758 (1,593–1,978)",
    ]


def test_ci_persons_from_sexes_in_quadrature() -> None:
    """All people of a CI table: limits from the sexes' errors combined in quadrature."""
    rep = report_table(mhneed.estimate(rutland(), grid_table(), ages="16-24"))
    rows = rep.rows.set_index(["sex", "age_band"])
    women, men = rows.loc[("female", ALL)], rows.loc[("male", ALL)]
    persons = rows.loc[("persons", ALL)]
    assert persons["cases"] == pytest.approx(women["cases"] + men["cases"])
    low = math.hypot(women["cases"] - women["cases_lower"], men["cases"] - men["cases_lower"])
    assert persons["cases_lower"] == pytest.approx(persons["cases"] - low)


def test_range_only_shows_range_alone() -> None:
    """Perinatal rates published only as ranges: the range alone, as the JSNA prints it."""
    rep = report_table(perinatal_312())
    layout = rep.layout().set_index("Condition")
    assert layout.loc["Adjustment disorders and distress", "All"] == "47–94"
    assert layout.loc["Severe depressive illness", "All"] == "9"
    assert layout["Sex"].unique().tolist() == ["Women"]
    assert list(rep.layout().columns[:4]) == ["Area", "Year", "Sex", "Condition"]
    numbers = rep.numbers().set_index("Condition")
    assert math.isnan(numbers.loc["Adjustment disorders and distress", "All"])
    assert numbers.loc["Adjustment disorders and distress", "All high"] == pytest.approx(93.6)


def test_rounded_up_reproduces_rutland_jsna_table_1() -> None:
    """Rounded up to 5, the ranges are the Rutland JSNA 2018 Table 1's."""
    rep = report_table(perinatal_312(), round_to=5, how="up")
    got = dict(zip(rep.layout()["Condition"], rep.layout()["All"], strict=True))
    assert got == {
        "Postpartum (puerperal) psychosis": "5",
        "Chronic serious mental illness": "5",
        "Severe depressive illness": "10",
        "Mild-moderate depressive illness and anxiety states": "35–50",
        "Post-traumatic stress disorder": "10",
        "Adjustment disorders and distress": "50–95",
    }
    assert rep.rounding == "rounded up to a multiple of 5"
    assert rep.notes[0] == (
        "Rounding: every figure is rounded up to a multiple of 5, each on its own after "
        "combining unrounded figures, so rounded figures need not add up to the totals shown."
    )


def test_rounding_after_combining() -> None:
    """All is rounded from the unrounded sum, not added up from rounded bands."""
    rep = report_table(mhneed.estimate(rutland(), "apms_2007_psychosis"), round_to=5)
    rows = rep.rows.set_index(["sex", "age_band"])["cases"]
    cells = expected_psychosis_cells()
    women = cells.loc[cells["sex"] == "female", "cases"].sum()
    assert rows[("female", ALL)] == 5 * math.floor(women / 5 + 0.5)
    assert rows[("female", "16-24")] == 5.0  # 6.972 to the nearest 5


def test_groups_default_keys_and_totals() -> None:
    """With groups, the report is by group (and year), totals equal the areas' sum."""
    people = pd.concat(
        [rutland(), rutland().assign(area_code="E99999999", area_name="Twin")],
        ignore_index=True,
    )
    people.attrs["top_age"] = 90
    est = mhneed.estimate(people, "apms_2014", conditions=["gad"])
    groups = {"E06000017": "=North", "E99999999": "=North"}
    rep = report_table(est, groups=groups)
    assert rep.keys == ["group", "year"]
    persons = rep.rows[rep.rows["sex"] == "persons"]
    assert persons["cases"].tolist() == pytest.approx([2 * (15356 * 0.068 + 16186 * 0.049)])
    assert persons["group"].tolist() == ["=North"]


def test_rounded_estimate_refused() -> None:
    """A rounded estimate cannot be laid out: totals must be combined before rounding."""
    est = mhneed.estimate(rutland(), "apms_2014").round(5)
    with pytest.raises(CombineError) as err:
        report_table(est)
    assert str(err.value) == (
        "report_table: the estimate is already rounded to the nearest 5; give the unrounded "
        "estimate and round_to=, so that totals are combined before rounding"
    )


def test_by_stratum_refused() -> None:
    """by lists key columns only."""
    est = mhneed.estimate(rutland(), "apms_2014")
    with pytest.raises(InputError) as err:
        report_table(est, by=["area_code", "sex"])
    assert str(err.value) == (
        "report_table: by=['area_code', 'sex'] names sex; by lists key columns only "
        "(conditions are the report's rows, age bands its columns and sexes its blocks)"
    )


def test_by_unknown_column() -> None:
    """An unknown by column names the keys to choose from."""
    est = mhneed.estimate(rutland(), "apms_2014")
    with pytest.raises(MissingColumnError) as err:
        report_table(est, by=["ward"])
    assert str(err.value) == (
        "summarise: by column 'ward' not in the estimate; choose from area_code, area_name, "
        "year, condition, sex, age_band"
    )


def test_by_year_adds_areas() -> None:
    """by=['year'] adds the areas together."""
    est = mhneed.estimate(rutland(), "apms_2014", conditions=["gad"])
    rep = report_table(est, by=["year"], round_to=0.5)
    assert rep.keys == ["year"]
    assert rep.decimals == 1
    assert rep.layout()["All"].tolist() == ["1,044.0", "793.0", "1,837.5"]
