"""The words on a report's charts: title lines, the axis label and the footer.

The footer names the rates, their publisher and edition, the input's source,
what the range bars or shading are, the rounding, that conditions overlap, the
denominator of estimates from births, and the caller's note.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pandas as pd

from mhneed.engine.labels import split_methods
from mhneed.outputs.report import Report
from mhneed.outputs.report_layout import ALL

__all__ = ["add_footer", "by_words", "condition_label", "range_label", "who", "y_label"]

_RANGE_WORDS = {
    "published range": "{what}: the published low–high range.",
    "no interval published": "No range is published for these rates.",
}


def condition_label(rows: pd.DataFrame) -> str:
    """The condition's label and its period ("Psychotic disorder, past year")."""
    label, period = str(rows["label"].iloc[0]), str(rows["period"].iloc[0])
    return label if period.startswith("not stated") else f"{label}, {period}"


def by_words(columns: list[str], blocks: list[str]) -> str:
    """ ", by age and sex", ", by age", ", by sex" or nothing, as the chart splits its figures."""
    by = [w for w, yes in (("age", columns != [ALL]), ("sex", len(blocks) > 1)) if yes]
    return f", by {' and '.join(by)}" if by else ""


def who(report: Report, sex: str | None = None) -> str:
    """Whom the figures count: women giving birth, women, men or people."""
    if report.count_column == "births":
        return "women giving birth"
    return {"female": "women", "male": "men"}.get(sex or "", "people")


def y_label(report: Report) -> str:
    """The label of the axis of estimated numbers."""
    return f"{who(report).capitalize()} (estimated number)"


def range_label(rows: pd.DataFrame) -> str:
    """The legend's name for the range ("Published range", "95% confidence interval")."""
    kinds = [str(k) for k in dict.fromkeys(rows["interval"])]
    kind = kinds[0] if kinds else ""
    return {"published range": "Published range"}.get(kind, kind[:1].upper() + kind[1:])


def add_footer(fig: Any, report: Report, rows: pd.DataFrame, note: str | None, what: str) -> None:
    """Write the footer under the chart; ``what`` names the ranges ("Range bars", "Shading")."""
    meta = report.table.meta
    kinds = [str(k) for k in dict.fromkeys(rows["interval"])]
    ranges = []
    level, details, kinds = split_methods(kinds)
    if level is not None:
        ranges.append(f"{what}: {level}s of the survey rates ({'; '.join(details)}).")
    for kind in kinds:
        if kind in _RANGE_WORDS:
            ranges.append(_RANGE_WORDS[kind].format(what=what))
        else:
            ranges.append(f"{what}: {kind} of the survey rate.")
    if bool(rows["range_only"].any()):
        ranges.append("The source publishes only a range; the central figure is its midpoint.")
    parts = [
        f"Rates: {meta.title} ({meta.publisher}, {meta.edition}).",
    ]
    if report.data_source:
        counted = "Births" if report.count_column == "births" else "Population"
        parts.append(f"{counted}: {report.data_source.rstrip('.')}.")
    parts.extend(ranges)
    parts.append(report.rounding.capitalize() + "." if report.rounding else "Unrounded estimates.")
    parts.append("Conditions overlap: do not add figures for different conditions.")
    denominator = report.denominator_note
    if denominator and denominator != note:  # births counted as live births, say so
        parts.append(denominator)
    if note:
        parts.append(note)
    text = "\n".join(textwrap.wrap(" ".join(parts), width=125))
    fig.get_layout_engine().set(h_pad=0.04)
    fig.supxlabel(text, fontsize=6, color="#444444", ha="left", x=0.01, parse_math=False)
