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
import math
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from apms_workbook import BuildError, Figure, Sheet, open_sheet

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources" / "apms_2014"
OUT = ROOT / "prevalence_tables"
SOURCE_ID = "apms_2014_data_tables"

BANDS7 = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
SEXES = {"male": ("Men", "Men"), "female": ("Women", "Women")}  # (block, bases row)
ALL_ADULTS = ("All adults", "All")

CHAPTER = {
    "2": "02",
    "4": "04",
    "5": "05",
    "6": "06",
    "7": "07",
    "8": "08",
    "9": "09",
    "10": "10",
    "11": "11",
    "12": "12",
    "14": "14",
}


def sheet(name: str) -> Sheet:
    """A table of the workbooks by its number, such as ``2.3``."""
    chapter = CHAPTER[name.split(".")[0]]
    return open_sheet(SOURCES / f"apms-2014-ch-{chapter}-tabs.xls", name)


# -- condition specifications ---------------------------------------------------------


@dataclass(frozen=True)
class Deft:
    """Where a condition's design factors come from: a chapter-14 row, by sex."""

    sheet: str
    label: str
    occurrence: int = 0  # the n-th row of that label in a sex's section
    approximate: str = ""  # why this row stands in for the condition, when it does


@dataclass(frozen=True)
class Spec:
    """One condition: where its figures are and what it means."""

    id: str
    label: str
    period: str
    definition: str
    sheet: str
    row: str
    deft: Deft
    bands: tuple[tuple[str, str], ...] = tuple((b, b) for b in BANDS7)
    total: str = "All"  # the heading of the all-ages column
    ages: str = "16+"
    layout: str = "sex_blocks"  # sex_blocks | condition_blocks | sex_rows_with_ci
    bases: str = "Bases"
    note: str = ""
    years: tuple[int, ...] = ()  # a trend table's survey years read for this condition
    total_band: str = ""  # the ages of the all-ages column, when not the condition's scope


CMD_ROWS = [
    ("gad", "Generalised anxiety disorder", "Generalised anxiety disorder", "Generalised anxiety disorder"),
    ("depressive_episode", "Depressive episode", "Depressive episode", "Depression"),
    ("phobias", "Phobias", "Phobias", "Phobia"),
    ("ocd", "Obsessive compulsive disorder", "Obsessive compulsive disorder", "Obsessive compulsive disorder"),
    ("panic_disorder", "Panic disorder", "Panic disorder", "Panic disorder"),
    ("cmd_nos", "CMD not otherwise specified (mixed anxiety and depressive disorder)", "CMD-NOS", "CMD Not Otherwise Specified (NOS)"),
    ("any_cmd", "Any common mental disorder (one or more of the six CMDs)", "Any CMD", "Any CMD"),
]  # fmt: skip
CMD_DEF = "CIS-R assessment by a lay interviewer, ICD-10 criteria"


def cmd_specs(sheet_name: str, **kw: object) -> list[Spec]:
    """The six CMDs and any CMD (Tables 2.3 and 2.4)."""
    return [
        Spec(
            id=cid,
            label=label,
            period="past week",
            definition=f"{CMD_DEF} (Table {sheet_name} row {row!r})",
            sheet=sheet_name,
            row=row,
            deft=Deft("14.6", d14),
            **kw,  # type: ignore[arg-type]
        )
        for cid, label, row, d14 in CMD_ROWS
    ]


def cisr_specs(sheet_name: str, **kw: object) -> list[Spec]:
    """CMD symptoms by CIS-R score (Tables 2.1 and 2.2)."""
    return [
        Spec(
            "cmd_symptoms",
            "CMD symptoms (CIS-R score 12 or more)",
            "past week",
            f"CIS-R score of 12 or more (Table {sheet_name} row '12 or more')",
            sheet_name,
            "12 or more",
            Deft("14.6", "12 or more"),
            **kw,  # type: ignore[arg-type]
        ),
        Spec(
            "cmd_symptoms_severe",
            "Severe CMD symptoms (CIS-R score 18 or more)",
            "past week",
            f"CIS-R score of 18 or more (Table {sheet_name} row '18 or more')",
            sheet_name,
            "18 or more",
            Deft("14.6", "18 or more"),
            **kw,  # type: ignore[arg-type]
        ),
    ]


