"""Unit tests for mhneed.projections: years as rows and as columns, change from the base year."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, MissingColumnError
from tests.helpers import make_table

#: Women 10% (8-13%), men 5% (4-6%), ages 16+.
RECORDS = [("c", "female", "16+", 10.0, 8.0, 13.0), ("c", "male", "16+", 5.0, 4.0, 6.0)]


def people(
    female: tuple[float, float] = (1000, 1200), male: tuple[float, float] = (1000, 900)
) -> pd.DataFrame:
    """Two years of one area: women 1,000 then 1,200, men 1,000 then 900, all aged 30."""
    rows = []
    for year, f, m in zip((2022, 2030), female, male, strict=True):
        rows.append({"area_code": "E1", "year": year, "sex": "female", "age": 30, "population": f})
        rows.append({"area_code": "E1", "year": year, "sex": "male", "age": 30, "population": m})
    return pd.DataFrame(rows)


def tidy(interval: str = "confidence_interval", **kwargs: object) -> pd.DataFrame:
    """The projection of people() with the two-cell table."""
    est = mhneed.estimate(people(), make_table(RECORDS, interval=interval))
    return mhneed.projection_tidy(est, **kwargs)  # type: ignore[arg-type]


def test_tidy_columns_and_base_year_row() -> None:
    """One row per area, condition and year; the base year's change is 0, range 0 to 0."""
    frame = tidy()
    assert list(frame.columns) == [
        "area_code", "condition", "label", "year", "population", "cases", "cases_lower",
        "cases_upper", "interval", "change", "change_lower", "change_upper", "change_pct",
        "change_pct_lower", "change_pct_upper",
    ]  # fmt: skip
    base = frame[frame["year"] == 2022].iloc[0]
    assert [base[c] for c in ("change", "change_lower", "change_upper")] == [0.0, 0.0, 0.0]
    assert [base[c] for c in ("change_pct", "change_pct_lower", "change_pct_upper")] == [0, 0, 0]


def test_change_with_confidence_intervals_by_hand() -> None:
    """Women +200, men -100: change 15; sides swap where the population falls (men)."""
    row = tidy().set_index("year").loc[2030]
    assert row["cases"] == pytest.approx(1200 * 0.10 + 900 * 0.05)
    assert row["change"] == pytest.approx(15.0)
    # below: women 200 × (0.10 - 0.08) = 4; men 100 × (0.06 - 0.05) = 1 (upper side, falling)
    assert row["change_lower"] == pytest.approx(15 - math.sqrt(4**2 + 1**2))
    # above: women 200 × (0.13 - 0.10) = 6; men 100 × (0.05 - 0.04) = 1
    assert row["change_upper"] == pytest.approx(15 + math.sqrt(6**2 + 1**2))
    assert row["change_pct"] == pytest.approx(10.0)  # 165 / 150 - 1
    # delta method: weights 100 (P - 1.1 B) / 150 = +66.67 (women), -133.33 (men)
    w_f, w_m = 100 * (1200 - 1.1 * 1000) / 150, 100 * (900 - 1.1 * 1000) / 150
    assert row["change_pct_lower"] == pytest.approx(10 - math.hypot(w_f * 0.02, -w_m * 0.01))
    assert row["change_pct_upper"] == pytest.approx(10 + math.hypot(w_f * 0.03, -w_m * 0.01))


def test_change_with_published_ranges_by_hand() -> None:
    """Published ranges: the least and greatest change with each rate anywhere in its range."""
    row = tidy("published_range").set_index("year").loc[2030]
    assert row["change_lower"] == pytest.approx(200 * 0.08 - 100 * 0.06)  # 10
    assert row["change_upper"] == pytest.approx(200 * 0.13 - 100 * 0.04)  # 22
    ratios = [
        (1200 * f + 900 * m) / (1000 * f + 1000 * m)
        for f, m in itertools.product((0.08, 0.13), (0.04, 0.06))
    ]
    assert row["change_pct_lower"] == pytest.approx(100 * (min(ratios) - 1))
    assert row["change_pct_upper"] == pytest.approx(100 * (max(ratios) - 1))


