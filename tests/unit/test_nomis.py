"""Unit tests for mhneed.inputs.nomis (and nomis_codes): the Nomis long-extract reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, MissingColumnError
from mhneed.inputs.nomis import NOMIS_AGE_CODES

HEADER = ["GEOGRAPHY_CODE", "GENDER", "C_AGE", "OBS_VALUE"]


def nomis(
    folder: Path,
    rows: list[list[object]],
    *,
    header: list[str] = HEADER,
    sep: str = "\t",
    quote: bool = True,
    name: str = "extract.tsv",
) -> Path:
    """Write a small Nomis extract."""

    def cell(value: object, numeric_ok: bool) -> str:
        text = str(value)
        return text if (not quote or numeric_ok) else f'"{text}"'

    lines = [sep.join(cell(h, False) for h in header)]
    for row in rows:
        lines.append(sep.join(cell(v, i == len(row) - 1) for i, v in enumerate(row)))
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def people(
    codes: tuple[str, ...] = ("1", "2"), ages: range = range(101, 104)
) -> list[list[object]]:
    """Rows for one area: each sex code and age code, counts 10, 11, 12, ..."""
    rows: list[list[object]] = []
    for g in codes:
        for a in ages:
            rows.append(["E06000017", g, a, 10 * int(g) + a - 101])
    return rows


def message(exc: pytest.ExceptionInfo[BaseException]) -> str:
    """The error's message."""
    return str(exc.value)


def test_age_codes() -> None:
    """101 is age 0, 190 is age 89 and 191 is 90 and over."""
    assert NOMIS_AGE_CODES[101] == 0
    assert NOMIS_AGE_CODES[190] == 89
    assert NOMIS_AGE_CODES[191] == 90
    assert len(NOMIS_AGE_CODES) == 91


def test_reads_tab_separated_quoted(tmp_path: Path) -> None:
    """A tab-separated, quoted extract gives the long frame, women first."""
    frame = mhneed.read_nomis(nomis(tmp_path, people()))
    assert list(frame.columns) == ["area_code", "sex", "age", "population"]
    assert frame["sex"].tolist() == ["female"] * 3 + ["male"] * 3
    assert frame["age"].tolist() == [0, 1, 2] * 2
    assert frame["population"].tolist() == [20, 21, 22, 10, 11, 12]
    assert frame["population"].dtype == np.int64
    assert frame.attrs["top_age"] == 90
    assert frame.attrs["files"] == ["extract.tsv"]


def test_comma_unquoted_reads_the_same(tmp_path: Path) -> None:
    """Comma-separated, unquoted, lower-case header: the same frame."""
    tab = mhneed.read_nomis(nomis(tmp_path, people()))
    header = [h.lower() for h in HEADER]
    comma = mhneed.read_nomis(
        nomis(tmp_path, people(), header=header, sep=",", quote=False, name="x.csv")
    )
    pd.testing.assert_frame_equal(tab, comma)


def test_date_and_name_columns(tmp_path: Path) -> None:
    """DATE gives year and GEOGRAPHY_NAME gives area_name; other columns are ignored."""
    header = [
        "DATE",
        "GEOGRAPHY_NAME",
        "GEOGRAPHY_CODE",
        "GENDER",
        "C_AGE",
        "C_AGE_NAME",
        "OBS_VALUE",
    ]
    rows = []
    for year in (2012, 2011):
        for g in ("2", "1"):
            rows.append([year, "Rutland", "E06000017", g, 191, "Aged 90+", year - 2000 + int(g)])
    frame = mhneed.read_nomis(nomis(tmp_path, rows, header=header))
    assert list(frame.columns) == ["area_code", "area_name", "year", "sex", "age", "population"]
    assert frame["year"].tolist() == [2011, 2011, 2012, 2012]
    assert frame["year"].dtype == "int64"  # whole years, as the age column: never objects
    assert frame["sex"].tolist() == ["female", "male"] * 2
    assert frame["age"].tolist() == [90] * 4
    assert frame["area_name"].unique().tolist() == ["Rutland"]


def test_measures_keeps_counts_only(tmp_path: Path) -> None:
    """With MEASURES, percentages (20301) are dropped and counts (20100) kept."""
    header = [*HEADER, "MEASURES"]
    rows = [[*r, "20100"] for r in people()] + [[*r[:3], 50, "20301"] for r in people()]
    frame = mhneed.read_nomis(nomis(tmp_path, rows, header=header))
    assert frame["population"].sum() == 20 + 21 + 22 + 10 + 11 + 12