AUDIT_APPROX = "the design factor of AUDIT 16-40 (Table 14.14) stands in for this narrower band"


def audit_specs(sheet_name: str, rows: dict[str, str], **kw: object) -> list[Spec]:
    """Drinking by AUDIT score (Tables 10.1 and 10.2)."""
    parts = [
        ("hazardous_drinking", "Hazardous drinking (AUDIT 8-15)", "hazardous", Deft("14.14", "AUDIT score 8-15")),
        ("harmful_drinking", "Harmful drinking or mild dependence (AUDIT 16-19)", "harmful", Deft("14.14", "AUDIT score 16-40", approximate=AUDIT_APPROX)),
        ("alcohol_dependence", "Probable alcohol dependence (AUDIT 20+)", "dependence", Deft("14.14", "AUDIT score 16-40", approximate=AUDIT_APPROX)),
        ("harmful_or_dependent_drinking", "Harmful drinking or dependence (AUDIT 16+)", "16+", Deft("14.14", "AUDIT score 16-40")),
    ]  # fmt: skip
    return [
        Spec(
            cid,
            label,
            "past year",
            f"AUDIT score (Table {sheet_name} row {rows[key]!r})",
            sheet_name,
            rows[key],
            deft,
            **kw,  # type: ignore[arg-type]
        )
        for cid, label, key, deft in parts
    ]


def drug_specs(sheet_name: str, rows: dict[str, str], **kw: object) -> list[Spec]:
    """Drug dependence (Tables 11.5 and 11.6)."""
    parts = [
        ("drug_dependence", "Any drug dependence", "any", "Any drug dependence"),
        ("cannabis_dependence_only", "Dependence on cannabis only", "cannabis", "Cannabis only"),
        ("other_drug_dependence", "Dependence on other drugs (with or without cannabis)", "other", "Another drug(s) with or without cannabis dependence"),
    ]  # fmt: skip
    return [
        Spec(
            cid,
            label,
            "past year",
            f"signs of dependence (Table {sheet_name} row {rows[key]!r})",
            sheet_name,
            rows[key],
            Deft("14.15", d14),
            **kw,  # type: ignore[arg-type]
        )
        for cid, label, key, d14 in parts
    ]


SUICIDE_TREND_ROW = (
    "Suicidal thoughts (past year: face-to-face only, based on 16-74 years for trends)"
)
SUICIDE_MISLABEL = (
    "Table 14.16 prints this row with the label of past-year suicidal thoughts; it is the "
    "second such row in each sex's section, after past-year suicide attempts, and its rate "
    "matches Table 12.2's suicide attempts"
)
BANDS6 = [(b, b) for b in BANDS7[:-1]]


def past_year_suicide_specs(**kw: object) -> list[Spec]:
    """Past-year suicidal thoughts and attempts, ages 16-74 (Table 12.2)."""
    return [
        Spec(
            "suicidal_thoughts_past_year",
            "Suicidal thoughts in the past year",
            "past year",
            "face-to-face question (Table 12.2 row 'Suicidal thoughts (past year)')",
            "12.2",
            "Suicidal thoughts (past year)",
            Deft("14.16", SUICIDE_TREND_ROW, 0),
            bands=tuple(BANDS6),
            total="16-74",
            ages="16-74",
            **kw,  # type: ignore[arg-type]
        ),
        Spec(
            "suicide_attempt_past_year",
            "Suicide attempt in the past year",
            "past year",
            "face-to-face question (Table 12.2 row 'Suicide attempts (past year)')",
            "12.2",
            "Suicide attempts (past year)",
            Deft("14.16", SUICIDE_TREND_ROW, 1, approximate=SUICIDE_MISLABEL),
            bands=tuple(BANDS6),
            total="16-74",
            ages="16-74",
            **kw,  # type: ignore[arg-type]
        ),
    ]


