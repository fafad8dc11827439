"""Reader for the ONS table of live births by area of usual residence of mother.

:func:`read_ons_births` turns the births-by-area table (names only, with headings,
spacer rows and footnotes) into area names, the kind of each row (read from the
table's layout) and births, and can match the names to area codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from mhneed._file_quirks import (
    PathArg,
    csv_rows,
    fail,
    file_label,
    read_text,
    separator_hint,
    shown,
)
from mhneed.errors import InputError, MissingColumnError
from mhneed.inputs.file_counts import (
    TOO_LARGE_RULE,
    counts_array,
    parse_count,
    too_large,
    too_large_words,
)

__all__ = ["BIRTHS_AREA_TYPES", "read_ons_births"]

_BIRTHS = "read_ons_births"

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


# -- private helpers ---------------------------------------------------------------

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
            hint = separator_hint(delim)
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
    """(name, kind, births) of each row with a figure, below the header."""
    records: list[tuple[str, str, float | None]] = []
    layout = _Layout()
    for n, cells in rows:
        raw_name = cells[0] if cells else ""
        raw_births = cells[births_col].strip() if len(cells) > births_col else ""
        name = _clean_name(raw_name)
        if not raw_births:
            if name.lower().startswith("local health boards"):
                layout.health_boards = True
            layout.block_start, layout.members = True, None
            continue  # spacer, heading without figures, or footnote
        births = _births_value(raw_births, name, f"{_BIRTHS}: {label} line {n}")
        kind = _row_kind(layout, name, raw_name, births)
        if kind is not None:
            records.append((name, kind, births))
    return records


@dataclass
class _Layout:
    """Where a row sits in the table's layout, as the reader goes down it."""

    health_boards: bool = False  # in the section of Welsh local health boards
    in_wales: bool = False  # below the WALES row: every area is a unitary authority
    block_start: bool = True  # the next row opens a block (after a spacer or heading)
    members: str | None = None  # the kind of the rows under a county
    countries: set[tuple[str, float | None]] = field(default_factory=set)


def _births_value(raw_births: str, name: str, where: str) -> float | None:
    """A row's births: a count, or None for ':' (not applicable)."""
    if not name:
        raise fail(
            f"{where}: births {raw_births!r} but no area name",
            column="Area of usual residence",
            rule="every figure has an area name",
            values=[raw_births],
        )
    if raw_births == ":":
        return None
    births = parse_count(raw_births)
    if births is None or births < 0:
        raise fail(
            f"{where} ({name}): Live births value {shown(raw_births)!r} is not a count or ':'",
            column="Live births",
            rule="a count, or ':' for not applicable",
            values=[raw_births],
        )
    if too_large(births):
        raise fail(
            f"{where} ({name}): Live births value {shown(raw_births)!r} {too_large_words()}",
            column="Live births",
            rule=TOO_LARGE_RULE,
            values=[raw_births],
        )
    return births


def _row_kind(layout: _Layout, name: str, raw_name: str, births: float | None) -> str | None:
    """The kind of a row with a figure (see BIRTHS_AREA_TYPES); None for a row to leave out.

    Capitals are the total, a country or a region; a ``UA`` suffix (and every area
    under WALES) a unitary authority; the first row of a block a county, and the
    rows under it its members. ``layout`` is updated for the rows below.
    """
    kind: str
    if name.lower().startswith("usual residence outside"):
        kind = "outside England and Wales"
    elif name.upper() == name and any(ch.isalpha() for ch in name):
        kind = "country" if name in ("ENGLAND", "WALES") else "region"
        if name.startswith("ENGLAND, WALES"):
            kind = "total"
        layout.in_wales = name == "WALES"
        layout.members = None
        if kind == "country":
            if (name, births) in layout.countries:
                layout.block_start = False
                return None  # Wales again, at the head of the health boards
            layout.countries.add((name, births))
    elif layout.health_boards:
        kind = "local health board"
    elif _UA.search(" ".join(raw_name.split())) or layout.in_wales:
        kind = "unitary authority"
    elif layout.block_start:
        kind, layout.members = _block_head(name)
    else:
        kind = layout.members or "unknown"
    layout.block_start = False
    return kind


def _block_head(name: str) -> tuple[str, str]:
    """The kind of the first row of a block, and of the rows under it."""
    if "(met county)" in name.lower():
        return "metropolitan county", "metropolitan district"
    if name.lower() in ("inner london", "outer london"):
        return "inner or outer London", "London borough"
    return "county", "district"


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
