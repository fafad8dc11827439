"""The ``mhneed`` command: a thin layer over the public functions.

::

    mhneed demo                      # Rutland: APMS 2014 and perinatal estimates, printed and saved
    mhneed tables                    # the shipped rate tables, the default first
    mhneed table apms_2014_by_age_sex  # one table: conditions, bands, periods, cells, sources
    mhneed estimate --population "UK females-Table 1.csv" --population "UK males-Table 1.csv" \\
        --areas E06000017 --out rutland.xlsx   # --table apms_2014_by_age_sex by default
    mhneed perinatal --births "Table 3-Table 1.csv" --areas Rutland --out births.csv

Bad input exits with status 2 and one line saying what is wrong (the full
traceback with ``--debug``); an unexpected failure exits with status 1, also in
one line. A closed pipe (``mhneed table apms_2014 | head -1``) ends quietly
with status 141, as a command killed by SIGPIPE would. Progress goes to
standard error, only when it is a terminal. See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

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
from mhneed.cli.layouts import (
    LAYOUTS,
    ProgressBar,
    estimate_with_progress,
    resolve_cli_table,
    write_layout,
)
from mhneed._extras import require
from mhneed._files import atomic_path
from mhneed.datasets import rutland_births, rutland_population
from mhneed.errors import InputError, MhneedError
from mhneed.estimate import estimate
from mhneed.export import write_csv, write_excel
from mhneed.io.ons import read_ons_births
from mhneed.perinatal import BIRTH_COUNTS, estimate_perinatal
from mhneed.report import Report, place, report_table
from mhneed.tables import DEFAULT_TABLE, available_tables, load_table

__all__ = ["main"]

#: Exit statuses.
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        The exit status: 0 done, 2 bad input, 1 an unexpected error, 130
        interrupted, 141 output pipe closed.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    debug = bool(getattr(args, "debug", False))
    progress = _Progress(enabled=not getattr(args, "quiet", False))
    try:
        # warnings (mhneed's, and matplotlib's as the charts pass them on) are shown as
        # one line each once the run is done, never as Python's file:line tracebacks
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            status: int = args.run(args, progress)
        progress.clear()
        _show_warnings(caught)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        progress.clear()
        print("mhneed: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (MhneedError, OSError) as exc:
        progress.clear()
        if debug:
            raise
        print(f"mhneed: error: {_one_line(_message(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        progress.clear()
        if debug:
            raise
        print(
            f"mhneed: internal error: {type(exc).__name__}: {_one_line(str(exc))} (run again "
            "with --debug for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        progress.clear()


def _show_warnings(caught: Sequence[warnings.WarningMessage]) -> None:
    """Each distinct warning once, as 'mhneed: warning: ...' on standard error.

    Warnings about single charts that say the same thing ("plot_age_sex: chart
    X.png: the chart's font has no ...") are given once, naming how many charts.
    """
    charts: dict[str, list[str]] = {}
    for w in caught:
        text = _one_line(str(w.message))
        match = re.match(r"(\w+): chart (.+?\.\w+): (.*)$", text)
        key = f"{match.group(1)}: {match.group(3)}" if match else text
        charts.setdefault(key, [])
        if match:
            charts[key].append(match.group(2))
    for key, names in charts.items():
        if len(names) > 1:
            function, rest = key.split(": ", 1)
            key = f"{function}: {len(names)} charts ({names[0]}, ...): {rest}"
        elif names:
            function, rest = key.split(": ", 1)
            key = f"{function}: chart {names[0]}: {rest}"
        print(f"mhneed: warning: {key}", file=sys.stderr)


# -- the parser --------------------------------------------------------------------


class _UsageError(Exception):
    """A command-line usage error, already worded as the line to print."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and do not exit."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message} (see: {self.prog} --help)")


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show full tracebacks"
    )
    common.add_argument(
        "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress, no report"
    )
    parser = _Parser(
        prog="mhneed",
        description="Estimate local mental health need from published prevalence rates.",
        parents=[common],
    )
    # no set_defaults for debug and quiet: the parent's actions are shared with every
    # subcommand, and a default would let a subcommand reset a flag given before it
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="Rutland (ONS 2014): APMS 2014 and perinatal estimates, printed and saved",
        description="The main job on shipped data: estimates for Rutland from the ONS mid-2014 "
        "population (APMS 2014 rates) and 2014 live births (JCPMH perinatal rates), printed "
        "and written to a folder.",
    )
    demo.add_argument(
        "--out", default="mhneed-output", help="folder to write into (default: mhneed-output)"
    )
    _force_option(demo)
    _rounding_options(demo)
    demo.set_defaults(run=_demo)

    tables = sub.add_parser("tables", parents=[common], help="list the shipped rate tables")
    tables.set_defaults(run=_tables)

    table = sub.add_parser(
        "table", parents=[common], help="describe one rate table: conditions, periods, sources"
    )
    table.add_argument("id", help=f"table id, such as {DEFAULT_TABLE} (see: mhneed tables)")
    table.set_defaults(run=_table)

    est = sub.add_parser(
        "estimate",
        parents=[common],
        help="estimate from a population file",
        description="Apply a rate table to a population file (ONS MYE2, Nomis or a tidy CSV) "
        "and write the report as CSV or Excel.",
    )
    est.add_argument(
        "--population",
        action="append",
        required=True,
        metavar="FILE",
        help="population file; repeat for ONS MYE2 (one file per sex)",
    )
    est.add_argument(
        "--format",
        choices=["auto", "mye2", "snpp", "nomis", "tidy"],
        default="auto",
        help="population file format: ONS MYE2, ONS SNPP projections (Z1 files or Nomis "
        "NM_2006_1), Nomis, or tidy CSV (default: recognised from the file)",
    )
    est.add_argument(
        "--table",
        default=DEFAULT_TABLE,
        help="rate table id (default: %(default)s, APMS 2014 by age band and sex; see: "
        "mhneed tables), or your own table: a long CSV, or the wide layout survey reports "
        "print (.csv, .xlsx, .xls), with its JSON metadata beside it",
    )
    est.add_argument("--conditions", help="condition ids, comma-separated (default: all)")
    est.add_argument("--ages", help="narrow the age scope, such as 18-64 or 65+")
    est.add_argument(
        "--top-age",
        type=int,
        help="in a tidy file, the age that means 'this age and over' (such as 90); ONS and "
        "Nomis files give their own (90), and a different --top-age is refused",
    )
    _selection_options(est)
    _rounding_options(est)
    _output_options(est, planners=True)
    est.add_argument(
        "--compare",
        metavar="AREA",
        help="with --layout by-area: an area of the population file (such as E92000001, "
        "England) whose rate is shown beside every area's",
    )
    est.add_argument(
        "--standardise",
        action="store_true",
        help="with --layout by-area: add age-standardised rates (European Standard "
        "Population 2013)",
    )
    _charts_option(est)
    est.add_argument(
        "--births",
        metavar="FILE",
        help="also estimate perinatal conditions from this births file (the ONS births table "
        "or a tidy CSV with births or maternities) and write both estimates into one .xlsx "
        "workbook, a sheet each",
    )
    est.add_argument(
        "--denominator",
        choices=list(BIRTH_COUNTS),
        help="with --births: what its births column counts (as for mhneed perinatal)",
    )
    est.add_argument(
        "--births-table",
        default="jcpmh_2012_perinatal",
        metavar="ID",
        help="with --births: the perinatal rate table (default: %(default)s)",
    )
    est.set_defaults(run=_estimate)

    peri = sub.add_parser(
        "perinatal",
        parents=[common],
        help="perinatal estimates from births",
        description="Apply perinatal rates (per 1,000 maternities) to births: the ONS table of "
        "live births by area, or a tidy CSV with a births column.",
    )
    peri.add_argument("--births", required=True, metavar="FILE", help="births file")
    peri.add_argument(
        "--format",
        choices=["auto", "ons", "tidy"],
        default="auto",
        help="births file format (default: recognised from the file)",
    )
    peri.add_argument(
        "--denominator",
        choices=list(BIRTH_COUNTS),
        help="what the births count (default for the ONS table: live_births; required for "
        "a tidy CSV)",
    )
    peri.add_argument(
        "--table", default="jcpmh_2012_perinatal", help="rate table id (default: %(default)s)"
    )
    peri.add_argument("--conditions", help="condition ids, comma-separated (default: all)")
    peri.add_argument(
        "--population",
        action="append",
        metavar="FILE",
        help="a population file (MYE2, Nomis or tidy) whose area codes and names give the ONS "
        "births table's areas their codes (needed for --group-by)",
    )
    _selection_options(peri, births=True)
    _rounding_options(peri)
    _output_options(peri)
    _charts_option(peri)
    peri.set_defaults(run=_perinatal)
    return parser


