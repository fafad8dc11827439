"""The catalogue of hostile inputs, as data: one :class:`Case` per bad input.

Each case builds its input in a scratch folder and hands it to the public API. A case
either names the exact error (its class and whole message, and the ``column`` and
``rule`` it carries) or, for an input mhneed handles, a check of the documented
behaviour. ``docs/reliability.md`` lists every case by its id (a test checks that).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import mhneed
from mhneed.errors import (
    CombineError,
    InputError,
    MissingColumnError,
    RateTableError,
    UnknownConditionError,
    UnknownTableError,
)
from tests.conftest import DATA
from tests.helpers import xlsx_bytes


@dataclass(frozen=True)
class Case:
    """One hostile input and what mhneed must do with it."""

    id: str
    #: What the input is, in a few words (the catalogue's table in docs/reliability.md).
    what: str
    #: Builds the input in the given scratch folder and calls the public API.
    run: Callable[[Path], Any]
    #: The exact error class; None when the input is handled (see ``check``).
    error: type[Exception] | None = None
    #: The whole message of the error.
    message: str = ""
    #: The ``column`` and ``rule`` attributes the error carries.
    column: str | None = None
    rule: str | None = None
    #: The index labels of the offending rows the error carries (None: it carries none).
    rows: tuple[Any, ...] | None = None
    #: For a handled input: a check of what the API returned, and how it is handled.
    check: Callable[[Any], None] | None = None
    how: str = ""


# -- inputs ---------------------------------------------------------------------------

MYE2_FEMALES = DATA / "ons_mye2_2014" / "UK females-Table 1.csv"
MYE2_MALES = DATA / "ons_mye2_2014" / "UK males-Table 1.csv"
NOMIS = DATA / "nomis_mye_2011" / "rutland_NM_2002_1_extract.tsv"
BIRTHS_TABLE = DATA / "ons_births_2014" / "Table 3-Table 1.csv"


def people(**columns: Any) -> pd.DataFrame:
    """Four rows for one area, ages 15 and 30 of each sex, with columns replaced."""
    frame = pd.DataFrame(
        {
            "area_code": ["E06000017"] * 4,
            "sex": ["female", "female", "male", "male"],
            "age": [15, 30, 15, 30],
            "population": [100, 1000, 100, 1000],
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def banded(labels: list[str], table: str = "apms_2014", **kwargs: Any) -> mhneed.Estimate:
    """Estimate from a banded population of women, 100 in each band."""
    frame = pd.DataFrame({"sex": "female", "age_band": labels, "population": [100.0] * len(labels)})
    return mhneed.estimate(frame, table, **kwargs)


def gad(frame: pd.DataFrame, **kwargs: Any) -> mhneed.Estimate:
    """Estimate generalised anxiety disorder (APMS 2014, 16+) for a population."""
    return mhneed.estimate(frame, "apms_2014", conditions=["gad"], **kwargs)


def births(**columns: Any) -> pd.DataFrame:
    """A births frame for two areas, with columns replaced."""
    frame = pd.DataFrame({"area_code": ["E06000017", "E06000016"], "births": [341, 3800]})
    for name, values in columns.items():
        frame[name] = values
    return frame


META: dict[str, Any] = {
    "id": "mine",
    "title": "My table (made-up test values)",
    "publisher": "Tests",
    "edition": 2020,
    "geography": "England",
    "population": "adults",
    "ages": "16+",
    "denominator": "persons",
    "interval": "confidence_interval",
    "level": 0.95,
    "unit": "percent",
    "conditions": [{"id": "gad", "label": "GAD", "period": "past week", "ages": "16+"}],
    "sources": [{"id": "made_up", "citation": "Made-up test values.", "kind": "primary"}],
}

ROWS = [
    ["gad", "female", "16-64", "6.8", "6.0", "7.6", "made_up"],
    ["gad", "female", "65+", "4.0", "3.0", "5.0", "made_up"],
    ["gad", "male", "16+", "4.9", "4.2", "5.6", "made_up"],
]
HEADER = ["condition", "sex", "age_band", "rate", "lower", "upper", "source"]


def rate_rows(*changes: tuple[int, str, str], rows: list[list[str]] | None = None) -> pd.DataFrame:
    """The three test rows (or ``rows``), with (row, column, value) changes."""
    frame = pd.DataFrame(rows if rows is not None else ROWS, columns=HEADER)
    for i, col, value in changes:
        frame.loc[i, col] = value
    return frame


def table(frame: pd.DataFrame, _sources_file: Path | None = None, **meta: Any) -> mhneed.RateTable:
    """read_rate_table on a frame, with metadata fields replaced (and a sources file)."""
    return mhneed.read_rate_table(frame, {**META, **meta}, sources=_sources_file)


def rates_csv(folder: Path, text: str | bytes, name: str = "mine.csv") -> mhneed.RateTable:
    """Write a long-format CSV (with its metadata beside it) and read it."""
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    (folder / f"{path.stem}.json").write_text(json.dumps(META), encoding="utf-8")
    return mhneed.read_rate_table(path)


def csv_text(rows: list[list[str]], end: str = "\n") -> str:
    """Rows joined as CSV text, header first."""
    return end.join(",".join(r) for r in [HEADER, *rows]) + end


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write bytes to a file in the folder."""
    path = folder / name
    path.write_bytes(data)
    return path


def mye2_text() -> str:
    """The women's MYE2 fixture as text."""
    return MYE2_FEMALES.read_bytes().decode("utf-8")


def mye2(folder: Path, data: bytes, name: str = "females.csv") -> pd.DataFrame:
    """read_ons_mye2 on bytes written to a file."""
    return mhneed.read_ons_mye2(write(folder, name, data))


def nomis(folder: Path, data: bytes) -> pd.DataFrame:
    """read_nomis on bytes written to a file."""
    return mhneed.read_nomis(write(folder, "extract.tsv", data))


def ons_births(folder: Path, data: bytes) -> pd.DataFrame:
    """read_ons_births on bytes written to a file."""
    return mhneed.read_ons_births(write(folder, "births.csv", data))


def sparse(folder: Path, name: str, size: int) -> Path:
    """A file of ``size`` bytes that takes no room on disk (and no time to write)."""
    path = folder / name
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def same_as(reference: Callable[[], Any]) -> Callable[[Any], None]:
    """A check that the result equals what ``reference()`` gives for the clean input."""

    def check(result: Any) -> None:
        expected = reference()
        if isinstance(result, pd.DataFrame):
            pd.testing.assert_frame_equal(result, expected)
        elif isinstance(result, mhneed.Estimate):
            pd.testing.assert_frame_equal(result.to_frame(), expected.to_frame())
            pd.testing.assert_frame_equal(result.coverage, expected.coverage)
        else:
            assert result == expected

    return check


def _women_men() -> pd.DataFrame:
    return mhneed.read_ons_mye2([MYE2_FEMALES, MYE2_MALES])


def _clean_gad() -> mhneed.Estimate:
    return gad(people())


def _clean_table() -> mhneed.RateTable:
    return table(rate_rows())


def _coverage_of(est: mhneed.Estimate) -> dict[str, float]:
    cov = est.coverage
    return {c: float(cov[c].sum()) for c in ["population", "in_scope", "too_young", "too_old"]}


def _no_empty_groups(est: mhneed.Estimate) -> None:
    assert est.coverage["area_code"].tolist() == ["E06000017"]
    assert est.coverage["population"].tolist() == [2200.0]


def _split_warned(est: mhneed.Estimate) -> None:
    assert est.params["split_band_labels"] == ["60-69"]
    assert any("60-69" in w for w in est.warnings)
    cov = est.coverage.set_index("condition").loc["gad"]
    assert (cov["population"], cov["in_scope"], cov["too_old"]) == (200.0, 150.0, 50.0)


def _too_young_counted(est: mhneed.Estimate) -> None:
    assert _coverage_of(est) == {
        "population": 2200.0,
        "in_scope": 2000.0,
        "too_young": 200.0,
        "too_old": 0.0,
    }


def _mye2_cp1252(folder: Path) -> pd.DataFrame:
    text = mye2_text().replace("Rutland", "Rutland’s")
    return mye2(folder, text.encode("cp1252"))


def _has_rutlands(frame: pd.DataFrame) -> None:
    assert "Rutland’s" in set(frame["area_name"])
    assert frame["population"].sum() > 0


def _latin1_note(folder: Path) -> mhneed.RateTable:
    text = csv_text(ROWS).replace("made_up\n", "made_up,\n").replace("source", "source,note", 1)
    lines = text.splitlines()
    lines[1] = lines[1] + "caf\x81"  # a byte Windows-1252 leaves undefined
    return rates_csv(folder, ("\n".join(lines) + "\n").encode("latin-1"))


def _note_kept(tbl: mhneed.RateTable) -> None:
    assert tbl.rows[0].note == "caf\x81"
    assert [r.rate for r in tbl.rows] == [r.rate for r in _clean_table().rows]


def _same_as_plain_nomis(frame: pd.DataFrame) -> None:
    assert set(frame["area_name"]) == {"Rutland"}
    assert set(frame["year"]) == {2011}
    plain = mhneed.read_nomis(NOMIS)
    pd.testing.assert_frame_equal(frame.drop(columns=["area_name", "year"]), plain)


def _nomis_full_layout(folder: Path) -> pd.DataFrame:
    """The Nomis fixture with names, dates, totals and percentage rows, comma-separated."""
    frame = pd.read_csv(NOMIS, sep="\t")
    totals = frame.groupby(["GEOGRAPHY_CODE", "C_AGE"], as_index=False)["OBS_VALUE"].sum()
    totals = totals.assign(GENDER=0)
    frame = pd.concat([frame, totals], ignore_index=True)
    frame = frame.assign(DATE="2011", GEOGRAPHY_NAME="Rutland", MEASURES=20100)
    shares = frame.assign(MEASURES=20301, OBS_VALUE=1.5)
    out = pd.concat([shares, frame], ignore_index=True)
    return nomis(folder, out.to_csv(index=False).encode())