AGE_SEX_2014: list[Spec] = [
    *cmd_specs("2.3"),
    *cisr_specs("2.1"),
    Spec(
        "ptsd",
        "Post-traumatic stress disorder (screen positive)",
        "past month",
        "PTSD Checklist (PCL-C) score of 50 or more and DSM-IV criteria (Table 4.1 row "
        "'PTSD screen positive')",
        "4.1",
        "PTSD screen positive",
        Deft("14.8", "Screen positive for PTSD"),
    ),
    Spec(
        "psychotic_disorder",
        "Psychotic disorder (2007 and 2014 samples pooled)",
        "past year",
        "SCAN assessment by a clinician at phase two; 2007 and 2014 samples combined "
        "(Table 5.2 'Psychotic disorder in the past year')",
        "5.2",
        "Psychotic disorder in the past year",
        Deft("14.9", "Psychotic disorder in the past year"),
        layout="condition_blocks",
        bases="Bases - psychotic disorder in the past year",
    ),
    Spec(
        "autism",
        "Autism (2007 and 2014 samples pooled)",
        "current",
        "ADOS score of 10 or more after two-phase screening; 2007 and 2014 samples combined "
        "(Table 6.2)",
        "6.2",
        "Autism",
        Deft("14.10", "Autism"),
        bands=(("16-34", "16-34"), ("35-54", "35-54"), ("55-74", "55-74"), ("75+", "75+")),
        layout="sex_rows_with_ci",
        note="Table 6.2 prints 95% confidence limits; they are shipped as printed.",
    ),
    Spec(
        "antisocial_pd",
        "Antisocial personality disorder (screen positive, SCID-II)",
        "lifetime traits",
        "self-completion SCID-II screen, ages 18-64 (Table 7.1 row 'Antisocial')",
        "7.1",
        "Antisocial",
        Deft("14.11", "Antisocial (SCID-II)"),
        bands=(("16/18-24", "18-24"), ("25-34", "25-34"), ("35-54", "35-54"), ("55-64", "55-64")),
        ages="18-64",
        note="Table 7.1's bases are those for antisocial PD (the table says they were "
        "similar for borderline PD).",
    ),
    Spec(
        "borderline_pd",
        "Borderline personality disorder (screen positive, SCID-II)",
        "lifetime traits",
        "self-completion SCID-II screen, ages 16-64 (Table 7.1 row 'Borderline')",
        "7.1",
        "Borderline",
        Deft("14.11", "Borderline (SCID-II)"),
        bands=(("16/18-24", "16-24"), ("25-34", "25-34"), ("35-54", "35-54"), ("55-64", "55-64")),
        ages="16-64",
        note="Table 7.1 prints bases for antisocial PD (ages 18-64) and says those for "
        "borderline PD were similar; they are used here.",
    ),
    Spec(
        "any_pd_screen",
        "Any personality disorder (screen positive, SAPAS 4+)",
        "lifetime traits",
        "SAPAS score of 4 or more (Table 7.2 row '4+')",
        "7.2",
        "4+",
        Deft("14.11", "Any PD (SAPAS)"),
        bands=(
            ("16/18-24", "16-24"),
            ("25-34", "25-34"),
            ("35-54", "35-54"),
            ("55-74", "55-74"),
            ("75+", "75+"),
        ),
        note="Table 7.2 heads its first band '16/18-24'; the SAPAS was asked of all adults "
        "(Table 14.11: 'all adults for any PD'), so the band is read as 16-24.",
    ),
    Spec(
        "adhd",
        "ADHD (screen positive, ASRS 4+)",
        "past 6 months",
        "Adult ADHD Self-Report Scale score of 4 or more (Table 8.1 row '4 or more')",
        "8.1",
        "4 or more",
        Deft("14.12", "Screen positive for ADHD"),
    ),
    Spec(
        "bipolar_disorder",
        "Bipolar disorder (screen positive, MDQ)",
        "lifetime",
        "Mood Disorder Questionnaire: 7 or more characteristics, several at the same time, "
        "causing problems (Table 9.1 row '7+ several same time and this caused problems')",
        "9.1",
        "7+ several same time and this caused problems",
        Deft("14.13", "Bipolar disorder"),
    ),
    *audit_specs(
        "10.1",
        {
            "hazardous": "Hazardous drinking (AUDIT score 8-15)",
            "harmful": "Harmful drinking/mild dependence (AUDIT score 16-19)",
            "dependence": "Probable dependence (AUDIT score 20+)",
            "16+": "16 or more",
        },
    ),
    *drug_specs(
        "11.5",
        {
            "any": "Any drug dependence",
            "cannabis": "Cannabis only",
            "other": "Other drug(s) with or without cannabis dependence",
        },
    ),
    Spec(
        "suicidal_thoughts_lifetime",
        "Suicidal thoughts (ever)",
        "lifetime",
        "face-to-face and self-completion combined (Table 12.1 row 'Suicidal thoughts')",
        "12.1",
        "Suicidal thoughts",
        Deft("14.16", "Suicidal thoughts (lifetime: combined face-to-face and self-completion)"),
    ),
    Spec(
        "suicide_attempt_lifetime",
        "Suicide attempt (ever)",
        "lifetime",
        "face-to-face and self-completion combined (Table 12.1 row 'Suicidal attempts')",
        "12.1",
        "Suicidal attempts",
        Deft(
            "14.16",
            "Suicide attempt (lifetime lifetime: combined face-to-face and self-completion)",
        ),
    ),
    Spec(
        "self_harm_lifetime",
        "Self-harm without suicidal intent (ever)",
        "lifetime",
        "face-to-face and self-completion combined (Table 12.1 row 'Self-harm')",
        "12.1",
        "Self-harm",
        Deft(
            "14.16",
            "Self-harm without suicide intent (lifetime: combined face-to-face and "
            "self-completion)",
        ),
    ),
    *past_year_suicide_specs(years=(2014,)),
]


