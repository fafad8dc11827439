"""Hypothesis strategies for perinatal estimates: births frames, births tables, rounding bases."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import strategies as st

import mhneed

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
def births_tables(draw: st.DrawFn) -> mhneed.RateTable:
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
    return mhneed.RateTable.from_frame(pd.DataFrame(rows), meta)


#: The shipped JCPMH table or a drawn one.
tables = st.one_of(st.just(mhneed.load_table("jcpmh_2012_perinatal")), births_tables())
