"""The rules a rate table's rows keep, checked all at once.

Each row names a declared condition and a source in the table's manifest, keeps
``lower <= rate <= upper`` with both limits or neither (and limits only when the
table has an interval kind), is a zero with an upper limit when marked
``none_in_sample``, and stays within its condition's sexes. Then, for each condition and each sex
it covers, the age bands of that sex's rows (and of any ``persons`` rows) must
partition the condition's ages exactly once
(:func:`mhneed.published.bands.check_partition`).

Every row that breaks a rule is reported in one error (:func:`all_problems`),
the rows first, then the published checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from mhneed.errors import AgeBandError, RateTableError
from mhneed.published.bands import check_partition
from mhneed.published.rate_models import ConditionMeta, RateRow, TableMeta, rows_frame

__all__ = ["Problem", "all_problems", "check_rows", "row_problems"]

#: One problem with one row: (what, the row's number, the error, the row as a frame).
Problem = tuple[str, int, RateTableError, pd.DataFrame]


def check_rows(
    meta: TableMeta, rows: Sequence[RateRow], *, what: str, partition: bool = True
) -> None:
    """Check every row against the table's rules, then (with ``partition``) the scopes.

    Parameters
    ----------
    meta : TableMeta
        The table's metadata.
    rows : sequence of RateRow
        The rows, numbered from 1 in messages.
    what : str
        What the rows are, for messages: ``"row"`` or ``"published check"``.
    partition : bool, default True
        Also check that each condition's rows partition its scope (published
        checks need not).

    Raises
    ------
    RateTableError
        Naming every row that breaks a rule, or else the first condition with
        no rows or whose rows do not partition its scope.
    """
    problems = row_problems(meta, list(enumerate(rows, start=1)), what=what)
    if problems:
        raise all_problems(meta, problems)
    if not partition:
        return
    for cond in meta.conditions:
        _check_condition_partition(meta, cond, [r for r in rows if r.condition == cond.id])


def all_problems(meta: TableMeta, problems: Sequence[Problem]) -> RateTableError:
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


def row_problems(
    meta: TableMeta, rows: Sequence[tuple[int, RateRow]], *, what: str
) -> list[Problem]:
    """The problem of each parsed row that breaks a rule of the table (numbered rows)."""
    declared = {c.id: c for c in meta.conditions}
    source_ids = {s.id for s in meta.sources}
    out: list[Problem] = []
    for i, row in rows:
        try:
            _check_row(meta, row, i, what, declared, source_ids)
        except RateTableError as exc:
            out.append((what, i, exc, rows_frame([row])))
    return out


# -- private helpers ---------------------------------------------------------------


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
    _check_condition(row, where, declared)
    _check_limits(row, where, meta)
    _check_source(row, where, source_ids)
    _check_sex(row, where, declared[row.condition])


def _check_condition(row: RateRow, where: str, declared: Mapping[str, Any]) -> None:
    if row.condition not in declared:
        raise RateTableError(
            f"{where}: column condition: {row.condition!r} is not one of the table's "
            f"conditions ({', '.join(declared)})",
            column="condition",
            rule="condition declared in metadata",
            values=[row.condition],
        )


def _check_limits(row: RateRow, where: str, meta: TableMeta) -> None:
    """Both limits or neither, around the rate; limits need an interval kind; none in sample."""
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


def _check_source(row: RateRow, where: str, source_ids: set[str]) -> None:
    if row.source not in source_ids:
        raise RateTableError(
            f"{where}: column source: {row.source!r} is not in the sources manifest "
            f"({', '.join(sorted(source_ids)) or 'empty'})",
            column="source",
            rule="source in manifest",
            values=[row.source],
        )


def _check_sex(row: RateRow, where: str, cond: ConditionMeta) -> None:
    if row.sex != "persons" and row.sex not in cond.sexes:
        raise RateTableError(
            f"{where}: column sex: {row.sex} is outside condition {cond.id}'s scope "
            f"({', '.join(cond.sexes)} only)",
            column="sex",
            rule="sex within the condition's scope",
            values=[row.sex],
        )


def _check_condition_partition(
    meta: TableMeta, cond: ConditionMeta, cond_rows: Sequence[RateRow]
) -> None:
    """The condition has rows, and for each of its sexes they partition its scope."""
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
                rows=rows_frame([r for r in cond_rows if r.sex in (sex, "persons")]),
            ) from None
