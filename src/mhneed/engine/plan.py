"""The plan of an estimate: which cells each condition has, and who falls in each.

A rate table's rows, for the conditions asked for and within the (narrowed) age
scope, become the estimate's *cells* (condition × sex × age band). The plan
says, for every (sex, age unit) of the population, what share of it falls in
each cell and in each condition's out-of-scope reasons (too young, too old,
wrong sex): 1 or 0 for single years of age, the share of the band's years when a
banded population is split uniformly. Many cells share one column of shares
(every condition published by the same age bands and sex does), so the plan
keeps each distinct column once; the engine multiplies the population by those
columns only.

A plan depends only on the table, the conditions, the narrowed ages and the
population's age units, so it is made once and reused (:func:`make_plan` keeps
the last few): estimating many areas or years against one table plans once.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mhneed.errors import InputError
from mhneed.published.bands import AgeBand
from mhneed.published.rates import RateRow, RateTable

__all__ = ["Cell", "Plan", "make_plan"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: The sexes of a population, in the engine's order (sex code 0, 1).
SEXES = ("female", "male")

#: Plans kept for reuse (a table, conditions, ages and age units each).
_KEEP = 16
_PLANS: OrderedDict[tuple[object, ...], tuple[RateTable, Plan]] = OrderedDict()


@dataclass(frozen=True)
class Cell:
    """One cell of an estimate: a rate row applied to its band within the scope."""

    condition: str
    sex: str  # female, male or persons
    band: AgeBand  # effective band: the row's band within the (narrowed) scope
    row: RateRow


@dataclass(frozen=True, eq=False)
class Plan:
    """Cells, and the shares of each (sex, age unit) in them and out of scope.

    ``columns`` is (2 × units, distinct columns), sex-major like
    :meth:`mhneed.inputs.population.Population.dense`; ``cell_column[i]`` is cell
    ``i``'s column, and ``reason_column[j, k]`` condition ``j``'s column for
    out-of-scope reason ``k`` (too young, too old, wrong sex).
    """

    cells: list[Cell]
    conditions: list[str]
    columns: FloatArray
    cell_column: IntArray
    reason_column: IntArray  # (conditions, 3)
    #: per (sex, unit): True where some cell or reason takes part of the unit only
    partial: BoolArray
    #: rates applied to a band narrower than the one published ("gad female 16+ as 18-64")
    narrowed: list[str]

    def split_units(self, units: tuple[AgeBand, ...], used: BoolArray) -> list[str]:
        """The population's age units (in age order) split across cells, of those used."""
        hit = np.asarray((self.partial & used).any(axis=0), dtype=bool)
        return [str(units[i]) for i in np.flatnonzero(hit)]


def make_plan(
    table: RateTable,
    conditions: list[str],
    narrow: AgeBand | None,
    units: tuple[AgeBand, ...],
    banded: bool,
) -> Plan:
    """The plan for ``conditions`` of ``table`` on a population with these age units.

    Raises
    ------
    InputError
        When the narrowed ages miss a condition's scope, or an open-ended unit
        (a top-coded age, or a band such as ``90+``) would have to be split.
    """
    key = (id(table), tuple(conditions), narrow, units, banded)
    kept = _PLANS.get(key)
    if kept is not None and kept[0] is table:
        _PLANS.move_to_end(key)
        return kept[1]
    plan = _build(table, conditions, narrow, units, banded)
    _PLANS[key] = (table, plan)
    while len(_PLANS) > _KEEP:
        _PLANS.popitem(last=False)
    return plan


