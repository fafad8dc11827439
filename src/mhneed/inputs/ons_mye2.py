"""Readers for ONS files as published: MYE2 population estimates and births by area.

:func:`read_ons_mye2` turns the MYE2 spreadsheet export (one CSV per sex, with
title lines, thousands separators and blank rows) into mhneed's long population
frame; :func:`read_ons_births` turns the births-by-area table (names only, with
headings, spacer rows and footnotes) into area names and births, and can match
the names to area codes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.errors import InputError, MissingColumnError
from mhneed.io._common import (
    PathArg,
    counts_array,
    csv_rows,
    delimiter_name,
    fail,
    file_label,
    parse_count,
    read_text,
    shown,
    too_large,
    too_large_words,
)
from mhneed.population import MAX_COUNT

__all__ = ["BIRTHS_AREA_TYPES", "read_ons_births", "read_ons_mye2"]

FloatArray = npt.NDArray[np.float64]

_MYE2 = "read_ons_mye2"
_BIRTHS = "read_ons_births"

#: The sex a MYE2 file holds, from the line above its header.
_SEX_LINES = {
    "FEMALES": "female",
    "FEMALE": "female",
    "MALES": "male",
    "MALE": "male",
    "ALL PERSONS": "persons",
    "PERSONS": "persons",
}
_SEX_WORDS = {"female": "FEMALES", "male": "MALES", "persons": "ALL PERSONS"}

#: The kinds of row in the ONS births table, in the ``area_type`` column.
BIRTHS_AREA_TYPES = (
    "total",
    "country",
    "region",
    "unitary authority",
    "county",
    "district",
    "metropolitan county",
    "metropolitan district",
    "inner or outer London",
    "London borough",
    "local health board",
    "outside England and Wales",
    "unknown",
)


def read_ons_mye2(path_or_paths: PathArg | Sequence[PathArg]) -> pd.DataFrame:
    """Read ONS MYE2 population estimates (single year of age) as a long population frame.

    Parameters
    ----------
    path_or_paths : str or path, or a sequence of them
        CSV exports of the MYE2 spreadsheet, one file per sex (and year), as
        ONS publishes them: title lines (the second says ``FEMALES``,
        ``MALES`` or ``ALL PERSONS``; the first names the year, such as
        ``mid-2014``), then the header ``CODE,NAME,ALL AGES,0,1,…,90``, then one
        row per area with counts in quotes with thousands separators, then
        blank rows. The last age column means that age and over (90+).

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code, area_name, year, sex, age, population``
        (``year`` only when the title lines name it), one row per area, sex and
        single year of age, ordered by year, area (in file order), sex, age.
        ``attrs["top_age"]`` is the last age column (90), so
        :func:`mhneed.estimate` treats age 90 as 90 and over; ``attrs["source"]``
        is the files' title and ``attrs["files"]`` their names.

    Raises
    ------
    InputError
        When a file is not an MYE2 export (no ``CODE,NAME,ALL AGES`` header,
        for example because it is tab-separated), is empty or has a header but
        no areas, has a row shorter than its header (a truncated file), a
        value that is not a count, an area twice, or a row whose ``ALL AGES``
        differs from the sum of its single years (the message names the area
        and both numbers); or when the files do not fit together (two files
        for the same sex and year, a women's file without the men's file
        alongside a persons file, areas in one sex's file but not the other's).

    Notes
    -----
    **Persons.** With a women's and a men's file, a persons file given as well
    is used only as a check (persons = women + men for every area and age,
    else an error) and its rows are not returned, so nothing is counted twice.
    A persons file on its own gives rows with ``sex`` ``"persons"``: good for
    totals, but :func:`mhneed.estimate` refuses them, since the rates differ
    by sex; read the women's and men's files for an estimate.

    **Geographies nest.** A UK file holds the UK, countries, regions,
    counties, metropolitan counties and districts, so adding up every area
    counts people several times. Select the areas you need, by code (such as
    ``E06``/``E07``/``E08``/``E09``, ``W06``, ``S12``, ``N09`` for local
    authorities; ``E10`` counties; ``E12`` regions).

    Source: Office for National Statistics, *MYE2: Population Estimates by
    single year of age and sex for local authorities in the UK*, Open
    Government Licence v3.0.

    Examples
    --------
    >>> import mhneed
    >>> files = ["UK females-Table 1.csv", "UK males-Table 1.csv"]
    >>> people = mhneed.read_ons_mye2(files)  # doctest: +SKIP
    >>> rutland = people[people["area_code"] == "E06000017"]  # doctest: +SKIP
    >>> rutland.groupby("sex")["population"].sum().to_dict()  # doctest: +SKIP
    {'female': 18468, 'male': 19554}
    """
    paths = _as_paths(path_or_paths)
    files = [_parse_mye2(p) for p in paths]
    _check_files_fit(files)
    years: dict[int | None, list[_Mye2File]] = {}
    for f in files:
        years.setdefault(f.year, []).append(f)
    _check_same_sexes(years)
    parts = [_year_frame(year_files) for _, year_files in sorted(years.items(), key=_year_key)]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if files[0].year is None:
        frame = frame.drop(columns="year")
    frame.attrs["top_age"] = files[0].top_age
    frame.attrs["source"] = "; ".join(dict.fromkeys(f"{f.title} (ONS)" for f in files))
    frame.attrs["files"] = [f.label for f in files]
    return frame


def read_ons_births(
    path: PathArg,
    population: pd.DataFrame | None = None,
    *,
    unmatched: Literal["report", "error"] = "report",
) -> pd.DataFrame:
    """Read the ONS table of live births by area of usual residence of mother.

    Parameters
    ----------
    path : str or path
        CSV export of the table ("Live births by area of usual residence of
        mother, …, 2014"): title lines, the header ``Area of usual
        residence,Live births,…``, then names only (no codes) with ``UA``
        suffixes and trailing spaces, region headings in capitals, blank
        spacer rows, a section of Welsh local health boards, ``:`` for not
        applicable, and footnotes.
    population : pandas.DataFrame, optional
        A frame with ``area_code`` and ``area_name`` columns (such as from
        :func:`read_ons_mye2`), used to give each births row its area code by
        name. Names are compared ignoring case, punctuation, spacing and the
        ``UA`` suffix.
    unmatched : {"report", "error"}, default "report"
        What to do with names that match no area (or more than one) in
        ``population``: ``"report"`` leaves their ``area_code`` missing and
        lists them in ``attrs["unmatched"]``; ``"error"`` raises an error
        listing them.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code`` (only with ``population``), ``area_name`` (the
        name cleaned: spaces trimmed, ``UA`` removed, typographic commas and
        apostrophes made plain), ``area_type`` (see :data:`BIRTHS_AREA_TYPES`),
        ``year`` (when the title names it) and ``births`` [live births; missing
        where the table has ``:``], one row per area in table order.

    Raises
    ------
    InputError
        When the file has no ``Area of usual residence … Live births`` header
        (not this table, or not comma-separated), no areas below it, a births
        value that is neither a count nor ``:``, or a count with no name; with
        ``unmatched="error"``, when any name matches no area.
    MissingColumnError
        When ``population`` lacks ``area_code`` or ``area_name``.

    Notes
    -----
    **Don't add every row.** The table nests: the total (England, Wales and
    elsewhere), countries, English regions, counties and metropolitan
    counties with their districts, Inner and Outer London with their
    boroughs, and again Wales by local health board. ``area_type`` says which
    each row is, read from the table's layout: capitals are the total, a
    country or a region; a ``UA`` suffix (and every area listed under Wales)
    is a unitary authority; the first row of a block after a spacer is a
    county (a metropolitan county if it says "(Met County)", Inner or Outer
    London) and the rows under it its districts (or boroughs). Local
    authorities (unitary authority, district, metropolitan district, London
    borough) cover England and Wales once. The second Wales row, at the head
    of the health boards, repeats the first and is left out.

    The 2014 table combines Cornwall with the Isles of Scilly (one row,
    "Cornwall and Isles of Scilly", which matches no single area code).

    Source: Office for National Statistics, *Births in England and Wales by
    area of usual residence of mother*, Open Government Licence v3.0.

    Examples
    --------
    >>> people = mhneed.read_ons_mye2(files)  # doctest: +SKIP
    >>> births = mhneed.read_ons_births("Table 3-Table 1.csv", people)  # doctest: +SKIP
    >>> births.loc[births["area_code"] == "E06000017", "births"].tolist()  # doctest: +SKIP
    [341]
    >>> births.attrs["unmatched"][:2]  # doctest: +SKIP
    ['ENGLAND, WALES AND ELSEWHERE', 'Inner London']
    """
    label = file_label(path)
    text = read_text(path, _BIRTHS)
    rows = csv_rows(text, ",", _BIRTHS, label)
    head = _births_header(rows, text, label)
    line, cells = rows[head]
    births_col = next(i for i, c in enumerate(cells) if c.strip().lower().startswith("live births"))
    year = _births_year(rows[:head])
    records = _births_records(rows[head + 1 :], births_col, label)
    if not records:
        raise fail(
            f"{_BIRTHS}: {label}: no areas below the header on line {line}",
            rule="at least one area",
            values=[label],
        )
    frame = pd.DataFrame(
        {
            "area_name": pd.Series([r[0] for r in records], dtype=object).astype(str),
            "area_type": [r[1] for r in records],
            "births": counts_array(np.array([np.nan if r[2] is None else r[2] for r in records])),
        }
    )
    if year is not None:
        frame.insert(2, "year", np.full(len(frame), year, dtype=np.int64))
    frame.attrs["source"] = f"{_births_title(rows[:head])} (ONS)"
    frame.attrs["files"] = [label]
    if population is not None:
        _match_names(frame, population, unmatched)
    return frame


# -- private helpers: MYE2 ---------------------------------------------------------


@dataclass(frozen=True)
class _Mye2File:
    label: str
    title: str
    sex: str  # female, male or persons
    year: int | None
    top_age: int
    codes: list[str]
    names: list[str]
    lines: list[int]
    counts: FloatArray  # areas × ages


def _as_paths(path_or_paths: PathArg | Sequence[PathArg]) -> list[PathArg]:
    if isinstance(path_or_paths, (str, os.PathLike)):
        return [path_or_paths]
    paths = list(path_or_paths)
    if not paths:
        raise fail(
            f"{_MYE2}: no files given; give the path of an MYE2 CSV export, or a list of them",
            rule="at least one file",
        )
    return paths


def _parse_mye2(path: PathArg) -> _Mye2File:
    label = file_label(path)
    rows = csv_rows(read_text(path, _MYE2), ",", _MYE2, label)
    head = _mye2_header(rows, label)
    line, header = rows[head]
    header = _trim(header)
    ages = _header_ages(header, line, label)
    preamble = [cells for _, cells in rows[:head]]
    sex = _preamble_sex(preamble, label)
    title = next((c[0].strip() for c in preamble if c and c[0].strip()), "MYE2")
    match = re.search(r"mid-?\s*(\d{4})", " ".join(",".join(c) for c in preamble), re.I)
    year = int(match.group(1)) if match else None
    width = 3 + len(ages)
    codes: list[str] = []
    names: list[str] = []
    lines: list[int] = []
    counts: list[list[float]] = []
    seen: dict[str, int] = {}
    for n, raw in rows[head + 1 :]:
        cells = _trim(raw)
        if not cells:
            continue  # blank row (the export ends with many)
        code, name = cells[0].strip(), (cells[1].strip() if len(cells) > 1 else "")
        if len(cells) == 1 and not _looks_like_code(code):
            continue  # a note under the table
        where = f"{_MYE2}: {label} line {n}"
        if not code:
            raise fail(
                f"{where}: row has no area code (CODE is blank; NAME is {name!r})",
                column="CODE",
                rule="every row has an area code",
                values=[name],
            )
        if len(cells) < width:
            raise fail(
                f"{where} ({code} {name}): {len(cells)} columns, but the header has {width} "
                f"(CODE, NAME, ALL AGES and ages 0-{ages[-1]}); is the file truncated?",
                column=header[len(cells)] if len(cells) < len(header) else None,
                rule="every row as long as the header",
                values=[code],
            )
        if len(cells) > width:
            raise fail(
                f"{where} ({code} {name}): values beyond the header's last column {header[-1]!r}",
                rule="no values beyond the header",
                values=[code],
            )
        if code in seen:
            raise fail(
                f"{where}: area {code} {name} appears twice (lines {seen[code]} and {n})",
                column="CODE",
                rule="each area once",
                values=[code],
            )
        seen[code] = n
        values = [_mye2_count(cells[i], header[i], where, code, name) for i in range(2, width)]
        codes.append(code)
        names.append(name)
        lines.append(n)
        counts.append(values)
    if not codes:
        raise fail(
            f"{_MYE2}: {label}: no areas below the header on line {line}",
            rule="at least one area",
            values=[label],
        )
    matrix = np.array(counts, dtype=np.float64)
    _check_all_ages(matrix, codes, names, lines, label, ages[-1])
    return _Mye2File(
        label=label,
        title=title,
        sex=sex,
        year=year,
        top_age=ages[-1],
        codes=codes,
        names=names,
        lines=lines,
        counts=matrix[:, 1:],
    )


def _mye2_header(rows: list[tuple[int, list[str]]], label: str) -> int:
    for i, (_, cells) in enumerate(rows):
        if len(cells) >= 2 and [c.strip().upper() for c in cells[:2]] == ["CODE", "NAME"]:
            return i
    hint = ""
    for _, cells in rows[:50]:
        joined = ",".join(cells).upper()
        for delim in ("\t", ";"):
            if joined.startswith(f"CODE{delim}"):
                hint = f"; the file looks {delimiter_name(delim)}-separated: save it as CSV"
    raise fail(
        f"{_MYE2}: {label}: no header row 'CODE,NAME,ALL AGES,0,1,…' found; an ONS MYE2 CSV "
        f"export has title lines, then that header, then one row per area{hint}",
        column="CODE",
        rule="an MYE2 header row",
        values=[label],
    )


def _header_ages(header: list[str], line: int, label: str) -> list[int]:
    where = f"{_MYE2}: {label} line {line}"
    third = header[2].strip() if len(header) > 2 else ""
    if third.upper() != "ALL AGES":
        raise fail(
            f"{where}: the third column of the header is {third!r}, not 'ALL AGES'",
            column="ALL AGES",
            rule="header CODE,NAME,ALL AGES,0,1,…",
            values=[third],
        )
    if len(header) < 4:
        raise fail(
            f"{where}: the header has no single-year age columns after ALL AGES",
            column="ALL AGES",
            rule="header CODE,NAME,ALL AGES,0,1,…",
            values=[label],
        )
    ages: list[int] = []
    for expected, cell in enumerate(header[3:]):
        text = cell.strip().rstrip("+").strip()
        if text != str(expected):
            raise fail(
                f"{where}: age column {cell.strip()!r} should be {expected}; the header must "
                "list single years 0, 1, 2, … in order (the last meaning that age and over)",
                column=cell.strip(),
                rule="single years of age in order",
                values=[cell.strip()],
            )
        ages.append(expected)
    return ages


def _preamble_sex(preamble: list[list[str]], label: str) -> str:
    for cells in preamble:
        for cell in cells:
            sex = _SEX_LINES.get(" ".join(cell.split()).upper())
            if sex is not None:
                return sex
    raise fail(
        f"{_MYE2}: {label}: cannot tell the sex of the figures; one of the lines above the "
        "header must say FEMALES, MALES or ALL PERSONS",
        column="sex",
        rule="a FEMALES, MALES or ALL PERSONS line",
        values=[label],
    )


def _mye2_count(cell: str, column: str, where: str, code: str, name: str) -> float:
    value = parse_count(cell)
    if value is None or value < 0:
        what = "is blank" if not cell.strip() else f"value {shown(cell)!r} is not a count"
        raise fail(
            f"{where} ({code} {name}): column {column.strip()} {what}",
            column=column.strip(),
            rule="counts",
            values=[cell],
        )
    if too_large(value):
        raise fail(
            f"{where} ({code} {name}): column {column.strip()} value {shown(cell)!r} "
            f"{too_large_words()}",
            column=column.strip(),
            rule=f"counts <= {MAX_COUNT:.0e}",
            values=[cell],
        )
    return value


def _check_all_ages(
    matrix: FloatArray,
    codes: list[str],
    names: list[str],
    lines: list[int],
    label: str,
    top_age: int,
) -> None:
    total = matrix[:, 0]
    summed = matrix[:, 1:].sum(axis=1)
    bad = np.flatnonzero(~np.isclose(total, summed, rtol=0.0, atol=1e-6))
    if len(bad) == 0:
        return
    i = int(bad[0])
    more = ""
    if len(bad) > 1:
        others = ", ".join(codes[j] for j in bad[1:6])
        extra = " …" if len(bad) > 6 else ""
        more = f"; {len(bad) - 1} more rows differ: {others}{extra}"
    raise fail(
        f"{_MYE2}: {label}: ALL AGES is not the sum of ages 0-{top_age} for {codes[i]} "
        f"{names[i]} (line {lines[i]}): ALL AGES {_fmt(total[i])}, sum of single years "
        f"{_fmt(summed[i])}{more}",
        column="ALL AGES",
        rule="ALL AGES = sum of single years",
        values=[codes[j] for j in bad[:10]],
    )


def _check_files_fit(files: list[_Mye2File]) -> None:
    first = files[0]
    seen: dict[tuple[int | None, str], _Mye2File] = {}
    for f in files:
        if (f.year is None) != (first.year is None):
            named, unnamed = (f, first) if f.year is not None else (first, f)
            raise fail(
                f"{_MYE2}: {named.label} is for mid-{named.year} but {unnamed.label} names no "
                "year; read files without a year on their own",
                column="year",
                rule="every file names its year, or none does",
                values=[unnamed.label],
            )
        if f.top_age != first.top_age:
            raise fail(
                f"{_MYE2}: {first.label} ends at age {first.top_age}+ but {f.label} at "
                f"{f.top_age}+; read files with the same oldest age together",
                column="age",
                rule="the same top age",
                values=[first.top_age, f.top_age],
            )
        key = (f.year, f.sex)
        if key in seen:
            when = "" if f.year is None else f" for mid-{f.year}"
            raise fail(
                f"{_MYE2}: {seen[key].label} and {f.label} both hold {_SEX_WORDS[f.sex]} "
                f"figures{when}; give one file per sex and year",
                column="sex",
                rule="one file per sex and year",
                values=[seen[key].label, f.label],
            )
        seen[key] = f


def _check_same_sexes(years: dict[int | None, list[_Mye2File]]) -> None:
    """Every year holds the same sexes, so no year silently counts nobody of one sex."""
    held = {year: _sexes_held(files) for year, files in years.items()}
    ordered = sorted(years.items(), key=_year_key)
    first_year, first_files = ordered[0]
    for year, files in ordered[1:]:
        if held[year] == held[first_year]:
            continue
        raise fail(
            f"{_MYE2}: the files hold different sexes in different years: mid-{first_year} has "
            f"{_held_words(first_files)} but mid-{year} has {_held_words(files)}; a year "
            "without one sex's file would count none of that sex: give the women's and the "
            "men's files for the same years",
            column="sex",
            rule="the same sexes in every year",
            values=[f.label for f in (*first_files, *files)],
        )


def _sexes_held(files: list[_Mye2File]) -> frozenset[str]:
    sexes = {f.sex for f in files}
    if {"female", "male"} <= sexes:
        return frozenset({"female", "male"})  # a persons file beside them is only a check
    return frozenset(sexes)


def _held_words(files: list[_Mye2File]) -> str:
    sexes = [s for s in ("female", "male", "persons") if s in {f.sex for f in files}]
    words = " and ".join(_SEX_WORDS[s] for s in sexes)
    only = " only" if len(sexes) == 1 and sexes != ["persons"] else ""
    return f"{words}{only} ({', '.join(f.label for f in files)})"


def _year_key(item: tuple[int | None, list[_Mye2File]]) -> int:
    return -1 if item[0] is None else item[0]


def _year_frame(files: list[_Mye2File]) -> pd.DataFrame:
    by_sex = {f.sex: f for f in files}
    year = files[0].year
    when = "" if year is None else f" for mid-{year}"
    if "persons" in by_sex and len(by_sex) == 2:
        other = next(s for s in by_sex if s != "persons")
        missing = "MALES" if other == "female" else "FEMALES"
        raise fail(
            f"{_MYE2}: {by_sex['persons'].label} (ALL PERSONS) and {by_sex[other].label} "
            f"({_SEX_WORDS[other]}) but no {missing} file{when}; give both sexes (the persons "
            "file is then only a check), or the persons file alone",
            column="sex",
            rule="both sexes, or persons alone",
            values=[missing],
        )
    if "female" in by_sex and "male" in by_sex:
        women, men = by_sex["female"], by_sex["male"]
        men_counts = _aligned(men, women)
        if "persons" in by_sex:
            _check_persons(by_sex["persons"], women, men_counts)
        stacked = np.stack([women.counts, men_counts], axis=1)  # areas × 2 × ages
        return _long_frame(women, year, ("female", "male"), stacked)
    only = files[0]
    return _long_frame(only, year, (only.sex,), only.counts[:, None, :])


def _aligned(f: _Mye2File, to: _Mye2File) -> FloatArray:
    """``f``'s counts in ``to``'s area order, after checking both have the same areas."""
    index = {c: i for i, c in enumerate(f.codes)}
    for code, name in zip(to.codes, to.names, strict=True):
        if code not in index:
            raise _area_missing(code, name, to, f)
    if len(f.codes) != len(to.codes):
        known = set(to.codes)
        i = next(i for i, c in enumerate(f.codes) if c not in known)
        raise _area_missing(f.codes[i], f.names[i], f, to)
    return f.counts[[index[c] for c in to.codes]]


def _area_missing(code: str, name: str, has: _Mye2File, lacks: _Mye2File) -> InputError:
    return fail(
        f"{_MYE2}: area {code} {name} is in {has.label} ({_SEX_WORDS[has.sex]}) but not in "
        f"{lacks.label} ({_SEX_WORDS[lacks.sex]}); the files must list the same areas",
        column="CODE",
        rule="the same areas in every file",
        values=[code],
    )


def _check_persons(persons: _Mye2File, women: _Mye2File, men_counts: FloatArray) -> None:
    counts = _aligned(persons, women)
    both = women.counts + men_counts
    bad = np.argwhere(~np.isclose(counts, both, rtol=0.0, atol=1e-6))
    if len(bad) == 0:
        return
    area, age = (int(x) for x in bad[0])
    label = f"{age}+" if age == persons.top_age else str(age)
    raise fail(
        f"{_MYE2}: {persons.label}: ALL PERSONS is not FEMALES + MALES for {women.codes[area]} "
        f"{women.names[area]} age {label}: persons {_fmt(counts[area, age])}, females "
        f"{_fmt(women.counts[area, age])} + males {_fmt(men_counts[area, age])} = "
        f"{_fmt(both[area, age])}",
        column=str(age),
        rule="persons = females + males",
        values=[women.codes[area]],
    )


def _long_frame(
    f: _Mye2File, year: int | None, sexes: tuple[str, ...], counts: FloatArray
) -> pd.DataFrame:
    n_areas, n_sexes, n_ages = counts.shape
    per_area = n_sexes * n_ages
    values = counts.reshape(-1)
    population = counts_array(values)
    return pd.DataFrame(
        {
            "area_code": pd.Series(np.repeat(np.array(f.codes, dtype=object), per_area)).astype(
                str
            ),
            "area_name": pd.Series(np.repeat(np.array(f.names, dtype=object), per_area)).astype(
                str
            ),
            "year": np.full(len(values), -1 if year is None else year, dtype=np.int64),
            "sex": pd.Series(np.tile(np.repeat(np.array(sexes, dtype=object), n_ages), n_areas))
            .astype(str)
            .to_numpy(),
            "age": np.tile(np.arange(n_ages, dtype=np.int64), n_areas * n_sexes),
            "population": population,
        }
    )


def _looks_like_code(text: str) -> bool:
    return re.fullmatch(r"[A-Z]\d{8}", text) is not None


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


# -- private helpers: births -------------------------------------------------------

_UA = re.compile(r"\s+UA(?=\s|$)")


def _births_header(rows: list[tuple[int, list[str]]], text: str, label: str) -> int:
    for i, (_, cells) in enumerate(rows):
        first = cells[0].strip().lower() if cells else ""
        rest = [c.strip().lower() for c in cells[1:]]
        if first.startswith("area of usual residence") and any(
            c.startswith("live births") for c in rest
        ):
            return i
    hint = ""
    lowered = text.lower()
    for delim in ("\t", ";"):
        if f"area of usual residence{delim}" in lowered:
            hint = f"; the file looks {delimiter_name(delim)}-separated: save it as CSV"
    raise fail(
        f"{_BIRTHS}: {label}: no header row 'Area of usual residence,Live births,…' found; "
        f"is this the ONS table of live births by area of usual residence of mother?{hint}",
        column="Live births",
        rule="a births header row",
        values=[label],
    )


def _births_title(preamble: list[tuple[int, list[str]]]) -> str:
    for _, cells in preamble:
        if cells and "birth" in cells[0].lower():
            return " ".join(cells[0].split())
    return "Live births by area of usual residence of mother"


def _births_year(preamble: list[tuple[int, list[str]]]) -> int | None:
    for _, cells in preamble:
        if cells and "birth" in cells[0].lower():
            years = re.findall(r"\b((?:19|20)\d{2})\b", cells[0])
            if years:
                return int(years[-1])
    return None


def _clean_name(raw: str) -> str:
    name = raw.replace("\u201a", ",").replace("\u2019", "'").replace("\u00a0", " ")
    name = " ".join(name.split())
    return _UA.sub("", name).strip()


def _births_records(
    rows: list[tuple[int, list[str]]], births_col: int, label: str
) -> list[tuple[str, str, float | None]]:
    records: list[tuple[str, str, float | None]] = []
    health_boards = False
    in_wales = False
    block_start = True  # the next row opens a block (after a spacer or heading)
    members: str | None = None  # the kind of the rows under a county
    countries: set[tuple[str, float | None]] = set()
    for n, cells in rows:
        raw_name = cells[0] if cells else ""
        raw_births = cells[births_col].strip() if len(cells) > births_col else ""
        name = _clean_name(raw_name)
        if not raw_births:
            if name.lower().startswith("local health boards"):
                health_boards = True
            block_start, members = True, None
            continue  # spacer, heading without figures, or footnote
        where = f"{_BIRTHS}: {label} line {n}"
        if not name:
            raise fail(
                f"{where}: births {raw_births!r} but no area name",
                column="Area of usual residence",
                rule="every figure has an area name",
                values=[raw_births],
            )
        births: float | None = None
        if raw_births != ":":
            births = parse_count(raw_births)
            if births is None or births < 0:
                raise fail(
                    f"{where} ({name}): Live births value {shown(raw_births)!r} is not a count "
                    "or ':'",
                    column="Live births",
                    rule="a count, or ':' for not applicable",
                    values=[raw_births],
                )
            if too_large(births):
                raise fail(
                    f"{where} ({name}): Live births value {shown(raw_births)!r} "
                    f"{too_large_words()}",
                    column="Live births",
                    rule=f"counts <= {MAX_COUNT:.0e}",
                    values=[raw_births],
                )
        kind: str
        if name.lower().startswith("usual residence outside"):
            kind = "outside England and Wales"
        elif name.upper() == name and any(ch.isalpha() for ch in name):
            kind = "country" if name in ("ENGLAND", "WALES") else "region"
            if name.startswith("ENGLAND, WALES"):
                kind = "total"
            in_wales = name == "WALES"
            members = None
            if kind == "country":
                if (name, births) in countries:
                    block_start = False
                    continue  # Wales again, at the head of the health boards
                countries.add((name, births))
        elif health_boards:
            kind = "local health board"
        elif _UA.search(" ".join(raw_name.split())) or in_wales:
            kind = "unitary authority"
        elif block_start:
            if "(met county)" in name.lower():
                kind, members = "metropolitan county", "metropolitan district"
            elif name.lower() in ("inner london", "outer london"):
                kind, members = "inner or outer London", "London borough"
            else:
                kind, members = "county", "district"
        else:
            kind = members or "unknown"
        block_start = False
        records.append((name, kind, births))
    return records


def _name_key(name: object) -> str:
    text = _clean_name(str(name)).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _match_names(
    frame: pd.DataFrame, population: pd.DataFrame, unmatched: Literal["report", "error"]
) -> None:
    if unmatched not in ("report", "error"):
        raise fail(
            f"{_BIRTHS}: unmatched={unmatched!r} is not one of 'report', 'error'",
            column="unmatched",
            rule="unmatched in report, error",
            values=[unmatched],
        )
    have = ", ".join(map(str, population.columns)) or "none"
    for col in ("area_code", "area_name"):
        if col not in population.columns:
            raise MissingColumnError(
                f"{_BIRTHS}: population has no column {col!r}, needed to match births to area "
                f"codes by name; it has: {have}",
                column=col,
                rule="area_code and area_name columns",
                values=[col],
            )
    pairs = population[["area_code", "area_name"]].drop_duplicates()
    codes: dict[str, set[str]] = {}
    for code, name in pairs.itertuples(index=False):
        codes.setdefault(_name_key(name), set()).add(str(code))
    found: list[object] = []
    missing: list[str] = []
    for name in frame["area_name"]:
        matches = codes.get(_name_key(name), set())
        if len(matches) == 1:
            found.append(next(iter(matches)))
        else:
            found.append(None)
            missing.append(str(name) + (" (more than one area)" if matches else ""))
    if missing and unmatched == "error":
        shown = ", ".join(repr(m) for m in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise InputError(
            f"{_BIRTHS}: {len(missing)} area name{'s' if len(missing) > 1 else ''} in "
            f"{frame.attrs['files'][0]} not found in the population's area_name: {shown}{more}",
            column="area_name",
            rule="every births area in the population",
            values=missing,
        )
    frame.insert(0, "area_code", pd.Series(found, dtype=object, index=frame.index))
    frame.attrs["unmatched"] = missing
