"""Unit tests for mhneed.published.rate_file_wide: the wide-layout reader, read_wide_rate_table.

The workbooks are built here, in the layout the APMS 2014 reference workbooks
use (RATES.md §2.2: sheet 2.3 of apms-2014-ch-02-tabs.xls, blocks Men, Women,
All adults; rows GAD, depressive episode, all phobias, OCD, panic disorder,
CMD-NOS, any CMD; columns 16-24 ... 75+, All; bases below). Where RATES.md
gives a real cell (§2.1 for the All column, §2.2 for single age-by-sex cells)
the fixture uses it; every other cell is a made-up test value, built by
``made_up`` so that no two cells are equal, and never shipped.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import xlwt
from hypothesis import given
from hypothesis import strategies as st

import mhneed
from mhneed import MissingExtraError, RateTableError
from mhneed.published.rates import RateTable

BANDS = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
BLOCKS = ["Men", "Women", "All adults"]
SEX_OF = {"Men": "male", "Women": "female", "All adults": "persons"}
ROWS = [
    ("Generalised anxiety disorder", "gad"),
    ("Depressive episode", "depressive_episode"),
    ("All phobias", "phobias"),
    ("Obsessive compulsive disorder", "ocd"),
    ("Panic disorder", "panic_disorder"),
    ("CMD-NOS", "cmd_nos"),
    ("Any CMD", "any_cmd"),
]
CONDITIONS = dict(ROWS)

#: Real published cells (percent): (block, row label, column) -> figure.
REAL: dict[tuple[str, str, str], float] = {
    # RATES.md §2.2 (APMS 2014 chapter 2 summary, quoted by the Rutland JSNA 2018)
    ("Women", "Generalised anxiety disorder", "16-24"): 9.0,
    ("Women", "Generalised anxiety disorder", "45-54"): 8.5,
    ("Women", "Generalised anxiety disorder", "35-44"): 7.0,
    ("Men", "Generalised anxiety disorder", "35-44"): 6.8,
    ("Men", "Generalised anxiety disorder", "75+"): 0.9,
    ("Women", "Generalised anxiety disorder", "75+"): 3.6,
    ("Men", "CMD-NOS", "25-34"): 7.9,
    ("Women", "CMD-NOS", "45-54"): 11.8,
    ("Women", "CMD-NOS", "16-24"): 11.3,
    ("Men", "CMD-NOS", "16-24"): 5.6,
    ("Men", "CMD-NOS", "45-54"): 5.6,
    ("All adults", "Panic disorder", "16-24"): 1.2,
    ("Women", "Panic disorder", "16-24"): 2.2,
    ("Men", "Panic disorder", "16-24"): 0.4,
    ("Women", "All phobias", "16-24"): 5.4,
    ("Women", "Obsessive compulsive disorder", "16-24"): 2.4,
    # RATES.md §2.1 (national rates for all ages: the All column)
    ("Women", "Generalised anxiety disorder", "All"): 6.8,
    ("Men", "Generalised anxiety disorder", "All"): 4.9,
    ("All adults", "Generalised anxiety disorder", "All"): 5.9,
    ("All adults", "CMD-NOS", "All"): 7.8,
    ("All adults", "Panic disorder", "All"): 0.6,
    ("Women", "All phobias", "All"): 3.0,
    ("Men", "All phobias", "All"): 1.8,
    ("All adults", "All phobias", "All"): 2.4,
    ("Women", "Obsessive compulsive disorder", "All"): 1.5,
    ("Men", "Obsessive compulsive disorder", "All"): 1.1,
    ("All adults", "Obsessive compulsive disorder", "All"): 1.3,
    ("Women", "Any CMD", "All"): 20.7,
    ("Men", "Any CMD", "All"): 13.2,
}

META: dict[str, Any] = {
    "id": "apms_2014_sheet_2_3",
    "title": "APMS 2014 table 2.3 (test fixture in the published layout)",
    "publisher": "NHS Digital",
    "edition": 2014,
    "geography": "England",
    "population": "adults aged 16 and over living in private households",
    "ages": "16+",
}
CITATION = "Test fixture in the layout of APMS 2014 workbook sheet 2.3 (mostly made-up values)"

Grid = list[list[Any]]


def made_up(block: str, label: str, column: str) -> float:
    """A made-up test value (percent), different for every cell; never shipped."""
    b = BLOCKS.index(block) + 1
    r = [lbl for lbl, _ in ROWS].index(label)
    c = [*BANDS, "All"].index(column)
    return round(b * 10 + r + c / 10, 1)


def low(value: float) -> float:
    """A made-up lower confidence limit for a test cell [percent]."""
    return round(value / 2, 2)


def high(value: float) -> float:
    """A made-up upper confidence limit for a test cell [percent]."""
    return round(value * 2, 2)


def figure(block: str, label: str, column: str) -> float:
    """The cell's figure: the real one where RATES.md gives it, else a made-up test value."""
    return REAL.get((block, label, column), made_up(block, label, column))