def _nomis_huge_line(folder: Path) -> pd.DataFrame:
    text = NOMIS.read_text(encoding="utf-8")
    return nomis(folder, (text + '"E06000017"\t"1"\t"101"\t' + "9" * 1_100_000 + "\n").encode())


# -- the catalogue ---------------------------------------------------------------------

POPULATION: list[Case] = [
    Case(
        "population-missing-sex",
        "population without a sex column",
        lambda _: gad(people().drop(columns="sex")),
        MissingColumnError,
        "population frame: missing column 'sex'; a population needs columns sex, age (or age_band) and population, plus any key columns; it has: area_code, age, population",
        "sex",
        "required columns",
    ),
    Case(
        "population-missing-count",
        "population without a population column",
        lambda _: gad(people().drop(columns="population")),
        MissingColumnError,
        "population frame: missing column 'population'; a population needs columns sex, age (or age_band) and population, plus any key columns; it has: area_code, sex, age",
        "population",
        "required columns",
    ),
    Case(
        "population-missing-age",
        "population with neither age nor age_band",
        lambda _: gad(people().drop(columns="age")),
        MissingColumnError,
        "population frame: missing column 'age' (or 'age_band'); a population needs single years of age or age bands; it has: area_code, sex, population",
        "age",
        "required columns",
    ),
    Case(
        "population-age-and-band",
        "population with both age and age_band",
        lambda _: gad(people(age_band="16-24")),
        InputError,
        "population frame: has both 'age' and 'age_band'; give one: single years in age, or bands in age_band",
        "age_band",
        "age or age_band, not both",
    ),
    Case(
        "population-column-twice",
        "population with a column name twice",
        lambda _: gad(pd.concat([people(), people()[["area_code"]]], axis=1)),
        InputError,
        "population frame: column 'area_code' appears more than once",
        "area_code",
        "unique column names",
    ),
    Case(
        "population-not-a-frame",
        "population given as a dict, not a DataFrame",
        lambda _: gad(people().to_dict()),
        InputError,
        "population must be a pandas DataFrame, not dict",
        None,
        "a DataFrame",
    ),
    Case(
        "population-not-a-number",
        "population count that is a word",
        lambda _: gad(people(population=["100", "many", "100", "1000"])),
        InputError,
        "column population: value 'many' (rows 1) is not a number",
        "population",
        "numeric",
        rows=(1,),
    ),
    Case(
        "population-thousands-separators",
        "population counts as text with thousands separators, to the core API",
        lambda _: gad(people(population=["100", "1,000", "100", "1,000"])),
        InputError,
        "column population: value '1,000' (rows 1, 3) is text with thousands separators, not a number; read ONS files with mhneed.read_ons_mye2 or mhneed.read_nomis, or read the CSV with pandas.read_csv(..., thousands=',')",
        "population",
        "numeric",
        rows=(1, 3),
    ),
    Case(
        "population-true-false",
        "population counts that are true/false",
        lambda _: gad(people(population=[True, False, True, True])),
        InputError,
        "column population: holds true/false values, not counts",
        "population",
        "numeric",
    ),
    Case(
        "population-dates",
        "population counts that are dates",
        lambda _: gad(people(population=pd.to_datetime(["2014-06-30"] * 4))),
        InputError,
        "column population: holds dates, not counts",
        "population",
        "numeric",
    ),
    Case(
        "population-complex",
        "population counts that are complex numbers",
        lambda _: gad(people(population=[1 + 1j] * 4)),
        InputError,
        "column population: holds complex numbers, not counts",
        "population",
        "numeric",
    ),
    Case(
        "population-negative",
        "a negative population count",
        lambda _: gad(people(population=[100, -1000, 100, 1000])),
        InputError,
        "column population: negative value -1000 in rows 1; a population cannot be negative",
        "population",
        "population >= 0",
        rows=(1,),
    ),
    Case(
        "population-nan",
        "a missing (NaN) population count",
        lambda _: gad(people(population=[100, np.nan, 100, 1000])),
        InputError,
        "column population: values are missing (NaN) in rows 1; every population must be a finite number",
        "population",
        "finite",
        rows=(1,),
    ),
    Case(
        "population-infinite",
        "an infinite population count",
        lambda _: gad(people(population=[100, np.inf, 100, 1000])),
        InputError,
        "column population: values are not finite (NaN or infinite) in rows 1; every population must be a finite number",
        "population",
        "finite",
        rows=(1,),
    ),
    Case(
        "population-implausible",
        "a population count above the world's population",
        lambda _: gad(people(population=[100, 1e308, 100, 1000])),
        InputError,
        "column population: value 1e+308 in rows 1 is more people than live on Earth; the rule is population <= 10,000,000,000",
        "population",
        "population <= 1e+10",
        rows=(1,),
    ),
    Case(
        "age-not-whole",
        "a fractional age",
        lambda _: gad(people(age=[15, 30.5, 15, 30])),
        InputError,
        "column age: value 30.5 (rows 1) is not a whole number of years",
        "age",
        "whole years",
        rows=(1,),
    ),
    Case(
        "age-negative",
        "a negative age",
        lambda _: gad(people(age=[15, -1, 15, 30])),
        InputError,
        "column age: value -1 (rows 1) is outside the rule 0 <= age <= 120",
        "age",
        "0 <= age <= 120",
        rows=(1,),
    ),
    Case(
        "age-over-120",
        "an implausible age over 120",
        lambda _: gad(people(age=[15, 121, 15, 30])),
        InputError,
        "column age: value 121 (rows 1) is outside the rule 0 <= age <= 120",
        "age",
        "0 <= age <= 120",
        rows=(1,),
    ),
    Case(
        "age-top-coded-text",
        "a top-coded age written '90+' in the age column",
        lambda _: gad(people(age=["15", "90+", "15", "30"])),
        InputError,
        "column age: value '90+' (rows 1) is not a whole number of years; for a top-coded age such as '90+' give the number (90) and top_age=90, or use an age_band column",
        "age",
        "whole years",
        rows=(1,),
    ),
    Case(
        "age-missing",
        "a missing age",
        lambda _: gad(people(age=[15, None, 15, 30])),
        InputError,
        "column age: missing values in rows 1",
        "age",
        "no missing values",
        rows=(1,),
    ),
    Case(
        "age-true-false",
        "ages that are true/false",
        lambda _: gad(people(age=[True, False, True, False])),
        InputError,
        "column age: holds true/false values, not whole years",
        "age",
        "numeric",
    ),
    Case(
        "age-above-top-age",
        "an age above the top-coded age",
        lambda _: gad(people(age=[15, 95, 15, 30]), top_age=90),
        InputError,
        "column age: value 95 (rows 1) is outside the rule 0 <= age <= top_age (90); top_age=90 means 90 is the oldest age, standing for 90+",
        "age",
        "0 <= age <= top_age (90)",
        rows=(1,),
    ),
    Case(
        "top-age-not-whole",
        "a top_age in the frame's attrs that is not a whole number",
        lambda _: gad(people().pipe(lambda f: f.attrs.update(top_age=89.5) or f)),
        InputError,
        "top_age 89.5 is not a whole number of years in 0..120",
        "age",
        "top_age in 0..120",
    ),
    Case(
        "population-duplicate-keys",
        "the same area, sex and age twice",
        lambda _: gad(people(age=[15, 15, 15, 30])),
        InputError,
        "population frame: duplicate rows for the same area_code, sex, age (rows 0, 1); each key, sex and age must appear once",
        "age",
        "one row per key, sex and age",
        rows=(0, 1),
    ),
    Case(
        "sex-unknown",
        "an unknown sex label",
        lambda _: gad(people(sex=["female", "female", "X", "male"])),
        InputError,
        "column sex: unknown label 'X' (rows 2); use female/male, F/M, or the ONS codes 2 (female) and 1 (male)",
        "sex",
        "a known sex label",
        rows=(2,),
    ),
    Case(
        "sex-persons-mixed",
        "'persons' rows mixed with female and male rows",
        lambda _: gad(people(sex=["female", "persons", "male", "male"])),
        InputError,
        "column sex: 'persons' is both sexes together (rows 1); give the population as separate female and male rows",
        "sex",
        "female or male rows only",
        rows=(1,),
    ),
    Case(
        "sex-missing",
        "a missing sex",
        lambda _: gad(people(sex=["female", None, "male", "male"])),
        InputError,
        "column sex: missing values in rows 1; every row needs female or male",
        "sex",
        "no missing values",
        rows=(1,),
    ),
    Case(
        "sex-list",
        "a sex given as a list",
        lambda _: gad(people(sex=[["female"], ["female"], ["male"], ["male"]])),
        InputError,
        "column sex: value ['female'] (rows 0, 1, 2, 3) is a list, not a single value",
        "sex",
        "single values",
        rows=(0, 1, 2, 3),
    ),
    Case(
        "population-empty",
        "an empty population frame",
        lambda _: gad(people().iloc[:0]),
        InputError,
        "population is empty: the frame has no rows",
        "population",
        "non-empty",
    ),
    Case(
        "bands-overlap",
        "population age bands that overlap",
        lambda _: banded(["16-24", "20-29", "30+"]),
        InputError,
        "column age_band: the age bands must cover ages 16+ exactly once; ages covered twice: 20-24 (in both 16-24 and 20-29); population bands must not overlap or leave gaps",
        "age_band",
        "bands do not overlap or leave gaps",
    ),
    Case(
        "bands-gap",
        "population age bands with a gap",
        lambda _: banded(["16-24", "30+"]),
        InputError,
        "column age_band: the age bands must cover ages 16+ exactly once; ages not covered: 25-29; population bands must not overlap or leave gaps",
        "age_band",
        "bands do not overlap or leave gaps",
    ),
    Case(
        "band-not-a-band",
        "a population age band that is not a band",
        lambda _: banded(["adults"]),
        InputError,
        "column age_band: age band 'adults' is not a band: write 'lower-upper' (such as '16-24') or 'lower+' (such as '75+') (rows 0)",
        "age_band",
        "age band format",
    ),
    Case(
        "band-digits",
        "a population age band whose number has 5,000 digits",
        lambda _: banded(["16-" + "9" * 5000]),
        InputError,
        "column age_band: age band '16-9999999999999999999999999999999999999...': age 9999999999... is outside 0..120 (rows 0)",
        "age_band",
        "age band format",
    ),
    Case(
        "top-coded-age-unplaceable",
        "a top-coded age (70+) inside a table's closed band (65-74)",
        lambda _: mhneed.estimate(people(age=[15, 70, 15, 30]), "apms_2007_psychosis", top_age=70),
        InputError,
        "column age: age 70 is top-coded (70+, 70 and over), but condition psychotic_disorder (ages 16+) of rate table apms_2007_psychosis ends or splits a band above it, so the people aged 70+ cannot be placed; give single years above the top-coded age, or narrow ages to end below it",
        "age",
        "a top-coded age lies in one open-ended band",
    ),
    Case(
        "open-band-unplaceable",
        "an open population band (65+) split by the table's bands",
        lambda _: banded(["16-64", "65+"], "apms_2007_psychosis"),
        InputError,
        "column age_band: band 65+ is open-ended, but condition psychotic_disorder (ages 16+) of rate table apms_2007_psychosis divides the ages 65+ between bands, and an open-ended band cannot be split; give narrower bands, or narrow ages to end below it",
        "age_band",
        "an open-ended band lies in one open-ended rate band",
    ),
    Case(
        "key-missing",
        "a missing area code",
        lambda _: gad(people(area_code=["E06000017", None, "E06000017", "E06000017"])),
        InputError,
        "column area_code: missing values in rows 1; key columns must be filled in",
        "area_code",
        "no missing keys",
        rows=(1,),
    ),
    Case(
        "key-blank",
        "a blank area code",
        lambda _: gad(people(area_code=["E06000017", " ", "E06000017", "E06000017"])),
        InputError,
        "column area_code: value ' ' (rows 1) is blank; key columns must be filled in",
        "area_code",
        "no missing keys",
        rows=(1,),
    ),
    Case(
        "key-missing-as-text",
        "an area code 'nan' (a missing value turned to text)",
        lambda _: gad(people(area_code=["E06000017", "nan", "E06000017", "E06000017"])),
        InputError,
        "column area_code: value 'nan' (rows 1) is text that means a missing value; key columns must be filled in",
        "area_code",
        "no missing keys",
        rows=(1,),
    ),
    Case(
        "key-trailing-space",
        "area codes that differ only by a trailing space",
        lambda _: gad(people(area_code=["E06000017", "E06000017 ", "E06000017", "E06000017"])),
        InputError,
        "column area_code: values 'E06000017', 'E06000017 ' (rows 0, 1, 2, 3) look the same but differ (spaces, invisible characters or Unicode forms in the text, or a number and a text), so they would be counted as separate groups; make them the same",
        "area_code",
        "key values distinct as printed",
        rows=(0, 1, 2, 3),
    ),
    Case(
        "key-number-and-text",
        "a year given as a number in some rows and as text in others",
        lambda _: gad(people(year=pd.Series([2014, "2014", 2014, 2014], dtype=object))),
        InputError,
        "column year: values 2014, '2014' (rows 0, 1, 2, 3) look the same but differ (spaces, invisible characters or Unicode forms in the text, or a number and a text), so they would be counted as separate groups; make them the same",
        "year",
        "key values distinct as printed",
        rows=(0, 1, 2, 3),
    ),
    Case(
        "key-list",
        "a key value that is a list",
        lambda _: gad(people(area_code=[["E06000017"]] * 4)),
        InputError,
        "column area_code: value ['E06000017'] (rows 0, 1, 2, 3) is a list, not a single value",
        "area_code",
        "single values",
        rows=(0, 1, 2, 3),
    ),
    Case(
        "key-reserved",
        "a key column named like an output column (cases)",
        lambda _: gad(people(cases=1)),
        InputError,
        "population frame: key column 'cases' has the name of an output column; rename it (reserved: cases, cases_lower, cases_upper, condition, in_scope, interval, lower, rate, recorded, rounding, share_met, share_met_lower, share_met_upper, source, table, too_old, too_young, upper, wrong_sex)",
        "cases",
        "key names not reserved",
    ),
    Case(
        "key-not-text",
        "a key column whose name is a number",
        lambda _: gad(people().rename(columns={"area_code": 0})),
        InputError,
        "population frame: column name 0 is not text; name every key column",
        "0",
        "column names are text",
    ),
    Case(
        "ages-not-a-range",
        "ages= that is not an age range",
        lambda _: gad(people(), ages="adults"),
        InputError,
        "ages 'adults' is not an age range: give (lower, upper) such as (18, 64), or a band such as '18-64' or '65+' (age band 'adults' is not a band: write 'lower-upper' (such as '16-24') or 'lower+' (such as '75+'))",
        "ages",
        "an age range",
    ),
    Case(
        "ages-outside-scope",
        "ages= outside the condition's scope",
        lambda _: gad(people(), ages=(0, 15)),
        InputError,
        "ages 0-15 do not overlap condition gad's scope (ages 16+) in rate table apms_2014",
        "ages",
        "ages overlap the condition's scope",
    ),
    Case(
        "condition-unknown",
        "an unknown condition requested",
        lambda _: mhneed.estimate(people(), "apms_2014", conditions=["anxiety"]),
        UnknownConditionError,
        "condition 'anxiety' not in rate table apms_2014; its conditions are: cmd_symptoms, any_cmd, gad, cmd_nos, panic_disorder, phobias, ocd, ptsd, psychotic_disorder, bipolar_disorder, adhd, antisocial_pd, borderline_pd, nssh",
        "condition",
        "condition in table",
    ),
    Case(
        "table-unknown",
        "an unknown table id",
        lambda _: mhneed.estimate(people(), "apms_2015"),
        UnknownTableError,
        "no shipped rate table has id 'apms_2015'; the tables are: apms_1993_by_age_sex, apms_2000_by_age_sex, apms_2007, apms_2007_any_condition, apms_2007_by_age_sex, apms_2007_psychosis, apms_2014, apms_2014_by_age_sex, apms_2014_by_sex, apms_2023, jcpmh_2012_perinatal, prison_rutland_jsna_2018",
        "table",
        "a shipped table id",
    ),
    Case(
        "table-births-for-people",
        "a births table used for a population",
        lambda _: mhneed.estimate(people(), "jcpmh_2012_perinatal"),
        RateTableError,
        "rate table jcpmh_2012_perinatal has denominator maternities, not persons; estimate from births with mhneed.estimate_perinatal",
        "denominator",
        "estimate() needs a persons denominator",
    ),
    Case(
        "population-numeric-text",
        "population counts as plain numeric text",
        lambda _: gad(people(population=["100", "1000", "100", "1000"])),
        check=same_as(_clean_gad),
        how="read as numbers: the same estimate as numeric counts",
    ),
    Case(
        "ages-as-floats",
        "whole ages stored as floats (30.0)",
        lambda _: gad(people(age=[15.0, 30.0, 15.0, 30.0])),
        check=same_as(_clean_gad),
        how="read as whole years: the same estimate",
    ),
    Case(
        "sex-ons-codes",
        "sex as the ONS codes 2 and 1",
        lambda _: gad(people(sex=[2, 2, 1, 1])),
        check=same_as(_clean_gad),
        how="2 is female and 1 is male: the same estimate",
    ),
    Case(
        "ages-out-of-scope",
        "ages below the table's scope (15 for a 16+ table)",
        lambda _: gad(people()),
        check=_too_young_counted,
        how="counted in the coverage report as too young, never dropped",
    ),
    Case(
        "key-unused-categories",
        "a categorical area code with unused categories",
        lambda _: gad(
            people(
                area_code=pd.Categorical(
                    ["E06000017"] * 4, categories=["E06000016", "E06000017", "E06000018"]
                )
            )
        ),
        check=_no_empty_groups,
        how="unused categories give no rows",
    ),
    Case(
        "index-duplicate-labels",
        "a frame whose index repeats one label",
        lambda _: gad(people().set_axis([7, 7, 7, 7])),
        check=same_as(_clean_gad),
        how="the index plays no part: the same estimate",
    ),
    Case(
        "index-multiindex",
        "a frame with a MultiIndex",
        lambda _: gad(
            people().set_axis(pd.MultiIndex.from_tuples([("a", 1), ("a", 2), ("b", 1), ("b", 2)]))
        ),
        check=same_as(_clean_gad),
        how="the index plays no part: the same estimate",
    ),
    Case(
        "band-split",
        "a population band (60-69) that straddles the table's scope (ages 16-64)",
        lambda _: banded(["16-59", "60-69"], ages="16-64", conditions=["gad"]),
        check=_split_warned,
        how="split uniformly over its single years; the warnings name the band",
    ),
]

