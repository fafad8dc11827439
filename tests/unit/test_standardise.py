"""Unit tests for mhneed.standardise: ESP 2013 weights and age-standardised rates."""

from __future__ import annotations

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError
from mhneed.outputs.standardise import ESP2013, esp2013_weight, standardised_rates
from tests.helpers import AGE_BANDS, grid_table, make_table

#: One age inside each of APMS's seven bands.
AGES = (20, 30, 40, 50, 60, 70, 80)


def people(women: float = 100, men: float = 300) -> pd.DataFrame:
    """One area: ``women`` and ``men`` at one age in each APMS band, and 50 children."""
    rows = [{"area_code": "X1", "sex": "female", "age": 10, "population": 50}]
    for age in AGES:
        rows.append({"area_code": "X1", "sex": "female", "age": age, "population": women})
        rows.append({"area_code": "X1", "sex": "male", "age": age, "population": men})
    return pd.DataFrame(rows)


def test_esp2013_has_nineteen_groups_summing_to_100000() -> None:
    """The standard as Eurostat publishes it: 19 groups, 100,000 people."""
    assert len(ESP2013) == 19
    assert sum(ESP2013.values()) == 100_000
    assert list(ESP2013.values())[:5] == [5000, 5500, 5500, 5500, 6000]
    assert list(ESP2013.values())[-5:] == [5000, 4000, 2500, 1500, 1000]


@pytest.mark.parametrize(
    ("band", "weight"),
    [
        ("16-24", 4 / 5 * 5500 + 6000),
        ("25-34", 6000 + 6500),
        ("75+", 4000 + 2500 + 1500 + 1000),
        ("16+", 100_000 - 5000 - 5500 - 5500 - 5500 / 5),
        ("90+", 1000),
        ("18-19", 2 / 5 * 5500),
    ],
)
def test_esp2013_weight_of_a_band(band: str, weight: float) -> None:
    """A band's weight: whole groups, and single years sharing their group's weight."""
    assert esp2013_weight(band) == pytest.approx(weight)


@pytest.mark.parametrize("band", ["95+", "85-94", "16-90"])
def test_esp2013_weight_refuses_splitting_90_plus(band: str) -> None:
    """The 90+ group cannot be shared among single years."""
    with pytest.raises(InputError) as info:
        esp2013_weight(band)
    assert str(info.value).startswith(
        f"age band {band}: the European Standard Population 2013 has one group for ages 90 "
        "and over, which cannot be shared among single years"
    )


def test_standardised_rate_worked_by_hand() -> None:
    """Band i: women (2 + 0.5i)%, men (1 + 0.5i)%; 100 women, 300 men → persons 1.25 + 0.5i %."""
    est = mhneed.estimate(people(), grid_table())
    out = standardised_rates(est, ["area_code"])
    weights = [10400, 12500, 14000, 14000, 12500, 10500, 9000]  # ESP 2013 in each APMS band
    assert sum(weights) == 82900
    expected = sum(w * (1.25 + 0.5 * i) / 100 for i, w in enumerate(weights)) / 82900 * 100_000
    assert expected == pytest.approx(2231250 / 829)
    assert out["std_rate"].iloc[0] == pytest.approx(expected)
    assert out["std_rate_lower"].iloc[0] < expected < out["std_rate_upper"].iloc[0]


def test_published_range_bound_with_bound() -> None:
    """A published range: the standardised low and high are the bounds' own standardised rates."""
    est = mhneed.estimate(people(), grid_table("published_range"))
    out = standardised_rates(est, ["area_code"])
    centre = 2231250 / 829
    assert out["std_rate_lower"].iloc[0] == pytest.approx(centre * 0.8)
    assert out["std_rate_upper"].iloc[0] == pytest.approx(centre * 1.3)


def test_standardised_rate_does_not_depend_on_the_areas_age_structure() -> None:
    """Twice the older people changes the crude rate but not the standardised one."""
    base = people()
    older = base.copy()
    older.loc[older["age"] >= 60, "population"] *= 2
    first = standardised_rates(mhneed.estimate(base, grid_table()), ["area_code"])
    second = standardised_rates(mhneed.estimate(older, grid_table()), ["area_code"])
    assert second["std_rate"].iloc[0] == pytest.approx(first["std_rate"].iloc[0])


def test_an_empty_band_gives_no_standardised_rate() -> None:
    """Nobody aged 75+ in the area: no standardised rate rather than a wrong one."""
    pop = people()
    pop = pop[pop["age"] != 80]
    out = standardised_rates(mhneed.estimate(pop, grid_table()), ["area_code"])
    assert out["std_rate"].isna().all()


def test_one_band_condition_uses_its_whole_scope() -> None:
    """A 16+ rate: the standardised rate is the rate itself, whatever the age structure."""
    table = make_table([("c", "persons", "16+", 10.0, 8.0, 13.0)])
    out = standardised_rates(mhneed.estimate(people(), table), ["area_code"])
    assert out["std_rate"].iloc[0] == pytest.approx(10_000)
    assert out["std_rate_lower"].iloc[0] == pytest.approx(8_000)


def test_births_estimate_refused() -> None:
    """Perinatal estimates have no ages to standardise."""
    births = pd.DataFrame({"area_code": ["X1"], "births": [300.0]})
    est = mhneed.estimate_perinatal(births, denominator="maternities")
    with pytest.raises(InputError) as info:
        standardised_rates(est, ["area_code"])
    assert str(info.value) == (
        "standardised_rates: this estimate is from births (jcpmh_2012_perinatal); "
        "age-standardised rates need people by age band"
    )


def test_bands_of_the_helper_table() -> None:
    """The helper's bands are APMS's seven (the weights above assume them)."""
    assert AGE_BANDS == ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")
