"""The ``mhneed`` command: a thin layer over the public functions.

::

    mhneed demo                      # Rutland: APMS 2014 and perinatal estimates, printed and saved
    mhneed tables                    # the shipped rate tables
    mhneed table apms_2014           # one table: conditions, periods, sources
    mhneed estimate --population "UK females-Table 1.csv" --population "UK males-Table 1.csv" \\
        --table apms_2014 --areas E06000017 --out rutland.xlsx
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
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import pandas as pd

from mhneed.datasets import rutland_births, rutland_population
from mhneed.errors import InputError, MhneedError, MissingColumnError
from mhneed.estimate import estimate
from mhneed.export import write_csv, write_excel
from mhneed.io.nomis import read_nomis
from mhneed.io.ons import read_ons_births, read_ons_mye2
from mhneed.perinatal import BIRTH_COUNTS, estimate_perinatal
from mhneed.report import Report, place, report_table
from mhneed.tables import available_tables, load_table

__all__ = ["main"]

#: Exit statuses.
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130

#: Area types of the ONS births table that cover England and Wales once.
LOCAL_AUTHORITIES = ("unitary authority", "district", "metropolitan district", "London borough")


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
        status: int = args.run(args, progress)
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
    _rounding_options(demo)
    demo.set_defaults(run=_demo)

    tables = sub.add_parser("tables", parents=[common], help="list the shipped rate tables")
    tables.set_defaults(run=_tables)

    table = sub.add_parser(
        "table", parents=[common], help="describe one rate table: conditions, periods, sources"
    )
    table.add_argument("id", help="table id, such as apms_2014 (see: mhneed tables)")
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
        choices=["auto", "mye2", "nomis", "tidy"],
        default="auto",
        help="population file format (default: recognised from the file)",
    )
    est.add_argument("--table", required=True, help="rate table id (see: mhneed tables)")
    est.add_argument("--conditions", help="condition ids, comma-separated (default: all)")
    est.add_argument("--ages", help="narrow the age scope, such as 18-64 or 65+")
    est.add_argument(
        "--top-age",
        type=int,
        help="in a tidy file, the age that means 'this age and over' (such as 90)",
    )
    _selection_options(est)
    _rounding_options(est)
    _output_options(est)
    est.add_argument(
        "--charts",
        metavar="FOLDER",
        help="also draw charts (PNG) into this folder: cases by age band and sex for each "
        "condition, and cases over years when there are several years (needs mhneed[plot])",
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


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="file to write: .csv, or .xlsx (needs mhneed[excel])",
    )
    parser.add_argument(
        "--layout",
        choices=["report", "tidy"],
        default="report",
        help="CSV layout: the report table with its notes (default), or tidy rows of numbers",
    )


# -- commands ----------------------------------------------------------------------


def _demo(args: argparse.Namespace, progress: _Progress) -> int:
    round_to, how = _rounding(args)
    progress("estimating for Rutland")
    population = rutland_population()
    births = rutland_births()
    apms = estimate(population, "apms_2014")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the mismatch is in the report's notes
        peri = estimate_perinatal(births, denominator="live_births")
    people_source = str(population.attrs["source"])
    births_source = str(births.attrs["source"])
    apms_report = report_table(apms, round_to=round_to, how=how, data_source=people_source)
    peri_report = report_table(peri, round_to=round_to, how=how, data_source=births_source)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    progress("writing files")
    summary = apms.summarise(by=["area_code", "area_name", "condition"])
    written = [
        _csv(apms.to_frame(), out / "rutland_apms_2014_cells.csv"),
        _csv(summary.to_frame(), out / "rutland_apms_2014_summary.csv"),
        _csv(apms.coverage, out / "rutland_apms_2014_coverage.csv"),
        write_csv(apms_report, out / "rutland_apms_2014_report.csv"),
        _csv(peri.to_frame(), out / "rutland_perinatal_2014_cells.csv"),
        write_csv(peri_report, out / "rutland_perinatal_2014_report.csv"),
    ]
    skipped: list[str] = []
    try:
        written.append(write_excel([apms_report, peri_report], out / "rutland_2014.xlsx"))
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
    for table_id in available_tables():
        table = load_table(table_id)
        print(f"{table_id:28} {table.meta.title}")
    return 0


def _table(args: argparse.Namespace, progress: _Progress) -> int:
    print(load_table(args.id).describe())
    return 0


def _estimate(args: argparse.Namespace, progress: _Progress) -> int:
    round_to, how = _rounding(args)
    out = _out_path(args.out)
    files = [_existing(p, "--population") for p in args.population]
    progress(f"reading {len(files)} population file{'s' if len(files) > 1 else ''}")
    population, source = read_population(files, args.format, args.top_age)
    mapping = _read_groups(args.group_by) if args.group_by else None
    population = _select(population, args.areas, mapping, "population")
    n_groups = _count_groups(population)
    progress(f"estimating {args.table} for {n_groups}")
    est = estimate(
        population, args.table, conditions=_list(args.conditions), ages=args.ages or None
    )
    progress("laying out the report")
    report = report_table(
        est, by=_list(args.by), groups=mapping, round_to=round_to, how=how, data_source=source
    )
    return _finish(args, report, out, progress)


def _perinatal(args: argparse.Namespace, progress: _Progress) -> int:
    round_to, how = _rounding(args)
    out = _out_path(args.out)
    path = _existing(args.births, "--births")
    fmt = args.format if args.format != "auto" else _detect(path, births=True)
    population = None
    if args.population:
        files = [_existing(p, "--population") for p in args.population]
        progress("reading the population files")
        population, _ = read_population(files, "auto", None)
    progress("reading births")
    if fmt == "ons":
        births = read_ons_births(path, population)
        source = str(births.attrs.get("source", path.name))
        denominator = args.denominator or "live_births"
    else:
        births = _read_tidy(path, "--births")
        source = f"{path.name} (your file)"
        if args.denominator is None:
            raise InputError(
                f"--denominator is needed for a births CSV ({path.name}): say whether its counts "
                f"are {', '.join(BIRTH_COUNTS)}",
                column="denominator",
                rule="denominator given",
            )
        denominator = args.denominator
    mapping = _read_groups(args.group_by) if args.group_by else None
    if fmt == "ons":
        births = _ons_births_rows(births, args.areas, mapping)
    births = _select(births, args.areas, mapping, "births")
    progress(f"estimating {args.table} for {_count_groups(births)}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the mismatch is in the report's notes
        est = estimate_perinatal(
            births, args.table, denominator=denominator, conditions=_list(args.conditions)
        )
    progress("laying out the report")
    report = report_table(
        est, by=_list(args.by), groups=mapping, round_to=round_to, how=how, data_source=source
    )
    return _finish(args, report, out, progress)


def _finish(args: argparse.Namespace, report: Report, out: Path, progress: _Progress) -> int:
    progress(f"writing {out.name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        write_excel(report, out)
    else:
        write_csv(report, out, layout=args.layout)
    written = [out]
    charts = getattr(args, "charts", None)
    if charts:
        written.extend(draw_charts(report, Path(charts), progress))
    progress.clear()
    if not getattr(args, "quiet", False):
        groups = report.groups()
        if len(groups) == 1:
            print(report.to_text())
        else:
            n = report.rows["condition"].nunique()
            conditions = f"{n} condition{'s' if n != 1 else ''}"
            print(
                f"{report.title}: {len(groups)} areas or groups × {conditions} "
                f"({report.table.id}); the tables and their notes are in {out}"
            )
        print()
        print("Written:")
        for path in written:
            print(f"  {path}")
    return 0


def draw_charts(report: Report, folder: Path, progress: Callable[[str], None]) -> list[Path]:
    """Draw a report's charts into a folder: by age and sex, and over years.

    One chart of cases by age band and sex per condition and area (or group);
    with more than one year, one chart of cases over years per condition and
    area instead.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    from mhneed.plots import plot_age_sex, plot_over_years

    folder.mkdir(parents=True, exist_ok=True)
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
    jobs = [(c, g) for g in groups for c in conditions]
    written: list[Path] = []
    for n, (condition, group) in enumerate(jobs, start=1):
        progress(f"drawing chart {n} of {len(jobs)}")
        slug = _slug(place(group)) or "all"
        if years:
            path = folder / f"{condition}_over_years_{slug}.png"
            fig = plot_over_years(report, condition, select=group, path=path)
        else:
            path = folder / f"{condition}_by_age_sex_{slug}.png"
            fig = plot_age_sex(report, condition, select=group, path=path)
        fig.clear()
        written.append(path)
    return written


