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

The class is thin: the models it is made of are in
:mod:`mhneed.published.rate_models`, reading rows in a file's unit in
:mod:`~mhneed.published.rate_rows`, the rules rows keep in
:mod:`~mhneed.published.rate_checks`, and the table's description in
:mod:`~mhneed.published.rate_description`. This module re-exports the models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError, model_validator

from mhneed.errors import RateTableError
from mhneed.published.rate_checks import check_rows
from mhneed.published.rate_description import conditions_frame, describe_table
from mhneed.published.rate_models import (
    _FROZEN,
    INTERVAL_METHOD_WORDS,
    PROVENANCE_COLUMNS,
    ROW_COLUMNS,
    UNIT_MAX,
    ConditionMeta,
    RateRow,
    Source,
    TableMeta,
    rows_frame,
    unwrap_error,
)
from mhneed.published.rate_rows import read_rows

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
            error = unwrap_error(exc, f"rate table {getattr(meta, 'id', '?')}")
        # raised outside the except, so its context is not the ValidationError that holds it:
        # a cycle that tblib's pickling (installed by dask.distributed) recurses on forever
        raise error

    @model_validator(mode="after")
    def _check(self) -> RateTable:
        check_rows(self.meta, self.rows, what="row")
        check_rows(self.meta, self.checks, what="published check", partition=False)
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
        rows_read, checks_read = read_rows(rows, meta_model, checks)
        return cls(meta=meta_model, rows=rows_read, checks=checks_read)

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
        return rows_frame(self.rows)

    def checks_frame(self) -> pd.DataFrame:
        """The published check figures (not used in estimates) as a DataFrame."""
        return rows_frame(self.checks)

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
        return conditions_frame(self)

    def describe(self) -> str:
        """A plain-text account of the table's provenance, conditions and caveats.

        The account names the table and its id, the publisher, edition and
        geography, the population covered and ages in scope, the denominator
        and unit, the interval kind, each condition (label, reference period,
        ages, cells and any note), how many published check figures the table
        keeps, its caveats, and every source with its kind (primary or
        secondary).
        """
        return describe_table(self)

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return (
            f"<RateTable {self.id}: {len(self.rows)} rows, {len(self.meta.conditions)} "
            f"conditions, {self.meta.unit}, {self.meta.interval}>"
        )
