"""Unit tests for the notes under a report's table (mhneed.outputs.report_notes)."""

from __future__ import annotations

import warnings

import pandas as pd

import mhneed
import mhneed.outputs.report_layout
from mhneed.outputs.report_table import report_table
from tests.unit.test_report_table import rutland


def test_notes_rounding_overlap_coverage_sources() -> None:
    """The notes state the rounding rule, the overlap caveat, coverage and every source."""
    est = mhneed.estimate(rutland(), "apms_2014")
    rep = report_table(est, data_source="ONS MYE2 mid-2014")
    assert rep.notes[0] == (
        "Rounding: none; figures are unrounded estimates, shown to the nearest whole number."
    )
    assert rep.notes[1] == (
        "Conditions overlap: one person can have more than one condition, so counts for "
        "different conditions must not be added together."
    )
    coverage = next(n for n in rep.notes if n.startswith("Coverage"))
    assert coverage.endswith(
        "in scope 27,474 (6,480 too young, 4,068 too old out of scope) for nssh."
    )
    assert coverage.startswith("Coverage: 38,022 people in the input; in scope 31,542 (6,480")
    for source in est.provenance()["sources"]:
        assert f"Source [{source['id']}] ({source['kind']}): {source['citation']}" in rep.notes
    assert rep.notes[-1] == "Population: ONS MYE2 mid-2014"


def test_denominator_warning_in_notes() -> None:
    """Live births against rates per maternity: the warning is in the notes."""
    births = pd.DataFrame({"births": [341]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        est = mhneed.estimate_perinatal(births, denominator="live_births")
    rep = report_table(est)
    assert f"Warning: {est.warnings[1]}" in rep.notes
    assert rep.keys == []
    assert rep.groups() == [{}]
    assert rep.title == "Estimated number of women giving birth with each condition"
    assert rep.count_heading == "Live births"
    assert rep.denominator_note == (
        "Denominator: live births, applied to rates per 1,000 maternities: an approximation, "
        "not adjusted."
    )
    assert rep.notes[3] == (
        "Denominator: live births (each baby born alive, so twins count twice), applied to the "
        "rates per 1,000 maternities of table jcpmh_2012_perinatal: an approximation, not "
        "adjusted for the difference. Give maternities (a maternities column in the births "
        "file) when you have them."
    )
    assert rep.notes[4] == f"Warning: {est.warnings[1]}"
    assert "Coverage: 341 live births in the input, in scope 341 (none out of scope)." in rep.notes


def test_maternities_labelled_in_report() -> None:
    """Maternities: the heading, the notes, the coverage and the tidy rows name them."""
    births = pd.DataFrame({"area_name": ["Rutland"], "maternities": [305], "births": [312]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        est = mhneed.estimate_perinatal(births)
    rep = report_table(est)
    assert rep.count_heading == "Maternities"
    assert rep.layout()["Maternities"].tolist() == ["305"] * 6
    assert rep.denominator_note == (
        "Denominator: maternities, as the rates are (rates per 1,000 maternities)."
    )
    assert rep.notes[3:5] == [
        "Denominator: maternities (women giving birth, each counted once), the denominator of "
        "the rates (table jcpmh_2012_perinatal: rates per 1,000 maternities).",
        "The births frame has both maternities and births columns: the maternities (305 in all) "
        "were used, as the rates are per maternity; the births column (312 in all) was checked "
        "but not used.",
    ]
    assert "Coverage: 305 maternities in the input, in scope 305 (none out of scope)." in rep.notes
    tidy = mhneed.outputs.report_layout.tidy_frame(rep)
    assert set(tidy["denominator"]) == {"maternities"}
    assert set(tidy["rates_per"]) == {"maternities"}


def test_population_report_has_no_denominator_note() -> None:
    """An estimate from a population keeps its Population heading and no denominator line."""
    rep = report_table(mhneed.estimate(rutland(), "apms_2014", conditions=["gad"]))
    assert rep.count_heading == "Population"
    assert rep.denominator_note is None
    assert not any(n.startswith("Denominator:") for n in rep.notes)
