"""Leicestershire: its seven districts, the county, and the districts grouped into service lots.

Reads the ONS mid-2014 population estimates (MYE2) and applies the APMS 2014
rates to

* each district (Blaby E07000129 to Oadby and Wigston E07000135);
* the county, Leicestershire E10000018, as ONS publishes it, and again added up
  from its districts: the two agree exactly, ranges included, because every
  district uses the same national rate (see ``Estimate.summarise``);
* two **service lots**, groupings of districts made up for this example (they
  are not real commissioning areas; use your own mapping): a North lot
  (Charnwood, Melton, North West Leicestershire) and a South lot (Blaby,
  Harborough, Hinckley and Bosworth, Oadby and Wigston).

::

    python examples/leicestershire_districts.py OUT_DIR [--data DIR]

It also writes **one table** of England, the county, its districts, the lots and
the districts' total, each row labelled by its geography level, with England's
rate and age-standardised rates (ESP 2013) beside every row:
``leicestershire_by_area.csv`` (tidy), ``leicestershire_by_area.xlsx`` (the
planners' workbook) and ``ptsd_by_area.png`` (bars with range whiskers).

It writes ``leicestershire_apms_2014.xlsx`` (needs ``mhneed[excel]``; a sheet
each for the districts, the county and the lots), a report CSV for each, the
lots mapping as ``service_lots.csv`` (for ``mhneed estimate --group-by``), and a
chart of psychotic disorder by age and sex in the North lot (needs
``mhneed[plot]``).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import mhneed
from mhneed.published.tables import DEFAULT_TABLE

HERE = Path(__file__).resolve().parent

COUNTY = "E10000018"
ENGLAND = "E92000001"

#: The districts of Leicestershire (ONS codes and names, 2014).
DISTRICTS = {
    "E07000129": "Blaby",
    "E07000130": "Charnwood",
    "E07000131": "Harborough",
    "E07000132": "Hinckley and Bosworth",
    "E07000133": "Melton",
    "E07000134": "North West Leicestershire",
    "E07000135": "Oadby and Wigston",
}

#: Service lots, made up for this example: districts grouped the way a provider contract might.
SERVICE_LOTS = {
    "E07000130": "North lot",
    "E07000133": "North lot",
    "E07000134": "North lot",
    "E07000129": "South lot",
    "E07000131": "South lot",
    "E07000132": "South lot",
    "E07000135": "South lot",
}


def read_population(data: Path) -> pd.DataFrame:
    """The districts' and the county's population from the MYE2 files."""
    folder = data / "ons_mye2_2014"
    people = mhneed.read_ons_mye2(
        [folder / "UK females-Table 1.csv", folder / "UK males-Table 1.csv"]
    )
    wanted = people["area_code"].isin([ENGLAND, *DISTRICTS, COUNTY])
    frame = people[wanted].reset_index(drop=True)
    frame.attrs = dict(people.attrs)
    return frame


@dataclass(frozen=True)
class Leicestershire:
    """The example's reports, the lots mapping, and whether the county adds up."""

    districts: mhneed.Report
    county: mhneed.Report
    lots: mhneed.Report
    psychosis_lots: mhneed.Report
    lots_mapping: pd.DataFrame
    county_agrees: bool


