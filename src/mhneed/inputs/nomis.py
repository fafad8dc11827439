"""Reader for Nomis extracts of population estimates (long format, one count per row).

Nomis (nomisweb.co.uk) serves ONS population estimates, such as dataset
``NM_2002_1`` (mid-year estimates by single year of age), as long tables: one
row per area, sex and age code with the count in ``OBS_VALUE``.
:func:`read_nomis` turns them into mhneed's long population frame; the codes
(``GENDER``, ``C_AGE``, dates, ``OBS_VALUE``) are decoded in
:mod:`mhneed.inputs.nomis_codes`.
"""

from __future__ import annotations

from array import array
from typing import TextIO

import numpy as np
import pandas as pd

from mhneed._file_quirks import (
    MAX_LINE_CHARS,
    PathArg,
    check_width,
    delimiter_name,
    fail,
    file_label,
    is_blank,
    open_text,
    stream_rows,
)
from mhneed.errors import MissingColumnError
from mhneed.inputs.file_counts import count_text
from mhneed.inputs.nomis_codes import (
    DATE_COLUMNS,
    NOMIS,
    NOMIS_AGE_CODES,
    NOMIS_GENDER_CODES,
    decode_rows,
)
from mhneed.inputs.row_order import SEX_ORDER, in_long_order

__all__ = ["NOMIS_AGE_CODES", "NOMIS_GENDER_CODES", "read_nomis"]

_TOP_AGE = 90
_REQUIRED = ("GEOGRAPHY_CODE", "GENDER", "C_AGE", "OBS_VALUE")
_VALUE_MEASURE = "20100"  # MEASURES code of counts (20301 is percentages)
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
    with open_text(path, NOMIS) as handle:
        raw = _read_rows(handle, label)
    if raw.empty:  # rows below the header, but none of them counts
        raise fail(
            f"{NOMIS}: {label}: no rows with MEASURES {_VALUE_MEASURE} (counts)",
            column="MEASURES",
            rule=f"MEASURES {_VALUE_MEASURE} rows",
            values=[_VALUE_MEASURE],
        )
    frame = decode_rows(raw, label)
    frame = in_long_order(_drop_totals(frame, label))
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
    rows = (r for r in stream_rows(handle, delimiter, NOMIS, label) if not is_blank(r[1]))
    first = next(rows, None)
    if first is None:
        raise fail(
            f"{NOMIS}: {label}: no header row; the file holds only separators and quotes",
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
        if len(cells) != width:  # the message is built only for a row that is wrong
            check_width(cells, header, f"{NOMIS}: {label} line {n}", n)
        if measures is not None and cells[measures].strip() != _VALUE_MEASURE:
            continue  # percentages (20301): only the counts are kept
        for name, i in wanted:
            text = cells[i].strip()
            data[name].append(seen.setdefault(text, text))
        lines.append(n)
    if not body:
        raise fail(
            f"{NOMIS}: {label}: no rows below the header on line {header_line}",
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


def _columns(header: list[str], line: int, label: str, delimiter: str) -> dict[str, int]:
    names = [c.strip().upper() for c in header]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name and name in seen:
            raise fail(
                f"{NOMIS}: {label} line {line}: column {name} appears more than once",
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
                f"{NOMIS}: {label}: no column {name}; a Nomis extract needs "
                f"{', '.join(_REQUIRED)} ({delimiter_name(delimiter)}-separated); it has: "
                f"{have}{hint}",
                column=name,
                rule="required columns",
                values=[name],
            )
    wanted = [*_REQUIRED, "GEOGRAPHY_NAME", "MEASURES"]
    columns = {name: seen[name] for name in wanted if name in seen}
    date = next((d for d in DATE_COLUMNS if d in seen), None)
    if date is not None:
        columns[date] = seen[date]
    return columns


def _drop_totals(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    place = [c for c in ("area_code", "year") if c in frame.columns]
    sexes: dict[tuple[object, ...], set[str]] = {}
    for row in frame[[*place, "sex"]].drop_duplicates().itertuples(index=False):
        sexes.setdefault(tuple(row[:-1]), set()).add(str(row[-1]))
    every = set().union(*sexes.values())
    for key, have in sexes.items():
        if have != every:
            lacking = sorted(every - have, key=SEX_ORDER.__getitem__)[0]
            area = key[0]
            when = f" for {key[1]}" if len(key) > 1 else ""
            raise fail(
                f"{NOMIS}: {label}: area {area} has no {_GENDER_LABEL[lacking]} rows{when}, "
                "though other areas have them",
                column="GENDER",
                rule="the same sexes for every area",
                values=[str(area)],
            )
    if "persons" in every and every != {"persons"}:
        if every != {"persons", "female", "male"}:
            one = next(s for s in every if s != "persons")
            raise fail(
                f"{NOMIS}: {label}: GENDER 0 (total) and {_GENDER_LABEL[one]} rows but no "
                f"{_GENDER_LABEL['female' if one == 'male' else 'male']} rows; give both "
                "sexes, or the totals alone",
                column="GENDER",
                rule="both sexes, or totals alone",
                values=[one],
            )
        frame = _check_totals(frame, place, label)
    return frame


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
            f"{NOMIS}: {label}: GENDER 0 (total) is not male + female for {where}: total "
            f"{count_text(row['population'])}, male + female {count_text(row['sum'])}",
            column="GENDER",
            rule="total = male + female",
            values=[parts_key[0]],
        )
    return frame[~is_total]
