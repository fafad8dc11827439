"""Unit tests for mhneed.outputs.chart_text: the words on a report's charts."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import mhneed

pytest.importorskip("matplotlib")


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
