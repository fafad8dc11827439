"""Rate tables: published prevalence rates with their metadata and sources.

A :class:`RateTable` is immutable. It holds metadata (:class:`TableMeta`: the
survey, edition, geography, population covered, denominator, interval kind,
the unit the figures were published in, the conditions with their reference
periods, caveats and sources) and rows (:class:`RateRow`: ``condition, sex,
age_band, rate, lower, upper, source``). Inside the code every rate is a
proportion in [0, 1], whatever unit the file uses.

On construction a table checks that each condition's rows partition its scope
exactly once: for each sex the condition covers, the age bands of that sex's
rows (and of any ``persons`` rows) cover the condition's ages with no gap and
no overlap. So a persons-only table, a women-and-men table and a full
age-by-sex grid all run through the same estimation code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mhneed.bands import AgeBand, check_partition, parse_band
from mhneed.errors import AgeBandError, RateTableError

__all__ = [
    "INTERVAL_METHOD_WORDS",
    "PROVENANCE_COLUMNS",
    "ROW_COLUMNS",
    "UNIT_MAX",
    "ConditionMeta",
    "RateRow",
    "RateTable",
    "Source",
    "TableMeta",
]

Sex = Literal["female", "male"]
RowSex = Literal["female", "male", "persons"]
Unit = Literal["proportion", "percent", "per_1000"]
Denominator = Literal["persons", "maternities", "live_births", "deliveries"]
IntervalKind = Literal["confidence_interval", "published_range", "none"]
#: How a row's confidence limits were obtained, when the table says: printed by the
#: publisher, built from the cell's unweighted base and the survey's design factor, or
#: (for a cell with none in the sample) an upper bound built from the base.
IntervalMethod = Literal["", "published", "design_factor", "none_in_sample"]

#: How each interval method is described where a table's cells are listed.
INTERVAL_METHOD_WORDS: dict[str, str] = {
    "published": "printed by the publisher",
    "design_factor": "from the survey base and design factor",
    "none_in_sample": "none in sample: upper bound from the base",
}

#: The largest value each unit allows, and the divisor that makes it a proportion.
UNIT_MAX: dict[str, float] = {"proportion": 1.0, "percent": 100.0, "per_1000": 1000.0}

#: The columns of a rate table's rows, in order.
ROW_COLUMNS = ("condition", "sex", "age_band", "rate", "lower", "upper", "source")

#: Optional provenance columns a row may carry: the workbook cell of each figure
#: (``2.3!H7``), the survey's unweighted base for the cell, and how its limits were
#: obtained (:data:`IntervalMethod`).
PROVENANCE_COLUMNS = ("cell", "base", "interval_method")

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Source(BaseModel):
    """One publication a table's figures come from."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    citation: str = Field(min_length=1)
    url: str | None = None
    kind: Literal["primary", "secondary"]


class ConditionMeta(BaseModel):
    """A condition in a table: its id, a human label, reference period and scope."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1)
    period: str = Field(min_length=1)
    ages: str
    sexes: tuple[Sex, ...] = ("female", "male")
    note: str = ""
    definition: str = ""
    source_table: str = ""

    @property
    def scope(self) -> AgeBand:
        """The condition's ages in scope, as an :class:`AgeBand`."""
        return parse_band(self.ages)


class RateRow(BaseModel):
    """One published rate: a condition in one (sex, age band) cell, as a proportion."""

    model_config = _FROZEN

    condition: str
    sex: RowSex
    age_band: str
    rate: float = Field(ge=0.0, le=1.0)
    lower: float | None = Field(default=None, ge=0.0, le=1.0)
    upper: float | None = Field(default=None, ge=0.0, le=1.0)
    source: str
    note: str = ""
    rate_is_midpoint: bool = False
    cell: str = ""
    base: float | None = Field(default=None, gt=0.0)
    interval_method: IntervalMethod = ""

    @property
    def none_in_sample(self) -> bool:
        """True for a published zero from a sample with no cases (a ``-`` in the workbook)."""
        return self.interval_method == "none_in_sample"

    @property
    def band(self) -> AgeBand:
        """The row's age band."""
        return parse_band(self.age_band)

    @property
    def has_interval(self) -> bool:
        """True when the row carries published lower and upper limits."""
        return self.lower is not None and self.upper is not None