# -- inputs ------------------------------------------------------------------------


def read_population(
    paths: Sequence[Path], fmt: str = "auto", top_age: int | None = None
) -> tuple[pd.DataFrame, str]:
    """Read population files in one format, recognised from the first file when ``auto``.

    Returns
    -------
    tuple of (pandas.DataFrame, str)
        The long population frame, and a line saying where it came from.
    """
    kind = _detect(paths[0], births=False) if fmt == "auto" else fmt
    if kind == "mye2":
        frame = read_ons_mye2(paths)
        _check_both_sexes(frame, paths)
    elif kind == "nomis":
        parts = [read_nomis(p) for p in paths]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        frame.attrs = dict(parts[0].attrs)
    elif kind == "tidy":
        parts = [_read_tidy(p, "--population") for p in paths]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        if top_age is not None:
            frame.attrs["top_age"] = top_age
    else:
        raise InputError(
            f"{paths[0].name} looks like the ONS births table, not a population file; use "
            "mhneed perinatal --births for births",
            column="--population",
            rule="a population file",
            values=[paths[0].name],
        )
    names = ", ".join(p.name for p in paths)
    title = str(frame.attrs.get("source", "")).strip()
    source = f"{title} [{names}]" if title and kind != "tidy" else f"{names} (your file)"
    return frame, source


