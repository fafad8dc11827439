"""Recorded counts set beside the estimate, by key columns (never by row position).

The estimate is summarised to the join keys and condition (refusing to add up
different years, or other keys, that the counts do not have); the two frames
are joined on their keys, whose types must agree; keys in only one of the two
are listed with the reason, and warned about or refused.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from mhneed.engine.results import Estimate
from mhneed.errors import CombineError, InputError

__all__ = ["align", "report_unmatched", "summary_for"]


def summary_for(estimate: Estimate, on: list[str], where: str) -> Estimate:
    """The estimate summarised to ``on`` (and condition), or checked if already summarised."""
    if estimate.by is None:
        coverage = estimate.coverage
        for key in (k for k in estimate.keys if k not in on):
            per_key = coverage.groupby(on, observed=True, sort=False)[key].nunique()
            if (per_key > 1).any():
                where_many = per_key[per_key > 1].index[0]
                shown = where_many if isinstance(where_many, tuple) else (where_many,)
                at = ", ".join(f"{c} {v}" for c, v in zip(on, shown, strict=True))
                values = sorted(map(str, coverage.loc[_rows_at(coverage, on, shown), key].unique()))
                raise CombineError(
                    f"{where}: the estimate has more than one {key} for {at} "
                    f"({', '.join(values[:5])}), but recorded counts are by "
                    f"{', '.join(on)}; adding them up would add different {key}s "
                    f"together: give recorded a {key} column, or estimate one {key}",
                    column=key,
                    rule="one estimate per recorded key",
                    values=values,
                )
        return estimate.summarise(by=[*on, "condition"])
    extra = [b for b in estimate.by if b not in on and b != "condition"]
    if extra:
        raise CombineError(
            f"{where}: the estimate is summarised by {', '.join(estimate.by)}, but recorded "
            f"counts are by {', '.join(on)}; {', '.join(extra)} would have to be added up "
            f"first: summarise the estimate by {', '.join([*on, 'condition'])}",
            column=extra[0],
            rule="estimate summarised by the join keys",
            values=extra,
        )
    missing = [c for c in on if c not in estimate.by]
    if missing:  # pragma: no cover - _on takes keys from estimate.by
        raise CombineError(f"{where}: the estimate is not summarised by {missing}")
    return estimate


def align(
    rec: pd.DataFrame, frame: pd.DataFrame, on_list: list[str], where: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The matched rows (keys, recorded, the estimate's figures) and the unmatched keys.

    ``rec`` is the checked recorded frame, ``frame`` the summarised estimate's
    rows; the matched rows keep the order of ``rec``. The unmatched keys have a
    ``reason`` column.
    """
    join = [*on_list, "condition"]
    est_cols = ["cases", "cases_lower", "cases_upper", "interval"]
    left = _plain(rec, join)
    left["_order"] = np.arange(len(left))
    right = _plain(frame[[*join, *est_cols]], [*join, "interval"])
    for c in on_list:
        if _numeric(left[c]) != _numeric(right[c]):
            kinds = {True: "numbers", False: "text"}
            raise InputError(
                f"{where}: key column {c} holds {kinds[_numeric(left[c])]} in recorded but "
                f"{kinds[_numeric(right[c])]} in the estimate; give it the estimate's type",
                column=c,
                rule="key types match",
                values=[str(left[c].dtype)],
            )
    merged = left.merge(right, on=join, how="outer", indicator=True, sort=False)
    merged = merged.sort_values("_order", kind="stable", na_position="last")
    only_rec = merged["_merge"] == "left_only"
    only_est = (merged["_merge"] == "right_only") & merged["condition"].isin(set(left["condition"]))
    lost = pd.concat(
        [
            merged.loc[only_rec, join].assign(reason="no estimate for this key"),
            merged.loc[only_est, join].assign(reason="no recorded count for this key"),
        ],
        ignore_index=True,
    )
    out = merged.loc[merged["_merge"] == "both", [*join, "recorded", *est_cols]]
    return out.reset_index(drop=True), lost


def report_unmatched(lost: pd.DataFrame, join: list[str], unmatched: str, where: str) -> None:
    """Warn about the unmatched keys (``"report"``) or refuse them (``"error"``), naming them.

    Call it from :func:`~mhneed.outputs.compare.compare` itself: the warning
    points at compare's caller.
    """
    shown = "; ".join(
        f"{', '.join(f'{c} {row[c]}' for c in join)} ({row['reason']})"
        for row in lost.head(10).to_dict("records")
    )
    more = f" and {len(lost) - 10} more" if len(lost) > 10 else ""
    if unmatched == "report" and len(lost):
        warnings.warn(
            f"{where}: {len(lost)} key{'s' if len(lost) != 1 else ''} did not match and "
            f"{'are' if len(lost) != 1 else 'is'} left out of the result (listed in "
            f"attrs['unmatched']; unmatched='error' refuses them): {shown}{more}",
            UserWarning,
            stacklevel=3,
        )
    if unmatched == "error" and len(lost):
        raise InputError(
            f"{where}: {len(lost)} key{'s' if len(lost) != 1 else ''} did not match: {shown}{more}",
            column=join[0],
            rule="every key matches",
            values=lost[join[0]].tolist(),
            rows=lost,
        )


# -- private helpers ---------------------------------------------------------------


def _plain(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy with categorical columns turned into their plain values, for a join."""
    out = frame.copy()
    for c in columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(out[c].cat.categories.dtype)
    return out


def _rows_at(frame: pd.DataFrame, columns: list[str], values: tuple[Any, ...]) -> Any:
    """A boolean mask of the rows whose ``columns`` equal ``values``."""
    mask = np.ones(len(frame), dtype=bool)
    for c, v in zip(columns, values, strict=True):
        mask &= (frame[c] == v).to_numpy()
    return mask


def _numeric(column: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(column.dtype)) and not pd.api.types.is_bool_dtype(
        column.dtype
    )
