"""Unit tests for mhneed.published.rates: building and validating rate tables."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from mhneed.errors import MissingColumnError, RateTableError
from mhneed.published.rates import RateTable, TableMeta


def meta(**over: Any) -> dict[str, Any]:
    """Metadata for a small test table (test values, not a published table)."""
    base: dict[str, Any] = {
        "id": "test_table",
        "title": "Test table",
        "publisher": "Tests",
        "edition": 2020,
        "geography": "Nowhere",
        "population": "test people",
        "ages": "16+",
        "denominator": "persons",
        "interval": "confidence_interval",
        "level": 0.95,
        "unit": "percent",
        "conditions": [
            {"id": "c1", "label": "Condition one", "period": "past week", "ages": "16+"}
        ],
        "sources": [{"id": "s1", "citation": "A test source.", "kind": "primary"}],
    }
    base.update(over)
    return base


def rows(*records: tuple[Any, ...]) -> pd.DataFrame:
    """A rows frame from (condition, sex, age_band, rate, lower, upper, source) tuples."""
    cols = ["condition", "sex", "age_band", "rate", "lower", "upper", "source"]
    return pd.DataFrame(list(records), columns=cols)


def test_percent_rows_become_proportions() -> None:
    """Rates in the file's unit are held as proportions."""
    t = RateTable.from_frame(
        rows(
            ("c1", "female", "16+", 6.8, 6.0, 7.5, "s1"),
            ("c1", "male", "16+", 4.9, None, None, "s1"),
        ),
        meta(),
    )
    frame = t.to_frame()
    assert frame["rate"].tolist() == pytest.approx([0.068, 0.049])
    assert frame.loc[0, "lower"] == pytest.approx(0.06)
    assert pd.isna(frame.loc[1, "lower"])
    assert t.conditions == ["c1"]


def test_per_1000_blank_rate_takes_midpoint() -> None:
    """A published range with no central figure uses its midpoint, and says so."""
    t = RateTable.from_frame(
        rows(("c1", "female", "all ages", None, 100, 150, "s1")),
        meta(
            unit="per_1000",
            interval="published_range",
            level=None,
            denominator="maternities",
            conditions=[
                {"id": "c1", "label": "C", "period": "p", "ages": "all ages", "sexes": ["female"]}
            ],
        ),
    )
    row = t.rows[0]
    assert (row.rate, row.lower, row.upper) == pytest.approx((0.125, 0.1, 0.15))
    assert row.rate_is_midpoint


def test_full_age_by_sex_grid_is_accepted() -> None:
    """A grid of age bands by sex partitions 16+ and loads."""
    recs = [
        ("c1", s, b, 1.0, None, None, "s1")
        for s in ("female", "male")
        for b in ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
    ]
    t = RateTable.from_frame(rows(*recs), meta(interval="none", level=None))
    assert len(t.cells("c1")) == 14


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            ("c1", "persons", "16+", 120, None, None, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): column rate: "
            "value 120 is outside 0..100, the range for unit percent",
        ),
        (
            ("c1", "persons", "16+", 5, 6, 7, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): column lower: "
            "0.06 is above the rate 0.05 (as proportions); the rule is lower <= rate <= upper",
        ),
        (
            ("c1", "persons", "16+", 5, 4, 4.5, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): column upper: "
            "0.045 is below the rate 0.05 (as proportions); the rule is lower <= rate <= upper",
        ),
        (
            ("c1", "persons", "16+", "five", None, None, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): column rate: "
            "value 'five' is not a number",
        ),
        (
            ("c1", "persons", "16+", True, None, None, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): column rate: "
            "value True is true/false, not a number",
        ),
        (
            ("c1", "persons", "16+", "6_8", None, None, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): column rate: "
            "value '6_8' is not a number",
        ),
        (
            ("c1", "persons", "16+", "4,9", None, None, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): column rate: "
            "value '4,9' is not a number; a comma is ambiguous (a decimal comma, 4.9, or a "
            "thousands separator, 49): write the figure with a decimal point and no thousands "
            "separators",
        ),
        (
            ("c1", "persons", "16+", 5, None, None, "nope"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): column source: "
            "'nope' is not in the sources manifest (s1)",
        ),
        (
            ("c2", "persons", "16+", 5, None, None, "s1"),
            "rate table test_table, row 1 (condition c2, sex persons, age_band 16+): column "
            "condition: 'c2' is not one of the table's conditions (c1)",
        ),
        (
            ("c1", "both", "16+", 5, None, None, "s1"),
            "rate table test_table, row 1 (condition c1, sex both, age_band 16+): column sex: "
            "value 'both' is not one of female, male, persons",
        ),
        (
            ("c1", "persons", "adults", 5, None, None, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band adults): column "
            "age_band: age band 'adults' is not a band: write 'lower-upper' (such as '16-24') "
            "or 'lower+' (such as '75+')",
        ),
        (
            ("c1", "persons", "16+", 5, 4, None, "s1"),
            "rate table test_table, row 1 (condition c1, sex persons, age_band 16+): columns "
            "lower and upper: give both limits or neither",
        ),
    ],
)
def test_row_rules(record: tuple[Any, ...], message: str) -> None:
    """Each row rule fails with a message naming the row, column, rule and value."""
    with pytest.raises(RateTableError) as info:
        RateTable.from_frame(rows(record), meta())
    assert str(info.value) == message


