"""The ONS SNPP "Z1" layout: one row per area, sex and age, a column per projected year.

Used by :func:`mhneed.inputs.snpp.read_ons_snpp`; a Z1 file is parsed here into long
rows with their line numbers, after checking each area and sex has every age once
and that its ``All ages`` row is the sum of its single years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._file_quirks import (
    PathArg,
    check_width,
    csv_rows,
    fail,
    is_blank,
    read_text,
    shown,
)
from mhneed.errors import MissingColumnError
from mhneed.inputs.count_column import MAX_COUNT
from mhneed.inputs.file_counts import parse_counts, too_large_words

__all__ = ["SEX_WORDS", "SNPP", "SNPP_TOP_AGE", "age_label", "read_z1"]

SNPP = "read_ons_snpp"

#: The oldest age of the Z1 files and of Nomis: ``90 and over``.
SNPP_TOP_AGE = 90

#: How messages name each sex, as the Z1 files do.
SEX_WORDS = {"female": "females", "male": "males", "persons": "persons"}

_SEXES = {
    "females": "female",
    "female": "female",
    "males": "male",
    "male": "male",
    "persons": "persons",
    "all persons": "persons",
}
_TOTAL_AGES = {"all ages", "all"}
_TOP_LABELS = {"90 and over", "90+", "90 and older"}
_REQUIRED = ("AREA_CODE", "SEX", "AGE_GROUP")
_YEAR = re.compile(r"(19|20)[0-9]{2}", re.ASCII)
#: All ages may differ from the sum of its 91 single years by their rounding to
#: three decimals (at most 92 × 0.0005) [persons].
_ALL_AGES_TOLERANCE = 0.05


def read_z1(path: PathArg, label: str) -> tuple[list[int], pd.DataFrame]:
    """A Z1 file's years, and its single-year rows as a long frame with line numbers.

    Raises
    ------
    MissingColumnError
        When the header lacks ``AREA_CODE``, ``SEX`` or ``AGE_GROUP``, or years.
    InputError
        At the first row that breaks the layout (see :func:`mhneed.read_ons_snpp`).
    """
    rows = [r for r in csv_rows(read_text(path, SNPP), ",", SNPP, label) if not is_blank(r[1])]
    header_line, header = rows[0]
    col, year_cols, years = _z1_columns(header, label)
    body = _Z1Body()
    for n, cells in rows[1:]:
        where = f"{SNPP}: {label} line {n}"
        code, sex = _z1_row(cells, header, col, n, where)
        figures = [cells[i] for i in year_cols]
        age_text = " ".join(cells[col["AGE_GROUP"]].split())
        if age_text.lower() in _TOTAL_AGES:
            if (code, sex) in body.totals:
                raise fail(
                    f"{where}: All ages for {code} {SEX_WORDS[sex]} appears twice (lines "
                    f"{body.totals[(code, sex)][0]} and {n})",
                    column="AGE_GROUP",
                    rule="one All ages row per area and sex",
                    values=[code],
                )
            body.totals[(code, sex)] = (n, figures)
            continue
        body.codes.append(code)
        body.area_names.append(cells[col["AREA_NAME"]].strip() if "AREA_NAME" in col else "")
        body.sexes.append(sex)
        body.ages.append(_age(age_text, where, code))
        body.lines.append(n)
        body.values.append(figures)
    if not body.codes:
        raise fail(
            f"{SNPP}: {label}: no rows of single years of age below the header on line "
            f"{header_line}",
            rule="at least one area",
            values=[label],
        )
    frame = _z1_frame(body, years, label)
    if "AREA_NAME" not in col:
        frame = frame.drop(columns="area_name")
    _check_all_ages(frame, body.totals, years, label)
    return years, frame


def age_label(age: int) -> str:
    """An age as the Z1 files write it: ``90 and over`` for the top age."""
    return "90 and over" if age == SNPP_TOP_AGE else str(age)


# -- private helpers ---------------------------------------------------------------


@dataclass
class _Z1Body:
    """The rows below the header, column by column: single years, and All ages apart."""

    codes: list[str] = field(default_factory=list)
    area_names: list[str] = field(default_factory=list)
    sexes: list[str] = field(default_factory=list)
    ages: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    values: list[list[str]] = field(default_factory=list)  # the year columns' text
    totals: dict[tuple[str, str], tuple[int, list[str]]] = field(default_factory=dict)


def _z1_columns(header: list[str], label: str) -> tuple[dict[str, int], list[int], list[int]]:
    """Where the named columns are, where the year columns are, and their years."""
    names = [c.strip().upper() for c in header]
    for name in _REQUIRED:
        if name not in names:
            raise _missing(name, header, label)
    year_cols = [i for i, n in enumerate(names) if _YEAR.fullmatch(n)]
    if not year_cols:
        raise _missing("year columns (such as 2022)", header, label)
    years = [int(names[i]) for i in year_cols]
    col = {n: names.index(n) for n in (*_REQUIRED, "AREA_NAME", "COMPONENT") if n in names}
    return col, year_cols, years


def _z1_row(
    cells: list[str], header: list[str], col: dict[str, int], n: int, where: str
) -> tuple[str, str]:
    """A row's area code and sex, after checking its width, code, component and sex."""
    check_width(cells, header, where, n)
    code = cells[col["AREA_CODE"]].strip()
    if not code:
        raise fail(
            f"{where}: AREA_CODE is blank",
            column="AREA_CODE",
            rule="every row has an area code",
            values=[""],
        )
    if "COMPONENT" in col:
        component = cells[col["COMPONENT"]].strip()
        if component.lower() != "population":
            raise fail(
                f"{where} ({code}): COMPONENT {shown(component)!r} is not Population; this "
                "reader reads the Z1 population files, not components of change",
                column="COMPONENT",
                rule="COMPONENT Population",
                values=[component],
            )
    sex = _SEXES.get(" ".join(cells[col["SEX"]].split()).lower())
    if sex is None:
        raise fail(
            f"{where} ({code}): SEX {shown(cells[col['SEX']])!r} is not females, males or persons",
            column="SEX",
            rule="SEX females, males or persons",
            values=[cells[col["SEX"]].strip()],
        )
    return code, sex