BIRTHS: list[Case] = [
    Case(
        "births-missing-column",
        "births frame without a births column",
        lambda _: mhneed.estimate_perinatal(
            births().rename(columns={"births": "count"}), denominator="maternities"
        ),
        MissingColumnError,
        "births frame: missing column 'births'; give the counts in a column named births (and say what they count with denominator=), or maternities in a column named maternities, plus any key columns; it has: area_code, count",
        "births",
        "required columns",
    ),
    Case(
        "births-negative",
        "a negative count of births",
        lambda _: mhneed.estimate_perinatal(births(births=[341, -1]), denominator="maternities"),
        InputError,
        "column births: negative value -1 in rows 1; a count of births cannot be negative",
        "births",
        "births >= 0",
        rows=(1,),
    ),
    Case(
        "births-implausible",
        "a count of births above the world's population",
        lambda _: mhneed.estimate_perinatal(births(births=[341, 2e10]), denominator="maternities"),
        InputError,
        "column births: value 2e+10 in rows 1 is more births than there are people on Earth; the rule is births <= 10,000,000,000",
        "births",
        "births <= 1e+10",
        rows=(1,),
    ),
    Case(
        "births-duplicate-keys",
        "the same area twice in a births frame",
        lambda _: mhneed.estimate_perinatal(
            births(area_code=["E06000017"] * 2), denominator="maternities"
        ),
        InputError,
        "births frame: duplicate rows for the same area_code (rows 0, 1); each key group must appear once (sum the births first if they are split further)",
        "area_code",
        "one row per key group",
        rows=(0, 1),
    ),
    Case(
        "births-denominator",
        "a denominator that is not a count of births",
        lambda _: mhneed.estimate_perinatal(births(), denominator="persons"),
        InputError,
        "denominator 'persons' is not one of maternities, live_births, deliveries: say what the births column counts; for a population use mhneed.estimate",
        "denominator",
        "denominator in maternities, live_births, deliveries",
    ),
    Case(
        "births-people-table",
        "a persons table used for births",
        lambda _: mhneed.estimate_perinatal(births(), "apms_2014", denominator="maternities"),
        RateTableError,
        "rate table apms_2014 has denominator persons, not births; estimate from a population with mhneed.estimate",
        "denominator",
        "estimate_perinatal() needs a births denominator",
    ),
]

