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

import mhneed
from tests.helpers import expected_cells, expected_gad

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


def by_age(sex: str, code: str) -> dict[int, int]:
    """An area's people by single year of age, read straight from the example's MYE2 file."""
    name = "UK females-Table 1.csv" if sex == "female" else "UK males-Table 1.csv"
    with (MYE2 / name).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = next(r for r in rows if r[:2] == ["CODE", "NAME"])
    row = next(r for r in rows if r and r[0] == code)
    return {int(h): int(v.replace(",", "")) for h, v in zip(header[3:], row[3:], strict=False) if h}


def adults(sex: str, code: str) -> int:
    """People aged 16 and over in an area, read straight from the example's MYE2 file."""
    return sum(n for age, n in by_age(sex, code).items() if age >= 16)


def gad_by_hand(codes: tuple[str, ...]) -> float:
    """GAD cases in the areas, by Table 2.3's band rates applied by hand."""
    women: dict[int, int] = {}
    men: dict[int, int] = {}
    for code in codes:
        for age, n in by_age("female", code).items():
            women[age] = women.get(age, 0) + n
        for age, n in by_age("male", code).items():
            men[age] = men.get(age, 0) + n
    return expected_gad(women, men)


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
    assert gad["Population"] == f"{women + men:,}"
    assert gad["All"].split(" ")[0] == f"{5 * math.ceil(gad_by_hand(('E06000017',)) / 5):,}"
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
        assert gad["All"].split(" ")[0] == f"{gad_by_hand(codes):,.0f}"
    county = report_lines(tmp_path / "leicestershire_county_apms_2014.csv")
    assert {r["Area code"] for r in county} == {"E10000018"}
    districts = report_lines(tmp_path / "leicestershire_districts_apms_2014.csv")
    assert len({r["Area code"] for r in districts}) == 7
    mapping = pd.read_csv(tmp_path / "service_lots.csv")
    assert sorted(mapping["area_code"]) == sorted([*NORTH, *SOUTH])
    assert (tmp_path / "north_lot_psychosis_by_age_sex.png").read_bytes()[:4] == b"\x89PNG"


def snpp_adults(year: int) -> float:
    """Rutland's people aged 16 and over in a year, read straight from the example's SNPP file."""
    path = EXAMPLES / "data" / "ons_snpp_2022"
    path = path / "2022 SNPP Population persons - extract Rutland_E06000017.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ages = [str(a) for a in range(16, 90)] + ["90 and over"]
    return sum(float(r[str(year)]) for r in rows if r["AGE_GROUP"] in ages)


def snpp_by_age(sex: str, year: int) -> dict[int, float]:
    """Rutland's projected people by single year of age, straight from the example's SNPP file."""
    name = "females" if sex == "female" else "males"
    path = EXAMPLES / "data" / "ons_snpp_2022"
    path = path / f"2022 SNPP Population {name} - extract Rutland_E06000017.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    ages = {str(a): a for a in range(91)} | {"90 and over": 90}
    return {ages[r["AGE_GROUP"]]: float(r[str(year)]) for r in rows if r["AGE_GROUP"] in ages}


def test_projection(tmp_path: Path) -> None:
    """Rutland 2022-2047 from the real 2022-based SNPP: cases, ranges and change from 2022,
    worked out by hand from the SNPP files and the table's band rates."""
    proc = run("projection.py", str(tmp_path), cwd=tmp_path)
    assert "Projections hold the survey's rates fixed" in proc.stdout
    frame = pd.read_csv(tmp_path / "rutland_projection_2022_2047_tidy.csv")
    ptsd = frame[frame["condition"] == "ptsd"].set_index("year")
    assert ptsd.index.tolist() == list(range(2022, 2048))
    table = mhneed.load_table("apms_2014_by_age_sex")
    base = snpp_adults(2022)
    base_cases = expected_cells(
        {s: snpp_by_age(s, 2022) for s in ("female", "male")}, table, "ptsd"
    )[0]
    for year, row in ptsd.iterrows():
        people = snpp_adults(int(year))  # persons file: equal to women + men within 0.1
        assert row["population"] == pytest.approx(people, abs=0.1)
        cases, lower, upper = expected_cells(
            {s: snpp_by_age(s, int(year)) for s in ("female", "male")}, table, "ptsd"
        )
        assert row["cases"] == pytest.approx(cases)
        assert row["cases_lower"] == pytest.approx(lower)
        assert row["cases_upper"] == pytest.approx(upper)
        assert row["change"] == pytest.approx(cases - base_cases, abs=1e-6)
        if year != 2022:
            assert row["change_lower"] <= row["change"] <= row["change_upper"]
    assert base > 30_000
    wide = pd.read_csv(tmp_path / "rutland_projection_2022_2047_by_year.csv")
    assert [str(y) for y in range(2022, 2048)] == list(wide.columns[-26:])
    cases = wide[(wide["condition"] == "ptsd") & (wide["measure"] == "cases")]
    assert cases["2047"].iloc[0] == pytest.approx(ptsd.loc[2047, "cases"])
    assert (tmp_path / "rutland_projection_pivot.csv").exists()
    assert (tmp_path / "rutland_ptsd_2022_2047.png").read_bytes()[:4] == b"\x89PNG"


def test_leicestershire_one_table(tmp_path: Path) -> None:
    """The one table: England, county, districts, lots and the districts' total, by level."""
    run("leicestershire_districts.py", str(tmp_path), cwd=tmp_path)
    table = pd.read_csv(tmp_path / "leicestershire_by_area.csv")
    gad = table[table["condition"] == "gad"].set_index("area_name")
    assert gad.loc["Leicestershire", "level"] == "county"
    assert gad.loc["ENGLAND", "level"] == "country"
    total = gad.loc["Total of 7 districts and unitary authorities"]
    assert total["cases"] == pytest.approx(gad.loc["Leicestershire", "cases"], rel=1e-12)
    assert total["population"] == gad.loc["Leicestershire", "population"]
    assert (tmp_path / "leicestershire_by_area.xlsx").is_file()
    assert (tmp_path / "ptsd_by_area.png").read_bytes()[:4] == b"\x89PNG"


def test_dask_cluster(tmp_path: Path) -> None:
    """Two worker processes of a dask.distributed cluster give exactly the pandas numbers."""
    pytest.importorskip(
        "dask.distributed", reason="needs dask.distributed (the distributed extra, in test)"
    )
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "dask_cluster.py"), "--size", "40", "--partitions", "3"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr  # worker shutdown may log; an error may not
    assert (
        "40 areas × 2 sexes × 91 ages = 7,280 rows, in 3 partitions of whole areas" in proc.stdout
    )
    assert "Cluster: 2 worker processes × 1 thread" in proc.stdout
    assert (
        "Largest difference between the two, over 29 condition totals and 1,160 "
        "area-by-condition rows (population, cases, lower, upper): 0\n"
        "The numbers are identical.\n"
    ) in proc.stdout
    assert "The cluster was slower here" in proc.stdout or "The cluster was faster" in proc.stdout
