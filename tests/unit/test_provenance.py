"""Unit tests for mhneed.engine.provenance: provenance, describe and warnings of an estimate."""

from __future__ import annotations

import mhneed


def test_provenance_names_table_sources_and_coverage() -> None:
    """Provenance says which table, edition, sources and scope produced the numbers."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["gad", "nssh"])
    p = est.to_frame().attrs["mhneed"]
    assert p["table"] == "apms_2014"
    assert p["edition"] == 2014
    assert [s["id"] for s in p["sources"]] == [
        "rutland_jsna_2018",
        "mcmanus_2019_lancet_psychiatry",
    ]
    assert p["coverage"]["gad"] == {
        "population": 38022.0,
        "in_scope": 31542.0,
        "too_young": 6480.0,
        "too_old": 0.0,
        "wrong_sex": 0.0,
    }
    assert p["coverage"]["nssh"]["too_old"] == 4068.0
    assert p["warnings"][0].startswith("Conditions overlap")
    text = est.describe()
    assert "[rutland_jsna_2018] (secondary)" in text
    assert "too old 4,068" in text
