"""The quirks of the files users bring, met by every reader: one home for each.

Every reader (ONS, Nomis and SNPP in :mod:`mhneed.inputs`; the rate tables) reads its
text and rows here: encodings and byte-order marks (UTF-8 with or without a BOM, UTF-16
with a BOM, else Windows-1252, else Latin-1); files that are not text (a workbook, NUL
characters), empty, or far larger than any table of their kind; delimited rows, read
whole or streamed; blank rows, trailing empty cells and notes (titles, headings,
footnotes) of spreadsheet exports; truncated rows; another separator than the comma.
It sits at the top of the package because the readers of both layers (inputs and
published tables) share it; counts (``38,022``) are read in :mod:`mhneed.inputs.file_counts`.

Every problem is raised as :class:`mhneed.errors.InputError` (the rate-table readers
pass :class:`~mhneed.errors.RateTableError`) whose message starts with the reader and
the file's name, then says where (line, area, column), the rule broken and the value.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from mhneed.errors import InputError, MhneedError

__all__ = [
    "MAX_LINE_CHARS",
    "MAX_TABLE_BYTES",
    "ErrorClass",
    "PathArg",
    "as_paths",
    "check_size",
    "check_width",
    "csv_rows",
    "delimiter_name",
    "fail",
    "file_head",
    "file_label",
    "is_blank",
    "is_note",
    "open_text",
    "read_text",
    "separator_hint",
    "shown",
    "stream_rows",
    "text_encoding",
    "trim_blank_tail",
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

#: Encodings tried in turn for a file without a byte-order mark; Latin-1 decodes any bytes.
_FALLBACKS = ("utf-8", "cp1252", "latin-1")
_CHUNK = 1 << 20
_WORKBOOKS = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls)"),
)


def as_paths(path_or_paths: PathArg | Sequence[PathArg], reader: str, what: str) -> list[PathArg]:
    """One path, or a sequence of them, as a list; an empty sequence is an error that
    asks for ``what`` (such as "an MYE2 CSV export")."""
    if isinstance(path_or_paths, (str, os.PathLike)):
        return [path_or_paths]
    paths = list(path_or_paths)
    if not paths:
        raise fail(
            f"{reader}: no files given; give the path of {what}, or a list of them",
            rule="at least one file",
        )
    return paths


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
        raise _empty(reader, label, error)
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


def file_head(path: PathArg, size: int = 4096) -> str:
    """The file's first ``size`` bytes as text, to tell layouts apart before a full read:
    UTF-16 with a byte-order mark as such, anything else as Latin-1 (any bytes decode)."""
    with open(path, "rb") as handle:
        raw = handle.read(size)
    if _bom_encoding(raw) == "utf-16":
        return raw.decode("utf-16", errors="replace")
    return raw.decode("latin-1")


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


def is_blank(cells: Sequence[str]) -> bool:
    """True for a row with nothing but spaces (spreadsheet exports end with many ``,,,,``)."""
    return not any(c.strip() for c in cells)


def trim_blank_tail(cells: list[str]) -> list[str]:
    """The row less its trailing empty cells (a sheet exported wider than its table)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def is_note(cells: Sequence[str]) -> bool:
    """True for a row with text in its first cell alone: a title, heading or footnote."""
    return bool(cells) and bool(cells[0].strip()) and is_blank(cells[1:])


def check_width(cells: Sequence[str], header: Sequence[str], where: str, line: int) -> None:
    """Refuse a row shorter than its header (a truncated file) or with values beyond it
    (empty cells beyond it are allowed); ``where`` starts the message."""
    width = len(header)
    if len(cells) < width:
        raise fail(
            f"{where}: {len(cells)} columns, but the header has {width}; is the file truncated?",
            column=header[len(cells)].strip(),
            rule="every row as long as the header",
            values=[line],
        )
    if not is_blank(cells[width:]):
        raise fail(
            f"{where}: {len(cells)} columns, but the header has {width}",
            rule="no values beyond the header",
            values=[line],
        )


def separator_hint(delimiter: str) -> str:
    """The end of a message about a file saved with another separator than the comma."""
    return f"; the file looks {delimiter_name(delimiter)}-separated: save it as CSV"


def shown(text: str, limit: int = 40) -> str:
    """A cell's text for a message: trimmed, and cut short when it is very long."""
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


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


def text_encoding(raw: bytes) -> str:
    """The encoding a file's bytes are read in: UTF-8 (BOM dropped), UTF-16 with a BOM, else
    Windows-1252, else Latin-1 (which decodes any bytes)."""
    bom = _bom_encoding(raw)
    if bom is not None:
        return bom
    for encoding in _FALLBACKS[:-1]:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return _FALLBACKS[-1]


# -- private helpers ---------------------------------------------------------------


def _bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark names (UTF-8's is dropped from the text), else None."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _stream_encoding(path: Path, reader: str, label: str, error: ErrorClass) -> str:
    with path.open("rb") as handle:
        head = handle.read(8)
        _check_not_binary(head, reader, label, error)
        bom = _bom_encoding(head)
        candidates = list(_FALLBACKS) if bom is None else [bom]
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
                raise _empty(reader, label, error)
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


def _empty(reader: str, label: str, error: ErrorClass) -> MhneedError:
    return error(f"{reader}: {label} is empty", rule="a non-empty file", values=[label])


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