def _selection_options(parser: argparse.ArgumentParser, births: bool = False) -> None:
    what = "area codes or names" if births else "area codes"
    parser.add_argument(
        "--areas",
        metavar="AREAS",
        help=f"{what} to estimate for, comma-separated (default: "
        + ("every local authority" if births else "every area in the file")
        + ")",
    )
    parser.add_argument(
        "--group-by",
        metavar="MAPPING.csv",
        help="a CSV with columns area_code and group: add areas into groups (such as service "
        "lots); without --areas, the areas it lists are used",
    )
    parser.add_argument(
        "--by",
        metavar="COLUMNS",
        help="key columns to keep, comma-separated (default: every key column; with "
        "--group-by, group and any other keys but area_code and area_name)",
    )


def _rounding_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--round", type=float, metavar="N", help="round every figure to a multiple of N (5, 10)"
    )
    parser.add_argument(
        "--how",
        choices=["nearest", "up"],
        help="with --round: to the nearest multiple (default) or up",
    )


def _force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite output files that exist (without it, an existing file is refused)",
    )


def _output_options(parser: argparse.ArgumentParser, planners: bool = False) -> None:
    parser.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="file to write: .csv, or .xlsx (needs mhneed[excel]); never one of the input "
        "files, and an existing file only with --force",
    )
    _force_option(parser)
    choices = list(LAYOUTS) if planners else ["report", "tidy"]
    parser.add_argument(
        "--layout",
        choices=choices,
        default="report",
        help="what the file shows: " + "; ".join(f"{name}: {LAYOUTS[name]}" for name in choices),
    )


