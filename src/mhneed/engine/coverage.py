"""The coverage report: everyone in the input, in scope or out of scope by reason.

Per key group and condition, the people of the input (``population``), those in
the condition's scope (``in_scope``, the sum of its cells) and those out of it by
reason (``too_young``, ``too_old``, ``wrong_sex``), from the same plan columns as
the cells. In scope plus the reasons must equal the population: if not, it is a
fault of the engine, raised as :class:`~mhneed.errors.InternalError`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.engine.cells import CellBlock, keys_data, tile_categorical
from mhneed.engine.labels import OUT_OF_SCOPE
from mhneed.engine.plan import Plan
from mhneed.errors import InternalError

__all__ = ["coverage"]

FloatArray = npt.NDArray[np.float64]


def coverage(block: CellBlock, plan: Plan, totals: FloatArray) -> pd.DataFrame:
    """Per key group and condition: everyone, in scope, and out of scope by reason."""
    n_groups, n_cond = block.n_groups, len(plan.conditions)
    # (in scope, too young, too old, wrong sex) × conditions × key groups: each row contiguous
    counts = np.zeros((4, n_cond, n_groups))
    cond_index = {c: i for i, c in enumerate(plan.conditions)}
    for i, cell in enumerate(plan.cells):
        counts[0, cond_index[cell.condition]] += block.population(i)
    for k in range(3):
        counts[k + 1] = block.populations[plan.reason_column[:, k]]
    group_idx = np.repeat(np.arange(n_groups), n_cond)
    data = keys_data(block.groups, block.keys, group_idx)
    data["condition"] = tile_categorical(plan.conditions, n_groups)
    data["population"] = population = np.repeat(totals, n_cond)
    data["in_scope"] = counts[0].T.reshape(-1)
    for k, reason in enumerate(OUT_OF_SCOPE):
        data[reason] = counts[k + 1].T.reshape(-1)
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(group_idx)), copy=False)
    accounted = counts.sum(axis=0).T.reshape(-1)
    lost = ~np.isclose(accounted, population, rtol=1e-12, atol=1e-9)
    if lost.any():  # an engine fault, never the user's
        raise InternalError(
            "mhneed engine: coverage does not account for every person (in scope + out of "
            f"scope != population in {int(lost.sum())} rows of the coverage report); this is "
            "a bug in mhneed, please report it",
            rule="in scope + out of scope = population",
            values=list(accounted[lost][:10]),
            rows=frame[lost].head(10),
        )
    return frame