def apms_23_grid(
    *,
    blocks: list[str] = BLOCKS,
    bands: list[str] = BANDS,
    limits: bool = False,
) -> Grid:
    """Sheet 2.3 in the published layout, with made-up bases (and limits when asked)."""
    width = len(bands) + 2
    blank = [None] * width
    grid: Grid = [
        ["Table 2.3 Common mental disorders in the past week, by age and sex", *blank[1:]],
        [None, "Age in years", *blank[2:]],
        [None, *[b.replace("-", "–") for b in bands], "All"],
        [None, *["%"] * (width - 1)],
    ]
    for block in blocks:
        grid.append([block, *blank[1:]])
        for label, _ in ROWS:
            grid.append([label, *[figure(block, label, b) for b in [*bands, "All"]]])
            if limits:
                grid.append(["Lower 95% CI", *[low(figure(block, label, b)) for b in bands], None])
                grid.append(["Upper 95% CI", *[high(figure(block, label, b)) for b in bands], None])
        grid.append(["Bases (weighted)", *[1000 + i for i in range(width - 1)]])
        grid.append(["Bases (unweighted)", *[900 + i for i in range(width - 1)]])
        grid.append(list(blank))
    grid.append(["Source: made-up test fixture in the layout of APMS 2014 sheet 2.3", *blank[1:]])
    return grid


def write_xlsx(path: Path, grid: Grid, sheet: str = "2.3") -> Path:
    """Write the grid as a workbook whose second sheet is ``sheet`` (first: a contents page)."""
    book = openpyxl.Workbook()
    contents = book.active
    assert contents is not None
    contents.title = "Contents"
    contents.append(["Contents of this made-up test workbook"])
    page = book.create_sheet(sheet)
    for row in grid:
        page.append(row)
    book.save(path)
    return path


