"""Age-standardised rates with the European Standard Population 2013.

A crude rate (cases per 100,000 people in scope) mixes two things: the rates
of each age band and sex, and how many people the area has in each. An area
with more young women has a higher crude rate of post-traumatic stress disorder
because young women report it most, not because its young women have more of
it. An age-standardised rate answers "what would the rate be if this area had
the age structure of a standard population?": the area's rate in each age band
(women and men together, in the area's own mix of sexes) weighted by the
standard population's people in that band.

mhneed's estimates are *synthetic*: every area gets the same national rate for
each age band and sex. So an area's age-standardised rate differs from
England's only through the mix of women and men within each age band, which is
small; any difference between the crude rates is the age (and sex) structure.
That is the point of showing both (see ``docs/tutorials/compare.md``).

The standard is the European Standard Population 2013 (ESP 2013), nineteen
five-year groups from 0-4 to 90+ summing to 100,000, as UK public health
statistics (Fingertips, PHEindicatormethods' ``esp2013``) use it. A rate band
that starts or ends inside a five-year group (16-24 takes ages 16 to 19 of the
15-19 group) gets the group's weight shared equally among its single years.

Reference
---------
Eurostat (2013). *Revision of the European Standard Population: report of
Eurostat's task-force*. Methodologies and Working Papers, KS-RA-13-028-EN.
Luxembourg: Publications Office of the European Union.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mhneed.engine.intervals import combine
from mhneed.engine.labels import NO_INTERVAL
from mhneed.engine.results import Estimate
from mhneed.errors import InputError
from mhneed.published.bands import AgeBand, parse_band

__all__ = ["ESP2013", "ESP2013_CITATION", "esp2013_weight", "standardised_rates"]

#: The European Standard Population 2013: five-year groups 0-4 … 85-89 and 90+ [persons].
ESP2013: dict[str, int] = {
    "0-4": 5000,
    "5-9": 5500,
    "10-14": 5500,
    "15-19": 5500,
    "20-24": 6000,
    "25-29": 6000,
    "30-34": 6500,
    "35-39": 7000,
    "40-44": 7000,
    "45-49": 7000,
    "50-54": 7000,
    "55-59": 6500,
    "60-64": 6000,
    "65-69": 5500,
    "70-74": 5000,
    "75-79": 4000,
    "80-84": 2500,
    "85-89": 1500,
    "90+": 1000,
}

#: How outputs cite the standard.
ESP2013_CITATION = (
    "European Standard Population 2013 (Eurostat, Revision of the European Standard "
    "Population: report of Eurostat's task-force, 2013, KS-RA-13-028-EN)"
)

_TOP = 90  # the ESP's last group is 90 and over


def esp2013_weight(band: str | AgeBand) -> float:
    """The ESP 2013 people in an age band, single years sharing their group's weight equally.

    Parameters
    ----------
    band : str or AgeBand
        Such as ``"16-24"`` or ``"75+"``.

    Returns
    -------
    float
        People of the standard population in the band [persons, of 100,000].

    Raises
    ------
    InputError
        When the band splits the 90+ group (such as ``95+`` or ``85-94``),
        whose weight cannot be shared among single years.

    Examples
    --------
    >>> esp2013_weight("16-24")  # 4 of the 5 years of 15-19, and 20-24
    10400.0
    >>> esp2013_weight("75+")
    9000.0
    """
    parsed = parse_band(band)
    upper = parsed.upper
    if (parsed.lower > _TOP) or (upper is not None and upper >= _TOP):
        raise InputError(
            f"age band {parsed}: the European Standard Population 2013 has one group for "
            "ages 90 and over, which cannot be shared among single years; use bands that end "
            "below 90 or are open from 90 or younger (such as 75+)",
            column="age_band",
            rule="bands that do not split ESP 2013's 90+ group",
            values=[str(parsed)],
        )
    total = 0.0
    last = _TOP - 1 if upper is None else upper
    for age in range(parsed.lower, last + 1):
        total += _per_year(age)
    if upper is None:
        total += ESP2013["90+"]
    return total


def standardised_rates(est: Estimate, by: list[str], *, per: int = 100_000) -> pd.DataFrame:
    """Directly age-standardised rates (ESP 2013) with their ranges, per group and condition.

    Parameters
    ----------
    est : Estimate
        An unrounded estimate from :func:`mhneed.estimate` with its cells
        (the age-band and sex rows).
    by : list of str
        The key columns, one standardised rate per distinct combination and
        condition (such as ``["area_code", "area_name"]``). Never totals over
        several areas: give each area's key.
    per : int, default 100000
        The base of the rate.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``condition``, ``std_rate``, ``std_rate_lower``,
        ``std_rate_upper`` [cases per ``per`` of the standard population in the
        condition's ages] and ``std_interval``. A condition whose cells count
        nobody in some age band of an area (a small area with no one aged 75+)
        has no standardised rate there (NaN).

    Notes
    -----
    For each area and condition, with bands ``b`` of the condition's rates,
    sexes ``s``, the area's people ``n_bs`` and national rates ``r_bs``::

        std_rate = per × Σ_b W_b × (Σ_s n_bs r_bs / Σ_s n_bs) / Σ_b W_b

    where ``W_b`` is the ESP 2013 weight of the ages of band ``b`` counted
    (:func:`esp2013_weight`). This is the estimate of a standard population
    of ``Σ_b W_b`` people spread over each band's sexes as the area's people
    are, so its range comes from the same interval rules as any estimate
    (confidence intervals in quadrature, published ranges bound with bound).
    """
    if est.count_column != "population":
        raise InputError(
            "standardised_rates: this estimate is from births "
            f"({est.table.id}); age-standardised rates need people by age band",
            column=est.count_column,
            rule="an estimate from a population",
            values=[est.table.id],
        )
    cells = est._cells.copy()
    scope_of = _scopes(est)
    cond = cells["condition"].astype(str).to_numpy()
    band = cells["age_band"].astype(str).to_numpy()
    weight = np.array(
        [_band_weight(b, scope_of[c]) for c, b in zip(cond, band, strict=True)], dtype=np.float64
    )
    group_cols = [*by, "condition", "age_band"]
    people = cells.groupby(group_cols, observed=True, sort=False)["population"].transform("sum")
    people_arr = people.to_numpy(np.float64)
    share = np.divide(
        cells["population"].to_numpy(np.float64),
        people_arr,
        out=np.full(len(cells), np.nan),
        where=people_arr > 0,
    )
    cells["population"] = weight * share
    cells["_empty"] = cells["population"].isna()
    cells["population"] = cells["population"].fillna(0.0)
    keys = [*by, "condition"]
    out = combine(cells, keys, est.interval_kind, NO_INTERVAL, mixed=est._mixed())
    blank = cells.groupby(keys, observed=True)["_empty"].any().rename("_blank").reset_index()
    out = out.merge(blank, on=keys, how="left")
    standard = out["population"].to_numpy(np.float64)
    frame = out[keys].copy()
    for name, source in (
        ("std_rate", "cases"),
        ("std_rate_lower", "cases_lower"),
        ("std_rate_upper", "cases_upper"),
    ):
        values = out[source].to_numpy(np.float64) / np.where(standard > 0, standard, np.nan) * per
        frame[name] = np.where(out["_blank"].to_numpy(bool), np.nan, values)
    frame["std_interval"] = out["interval"].astype(str).to_numpy()
    return frame


# -- private helpers ---------------------------------------------------------------


def _per_year(age: int) -> float:
    if age >= _TOP:
        return 0.0
    start = age - age % 5
    return ESP2013[f"{start}-{start + 4}"] / 5


def _scopes(est: Estimate) -> dict[str, AgeBand]:
    narrow = est.params.get("ages")
    scopes = {}
    for cond_id in est.conditions:
        scope = est.table.meta.condition(cond_id).scope
        if isinstance(narrow, AgeBand):
            scope = scope.intersect(narrow) or scope
        scopes[cond_id] = scope
    return scopes


def _band_weight(band: str, scope: AgeBand) -> float:
    counted = parse_band(band).intersect(scope)
    return 0.0 if counted is None else esp2013_weight(counted)