def test_measures_without_counts(tmp_path: Path) -> None:
    """An extract of percentages only is an error."""
    header = [*HEADER, "MEASURES"]
    rows = [[*r, "20301"] for r in people()]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows, header=header))
    assert message(exc) == "read_nomis: extract.tsv: no rows with MEASURES 20100 (counts)"


def test_decimal_values_stay_decimal(tmp_path: Path) -> None:
    """Fractional counts (projections) are kept as floats."""
    rows = [["E06000017", "2", 101, "10.5"], ["E06000017", "1", 101, "3"]]
    frame = mhneed.read_nomis(nomis(tmp_path, rows, quote=False))
    assert frame["population"].tolist() == [10.5, 3.0]


def test_totals_with_both_sexes_are_checked_then_dropped(tmp_path: Path) -> None:
    """GENDER 0 rows equal to male + female are dropped, so nobody is counted twice."""
    rows = people()
    totals = [["E06000017", "0", a, 30 + 2 * (a - 101)] for a in range(101, 104)]
    frame = mhneed.read_nomis(nomis(tmp_path, rows + totals))
    assert set(frame["sex"]) == {"female", "male"}
    pd.testing.assert_frame_equal(frame, mhneed.read_nomis(nomis(tmp_path, rows, name="b.tsv")))


def test_totals_not_male_plus_female(tmp_path: Path) -> None:
    """A total that is not male + female is an error naming the area, age and numbers."""
    totals = [["E06000017", "0", a, 30] for a in range(101, 104)]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, people() + totals))
    assert message(exc) == (
        "read_nomis: extract.tsv: GENDER 0 (total) is not male + female for area_code "
        "E06000017, age 1: total 30, male + female 32"
    )


def test_totals_alone_give_persons(tmp_path: Path) -> None:
    """An extract of totals only gives sex 'persons' rows."""
    frame = mhneed.read_nomis(nomis(tmp_path, people(("0",))))
    assert set(frame["sex"]) == {"persons"}


def test_totals_with_one_sex(tmp_path: Path) -> None:
    """Totals with one sex only are an error."""
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, people(("0", "1"))))
    assert message(exc) == (
        "read_nomis: extract.tsv: GENDER 0 (total) and GENDER 1 (male) rows but no GENDER 2 "
        "(female) rows; give both sexes, or the totals alone"
    )


def test_area_missing_a_sex(tmp_path: Path) -> None:
    """An area with women but no men, when others have both, is an error."""
    rows = [*people(), ["E07000129", "2", 101, 5]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows))
    assert message(exc) == (
        "read_nomis: extract.tsv: area E07000129 has no GENDER 1 (male) rows, though other "
        "areas have them"
    )


def test_unknown_age_code(tmp_path: Path) -> None:
    """An age code that is not a single year is an error naming it."""
    rows = [*people(), ["E06000017", "1", 200, 999]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows))
    assert message(exc) == (
        "read_nomis: extract.tsv line 8: C_AGE code '200' is not a single year of age: the "
        "codes are 101 (age 0) to 190 (age 89) and 191 (90 and over); bands and totals (such as "
        "200, all ages) cannot be read, so select single years of age in the extract"
    )
    assert exc.value.column == "C_AGE"
    assert exc.value.values == ("200",)


@pytest.mark.parametrize("code", ["100", "192", "abc", ""])
def test_other_bad_age_codes(tmp_path: Path, code: str) -> None:
    """Codes next to the single-year range, text and blanks are errors too."""
    rows = [["E06000017", "1", code, 1]]
    with pytest.raises(InputError, match=f"C_AGE code '{code}' is not a single year of age"):
        mhneed.read_nomis(nomis(tmp_path, rows))


def test_unknown_gender(tmp_path: Path) -> None:
    """A GENDER code other than 0, 1, 2 is an error naming it."""
    rows = [["E06000017", "3", 101, 1]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows))
    assert message(exc) == (
        "read_nomis: extract.tsv line 2: GENDER code '3' is not 1 (male), 2 (female) or 0 (total)"
    )