def _charts_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--charts",
        metavar="FOLDER",
        help="also draw charts (PNG) into this folder (needs mhneed[plot]): by age band and "
        "sex for each condition and area, over years when there are several years, or across "
        "areas with --layout by-area",
    )


# -- commands ----------------------------------------------------------------------


def _demo(args: argparse.Namespace, progress: _Progress) -> int:
    round_to, how = _rounding(args)
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
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(
            f"--out {args.out}: this is a file; the demo writes several files into a folder: "
            "give a folder name",
            column="--out",
            rule="a folder",
            values=[args.out],
        )
    names = [
        "rutland_apms_2014_cells.csv",
        "rutland_apms_2014_summary.csv",
        "rutland_apms_2014_coverage.csv",
        "rutland_apms_2014_report.csv",
        "rutland_perinatal_2014_cells.csv",
        "rutland_perinatal_2014_report.csv",
        "rutland_2014.xlsx",
    ]
    # the demo's own files, so a second run replaces them (the README's main job must rerun);
    # it says so, unless --force
    earlier = [name for name in names if (out / name).exists()]
    if earlier and not args.force:
        print(
            f"mhneed: replacing {len(earlier)} file{'s' if len(earlier) != 1 else ''} an "
            f"earlier demo wrote in {out}",
            file=sys.stderr,
        )
    out.mkdir(parents=True, exist_ok=True)
    progress("writing files")
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


def _tables(args: argparse.Namespace, progress: _Progress) -> int:
    groups: dict[str, list[str]] = {heading: [] for heading, _ in _TABLE_GROUPS}
    for table_id in available_tables():
        meta = load_table(table_id).meta
        heading = next(h for h, test in _TABLE_GROUPS if test(table_id, meta.superseded_by))
        groups[heading].append(table_id)
    first = True
    for heading, ids in groups.items():
        if not ids:
            continue
        if not first:
            print()
        first = False
        print(heading)
        for table_id in sorted(ids, key=lambda t: (t != DEFAULT_TABLE, -_edition(t), t)):
            meta = load_table(table_id).meta
            mark = " [default]" if table_id == DEFAULT_TABLE else ""
            print(f"  {table_id:26} {meta.title}{mark}")
            if meta.superseded_by:
                print(f"  {'':26} superseded by {', '.join(meta.superseded_by)}; kept so that "
                      "scripts naming it still run")  # fmt: skip
    return 0


