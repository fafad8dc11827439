"""Unit tests for the shipped tables: listing, loading, provenance, manifest and docs.

The figures themselves are checked against RATES.md in
``tests/reference/test_published_rates.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed import MissingColumnError, RateTableError, UnknownTableError
from mhneed.published.tables import parse_manifest, sources_manifest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "tables.md"
CHANGELOG = ROOT / "CHANGELOG.md"

TABLE_IDS = [
    "apms_1993_by_age_sex",
    "apms_2000_by_age_sex",
    "apms_2007",
    "apms_2007_any_condition",
    "apms_2007_by_age_sex",
    "apms_2007_psychosis",
    "apms_2014",
    "apms_2014_by_age_sex",
    "apms_2014_by_sex",
    "apms_2023",
    "jcpmh_2012_perinatal",
    "prison_rutland_jsna_2018",
]
APMS_TABLES = [t for t in TABLE_IDS if t.startswith("apms_")]
WORKBOOK_TABLES = [t for t in TABLE_IDS if t.endswith(("_by_age_sex", "_by_sex"))]
WORKBOOK_DASH_NOTE = (
    "printed '-' in the workbook: no cases observed in the survey sample; stored as 0 "
    "with an upper limit from the base"
)
DASH_NOTE = 'printed "–" in the source (no cases observed in the survey sample); stored as 0'


def test_available_tables_lists_every_table() -> None:
    """available_tables() lists exactly the shipped tables, sorted."""
    assert mhneed.available_tables() == TABLE_IDS


def test_unknown_id_lists_the_valid_ids() -> None:
    """An unknown id is an error listing every valid id."""
    with pytest.raises(UnknownTableError) as info:
        mhneed.load_table("apms_2017")
    assert str(info.value) == (
        "no shipped rate table has id 'apms_2017'; the tables are: apms_1993_by_age_sex, "
        "apms_2000_by_age_sex, apms_2007, apms_2007_any_condition, apms_2007_by_age_sex, "
        "apms_2007_psychosis, apms_2014, apms_2014_by_age_sex, apms_2014_by_sex, apms_2023, "
        "jcpmh_2012_perinatal, prison_rutland_jsna_2018"
    )
    assert isinstance(info.value, KeyError)
    assert info.value.values == ("apms_2017",)


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_every_table_loads_and_validates(table_id: str) -> None:
    """Each table loads, its id matches, and its rows and checks revalidate from frames."""
    table = mhneed.load_table(table_id)
    assert table.id == table_id
    assert table.rows
    rebuilt = mhneed.RateTable(meta=table.meta, rows=table.rows, checks=table.checks)
    assert rebuilt == table
    assert mhneed.load_table(table_id) is table  # read once, then cached


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_every_source_is_in_the_manifest(table_id: str) -> None:
    """Every row's and every check's source is in sources.csv, with the manifest's citation."""
    manifest = sources_manifest()
    table = mhneed.load_table(table_id)
    for row in (*table.rows, *table.checks):
        assert row.source in manifest, (table_id, row)
        assert table.source(row.source) == manifest[row.source]


def test_every_manifest_entry_is_used() -> None:
    """Every source in sources.csv is cited by some row or check of some table."""
    used = {
        row.source
        for table_id in TABLE_IDS
        for row in (*mhneed.load_table(table_id).rows, *mhneed.load_table(table_id).checks)
    }
    assert set(sources_manifest()) == used


def test_manifest_has_no_urls() -> None:
    """RATES.md gives no URL for any source, so the manifest carries none."""
    assert [s.id for s in sources_manifest().values() if s.url is not None] == []


@pytest.mark.parametrize("table_id", APMS_TABLES)
def test_apms_tables_say_private_households_only(table_id: str) -> None:
    """Every APMS table covers private households and says so in a caveat."""
    meta = mhneed.load_table(table_id).meta
    assert "private households" in meta.population
    assert any("private households only" in c for c in meta.caveats)


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_tables_with_several_conditions_warn_of_overlap(table_id: str) -> None:
    """A table with more than one condition says they overlap, and is not mutually exclusive."""
    meta = mhneed.load_table(table_id).meta
    if len(meta.conditions) > 1:
        assert not meta.mutually_exclusive
        assert any(c.startswith("Conditions overlap") for c in meta.caveats)


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_zero_rates_are_printed_dashes(table_id: str) -> None:
    """A rate of 0 is only ever a printed '–', and says so in its note."""
    table = mhneed.load_table(table_id)
    dash = WORKBOOK_DASH_NOTE if table_id in WORKBOOK_TABLES else DASH_NOTE
    for row in (*table.rows, *table.checks):
        if row.rate == 0 and table_id in WORKBOOK_TABLES and row.cell == "10.2!N21":
            assert row.note.startswith("printed 0 in a table of unrounded figures"), row
        elif row.rate == 0:
            assert row.note == dash, row
            assert row.none_in_sample == (table_id in WORKBOOK_TABLES), row
        if row.note == dash:
            assert row.rate == 0, row


def test_prison_table_is_for_people_in_prison() -> None:
    """The prison table names its population, and the CPA figure is for all prisoners."""
    table = mhneed.load_table("prison_rutland_jsna_2018")
    assert table.meta.population == "people in prison, by sex"
    cpa = table.cells("cpa")
    assert [(r.sex, r.rate) for r in cpa] == [("persons", 9.2 / 100)]
    assert "all prisoners" in cpa[0].note
    assert any("never to a resident population" in c for c in table.meta.caveats)


