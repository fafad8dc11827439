"""Unit tests for the formula-injection guard (mhneed.outputs.formula_guard)."""

from __future__ import annotations

import pytest

from mhneed.outputs.formula_guard import FORMULA_START, safe_text

#: Names a hostile or careless file might hold, each of which a spreadsheet would run.
HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=2",
    # spreadsheets skip leading spaces and read full-width signs as the plain ones
    " =1+1",
    "\u00a0+7",
    "\u200b@A1",
    "＝HYPERLINK(1)",
    "＋3",
    "－4+1",
    "＠SUM(B1)",
    "﹦9",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_text_prefixes_formula_starts(text: str) -> None:
    """Text starting with = + - @ tab or CR (after spaces, or full-width) gets an apostrophe."""
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["Rutland", "1,388 (1,199–1,577)", "", -5, -2.5, 0, None, " Rutland", "   ", "Ynys Môn", "a=b"],
)
def test_safe_text_leaves_the_rest(value: object) -> None:
    """Other text, and numbers (negative ones too), are unchanged."""
    assert safe_text(value) == value


def test_formula_start_is_the_documented_rule() -> None:
    """The characters are exactly those the docs list."""
    assert FORMULA_START == ("=", "+", "-", "@", "\t", "\r")
