"""Write a report to a CSV file that is safe to open in a spreadsheet.

:func:`write_csv` writes a :class:`~mhneed.outputs.report.Report` as the
report layout (text cells such as ``1,388 (1,199–1,577)``, ready to paste,
with the notes under the table) or as tidy rows (one figure per row, numbers
as numbers, for further work).

Text is written so that a spreadsheet never runs it as a formula
(:func:`~mhneed.outputs.formula_guard.safe_text`). Files are UTF-8 with a
byte-order mark, so Excel shows the en dash of a range and names such as
``Ynys Môn`` correctly.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from mhneed._files import atomic_path, output_path
from mhneed.errors import InputError
from mhneed.outputs.formula_guard import safe_text
from mhneed.outputs.report import Report, check_report
from mhneed.outputs.report_layout import tidy_frame

__all__ = ["write_csv"]

_ENCODING = "utf-8-sig"


def write_csv(
    report: Report,
    path: str | os.PathLike[str],
    layout: Literal["report", "tidy"] = "report",
) -> Path:
    """Write a report to a CSV file.

    Parameters
    ----------
    report : Report
        From :func:`mhneed.report_table`.
    path : str or path
        The file to write (its folder must exist).
    layout : {"report", "tidy"}, default "report"
        ``"report"``: a title line, a blank line, the report layout (see
        :meth:`Report.layout`: conditions as rows, age bands and ``All`` as
        columns, a block per sex, figures as text with their ranges), a blank
        line, then the notes (rounding rule, overlap caveat, ranges,
        warnings, caveats, sources), one per line. ``"tidy"``: the rows of
        :attr:`Report.rows`, one figure per row, numbers as numbers (to 15
        significant digits, which drops binary noise such as
        ``12.300000000000001``), with a ``rounding`` column; no notes.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        When ``report`` is not a :class:`~mhneed.outputs.report.Report` (such as an
        :class:`~mhneed.engine.results.Estimate`: make a report of it with
        :func:`mhneed.report_table`), ``path`` does not end in ``.csv`` or its
        folder does not exist, or ``layout`` is not "report" or "tidy".

    Notes
    -----
    The file is written to a temporary file in the same folder and renamed
    when complete, so a failed write leaves no partial file (and an existing
    file is kept whole until it is replaced).
    """
    check_report(report, "write_csv", "report")
    out = output_path(path, function="write_csv", suffixes=(".csv",))
    if layout == "report":
        frame = report.layout()
        lines: list[Sequence[Any]] = [[report.title], []]
        lines.append(list(frame.columns))
        lines.extend(frame.itertuples(index=False, name=None))
        lines.append([])
        lines.extend([note] for note in report.notes)
    elif layout == "tidy":
        frame = tidy_frame(report)
        lines = [list(frame.columns)]
        lines.extend(frame.itertuples(index=False, name=None))
    else:
        raise InputError(
            f"write_csv: layout={layout!r} is not one of 'report', 'tidy'",
            column="layout",
            rule="layout in report, tidy",
            values=[layout],
        )
    with atomic_path(out) as tmp, tmp.open("w", encoding=_ENCODING, newline="") as handle:
        writer = csv.writer(handle)
        for line in lines:
            writer.writerow([_csv_value(v) for v in line])
    return out


# -- private helpers ---------------------------------------------------------------


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isfinite(value):
        # 15 significant digits: the figure without binary noise (12.3, not
        # 12.300000000000001); a float holds 15 exactly, so nothing real is lost
        return float(f"{value:.15g}")
    return safe_text(value)
