"""Unit tests for mhneed.inputs.ons_mye2 (and ons_mye2_file): the ONS MYE2 reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, MhneedError

TITLE = (
    '"MYE2: Population Estimates by single year of age and sex for local authorities in the '
    'UK, mid-2014",,,,,,'
)
HEADER = "CODE,NAME,ALL AGES,0,1,2,3"
BLANKS = [",,,,,,", ",,,,,,"]

# Two areas, ages 0..3 (3 meaning 3 and over), as ONS writes them.
FEMALES = ['E06000017,Rutland,"1,010",100,200,300,410', "E07000129,Blaby,10,1,2,3,4"]
MALES = ['E06000017,Rutland,"1,100",110,220,330,440', "E07000129,Blaby,20,2,4,6,8"]
PERSONS = ['E06000017,Rutland,"2,110",210,420,630,850', "E07000129,Blaby,30,3,6,9,12"]


def mye2(
    folder: Path,
    name: str,
    sex: str | None,
    rows: list[str],
    *,
    title: str = TITLE,
    header: str = HEADER,
    tail: list[str] = BLANKS,
) -> Path:
    """Write a small MYE2-style CSV export (CRLF line ends, as ONS exports them)."""
    lines = [title, f"{sex},,,,,," if sex else ",,,,,,", header, *rows, *tail]
    path = folder / name
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return path


@pytest.fixture
def women(tmp_path: Path) -> Path:
    """A women's file."""
    return mye2(tmp_path, "females.csv", "FEMALES", FEMALES)


@pytest.fixture
def men(tmp_path: Path) -> Path:
    """A men's file."""
    return mye2(tmp_path, "males.csv", "MALES", MALES)


@pytest.fixture
def persons(tmp_path: Path) -> Path:
    """A persons file, equal to women + men."""
    return mye2(tmp_path, "persons.csv", "ALL PERSONS", PERSONS)


def message(exc: pytest.ExceptionInfo[BaseException]) -> str:
    """The error's message."""
    return str(exc.value)


# -- read_ons_mye2: reading ------------------------------------------------------------


def test_mye2_reads_both_sexes_into_a_long_frame(women: Path, men: Path) -> None:
    """Women's and men's files give one row per area, sex and age, in file order."""
    frame = mhneed.read_ons_mye2([women, men])
    assert list(frame.columns) == ["area_code", "area_name", "year", "sex", "age", "population"]
    assert len(frame) == 2 * 2 * 4
    rutland = frame[frame["area_code"] == "E06000017"]
    assert rutland["sex"].tolist() == ["female"] * 4 + ["male"] * 4
    assert rutland["age"].tolist() == [0, 1, 2, 3] * 2
    assert rutland["population"].tolist() == [100, 200, 300, 410, 110, 220, 330, 440]
    assert frame["area_code"].tolist()[:8] == ["E06000017"] * 8
    assert set(frame["year"]) == {2014}
    assert frame["population"].dtype == np.int64
    assert frame["age"].dtype == np.int64
    assert frame.attrs["top_age"] == 3
    assert frame.attrs["files"] == ["females.csv", "males.csv"]
    assert frame.attrs["source"].startswith("MYE2: Population Estimates")


def test_mye2_accepts_one_path_as_str_or_path(women: Path) -> None:
    """A single path (str or Path) reads the same as a list of one."""
    by_path = mhneed.read_ons_mye2(women)
    by_str = mhneed.read_ons_mye2(str(women))
    by_list = mhneed.read_ons_mye2([women])
    pd.testing.assert_frame_equal(by_path, by_str)
    pd.testing.assert_frame_equal(by_path, by_list)
    assert set(by_path["sex"]) == {"female"}


def test_mye2_result_feeds_estimate_with_top_age(women: Path, men: Path) -> None:
    """The frame's top_age makes estimate treat the last age as that age and over."""
    frame = mhneed.read_ons_mye2([women, men])
    with pytest.raises(InputError) as exc:
        mhneed.estimate(frame, "apms_2014", conditions=["gad"])
    assert message(exc).startswith("column age: age 3 is top-coded (3+, 3 and over), but ")


def test_mye2_persons_file_is_a_check_when_both_sexes_given(
    women: Path, men: Path, persons: Path
) -> None:
    """A persons file with both sexes is checked, then left out: nobody counted twice."""
    with_persons = mhneed.read_ons_mye2([persons, women, men])
    without = mhneed.read_ons_mye2([women, men])
    pd.testing.assert_frame_equal(with_persons, without)


