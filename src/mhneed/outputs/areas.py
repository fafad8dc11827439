"""Areas of several geography levels in one table, each total from its own rows.

A JSNA table often shows a county, its districts and the service lots the
districts make up, or England and its regions, side by side. Adding those
rows together would count people twice (a county holds its districts), so
:func:`area_table` never does: every area keeps its own row labelled with its
level (read from its GSS code, see :mod:`mhneed.inputs.geography`); each group of
``groups`` (service lots) is added up from its own member areas, all of one
level; and with ``totals=True`` each level with more than one area gets a
total made from that level's rows only (Leicestershire's seven districts add
up to exactly the county's estimate and range, because every district uses the
same national rates).

Beside each row it can put a comparator's crude rate (England's, or any area
of the estimate) and, with ``standardise=True``, age-standardised rates with
the European Standard Population 2013 (:mod:`mhneed.outputs.standardise`), so a reader
sees how much of a difference in crude rates is the age structure.
:func:`~mhneed.outputs.area_pivot.area_pivot` lays the table out with
conditions as rows and areas as column blocks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from mhneed.engine.results import Estimate
from mhneed.errors import InputError, MissingColumnError
from mhneed.inputs.geography import LEVELS, check_one_level, level_of
from mhneed.outputs.standardise import ESP2013_CITATION, standardised_rates
from mhneed.published.bands import AgeBand

__all__ = ["AREA_MEASURES", "area_table"]

#: The figures of each row of :func:`area_table`, in order.
AREA_MEASURES = (
    "population",
    "cases",
    "cases_lower",
    "cases_upper",
    "rate",
    "rate_lower",
    "rate_upper",
)

_PLURAL = {
    "country": "countries",
    "region": "regions",
    "county": "counties",
    "district or unitary authority": "districts and unitary authorities",
    "middle layer super output area": "MSOAs",
    "lower layer super output area": "LSOAs",
    "output area": "output areas",
}
_UNKNOWN = "area"  # the level of a code mhneed does not know (your own codes)
_RANK = {level: i for i, level in enumerate(LEVELS)}


def area_table(
    est: Estimate,
    groups: Mapping[Any, Any] | pd.DataFrame | None = None,
    *,
    totals: bool = False,
    comparator: str | None = None,
    standardise: bool = False,
    per: int = 100_000,
) -> pd.DataFrame:
    """Every area, group and level total of an estimate in one tidy table, labelled by level.

    Parameters
    ----------
    est : Estimate
        An unrounded estimate with ``area_code`` (and usually ``area_name``)
        keys, such as Leicestershire's seven districts and the county
        ``E10000018`` from one MYE2 file, and England ``E92000001``.
    groups : dict or pandas.DataFrame, optional
        Areas to groups (such as districts to service lots), as for
        :meth:`mhneed.Estimate.summarise`; areas not listed are simply not in
        any group. Each group must hold areas of one level.
    totals : bool, default False
        Add, for each level with more than one area, a total of that level's
        areas only (such as "7 areas: district or unitary authority").
    comparator : str, optional
        The area code (or name) of an area of ``est`` to compare every row
        with, such as ``"E92000001"`` (England).
    standardise : bool, default False
        Add age-standardised rates (ESP 2013) for each row, and for the
        comparator.
    per : int, default 100000
        The base of every rate.

    Returns
    -------
    pandas.DataFrame
        One row per area (or group, or total) × condition, areas largest level
        first: ``level`` (the GSS level, ``group of <level> areas`` or
        ``total of <level> areas``), ``area_code`` (empty for groups and
        totals), ``area_name``, any other keys (such as ``year``),
        ``condition``, ``label``, ``ages``, ``population`` [persons in the
        condition's ages], ``cases``, ``cases_lower``, ``cases_upper``
        [persons], ``rate``, ``rate_lower``, ``rate_upper`` [crude, cases per
        ``per``] and ``interval``. With ``standardise``: ``std_rate``,
        ``std_rate_lower``, ``std_rate_upper`` [per ``per`` of the ESP 2013 in
        the condition's ages]. With ``comparator``: ``comparator`` (its name),
        ``comparator_rate`` (and ``_lower``, ``_upper``), ``rate_ratio``
        (crude rate ÷ the comparator's) and, with ``standardise``,
        ``comparator_std_rate`` (and ``_lower``, ``_upper``).
        ``attrs["mhneed"]`` is the estimate's provenance, with ``standard``
        citing ESP 2013 when it was used.

    Raises
    ------
    MissingColumnError
        When the estimate has no ``area_code`` key.
    InputError
        When ``comparator`` is not an area of the estimate, or another key
        (such as ``year``) would be added across within a group or total.
    CombineError
        When a group holds areas of different levels, or the estimate is
        rounded.
    """
    if "area_code" not in est.keys:
        raise MissingColumnError(
            f"area_table: the estimate has no area_code key (its keys: "
            f"{', '.join(est.keys) or 'none'}); levels are read from area codes",
            column="area_code",
            rule="an area_code key",
            values=list(est.keys),
        )
    names = "area_name" in est.keys
    others = [k for k in est.keys if k not in ("area_code", "area_name")]
    area_keys = ["area_code", *(["area_name"] if names else []), *others]
    codes = list(dict.fromkeys(str(c) for c in est.coverage["area_code"]))
    levels = {c: level_of(c) or _UNKNOWN for c in codes}
    order = sorted(codes, key=lambda c: (_RANK.get(levels[c], len(_RANK)), codes.index(c)))

    parts = [_rows(est, area_keys, per, standardise)]
    parts[0]["level"] = parts[0]["area_code"].astype(str).map(levels)
    if groups is not None:
        mapping = _mapping(groups)
        for name, members in mapping.groupby("group", sort=False)["area_code"]:
            check_one_level(members, f"area_table: group {name!r}")
        parts.append(_grouped(est, mapping, others, per, standardise, "group of {} areas"))
    if totals:
        level_totals = _level_totals(order, levels)
        if level_totals is not None:
            parts.append(_grouped(est, level_totals, others, per, standardise, "total of {} areas"))
    frame = pd.concat(parts, ignore_index=True)
    frame["_order"] = frame["area_code"].map({c: i for i, c in enumerate(order)})
    frame = frame.sort_values(["_order"], kind="stable", na_position="last")
    frame = frame.drop(columns="_order").reset_index(drop=True)
    if comparator is not None:
        frame = _compare(frame, est, comparator, area_keys, others, per, standardise)
    if "area_name" not in frame.columns:
        frame["area_name"] = frame["area_code"]
    lead = ["level", "area_code", "area_name", *others, "condition", "label", "ages"]
    frame = frame[[*lead, *[c for c in frame.columns if c not in lead]]]
    prov = est.provenance()
    prov["area_table"] = {
        "per": per,
        "totals": totals,
        "comparator": comparator,
        "keys": others,
    }
    if standardise:
        prov["standard"] = ESP2013_CITATION
    frame.attrs["mhneed"] = prov
    return frame


# -- private helpers ---------------------------------------------------------------


def _mapping(groups: Mapping[Any, Any] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(groups, pd.DataFrame):
        missing = [c for c in ("area_code", "group") if c not in groups.columns]
        if missing:
            raise MissingColumnError(
                f"area_table: groups has no column {', '.join(missing)}; it needs area_code "
                f"and group; it has: {', '.join(map(str, groups.columns))}",
                column=missing[0],
                rule="columns area_code and group",
                values=missing,
            )
        frame = groups[["area_code", "group"]].copy()
    else:
        frame = pd.DataFrame({"area_code": list(groups), "group": list(groups.values())})
    frame["area_code"] = frame["area_code"].astype(str).str.strip()
    return frame


def _level_totals(order: list[str], levels: dict[str, str]) -> pd.DataFrame | None:
    """Each area of a level with more than one area, mapped to its level's total (or None)."""
    by_level: dict[str, list[str]] = {}
    for code in order:
        by_level.setdefault(levels[code], []).append(code)
    pairs = [
        (code, f"Total of {len(members)} {_PLURAL.get(level, level + ' areas')}")
        for level, members in by_level.items()
        if len(members) > 1 and level != _UNKNOWN
        for code in members
    ]
    if not pairs:
        return None
    return pd.DataFrame(pairs, columns=["area_code", "group"])


def _subset(est: Estimate, codes: Sequence[str]) -> Estimate:
    """The estimate's rows for some areas only (every cell and coverage row of them)."""
    wanted = set(codes)

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        mask = frame["area_code"].astype(str).isin(wanted).to_numpy()
        return frame[mask].reset_index(drop=True)

    return Estimate._from_engine(
        frame=keep(est._frame),
        table=est.table,
        coverage=keep(est.coverage),
        keys=est.keys,
        params=est.params,
        cells=keep(est._cells),
        by=est.by,
        rounding=est.rounding,
    )


def _rows(est: Estimate, by: list[str], per: int, standardise: bool) -> pd.DataFrame:
    summary = est.summarise(by=[*by, "condition"]).to_frame()
    count = est.count_column
    frame = summary.rename(columns={count: "population"})
    for col in by:
        frame[col] = frame[col].astype(object)
    frame["condition"] = frame["condition"].astype(str)
    frame["interval"] = frame["interval"].astype(str)
    _add_rates(frame, per)
    _add_labels(frame, est)
    if standardise:
        std = standardised_rates(est, by, per=per)
        for col in by:
            std[col] = std[col].astype(object)
        std["condition"] = std["condition"].astype(str)
        frame = frame.merge(std.drop(columns="std_interval"), on=[*by, "condition"], how="left")
    return frame


def _grouped(
    est: Estimate,
    mapping: pd.DataFrame,
    others: list[str],
    per: int,
    standardise: bool,
    level_text: str,
) -> pd.DataFrame:
    present = set(est.coverage["area_code"].astype(str))
    mapping = mapping[mapping["area_code"].isin(present)]
    sub = _subset(est, list(mapping["area_code"]))
    summary = sub.summarise(by=[*others, "group", "condition"], groups=mapping).to_frame()
    frame = summary.rename(columns={est.count_column: "population", "group": "area_name"})
    frame["area_name"] = frame["area_name"].astype(object)
    frame["area_code"] = ""
    frame["condition"] = frame["condition"].astype(str)
    frame["interval"] = frame["interval"].astype(str)
    level_of_group = {
        g: level_text.format(level_of(codes.iloc[0]) or _UNKNOWN)
        for g, codes in mapping.groupby("group", sort=False)["area_code"]
    }
    frame["level"] = frame["area_name"].map(level_of_group)
    _add_rates(frame, per)
    _add_labels(frame, est)
    if standardise:
        # a group's standardised rate: its areas' people in each band and sex, pooled
        pooled = _pooled(sub, mapping)
        std = standardised_rates(pooled, [*others, "area_code"], per=per)
        std = std.rename(columns={"area_code": "area_name"}).drop(columns="std_interval")
        std["area_name"] = std["area_name"].astype(object)
        std["condition"] = std["condition"].astype(str)
        frame = frame.merge(std, on=[*others, "area_name", "condition"], how="left")
    return frame


def _pooled(est: Estimate, mapping: pd.DataFrame) -> Estimate:
    """The estimate with each area's code replaced by its group's name (cells and coverage)."""
    to_group = dict(zip(mapping["area_code"], mapping["group"].astype(str), strict=True))

    def relabel(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out["area_code"] = out["area_code"].astype(str).map(to_group)
        return out

    keys = [k for k in est.keys if k != "area_name"]
    return Estimate._from_engine(
        frame=relabel(est._frame),
        table=est.table,
        coverage=relabel(est.coverage),
        keys=keys,
        params=est.params,
        cells=relabel(est._cells),
    )


def _add_rates(frame: pd.DataFrame, per: int) -> None:
    count = frame["population"].to_numpy(np.float64)
    safe = np.where(count > 0, count, np.nan)
    for name, source in (
        ("rate", "cases"),
        ("rate_lower", "cases_lower"),
        ("rate_upper", "cases_upper"),
    ):
        frame[name] = frame[source].to_numpy(np.float64) / safe * per


def _add_labels(frame: pd.DataFrame, est: Estimate) -> None:
    meta = est.table.meta
    narrow = est.params.get("ages")
    labels, ages = {}, {}
    for cond_id in est.conditions:
        cond = meta.condition(cond_id)
        scope = cond.scope.intersect(narrow) if isinstance(narrow, AgeBand) else cond.scope
        labels[cond_id] = cond.label
        ages[cond_id] = str(scope or cond.scope)
    frame["label"] = frame["condition"].map(labels)
    frame["ages"] = frame["condition"].map(ages)


def _compare(
    frame: pd.DataFrame,
    est: Estimate,
    comparator: str,
    area_keys: list[str],
    others: list[str],
    per: int,
    standardise: bool,
) -> pd.DataFrame:
    token = str(comparator).strip()
    rows = frame[frame["area_code"].astype(str) != ""]
    hit = rows[rows["area_code"].astype(str) == token]
    if hit.empty and "area_name" in rows.columns:
        hit = rows[rows["area_name"].astype(str).str.strip().str.lower() == token.lower()]
    if hit.empty:
        known = list(dict.fromkeys(rows["area_code"].astype(str)))
        raise InputError(
            f"area_table: comparator {comparator!r} is not an area of the estimate (its areas: "
            f"{', '.join(known[:8])}{', ...' if len(known) > 8 else ''}); estimate the "
            "comparator (such as England, E92000001) with the local areas",
            column="area_code",
            rule="comparator is an area of the estimate",
            values=[comparator],
        )
    columns = {"rate": "comparator_rate", "rate_lower": "comparator_rate_lower"}
    columns["rate_upper"] = "comparator_rate_upper"
    if standardise:
        for suffix in ("", "_lower", "_upper"):
            columns[f"std_rate{suffix}"] = f"comparator_std_rate{suffix}"
    name = str(hit["area_name"].iloc[0]) if "area_name" in hit.columns else token
    side = hit[[*others, "condition", *columns]].rename(columns=columns)
    out = frame.merge(side, on=[*others, "condition"], how="left")
    out.insert(list(out.columns).index("comparator_rate"), "comparator", name)
    ratio = out["rate"].to_numpy(np.float64) / out["comparator_rate"].to_numpy(np.float64)
    out["rate_ratio"] = ratio
    return out