class TableMeta(BaseModel):
    """What a rate table is: publication, population, scope, denominator and units."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    publisher: str
    edition: int = Field(ge=1900, le=2100)
    geography: str
    population: str
    ages: str
    denominator: Denominator
    interval: IntervalKind
    level: float | None = Field(default=None, gt=0.0, lt=1.0)
    unit: Unit
    mutually_exclusive: bool = False
    conditions: tuple[ConditionMeta, ...]
    caveats: tuple[str, ...] = ()
    citation: str = ""
    sources: tuple[Source, ...] = ()
    superseded_by: tuple[str, ...] = ()

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
            return
        except ValidationError as exc:
            error = _unwrap(exc, f"rate table {data.get('id', '?')} metadata")
        # raised outside the except, so its context is not the ValidationError that holds it:
        # a cycle that tblib's pickling (installed by dask.distributed) recurses on forever
        raise error

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TableMeta:
        """Validate metadata read from a file, raising :class:`RateTableError` on a bad field."""
        return cls(**dict(data))

    @model_validator(mode="after")
    def _check(self) -> TableMeta:
        try:
            parse_band(self.ages)
        except AgeBandError as exc:
            raise RateTableError(
                f"rate table {self.id} metadata: field ages: {exc}",
                column="ages",
                rule="age band format",
                values=[self.ages],
            ) from None
        seen: set[str] = set()
        for cond in self.conditions:
            if cond.id in seen:
                raise RateTableError(
                    f"rate table {self.id}: condition id {cond.id!r} appears more than once; "
                    "condition ids must be unique",
                    column="condition",
                    rule="unique condition ids",
                    values=[cond.id],
                )
            seen.add(cond.id)
        if self.interval == "confidence_interval" and self.level is None:
            raise RateTableError(
                f"rate table {self.id}: interval is confidence_interval but no level is given; "
                "give the confidence level, such as 0.95",
                column="level",
                rule="a confidence interval has a level",
            )
        return self

    def condition(self, condition_id: str) -> ConditionMeta:
        """The metadata of one condition."""
        for cond in self.conditions:
            if cond.id == condition_id:
                return cond
        from mhneed.errors import UnknownConditionError

        raise UnknownConditionError(
            f"condition {condition_id!r} is not in rate table {self.id}; "
            f"its conditions are: {', '.join(c.id for c in self.conditions)}",
            column="condition",
            rule="condition in table",
            values=[condition_id],
        )


class RateTable(BaseModel):
    """An immutable table of published rates, validated on construction.

    Build one from a frame with :meth:`RateTable.from_frame` (which converts the
    file's unit to proportions), or load a shipped one with
    :func:`mhneed.load_table`.
    """

    model_config = _FROZEN

    meta: TableMeta
    rows: tuple[RateRow, ...]
    checks: tuple[RateRow, ...] = ()

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
            return
        except ValidationError as exc:
            meta = data.get("meta")
            error = _unwrap(exc, f"rate table {getattr(meta, 'id', '?')}")
        # raised outside the except, so its context is not the ValidationError that holds it:
        # a cycle that tblib's pickling (installed by dask.distributed) recurses on forever
        raise error

    @model_validator(mode="after")
    def _check(self) -> RateTable:
        _check_rows(self.meta, self.rows, what="row")
        _check_rows(self.meta, self.checks, what="published check", partition=False)
        return self

    # -- construction -------------------------------------------------------------

    @classmethod
    def from_frame(
        cls,
        rows: pd.DataFrame,
        meta: TableMeta | Mapping[str, Any],
        *,
        checks: pd.DataFrame | None = None,
    ) -> RateTable:
        """Build a table from rows in the file's unit.

        Parameters
        ----------
        rows : pandas.DataFrame
            Columns ``condition, sex, age_band, rate, lower, upper, source`` and
            optionally ``note``; figures in ``meta.unit``. A blank ``rate`` with
            both limits given (a published range only) takes the midpoint of the
            range, and the row is marked ``rate_is_midpoint``.
        meta : TableMeta or mapping
            The table's metadata.
        checks : pandas.DataFrame, optional
            Published figures kept to check the table (such as a persons rate
            where women's and men's rates are used), same columns.

        Returns
        -------
        RateTable
        """
        meta_model = meta if isinstance(meta, TableMeta) else TableMeta.from_mapping(meta)
        parts = [("row", rows)] + ([] if checks is None else [("published check", checks)])
        parsed: dict[str, tuple[RateRow, ...]] = {}
        problems: list[_Problem] = []
        for what, frame in parts:
            good, bad = _parse_rows(frame, meta_model, what=what)
            problems += bad
            problems += _row_problems(meta_model, good, what=what)
            parsed[what] = tuple(row for _, row in good)
        if problems:
            raise _all_problems(meta_model, problems)
        return cls(meta=meta_model, rows=parsed["row"], checks=parsed.get("published check", ()))

    # -- views --------------------------------------------------------------------

    @property
    def id(self) -> str:
        """The table's id, such as ``apms_2014``."""
        return self.meta.id

    @property
    def conditions(self) -> list[str]:
        """Condition ids, in table order."""
        return [c.id for c in self.meta.conditions]

    def cells(self, condition: str) -> list[RateRow]:
        """The rows of one condition, in table order."""
        self.meta.condition(condition)
        return [r for r in self.rows if r.condition == condition]

    def source(self, source_id: str) -> Source:
        """A source of this table by its id."""
        for src in self.meta.sources:
            if src.id == source_id:
                return src
        raise RateTableError(
            f"rate table {self.id}: source {source_id!r} is not in its sources",
            column="source",
            rule="source in manifest",
            values=[source_id],
        )

    def to_frame(self) -> pd.DataFrame:
        """The rows as a DataFrame, rates as proportions.

        Columns ``condition, sex, age_band, rate, lower, upper, source, note,
        rate_is_midpoint``; ``lower`` and ``upper`` are NaN where no interval
        was published.
        """
        return _rows_to_frame(self.rows)

    def checks_frame(self) -> pd.DataFrame:
        """The published check figures (not used in estimates) as a DataFrame."""
        return _rows_to_frame(self.checks)

    def conditions_frame(self) -> pd.DataFrame:
        """The table's conditions, with human labels, reference periods and scopes.

        Returns
        -------
        pandas.DataFrame
            One row per condition, in table order, with columns ``condition``
            (the id to pass to :func:`mhneed.estimate`), ``label``, ``period``
            (the reference period, such as "past week"), ``ages`` (the ages in
            scope [years]), ``sexes`` (the sexes in scope), ``published_for``
            (the sexes of the published cells: ``female, male`` or
            ``persons``), ``cells`` (the number of rows used in estimates),
            ``checks`` (the number of published check figures) and ``note``.

        Examples
        --------
        >>> import mhneed
        >>> frame = mhneed.load_table("apms_2014").conditions_frame()
        >>> frame.set_index("condition").loc["gad", ["label", "period"]].tolist()
        ['Generalised anxiety disorder', 'past week']
        """
        records = []
        for cond in self.meta.conditions:
            cells = self.cells(cond.id)
            published = [s for s in ("female", "male", "persons") if any(r.sex == s for r in cells)]
            records.append(
                {
                    "condition": cond.id,
                    "label": cond.label,
                    "period": cond.period,
                    "ages": str(cond.scope),
                    "sexes": ", ".join(cond.sexes),
                    "published_for": ", ".join(published),
                    "cells": len(cells),
                    "checks": sum(1 for r in self.checks if r.condition == cond.id),
                    "note": cond.note,
                }
            )
        columns = [
            "condition",
            "label",
            "period",
            "ages",
            "sexes",
            "published_for",
            "cells",
            "checks",
            "note",
        ]
        return pd.DataFrame.from_records(records, columns=columns)

    def describe(self) -> str:
        """A plain-text account of the table's provenance, conditions and caveats.

        The account names the table and its id, the publisher, edition and
        geography, the population covered and ages in scope, the denominator
        and unit, the interval kind, each condition (label, reference period,
        ages, cells and any note), how many published check figures the table
        keeps, its caveats, and every source with its kind (primary or
        secondary).
        """
        m = self.meta
        lines = [
            f"{m.title} [{m.id}]",
            f"  publisher: {m.publisher}; edition {m.edition}; geography: {m.geography}",
            f"  population covered: {m.population}; ages {m.ages}",
            f"  denominator: {m.denominator.replace('_', ' ')}; figures published as "
            f"{_UNIT_WORDS[m.unit]}",
            f"  intervals: {_interval_words(m.interval, m.level)}"
            + (
                "; each cell says whether the publisher printed it or it was built from the "
                "cell's unweighted survey base and the condition's design factor"
                if any(r.interval_method for r in self.rows)
                else ""
            ),
            "  conditions:",
        ]
        for cond in m.conditions:
            cells = self.cells(cond.id)
            sexes = sorted({r.sex for r in cells})
            lines.append(
                f"    {cond.id}: {cond.label} ({cond.period}; ages {cond.ages}; "
                f"{len(cells)} cell{'s' if len(cells) != 1 else ''}: {', '.join(sexes)})"
            )
            if cond.definition:
                lines.append(f"      definition: {cond.definition}")
            if cond.source_table:
                lines.append(f"      published in: {cond.source_table}")
            if cond.note:
                lines.append(f"      note: {cond.note}")
            lines.extend(f"      {_cell_words(r, m.unit)}" for r in cells)
        if self.checks:
            n = len(self.checks)
            lines.append(
                f"  published checks: {n} figure{'s' if n != 1 else ''} kept to check the "
                "table, not used in estimates"
            )
        if m.superseded_by:
            lines.append(f"  superseded by: {', '.join(m.superseded_by)} (this table is kept)")
        if m.caveats:
            lines.append("  caveats:")
            lines.extend(f"    - {c}" for c in m.caveats)
        if m.citation:
            lines.append(f"  citation: {m.citation}")
        lines.append("  sources:")
        lines.extend(f"    [{s.id}] ({s.kind}) {s.citation}" for s in m.sources)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return (
            f"<RateTable {self.id}: {len(self.rows)} rows, {len(self.meta.conditions)} "
            f"conditions, {self.meta.unit}, {self.meta.interval}>"
        )


# -- private helpers ---------------------------------------------------------------

_UNIT_WORDS = {"proportion": "proportions", "percent": "percentages", "per_1000": "rates per 1,000"}


def _cell_words(row: RateRow, unit: str) -> str:
    """One cell's rate and limits in the unit the source printed, such as ``female 16+: 6.8%``."""
    scale, suffix = {"percent": (100.0, "%"), "per_1000": (1000.0, " per 1,000")}.get(
        unit, (1.0, "")
    )

    def show(value: float) -> str:
        return f"{round(value * scale, 6):g}{suffix}"

    if row.has_interval and row.lower is not None and row.upper is not None:
        if row.rate_is_midpoint and row.lower == row.upper:
            figure = show(row.lower)
        elif row.rate_is_midpoint:
            figure = f"{show(row.lower)} to {show(row.upper)} (published range)"
        else:
            figure = f"{show(row.rate)} ({show(row.lower)} to {show(row.upper)})"
    else:
        figure = show(row.rate)
    how = INTERVAL_METHOD_WORDS.get(row.interval_method, "")
    details = [x for x in (how, "" if row.base is None else f"base {row.base:,.0f}") if x]
    if details:
        figure += f" [{'; '.join(details)}]"
    where = f" [{row.cell}]" if row.cell else ""
    return f"{row.sex} {row.age_band}: {figure}{where}"


def _interval_words(kind: str, level: float | None) -> str:
    if kind == "confidence_interval":
        return f"{(level or 0) * 100:g}% confidence intervals where published"
    if kind == "published_range":
        return "published ranges (low and high figures)"
    return "none published"


def _unwrap(exc: ValidationError, what: str) -> Exception:
    """Our own error if a validator raised one, else a RateTableError naming the field."""
    from mhneed.errors import MhneedError

    for err in exc.errors():
        inner = (err.get("ctx") or {}).get("error")
        if isinstance(inner, MhneedError):
            return inner
    problems: list[str] = []
    values: list[object] = []
    for err in exc.errors():  # every problem at once, not one per attempt
        field = ".".join(str(part) for part in err["loc"]) or "(table)"
        value = err.get("input")
        shown = "" if err["type"] == "missing" else f" (value {value!r})"
        problems.append(f"field {field}: {err['msg']}{shown}")
        if err["type"] != "missing":
            values.append(value)
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(table)"
    text = (
        problems[0] if len(problems) == 1 else f"{len(problems)} problems: " + "; ".join(problems)
    )
    return RateTableError(
        f"{what}: {text}",
        column=field,
        rule=str(first["msg"]),
        values=values,
    )


def _rows_to_frame(rows: Sequence[RateRow]) -> pd.DataFrame:
    cols = [*ROW_COLUMNS, "note", "rate_is_midpoint", *PROVENANCE_COLUMNS]
    data = {c: [getattr(r, c) for r in rows] for c in cols}
    frame = pd.DataFrame(data, columns=cols)
    for c in ("rate", "lower", "upper", "base"):
        frame[c] = pd.to_numeric(frame[c]).astype("float64")
    return frame


#: One problem with one row: (what, the row's number, the error, the row as a frame).
_Problem = tuple[str, int, RateTableError, pd.DataFrame]


def _parse_rows(
    frame: pd.DataFrame, meta: TableMeta, *, what: str
) -> tuple[list[tuple[int, RateRow]], list[_Problem]]:
    """Each row that parses, numbered from 1, and the problem of each row that does not."""
    missing = [c for c in ROW_COLUMNS if c not in frame.columns]
    if missing:
        from mhneed.errors import MissingColumnError

        raise MissingColumnError(
            f"rate table {meta.id}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; a rate table has columns {', '.join(ROW_COLUMNS)}",
            column=missing[0],
            rule="required columns",
            values=missing,
        )
    if len(frame) == 0:
        raise RateTableError(
            f"rate table {meta.id}: no rows; a table needs at least one rate",
            rule="at least one row",
        )
    good: list[tuple[int, RateRow]] = []
    bad: list[_Problem] = []
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        try:
            good.append((i, _parse_row(rec, i, meta, what)))
        except RateTableError as exc:  # name the offending row, and go on to the next
            bad.append((what, i, exc, frame.iloc[[i - 1]]))
    return good, bad


def _parse_row(rec: Mapping[Any, Any], i: int, meta: TableMeta, what: str) -> RateRow:
    divisor = UNIT_MAX[meta.unit]
    where = (
        f"rate table {meta.id}, {what} {i} (condition {rec['condition']}, "
        f"sex {rec['sex']}, age_band {rec['age_band']})"
    )
    rate = _number(rec["rate"], "rate", where, meta.unit)
    lower = _number(rec["lower"], "lower", where, meta.unit)
    upper = _number(rec["upper"], "upper", where, meta.unit)
    midpoint = False
    if rate is None:
        if lower is None or upper is None:
            raise RateTableError(
                f"{where}: column rate is blank; a blank rate needs both lower and upper "
                "(a published range), whose midpoint is then used",
                column="rate",
                rule="rate given, or a range",
                values=[rec["rate"]],
            )
        rate = (lower + upper) / 2
        midpoint = True
    try:
        band = str(parse_band(rec["age_band"]))
    except AgeBandError as exc:
        raise RateTableError(
            f"{where}: column age_band: {exc}",
            column="age_band",
            rule="age band format",
            values=[rec["age_band"]],
        ) from None
    sex = str(rec["sex"]).strip().lower()
    if sex not in ("female", "male", "persons"):
        raise RateTableError(
            f"{where}: column sex: value {rec['sex']!r} is not one of female, male, persons",
            column="sex",
            rule="sex in female, male, persons",
            values=[rec["sex"]],
        )
    note = rec.get("note")
    extra = _provenance(rec, where)
    return RateRow(
        condition=str(rec["condition"]).strip(),
        sex=cast(RowSex, sex),
        age_band=band,
        rate=rate / divisor,
        lower=None if lower is None else lower / divisor,
        upper=None if upper is None else upper / divisor,
        source=str(rec["source"]).strip(),
        note="" if note is None or _is_blank(note) else str(note),
        rate_is_midpoint=midpoint,
        **extra,
    )


def _all_problems(meta: TableMeta, problems: Sequence[_Problem]) -> RateTableError:
    """One error for every problem found: the problem's own when there is one, else a list.

    The list reads "rate table ID: N problems: row 2 (condition ..., sex ...,
    age_band ...): column rate: ...; row 5 (...): ...", one problem per row (the
    first rule it breaks), in the order of the rows, then of the published
    checks; the error's ``column`` and ``rule``
    are the first problem's when there is one kind, its ``values`` all the
    offending values and its ``rows`` all the offending rows.
    """
    if len(problems) == 1:
        _, _, exc, rows = problems[0]
        if exc.rows is None:
            exc.rows = rows
        return exc
    problems = sorted(problems, key=lambda p: (p[0] != "row", p[1]))  # rows, then checks
    prefix = f"rate table {meta.id}, "
    texts = [str(exc).removeprefix(prefix) for _, _, exc, _ in problems]
    columns = list(dict.fromkeys(exc.column for _, _, exc, _ in problems))
    rules = list(dict.fromkeys(exc.rule for _, _, exc, _ in problems if exc.rule))
    values = [v for _, _, exc, _ in problems for v in exc.values]
    frames = [rows for _, _, _, rows in problems if rows is not None]
    return RateTableError(
        f"rate table {meta.id}: {len(problems)} problems: " + "; ".join(texts),
        column=columns[0] if len(columns) == 1 else None,
        rule=rules[0] if len(rules) == 1 else "; ".join(rules),
        values=values,
        rows=pd.concat(frames) if frames else None,
    )


def _provenance(rec: Mapping[Any, Any], where: str) -> dict[str, Any]:
    """The optional provenance columns of one row (blank ones left at their defaults)."""
    out: dict[str, Any] = {}
    cell = rec.get("cell")
    if cell is not None and not _is_blank(cell):
        out["cell"] = str(cell).strip()
    base = rec.get("base")
    if base is not None and not _is_blank(base):
        number = _number(base, "base", where, "proportion", top=math.inf)
        if number is not None and number <= 0:
            raise RateTableError(
                f"{where}: column base: value {number:g} is not a positive number of "
                "people; the base is the survey's unweighted sample size for the cell",
                column="base",
                rule="base > 0",
                values=[base],
            )
        out["base"] = number
    method = rec.get("interval_method")
    if method is not None and not _is_blank(method):
        text = str(method).strip()
        allowed = ("published", "design_factor", "none_in_sample")
        if text not in allowed:
            raise RateTableError(
                f"{where}: column interval_method: value {method!r} is not one of "
                f"{', '.join(allowed)}",
                column="interval_method",
                rule="interval_method in published, design_factor, none_in_sample",
                values=[method],
            )
        out["interval_method"] = text
    return out


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _number(
    value: object, column: str, where: str, unit: str, *, top: float | None = None
) -> float | None:
    if _is_blank(value) or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        raise RateTableError(
            f"{where}: column {column}: value {value!r} is true/false, not a number",
            column=column,
            rule="numeric",
            values=[value],
        )
    try:
        if isinstance(value, str) and "_" in value:
            raise ValueError(value)  # Python's float() reads 6_8 as 68
        number = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type,unused-ignore]
    except (TypeError, ValueError):
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+,[0-9]+\s*", value):
            text = value.strip()
            hint = (
                f"; a comma is ambiguous (a decimal comma, {text.replace(',', '.')}, or a "
                f"thousands separator, {text.replace(',', '')}): write the figure with a "
                "decimal point and no thousands separators"
            )
        raise RateTableError(
            f"{where}: column {column}: value {value!r} is not a number{hint}",
            column=column,
            rule="numeric",
            values=[value],
        ) from None
    if not math.isfinite(number):
        raise RateTableError(
            f"{where}: column {column}: value {value!r} is not a finite number",
            column=column,
            rule="finite",
            values=[value],
        )
    if top is None:
        top = UNIT_MAX[unit]
    if number < 0 or number > top:
        raise RateTableError(
            f"{where}: column {column}: value {number:g} is outside 0..{top:g}, "
            f"the range for unit {unit}",
            column=column,
            rule=f"0 <= {column} <= {top:g} ({unit})",
            values=[value],
        )
    return number