RATE_TABLES: list[Case] = [
    Case(
        "rate-above-1",
        "a rate above 1 in a table of proportions",
        lambda _: table(
            rate_rows((0, "rate", "1.5"), (0, "lower", ""), (0, "upper", "")), unit="proportion"
        ),
        RateTableError,
        "rate table mine: 3 problems: row 1 (condition gad, sex female, age_band 16-64): column rate: value 1.5 is outside 0..1, the range for unit proportion; row 2 (condition gad, sex female, age_band 65+): column rate: value 4 is outside 0..1, the range for unit proportion; row 3 (condition gad, sex male, age_band 16+): column rate: value 4.9 is outside 0..1, the range for unit proportion",
        "rate",
        "0 <= rate <= 1 (proportion)",
        rows=(0, 1, 2),
    ),
    Case(
        "rate-above-100",
        "a rate above 100 in a table of percentages",
        lambda _: table(rate_rows((0, "rate", "680"), (0, "upper", "760"))),
        RateTableError,
        "rate table mine, row 1 (condition gad, sex female, age_band 16-64): column rate: value 680 is outside 0..100, the range for unit percent",
        "rate",
        "0 <= rate <= 100 (percent)",
        rows=(0,),
    ),
    Case(
        "rate-above-1000",
        "a rate above 1,000 in a table per 1,000",
        lambda _: table(rate_rows((0, "rate", "1068"), (0, "upper", "")), unit="per_1000"),
        RateTableError,
        "rate table mine, row 1 (condition gad, sex female, age_band 16-64): column rate: value 1068 is outside 0..1000, the range for unit per_1000",
        "rate",
        "0 <= rate <= 1000 (per_1000)",
        rows=(0,),
    ),
    Case(
        "rate-negative",
        "a negative rate",
        lambda _: table(rate_rows((2, "rate", "-4.9"))),
        RateTableError,
        "rate table mine, row 3 (condition gad, sex male, age_band 16+): column rate: value -4.9 is outside 0..100, the range for unit percent",
        "rate",
        "0 <= rate <= 100 (percent)",
        rows=(2,),
    ),
    Case(
        "rate-lower-above-rate",
        "a lower limit above the rate",
        lambda _: table(rate_rows((0, "lower", "7.0"))),
        RateTableError,
        "rate table mine, row 1 (condition gad, sex female, age_band 16-64): column lower: 0.07 is above the rate 0.068 (as proportions); the rule is lower <= rate <= upper",
        "lower",
        "lower <= rate",
        rows=(0,),
    ),
    Case(
        "rate-above-upper",
        "a rate above its upper limit",
        lambda _: table(rate_rows((0, "upper", "6.5"))),
        RateTableError,
        "rate table mine, row 1 (condition gad, sex female, age_band 16-64): column upper: 0.065 is below the rate 0.068 (as proportions); the rule is lower <= rate <= upper",
        "upper",
        "rate <= upper",
        rows=(0,),
    ),
    Case(
        "rate-one-limit",
        "a lower limit with no upper limit",
        lambda _: table(rate_rows((0, "upper", ""))),
        RateTableError,
        "rate table mine, row 1 (condition gad, sex female, age_band 16-64): columns lower and upper: give both limits or neither",
        "upper",
        "both limits or neither",
        rows=(0,),
    ),
    Case(
        "rate-not-a-number",
        "a rate written '6.8%'",
        lambda _: table(rate_rows((0, "rate", "6.8%"))),
        RateTableError,
        "rate table mine, row 1 (condition gad, sex female, age_band 16-64): column rate: value '6.8%' is not a number",
        "rate",
        "numeric",
        rows=(0,),
    ),
    Case(
        "rate-infinite",
        "a rate written 'inf'",
        lambda _: table(rate_rows((0, "rate", "inf"))),
        RateTableError,
        "rate table mine, row 1 (condition gad, sex female, age_band 16-64): column rate: value 'inf' is not a finite number",
        "rate",
        "finite",
        rows=(0,),
    ),
    Case(
        "cells-overlap",
        "a condition's cells that overlap (16-64 and 60+)",
        lambda _: table(rate_rows((1, "age_band", "60+"))),
        RateTableError,
        "rate table mine: condition gad, sex female: the age bands must cover ages 16+ exactly once; ages covered twice: 60-64 (in both 16-64 and 60+)",
        "age_band",
        "cells partition the condition's scope",
        rows=(0, 1),
    ),
    Case(
        "cells-missing",
        "a condition's cells that leave ages out (no 65+ for women)",
        lambda _: table(rate_rows().drop(index=1)),
        RateTableError,
        "rate table mine: condition gad, sex female: the age bands must cover ages 16+ exactly once; ages not covered: 65+",
        "age_band",
        "cells partition the condition's scope",
        rows=(0,),
    ),
    Case(
        "cells-twice",
        "the same cell twice",
        lambda _: table(pd.concat([rate_rows(), rate_rows().iloc[[2]]])),
        RateTableError,
        "rate table mine: condition gad, sex male: the age bands must cover ages 16+ exactly once; ages covered twice: 16+ (in both 16+ and 16+)",
        "age_band",
        "cells partition the condition's scope",
        rows=(0, 1),
    ),
    Case(
        "condition-undeclared",
        "a row for a condition the metadata does not declare",
        lambda _: table(rate_rows((2, "condition", "ocd"))),
        RateTableError,
        "rate table mine, row 3 (condition ocd, sex male, age_band 16+): column condition: 'ocd' is not one of the table's conditions (gad)",
        "condition",
        "condition declared in metadata",
        rows=(0,),
    ),
    Case(
        "condition-ids-twice",
        "condition ids used twice in the metadata",
        lambda _: table(rate_rows(), conditions=[META["conditions"][0]] * 2),
        RateTableError,
        "rate table mine: condition id 'gad' appears more than once; condition ids must be unique",
        "condition",
        "unique condition ids",
    ),
    Case(
        "unit-unknown",
        "an unknown unit",
        lambda _: table(rate_rows(), unit="per_100000"),
        RateTableError,
        "rate table mine metadata: field unit: Input should be 'proportion', 'percent' or 'per_1000' (value 'per_100000')",
        "unit",
        "Input should be 'proportion', 'percent' or 'per_1000'",
    ),
    Case(
        "table-ages-not-a-band",
        "metadata ages that are not an age band",
        lambda _: table(rate_rows(), ages="adults"),
        RateTableError,
        "rate table mine metadata: field ages: age band 'adults' is not a band: write 'lower-upper' (such as '16-24') or 'lower+' (such as '75+')",
        "ages",
        "age band format",
    ),
    Case(
        "source-not-in-manifest",
        "a row whose source is cited nowhere",
        lambda _: table(rate_rows((1, "source", "my_guess"))),
        RateTableError,
        "rate table mine: column source: 'my_guess' not cited anywhere; give each source's id, citation and kind (primary or secondary) in sources= (a sources CSV or a list) or in the metadata's sources list",
        "source",
        "source in manifest",
    ),
    Case(
        "sources-not-a-list",
        "metadata sources given as a file name",
        lambda _: table(rate_rows(), sources="sources.csv"),
        RateTableError,
        "rate table mine metadata: field sources must be a list of sources (each with id, citation, url and kind), not str",
        "sources",
        "a list of sources",
    ),
    Case(
        "rates-empty-file",
        "an empty rate table file",
        lambda d: rates_csv(d, ""),
        RateTableError,
        "read_rate_table: mine.csv is empty",
        None,
        "a non-empty file",
    ),
    Case(
        "rates-header-only",
        "a rate table file with a header and no rows",
        lambda d: rates_csv(d, csv_text([])),
        RateTableError,
        "rate table mine: no rows; a table needs at least one rate",
        None,
        "at least one row",
    ),
    Case(
        "rates-missing-column",
        "a rate table file without a source column",
        lambda d: rates_csv(d, csv_text(ROWS).replace(",source", "").replace(",made_up", "")),
        MissingColumnError,
        "mine.csv: missing column source; a rate table has columns condition, sex, age_band, rate, source and optionally lower, upper, note",
        "source",
        "required columns",
    ),
    Case(
        "rates-semicolons",
        "a rate table file separated by semicolons",
        lambda d: rates_csv(d, csv_text(ROWS).replace(",", ";")),
        MissingColumnError,
        "mine.csv: missing columns condition, sex, age_band, rate, source; a rate table has columns condition, sex, age_band, rate, source and optionally lower, upper, note",
        "condition",
        "required columns",
    ),
    Case(
        "rates-column-twice",
        "a rate table file with a column twice",
        lambda d: rates_csv(d, csv_text(ROWS).replace("source", "rate", 1)),
        RateTableError,
        "read_rate_table: mine.csv line 1: column rate appears more than once",
        "rate",
        "unique column names",
    ),
    Case(
        "rates-truncated",
        "a rate table file cut off inside its last row",
        lambda d: rates_csv(d, csv_text(ROWS)[:-20]),
        RateTableError,
        "read_rate_table: mine.csv line 4: 4 values, but the header has 7 columns: no source; is the file truncated?",
        "source",
        "every row as long as the header",
    ),
    Case(
        "rates-unquoted-comma",
        "a value with a comma and no quotes around it",
        lambda d: rates_csv(d, csv_text(ROWS).replace("made_up", "made_up,2014", 1)),
        RateTableError,
        "read_rate_table: mine.csv line 2: value '2014' is in a column with no name in the header (line 1); is a comma inside a value without quotes around it?",
        None,
        "values under named columns",
    ),
    Case(
        "rates-nul",
        "a rate table file holding a NUL byte",
        lambda d: rates_csv(d, csv_text(ROWS).encode() + b"\x00"),
        RateTableError,
        "read_rate_table: mine.csv is not a text file: it holds a NUL character (line 5); save it as CSV text (UTF-8)",
        None,
        "a text file",
    ),
    Case(
        "rates-json-nested",
        "metadata JSON nested 100,000 deep",
        lambda d: (
            (d / "mine.csv").write_text(csv_text(ROWS))
            and (d / "mine.json").write_text("[" * 100_000 + "]" * 100_000)
            and mhneed.read_rate_table(d / "mine.csv")
        ),
        RateTableError,
        "mine.json: not valid JSON metadata (lists or objects nested too deeply)",
        "meta",
        "metadata is a JSON object",
    ),
    Case(
        "rates-wide-long-field",
        "a wide table whose cell is longer than the csv module allows",
        lambda d: mhneed.read_wide_rate_table(
            write(d, "sheet.csv", b",16-64,65+\nMen," + b"1" * 200_000 + b",2\n"),
            {**META, "conditions": []},
            period="past week",
        ),
        RateTableError,
        "read_wide_rate_table: sheet.csv line 2 cannot be read as comma-separated values (field larger than field limit (131072))",
        None,
        "a delimited text file",
    ),
    Case(
        "sources-file-long-field",
        "a sources CSV whose citation is longer than the csv module allows",
        lambda d: table(
            rate_rows(),
            sources=None,
            _sources_file=write(d, "sources.csv", b"id,citation,kind\nmade_up," + b"x" * 200_000),
        ),
        RateTableError,
        "sources.csv, line 2: cannot be read as comma-separated values (field larger than field limit (131072))",
        None,
        "a delimited text file",
    ),
    Case(
        "rates-byte-order-mark",
        "a rate table file whose header starts with a byte-order mark",
        lambda d: rates_csv(d, b"\xef\xbb\xbf" + csv_text(ROWS).encode()),
        check=same_as(_clean_table),
        how="the mark is dropped: the same table",
    ),
    Case(
        "rates-crlf",
        "a rate table file with CRLF line ends",
        lambda d: rates_csv(d, csv_text(ROWS, end="\r\n")),
        check=same_as(_clean_table),
        how="the same table",
    ),
    Case(
        "rates-utf16",
        "a rate table file saved as UTF-16 (Excel's Unicode text)",
        lambda d: rates_csv(d, csv_text(ROWS).encode("utf-16")),
        check=same_as(_clean_table),
        how="decoded from UTF-16: the same table",
    ),
    Case(
        "rates-undefined-bytes",
        "a rate table file with a byte Windows-1252 leaves undefined",
        _latin1_note,
        check=_note_kept,
        how="decoded as Latin-1: the note keeps the character, the rates are the same",
    ),
]

