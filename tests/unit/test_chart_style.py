"""Unit tests for mhneed.outputs.chart_style: matplotlib on demand, never pyplot."""

from __future__ import annotations

import sys

import pytest

import mhneed
from mhneed.errors import MissingExtraError
from tests.unit.chart_reports import psychosis

pytest.importorskip("matplotlib")


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
