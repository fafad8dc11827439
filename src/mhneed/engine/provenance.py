"""Where an estimate's numbers came from, in a dict (provenance) and in words (describe).

Every estimate can say which rate table, edition, rows and sources produced it,
its scope, who was counted in and out of scope, how its ranges were made and
rounded, and the warnings every report of it should carry:
:func:`provenance` (the dict in ``frame.attrs["mhneed"]``), :func:`describe` (the
same, as plain text) and :func:`estimate_warnings`. The wording of the labels and
warnings themselves is in :mod:`mhneed.engine.labels`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mhneed.engine.labels import (
    OUT_OF_SCOPE,
    OVERLAP_WARNING,
    denominator_warning,
    narrowed_warning,
)

if TYPE_CHECKING:
    from mhneed.engine.results import Estimate
    from mhneed.published.rates import RateTable

__all__ = ["coverage_by_condition", "describe", "estimate_warnings", "provenance"]


def estimate_warnings(table: RateTable, params: Mapping[str, Any]) -> list[str]:
    """Caveats every report of an estimate should carry, from its table and how it was made.

    The table's conditions overlapping (never add across them), population bands split
    across rate bands, rates applied to a narrower band than published, and a count of
    births other than the one the rates are per.
    """
    out: list[str] = []
    if not table.meta.mutually_exclusive:
        out.append(OVERLAP_WARNING)
    if params.get("split_bands"):
        labels = list(params.get("split_band_labels") or [])
        which = f" ({', '.join(labels)})" if labels else ""
        ages = params.get("ages")
        scope = "" if ages is None else f" or the age scope {ages}"
        out.append(
            f"Some population age bands{which} straddle a rate band{scope}; their "
            "population was split uniformly across the band's single years, which assumes "
            "people are spread evenly over those ages. Give single years of age for an "
            "exact estimate."
        )
    narrowed = list(params.get("narrowed_rates") or [])
    if narrowed:
        out.append(narrowed_warning(params.get("ages"), narrowed))
    mismatch = denominator_warning(params.get("denominator", table.meta.denominator), table)
    if mismatch is not None:
        out.append(mismatch)
    return out


def provenance(est: Estimate) -> dict[str, Any]:
    """Where every number of ``est`` came from; see :meth:`Estimate.provenance
    <mhneed.engine.results.Estimate.provenance>` for the entries."""
    meta = est.table.meta
    chosen = set(est.conditions)
    used_sources = dict.fromkeys(r.source for r in est.table.rows if r.condition in chosen)
    by_cond = coverage_by_condition(est.coverage, [est.count_column, "in_scope", *OUT_OF_SCOPE])
    ages = est.params.get("ages")
    return {
        "table": meta.id,
        "title": meta.title,
        "publisher": meta.publisher,
        "edition": meta.edition,
        "citation": meta.citation,
        "geography": meta.geography,
        "population_covered": meta.population,
        "denominator": est.params.get("denominator", meta.denominator),
        "table_denominator": meta.denominator,
        "interval": est.interval_kind,
        "interval_level": est.interval_level,
        "survey_bases": est.params.get("survey_bases"),
        "simulation": est.params.get("simulation"),
        "conditions": [
            {"id": c.id, "label": c.label, "period": c.period, "ages": c.ages}
            for c in meta.conditions
            if c.id in chosen
        ],
        "sources": [
            {
                "id": s,
                "kind": est.table.source(s).kind,
                "citation": est.table.source(s).citation,
            }
            for s in used_sources
        ],
        "ages": None if ages is None else str(ages),
        "top_age": est.params.get("top_age"),
        "coverage": by_cond,
        "rounding": est.rounding,
        "by": est.by,
        "caveats": list(meta.caveats),
        "warnings": est.warnings,
    }


def describe(est: Estimate) -> str:
    """A plain-text account of ``est``: table, sources, scope, coverage, caveats."""
    p = provenance(est)
    cov = p["coverage"]
    count = est.count_column
    denominator = str(p["denominator"]).replace("_", " ")
    if p["denominator"] != p["table_denominator"]:
        denominator += (
            f" (the rate table's rates apply to {p['table_denominator'].replace('_', ' ')})"
        )
    lines = [
        f"Estimate from {p['title']} [{p['table']}], edition {p['edition']}",
        f"  {p['publisher']}; {p['geography']}; {p['population_covered']}",
        f"  denominator: {denominator}",
        f"  conditions: {', '.join(c['id'] for c in p['conditions'])}",
    ]
    zeros = [
        f"{r.condition} {r.sex} {r.age_band}"
        for r in est.table.rows
        if r.none_in_sample and r.condition in est.conditions
    ]
    if zeros:
        lines.append(
            "  cells with none in the survey sample (rate 0; upper bound from the base): "
            + ", ".join(zeros)
        )
    if p["ages"]:
        lines.append(f"  ages narrowed to {p['ages']}")
    lines.extend(_coverage_lines(cov, count))
    if p["survey_bases"]:
        used = len(p["survey_bases"]["used"])
        lines.append(
            f"  Wilson intervals from survey bases and design effects for {used} "
            f"cell{'s' if used != 1 else ''} with no published interval"
        )
    if p["simulation"]:
        sim = p["simulation"]
        lines.append(
            f"  ranges simulated: {sim['draws']:,} draws, seed {sim['seed']}, "
            f"{sim['level'] * 100:g}% percentile interval"
        )
    if est.rounding:
        lines.append(f"  rounding: {est.rounding}")
    lines.append("  sources:")
    lines.extend(f"    [{s['id']}] ({s['kind']}) {s['citation']}" for s in p["sources"])
    if p["warnings"]:
        lines.append("  warnings:")
        lines.extend(f"    - {w}" for w in p["warnings"])
    if p["caveats"]:
        lines.append("  caveats of the rate table:")
        lines.extend(f"    - {c}" for c in p["caveats"])
    return "\n".join(lines)


def coverage_by_condition(
    coverage: pd.DataFrame, columns: list[str]
) -> dict[str, dict[str, float]]:
    """The coverage report's ``columns`` summed over key groups, per condition (in order of
    first appearance).

    Each column is added in row order with one count (``numpy.bincount``) rather than a
    pandas group-by: whole numbers give exactly the group-by's totals (``-0.0`` adds up
    to ``0.0``); fractional ones (a fractional population, or in-scope counts of whole
    people when a rate band splits an age band of the population) can differ from its
    compensated sums in the last bit only.
    """
    condition = coverage["condition"]
    if isinstance(condition.dtype, pd.CategoricalDtype):
        codes = np.asarray(condition.cat.codes.to_numpy(), dtype=np.int64)
        names = pd.Index(condition.cat.categories)
    else:
        codes, names = pd.factorize(condition)
        codes = np.asarray(codes, dtype=np.int64)
    order = pd.unique(codes)  # the conditions in order of first appearance
    totals = [
        np.bincount(codes, weights=coverage[col].to_numpy(dtype=np.float64), minlength=len(names))
        for col in columns
    ]
    return {
        str(names[c]): {k: float(t[c]) for k, t in zip(columns, totals, strict=True)} for c in order
    }


# -- private helpers ---------------------------------------------------------------


def _coverage_lines(cov: dict[str, dict[str, float]], count: str) -> list[str]:
    """The coverage part of :func:`describe`: conditions with the same counts share a line."""
    lines: list[str] = []
    who = "people" if count == "population" else "births"
    lines.append(f"  coverage ({who} in the input, in scope and out of scope, by condition):")
    seen: dict[str, list[str]] = {}
    for cond, counts in cov.items():
        text = ", ".join(
            f"{k.replace('_', ' ')} {_fmt(v)}"
            for k, v in counts.items()
            if v or k in (count, "in_scope")
        )
        seen.setdefault(text, []).append(cond)
    for text, conds in seen.items():
        lines.append(f"    {', '.join(conds)}: {text}")
    return lines


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
