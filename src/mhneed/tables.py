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

from mhneed.errors import RateTableError, UnknownTableError
from mhneed.rates import RateTable, Source

__all__ = ["available_tables", "load_table", "sources_manifest", "tables_folder"]

_MANIFEST = "sources.csv"


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


# -- private helpers ---------------------------------------------------------------


@cache
def _folder() -> Traversable:
    packaged = resources.files("mhneed").joinpath("prevalence_tables")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "prevalence_tables"
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
    out: list[tuple[str, Source]] = []
    for rec in csv.DictReader(io.StringIO(text)):
        src = Source(
            id=rec["id"],
            citation=rec["citation"],
            url=rec.get("url") or None,
            kind=rec["kind"],  # type: ignore[arg-type,unused-ignore]
        )
        out.append((src.id, src))
    return tuple(out)


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
