"""Unit tests for mhneed.published.rate_file_long: the long-format reader, read_rate_table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import mhneed
from mhneed import MissingColumnError, RateTableError

# -- the long format --------------------------------------------------------------------


def _long_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Condition": ["gad", "gad"],
            " Sex ": ["female", "male"],
            "AGE_BAND": ["16+", "16+"],
            "rate": ["6.8", "4.9"],
            "source": ["rutland_jsna_2018", "rutland_jsna_2018"],
        }
    )


LONG_META: dict[str, Any] = {
    "id": "my_gad",
    "title": "GAD by sex",
    "publisher": "NHS Digital",
    "edition": 2014,
    "geography": "England",
    "population": "adults aged 16 and over living in private households",
    "ages": "16+",
    "denominator": "persons",
    "interval": "none",
    "unit": "percent",
    "conditions": [
        {"id": "gad", "label": "Generalised anxiety disorder", "period": "past week", "ages": "16+"}
    ],
}


def test_long_frame_with_meta_mapping() -> None:
    """A DataFrame and a metadata mapping make a table; column names match loosely."""
    table = mhneed.read_rate_table(_long_rows(), LONG_META)
    assert [(r.sex, r.rate, r.lower) for r in table.rows] == [
        ("female", 6.8 / 100, None),
        ("male", 4.9 / 100, None),
    ]
    assert [s.id for s in table.meta.sources] == ["rutland_jsna_2018"]
    assert table.meta.sources[0] == mhneed.published.tables.sources_manifest()["rutland_jsna_2018"]


@pytest.mark.parametrize("table_id", mhneed.available_tables())
def test_shipped_files_read_like_load_table(table_id: str) -> None:
    """Each shipped CSV read with its sibling JSON and checks equals load_table's table."""
    folder = Path(str(mhneed.published.tables.tables_folder()))
    table = mhneed.read_rate_table(folder / f"{table_id}.csv")
    assert table == mhneed.load_table(table_id)


def test_long_csv_with_json_and_own_sources(tmp_path: Path) -> None:
    """A CSV, a JSON metadata file and a sources CSV beside it make a table."""
    rows = _long_rows()
    rows["source"] = "my_survey"
    rows.to_csv(tmp_path / "mine.csv", index=False)
    (tmp_path / "mine.json").write_text(json.dumps(LONG_META), encoding="utf-8")
    (tmp_path / "mine.checks.csv").write_text(
        "condition,sex,age_band,rate,source\ngad,persons,16+,5.9,my_survey\n", encoding="utf-8"
    )
    (tmp_path / "sources.csv").write_text(
        "id,citation,url,kind\nmy_survey,My survey (2014),,primary\n", encoding="utf-8"
    )
    table = mhneed.read_rate_table(tmp_path / "mine.csv")
    assert [(r.sex, r.rate) for r in table.checks] == [("persons", 5.9 / 100)]
    assert table.source("my_survey").citation == "My survey (2014)"
    by_path = mhneed.read_rate_table(tmp_path / "mine.csv", tmp_path / "mine.json")
    assert by_path == table


def test_long_csv_in_windows_encoding(tmp_path: Path) -> None:
    """A CSV saved by Excel on Windows (cp1252, an en dash in a note) is read."""
    text = "condition,sex,age_band,rate,source,note\ngad,female,16+,6.8,s,16–24 high\n"
    text += "gad,male,16+,4.9,s,\n"
    (tmp_path / "win.csv").write_bytes(text.encode("cp1252"))
    table = mhneed.read_rate_table(
        tmp_path / "win.csv", LONG_META, sources=[{"id": "s", "citation": "S", "kind": "primary"}]
    )
    assert table.rows[0].note == "16–24 high"


def test_long_missing_metadata(tmp_path: Path) -> None:
    """A CSV with no metadata beside it, and no meta=, is an error saying what to give."""
    _long_rows().to_csv(tmp_path / "mine.csv", index=False)
    with pytest.raises(RateTableError) as info:
        mhneed.read_rate_table(tmp_path / "mine.csv")
    assert str(info.value) == (
        "no metadata for the rate table in mine.csv (no mine.json beside it): pass meta= as a "
        "mapping, a TableMeta or a JSON file with id, title, publisher, edition, geography, "
        "population, ages, denominator, interval, unit and conditions"
    )


def test_long_unknown_source() -> None:
    """A source id cited nowhere is an error naming it."""
    rows = _long_rows()
    rows["source"] = ["nowhere", "rutland_jsna_2018"]
    with pytest.raises(RateTableError) as info:
        mhneed.read_rate_table(rows, LONG_META)
    assert str(info.value) == (
        "rate table my_gad: column source: 'nowhere' not cited anywhere; give each source's "
        "id, citation and kind (primary or secondary) in sources= (a sources CSV or a list) or "
        "in the metadata's sources list"
    )


def test_long_blank_source() -> None:
    """A blank source is an error naming the row."""
    rows = _long_rows()
    rows["source"] = ["rutland_jsna_2018", " "]
    with pytest.raises(RateTableError) as info:
        mhneed.read_rate_table(rows, LONG_META)
    assert str(info.value) == "column source is blank in row 2; every figure names its source"


def test_long_missing_column() -> None:
    """A missing required column is a MissingColumnError naming it."""
    with pytest.raises(MissingColumnError) as info:
        mhneed.read_rate_table(_long_rows().drop(columns=["rate"]), LONG_META)
    assert str(info.value) == (
        "the DataFrame: missing column rate; a rate table has columns condition, sex, "
        "age_band, rate, source and optionally lower, upper, note"
    )


def test_long_bad_json(tmp_path: Path) -> None:
    """Metadata that is not JSON is an error naming the file and line."""
    (tmp_path / "meta.json").write_text('{"id": "x",\n', encoding="utf-8")
    with pytest.raises(RateTableError, match=r"^meta.json: not valid JSON \(line 2, column 1: "):
        mhneed.read_rate_table(_long_rows(), tmp_path / "meta.json")


def test_long_rule_errors_come_from_the_table() -> None:
    """A rate outside the unit's range is the table's own error, naming the row."""
    rows = _long_rows()
    rows["rate"] = ["6.8", "104"]
    with pytest.raises(RateTableError) as info:
        mhneed.read_rate_table(rows, LONG_META)
    assert str(info.value) == (
        "rate table my_gad, row 2 (condition gad, sex male, age_band 16+): column rate: value "
        "104 is outside 0..100, the range for unit percent"
    )
