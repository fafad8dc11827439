"""The guard against formula injection: text a spreadsheet would run is written as text.

A text value that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (an area or group name from your file, say), also after spaces or in
full-width form (``＝``, ``＋``, ``－``, ``＠``), is written with a leading
apostrophe (``'=SUM(A1)``, ``' =SUM(A1)``), so that a spreadsheet shows it as
text and never runs it. Numbers, negative ones included, stay numbers. Every
writer of CSV and Excel files (:mod:`mhneed.outputs.csv_export`,
:mod:`mhneed.outputs.excel_export`, :mod:`mhneed.outputs.workbook`) passes its
text through :func:`safe_text`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["FORMULA_START", "SAFE_TEXT_RULE", "safe_text"]

#: What a text value may not start with, lest a spreadsheet run it as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: The rule, as the Notes sheet and docs state it.
SAFE_TEXT_RULE = (
    "Text that starts with =, +, -, @, a tab or a carriage return, also after spaces and in "
    "their full-width forms (＝ ＋ － ＠), such as an area or group name from your file, is "
    "written with a leading apostrophe (') so that a spreadsheet shows it as text and never "
    "runs it as a formula; numbers stay numbers."
)

#: Invisible characters a spreadsheet may skip before a formula, besides whitespace.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def safe_text(value: Any) -> Any:
    """A value as it is safe to write to a spreadsheet cell.

    Parameters
    ----------
    value : object
        A cell's value.

    Returns
    -------
    object
        Text starting with one of :data:`FORMULA_START`, also after
        spaces (or invisible characters) or in a full-width form such as
        ``＝`` (compared in Unicode NFKC form), gets a leading apostrophe;
        everything else (other text, numbers, missing values) is
        returned unchanged.

    Examples
    --------
    >>> safe_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_text("-5"), safe_text(-5), safe_text("Rutland")
    ("'-5", -5, 'Rutland')
    """
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value


def _runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet might run ``text`` as a formula.

    It does when the text starts with one of :data:`FORMULA_START`; spreadsheets also
    skip leading spaces and read full-width and small forms (``＝``, ``＋``, ``－``,
    ``＠``, ``﹦``) as the ASCII sign, so the first character after any spaces (and
    invisible characters) is compared in Unicode NFKC form.
    """
    if text.startswith(FORMULA_START):
        return True
    start = 0
    while start < len(text) and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    rest = text[start:]
    return bool(rest) and unicodedata.normalize("NFKC", rest[0]).startswith(FORMULA_START)
