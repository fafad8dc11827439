"""What the build reads: each APMS condition, where its figures are and what it means.

One :class:`Spec` per condition names its table, row label, age bands (as the
sheet heads them, and as shipped), the all-ages column, its ages, layout and the
chapter-14 row its design factors come from (:class:`Deft`). ``AGE_SEX_2014`` is
the 2014 table; ``TREND`` the earlier survey years, as the 2014 workbooks'
trend tables re-tabulate them. Used by ``tools/build_tables.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

BANDS7 = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]

# -- condition specifications ---------------------------------------------------------


@dataclass(frozen=True)
class Deft:
    """Where a condition's design factors come from: a chapter-14 row, by sex."""

    sheet: str
    label: str
    occurrence: int = 0  # the n-th row of that label in a sex's section
    approximate: str = ""  # why this row stands in for the condition, when it does
    note: str = ""  # anything else to know about the row (such as a label misprinted)
    unrounded: str = ""  # "sheet:row" of the unrounded rate, where chapter 14 rounds it


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


#: Where Table 10.1 prints, unrounded, the rates chapter 14 rounds (Table 14.14).
AUDIT_8_15 = "10.1:Hazardous drinking (AUDIT score 8-15)"
AUDIT_16 = "10.1:16 or more"
AUDIT_APPROX = "the design factor of AUDIT 16-40 (Table 14.14) stands in for this narrower band"


def audit_specs(sheet_name: str, rows: dict[str, str], **kw: object) -> list[Spec]:
    """Drinking by AUDIT score (Tables 10.1 and 10.2)."""
    parts = [
        ("hazardous_drinking", "Hazardous drinking (AUDIT 8-15)", "hazardous", Deft("14.14", "AUDIT score 8-15", unrounded=AUDIT_8_15)),
        ("harmful_drinking", "Harmful drinking or mild dependence (AUDIT 16-19)", "harmful", Deft("14.14", "AUDIT score 16-40", approximate=AUDIT_APPROX, unrounded=AUDIT_16)),
        ("alcohol_dependence", "Probable alcohol dependence (AUDIT 20+)", "dependence", Deft("14.14", "AUDIT score 16-40", approximate=AUDIT_APPROX, unrounded=AUDIT_16)),
        ("harmful_or_dependent_drinking", "Harmful drinking or dependence (AUDIT 16+)", "16+", Deft("14.14", "AUDIT score 16-40", unrounded=AUDIT_16)),
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
            Deft("14.16", SUICIDE_TREND_ROW, 1, note=SUICIDE_MISLABEL),
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
        Deft("14.8", "Screen positive for PTSD", unrounded="4.1:PTSD screen positive"),
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
        note="The all-ages intervals are chapter 14's (Table 14.9), whose rates (men 0.480%, "
        "women 0.616%, all 0.550%) differ a little from Table 5.2's on the same bases (0.463%, "
        "0.611%, 0.539%); the intervals are shipped as printed, beside Table 5.2's rates.",
    ),
    Spec(
        "autism",
        "Autism (2007 and 2014 samples pooled)",
        "current",
        "ADOS score of 10 or more after two-phase screening; 2007 and 2014 samples combined "
        "(Table 6.2)",
        "6.2",
        "Autism",
        Deft("14.10", "Autism", unrounded="6.2:"),
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
        "similar for borderline PD). The table and chapter 14 give antisocial PD's scope as "
        "18-64, but its bases equal borderline PD's (16-64) everywhere (Tables 7.1, 7.4, "
        "14.11), and its first band's bases (243 men, 307 women) equal other self-completion "
        "modules' 16-24 bases: the published rates may have been computed on the 16-64 "
        "sample. mhneed applies them to ages 18-64, as printed.",
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
        Deft("14.10", "Autism", unrounded="6.2:"),
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


PSYCHOSIS_2014 = {
    "id": "psychotic_disorder_2014",
    "label": "Psychotic disorder (2014 sample only)",
    "period": "past year",
    "ages": "16+",
    "definition": "SCAN assessment by a clinician at phase two, 2014 sample alone (Table 5.1, "
    "2014 column)",
    "source_table": "APMS 2014 Table 5.1",
    "note": "Table 5.2 pools the 2007 and 2014 samples for this rare condition "
    "(psychotic_disorder); this one is the 2014 survey alone. Design factors: "
    "Table 14.9's, for the pooled samples, stand in for the 2014 sample alone.",
}


AUDIT_2007 = (
    "The 2007 AUDIT figures carry the publisher's correction of an error in the 2007 scoring "
    "syntax (Table 10.2, note b)."
)
