"""Rutland 2022-2047: mental health need from the ONS 2022-based population projections.

The population is the ONS 2022-based subnational population projection (SNPP,
Z1 files) for Rutland, mid-2022 to mid-2047; the rates are the Adult
Psychiatric Morbidity Survey 2014's, held fixed over the years (a projection
assumes no trend in prevalence).

::

    python examples/projection.py OUT_DIR [--data DIR]

It writes, into OUT_DIR:

* ``rutland_projection_2022_2047_tidy.csv``: one row per condition and year, with
  cases, their range, and the change from 2022 in cases and per cent with ranges;
* ``rutland_projection_2022_2047_by_year.csv``: the same figures with years as
  columns (as PANSI and POPPI show them);
* ``rutland_projection_pivot.csv``: conditions as rows, 2022, 2030, 2040 and 2047
  as column blocks, with crude rates per 100,000 and the rates applied;
* ``rutland_ptsd_2022_2047.png``: PTSD over the years with its range (needs
  ``mhneed[plot]``);

and prints PTSD by year with its 95% confidence interval and the change from 2022.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import mhneed
from mhneed.published.tables import DEFAULT_TABLE

HERE = Path(__file__).resolve().parent
RUTLAND = "E06000017"
SHOWN_YEARS = [2022, 2025, 2030, 2035, 2040, 2047]


def read_projection(data: Path) -> pd.DataFrame:
    """Rutland's 2022-based SNPP, females, males and persons (persons only as a check)."""
    folder = data / "ons_snpp_2022"
    files = [
        folder / f"2022 SNPP Population {sex} - extract Rutland_E06000017.csv"
        for sex in ("females", "males", "persons")
    ]
    return mhneed.read_ons_snpp(files, areas=[RUTLAND])


def main(argv: list[str] | None = None) -> int:
    """Estimate every projected year, write the tidy, by-year and pivot CSVs and a chart."""
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
    people = read_projection(Path(args.data))
    est = mhneed.estimate(people, DEFAULT_TABLE)
    tidy = mhneed.projection_tidy(est)
    wide = mhneed.projection_wide(tidy)
    chosen = people[people["year"].isin([2022, 2030, 2040, 2047])]
    pivot = mhneed.pivot_table(mhneed.estimate(chosen, DEFAULT_TABLE), "year")
    caveats = tidy.attrs["mhneed"]["projection_caveats"]
    written = [
        out / "rutland_projection_2022_2047_tidy.csv",
        out / "rutland_projection_2022_2047_by_year.csv",
        out / "rutland_projection_pivot.csv",
    ]
    tidy.to_csv(written[0], index=False)
    wide.to_csv(written[1], index=False)
    pivot.to_csv(written[2])
    source = "ONS 2022-based subnational population projections (SNPP), Rutland"
    try:
        written.append(
            mhneed.write_tables_excel(
                {"By year": wide, "Selected years": pivot},
                out / "rutland_projection_2022_2047.xlsx",
                data=tidy,
                title="Rutland, adults 16+, 2022-2047: APMS 2014 rates held fixed",
                notes=[*caveats, f"Population: {source}, Open Government Licence v3.0."],
            )
        )
    except ImportError as exc:
        print(f"Excel workbook not written: {exc}")
    try:
        report = mhneed.report_table(est, by=["area_code", "area_name", "year"], data_source=source)
        chart = out / "rutland_ptsd_2022_2047.png"
        mhneed.plot_over_years(report, "ptsd", path=chart, note=caveats[0].split(":")[0] + ".")
        written.append(chart)
    except ImportError as exc:
        print(f"Chart not drawn: {exc}")
    ptsd = tidy[(tidy["condition"] == "ptsd") & tidy["year"].isin(SHOWN_YEARS)]
    print("Post-traumatic stress disorder (screen positive), adults 16+, Rutland")
    print(f"{'year':>6}  {'population':>10}  {'estimate':>8}  {'95% CI':>13}  change from 2022")
    for rec in ptsd.to_dict("records"):
        print(
            f"{rec['year']:>6}  {rec['population']:>10,.0f}  {rec['cases']:>8,.0f}  "
            f"{rec['cases_lower']:>6,.0f}–{rec['cases_upper']:<6,.0f}  "
            f"{rec['change']:+,.0f} ({rec['change_lower']:+,.0f} to {rec['change_upper']:+,.0f}), "
            f"{rec['change_pct']:+.1f}%"
        )
    print()
    for note in caveats:
        print(note)
    print()
    print("Written:")
    for path in written:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