#: The earlier surveys, as the APMS 2014 workbooks' trend tables re-tabulate them.
TREND_YEARS = (2007, 2000, 1993)

TREND: list[Spec] = [
    *cmd_specs("2.4", total="All 16-64", total_band="16-64", years=(1993, 2000, 2007)),
    *cisr_specs("2.2", total="All 16-64", total_band="16-64", years=(1993, 2000, 2007)),
    Spec(
        "autism",
        "Autism",
        "current",
        "ADOS score of 10 or more after two-phase screening (Table 6.1)",
        "6.1",
        "Autism",
        Deft("14.10", "Autism"),
        bands=(("16-34", "16-34"), ("35-54", "35-54"), ("55-74", "55-74"), ("75+", "75+")),
        layout="sex_rows_with_ci",
        years=(2007,),
        note="Table 6.1 prints 95% confidence limits; they are shipped as printed.",
    ),
    Spec(
        "adhd",
        "ADHD (screen positive, ASRS 4+)",
        "past 6 months",
        "Adult ADHD Self-Report Scale score of 4 or more (Table 8.2 row '4 or more')",
        "8.2",
        "4 or more",
        Deft("14.12", "Screen positive for ADHD"),
        years=(2007,),
    ),
    *audit_specs(
        "10.2",
        {
            "hazardous": "Hazardous drinking (8-15)",
            "harmful": "Harmful drinking/mild dependence (16-19)",
            "dependence": "Probable dependence (20+)",
            "16+": "16 or more",
        },
        bands=tuple(BANDS6),
        total="All 16-74",
        total_band="16-74",
        years=(2000, 2007),
    ),
    *drug_specs(
        "11.6",
        {"any": "Any drug dependence", "cannabis": "Cannabis only", "other": "Other drug(s)"},
        total="All 16-64",
        total_band="16-64",
        years=(1993, 2000, 2007),
    ),
    *past_year_suicide_specs(years=(2000, 2007)),
]

