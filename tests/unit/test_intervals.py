"""Unit tests for mhneed.engine.intervals: standard errors and combining cells."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.engine.intervals import combine, logit_sides
from mhneed.engine.labels import NO_INTERVAL
from mhneed.stats import normal_quantile
from tests.helpers import grid_table, make_table
from tests.unit.test_survey_bases import BASES

Z95 = normal_quantile(0.975)


def people(areas: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Women and men aged 30 in each area: {area: (women, men)}."""
    rows = []
    for area, (women, men) in areas.items():
        rows += [(area, "female", 30, women), (area, "male", 30, men)]
    return pd.DataFrame(rows, columns=["area_code", "sex", "age", "population"])


def logit(p: float) -> float:
    return math.log(p / (1 - p))


# -- standard errors -------------------------------------------------------------------


def test_logit_sides_by_hand() -> None:
    """Each side of a published interval is its own standard error on the logit scale."""
    on, se_lo, se_hi = logit_sides(np.array([0.044]), np.array([0.038]), np.array([0.05]), Z95)
    assert on.tolist() == [True]
    assert se_lo[0] == pytest.approx((logit(0.044) - logit(0.038)) / Z95, rel=1e-13)
    assert se_hi[0] == pytest.approx((logit(0.05) - logit(0.044)) / Z95, rel=1e-13)


def test_logit_sides_fall_back_to_proportions_at_zero_and_one() -> None:
    """A rate or limit of 0 or 1 has no finite logit: its standard errors are proportions."""
    on, se_lo, se_hi = logit_sides(
        np.array([0.0, 0.9, 0.1]),
        np.array([0.0, 0.8, np.nan]),
        np.array([0.02, 1.0, np.nan]),
        Z95,
    )
    assert on.tolist() == [False, False, False]
    assert se_lo[:2].tolist() == pytest.approx([0.0, 0.1 / Z95])
    assert se_hi[:2].tolist() == pytest.approx([0.02 / Z95, 0.1 / Z95])
    assert np.isnan(se_lo[2])
    assert np.isnan(se_hi[2])