def _build(
    table: RateTable,
    conditions: list[str],
    narrow: AgeBand | None,
    units: tuple[AgeBand, ...],
    banded: bool,
) -> Plan:
    cells: list[Cell] = []
    blocks: list[FloatArray] = []
    reasons: list[FloatArray] = []
    narrowed: dict[str, None] = {}
    for cond_id in conditions:
        cond = table.meta.condition(cond_id)
        scope = cond.scope if narrow is None else cond.scope.intersect(narrow)
        if scope is None:
            raise InputError(
                f"ages {narrow} do not overlap condition {cond_id}'s scope (ages {cond.ages}) "
                f"in rate table {table.id}",
                column="ages",
                rule="ages overlap the condition's scope",
                values=[str(narrow)],
            )
        cond_cells: list[Cell] = []
        for row in table.cells(cond_id):
            band = row.band.intersect(scope)
            if band is not None:
                cond_cells.append(Cell(cond_id, row.sex, band, row))
                if band != row.band:
                    narrowed[f"{cond_id} {row.sex} {row.band} applied to {band}"] = None
        where = f"condition {cond_id} (ages {scope}) of rate table {table.id}"
        weights = _condition_weights(units, scope, cond_cells, cond.sexes, where, banded)
        cells.extend(cond_cells)
        blocks.append(weights[:, : len(cond_cells)])
        reasons.append(weights[:, len(cond_cells) :])
    matrix = np.concatenate([*blocks, *reasons], axis=1)
    partial = ((matrix > 0) & (matrix < 1)).any(axis=1).reshape(2, len(units))
    columns, inverse = np.unique(matrix, axis=1, return_inverse=True)
    inverse = np.asarray(inverse, dtype=np.int64).reshape(-1)
    n_cells = len(cells)
    return Plan(
        cells=cells,
        conditions=list(conditions),
        columns=np.ascontiguousarray(columns, dtype=np.float64),
        cell_column=inverse[:n_cells],
        reason_column=inverse[n_cells:].reshape(len(conditions), 3),
        partial=partial,
        narrowed=list(narrowed),
    )


def _condition_weights(
    units: tuple[AgeBand, ...],
    scope: AgeBand,
    cells: list[Cell],
    sexes: tuple[str, ...],
    where: str,
    banded: bool,
) -> FloatArray:
    """(2 × units, cells + 3): each (sex, unit)'s share in each cell, then its reasons.

    Closed units are placed all at once; an open-ended unit (a top-coded age
    such as 90+, or a band such as 75+) one by one, since it must lie wholly
    in one open-ended cell or wholly above the scope.
    """
    n_units, n_cells = len(units), len(cells)
    weights = np.zeros((2 * n_units, n_cells + 3))
    lower = np.array([u.lower for u in units], dtype=np.int64)
    closed = np.array([u.upper is not None for u in units], dtype=bool)
    upper = np.array([u.upper if u.upper is not None else u.lower for u in units], dtype=np.int64)
    width = upper - lower + 1
    young = np.maximum(0, np.minimum(upper, scope.lower - 1) - lower + 1)
    old = np.zeros(n_units, dtype=np.int64)
    if scope.upper is not None:
        old = np.maximum(0, upper - np.maximum(lower, scope.upper + 1) + 1)
    for sex_code, sex in enumerate(SEXES):
        rows = slice(sex_code * n_units, (sex_code + 1) * n_units)
        block = weights[rows]
        if sex not in sexes:
            block[:, -1] = 1.0
            continue
        for i, cell in enumerate(cells):
            if cell.sex not in (sex, "persons"):
                continue
            top = upper if cell.band.upper is None else np.minimum(upper, cell.band.upper)
            overlap = np.maximum(0, top - np.maximum(lower, cell.band.lower) + 1)
            block[:, i] = np.where(closed, overlap / width, 0.0)
        block[:, -3] = np.where(closed, young / width, 0.0)
        block[:, -2] = np.where(closed, old / width, 0.0)
        for u in np.flatnonzero(~closed):
            block[u] = _open_unit_shares(units[u], scope, cells, sex, where, banded)
    return weights


def _open_unit_shares(
    unit: AgeBand, scope: AgeBand, cells: list[Cell], sex: str, where: str, banded: bool
) -> FloatArray:
    """Share of one open-ended unit (such as 90+) in each cell of one sex, then its reasons."""
    shares = np.zeros(len(cells) + 3)
    if scope.upper is not None and unit.lower > scope.upper:
        shares[-2] = 1.0
        return shares
    for i, c in enumerate(cells):
        if c.sex in (sex, "persons") and c.band.upper is None and c.band.lower <= unit.lower:
            shares[i] = 1.0
            return shares
    if banded:
        raise InputError(
            f"column age_band: band {unit} is open-ended, but {where} divides the ages "
            f"{unit} between bands, and an open-ended band cannot be split; give narrower "
            "bands, or narrow ages to end below it",
            column="age_band",
            rule="an open-ended band lies in one open-ended rate band",
            values=[str(unit)],
        )
    raise InputError(
        f"column age: age {unit.lower} is top-coded ({unit}, {unit.lower} and over), but "
        f"{where} ends or splits a band above it, so the people aged {unit} cannot be "
        "placed; give single years above the top-coded age, or narrow ages to end below it",
        column="age",
        rule="a top-coded age lies in one open-ended band",
        values=[str(unit)],
    )
