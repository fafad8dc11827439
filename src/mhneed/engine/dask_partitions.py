"""A Dask DataFrame estimated partition by partition, on its own scheduler.

:func:`mhneed.estimate` hands a Dask DataFrame (optional extra ``dask``) here: the
rate table is small and goes to every partition, each partition is validated and
estimated by the ordinary pandas path, and the partitions' estimates are put
together as :func:`mhneed.estimate_chunks` puts its parts together. A key group
must lie wholly in one partition. See ``docs/scale.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mhneed._extras import require
from mhneed.engine.age_scope import AgesArg
from mhneed.engine.estimate import estimate, resolve_conditions
from mhneed.engine.parts import concat_estimates
from mhneed.engine.results import Estimate
from mhneed.errors import InputError
from mhneed.published.rates import RateTable

__all__ = ["estimate_dask"]


def estimate_dask(
    population: object,
    table: RateTable,
    conditions: Sequence[str] | None,
    ages: AgesArg,
    top_age: int | None,
) -> Estimate:
    """Estimate each partition of a Dask DataFrame on its scheduler, then put them together.

    The rate table is small and goes to every partition; each partition is
    validated and estimated by the ordinary pandas path. Key groups must not
    span partitions (the same check as :func:`mhneed.estimate_chunks`).
    """
    dask = require("dask", "estimating a Dask DataFrame")
    require("dask.dataframe", "estimating a Dask DataFrame")
    chosen = resolve_conditions(table, conditions)
    parts = population.to_delayed()  # type: ignore[attr-defined]
    run = dask.delayed(_estimate_part)
    results = dask.compute(*[run(part, table, chosen, ages, top_age) for part in parts])
    estimates = [est for est in results if est is not None]
    if not estimates:
        raise InputError(
            "population is empty: every partition of the Dask DataFrame has no rows",
            column="population",
            rule="non-empty",
        )
    return concat_estimates(estimates)


# -- private helpers ---------------------------------------------------------------


def _estimate_part(
    part: pd.DataFrame,
    table: RateTable,
    conditions: list[str],
    ages: AgesArg,
    top_age: int | None,
) -> Estimate | None:
    """One partition's estimate (None for an empty partition)."""
    if len(part) == 0:
        return None
    return estimate(part, table, conditions, ages, top_age=top_age)
