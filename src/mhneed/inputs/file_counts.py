"""Counts as the population files write them: read, checked, kept and shown alike.

The ONS, Nomis and SNPP files write counts with thousands separators (``38,022``,
quoted in a CSV), sometimes with non-breaking spaces, sometimes with decimals
(projections, ``41,225.000``). Every population reader reads them here
(:func:`parse_count`, or :func:`parse_counts` for many at once), refuses a count
above :data:`mhneed.inputs.count_column.MAX_COUNT` (:func:`too_large`), returns them as whole
numbers where they are (:func:`counts_array`) and prints them alike in its messages
(:func:`count_text`). The quirks of the files themselves (encodings, byte-order marks,
blank and footnote rows) are met in :mod:`mhneed._file_quirks`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.inputs.count_column import MAX_COUNT

__all__ = [
    "COUNT_PATTERN",
    "TOO_LARGE_RULE",
    "count_text",
    "counts_array",
    "parse_count",
    "parse_counts",
    "too_large",
    "too_large_words",
]

#: A count as ONS writes it: ASCII digits, thousands separated by commas or not, and
#: decimals (``38,022``, ``341``, ``12.5``). No sign: a minus is read apart.
COUNT_PATTERN = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"

#: The rule an error names when a count is too large.
TOO_LARGE_RULE = f"counts <= {MAX_COUNT:.0e}"

_COUNT = re.compile(rf"^-?{COUNT_PATTERN}$", re.ASCII)


def parse_count(text: str) -> float | None:
    """A count written as in ONS files (``38,022``, ``341``, ``12.5``); ``None`` if not one.

    Only ASCII digits count: ``²`` or ``٣`` are not numbers in a statistics file.
    Spaces around it, and non-breaking spaces anywhere, are ignored; a minus sign is
    read (the caller says whether a negative count is allowed).
    """
    value = text.strip().replace("\u00a0", "")
    if not _COUNT.match(value):
        return None
    return float(value.replace(",", ""))


def parse_counts(texts: pd.Series) -> npt.NDArray[np.float64]:
    """Many counts at once (a Series of text), as :func:`parse_count`; NaN for any other text.

    Stricter than :func:`parse_count`: spaces around a count are ignored, but a
    minus sign or a non-breaking space inside makes it not a count.
    """
    flat = texts.str.strip()
    good = flat.str.fullmatch(COUNT_PATTERN).to_numpy(dtype=bool)
    numbers = np.full(len(flat), np.nan)
    numbers[good] = flat[good].str.replace(",", "", regex=False).astype(np.float64).to_numpy()
    return numbers


def too_large(value: float) -> bool:
    """True for a count above :data:`~mhneed.inputs.count_column.MAX_COUNT` (more people than
    on Earth)."""
    return value > MAX_COUNT


def too_large_words() -> str:
    """How a message says a count is too large."""
    return f"is more than {MAX_COUNT:,}, more people than live on Earth"


def counts_array(values: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
    """Counts as int64 when all are whole numbers; else float64 (NaN for missing)."""
    if np.all(np.isfinite(values)) and np.all(values == np.floor(values)):
        return values.astype(np.int64)
    return values


def count_text(value: object) -> str:
    """A count for a message: ``1,234`` when whole, else ``1,234.50``; ``missing`` for NaN."""
    number = float(value)  # type: ignore[arg-type]
    if np.isnan(number):
        return "missing"
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
