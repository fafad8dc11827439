"""Unit tests for mhneed.outputs.workbook: planners' tables in Excel, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError
from mhneed.outputs.workbook import CASES_FORMAT, RATE_FORMAT, number_format, write_tables_excel
from tests.conftest import DATA

openpyxl = pytest.importorskip("openpyxl")

MYE2 = DATA / "ons_mye2_2014"
LOTS = {"E07000130": "North lot", "E07000133": "North lot", "E07000134": "=North lot"}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """England, Leicestershire, three districts and one (hostile) lot name, written to .xlsx."""
    people = mhneed.read_ons_mye2([MYE2 / "UK females-Table 1.csv", MYE2 / "UK males-Table 1.csv"])
    keep = ["E92000001", "E10000018", *LOTS]
    est = mhneed.estimate(
        people[people["area_code"].isin(keep)],
        "apms_2014_by_age_sex",
        conditions=["ptsd", "psychotic_disorder"],
    )
    table = mhneed.area_table(est, LOTS, comparator="E92000001", standardise=True)
    pivot = mhneed.area_pivot(table)
    path = tmp_path_factory.mktemp("xlsx") / "areas.xlsx"
    return write_tables_excel(
        {"By area": pivot}, path, data=table, title="-Leicestershire", notes=["+a note"]
    )


def test_sheet_names(workbook: Path) -> None:
    """The table, the tidy data, and the sources and methods, in that order."""
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["By area", "Data", "Sources and methods"]


def test_frozen_panes_widths_and_print_setup(workbook: Path) -> None:
    """Headings and row labels stay in view; landscape, one page wide, headings repeated."""
    sheet = openpyxl.load_workbook(workbook)["By area"]
    assert sheet.freeze_panes == "D5"  # title, blank, two heading rows; condition, label, ages
    # the longest label, "Psychotic disorder (2007 and 2014 samples pooled)", and a margin of 2
    assert (
        sheet.column_dimensions["B"].width
        == len("Psychotic disorder (2007 and 2014 samples pooled)") + 2
    )
    assert sheet.column_dimensions["D"].width >= 10
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$4"
    assert sheet["D3"].alignment.wrap_text
    assert sheet["D3"].value == "ENGLAND"
    assert sheet["D4"].value == "cases"


def test_number_formats(workbook: Path) -> None:
    """Whole cases, one decimal for rates."""
    sheet = openpyxl.load_workbook(workbook)["By area"]
    headings = {sheet.cell(row=4, column=c).value: c for c in range(4, 8)}
    assert sheet.cell(row=5, column=headings["cases"]).number_format == CASES_FORMAT
    assert sheet.cell(row=5, column=headings["rate"]).number_format == RATE_FORMAT
    data = openpyxl.load_workbook(workbook)["Data"]
    names = [c.value for c in data[1]]
    assert data.cell(row=2, column=names.index("rate_ratio") + 1).number_format == "0.00"
    assert data.cell(row=2, column=names.index("population") + 1).number_format == CASES_FORMAT


def test_no_cell_starts_as_a_formula(workbook: Path) -> None:
    """No text cell starts with =, +, - or @ (names from files get an apostrophe)."""
    book = openpyxl.load_workbook(workbook)
    texts = [
        cell.value
        for sheet in book.worksheets
        for line in sheet.iter_rows()
        for cell in line
        if isinstance(cell.value, str)
    ]
    assert "'=North lot" in texts
    assert "'-Leicestershire" in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]


def test_sources_and_methods(workbook: Path) -> None:
    """The rate table, its sources, the standard population and the notes are stated."""
    sheet = openpyxl.load_workbook(workbook)["Sources and methods"]
    pairs = [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=3) if r[0].value]
    labels = [p[0] for p in pairs]
    assert labels[:2] == ["Rate table", "Citation"]
    assert ("Counted", "persons") in pairs
    standard = dict(pairs)["Standard population"]
    assert standard.startswith("European Standard Population 2013 (Eurostat")
    assert ("Note", "'+a note") in pairs


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "is empty"),
        ("x" * 32, "has 32 characters (Excel allows 31)"),
        ("a/b", "holds a character Excel forbids ([]:*?/\\)"),
        ("data", "is a name this workbook uses itself (or Excel reserves)"),
        ("History", "is a name this workbook uses itself (or Excel reserves)"),
    ],
)
def test_bad_sheet_names(tmp_path: Path, name: str, problem: str) -> None:
    """Sheet names Excel would refuse or rename are refused, naming the rule."""
    with pytest.raises(InputError) as info:
        write_tables_excel({name: pd.DataFrame({"a": [1]})}, tmp_path / "x.xlsx")
    assert str(info.value) == f"write_tables_excel: sheet name {name!r} {problem}"
    assert not (tmp_path / "x.xlsx").exists()


def test_repeated_sheet_name(tmp_path: Path) -> None:
    """Names are compared ignoring case, as Excel does."""
    tables = {"Areas": pd.DataFrame({"a": [1]}), "AREAS": pd.DataFrame({"a": [2]})}
    with pytest.raises(InputError) as info:
        write_tables_excel(tables, tmp_path / "x.xlsx")
    assert str(info.value) == "write_tables_excel: sheet name 'AREAS' repeats another sheet's name"


def test_no_tables(tmp_path: Path) -> None:
    """At least one table."""
    with pytest.raises(InputError) as info:
        write_tables_excel({}, tmp_path / "x.xlsx")
    assert str(info.value) == (
        "write_tables_excel: no tables given; give a mapping of sheet name to table"
    )


@pytest.mark.parametrize(
    ("measure", "fmt"),
    [
        ("cases", CASES_FORMAT),
        ("change", CASES_FORMAT),
        ("change_pct_lower", RATE_FORMAT),
        ("comparator_std_rate", RATE_FORMAT),
        ("rate_ratio", "0.00"),
        ("births", CASES_FORMAT),
        ("label", None),
    ],
)
def test_number_format_by_name(measure: str, fmt: str | None) -> None:
    """Counts whole, rates and per cents to one decimal, ratios to two."""
    assert number_format(measure) == fmt


def test_projection_rows_formatted_by_their_measure(tmp_path: Path) -> None:
    """A years-as-columns frame: each row's format follows its measure."""
    frame = pd.DataFrame(
        {"condition": ["c", "c"], "measure": ["cases", "change_pct"], 2022: [10.4, 0.0],
         2030: [12.6, 21.15]}
    )  # fmt: skip
    path = write_tables_excel({"Projection": frame}, tmp_path / "p.xlsx")
    sheet = openpyxl.load_workbook(path)["Projection"]
    assert sheet["D2"].number_format == CASES_FORMAT
    assert sheet["D3"].number_format == RATE_FORMAT
    assert sheet.freeze_panes == "C2"