def test_one_rate_per_cent_change_has_no_range() -> None:
    """With one national rate the per cent change is the population's, whatever the rate."""
    table = make_table([("c", "persons", "16+", 10.0, 8.0, 13.0)])
    est = mhneed.estimate(people(), table)
    row = mhneed.projection_tidy(est).set_index("year").loc[2030]
    assert row["change_pct"] == pytest.approx(5.0)
    assert row["change_pct_lower"] == pytest.approx(5.0)
    assert row["change_pct_upper"] == pytest.approx(5.0)
    assert row["change_lower"] == pytest.approx(100 * 0.08)


def test_caveats_say_rates_are_fixed() -> None:
    """The provenance carries the fixed-rates caveat and what the change's range means."""
    prov = tidy().attrs["mhneed"]
    assert prov["base_year"] == 2022
    assert prov["years"] == [2022, 2030]
    assert prov["projection_caveats"][0].startswith(
        "Projections hold the survey's rates fixed: every year uses the same rates (Test table, "
        "edition 2020)"
    )
    assert prov["projection_caveats"][1].startswith("The range of a change from 2022 is")
    assert prov["projection_caveats"][0] in prov["warnings"]


def test_base_year_chosen() -> None:
    """Changes can be measured from a later year."""
    frame = tidy(base_year=2030).set_index("year")
    assert frame.loc[2022, "change"] == pytest.approx(-15.0)


def test_wide_has_years_as_columns() -> None:
    """PANSI style: one row per measure, one column per year."""
    wide = mhneed.projection_wide(tidy(), measures=["cases", "change"])
    assert list(wide.columns) == [
        "area_code",
        "condition",
        "label",
        "interval",
        "measure",
        2022,
        2030,
    ]
    assert wide["measure"].tolist() == ["cases", "change"]
    assert wide[2030].tolist() == pytest.approx([165.0, 15.0])


def test_groups_county_from_districts() -> None:
    """Districts grouped into their county give one projection for the county."""
    two = pd.concat([people(), people().assign(area_code="E2")], ignore_index=True)
    est = mhneed.estimate(two, make_table(RECORDS))
    frame = mhneed.projection_tidy(est, groups={"E1": "County", "E2": "County"})
    row = frame.set_index("year").loc[2030]
    assert row["group"] == "County"
    assert row["change"] == pytest.approx(30.0)


def test_no_year_key() -> None:
    """An estimate without a year is not a projection."""
    est = mhneed.estimate(people().drop(columns="year").head(2), make_table(RECORDS))
    with pytest.raises(MissingColumnError) as exc:
        mhneed.projection_tidy(est)
    assert str(exc.value) == (
        "projection_tidy: the estimate has no year key (its keys: area_code); estimate a "
        "population with a year column, such as from mhneed.read_ons_snpp"
    )


def test_base_year_not_in_estimate() -> None:
    """A base year the estimate lacks is refused, listing its years."""
    with pytest.raises(InputError) as exc:
        tidy(base_year=2025)
    assert str(exc.value) == (
        "projection_tidy: base_year=2025 is not a year of the estimate; its years are 2022, 2030"
    )


def test_area_missing_in_a_year() -> None:
    """An area in one year but not another would count its arrival as change: refused."""
    extra = people().assign(area_code="E2")
    frame = pd.concat([people(), extra[extra["year"] == 2030]], ignore_index=True)
    est = mhneed.estimate(frame, make_table(RECORDS))
    with pytest.raises(InputError) as exc:
        mhneed.projection_tidy(est)
    assert str(exc.value) == (
        "projection_tidy: area_code E2 is in 2030 but not in 2022; every year needs the same "
        "areas, or the change from 2022 would count an area's arrival or absence as a change "
        "in need"
    )


def test_unknown_measure() -> None:
    """projection_wide names the measures it knows."""
    with pytest.raises(InputError) as exc:
        mhneed.projection_wide(tidy(), measures=["cases", "rate"])
    assert str(exc.value) == (
        "projection_wide: measures ['rate'] are not figures of a projection; choose from "
        "population, cases, cases_lower, cases_upper, change, change_lower, change_upper, "
        "change_pct, change_pct_lower, change_pct_upper"
    )


def test_tidy_frame_with_options() -> None:
    """Options belong with an Estimate, not with a tidy frame already made."""
    with pytest.raises(InputError) as exc:
        mhneed.projection_wide(tidy(), base_year=2030)
    assert str(exc.value) == (
        "projection_wide: by, groups and base_year apply to an Estimate; the tidy frame given "
        "was already made with them"
    )