#: Figures a trend table leaves blank (not '-'): the condition is left out of that year.
KNOWN_GAPS = {
    (1993, "cannabis_dependence_only"): "Table 11.6 leaves women aged 55-64 blank for 1993 "
    "(neither a figure nor '-'), so dependence on cannabis only is not shipped for 1993",
}

TREND_SCOPE = {
    1993: ("16-64", "adults aged 16 to 64 living in private households in England"),
    2000: ("16-74", "adults aged 16 to 74 living in private households in England"),
    2007: ("16+", "adults aged 16 and over living in private households in England"),
}


# -- figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DesignFactor:
    """A condition's design factor for one sex, from chapter 14."""

    deft: float
    t: float
    rate: Figure
    se: Figure
    n: Figure
    lower: Figure
    upper: Figure


def chapter14(deft: Deft, who: str) -> DesignFactor:
    """The chapter-14 row of a condition for ``who`` (Men, Women or All adults)."""
    sh = sheet(deft.sheet)
    header, cols = sh.header_columns(
        ["Characteristic", "Rate", "Sample size", "True standard error", "95% CI lower"]
    )
    upper_col = cols["95% CI lower"] + 1
    head, end = _section(sh, who, header)
    rows = [r for r in range(head, end) if _same(sh.text(r, cols["Characteristic"]), deft.label)]
    if len(rows) <= deft.occurrence:
        raise BuildError(
            f"table {deft.sheet}: section {who!r} has {len(rows)} row(s) labelled "
            f"{deft.label!r}; row {deft.occurrence + 1} was expected"
        )
    r = rows[deft.occurrence]
    rate = sh.figure(r, cols["Rate"])
    n = sh.figure(r, cols["Sample size"])
    se = sh.figure(r, cols["True standard error"])
    lower, upper = sh.figure(r, cols["95% CI lower"]), sh.figure(r, upper_col)
    p = rate.value
    return DesignFactor(
        deft=se.value / math.sqrt(p * (1 - p) / n.value),
        t=_t_quantile(deft.sheet),
        rate=rate,
        se=se,
        n=n,
        lower=lower,
        upper=upper,
    )


def _section(sh: Sheet, who: str, header: int) -> tuple[int, int]:
    """The rows of a chapter-14 section (Men, Women, All adults): to the next heading."""
    head = sh.find_row(who, start=header + 1)
    end = head + 1
    while end < sh.nrows and sh.text(end, 0) == "":
        end += 1
    return head, end


def _t_quantile(sheet_name: str) -> float:
    """The t quantile behind a chapter-14 sheet's intervals (median over its rows).

    Each row gives ``(logit(upper) - logit(lower)) / (2 SE / (p (1 - p)))``; rows
    whose printed rate is rounded give slightly different values, so the median
    is taken and rounded to 4 decimals.
    """
    sh = sheet(sheet_name)
    _, cols = sh.header_columns(["Rate", "True standard error", "95% CI lower"])
    values = []
    for r in range(sh.nrows):
        figures = [sh.text(r, cols[k]) for k in ("Rate", "True standard error", "95% CI lower")]
        figures.append(sh.text(r, cols["95% CI lower"] + 1))
        if all(isinstance(v, float) and 0 < v < 1 for v in figures):
            p, se, lo, hi = (float(v) for v in figures)  # type: ignore[arg-type]
            values.append((_logit(hi) - _logit(lo)) / (2 * se / (p * (1 - p))))
    return round(statistics.median(values), 4)