def write_xls(path: Path, grid: Grid, sheet: str = "2.3") -> Path:
    """Write the grid as an old-style .xls workbook (xlwt), second sheet ``sheet``."""
    book = xlwt.Workbook()
    book.add_sheet("Contents").write(0, 0, "Contents of this made-up test workbook")
    page = book.add_sheet(sheet)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value is not None:
                page.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, grid: Grid) -> Path:
    """Write the grid as CSV text, as an analyst would save the sheet."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["" if v is None else v for v in row] for row in grid])
    return path


def read_fmt(fmt: str, tmp_path: Path, grid: Grid, **kwargs: Any) -> RateTable:
    """Write the grid in one format and read it back in one call."""
    if fmt == "xlsx":
        return mhneed.read_wide_rate_table(
            write_xlsx(tmp_path / "apms.xlsx", grid), META, sheet="2.3", **kwargs
        )
    if fmt == "xls":
        return mhneed.read_wide_rate_table(
            write_xls(tmp_path / "apms.xls", grid), META, sheet="2.3", **kwargs
        )
    if fmt == "csv":
        return mhneed.read_wide_rate_table(write_csv(tmp_path / "apms.csv", grid), META, **kwargs)
    return mhneed.read_wide_rate_table(pd.DataFrame(grid), META, **kwargs)


def cell_map(table: RateTable, checks: bool = False) -> dict[tuple[str, str, str], float]:
    """(condition, sex, band) -> rate as a percentage figure, for rows or checks."""
    rows = table.checks if checks else table.rows
    return {(r.condition, r.sex, r.age_band): r.rate for r in rows}


FORMATS = ["xlsx", "xls", "csv", "frame"]


# -- the wide layout: every cell ------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_apms_sheet_2_3_every_cell(fmt: str, tmp_path: Path) -> None:
    """Every cell of a sheet-2.3-shaped workbook lands in the right row or check."""
    table = read_fmt(
        fmt,
        tmp_path,
        apms_23_grid(),
        conditions=CONDITIONS,
        period="past week",
        source=CITATION,
    )
    rows, checks = cell_map(table), cell_map(table, checks=True)
    assert len(rows) == len(table.rows) == 7 * 2 * 7
    assert len(checks) == len(table.checks) == 7 * 7 + 7 * 3
    for label, cond in ROWS:
        for block in BLOCKS:
            sex = SEX_OF[block]
            for band in BANDS:
                where = checks if sex == "persons" else rows
                assert where[(cond, sex, band)] == figure(block, label, band) / 100
            assert checks[(cond, sex, "16+")] == figure(block, label, "All") / 100
    assert table.conditions == [cond for _, cond in ROWS]
    assert table.meta.unit == "percent"
    assert table.meta.interval == "none"
    assert table.meta.ages == "16+"
    assert {c.period for c in table.meta.conditions} == {"past week"}
    assert {c.label for c in table.meta.conditions} == {label for label, _ in ROWS}
    assert table.meta.sources[0].citation == CITATION
    assert table.meta.sources[0].kind == "primary"


def test_apms_sheet_2_3_real_cells() -> None:
    """The real cells RATES.md §2.1-2.2 gives read back as published (spot check)."""
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(apms_23_grid()),
        META,
        conditions=CONDITIONS,
        period="past week",
        source=CITATION,
    )
    rows, checks = cell_map(table), cell_map(table, checks=True)
    assert rows[("gad", "female", "16-24")] == 9.0 / 100
    assert rows[("gad", "male", "35-44")] == 6.8 / 100
    assert rows[("cmd_nos", "male", "25-34")] == 7.9 / 100
    assert rows[("panic_disorder", "female", "16-24")] == 2.2 / 100
    assert checks[("panic_disorder", "persons", "16-24")] == 1.2 / 100
    assert checks[("gad", "female", "16+")] == 6.8 / 100
    assert checks[("gad", "male", "16+")] == 4.9 / 100
    assert checks[("gad", "persons", "16+")] == 5.9 / 100


def test_default_ids_come_from_the_row_labels() -> None:
    """With no conditions=, every condition row is read and its id made from its label."""
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(apms_23_grid()), META, period="past week", source=CITATION
    )
    assert table.conditions == [
        "generalised_anxiety_disorder",
        "depressive_episode",
        "all_phobias",
        "obsessive_compulsive_disorder",
        "panic_disorder",
        "cmd_nos",
        "any_cmd",
    ]
    assert table.conditions_frame()["label"].tolist() == [label for label, _ in ROWS]


def test_conditions_choose_rows_and_ids() -> None:
    """conditions= reads only the rows named, matching labels loosely, in the order given."""
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(apms_23_grid()),
        META,
        conditions={"any cmd": "any_cmd", "GENERALISED  ANXIETY DISORDER": "gad"},
        period={"any_cmd": "past week", "gad": "past week"},
        source=CITATION,
    )
    assert table.conditions == ["any_cmd", "gad"]
    assert cell_map(table)[("any_cmd", "male", "75+")] == made_up("Men", "Any CMD", "75+") / 100


def test_confidence_limit_rows(tmp_path: Path) -> None:
    """Lower and upper 95% CI rows give each cell's limits and the table's level."""
    table = read_fmt(
        "xlsx",
        tmp_path,
        apms_23_grid(limits=True),
        conditions=CONDITIONS,
        period="past week",
        source=CITATION,
    )
    assert table.meta.interval == "confidence_interval"
    assert table.meta.level == 0.95
    for row in table.rows:
        label = next(lbl for lbl, cond in ROWS if cond == row.condition)
        block = {"male": "Men", "female": "Women"}[row.sex]
        value = figure(block, label, row.age_band)
        assert (row.lower, row.rate, row.upper) == (
            low(value) / 100,
            value / 100,
            high(value) / 100,
        )
    all_column = [r for r in table.checks if r.age_band == "16+"]
    assert all(r.lower is None and r.upper is None for r in all_column)


def test_one_ci_row_of_ranges() -> None:
    """A single '95% CI' row of 'a–b' cells gives the limits too."""
    grid = [
        [None, "16-64", "65+", "All"],
        ["All adults", None, None, None],
        ["PTSD", "5.7", "4.0", "5.5"],
        ["95% CI", "4.9–6.6", "3.1–5.0", None],
    ]
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(grid),
        META,
        blocks={"All adults": "persons"},
        period="past month",
        source=CITATION,
    )
    assert [(r.age_band, r.rate, r.lower, r.upper) for r in table.rows] == [
        ("16-64", 5.7 / 100, 4.9 / 100, 6.6 / 100),
        ("65+", 4.0 / 100, 3.1 / 100, 5.0 / 100),
    ]
    assert table.meta.level == 0.95


def test_persons_only_sheet_gives_persons_rows() -> None:
    """With only an All adults block, its cells are the rows and the All column a check."""
    grid = [
        [None, *BANDS, "All"],
        ["All adults", *[None] * 8],
        ["Any condition", 1, 2, 3, 4, 5, 6, 7, 8],
    ]
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(grid).fillna(""),
        META,
        blocks={"All adults": "persons"},
        period="varies",
        source=CITATION,
    )
    assert [(r.sex, r.age_band, r.rate) for r in table.rows] == [
        ("persons", b, (i + 1) / 100) for i, b in enumerate(BANDS)
    ]
    assert [(r.sex, r.age_band, r.rate) for r in table.checks] == [("persons", "16+", 8 / 100)]
    assert table.meta.conditions[0].sexes == ("female", "male")


# -- the wide layout: the same estimate as the long format -------------------------------


def test_workbook_estimates_like_the_same_figures_typed_long(tmp_path: Path) -> None:
    """A workbook read in one call gives the same estimate as its figures typed long."""
    wide = mhneed.read_wide_rate_table(
        write_xlsx(tmp_path / "apms.xlsx", apms_23_grid()),
        META,
        sheet="2.3",
        conditions=CONDITIONS,
        period="past week",
        source={"id": "fixture", "citation": CITATION, "kind": "primary"},
    )
    typed = [
        {
            "condition": cond,
            "sex": SEX_OF[block],
            "age_band": band,
            "rate": str(figure(block, label, band)),
            "source": "fixture",
        }
        for label, cond in ROWS
        for block in ("Women", "Men")
        for band in BANDS
    ]
    csv_path = tmp_path / "typed.csv"
    pd.DataFrame(typed).to_csv(csv_path, index=False)
    meta = {
        **META,
        "denominator": "persons",
        "interval": "none",
        "unit": "percent",
        "conditions": [
            {"id": cond, "label": label, "period": "past week", "ages": "16+"}
            for label, cond in ROWS
        ],
    }
    long = mhneed.read_rate_table(
        csv_path,
        meta,
        sources=[{"id": "fixture", "citation": CITATION, "kind": "primary"}],
    )
    assert wide.rows == long.rows
    population = mhneed.rutland_population()
    est_wide, est_long = mhneed.estimate(population, wide), mhneed.estimate(population, long)
    pd.testing.assert_frame_equal(est_wide.to_frame(), est_long.to_frame())
    pd.testing.assert_frame_equal(
        est_wide.summarise(by=["area_code", "condition"]).to_frame(),
        est_long.summarise(by=["area_code", "condition"]).to_frame(),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_published_psychosis_table_reads_as_shipped(fmt: str, tmp_path: Path) -> None:
    """RATES.md §3.1 typed in the wide layout reads to the shipped table and its estimate."""
    shipped = mhneed.load_table("apms_2007_psychosis")
    # RATES.md §3.1: APMS 2007 psychotic disorder, past year, % ("–" printed = 0)
    published = {
        "Men": ["–", 0.6, 0.7, 0.1, "–", "–", "–", 0.3],
        "Women": [0.4, 0.2, 1.1, 0.8, 0.6, "–", "–", 0.5],
        "All adults": [0.2, 0.4, 0.9, 0.5, 0.3, "–", "–", 0.4],
    }
    grid: Grid = [[None, *BANDS, "All"]]
    for block, values in published.items():
        grid += [[block, *[None] * 8], ["Psychotic disorder", *values]]
    if fmt == "csv":
        path = write_csv(tmp_path / "psychosis.csv", grid)
        table = mhneed.read_wide_rate_table(path, shipped.meta)
    elif fmt == "frame":
        table = mhneed.read_wide_rate_table(pd.DataFrame(grid), shipped.meta)
    else:
        writer: Callable[[Path, Grid, str], Path] = write_xlsx if fmt == "xlsx" else write_xls
        path = writer(tmp_path / f"psychosis.{fmt}", grid, "3.1")
        table = mhneed.read_wide_rate_table(path, shipped.meta, sheet="3.1")
    assert table.rows == shipped.rows
    assert table.meta == shipped.meta
    figures = {(r.sex, r.age_band): (r.rate, r.source) for r in table.checks}
    assert figures == {(r.sex, r.age_band): (r.rate, r.source) for r in shipped.checks}
    population = mhneed.rutland_population()
    pd.testing.assert_frame_equal(
        mhneed.estimate(population, table).to_frame(),
        mhneed.estimate(population, "apms_2007_psychosis").to_frame(),
    )


def test_dash_is_zero_with_a_note() -> None:
    """A printed '–' (or '-') is read as 0 with a note saying so."""
    grid = apms_23_grid()
    grid[5][1] = "–"  # Men, GAD, 16-24
    grid[6][2] = "-"  # Men, depressive episode, 25-34
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(grid), META, conditions=CONDITIONS, period="past week", source=CITATION
    )
    by_cell = {(r.condition, r.sex, r.age_band): r for r in table.rows}
    for key in [("gad", "male", "16-24"), ("depressive_episode", "male", "25-34")]:
        assert by_cell[key].rate == 0.0
        assert by_cell[key].note == (
            'printed "–" in the source (no cases observed in the survey sample); stored as 0'
        )
    assert by_cell[("gad", "male", "25-34")].note == ""


# -- the wide layout: errors ------------------------------------------------------------


def _read(grid: Grid, **kwargs: Any) -> RateTable:
    options: dict[str, Any] = {
        "conditions": CONDITIONS,
        "period": "past week",
        "source": CITATION,
    }
    options.update(kwargs)
    meta = options.pop("meta", META)
    return mhneed.read_wide_rate_table(pd.DataFrame(grid), meta, **options)


def test_missing_age_band_is_named() -> None:
    """A sheet without a 35-44 column is an error naming the ages not covered."""
    bands = [b for b in BANDS if b != "35-44"]
    with pytest.raises(RateTableError) as info:
        _read(apms_23_grid(bands=bands))
    assert str(info.value) == (
        "the DataFrame: the age-band columns: the age bands must cover ages 16+ exactly once; "
        "ages not covered: 35-44 (the header row, row 3, has 16-24, 25-34, 45-54, 55-64, "
        "65-74, 75+, All)"
    )
    assert info.value.column == "age_band"


def test_missing_top_band_is_named() -> None:
    """A sheet without its 75+ column is an error when the table's ages are 16+."""
    with pytest.raises(RateTableError, match=r"ages not covered: 75\+ \(the header row"):
        _read(apms_23_grid(bands=BANDS[:-1]))