def test_standard_errors_frame() -> None:
    """Estimate.standard_errors: one row per stratum, both sides and their pooled mean."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["ptsd", "gad"])
    se = est.standard_errors()
    assert list(se.columns) == [
        "condition",
        "sex",
        "age_band",
        "rate",
        "lower",
        "upper",
        "interval",
        "scale",
        "se_lower",
        "se_upper",
        "se",
    ]
    ptsd = se[se["condition"] == "ptsd"].iloc[0]
    assert ptsd["scale"] == "logit"
    assert ptsd["se"] == pytest.approx((logit(0.05) - logit(0.038)) / (2 * Z95), rel=1e-13)
    gad = se[se["condition"] == "gad"]
    assert gad["scale"].tolist() == ["none", "none"]
    assert gad["se"].isna().all()


# -- combining ---------------------------------------------------------------------------


def test_single_stratum_gives_published_limits_exactly() -> None:
    """One stratum over many areas: population × published limits, to the last digit."""
    table = make_table([("c", "persons", "16+", 4.4, 3.8, 5.0)])
    pop = people({"A": (1234, 2345), "B": (3456, 4567), "C": (11, 0)})
    s = mhneed.estimate(pop, table).summarise(by=["condition"]).to_frame().iloc[0]
    total = 1234 + 2345 + 3456 + 4567 + 11
    assert s["cases_lower"] == pytest.approx(total * 0.038, rel=1e-15)
    assert s["cases_upper"] == pytest.approx(total * 0.05, rel=1e-15)


def test_quadrature_per_side_by_hand() -> None:
    """Strata combine in quadrature, each side separately, after summing areas."""
    table = make_table([("c", "female", "16+", 10, 8, 13), ("c", "male", "16+", 5, 4, 7)])
    pop = people({"A": (1000, 2000), "B": (3000, 4000)})
    s = mhneed.estimate(pop, table).summarise(by=["condition"]).to_frame().iloc[0]
    women, men = 4000, 6000
    lower = 700 - math.hypot(women * (0.10 - 0.08), men * (0.05 - 0.04))
    upper = 700 + math.hypot(women * (0.13 - 0.10), men * (0.07 - 0.05))
    assert (s["cases_lower"], s["cases_upper"]) == pytest.approx((lower, upper), rel=1e-14)


def test_width_of_areas_at_most_sum_of_widths() -> None:
    """Confidence intervals: the width of a sum of areas is no more than the sum of widths."""
    est = mhneed.estimate(people({"A": (1000, 9000), "B": (8000, 500)}), grid_table())
    by_area = est.summarise(by=["area_code", "condition"]).to_frame()
    both = est.summarise(by=["condition"]).to_frame()
    widths = (by_area["cases_upper"] - by_area["cases_lower"]).sum()
    width = (both["cases_upper"] - both["cases_lower"]).iloc[0]
    assert width < widths  # strictly: the areas' sex mixes differ


def test_combine_keeps_signature_and_labels_mixed_rows() -> None:
    """combine(cells, by, kind, no_interval) as before; mixed= names rows mixing labels."""
    cells = pd.DataFrame(
        {
            "area": ["A", "A"],
            "condition": ["c", "c"],
            "sex": ["female", "male"],
            "age_band": ["16+", "16+"],
            "population": [100.0, 100.0],
            "rate": [0.1, 0.1],
            "lower": [0.08, 0.07],
            "upper": [0.12, 0.13],
            "interval": pd.Categorical(["95% confidence interval", "95% Wilson"]),
        }
    )
    plain = combine(cells, ["area"], "confidence_interval", NO_INTERVAL)
    assert plain["interval"].iloc[0] in ("95% confidence interval", "95% Wilson")
    named = combine(cells, ["area"], "confidence_interval", NO_INTERVAL, mixed="both kinds")
    assert named["interval"].tolist() == ["both kinds"]
    assert named["cases_lower"].iloc[0] == pytest.approx(20 - math.hypot(2, 3))


# -- docs/methods.md: every worked example prints what the page shows ---------------------

METHODS = Path(__file__).resolve().parents[2] / "docs" / "methods.md"


def doc_examples() -> list[tuple[str, str]]:
    """The (python, printed output) block pairs of docs/methods.md, in order."""
    text = METHODS.read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)\n```\n\n```text\n(.*?)\n```", text, re.S)


def same_output(got: str, want: str, rel: float) -> bool:
    """Token by token: words equal, numbers equal to a relative tolerance."""
    got_tokens, want_tokens = got.split(), want.split()
    if len(got_tokens) != len(want_tokens):
        return False
    for g, w in zip(got_tokens, want_tokens, strict=True):
        if g == w:
            continue
        try:
            gv, wv = float(g.strip("[],")), float(w.strip("[],"))
        except ValueError:
            return False
        if not math.isclose(gv, wv, rel_tol=rel, abs_tol=rel * 0.1):
            return False
    return True


def test_methods_doc_examples_print_what_the_page_shows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each worked example in docs/methods.md runs and prints the output shown under it."""
    examples = doc_examples()
    assert len(examples) == 9
    namespace: dict[str, object] = {}
    for code, shown in examples:
        exec(compile(code, str(METHODS), "exec"), namespace)
        printed = capsys.readouterr().out.strip()
        # simulated figures may move slightly if numpy changes its generators
        rel = 0.02 if "simulate(" in code else 1e-12
        assert same_output(printed, shown, rel), (
            f"{code}\n--- printed:\n{printed}\n--- page:\n{shown}"
        )


def test_methods_doc_quadrature_sums() -> None:
    """The sums quoted in the text of docs/methods.md are the library's."""
    text = METHODS.read_text(encoding="utf-8")
    assert "`1837.3 − √(137.4² + 139.6²) = 1641.4`" in text
    assert "`1837.3 + √(156.5² + 167.6²) = 2066.6`" in text
    est = mhneed.estimate(
        mhneed.rutland_population(), "apms_2014", conditions=["gad"]
    ).with_survey_bases(BASES)
    cells = est.to_frame()
    below = (cells["cases"] - cells["cases_lower"]).round(1).tolist()
    above = (cells["cases_upper"] - cells["cases"]).round(1).tolist()
    assert below == [137.4, 139.6]
    assert above == [156.5, 167.6]
    total = est.summarise(by=["condition"]).to_frame().iloc[0]
    assert round(total["cases"] - math.hypot(*below), 1) == 1641.4
    assert round(total["cases"] + math.hypot(*above), 1) == 2066.6
