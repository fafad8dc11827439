"""Helpers the readers share: reading a file's text, parsing counts, raising errors.

Every problem with a file's content is raised as :class:`mhneed.errors.InputError`
(a ``ValueError``) whose message starts with the reader and the file's name,
then says where (line, area, column), the rule broken and the offending value.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from mhneed.errors import InputError

__all__ = [
    "PathArg",
    "counts_array",
    "csv_rows",
    "delimiter_name",
    "fail",
    "file_label",
    "parse_count",
    "read_text",
]

#: What a reader accepts as a file.
PathArg = str | os.PathLike[str]

_COUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def file_label(path: PathArg) -> str:
    """The file's name, for messages (the folder is left out to keep them short)."""
    return Path(path).name


def read_text(path: PathArg, reader: str) -> str:
    """A file's text: UTF-8 (with or without a byte-order mark), else Windows-1252.

    Spreadsheet exports are one or the other; Latin-1 is the last resort, since
    it decodes any bytes.

    Raises
    ------
    InputError
        When the file is empty or holds nothing but spaces.
    """
    raw = Path(path).read_bytes()
    text = ""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("latin-1")
    if not text.strip():
        raise InputError(
            f"{reader}: {file_label(path)} is empty",
            rule="a non-empty file",
            values=[file_label(path)],
        )
    return text


def csv_rows(text: str, delimiter: str, reader: str, label: str) -> list[tuple[int, list[str]]]:
    """Rows of a delimited text, each with the line it ends on.

    Raises
    ------
    InputError
        When the text cannot be read as delimited values at all (such as a NUL byte).
    """
    rows: list[tuple[int, list[str]]] = []
    parser = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        for cells in parser:
            rows.append((parser.line_num, cells))
    except csv.Error as exc:
        raise InputError(
            f"{reader}: {label} line {parser.line_num + 1} cannot be read as "
            f"{delimiter_name(delimiter)}-separated values ({exc})",
            rule="a delimited text file",
            values=[label],
        ) from None
    return rows


def parse_count(text: str) -> float | None:
    """A count written as in ONS files (``38,022``, ``341``, ``12.5``); ``None`` if not one."""
    value = text.strip().replace("\u00a0", "")
    if not _COUNT.match(value):
        return None
    return float(value.replace(",", ""))


def counts_array(values: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
    """Counts as int64 when all are whole numbers; else float64 (NaN for missing)."""
    if np.all(np.isfinite(values)) and np.all(values == np.floor(values)):
        return values.astype(np.int64)
    return values


def fail(
    message: str,
    *,
    column: str | None = None,
    rule: str | None = None,
    values: Sequence[object] = (),
) -> InputError:
    """An :class:`InputError` to raise (``raise fail(...)``)."""
    return InputError(message, column=column, rule=rule, values=values)


def delimiter_name(delimiter: str) -> str:
    """``comma``, ``tab`` or ``semicolon``, for messages."""
    return {",": "comma", "\t": "tab", ";": "semicolon"}.get(delimiter, repr(delimiter))
