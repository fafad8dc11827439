"""Grouping an estimate's rows for a summary: the ``by`` columns, and areas into groups.

:meth:`Estimate.summarise <mhneed.engine.results.Estimate.summarise>` and
:meth:`~mhneed.engine.results.Estimate.simulate` combine cell rows into one row per
group of ``by``. :func:`prepare` checks ``by`` (key columns and the stratum columns;
never adding across conditions unless the table says they are mutually exclusive;
never a total across geography levels), and with ``groups=`` puts areas into named
groups first (:func:`with_groups`: districts into a county, districts into service
lots), checking that every area has exactly one named group. The integer codes and
group ids the sums are made with are in :mod:`mhneed._group_ids`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from mhneed._text import MISSING_TEXT, printed, quoted_apart
from mhneed.engine.intervals import STRATUM
from mhneed.errors import CombineError, InputError, MissingColumnError
from mhneed.inputs.geography import check_totals

if TYPE_CHECKING:
    from mhneed.engine.results import Estimate

__all__ = ["prepare", "with_groups"]


def prepare(
    est: Estimate,
    where: str,
    by: Sequence[str],
    groups: Mapping[Any, Any] | pd.DataFrame | None,
) -> tuple[list[str], pd.DataFrame | None, pd.DataFrame, list[str]]:
    """The checked ``by`` list, and the cells, coverage and keys with any groups added.

    The cells are ``None`` when no groups are given: the caller takes the
    estimate's own (from its block, or its ``_cells``), so that no frame of
    cells is built unless one is needed.
    """
    by_list = _by_list(by, where)
    if est.params.get("summary_only"):
        raise CombineError(
            f"{where}: this estimate was summarised part by part "
            f"(estimate_chunks(..., by={est.by})) and keeps only that summary, not its "
            "cells; to combine it another way, run estimate_chunks with that by",
            rule="re-combine from cells",
            values=list(est.by or []),
        )
    cells, coverage, keys = None, est.coverage, est.keys
    if groups is not None:
        if "group" not in by_list:
            raise InputError(
                f"{where}(by={by_list}): groups= was given but 'group' is not in by; "
                "add it, such as by=['group', 'condition']",
                column="group",
                rule="by names group when groups are given",
                values=by_list,
            )
        cells, coverage, keys = with_groups(est._cells, coverage, keys, groups, where)
    allowed = [*keys, *STRATUM]
    unknown = [b for b in by_list if b not in allowed]
    if unknown:
        raise MissingColumnError(
            f"{where}: by column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))} not in the estimate; choose from "
            f"{', '.join(allowed)}",
            column=unknown[0],
            rule="by columns exist",
            values=unknown,
        )
    if "condition" not in by_list:
        if len(est.conditions) > 1 and not est.table.meta.mutually_exclusive:
            raise CombineError(
                f"{where}(by={by_list}): without 'condition' in by, counts for "
                f"{len(est.conditions)} different conditions would be added together; "
                "people can have more than one condition, so add 'condition' to by "
                f"(rate table {est.table.id} does not say its conditions are mutually "
                "exclusive)",
                column="condition",
                rule="never add across conditions",
                values=est.conditions,
            )
        if not est.table.meta.mutually_exclusive:
            by_list = [*by_list, "condition"]
    if groups is None and "area_code" in keys and "area_code" not in by_list:
        check_totals(coverage, by_list, f"{where}(by={by_list})")
    return by_list, cells, coverage, keys


def with_groups(
    cells: pd.DataFrame,
    coverage: pd.DataFrame,
    keys: list[str],
    groups: Mapping[Any, Any] | pd.DataFrame,
    where: str = "summarise",
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Cells and coverage with a ``group`` key column mapped from ``area_code``."""
    if "area_code" not in keys:
        raise MissingColumnError(
            f"{where}: groups map area_code to a group, but the estimate has no area_code "
            f"key column; its keys are: {', '.join(keys) or 'none'}",
            column="area_code",
            rule="groups need an area_code key",
            values=["area_code"],
        )
    if "group" in keys:
        raise InputError(
            f"{where}: the estimate already has a key column 'group'; summarise by it "
            "directly, or rename it before estimating",
            column="group",
            rule="group is not already a key",
            values=["group"],
        )
    mapping = _group_series(groups, where)
    areas = pd.unique(cells["area_code"])
    missing = [a for a in areas if a not in mapping.index]
    if missing:
        shown = ", ".join(map(str, missing[:20]))
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        raise InputError(
            f"{where}: groups has no group for area_code {shown}{more} "
            f"({len(missing)} area{'s' if len(missing) > 1 else ''}); every area in the "
            "estimate needs a group",
            column="area_code",
            rule="every area has a group",
            values=missing,
        )
    position = len(keys)
    cells = cells.copy()
    cells.insert(position, "group", cells["area_code"].map(mapping).to_numpy())
    coverage = coverage.copy()
    coverage.insert(position, "group", coverage["area_code"].map(mapping).to_numpy())
    return cells, coverage, [*keys, "group"]


