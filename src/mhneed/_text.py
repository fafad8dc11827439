"""How a value prints: the one comparison for labels that must not differ invisibly.

Two key values, group names or area names that print the same but differ (``"g1"`` and
``"g1 "``, ``1`` and ``"1"``, ``"Rutland"`` and ``"Rutland"`` with a zero-width space, or
a name in two Unicode forms) would silently split one group in two. :func:`printed` gives
the form they are compared in.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["MISSING_TEXT", "means_missing", "plain_text", "printed", "printed_all", "quoted_apart"]

#: Text that means a missing value, compared after :func:`printed` and lower-casing.
MISSING_TEXT = frozenset({"nan", "none", "null", "n/a", "na", "<na>", "nat"})

#: Characters that print as nothing: zero-width spaces and joiners, word joiner, byte-order
#: mark, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
#: Text of printable ASCII with single spaces inside only: it prints as itself.
_PLAIN = r"[!-~]+(?: [!-~]+)*"
_PLAIN_TEXT = re.compile(_PLAIN)
#: Up to this many values, text is checked value by value rather than as an array.
_FEW = 500


def printed(value: object) -> str:
    """The text a value shows: Unicode NFKC form, invisible characters dropped, runs of
    spaces (of any kind) made one, no spaces around it."""
    text = unicodedata.normalize("NFKC", str(value))
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def printed_all(values: pd.Index) -> list[str]:
    """:func:`printed` of each value; text in plain printable ASCII (area codes and most
    names) prints as itself, so only the rest is normalised one by one."""
    plain = plain_text(values)
    if plain is None:
        return [printed(v) for v in values]
    out: list[str] = pd.Index(values).astype(object).tolist()
    for i in np.flatnonzero(~plain):
        out[i] = printed(out[i])
    return out


def plain_text(values: pd.Index) -> npt.NDArray[np.bool_] | None:
    """Per value, True where it is text that prints as itself (printable ASCII, single
    spaces inside only); ``None`` unless every value is text."""
    index = pd.Index(values)
    if not len(index):
        return None
    if len(index) <= _FEW:  # a few values: one by one costs less than an array step
        texts = index.tolist()
        if not all(isinstance(t, str) for t in texts):
            return None
        return np.array([_PLAIN_TEXT.fullmatch(t) is not None for t in texts], dtype=bool)
    if pd.api.types.infer_dtype(index, skipna=False) != "string":
        return None
    if not isinstance(index.dtype, pd.StringDtype):  # text held as Python objects
        index = index.astype("str")
    return np.asarray(index.str.fullmatch(_PLAIN), dtype=bool)


def means_missing(text: pd.Index) -> npt.NDArray[np.bool_]:
    """Per value of plain text (see :func:`plain_text`), whether it is text that means a
    missing value ("NA", "null", ...)."""
    if len(text) <= _FEW:  # a few values: one by one costs less than an array step
        return np.array([str(t).lower() in MISSING_TEXT for t in text.tolist()], dtype=bool)
    lowered = pd.Index(text).astype("str").str.lower()
    return np.asarray(lowered.isin(list(MISSING_TEXT)), dtype=bool)


def quoted_apart(values: list[object], limit: int = 10) -> str:
    """Values quoted for a message, so that ones that print alike can be told apart: as
    ``repr``, or with non-ASCII characters escaped (``'Cafe\\u0301'``) when two reprs
    would look the same."""
    shown = [repr(v) for v in values[:limit]]
    if len({printed(r) for r in shown}) < len(shown):  # such as 'Café' in two Unicode forms
        shown = [ascii(v) for v in values[:limit]]
    return ", ".join(shown)
