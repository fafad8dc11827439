"""Unit tests for mhneed.area_charts: bars across areas with range whiskers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, UnknownConditionError
from tests.conftest import DATA

pytest.importorskip("matplotlib")

MYE2 = DATA / "ons_mye2_2014"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """England, Leicestershire and two districts, with England as the comparator."""
    people = mhneed.read_ons_mye2([MYE2 / "UK females-Table 1.csv", MYE2 / "UK males-Table 1.csv"])
    keep = ["E92000001", "E10000018", "E07000129", "E07000130"]
    est = mhneed.estimate(
        people[people["area_code"].isin(keep)], "apms_2014_by_age_sex", conditions=["ptsd"]
    )
    return mhneed.area_table(est, comparator="E92000001", standardise=True)


def test_bars_whiskers_and_comparator_line(table: pd.DataFrame, tmp_path: Path) -> None:
    """One bar per area, a whisker each, England's rate as a line, the source in the footer."""
    path = tmp_path / "ptsd.png"
    fig = mhneed.plot_areas(table, "ptsd", path=path, source="ONS MYE2 mid-2014")
    assert path.stat().st_size > 10_000
    ax = fig.axes[0]
    labels = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True))
    top_down = [labels[y] for y in sorted(labels, reverse=True)]
    assert top_down == ["ENGLAND", "Leicestershire", "Blaby", "Charnwood"]
    assert len(ax.patches) == 4
    assert ax.lines[-1].get_xdata()[0] == pytest.approx(table["comparator_rate"].iloc[0])
    footer = fig.get_supxlabel()
    assert "Adult Psychiatric Morbidity Survey 2014" in footer
    assert "Population: ONS MYE2 mid-2014." in footer
    assert ".csv" not in footer


def test_standardised_bars(table: pd.DataFrame) -> None:
    """The age-standardised rate can be drawn instead."""
    fig = mhneed.plot_areas(table, "ptsd", measure="std_rate")
    assert "European Standard Population 2013" in fig.axes[0].get_title(loc="left")


def test_unknown_condition(table: pd.DataFrame) -> None:
    """A condition not in the table is named."""
    with pytest.raises(UnknownConditionError) as info:
        mhneed.plot_areas(table, "gad")
    assert str(info.value) == "plot_areas: condition 'gad' is not in the table; it has: ptsd"


def test_std_rate_needs_standardise(table: pd.DataFrame) -> None:
    """std_rate needs area_table(..., standardise=True)."""
    with pytest.raises(InputError) as info:
        mhneed.plot_areas(table.drop(columns="std_rate"), "ptsd", measure="std_rate")
    assert str(info.value) == (
        "plot_areas: measure='std_rate' is not a column of the table "
        "(area_table(..., standardise=True) adds it)"
    )