def test_missing_expected_band_is_named() -> None:
    """With bands= given, a band without a column is an error naming it."""
    bands = [b for b in BANDS if b != "55-64"]
    with pytest.raises(RateTableError) as info:
        _read(apms_23_grid(bands=bands), bands=BANDS)
    assert str(info.value) == (
        "the DataFrame: age band 55-64 has no column in the header row (row 3); the columns "
        "found are 16-24, 25-34, 35-44, 45-54, 65-74, 75+, All"
    )
    assert info.value.values == ("55-64",)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "frame"])
def test_missing_sex_block_is_named(fmt: str, tmp_path: Path) -> None:
    """A sheet without a Women block is an error naming the block."""
    grid = apms_23_grid(blocks=["Men", "All adults"])
    with pytest.raises(RateTableError) as info:
        read_fmt(fmt, tmp_path, grid, conditions=CONDITIONS, period="past week", source=CITATION)
    where = {"xlsx": "apms.xlsx, sheet '2.3'", "xls": "apms.xls, sheet '2.3'"}
    assert str(info.value) == (
        f"{where.get(fmt, 'the DataFrame')}: no block headed 'Women'; the blocks expected are "
        "Men, Women, All adults and the blocks found are Men, All adults; name the headings "
        "with blocks=, such as blocks={'Men': 'male', 'Women': 'female', 'All adults': "
        "'persons'}"
    )
    assert info.value.values == ("Women",)


