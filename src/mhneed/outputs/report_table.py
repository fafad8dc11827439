"""Build a report from an estimate: summarise first, round last.

:func:`report_table` builds a :class:`~mhneed.outputs.report.Report` from an
unrounded estimate. It summarises first and rounds last (rounding is a
presentation step), so every ``All`` figure and every ``All people`` figure is
combined from unrounded cells by the rules for its kind of range, then rounded
on its own. The command line, the CSV and Excel writers
(:mod:`mhneed.outputs.csv_export`, :mod:`mhneed.outputs.excel_export`) and the
charts (the chart modules of :mod:`mhneed.outputs`) all work from a :class:`Report`.

Which rows a block holds
------------------------
* A condition appears in the ``Women`` and ``Men`` blocks only when its rates
  are published by sex (every cell is female or male); a condition with a
  persons rate appears under ``All people`` only, since splitting it by sex
  would show the same rate twice as if it had been measured for each sex.
* Age-band columns are filled only for a condition with more than one band
  (such as APMS 2007 psychotic disorder, seven bands); a condition published
  for its whole scope (``16+``) has its figure under ``All``, and its scope in
  the ``Ages`` column.
* ``All people`` is left out when the table covers one sex only (perinatal
  rates apply to women giving birth).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from mhneed.engine.intervals import STRATUM
from mhneed.engine.results import Estimate
from mhneed.errors import CombineError, InputError
from mhneed.outputs.report import Report
from mhneed.outputs.report_layout import ALL, BLOCKS, FIGURES
from mhneed.outputs.report_notes import report_notes
from mhneed.published.bands import AgeBand, parse_band

__all__ = ["report_table"]


def report_table(
    est: Estimate,
    *,
    by: Sequence[str] | None = None,
    groups: Mapping[Any, Any] | pd.DataFrame | None = None,
    round_to: float | None = None,
    how: Literal["up", "nearest"] = "nearest",
    data_source: str | None = None,
) -> Report:
    """Lay an estimate out as a JSNA table: conditions × age bands, a block per sex.

    Parameters
    ----------
    est : Estimate
        An unrounded estimate from :func:`mhneed.estimate` or
        :func:`mhneed.estimate_perinatal`.
    by : sequence of str, optional
        Key columns to keep, one report block per combination (such as
        ``["area_code", "area_name"]``, or ``["year"]`` to add areas
        together). Default: every key column of the estimate; with
        ``groups``, ``group`` and the key columns other than ``area_code`` and
        ``area_name``.
    groups : dict or pandas.DataFrame, optional
        Areas to groups (see :meth:`Estimate.summarise`): a county from its
        districts, or service lots.
    round_to : float, optional
        Round every figure to a multiple of this (5, 10) after combining;
        ``None`` (the default) leaves them unrounded (shown to the nearest
        whole number).
    how : {"nearest", "up"}
        How to round (see :meth:`Estimate.round`).
    data_source : str, optional
        Where the population or births came from (such as the ONS file's
        title), stated in the notes.

    Returns
    -------
    Report

    Raises
    ------
    CombineError
        When ``est`` is already rounded (give the unrounded estimate and
        ``round_to``).
    InputError
        When ``by`` names a stratum column (condition, sex, age_band), or
        ``how`` or ``round_to`` is not valid.
    MissingColumnError
        When ``by`` names a column that is not a key of the estimate.

    Notes
    -----
    Each figure is combined from unrounded cells (see
    :meth:`Estimate.summarise`), then rounded on its own, so rounded bands
    need not add up to the rounded ``All`` figure.

    Examples
    --------
    >>> import mhneed
    >>> est = mhneed.estimate(mhneed.rutland_population(), "apms_2007_psychosis")
    >>> rep = mhneed.report_table(est, by=["area_name"], round_to=5, how="nearest")
    >>> rep.layout().loc[0, ["Area", "Sex", "16-24", "All"]].tolist()
    ['Rutland', 'Women', '5', '70']
    """
    if est.rounding is not None:
        raise CombineError(
            f"report_table: the estimate is already {est.rounding}; give the unrounded "
            "estimate and round_to=, so that totals are combined before rounding",
            rule="round last",
            values=[est.rounding],
        )
    keys = _report_keys(est, by, groups)
    cells = est._cells
    conditions = list(dict.fromkeys(str(c) for c in cells["condition"]))
    plan = _plan(cells, conditions)
    parts, rounding = _summaries(est, keys, groups, round_to, how)
    rows = _assemble(parts, keys, plan, est)
    coverage = _coverage(est, keys, groups)
    decimals = 0 if round_to is None or float(round_to).is_integer() else _decimals(round_to)
    bands = _band_columns(rows)
    blocks = [s for s in BLOCKS if (rows["sex"] == s).any()]
    persons_only = bool(plan.persons_only) and "persons" in plan.blocks
    notes = report_notes(est, rows, rounding, data_source, coverage, persons_only=persons_only)
    return Report(
        rows=rows,
        keys=keys,
        bands=bands,
        table=est.table,
        count_column=est.count_column,
        rounding=rounding,
        decimals=decimals,
        coverage=coverage,
        provenance=est.provenance(),
        notes=notes,
        data_source=data_source,
        blocks=blocks,
    )


# -- private helpers ---------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """Which blocks and band columns each condition has."""

    sex_specific: dict[str, bool]
    sex_bands: dict[tuple[str, str], list[str]]  # (condition, sex) -> bands
    persons_bands: dict[str, list[str]]  # condition -> bands shown under All people
    ages: dict[tuple[str, str], str]  # (condition, sex or persons) -> ages counted
    blocks: list[str]
    persons_only: list[str]  # conditions with a persons rate among sex-specific ones


def _summaries(
    est: Estimate,
    keys: list[str],
    groups: Mapping[Any, Any] | pd.DataFrame | None,
    round_to: float | None,
    how: Literal["up", "nearest"],
) -> tuple[list[pd.DataFrame], str | None]:
    """The estimate summarised four ways (by sex and band, sex, band, neither), and the rounding."""
    parts = []
    rounding: str | None = None
    for extra, sex, band in (
        (["sex", "age_band"], None, None),
        (["sex"], None, ALL),
        (["age_band"], "persons", None),
        ([], "persons", ALL),
    ):
        summary = est.summarise([*keys, "condition", *extra], groups=groups)
        if round_to is not None:
            summary = summary.round(round_to, how)
            rounding = summary.rounding
        frame = summary.to_frame()
        frame = frame.drop(columns=[c for c in ("rounding",) if c in frame.columns])
        if sex is None:  # the women's and men's blocks; persons cells come from the others
            frame = frame[frame["sex"].astype(str) != "persons"]
        else:
            frame["sex"] = sex
        if band is not None:
            frame["age_band"] = band
        parts.append(frame)
    return parts, rounding


def _report_keys(
    est: Estimate, by: Sequence[str] | None, groups: Mapping[Any, Any] | pd.DataFrame | None
) -> list[str]:
    if by is None:
        if groups is None:
            return list(est.keys)
        return ["group", *(k for k in est.keys if k not in ("area_code", "area_name", "group"))]
    keys = [by] if isinstance(by, str) else list(dict.fromkeys(by))
    strata = [k for k in keys if k in STRATUM]
    if strata:
        raise InputError(
            f"report_table: by={keys} names {', '.join(strata)}; by lists key columns only "
            "(conditions are the report's rows, age bands its columns and sexes its blocks)",
            column=strata[0],
            rule="by names key columns",
            values=strata,
        )
    return keys


def _plan(cells: pd.DataFrame, conditions: list[str]) -> _Plan:
    frame = cells[["condition", "sex", "age_band"]].astype(str).drop_duplicates()
    sex_specific: dict[str, bool] = {}
    sex_bands: dict[tuple[str, str], list[str]] = {}
    persons_bands: dict[str, list[str]] = {}
    ages: dict[tuple[str, str], str] = {}
    for cond in conditions:
        part = frame[frame["condition"] == cond]
        sexes = list(dict.fromkeys(part["sex"]))
        specific = "persons" not in sexes
        sex_specific[cond] = specific
        per_sex = {s: _sorted_bands(part.loc[part["sex"] == s, "age_band"]) for s in sexes}
        for sex, bands in per_sex.items():
            ages[(cond, sex)] = _span(bands)
            if specific:
                sex_bands[(cond, sex)] = bands if len(bands) > 1 else []
        every = _sorted_bands(part["age_band"])
        ages[(cond, "persons")] = _span(every)
        same = len({tuple(b) for b in per_sex.values()}) == 1
        persons_bands[cond] = every if same and len(every) > 1 else []
    sex_blocks = [
        s for s in ("female", "male") if any(k[1] == s for k in sex_bands if sex_specific[k[0]])
    ]
    has_persons = any(not v for v in sex_specific.values())
    blocks = [*sex_blocks]
    if len(sex_blocks) != 1 or has_persons:
        blocks.append("persons")
    persons_only = [c for c, v in sex_specific.items() if not v] if sex_blocks else []
    return _Plan(sex_specific, sex_bands, persons_bands, ages, blocks, persons_only)


def _sorted_bands(labels: pd.Series) -> list[str]:
    unique = list(dict.fromkeys(str(v) for v in labels))
    return sorted(unique, key=lambda b: _band_key(parse_band(b)))


def _band_key(band: AgeBand) -> tuple[int, float]:
    return (band.lower, math.inf if band.upper is None else band.upper)


def _span(bands: list[str]) -> str:
    parsed = [parse_band(b) for b in bands]
    lower = min(b.lower for b in parsed)
    uppers = [b.upper for b in parsed]
    upper = None if any(u is None for u in uppers) else max(u for u in uppers if u is not None)
    return str(AgeBand(lower, upper))


def _assemble(
    parts: list[pd.DataFrame], keys: list[str], plan: _Plan, est: Estimate
) -> pd.DataFrame:
    count = est.count_column
    columns = [*keys, "sex", "condition", "age_band", count, *FIGURES, "interval"]
    frames = []
    for frame in parts:
        part = pd.DataFrame({c: _plain(frame[c]) for c in columns})
        frames.append(part)
    rows = pd.concat(frames, ignore_index=True)
    wanted = _wanted(plan)
    key = list(zip(rows["condition"], rows["sex"], rows["age_band"], strict=True))
    rows = rows[[k in wanted for k in key]].reset_index(drop=True)
    labels = {c.id: c for c in est.table.meta.conditions}
    midpoint = {r.condition for r in est.table.rows if r.rate_is_midpoint and r.lower != r.upper}
    rows.insert(len(keys) + 2, "label", [labels[c].label for c in rows["condition"]])
    rows.insert(len(keys) + 3, "period", [labels[c].period for c in rows["condition"]])
    rows.insert(
        len(keys) + 4,
        "ages",
        [
            plan.ages[(c, s)] if b == ALL else b
            for c, s, b in zip(rows["condition"], rows["sex"], rows["age_band"], strict=True)
        ],
    )
    rows["range_only"] = [c in midpoint for c in rows["condition"]]
    order = list(labels)
    block_order = {s: i for i, s in enumerate(BLOCKS)}
    all_bands = _sorted_bands(rows.loc[rows["age_band"] != ALL, "age_band"]) if len(rows) else []
    band_order = {b: i for i, b in enumerate([*all_bands, ALL])}
    sort = pd.DataFrame(
        {
            "_g": _group_order(rows, keys),
            "_s": rows["sex"].map(block_order),
            "_c": rows["condition"].map({c: i for i, c in enumerate(order)}),
            "_b": rows["age_band"].map(band_order),
        }
    )
    rows = rows.iloc[np.lexsort([sort[c].to_numpy() for c in ("_b", "_c", "_s", "_g")])]
    return rows.reset_index(drop=True)


def _wanted(plan: _Plan) -> set[tuple[str, str, str]]:
    wanted: set[tuple[str, str, str]] = set()
    for cond, specific in plan.sex_specific.items():
        if specific:
            for (c, sex), bands in plan.sex_bands.items():
                if c == cond and sex in plan.blocks:
                    wanted.add((cond, sex, ALL))
                    wanted.update((cond, sex, b) for b in bands)
        if "persons" in plan.blocks:
            wanted.add((cond, "persons", ALL))
            wanted.update((cond, "persons", b) for b in plan.persons_bands[cond])
    return wanted


def _plain(column: pd.Series) -> pd.Series:
    """A column without categories (categoricals become their values)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Series(np.asarray(column.astype(object)), index=column.index, dtype=object)
    return column


def _group_order(rows: pd.DataFrame, keys: list[str]) -> np.ndarray:
    if not keys:
        return np.zeros(len(rows), dtype=np.int64)
    tuples = pd.Series(list(zip(*(rows[k] for k in keys), strict=True)), index=rows.index)
    codes, _ = pd.factorize(tuples)
    return np.asarray(codes, dtype=np.int64)


def _band_columns(rows: pd.DataFrame) -> list[str]:
    return _sorted_bands(rows.loc[rows["age_band"] != ALL, "age_band"])


def _coverage(
    est: Estimate, keys: list[str], groups: Mapping[Any, Any] | pd.DataFrame | None
) -> pd.DataFrame:
    summary = est.summarise([*keys, "condition"], groups=groups)
    cols = [est.count_column, "in_scope", "too_young", "too_old", "wrong_sex"]
    frame = summary.coverage
    by = [*keys, "condition"]
    out = frame.groupby(by, observed=True, sort=False)[cols].sum().reset_index()
    return pd.DataFrame({c: _plain(out[c]) for c in out.columns})


def _decimals(to: float) -> int:
    text = f"{float(to):g}"
    return len(text.split(".")[1]) if "." in text else 0
