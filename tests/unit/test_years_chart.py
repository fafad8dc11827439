"""Unit tests for mhneed.outputs.years_chart: cases over years, with the range as a ribbon."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import mhneed
from mhneed.errors import InputError, UnknownConditionError
from tests.unit.chart_reports import png_size, psychosis, years_report

pytest.importorskip("matplotlib")


def test_over_years_ribbon_and_illustrative(tmp_path: Path) -> None:
    """A line of the figures over years, the interval as a ribbon, later years marked."""
    rep = years_report()
    path = tmp_path / "y.png"
    fig = mhneed.plot_over_years(
        rep, "ptsd", path=path, illustrative_after=2014, note="Later years: 1% a year."
    )
    assert png_size(path) == (1260, 830)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    estimate = lines["Estimate (published population)"]
    assert estimate.get_xdata().tolist() == [2014]
    illustrative = lines["Illustrative (assumed population)"]
    assert illustrative.get_xdata().tolist() == [2014, 2015, 2016, 2017]
    assert illustrative.get_linestyle() == "--"
    ptsd = rep.rows[(rep.rows["condition"] == "ptsd") & (rep.rows["sex"] == "persons")]
    assert illustrative.get_ydata().tolist() == pytest.approx(ptsd["cases"].tolist())
    ribbon = ax.collections[0]
    ys = ribbon.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(ptsd["cases_lower"].min())
    assert ys.max() == pytest.approx(ptsd["cases_upper"].max())
    assert "Later years: 1% a year." in " ".join(fig.get_supxlabel().split())
    texts = [t.get_text() for t in ax.texts]
    assert "illustrative, not an official projection" in texts


def test_over_years_sex_block() -> None:
    """A sex block can be drawn; the title says women."""
    fig = mhneed.plot_over_years(years_report(2), "gad", sex="female")
    ax = fig.axes[0]
    assert ax.get_lines()[0].get_ydata().tolist() == pytest.approx(
        [15356 * 0.068, 15356 * 0.068 * 1.01]
    )
    assert "Estimated number of women, 2014–2015" in ax.get_title(loc="left")
    assert not ax.collections  # no interval published for GAD: no ribbon


def test_over_years_errors() -> None:
    """No year key, a sex the condition lacks, an unknown condition: clear errors."""
    with pytest.raises(InputError) as err:
        mhneed.plot_over_years(dataclasses.replace(psychosis(), keys=[]), "psychotic_disorder")
    assert (
        str(err.value) == "plot_over_years: the report has no year key column; its keys are: none"
    )
    with pytest.raises(InputError) as err:
        mhneed.plot_over_years(years_report(2), "ptsd", sex="female")
    assert str(err.value) == (
        "plot_over_years: sex='female' is not a block of ptsd in this report; choose from persons"
    )
    with pytest.raises(UnknownConditionError) as err:
        mhneed.plot_age_sex(psychosis(), "gad")
    assert str(err.value) == (
        "plot_age_sex: condition 'gad' is not in the report; its conditions are: psychotic_disorder"
    )
