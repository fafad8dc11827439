"""Figures read from the workbooks, with their intervals.

:func:`read_condition` reads one condition's cells by sex and band (and its
all-ages checks) from the sheet a :class:`~apms_specs.Spec` names; each cell gets
its unweighted base and a 95% confidence interval (:func:`interval`) from the
condition's chapter-14 design factor (:func:`chapter14`). Used by
``tools/build_tables.py``; the method is in ``docs/methods.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from apms_specs import Deft, Spec
from apms_workbook import BuildError, Figure, Sheet, open_sheet, same_label

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources" / "apms_2014"

CHAPTER = {
    c.lstrip("0"): c for c in ("02", "04", "05", "06", "07", "08", "09", "10", "11", "12", "14")
}


def sheet(name: str) -> Sheet:
    """A table of the workbooks by its number, such as ``2.3``."""
    chapter = CHAPTER[name.split(".")[0]]
    return open_sheet(SOURCES / f"apms-2014-ch-{chapter}-tabs.xls", name)


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
    rows = [
        r for r in range(head, end) if same_label(sh.text(r, cols["Characteristic"]), deft.label)
    ]
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
    if is_rounded(rate.value):  # printed to 3 dp: the design factor needs the unrounded rate
        if not deft.unrounded:
            raise BuildError(
                f"table {deft.sheet}, cell {rate.cell}: the rate is printed rounded to 3 "
                "decimals; name the chapter table's unrounded figure (Deft.unrounded)"
            )
        rate = _unrounded_rate(deft.unrounded, who)
    p = rate.value
    return DesignFactor(
        deft=se.value / math.sqrt(p * (1 - p) / n.value),
        t=T_POOLED if deft.sheet in POOLED_SHEETS else T_2014,
        rate=rate,
        se=se,
        n=n,
        lower=lower,
        upper=upper,
    )


#: The t quantiles behind chapter 14's intervals: every chapter-14 row whose rate is printed
#: unrounded gives one of these to 4 decimals (a test checks): the 2014 sample, and the 2007
#: and 2014 samples pooled (Tables 14.9 and 14.10).
T_2014 = 1.9667
T_POOLED = 1.9639
POOLED_SHEETS = ("14.9", "14.10")


def is_rounded(rate: float) -> bool:
    """True for a chapter-14 rate printed to 3 decimals (such as 0.037)."""
    return abs(rate * 1000 - round(rate * 1000)) < 1e-9


def _unrounded_rate(where: str, who: str) -> Figure:
    """The chapter table's unrounded all-ages figure of a condition, as a proportion.

    ``where`` is ``sheet:row label``; the row is found in ``who``'s block (or, in a
    table with a row per sex, is ``who``'s own row), in the ``All`` column.
    """
    name, label = where.split(":", 1)
    sh = sheet(name)
    header, cols = sh.header_columns(["All"])
    if label == who or label == "":
        row = sh.find_row(who, start=header + 1)
    else:
        head, end = sh.block(who, after=header + 1)
        row = sh.find_row(label, start=head + 1, stop=end)
    fig = sh.figure(row, cols["All"])
    return Figure(fig.value / 100, fig.cell)


def _section(sh: Sheet, who: str, header: int) -> tuple[int, int]:
    """The rows of a chapter-14 section (Men, Women, All adults): to the next heading."""
    head = sh.find_row(who, start=header + 1)
    end = head + 1
    while end < sh.nrows and sh.text(end, 0) == "":
        end += 1
    return head, end


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


def _columns(spec: Spec, year: int | None) -> tuple[Sheet, int, dict[str, int]]:
    """The sheet, its header row and the column of each band label (and the all-ages label);
    in a trend table, the survey year's column under each band it covered."""
    sh = sheet(spec.sheet)
    header, cols = sh.header_columns([b for b, _ in spec.bands] + [spec.total])
    if year is not None:
        found = {lab: sh.year_column(header, col, year) for lab, col in cols.items()}
        cols = {lab: col for lab, col in found.items() if col is not None}
    return sh, header, cols


def scope_of(spec: Spec, year: int | None) -> str:
    """A condition's ages in a survey year: the bands that year's columns cover."""
    if year is None:
        return spec.ages
    return _scope(spec, _columns(spec, year)[2], year)


def _scope(spec: Spec, cols: dict[str, int], year: int) -> str:
    present = [band for lab, band in spec.bands if lab in cols]
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
    sh, header, cols = _columns(spec, year)
    total_band = spec.total_band or (spec.ages if year is None else _scope(spec, cols, year))
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