def _edition(table_id: str) -> int:
    return load_table(table_id).meta.edition


#: How ``mhneed tables`` groups the tables: (heading, which tables belong).
_TABLE_GROUPS: list[tuple[str, Callable[[str, tuple[str, ...]], bool]]] = [
    (
        "APMS by age band and sex, from the publisher's workbooks (use these; choose the "
        "survey year):",
        lambda t, sup: t.endswith("_by_age_sex"),
    ),
    (
        "APMS 2014 all-ages rates by sex, from the same workbooks (to compare with the "
        "age-by-sex estimate):",
        lambda t, sup: t.endswith("_by_sex"),
    ),
    ("Other tables:", lambda t, sup: not sup),
    (
        "Earlier tables from secondary sources, superseded (kept so that scripts naming them "
        "still run):",
        lambda t, sup: bool(sup),
    ),
]


def _table(args: argparse.Namespace, progress: _Progress) -> int:
    print(load_table(args.id).describe())
    return 0


def _estimate(args: argparse.Namespace, progress: _Progress) -> int:
    round_to, how = _rounding(args)
    out = _out_path(args.out)
    files = [existing_file(p, "--population") for p in args.population]
    births_path = _check_births_option(args, out)
    _refuse_inputs(
        out,
        [("--population", f) for f in files]
        + _optional_input("--group-by", args.group_by)
        + _optional_input("--births", args.births)
        + _table_files(args.table),
        "--out",
    )
    _refuse_overwrite([("--out", out)], args.force)
    progress(f"reading {len(files)} population file{'s' if len(files) > 1 else ''}")
    population, source = read_population(files, args.format, args.top_age)
    mapping = read_groups(args.group_by) if args.group_by else None
    population = select_areas(population, args.areas, mapping, "population")
    n_groups = _count_groups(population)
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
    bar = ProgressBar(enabled=not getattr(args, "quiet", False))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # narrowed ages: in the report's notes
            est = estimate_with_progress(population, table, _list(args.conditions), args.ages, bar)
    finally:
        bar.clear()
    if layout in ("by-area", "by-year"):
        return _planners(args, est, mapping, out, source, progress)
    progress("laying out the report")
    report = report_table(
        est, by=_list(args.by), groups=mapping, round_to=round_to, how=how, data_source=source
    )
    if births_path is None:
        return _finish(args, report, out, progress)
    births_est, births_source = _births_estimate(
        births_path,
        "auto",
        args.denominator,
        args.births_table,
        None,
        population,
        args.areas,
        mapping,
        _list(args.by),
        progress,
    )
    births_report = report_table(
        births_est,
        by=_list(args.by),
        groups=mapping,
        round_to=round_to,
        how=how,
        data_source=births_source,
    )
    return _finish(args, [report, births_report], out, progress)


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


def _planners(
    args: argparse.Namespace,
    est: Any,
    mapping: pd.DataFrame | None,
    out: Path,
    source: str,
    progress: _Progress,
) -> int:
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
            from mhneed.area_charts import plot_areas

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


def _perinatal(args: argparse.Namespace, progress: _Progress) -> int:
    round_to, how = _rounding(args)
    out = _out_path(args.out)
    path = existing_file(args.births, "--births")
    _refuse_inputs(
        out,
        [("--births", path)]
        + [("--population", Path(p)) for p in args.population or []]
        + _optional_input("--group-by", args.group_by),
        "--out",
    )
    _refuse_overwrite([("--out", out)], args.force)
    population = None
    if args.population:
        files = [existing_file(p, "--population") for p in args.population]
        progress("reading the population files")
        population, _ = read_population(files, "auto", None)
    mapping = read_groups(args.group_by) if args.group_by else None
    est, source = _births_estimate(
        path,
        args.format,
        args.denominator,
        args.table,
        _list(args.conditions),
        population,
        args.areas,
        mapping,
        _list(args.by),
        progress,
    )
    progress("laying out the report")
    report = report_table(
        est, by=_list(args.by), groups=mapping, round_to=round_to, how=how, data_source=source
    )
    return _finish(args, report, out, progress)