def _z1_frame(body: _Z1Body, years: list[int], label: str) -> pd.DataFrame:
    """The single-year rows as a long frame: one row per area, sex, age and year."""
    numbers = _numbers(body.values, years, body.lines, body.codes, label)
    n_years = len(years)
    return pd.DataFrame(
        {
            "area_code": np.repeat(np.array(body.codes, dtype=object), n_years),
            "area_name": np.repeat(np.array(body.area_names, dtype=object), n_years),
            "year": np.tile(np.array(years, dtype=np.int64), len(body.codes)),
            "sex": np.repeat(np.array(body.sexes, dtype=object), n_years),
            "age": np.repeat(np.array(body.ages, dtype=np.int64), n_years),
            "population": numbers.reshape(-1),
            "line": np.repeat(np.array(body.lines, dtype=np.int64), n_years),
        }
    )


def _missing(name: str, header: list[str], label: str) -> MissingColumnError:
    what = name if name.startswith("year") else f"column {name}"
    have = ", ".join(c.strip() for c in header if c.strip()) or "none"
    hint = ""
    if len(header) == 1 and ("\t" in header[0] or ";" in header[0]):
        hint = "; the file does not look comma-separated: save it as CSV"
    return MissingColumnError(
        f"{SNPP}: {label}: no {what}; an SNPP Z1 file has AREA_CODE, AREA_NAME, "
        f"COMPONENT, SEX, AGE_GROUP, then one column per year; it has: {shown(have, 200)}{hint}",
        column=name,
        rule="Z1 columns",
        values=[name],
    )


def _age(text: str, where: str, code: str) -> int:
    if text.lower() in _TOP_LABELS:
        return SNPP_TOP_AGE
    if text.isascii() and text.isdigit() and int(text) < SNPP_TOP_AGE:
        return int(text)
    raise fail(
        f"{where} ({code}): AGE_GROUP {shown(text)!r} is not an age of the Z1 layout: 0 … 89, "
        "'90 and over' or 'All ages'",
        column="AGE_GROUP",
        rule="AGE_GROUP 0-89, 90 and over, All ages",
        values=[text],
    )


