"""Reader for Nomis extracts of population estimates (long format, one count per row).

Nomis (nomisweb.co.uk) serves ONS population estimates, such as dataset
``NM_2002_1`` (mid-year estimates by single year of age), as long tables: one
row per area, sex and age code with the count in ``OBS_VALUE``.
:func:`read_nomis` turns them into mhneed's long population frame.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from typing import TextIO

import numpy as np
import pandas as pd

from mhneed.errors import MissingColumnError
from mhneed.io._common import (
    MAX_LINE_CHARS,
    PathArg,
    counts_array,
    delimiter_name,
    fail,
    file_label,
    open_text,
    parse_count,
    shown,
    stream_rows,
    too_large,
    too_large_words,
)
from mhneed.population import MAX_COUNT

__all__ = ["NOMIS_AGE_CODES", "NOMIS_GENDER_CODES", "read_nomis"]

_NOMIS = "read_nomis"

#: Nomis ``C_AGE`` codes of single years: 101 is age 0, …, 190 is age 89, 191 is 90 and over.
NOMIS_AGE_CODES = {101 + age: age for age in range(91)}

#: Nomis ``GENDER`` codes.
NOMIS_GENDER_CODES = {"1": "male", "2": "female", "0": "persons"}

_TOP_AGE = 90
_REQUIRED = ("GEOGRAPHY_CODE", "GENDER", "C_AGE", "OBS_VALUE")
_DATE_COLUMNS = ("DATE", "DATE_NAME", "DATE_CODE", "PROJECTED_YEAR_NAME", "PROJECTED_YEAR")
_VALUE_MEASURE = "20100"  # MEASURES code of counts (20301 is percentages)
_SEX_ORDER = {"female": 0, "male": 1, "persons": 2}
_DIGITS = re.compile(r"[0-9]{1,6}")
_YEAR = re.compile(r"([0-9]{4})\b", re.ASCII)
_GENDER_LABEL = {"male": "GENDER 1 (male)", "female": "GENDER 2 (female)", "persons": "GENDER 0"}


def read_nomis(path: PathArg) -> pd.DataFrame:
    """Read a Nomis population extract (long format) as a long population frame.

    Parameters
    ----------
    path : str or path
        A Nomis extract, tab- or comma-separated, values quoted or not, with
        columns ``GEOGRAPHY_CODE``, ``GENDER`` (1 male, 2 female, 0 total),
        ``C_AGE`` (101 = age 0 … 190 = age 89, 191 = 90 and over) and
        ``OBS_VALUE``; optionally ``GEOGRAPHY_NAME``, ``DATE`` (or
        ``DATE_NAME``/``DATE_CODE``, or ``PROJECTED_YEAR_NAME`` in a projection
        such as ``NM_2006_1``; the year is its first four digits) and
        ``MEASURES``. Other columns (``GENDER_NAME``, ``C_AGE_NAME``,
        ``OBS_STATUS``, …) are ignored. Column names are matched ignoring case.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code``, ``area_name`` (with ``GEOGRAPHY_NAME``),
        ``year`` (with a date column), ``sex``, ``age`` and ``population``,
        ordered by year, area (in file order), sex (female, then male) and age.
        ``attrs["top_age"]`` is 90: age 90 means 90 and over.

    Raises
    ------
    MissingColumnError
        When a required column is missing (the message lists the columns
        found, and says so when the file seems to use another separator).
    InputError
        When the file is empty, has a header but no rows, a row shorter than
        the header (a truncated file), a ``C_AGE`` that is not a single-year
        code (such as 200, all ages: the message names the code), an unknown
        ``GENDER``, an ``OBS_VALUE`` that is not a number, the same area, year,
        sex and age twice, or a total (``GENDER`` 0) that differs from male +
        female.

    Notes
    -----
    **Totals.** ``GENDER`` 0 rows (both sexes) alongside male and female rows
    are only a check: each must equal male + female for the same area, year
    and age, and they are then dropped so nobody is counted twice. An extract
    of ``GENDER`` 0 alone gives rows with ``sex`` ``"persons"``, good for
    totals; :func:`mhneed.estimate` refuses them, since rates differ by sex.

    With a ``MEASURES`` column, only the counts (``20100``) are kept; the
    percentages (``20301``) are dropped.

    The reader returns the rows the extract holds: an extract of some ages
    only (say 16+) gives a population of those ages only.

    Source: Office for National Statistics via Nomis, Open Government Licence
    v3.0.

    Examples
    --------
    >>> people = mhneed.read_nomis("rutland_NM_2002_1_extract.tsv")  # doctest: +SKIP
    >>> int(people["population"].sum())  # doctest: +SKIP
    37581
    """
    label = file_label(path)
    with open_text(path, _NOMIS) as handle:
        raw = _read_rows(handle, label)
    if raw.empty:  # rows below the header, but none of them counts
        raise fail(
            f"{_NOMIS}: {label}: no rows with MEASURES {_VALUE_MEASURE} (counts)",
            column="MEASURES",
            rule=f"MEASURES {_VALUE_MEASURE} rows",
            values=[_VALUE_MEASURE],
        )
    frame = _parse(raw, label)
    frame = _drop_totals(frame, label)
    frame.attrs["top_age"] = _TOP_AGE
    frame.attrs["source"] = f"Nomis extract {label} (ONS)"
    frame.attrs["files"] = [label]
    return frame


# -- private helpers ---------------------------------------------------------------


def _read_rows(handle: TextIO, label: str) -> pd.DataFrame:
    """The wanted columns of every row, streamed: memory grows with the rows kept only.

    Each distinct text is stored once (a national extract repeats a few hundred
    area codes, 91 age codes and 2 sexes millions of times).
    """
    delimiter = _delimiter(handle)
    rows = (r for r in stream_rows(handle, delimiter, _NOMIS, label) if _filled(r[1]))
    first = next(rows, None)
    if first is None:
        raise fail(
            f"{_NOMIS}: {label}: no header row; the file holds only separators and quotes",
            rule="a header row",
            values=[label],
        )
    header_line, header = first
    columns = _columns(header, header_line, label, delimiter)
    width = len(header)
    wanted = list(columns.items())
    measures = columns.get("MEASURES")
    data: dict[str, list[str]] = {name: [] for name in columns}
    lines = array("q")
    seen: dict[str, str] = {}
    body = False
    for n, cells in rows:
        body = True
        if len(cells) < width:
            raise fail(
                f"{_NOMIS}: {label} line {n}: {len(cells)} columns, but the header has "
                f"{width}; is the file truncated?",
                column=header[len(cells)].strip(),
                rule="every row as long as the header",
                values=[n],
            )
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise fail(
                f"{_NOMIS}: {label} line {n}: {len(cells)} columns, but the header has {width}",
                rule="no values beyond the header",
                values=[n],
            )
        if measures is not None and cells[measures].strip() != _VALUE_MEASURE:
            continue  # percentages (20301): only the counts are kept
        for name, i in wanted:
            text = cells[i].strip()
            data[name].append(seen.setdefault(text, text))
        lines.append(n)
    if not body:
        raise fail(
            f"{_NOMIS}: {label}: no rows below the header on line {header_line}",
            rule="at least one row",
            values=[label],
        )
    raw = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in data.items()})
    raw["line"] = np.frombuffer(lines, dtype=np.int64)
    return raw


def _delimiter(handle: TextIO) -> str:
    """Tab when the first line with anything on it has a tab, else comma; rewinds the file."""
    first = ""
    while line := handle.readline(MAX_LINE_CHARS):
        if line.strip():
            first = line
            break
    handle.seek(0)
    return "\t" if "\t" in first else ","


def _filled(cells: list[str]) -> bool:
    return any(c.strip() for c in cells)


def _columns(header: list[str], line: int, label: str, delimiter: str) -> dict[str, int]:
    names = [c.strip().upper() for c in header]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            raise fail(
                f"{_NOMIS}: {label} line {line}: column {name} appears more than once",
                column=name,
                rule="unique column names",
                values=[name],
            )
        seen[name] = i
    for name in _REQUIRED:
        if name not in seen:
            have = ", ".join(c.strip() for c in header if c.strip()) or "none"
            hint = ""
            if len(header) == 1 and ";" in header[0]:
                hint = "; the file looks semicolon-separated: give it tab- or comma-separated"
            raise MissingColumnError(
                f"{_NOMIS}: {label}: no column {name}; a Nomis extract needs "
                f"{', '.join(_REQUIRED)} ({delimiter_name(delimiter)}-separated); it has: "
                f"{have}{hint}",
                column=name,
                rule="required columns",
                values=[name],
            )
    wanted = [*_REQUIRED, "GEOGRAPHY_NAME", "MEASURES"]
    columns = {name: seen[name] for name in wanted if name in seen}
    date = next((d for d in _DATE_COLUMNS if d in seen), None)
    if date is not None:
        columns[date] = seen[date]
    return columns


def _parse(raw: pd.DataFrame, label: str) -> pd.DataFrame:
    lines = raw["line"].to_numpy()
    out = pd.DataFrame({"area_code": raw["GEOGRAPHY_CODE"].astype(str)})
    blank = (out["area_code"] == "").to_numpy()
    if blank.any():
        raise fail(
            f"{_NOMIS}: {label} line {lines[blank][0]}: GEOGRAPHY_CODE is blank",
            column="GEOGRAPHY_CODE",
            rule="every row has an area code",
            values=[""],
        )
    if "GEOGRAPHY_NAME" in raw.columns:
        out["area_name"] = raw["GEOGRAPHY_NAME"].astype(str)
    date = next((d for d in _DATE_COLUMNS if d in raw.columns), None)
    if date is not None:
        out["year"] = _coded(raw[date], lines, _year_of, date, label, _bad_date)
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
            f"{_NOMIS}: {label}: {where} appears more than once (lines {twice})",
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
                f"{_NOMIS}: {label} line {line}: {message(str(value))}",
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
                f"{_NOMIS}: {label} line {lines[i]}: OBS_VALUE {what}",
                column="OBS_VALUE",
                rule="counts",
                values=[text],
            )
        if too_large(value):
            raise fail(
                f"{_NOMIS}: {label} line {lines[i]}: OBS_VALUE {shown(text)!r} {too_large_words()}",
                column="OBS_VALUE",
                rule=f"counts <= {MAX_COUNT:.0e}",
                values=[text],
            )
        numbers[i] = value
    return counts_array(numbers)


def _drop_totals(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    place = [c for c in ("area_code", "year") if c in frame.columns]
    sexes: dict[tuple[object, ...], set[str]] = {}
    for row in frame[[*place, "sex"]].drop_duplicates().itertuples(index=False):
        sexes.setdefault(tuple(row[:-1]), set()).add(str(row[-1]))
    every = set().union(*sexes.values())
    for key, have in sexes.items():
        if have != every:
            lacking = sorted(every - have, key=_SEX_ORDER.__getitem__)[0]
            area = key[0]
            when = f" for {key[1]}" if len(key) > 1 else ""
            raise fail(
                f"{_NOMIS}: {label}: area {area} has no {_GENDER_LABEL[lacking]} rows{when}, "
                "though other areas have them",
                column="GENDER",
                rule="the same sexes for every area",
                values=[str(area)],
            )
    if "persons" in every and every != {"persons"}:
        if every != {"persons", "female", "male"}:
            one = next(s for s in every if s != "persons")
            raise fail(
                f"{_NOMIS}: {label}: GENDER 0 (total) and {_GENDER_LABEL[one]} rows but no "
                f"{_GENDER_LABEL['female' if one == 'male' else 'male']} rows; give both "
                "sexes, or the totals alone",
                column="GENDER",
                rule="both sexes, or totals alone",
                values=[one],
            )
        frame = _check_totals(frame, place, label)
    order = pd.factorize(frame["area_code"])[0]
    frame = frame.assign(_area=order, _sex=frame["sex"].map(_SEX_ORDER))
    sort = [c for c in ("year",) if c in frame.columns] + ["_area", "_sex", "age"]
    frame = frame.sort_values(sort, kind="stable").reset_index(drop=True)
    frame["sex"] = frame["sex"].astype(str)
    return frame.drop(columns=["_area", "_sex", "line"])


def _check_totals(frame: pd.DataFrame, place: list[str], label: str) -> pd.DataFrame:
    keys = [*place, "age"]
    is_total = (frame["sex"] == "persons").to_numpy()
    parts = frame[~is_total].groupby(keys, sort=False)["population"].agg(["sum", "count"])
    totals = frame[is_total].set_index(keys)[["population", "line"]]
    joined = totals.join(parts, how="outer")
    bad = (joined["count"] != 2) | ~np.isclose(
        joined["population"].to_numpy(dtype=float),
        joined["sum"].to_numpy(dtype=float),
        rtol=0.0,
        atol=1e-6,
    )
    if bad.any():
        row = joined[bad].iloc[0]
        key = joined.index[bad.to_numpy()][0]
        parts_key = key if isinstance(key, tuple) else (key,)
        where = ", ".join(f"{k} {v}" for k, v in zip(keys, parts_key, strict=True))
        raise fail(
            f"{_NOMIS}: {label}: GENDER 0 (total) is not male + female for {where}: total "
            f"{_fmt(row['population'])}, male + female {_fmt(row['sum'])}",
            column="GENDER",
            rule="total = male + female",
            values=[parts_key[0]],
        )
    return frame[~is_total]


def _fmt(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    if np.isnan(number):
        return "missing"
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
