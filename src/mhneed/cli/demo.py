"""``mhneed demo``: Rutland on shipped data, the APMS 2014 and perinatal estimates, printed
and written to a folder."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

from mhneed._files import atomic_path
from mhneed.cli.options import rounding
from mhneed.cli.progress import Progress
from mhneed.engine.estimate import estimate
from mhneed.engine.perinatal import estimate_perinatal
from mhneed.engine.results import Estimate
from mhneed.errors import InputError
from mhneed.inputs.datasets import rutland_births, rutland_population
from mhneed.outputs.csv_export import write_csv
from mhneed.outputs.excel_export import write_excel
from mhneed.outputs.report import Report
from mhneed.outputs.report_table import report_table
from mhneed.published.tables import DEFAULT_TABLE

__all__ = ["run_demo"]


def run_demo(args: argparse.Namespace, progress: Progress) -> int:
    """``mhneed demo``: estimate for Rutland, write the files into ``--out``, print the reports."""
    round_to, how = rounding(args)
    progress("estimating for Rutland")
    population = rutland_population()
    births = rutland_births()
    apms = estimate(population, DEFAULT_TABLE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the mismatch is in the report's notes
        peri = estimate_perinatal(births, denominator="live_births")
    people_source = str(population.attrs["source"])
    births_source = str(births.attrs["source"])
    apms_report = report_table(apms, round_to=round_to, how=how, data_source=people_source)
    peri_report = report_table(peri, round_to=round_to, how=how, data_source=births_source)
    out = _folder(args.out, args.force)
    out.mkdir(parents=True, exist_ok=True)
    progress("writing files")
    written, skipped = _write_files(apms, peri, apms_report, peri_report, out)
    progress.clear()
    if not getattr(args, "quiet", False):
        print("mhneed demo: Rutland (E06000017), shipped ONS data for 2014")
        print()
        print(apms_report.to_text())
        print()
        print(peri_report.to_text())
        print()
        print("Written:")
        for path in written:
            print(f"  {path}")
        for line in skipped:
            print(f"  {line}")
    return 0


#: The files the demo writes into its folder.
_FILES = [
    "rutland_apms_2014_cells.csv",
    "rutland_apms_2014_summary.csv",
    "rutland_apms_2014_coverage.csv",
    "rutland_apms_2014_report.csv",
    "rutland_perinatal_2014_cells.csv",
    "rutland_perinatal_2014_report.csv",
    "rutland_2014.xlsx",
]


def _folder(text: str, force: bool) -> Path:
    """The ``--out`` folder: refused if it is a file; replacing an earlier demo's files is said."""
    out = Path(text)
    if out.exists() and not out.is_dir():
        raise InputError(
            f"--out {text}: this is a file; the demo writes several files into a folder: "
            "give a folder name",
            column="--out",
            rule="a folder",
            values=[text],
        )
    # the demo's own files, so a second run replaces them (the README's main job must rerun);
    # it says so, unless --force
    earlier = [name for name in _FILES if (out / name).exists()]
    if earlier and not force:
        print(
            f"mhneed: replacing {len(earlier)} file{'s' if len(earlier) != 1 else ''} an "
            f"earlier demo wrote in {out}",
            file=sys.stderr,
        )
    return out


def _write_files(
    apms: Estimate, peri: Estimate, apms_report: Report, peri_report: Report, out: Path
) -> tuple[list[Path], list[str]]:
    """Write the demo's files: (the files written, a line for each file not written)."""
    names = _FILES
    summary = apms.summarise(by=["area_code", "area_name", "condition"])
    written = [
        _csv(apms.to_frame(), out / names[0]),
        _csv(summary.to_frame(), out / names[1]),
        _csv(apms.coverage, out / names[2]),
        write_csv(apms_report, out / names[3]),
        _csv(peri.to_frame(), out / names[4]),
        write_csv(peri_report, out / names[5]),
    ]
    skipped: list[str] = []
    try:
        written.append(write_excel([apms_report, peri_report], out / names[6]))
    except ImportError as exc:  # the excel extra is not installed
        skipped.append(f"rutland_2014.xlsx not written: {exc}")
    return written, skipped


def _csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as CSV, all or nothing."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return path
