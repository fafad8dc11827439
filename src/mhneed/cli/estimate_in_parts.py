"""Estimating a large population part by part (year by year, or 2,000 areas at a time),
with a progress bar; the result equals one estimate of the whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import pandas as pd

from mhneed.engine.chunks import estimate_chunks
from mhneed.engine.estimate import estimate
from mhneed.engine.results import Estimate
from mhneed.published.rates import RateTable

__all__ = ["AREAS_PER_PART", "estimate_with_progress"]


#: Areas per part when a large population is estimated part by part.
AREAS_PER_PART = 2000


def estimate_with_progress(
    population: pd.DataFrame,
    table: RateTable | str,
    conditions: Sequence[str] | None,
    ages: str | None,
    bar: Callable[[int, int, str], None],
) -> Estimate:
    """Estimate, part by part with a progress bar when the run is long (years, many areas).

    The result equals :func:`mhneed.estimate` on the whole population.
    """
    parts, what = _parts(population)
    if len(parts) < 2:
        return estimate(population, table, conditions, ages or None)

    def chunks() -> Iterator[pd.DataFrame]:
        for n, part in enumerate(parts):
            bar(n, len(parts), what)
            yield part
        bar(len(parts), len(parts), what)

    top_age = population.attrs.get("top_age")
    return estimate_chunks(chunks(), table, conditions, ages or None, top_age=top_age)


def _parts(population: pd.DataFrame) -> tuple[list[pd.DataFrame], str]:
    """The parts (a year each, or blocks of areas) and what the bar says; one part if small."""
    if "year" in population.columns and population["year"].nunique() > 1:
        years = list(pd.unique(population["year"]))
        groups = population.groupby("year", sort=False)
        return [groups.get_group(y).reset_index(drop=True) for y in years], "estimating years"
    if "area_code" in population.columns:
        codes = list(pd.unique(population["area_code"]))
        if len(codes) > AREAS_PER_PART:
            blocks = [codes[i : i + AREAS_PER_PART] for i in range(0, len(codes), AREAS_PER_PART)]
            parts = [population[population["area_code"].isin(b)] for b in blocks]
            return [p.reset_index(drop=True) for p in parts], "estimating areas"
    return [population], ""
