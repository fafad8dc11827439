"""Helpers the readers share: reading a file's text, parsing counts, raising errors.

Every problem with a file's content is raised as :class:`mhneed.errors.InputError`
(a ``ValueError``; the rate-table readers pass :class:`~mhneed.errors.RateTableError`)
whose message starts with the reader and the file's name, then says where (line,
area, column), the rule broken and the offending value.

Text is UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
(Excel's "Unicode text"), else Windows-1252, else Latin-1 (which decodes any
bytes). A file that is a workbook or holds NUL characters is not text, and says so.

Files of one row per area or per rate (MYE2, births, rate tables) are read whole,
up to :data:`MAX_TABLE_BYTES`; Nomis extracts, which can hold millions of rows,
are streamed (:func:`open_text`, :func:`stream_rows`) a line at a time.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from mhneed.errors import InputError, MhneedError
from mhneed.population import MAX_COUNT

__all__ = [
    "MAX_LINE_CHARS",
    "MAX_TABLE_BYTES",
    "ErrorClass",
    "PathArg",
    "check_size",
    "counts_array",
    "csv_rows",
    "delimiter_name",
    "fail",
    "file_label",
    "open_text",
    "parse_count",
    "read_text",
    "shown",
    "stream_rows",
    "text_encoding",
    "too_large",
    "too_large_words",
]

#: What a reader accepts as a file.
PathArg = str | os.PathLike[str]

#: The error class a reader raises (InputError, or RateTableError for rate tables).
ErrorClass = Callable[..., MhneedError]

#: The largest file read whole [bytes]: 20 MB, some eighty times an ONS MYE2 export
#: of every UK area (240 kB). Larger files are refused before they are read.
MAX_TABLE_BYTES = 20_000_000

#: The longest line a streamed file may have [characters]; a Nomis line is under 1,000.
MAX_LINE_CHARS = 1_000_000

_COUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$", re.ASCII)
_CHUNK = 1 << 20
_WORKBOOKS = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls)"),
)


def file_label(path: PathArg) -> str:
    """The file's name, for messages (the folder is left out to keep them short)."""
    return Path(path).name


def read_text(
    path: PathArg,
    reader: str,
    *,
    error: ErrorClass = InputError,
    max_bytes: int = MAX_TABLE_BYTES,
) -> str:
    """A whole file's text, in the first of the encodings above that decodes it.

    Raises
    ------
    InputError (or ``error``)
        When the file is larger than ``max_bytes``, is a workbook or holds NUL
        characters (not text), or is empty or holds nothing but spaces.
    OSError
        When the file cannot be opened (missing, a folder, no permission).
    """
    label = file_label(path)
    check_size(path, reader, error=error, max_bytes=max_bytes)
    raw = Path(path).read_bytes()
    _check_not_binary(raw[:8], reader, label, error)
    encoding = text_encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:  # only UTF-16 can fail here: every byte is Latin-1
        why = f"it is not valid {encoding} text ({exc.reason})"
        raise _not_text(reader, label, why, error) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise _nul(reader, label, text.count("\n", 0, nul) + 1, error)
    if not text.strip():
        raise error(f"{reader}: {label} is empty", rule="a non-empty file", values=[label])
    return text


def check_size(
    path: PathArg, reader: str, *, error: ErrorClass = InputError, max_bytes: int = MAX_TABLE_BYTES
) -> None:
    """Refuse a file larger than ``max_bytes`` before reading any of it.

    Raises
    ------
    InputError (or ``error``)
        Naming the file's size and the limit.
    """
    size = Path(path).stat().st_size
    if size > max_bytes:
        raise error(
            f"{reader}: {file_label(path)} is {size / 1e6:,.1f} MB; this reader reads files of "
            f"up to {max_bytes / 1e6:g} MB (the tables it reads are far smaller), so it is not "
            "the right file",
            rule=f"a file of at most {max_bytes / 1e6:g} MB",
            values=[file_label(path)],
        )


@contextmanager
def open_text(path: PathArg, reader: str, *, error: ErrorClass = InputError) -> Iterator[TextIO]:
    """Open a file of any size as text, after one pass in chunks to choose its encoding.

    Memory does not grow with the file: the encoding is found from 1 MB chunks,
    and the file is then read a line at a time (``newline=""``, as the csv
    module wants).

    Raises
    ------
    InputError (or ``error``)
        As :func:`read_text`, except that there is no size limit.
    """
    label = file_label(path)
    encoding = _stream_encoding(Path(path), reader, label, error)
    with open(path, encoding=encoding, newline="") as handle:
        yield handle


def csv_rows(
    text: str, delimiter: str, reader: str, label: str, *, error: ErrorClass = InputError
) -> list[tuple[int, list[str]]]:
    """Rows of a delimited text, each with the line it ends on.

    Raises
    ------
    InputError (or ``error``)
        When the text cannot be read as delimited values at all (such as a field
        longer than the csv module's limit of 131,072 characters).
    """
    return list(stream_rows(io.StringIO(text, newline=""), delimiter, reader, label, error=error))


