"""A rate table described for people: its conditions as a frame, its provenance as text.

:meth:`RateTable.conditions_frame <mhneed.published.rates.RateTable.conditions_frame>`
and :meth:`RateTable.describe <mhneed.published.rates.RateTable.describe>` call the
functions here. Figures are shown in the unit the source printed them in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from mhneed.published.rate_models import INTERVAL_METHOD_WORDS, RateRow

if TYPE_CHECKING:
    from mhneed.published.rates import RateTable

__all__ = ["conditions_frame", "describe_table"]


def conditions_frame(table: RateTable) -> pd.DataFrame:
    """The table's conditions, one row each; see :meth:`RateTable.conditions_frame`."""
    records = []
    for cond in table.meta.conditions:
        cells = table.cells(cond.id)
        published = [s for s in ("female", "male", "persons") if any(r.sex == s for r in cells)]
        records.append(
            {
                "condition": cond.id,
                "label": cond.label,
                "period": cond.period,
                "ages": str(cond.scope),
                "sexes": ", ".join(cond.sexes),
                "published_for": ", ".join(published),
                "cells": len(cells),
                "checks": sum(1 for r in table.checks if r.condition == cond.id),
                "note": cond.note,
            }
        )
    columns = [
        "condition",
        "label",
        "period",
        "ages",
        "sexes",
        "published_for",
        "cells",
        "checks",
        "note",
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def describe_table(table: RateTable) -> str:
    """A plain-text account of the table; see :meth:`RateTable.describe`."""
    m = table.meta
    lines = [
        f"{m.title} [{m.id}]",
        f"  publisher: {m.publisher}; edition {m.edition}; geography: {m.geography}",
        f"  population covered: {m.population}; ages {m.ages}",
        f"  denominator: {m.denominator.replace('_', ' ')}; figures published as "
        f"{_UNIT_WORDS[m.unit]}",
        f"  intervals: {_interval_words(m.interval, m.level)}"
        + (
            "; each cell says whether the publisher printed it or it was built from the "
            "cell's unweighted survey base and the condition's design factor"
            if any(r.interval_method for r in table.rows)
            else ""
        ),
        "  conditions:",
    ]
    for cond in m.conditions:
        cells = table.cells(cond.id)
        sexes = sorted({r.sex for r in cells})
        lines.append(
            f"    {cond.id}: {cond.label} ({cond.period}; ages {cond.ages}; "
            f"{len(cells)} cell{'s' if len(cells) != 1 else ''}: {', '.join(sexes)})"
        )
        if cond.definition:
            lines.append(f"      definition: {cond.definition}")
        if cond.source_table:
            lines.append(f"      published in: {cond.source_table}")
        if cond.note:
            lines.append(f"      note: {cond.note}")
        lines.extend(f"      {_cell_words(r, m.unit)}" for r in cells)
    if table.checks:
        n = len(table.checks)
        lines.append(
            f"  published checks: {n} figure{'s' if n != 1 else ''} kept to check the "
            "table, not used in estimates"
        )
    if m.superseded_by:
        lines.append(f"  superseded by: {', '.join(m.superseded_by)} (this table is kept)")
    if m.caveats:
        lines.append("  caveats:")
        lines.extend(f"    - {c}" for c in m.caveats)
    if m.citation:
        lines.append(f"  citation: {m.citation}")
    lines.append("  sources:")
    lines.extend(f"    [{s.id}] ({s.kind}) {s.citation}" for s in m.sources)
    return "\n".join(lines)


# -- private helpers ---------------------------------------------------------------

_UNIT_WORDS = {"proportion": "proportions", "percent": "percentages", "per_1000": "rates per 1,000"}


def _cell_words(row: RateRow, unit: str) -> str:
    """One cell's rate and limits in the unit the source printed, such as ``female 16+: 6.8%``."""
    scale, suffix = {"percent": (100.0, "%"), "per_1000": (1000.0, " per 1,000")}.get(
        unit, (1.0, "")
    )

    def show(value: float) -> str:
        return f"{round(value * scale, 6):g}{suffix}"

    if row.has_interval and row.lower is not None and row.upper is not None:
        if row.rate_is_midpoint and row.lower == row.upper:
            figure = show(row.lower)
        elif row.rate_is_midpoint:
            figure = f"{show(row.lower)} to {show(row.upper)} (published range)"
        else:
            figure = f"{show(row.rate)} ({show(row.lower)} to {show(row.upper)})"
    else:
        figure = show(row.rate)
    how = INTERVAL_METHOD_WORDS.get(row.interval_method, "")
    details = [x for x in (how, "" if row.base is None else f"base {row.base:,.0f}") if x]
    if details:
        figure += f" [{'; '.join(details)}]"
    where = f" [{row.cell}]" if row.cell else ""
    return f"{row.sex} {row.age_band}: {figure}{where}"


def _interval_words(kind: str, level: float | None) -> str:
    if kind == "confidence_interval":
        return f"{(level or 0) * 100:g}% confidence intervals where published"
    if kind == "published_range":
        return "published ranges (low and high figures)"
    return "none published"
