"""The parts of a rate table: its metadata, its rows, and the words they use.

:class:`TableMeta` says what a table is (the survey, edition, geography,
population covered, denominator, interval kind, the unit the figures were
published in, the conditions with their reference periods, caveats and sources:
:class:`ConditionMeta`, :class:`Source`); :class:`RateRow` is one published rate,
``condition, sex, age_band, rate, lower, upper, source``, as a proportion in
[0, 1]. All are immutable pydantic models. The table that holds them, and checks
that each condition's rows partition its scope, is
:class:`mhneed.published.rates.RateTable`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mhneed.errors import AgeBandError, MhneedError, RateTableError, UnknownConditionError
from mhneed.published.bands import AgeBand, parse_band

__all__ = [
    "INTERVAL_METHOD_WORDS",
    "PROVENANCE_COLUMNS",
    "ROW_COLUMNS",
    "UNIT_MAX",
    "ConditionMeta",
    "RateRow",
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
            error = unwrap_error(exc, f"rate table {data.get('id', '?')} metadata")
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
        raise UnknownConditionError(
            f"condition {condition_id!r} is not in rate table {self.id}; "
            f"its conditions are: {', '.join(c.id for c in self.conditions)}",
            column="condition",
            rule="condition in table",
            values=[condition_id],
        )


# -- shared by the modules that build and check a table ------------------------------


def unwrap_error(exc: ValidationError, what: str) -> Exception:
    """Our own error if a validator raised one, else a RateTableError naming the field."""
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


def rows_frame(rows: Sequence[RateRow]) -> pd.DataFrame:
    """Rows as a DataFrame: the row columns, note, rate_is_midpoint and provenance."""
    cols = [*ROW_COLUMNS, "note", "rate_is_midpoint", *PROVENANCE_COLUMNS]
    data = {c: [getattr(r, c) for r in rows] for c in cols}
    frame = pd.DataFrame(data, columns=cols)
    for c in ("rate", "lower", "upper", "base"):
        frame[c] = pd.to_numeric(frame[c]).astype("float64")
    return frame
