"""Checking where outputs go before anything is written: a ``.csv`` or ``.xlsx`` name,
never one of the input files (however the path is spelt), never a file that exists
unless ``--force``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from mhneed.errors import InputError

__all__ = ["optional_input", "out_path", "refuse_inputs", "refuse_overwrite", "table_files"]


def out_path(text: str) -> Path:
    """The ``--out`` file, whose name must end in ``.csv`` or ``.xlsx``."""
    path = Path(text)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(
            f"--out {text}: the file name must end in .csv or .xlsx",
            column="--out",
            rule="a .csv or .xlsx file",
            values=[text],
        )
    return path


def refuse_inputs(out: Path, inputs: Sequence[tuple[str, Path]], option: str) -> None:
    """Refuse an output that is one of the input files (always, --force or not)."""
    for given, path in inputs:
        if _same_file(out, path):
            raise InputError(
                f"{option} {out}: this is the input file given as {given} {path}; mhneed never "
                "writes over its input: give another file name",
                column=option,
                rule="an output is not an input file",
                values=[str(out)],
            )


def refuse_overwrite(outputs: Sequence[tuple[str, Path]], force: bool) -> None:
    """Refuse outputs that exist, unless --force, naming them all."""
    if force:
        return
    existing = [(option, path) for option, path in outputs if path.exists()]
    if not existing:
        return
    shown = ", ".join(str(path) for _, path in existing[:5])
    if len(existing) > 5:
        shown += f" and {len(existing) - 5} more"
    what = "exists" if len(existing) == 1 else f"exist ({len(existing)} files)"
    raise InputError(
        f"{existing[0][0]}: {shown} {what}; pass --force to overwrite, or give another "
        f"{'folder' if existing[0][0] == '--charts' else 'name'}",
        column=existing[0][0],
        rule="no overwriting without --force",
        values=[str(path) for _, path in existing],
    )


def optional_input(option: str, value: str | None) -> list[tuple[str, Path]]:
    """An input file option as ``(option, path)`` for :func:`refuse_inputs`, if given."""
    return [] if value is None else [(option, Path(value))]


def table_files(table: str) -> list[tuple[str, Path]]:
    """A ``--table`` that is a file of the user's (and its metadata beside it): inputs too."""
    path = Path(table)
    if not path.is_file():
        return []
    siblings = [path.with_suffix(s) for s in (".csv", ".xlsx", ".xls", ".json")]
    return [("--table", p) for p in dict.fromkeys([path, *siblings]) if p.is_file()]


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
    except OSError:
        return False
