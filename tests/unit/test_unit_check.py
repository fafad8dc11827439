"""Unit tests for mhneed.published.unit_check: figures that look like another unit."""

from __future__ import annotations

import pandas as pd
import pytest

import mhneed
from mhneed import RateTableError


def _gad_rows(*rates: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "condition": ["gad", "gad"],
            "sex": ["female", "male"],
            "age_band": ["16+", "16+"],
            "rate": list(rates),
            "source": ["rutland_jsna_2018"] * 2,
        }
    )


GAD_META = {
    "id": "my_gad",
    "title": "GAD",
    "publisher": "NHS Digital",
    "edition": 2014,
    "geography": "England",
    "population": "adults",
    "ages": "16+",
    "denominator": "persons",
    "interval": "none",
    "conditions": [{"id": "gad", "label": "GAD", "period": "past week", "ages": "16+"}],
}


def test_percent_table_holding_proportions_is_refused() -> None:
    """Unit 'percent' with every figure at most 1 (0.068 for 6.8%) names the likely mistake."""
    with pytest.raises(RateTableError) as info:
        mhneed.read_rate_table(_gad_rows(0.068, 0.049), {**GAD_META, "unit": "percent"})
    assert str(info.value) == (
        "rate table my_gad: unit is 'percent' but every figure is at most 1 (the largest is "
        "0.068, condition gad, sex female, age_band 16+): these look like proportions (0.068 "
        "for 6.8%); if they are, set unit to 'proportion'; if they really are percentages "
        "below 1% (psychosis, for one, is about 0.4%), pass check_unit=False"
    )
    assert (info.value.column, info.value.rule) == ("rate", "figures plausible for the unit")
    table = mhneed.read_rate_table(
        _gad_rows(0.4, 0.7), {**GAD_META, "unit": "percent"}, check_unit=False
    )
    assert [r.rate for r in table.rows] == pytest.approx([0.004, 0.007])
    ok = mhneed.read_rate_table(_gad_rows(0.068, 0.049), {**GAD_META, "unit": "proportion"})
    assert [r.rate for r in ok.rows] == [0.068, 0.049]


def test_proportion_table_holding_percentages_is_refused() -> None:
    """Unit 'proportion' with a rate above a half (0.7 for 0.7%) names the likely mistake."""
    with pytest.raises(RateTableError) as info:
        mhneed.read_rate_table(_gad_rows(0.4, 0.7), {**GAD_META, "unit": "proportion"})
    assert str(info.value) == (
        "rate table my_gad: unit is 'proportion' but the rate 0.7 (condition gad, sex male, "
        "age_band 16+) means 70% of people: these look like percentages (0.7 for 0.7%); if "
        "they are, set unit to 'percent'; if a rate above a half is real (such as among "
        "people in prison), pass check_unit=False"
    )
    table = mhneed.read_rate_table(
        _gad_rows(0.4, 0.7), {**GAD_META, "unit": "proportion"}, check_unit=False
    )
    assert [r.rate for r in table.rows] == [0.4, 0.7]


def test_wide_percent_table_holding_proportions_is_refused() -> None:
    """The wide reader checks the unit too."""
    sheet = pd.DataFrame(
        [["", "16-64", "65+", "All"], ["All adults", None, None, None], ["GAD", 0.06, 0.04, 0.05]]
    )
    meta = {**GAD_META, "id": "wide_gad"}
    del meta["conditions"], meta["interval"]
    with pytest.raises(RateTableError, match="unit is 'percent' but every figure is at most 1"):
        mhneed.read_wide_rate_table(
            sheet, meta, blocks={"All adults": "persons"}, period="past week", source="Made up"
        )
