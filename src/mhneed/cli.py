"""The ``mhneed`` command: a thin layer over the public functions.

``mhneed demo`` runs the main job on shipped defaults (Rutland, APMS 2014)
and writes the results to files; ``mhneed tables`` and ``mhneed table ID``
describe the shipped rate tables. Bad input exits with status 2 and one clear
line (the full traceback with ``--debug``).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from mhneed.datasets import rutland_population
from mhneed.errors import MhneedError
from mhneed.estimate import estimate
from mhneed.results import Estimate
from mhneed.tables import available_tables, load_table

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        result: int = args.run(args)
        return result
    except MhneedError as exc:
        if args.debug:
            raise
        print(f"mhneed: error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mhneed",
        description="Estimate local mental health need from published prevalence rates.",
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks")
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="estimate for Rutland (ONS mid-2014) from APMS 2014")
    demo.add_argument(
        "--out", default="mhneed-output", help="folder to write into (default: mhneed-output)"
    )
    demo.set_defaults(run=_demo)

    tables = sub.add_parser("tables", help="list the shipped rate tables")
    tables.set_defaults(run=_tables)

    table = sub.add_parser("table", help="describe one shipped rate table")
    table.add_argument("id", help="table id, such as apms_2014")
    table.set_defaults(run=_table)
    return parser


def _demo(args: argparse.Namespace) -> int:
    population = rutland_population()
    est = estimate(population, "apms_2014")
    summary = est.summarise(by=["area_code", "area_name", "condition"])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cells_path = out / "rutland_apms_2014_cells.csv"
    summary_path = out / "rutland_apms_2014_summary.csv"
    coverage_path = out / "rutland_apms_2014_coverage.csv"
    est.to_frame().to_csv(cells_path, index=False)
    summary.to_frame().to_csv(summary_path, index=False)
    est.coverage.to_csv(coverage_path, index=False)
    print(_report(summary, "Rutland (E06000017), mid-2014 population (ONS MYE2)"))
    print()
    print(est.describe())
    print()
    print("Written:")
    for path in (cells_path, summary_path, coverage_path):
        print(f"  {path}")
    return 0


def _tables(args: argparse.Namespace) -> int:
    for table_id in available_tables():
        table = load_table(table_id)
        print(f"{table_id:28} {table.meta.title}")
    return 0


def _table(args: argparse.Namespace) -> int:
    print(load_table(args.id).describe())
    return 0


def _report(summary: Estimate, place: str) -> str:
    """A readable table: one line per condition, cases and range, rounded to whole people."""
    frame = summary.to_frame()
    labels = {c.id: (c.label, c.period) for c in summary.table.meta.conditions}
    lines = [
        f"Estimated number of people with each condition: {place}",
        f"Rates: {summary.table.meta.title}",
        "",
        f"{'condition':58} {'period':14} {'in scope':>9} {'cases':>7}  range",
    ]
    for rec in frame.to_dict("records"):
        label, period = labels[str(rec["condition"])]
        low, high = float(rec["cases_lower"]), float(rec["cases_upper"])
        rng = "" if math.isnan(low) else f"{low:,.0f}-{high:,.0f} ({rec['interval']})"
        lines.append(
            f"{label[:58]:58} {period[:14]:14} {float(rec['population']):>9,.0f} "
            f"{float(rec['cases']):>7,.0f}  {rng}"
        )
    lines.append("")
    lines.append("Conditions overlap: do not add counts for different conditions.")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