def _births_estimate(
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
) -> tuple[Any, str]:
    """A births file (the ONS table or a tidy CSV) × a perinatal table: the estimate, its source.

    Shared by ``mhneed perinatal`` and ``mhneed estimate --births``.
    """
    fmt = fmt if fmt != "auto" else detect(path)
    progress("reading births")
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
    types = None
    if fmt == "ons":
        types = dict(zip(births["area_name"], births["area_type"], strict=True))
        births = ons_births_rows(births, areas, mapping)
    births = select_areas(births, areas, mapping, "births")
    if fmt == "ons" and population is not None:
        check_births_matched(births, population, path.name)
    if types is not None and mapping is None:
        check_births_levels(births, types, by)
    progress(f"estimating {table} for {_count_groups(births)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the mismatch is in the report's notes
        est = estimate_perinatal(births, table, denominator=denominator, conditions=conditions)
    return est, source


def _finish(
    args: argparse.Namespace, report: Report | Sequence[Report], out: Path, progress: _Progress
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
    _refuse_overwrite([("--out", out), *(("--charts", path) for path in drawn)], args.force)
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
    return 0


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
    from mhneed.plots import plot_age_sex, plot_over_years

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


def _out_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(
            f"--out {text}: the file name must end in .csv or .xlsx",
            column="--out",
            rule="a .csv or .xlsx file",
            values=[text],
        )
    return path


def _rounding(args: argparse.Namespace) -> tuple[float | None, Any]:
    if args.how is not None and args.round is None:
        raise InputError(
            "--how needs --round: say what to round to, such as --round 5 --how up",
            column="--how",
            rule="--how with --round",
            values=[args.how],
        )
    return args.round, args.how or "nearest"


def _list(text: str | None) -> list[str] | None:
    if text is None:
        return None
    items = [t.strip() for t in text.split(",") if t.strip()]
    return items or None


def _count_groups(frame: pd.DataFrame) -> str:
    parts = []
    if "area_code" in frame.columns:
        n = frame["area_code"].nunique()
        parts.append(f"{n} area{'s' if n != 1 else ''}")
    if "year" in frame.columns:
        n = frame["year"].nunique()
        parts.append(f"{n} year{'s' if n != 1 else ''}")
    return " × ".join(parts) or f"{len(frame)} rows"


def _csv(frame: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return path


def _optional_input(option: str, value: str | None) -> list[tuple[str, Path]]:
    return [] if value is None else [(option, Path(value))]


def _refuse_inputs(out: Path, inputs: Sequence[tuple[str, Path]], option: str) -> None:
    """Refuse an output that is one of the input files (always, --force or not)."""
    for given, path in inputs:
        if _same_file(out, path):
            raise InputError(
                f"{option} {out}: this is the input file given as {given} {path}; mhneed never "
                "writes over its input: give another file name",
                column=option,
                rule="an output is not an input file",
                values=[str(out)],
            )


def _table_files(table: str) -> list[tuple[str, Path]]:
    """A ``--table`` that is a file of the user's (and its metadata beside it): inputs too."""
    path = Path(table)
    if not path.is_file():
        return []
    siblings = [path.with_suffix(s) for s in (".csv", ".xlsx", ".xls", ".json")]
    return [("--table", p) for p in dict.fromkeys([path, *siblings]) if p.is_file()]


def _refuse_overwrite(outputs: Sequence[tuple[str, Path]], force: bool) -> None:
    """Refuse outputs that exist, unless --force, naming them all."""
    if force:
        return
    existing = [(option, path) for option, path in outputs if path.exists()]
    if not existing:
        return
    shown = ", ".join(str(path) for _, path in existing[:5])
    if len(existing) > 5:
        shown += f" and {len(existing) - 5} more"
    what = "exists" if len(existing) == 1 else f"exist ({len(existing)} files)"
    raise InputError(
        f"{existing[0][0]}: {shown} {what}; pass --force to overwrite, or give another "
        f"{'folder' if existing[0][0] == '--charts' else 'name'}",
        column=existing[0][0],
        rule="no overwriting without --force",
        values=[str(path) for _, path in existing],
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
    except OSError:
        return False


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, MhneedError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return str(exc)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file
        pass


class _Progress:
    """Progress on standard error, shown only when it is a terminal."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and _isatty(self.stream)
        self._shown = False

    def __call__(self, message: str) -> None:
        if self.enabled:
            self.stream.write(f"\r\033[Kmhneed: {message}…")
            self.stream.flush()
            self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
