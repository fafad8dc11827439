"""Unit tests for mhneed._file_quirks: the file quirks every reader shares."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from mhneed._file_quirks import (
    as_paths,
    check_width,
    file_head,
    is_blank,
    is_note,
    read_text,
    separator_hint,
    text_encoding,
    trim_blank_tail,
)
from mhneed.errors import InputError


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (codecs.BOM_UTF8 + "Área".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Área".encode("utf-16-le"), "utf-16"),
        ("Área".encode(), "utf-8"),
        ("Área\u2019".encode("cp1252"), "cp1252"),
        (b"\x81\x8d", "latin-1"),
    ],
)
def test_text_encoding_bom_first_then_fallbacks(raw: bytes, encoding: str) -> None:
    """A byte-order mark names the encoding; else UTF-8, Windows-1252, Latin-1 in turn."""
    assert text_encoding(raw) == encoding


def test_read_text_drops_a_utf8_bom(tmp_path: Path) -> None:
    """The BOM Excel writes before UTF-8 text is not part of the first cell."""
    path = tmp_path / "a.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"CODE,NAME\n")
    assert read_text(path, "reader").startswith("CODE")


def test_file_head_reads_utf16_and_anything_else(tmp_path: Path) -> None:
    """The head of a UTF-16 file reads as text; other bytes as Latin-1, never failing."""
    utf16 = tmp_path / "u.csv"
    utf16.write_bytes(codecs.BOM_UTF16_LE + "AREA_CODE,SEX".encode("utf-16-le"))
    assert "AREA_CODE" in file_head(utf16)
    other = tmp_path / "o.csv"
    other.write_bytes(b"GEOGRAPHY_CODE\t\xff\xfe")
    assert file_head(other).startswith("GEOGRAPHY_CODE")


def test_blank_rows_notes_and_trailing_cells() -> None:
    """Rows of separators are blank; text in the first cell alone is a note."""
    assert is_blank(["", " ", ""])
    assert not is_blank(["", "1"])
    assert trim_blank_tail(["a", "b", "", " "]) == ["a", "b"]
    assert is_note(["Notes: see below", "", ""])
    assert not is_note(["E06000017", "Rutland"])
    assert not is_note(["", "x"])


def test_check_width_refuses_short_rows_and_values_beyond_the_header() -> None:
    """A short row is a truncated file; empty cells beyond the header are allowed."""
    check_width(["a", "b", "", ""], ["A", "B"], "r: f.csv line 2", 2)
    with pytest.raises(InputError, match=r"^r: f.csv line 2: 1 columns, but the header has 2; "):
        check_width(["a"], ["A", "B"], "r: f.csv line 2", 2)
    with pytest.raises(InputError, match=r"^r: f.csv line 2: 3 columns, but the header has 2$"):
        check_width(["a", "b", "c"], ["A", "B"], "r: f.csv line 2", 2)


def test_as_paths_and_separator_hint() -> None:
    """One path becomes a list; an empty list asks for what the reader reads."""
    assert as_paths("a.csv", "r", "a file") == ["a.csv"]
    with pytest.raises(InputError, match=r"^r: no files given; give the path of a file, or a "):
        as_paths([], "r", "a file")
    assert separator_hint("\t") == "; the file looks tab-separated: save it as CSV"