def stream_rows(
    lines: Iterable[str] | TextIO,
    delimiter: str,
    reader: str,
    label: str,
    *,
    error: ErrorClass = InputError,
) -> Iterator[tuple[int, list[str]]]:
    """Rows of delimited lines, one at a time, each with the line it ends on.

    Raises
    ------
    InputError (or ``error``)
        When a line is longer than :data:`MAX_LINE_CHARS` or the lines cannot be
        read as delimited values.
    """
    source = _bounded_lines(lines, reader, label, error)
    parser = csv.reader(source, delimiter=delimiter, strict=False)
    while True:
        try:
            cells = next(parser)
        except StopIteration:
            return
        except csv.Error as exc:
            raise error(
                f"{reader}: {label} line {parser.line_num} cannot be read as "
                f"{delimiter_name(delimiter)}-separated values ({exc})",
                rule="a delimited text file",
                values=[label],
            ) from None
        yield parser.line_num, cells


def parse_count(text: str) -> float | None:
    """A count written as in ONS files (``38,022``, ``341``, ``12.5``); ``None`` if not one.

    Only ASCII digits count: ``²`` or ``٣`` are not numbers in a statistics file.
    """
    value = text.strip().replace("\u00a0", "")
    if not _COUNT.match(value):
        return None
    return float(value.replace(",", ""))


def too_large(value: float) -> bool:
    """True for a count above :data:`mhneed.population.MAX_COUNT` (more people than on Earth)."""
    return value > MAX_COUNT


def too_large_words() -> str:
    """How a message says a count is too large."""
    return f"is more than {MAX_COUNT:,}, more people than live on Earth"


def shown(text: str, limit: int = 40) -> str:
    """A cell's text for a message: trimmed, and cut short when it is very long."""
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


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


# -- private helpers ---------------------------------------------------------------


def text_encoding(raw: bytes) -> str:
    """The encoding a file's bytes are read in: UTF-8 (BOM dropped), UTF-16 with a BOM, else
    Windows-1252, else Latin-1 (which decodes any bytes)."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _stream_encoding(path: Path, reader: str, label: str, error: ErrorClass) -> str:
    with path.open("rb") as handle:
        head = handle.read(8)
        _check_not_binary(head, reader, label, error)
        if head.startswith(codecs.BOM_UTF8):
            candidates = ["utf-8-sig"]
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            candidates = ["utf-16"]
        else:
            candidates = ["utf-8", "cp1252", "latin-1"]
        for encoding in candidates:
            handle.seek(0)
            try:
                decoder = codecs.getincrementaldecoder(encoding)()
                filled = _scan(handle, decoder, reader, label, error)
            except UnicodeDecodeError as exc:
                if encoding == candidates[-1]:
                    raise _not_text(
                        reader, label, f"it is not valid {encoding} text ({exc.reason})", error
                    ) from None
                continue
            if not filled:
                raise error(f"{reader}: {label} is empty", rule="a non-empty file", values=[label])
            return encoding
    raise AssertionError("unreachable: Latin-1 decodes any bytes")  # pragma: no cover


def _scan(
    handle: Any, decoder: codecs.IncrementalDecoder, reader: str, label: str, error: ErrorClass
) -> bool:
    """Decode a binary file in chunks; True when it holds more than spaces."""
    filled = False
    line = 1
    while chunk := handle.read(_CHUNK):
        text = decoder.decode(chunk)
        nul = text.find("\x00")
        if nul >= 0:
            line += text.count("\n", 0, nul)
            raise _nul(reader, label, line, error)
        line += text.count("\n")
        filled = filled or bool(text.strip())
    rest = decoder.decode(b"", final=True)  # raises on a sequence cut off at the end
    return filled or bool(rest.strip())


def _nul(reader: str, label: str, line: int, error: ErrorClass) -> MhneedError:
    why = f"it holds a NUL character (line {line}); save it as CSV text (UTF-8)"
    return _not_text(reader, label, why, error)


def _check_not_binary(head: bytes, reader: str, label: str, error: ErrorClass) -> None:
    for magic, what in _WORKBOOKS:
        if head.startswith(magic):
            raise _not_text(reader, label, f"it is {what}: save the sheet as CSV", error)


def _not_text(reader: str, label: str, why: str, error: ErrorClass = InputError) -> MhneedError:
    return error(
        f"{reader}: {label} is not a text file: {why}",
        rule="a text file",
        values=[label],
    )


def _bounded_lines(
    lines: Iterable[str] | TextIO, reader: str, label: str, error: ErrorClass
) -> Iterator[str]:
    """Lines, refusing one longer than MAX_LINE_CHARS before it is all in memory."""
    if isinstance(lines, io.TextIOBase):
        number = 0
        while line := lines.readline(MAX_LINE_CHARS + 1):
            number += 1
            if len(line) > MAX_LINE_CHARS:
                raise error(
                    f"{reader}: {label} line {number} is longer than {MAX_LINE_CHARS:,} "
                    "characters; the file is not a table of this kind",
                    rule=f"lines of at most {MAX_LINE_CHARS:,} characters",
                    values=[label],
                )
            yield line
        return
    yield from lines
