"""All Hypothesis strategies for mhneed's property tests, in one module."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from mhneed.rates import RateTable
from mhneed.tables import load_table
from tests.helpers import AGE_BANDS, grid_table, make_table

SEXES = ("female", "male")


@st.composite
def populations(
    draw: st.DrawFn,
    *,
    max_areas: int = 4,
    max_rows: int = 40,
    integer: bool = True,
    years: bool = False,
) -> pd.DataFrame:
    """Long single-year populations: several areas (and years), ages 0-100, no duplicate keys."""
    n_areas = draw(st.integers(1, max_areas))
    areas = [f"E0{i:07d}" for i in range(n_areas)]
    year_values = (
        draw(st.lists(st.integers(2014, 2040), min_size=1, max_size=3, unique=True))
        if years
        else [None]
    )
    cells = st.tuples(
        st.sampled_from(areas),
        st.sampled_from(year_values),
        st.sampled_from(SEXES),
        st.integers(0, 100),
    )
    keys = draw(st.lists(cells, min_size=1, max_size=max_rows, unique=True))
    counts = (
        st.integers(0, 100_000)
        if integer
        else st.floats(0, 1e5, allow_nan=False, allow_infinity=False)
    )
    values = draw(st.lists(counts, min_size=len(keys), max_size=len(keys)))
    frame = pd.DataFrame(keys, columns=["area_code", "year", "sex", "age"])
    frame["population"] = np.asarray(values, dtype=np.float64)
    if not years:
        frame = frame.drop(columns=["year"])
    return frame


def tables() -> st.SearchStrategy[RateTable]:
    """Rate tables of each shape and range kind: shipped, age-by-sex CIs, published ranges."""
    range_table = make_table(
        [("c", s, b, None, 1 + i, 2 + 2 * i) for s in SEXES for i, b in enumerate(AGE_BANDS)],
        interval="published_range",
    )
    return st.sampled_from(
        [load_table("apms_2014"), grid_table("confidence_interval"), range_table]
    )


# -- perinatal: births frames, births tables, rounding bases --------------------------

#: A count of births: whole numbers, fractional averages (down to a millionth, so that
#: some counts are tiny but none are subnormal floats), and zero.
birth_counts = st.one_of(
    st.integers(min_value=0, max_value=200_000).map(float),
    st.floats(min_value=1e-6, max_value=200_000, allow_nan=False, allow_infinity=False),
    st.just(0.0),
)

#: Rounding bases: the usual ones and any other positive base.
bases = st.one_of(
    st.sampled_from([1, 5, 10, 50, 100]),
    st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False),
)

AREAS = [f"E0600{n:04d}" for n in range(1, 40)]


@st.composite
def births_frames(draw: st.DrawFn, min_areas: int = 1, max_areas: int = 8) -> pd.DataFrame:
    """A births frame keyed by area_code and year, one row per key group."""
    areas = draw(
        st.lists(st.sampled_from(AREAS), min_size=min_areas, max_size=max_areas, unique=True)
    )
    years = draw(st.lists(st.integers(2010, 2024), min_size=1, max_size=3, unique=True))
    keys = [(a, y) for a in areas for y in years]
    counts = draw(st.lists(birth_counts, min_size=len(keys), max_size=len(keys)))
    return pd.DataFrame(
        {
            "area_code": [a for a, _ in keys],
            "year": [y for _, y in keys],
            "births": counts,
        }
    )


@st.composite
def births_tables(draw: st.DrawFn) -> RateTable:
    """A user's births table: 1-4 conditions per 1,000 maternities, ranges or single rates."""
    n = draw(st.integers(1, 4))
    per_1000 = st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1000))
    rows: list[dict[str, Any]] = []
    for i in range(n):
        low, high = sorted(draw(st.tuples(per_1000, per_1000)))
        kind = draw(st.sampled_from(["range", "rate_and_range", "rate_only"]))
        if kind == "range":
            rate: object = ""
        else:
            rate = (
                draw(st.floats(min_value=low, max_value=high, allow_subnormal=False))
                if kind == "rate_and_range"
                else low
            )
        rows.append(
            {
                "condition": f"c{i}",
                "sex": "female",
                "age_band": "all ages",
                "rate": rate,
                "lower": "" if kind == "rate_only" else low,
                "upper": "" if kind == "rate_only" else high,
                "source": "mine",
            }
        )
    meta = {
        "id": "drawn",
        "title": "Drawn table",
        "publisher": "Hypothesis",
        "edition": 2020,
        "geography": "England",
        "population": "women giving birth",
        "ages": "all ages",
        "denominator": "maternities",
        "interval": "published_range",
        "unit": "per_1000",
        "conditions": [
            {
                "id": r["condition"],
                "label": r["condition"],
                "period": "perinatal",
                "ages": "all ages",
                "sexes": ["female"],
            }
            for r in rows
        ],
        "sources": [{"id": "mine", "citation": "Drawn by Hypothesis.", "kind": "primary"}],
    }
    return RateTable.from_frame(pd.DataFrame(rows), meta)


#: The shipped JCPMH table or a drawn one.
perinatal_tables = st.one_of(st.just(load_table("jcpmh_2012_perinatal")), births_tables())


@st.composite
def survey_tables(draw: st.DrawFn) -> RateTable:
    """Age-by-sex tables of 14 confidence intervals shaped like a survey's published ones.

    Each cell's rate (a percentage to 1 decimal place, 0.5-30) gets the 95% Wilson
    interval of a sample of ``base / design_effect`` people (base 200-5,000, design
    effect 1-2, at least 10 expected cases), rounded to 1 decimal place as reports
    print it: asymmetric, as published limits are.
    """
    import math

    from mhneed.stats import wilson_interval

    records = []
    for sex in SEXES:
        for band in AGE_BANDS:
            rate = draw(st.integers(5, 300)) / 10
            n = draw(st.integers(200, 5000)) / draw(st.sampled_from([1.0, 1.2, 1.5, 2.0]))
            rate = max(rate, math.ceil(10000 / n) / 10)  # at least 10 expected cases
            low, high = wilson_interval(rate / 100 * n, n)
            lower = min(round(low * 100, 1), rate)
            upper = max(round(high * 100, 1), rate)
            records.append(("survey", sex, band, rate, lower, upper))
    return make_table(records)


@st.composite
def districts_and_counties(
    draw: st.DrawFn, *, max_districts: int = 6, max_rows: int = 40
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A population of several districts and a map of each district to one of a few counties."""
    pop = draw(populations(max_areas=max_districts, max_rows=max_rows))
    districts = sorted(pop["area_code"].unique())
    counties = draw(
        st.lists(
            st.sampled_from(["county_x", "county_y", "county_z"]),
            min_size=len(districts),
            max_size=len(districts),
        )
    )
    return pop, dict(zip(districts, counties, strict=True))