# -- private helpers ---------------------------------------------------------------


def _by_list(by: object, where: str) -> list[str]:
    """``by`` as a list of column names, each once; anything else is refused."""
    if isinstance(by, str):
        return [by]
    items = list(by) if isinstance(by, Iterable) and not isinstance(by, Mapping) else None
    if items is None or not all(isinstance(b, str) for b in items):
        raise InputError(
            f"{where}: by={by!r} is not a list of column names; give the key columns to "
            "keep, such as by=['area_code', 'condition']",
            column="by",
            rule="by is a list of column names",
            values=[by],
        )
    return list(dict.fromkeys(items))


def _group_series(groups: Mapping[Any, Any] | pd.DataFrame, where: str) -> pd.Series:
    """The mapping as a Series indexed by area code, checked."""
    if isinstance(groups, pd.DataFrame):
        have = ", ".join(map(str, groups.columns)) or "none"
        for col in ("area_code", "group"):
            if col not in groups.columns:
                raise MissingColumnError(
                    f"{where}: the groups frame has no column {col!r}; it needs area_code "
                    f"and group; it has: {have}",
                    column=col,
                    rule="groups columns area_code and group",
                    values=[col],
                )
        pairs = groups[["area_code", "group"]].drop_duplicates()
    elif isinstance(groups, Mapping):
        pairs = pd.DataFrame(
            {"area_code": list(groups.keys()), "group": list(groups.values())}, dtype=object
        )
    else:
        raise InputError(
            f"{where}: groups must be a dict of area_code to group, or a DataFrame with "
            f"columns area_code and group, not {type(groups).__name__}",
            column="group",
            rule="groups is a dict or a DataFrame",
            values=[type(groups).__name__],
        )
    blank = pairs["group"].isna().to_numpy()
    if blank.any():
        codes = pairs.loc[blank, "area_code"].head(20).tolist()
        raise InputError(
            f"{where}: groups has no group (a missing value) for area_code "
            f"{', '.join(map(str, codes))}",
            column="group",
            rule="no missing groups",
            values=codes,
        )
    _check_group_names(pairs, where)
    twice = pairs["area_code"].duplicated(keep=False).to_numpy()
    if twice.any():
        code = pairs.loc[twice, "area_code"].iloc[0]
        both = pairs.loc[pairs["area_code"] == code, "group"].tolist()
        raise InputError(
            f"{where}: area_code {code} is mapped to more than one group "
            f"({', '.join(map(str, both))}); map each area to one group, and summarise "
            "overlapping groupings separately",
            column="area_code",
            rule="one group per area",
            values=[code],
        )
    return pd.Series(pairs["group"].to_numpy(), index=pd.Index(pairs["area_code"].to_numpy()))


def _check_group_names(pairs: pd.DataFrame, where: str) -> None:
    """Group names are single values, filled in, and distinct as printed."""
    names = pairs["group"].tolist()
    codes = pairs["area_code"].tolist()
    for code, name in zip(codes, names, strict=True):
        if not isinstance(name, Hashable):
            raise InputError(
                f"{where}: groups gives area_code {code} the group {name!r}, a "
                f"{type(name).__name__}, not a single value; give each area one group name",
                column="group",
                rule="single values",
                values=[name],
            )
    shown = [printed(n) for n in names]
    for code, name, text in zip(codes, names, shown, strict=True):
        if text == "" or text.lower() in MISSING_TEXT:
            what = "blank" if text == "" else "text that means a missing value"
            raise InputError(
                f"{where}: groups gives area_code {code} the group {name!r}, which is {what}; "
                "every area needs a named group",
                column="group",
                rule="no missing groups",
                values=[name],
            )
    seen: dict[str, list[object]] = {}
    for name, text in zip(names, shown, strict=True):
        alike = seen.setdefault(text, [])
        if not any(_same(name, other) for other in alike):
            alike.append(name)
    for alike in seen.values():
        if len(alike) > 1:
            areas = [
                c for c, n in zip(codes, names, strict=True) if any(_same(n, a) for a in alike)
            ]
            raise InputError(
                f"{where}: group names {quoted_apart(alike)} (for area_code "
                f"{', '.join(map(str, areas[:10]))}) look the same but differ (spaces, invisible "
                "characters or Unicode forms in the text, or a number and a text), so one group "
                "would be split in two; make them the same",
                column="group",
                rule="group names distinct as printed",
                values=alike,
            )


def _same(a: object, b: object) -> bool:
    """The same group name to pandas: equal and of the same kind (1 and 1.0 are; 1 and "1"
    are not)."""
    return bool(a == b) and isinstance(a, str) == isinstance(b, str)