FILES: list[Case] = [
    Case(
        "mye2-truncated",
        "an MYE2 file cut off inside a row",
        lambda d: mye2(d, MYE2_FEMALES.read_bytes()[:2000]),
        InputError,
        "read_ons_mye2: females.csv line 5 (E12000004 EAST MIDLANDS): 53 columns, but the header has 94 (CODE, NAME, ALL AGES and ages 0-90); is the file truncated?",
        "50",
        "every row as long as the header",
    ),
    Case(
        "mye2-tabs",
        "an MYE2 file separated by tabs",
        lambda d: mye2(d, mye2_text().replace(",", "\t").encode()),
        InputError,
        "read_ons_mye2: females.csv: no header row 'CODE,NAME,ALL AGES,0,1,…' found; an ONS MYE2 CSV export has title lines, then that header, then one row per area; the file looks tab-separated: save it as CSV",
        "CODE",
        "an MYE2 header row",
    ),
    Case(
        "mye2-header-only",
        "an MYE2 file with its header and no areas",
        lambda d: mye2(d, "\r\n".join(mye2_text().splitlines()[:3]).encode()),
        InputError,
        "read_ons_mye2: females.csv: no areas below the header on line 3",
        None,
        "at least one area",
    ),
    Case(
        "mye2-binary",
        "an MYE2 file of binary garbage",
        lambda d: mye2(d, bytes(range(256)) * 4),
        InputError,
        "read_ons_mye2: females.csv is not a text file: it holds a NUL character (line 1); save it as CSV text (UTF-8)",
        None,
        "a text file",
    ),
    Case(
        "mye2-workbook",
        "an Excel workbook given as an MYE2 CSV",
        lambda d: mye2(d, b"PK\x03\x04" + bytes(100)),
        InputError,
        "read_ons_mye2: females.csv is not a text file: it is an Excel workbook (.xlsx) or another zip file: save the sheet as CSV",
        None,
        "a text file",
    ),
    Case(
        "mye2-empty",
        "an empty MYE2 file",
        lambda d: mye2(d, b"  \r\n"),
        InputError,
        "read_ons_mye2: females.csv is empty",
        None,
        "a non-empty file",
    ),
    Case(
        "mye2-too-large",
        "a 25 MB file given as an MYE2 export",
        lambda d: mhneed.read_ons_mye2(sparse(d, "big.csv", 25_000_000)),
        InputError,
        "read_ons_mye2: big.csv is 25.0 MB; this reader reads files of up to 20 MB (the tables it reads are far smaller), so it is not the right file",
        None,
        "a file of at most 20 MB",
    ),
    Case(
        "mye2-all-ages-wrong",
        "an MYE2 row whose ALL AGES differs from its single years",
        lambda d: mye2(
            d, mye2_text().replace('Rutland,"18,468",168,', 'Rutland,"18,468",186,').encode()
        ),
        InputError,
        "read_ons_mye2: females.csv: ALL AGES is not the sum of ages 0-90 for E06000017 Rutland (line 7): ALL AGES 18,468, sum of single years 18,486",
        "ALL AGES",
        "ALL AGES = sum of single years",
    ),
    Case(
        "nomis-truncated",
        "a Nomis extract cut off inside its last row",
        lambda d: nomis(d, NOMIS.read_bytes()[:-6]),
        InputError,
        "read_nomis: extract.tsv line 183: 3 columns, but the header has 4; is the file truncated?",
        "OBS_VALUE",
        "every row as long as the header",
    ),
    Case(
        "nomis-semicolons",
        "a Nomis extract separated by semicolons",
        lambda d: nomis(d, NOMIS.read_bytes().replace(b"\t", b";")),
        MissingColumnError,
        'read_nomis: extract.tsv: no column GEOGRAPHY_CODE; a Nomis extract needs GEOGRAPHY_CODE, GENDER, C_AGE, OBS_VALUE (comma-separated); it has: GEOGRAPHY_CODE;"GENDER";"C_AGE";"OBS_VALUE"; the file looks semicolon-separated: give it tab- or comma-separated',
        "GEOGRAPHY_CODE",
        "required columns",
    ),
    Case(
        "nomis-header-only",
        "a Nomis extract with its header and no rows",
        lambda d: nomis(d, NOMIS.read_bytes().splitlines(keepends=True)[0]),
        InputError,
        "read_nomis: extract.tsv: no rows below the header on line 1",
        None,
        "at least one row",
    ),
    Case(
        "nomis-binary",
        "a Nomis extract of binary garbage",
        lambda d: nomis(d, bytes(range(256)) * 4),
        InputError,
        "read_nomis: extract.tsv is not a text file: it holds a NUL character (line 1); save it as CSV text (UTF-8)",
        None,
        "a text file",
    ),
    Case(
        "nomis-only-quotes",
        "a Nomis extract holding only quotes and tabs",
        lambda d: nomis(d, b'"\t"\n'),
        InputError,
        "read_nomis: extract.tsv: no header row; the file holds only separators and quotes",
        None,
        "a header row",
    ),
    Case(
        "nomis-odd-digit",
        "a Nomis age code with a superscript digit (C_AGE '1²1')",
        lambda d: nomis(d, NOMIS.read_bytes().replace(b'"101"', '"1²1"'.encode(), 1)),
        InputError,
        "read_nomis: extract.tsv line 2: C_AGE code '1²1' is not a single year of age: the codes are 101 (age 0) to 190 (age 89) and 191 (90 and over); bands and totals (such as 200, all ages) cannot be read, so select single years of age in the extract",
        "C_AGE",
        "a known C_AGE code",
    ),
    Case(
        "nomis-long-line",
        "a Nomis extract with a line of a million characters",
        _nomis_huge_line,
        InputError,
        "read_nomis: extract.tsv line 184 is longer than 1,000,000 characters; the file is not a table of this kind",
        None,
        "lines of at most 1,000,000 characters",
    ),
    Case(
        "births-huge-count",
        "an ONS births count of 19 digits (it became a negative number when stored)",
        lambda d: ons_births(
            d, b"Area of usual residence,Live births\nRutland UA,9999999999999999999\n"
        ),
        InputError,
        "read_ons_births: births.csv line 2 (Rutland): Live births value '9999999999999999999' is more than 10,000,000,000, more people than live on Earth",
        "Live births",
        "counts <= 1e+10",
    ),
    Case(
        "nomis-huge-count",
        "a Nomis count of 30 digits",
        lambda d: nomis(d, NOMIS.read_bytes().replace(b"\t213\n", b"\t" + b"9" * 30 + b"\n", 1)),
        InputError,
        "read_nomis: extract.tsv line 2: OBS_VALUE '999999999999999999999999999999' is more than 10,000,000,000, more people than live on Earth",
        "OBS_VALUE",
        "counts <= 1e+10",
    ),
    Case(
        "mye2-huge-count",
        "an MYE2 count of 5,000 digits",
        lambda d: mye2(
            d,
            mye2_text()
            .replace('Rutland,"18,468",168,', 'Rutland,"18,468",' + "9" * 5000 + ",")
            .encode(),
        ),
        InputError,
        "read_ons_mye2: females.csv line 7 (E06000017 Rutland): column 0 value '9999999999999999999999999999999999999999… (5,000 characters)' is more than 10,000,000,000, more people than live on Earth",
        "0",
        "counts <= 1e+10",
    ),
    Case(
        "births-tabs",
        "an ONS births table separated by tabs",
        lambda d: ons_births(d, BIRTHS_TABLE.read_bytes().replace(b",", b"\t")),
        InputError,
        "read_ons_births: births.csv: no header row 'Area of usual residence,Live births,…' found; is this the ONS table of live births by area of usual residence of mother?; the file looks tab-separated: save it as CSV",
        "Live births",
        "a births header row",
    ),
    Case(
        "births-binary",
        "an ONS births table of binary garbage",
        lambda d: ons_births(d, bytes(range(256)) * 4),
        InputError,
        "read_ons_births: births.csv is not a text file: it holds a NUL character (line 1); save it as CSV text (UTF-8)",
        None,
        "a text file",
    ),
    Case(
        "births-too-large",
        "a 25 MB file given as the ONS births table",
        lambda d: mhneed.read_ons_births(sparse(d, "big.csv", 25_000_000)),
        InputError,
        "read_ons_births: big.csv is 25.0 MB; this reader reads files of up to 20 MB (the tables it reads are far smaller), so it is not the right file",
        None,
        "a file of at most 20 MB",
    ),
    Case(
        "births-header-only",
        "an ONS births table cut off after its header",
        lambda d: ons_births(d, b"\r\n".join(BIRTHS_TABLE.read_bytes().splitlines()[:8])),
        InputError,
        "read_ons_births: births.csv: no areas below the header on line 7",
        None,
        "at least one area",
    ),
    Case(
        "mye2-windows-1252",
        "an MYE2 file saved in Windows-1252 (a curly apostrophe)",
        _mye2_cp1252,
        check=_has_rutlands,
        how="decoded as Windows-1252: the name keeps its apostrophe",
    ),
    Case(
        "mye2-utf16",
        "MYE2 files saved as UTF-16 with a byte-order mark",
        lambda d: mhneed.read_ons_mye2(
            [
                write(d, f"{n}.csv", p.read_bytes().decode().encode("utf-16"))
                for n, p in (("females", MYE2_FEMALES), ("males", MYE2_MALES))
            ]
        ),
        check=same_as(_women_men),
        how="decoded from UTF-16: the same frame",
    ),
    Case(
        "nomis-totals-and-percentages",
        "a Nomis extract with totals (GENDER 0) and percentages (MEASURES 20301)",
        _nomis_full_layout,
        check=_same_as_plain_nomis,
        how="totals checked against male + female, then dropped; percentages dropped: the same frame",
    ),
]


