"""Rutland JSNA 2018, Table 1: women likely to have perinatal mental health conditions.

312 women gave birth in Rutland in 2016. The JSNA applies the JCPMH (2012)
rates per 1,000 maternities and rounds up to the next multiple of 5. This
script reproduces its table and prints it in the JSNA's layout::

    python examples/rutland_perinatal.py            # print the table
    python examples/rutland_perinatal.py OUT_DIR    # and write OUT_DIR/rutland_perinatal_2016.csv
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

import mhneed

#: The conditions in the order the JSNA's Table 1 lists them.
JSNA_ORDER = [
    "adjustment_distress",
    "mild_moderate_depression_anxiety",
    "severe_depressive_illness",
    "ptsd",
    "postpartum_psychosis",
    "chronic_smi",
]


def rutland_table() -> mhneed.Estimate:
    """The Rutland 2016 estimate, rounded up to multiples of 5 as the JSNA does."""
    births = pd.DataFrame({"area": ["Rutland"], "year": [2016], "births": [312]})
    est = mhneed.estimate_perinatal(births, "jcpmh_2012_perinatal", denominator="maternities")
    return est.round(to=5, how="up")


def layout(est: mhneed.Estimate) -> str:
    """The estimate as the JSNA prints it: condition, then the range low–high."""
    frame = est.to_frame().set_index("condition").loc[JSNA_ORDER]
    labels = {c.id: c.label for c in est.table.meta.conditions}
    births = float(frame["births"].iloc[0])
    area, year = frame["area"].iloc[0], frame["year"].iloc[0]
    width = max(len(label) for label in labels.values())
    lines = [
        f"Table 1: Estimated number of women with perinatal mental health conditions, {area}, "
        f"{year}",
        f"({births:,.0f} women gave birth in {year}; rates per 1,000 maternities, "
        f"JCPMH {est.table.meta.edition})",
        "",
        f"{'Condition':{width}}  Estimated number of women",
    ]
    for cond, row in frame.iterrows():
        low, high = row["cases_lower"], row["cases_upper"]
        lines.append(f"{labels[str(cond)]:{width}}  {_range(low, high)}")
    lines += [
        "",
        f"Figures are births × the published rate per 1,000 maternities, {est.rounding}; "
        "where a range is published the low and high figures are shown.",
        "Conditions overlap: one woman can have more than one condition, so these figures "
        "must not be added together.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the Rutland table; write it as CSV if an output folder is given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", help="folder to write the table into as CSV")
    args = parser.parse_args(argv)
    est = rutland_table()
    print(layout(est))
    print()
    print(est.describe())
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        path = out / "rutland_perinatal_2016.csv"
        est.to_frame().to_csv(path, index=False)
        print()
        print(f"Written: {path}")
    return 0


def _range(low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return "no range published"
    if low == high:
        return f"{low:,.0f}"
    return f"{low:,.0f}–{high:,.0f}"


if __name__ == "__main__":
    raise SystemExit(main())
