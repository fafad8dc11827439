"""Unit tests for mhneed.outputs.age_sex_chart: cases by age band and sex, with range bars."""

from __future__ import annotations

from pathlib import Path

import pytest

import mhneed
from tests.helpers import grid_table
from tests.unit.chart_reports import png_size, psychosis

pytest.importorskip("matplotlib")


def test_age_sex_bars_and_file(tmp_path: Path) -> None:
    """Seven bands × two sexes as bars, heights the report's figures; a PNG 16 cm wide."""
    rep = psychosis()
    path = tmp_path / "p.png"
    fig = mhneed.plot_age_sex(rep, "psychotic_disorder", path=path)
    assert png_size(path) == (1260, 830)
    ax = fig.axes[0]
    heights = [round(p.get_height(), 6) for p in ax.patches]
    rows = rep.rows[(rep.rows["sex"] != "persons") & (rep.rows["age_band"] != "All")]
    want = [
        round(float(v), 6)
        for sex in ("female", "male")
        for v in rows.loc[rows["sex"] == sex, "cases"]
    ]
    assert heights == want
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "16-24",
        "25-34",
        "35-44",
        "45-54",
        "55-64",
        "65-74",
        "75+",
    ]
    assert ax.get_title(loc="left") == (
        "Psychotic disorder, past year\n"
        "Estimated number of people, by age and sex, Rutland (E06000017), 2014"
    )
    footer = " ".join(fig.get_supxlabel().split())  # unwrapped
    assert "No range is published for these rates." in footer
    assert "Conditions overlap: do not add figures for different conditions." in footer
    assert "Population: ONS MYE2 mid-2014." in footer
    assert ax.get_ylabel() == "People (estimated number)"


def test_age_sex_range_bars(tmp_path: Path) -> None:
    """With confidence intervals, each bar has a range bar from its low to its high figure."""
    rep = mhneed.report_table(mhneed.estimate(mhneed.rutland_population(), grid_table()))
    fig = mhneed.plot_age_sex(rep, "grid", path=tmp_path / "g.png")
    ax = fig.axes[0]
    bars = ax.containers[1]  # women's bars, then women's range bars
    segments = bars.lines[2][0].get_segments()
    women = rep.rows[(rep.rows["sex"] == "female") & (rep.rows["age_band"] != "All")]
    assert len(segments) == 7
    for seg, (low, high) in zip(
        segments, women[["cases_lower", "cases_upper"]].to_numpy(), strict=True
    ):
        assert seg[:, 1].tolist() == pytest.approx([low, high])
    footer = " ".join(fig.get_supxlabel().split())
    assert "Range bars: 95% confidence interval of the survey rate." in footer


def test_age_sex_whole_scope_condition() -> None:
    """A condition published for 16+ is one group of bars, labelled with its ages."""
    rep = mhneed.report_table(mhneed.estimate(mhneed.rutland_population(), "apms_2014"))
    fig = mhneed.plot_age_sex(rep, "ptsd")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Ages 16+"]
    assert len(ax.patches) == 1
    assert ax.get_title(loc="left").splitlines()[1] == (
        "Estimated number of people, Rutland (E06000017), 2014"
    )


def test_dollar_signs_in_names_are_text(tmp_path: Path) -> None:
    """A name with "$" signs (mathtext to matplotlib) is drawn as written."""
    people = mhneed.rutland_population().assign(area_name="Ward $x^$")
    rep = mhneed.report_table(mhneed.estimate(people, "apms_2007_psychosis", top_age=90))
    fig = mhneed.plot_age_sex(rep, "psychotic_disorder", path=tmp_path / "d.png")
    assert "Ward $x^$ (E06000017)" in fig.axes[0].get_title(loc="left")
    assert png_size(tmp_path / "d.png") == (1260, 830)
