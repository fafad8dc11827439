"""Unit tests for mhneed.inputs.snpp (and snpp_z1): the SNPP reader (Z1 and NM_2006_1)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import mhneed
from mhneed.errors import InputError, MissingColumnError

HEADER = '"AREA_CODE","AREA_NAME","COMPONENT","SEX","AGE_GROUP"'
AGES = [*(str(a) for a in range(90)), "90 and over"]
RUTLAND = ("E06000017", "Rutland")


def figure(sex: str, age: int, year_index: int) -> float:
    """A made-up count with three decimals; persons = females + males exactly."""
    female = 100.125 + age + year_index
    male = 50.25 + 2 * age + year_index
    return {"females": female, "males": male, "persons": female + male}[sex]


def z1(
    folder: Path,
    sex: str = "females",
    *,
    areas: tuple[tuple[str, str], ...] = (RUTLAND,),
    years: tuple[int, ...] = (2022, 2023),
    total: bool = True,
    name: str | None = None,
    edit: Callable[[list[str]], None] | None = None,
    newline: str = "\n",
) -> Path:
    """Write a small Z1 file: the header, then ages 0-89, 90 and over and All ages per area."""
    lines = [HEADER + "".join(f',"{y}"' for y in years)]
    for code, area in areas:
        sums = [0.0] * len(years)
        for a, label in enumerate(AGES):
            values = [figure(sex, a, i) for i in range(len(years))]
            sums = [s + v for s, v in zip(sums, values, strict=True)]
            cells = ",".join(f"{v:.3f}" for v in values)
            lines.append(f"{code},{area},Population,{sex},{label},{cells}")
        if total:
            lines.append(
                f"{code},{area},Population,{sex},All ages," + ",".join(f"{s:.3f}" for s in sums)
            )
    if edit is not None:
        edit(lines)
    path = folder / (name or f"2022 SNPP Population {sex}.csv")
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return path


def message(exc: pytest.ExceptionInfo[BaseException]) -> str:
    """The error's message."""
    return str(exc.value)


def test_reads_both_sexes_into_the_long_frame(tmp_path: Path) -> None:
    """Females and males give one row per area, year, sex and age; All ages rows are not rows."""
    people = mhneed.read_ons_snpp([z1(tmp_path, "females"), z1(tmp_path, "males")])
    assert list(people.columns) == ["area_code", "area_name", "year", "sex", "age", "population"]
    assert len(people) == 2 * 2 * 91
    assert people.attrs["top_age"] == 90
    assert people.attrs["base_year"] == 2022
    assert people.attrs["files"] == [
        "2022 SNPP Population females.csv",
        "2022 SNPP Population males.csv",
    ]
    first = people.iloc[0]
    assert (first["year"], first["sex"], first["age"], first["population"]) == (
        2022,
        "female",
        0,
        100.125,
    )
    top = people[(people["sex"] == "male") & (people["year"] == 2023) & (people["age"] == 90)]
    assert top["population"].tolist() == [figure("males", 90, 1)]


def test_persons_file_is_a_check_and_not_counted(tmp_path: Path) -> None:
    """With both sexes, the persons rows are compared and dropped, so nobody is counted twice."""
    files = [z1(tmp_path, s) for s in ("persons", "females", "males")]
    people = mhneed.read_ons_snpp(files)
    assert set(people["sex"]) == {"female", "male"}
    expected = sum(figure("persons", a, 0) for a in range(91))
    assert people.loc[people["year"] == 2022, "population"].sum() == pytest.approx(expected)


def test_persons_alone_gives_persons_rows(tmp_path: Path) -> None:
    """A persons file on its own gives sex "persons" rows, good for totals."""
    people = mhneed.read_ons_snpp(z1(tmp_path, "persons"))
    assert set(people["sex"]) == {"persons"}


def test_crlf_bom_and_no_totals(tmp_path: Path) -> None:
    """CRLF line ends, a UTF-8 byte-order mark and files without All ages rows are read."""
    path = z1(tmp_path, "females", newline="\r\n", total=False)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    people = mhneed.read_ons_snpp(path)
    assert len(people) == 2 * 91


