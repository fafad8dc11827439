"""Build the shipped APMS tables from the publisher's workbooks.

    python tools/build_tables.py           # write prevalence_tables/apms_*_by_*.{csv,json}
    python tools/build_tables.py --check   # rebuild in memory; fail if a shipped file differs

Reads the APMS 2014 data-table workbooks vendored, unchanged, in
``sources/apms_2014/`` (NHS Digital 2016; Open Government Licence v3.0) with
``xlrd``, finds every figure by its row and column labels, and writes one CSV of
rows (each figure with its workbook cell), one CSV of published checks and one
JSON of metadata per table. Nobody edits those files by hand: a test rebuilds
them and asserts they are identical.

Intervals (see ``docs/methods.md``, "APMS 2014 intervals"):

* chapter 14 prints, for each condition, by sex and for all adults (16+), the
  design-based ("true") standard error and a 95% confidence interval built on
  the logit scale with a t quantile (1.9667 for the 2014 sample; 1.9639 for the
  2007 and 2014 samples pooled);
* the design factor against the **unweighted** base is ``deft = SE / sqrt(p(1 -
  p) / n)``, with ``n`` the unweighted sample size (the printed ``Deft`` column
  is relative to the weighted sample size, so it is not used);
* an age-by-sex cell with rate ``p`` and unweighted base ``n`` gets
  ``expit(logit(p) ± t × deft / sqrt(n p (1 - p)))``; a cell printed ``-`` (none
  in the sample) gets 0 to Wilson's upper limit on the effective base ``n /
  deft²``, ``t² / (n / deft² + t²)``;
* where a table prints its own confidence limits (autism, Tables 6.1 and 6.2),
  they are shipped as printed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from apms_figures import (
    DASH_NOTE,
    SOURCES,
    Cell,
    chapter14,
    interval,
    read_condition,
    scope_of,
    sheet,
)
from apms_specs import (
    AGE_SEX_2014,
    AUDIT_2007,
    BANDS7,
    KNOWN_GAPS,
    PSYCHOSIS_2014,
    TREND,
    TREND_SCOPE,
    TREND_YEARS,
    Deft,
    Spec,
)
from apms_workbook import BuildError

from mhneed.published.rates import INTERVAL_METHOD_WORDS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "prevalence_tables"
SOURCE_ID = "apms_2014_data_tables"

__all__ = [
    "AGE_SEX_2014",
    "BANDS7",
    "DASH_NOTE",
    "SOURCES",
    "TREND",
    "Deft",
    "Spec",
    "chapter14",
    "interval",
    "main",
    "outputs",
    "read_condition",
    "sheet",
]


# -- tables ---------------------------------------------------------------------------


def build_age_sex_2014() -> tuple[list[Cell], list[Cell]]:
    rows: list[Cell] = []
    checks: list[Cell] = []
    for spec in AGE_SEX_2014:
        year = 2014 if spec.years else None
        r, c = read_condition(spec, year)
        rows += r
        checks += c
    return rows, checks


def build_trend(year: int) -> tuple[list[Cell], list[Cell], list[tuple[Spec, str]], list[str]]:
    """One earlier survey year: rows, checks, (condition, its ages) and the gaps left out."""
    rows: list[Cell] = []
    checks: list[Cell] = []
    used: list[tuple[Spec, str]] = []
    gaps: list[str] = []
    for spec in TREND:
        if year not in spec.years:
            continue
        if (year, spec.id) in KNOWN_GAPS:
            try:
                read_condition(spec, year)
            except BuildError:
                gaps.append(KNOWN_GAPS[year, spec.id])
                continue
            raise BuildError(f"{spec.id} {year}: a known gap is no longer blank; update KNOWN_GAPS")
        r, c = read_condition(spec, year)
        rows += r
        checks += c
        used.append((spec, scope_of(spec, year)))
    return rows, checks, used, gaps


def meta_trend(year: int, used: list[tuple[Spec, str]], gaps: list[str]) -> dict[str, object]:
    """The metadata of an earlier survey year's table."""
    ages, population = TREND_SCOPE[year]
    conditions = [
        {
            "id": spec.id,
            "label": spec.label,
            "period": spec.period,
            "ages": scope,
            "definition": spec.definition,
            "source_table": f"APMS 2014 Table {spec.sheet} ({year} columns)",
            "note": " ".join(
                x
                for x in (
                    spec.note,
                    f"Design factors: 2014's, Table {spec.deft.sheet} row {spec.deft.label!r}"
                    + "".join(f" ({x})" for x in (spec.deft.approximate, spec.deft.note) if x)
                    + ".",
                    AUDIT_2007 if year == 2007 and spec.sheet == "10.2" else "",
                )
                if x
            ),
        }
        for spec, scope in used
    ]
    caveats = [
        "APMS covers adults living in private households only: people in prisons, "
        "hospitals, care homes and other institutions, and people sleeping rough, are "
        "outside it.",
        f"The {year} survey as re-tabulated by NHS Digital in the APMS 2014 data tables' trend "
        "tables (England, definitions comparable with 2014); these replace figures for "
        f"{year} quoted by secondary sources.",
        "1993 covered ages 16 to 64 and 2000 ages 16 to 74, so those years have no older age "
        "bands; each condition says its ages.",
        "Confidence limits of each cell are built from its unweighted base and the "
        "condition's 2014 design factor (no design factors for earlier years are published "
        "in these tables): an approximation. Autism's 2007 limits are printed in Table 6.1.",
        "A rate of 0 marked 'none in sample' is a '-' in the workbook: no cases in a small "
        "sample, not a true zero; its upper limit comes from the base.",
        "Conditions overlap: one person can have several, so counts for different "
        "conditions must never be added together.",
        "National rates take no account of local deprivation, ethnicity or other "
        "differences between areas.",
        *gaps,
    ]
    return {
        "id": f"apms_{year}_by_age_sex",
        "title": f"Adult Psychiatric Morbidity Survey {year}: rates by age band and sex, "
        "re-tabulated in the APMS 2014 data tables",
        "publisher": "NHS Digital",
        "edition": year,
        "geography": "England",
        "population": population,
        "ages": ages,
        "denominator": "persons",
        "interval": "confidence_interval",
        "level": 0.95,
        "unit": "percent",
        "mutually_exclusive": False,
        "conditions": conditions,
        "caveats": caveats,
        "citation": "McManus S, Bebbington P, Jenkins R, Brugha T (eds.) (2016) Mental health "
        "and wellbeing in England: Adult Psychiatric Morbidity Survey 2014. NHS Digital. "
        f"Data tables (corrected September 2017), trend tables ({year} columns).",
    }