def _mye2_mixed_years(folder: Path) -> pd.DataFrame:
    """Mid-2014 women with men whose file says mid-2015."""
    men = MYE2_MALES.read_bytes().decode("utf-8").replace("mid-2014", "mid-2015")
    return mhneed.read_ons_mye2([MYE2_FEMALES, write(folder, "males_2015.csv", men.encode())])


WIDE_META: dict[str, Any] = {
    "id": "wide",
    "title": "Wide layout (made-up test values)",
    "publisher": "Tests",
    "edition": 2014,
    "geography": "England",
    "population": "adults",
}
WIDE_GRID: list[list[Any]] = [
    [None, "16-64", "65+", "All"],
    ["All adults", None, None, None],
    ["Psychotic disorder", "4,9", "0.3", "3.1"],
]


def wide(path_or_frame: Any, **kwargs: Any) -> mhneed.RateTable:
    """read_wide_rate_table on a persons-only sheet (made-up test values)."""
    return mhneed.read_wide_rate_table(
        path_or_frame,
        WIDE_META,
        blocks={"All adults": "persons"},
        period="past year",
        source="Made-up test values",
        **kwargs,
    )


def _wide_csv(folder: Path) -> mhneed.RateTable:
    text = "\r\n".join(",".join(f'"{v}"' if v else "" for v in row) for row in WIDE_GRID)
    return wide(write(folder, "wide.csv", text.encode()))


def _wide_xlsx_directory_astray(folder: Path) -> mhneed.RateTable:
    data = bytearray(xlsx_bytes(WIDE_GRID))
    # the end record's last 6 bytes: the directory's offset (4 bytes, little-endian), then
    # the comment length; 0x80 in the offset's second byte sends it 32 KB past the end
    assert data[-22:-18] == b"PK\x05\x06"
    data[-5] = 0x80
    return wide(write(folder, "wide.xlsx", bytes(data)))


def _wide_xlsx(folder: Path) -> mhneed.RateTable:
    return wide(write(folder, "wide.xlsx", xlsx_bytes(WIDE_GRID)))


def _wide_decimal_comma(table: mhneed.RateTable) -> None:
    assert [(r.age_band, r.rate) for r in table.rows] == [("16-64", 4.9 / 100), ("65+", 0.3 / 100)]


def _county_and_district() -> mhneed.Estimate:
    people = _women_men()
    both = people[people["area_code"].isin(["E10000018", "E07000129"])]
    return mhneed.estimate(both, "apms_2014", conditions=["gad"])


def _england_and_region() -> mhneed.Estimate:
    people = _women_men()
    both = people[people["area_code"].isin(["E92000001", "E12000004"])]
    return mhneed.estimate(both, "apms_2014", conditions=["gad"])


def _grouped_apart(est: mhneed.Estimate) -> None:
    cells = _county_and_district().to_frame()
    out = est.to_frame().set_index("group")
    for code, group in (("E10000018", "county"), ("E07000129", "blaby")):
        expected = cells.loc[cells["area_code"] == code, "cases"].sum()
        assert abs(out.loc[group, "cases"] - expected) < 1e-9


LEVELS_HINT = "an area of one level can hold areas of another (a county holds its districts, a country everything in it), so people would be counted twice. Keep the areas apart (their area_code or area_name in by; on the command line, in --by), choose areas of one level, or say which areas make each total (groups=; --group-by)"


def _gad_by_group(groups: dict[str, Any]) -> mhneed.Estimate:
    """Two areas' GAD estimate summarised into the given groups."""
    two = pd.concat([people(), people(area_code="E06000016")], ignore_index=True)
    return gad(two).summarise(by=["group", "condition"], groups=groups)


ALIKE_GROUPS = "look the same but differ (spaces, invisible characters or Unicode forms in the text, or a number and a text), so one group would be split in two; make them the same"