def test_extracts_of_one_sex_for_different_areas_go_together(tmp_path: Path) -> None:
    """Two females files holding different areas are one population, areas in file order."""
    a = z1(tmp_path, "females", name="a.csv")
    b = z1(tmp_path, "females", areas=(("E07000129", "Blaby"),), name="b.csv")
    people = mhneed.read_ons_snpp([a, b])
    assert list(dict.fromkeys(people["area_code"])) == ["E06000017", "E07000129"]


def test_areas_selects(tmp_path: Path) -> None:
    """areas= keeps only the codes asked for."""
    path = z1(tmp_path, areas=(RUTLAND, ("E07000129", "Blaby")))
    people = mhneed.read_ons_snpp(path, areas=["E07000129"])
    assert set(people["area_code"]) == {"E07000129"}


def _replace(old: str, new: str, line: int) -> Callable[[list[str]], None]:
    """An edit replacing text on one line (0 is the header)."""

    def edit(lines: list[str]) -> None:
        lines[line] = lines[line].replace(old, new, 1)

    return edit


def _last_figure(line: int, text: str) -> Callable[[list[str]], None]:
    """An edit setting the last figure of a line."""

    def edit(lines: list[str]) -> None:
        lines[line] = lines[line].rsplit(",", 1)[0] + "," + text

    return edit


F = "2022 SNPP Population females.csv"
BAD_FILES: list[tuple[str, Callable[[Path], object], type[Exception], str]] = [
    (
        "no SEX column",
        lambda t: z1(t, edit=_replace('"SEX",', '"GENDER",', 0)),
        MissingColumnError,
        f"read_ons_snpp: {F}: no column SEX; an SNPP Z1 file has AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, then one column per year; it has: AREA_CODE, AREA_NAME, COMPONENT, GENDER, AGE_GROUP, 2022, 2023",
    ),
    (
        "no year columns",
        lambda t: z1(t, edit=_replace('"2022","2023"', '"Y1","Y2"', 0)),
        MissingColumnError,
        f"read_ons_snpp: {F}: no year columns (such as 2022); an SNPP Z1 file has AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, then one column per year; it has: AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, Y1, Y2",
    ),
    (
        "truncated row",
        lambda t: z1(t, edit=lambda lines: lines.__setitem__(5, lines[5].rsplit(",", 1)[0])),
        InputError,
        f"read_ons_snpp: {F} line 6: 6 columns, but the header has 7; is the file truncated?",
    ),
    (
        "value beyond the header",
        lambda t: z1(t, edit=_last_figure(5, "101.130,7")),
        InputError,
        f"read_ons_snpp: {F} line 6: 8 columns, but the header has 7",
    ),
    (
        "blank area code",
        lambda t: z1(t, edit=_replace("E06000017", "", 4)),
        InputError,
        f"read_ons_snpp: {F} line 5: AREA_CODE is blank",
    ),
    (
        "a component of change",
        lambda t: z1(t, edit=_replace("Population", "Births", 3)),
        InputError,
        f"read_ons_snpp: {F} line 4 (E06000017): COMPONENT 'Births' is not Population; this reader reads the Z1 population files, not components of change",
    ),
    (
        "unknown sex",
        lambda t: z1(t, edit=_replace("females", "women", 3)),
        InputError,
        f"read_ons_snpp: {F} line 4 (E06000017): SEX 'women' is not females, males or persons",
    ),
    (
        "age beyond the layout",
        lambda t: z1(t, edit=_replace(",90 and over,", ",95,", 91)),
        InputError,
        f"read_ons_snpp: {F} line 92 (E06000017): AGE_GROUP '95' is not an age of the Z1 layout: 0 … 89, '90 and over' or 'All ages'",
    ),
    (
        "not a number",
        lambda t: z1(t, edit=_last_figure(4, "12a")),
        InputError,
        f"read_ons_snpp: {F} line 5 (E06000017): the 2023 figure '12a' is not a count of people",
    ),
    (
        "blank figure",
        lambda t: z1(t, edit=_last_figure(4, "")),
        InputError,
        f"read_ons_snpp: {F} line 5 (E06000017): the 2023 figure is blank",
    ),
    (
        "negative figure",
        lambda t: z1(t, edit=_last_figure(4, "-3.000")),
        InputError,
        f"read_ons_snpp: {F} line 5 (E06000017): the 2023 figure '-3.000' is not a count of people",
    ),
    (
        "figure too large",
        lambda t: z1(t, edit=_last_figure(4, "20000000000")),
        InputError,
        f"read_ons_snpp: {F} line 5 (E06000017): the 2023 figure '20000000000' is more than 10,000,000,000, more people than live on Earth",
    ),
    (
        "age twice",
        lambda t: z1(t, edit=lambda lines: lines.insert(10, lines[9])),
        InputError,
        f"read_ons_snpp: {F}: E06000017 females age 8 appears more than once (lines 10, 11)",
    ),
    (
        "age missing",
        lambda t: z1(t, edit=lambda lines: lines.pop(46)),
        InputError,
        f"read_ons_snpp: {F}: E06000017 females has no row for age 45; a Z1 file has every age 0 … 89 and '90 and over'",
    ),
    (
        "All ages differs",
        lambda t: z1(t, edit=_replace(",All ages,", ",All ages,1", 92)),
        InputError,
        f"read_ons_snpp: {F} line 93: All ages for E06000017 females in 2022 is 113,206.375, but its single years of age sum to 13,206.375",
    ),
    (
        "All ages twice",
        lambda t: z1(t, edit=lambda lines: lines.append(lines[-1])),
        InputError,
        f"read_ons_snpp: {F} line 94: All ages for E06000017 females appears twice (lines 93 and 94)",
    ),
    (
        "All ages alone",
        lambda t: z1(
            t,
            areas=(("E07000129", "Blaby"), RUTLAND),
            edit=lambda lines: lines.__delitem__(slice(1, 92)),
        ),
        InputError,
        f"read_ons_snpp: {F} line 2: All ages for E07000129 females but no rows of single years of age for them; the reader needs ages 0 … 89 and '90 and over'",
    ),
    (
        "header only",
        lambda t: z1(t, edit=lambda lines: lines.__delitem__(slice(1, None))),
        InputError,
        f"read_ons_snpp: {F}: no rows of single years of age below the header on line 1",
    ),
]