def estimates(data: Path) -> Leicestershire:
    """Districts, county (direct and from districts) and lots, with a check that they agree."""
    people = read_population(data)
    source = f"{people.attrs['source']}, Open Government Licence v3.0"
    districts = people[people["area_code"].isin(list(DISTRICTS))]
    people = people[people["area_code"] != ENGLAND]
    county = people[people["area_code"] == COUNTY]
    est_districts = mhneed.estimate(districts, DEFAULT_TABLE)
    est_county = mhneed.estimate(county, DEFAULT_TABLE)

    by = ["area_code", "condition"]
    direct = est_county.summarise(by=by).to_frame().set_index("condition")
    to_county = {code: "Leicestershire (from its districts)" for code in DISTRICTS}
    added = est_districts.summarise(by=["group", "condition"], groups=to_county).to_frame()
    added = added.set_index("condition")
    columns = ["population", "cases", "cases_lower", "cases_upper"]
    agree = bool(
        np.allclose(
            direct[columns].to_numpy(float),
            added.loc[direct.index, columns].to_numpy(float),
            rtol=1e-12,
            equal_nan=True,
        )
    )
    lots = pd.DataFrame({"area_code": list(SERVICE_LOTS), "group": list(SERVICE_LOTS.values())})
    psychosis = mhneed.estimate(
        districts, "apms_2014_by_age_sex", conditions=["psychotic_disorder"]
    )
    return Leicestershire(
        districts=mhneed.report_table(
            est_districts, by=["area_code", "area_name"], data_source=source
        ),
        county=mhneed.report_table(est_county, by=["area_code", "area_name"], data_source=source),
        lots=mhneed.report_table(est_districts, groups=lots, data_source=source),
        psychosis_lots=mhneed.report_table(psychosis, groups=lots, data_source=source),
        lots_mapping=lots,
        county_agrees=agree,
    )


def one_table(data: Path) -> pd.DataFrame:
    """England, the county, its districts, the lots and the districts' total, in one table."""
    people = read_population(data)
    est = mhneed.estimate(people, DEFAULT_TABLE)
    return mhneed.area_table(est, SERVICE_LOTS, totals=True, comparator=ENGLAND, standardise=True)


def main(argv: list[str] | None = None) -> int:
    """Write the districts', county's and lots' tables and a chart into a folder."""
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
    result = estimates(Path(args.data))
    districts, county, lots = result.districts, result.county, result.lots
    psychosis, mapping = result.psychosis_lots, result.lots_mapping
    written = [
        mhneed.write_csv(districts, out / "leicestershire_districts_apms_2014.csv"),
        mhneed.write_csv(county, out / "leicestershire_county_apms_2014.csv"),
        mhneed.write_csv(lots, out / "leicestershire_lots_apms_2014.csv"),
    ]
    mapping_path = out / "service_lots.csv"
    mapping.to_csv(mapping_path, index=False)
    written.append(mapping_path)
    try:
        written.append(
            mhneed.write_excel(
                [districts, county, lots, psychosis],
                out / "leicestershire_apms_2014.xlsx",
                sheet_names=["Districts", "County", "Service lots", "Psychosis by lot"],
            )
        )
    except ImportError as exc:
        print(f"Excel workbook not written: {exc}")
    try:
        chart = out / "north_lot_psychosis_by_age_sex.png"
        mhneed.plot_age_sex(
            psychosis,
            "psychotic_disorder",
            select={"group": "North lot"},
            path=chart,
            note="Service lots are made up for this example.",
        )
        written.append(chart)
    except ImportError as exc:
        print(f"Chart not drawn: {exc}")
    table = one_table(Path(args.data))
    tidy_path = out / "leicestershire_by_area.csv"
    table.to_csv(tidy_path, index=False)
    written.append(tidy_path)
    source = "ONS mid-2014 population estimates (MYE2)"
    lots_note = "Service lots are made up for this example."
    try:
        written.append(
            mhneed.write_tables_excel(
                {"By area": mhneed.area_pivot(table)},
                out / "leicestershire_by_area.xlsx",
                data=table,
                title="Leicestershire, its districts and service lots, mid-2014 (APMS 2014 rates)",
                notes=[lots_note, f"Population: {source}, Open Government Licence v3.0."],
            )
        )
    except ImportError as exc:
        print(f"Excel workbook not written: {exc}")
    try:
        chart = out / "ptsd_by_area.png"
        mhneed.plot_areas(table, "ptsd", path=chart, source=source, note=lots_note)
        written.append(chart)
    except ImportError as exc:
        print(f"Chart not drawn: {exc}")
    print(lots.to_text())
    print()
    print(
        "Service lots are made up for this example: North lot = Charnwood, Melton, North West "
        "Leicestershire; South lot = Blaby, Harborough, Hinckley and Bosworth, Oadby and Wigston."
    )
    agree = "agrees" if result.county_agrees else "DOES NOT agree"
    print(f"The county added up from its districts {agree} with the county estimated directly.")
    print()
    print("Written:")
    for path in written:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
