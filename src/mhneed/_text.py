"""How a value prints: the one comparison for labels that must not differ invisibly.

Two key values, group names or area names that print the same but differ (``"g1"`` and
``"g1 "``, ``1`` and ``"1"``, ``"Rutland"`` and ``"Rutland"`` with a zero-width space, or
a name in two Unicode forms) would silently split one group in two. :func:`printed` gives
the form they are compared in.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MISSING_TEXT", "printed", "quoted_apart"]

#: Text that means a missing value, compared after :func:`printed` and lower-casing.
MISSING_TEXT = frozenset({"nan", "none", "null", "n/a", "na", "<na>", "nat"})

#: Characters that print as nothing: zero-width spaces and joiners, word joiner, byte-order
#: mark, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def printed(value: object) -> str:
    """The text a value shows: Unicode NFKC form, invisible characters dropped, runs of
    spaces (of any kind) made one, no spaces around it."""
    text = unicodedata.normalize("NFKC", str(value))
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def quoted_apart(values: list[object], limit: int = 10) -> str:
    """Values quoted for a message, so that ones that print alike can be told apart: as
    ``repr``, or with non-ASCII characters escaped (``'Cafe\\u0301'``) when two reprs
    would look the same."""
    shown = [repr(v) for v in values[:limit]]
    if len({printed(r) for r in shown}) < len(shown):  # such as 'Café' in two Unicode forms
        shown = [ascii(v) for v in values[:limit]]
    return ", ".join(shown)