def _row_problems(
    meta: TableMeta, rows: Sequence[tuple[int, RateRow]], *, what: str
) -> list[_Problem]:
    """The problem of each parsed row that breaks a rule of the table (numbered rows)."""
    declared = {c.id: c for c in meta.conditions}
    source_ids = {s.id for s in meta.sources}
    out: list[_Problem] = []
    for i, row in rows:
        try:
            _check_row(meta, row, i, what, declared, source_ids)
        except RateTableError as exc:
            out.append((what, i, exc, _rows_to_frame([row])))
    return out


def _check_row(
    meta: TableMeta,
    row: RateRow,
    i: int,
    what: str,
    declared: Mapping[str, Any],
    source_ids: set[str],
) -> None:
    where = (
        f"rate table {meta.id}, {what} {i} (condition {row.condition}, sex {row.sex}, "
        f"age_band {row.age_band})"
    )
    if row.condition not in declared:
        raise RateTableError(
            f"{where}: column condition: {row.condition!r} is not one of the table's "
            f"conditions ({', '.join(declared)})",
            column="condition",
            rule="condition declared in metadata",
            values=[row.condition],
        )
    if (row.lower is None) != (row.upper is None):
        raise RateTableError(
            f"{where}: columns lower and upper: give both limits or neither",
            column="lower" if row.lower is None else "upper",
            rule="both limits or neither",
        )
    if row.lower is not None and row.lower > row.rate:
        raise RateTableError(
            f"{where}: column lower: {row.lower:g} is above the rate {row.rate:g} "
            "(as proportions); the rule is lower <= rate <= upper",
            column="lower",
            rule="lower <= rate",
            values=[row.lower],
        )
    if row.upper is not None and row.rate > row.upper:
        raise RateTableError(
            f"{where}: column upper: {row.upper:g} is below the rate {row.rate:g} "
            "(as proportions); the rule is lower <= rate <= upper",
            column="upper",
            rule="rate <= upper",
            values=[row.upper],
        )
    if row.has_interval and meta.interval == "none":
        raise RateTableError(
            f"{where}: the row has lower and upper limits but the table's interval kind "
            "is none; set interval to confidence_interval or published_range",
            column="interval",
            rule="limits need an interval kind",
        )
    if row.none_in_sample and (row.rate != 0 or row.upper is None or row.upper <= 0):
        raise RateTableError(
            f"{where}: column interval_method: none_in_sample marks a zero estimate "
            "from a sample with no cases, so the rate must be 0 with an upper limit "
            "above 0",
            column="interval_method",
            rule="none_in_sample: rate 0, upper > 0",
            values=[row.rate, row.upper],
        )
    if row.source not in source_ids:
        raise RateTableError(
            f"{where}: column source: {row.source!r} is not in the sources manifest "
            f"({', '.join(sorted(source_ids)) or 'empty'})",
            column="source",
            rule="source in manifest",
            values=[row.source],
        )
    cond = declared[row.condition]
    if row.sex != "persons" and row.sex not in cond.sexes:
        raise RateTableError(
            f"{where}: column sex: {row.sex} is outside condition {cond.id}'s scope "
            f"({', '.join(cond.sexes)} only)",
            column="sex",
            rule="sex within the condition's scope",
            values=[row.sex],
        )


