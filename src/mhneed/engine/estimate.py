"""The estimate: population × published rate table → estimated caseload, with a range.

:func:`estimate` aggregates the population to each condition's cells (the
table's sex-by-age-band rows) and multiplies by the cell's rate, lower and
upper limits. Everyone in the input is either in a cell or counted in the
coverage report as out of scope (too young, too old, or of a sex the condition
does not cover).

How it works, for readers following a number: the population is summed into a
dense array ``P`` of key groups × (sex, age unit); the plan
(:mod:`mhneed.engine.plan`) says what share of each (sex, age unit) falls in each
cell or out-of-scope reason (1 or 0 for single years of age; the share of the
band's years when a banded population is split uniformly), keeping each
distinct column of shares once; one matrix product gives every cell's
population in every key group, with no loop over areas. The cells stay arrays
(:class:`mhneed.engine.cells.CellBlock`): the frame of key groups × cells is
built only when asked for, and summaries are taken from the arrays. The coverage
report is made from the same columns (:mod:`mhneed.engine.coverage`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.engine.age_scope import AgesArg, parse_ages
from mhneed.engine.cells import CellBlock
from mhneed.engine.coverage import coverage
from mhneed.engine.labels import interval_label, narrowed_warning
from mhneed.engine.plan import Plan, make_plan
from mhneed.engine.results import Estimate
from mhneed.errors import RateTableError, UnknownConditionError
from mhneed.inputs.population import validate_population
from mhneed.published.rates import RateTable
from mhneed.published.tables import load_table

__all__ = ["estimate", "resolve_conditions", "resolve_table"]

FloatArray = npt.NDArray[np.float64]


def estimate(
    population: pd.DataFrame,
    table: RateTable | str,
    conditions: Sequence[str] | None = None,
    ages: AgesArg = None,
    *,
    top_age: int | None = None,
) -> Estimate:
    """Estimate how many people in a population have each condition.

    Parameters
    ----------
    population : pandas.DataFrame or dask.dataframe.DataFrame
        Long frame: any key columns (such as ``area_code``, ``year``), ``sex``
        (female/male, F/M, or 2/1), ``age`` [years] or ``age_band``, and
        ``population`` [persons]. Validated before any work is done. A Dask
        DataFrame (optional extra ``dask``) is estimated partition by partition
        on its scheduler, each key group wholly in one partition (see
        ``docs/scale.md``); the result comes back as an in-memory estimate.
    table : RateTable or str
        A rate table, or the id of a shipped one (see :func:`available_tables`).
        Its denominator must be persons; for births use
        :func:`estimate_perinatal`.
    conditions : sequence of str, optional
        Condition ids to estimate; all of the table's by default.
    ages : tuple or str, optional
        Narrow every condition's age scope, such as ``(18, 64)`` or ``"18-64"``
        or ``"65+"`` (``(65, None)`` or ``(65, math.inf)``); bounds are whole
        years (``16.5`` is refused, never cut to 16). People outside it are
        reported as out of scope. Exact
        with single years of age; a population age band that straddles the
        scope's ends (or a rate band) is split uniformly across its years,
        and :attr:`Estimate.warnings` (and the provenance) name the bands split.
    top_age : int, optional
        Top-coded age in ``population["age"]``: rows of this age mean "this age
        and over" (ONS single-year files use 90). Defaults to the
        ``"top_age"`` entry of ``population.attrs`` when the readers set it.

    Returns
    -------
    Estimate
        One row per key group × condition × cell with the key columns and
        ``condition, sex, age_band, population, rate, lower, upper, cases,
        cases_lower, cases_upper, interval`` (see :meth:`Estimate.to_frame`),
        plus :attr:`Estimate.coverage`, the population in scope and out of scope
        by reason, per key group and condition.

    Raises
    ------
    InputError
        When the population breaks a rule (the message names the column, the
        rule and the offending values and rows).
    UnknownConditionError
        When a requested condition is not in the table.

    Notes
    -----
    For each cell: ``cases = population × rate``, ``cases_lower = population ×
    lower`` and ``cases_upper = population × upper`` [persons], with rates as
    proportions. Cells with no published interval have NaN limits and
    ``interval`` "no interval published".

    References
    ----------
    McManus S, Bebbington P, Jenkins R, Brugha T (eds.) (2016) *Mental health
    and wellbeing in England: Adult Psychiatric Morbidity Survey 2014*. NHS
    Digital.

    Examples
    --------
    >>> import pandas as pd
    >>> import mhneed
    >>> people = pd.DataFrame({
    ...     "area_code": ["E06000017"] * 4,
    ...     "sex": ["female", "female", "male", "male"],
    ...     "age": [15, 30, 15, 30],
    ...     "population": [100, 1000, 100, 1000],
    ... })
    >>> est = mhneed.estimate(people, "apms_2014", conditions=["gad"])
    >>> est.to_frame()[["sex", "population", "cases"]].round(1).to_string(index=False)
    '   sex  population  cases\\nfemale      1000.0   68.0\\n  male      1000.0   49.0'
    >>> est.coverage[["population", "in_scope", "too_young"]].to_string(index=False)
    ' population  in_scope  too_young\\n     2200.0    2000.0      200.0'
    """
    tbl = resolve_table(table)
    if _is_dask(population):
        from mhneed.engine.dask_partitions import estimate_dask  # it imports this module

        return estimate_dask(population, tbl, conditions, ages, top_age)
    if tbl.meta.denominator != "persons":
        raise RateTableError(
            f"rate table {tbl.id} has denominator {tbl.meta.denominator.replace('_', ' ')}, "
            "not persons; estimate from births with mhneed.estimate_perinatal",
            column="denominator",
            rule="estimate() needs a persons denominator",
            values=[tbl.meta.denominator],
        )
    chosen = resolve_conditions(tbl, conditions)
    narrow = parse_ages(ages)
    if top_age is None and isinstance(population, pd.DataFrame):
        top_age = population.attrs.get("top_age")  # checked with the population
    pop = validate_population(population, top_age=top_age)
    plan = make_plan(tbl, chosen, narrow, pop.units, pop.banded)
    params: dict[str, object] = {"conditions": chosen, "ages": narrow, "top_age": top_age}
    if plan.narrowed:
        warnings.warn(narrowed_warning(narrow, plan.narrowed), UserWarning, stacklevel=2)
    dense = pop.dense()
    split: list[str] = []
    if plan.partial.any():  # only then does it matter which age units hold anyone
        split = plan.split_units(pop.units, dense.sum(axis=0).reshape(2, -1) > 0)
    groups, keys, totals, banded = pop.groups, pop.keys, pop.totals, pop.banded
    del pop  # its per-row codes are done with: free them before the cells are made
    params = {
        **params,
        "split_bands": bool(split),
        "split_band_labels": split,
        "narrowed_rates": plan.narrowed,
        "banded": banded,
    }
    # every distinct column of the plan, for every key group: (columns, groups)
    populations = np.ascontiguousarray(plan.columns.T @ dense.T)
    del dense
    return _apply(populations, groups, keys, totals, tbl, plan, params=params)


def resolve_table(table: RateTable | str) -> RateTable:
    """A :class:`RateTable` from a table or a shipped table's id."""
    if isinstance(table, RateTable):
        return table
    if isinstance(table, str):
        return load_table(table)
    raise RateTableError(
        f"table must be a RateTable or a shipped table id, not {type(table).__name__}",
        column="table",
        rule="a RateTable or an id",
        values=[type(table).__name__],
    )