def test_bad_value(tmp_path: Path) -> None:
    """An OBS_VALUE that is not a count is an error naming the line."""
    rows = [["E06000017", "1", 101, "n/a"]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows, quote=False))
    assert message(exc) == "read_nomis: extract.tsv line 2: OBS_VALUE 'n/a' is not a count"


def test_blank_value(tmp_path: Path) -> None:
    """A blank OBS_VALUE is an error."""
    rows = [["E06000017", "1", 101, ""]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows, quote=False))
    assert message(exc) == "read_nomis: extract.tsv line 2: OBS_VALUE is blank"


def test_blank_area_code(tmp_path: Path) -> None:
    """A blank GEOGRAPHY_CODE is an error."""
    rows = [["", "1", 101, 1]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows, quote=False))
    assert message(exc) == "read_nomis: extract.tsv line 2: GEOGRAPHY_CODE is blank"


def test_duplicate_rows(tmp_path: Path) -> None:
    """The same area, sex and age twice is an error."""
    rows = [*people(), ["E06000017", "1", 101, 10]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows))
    assert message(exc) == (
        "read_nomis: extract.tsv: area_code E06000017, sex male, age 0 appears more than once "
        "(lines 2, 8)"
    )


def test_missing_column(tmp_path: Path) -> None:
    """A missing required column is a MissingColumnError listing what the file has."""
    header = ["GEOGRAPHY_CODE", "GENDER", "AGE", "OBS_VALUE"]
    with pytest.raises(MissingColumnError) as exc:
        mhneed.read_nomis(nomis(tmp_path, people(), header=header))
    assert message(exc) == (
        "read_nomis: extract.tsv: no column C_AGE; a Nomis extract needs GEOGRAPHY_CODE, "
        "GENDER, C_AGE, OBS_VALUE (tab-separated); it has: GEOGRAPHY_CODE, GENDER, AGE, OBS_VALUE"
    )
    assert isinstance(exc.value, KeyError)


def test_semicolon_separated(tmp_path: Path) -> None:
    """A semicolon-separated file is an error that says so."""
    with pytest.raises(MissingColumnError) as exc:
        mhneed.read_nomis(nomis(tmp_path, people(), sep=";", quote=False))
    assert message(exc) == (
        "read_nomis: extract.tsv: no column GEOGRAPHY_CODE; a Nomis extract needs "
        "GEOGRAPHY_CODE, GENDER, C_AGE, OBS_VALUE (comma-separated); it has: "
        "GEOGRAPHY_CODE;GENDER;C_AGE;OBS_VALUE; the file looks semicolon-separated: give it "
        "tab- or comma-separated"
    )


def test_duplicate_column(tmp_path: Path) -> None:
    """A column named twice is an error."""
    header = [*HEADER, "gender"]
    rows = [[*r, "1"] for r in people()]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows, header=header))
    assert message(exc) == "read_nomis: extract.tsv line 1: column GENDER appears more than once"


def test_truncated_row(tmp_path: Path) -> None:
    """A row cut short (a truncated download) is an error."""
    path = nomis(tmp_path, people())
    path.write_text(path.read_text(encoding="utf-8") + '"E06000017"\t"1"\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(path)
    assert message(exc) == (
        "read_nomis: extract.tsv line 8: 2 columns, but the header has 4; is the file truncated?"
    )
    assert exc.value.column == "C_AGE"


def test_row_too_long(tmp_path: Path) -> None:
    """A row with values beyond the header is an error."""
    rows = [["E06000017", "1", 101, "1\t7"]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows, quote=False))
    assert message(exc) == "read_nomis: extract.tsv line 2: 5 columns, but the header has 4"


def test_header_only(tmp_path: Path) -> None:
    """An extract with a header but no rows is an error."""
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, []))
    assert message(exc) == "read_nomis: extract.tsv: no rows below the header on line 1"


def test_empty_file(tmp_path: Path) -> None:
    """An empty extract is an error."""
    path = tmp_path / "extract.tsv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(path)
    assert message(exc) == "read_nomis: extract.tsv is empty"


def test_bad_date(tmp_path: Path) -> None:
    """A DATE that does not start with a year is an error."""
    header = ["DATE", *HEADER]
    rows = [["June", "E06000017", "1", 101, 1]]
    with pytest.raises(InputError) as exc:
        mhneed.read_nomis(nomis(tmp_path, rows, header=header))
    assert message(exc) == "read_nomis: extract.tsv line 2: date 'June' does not start with a year"