#: Found by the adversarial check of issue 15: silent wrong numbers, raw exceptions.
ROUND_TWO: list[Case] = [
    Case(
        "mye2-sexes-of-different-years",
        "MYE2 women's file for mid-2014 with a men's file for mid-2015",
        _mye2_mixed_years,
        InputError,
        "read_ons_mye2: the files hold different sexes in different years: mid-2014 has FEMALES only (UK females-Table 1.csv) but mid-2015 has MALES only (males_2015.csv); a year without one sex's file would count none of that sex: give the women's and the men's files for the same years",
        "sex",
        "the same sexes in every year",
    ),
    Case(
        "totals-county-and-district",
        "a total over Leicestershire (E10000018) and its district Blaby (E07000129)",
        lambda _: _county_and_district().summarise(by=["year", "condition"]),
        CombineError,
        "summarise(by=['year', 'condition']): this total would add areas of different geography levels (county: E10000018; district or unitary authority: E07000129); "
        + LEVELS_HINT,
        "area_code",
        "totals never cross geography levels",
    ),
    Case(
        "totals-england-and-region",
        "a total over England (E92000001) and the East Midlands (E12000004)",
        lambda _: _england_and_region().summarise(by=["condition"]),
        CombineError,
        "summarise(by=['condition']): this total would add areas of different geography levels (country: E92000001; region: E12000004); "
        + LEVELS_HINT,
        "area_code",
        "totals never cross geography levels",
    ),
    Case(
        "totals-levels-grouped",
        "the same county and district with explicit groups=",
        lambda _: _county_and_district().summarise(
            by=["group", "condition"], groups={"E10000018": "county", "E07000129": "blaby"}
        ),
        check=_grouped_apart,
        how="each group is the sum of its own areas",
    ),
    Case(
        "groups-trailing-space",
        "group names 'g1' and 'g1 '",
        lambda _: _gad_by_group({"E06000017": "g1", "E06000016": "g1 "}),
        InputError,
        "summarise: group names 'g1', 'g1 ' (for area_code E06000017, E06000016) " + ALIKE_GROUPS,
        "group",
        "group names distinct as printed",
    ),
    Case(
        "groups-number-and-text",
        "group names 1 and '1'",
        lambda _: _gad_by_group({"E06000017": 1, "E06000016": "1"}),
        InputError,
        "summarise: group names 1, '1' (for area_code E06000017, E06000016) " + ALIKE_GROUPS,
        "group",
        "group names distinct as printed",
    ),
    Case(
        "groups-blank-name",
        "a group named ''",
        lambda _: _gad_by_group({"E06000017": "", "E06000016": "g"}),
        InputError,
        "summarise: groups gives area_code E06000017 the group '', which is blank; every area needs a named group",
        "group",
        "no missing groups",
    ),
    Case(
        "groups-nan-name",
        "a group named 'nan'",
        lambda _: _gad_by_group({"E06000017": "nan", "E06000016": "g"}),
        InputError,
        "summarise: groups gives area_code E06000017 the group 'nan', which is text that means a missing value; every area needs a named group",
        "group",
        "no missing groups",
    ),
    Case(
        "groups-list-name",
        "a list as a group name",
        lambda _: _gad_by_group({"E06000017": ["g"], "E06000016": "g"}),
        InputError,
        "summarise: groups gives area_code E06000017 the group ['g'], a list, not a single value; give each area one group name",
        "group",
        "single values",
    ),
    Case(
        "summarise-by-none",
        "summarise(by=None)",
        lambda _: gad(people()).summarise(by=None),  # type: ignore[arg-type]
        InputError,
        "summarise: by=None is not a list of column names; give the key columns to keep, such as by=['area_code', 'condition']",
        "by",
        "by is a list of column names",
    ),
    Case(
        "area-names-zero-width",
        "area names 'Rutland' and 'Rutland' with a zero-width space",
        lambda _: gad(
            people(
                area_name=["Rutland", "Rutland", "Rutland\u200b", "Rutland\u200b"],
                area_code=["E06000017", "E06000017", "E06000016", "E06000016"],
            )
        ),
        InputError,
        "column area_name: values 'Rutland', 'Rutland\\u200b' (rows 0, 1, 2, 3) look the same but differ (spaces, invisible characters or Unicode forms in the text, or a number and a text), so they would be counted as separate groups; make them the same",
        "area_name",
        "key values distinct as printed",
        rows=(0, 1, 2, 3),
    ),
    Case(
        "area-names-unicode-forms",
        "area names 'Café' in two Unicode forms (composed and decomposed)",
        lambda _: gad(
            people(
                area_name=["Caf\u00e9", "Caf\u00e9", "Cafe\u0301", "Cafe\u0301"],
                area_code=["E06000017", "E06000017", "E06000016", "E06000016"],
            )
        ),
        InputError,
        "column area_name: values 'Cafe\\u0301', 'Caf\\xe9' (rows 0, 1, 2, 3) look the same but differ (spaces, invisible characters or Unicode forms in the text, or a number and a text), so they would be counted as separate groups; make them the same",
        "area_name",
        "key values distinct as printed",
        rows=(0, 1, 2, 3),
    ),
    Case(
        "area-code-two-names",
        "one area code with two names (Rutland, Rutland UA)",
        lambda _: gad(people(area_name=["Rutland", "Rutland", "Rutland UA", "Rutland UA"])),
        InputError,
        "column area_name: area_code E06000017 has 2 names, 'Rutland', 'Rutland UA' (rows 0, 1, 2, 3), so its people would be counted as separate areas; give each area code one name",
        "area_name",
        "one name per area code",
        rows=(0, 1, 2, 3),
    ),
    Case(
        "bases-design-effect-ambiguous",
        "survey bases with a column named design_effect (deft or deff?)",
        lambda _: gad(people()).with_survey_bases(
            pd.DataFrame(
                {
                    "condition": ["gad"],
                    "sex": ["female"],
                    "age_band": ["16+"],
                    "base": [4000],
                    "design_effect": [1.2],
                }
            )
        ),
        InputError,
        "with_survey_bases: bases column 'design_effect' is ambiguous: survey tables print the design factor (deft: APMS 2014's chapter 14 tables, against the weighted base), while the design effect is its square (deff = deft²); a deft taken for a deff gives intervals too narrow; name the column deft (the design factor) or deff (the design effect)",
        "design_effect",
        "deft or deff, by name",
    ),
    Case(
        "rates-wide-decimal-comma-csv",
        "a wide rate table (CSV) with a decimal comma, '4,9'",
        _wide_csv,
        RateTableError,
        "wide.csv: row 3 ('Psychotic disorder', block 'All adults'), column 16-64: the figure '4,9' holds a comma, which is ambiguous: a decimal comma (4.9) or a thousands separator (49)? Pass decimal=',' if the file writes decimals with commas, or decimal='.' if its commas separate thousands",
        "rate",
        "no comma in a figure unless decimal= is given",
    ),
    Case(
        "rates-wide-decimal-comma-xlsx",
        "a wide rate table (.xlsx) with a decimal comma, '4,9', in a text cell",
        _wide_xlsx,
        RateTableError,
        "wide.xlsx, sheet 'Sheet': row 3 ('Psychotic disorder', block 'All adults'), column 16-64: the figure '4,9' holds a comma, which is ambiguous: a decimal comma (4.9) or a thousands separator (49)? Pass decimal=',' if the file writes decimals with commas, or decimal='.' if its commas separate thousands",
        "rate",
        "no comma in a figure unless decimal= is given",
    ),
    Case(
        "rates-wide-decimal-stated",
        "a wide rate table with a decimal comma, read with decimal=','",
        lambda _: wide(pd.DataFrame(WIDE_GRID), decimal=","),
        check=_wide_decimal_comma,
        how="'4,9' is read as 4.9%",
    ),
    Case(
        "rates-wide-not-a-workbook",
        "a file of text named .xlsx given to the wide reader",
        lambda d: wide(write(d, "wide.xlsx", b"not a workbook")),
        RateTableError,
        "read_wide_rate_table: wide.xlsx is not a readable .xlsx workbook (File is not a zip file); is it an .xlsx file saved by Excel, or another kind of file renamed?",
        "path",
        "a readable workbook",
    ),
    Case(
        "rates-wide-zip-offset-past-the-end",
        "an .xlsx workbook whose zip directory says it starts past the end of the file "
        "(one byte changed; the zip reader's seek fails with an OSError, found by fuzzing)",
        _wide_xlsx_directory_astray,
        RateTableError,
        "read_wide_rate_table: wide.xlsx is not a readable .xlsx workbook ([Errno 22] Invalid argument); is it an .xlsx file saved by Excel, or another kind of file renamed?",
        "path",
        "a readable workbook",
    ),
    Case(
        "rate-decimal-comma-long",
        "a long rate table whose rate is '4,9'",
        lambda _: table(rate_rows((2, "rate", "4,9"))),
        RateTableError,
        "rate table mine, row 3 (condition gad, sex male, age_band 16+): column rate: value '4,9' is not a number; a comma is ambiguous (a decimal comma, 4.9, or a thousands separator, 49): write the figure with a decimal point and no thousands separators",
        "rate",
        "numeric",
        rows=(2,),
    ),
    Case(
        "rate-true",
        "a rate that is True",
        lambda _: table(
            rate_rows(rows=[*ROWS[:2], ["gad", "male", "16+", True, "", "", "made_up"]])
        ),
        RateTableError,
        "rate table mine, row 3 (condition gad, sex male, age_band 16+): column rate: value True is true/false, not a number",
        "rate",
        "numeric",
        rows=(2,),
    ),
    Case(
        "rate-underscore",
        "a rate written '6_8' (Python reads it as 68)",
        lambda _: table(rate_rows((0, "rate", "6_8"))),
        RateTableError,
        "rate table mine, row 1 (condition gad, sex female, age_band 16-64): column rate: value '6_8' is not a number",
        "rate",
        "numeric",
        rows=(0,),
    ),
]


def _check(ok: bool) -> None:
    """A check that holds."""
    assert ok


def _compare_unmatched() -> list[str]:
    """The warnings of compare() given an area the estimate lacks."""
    import warnings

    rec = pd.DataFrame({"area_code": ["E06000017", "E06000016"], "recorded": [100, 5]})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        mhneed.compare(_clean_gad(), rec)
    return [str(w.message) for w in seen]


def _rutland_report() -> mhneed.Report:
    """APMS 2014 for Rutland in the report layout."""
    return mhneed.report_table(mhneed.estimate(mhneed.rutland_population(), "apms_2014"))


