"""What the codes of a Nomis extract mean: ``GENDER``, ``C_AGE``, dates and ``OBS_VALUE``.

Used by :func:`mhneed.inputs.nomis.read_nomis`: the text of each wanted column,
as read from the extract, is decoded here into mhneed's long population frame
(``area_code``, ``area_name``, ``year``, ``sex``, ``age``, ``population``), each
column through its distinct values, so a national extract of millions of rows
decodes a few hundred texts. The first code that means nothing is an error naming
its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from mhneed._file_quirks import fail, shown
from mhneed.inputs.file_counts import (
    TOO_LARGE_RULE,
    counts_array,
    parse_count,
    too_large,
    too_large_words,
)

__all__ = ["DATE_COLUMNS", "NOMIS", "NOMIS_AGE_CODES", "NOMIS_GENDER_CODES", "decode_rows"]

#: The reader's name, which starts its messages.
NOMIS = "read_nomis"

#: Nomis ``C_AGE`` codes of single years: 101 is age 0, …, 190 is age 89, 191 is 90 and over.
NOMIS_AGE_CODES = {101 + age: age for age in range(91)}

#: Nomis ``GENDER`` codes.
NOMIS_GENDER_CODES = {"1": "male", "2": "female", "0": "persons"}

#: The columns that may hold the year, in the order they are looked for.
DATE_COLUMNS = ("DATE", "DATE_NAME", "DATE_CODE", "PROJECTED_YEAR_NAME", "PROJECTED_YEAR")

_DIGITS = re.compile(r"[0-9]{1,6}")
_YEAR = re.compile(r"([0-9]{4})\b", re.ASCII)


def decode_rows(raw: pd.DataFrame, label: str) -> pd.DataFrame:
    """The long frame of an extract's rows, from the text of its wanted columns.

    ``raw`` holds the columns as named in the extract (``GEOGRAPHY_CODE``,
    ``GENDER``, ``C_AGE``, ``OBS_VALUE``, optionally ``GEOGRAPHY_NAME`` and a date
    column) and ``line``, each row's line in the file, which the frame keeps.

    Raises
    ------
    InputError
        At the first blank ``GEOGRAPHY_CODE``, unknown code, date without a year,
        ``OBS_VALUE`` that is not a count, or area, year, sex and age given twice.
    """
    lines = raw["line"].to_numpy()
    out = pd.DataFrame({"area_code": raw["GEOGRAPHY_CODE"].astype(str)})
    blank = (out["area_code"] == "").to_numpy()
    if blank.any():
        raise fail(
            f"{NOMIS}: {label} line {lines[blank][0]}: GEOGRAPHY_CODE is blank",
            column="GEOGRAPHY_CODE",
            rule="every row has an area code",
            values=[""],
        )
    if "GEOGRAPHY_NAME" in raw.columns:
        out["area_name"] = raw["GEOGRAPHY_NAME"].astype(str)
    date = next((d for d in DATE_COLUMNS if d in raw.columns), None)
    if date is not None:
        out["year"] = _coded(raw[date], lines, _year_of, date, label, _bad_date).astype(np.int64)
    out["sex"] = _coded(raw["GENDER"], lines, NOMIS_GENDER_CODES.get, "GENDER", label, _bad_gender)
    out["age"] = _coded(raw["C_AGE"], lines, _age_of, "C_AGE", label, _bad_age).astype(np.int64)
    out["population"] = _values(raw["OBS_VALUE"], lines, label)
    out["line"] = lines
    keys = [c for c in ("area_code", "year", "sex", "age") if c in out.columns]
    dup = out.duplicated(keys, keep=False).to_numpy()
    if dup.any():
        first = out[dup].iloc[0]
        where = ", ".join(f"{k} {first[k]}" for k in keys)
        twice = ", ".join(str(n) for n in out.loc[dup, "line"].head(6))
        raise fail(
            f"{NOMIS}: {label}: {where} appears more than once (lines {twice})",
            column="C_AGE",
            rule="one row per area, year, sex and age",
            values=[str(first["area_code"])],
        )
    return out


def _coded(
    column: pd.Series,
    lines: np.ndarray,
    decode: Callable[[str], object | None],
    name: str,
    label: str,
    message: Callable[[str], str],
) -> pd.Series:
    """Decode a column through its distinct values; the first unknown one is an error."""
    codes, uniques = pd.factorize(column)
    decoded: list[object] = []
    for value in uniques:
        meaning = decode(str(value))
        if meaning is None:
            line = lines[np.flatnonzero(column.to_numpy() == value)[0]]
            raise fail(
                f"{NOMIS}: {label} line {line}: {message(str(value))}",
                column=name,
                rule=f"a known {name} code",
                values=[value],
            )
        decoded.append(meaning)
    return pd.Series(np.asarray(decoded, dtype=object)[codes], index=column.index)


def _age_of(code: str) -> int | None:
    return NOMIS_AGE_CODES.get(int(code)) if _DIGITS.fullmatch(code) else None


def _year_of(text: str) -> int | None:
    match = _YEAR.match(text)
    return int(match.group(1)) if match else None


def _bad_age(code: str) -> str:
    return (
        f"C_AGE code {code!r} is not a single year of age: the codes are 101 (age 0) to 190 "
        "(age 89) and 191 (90 and over); bands and totals (such as 200, all ages) cannot be "
        "read, so select single years of age in the extract"
    )


def _bad_gender(code: str) -> str:
    return f"GENDER code {code!r} is not 1 (male), 2 (female) or 0 (total)"


def _bad_date(text: str) -> str:
    return f"date {text!r} does not start with a year"


def _values(column: pd.Series, lines: np.ndarray, label: str) -> np.ndarray:
    numbers = np.empty(len(column))
    for i, text in enumerate(column):
        value = parse_count(text)
        if value is None or value < 0:
            what = "is blank" if not text else f"{shown(text)!r} is not a count"
            raise fail(
                f"{NOMIS}: {label} line {lines[i]}: OBS_VALUE {what}",
                column="OBS_VALUE",
                rule="counts",
                values=[text],
            )
        if too_large(value):
            raise fail(
                f"{NOMIS}: {label} line {lines[i]}: OBS_VALUE {shown(text)!r} {too_large_words()}",
                column="OBS_VALUE",
                rule=TOO_LARGE_RULE,
                values=[text],
            )
        numbers[i] = value
    return counts_array(numbers)
