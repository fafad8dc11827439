"""``mhneed estimate``: a population file × a rate table → a report (with ``--births``,
the perinatal estimate beside it in one workbook), or a planners' layout."""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pandas as pd

from mhneed._extras import require
from mhneed.cli.charts import draw_charts
from mhneed.cli.estimate_in_parts import estimate_with_progress
from mhneed.cli.inputs import existing_file, read_groups, read_population, select_areas
from mhneed.cli.layouts import LAYOUTS, write_layout
from mhneed.cli.options import rounding, split_list
from mhneed.cli.output_paths import (
    optional_input,
    out_path,
    refuse_inputs,
    refuse_overwrite,
    table_files,
)
from mhneed.cli.perinatal_command import births_estimate
from mhneed.cli.progress import Progress, ProgressBar, count_groups
from mhneed.cli.table_file import resolve_cli_table
from mhneed.cli.write_reports import write_reports
from mhneed.engine.results import Estimate
from mhneed.errors import InputError
from mhneed.outputs.report import Report
from mhneed.outputs.report_table import report_table
from mhneed.published.rates import RateTable

__all__ = ["run_estimate"]


def run_estimate(args: argparse.Namespace, progress: Progress) -> int:
    """``mhneed estimate``: read, check, estimate, write the report or layout, print a summary."""
    round_to, how = rounding(args)
    out = out_path(args.out)
    files = [existing_file(p, "--population") for p in args.population]
    births_path = _check_births_option(args, out)
    refuse_inputs(
        out,
        [("--population", f) for f in files]
        + optional_input("--group-by", args.group_by)
        + optional_input("--births", args.births)
        + table_files(args.table),
        "--out",
    )
    refuse_overwrite([("--out", out)], args.force)
    progress(f"reading {len(files)} population file{'s' if len(files) > 1 else ''}")
    population, source = read_population(files, args.format, args.top_age)
    mapping = read_groups(args.group_by) if args.group_by else None
    population = select_areas(population, args.areas, mapping, "population")
    n_groups = count_groups(population)
    progress(f"estimating {args.table} for {n_groups}")
    table = resolve_cli_table(args.table)
    layout = getattr(args, "layout", "report")
    if (args.compare or args.standardise) and layout != "by-area":
        option = "--compare" if args.compare else "--standardise"
        raise InputError(
            f"{option} needs --layout by-area (the table with every area as columns)",
            column=option,
            rule=f"{option} with --layout by-area",
            values=[layout],
        )
    est = _estimate(args, population, table)
    if layout in ("by-area", "by-year"):
        return _write_planners_layout(args, est, mapping, out, source, progress)
    progress("laying out the report")
    report = report_table(
        est, by=split_list(args.by), groups=mapping, round_to=round_to, how=how, data_source=source
    )
    if births_path is None:
        return write_reports(args, report, out, progress)
    births_report = _births_report(args, births_path, population, mapping, progress)
    return write_reports(args, [report, births_report], out, progress)


def _estimate(
    args: argparse.Namespace, population: pd.DataFrame, table: RateTable | str
) -> Estimate:
    """The estimate, part by part with a progress bar when the run is long."""
    bar = ProgressBar(enabled=not getattr(args, "quiet", False))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # narrowed ages: in the report's notes
            return estimate_with_progress(
                population, table, split_list(args.conditions), args.ages, bar
            )
    finally:
        bar.clear()


def _births_report(
    args: argparse.Namespace,
    births_path: Path,
    population: pd.DataFrame,
    mapping: pd.DataFrame | None,
    progress: Progress,
) -> Report:
    """``--births``: the perinatal report, for the same areas, groups and keys, rounded alike."""
    round_to, how = rounding(args)
    births_est, births_source = births_estimate(
        births_path,
        "auto",
        args.denominator,
        args.births_table,
        None,
        population,
        args.areas,
        mapping,
        split_list(args.by),
        progress,
    )
    return report_table(
        births_est,
        by=split_list(args.by),
        groups=mapping,
        round_to=round_to,
        how=how,
        data_source=births_source,
    )


def _check_births_option(args: argparse.Namespace, out: Path) -> Path | None:
    """The --births file of ``estimate``, after checking the options it goes with."""
    if args.births is None:
        for option, given in (
            ("--denominator", args.denominator is not None),
            ("--births-table", args.births_table != "jcpmh_2012_perinatal"),
        ):
            if given:
                raise InputError(
                    f"{option} needs --births (the births file to estimate perinatal "
                    "conditions from)",
                    column=option,
                    rule=f"{option} with --births",
                )
        return None
    if out.suffix.lower() != ".xlsx" or args.layout != "report":
        what = f"--layout {args.layout}" if args.layout != "report" else f"--out {out.name}"
        raise InputError(
            f"--births with {what}: both estimates go into one workbook in the report layout, "
            "a sheet each; give --out FILE.xlsx (and no --layout, or --layout report)",
            column="--births",
            rule="--births with an .xlsx report",
            values=[args.births],
        )
    return existing_file(args.births, "--births")


def _write_planners_layout(
    args: argparse.Namespace,
    est: Estimate,
    mapping: pd.DataFrame | None,
    out: Path,
    source: str,
    progress: Progress,
) -> int:
    """``--layout by-area`` or ``by-year``: the planners' table, and its charts."""
    if args.round is not None:
        raise InputError(
            f"--round with --layout {args.layout}: this layout keeps unrounded figures with "
            "their rates; round in the spreadsheet, or use --layout report",
            column="--round",
            rule="--round with the report or tidy layout",
            values=[args.round],
        )
    if args.charts:
        require("matplotlib", "drawing charts")
    progress(f"writing {out.name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tidy = write_layout(
        args.layout,
        est,
        out,
        groups=mapping,
        comparator=args.compare,
        standardise=args.standardise,
        source=source,
    )
    written = [out]
    if args.charts:
        folder = Path(args.charts)
        folder.mkdir(parents=True, exist_ok=True)
        if args.layout == "by-area":
            from mhneed.outputs.area_charts import plot_areas

            for condition in dict.fromkeys(str(c) for c in tidy["condition"]):
                path = folder / f"{condition}_by_area.png"
                plot_areas(tidy, condition, path=path, source=source).clear()
                written.append(path)
        else:
            report = report_table(est, groups=mapping, data_source=source)
            written.extend(draw_charts(report, folder, progress))
    progress.clear()
    if not getattr(args, "quiet", False):
        print(f"{LAYOUTS[args.layout]}: {out}")
        print()
        print("Written:")
        for path in written:
            print(f"  {path}")
    return 0