def test_mye2_persons_alone_gives_persons_rows_that_estimate_refuses(persons: Path) -> None:
    """A persons file alone gives sex 'persons'; estimate says to give women and men."""
    frame = mhneed.read_ons_mye2(persons)
    assert set(frame["sex"]) == {"persons"}
    assert frame["population"].sum() == 2140
    with pytest.raises(InputError) as exc:
        mhneed.estimate(frame, "apms_2014")
    assert message(exc) == (
        "column sex: 'persons' is both sexes together (rows 0, 1, 2, 3, 4 and 3 more); "
        "give the population as separate female and male rows"
    )


def test_mye2_years_from_several_files(tmp_path: Path) -> None:
    """Files for two years stack, ordered by year, each with its year."""
    title_2015 = TITLE.replace("mid-2014", "mid-2015")
    f15 = mye2(tmp_path, "f15.csv", "FEMALES", FEMALES, title=title_2015)
    m15 = mye2(tmp_path, "m15.csv", "MALES", MALES, title=title_2015)
    f14 = mye2(tmp_path, "f14.csv", "FEMALES", FEMALES)
    m14 = mye2(tmp_path, "m14.csv", "MALES", MALES)
    frame = mhneed.read_ons_mye2([f15, m15, f14, m14])
    assert frame["year"].tolist() == [2014] * 16 + [2015] * 16
    assert frame.attrs["files"] == ["f15.csv", "m15.csv", "f14.csv", "m14.csv"]
    assert not frame.duplicated(["area_code", "year", "sex", "age"]).any()


def test_mye2_without_a_year_has_no_year_column(tmp_path: Path) -> None:
    """When the title lines name no year, there is no year column."""
    path = mye2(tmp_path, "f.csv", "FEMALES", FEMALES, title="MYE2 export,,,,,,")
    frame = mhneed.read_ons_mye2(path)
    assert list(frame.columns) == ["area_code", "area_name", "sex", "age", "population"]


def test_mye2_skips_blank_rows_and_notes(tmp_path: Path) -> None:
    """Blank rows inside and after the table, and text-only note rows, are skipped."""
    rows = [FEMALES[0], ",,,,,,", FEMALES[1]]
    tail = [",,,,,,", "Source: Office for National Statistics,,,,,,", ",,,,,,"]
    frame = mhneed.read_ons_mye2(mye2(tmp_path, "f.csv", "FEMALES", rows, tail=tail))
    assert frame["area_code"].unique().tolist() == ["E06000017", "E07000129"]


def test_mye2_reads_a_windows_1252_file(tmp_path: Path) -> None:
    """A file saved in Windows-1252 (curly apostrophe) is read."""
    rows = ["E07000146,King\u2019s Lynn and West Norfolk,10,1,2,3,4"]
    lines = [TITLE, "FEMALES,,,,,,", HEADER, *rows]
    path = tmp_path / "f.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    frame = mhneed.read_ons_mye2(path)
    assert frame["area_name"].iloc[0] == "King\u2019s Lynn and West Norfolk"


def test_mye2_header_may_write_the_top_age_with_a_plus(tmp_path: Path) -> None:
    """A header ending '3+' reads like one ending '3'."""
    path = mye2(tmp_path, "f.csv", "FEMALES", FEMALES, header="CODE,NAME,ALL AGES,0,1,2,3+")
    assert mhneed.read_ons_mye2(path).attrs["top_age"] == 3


# -- read_ons_mye2: errors -------------------------------------------------------------


def test_mye2_all_ages_mismatch_names_area_and_both_numbers(tmp_path: Path) -> None:
    """A row whose ALL AGES is not the sum of its ages is an error naming both numbers."""
    rows = ['E06000017,Rutland,"1,011",100,200,300,410', "E07000129,Blaby,11,1,2,3,4"]
    path = mye2(tmp_path, "females.csv", "FEMALES", rows)
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: females.csv: ALL AGES is not the sum of ages 0-3 for E06000017 Rutland "
        "(line 4): ALL AGES 1,011, sum of single years 1,010; 1 more rows differ: E07000129"
    )
    assert exc.value.column == "ALL AGES"
    assert exc.value.values == ("E06000017", "E07000129")
    assert isinstance(exc.value, MhneedError)
    assert isinstance(exc.value, ValueError)


def test_mye2_truncated_row(tmp_path: Path) -> None:
    """A row shorter than the header (a cut-off file) is an error, not a short row."""
    path = mye2(tmp_path, "f.csv", "FEMALES", [FEMALES[0], "E07000129,Blaby,10,1,2"], tail=[])
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: f.csv line 5 (E07000129 Blaby): 5 columns, but the header has 7 "
        "(CODE, NAME, ALL AGES and ages 0-3); is the file truncated?"
    )
    assert exc.value.column == "2"


