"""Unit tests for the command line's planners' layouts, SNPP input, own tables and progress bar."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.cli import main
from mhneed.cli.inputs import detect
from mhneed.cli.layouts import LAYOUTS
from mhneed.cli.progress import ProgressBar
from tests.conftest import DATA

FEMALES = DATA / "ons_mye2_2014" / "UK females-Table 1.csv"
MALES = DATA / "ons_mye2_2014" / "UK males-Table 1.csv"
SNPP = DATA / "ons_snpp"
SNPP_F = SNPP / "2022 SNPP Population females - extract Rutland_E06000017.csv"
SNPP_M = SNPP / "2022 SNPP Population males - extract Rutland_E06000017.csv"
MYE2 = ["--population", str(FEMALES), "--population", str(MALES)]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


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


def test_own_rate_table_file(tmp_path: Path) -> None:
    """--table path.csv reads a long table with its JSON beside it; 10% of Rutland's 31,542 adults."""
    rows = pd.DataFrame(
        {"condition": ["c"], "sex": ["persons"], "age_band": ["16+"], "rate": [10.0],
         "source": ["mine"]}
    )  # fmt: skip
    rows.to_csv(tmp_path / "mine.csv", index=False)
    meta = {
        "id": "mine", "title": "My rates", "publisher": "Me", "edition": 2024,
        "geography": "England", "population": "adults", "ages": "16+", "denominator": "persons",
        "interval": "none", "unit": "percent",
        "conditions": [{"id": "c", "label": "My condition", "period": "now", "ages": "16+"}],
        "sources": [{"id": "mine", "citation": "My own figures.", "kind": "primary"}],
    }  # fmt: skip
    (tmp_path / "mine.json").write_text(json.dumps(meta))
    out = tmp_path / "x.csv"
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", str(tmp_path / "mine.csv")]
    assert main([*args, "--layout", "tidy", "--out", str(out)]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig")
    whole = frame[(frame["age_band"] == "All") & (frame["sex"] == "persons")]
    assert whole["cases"].iloc[0] == pytest.approx(3154.2)


def test_own_rate_table_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table file that is not there is named."""
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", "nothere.csv"]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == "mhneed: error: --table nothere.csv: no such file"


WIDE_META = {
    "id": "mine_wide", "title": "My wide rates", "publisher": "Me", "edition": 2024,
    "geography": "England", "population": "adults", "ages": "16+",
    "sources": [{"id": "mine", "citation": "My own figures.", "kind": "primary"}],
    "reader": {"period": "past year", "blocks": {"All adults": "persons"}},
}  # fmt: skip


def write_wide(folder: Path, lines: list[str], meta: dict[str, object] | None = None) -> Path:
    """A wide rate table as CSV (conditions × age bands) with its JSON beside it."""
    path = folder / "wide.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "wide.json").write_text(json.dumps(WIDE_META if meta is None else meta))
    return path


def test_own_wide_table_csv(tmp_path: Path) -> None:
    """--table wide.csv: the wide layout, 10% of 16-64s and 20% of 65+ in Rutland (MYE2 2014)."""
    path = write_wide(tmp_path, [",16-64,65+", "All adults,,", "My condition,10,20"])
    out = tmp_path / "x.csv"
    args = ["--quiet", "estimate", *MYE2, "--areas", "E06000017", "--table", str(path)]
    assert main([*args, "--layout", "tidy", "--out", str(out)]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig").set_index("age_band")
    assert set(frame["condition"]) == {"my_condition"}
    young = frame.loc["16-64", "population"]
    old = frame.loc["65+", "population"]
    assert young + old == 31542
    assert frame.loc["All", "cases"] == pytest.approx(young * 0.10 + old * 0.20)
    # naming the JSON reads the table beside it
    again = tmp_path / "y.csv"
    args[-1] = str(tmp_path / "wide.json")
    assert main([*args, "--layout", "tidy", "--out", str(again)]) == 0
    assert pd.read_csv(again)["cases"].tolist() == pd.read_csv(out)["cases"].tolist()


def test_own_wide_table_every_problem_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two bad cells in a wide table: one line naming both, not the first alone."""
    path = write_wide(tmp_path, [",16-64,65+", "All adults,,", "A,ten,20", "B,5,"])
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", str(path)]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == (
        "mhneed: error: wide.csv: 2 problems: row 3 ('A', block 'All adults'), column 16-64: "
        "the figure 'ten' is not a number; write the percentage, or '–' for no cases observed; "
        "row 4 ('B', block 'All adults'), column 65+: no figure; every cell of a condition row "
        "needs a percentage (or '–' for no cases observed)"
    )


