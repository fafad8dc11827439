"""Read your own rate table in the long format mhneed ships.

:func:`read_rate_table` turns a user's table into a
:class:`~mhneed.published.rates.RateTable` that estimates exactly like a shipped
one: the long format (``condition, sex, age_band, rate, lower, upper,
source``) from a CSV file or a DataFrame, with its metadata from a mapping or a
JSON file, its published checks and its sources found beside the CSV when not
given. The wide layout survey reports print is read by
:mod:`mhneed.published.rate_file_wide`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mhneed._file_quirks import csv_rows, shown
from mhneed.errors import MissingColumnError, RateTableError
from mhneed.published._rate_file_common import (
    LONG_READER,
    MetaArg,
    PathOrFrame,
    as_cell,
    file_text,
    meta_sources,
    read_meta,
    read_sources,
)
from mhneed.published.rate_models import ROW_COLUMNS, Source
from mhneed.published.rates import RateTable
from mhneed.published.tables import parse_manifest, sources_manifest
from mhneed.published.unit_check import check_plausible_unit

__all__ = ["read_rate_table"]

_OPTIONAL_COLUMNS = ("lower", "upper", "note")

_REQUIRED_COLUMNS = tuple(c for c in ROW_COLUMNS if c not in _OPTIONAL_COLUMNS)


def read_rate_table(
    path_or_frame: PathOrFrame,
    meta: MetaArg | None = None,
    *,
    checks: PathOrFrame | None = None,
    sources: str | os.PathLike[str] | Sequence[Source | Mapping[str, Any]] | None = None,
    check_unit: bool = True,
) -> RateTable:
    """Read a rate table in the long format mhneed ships.

    Parameters
    ----------
    path_or_frame : str, path or pandas.DataFrame
        A CSV file or a DataFrame with columns ``condition, sex, age_band,
        rate, source`` and optionally ``lower, upper, note``; one row per
        (condition, sex, age band) cell. Figures are in the unit the metadata
        names (``percent``, ``per_1000`` or ``proportion``). Column names are
        matched ignoring case and surrounding spaces.
    meta : TableMeta, mapping, str or path, optional
        The table's metadata (the fields of the shipped ``<id>.json`` files:
        ``id, title, publisher, edition, geography, population, ages,
        denominator, interval, level, unit, conditions, caveats, citation``),
        as a mapping or a JSON file. By default ``<name>.json`` beside the CSV.
    checks : str, path or pandas.DataFrame, optional
        Published figures kept to check the table, not used in estimates
        (same columns). By default ``<name>.checks.csv`` beside the CSV, if
        it exists.
    sources : str, path or sequence, optional
        Where the ids in the ``source`` column are cited: a sources CSV
        (columns ``id, citation, url, kind``) or a sequence of
        :class:`~mhneed.published.rates.Source` or mappings. Ids are looked up in the
        metadata's own ``sources`` list, then here, then in ``sources.csv``
        beside the CSV, then in mhneed's shipped manifest.
    check_unit : bool, default True
        Check that the figures are plausible for the unit: a ``percent``
        table whose figures are all at most 1 looks like proportions (0.068
        for 6.8%), and a ``proportion`` table with a rate above 0.5 looks like
        percentages (0.7 for 0.7%); either is refused, naming the likely
        mistake. Pass ``False`` when the figures really are so (psychosis is
        about 0.4%; most people in prison have a mental disorder).

    Returns
    -------
    RateTable
        Rates as proportions [0, 1], validated like a shipped table.

    Raises
    ------
    MissingColumnError
        When a required column is missing.
    RateTableError
        When there is no metadata, a source id is not cited anywhere, a row
        breaks a rule (the message names the row, the column and the value),
        or (with ``check_unit``) the figures look like another unit.

    Examples
    --------
    >>> import pandas as pd
    >>> import mhneed
    >>> rows = pd.DataFrame({"condition": ["gad", "gad"], "sex": ["female", "male"],
    ...                      "age_band": ["16+", "16+"], "rate": [6.8, 4.9],
    ...                      "source": ["rutland_jsna_2018"] * 2})
    >>> meta = {"id": "my_gad", "title": "GAD", "publisher": "NHS Digital",
    ...         "edition": 2014, "geography": "England", "population": "adults",
    ...         "ages": "16+", "denominator": "persons", "interval": "none",
    ...         "unit": "percent", "conditions": [{"id": "gad", "label": "GAD",
    ...         "period": "past week", "ages": "16+"}]}
    >>> [row.rate for row in mhneed.read_rate_table(rows, meta).rows]
    [0.068, 0.049]
    """
    path = None if isinstance(path_or_frame, pd.DataFrame) else Path(path_or_frame)
    rows = _long_frame(path_or_frame)
    meta_dict = read_meta(_sibling_meta(path) if meta is None else meta, LONG_READER)
    if checks is None and path is not None:
        sibling_checks = path.with_name(f"{path.stem}.checks.csv")
        checks = sibling_checks if sibling_checks.is_file() else None
    checks_frame = None if checks is None else _long_frame(checks)
    meta_dict["sources"] = _cited_sources(rows, checks_frame, path, sources, meta_dict)
    table = RateTable.from_frame(rows, meta_dict, checks=checks_frame)
    if check_unit:
        check_plausible_unit(table)
    return table


# -- private helpers ---------------------------------------------------------------


def _sibling_meta(path: Path | None) -> Path:
    """The JSON metadata beside a CSV file, refused when there is none (or no file)."""
    sibling = None if path is None else path.with_suffix(".json")
    if sibling is None or not sibling.is_file():
        where = "a DataFrame" if path is None else f"{path.name} (no {path.stem}.json beside it)"
        raise RateTableError(
            f"no metadata for the rate table in {where}: pass meta= as a mapping, a "
            "TableMeta or a JSON file with id, title, publisher, edition, geography, "
            "population, ages, denominator, interval, unit and conditions",
            column="meta",
            rule="a rate table has metadata",
        )
    return sibling


def _cited_sources(
    rows: pd.DataFrame,
    checks: pd.DataFrame | None,
    path: Path | None,
    sources: str | os.PathLike[str] | Sequence[Source | Mapping[str, Any]] | None,
    meta: Mapping[str, Any],
) -> list[Source]:
    """The sources the rows and checks cite, in first use, each found where it is cited.

    Ids are looked up in the metadata's own list, then ``sources``, then
    ``sources.csv`` beside the CSV, then mhneed's shipped manifest.
    """
    lookup: dict[str, Source] = dict(sources_manifest())
    if path is not None and path.with_name("sources.csv").is_file():
        manifest_path = path.with_name("sources.csv")
        lookup.update(parse_manifest(file_text(manifest_path), where=manifest_path.name))
    lookup.update(read_sources(sources))
    lookup.update(meta_sources(meta))
    _check_sources_given(rows, "row")
    if checks is not None:
        _check_sources_given(checks, "published check")
    used = list(rows["source"]) + ([] if checks is None else list(checks["source"]))
    used_ids = list(dict.fromkeys(str(s).strip() for s in used))
    unknown = [s for s in used_ids if s not in lookup]
    if unknown:
        raise RateTableError(
            f"rate table {meta.get('id', '?')}: column source: "
            f"{', '.join(map(repr, unknown))} not cited anywhere; give each source's id, "
            "citation and kind (primary or secondary) in sources= (a sources CSV or a list) "
            "or in the metadata's sources list",
            column="source",
            rule="source in manifest",
            values=unknown,
        )
    return [lookup[s] for s in used_ids]


def _long_frame(path_or_frame: PathOrFrame) -> pd.DataFrame:
    if isinstance(path_or_frame, pd.DataFrame):
        frame = path_or_frame.copy()
        where = "the DataFrame"
    else:
        path = Path(path_or_frame)
        frame = _csv_frame(path)
        where = path.name
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    required = [c for c in ROW_COLUMNS if c not in _OPTIONAL_COLUMNS]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"{where}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"a rate table has columns {', '.join(required)} and optionally lower, upper, note",
            column=missing[0],
            rule="required columns",
            values=missing,
        )
    for col in _OPTIONAL_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    return frame


def _check_sources_given(frame: pd.DataFrame, what: str) -> None:
    blank = [i for i, v in enumerate(frame["source"], start=1) if as_cell(v) is None]
    if blank:
        shown = ", ".join(map(str, blank[:5])) + (", ..." if len(blank) > 5 else "")
        raise RateTableError(
            f"column source is blank in {what}{'s' if len(blank) > 1 else ''} {shown}; "
            "every figure names its source",
            column="source",
            rule="every figure has a source",
            values=blank,
        )


def _csv_frame(path: Path) -> pd.DataFrame:
    """A long-format CSV file as text cells, after checking every row fits the header."""
    rows = csv_rows(file_text(path), ",", LONG_READER, path.name, error=RateTableError)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise RateTableError(
            f"{LONG_READER}: {path.name} has no header row; the file holds only commas and quotes",
            rule="a header row",
            values=[path.name],
        )
    header_line, header = rows[0]
    names = [h.strip().lower() for h in header]
    named = [i for i, h in enumerate(names) if h]
    twice = next((h for i, h in enumerate(names) if h and h in names[:i]), None)
    if twice is not None:
        raise RateTableError(
            f"{LONG_READER}: {path.name} line {header_line}: column {twice} appears more than once",
            column=twice,
            rule="unique column names",
            values=[twice],
        )
    records: list[list[str]] = []
    for n, cells in rows[1:]:
        where = f"{LONG_READER}: {path.name} line {n}"
        lacking = [names[i] for i in named if i >= len(cells) and names[i] in _REQUIRED_COLUMNS]
        if lacking:
            raise RateTableError(
                f"{where}: {len(cells)} values, but the header has {len(header)} columns: no "
                f"{', '.join(lacking)}; is the file truncated?",
                column=lacking[0],
                rule="every row as long as the header",
                values=[n],
            )
        stray = [c for i, c in enumerate(cells) if c.strip() and (i >= len(names) or not names[i])]
        if stray:
            raise RateTableError(
                f"{where}: value {shown(stray[0])!r} is in a column with no name in the header "
                f"(line {header_line}); is a comma inside a value without quotes around it?",
                rule="values under named columns",
                values=[stray[0]],
            )
        records.append([cells[i] if i < len(cells) else "" for i in named])
    return pd.DataFrame(records, columns=[header[i] for i in named], dtype=object)
