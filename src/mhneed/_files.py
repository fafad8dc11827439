"""Writing files safely: a checked output path, and a write that is all or nothing.

Every writer (CSV, Excel, charts, the demo's files) writes to a temporary file in the
same folder and renames it over the target only when the write has finished, so a write
that fails (a full disk, an error half-way through, Ctrl-C) leaves no partial file
behind, and an existing file is either kept whole or replaced whole.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path

from mhneed.errors import InputError

__all__ = ["atomic_path", "output_path"]


def output_path(
    path: object,
    *,
    function: str,
    suffixes: Sequence[str] | None,
    argument: str = "path",
) -> Path:
    """``path`` checked as a file to write: a path, in a folder that exists, with a suffix
    ``suffixes`` allows (lower case, such as ``(".xlsx",)``; None: any)."""
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise InputError(
            f"{function}: {argument}={_short(path)} is a {type(path).__name__}, not a file "
            "path; give the file to write as a str or pathlib.Path",
            column=argument,
            rule="a file path",
            values=[path],
        )
    out = Path(path)
    kinds = " or ".join(suffixes or ())
    if suffixes is not None and out.suffix.lower() not in suffixes:
        raise InputError(
            f"{function}: {argument}={str(out)!r} does not end in {kinds}; "
            f"{function} writes {_what(suffixes)} files",
            column=argument,
            rule=f"a {kinds} file",
            values=[str(out)],
        )
    if out.is_dir():
        raise InputError(
            f"{function}: {argument}={str(out)!r} is a folder; give a file name in it",
            column=argument,
            rule="a file, not a folder",
            values=[str(out)],
        )
    folder = out.parent
    if not folder.is_dir():
        raise InputError(
            f"{function}: {argument}={str(out)!r}: the folder {str(folder)!r} does not exist; "
            "create it first",
            column=argument,
            rule="the folder exists",
            values=[str(out)],
        )
    return out


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to, renamed to ``path`` on success.

    The temporary file has the same suffix (so writers that go by the suffix, such as
    matplotlib, still know the format) and is removed if the write raises.
    """
    out = Path(path)
    tmp = out.with_name(f".{out.stem}.{secrets.token_hex(4)}.tmp{out.suffix}")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)  # the umask applies
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _what(suffixes: Sequence[str]) -> str:
    names = {".csv": "CSV", ".xlsx": "Excel (.xlsx)", ".png": "PNG"}
    return " or ".join(names.get(s, s) for s in suffixes)


def _short(value: object) -> str:
    text = repr(value) if not hasattr(value, "to_frame") else f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."