def _same(text: object, label: str) -> bool:
    from apms_workbook import same_label

    return same_label(text, label)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def interval(rate_pct: float, base: float, df: DesignFactor) -> tuple[float, float, str]:
    """The 95% limits [percent] of a cell from its base and the design factor."""
    p = rate_pct / 100
    if p <= 0 or p >= 1:
        n_eff = base / df.deft**2
        t2 = df.t**2
        if p <= 0:
            return 0.0, 100 * t2 / (n_eff + t2), "none_in_sample"
        return 100 * n_eff / (n_eff + t2), 100.0, "design_factor"
    half = df.t * df.deft / math.sqrt(base * p * (1 - p))
    return 100 * _expit(_logit(p) - half), 100 * _expit(_logit(p) + half), "design_factor"


@dataclass
class Cell:
    """One row of a built table, in percent."""

    condition: str
    sex: str
    age_band: str
    rate: float
    lower: float
    upper: float
    cell: str
    base: float
    method: str
    note: str = ""


def scope_of(spec: Spec, year: int | None) -> str:
    """A condition's ages in a survey year: the bands that year's columns cover."""
    if year is None:
        return spec.ages
    sh = sheet(spec.sheet)
    header, cols = sh.header_columns([b for b, _ in spec.bands] + [spec.total])
    present = [band for lab, band in spec.bands if sh.year_column(header, cols[lab], year)]
    if not present:
        raise BuildError(f"table {spec.sheet}: no column for {year}")
    last = present[-1]
    return "16+" if last.endswith("+") else f"16-{last.split('-')[1]}"


#: Tables printed to 1 dp, where a printed 0 means "under 0.05%" (the Title sheets).
ROUNDED_SHEETS = {"2.1", "2.2", "2.3", "2.4", "8.2", "11.6"}
#: The note of a cell printed 0 in a table of unrounded figures.
ZERO_NOTE = (
    "printed 0 in a table of unrounded figures: no cases observed in the survey sample; "
    "stored as 0 with an upper limit from the base"
)
#: The note of a cell printed '-' in the workbook.
DASH_NOTE = (
    "printed '-' in the workbook: no cases observed in the survey sample; stored as 0 "
    "with an upper limit from the base"
)


def read_condition(spec: Spec, year: int | None = None) -> tuple[list[Cell], list[Cell]]:
    """A condition's cells by sex and band, and its published checks (persons, all ages).

    In a trend table (``year`` given) only the bands the survey year covered are
    read, and the all-ages column is a check on its own ages (``spec.total_band``).
    """
    sh = sheet(spec.sheet)
    labels = [b for b, _ in spec.bands] + [spec.total]
    header, cols = sh.header_columns(labels)
    if year is not None:
        found = {lab: sh.year_column(header, col, year) for lab, col in cols.items()}
        cols = {lab: col for lab, col in found.items() if col is not None}
    total_band = spec.total_band or scope_of(spec, year)
    base_head = sh.find_row(spec.bases, start=header + 1)
    rows: list[Cell] = []
    checks: list[Cell] = []
    for sex, who, base_label in (
        ("male", "Men", "Men"),
        ("female", "Women", "Women"),
        ("persons", "All adults", "All"),
    ):
        df = chapter14(spec.deft, who)
        base_row = sh.find_row(base_label, start=base_head + 1, stop=base_head + 5)
        value_row, ci_rows = _value_row(sh, spec, who, header)
        for label, band in [*spec.bands, (spec.total, total_band)]:
            if label not in cols:
                continue
            col = cols[label]
            fig = sh.figure(value_row, col)
            base = sh.figure(base_row, col)
            if base.dash or base.value <= 0:
                raise BuildError(f"table {sh.name}, cell {base.cell}: no base for a published rate")
            if ci_rows is not None and not fig.dash:
                lo, hi = sh.figure(ci_rows[0], col), sh.figure(ci_rows[1], col)
                lower, upper, method = lo.value, hi.value, "published"
                ref = f"{fig.cell}; CI {lo.cell}, {hi.cell}"
            elif label == spec.total and year in (None, 2014) and not spec.deft.approximate:
                # the all-ages figure: chapter 14 prints its 95% CI; ship it exactly
                lower, upper, method = 100 * df.lower.value, 100 * df.upper.value, "published"
                ref = f"{fig.cell}; CI {df.lower.cell}, {df.upper.cell}"
            else:
                lower, upper, method = interval(fig.value, base.value, df)
                ref = fig.cell
            if fig.value == 0 and not fig.dash and spec.sheet in ROUNDED_SHEETS:
                raise BuildError(
                    f"table {sh.name}, cell {fig.cell}: a printed 0 in a table rounded to 1 dp "
                    "means under 0.05%, not none in sample; decide how to ship it"
                )
            note = DASH_NOTE if fig.dash else ZERO_NOTE if fig.value == 0 else ""
            cell = Cell(
                spec.id, sex, band, fig.value, lower, upper, ref, round(base.value), method, note
            )
            is_total = label == spec.total
            (checks if sex == "persons" or is_total else rows).append(cell)
    return rows, checks