#: Continued (issue 15, second part): unsafe writes, raw exceptions, statistics, smaller items.
ROUND_THREE: list[Case] = [
    Case(
        "write-csv-estimate",
        "write_csv given an Estimate instead of a Report",
        lambda d: mhneed.write_csv(_clean_gad(), d / "e.csv"),  # type: ignore[arg-type]
        InputError,
        "write_csv: report is an Estimate, not a Report; make one with mhneed.report_table(estimate) and write that",
        "report",
        "a Report from report_table",
    ),
    Case(
        "write-excel-estimate",
        "write_excel given an Estimate instead of a Report",
        lambda d: mhneed.write_excel(_clean_gad(), d / "e.xlsx"),  # type: ignore[arg-type]
        InputError,
        "write_excel: reports is an Estimate, not a Report; make one with mhneed.report_table(estimate) and write that",
        "reports",
        "a Report from report_table",
    ),
    Case(
        "write-csv-missing-folder",
        "write_csv to a path in a folder that does not exist",
        lambda _: mhneed.write_csv(_rutland_report(), "no_such_folder/r.csv"),
        InputError,
        "write_csv: path='no_such_folder/r.csv': the folder 'no_such_folder' does not exist; create it first",
        "path",
        "the folder exists",
    ),
    Case(
        "write-excel-csv-path",
        "write_excel to a path ending in .csv",
        lambda _: mhneed.write_excel(_rutland_report(), "report.csv"),
        InputError,
        "write_excel: path='report.csv' does not end in .xlsx; write_excel writes Excel (.xlsx) files",
        "path",
        "a .xlsx file",
    ),
    Case(
        "round-tiny-base",
        "round(to=1e-300), which gave infinity",
        lambda _: _clean_gad().round(1e-300),
        InputError,
        "round: to=1e-300 is outside 0.000001 to 1,000,000,000, the bases a count can be rounded to; round to a count such as 5, 10 or 1,000",
        "to",
        "to in 0.000001..1,000,000,000",
    ),
    Case(
        "round-huge-base",
        "round(to=10**400), which raised OverflowError",
        lambda _: _clean_gad().round(10**400),
        InputError,
        "round: to=1000000000... (401 characters) is outside 0.000001 to 1,000,000,000, the bases a count can be rounded to; round to a count such as 5, 10 or 1,000",
        "to",
        "to in 0.000001..1,000,000,000",
    ),
    Case(
        "ages-fractional",
        "ages=(16.5, 64), which was cut to 16-64",
        lambda _: gad(people(), ages=(16.5, 64)),
        InputError,
        "ages (16.5, 64): 16.5 is not a whole number of years; rates and populations are by whole years of age, so give whole years such as (16, 64)",
        "ages",
        "ages are whole years",
    ),
    Case(
        "ages-infinite-upper",
        "ages=(18, inf), which raised OverflowError",
        lambda _: gad(people(), ages=(18, float("inf"))),
        check=lambda est: _check(str(est.params["ages"]) == "18+"),
        how="read as 18 and over, the same as (18, None)",
    ),
    Case(
        "compare-dates-as-counts",
        "compare() with recorded counts that are dates",
        lambda _: mhneed.compare(
            _clean_gad(),
            pd.DataFrame({"area_code": ["E06000017"], "recorded": [pd.Timestamp("2020-01-01")]}),
        ),
        InputError,
        "compare: column recorded: holds dates, not counts; row 0: Timestamp('2020-01-01 00:00:00')",
        "recorded",
        "counts are numbers",
    ),
    Case(
        "compare-booleans-as-counts",
        "compare() with recorded counts that are True/False",
        lambda _: mhneed.compare(
            _clean_gad(), pd.DataFrame({"area_code": ["E06000017"], "recorded": [True]})
        ),
        InputError,
        "compare: column recorded: holds true/false values, not counts; row 0: True",
        "recorded",
        "counts are numbers",
    ),
    Case(
        "compare-unmatched-warns",
        "compare() with a recorded area the estimate lacks",
        lambda _: _compare_unmatched(),
        check=lambda w: _check(
            w
            == [
                "compare: 1 key did not match and is left out of the result (listed in attrs['unmatched']; unmatched='error' refuses them): area_code E06000016, condition gad (no estimate for this key)"
            ]
        ),
        how="left out, listed in attrs['unmatched'] and warned about, naming the key",
    ),
    Case(
        "key-named-rounding",
        "a key column named rounding (the tidy CSV's and to_frame's column)",
        lambda _: gad(people(rounding=["a", "a", "a", "a"])),
        InputError,
        "population frame: key column 'rounding' has the name of an output column; rename it (reserved: cases, cases_lower, cases_upper, condition, in_scope, interval, lower, rate, recorded, rounding, share_met, share_met_lower, share_met_upper, source, table, too_old, too_young, upper, wrong_sex)",
        "rounding",
        "key names not reserved",
    ),
    Case(
        "excel-control-character",
        "an area name holding a control character (BEL), written to Excel",
        lambda d: mhneed.write_excel(
            mhneed.report_table(gad(people(area_name=["Rut\x07land"] * 4))), d / "c.xlsx"
        ),
        InputError,
        "write_excel: sheet 'apms_2014', cell B7: text 'Rut\\x07land' holds a control character (U+0007) that Excel cannot store; remove it from the input (such as an area or group name)",
        "reports",
        "no control characters in text written to Excel",
    ),
    Case(
        "rates-meta-a-list",
        "read_rate_table(frame, [1, 2]): a list as the metadata",
        lambda _: mhneed.read_rate_table(rate_rows(), [1, 2]),  # type: ignore[arg-type]
        RateTableError,
        "read_rate_table: meta is a list ([1, 2]), not metadata; give a mapping (dict) of the table's metadata, a TableMeta, or the path of a JSON file",
        "meta",
        "metadata is a mapping, a TableMeta or a JSON file",
    ),
    Case(
        "rates-meta-several-problems",
        "metadata with four bad fields (unit, denominator, interval, level)",
        lambda _: table(rate_rows(), unit="bogus", denominator="dogs", interval="x", level=7),
        RateTableError,
        "rate table mine metadata: 4 problems: field denominator: Input should be 'persons', 'maternities', 'live_births' or 'deliveries' (value 'dogs'); field interval: Input should be 'confidence_interval', 'published_range' or 'none' (value 'x'); field level: Input should be less than 1 (value 7); field unit: Input should be 'proportion', 'percent' or 'per_1000' (value 'bogus')",
        "denominator",
        "Input should be 'persons', 'maternities', 'live_births' or 'deliveries'",
    ),
    Case(
        "rates-percent-holding-proportions",
        "a rate table whose unit is percent holding proportions (0.068 for 6.8%)",
        lambda _: table(
            rate_rows(
                (0, "rate", "0.068"),
                (0, "lower", "0.06"),
                (0, "upper", "0.076"),
                (1, "rate", "0.04"),
                (1, "lower", "0.03"),
                (1, "upper", "0.05"),
                (2, "rate", "0.049"),
                (2, "lower", "0.042"),
                (2, "upper", "0.056"),
            )
        ),
        RateTableError,
        "rate table mine: unit is 'percent' but every figure is at most 1 (the largest is 0.076, condition gad, sex female, age_band 16-64): these look like proportions (0.076 for 7.6%); if they are, set unit to 'proportion'; if they really are percentages below 1% (psychosis, for one, is about 0.4%), pass check_unit=False",
        "rate",
        "figures plausible for the unit",
    ),
    Case(
        "rates-proportion-holding-percentages",
        "a rate table whose unit is proportion holding percentages (0.7 for 0.7%)",
        lambda _: table(
            rate_rows(
                (0, "rate", "0.7"),
                (0, "lower", "0.6"),
                (0, "upper", "0.8"),
                (1, "rate", "0.4"),
                (1, "lower", "0.3"),
                (1, "upper", "0.5"),
                (2, "rate", "0.5"),
                (2, "lower", "0.4"),
                (2, "upper", "0.6"),
            ),
            unit="proportion",
        ),
        RateTableError,
        "rate table mine: unit is 'proportion' but the rate 0.7 (condition gad, sex female, age_band 16-64) means 70% of people: these look like percentages (0.7 for 0.7%); if they are, set unit to 'percent'; if a rate above a half is real (such as among people in prison), pass check_unit=False",
        "rate",
        "figures plausible for the unit",
    ),
]


def _named_report(name: str) -> mhneed.Report:
    """APMS 2014 GAD for Rutland under an area name of the caller's choosing."""
    pop = mhneed.rutland_population().assign(area_name=name)
    return mhneed.report_table(mhneed.estimate(pop, "apms_2014", conditions=["gad"]))


def _csv_fields(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [field for row in csv.reader(handle) for field in row]


def _fields_hold(*expected: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        fields = _csv_fields(path)
        for text in expected:
            assert text in fields, text

    return check


def _excel_texts(path: Path) -> list[Any]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [c.value for s in book.worksheets for row in s.iter_rows() for c in row]


def _excel_holds(text: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        assert text in _excel_texts(path)

    return check


def _history_renamed(path: Path) -> None:
    import openpyxl

    names = openpyxl.load_workbook(path).sheetnames
    assert names[0] == "HISTORY (2)", names


def _no_noise(path: Path) -> None:
    fields = _csv_fields(path)
    assert "1837.322" in fields  # women and men: 1837.3220000000001 in the arithmetic
    assert [f for f in fields if re.fullmatch(r"-?\d+\.\d{12,}", f)] == []


def _simulated_with_numpy(_: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    est = _clean_gad()
    a = est.simulate(by=["condition"], draws=np.int64(500), seed=np.int64(3)).to_frame()
    b = est.simulate(by=["condition"], draws=500, seed=3).to_frame()
    return a, b


def _same_frames(pair: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    pd.testing.assert_frame_equal(*pair)
    assert "cases_lower_mc_se" in pair[0].columns


#: Issue 15, the smaller items: the formula guard, float noise, Excel's History, numpy ints.
ROUND_FOUR: list[Case] = [
    Case(
        "csv-formula-leading-space",
        "an area name ' =1+1': a formula after a leading space, written to CSV",
        lambda d: mhneed.write_csv(_named_report(" =1+1"), d / "r.csv", layout="tidy"),
        check=_fields_hold("' =1+1"),
        how="written with a leading apostrophe, as a formula at the start is",
    ),
    Case(
        "csv-formula-full-width",
        "an area name starting with full-width ＝, written to CSV",
        lambda d: mhneed.write_csv(_named_report("＝1+1"), d / "r.csv"),
        check=_fields_hold("'＝1+1"),
        how="written with a leading apostrophe (compared in Unicode NFKC form)",
    ),
    Case(
        "excel-formula-full-width",
        "an area name starting with full-width ＋, written to Excel",
        lambda d: mhneed.write_excel(_named_report("＋1"), d / "r.xlsx"),
        check=_excel_holds("'＋1"),
        how="written as text with a leading apostrophe",
    ),
    Case(
        "excel-formula-full-width-minus",
        "an area name starting with a space and full-width －, written to Excel",
        lambda d: mhneed.write_excel(_named_report(" －5+1"), d / "r.xlsx"),
        check=_excel_holds("' －5+1"),
        how="written as text with a leading apostrophe",
    ),
    Case(
        "excel-sheet-history",
        "write_excel(sheet_names=['HISTORY']), a sheet name Excel reserves",
        lambda d: mhneed.write_excel(
            _named_report("Rutland"), d / "r.xlsx", sheet_names=["HISTORY"]
        ),
        check=_history_renamed,
        how="the sheet is named 'HISTORY (2)'",
    ),
    Case(
        "tidy-csv-float-noise",
        "tidy CSV figures whose arithmetic leaves binary noise (1837.3220000000001)",
        lambda d: mhneed.write_csv(_named_report("Rutland"), d / "r.csv", layout="tidy"),
        check=_no_noise,
        how="written to 15 significant digits (1837.322)",
    ),
    Case(
        "simulate-numpy-integers",
        "simulate(draws=np.int64(500), seed=np.int64(3))",
        _simulated_with_numpy,
        check=_same_frames,
        how="read as the whole numbers they are: the same limits as draws=500, seed=3",
    ),
]


CASES: list[Case] = [
    *POPULATION,
    *BIRTHS,
    *RATE_TABLES,
    *FILES,
    *ROUND_TWO,
    *ROUND_THREE,
    *ROUND_FOUR,
]