def _check_both_sexes(frame: pd.DataFrame, paths: Sequence[Path]) -> None:
    """MYE2 comes one file per sex: a lone women's or men's file is a file forgotten."""
    sexes = set(frame["sex"].astype(str))
    if len(sexes) == 1 and sexes <= {"female", "male"}:
        who = "women" if sexes == {"female"} else "men"
        names = ", ".join(p.name for p in paths)
        raise InputError(
            f"--population: the MYE2 files hold {who} only ({names}); give one --population "
            "file per sex, the women's and the men's",
            column="--population",
            rule="both sexes' MYE2 files",
            values=[names],
        )


def _detect(path: Path, births: bool) -> str:
    """The format of a file from its first lines: mye2, nomis, ons (births) or tidy."""
    head = path.read_bytes()[:8192].decode("utf-8", errors="replace").lstrip("\ufeff")
    upper = head.upper()
    if "GEOGRAPHY_CODE" in upper and "OBS_VALUE" in upper:
        return "nomis"
    if re.search(r'^\s*"?CODE"?\s*,\s*"?NAME"?\s*,', head, re.M | re.I):
        return "mye2"
    if "area of usual residence" in head.lower():
        return "ons"
    return "tidy"


def _read_tidy(path: Path, option: str) -> pd.DataFrame:
    text_columns = {c: str for c in ("area_code", "area_name", "group", "sex", "age_band")}
    try:
        frame = pd.read_csv(path, dtype=text_columns, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{option} {path.name}: not a readable CSV ({_one_line(str(exc))})",
            column=option,
            rule="a CSV file",
            values=[path.name],
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _ons_births_rows(
    births: pd.DataFrame, areas: str | None, mapping: pd.DataFrame | None
) -> pd.DataFrame:
    """The ONS births table's rows to estimate for, with its key columns only."""
    if not areas and mapping is None:
        births = births[births["area_type"].isin(LOCAL_AUTHORITIES)]
    births = births[births["births"].notna()]
    keep = [c for c in ("area_code", "area_name", "year", "births") if c in births.columns]
    births = births[keep].reset_index(drop=True)
    if "area_code" in births.columns:
        births["area_code"] = births["area_code"].fillna("").astype(str)
    births["births"] = births["births"].astype("float64")
    return births


def _select(
    frame: pd.DataFrame, areas: str | None, mapping: pd.DataFrame | None, what: str
) -> pd.DataFrame:
    """The rows of the areas asked for (by --areas, else by --group-by's areas)."""
    wanted = _list(areas)
    if not wanted and mapping is None:
        return frame
    codes = frame["area_code"].astype(str) if "area_code" in frame.columns else None
    names = (
        frame["area_name"].astype(str).str.strip().str.lower()
        if "area_name" in frame.columns
        else None
    )
    if codes is None and (mapping is not None or names is None):
        hint = (
            ": give --population so the ONS births table's names get area codes"
            if what == "births"
            else ""
        )
        raise MissingColumnError(
            f"the {what} have no area_code column, so areas cannot be chosen or grouped{hint}",
            column="area_code",
            rule="an area_code column",
            values=["area_code"],
        )
    if wanted:
        keep = pd.Series(False, index=frame.index)
        missing = []
        for token in wanted:
            hit = pd.Series(False, index=frame.index)
            if codes is not None:
                hit |= codes == token
            if names is not None and not hit.any():
                hit |= names == token.lower()
            if not hit.any():
                missing.append(token)
            keep |= hit
        if missing:
            known = list(
                dict.fromkeys((codes if codes is not None else frame["area_name"]).astype(str))
            )
            sample = ", ".join(known[:5]) + (", ..." if len(known) > 5 else "")
            raise InputError(
                f"--areas: {', '.join(missing)} not in the {what} ({len(known)} areas, such as "
                f"{sample})",
                column="area_code",
                rule="areas in the file",
                values=missing,
            )
        frame = frame[keep]
    if mapping is not None and codes is not None:
        present = set(frame["area_code"].astype(str))
        listed = list(dict.fromkeys(mapping["area_code"].astype(str)))
        absent = [a for a in listed if a not in present]
        if absent and not wanted:
            raise InputError(
                f"--group-by: {', '.join(absent[:10])} {'is' if len(absent) == 1 else 'are'} in "
                f"the mapping but not in the {what}",
                column="area_code",
                rule="mapped areas in the file",
                values=absent,
            )
        if not wanted:
            frame = frame[frame["area_code"].astype(str).isin(listed)]
    return frame.reset_index(drop=True)


def _read_groups(path_text: str) -> pd.DataFrame:
    path = _existing(path_text, "--group-by")
    frame = _read_tidy(path, "--group-by")
    missing = [c for c in ("area_code", "group") if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"--group-by {path.name}: no column {', '.join(missing)}; the mapping needs "
            f"columns area_code and group; it has: {', '.join(frame.columns) or 'none'}",
            column=missing[0],
            rule="columns area_code and group",
            values=missing,
        )
    frame = frame[["area_code", "group"]].copy()
    frame["area_code"] = frame["area_code"].astype(str).str.strip()
    return frame


def _existing(path_text: str, option: str) -> Path:
    path = Path(path_text)
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        raise InputError(
            f"{option} {path_text}: {what}",
            column=option,
            rule="an existing file",
            values=[path_text],
        )
    return path


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
    frame.to_csv(path, index=False)
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


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