def test_missing_condition_row_is_named() -> None:
    """A condition asked for but absent from a block is an error naming both."""
    grid = apms_23_grid()
    del grid[16]  # Women, generalised anxiety disorder
    with pytest.raises(RateTableError) as info:
        _read(grid)
    assert str(info.value) == (
        "the DataFrame: condition gad (row label 'Generalised anxiety disorder') has no row "
        "in block 'Women'; the rows there are 'Depressive episode', 'All phobias', "
        "'Obsessive compulsive disorder', 'Panic disorder', 'CMD-NOS', 'Any CMD'"
    )


def test_blank_cell_is_named() -> None:
    """A blank cell in a condition row is an error naming the row, block and band."""
    grid = apms_23_grid()
    grid[17][3] = None  # Women, depressive episode, 35-44
    with pytest.raises(RateTableError) as info:
        _read(grid)
    assert str(info.value) == (
        "the DataFrame: row 18 ('Depressive episode', block 'Women'), column 35-44: no figure; "
        "every cell of a condition row needs a percentage (or '–' for no cases observed)"
    )


def test_text_cell_is_named() -> None:
    """A cell that is not a number is an error quoting it."""
    grid = apms_23_grid()
    grid[6][7] = ".."  # Men, depressive episode, 75+
    with pytest.raises(RateTableError) as info:
        _read(grid)
    assert str(info.value) == (
        "the DataFrame: row 7 ('Depressive episode', block 'Men'), column 75+: the figure '..' "
        "is not a number; write the percentage, or '–' for no cases observed"
    )
    assert info.value.values == ("..",)


def test_every_cell_problem_at_once() -> None:
    """Two bad cells in different blocks: one error naming both, in reading order."""
    grid = apms_23_grid()
    grid[6][7] = ".."  # Men, depressive episode, 75+
    grid[17][3] = None  # Women, depressive episode, 35-44
    with pytest.raises(RateTableError) as info:
        _read(grid)
    assert str(info.value) == (
        "the DataFrame: 2 problems: row 18 ('Depressive episode', block 'Women'), column 35-44: "
        "no figure; every cell of a condition row needs a percentage (or '–' for no cases "
        "observed); row 7 ('Depressive episode', block 'Men'), column 75+: the figure '..' is "
        "not a number; write the percentage, or '–' for no cases observed"
    )
    assert info.value.values == ("..",)


