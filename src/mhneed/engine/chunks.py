"""A population that comes in parts, such as one year of a projection at a time.

:func:`estimate_chunks` estimates each part as it comes, so only one part's
population is in memory at once, and puts the parts together
(:mod:`mhneed.engine.parts`); with ``by`` it keeps only each part's summary, the
way to run a 25-year small-area projection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from mhneed.engine.age_scope import AgesArg
from mhneed.engine.estimate import estimate, resolve_table
from mhneed.engine.parts import concat_estimates, summary_part
from mhneed.engine.results import Estimate
from mhneed.errors import InputError
from mhneed.published.rates import RateTable

__all__ = ["estimate_chunks"]


def estimate_chunks(
    chunks: Iterable[pd.DataFrame],
    table: RateTable | str,
    conditions: Sequence[str] | None = None,
    ages: AgesArg = None,
    *,
    top_age: int | None = None,
    by: Sequence[str] | None = None,
) -> Estimate:
    """Estimate a population that comes in parts, such as one year of a projection at a time.

    Each part is validated and estimated on its own, so only one part's
    population is in memory at once; the parts' results are then put together.
    The result equals :func:`estimate` on all the parts concatenated.

    Parameters
    ----------
    chunks : iterable of pandas.DataFrame
        Population frames with the same key columns (for example one per year,
        read or generated one at a time). A key group (such as one area in one
        year) must lie wholly in one part.
    table, conditions, ages, top_age
        As for :func:`estimate`.
    by : sequence of str, optional
        Summarise each part as soon as it is estimated and keep only the
        summaries (as :meth:`Estimate.summarise` with this ``by``), so memory
        holds one part's cells at a time: the way to run a 25-year small-area
        projection. ``by`` must include what the parts are split by (such as
        ``year``), so that no summary group spans two parts. The coverage report
        is summed the same way. The result cannot be summarised again.

    Returns
    -------
    Estimate

    Raises
    ------
    InputError
        When there are no parts, the parts have different key columns, or a key
        group appears in more than one part.

    Examples
    --------
    >>> import mhneed
    >>> people = mhneed.rutland_population().drop(columns=["year"])
    >>> years = (people.assign(year=y) for y in (2024, 2025))  # illustrative: same people
    >>> est = mhneed.estimate_chunks(years, "apms_2014", conditions=["gad"], top_age=90)
    >>> est.summarise(by=["year", "condition"]).to_frame()["cases"].round(3).tolist()
    [1837.322, 1837.322]
    """
    tbl = resolve_table(table)
    if by is None:
        parts = [estimate(chunk, tbl, conditions, ages, top_age=top_age) for chunk in chunks]
    else:
        parts = [
            summary_part(estimate(chunk, tbl, conditions, ages, top_age=top_age), by)
            for chunk in chunks
        ]
    if not parts:
        raise InputError(
            "estimate_chunks: no population parts were given",
            column="population",
            rule="at least one part",
        )
    return concat_estimates(parts)
