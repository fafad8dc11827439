"""The shipped rate tables: list them, load them by id.

Tables live in the top-level ``prevalence_tables/`` folder of the project,
which the wheel carries as package data (``mhneed/prevalence_tables``). Each
table is ``<id>.csv`` (its rows), ``<id>.json`` (its metadata) and optionally
``<id>.checks.csv`` (published figures kept to check the table, not used in
estimates); ``sources.csv`` is the manifest of every source. Files are read
once through :mod:`importlib.resources` and cached.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from mhneed.errors import MissingColumnError, RateTableError, UnknownTableError
from mhneed.published.rates import RateTable, Source

__all__ = [
    "DEFAULT_TABLE",
    "available_tables",
    "load_table",
    "parse_manifest",
    "sources_manifest",
    "tables_folder",
]

_MANIFEST = "sources.csv"

#: The table the command line, the demo and the examples use unless told otherwise: APMS 2014
#: by age band and sex, built from the publisher's workbooks.
DEFAULT_TABLE = "apms_2014_by_age_sex"


def available_tables() -> list[str]:
    """Ids of every shipped rate table, sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> "apms_2014" in available_tables()
    True
    """
    return list(_table_ids())


def load_table(table_id: str) -> RateTable:
    """Load a shipped rate table by its id (read once, then cached).

    Parameters
    ----------
    table_id : str
        One of :func:`available_tables`, such as ``"apms_2014"``.

    Returns
    -------
    RateTable

    Raises
    ------
    UnknownTableError
        When no shipped table has that id; the message lists the valid ids.
    """
    ids = _table_ids()
    if table_id not in ids:
        raise UnknownTableError(
            f"no shipped rate table has id {table_id!r}; the tables are: {', '.join(ids)}",
            column="table",
            rule="a shipped table id",
            values=[table_id],
        )
    return _load(table_id)


def sources_manifest() -> dict[str, Source]:
    """Every source in the shipped manifest, by id."""
    return dict(_manifest())


def tables_folder() -> Traversable:
    """Where the shipped tables are read from.

    In a wheel this is ``mhneed/prevalence_tables`` inside the installed
    package; in an editable install from a source checkout it is the
    checkout's top-level ``prevalence_tables/`` folder.
    """
    return _folder()


def parse_manifest(text: str, *, where: str = _MANIFEST) -> dict[str, Source]:
    """Parse a sources manifest (CSV text with columns ``id, citation, url, kind``).

    Parameters
    ----------
    text : str
        The manifest's text.
    where : str, optional
        The file's name, for error messages.

    Returns
    -------
    dict of str to Source
        Every source by its id, in file order.

    Raises
    ------
    MissingColumnError
        When a column is missing.
    RateTableError
        When a row breaks a rule (a blank citation, a kind other than primary
        or secondary, an id used twice).
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fields = [f.strip() for f in (reader.fieldnames or [])]
        records = list(reader)
    except csv.Error as exc:
        raise RateTableError(
            f"{where}, line {reader.reader.line_num}: cannot be read as comma-separated values "
            f"({exc})",
            rule="a delimited text file",
            values=[where],
        ) from None
    missing = [c for c in ("id", "citation", "kind") if c not in fields]
    if missing:
        raise MissingColumnError(
            f"{where}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            "a sources manifest has columns id, citation, url, kind",
            column=missing[0],
            rule="required columns",
            values=missing,
        )
    out: dict[str, Source] = {}
    for line, raw in enumerate(records, start=2):
        rec = {str(k).strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if rec["id"] in out:
            raise RateTableError(
                f"{where}, line {line}: column id: {rec['id']!r} appears more than once; "
                "source ids must be unique",
                column="id",
                rule="unique source ids",
                values=[rec["id"]],
            )
        try:
            src = Source(
                id=rec["id"],
                citation=rec["citation"],
                url=rec.get("url") or None,
                kind=rec["kind"],  # type: ignore[arg-type,unused-ignore]
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            raise RateTableError(
                f"{where}, line {line} (source {rec['id']!r}): column {field}: {first['msg']} "
                f"(value {first.get('input')!r})",
                column=field,
                rule=str(first["msg"]),
                values=[first.get("input")],
            ) from None
        out[src.id] = src
    return out


# -- private helpers ---------------------------------------------------------------


@cache
def _folder() -> Traversable:
    packaged = resources.files("mhneed").joinpath("prevalence_tables")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "prevalence_tables"
    if checkout.is_dir():
        return checkout
    raise RateTableError(  # pragma: no cover - only on a broken install
        "the shipped rate tables are missing: neither mhneed/prevalence_tables in the "
        f"installed package nor {checkout} exists; reinstall mhneed",
        rule="tables shipped",
    )


@cache
def _table_ids() -> tuple[str, ...]:
    names = [t.name for t in _folder().iterdir() if t.name.endswith(".json")]
    return tuple(sorted(n.removesuffix(".json") for n in names))


@cache
def _manifest() -> tuple[tuple[str, Source], ...]:
    text = _folder().joinpath(_MANIFEST).read_text(encoding="utf-8-sig")
    return tuple(parse_manifest(text, where=_MANIFEST).items())


def _read_rows(name: str) -> pd.DataFrame:
    text = _folder().joinpath(name).read_text(encoding="utf-8-sig")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@cache
def _load(table_id: str) -> RateTable:
    folder = _folder()
    meta = json.loads(folder.joinpath(f"{table_id}.json").read_text(encoding="utf-8"))
    rows = _read_rows(f"{table_id}.csv")
    checks_name = f"{table_id}.checks.csv"
    checks = _read_rows(checks_name) if folder.joinpath(checks_name).is_file() else None
    manifest = dict(_manifest())
    used = list(rows["source"]) + ([] if checks is None else list(checks["source"]))
    unknown = sorted({s for s in used if s not in manifest})
    if unknown:
        raise RateTableError(
            f"rate table {table_id}: column source: {', '.join(unknown)} not in "
            f"{_MANIFEST}; every source must be in the manifest",
            column="source",
            rule="source in manifest",
            values=unknown,
        )
    meta["sources"] = [manifest[s] for s in dict.fromkeys(used)]
    return RateTable.from_frame(rows, meta, checks=checks)
