"""Writing a command's report (or reports, one workbook sheet each), its charts, and the
summary printed at the end."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mhneed._extras import require
from mhneed.cli.charts import chart_jobs, draw_charts
from mhneed.cli.output_paths import refuse_overwrite
from mhneed.cli.progress import Progress
from mhneed.outputs.csv_export import write_csv
from mhneed.outputs.excel_export import write_excel
from mhneed.outputs.report import Report

__all__ = ["write_reports"]


def write_reports(
    args: argparse.Namespace, report: Report | Sequence[Report], out: Path, progress: Progress
) -> int:
    """Write the report (or reports, one workbook sheet each), draw charts, print a summary.

    With several reports (``estimate --births``), the first report's charts go
    into the ``--charts`` folder and each other report's into a subfolder named
    by its table id, so that charts of conditions with the same id (``ptsd``)
    never collide.
    """
    reports = [report] if isinstance(report, Report) else list(report)
    charts = getattr(args, "charts", None)
    jobs: list[list[tuple[str, dict[str, Any], Path]]] = [[] for _ in reports]
    if charts:  # before anything is written, not after
        require("matplotlib", "drawing charts")
        jobs = [
            chart_jobs(rep, Path(charts) if n == 0 else Path(charts) / rep.table.id)
            for n, rep in enumerate(reports)
        ]
    drawn = [path for part in jobs for _, _, path in part]
    refuse_overwrite([("--out", out), *(("--charts", path) for path in drawn)], args.force)
    progress(f"writing {out.name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        write_excel(reports, out)
    else:
        write_csv(reports[0], out, layout=args.layout)
    written = [out]
    if charts:
        for rep, part in zip(reports, jobs, strict=True):
            written.extend(draw_charts(rep, part[0][2].parent if part else Path(charts),
                                       progress, part))  # fmt: skip
    progress.clear()
    if not getattr(args, "quiet", False):
        _print_summary(reports, out, written)
    return 0


def _print_summary(reports: Sequence[Report], out: Path, written: Sequence[Path]) -> None:
    """Each report as text (one area or group), or a line saying where its tables are."""
    for n, rep in enumerate(reports):
        if n:
            print()
        groups = rep.groups()
        if len(groups) == 1:
            print(rep.to_text())
        else:
            k = rep.rows["condition"].nunique()
            conditions = f"{k} condition{'s' if k != 1 else ''}"
            print(
                f"{rep.title}: {len(groups)} areas or groups × {conditions} "
                f"({rep.table.id}); the tables and their notes are in {out}"
            )
    print()
    print("Written:")
    for path in written:
        print(f"  {path}")
