"""End to end: every mhneed command run in a subprocess on real ONS files, numbers checked.

The expected numbers are worked out here from the fixture files themselves (read
with the csv module) and the shipped rate files, by plain arithmetic, or through
the library's public API where the rule being checked is a combination rule.
"""

from __future__ import annotations

import csv
import math
import os
import pty
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from tests.conftest import DATA
from tests.helpers import expected_cells, expected_gad

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "prevalence_tables"
FEMALES = DATA / "ons_mye2_2014" / "UK females-Table 1.csv"
MALES = DATA / "ons_mye2_2014" / "UK males-Table 1.csv"
BIRTHS = DATA / "ons_births_2014" / "Table 3-Table 1.csv"
NOMIS = DATA / "nomis_mye_2011" / "rutland_NM_2002_1_extract.tsv"
DISTRICTS = [f"E0700012{i}" for i in (9,)] + [f"E0700013{i}" for i in range(6)]
RUTLAND = "E06000017"


def run(*args: str, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``python -m mhneed ARGS`` as a user would (stdout and stderr captured, UTF-8)."""
    return subprocess.run(
        [sys.executable, "-m", "mhneed", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        **kwargs,  # type: ignore[arg-type]
    )


def ages(path: Path, code: str) -> dict[int, int]:
    """One area's counts by single year of age (90 = 90 and over) from an MYE2 export."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = next(r for r in rows if r[:2] == ["CODE", "NAME"])
    row = next(r for r in rows if r and r[0] == code)
    return {int(h): int(v.replace(",", "")) for h, v in zip(header[3:], row[3:], strict=False) if h}


def people(path: Path, code: str, low: int, high: int) -> int:
    """People aged low to high (inclusive) in an area, from an MYE2 export."""
    return sum(n for age, n in ages(path, code).items() if low <= age <= high)


def rate(table: str, condition: str, sex: str, band: str) -> float:
    """A shipped rate as a proportion, read from the table's CSV (percent or per 1,000)."""
    frame = pd.read_csv(TABLES / f"{table}.csv", dtype=str, keep_default_na=False)
    row = frame[
        (frame["condition"] == condition) & (frame["sex"] == sex) & (frame["age_band"] == band)
    ].iloc[0]
    unit = 1000 if table.startswith("jcpmh") else 100
    values = [float(row[c]) for c in ("rate", "lower", "upper") if row[c]]
    return sum(values[-2:]) / 2 / unit if not row["rate"] else float(row["rate"]) / unit


def up5(value: float) -> float:
    """Rounded up to a multiple of 5."""
    return 5 * math.ceil(value / 5)


def report_rows(path: Path) -> tuple[list[str], list[list[str]], list[str]]:
    """A report-layout CSV: its header, its table lines and its notes."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[2]
    end = rows.index([], 3)
    return header, rows[3:end], [r[0] for r in rows[end + 1 :]]


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a failed run (asserting there is no traceback)."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


# -- tables, table -----------------------------------------------------------------


def test_tables_lists_every_shipped_table() -> None:
    """`mhneed tables`: one line per shipped table, id then title."""
    proc = run("tables")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    ids = [line.split()[0] for line in lines if line.startswith("  ") and line[2] != " "]
    assert sorted(ids) == mhneed.available_tables()
    assert ids[0] == "apms_2014_by_age_sex"  # the default, first
    assert lines[0].startswith("APMS by age band and sex, from the publisher's workbooks")
    assert lines[1].endswith("from the official data tables [default]")
    superseded = lines.index(next(x for x in lines if x.startswith("  apms_2014 ")))
    assert " ".join(lines[superseded + 1].split()) == (
        "superseded by apms_2014_by_age_sex; kept so that scripts naming it still run"
    )


def test_table_shows_conditions_periods_sources() -> None:
    """`mhneed table ID`: every condition with its period, and every source citation."""
    proc = run("table", "apms_2014")
    assert proc.returncode == 0, proc.stderr
    table = mhneed.load_table("apms_2014")
    for cond in table.meta.conditions:
        assert f"{cond.id}: {cond.label} ({cond.period}; ages {cond.ages}" in proc.stdout
    for source in table.meta.sources:
        assert source.citation in proc.stdout


def test_closed_pipe_is_quiet() -> None:
    """Output into a pipe nobody reads: exit 141, nothing on stderr, no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mhneed", "table", "apms_2014"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == ""


def test_head_in_a_shell_pipeline() -> None:
    """`mhneed table apms_2014 | head -1`: the first line, and no error."""
    proc = subprocess.run(
        f'"{sys.executable}" -m mhneed table apms_2014 | head -1',
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.startswith("Adult Psychiatric Morbidity Survey 2014")
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr == ""


# -- estimate ----------------------------------------------------------------------


def test_estimate_mye2_ages_rounded_up(tmp_path: Path) -> None:
    """MYE2 files, Rutland, 18-64, rounded up to 5: each figure is people × rate, rounded up."""
    out = tmp_path / "rutland.csv"
    proc = run(
        "estimate",
        "--population",
        str(FEMALES),
        "--population",
        str(MALES),
        "--table",
        "apms_2007_psychosis",
        "--areas",
        RUTLAND,
        "--ages",
        "18-64",
        "--round",
        "5",
        "--how",
        "up",
        "--layout",
        "tidy",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no progress when stderr is not a terminal
    frame = pd.read_csv(out)
    got = frame.set_index(["sex", "age_band"])
    bands = {"18-24": (18, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54)}
    bands["55-64"] = (55, 64)
    for sex, path in (("female", FEMALES), ("male", MALES)):
        total = 0.0
        for band, (low, high) in bands.items():
            published = "16-24" if band == "18-24" else band
            cases = people(path, RUTLAND, low, high) * rate(
                "apms_2007_psychosis", "psychotic_disorder", sex, published
            )
            total += cases
            assert got.loc[(sex, band), "cases"] == up5(cases)
            assert got.loc[(sex, band), "population"] == people(path, RUTLAND, low, high)
        assert got.loc[(sex, "All"), "cases"] == up5(total)
    assert frame["rounding"].unique().tolist() == ["rounded up to a multiple of 5"]
    assert "Rutland (E06000017), 2014" in proc.stdout
    assert f"Written:\n  {out}" in proc.stdout


def test_estimate_excel_districts_into_lots(tmp_path: Path) -> None:
    """Districts grouped by a mapping file into lots: the workbook's figures, as numbers."""
    openpyxl = pytest.importorskip("openpyxl")
    mapping = tmp_path / "lots.csv"
    lots = {
        code: "North" if code in ("E07000130", "E07000133", "E07000134") else "South"
        for code in DISTRICTS
    }
    pd.DataFrame({"area_code": list(lots), "group": list(lots.values())}).to_csv(
        mapping, index=False
    )
    out = tmp_path / "lots.xlsx"
    proc = run(
        "estimate",
        "--population",
        str(FEMALES),
        "--population",
        str(MALES),
        "--table",
        "apms_2014",
        "--group-by",
        str(mapping),
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    assert "2 areas or groups × 14 conditions" in proc.stdout
    book = openpyxl.load_workbook(out)
    sheet = book["apms_2014"]
    header = [c.value for c in sheet[5]]
    assert header[:3] == ["Group", "Year", "Sex"]
    lines = {
        (r[0], r[2], r[3]): r
        for r in sheet.iter_rows(min_row=7, values_only=True)
        if r[0] in ("North", "South")
    }
    for lot in ("North", "South"):
        codes = [c for c, g in lots.items() if g == lot]
        women = sum(people(FEMALES, c, 16, 90) for c in codes)
        men = sum(people(MALES, c, 16, 90) for c in codes)
        gad = lines[(lot, "All people", "Generalised anxiety disorder")]
        assert gad[6] == women + men
        assert gad[7] == pytest.approx(women * 0.068 + men * 0.049, rel=1e-12)
        ptsd = lines[(lot, "All people", "Post-traumatic stress disorder (screen positive, PCL-C)")]
        assert ptsd[7:10] == pytest.approx([(women + men) * r for r in (0.044, 0.038, 0.050)])
    sources = [r[7] for r in book["Sources"].iter_rows(min_row=2, values_only=True)]
    assert len(sources) == len(set(sources)) > 0
    notes = [c for r in book["Notes"].iter_rows(values_only=True) for c in r if c]
    assert any(str(n).startswith("Conditions overlap") for n in notes)


def test_lots_of_the_whole_county_equal_the_county(tmp_path: Path) -> None:
    """All seven districts as one group: the county's figures and ranges, from the API."""
    mapping = tmp_path / "county_mapping.csv"  # the test once wrote over its own --group-by file
    pd.DataFrame({"area_code": DISTRICTS, "group": "Leicestershire"}).to_csv(mapping, index=False)
    out = tmp_path / "county.csv"
    proc = run(
        "estimate",
        "--population",
        str(FEMALES),
        "--population",
        str(MALES),
        "--table",
        "apms_2014",
        "--group-by",
        str(mapping),
        "--layout",
        "tidy",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    grouped = pd.read_csv(out)
    grouped = grouped[grouped["sex"] == "persons"].set_index("condition")
    county = mhneed.read_ons_mye2([FEMALES, MALES])
    county = county[county["area_code"] == "E10000018"]
    direct = mhneed.estimate(county, "apms_2014").summarise(by=["condition"]).to_frame()
    direct = direct.set_index("condition")
    for col in ("population", "cases", "cases_lower", "cases_upper"):
        assert grouped[col].tolist() == pytest.approx(
            direct.loc[grouped.index, col].astype(float).tolist(), rel=1e-12, nan_ok=True
        )


def test_estimate_nomis(tmp_path: Path) -> None:
    """A Nomis extract (recognised from its header): GAD = women 16+ × 6.8%, men 16+ × 4.9%."""
    out = tmp_path / "nomis.csv"
    proc = run(
        "estimate",
        "--population",
        str(NOMIS),
        "--table",
        "apms_2014",
        "--conditions",
        "gad",
        "--layout",
        "tidy",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    with NOMIS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    count = {"1": 0.0, "2": 0.0}
    for row in rows:
        if row["GENDER"] in count and 117 <= int(row["C_AGE"]) <= 191:
            count[row["GENDER"]] += float(row["OBS_VALUE"])
    frame = pd.read_csv(out).set_index("sex")
    assert frame.loc["female", "cases"] == pytest.approx(count["2"] * 0.068, rel=1e-12)
    assert frame.loc["male", "cases"] == pytest.approx(count["1"] * 0.049, rel=1e-12)
    assert (
        frame.loc["persons", "population"]
        == count["1"] + count["2"]
        == 37581
        - sum(float(r["OBS_VALUE"]) for r in rows if r["GENDER"] in "12" and int(r["C_AGE"]) < 117)
    )


def hostile_tidy(tmp_path: Path, years: tuple[int, ...] = (2014,)) -> Path:
    """Rutland as a tidy CSV under an area name that a spreadsheet would run."""
    base = mhneed.rutland_population().assign(area_name='=HYPERLINK("http://x","y")')
    frame = pd.concat([base.assign(year=y) for y in years], ignore_index=True)
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)
    return path


def test_estimate_tidy_formula_injection_csv_and_excel(tmp_path: Path) -> None:
    """A tidy CSV whose area name is a formula: written as text in the CSV and the workbook."""
    openpyxl = pytest.importorskip("openpyxl")
    people_csv = hostile_tidy(tmp_path)
    for name in ("r.csv", "r.xlsx"):
        proc = run(
            "estimate",
            "--population",
            str(people_csv),
            "--table",
            "apms_2014",
            "--top-age",
            "90",
            "--out",
            str(tmp_path / name),
        )
        assert proc.returncode == 0, proc.stderr
    header, lines, notes = report_rows(tmp_path / "r.csv")
    assert {line[1] for line in lines} == {'\'=HYPERLINK("http://x","y")'}
    gad = next(r for r in lines if r[3] == "All people" and r[4] == "Generalised anxiety disorder")
    assert gad[header.index("All")] == f"{15356 * 0.068 + 16186 * 0.049:,.0f}"
    assert notes[1].startswith("Conditions overlap")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    cells = [c for s in book.worksheets for r in s.iter_rows() for c in r]
    assert not [c for c in cells if c.data_type == "f"]
    names = {c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value}
    assert names == {'\'=HYPERLINK("http://x","y")'}


def test_estimate_charts_by_age_sex_and_over_years(tmp_path: Path) -> None:
    """--charts: an age-sex chart per condition, or over-years charts with several years."""
    pytest.importorskip("matplotlib")
    proc = run(
        "estimate",
        "--population",
        str(FEMALES),
        "--population",
        str(MALES),
        "--table",
        "apms_2007_psychosis",
        "--areas",
        RUTLAND,
        "--out",
        str(tmp_path / "p.csv"),
        "--charts",
        str(tmp_path / "charts"),
    )
    assert proc.returncode == 0, proc.stderr
    chart = tmp_path / "charts" / "psychotic_disorder_by_age_sex_Rutland_E06000017_2014.png"
    assert chart.read_bytes()[:4] == b"\x89PNG"
    people_csv = hostile_tidy(tmp_path, years=(2014, 2015))
    proc = run(
        "estimate",
        "--population",
        str(people_csv),
        "--table",
        "apms_2014",
        "--conditions",
        "ptsd",
        "--top-age",
        "90",
        "--out",
        str(tmp_path / "y.csv"),
        "--charts",
        str(tmp_path / "years"),
    )
    assert proc.returncode == 0, proc.stderr
    drawn = sorted(p.name for p in (tmp_path / "years").iterdir())
    assert drawn == ["ptsd_over_years_HYPERLINK_http_x_y_E06000017.png"]


def test_estimate_with_the_apms_workbook_as_table(tmp_path: Path) -> None:
    """--table the publisher's APMS 2014 chapter 2 workbook (wide), sheet 2.3 named in its JSON.

    Rutland's GAD estimate from the workbook's own cells equals the shipped table's (built
    from the same cells), women and men alike.
    """
    pytest.importorskip("xlrd")
    import json
    import shutil

    book = tmp_path / "ch2.xls"
    shutil.copyfile(ROOT / "sources" / "apms_2014" / "apms-2014-ch-02-tabs.xls", book)
    meta = {
        "id": "my_apms_2014_2_3", "title": "APMS 2014 Table 2.3 (my copy)",
        "publisher": "NHS Digital", "edition": 2014, "geography": "England",
        "population": "adults 16+ in private households", "ages": "16+",
        "sources": [{"id": "apms_2014_ch2", "citation": "APMS 2014, chapter 2 tables",
                     "kind": "primary"}],
        "reader": {"sheet": "2.3", "period": "past week",
                   "conditions": {"Generalised anxiety disorder": "gad"}},
    }  # fmt: skip
    (tmp_path / "ch2.json").write_text(json.dumps(meta), encoding="utf-8")
    mine, shipped = tmp_path / "mine.csv", tmp_path / "shipped.csv"
    common = ["estimate", "--population", str(FEMALES), "--population", str(MALES), "--areas",
              RUTLAND, "--layout", "tidy"]  # fmt: skip
    proc = run(*common, "--table", str(book), "--out", str(mine))
    assert proc.returncode == 0, proc.stderr
    proc = run(*common, "--conditions", "gad", "--out", str(shipped))
    assert proc.returncode == 0, proc.stderr
    got = pd.read_csv(mine).set_index(["sex", "age_band"])["cases"]
    want = pd.read_csv(shipped).set_index(["sex", "age_band"])["cases"]
    assert got.to_dict() == pytest.approx(want.to_dict(), rel=1e-12)
    assert got[("female", "16-24")] == pytest.approx(people(FEMALES, RUTLAND, 16, 24) * 0.090)


def test_estimate_with_births_one_workbook(tmp_path: Path) -> None:
    """estimate --births: Rutland's APMS and perinatal estimates in one workbook, a sheet each.

    The ONS births table names areas only; the population's codes match Rutland to
    E06000017, so --areas takes the code for both. 341 live births × each JCPMH rate.
    """
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "rutland.xlsx"
    proc = run(
        "estimate", "--population", str(FEMALES), "--population", str(MALES), "--areas",
        RUTLAND, "--births", str(BIRTHS), "--round", "5", "--how", "up", "--out", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "apms_2014_by_age_sex",
        "apms_2014_by_age_sex data",
        "jcpmh_2012_perinatal",
        "jcpmh_2012_perinatal data",
        "Sources",
        "Notes",
    ]
    peri = book["jcpmh_2012_perinatal"]
    heads = [c.value for c in peri[5]]
    count = heads.index("Live births")  # the denominator, named in the heading
    assert heads[: count + 2] == [
        "Area code", "Area", "Year", "Sex", "Condition", "Period", "Ages", "Live births", "All",
    ]  # fmt: skip
    women = {
        r[4]: r[count : count + 4]
        for r in peri.iter_rows(min_row=7, values_only=True)
        if r[3] == "Women"
    }
    severe = up5(341 * 0.030)
    assert women["Severe depressive illness"] == (341, severe, severe, severe)
    assert women["Adjustment disorders and distress"][2:] == (up5(341 * 0.150), up5(341 * 0.300))
    apms = book["apms_2014_by_age_sex data"]
    rows = list(apms.iter_rows(values_only=True))
    header = list(rows[0])
    gad = [r for r in rows[1:] if r[header.index("condition")] == "gad"]
    assert {r[header.index("area_code")] for r in gad} == {RUTLAND}
    adults = sum(
        r[header.index("population")]
        for r in gad
        if r[header.index("age_band")] == "All" and r[header.index("sex")] != "persons"
    )
    assert adults == people(FEMALES, RUTLAND, 16, 90) + people(MALES, RUTLAND, 16, 90) == 31542
    notes = [r[0] for r in book["Notes"].iter_rows(values_only=True) if isinstance(r[0], str)]
    assert any(n.startswith("Denominator: live births") for n in notes)
    assert "Estimated number of women giving birth with each condition" in proc.stdout


# -- perinatal ---------------------------------------------------------------------


def test_perinatal_ons_births_table(tmp_path: Path) -> None:
    """The ONS births table, Rutland by name: 341 live births × each rate; the warning noted."""
    out = tmp_path / "births.csv"
    proc = run("perinatal", "--births", str(BIRTHS), "--areas", "Rutland", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    header, lines, notes = report_rows(out)
    got = {line[header.index("Condition")]: line[header.index("All")] for line in lines}
    assert got["Adjustment disorders and distress"] == (f"{341 * 0.150:,.0f}–{341 * 0.300:,.0f}")
    assert got["Severe depressive illness"] == f"{341 * 0.030:,.0f}"
    assert {line[header.index("Live births")] for line in lines} == {"341"}
    assert any(n.startswith("Warning: The births are counted as live births") for n in notes)
    assert (
        "Denominator: live births (each baby born alive, so twins count twice), applied to the "
        "rates per 1,000 maternities of table jcpmh_2012_perinatal: an approximation, not "
        "adjusted for the difference. Give maternities (a maternities column in the births "
        "file) when you have them."
    ) in notes


def test_perinatal_ons_tidy_names_denominator(tmp_path: Path) -> None:
    """The tidy CSV from the ONS births table says on every row: live births, rates per maternity."""
    out = tmp_path / "births.csv"
    proc = run(
        "perinatal", "--births", str(BIRTHS), "--areas", "Rutland", "--layout", "tidy",
        "--out", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out)
    assert set(frame["denominator"]) == {"live_births"}
    assert set(frame["rates_per"]) == {"maternities"}
    assert set(frame["births"]) == {341}


def test_perinatal_maternities_column_in_every_output(tmp_path: Path) -> None:
    """A births CSV with maternities and births: maternities used, and every output says so."""
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("matplotlib")
    births = tmp_path / "births.csv"
    births.write_text("area_name,year,maternities,births\nRutland,2016,305,312\n", encoding="utf-8")
    out = tmp_path / "m.xlsx"
    proc = run(
        "perinatal", "--births", str(births), "--out", str(out), "--charts",
        str(tmp_path / "charts"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    used = (
        "The births frame has both maternities and births columns: the maternities (305 in all) "
        "were used, as the rates are per maternity; the births column (312 in all) was checked "
        "but not used."
    )
    assert used in " ".join(proc.stdout.split())
    book = openpyxl.load_workbook(out)
    sheet = book["jcpmh_2012_perinatal"]
    assert sheet["G5"].value == "Maternities"
    assert {r[6] for r in sheet.iter_rows(min_row=7, max_row=12, values_only=True)} == {305}
    texts = [r[0] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], str)]
    assert used in texts
    assert (
        "Denominator: maternities (women giving birth, each counted once), the denominator of "
        "the rates (table jcpmh_2012_perinatal: rates per 1,000 maternities)."
    ) in texts
    notes = {r[0]: r[1] for r in book["Notes"].iter_rows(values_only=True)}
    assert notes["Input counts"] == "maternities"
    data = list(book["jcpmh_2012_perinatal data"].iter_rows(values_only=True))
    header = list(data[0])
    assert {r[header.index("denominator")] for r in data[1:]} == {"maternities"}
    assert {r[header.index("births")] for r in data[1:]} == {305}
    assert len(list((tmp_path / "charts").iterdir())) == 6


def test_perinatal_tidy_maternities_jsna(tmp_path: Path) -> None:
    """312 maternities, rounded up to 5: the Rutland JSNA 2018 Table 1, in an Excel file."""
    openpyxl = pytest.importorskip("openpyxl")
    births = tmp_path / "births.csv"
    births.write_text("area_name,year,births\nRutland,2016,312\n", encoding="utf-8")
    out = tmp_path / "jsna.xlsx"
    proc = run(
        "perinatal",
        "--births",
        str(births),
        "--denominator",
        "maternities",
        "--round",
        "5",
        "--how",
        "up",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    sheet = openpyxl.load_workbook(out)["jcpmh_2012_perinatal"]
    got = {r[3]: r[7:10] for r in sheet.iter_rows(min_row=7, values_only=True) if r[2] == "Women"}
    assert got == {
        "Postpartum (puerperal) psychosis": (5, 5, 5),
        "Chronic serious mental illness": (5, 5, 5),
        "Severe depressive illness": (10, 10, 10),
        "Mild-moderate depressive illness and anxiety states": (None, 35, 50),
        "Post-traumatic stress disorder": (10, 10, 10),
        "Adjustment disorders and distress": (None, 50, 95),
    }


def test_perinatal_ons_with_codes_into_groups(tmp_path: Path) -> None:
    """Births named in the ONS table get codes from MYE2 files, then add into groups."""
    mapping = tmp_path / "lots.csv"
    pd.DataFrame({"area_code": DISTRICTS, "group": "Leicestershire districts"}).to_csv(
        mapping, index=False
    )
    out = tmp_path / "b.csv"
    proc = run(
        "perinatal",
        "--births",
        str(BIRTHS),
        "--population",
        str(FEMALES),
        "--population",
        str(MALES),
        "--group-by",
        str(mapping),
        "--layout",
        "tidy",
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out).set_index("condition")
    district_births = 1062 + 1766 + 817 + 1091 + 512 + 974 + 567
    assert frame.loc["ptsd", "births"] == district_births == 6789
    assert frame.loc["ptsd", "cases"] == pytest.approx(6789 * 0.030)


def test_perinatal_tidy_needs_denominator(tmp_path: Path) -> None:
    """A births CSV without --denominator: one clear line."""
    births = tmp_path / "births.csv"
    births.write_text("births\n312\n", encoding="utf-8")
    proc = run("perinatal", "--births", str(births), "--out", str(tmp_path / "x.csv"))
    assert one_line_error(proc) == (
        "mhneed: error: --denominator is needed for a births CSV (births.csv): say whether its "
        "counts are maternities, live_births, deliveries (or give maternities in a column named "
        "maternities)"
    )


def test_perinatal_maternities_with_other_denominator(tmp_path: Path) -> None:
    """A maternities column with --denominator live_births: refused in one line."""
    births = tmp_path / "births.csv"
    births.write_text("maternities\n305\n", encoding="utf-8")
    proc = run(
        "perinatal", "--births", str(births), "--denominator", "live_births", "--out",
        str(tmp_path / "x.csv"),
    )  # fmt: skip
    assert one_line_error(proc) == (
        "mhneed: error: births frame: denominator 'live_births' does not describe the "
        "maternities column, which counts maternities and is used when there is one; leave "
        "denominator out (or drop the maternities column to use the births column)"
    )


# -- demo --------------------------------------------------------------------------


def test_demo_prints_and_writes(tmp_path: Path) -> None:
    """`mhneed demo`: Rutland's APMS and perinatal tables printed, and the same numbers written."""
    out = tmp_path / "out"
    proc = run("demo", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("mhneed demo: Rutland (E06000017), shipped ONS data for 2014")
    people = mhneed.rutland_population()
    by_sex_age = {
        sex: dict(zip(part["age"], part["population"], strict=True))
        for sex, part in people.groupby("sex", observed=True)
    }
    gad = expected_gad(by_sex_age["female"], by_sex_age["male"])
    assert f"{gad:,.0f}" in proc.stdout
    assert "Conditions overlap" in proc.stdout
    assert "Rounding: none; figures are unrounded estimates" in proc.stdout
    assert "Source [jcpmh_2012] (secondary)" in proc.stdout
    summary = pd.read_csv(out / "rutland_apms_2014_summary.csv").set_index("condition")
    assert summary.loc["gad", "population"] == 31542
    assert summary.loc["gad", "cases"] == pytest.approx(gad)
    coverage = pd.read_csv(out / "rutland_apms_2014_coverage.csv")
    assert (coverage["population"] == 38022).all()
    header, lines, _ = report_rows(out / "rutland_apms_2014_report.csv")
    persons = {r[4]: r[header.index("All")] for r in lines if r[3] == "All people"}
    assert persons["Generalised anxiety disorder"].split(" ")[0] == f"{gad:,.0f}"
    cases, lower, upper = expected_cells(
        by_sex_age, mhneed.load_table("apms_2014_by_age_sex"), "ptsd"
    )
    assert persons["Post-traumatic stress disorder (screen positive)"] == (
        f"{cases:,.0f} ({lower:,.0f}–{upper:,.0f})"
    )
    header, lines, notes = report_rows(out / "rutland_perinatal_2014_report.csv")
    peri = {r[header.index("Condition")]: r[header.index("All")] for r in lines}
    assert peri["Adjustment disorders and distress"] == "51–102"
    assert any("live births" in n for n in notes)
    cells = pd.read_csv(out / "rutland_perinatal_2014_cells.csv")
    assert cells["births"].unique().tolist() == [341]


def test_demo_rounded(tmp_path: Path) -> None:
    """`mhneed demo --round 5 --how up` rounds both tables and says so."""
    proc = run("demo", "--out", str(tmp_path), "--round", "5", "--how", "up")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("Rounding: every figure is rounded up to a multiple of 5") == 2
    header, lines, _ = report_rows(tmp_path / "rutland_perinatal_2014_report.csv")
    peri = {r[header.index("Condition")]: r[header.index("All")] for r in lines}
    assert peri["Adjustment disorders and distress"] == f"{up5(51.15):.0f}–{up5(102.3):.0f}"


# -- errors and progress -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["estimate", "--population", "nope.csv", "--table", "apms_2014", "--out", "x.csv"],
            "mhneed: error: --population nope.csv: no such file",
        ),
        (
            ["estimate", "--population", str(NOMIS), "--table", "apms_2014", "--out", "x.txt"],
            "mhneed: error: --out x.txt: the file name must end in .csv or .xlsx",
        ),
        (
            ["estimate", "--population", str(NOMIS), "--table", "nope", "--out", "x.csv"],
            "mhneed: error: no shipped rate table has id 'nope'; the tables are: "
            + ", ".join(mhneed.available_tables()),
        ),
        (
            [
                "estimate",
                "--population",
                str(NOMIS),
                "--table",
                "apms_2014",
                "--out",
                "x.csv",
                "--areas",
                "E06000099",
            ],
            "mhneed: error: --areas: E06000099 not in the population (1 areas, such as E06000017)",
        ),
        (
            ["estimate", "--population", str(FEMALES), "--table", "apms_2014", "--out", "x.csv"],
            "mhneed: error: --population: the MYE2 files hold women only (UK females-Table "
            "1.csv); give one --population file per sex, the women's and the men's",
        ),
        (
            ["estimate", "--population", str(NOMIS), "--table", "apms_2014"],
            "mhneed estimate: error: the following arguments are required: --out (see: mhneed "
            "estimate --help)",
        ),
        (
            [
                "estimate",
                "--population",
                str(NOMIS),
                "--table",
                "apms_2014",
                "--out",
                "x.csv",
                "--how",
                "up",
            ],
            "mhneed: error: --how needs --round: say what to round to, such as --round 5 --how up",
        ),
        (
            ["perinatal", "--births", str(BIRTHS), "--out", "x.csv", "--group-by", str(BIRTHS)],
            "mhneed: error: --group-by Table 3-Table 1.csv: no column area_code, group; the "
            "mapping needs columns area_code and group; it has: Contents, Unnamed: 1, "
            "Unnamed: 2, Unnamed: 3, Unnamed: 4, Unnamed: 5, Unnamed: 6, Unnamed: 7, "
            "Unnamed: 8, Unnamed: 9, Unnamed: 10, Unnamed: 11",
        ),
    ],
)
def test_bad_input_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    """Bad input: exit 2 and one line saying what is wrong, no traceback."""
    assert one_line_error(run(*args, cwd=tmp_path)) == message


def test_debug_shows_traceback(tmp_path: Path) -> None:
    """--debug (before or after the command) shows the traceback."""
    for args in (["--debug", "table", "nope"], ["table", "nope", "--debug"]):
        proc = run(*args, cwd=tmp_path)
        assert proc.returncode != 0
        assert "Traceback" in proc.stderr
        assert "UnknownTableError" in proc.stderr


def test_progress_on_a_terminal_only(tmp_path: Path) -> None:
    """Progress goes to stderr when it is a terminal, and is cleared; piped, stderr stays empty."""
    args = [
        sys.executable,
        "-m",
        "mhneed",
        "estimate",
        "--population",
        str(FEMALES),
        "--population",
        str(MALES),
        "--table",
        "apms_2014",
        "--out",
        str(tmp_path / "a.csv"),
    ]

    master, slave = pty.openpty()
    try:
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=slave, check=False)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert proc.returncode == 0
    text = seen.decode("utf-8")
    assert "mhneed: reading 2 population files…" in text
    assert "mhneed: estimating apms_2014 for 14 areas × 1 year…" in text
    assert text.endswith("\r\x1b[K")
    assert proc.stdout.startswith(b"Estimated number of people with each condition")
    piped = run(*args[3:], "--force")  # a.csv exists now
    assert piped.returncode == 0
    assert piped.stderr == ""


def test_console_script_installed() -> None:
    """The installed `mhneed` console script runs."""
    script = Path(sys.executable).with_name("mhneed")
    if not script.exists():
        pytest.skip("no console script next to this interpreter")
    proc = subprocess.run([str(script), "tables"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "apms_2014" in proc.stdout
