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
built only when asked for, and summaries are taken from the arrays.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._extras import require
from mhneed._labels import OUT_OF_SCOPE, interval_label, narrowed_warning
from mhneed.bands import AgeBand, parse_band
from mhneed.engine.cells import CellBlock, keys_frame, tile_categorical
from mhneed.engine.plan import Plan, make_plan
from mhneed.errors import (
    AgeBandError,
    InputError,
    InternalError,
    RateTableError,
    UnknownConditionError,
)
from mhneed.population import validate_population
from mhneed.rates import RateTable
from mhneed.results import Estimate
from mhneed.tables import load_table

__all__ = [
    "estimate",
    "estimate_chunks",
    "keys_frame",
    "resolve_table",
    "tile_categorical",
]

FloatArray = npt.NDArray[np.float64]

#: Age-scope narrowing accepted by :func:`estimate`.
AgesArg = tuple[int, int] | tuple[int, None] | str | AgeBand | None


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
        return _estimate_dask(population, tbl, conditions, ages, top_age)
    if tbl.meta.denominator != "persons":
        raise RateTableError(
            f"rate table {tbl.id} has denominator {tbl.meta.denominator.replace('_', ' ')}, "
            "not persons; estimate from births with mhneed.estimate_perinatal",
            column="denominator",
            rule="estimate() needs a persons denominator",
            values=[tbl.meta.denominator],
        )
    chosen = resolve_conditions(tbl, conditions)
    narrow = _parse_ages(ages)
    if top_age is None and isinstance(population, pd.DataFrame):
        top_age = population.attrs.get("top_age")  # checked with the population
    pop = validate_population(population, top_age=top_age)
    plan = make_plan(tbl, chosen, narrow, pop.units, pop.banded)
    params: dict[str, object] = {"conditions": chosen, "ages": narrow, "top_age": top_age}
    if plan.narrowed:
        warnings.warn(narrowed_warning(narrow, plan.narrowed), UserWarning, stacklevel=2)
    dense = pop.dense()
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


def estimate_chunks(
    chunks: Iterable[pd.DataFrame],
    table: RateTable | str,
    conditions: Sequence[str] | None = None,
    ages: AgesArg = None,
    *,
    top_age: int | None = None,
    by: Sequence[str] | None = None,
) -> Estimate:
    """Estimate a population that comes in parts, such as one year of a projection at a time.

    Each part is validated and estimated on its own, so only one part's
    population is in memory at once; the parts' results are then put together.
    The result equals :func:`estimate` on all the parts concatenated.

    Parameters
    ----------
    chunks : iterable of pandas.DataFrame
        Population frames with the same key columns (for example one per year,
        read or generated one at a time). A key group (such as one area in one
        year) must lie wholly in one part.
    table, conditions, ages, top_age
        As for :func:`estimate`.
    by : sequence of str, optional
        Summarise each part as soon as it is estimated and keep only the
        summaries (as :meth:`Estimate.summarise` with this ``by``), so memory
        holds one part's cells at a time: the way to run a 25-year small-area
        projection. ``by`` must include what the parts are split by (such as
        ``year``), so that no summary group spans two parts. The coverage report
        is summed the same way. The result cannot be summarised again.

    Returns
    -------
    Estimate

    Raises
    ------
    InputError
        When there are no parts, the parts have different key columns, or a key
        group appears in more than one part.

    Examples
    --------
    >>> import mhneed
    >>> people = mhneed.rutland_population().drop(columns=["year"])
    >>> years = (people.assign(year=y) for y in (2024, 2025))  # illustrative: same people
    >>> est = mhneed.estimate_chunks(years, "apms_2014", conditions=["gad"], top_age=90)
    >>> est.summarise(by=["year", "condition"]).to_frame()["cases"].round(3).tolist()
    [1837.322, 1837.322]
    """
    tbl = resolve_table(table)
    if by is None:
        parts = [estimate(chunk, tbl, conditions, ages, top_age=top_age) for chunk in chunks]
    else:
        parts = [
            _summary_part(estimate(chunk, tbl, conditions, ages, top_age=top_age), by)
            for chunk in chunks
        ]
    if not parts:
        raise InputError(
            "estimate_chunks: no population parts were given",
            column="population",
            rule="at least one part",
        )
    return _concat(parts)


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