def _value_row(sh: Sheet, spec: Spec, who: str, header: int) -> tuple[int, tuple[int, int] | None]:
    """The row of a condition's figures for ``who``, and its CI rows when printed."""
    if spec.layout == "sex_blocks":
        head, end = sh.block(who, after=header + 1)
        return sh.find_row(spec.row, start=head + 1, stop=end), None
    if spec.layout == "condition_blocks":
        head = sh.find_row(spec.row, start=header + 1)
        return sh.find_row(who, start=head + 1, stop=head + 5), None
    row = sh.find_row(
        who, start=header + 1
    )  # sex_rows_with_ci: the sex's own row holds the figures
    lower = sh.find_row("CI lower limit", start=row + 1, stop=row + 3)
    upper = sh.find_row("CI upper limit", start=row + 1, stop=row + 4)
    return row, (lower, upper)


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
                    f"Design factors: 2014's, Table {spec.deft.sheet} row {spec.deft.label!r}.",
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


AUDIT_2007 = (
    "The 2007 AUDIT figures carry the publisher's correction of an error in the 2007 scoring "
    "syntax (Table 10.2, note b)."
)


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
            "Psychotic disorder and autism pool the 2007 and 2014 samples, as the "
            "publisher does, because they are rare.",
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
    return meta


def by_sex_rows(checks: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """The 16+ table's rows (each sex, whole scope) and checks (persons), from the checks."""
    scope = {spec.id: spec.ages for spec in AGE_SEX_2014}
    whole = [c for c in checks if c.age_band == scope[c.condition]]
    return [c for c in whole if c.sex != "persons"], [c for c in whole if c.sex == "persons"]


SOURCE_CITATION = (
    "NHS Digital (2016, corrected September 2017) Mental Health and Wellbeing in England: "
    "Adult Psychiatric Morbidity Survey 2014, data tables (one workbook per chapter; NatCen "
    "Social Research and the University of Leicester). Open Government Licence v3.0. Each "
    "figure names its table, sheet and cell."
)
DOCS_START = "<!-- built by tools/build_tables.py: start -->"
DOCS_END = "<!-- built by tools/build_tables.py: end -->"
METHOD_WORDS = {
    "published": "printed by the publisher",
    "design_factor": "from the base and design factor",
    "none_in_sample": "none in sample: upper bound from the base",
}


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
        "6.1 and 6.2 for autism); *from the base and design factor* (the cell's unweighted base",
        "and the condition's chapter-14 design factor for that sex, on the logit scale); *none",
        "in sample* (a '-' in the workbook: rate 0, upper bound from Wilson's interval on the",
        "effective base).",
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
            methods = list(dict.fromkeys(METHOD_WORDS[c.method] for c in mine))
            counts = {m: sum(1 for c in mine if METHOD_WORDS[c.method] == m) for m in methods}
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