def test_mye2_tab_separated_file(tmp_path: Path) -> None:
    """A tab-separated file is not an MYE2 CSV export, and the message says why."""
    lines = ["MYE2 mid-2014", "FEMALES", HEADER.replace(",", "\t"), "E06000017\tRutland\t1\t1"]
    path = tmp_path / "f.tsv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: f.tsv: no header row 'CODE,NAME,ALL AGES,0,1,…' found; an ONS MYE2 CSV "
        "export has title lines, then that header, then one row per area; the file looks "
        "tab-separated: save it as CSV"
    )


def test_mye2_not_an_mye2_file(tmp_path: Path) -> None:
    """A CSV with no MYE2 header is an error."""
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: other.csv: no header row 'CODE,NAME,ALL AGES,0,1,…' found; an ONS MYE2 "
        "CSV export has title lines, then that header, then one row per area"
    )


def test_mye2_header_only(tmp_path: Path) -> None:
    """A file with a header but no areas is an error."""
    path = mye2(tmp_path, "f.csv", "FEMALES", [])
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == "read_ons_mye2: f.csv: no areas below the header on line 3"


def test_mye2_empty_file(tmp_path: Path) -> None:
    """An empty file is an error."""
    path = tmp_path / "empty.csv"
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == "read_ons_mye2: empty.csv is empty"


def test_mye2_no_files() -> None:
    """An empty list of files is an error."""
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([])
    assert message(exc) == (
        "read_ons_mye2: no files given; give the path of an MYE2 CSV export, or a list of them"
    )


def test_mye2_sex_not_stated(tmp_path: Path) -> None:
    """A file whose title lines do not say the sex is an error."""
    path = mye2(tmp_path, "f.csv", None, FEMALES)
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: f.csv: cannot tell the sex of the figures; one of the lines above the "
        "header must say FEMALES, MALES or ALL PERSONS"
    )


def test_mye2_value_not_a_count(tmp_path: Path) -> None:
    """A value that is not a count is an error naming the area and the age column."""
    path = mye2(tmp_path, "f.csv", "FEMALES", [FEMALES[0], "E07000129,Blaby,10,1,x,3,4"])
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: f.csv line 5 (E07000129 Blaby): column 1 value 'x' is not a count"
    )
    assert exc.value.column == "1"


def test_mye2_blank_value(tmp_path: Path) -> None:
    """A blank value inside a row is an error."""
    path = mye2(tmp_path, "f.csv", "FEMALES", ["E07000129,Blaby,,1,2,3,4"])
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == "read_ons_mye2: f.csv line 4 (E07000129 Blaby): column ALL AGES is blank"


def test_mye2_row_without_code(tmp_path: Path) -> None:
    """A row with figures but no area code is an error."""
    path = mye2(tmp_path, "f.csv", "FEMALES", [",Blaby,10,1,2,3,4"])
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: f.csv line 4: row has no area code (CODE is blank; NAME is 'Blaby')"
    )


def test_mye2_values_beyond_header(tmp_path: Path) -> None:
    """A row longer than the header is an error."""
    path = mye2(tmp_path, "f.csv", "FEMALES", ["E07000129,Blaby,10,1,2,3,4,5"])
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: f.csv line 4 (E07000129 Blaby): values beyond the header's last column '3'"
    )


def test_mye2_area_twice(tmp_path: Path) -> None:
    """The same area twice in a file is an error."""
    path = mye2(tmp_path, "f.csv", "FEMALES", [FEMALES[1], FEMALES[1]])
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == (
        "read_ons_mye2: f.csv line 5: area E07000129 Blaby appears twice (lines 4 and 5)"
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "CODE,NAME,TOTAL,0,1,2,3",
            "read_ons_mye2: f.csv line 3: the third column of the header is 'TOTAL', "
            "not 'ALL AGES'",
        ),
        (
            "CODE,NAME,ALL AGES,0,2,1,3",
            "read_ons_mye2: f.csv line 3: age column '2' should be 1; the header must list "
            "single years 0, 1, 2, … in order (the last meaning that age and over)",
        ),
        (
            "CODE,NAME,ALL AGES",
            "read_ons_mye2: f.csv line 3: the header has no single-year age columns after ALL AGES",
        ),
    ],
)
def test_mye2_bad_header(tmp_path: Path, header: str, expected: str) -> None:
    """A header that is not CODE,NAME,ALL AGES,0,1,… in order is an error."""
    path = mye2(tmp_path, "f.csv", "FEMALES", FEMALES, header=header)
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2(path)
    assert message(exc) == expected


