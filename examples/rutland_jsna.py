"""Rutland JSNA tables from the real ONS 2014 files: APMS and perinatal estimates.

Reads the ONS mid-2014 population estimates (MYE2, one file per sex) and the ONS
table of 2014 live births by area, picks out Rutland (E06000017), and makes
three report tables, rounded up to multiples of 5 as the Rutland JSNA 2018 does:

* APMS 2014 rates by age band and sex (``apms_2014_by_age_sex``, the default table,
  built from the publisher's workbooks, with 95% confidence intervals);
* psychotic disorder (APMS 2007 and 2014 samples pooled) by age band and sex, and a
  chart of it with its confidence intervals;
* JCPMH perinatal rates per 1,000 maternities, applied to 341 live births.

::

    python examples/rutland_jsna.py OUT_DIR                 # data from examples/data
    python examples/rutland_jsna.py OUT_DIR --data DIR      # your own copies of the ONS files

It writes ``rutland_jsna_2014.xlsx`` (needs ``mhneed[excel]``), one report CSV
per table and ``rutland_psychosis_by_age_sex.png`` (needs ``mhneed[plot]``)
into OUT_DIR, and prints the tables.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import mhneed
from mhneed.published.tables import DEFAULT_TABLE

RUTLAND = "E06000017"
HERE = Path(__file__).resolve().parent


def population_files(data: Path) -> list[Path]:
    """The MYE2 women's and men's files in a data folder."""
    folder = data / "ons_mye2_2014"
    return [folder / "UK females-Table 1.csv", folder / "UK males-Table 1.csv"]


def reports(data: Path) -> list[mhneed.Report]:
    """Rutland's three report tables, rounded up to multiples of 5."""
    files = population_files(data)
    people = mhneed.read_ons_mye2(files)
    rutland = people[people["area_code"] == RUTLAND].reset_index(drop=True)
    rutland.attrs = dict(people.attrs)
    population_source = f"{people.attrs['source']}, Open Government Licence v3.0"

    births = mhneed.read_ons_births(data / "ons_births_2014" / "Table 3-Table 1.csv", people)
    births_source = f"{births.attrs['source']}, Open Government Licence v3.0"
    rutland_births = births.loc[
        births["area_code"] == RUTLAND, ["area_code", "area_name", "year", "births"]
    ].reset_index(drop=True)

    apms = mhneed.estimate(rutland, DEFAULT_TABLE)
    psychosis = mhneed.estimate(rutland, "apms_2014_by_age_sex", conditions=["psychotic_disorder"])
    with warnings.catch_warnings():
        # ONS counts live births; the rates are per maternity. The report's notes say so.
        warnings.simplefilter("ignore", UserWarning)
        perinatal = mhneed.estimate_perinatal(rutland_births, denominator="live_births")
    return [
        mhneed.report_table(apms, round_to=5, how="up", data_source=population_source),
        mhneed.report_table(psychosis, round_to=5, how="up", data_source=population_source),
        mhneed.report_table(perinatal, round_to=5, how="up", data_source=births_source),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print Rutland's tables and write them, with a chart, into a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write into")
    parser.add_argument(
        "--data",
        default=str(HERE / "data"),
        help="folder with the ONS files (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    apms, psychosis, perinatal = reports(Path(args.data))
    written = [
        mhneed.write_csv(apms, out / "rutland_apms_2014.csv"),
        mhneed.write_csv(psychosis, out / "rutland_psychosis_by_age_sex.csv"),
        mhneed.write_csv(perinatal, out / "rutland_perinatal_2014.csv"),
    ]
    try:
        written.append(
            mhneed.write_excel(
                [apms, psychosis, perinatal],
                out / "rutland_jsna_2014.xlsx",
                sheet_names=["APMS 2014", "Psychosis by age", "Perinatal"],
            )
        )
    except ImportError as exc:
        print(f"Excel workbook not written: {exc}")
    try:
        mhneed.plot_age_sex(
            psychosis, "psychotic_disorder", path=out / "rutland_psychosis_by_age_sex.png"
        )
        written.append(out / "rutland_psychosis_by_age_sex.png")
    except ImportError as exc:
        print(f"Chart not drawn: {exc}")
    for report in (apms, psychosis, perinatal):
        print(report.to_text())
        print()
    print("Written:")
    for path in written:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
