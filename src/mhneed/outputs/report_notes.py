"""What a report says under its table: rounding, overlap, ranges, warnings, coverage, sources.

:func:`report_notes` writes the notes of a :class:`~mhneed.outputs.report.Report`,
in order: the rounding rule; the overlap caveat (unless the table's conditions
are mutually exclusive); what the ranges are; which conditions have a persons
rate only; the denominator of an estimate from births (and the births the
rates did not apply to); the estimate's warnings; the table's caveats; the
coverage of the input (everyone in it, in scope or out); the rate table; its
sources; and the input's source.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mhneed.engine.labels import (
    COUNT_HEADINGS,
    NO_INTERVAL,
    OVERLAP_WARNING,
    denominator_note,
    split_methods,
    unused_births_note,
)
from mhneed.engine.results import Estimate

__all__ = ["report_notes"]


def report_notes(
    est: Estimate,
    rows: pd.DataFrame,
    rounding: str | None,
    data_source: str | None,
    coverage: pd.DataFrame,
    *,
    persons_only: bool,
) -> list[str]:
    """The notes under a report's table, one sentence (or a few) each.

    Parameters
    ----------
    est : Estimate
        The unrounded estimate the report was made from.
    rows : pandas.DataFrame
        The report's rows (:attr:`Report.rows`): their ``interval`` and
        ``range_only`` columns say what the ranges are.
    rounding : str or None
        How the figures were rounded, or None.
    data_source : str or None
        Where the population or births came from.
    coverage : pandas.DataFrame
        The report's coverage (:attr:`Report.coverage`).
    persons_only : bool
        Whether the ``All people`` block lists conditions that have a persons
        rate only beside conditions published by sex.

    Returns
    -------
    list of str
    """
    meta = est.table.meta
    notes = [_rounding_note(rounding)]
    if not meta.mutually_exclusive:
        notes.append(OVERLAP_WARNING)
    notes.extend(_range_notes(rows))
    if persons_only:
        notes.append(
            "Conditions listed under All people only have a rate published for persons (women "
            "and men together), not by sex."
        )
    denominator = denominator_note(str(est.provenance()["denominator"]), est.table)
    if denominator is not None:
        notes.append(denominator)
    unused = est.params.get("unused_births")
    if unused is not None:
        used = est.coverage.groupby("condition", observed=True, sort=False)["births"].sum()
        notes.append(unused_births_note(float(used.iloc[0]), float(unused)))
    for warning in est.warnings:
        if warning != OVERLAP_WARNING:
            notes.append(f"Warning: {warning}")
    for caveat in meta.caveats:
        if not caveat.startswith("Conditions overlap"):
            notes.append(f"Caveat: {caveat}")
    given = str(est.params.get("denominator", est.table.meta.denominator))
    notes.append(_coverage_note(coverage, est.count_column, given))
    notes.extend(_source_notes(est, est.provenance(), data_source))
    return notes


# -- private helpers ---------------------------------------------------------------


def _rounding_note(rounding: str | None) -> str:
    if rounding is None:
        return "Rounding: none; figures are unrounded estimates, shown to the nearest whole number."
    return (
        f"Rounding: every figure is {rounding}, each on its own after combining unrounded "
        "figures, so rounded figures need not add up to the totals shown."
    )


def _range_notes(rows: pd.DataFrame) -> list[str]:
    """What the ranges are: one note per kind of range the rows carry."""
    notes: list[str] = []
    kinds = list(dict.fromkeys(str(v) for v in rows["interval"]))
    range_only = bool(rows["range_only"].any())
    base, ci_details, kinds = split_methods(kinds)
    if base is not None:
        notes.append(
            f"Ranges in brackets are {base}s of the survey's rates (sampling error only), "
            "combined across age bands and sexes in quadrature. How the cells' intervals were "
            f"obtained (the data's interval column says for each row): {'; '.join(ci_details)}."
        )
    for kind in kinds:
        if kind == NO_INTERVAL:
            notes.append(
                "A figure with no range: the source publishes no interval for that rate, so "
                "none is shown (none is invented)."
            )
        elif kind == "published range":
            text = (
                "Ranges (low–high) are the low and high rates the source publishes; where it "
                "publishes a single rate, one figure is shown."
            )
            if range_only:
                text += (
                    " Where the source publishes only a range, the range alone is shown; the "
                    "central figure in the data is its midpoint, which the source does not "
                    "publish."
                )
            notes.append(text)
        else:
            notes.append(
                f"Ranges in brackets are {kind}s of the survey's rates (sampling error "
                "only), combined across age bands and sexes in quadrature."
            )
    return notes


def _source_notes(est: Estimate, prov: dict[str, Any], data_source: str | None) -> list[str]:
    """The rate table, each of its sources, and where the input came from."""
    meta = est.table.meta
    ages = f"; ages narrowed to {prov['ages']}" if prov["ages"] else ""
    notes = [
        f"Rates: {meta.title} [{meta.id}], {meta.publisher}, edition {meta.edition}; "
        f"{meta.geography}; {meta.population}{ages}."
    ]
    for source in prov["sources"]:
        notes.append(f"Source [{source['id']}] ({source['kind']}): {source['citation']}")
    if data_source:
        what = "Births" if est.count_column == "births" else "Population"
        notes.append(f"{what}: {data_source}")
    return notes


def _coverage_note(coverage: pd.DataFrame, count: str, denominator: str = "persons") -> str:
    """One sentence accounting for everyone in the input; conditions with equal counts share it.

    Births are named by what they count (maternities, live births, deliveries).
    """
    cols = [count, "in_scope", "too_young", "too_old", "wrong_sex"]
    totals = coverage.groupby("condition", sort=False)[cols].sum()
    who = "people"
    if count == "births":
        who = COUNT_HEADINGS.get(denominator, "Births").lower()
    patterns: dict[str, list[str]] = {}
    for cond, row in totals.iterrows():
        out = [
            f"{_whole(row[k])} {k.replace('_', ' ')}"
            for k in ("too_young", "too_old", "wrong_sex")
            if row[k]
        ]
        text = f"in scope {_whole(row['in_scope'])}"
        text += f" ({', '.join(out)} out of scope)" if out else " (none out of scope)"
        patterns.setdefault(text, []).append(str(cond))
    everyone = _whole(float(totals[count].iloc[0])) if len(totals) else "0"
    if len(patterns) == 1:
        (text,) = patterns
        return f"Coverage: {everyone} {who} in the input, {text}."
    parts = [f"{text} for {', '.join(conds)}" for text, conds in patterns.items()]
    return f"Coverage: {everyone} {who} in the input; {'; '.join(parts)}."


def _whole(value: float) -> str:
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
