"""What both readers of rate-table files share: the metadata and sources they are given.

:func:`read_meta` turns ``meta=`` (a mapping, a :class:`TableMeta` or a JSON
file) into a dict, :func:`read_sources` and :func:`meta_sources` turn
``sources=`` and the metadata's own list into :class:`Source` models by id, and
:func:`file_text` reads a file's text with the checks every reader makes (its
size, its encoding). :func:`as_cell` makes a cell of either layout blank, a
number or stripped text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from mhneed._file_quirks import read_text
from mhneed.errors import RateTableError
from mhneed.published.rate_models import Source, TableMeta
from mhneed.published.tables import parse_manifest

PathOrFrame = str | os.PathLike[str] | pd.DataFrame
MetaArg = TableMeta | Mapping[str, Any] | str | os.PathLike[str]
SourceArg = Source | Mapping[str, Any] | str
Cell = str | float | None

#: The readers' names, as their messages give them.
LONG_READER = "read_rate_table"
WIDE_READER = "read_wide_rate_table"

__all__ = [
    "LONG_READER",
    "WIDE_READER",
    "Cell",
    "MetaArg",
    "PathOrFrame",
    "SourceArg",
    "as_cell",
    "file_text",
    "meta_sources",
    "read_meta",
    "read_sources",
    "source_model",
]


def read_meta(meta: MetaArg, function: str) -> dict[str, Any]:
    """``meta=`` as a dict: a TableMeta, a mapping or a JSON file; ``function`` names the reader."""
    if isinstance(meta, TableMeta):
        return meta.model_dump()
    if isinstance(meta, Mapping):
        return dict(meta)
    if not isinstance(meta, str | os.PathLike):
        raise RateTableError(
            f"{function}: meta is a {type(meta).__name__} ({_short_repr(meta)}), not metadata; "
            "give a "
            "mapping (dict) of the table's metadata, a TableMeta, or the path of a JSON file",
            column="meta",
            rule="metadata is a mapping, a TableMeta or a JSON file",
            values=[type(meta).__name__],
        )
    path = Path(meta)
    try:
        data = json.loads(file_text(path))
    except json.JSONDecodeError as exc:
        raise RateTableError(
            f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            column="meta",
            rule="metadata is a JSON object",
        ) from None
    except (RecursionError, ValueError) as exc:  # nested too deeply; a number too long
        why = "lists or objects nested too deeply" if isinstance(exc, RecursionError) else exc
        raise RateTableError(
            f"{path.name}: not valid JSON metadata ({why})",
            column="meta",
            rule="metadata is a JSON object",
        ) from None
    if not isinstance(data, dict):
        raise RateTableError(
            f"{path.name}: the metadata must be a JSON object, not {type(data).__name__}",
            column="meta",
            rule="metadata is a JSON object",
        )
    return data


def read_sources(
    sources: str | os.PathLike[str] | Sequence[Source | Mapping[str, Any]] | None,
) -> dict[str, Source]:
    """``sources=`` by id: a sources CSV, or a sequence of Source models or mappings."""
    if sources is None:
        return {}
    if isinstance(sources, str | os.PathLike):
        path = Path(sources)
        return parse_manifest(file_text(path), where=path.name)
    if not isinstance(sources, Sequence):
        raise RateTableError(
            f"sources must be a sources CSV file or a list of sources, not "
            f"{type(sources).__name__}; a source has id, citation, url (optional) and kind",
            column="sources",
            rule="a list of sources",
            values=[type(sources).__name__],
        )
    out: dict[str, Source] = {}
    for item in sources:
        if not isinstance(item, Source | Mapping):
            raise RateTableError(
                f"sources: {item!r} is not a source; give each as a mapping with id, citation, "
                "url (optional) and kind (primary or secondary)",
                column="sources",
                rule="each source a mapping",
                values=[item],
            )
        src = item if isinstance(item, Source) else source_model(item)
        out[src.id] = src
    return out


def meta_sources(meta: Mapping[str, Any]) -> dict[str, Source]:
    """The sources listed in the metadata: a list, never a file name."""
    listed = meta.get("sources") or []
    if not isinstance(listed, list | tuple):
        raise RateTableError(
            f"rate table {meta.get('id', '?')} metadata: field sources must be a list of "
            f"sources (each with id, citation, url and kind), not {type(listed).__name__}",
            column="sources",
            rule="a list of sources",
            values=[listed],
        )
    return read_sources(listed)


def source_model(data: Mapping[str, Any]) -> Source:
    """One source from a mapping, refused naming its field when it breaks a rule."""
    try:
        return Source(**{str(k): v for k, v in data.items()})
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"])
        shown = "" if first["type"] == "missing" else f" (value {first.get('input')!r})"
        raise RateTableError(
            f"source {dict(data).get('id', '?')!r}: field {field_name}: {first['msg']}{shown}; "
            "a source has id, citation, url (optional) and kind (primary or secondary)",
            column=field_name,
            rule=str(first["msg"]),
            values=[first.get("input")],
        ) from None


def as_cell(value: object) -> Cell:
    """A cell as blank (``None``), a number or stripped text; true/false and NaN are blank."""
    if value is None or value is pd.NA or value is pd.NaT or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if value != value else float(value)  # NaN → blank
    text = str(value).strip()
    return text or None


def file_text(path: Path) -> str:
    """A file's text, refused by name when too large, not text, or empty."""
    return read_text(path, LONG_READER, error=RateTableError)


# -- private helpers ---------------------------------------------------------------


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
