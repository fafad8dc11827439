"""Several years: Rutland's estimate for 2014 and an ILLUSTRATIVE path to 2024.

The 2014 population is the ONS mid-2014 estimate (MYE2). The later years are
NOT an official projection: they are the 2014 population with every age and sex
grown by the same assumed rate (0.5% a year by default), made up for this
example to show how mhneed handles several years. For real planning use the
ONS subnational population projections (SNPP) by single year of age, read into
the same long frame with a ``year`` column.

::

    python examples/projection.py OUT_DIR [--growth 0.005] [--last-year 2024] [--data DIR]

It writes ``rutland_projection_apms_2014.csv`` (tidy rows: one figure per year,
sex, condition) and ``rutland_ptsd_over_years.png`` (needs ``mhneed[plot]``),
and prints PTSD by year with its 95% confidence interval.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import mhneed

HERE = Path(__file__).resolve().parent
BASE_YEAR = 2014
RUTLAND = "E06000017"

#: What the later years are, said wherever they are shown.
ASSUMPTION = (
    "Years after {base} are illustrative, not an official projection: the mid-{base} ONS "
    "population grown by {growth:.1%} a year at every age and sex (an assumption made up for "
    "this example)."
)


def population_over_years(data: Path, growth: float, last_year: int) -> pd.DataFrame:
    """Rutland's population for BASE_YEAR (ONS) and later years (base × (1 + growth)^t)."""
    folder = data / "ons_mye2_2014"
    people = mhneed.read_ons_mye2(
        [folder / "UK females-Table 1.csv", folder / "UK males-Table 1.csv"]
    )
    base = people[people["area_code"] == RUTLAND].reset_index(drop=True)
    years = []
    for year in range(BASE_YEAR, last_year + 1):
        frame = base.copy()
        frame["year"] = year
        frame["population"] = base["population"].to_numpy(float) * (1 + growth) ** (
            year - BASE_YEAR
        )
        years.append(frame)
    out = pd.concat(years, ignore_index=True)
    out.attrs["top_age"] = people.attrs["top_age"]
    return out


def projection(data: Path, growth: float, last_year: int) -> mhneed.Report:
    """APMS 2014 estimates for each year, as a report keyed by year."""
    people = population_over_years(data, growth, last_year)
    est = mhneed.estimate(people, "apms_2014")
    source = (
        f"ONS mid-{BASE_YEAR} population estimates (MYE2) for {BASE_YEAR}; later years "
        f"illustrative ({growth:.1%} growth a year assumed)"
    )
    return mhneed.report_table(est, by=["area_code", "area_name", "year"], data_source=source)


def main(argv: list[str] | None = None) -> int:
    """Print PTSD over the years and write the tidy rows and a chart into a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write into")
    parser.add_argument("--growth", type=float, default=0.005, help="assumed yearly growth")
    parser.add_argument("--last-year", type=int, default=2024, help="last year (default 2024)")
    parser.add_argument(
        "--data",
        default=str(HERE / "data"),
        help="folder with the ONS files (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = projection(Path(args.data), args.growth, args.last_year)
    assumption = ASSUMPTION.format(base=BASE_YEAR, growth=args.growth)
    written = [mhneed.write_csv(report, out / "rutland_projection_apms_2014.csv", layout="tidy")]
    try:
        chart = out / "rutland_ptsd_over_years.png"
        mhneed.plot_over_years(
            report, "ptsd", path=chart, illustrative_after=BASE_YEAR, note=assumption
        )
        written.append(chart)
    except ImportError as exc:
        print(f"Chart not drawn: {exc}")
    rows = report.rows
    ptsd = rows[(rows["condition"] == "ptsd") & (rows["sex"] == "persons")]
    print("Post-traumatic stress disorder (screen positive), adults 16+, Rutland")
    print(f"{'year':>6}  {'population':>10}  {'estimate':>8}  95% confidence interval")
    for rec in ptsd.to_dict("records"):
        kind = "ONS" if rec["year"] == BASE_YEAR else "illustrative"
        print(
            f"{rec['year']:>6}  {rec['population']:>10,.0f}  {rec['cases']:>8,.0f}  "
            f"{rec['cases_lower']:,.0f}–{rec['cases_upper']:,.0f}  ({kind})"
        )
    print()
    print(assumption)
    print(next(n for n in report.notes if n.startswith("Conditions overlap")))
    print()
    print("Written:")
    for path in written:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
