"""Estimates of disjoint parts of a population, put together as one.

:func:`mhneed.estimate_chunks` (a population in parts, such as one year at a time)
and the Dask path (one partition at a time) estimate each part on its own and put
the parts together here: :func:`concat_estimates` checks that no key group (or, for
parts summarised as they go, :func:`summary_part`, no summary group) is in two parts,
and unites the frames, keeping categorical columns categorical.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mhneed.engine.labels import OUT_OF_SCOPE
from mhneed.engine.results import Estimate
from mhneed.errors import InputError

__all__ = ["concat_estimates", "summary_part"]


def summary_part(est: Estimate, by: Sequence[str]) -> Estimate:
    """One part summarised, its coverage summed to the summary's keys; cells dropped."""
    summary = est.summarise(by)
    by_list = summary.by or []
    keys = [k for k in by_list if k in est.keys]
    counts = ["population", "in_scope", *OUT_OF_SCOPE]
    coverage = est.coverage.groupby([*keys, "condition"], observed=True, sort=True)[counts]
    return Estimate._from_engine(
        frame=summary._frame,
        table=est.table,
        coverage=coverage.sum().reset_index(),
        keys=keys,
        params={**est.params, "summary_only": True},
        cells=summary._frame,
        by=by_list,
    )


def concat_estimates(parts: list[Estimate]) -> Estimate:
    """One estimate from estimates of disjoint parts of a population."""
    keys = parts[0].keys
    for i, part in enumerate(parts[1:], start=2):
        if part.keys != keys:
            raise InputError(
                f"estimate_chunks: part {i} has key columns {part.keys}, part 1 has {keys}; "
                "every part needs the same key columns",
                column=", ".join(part.keys),
                rule="same key columns in every part",
                values=part.keys,
            )
    frame = _concat_frames([p._frame for p in parts])
    coverage = _concat_frames([p.coverage for p in parts])
    by = parts[0].by
    if parts[0].params.get("summary_only") and by:
        shown = _repeated(frame[by], limit=3)
        if shown:
            raise InputError(
                f"estimate_chunks(by={by}): summary groups appear in more than one part "
                f"({'; '.join(shown)}); add the column the parts are split by (such as year) "
                "to by",
                column=", ".join(by),
                rule="parts hold disjoint summary groups",
                values=shown,
            )
    if keys:
        first_condition = coverage["condition"] == coverage["condition"].iloc[0]
        shown = _repeated(coverage.loc[first_condition, keys], limit=5)
        if shown:
            raise InputError(
                f"estimate_chunks: key groups appear in more than one part ({'; '.join(shown)}); "
                "split the population so that each key group lies wholly in one part",
                column=", ".join(keys),
                rule="parts hold disjoint key groups",
                values=shown,
            )
    params = dict(parts[0].params)
    params["split_bands"] = any(p.params.get("split_bands") for p in parts)
    labels = [lab for p in parts for lab in p.params.get("split_band_labels") or []]
    if labels:
        params["split_band_labels"] = list(dict.fromkeys(labels))
    return Estimate._from_engine(
        frame=frame,
        table=parts[0].table,
        coverage=coverage,
        keys=keys,
        params=params,
        by=parts[0].by,
    )


# -- private helpers ---------------------------------------------------------------


def _repeated(groups: pd.DataFrame, limit: int) -> list[str]:
    """Up to ``limit`` groups (rows of ``groups``) that occur more than once, as text."""
    repeated = groups[groups.duplicated(keep=False).to_numpy()].drop_duplicates().head(limit)
    if repeated.empty:
        return []
    return [", ".join(row) for row in repeated.astype(str).itertuples(index=False)]


def _concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames, uniting the categories of categorical columns."""
    out = pd.concat(frames, ignore_index=True)
    for col in frames[0].columns:
        if all(isinstance(f[col].dtype, pd.CategoricalDtype) for f in frames):
            out[col] = pd.api.types.union_categoricals([f[col] for f in frames], ignore_order=True)
    return out