def _numbers(
    values: list[list[str]], years: list[int], lines: list[int], codes: list[str], label: str
) -> npt.NDArray[np.float64]:
    """Every figure as a number (rows × years); the first that is not a count is an error."""
    flat = pd.Series([v for row in values for v in row], dtype=object)
    numbers = parse_counts(flat)
    good = ~np.isnan(numbers)
    big = good & (numbers > MAX_COUNT)
    bad = np.flatnonzero(~good | big)
    if len(bad):
        i = int(bad[0])
        row, year = divmod(i, len(years))
        text = str(flat.iloc[i]).strip()
        what = "is blank" if not text else f"{shown(text)!r} is not a count of people"
        if big[i]:
            what = f"{shown(text)!r} {too_large_words()}"
        raise fail(
            f"{SNPP}: {label} line {lines[row]} ({codes[row]}): the {years[year]} figure {what}",
            column=str(years[year]),
            rule="counts from 0 to 10,000,000,000",
            values=[text],
        )
    return numbers.reshape(len(values), len(years))


def _check_all_ages(
    frame: pd.DataFrame,
    totals: dict[tuple[str, str], tuple[int, list[str]]],
    years: list[int],
    label: str,
) -> None:
    """Each area and sex has ages 0-90 once each, summing to its All ages row."""
    keys = ["area_code", "sex", "age"]
    dup = frame.duplicated([*keys, "year"], keep=False).to_numpy()
    if dup.any():
        first = frame[dup].iloc[0]
        twice = sorted(set(frame.loc[dup & (frame["age"] == first["age"]).to_numpy(), "line"]))
        raise fail(
            f"{SNPP}: {label}: {first['area_code']} {SEX_WORDS[first['sex']]} age "
            f"{age_label(int(first['age']))} appears more than once (lines "
            f"{', '.join(map(str, twice[:6]))})",
            column="AGE_GROUP",
            rule="one row per area, sex and age",
            values=[str(first["area_code"])],
        )
    sums = frame.groupby(["area_code", "sex", "year"], sort=False)["population"].agg(
        ["sum", "count"]
    )
    short = sums[sums["count"] != SNPP_TOP_AGE + 1]
    if len(short):
        code, sex, _ = short.index[0]
        have = set(frame.loc[(frame["area_code"] == code) & (frame["sex"] == sex), "age"])
        lacking = next(a for a in range(SNPP_TOP_AGE + 1) if a not in have)
        raise fail(
            f"{SNPP}: {label}: {code} {SEX_WORDS[sex]} has no row for age "
            f"{age_label(lacking)}; a Z1 file has every age 0 … 89 and '90 and over'",
            column="AGE_GROUP",
            rule="every single year of age 0-90",
            values=[code],
        )
    for (code, sex), (line, figures) in totals.items():
        stated = _numbers([figures], years, [line], [code], label)[0]
        if (code, sex, years[0]) not in sums.index:
            raise fail(
                f"{SNPP}: {label} line {line}: All ages for {code} {SEX_WORDS[sex]} but no rows "
                "of single years of age for them; the reader needs ages 0 … 89 and '90 and over'",
                column="AGE_GROUP",
                rule="single years of age for every All ages row",
                values=[code],
            )
        added = sums["sum"].loc[[(code, sex, y) for y in years]].to_numpy()
        off = np.flatnonzero(np.abs(stated - added) > _ALL_AGES_TOLERANCE)
        if len(off):
            j = int(off[0])
            raise fail(
                f"{SNPP}: {label} line {line}: All ages for {code} {SEX_WORDS[sex]} in "
                f"{years[j]} is {stated[j]:,.3f}, but its single years of age sum to "
                f"{added[j]:,.3f}",
                column=str(years[j]),
                rule="All ages = the sum of the single years",
                values=[code],
            )