def fmt(value: float) -> str:
    """A figure for the CSV: as stored (repr) for read figures, 6 significant digits else."""
    return repr(value)


def limit(value: float) -> str:
    return f"{value:.6g}"


def write_rows(cells: list[Cell]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["condition", "sex", "age_band", "rate", "lower", "upper", "source", "note",
                "cell", "base", "interval_method"])  # fmt: skip
    for c in cells:
        lower = fmt(c.lower) if c.method == "published" else limit(c.lower)
        upper = fmt(c.upper) if c.method == "published" else limit(c.upper)
        w.writerow([c.condition, c.sex, c.age_band, fmt(c.rate), lower, upper, SOURCE_ID,
                    c.note, c.cell, c.base, c.method])  # fmt: skip
    return buf.getvalue()


def meta_age_sex_2014() -> dict[str, object]:
    conditions = []
    for spec in AGE_SEX_2014:
        deft_note = f"Design factors: Table {spec.deft.sheet} row {spec.deft.label!r}"
        if spec.deft.approximate:
            deft_note += f" ({spec.deft.approximate})"
        if spec.deft.note:
            deft_note += f" ({spec.deft.note})"
        conditions.append(
            {
                "id": spec.id,
                "label": spec.label,
                "period": spec.period,
                "ages": spec.ages,
                "definition": spec.definition,
                "source_table": f"APMS 2014 Table {spec.sheet}",
                "note": " ".join(x for x in (spec.note, deft_note + ".") if x),
            }
        )
    return {
        "id": "apms_2014_by_age_sex",
        "title": "Adult Psychiatric Morbidity Survey 2014: rates by age band and sex, from the "
        "official data tables",
        "publisher": "NHS Digital",
        "edition": 2014,
        "geography": "England",
        "population": "adults aged 16 and over living in private households",
        "ages": "16+",
        "denominator": "persons",
        "interval": "confidence_interval",
        "level": 0.95,
        "unit": "percent",
        "mutually_exclusive": False,
        "conditions": conditions,
        "caveats": [
            "APMS covers adults living in private households only: people in prisons, "
            "hospitals, care homes and other institutions, and people sleeping rough, are "
            "outside it.",
            "National rates take no account of local deprivation, ethnicity or other "
            "differences between areas.",
            "Conditions overlap: one person can have several, so counts for different "
            "conditions must never be added together.",
            "Confidence limits of age-by-sex cells are built from each cell's unweighted "
            "base and the condition's design factor for that sex (APMS 2014 chapter 14); "
            "the design effect of an age band is not published, so they are an "
            "approximation. Autism's limits are printed in Table 6.2.",
            "A rate of 0 marked 'none in sample' is a '-' in the workbook: no cases in a "
            "small sample, not a true zero; its upper limit comes from the base.",
            "Psychotic disorder and autism pool the 2007 and 2014 samples, as the publisher's "
            "tables by age do, because they are rare.",
        ],
        "citation": "McManus S, Bebbington P, Jenkins R, Brugha T (eds.) (2016) Mental health "
        "and wellbeing in England: Adult Psychiatric Morbidity Survey 2014. NHS Digital. "
        "Data tables (corrected September 2017).",
    }