def test_figures_before_a_block_heading() -> None:
    """Figures above the first block heading are an error."""
    grid = apms_23_grid()
    grid.insert(4, ["Stray row", *[1.0] * 8])
    with pytest.raises(RateTableError) as info:
        _read(grid)
    assert str(info.value) == (
        "the DataFrame: row 5 ('Stray row') has figures but comes before any block heading; "
        "the blocks are headed Men, Women, All adults"
    )


def test_no_header_row() -> None:
    """A sheet with no row of age bands is an error saying what is expected."""
    with pytest.raises(RateTableError) as info:
        _read([["GAD", 1.0, 2.0]])
    assert str(info.value) == (
        "the DataFrame: no header row of age bands found; the sheet needs a row of age-band "
        "column headings such as 16-24, 25-34, ..., 75+, All"
    )


def test_band_repeated_in_header() -> None:
    """An age band twice in the header row is an error."""
    with pytest.raises(RateTableError, match=r"^the DataFrame: the header row \(row 1\) has age "):
        _read([[None, "16-24", "16–24", "25+"]])


def test_period_required_without_condition_metadata() -> None:
    """Without conditions in meta, period= is required."""
    with pytest.raises(RateTableError) as info:
        _read(apms_23_grid(), period=None)
    assert str(info.value) == (
        "the DataFrame: no reference period: pass period= (such as period='past week'), or a "
        "mapping of condition id to period, or conditions in meta"
    )


def test_period_mapping_must_cover_every_condition() -> None:
    """A period mapping without one of the conditions is an error naming it."""
    with pytest.raises(RateTableError) as info:
        _read(apms_23_grid(), period={"gad": "past week"})
    assert str(info.value) == (
        "the DataFrame: period= has no entry for condition depressive_episode; give every "
        "condition's reference period"
    )


def test_source_required() -> None:
    """Without source= (and no single source in meta) the reader says what to give."""
    with pytest.raises(RateTableError) as info:
        _read(apms_23_grid(), source=None)
    assert str(info.value) == (
        "rate table apms_2014_sheet_2_3: no source given; pass source= with the publication "
        "the figures come from, as a citation string or a mapping with id, citation and kind "
        "(primary or secondary)"
    )


def test_bad_source_kind() -> None:
    """A source whose kind is not primary or secondary is an error naming the field."""
    with pytest.raises(RateTableError, match=r"^source 'x': field kind: Input should be"):
        _read(apms_23_grid(), source={"id": "x", "citation": "y", "kind": "tertiary"})


def test_bad_block_sex() -> None:
    """A block mapped to something other than female, male or persons is an error."""
    with pytest.raises(RateTableError) as info:
        _read(apms_23_grid(), blocks={"Men": "men"})
    assert str(info.value) == (
        "blocks: heading 'Men' maps to 'men'; a block's sex is one of female, male, persons"
    )


def test_limits_need_both_rows() -> None:
    """A lower-limit row with no upper-limit row is an error."""
    grid = [
        [None, "16-64", "65+"],
        ["All adults", None, None],
        ["PTSD", 5.7, 4.0],
        ["Lower 95% CI", 4.9, 3.1],
    ]
    with pytest.raises(RateTableError) as info:
        _read(grid, blocks={"All adults": "persons"}, conditions=None, period="past month")
    assert str(info.value) == (
        "the DataFrame: 2 problems: row 3 ('PTSD', block 'All adults'), column 16-64: lower "
        "confidence limits are given without the other; give both rows or neither; row 3 "
        "('PTSD', block 'All adults'), column 65+: lower confidence limits are given without "
        "the other; give both rows or neither"
    )


def test_blocks_must_hold_the_same_rows() -> None:
    """Without conditions=, a row in one block but not the first is an error."""
    grid = apms_23_grid()
    grid.insert(21, ["Eating disorder", *[1.0] * 8])  # in the Women block only
    with pytest.raises(RateTableError) as info:
        _read(grid, conditions=None)
    assert str(info.value) == (
        "the DataFrame: row 22 ('Eating disorder') is in block 'Women' but not in block 'Men'; "
        "every block must hold the same conditions, or pass conditions= to choose rows"
    )


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    """An unknown sheet name is an error listing the workbook's sheets."""
    path = write_xlsx(tmp_path / "apms.xlsx", apms_23_grid())
    with pytest.raises(RateTableError) as info:
        mhneed.read_wide_rate_table(path, META, sheet="2.4", period="past week", source="x")
    assert str(info.value) == "apms.xlsx: no sheet '2.4'; the sheets are 'Contents', '2.3'"


def test_sheet_by_position(tmp_path: Path) -> None:
    """sheet= may be a 0-based position."""
    path = write_xls(tmp_path / "apms.xls", apms_23_grid())
    table = mhneed.read_wide_rate_table(
        path, META, sheet=1, conditions=CONDITIONS, period="past week", source=CITATION
    )
    assert len(table.rows) == 98