def _parse_ages(ages: AgesArg) -> AgeBand | None:
    if ages is None:
        return None
    try:
        if isinstance(ages, AgeBand):
            return ages
        if isinstance(ages, str):
            return parse_band(ages)
        lower, upper = ages
        if upper is not None and _is_inf(upper):
            upper = None  # (18, inf) means 18 and over
        for bound in (lower, upper):
            _check_whole_age(ages, bound)
        return AgeBand(int(lower), None if upper is None else int(upper))
    except (AgeBandError, TypeError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(
            f"ages {ages!r} is not an age range: give (lower, upper) such as (18, 64), "
            f"or a band such as '18-64' or '65+' ({exc})",
            column="ages",
            rule="an age range",
            values=[ages],
        ) from None


def _is_inf(value: object) -> bool:
    return isinstance(value, (float, np.floating)) and bool(np.isposinf(value))


def _check_whole_age(ages: object, bound: object) -> None:
    """A bound of ``ages=`` must be a whole number of years (16.5 was cut to 16)."""
    if bound is None:
        return
    if isinstance(bound, (bool, np.bool_)) or not isinstance(bound, numbers.Real):
        raise InputError(
            f"ages {ages!r}: {bound!r} is not a number of years; give (lower, upper) such as "
            "(18, 64), or (18, None) for 18 and over",
            column="ages",
            rule="ages are whole years",
            values=[bound],
        )
    if isinstance(bound, numbers.Integral):
        return
    if not math.isfinite(float(bound)) or not float(bound).is_integer():
        raise InputError(
            f"ages {ages!r}: {bound!r} is not a whole number of years; rates and populations "
            "are by whole years of age, so give whole years such as (16, 64)",
            column="ages",
            rule="ages are whole years",
            values=[bound],
        )


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
        coverage=_coverage(block, plan, totals),
        keys=keys,
        params=params,
    )


def _coverage(block: CellBlock, plan: Plan, totals: FloatArray) -> pd.DataFrame:
    """Per key group and condition: everyone, in scope, and out of scope by reason."""
    n_groups, n_cond = block.n_groups, len(plan.conditions)
    counts = np.zeros((n_groups, n_cond, 4))  # in scope, too young, too old, wrong sex
    cond_index = {c: i for i, c in enumerate(plan.conditions)}
    for i, cell in enumerate(plan.cells):
        counts[:, cond_index[cell.condition], 0] += block.population(i)
    for j in range(n_cond):
        for k in range(3):
            counts[:, j, k + 1] = block.populations[plan.reason_column[j, k]]
    group_idx = np.repeat(np.arange(n_groups), n_cond)
    frame = keys_frame(block.groups, block.keys, group_idx)
    frame["condition"] = tile_categorical(plan.conditions, n_groups)
    frame["population"] = np.repeat(totals, n_cond)
    frame["in_scope"] = counts[:, :, 0].reshape(-1)
    for k, reason in enumerate(OUT_OF_SCOPE):
        frame[reason] = counts[:, :, k + 1].reshape(-1)
    accounted = counts.reshape(-1, 4).sum(axis=1)
    lost = ~np.isclose(accounted, frame["population"].to_numpy(), rtol=1e-12, atol=1e-9)
    if lost.any():  # an engine fault, never the user's
        raise InternalError(
            "mhneed engine: coverage does not account for every person (in scope + out of "
            f"scope != population in {int(lost.sum())} rows of the coverage report); this is "
            "a bug in mhneed, please report it",
            rule="in scope + out of scope = population",
            values=list(accounted[lost][:10]),
            rows=frame[lost].head(10),
        )
    return frame


def _summary_part(est: Estimate, by: Sequence[str]) -> Estimate:
    """One part summarised, its coverage summed to the summary's keys; cells dropped."""
    summary = est.summarise(by)
    by_list = summary.by or []
    keys = [k for k in by_list if k in est.keys]
    counts = ["population", "in_scope", *OUT_OF_SCOPE]
    coverage = est.coverage.groupby([*keys, "condition"], observed=True, sort=True)[counts]
    return Estimate._from_engine(
        frame=summary._frame,
        table=est.table,
        coverage=coverage.sum().reset_index(),
        keys=keys,
        params={**est.params, "summary_only": True},
        cells=summary._frame,
        by=by_list,
    )