def test_every_row_problem_at_once() -> None:
    """Problems in several rows (parsing and rules) are listed in one error, in row order.

    One problem per row: row 5's unknown source is found once its limits are fixed.
    """
    frame = rows(
        ("c1", "female", "16+", "six", None, None, "s1"),
        ("c1", "male", "16+", 5, None, None, "s1"),
        ("c2", "persons", "16+", 5, None, None, "s1"),
        ("c1", "both", "16+", 5, None, None, "s1"),
        ("c1", "persons", "16+", 5, 4, None, "nope"),
    )
    with pytest.raises(RateTableError) as info:
        RateTable.from_frame(frame, meta())
    assert str(info.value) == (
        "rate table test_table: 4 problems: "
        "row 1 (condition c1, sex female, age_band 16+): column rate: value 'six' is not a "
        "number; "
        "row 3 (condition c2, sex persons, age_band 16+): column condition: 'c2' is not one of "
        "the table's conditions (c1); "
        "row 4 (condition c1, sex both, age_band 16+): column sex: value 'both' is not one of "
        "female, male, persons; "
        "row 5 (condition c1, sex persons, age_band 16+): columns lower and upper: give both "
        "limits or neither"
    )
    assert info.value.column is None
    assert info.value.rule == (
        "numeric; condition declared in metadata; sex in female, male, persons; both limits "
        "or neither"
    )
    assert info.value.values == ("six", "c2", "both")
    assert info.value.rows is not None
    assert len(info.value.rows) == 4


def test_gap_in_cells_is_named() -> None:
    """A condition whose cells leave ages uncovered names the ages and the sex."""
    with pytest.raises(RateTableError) as info:
        RateTable.from_frame(
            rows(
                ("c1", "female", "16-24", 5, None, None, "s1"),
                ("c1", "male", "16+", 5, None, None, "s1"),
            ),
            meta(),
        )
    assert str(info.value) == (
        "rate table test_table: condition c1, sex female: the age bands must cover ages 16+ "
        "exactly once; ages not covered: 25+"
    )


def test_persons_and_sex_rows_overlap() -> None:
    """A persons row beside a sex row for the same ages covers them twice."""
    with pytest.raises(RateTableError) as info:
        RateTable.from_frame(
            rows(
                ("c1", "persons", "16+", 5, None, None, "s1"),
                ("c1", "female", "16+", 6, None, None, "s1"),
            ),
            meta(),
        )
    assert str(info.value) == (
        "rate table test_table: condition c1, sex female: the age bands must cover ages 16+ "
        "exactly once; ages covered twice: 16+ (in both 16+ and 16+)"
    )


def test_duplicate_condition_ids() -> None:
    """Two conditions with one id are refused."""
    cond = {"id": "c1", "label": "C", "period": "p", "ages": "16+"}
    with pytest.raises(RateTableError) as info:
        TableMeta.from_mapping(meta(conditions=[cond, cond]))
    assert str(info.value) == (
        "rate table test_table: condition id 'c1' appears more than once; condition ids must be unique"
    )


def test_unknown_unit_names_field() -> None:
    """An unknown unit is refused, naming the field and value."""
    with pytest.raises(RateTableError) as info:
        TableMeta.from_mapping(meta(unit="per_100"))
    assert str(info.value) == (
        "rate table test_table metadata: field unit: Input should be 'proportion', 'percent' "
        "or 'per_1000' (value 'per_100')"
    )


def test_missing_metadata_field() -> None:
    """A missing metadata field is named."""
    m = meta()
    del m["title"]
    with pytest.raises(RateTableError) as info:
        TableMeta.from_mapping(m)
    assert str(info.value) == "rate table test_table metadata: field title: Field required"


def test_missing_row_column() -> None:
    """A rows frame without a required column names it."""
    frame = rows(("c1", "persons", "16+", 5, None, None, "s1")).drop(columns=["upper"])
    with pytest.raises(MissingColumnError) as info:
        RateTable.from_frame(frame, meta())
    assert str(info.value) == (
        "rate table test_table: missing column upper; a rate table has columns "
        "condition, sex, age_band, rate, lower, upper, source"
    )


def test_empty_rows() -> None:
    """A table with no rows is refused."""
    with pytest.raises(RateTableError) as info:
        RateTable.from_frame(rows(), meta())
    assert str(info.value) == "rate table test_table: no rows; a table needs at least one rate"


def test_limits_without_interval_kind() -> None:
    """Limits in a table that declares no interval are refused."""
    with pytest.raises(RateTableError, match="the table's interval kind is none"):
        RateTable.from_frame(
            rows(("c1", "persons", "16+", 5, 4, 6, "s1")), meta(interval="none", level=None)
        )


def test_table_is_immutable() -> None:
    """A loaded table cannot be changed."""
    t = RateTable.from_frame(rows(("c1", "persons", "16+", 5, None, None, "s1")), meta())
    with pytest.raises(Exception, match="frozen"):
        t.rows = ()  # type: ignore[misc]