def test_own_long_table_every_problem_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three bad rows in a long table: one line naming each, in row order."""
    (tmp_path / "mine.csv").write_text(
        "condition,sex,age_band,rate,source\n"
        "c,female,16+,ten,mine\n"
        "c,male,16+,10,mine\n"
        "c,men,16+,10,mine\n"
        "d,persons,16+,10,mine\n",
        encoding="utf-8",
    )
    meta = {
        "id": "mine", "title": "My rates", "publisher": "Me", "edition": 2024,
        "geography": "England", "population": "adults", "ages": "16+", "denominator": "persons",
        "interval": "none", "unit": "percent",
        "conditions": [{"id": "c", "label": "My condition", "period": "now", "ages": "16+"}],
        "sources": [{"id": "mine", "citation": "My own figures.", "kind": "primary"}],
    }  # fmt: skip
    (tmp_path / "mine.json").write_text(json.dumps(meta))
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", str(tmp_path / "mine.csv")]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == (
        "mhneed: error: rate table mine: 3 problems: row 1 (condition c, sex female, age_band "
        "16+): column rate: value 'ten' is not a number; row 3 (condition c, sex men, age_band "
        "16+): column sex: value 'men' is not one of female, male, persons; row 4 (condition d, "
        "sex persons, age_band 16+): column condition: 'd' is not one of the table's conditions "
        "(c)"
    )


@pytest.mark.parametrize(
    ("name", "setup", "message"),
    [
        (
            "wide.xlsx",
            lambda d: (d / "wide.xlsx").write_bytes(b"x"),
            "--table {d}/wide.xlsx: no wide.json beside it; a rate table in the wide layout "
            "needs its metadata (id, title, publisher, edition, geography, population, sources, "
            "and a reader object for the sheet, conditions and period) in a JSON file of the "
            "same name (see docs/tutorials/own-table.md)",
        ),
        (
            "wide.csv",
            lambda d: [
                (d / "wide.csv").write_text(",16-64\n"),
                (d / "wide.json").write_text('{"id": "x",}'),
            ],
            "--table: wide.json is not valid JSON (Expecting property name enclosed in double "
            "quotes, line 1 column 12)",
        ),
        (
            "wide.csv",
            lambda d: [
                (d / "wide.csv").write_text(",16-64\n"),
                (d / "wide.json").write_text('{"reader": {"tab": "2.3", "sheet": "2.3"}}'),
            ],
            "--table: wide.json: reader option 'tab' unknown; the options are sheet, "
            "conditions, period, source, blocks, bands, decimal, check_unit",
        ),
        (
            "wide.csv",
            lambda d: [
                (d / "wide.csv").write_text(",16-64\n"),
                (d / "wide.json").write_text('{"reader": "2.3"}'),
            ],
            "--table: wide.json: reader must be an object of options (sheet, conditions, "
            'period, source, blocks, bands, decimal, check_unit), not "2.3"',
        ),
        (
            "wide.json",
            lambda d: (d / "wide.json").write_text("{}"),
            "--table {d}/wide.json: no wide.csv, .xlsx or .xls beside it; name the rate "
            "table's file, with its JSON metadata beside it",
        ),
    ],
)
def test_own_wide_table_file_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    setup: Callable[[Path], object],
    message: str,
) -> None:
    """A wide table without its JSON, or with a bad one, is refused naming the file and rule."""
    setup(tmp_path)
    table = tmp_path / name
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", str(table)]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == "mhneed: error: " + message.format(d=tmp_path)


def test_progress_bar_on_a_terminal_only() -> None:
    """Drawn on a terminal, silent otherwise and when disabled (--quiet)."""
    tty = _Tty()
    bar = ProgressBar(stream=tty, width=10)
    bar(13, 26, "estimating years")
    assert tty.getvalue() == "\r\033[Kmhneed: estimating years [█████·····] 13/26"
    bar.clear()
    assert tty.getvalue().endswith("\r\033[K")
    quiet = _Tty()
    ProgressBar(stream=quiet, enabled=False)(1, 2, "x")
    assert quiet.getvalue() == ""
    pipe = io.StringIO()
    ProgressBar(stream=pipe)(1, 2, "x")
    assert pipe.getvalue() == ""


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