# -- provenance views -------------------------------------------------------------------


def test_conditions_frame() -> None:
    """conditions_frame() lists each condition's label, period, scope and cells."""
    frame = mhneed.load_table("apms_2007").conditions_frame()
    assert list(frame.columns) == [
        "condition",
        "label",
        "period",
        "ages",
        "sexes",
        "published_for",
        "cells",
        "checks",
        "note",
    ]
    expected = pd.DataFrame(
        {
            "condition": ["borderline_pd", "antisocial_pd", "ptsd", "adhd"],
            "period": [
                "not stated by the source",
                "not stated by the source",
                "past month",
                "past 6 months",
            ],
            "ages": ["16-64", "18+", "16+", "16+"],
            "published_for": ["female, male", "female, male", "female, male", "persons"],
            "cells": [2, 2, 2, 1],
            "checks": [1, 1, 1, 0],
        }
    )
    pd.testing.assert_frame_equal(frame[expected.columns], expected)


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_describe_tells_the_provenance(table_id: str) -> None:
    """describe() names the table, every condition with its period, caveats and sources."""
    table = mhneed.load_table(table_id)
    text = table.describe()
    assert text.startswith(f"{table.meta.title} [{table_id}]")
    assert str(table) == text
    for cond in table.meta.conditions:
        assert f"    {cond.id}: {cond.label} ({cond.period}; ages {cond.ages}; " in text
    for caveat in table.meta.caveats:
        assert f"    - {caveat}" in text
    for src in table.meta.sources:
        assert f"    [{src.id}] ({src.kind}) {src.citation}" in text
    if table.meta.citation:
        assert f"  citation: {table.meta.citation}" in text


def test_describe_counts_published_checks() -> None:
    """describe() says how many published checks a table keeps, and shows condition notes."""
    text = mhneed.load_table("apms_2007_psychosis").describe()
    assert "  published checks: 10 figures kept to check the table, not used in estimates" in text
    assert '      note: Complete age-by-sex table; a printed "–"' in text
    assert "published checks" not in mhneed.load_table("jcpmh_2012_perinatal").describe()


# -- the sources manifest parser --------------------------------------------------------


def test_manifest_duplicate_id() -> None:
    """A source id twice in a manifest is an error naming the line."""
    text = "id,citation,url,kind\na,A,,primary\na,B,,secondary\n"
    with pytest.raises(RateTableError) as info:
        parse_manifest(text, where="mine.csv")
    assert str(info.value) == (
        "mine.csv, line 3: column id: 'a' appears more than once; source ids must be unique"
    )


def test_manifest_bad_kind() -> None:
    """A kind other than primary or secondary is an error naming the line and value."""
    text = "id,citation,url,kind\na,A,,tertiary\n"
    with pytest.raises(RateTableError) as info:
        parse_manifest(text, where="mine.csv")
    assert str(info.value) == (
        "mine.csv, line 2 (source 'a'): column kind: Input should be 'primary' or 'secondary' "
        "(value 'tertiary')"
    )


def test_manifest_missing_column() -> None:
    """A manifest without a kind column is a MissingColumnError."""
    with pytest.raises(MissingColumnError) as info:
        parse_manifest("id,citation\na,A\n", where="mine.csv")
    assert str(info.value) == (
        "mine.csv: missing column kind; a sources manifest has columns id, citation, url, kind"
    )


# -- docs/tables.md and the changelog, in step with the metadata -------------------------


def _doc_sections() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    return {p.split("\n", 1)[0].strip(): p for p in parts}


def test_docs_have_a_section_per_table() -> None:
    """docs/tables.md has one section per shipped table (and a bring-your-own section)."""
    others = {"Bring your own table", "How the tables built from the workbooks are checked"}
    assert sorted(set(_doc_sections()) - others) == TABLE_IDS


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_docs_match_the_metadata(table_id: str) -> None:
    """Each table's section gives its title, population, ages, conditions and caveats."""
    section = _doc_sections()[table_id]
    meta = mhneed.load_table(table_id).meta
    assert f"**{meta.title}**" in section
    assert f"- Population covered: {meta.population}\n" in section
    assert f"- Ages in scope: {meta.ages}\n" in section
    assert f"- Citation: {meta.citation}\n" in section
    table = mhneed.load_table(table_id)
    for row in table.conditions_frame().itertuples():
        line = f"| `{row.condition}` | {row.label} | {row.period} | {row.ages} | "
        assert line + f"{row.published_for} |" in section, line
    for caveat in meta.caveats:
        assert f"- {caveat}\n" in section, caveat
    for src in meta.sources:
        assert f"- `{src.id}` ({src.kind}): {src.citation}\n" in section


def test_changelog_has_a_data_line_per_table() -> None:
    """The changelog's Unreleased data section has a line naming each shipped table."""
    text = CHANGELOG.read_text(encoding="utf-8")
    unreleased = text.split("\n## Unreleased", 1)[1].split("\n## ", 1)[0]
    data = unreleased.split("\n### Data\n", 1)[1].split("\n### ", 1)[0]
    for table_id in TABLE_IDS:
        assert f"\n- `{table_id}`: " in f"\n{data}", table_id
