"""Reader for ONS MYE2 population estimates: single year of age, one CSV per sex.

:func:`read_ons_mye2` turns the MYE2 spreadsheet exports (one CSV per sex, with
title lines, thousands separators and blank rows) into mhneed's long population
frame. Each file is parsed in :mod:`mhneed.inputs.ons_mye2_file`; here the files
are fitted together: one per sex and year, the same areas in each, the same sexes
in every year, and a persons file given beside both sexes only as a check.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mhneed._file_quirks import PathArg, as_paths, fail
from mhneed.errors import InputError
from mhneed.inputs.file_counts import count_text, counts_array
from mhneed.inputs.ons_mye2_file import MYE2, SEX_WORDS, FloatArray, Mye2File, read_mye2_file

__all__ = ["read_ons_mye2"]


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
    paths = as_paths(path_or_paths, MYE2, "an MYE2 CSV export")
    files = [read_mye2_file(p) for p in paths]
    _check_files_fit(files)
    years: dict[int | None, list[Mye2File]] = {}
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


# -- private helpers ---------------------------------------------------------------


def _check_files_fit(files: list[Mye2File]) -> None:
    first = files[0]
    seen: dict[tuple[int | None, str], Mye2File] = {}
    for f in files:
        if (f.year is None) != (first.year is None):
            named, unnamed = (f, first) if f.year is not None else (first, f)
            raise fail(
                f"{MYE2}: {named.label} is for mid-{named.year} but {unnamed.label} names no "
                "year; read files without a year on their own",
                column="year",
                rule="every file names its year, or none does",
                values=[unnamed.label],
            )
        if f.top_age != first.top_age:
            raise fail(
                f"{MYE2}: {first.label} ends at age {first.top_age}+ but {f.label} at "
                f"{f.top_age}+; read files with the same oldest age together",
                column="age",
                rule="the same top age",
                values=[first.top_age, f.top_age],
            )
        key = (f.year, f.sex)
        if key in seen:
            when = "" if f.year is None else f" for mid-{f.year}"
            raise fail(
                f"{MYE2}: {seen[key].label} and {f.label} both hold {SEX_WORDS[f.sex]} "
                f"figures{when}; give one file per sex and year",
                column="sex",
                rule="one file per sex and year",
                values=[seen[key].label, f.label],
            )
        seen[key] = f


def _check_same_sexes(years: dict[int | None, list[Mye2File]]) -> None:
    """Every year holds the same sexes, so no year silently counts nobody of one sex."""
    held = {year: _sexes_held(files) for year, files in years.items()}
    ordered = sorted(years.items(), key=_year_key)
    first_year, first_files = ordered[0]
    for year, files in ordered[1:]:
        if held[year] == held[first_year]:
            continue
        raise fail(
            f"{MYE2}: the files hold different sexes in different years: mid-{first_year} has "
            f"{_held_words(first_files)} but mid-{year} has {_held_words(files)}; a year "
            "without one sex's file would count none of that sex: give the women's and the "
            "men's files for the same years",
            column="sex",
            rule="the same sexes in every year",
            values=[f.label for f in (*first_files, *files)],
        )


def _sexes_held(files: list[Mye2File]) -> frozenset[str]:
    sexes = {f.sex for f in files}
    if {"female", "male"} <= sexes:
        return frozenset({"female", "male"})  # a persons file beside them is only a check
    return frozenset(sexes)


def _held_words(files: list[Mye2File]) -> str:
    sexes = [s for s in ("female", "male", "persons") if s in {f.sex for f in files}]
    words = " and ".join(SEX_WORDS[s] for s in sexes)
    only = " only" if len(sexes) == 1 and sexes != ["persons"] else ""
    return f"{words}{only} ({', '.join(f.label for f in files)})"


def _year_key(item: tuple[int | None, list[Mye2File]]) -> int:
    return -1 if item[0] is None else item[0]


def _year_frame(files: list[Mye2File]) -> pd.DataFrame:
    by_sex = {f.sex: f for f in files}
    year = files[0].year
    when = "" if year is None else f" for mid-{year}"
    if "persons" in by_sex and len(by_sex) == 2:
        other = next(s for s in by_sex if s != "persons")
        missing = "MALES" if other == "female" else "FEMALES"
        raise fail(
            f"{MYE2}: {by_sex['persons'].label} (ALL PERSONS) and {by_sex[other].label} "
            f"({SEX_WORDS[other]}) but no {missing} file{when}; give both sexes (the persons "
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


def _aligned(f: Mye2File, to: Mye2File) -> FloatArray:
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


def _area_missing(code: str, name: str, has: Mye2File, lacks: Mye2File) -> InputError:
    return fail(
        f"{MYE2}: area {code} {name} is in {has.label} ({SEX_WORDS[has.sex]}) but not in "
        f"{lacks.label} ({SEX_WORDS[lacks.sex]}); the files must list the same areas",
        column="CODE",
        rule="the same areas in every file",
        values=[code],
    )


def _check_persons(persons: Mye2File, women: Mye2File, men_counts: FloatArray) -> None:
    counts = _aligned(persons, women)
    both = women.counts + men_counts
    bad = np.argwhere(~np.isclose(counts, both, rtol=0.0, atol=1e-6))
    if len(bad) == 0:
        return
    area, age = (int(x) for x in bad[0])
    label = f"{age}+" if age == persons.top_age else str(age)
    raise fail(
        f"{MYE2}: {persons.label}: ALL PERSONS is not FEMALES + MALES for {women.codes[area]} "
        f"{women.names[area]} age {label}: persons {count_text(counts[area, age])}, females "
        f"{count_text(women.counts[area, age])} + males {count_text(men_counts[area, age])} = "
        f"{count_text(both[area, age])}",
        column=str(age),
        rule="persons = females + males",
        values=[women.codes[area]],
    )


def _long_frame(
    f: Mye2File, year: int | None, sexes: tuple[str, ...], counts: FloatArray
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
