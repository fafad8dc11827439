"""Reader for ONS subnational population projections (SNPP) by single year of age.

ONS publishes the projections for local authorities in England as three "Z1"
CSV files (persons, males, females), one row per area, sex and age with a
column per projected year; Nomis serves the same projections as dataset
``NM_2006_1``, one count per row. :func:`read_ons_snpp` reads either into
mhneed's long population frame with a ``year`` key, ready for
:func:`mhneed.estimate` over every projected year at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mhneed._file_quirks import PathArg, as_paths, fail, file_head, file_label
from mhneed.errors import MissingColumnError
from mhneed.inputs.file_counts import counts_array
from mhneed.inputs.nomis import read_nomis
from mhneed.inputs.row_order import SEX_ORDER, in_long_order
from mhneed.inputs.snpp_z1 import SEX_WORDS, SNPP, SNPP_TOP_AGE, age_label, read_z1

__all__ = ["SNPP_TOP_AGE", "read_ons_snpp"]

#: Persons may differ from males + females by three roundings to three decimals [persons].
_PERSONS_TOLERANCE = 0.002


def read_ons_snpp(
    path_or_paths: PathArg | Sequence[PathArg], *, areas: Sequence[str] | None = None
) -> pd.DataFrame:
    """Read ONS subnational population projections as a long population frame by year.

    Parameters
    ----------
    path_or_paths : str or path, or a sequence of them
        ONS SNPP "Z1" CSV files as published (``2022 SNPP Population
        females.csv``, ``… males.csv``, ``… persons.csv``; the 2018-based files
        have the same layout), or extracts of their rows; or Nomis
        ``NM_2006_1`` extracts (``GEOGRAPHY_CODE``, ``PROJECTED_YEAR_NAME``,
        ``GENDER``, ``C_AGE``, ``OBS_VALUE``; see :func:`mhneed.read_nomis`).
        Z1 files have the header ``AREA_CODE, AREA_NAME, COMPONENT, SEX,
        AGE_GROUP`` then one column per year; ``AGE_GROUP`` is ``0`` … ``89``,
        ``90 and over`` and ``All ages``. Several files of the same sex (say,
        extracts of different areas) may be given together.
    areas : sequence of str, optional
        Area codes to keep (such as ``["E06000017"]``); every one must be in
        the files. All areas by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code``, ``area_name`` (Z1 files), ``year``, ``sex``
        (``female``, ``male``), ``age`` [years] and ``population`` [persons,
        unrounded: three decimals in Z1 files], ordered by year, area (in file
        order), sex and age. ``attrs``: ``top_age`` 90 (age 90 means 90 and
        over), ``base_year`` (the first projected year, such as 2022),
        ``source`` and ``files``.

    Raises
    ------
    MissingColumnError
        When a Z1 file lacks ``AREA_CODE``, ``SEX`` or ``AGE_GROUP``, or has no
        year columns (the message lists the columns found).
    InputError
        When a file is neither layout; a row is shorter than the header; a
        ``COMPONENT`` is not ``Population``; a ``SEX`` or ``AGE_GROUP`` is not
        one of the layout's; a figure is blank, negative, not a number or more
        than 10,000,000,000; an area, sex and age appears twice (in one file or
        two); an area lacks one of the 91 ages; an ``All ages`` row differs
        from the sum of its single years (by more than the three-decimal
        rounding); persons differ from males + females; the files hold
        different years, or areas with different sexes; a requested area is
        not in the files.

    Notes
    -----
    **Totals are checks, never counted.** ``All ages`` rows are compared with
    the sum of the single years and dropped. With males and females, persons
    rows are compared with males + females and dropped, so nobody is counted
    twice. Persons alone give rows with ``sex`` ``"persons"``, good for totals;
    :func:`mhneed.estimate` refuses them, since rates differ by sex.

    **Geographies nest, and counties may be missing.** The 2018-based files
    hold counties, regions and England beside the districts and unitary
    authorities; adding every area counts people more than once. The
    2022-based rows hold districts and unitary authorities, so a county (such
    as Leicestershire, ``E10000018``) is the sum of its districts: summarise
    with ``groups=`` (see :meth:`mhneed.Estimate.summarise`).

    **A projection is not a forecast.** It shows the population if recent
    trends in births, deaths and migration continue; an estimate built on it
    also holds the survey's prevalence rates fixed (see
    :func:`mhneed.projection_tidy`).

    Source: Office for National Statistics, *Subnational population
    projections for England* (Z1: population by single year of age and sex,
    local authorities), Open Government Licence v3.0.

    Examples
    --------
    >>> files = ["2022 SNPP Population females.csv", "2022 SNPP Population males.csv"]
    >>> people = mhneed.read_ons_snpp(files, areas=["E06000017"])  # doctest: +SKIP
    >>> people.groupby("year")["population"].sum().loc[2040].round(3)  # doctest: +SKIP
    44517.06
    """
    paths = as_paths(path_or_paths, SNPP, "an SNPP Z1 CSV file or Nomis NM_2006_1 extract")
    parts = [_read_file(p) for p in paths]
    _check_years(parts)
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    frame = _check_duplicates(frame, parts)
    frame = _check_sexes(frame)
    if areas is not None:
        frame = _select(frame, areas, parts)
    frame = _ordered(frame)
    frame["population"] = counts_array(frame["population"].to_numpy(np.float64))
    base = min(parts[0].years)
    frame.attrs["top_age"] = SNPP_TOP_AGE
    frame.attrs["base_year"] = base
    layouts = sorted({p.layout for p in parts})
    frame.attrs["source"] = (
        f"ONS subnational population projections, {base}-based ({', '.join(layouts)})"
    )
    frame.attrs["files"] = [p.label for p in parts]
    return frame


# -- private helpers ---------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    label: str
    layout: str  # "Z1" or "Nomis NM_2006_1"
    years: list[int]
    frame: pd.DataFrame  # area_code, [area_name], year, sex, age, population, line


def _read_file(path: PathArg) -> _Part:
    label = file_label(path)
    head = file_head(path).upper()  # to tell the layouts apart, before any full read
    if "GEOGRAPHY_CODE" in head:
        return _read_nomis(path, label)
    if "AREA_CODE" in head:
        years, frame = read_z1(path, label)
        return _Part(label=label, layout="Z1", years=years, frame=frame)
    raise fail(
        f"{SNPP}: {label} is neither an ONS SNPP Z1 file (header AREA_CODE, AREA_NAME, "
        "COMPONENT, SEX, AGE_GROUP, then years) nor a Nomis NM_2006_1 extract "
        "(GEOGRAPHY_CODE, PROJECTED_YEAR_NAME, GENDER, C_AGE, OBS_VALUE)",
        rule="an SNPP Z1 file or a Nomis extract",
        values=[label],
    )


def _read_nomis(path: PathArg, label: str) -> _Part:
    frame = read_nomis(path)
    if "year" not in frame.columns:
        raise MissingColumnError(
            f"{SNPP}: {label}: a Nomis extract without PROJECTED_YEAR_NAME (or DATE); a "
            "projection needs its years: select PROJECTED_YEAR in the extract",
            column="PROJECTED_YEAR_NAME",
            rule="a year column",
            values=[label],
        )
    frame = frame.assign(line=-1)
    years = sorted(int(y) for y in frame["year"].unique())
    return _Part(label=label, layout="Nomis NM_2006_1", years=years, frame=frame)


def _check_years(parts: list[_Part]) -> None:
    first = parts[0]
    for part in parts[1:]:
        if part.years != first.years:
            raise fail(
                f"{SNPP}: {first.label} holds {_span(first.years)} but {part.label} holds "
                f"{_span(part.years)}; read the files of one projection together",
                column="year",
                rule="the same years in every file",
                values=[first.label, part.label],
            )


def _span(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])


def _check_duplicates(frame: pd.DataFrame, parts: list[_Part]) -> pd.DataFrame:
    owner = np.repeat(np.arange(len(parts)), [len(p.frame) for p in parts])
    frame = frame.assign(_file=owner)
    keys = ["area_code", "sex", "age", "year"]
    dup = frame.duplicated(keys, keep=False).to_numpy()
    if dup.any():
        first = frame[dup].iloc[0]
        same = frame[dup & (frame["area_code"] == first["area_code"]).to_numpy()]
        files = [parts[i].label for i in dict.fromkeys(same["_file"])]
        raise fail(
            f"{SNPP}: {first['area_code']} {SEX_WORDS[first['sex']]} is in more than one "
            f"file ({', '.join(files)}); give each area and sex once",
            column="area_code",
            rule="each area and sex in one file",
            values=[str(first["area_code"])],
        )
    return frame.drop(columns="_file")


def _check_sexes(frame: pd.DataFrame) -> pd.DataFrame:
    """Persons rows beside males and females are a check, then dropped."""
    sexes = frame.groupby("area_code", sort=False)["sex"].unique()
    every = set().union(*(set(s) for s in sexes))
    for code, have in sexes.items():
        if set(have) != every:
            lacking = min(every - set(have), key=SEX_ORDER.__getitem__)
            raise fail(
                f"{SNPP}: {code} has no {SEX_WORDS[lacking]} rows, though other areas have "
                "them; give the same files (sexes) for every area",
                column="SEX",
                rule="the same sexes for every area",
                values=[str(code)],
            )
    if "persons" not in every or every == {"persons"}:
        return frame
    if every != {"persons", "female", "male"}:
        one = next(s for s in every if s != "persons")
        other = "male" if one == "female" else "female"
        raise fail(
            f"{SNPP}: persons and {SEX_WORDS[one]} rows but no {SEX_WORDS[other]} rows; give "
            "both sexes (persons are then only a check), or persons alone",
            column="SEX",
            rule="both sexes, or persons alone",
            values=[SEX_WORDS[other]],
        )
    keys = ["area_code", "year", "age"]
    persons = frame[frame["sex"] == "persons"].set_index(keys)["population"]
    both = frame[frame["sex"] != "persons"].groupby(keys, sort=False)["population"].sum()
    joined = pd.concat([persons.rename("persons"), both.rename("both")], axis=1)
    off = np.abs(joined["persons"].to_numpy() - joined["both"].to_numpy()) > _PERSONS_TOLERANCE
    if off.any():
        i = int(np.flatnonzero(off)[0])
        code, year, age = joined.index[i]
        row = joined.iloc[i]
        raise fail(
            f"{SNPP}: persons are not males + females for {code} {year} age {age_label(age)}: "
            f"persons {row['persons']:,.3f}, males + females {row['both']:,.3f}",
            column="SEX",
            rule="persons = males + females",
            values=[str(code)],
        )
    return frame[frame["sex"] != "persons"]


def _select(frame: pd.DataFrame, areas: Sequence[str], parts: list[_Part]) -> pd.DataFrame:
    wanted = [areas] if isinstance(areas, str) else list(areas)
    have = set(frame["area_code"])
    absent = [a for a in wanted if a not in have]
    if absent:
        files = ", ".join(p.label for p in parts)
        raise fail(
            f"{SNPP}: area {', '.join(map(str, absent[:10]))} not in {files}; the 2022-based "
            "files hold districts and unitary authorities but no counties: build a county from "
            "its districts with summarise(groups=...)",
            column="area_code",
            rule="every requested area in the files",
            values=absent,
        )
    return frame[frame["area_code"].isin(wanted).to_numpy()]


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    frame = in_long_order(frame)
    frame["area_code"] = frame["area_code"].astype(str)
    if "area_name" in frame.columns:
        frame["area_name"] = frame["area_name"].astype(str)
    return frame
