"""Unit tests for the charts (mhneed.plots)."""

from __future__ import annotations

import dataclasses
import struct
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, MissingExtraError, UnknownConditionError
from tests.helpers import grid_table

pytest.importorskip("matplotlib")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, from its header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def psychosis() -> mhneed.Report:
    """Rutland psychotic disorder by age band and sex."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2007_psychosis")
    return mhneed.report_table(est, data_source="ONS MYE2 mid-2014")


def years_report(n: int = 4) -> mhneed.Report:
    """Rutland's population in n years, growing 1% a year, estimated with APMS 2014."""
    base = mhneed.rutland_population()
    frames = [base.assign(year=2014 + i, population=base["population"] * 1.01**i) for i in range(n)]
    people = pd.concat(frames, ignore_index=True)
    return mhneed.report_table(mhneed.estimate(people, "apms_2014", top_age=90))


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


def test_select_one_group() -> None:
    """Several areas need select=; a bad select is named."""
    twin = mhneed.rutland_population().assign(area_code="E99999999", area_name="Twin")
    people = pd.concat([mhneed.rutland_population(), twin], ignore_index=True)
    rep = mhneed.report_table(mhneed.estimate(people, "apms_2007_psychosis", top_age=90))
    with pytest.raises(InputError) as err:
        mhneed.plot_age_sex(rep, "psychotic_disorder")
    assert str(err.value) == (
        "plot_age_sex: the report has 2 areas or groups (Rutland (E06000017), 2014; "
        "Twin (E99999999), 2014); choose one with select={'area_code': ...}"
    )
    fig = mhneed.plot_age_sex(rep, "psychotic_disorder", select={"area_code": "E99999999"})
    assert "Twin (E99999999)" in fig.axes[0].get_title(loc="left")
    with pytest.raises(InputError) as err:
        mhneed.plot_age_sex(rep, "psychotic_disorder", select={"ward": "W1"})
    assert str(err.value) == (
        "plot_age_sex: select names 'ward', which is not a key column of the report; its "
        "keys are: area_code, area_name, year"
    )
    with pytest.raises(InputError) as err:
        mhneed.plot_age_sex(rep, "psychotic_disorder", select={"area_code": "E0"})
    assert (
        str(err.value) == "plot_age_sex: select={'area_code': 'E0'} matches no rows of the report"
    )


def test_missing_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib the error names the plot extra."""
    rep = psychosis()
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError) as err:
        mhneed.plot_age_sex(rep, "psychotic_disorder")
    assert str(err.value) == (
        'drawing charts needs matplotlib, an optional extra: pip install "mhneed[plot]"'
    )


def test_no_pyplot_state() -> None:
    """Charts never create pyplot figures (safe on a server, no memory held by pyplot)."""
    plt = pytest.importorskip("matplotlib.pyplot")
    before = plt.get_fignums()
    mhneed.plot_age_sex(psychosis(), "psychotic_disorder")
    assert plt.get_fignums() == before


def test_dollar_signs_in_names_are_text(tmp_path: Path) -> None:
    """A name with "$" signs (mathtext to matplotlib) is drawn as written."""
    people = mhneed.rutland_population().assign(area_name="Ward $x^$")
    rep = mhneed.report_table(mhneed.estimate(people, "apms_2007_psychosis", top_age=90))
    fig = mhneed.plot_age_sex(rep, "psychotic_disorder", path=tmp_path / "d.png")
    assert "Ward $x^$ (E06000017)" in fig.axes[0].get_title(loc="left")
    assert png_size(tmp_path / "d.png") == (1260, 830)


def test_failed_chart_save_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart whose save fails half-way leaves no partial file; a missing folder is refused."""
    from matplotlib.figure import Figure

    real = Figure.savefig

    def half(self: Figure, fname: Path, **kwargs: object) -> None:
        Path(fname).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", half)
    with pytest.raises(OSError, match="No space left"):
        mhneed.plot_age_sex(psychosis(), "psychotic_disorder", path=tmp_path / "p.png")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(Figure, "savefig", real)
    missing = tmp_path / "charts" / "p.png"
    with pytest.raises(InputError) as err:
        mhneed.plot_age_sex(psychosis(), "psychotic_disorder", path=missing)
    assert str(err.value) == (
        f"plot_age_sex: path={str(missing)!r}: the folder {str(missing.parent)!r} does not "
        "exist; create it first"
    )
    mhneed.plot_age_sex(psychosis(), "psychotic_disorder", path=tmp_path / "p.png")
    assert [p.name for p in tmp_path.iterdir()] == ["p.png"]


def test_missing_glyphs_one_warning_in_words(tmp_path: Path) -> None:
    """Characters the font lacks: one mhneed warning naming them, not matplotlib's dozens."""
    pop = mhneed.rutland_population().assign(area_name="東京 Rutland")
    rep = mhneed.report_table(mhneed.estimate(pop, "apms_2014", conditions=["gad"]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mhneed.plot_age_sex(rep, "gad", path=tmp_path / "g.png").clear()
    assert [str(w.message) for w in caught] == [
        "plot_age_sex: chart g.png: the chart's font (DejaVu Sans) has no '東', '京', so they "
        "show as empty boxes; the names are whole in the data files"
    ]
    assert caught[0].category is UserWarning


def test_perinatal_chart_footer_names_the_denominator() -> None:
    """A chart of live births against rates per 1,000 maternities says so in its footer, without
    being told (plots from Python as from the command line)."""
    births = pd.DataFrame({"area_code": ["E06000017"], "births": [341]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the denominator warning itself
        est = mhneed.estimate_perinatal(births, denominator="live_births")
    report = mhneed.report_table(est)
    assert report.denominator_note is not None
    fig = mhneed.plot_age_sex(report, "ptsd")
    footer = " ".join(fig.get_supxlabel().split())
    assert " ".join(report.denominator_note.split()) in footer
    assert footer.count("Denominator") == 1
