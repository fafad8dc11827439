"""``mhneed perinatal``: births × perinatal rates → a report; and :func:`births_estimate`,
which ``mhneed estimate --births`` shares."""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from mhneed.cli.inputs import (
    check_births_levels,
    check_births_matched,
    detect,
    existing_file,
    ons_births_rows,
    read_groups,
    read_population,
    read_tidy,
    select_areas,
)
from mhneed.cli.options import rounding, split_list
from mhneed.cli.output_paths import optional_input, out_path, refuse_inputs, refuse_overwrite
from mhneed.cli.progress import Progress, count_groups
from mhneed.cli.write_reports import write_reports
from mhneed.engine.perinatal import BIRTH_COUNTS, estimate_perinatal
from mhneed.engine.results import Estimate
from mhneed.errors import InputError
from mhneed.inputs.ons_births import read_ons_births
from mhneed.outputs.report_table import report_table

__all__ = ["births_estimate", "run_perinatal"]


def run_perinatal(args: argparse.Namespace, progress: Progress) -> int:
    """``mhneed perinatal``: read and check, estimate, write the report, print a summary."""
    round_to, how = rounding(args)
    out = out_path(args.out)
    path = existing_file(args.births, "--births")
    refuse_inputs(
        out,
        [("--births", path)]
        + [("--population", Path(p)) for p in args.population or []]
        + optional_input("--group-by", args.group_by),
        "--out",
    )
    refuse_overwrite([("--out", out)], args.force)
    population = None
    if args.population:
        files = [existing_file(p, "--population") for p in args.population]
        progress("reading the population files")
        population, _ = read_population(files, "auto", None)
    mapping = read_groups(args.group_by) if args.group_by else None
    est, source = births_estimate(
        path,
        args.format,
        args.denominator,
        args.table,
        split_list(args.conditions),
        population,
        args.areas,
        mapping,
        split_list(args.by),
        progress,
    )
    progress("laying out the report")
    report = report_table(
        est, by=split_list(args.by), groups=mapping, round_to=round_to, how=how, data_source=source
    )
    return write_reports(args, report, out, progress)


def births_estimate(
    path: Path,
    fmt: str,
    denominator: str | None,
    table: str,
    conditions: list[str] | None,
    population: pd.DataFrame | None,
    areas: str | None,
    mapping: pd.DataFrame | None,
    by: list[str] | None,
    progress: Callable[[str], None],
) -> tuple[Estimate, str]:
    """A births file (the ONS table or a tidy CSV) × a perinatal table: the estimate, its source.

    Shared by ``mhneed perinatal`` and ``mhneed estimate --births``.
    """
    fmt = fmt if fmt != "auto" else detect(path)
    progress("reading births")
    births, source, denominator = _read_births(path, fmt, denominator, population)
    types = None
    if fmt == "ons":
        types = dict(zip(births["area_name"], births["area_type"], strict=True))
        births = ons_births_rows(births, areas, mapping)
    births = select_areas(births, areas, mapping, "births")
    if fmt == "ons" and population is not None:
        check_births_matched(births, population, path.name)
    if types is not None and mapping is None:
        check_births_levels(births, types, by)
    progress(f"estimating {table} for {count_groups(births)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the mismatch is in the report's notes
        est = estimate_perinatal(births, table, denominator=denominator, conditions=conditions)
    return est, source


def _read_births(
    path: Path, fmt: str, denominator: str | None, population: pd.DataFrame | None
) -> tuple[pd.DataFrame, str, str | None]:
    """The births, their source line, and the denominator (``live_births`` for the ONS table).

    A tidy CSV needs ``--denominator``, unless it has a ``maternities`` column.
    """
    if fmt == "ons":
        births = read_ons_births(path, population)
        source = str(births.attrs.get("source", path.name))
        denominator = denominator or "live_births"
    else:
        births = read_tidy(path, "--births")
        source = f"{path.name} (your file)"
        if "maternities" in births.columns:  # preferred: what the JCPMH rates are per
            pass
        elif denominator is None:
            raise InputError(
                f"--denominator is needed for a births CSV ({path.name}): say whether its counts "
                f"are {', '.join(BIRTH_COUNTS)} (or give maternities in a column named "
                "maternities)",
                column="denominator",
                rule="denominator given",
            )
    return births, source, denominator
