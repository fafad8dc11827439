"""The ``mhneed`` command's arguments: one function per subcommand, one per shared group
of options.

Each subcommand names the function that runs it (``run``, read as the module's
attribute when the parser is built); a usage error is one line, raised as
:class:`UsageError`, never an exit.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from mhneed.cli import demo, estimate_command, perinatal_command, tables_command
from mhneed.cli.layouts import LAYOUTS
from mhneed.engine.perinatal import BIRTH_COUNTS
from mhneed.published.tables import DEFAULT_TABLE

__all__ = ["Parser", "UsageError", "build_parser"]


class UsageError(Exception):
    """A command-line usage error, already worded as the line to print."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and do not exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message} (see: {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The ``mhneed`` parser, its subcommands each with the function that runs it."""
    common = Parser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show full tracebacks"
    )
    common.add_argument(
        "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress, no report"
    )
    parser = Parser(
        prog="mhneed",
        description="Estimate local mental health need from published prevalence rates.",
        parents=[common],
    )
    # no set_defaults for debug and quiet: the parent's actions are shared with every
    # subcommand, and a default would let a subcommand reset a flag given before it
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_demo(sub, common)
    _add_tables(sub, common)
    _add_estimate(sub, common)
    _add_perinatal(sub, common)
    return parser


def _add_demo(sub: argparse._SubParsersAction[Parser], common: Parser) -> None:
    """``mhneed demo``."""
    command = sub.add_parser(
        "demo",
        parents=[common],
        help="Rutland (ONS 2014): APMS 2014 and perinatal estimates, printed and saved",
        description="The main job on shipped data: estimates for Rutland from the ONS mid-2014 "
        "population (APMS 2014 rates) and 2014 live births (JCPMH perinatal rates), printed "
        "and written to a folder.",
    )
    command.add_argument(
        "--out", default="mhneed-output", help="folder to write into (default: mhneed-output)"
    )
    _force_option(command)
    _rounding_options(command)
    command.set_defaults(run=demo.run_demo)


def _add_tables(sub: argparse._SubParsersAction[Parser], common: Parser) -> None:
    """``mhneed tables`` and ``mhneed table ID``."""
    tables = sub.add_parser("tables", parents=[common], help="list the shipped rate tables")
    tables.set_defaults(run=tables_command.list_tables)

    table = sub.add_parser(
        "table", parents=[common], help="describe one rate table: conditions, periods, sources"
    )
    table.add_argument("id", help=f"table id, such as {DEFAULT_TABLE} (see: mhneed tables)")
    table.set_defaults(run=tables_command.describe_table)


def _add_estimate(sub: argparse._SubParsersAction[Parser], common: Parser) -> None:
    """``mhneed estimate``."""
    command = sub.add_parser(
        "estimate",
        parents=[common],
        help="estimate from a population file",
        description="Apply a rate table to a population file (ONS MYE2, Nomis or a tidy CSV) "
        "and write the report as CSV or Excel.",
    )
    command.add_argument(
        "--population",
        action="append",
        required=True,
        metavar="FILE",
        help="population file; repeat for ONS MYE2 (one file per sex)",
    )
    command.add_argument(
        "--format",
        choices=["auto", "mye2", "snpp", "nomis", "tidy"],
        default="auto",
        help="population file format: ONS MYE2, ONS SNPP projections (Z1 files or Nomis "
        "NM_2006_1), Nomis, or tidy CSV (default: recognised from the file)",
    )
    command.add_argument(
        "--table",
        default=DEFAULT_TABLE,
        help="rate table id (default: %(default)s, APMS 2014 by age band and sex; see: "
        "mhneed tables), or your own table: a long CSV, or the wide layout survey reports "
        "print (.csv, .xlsx, .xls), with its JSON metadata beside it",
    )
    command.add_argument("--conditions", help="condition ids, comma-separated (default: all)")
    command.add_argument("--ages", help="narrow the age scope, such as 18-64 or 65+")
    command.add_argument(
        "--top-age",
        type=int,
        help="in a tidy file, the age that means 'this age and over' (such as 90); ONS and "
        "Nomis files give their own (90), and a different --top-age is refused",
    )
    _selection_options(command)
    _rounding_options(command)
    _output_options(command, planners=True)
    _comparison_options(command)
    _charts_option(command)
    _births_options(command)
    command.set_defaults(run=estimate_command.run_estimate)


def _add_perinatal(sub: argparse._SubParsersAction[Parser], common: Parser) -> None:
    """``mhneed perinatal``."""
    command = sub.add_parser(
        "perinatal",
        parents=[common],
        help="perinatal estimates from births",
        description="Apply perinatal rates (per 1,000 maternities) to births: the ONS table of "
        "live births by area, or a tidy CSV with a births column.",
    )
    command.add_argument("--births", required=True, metavar="FILE", help="births file")
    command.add_argument(
        "--format",
        choices=["auto", "ons", "tidy"],
        default="auto",
        help="births file format (default: recognised from the file)",
    )
    command.add_argument(
        "--denominator",
        choices=list(BIRTH_COUNTS),
        help="what the births count (default for the ONS table: live_births; required for "
        "a tidy CSV)",
    )
    command.add_argument(
        "--table", default="jcpmh_2012_perinatal", help="rate table id (default: %(default)s)"
    )
    command.add_argument("--conditions", help="condition ids, comma-separated (default: all)")
    command.add_argument(
        "--population",
        action="append",
        metavar="FILE",
        help="a population file (MYE2, Nomis or tidy) whose area codes and names give the ONS "
        "births table's areas their codes (needed for --group-by)",
    )
    _selection_options(command, births=True)
    _rounding_options(command)
    _output_options(command)
    _charts_option(command)
    command.set_defaults(run=perinatal_command.run_perinatal)


def _comparison_options(parser: argparse.ArgumentParser) -> None:
    """``estimate --layout by-area``'s ``--compare`` and ``--standardise``."""
    parser.add_argument(
        "--compare",
        metavar="AREA",
        help="with --layout by-area: an area of the population file (such as E92000001, "
        "England) whose rate is shown beside every area's",
    )
    parser.add_argument(
        "--standardise",
        action="store_true",
        help="with --layout by-area: add age-standardised rates (European Standard "
        "Population 2013)",
    )


def _births_options(parser: argparse.ArgumentParser) -> None:
    """``estimate --births`` and the options that go with it."""
    parser.add_argument(
        "--births",
        metavar="FILE",
        help="also estimate perinatal conditions from this births file (the ONS births table "
        "or a tidy CSV with births or maternities) and write both estimates into one .xlsx "
        "workbook, a sheet each",
    )
    parser.add_argument(
        "--denominator",
        choices=list(BIRTH_COUNTS),
        help="with --births: what its births column counts (as for mhneed perinatal)",
    )
    parser.add_argument(
        "--births-table",
        default="jcpmh_2012_perinatal",
        metavar="ID",
        help="with --births: the perinatal rate table (default: %(default)s)",
    )


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