def test_mye2_two_files_for_one_sex(tmp_path: Path, women: Path) -> None:
    """Two files for the same sex and year are an error."""
    again = mye2(tmp_path, "females again.csv", "FEMALES", FEMALES)
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([women, again])
    assert message(exc) == (
        "read_ons_mye2: females.csv and females again.csv both hold FEMALES figures for "
        "mid-2014; give one file per sex and year"
    )


def test_mye2_persons_with_one_sex(women: Path, persons: Path) -> None:
    """Persons with women but not men is an error (it would count women twice)."""
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([women, persons])
    assert message(exc) == (
        "read_ons_mye2: persons.csv (ALL PERSONS) and females.csv (FEMALES) but no MALES file "
        "for mid-2014; give both sexes (the persons file is then only a check), or the persons "
        "file alone"
    )


def test_mye2_persons_not_women_plus_men(tmp_path: Path, women: Path, men: Path) -> None:
    """A persons file that is not women + men is an error naming area, age and numbers."""
    rows = [PERSONS[0], "E07000129,Blaby,31,3,6,10,12"]
    bad = mye2(tmp_path, "persons.csv", "ALL PERSONS", rows)
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([women, men, bad])
    assert message(exc) == (
        "read_ons_mye2: persons.csv: ALL PERSONS is not FEMALES + MALES for E07000129 Blaby "
        "age 2: persons 10, females 3 + males 6 = 9"
    )


def test_mye2_areas_differ_between_sexes(tmp_path: Path, women: Path) -> None:
    """An area in the women's file but not the men's is an error."""
    men = mye2(tmp_path, "males.csv", "MALES", MALES[:1])
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([women, men])
    assert message(exc) == (
        "read_ons_mye2: area E07000129 Blaby is in females.csv (FEMALES) but not in males.csv "
        "(MALES); the files must list the same areas"
    )


def test_mye2_areas_in_other_order_are_aligned(tmp_path: Path, women: Path) -> None:
    """The men's file may list the areas in another order."""
    men = mye2(tmp_path, "males.csv", "MALES", MALES[::-1])
    frame = mhneed.read_ons_mye2([women, men])
    blaby = frame[(frame["area_code"] == "E07000129") & (frame["sex"] == "male")]
    assert blaby["population"].tolist() == [2, 4, 6, 8]


def test_mye2_year_named_in_one_file_only(tmp_path: Path, women: Path) -> None:
    """Mixing files with and without a year is an error."""
    men = mye2(tmp_path, "males.csv", "MALES", MALES, title="MYE2,,,,,,")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([women, men])
    assert message(exc) == (
        "read_ons_mye2: females.csv is for mid-2014 but males.csv names no year; read files "
        "without a year on their own"
    )


def test_mye2_sexes_from_different_years(tmp_path: Path, women: Path) -> None:
    """Women of one year with men of another are refused, never read as 0 men or 0 women."""
    title_2015 = TITLE.replace("mid-2014", "mid-2015")
    men = mye2(tmp_path, "males.csv", "MALES", MALES, title=title_2015)
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([women, men])
    assert message(exc) == (
        "read_ons_mye2: the files hold different sexes in different years: mid-2014 has "
        "FEMALES only (females.csv) but mid-2015 has MALES only (males.csv); a year without "
        "one sex's file would count none of that sex: give the women's and the men's files "
        "for the same years"
    )
    assert exc.value.rule == "the same sexes in every year"
    assert exc.value.values == ("females.csv", "males.csv")


def test_mye2_one_sex_missing_in_one_year(tmp_path: Path, women: Path, men: Path) -> None:
    """Both sexes for one year and only women for another is refused, naming both years."""
    title_2015 = TITLE.replace("mid-2014", "mid-2015")
    women_2015 = mye2(tmp_path, "females_2015.csv", "FEMALES", FEMALES, title=title_2015)
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([women, men, women_2015])
    assert message(exc) == (
        "read_ons_mye2: the files hold different sexes in different years: mid-2014 has "
        "FEMALES and MALES (females.csv, males.csv) but mid-2015 has FEMALES only "
        "(females_2015.csv); a year without one sex's file would count none of that sex: give "
        "the women's and the men's files for the same years"
    )


def test_mye2_top_ages_differ(tmp_path: Path, women: Path) -> None:
    """Files ending at different ages cannot be read together."""
    rows = ["E06000017,Rutland,1100,110,220,770", "E07000129,Blaby,20,2,4,14"]
    men = mye2(tmp_path, "males.csv", "MALES", rows, header="CODE,NAME,ALL AGES,0,1,2")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_mye2([women, men])
    assert message(exc) == (
        "read_ons_mye2: females.csv ends at age 3+ but males.csv at 2+; read files with the "
        "same oldest age together"
    )