def meta_by_sex_2014() -> dict[str, object]:
    """The all-ages (16+) table: each sex's published figure and chapter-14 interval."""
    meta = meta_age_sex_2014()
    meta["id"] = "apms_2014_by_sex"
    meta["title"] = (
        "Adult Psychiatric Morbidity Survey 2014: all-ages rates by sex, from the official data "
        "tables (one rate per sex for the whole age scope)"
    )
    caveats = [c for c in meta["caveats"] if isinstance(c, str)]  # type: ignore[union-attr]
    meta["caveats"] = [
        *caveats[:3],
        "One rate per sex for the whole age scope: an area with an older or younger "
        "population than England gets the wrong mix; apms_2014_by_age_sex applies each age "
        "band's rate and is the better estimate. This table is for comparison.",
        "Confidence limits are chapter 14's, as printed, where chapter 14 has the condition; "
        "otherwise they are built from the base and a design factor, as the row says.",
    ]
    meta["conditions"] = [*meta["conditions"], PSYCHOSIS_2014]  # type: ignore[list-item]
    return meta


def by_sex_rows(checks: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """The 16+ table's rows (each sex, whole scope) and checks (persons), from the checks,
    with Table 5.1's psychotic disorder in the 2014 sample alone."""
    scope = {spec.id: spec.ages for spec in AGE_SEX_2014}
    whole = [c for c in checks if c.age_band == scope[c.condition]] + psychosis_2014_only()
    return [c for c in whole if c.sex != "persons"], [c for c in whole if c.sex == "persons"]


def psychosis_2014_only() -> list[Cell]:
    """Table 5.1's 2014 column: psychotic disorder by sex in the 2014 sample alone."""
    sh = sheet("5.1")
    header, col = next((r, c) for r in range(8) for c in range(4) if sh.text(r, c) == 2014.0)
    bases = sh.find_row("Bases", start=header + 1)
    deft = Deft("14.9", "Psychotic disorder in the past year", approximate="pooled")
    out = []
    for sex, who, base_label in (
        ("male", "Men", "Men"),
        ("female", "Women", "Women"),
        ("persons", "All adults", "All"),
    ):
        fig = sh.figure(sh.find_row(who, start=header + 1, stop=bases), col)
        base = sh.figure(sh.find_row(base_label, start=bases + 1, stop=bases + 5), col)
        lower, upper, method = interval(fig.value, base.value, chapter14(deft, who))
        out.append(
            Cell(
                PSYCHOSIS_2014["id"],
                sex,
                "16+",
                fig.value,
                lower,
                upper,
                fig.cell,
                round(base.value),
                method,
            )
        )
    return out


SOURCE_CITATION = (
    "NHS Digital (2016, corrected September 2017) Mental Health and Wellbeing in England: "
    "Adult Psychiatric Morbidity Survey 2014, data tables (one workbook per chapter; NatCen "
    "Social Research and the University of Leicester). Open Government Licence v3.0. Each "
    "figure names its table, sheet and cell."
)
DOCS_START = "<!-- built by tools/build_tables.py: start -->"
DOCS_END = "<!-- built by tools/build_tables.py: end -->"


def tables() -> list[tuple[dict[str, object], list[Cell], list[Cell]]]:
    """Every built table: (metadata, rows, checks)."""
    rows, checks = build_age_sex_2014()
    sex_rows, sex_checks = by_sex_rows(checks)
    out = [
        (meta_age_sex_2014(), rows, checks),
        (meta_by_sex_2014(), sex_rows, sex_checks),
    ]
    for year in TREND_YEARS:
        t_rows, t_checks, used, gaps = build_trend(year)
        out.append((meta_trend(year, used, gaps), t_rows, t_checks))
    return out


def outputs() -> dict[str, str]:
    """Every file the build writes, by its path in the project, as text."""
    built = tables()
    files: dict[str, str] = {}
    for meta, rows, checks in built:
        table_id = meta["id"]
        files[f"prevalence_tables/{table_id}.csv"] = write_rows(rows)
        files[f"prevalence_tables/{table_id}.checks.csv"] = write_rows(checks)
        files[f"prevalence_tables/{table_id}.json"] = _json(meta)
    files["docs/apms-conditions.md"] = conditions_page(built)
    tables_md = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    head, rest = tables_md.split(DOCS_START, 1)
    _, tail = rest.split(DOCS_END, 1)
    sections = "\n\n".join(doc_section(meta, rows) for meta, rows, _ in built)
    files["docs/tables.md"] = f"{head}{DOCS_START}\n\n{sections}\n\n{DOCS_END}{tail}"
    return files


def doc_section(meta: dict[str, object], rows: list[Cell]) -> str:
    """A table's section of docs/tables.md (the test keeps the page in step with the data)."""
    lines = [
        f"## {meta['id']}",
        "",
        f"**{meta['title']}**",
        "",
        f"- Publisher: {meta['publisher']}; edition {meta['edition']}; geography: "
        f"{meta['geography']}",
        f"- Citation: {meta['citation']}",
        f"- Population covered: {meta['population']}",
        f"- Ages in scope: {meta['ages']}",
        f"- Denominator: {meta['denominator']}",
        f"- Unit: {meta['unit']}; intervals: {meta['interval']} (95%), one per cell, each "
        "labelled with how it was obtained",
        "",
        "| condition | label | period | ages | published for |",
        "|---|---|---|---|---|",
    ]
    for cond in meta["conditions"]:  # type: ignore[attr-defined]
        sexes = [s for s in ("female", "male", "persons") if any(
            c.sex == s for c in rows if c.condition == cond["id"])]  # fmt: skip
        lines.append(
            f"| `{cond['id']}` | {cond['label']} | {cond['period']} | {cond['ages']} | "
            f"{', '.join(sexes)} |"
        )
    lines += [
        "",
        "Sources:",
        "",
        f"- `{SOURCE_ID}` (primary): {SOURCE_CITATION}",
        "",
        "Caveats:",
        "",
        *[f"- {c}" for c in meta["caveats"]],  # type: ignore[attr-defined]
        "",
        "Every condition's APMS table, definition, bands and interval method are listed in "
        "[APMS conditions](apms-conditions.md).",
    ]
    return "\n".join(lines)


def conditions_page(built: list[tuple[dict[str, object], list[Cell], list[Cell]]]) -> str:
    """docs/apms-conditions.md: every condition of the built tables, one line each."""
    lines = [
        "# APMS conditions, table by table",
        "",
        "Every condition of the tables built from the APMS 2014 data-table workbooks, with the",
        "table it comes from, its definition, reference period, ages, age bands and how each",
        "cell's 95% confidence interval was obtained. Written by `tools/build_tables.py` from",
        "the same specifications as the tables; do not edit by hand. The method behind the",
        "intervals is in [Methods](methods.md#apms-2014-intervals).",
        "",
        "Interval methods: *printed by the publisher* (chapter 14 for all-ages figures, Tables",
        "6.1 and 6.2 for autism); *from the survey base and design factor* (the cell's",
        "unweighted base and the condition's chapter-14 design factor for that sex, on the logit",
        "scale); *none in sample* (a '-' in the workbook: rate 0, upper bound from Wilson's",
        "interval on the effective base).",
    ]
    for meta, rows, _checks in built:
        lines += [
            "",
            f"## {meta['id']}",
            "",
            f"{meta['title']}.",
            "",
            "| condition | label | APMS table | definition | period | ages | age bands | "
            "intervals of the cells |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for cond in meta["conditions"]:  # type: ignore[attr-defined]
            mine = [c for c in rows if c.condition == cond["id"]]
            bands = list(dict.fromkeys(c.age_band for c in mine))
            methods = list(dict.fromkeys(INTERVAL_METHOD_WORDS[c.method] for c in mine))
            counts = {
                m: sum(1 for c in mine if INTERVAL_METHOD_WORDS[c.method] == m) for m in methods
            }
            lines.append(
                f"| `{cond['id']}` | {cond['label']} | {cond['source_table']} | "
                f"{cond['definition']} | {cond['period']} | {cond['ages']} | "
                f"{', '.join(bands)} | " + "; ".join(f"{m} ({n})" for m, n in counts.items()) + " |"
            )
    return "\n".join(lines) + "\n"


def _json(meta: dict[str, object]) -> str:
    return json.dumps(meta, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a shipped file differs")
    args = parser.parse_args(argv)
    files = outputs()
    differ = []
    for name, text in files.items():
        path = ROOT / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                differ.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if differ:
        print(f"differ from a rebuild: {', '.join(differ)}", file=sys.stderr)
        return 1
    print(f"{'checked' if args.check else 'wrote'} {len(files)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
