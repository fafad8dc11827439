"""The charts a report makes (cases by age band and sex, or over years), their file names,
and drawing them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mhneed.outputs.report import Report
from mhneed.outputs.report_layout import place

__all__ = ["chart_jobs", "draw_charts"]


def chart_jobs(report: Report, folder: Path) -> list[tuple[str, dict[str, Any], Path]]:
    """The charts a report makes: (condition, key group, file) for each.

    One chart of cases by age band and sex per condition and area (or group);
    with more than one year, one chart of cases over years per condition and
    area instead. File names are made from the condition and the place, in
    plain ASCII; names that would be the same (``Café`` and ``Cafe``, or two
    names differing only in case or punctuation) get ``_2``, ``_3``, … so no
    chart overwrites another.
    """
    conditions = list(dict.fromkeys(str(c) for c in report.rows["condition"]))
    years = "year" in report.keys and report.rows["year"].nunique() > 1
    if years:
        others = [k for k in report.keys if k != "year"]
        groups = (
            [
                dict(zip(others, r, strict=True))
                for r in report.rows[others].drop_duplicates().itertuples(index=False)
            ]
            if others
            else [{}]
        )
    else:
        groups = report.groups()
    kind = "over_years" if years else "by_age_sex"
    jobs: list[tuple[str, dict[str, Any], Path]] = []
    used: set[str] = set()
    for group in groups:
        for condition in conditions:
            stem = f"{_slug(condition) or 'condition'}_{kind}_{_slug(place(group)) or 'all'}"
            name, n = stem, 2
            while name.casefold() in used:  # file systems that ignore case too
                name = f"{stem}_{n}"
                n += 1
            used.add(name.casefold())
            jobs.append((condition, group, folder / f"{name}.png"))
    return jobs


def draw_charts(
    report: Report,
    folder: Path,
    progress: Callable[[str], None],
    jobs: Sequence[tuple[str, dict[str, Any], Path]] | None = None,
) -> list[Path]:
    """Draw a report's charts (see :func:`chart_jobs`) into a folder.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    from mhneed.outputs.age_sex_chart import plot_age_sex
    from mhneed.outputs.years_chart import plot_over_years

    if jobs is None:
        jobs = chart_jobs(report, folder)
    folder.mkdir(parents=True, exist_ok=True)
    years = "year" in report.keys and report.rows["year"].nunique() > 1
    written: list[Path] = []
    for n, (condition, group, path) in enumerate(jobs, start=1):
        progress(f"drawing chart {n} of {len(jobs)}")
        note = report.denominator_note  # the denominator of births, in the footer
        if years:
            fig = plot_over_years(report, condition, select=group, path=path, note=note)
        else:
            fig = plot_age_sex(report, condition, select=group, path=path, note=note)
        fig.clear()
        written.append(path)
    return written


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")