def test_sheet_for_csv_is_an_error(tmp_path: Path) -> None:
    """sheet= with a CSV file is an error."""
    path = write_csv(tmp_path / "apms.csv", apms_23_grid())
    with pytest.raises(RateTableError) as info:
        mhneed.read_wide_rate_table(path, META, sheet="2.3", period="past week", source="x")
    assert str(info.value) == (
        "apms.csv: sheet='2.3' applies to Excel workbooks; a CSV file has one sheet, so leave "
        "sheet out"
    )


def test_unknown_file_type(tmp_path: Path) -> None:
    """A file that is not CSV or Excel is an error naming what is accepted."""
    path = tmp_path / "apms.ods"
    path.write_bytes(b"")
    with pytest.raises(RateTableError) as info:
        mhneed.read_wide_rate_table(path, META, period="past week", source="x")
    assert str(info.value) == (
        "apms.ods: cannot read files ending '.ods'; give a .csv, .xlsx or .xls file, or a DataFrame"
    )


@pytest.mark.parametrize(
    ("suffix", "module", "message"),
    [
        (".xlsx", "openpyxl", "reading .xlsx files needs openpyxl, an optional extra: "),
        (".xls", "xlrd", "reading .xls files needs xlrd, an optional extra: "),
    ],
)
def test_missing_excel_extra(
    suffix: str, module: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without openpyxl or xlrd the reader names the extra to install."""
    writer = write_xlsx if suffix == ".xlsx" else write_xls
    path = writer(tmp_path / f"apms{suffix}", apms_23_grid())
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(MissingExtraError) as info:
        mhneed.read_wide_rate_table(path, META, period="past week", source="x")
    assert str(info.value) == message + 'pip install "mhneed[excel]"'
    assert isinstance(info.value, ImportError)


# -- property: any figures typed in the layout read back exactly -------------------------

figures_strategy = st.lists(
    st.integers(min_value=0, max_value=1000).map(lambda n: n / 10),
    min_size=2 * 3 * 8,
    max_size=2 * 3 * 8,
)


@given(values=figures_strategy, as_text=st.booleans())
def test_wide_layout_round_trip(values: list[float], as_text: bool) -> None:
    """Whatever percentages fill the layout, each reads back to its own cell."""
    labels = ["Condition A", "Condition B"]
    grid: Grid = [[None, *BANDS, "All"]]
    it = iter(values)
    typed: dict[tuple[str, str, str], float] = {}
    for block in BLOCKS:
        grid.append([block, *[None] * 8])
        for label in labels:
            row: list[Any] = [label]
            for column in [*BANDS, "All"]:
                value = next(it)
                typed[(block, label, column)] = value
                row.append(f"{value}" if as_text else value)
            grid.append(row)
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(grid), META, period="past week", source=CITATION, check_unit=False
    )  # any percentages, including all below 1
    rows, checks = cell_map(table), cell_map(table, checks=True)
    for (block, label, column), value in typed.items():
        cond, sex = label.lower().replace(" ", "_"), SEX_OF[block]
        if column == "All":
            assert checks[(cond, sex, "16+")] == value / 100
        elif sex == "persons":
            assert checks[(cond, sex, column)] == value / 100
        else:
            assert rows[(cond, sex, column)] == value / 100
    assert len(rows) + len(checks) == len(typed)


# -- the wide layout: decimal commas (issue 15) -----------------------------------------


def _with_text(grid: Grid, block: str, label: str, band: str, text: str) -> Grid:
    """The grid with one cell (block, row label, band column) replaced by ``text``."""
    header = next(r for r in grid if "All" in r)
    col = [str(v).replace("–", "-") for v in header].index(band)
    start = next(i for i, r in enumerate(grid) if r[0] == block)
    row = next(i for i, r in enumerate(grid) if i > start and r[0] == label)
    out = [list(r) for r in grid]
    out[row][col] = text
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "frame"])
def test_decimal_comma_is_refused(fmt: str, tmp_path: Path) -> None:
    """A rate cell '4,9' (4.9 with a decimal comma) is refused, not read as 49%."""
    grid = _with_text(apms_23_grid(), "Men", "Generalised anxiety disorder", "16-24", "4,9")
    with pytest.raises(RateTableError) as info:
        read_fmt(fmt, tmp_path, grid, conditions=CONDITIONS, period="past week", source=CITATION)
    where = {"xlsx": "apms.xlsx, sheet '2.3'", "csv": "apms.csv"}.get(fmt, "the DataFrame")
    assert str(info.value) == (
        f"{where}: row 6 ('Generalised anxiety disorder', block 'Men'), column 16-24: the "
        "figure '4,9' holds a comma, which is ambiguous: a decimal comma (4.9) or a thousands "
        "separator (49)? Pass decimal=',' if the file writes decimals with commas, or "
        "decimal='.' if its commas separate thousands"
    )
    assert info.value.column == "rate"
    assert info.value.rule == "no comma in a figure unless decimal= is given"
    assert info.value.values == ("4,9",)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "frame"])
def test_decimal_comma_read_when_stated(fmt: str, tmp_path: Path) -> None:
    """With decimal=',' every text figure's comma is its decimal mark, limits included."""
    grid: Grid = [
        [None, "16-64", "65+", "All"],
        ["All adults", None, None, None],
        ["Psychotic disorder", "0,5", "–", "0,4"],
        ["95% CI", "0,2–0,9", None, "0,1-0,7"],
    ]
    if fmt == "csv":
        path: Any = write_csv(tmp_path / "t.csv", grid)
    elif fmt == "xlsx":
        path = write_xlsx(tmp_path / "t.xlsx", grid, sheet="t")
    else:
        path = pd.DataFrame(grid)
    meta = {**META, "id": "demo"}
    table = mhneed.read_wide_rate_table(
        path,
        meta,
        sheet="t" if fmt == "xlsx" else None,
        blocks={"All adults": "persons"},
        period="past year",
        source="Made up",
        decimal=",",
        check_unit=False,  # psychosis: percentages all below 1
    )
    row = table.rows[0]
    assert (row.age_band, row.rate, row.lower, row.upper) == (
        "16-64",
        0.5 / 100,
        0.2 / 100,
        0.9 / 100,
    )
    assert table.rows[1].rate == 0.0
    assert table.checks[0].rate == 0.4 / 100


def test_decimal_point_reads_thousands_separators_only() -> None:
    """With decimal='.', '1,000' (per 1,000) is a thousands separator; '4,9' is refused."""
    grid: Grid = [
        [None, "16-64", "65+"],
        ["All adults", None, None],
        ["Any", "1,000", "4,9"],
    ]
    meta = {**META, "id": "demo", "unit": "per_1000"}
    with pytest.raises(RateTableError) as info:
        mhneed.read_wide_rate_table(
            pd.DataFrame(grid),
            meta,
            blocks={"All adults": "persons"},
            period="past year",
            source="Made up",
            decimal=".",
        )
    assert str(info.value) == (
        "the DataFrame: row 3 ('Any', block 'All adults'), column 65+: the figure '4,9' is not "
        "a number with decimal='.': its commas must separate thousands (such as 1,000.5)"
    )
    grid[2][2] = "4.9"
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(grid),
        meta,
        blocks={"All adults": "persons"},
        period="past year",
        source="Made up",
        decimal=".",
    )
    assert [r.rate for r in table.rows] == [1000 / 1000, 4.9 / 1000]


