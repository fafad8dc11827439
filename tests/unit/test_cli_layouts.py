"""Unit tests for the command line's planners' layouts and SNPP input (mhneed.cli.layouts).

Own rate-table files: test_cli_table_file.py; the progress bar: test_cli_progress.py.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import mhneed
from mhneed.cli import main
from mhneed.cli.inputs import detect
from mhneed.cli.layouts import LAYOUTS
from tests.conftest import DATA

FEMALES = DATA / "ons_mye2_2014" / "UK females-Table 1.csv"
MALES = DATA / "ons_mye2_2014" / "UK males-Table 1.csv"
SNPP = DATA / "ons_snpp"
SNPP_F = SNPP / "2022 SNPP Population females - extract Rutland_E06000017.csv"
SNPP_M = SNPP / "2022 SNPP Population males - extract Rutland_E06000017.csv"
MYE2 = ["--population", str(FEMALES), "--population", str(MALES)]


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line on stderr."""
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def read_rows(path: Path) -> list[list[str]]:
    """A CSV's rows as text."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_layout_choices_are_named_for_what_they_show() -> None:
    """report, tidy, by-area and by-year."""
    assert list(LAYOUTS) == ["report", "tidy", "by-area", "by-year"]


def test_by_area_csv_holds_the_area_table(tmp_path: Path) -> None:
    """England, the county and a district as column blocks, England's rate beside each."""
    out = tmp_path / "areas.csv"
    areas = "E92000001,E10000018,E07000129"
    args = ["estimate", *MYE2, "--areas", areas, "--conditions", "ptsd"]
    assert main([*args, "--layout", "by-area", "--compare", "E92000001", "--out", str(out)]) == 0
    rows = read_rows(out)
    header, ptsd = rows[0], rows[1]
    assert header[:4] == ["condition", "label", "ages", "ENGLAND: cases"]
    assert "Leicestershire: rate" in header
    people = mhneed.read_ons_mye2([FEMALES, MALES])
    est = mhneed.estimate(
        people[people["area_code"] == "E10000018"], "apms_2014_by_age_sex", conditions=["ptsd"]
    )
    county = est.summarise(by=["area_code", "condition"]).to_frame()
    assert float(ptsd[header.index("Leicestershire: cases")]) == pytest.approx(
        county["cases"].iloc[0]
    )
    assert float(ptsd[header.index("Leicestershire: rate")]) == pytest.approx(
        county["cases"].iloc[0] / 549_006 * 100_000
    )
    assert any(
        r and r[0].startswith("Rates: Adult Psychiatric Morbidity Survey 2014") for r in rows
    )


def test_by_area_excel_with_lots_and_standardised_rates(tmp_path: Path) -> None:
    """Lots from --group-by and ESP 2013 rates go into the workbook's table and data sheets."""
    openpyxl = pytest.importorskip("openpyxl")
    mapping = tmp_path / "lots.csv"
    mapping.write_text("area_code,group\nE07000129,South lot\nE07000130,North lot\n")
    out = tmp_path / "areas.xlsx"
    args = ["estimate", *MYE2, "--areas", "E92000001,E07000129,E07000130", "--conditions", "ptsd"]
    args += ["--group-by", str(mapping), "--layout", "by-area", "--standardise"]
    assert main([*args, "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["By area", "Data", "Sources and methods"]
    names = [c.value for c in book["Data"][1]]
    assert "std_rate" in names
    lots = [r[names.index("area_name")].value for r in book["Data"].iter_rows(min_row=2)]
    assert {"North lot", "South lot"} <= set(lots)


def test_by_year_from_snpp_files(tmp_path: Path) -> None:
    """Rutland 2022-2047 from the 2022-based SNPP: years as columns; 2022 people 16+ as in the file."""
    out = tmp_path / "years.csv"
    args = ["estimate", "--population", str(SNPP_F), "--population", str(SNPP_M)]
    assert main([*args, "--conditions", "ptsd", "--layout", "by-year", "--out", str(out)]) == 0
    rows = read_rows(out)
    header = rows[0]
    assert header[header.index("measure") + 1 :][:2] == ["2022", "2023"]
    assert header[-1] == "2047"
    population = next(r for r in rows[1:] if r[header.index("measure")] == "population")
    people = mhneed.read_ons_snpp([SNPP_F, SNPP_M])
    adults_2022 = people[(people["year"] == 2022) & (people["age"] >= 16)]["population"].sum()
    assert float(population[header.index("2022")]) == pytest.approx(adults_2022)


def test_snpp_files_are_recognised() -> None:
    """Z1 files and Nomis NM_2006_1 extracts are read as projections."""
    assert detect(SNPP_F) == "snpp"
    assert detect(SNPP / "NM_2006_1_hartlepool_2016_2017_extract.tsv") == "snpp"
    assert detect(FEMALES) == "mye2"


def test_by_year_needs_several_years(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One year of MYE2 is not a projection."""
    args = ["estimate", *MYE2, "--areas", "E06000017", "--layout", "by-year"]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == (
        "mhneed: error: --layout by-year needs a population over several years (such as an "
        "ONS SNPP projection); this one has one year"
    )


def test_compare_needs_by_area(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--compare only means something beside every area's figures."""
    args = ["estimate", *MYE2, "--areas", "E06000017", "--compare", "E92000001"]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == (
        "mhneed: error: --compare needs --layout by-area (the table with every area as columns)"
    )


def test_round_refused_with_by_area(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The planners' layouts keep unrounded figures with their rates."""
    args = ["estimate", *MYE2, "--areas", "E06000017", "--layout", "by-area", "--round", "5"]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == (
        "mhneed: error: --round with --layout by-area: this layout keeps unrounded figures with "
        "their rates; round in the spreadsheet, or use --layout report"
    )


def test_perinatal_charts(tmp_path: Path) -> None:
    """perinatal --charts draws a chart per condition."""
    pytest.importorskip("matplotlib")
    births = DATA / "ons_births_2014" / "Table 3-Table 1.csv"
    charts = tmp_path / "charts"
    args = ["perinatal", "--births", str(births), "--areas", "Rutland", "--conditions"]
    args += ["postpartum_psychosis", "--out", str(tmp_path / "p.csv"), "--charts", str(charts)]
    assert main(args) == 0
    assert [p.name for p in charts.iterdir()] == [
        "postpartum_psychosis_by_age_sex_Rutland_2014.png"
    ]
