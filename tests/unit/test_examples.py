"""The scripts in examples/, run as a user would run them, writing into a temporary folder."""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MYE2 = EXAMPLES / "data" / "ons_mye2_2014"
NORTH = ("E07000130", "E07000133", "E07000134")
SOUTH = ("E07000129", "E07000131", "E07000132", "E07000135")


def run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run an example script with this interpreter, from an unrelated folder."""
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc


def adults(sex: str, code: str) -> int:
    """People aged 16 and over in an area, read straight from the example's MYE2 file."""
    name = "UK females-Table 1.csv" if sex == "female" else "UK males-Table 1.csv"
    with (MYE2 / name).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = next(r for r in rows if r[:2] == ["CODE", "NAME"])
    row = next(r for r in rows if r and r[0] == code)
    return sum(
        int(v.replace(",", ""))
        for h, v in zip(header[3:], row[3:], strict=False)
        if h and int(h) >= 16
    )


def report_lines(path: Path) -> list[dict[str, str]]:
    """The table lines of a report-layout CSV, as dicts by heading."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, end = rows[2], rows.index([], 3)
    return [dict(zip(header, r, strict=True)) for r in rows[3:end]]


def test_examples_use_only_shipped_data() -> None:
    """No example reads the project's shared data folder (they run from a clean clone)."""
    for script in EXAMPLES.glob("*.py"):
        assert "/work/shared" not in script.read_text(encoding="utf-8"), script.name


def test_rutland_jsna(tmp_path: Path) -> None:
    """APMS, psychosis and perinatal tables for Rutland, rounded up to 5, from the ONS files."""
    proc = run("rutland_jsna.py", str(tmp_path / "out"), cwd=tmp_path)
    out = tmp_path / "out"
    assert "Rutland (E06000017), 2014" in proc.stdout
    women, men = adults("female", "E06000017"), adults("male", "E06000017")
    apms = report_lines(out / "rutland_apms_2014.csv")
    gad = next(r for r in apms if r["Sex"] == "All people" and r["Condition"].startswith("Gen"))
    assert gad["All"] == f"{5 * math.ceil((women * 0.068 + men * 0.049) / 5):,}"
    peri = {r["Condition"]: r["All"] for r in report_lines(out / "rutland_perinatal_2014.csv")}
    assert peri["Adjustment disorders and distress"] == "55–105"  # 341 × 0.15, × 0.30, up to 5
    assert peri["Postpartum (puerperal) psychosis"] == "5"
    assert (out / "rutland_psychosis_by_age_sex.png").read_bytes()[:4] == b"\x89PNG"
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(out / "rutland_jsna_2014.xlsx")
    assert book.sheetnames == [
        "APMS 2014",
        "APMS 2014 data",
        "Psychosis by age",
        "Psychosis by age data",
        "Perinatal",
        "Perinatal data",
        "Sources",
        "Notes",
    ]


def test_leicestershire_districts(tmp_path: Path) -> None:
    """Districts, the county (which its districts add up to) and the made-up service lots."""
    proc = run("leicestershire_districts.py", str(tmp_path), cwd=tmp_path)
    assert (
        "The county added up from its districts agrees with the county estimated directly."
        in proc.stdout
    )
    assert "Service lots are made up for this example" in proc.stdout
    lots = report_lines(tmp_path / "leicestershire_lots_apms_2014.csv")
    for lot, codes in (("North lot", NORTH), ("South lot", SOUTH)):
        women = sum(adults("female", c) for c in codes)
        men = sum(adults("male", c) for c in codes)
        gad = next(
            r
            for r in lots
            if r["Group"] == lot and r["Sex"] == "All people" and r["Condition"].startswith("Gen")
        )
        assert gad["Population"] == f"{women + men:,}"
        assert gad["All"] == f"{women * 0.068 + men * 0.049:,.0f}"
    county = report_lines(tmp_path / "leicestershire_county_apms_2014.csv")
    assert {r["Area code"] for r in county} == {"E10000018"}
    districts = report_lines(tmp_path / "leicestershire_districts_apms_2014.csv")
    assert len({r["Area code"] for r in districts}) == 7
    mapping = pd.read_csv(tmp_path / "service_lots.csv")
    assert sorted(mapping["area_code"]) == sorted([*NORTH, *SOUTH])
    assert (tmp_path / "north_lot_psychosis_by_age_sex.png").read_bytes()[:4] == b"\x89PNG"


def test_projection(tmp_path: Path) -> None:
    """Several years: 2014 from ONS, later years the stated illustrative growth, with ranges."""
    proc = run(
        "projection.py", str(tmp_path), "--growth", "0.01", "--last-year", "2017", cwd=tmp_path
    )
    assert "Years after 2014 are illustrative, not an official projection" in proc.stdout
    frame = pd.read_csv(tmp_path / "rutland_projection_apms_2014.csv")
    ptsd = frame[(frame["condition"] == "ptsd") & (frame["sex"] == "persons")].set_index("year")
    assert ptsd.index.tolist() == [2014, 2015, 2016, 2017]
    base = adults("female", "E06000017") + adults("male", "E06000017")
    for year, row in ptsd.iterrows():
        people = base * 1.01 ** (int(year) - 2014)
        assert row["population"] == pytest.approx(people)
        assert row["cases"] == pytest.approx(people * 0.044)
        assert row["cases_lower"] == pytest.approx(people * 0.038)
        assert row["cases_upper"] == pytest.approx(people * 0.050)
    assert "(illustrative)" in proc.stdout
    assert (tmp_path / "rutland_ptsd_over_years.png").read_bytes()[:4] == b"\x89PNG"
