"""The planners' layouts of ``mhneed estimate``: the ``--layout`` choices, and writing
``by-area`` and ``by-year`` to CSV or Excel.

* ``--layout by-area``: conditions as rows, every area, service lot and level
  total as a column block (:func:`mhneed.area_table`, :func:`mhneed.area_pivot`),
  with ``--compare`` and ``--standardise``;
* ``--layout by-year``: a projection with the years as columns
  (:func:`mhneed.projection_wide`) and the change from the base year.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd

from mhneed._files import atomic_path
from mhneed.engine.results import Estimate
from mhneed.errors import InputError
from mhneed.outputs.area_pivot import area_pivot
from mhneed.outputs.areas import area_table
from mhneed.outputs.formula_guard import safe_text
from mhneed.outputs.projections import projection_tidy, projection_wide
from mhneed.outputs.workbook import write_tables_excel

__all__ = ["LAYOUTS", "write_layout"]


#: The ``--layout`` choices and what each shows.
LAYOUTS: dict[str, str] = {
    "report": "the report table: conditions × age bands, a block per sex, with notes (default)",
    "tidy": "tidy rows, one figure per row, numbers as numbers",
    "by-area": "conditions as rows, each area, group and level total as columns (cases, range, "
    "rate per 100,000)",
    "by-year": "a projection: conditions as rows, years as columns, with the change from the "
    "first year",
}


def write_layout(
    layout: str,
    est: Estimate,
    out: Path,
    *,
    groups: pd.DataFrame | None,
    comparator: str | None,
    standardise: bool,
    source: str,
) -> pd.DataFrame:
    """Write the ``by-area`` or ``by-year`` layout to CSV or Excel; return its tidy rows."""
    if layout == "by-area":
        tidy = area_table(est, groups, totals=True, comparator=comparator, standardise=standardise)
        measures = ["cases", "cases_lower", "cases_upper", "rate", "rate_lower", "rate_upper"]
        if standardise:
            measures += ["std_rate", "std_rate_lower", "std_rate_upper"]
        wide = area_pivot(tidy, measures)
        sheet = "By area"
    else:
        if "year" not in est.keys or est.coverage["year"].nunique() < 2:
            raise InputError(
                "--layout by-year needs a population over several years (such as an ONS SNPP "
                "projection); this one has "
                + ("no year column" if "year" not in est.keys else "one year"),
                column="--layout",
                rule="by-year needs several years",
                values=[layout],
            )
        tidy = projection_tidy(est, groups=groups)
        wide = projection_wide(tidy)
        sheet = "By year"
    tidy.attrs.setdefault("mhneed", {})["data_source"] = source
    wide.attrs = {"mhneed": dict(tidy.attrs["mhneed"])}
    if out.suffix.lower() == ".xlsx":
        write_tables_excel({sheet: wide}, out, data=tidy)
    else:
        _write_csv(wide, out, est, source)
    return tidy


def _write_csv(frame: pd.DataFrame, out: Path, est: Estimate, source: str) -> None:
    table = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
    header = [_heading(c) for c in table.columns]
    prov = est.provenance()
    notes = [
        f"Rates: {prov['title']} [{prov['table']}]",
        f"Input: {source}",
        *prov["caveats"],
        *est.warnings,
    ]
    with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_text(h) for h in header])
        for record in table.itertuples(index=False, name=None):
            writer.writerow([_cell(v) for v in record])
        writer.writerow([])
        for note in notes:
            writer.writerow([safe_text(note)])


def _heading(column: Any) -> str:
    if isinstance(column, tuple):
        parts = [str(p) for p in column if str(p)]
        return ": ".join(parts)
    return str(column)


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return safe_text(value)