@pytest.mark.parametrize(
    ("build", "error", "expected"),
    [pytest.param(b, e, m, id=i) for i, b, e, m in BAD_FILES],
)
def test_bad_file_is_refused_with_its_reason(
    tmp_path: Path, build: Callable[[Path], Path], error: type[Exception], expected: str
) -> None:
    """Each broken Z1 file is refused with a message naming the file, line, column and value."""
    path = build(tmp_path)
    with pytest.raises(error) as exc:
        mhneed.read_ons_snpp(path)
    assert message(exc) == expected


def test_no_files(tmp_path: Path) -> None:
    """An empty list of files is refused."""
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_snpp([])
    assert message(exc) == (
        "read_ons_snpp: no files given; give the path of an SNPP Z1 CSV file or Nomis "
        "NM_2006_1 extract, or a list of them"
    )


def test_neither_layout(tmp_path: Path) -> None:
    """A file that is neither a Z1 file nor a Nomis extract is refused before it is read."""
    path = tmp_path / "mye2.csv"
    path.write_text("CODE,NAME,ALL AGES\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_snpp(path)
    assert message(exc) == (
        "read_ons_snpp: mye2.csv is neither an ONS SNPP Z1 file (header AREA_CODE, AREA_NAME, "
        "COMPONENT, SEX, AGE_GROUP, then years) nor a Nomis NM_2006_1 extract (GEOGRAPHY_CODE, "
        "PROJECTED_YEAR_NAME, GENDER, C_AGE, OBS_VALUE)"
    )


def test_tab_separated_z1_says_so(tmp_path: Path) -> None:
    """A tab-separated Z1 file is told to save as CSV."""
    path = tmp_path / "tab.csv"
    path.write_text("AREA_CODE\tAREA_NAME\tSEX\tAGE_GROUP\t2022\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as exc:
        mhneed.read_ons_snpp(path)
    assert message(exc).endswith("; the file does not look comma-separated: save it as CSV")


def test_persons_must_equal_males_plus_females(tmp_path: Path) -> None:
    """A persons row that is not males + females is refused, naming area, year and age."""
    persons = z1(tmp_path, "persons", total=False, edit=_last_figure(30, "1.000"))
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_snpp([z1(tmp_path, "females"), z1(tmp_path, "males"), persons])
    assert message(exc) == (
        "read_ons_snpp: persons are not males + females for E06000017 2023 age 29: persons "
        "1.000, males + females 239.375"
    )


def test_persons_with_one_sex(tmp_path: Path) -> None:
    """Persons beside one sex only is refused: the other sex would be lost."""
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_snpp([z1(tmp_path, "males"), z1(tmp_path, "persons")])
    assert message(exc) == (
        "read_ons_snpp: persons and males rows but no females rows; give both sexes (persons "
        "are then only a check), or persons alone"
    )


def test_files_of_two_projections(tmp_path: Path) -> None:
    """Files holding different years (two projections) are refused."""
    other = z1(tmp_path, "males", years=(2018, 2019))
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_snpp([z1(tmp_path, "females"), other])
    assert message(exc) == (
        f"read_ons_snpp: {F} holds 2022-2023 but 2022 SNPP Population males.csv holds "
        "2018-2019; read the files of one projection together"
    )


def test_same_area_and_sex_in_two_files(tmp_path: Path) -> None:
    """An area and sex in two files would be counted twice, so it is refused."""
    again = z1(tmp_path, "females", name="again.csv")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_snpp([z1(tmp_path, "females"), again])
    assert message(exc) == (
        f"read_ons_snpp: E06000017 females is in more than one file ({F}, again.csv); give "
        "each area and sex once"
    )


def test_areas_with_different_sexes(tmp_path: Path) -> None:
    """An area in the females file but not the males file is refused, not dropped."""
    women = z1(tmp_path, "females", areas=(RUTLAND, ("E07000129", "Blaby")))
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_snpp([women, z1(tmp_path, "males")])
    assert message(exc) == (
        "read_ons_snpp: E07000129 has no males rows, though other areas have them; give the "
        "same files (sexes) for every area"
    )


def test_area_not_in_files(tmp_path: Path) -> None:
    """Asking for an area the files lack (a county) says how to build it."""
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_snpp(z1(tmp_path), areas=["E10000018"])
    assert message(exc) == (
        f"read_ons_snpp: area E10000018 not in {F}; the 2022-based files hold districts and "
        "unitary authorities but no counties: build a county from its districts with "
        "summarise(groups=...)"
    )


def test_nomis_extract_without_years(tmp_path: Path) -> None:
    """A Nomis extract with no year column is not a projection."""
    path = tmp_path / "n.tsv"
    path.write_text("GEOGRAPHY_CODE\tGENDER\tC_AGE\tOBS_VALUE\nE06000001\t1\t101\t5\n")
    with pytest.raises(MissingColumnError) as exc:
        mhneed.read_ons_snpp(path)
    assert message(exc) == (
        "read_ons_snpp: n.tsv: a Nomis extract without PROJECTED_YEAR_NAME (or DATE); a "
        "projection needs its years: select PROJECTED_YEAR in the extract"
    )


def test_population_is_float_with_decimals_and_int_when_whole(tmp_path: Path) -> None:
    """Unrounded projections stay float; whole numbers (Nomis) become integers."""
    people = mhneed.read_ons_snpp(z1(tmp_path))
    assert people["population"].dtype == np.float64