def resolve_conditions(table: RateTable, conditions: Sequence[str] | None) -> list[str]:
    """The condition ids to estimate, checked against the table."""
    if conditions is None:
        return table.conditions
    if isinstance(conditions, str):
        conditions = [conditions]
    chosen = list(dict.fromkeys(conditions))
    unknown = [c for c in chosen if c not in table.conditions]
    if unknown:
        raise UnknownConditionError(
            f"condition{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} not in "
            f"rate table {table.id}; its conditions are: {', '.join(table.conditions)}",
            column="condition",
            rule="condition in table",
            values=unknown,
        )
    if not chosen:
        raise UnknownConditionError(
            f"no conditions requested; rate table {table.id} has: {', '.join(table.conditions)}",
            column="condition",
            rule="at least one condition",
        )
    return chosen


# -- private helpers ---------------------------------------------------------------


def _apply(
    populations: FloatArray,
    groups: pd.DataFrame,
    keys: list[str],
    totals: FloatArray,
    table: RateTable,
    plan: Plan,
    params: dict[str, object],
) -> Estimate:
    """The estimate from the population of each plan column and key group: cells, coverage."""
    cells = plan.cells
    block = CellBlock(
        groups=groups,
        keys=keys,
        populations=populations,
        cell_column=plan.cell_column,
        condition=[c.condition for c in cells],
        sex=[c.sex for c in cells],
        age_band=[str(c.band) for c in cells],
        interval=[
            interval_label(
                table.meta.interval, table.meta.level, c.row.has_interval, c.row.interval_method
            )
            for c in cells
        ],
        rate=np.array([c.row.rate for c in cells], dtype=np.float64),
        lower=np.array([np.nan if c.row.lower is None else c.row.lower for c in cells]),
        upper=np.array([np.nan if c.row.upper is None else c.row.upper for c in cells]),
    )
    return Estimate._from_engine(
        frame=None,
        block=block,
        table=table,
        coverage=coverage(block, plan, totals),
        keys=keys,
        params=params,
    )


def _is_dask(obj: object) -> bool:
    """True for a Dask DataFrame, without importing dask."""
    return type(obj).__module__.split(".")[0] == "dask" and hasattr(obj, "to_delayed")
