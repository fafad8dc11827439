"""``--table FILE``: a rate table of your own, in the long layout (CSV) or the wide layout
survey reports print (CSV, ``.xlsx``, ``.xls``), with its JSON metadata beside it; or a
shipped table's id."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from mhneed.errors import InputError
from mhneed.published.rate_file_long import read_rate_table
from mhneed.published.rate_file_wide import read_wide_rate_table
from mhneed.published.rates import RateTable
from mhneed.published.tables import available_tables

__all__ = ["READER_OPTIONS", "resolve_cli_table"]


#: What the ``reader`` object of the JSON beside a wide rate-table file may say: the
#: options of :func:`mhneed.read_wide_rate_table`.
READER_OPTIONS = (
    "sheet",
    "conditions",
    "period",
    "source",
    "blocks",
    "bands",
    "decimal",
    "check_unit",
)


#: The files ``--table`` reads as a user's rate table.
_TABLE_SUFFIXES = (".csv", ".xlsx", ".xls")


def resolve_cli_table(text: str) -> RateTable | str:
    """A shipped table id, or a rate-table file of your own with its JSON metadata beside it.

    A ``.csv`` whose header names ``condition, sex, age_band, rate`` is read in
    the long layout (:func:`mhneed.read_rate_table`); any other ``.csv``, and an
    ``.xlsx`` or ``.xls``, in the wide layout survey reports print
    (:func:`mhneed.read_wide_rate_table`), with the reader's options from the
    JSON's ``reader`` object. Naming the ``.json`` reads the table file beside it.
    """
    if text in available_tables():
        return text
    path = Path(text)
    suffix = path.suffix.lower()
    if suffix == ".json" and path.is_file():
        found = [path.with_suffix(s) for s in _TABLE_SUFFIXES if path.with_suffix(s).is_file()]
        if not found:
            raise InputError(
                f"--table {text}: no {path.stem}.csv, .xlsx or .xls beside it; name the rate "
                "table's file, with its JSON metadata beside it",
                column="--table",
                rule="a rate-table file beside its JSON",
                values=[text],
            )
        path, suffix = found[0], found[0].suffix.lower()
    if suffix not in (*_TABLE_SUFFIXES, ".json"):
        return text  # an unknown id: load_table names the shipped ones
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        raise InputError(
            f"--table {text}: {what}",
            column="--table",
            rule="a shipped table id, or a rate-table file with its JSON metadata",
            values=[text],
        )
    meta_path = path.with_suffix(".json")
    if suffix == ".csv" and _long_header(path):
        return read_rate_table(path, meta_path if meta_path.is_file() else None)
    if not meta_path.is_file():
        raise InputError(
            f"--table {text}: no {meta_path.name} beside it; a rate table in the wide layout "
            "needs its metadata (id, title, publisher, edition, geography, population, "
            "sources, and a reader object for the sheet, conditions and period) in a JSON "
            "file of the same name (see docs/tutorials/own-table.md)",
            column="--table",
            rule="a rate-table file with its JSON metadata",
            values=[text],
        )
    meta, options = _wide_meta(meta_path)
    return read_wide_rate_table(path, meta, **options)


def _long_header(path: Path) -> bool:
    """Whether a CSV's first non-empty line names the long layout's columns."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for cells in csv.reader(handle):
                if any(c.strip() for c in cells):
                    names = {c.strip().lower() for c in cells}
                    return {"condition", "sex", "age_band", "rate"} <= names
    except (UnicodeDecodeError, csv.Error):
        return False  # the readers name what is wrong with the file
    return False


def _wide_meta(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The metadata in a wide table's JSON, and the reader's options from its ``reader``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"--table: {path.name} is not valid JSON ({exc.msg}, line {exc.lineno} column "
            f"{exc.colno})",
            column="--table",
            rule="metadata as JSON",
            values=[path.name],
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            f"--table: {path.name} is not UTF-8 text",
            column="--table",
            rule="metadata as JSON",
            values=[path.name],
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"--table: {path.name} holds a JSON {type(data).__name__}, not an object of "
            "metadata fields",
            column="--table",
            rule="metadata as a JSON object",
            values=[path.name],
        )
    options = data.pop("reader", {})
    if not isinstance(options, dict):
        raise InputError(
            f"--table: {path.name}: reader must be an object of options "
            f"({', '.join(READER_OPTIONS)}), not {json.dumps(options)}",
            column="reader",
            rule="reader is a JSON object",
            values=[options],
        )
    unknown = [k for k in options if k not in READER_OPTIONS]
    if unknown:
        raise InputError(
            f"--table: {path.name}: reader option{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))} unknown; the options are "
            f"{', '.join(READER_OPTIONS)}",
            column="reader",
            rule=f"reader options in {', '.join(READER_OPTIONS)}",
            values=unknown,
        )
    return data, dict(options)
