"""Unit tests for mhneed.published.bands: parsing, printing, partition checks."""

from __future__ import annotations

import pytest

from mhneed.errors import AgeBandError
from mhneed.published.bands import AgeBand, check_partition, parse_band


@pytest.mark.parametrize(
    ("label", "lower", "upper", "printed"),
    [
        ("16-24", 16, 24, "16-24"),
        ("16–24", 16, 24, "16-24"),
        ("16 to 24", 16, 24, "16-24"),
        ("75+", 75, None, "75+"),
        ("16+", 16, None, "16+"),
        ("0-15", 0, 15, "0-15"),
        ("75 and over", 75, None, "75+"),
        ("Aged 18 to 64", 18, 64, "18-64"),
        ("all ages", 0, None, "all ages"),
    ],
)
def test_parse_and_print(label: str, lower: int, upper: int | None, printed: str) -> None:
    """Each accepted label parses to the right ages and prints in one canonical form."""
    band = parse_band(label)
    assert (band.lower, band.upper) == (lower, upper)
    assert str(band) == printed
    assert parse_band(printed) == band


def test_parse_rejects_text() -> None:
    """A label that is not a band names itself and the accepted forms."""
    with pytest.raises(AgeBandError) as info:
        parse_band("adults")
    assert str(info.value) == (
        "age band 'adults' is not a band: write 'lower-upper' (such as '16-24') "
        "or 'lower+' (such as '75+')"
    )


def test_parse_rejects_reversed() -> None:
    """A band written upper-first is refused with the rule."""
    with pytest.raises(AgeBandError) as info:
        parse_band("24-16")
    assert str(info.value) == (
        "age band '24-16': lower age 24 is above upper age 16; write bands as "
        "'lower-upper', such as '16-24', or '75+'"
    )


def test_parse_rejects_implausible_age() -> None:
    """Ages above 120 are refused."""
    with pytest.raises(AgeBandError, match=r"age 130 is outside 0\.\.120"):
        parse_band("100-130")


def test_contains_covers_intersect() -> None:
    """Membership, covering and intersection of closed and open bands."""
    b = AgeBand(16, 24)
    assert b.contains(16)
    assert b.contains(24)
    assert not b.contains(25)
    assert AgeBand(75).contains(120)
    assert AgeBand(16).covers(AgeBand(75))
    assert not AgeBand(16, 74).covers(AgeBand(75))
    assert AgeBand(16, 24).intersect(AgeBand(18, 64)) == AgeBand(18, 24)
    assert AgeBand(75).intersect(AgeBand(18, 64)) is None
    assert AgeBand(16).intersect(AgeBand(18, 67)) == AgeBand(18, 67)
    assert AgeBand(16, 24).width == 9
    assert AgeBand(75).width is None


def test_partition_accepts_exact_cover() -> None:
    """Bands that cover a scope exactly once pass, whatever their order."""
    bands = [parse_band(x) for x in ["75+", "16-24", "25-74"]]
    check_partition(bands, AgeBand(16), what="test")
    check_partition([AgeBand(16, 24), AgeBand(25, 74)], AgeBand(16, 74), what="test")


@pytest.mark.parametrize(
    ("bands", "scope", "message"),
    [
        (
            ["16-24", "35+"],
            "16+",
            "cond x: the age bands must cover ages 16+ exactly once; ages not covered: 25-34",
        ),
        (
            ["16-24", "25-34"],
            "16+",
            "cond x: the age bands must cover ages 16+ exactly once; ages not covered: 35+",
        ),
        (
            ["16-24", "20-34", "35+"],
            "16+",
            "cond x: the age bands must cover ages 16+ exactly once; "
            "ages covered twice: 20-24 (in both 16-24 and 20-34)",
        ),
        (
            ["18-24", "25+"],
            "16+",
            "cond x: the age bands must cover ages 16+ exactly once; ages not covered: 16-17",
        ),
        (
            ["10-24", "25+"],
            "16+",
            "cond x: the age bands must cover ages 16+ exactly once; "
            "bands outside the scope 16+: 10-24",
        ),
        (
            ["16-24", "25-64"],
            "16-74",
            "cond x: the age bands must cover ages 16-74 exactly once; ages not covered: 65-74",
        ),
    ],
)
def test_partition_errors_list_ages(bands: list[str], scope: str, message: str) -> None:
    """Gaps, overlaps and out-of-scope bands are named in the message."""
    with pytest.raises(AgeBandError) as info:
        check_partition([parse_band(b) for b in bands], parse_band(scope), what="cond x")
    assert str(info.value) == message
    assert info.value.rule == "bands partition the scope"
