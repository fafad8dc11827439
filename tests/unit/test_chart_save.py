"""Unit tests for mhneed.outputs.chart_save: all-or-nothing files, warnings in words."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import mhneed
from mhneed.errors import InputError
from tests.unit.chart_reports import psychosis

pytest.importorskip("matplotlib")


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