def _check_rows(
    meta: TableMeta, rows: Sequence[RateRow], *, what: str, partition: bool = True
) -> None:
    problems = _row_problems(meta, list(enumerate(rows, start=1)), what=what)
    if problems:
        raise _all_problems(meta, problems)
    if not partition:
        return
    for cond in meta.conditions:
        cond_rows = [r for r in rows if r.condition == cond.id]
        if not cond_rows:
            raise RateTableError(
                f"rate table {meta.id}: condition {cond.id} has no rows",
                column="condition",
                rule="every condition has rows",
                values=[cond.id],
            )
        try:
            scope = cond.scope
        except AgeBandError as exc:
            raise RateTableError(
                f"rate table {meta.id}, condition {cond.id}: ages: {exc}",
                column="ages",
                rule="age band format",
                values=[cond.ages],
            ) from None
        for sex in cond.sexes:
            bands = [r.band for r in cond_rows if r.sex in (sex, "persons")]
            try:
                check_partition(bands, scope, what=f"condition {cond.id}, sex {sex}")
            except AgeBandError as exc:
                raise RateTableError(
                    f"rate table {meta.id}: {exc}",
                    column="age_band",
                    rule="cells partition the condition's scope",
                    values=exc.values,
                    rows=_rows_to_frame([r for r in cond_rows if r.sex in (sex, "persons")]),
                ) from None