def _concat(parts: list[Estimate]) -> Estimate:
    """One estimate from estimates of disjoint parts of a population."""
    keys = parts[0].keys
    for i, part in enumerate(parts[1:], start=2):
        if part.keys != keys:
            raise InputError(
                f"estimate_chunks: part {i} has key columns {part.keys}, part 1 has {keys}; "
                "every part needs the same key columns",
                column=", ".join(part.keys),
                rule="same key columns in every part",
                values=part.keys,
            )
    frame = _concat_frames([p._frame for p in parts])
    coverage = _concat_frames([p.coverage for p in parts])
    by = parts[0].by
    if parts[0].params.get("summary_only") and by:
        shown = _repeated(frame[by], limit=3)
        if shown:
            raise InputError(
                f"estimate_chunks(by={by}): summary groups appear in more than one part "
                f"({'; '.join(shown)}); add the column the parts are split by (such as year) "
                "to by",
                column=", ".join(by),
                rule="parts hold disjoint summary groups",
                values=shown,
            )
    if keys:
        first_condition = coverage["condition"] == coverage["condition"].iloc[0]
        shown = _repeated(coverage.loc[first_condition, keys], limit=5)
        if shown:
            raise InputError(
                f"estimate_chunks: key groups appear in more than one part ({'; '.join(shown)}); "
                "split the population so that each key group lies wholly in one part",
                column=", ".join(keys),
                rule="parts hold disjoint key groups",
                values=shown,
            )
    params = dict(parts[0].params)
    params["split_bands"] = any(p.params.get("split_bands") for p in parts)
    labels = [lab for p in parts for lab in p.params.get("split_band_labels") or []]
    if labels:
        params["split_band_labels"] = list(dict.fromkeys(labels))
    return Estimate._from_engine(
        frame=frame,
        table=parts[0].table,
        coverage=coverage,
        keys=keys,
        params=params,
        by=parts[0].by,
    )


def _repeated(groups: pd.DataFrame, limit: int) -> list[str]:
    """Up to ``limit`` groups (rows of ``groups``) that occur more than once, as text."""
    repeated = groups[groups.duplicated(keep=False).to_numpy()].drop_duplicates().head(limit)
    if repeated.empty:
        return []
    return [", ".join(row) for row in repeated.astype(str).itertuples(index=False)]


def _concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames, uniting the categories of categorical columns."""
    out = pd.concat(frames, ignore_index=True)
    for col in frames[0].columns:
        if all(isinstance(f[col].dtype, pd.CategoricalDtype) for f in frames):
            out[col] = pd.api.types.union_categoricals([f[col] for f in frames], ignore_order=True)
    return out


def _is_dask(obj: object) -> bool:
    """True for a Dask DataFrame, without importing dask."""
    return type(obj).__module__.split(".")[0] == "dask" and hasattr(obj, "to_delayed")


def _estimate_dask(
    population: object,
    table: RateTable,
    conditions: Sequence[str] | None,
    ages: AgesArg,
    top_age: int | None,
) -> Estimate:
    """Estimate each partition of a Dask DataFrame on its scheduler, then put them together.

    The rate table is small and goes to every partition; each partition is
    validated and estimated by the ordinary pandas path. Key groups must not
    span partitions (the same check as :func:`estimate_chunks`).
    """
    dask = require("dask", "estimating a Dask DataFrame")
    require("dask.dataframe", "estimating a Dask DataFrame")
    chosen = resolve_conditions(table, conditions)
    parts = population.to_delayed()  # type: ignore[attr-defined]
    run = dask.delayed(_estimate_part)
    results = dask.compute(*[run(part, table, chosen, ages, top_age) for part in parts])
    estimates = [est for est in results if est is not None]
    if not estimates:
        raise InputError(
            "population is empty: every partition of the Dask DataFrame has no rows",
            column="population",
            rule="non-empty",
        )
    return _concat(estimates)


def _estimate_part(
    part: pd.DataFrame,
    table: RateTable,
    conditions: list[str],
    ages: AgesArg,
    top_age: int | None,
) -> Estimate | None:
    """One partition's estimate (None for an empty partition)."""
    if len(part) == 0:
        return None
    return estimate(part, table, conditions, ages, top_age=top_age)