def test_decimal_comma_with_a_point_is_refused() -> None:
    """With decimal=',', a figure that also holds a point ('1.004,9') is refused."""
    grid: Grid = [[None, "16-64", "65+"], ["All adults", None, None], ["Any", "1.004,9", "4"]]
    with pytest.raises(RateTableError) as info:
        mhneed.read_wide_rate_table(
            pd.DataFrame(grid),
            {**META, "id": "demo", "unit": "per_1000"},
            blocks={"All adults": "persons"},
            period="past year",
            source="Made up",
            decimal=",",
        )
    assert str(info.value) == (
        "the DataFrame: row 3 ('Any', block 'All adults'), column 16-64: the figure '1.004,9' "
        "is not a number with decimal=',': write it with one comma and no points (such as 4,9)"
    )


def test_decimal_must_be_a_point_or_a_comma() -> None:
    """decimal= other than '.' or ',' is refused, naming the value."""
    with pytest.raises(RateTableError) as info:
        _read(apms_23_grid(), decimal=";")
    assert str(info.value) == "read_wide_rate_table: decimal=';' must be '.' or ','"
    assert (info.value.column, info.value.rule) == ("decimal", "decimal in '.', ','")


@given(values=figures_strategy)
def test_wide_layout_round_trip_decimal_comma(values: list[float]) -> None:
    """Figures written with decimal commas read back as the numbers meant, with decimal=','."""
    grid: Grid = [[None, *BANDS, "All"]]
    it = iter(values)
    typed: dict[tuple[str, str], float] = {}
    for block in BLOCKS:
        grid.append([block, *[None] * 8])
        row: list[Any] = ["Condition A"]
        for column in [*BANDS, "All"]:
            value = next(it)
            typed[(block, column)] = value
            row.append(f"{value}".replace(".", ","))
        grid.append(row)
    table = mhneed.read_wide_rate_table(
        pd.DataFrame(grid),
        META,
        period="past week",
        source=CITATION,
        decimal=",",
        check_unit=False,  # any percentages, including all below 1
    )
    got = {(r.sex, r.age_band): r.rate for r in (*table.rows, *table.checks)}
    for (block, column), value in typed.items():
        band = "16+" if column == "All" else column
        assert got[(SEX_OF[block], band)] == value / 100
