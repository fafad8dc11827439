"""An estimate's cells held as arrays: one population per (distinct cell column, key group).

The engine never builds the long frame of key groups × cells unless asked for
it. A :class:`CellBlock` keeps the key groups, each cell's rate, limits and
labels, and the population of every *distinct* cell column (many cells share
one: every condition published by the same bands and sex) for every key group,
cell-major so that each cell's populations are one contiguous row. From it

* :meth:`CellBlock.frame` builds the tidy cell frame (one row per key group ×
  cell) when a user or a report asks for it;
* :func:`combine_block` sums cells into groups of ``by`` with the same rules,
  the same order of additions and so the same numbers, to the last bit, as
  :func:`mhneed.engine.intervals.combine` gives on that frame, without building it.

Additions are made one cell at a time in the order the frame path makes them
(a ``bincount`` adds in row order), so the two paths agree exactly; a property
test holds them to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._group_ids import codes_of, group_ids
from mhneed.engine.intervals import STRATUM
from mhneed.errors import InternalError

__all__ = ["STRATUM", "CellBlock", "combine_block", "keys_data", "keys_frame", "tile_categorical"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class CellBlock:
    """The cells of an estimate, as arrays.

    Attributes
    ----------
    groups : pandas.DataFrame
        One row per key group (the population's, in sorted key order).
    keys : list of str
        The key columns.
    populations : numpy.ndarray
        (distinct cell columns, key groups): the population of each [persons].
    cell_column : numpy.ndarray
        Per cell, its row of ``populations``.
    condition, sex, age_band, interval : list of str
        Per cell: its condition, sex (as published), effective age band and
        interval label.
    rate, lower, upper : numpy.ndarray
        Per cell [proportions]; NaN limits where none were published.
    """

    groups: pd.DataFrame
    keys: list[str]
    populations: FloatArray
    cell_column: IntArray
    condition: list[str]
    sex: list[str]
    age_band: list[str]
    interval: list[str]
    rate: FloatArray
    lower: FloatArray
    upper: FloatArray

    @property
    def n_groups(self) -> int:
        """Number of key groups."""
        return len(self.groups)

    @property
    def n_cells(self) -> int:
        """Number of cells (condition × sex × age band)."""
        return len(self.condition)

    def population(self, cell: int) -> FloatArray:
        """One cell's population in every key group [persons] (a read-only view)."""
        row: FloatArray = self.populations[self.cell_column[cell]]
        return row

    def frame(self) -> pd.DataFrame:
        """The tidy cell frame: one row per key group × cell, group-major.

        Key columns, then ``condition, sex, age_band, population, rate, lower,
        upper, cases, cases_lower, cases_upper, interval``.
        """
        n_groups, n_cells = self.n_groups, self.n_cells
        group_idx = np.repeat(np.arange(n_groups), n_cells)
        population = np.take(self.populations.T, self.cell_column, axis=1).reshape(-1)
        data = keys_data(self.groups, self.keys, group_idx)
        data["condition"] = tile_categorical(self.condition, n_groups)
        data["sex"] = tile_categorical(self.sex, n_groups)
        data["age_band"] = tile_categorical(self.age_band, n_groups)
        data["population"] = population
        rate, lower, upper = (np.tile(v, n_groups) for v in (self.rate, self.lower, self.upper))
        data["rate"], data["lower"], data["upper"] = rate, lower, upper
        data["cases"] = population * rate
        data["cases_lower"] = population * lower
        data["cases_upper"] = population * upper
        data["interval"] = tile_categorical(self.interval, n_groups)
        frame = pd.DataFrame(data, index=pd.RangeIndex(len(group_idx)), copy=False)
        if len(frame) != n_groups * n_cells:  # pragma: no cover - an engine fault, never the user's
            raise InternalError(
                f"mhneed engine: {len(frame)} result rows, not key groups × cells = {n_groups} "
                f"× {n_cells}; this is a bug in mhneed, please report it",
                rule="result rows = key groups × cells",
                values=[len(frame), n_groups * n_cells],
            )
        return frame


def combine_block(
    block: CellBlock,
    by: list[str],
    kind: str,
    no_interval: str,
    *,
    mixed: str | None = None,
) -> pd.DataFrame | None:
    """Cells combined into one row per ``by`` group, straight from the arrays.

    The same result as :func:`mhneed.engine.intervals.combine` on ``block.frame()``
    (see there for the parameters and the rules), or ``None`` when ``by`` puts
    a cell column (condition, sex, age band) before a key column, an order
    whose rows this path does not lay out; the caller then combines the frame.
    """
    key_by = [b for b in by if b in block.keys]
    cell_by = [b for b in by if b not in block.keys]
    if by != [*key_by, *cell_by]:
        return None
    k_of, k_rep = _key_groups(block, key_by)
    n_k = len(k_rep)
    cells = _CellCodes.of(block)
    a_of, a_rep = cells.groups(cell_by)
    n_a = len(a_rep)
    order = cells.stratum_order(a_of, cell_by)
    populations = _sum_key_groups(block.populations, k_of, n_k)

    missing = np.isnan(block.lower) | np.isnan(block.upper)
    out_pop, out_cases, lower, upper = _sums(block, populations, order, a_of, missing, kind, n_a)
    any_missing = np.bincount(a_of, weights=missing.astype(np.float64), minlength=n_a) > 0
    label = _labels(block, a_of, a_rep, mixed)

    # rows: key group major, then cell group (the frame path's sorted order)
    data: dict[str, object] = {}
    key_rows = np.repeat(k_rep, n_a)
    for col in key_by:
        data[col] = _key_column(block.groups[col], key_rows)
    cell_rows = np.tile(a_rep, n_k)
    for col in cell_by:
        data[col] = cells.take(col, cell_rows)
    data["population"] = out_pop.T.reshape(-1)
    data["cases"] = out_cases.T.reshape(-1)
    gap = np.tile(any_missing, n_k)
    data["cases_lower"] = np.where(gap, np.nan, lower.T.reshape(-1))
    data["cases_upper"] = np.where(gap, np.nan, upper.T.reshape(-1))
    # the categorical pd.Categorical would make of all the rows, made from one row per
    # cell group (the rows repeat them): far faster than hashing every row's text
    dtype, codes = _sorted_categories(tuple(np.where(any_missing, no_interval, label)))
    data["interval"] = pd.Categorical.from_codes(np.tile(codes, n_k), dtype=dtype)
    return pd.DataFrame(data, index=pd.RangeIndex(n_k * n_a), copy=False)


def keys_frame(
    groups: pd.DataFrame, keys: list[str], group_idx: npt.NDArray[np.int64]
) -> pd.DataFrame:
    """The key columns of result rows, one per entry of ``group_idx`` (categoricals kept)."""
    return pd.DataFrame(keys_data(groups, keys, group_idx), index=pd.RangeIndex(len(group_idx)))


def keys_data(
    groups: pd.DataFrame, keys: list[str], group_idx: npt.NDArray[np.int64]
) -> dict[str, object]:
    """The columns of :func:`keys_frame`, to build a frame with more columns in one step."""
    data: dict[str, object] = {}
    for key in keys:
        col = groups[key]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = np.asarray(col.cat.codes.to_numpy(), dtype=np.int64)[group_idx]
            data[key] = pd.Categorical.from_codes(codes, dtype=col.dtype)
        else:
            data[key] = col.to_numpy()[group_idx]
    return data


def tile_categorical(labels: list[str], reps: int) -> pd.Categorical:
    """``labels`` repeated ``reps`` times, as a categorical in first-seen order."""
    dtype, codes = _first_seen_categories(tuple(labels))
    return pd.Categorical.from_codes(np.tile(codes, reps), dtype=dtype)


@lru_cache(maxsize=512)
def _first_seen_categories(labels: tuple[str, ...]) -> tuple[pd.CategoricalDtype, np.ndarray]:
    """The categorical type of ``labels`` in first-seen order, and their codes (kept: the
    same labels come back with every estimate from one table, and the type is immutable)."""
    distinct = np.array(list(dict.fromkeys(labels)), dtype=object)
    distinct.flags.writeable = False  # kept for every later estimate: never written through
    categories = pd.Index(distinct, dtype=object, copy=False)
    codes = categories.get_indexer(pd.Index(labels, dtype=object)).astype(np.int32)
    codes.flags.writeable = False
    return pd.CategoricalDtype(categories), codes


@lru_cache(maxsize=512)
def _sorted_categories(labels: tuple[str, ...]) -> tuple[pd.CategoricalDtype, np.ndarray]:
    """The categorical type ``pandas.Categorical(labels)`` gives (categories sorted), and
    the codes, kept as :func:`_first_seen_categories` keeps its own."""
    made = pd.Categorical(np.asarray(labels, dtype=object))
    codes = np.asarray(made.codes).copy()
    codes.flags.writeable = False
    return made.dtype, codes


# -- private helpers ---------------------------------------------------------------


@dataclass(frozen=True)
class _CellCodes:
    """Each cell's condition, sex and age band as codes, in the frame's category order."""

    codes: dict[str, IntArray]
    categories: dict[str, pd.Index]

    @classmethod
    def of(cls, block: CellBlock) -> _CellCodes:
        codes: dict[str, IntArray] = {}
        categories: dict[str, pd.Index] = {}
        for col, labels in zip(STRATUM, (block.condition, block.sex, block.age_band), strict=True):
            cells = tile_categorical(labels, 1)  # as the cell frame codes them
            categories[col] = cells.categories
            codes[col] = np.asarray(cells.codes, dtype=np.int64)
        return cls(codes, categories)

    def groups(self, cols: list[str]) -> tuple[IntArray, IntArray]:
        """Per cell its group of ``cols`` (sorted by their codes), and per group its last cell."""
        n = len(self.codes["condition"])
        if not cols:
            return np.zeros(n, dtype=np.int64), np.array([n - 1], dtype=np.int64)
        return group_ids([self.codes[c] for c in cols], [len(self.categories[c]) for c in cols])

    def stratum_order(self, a_of: IntArray, cell_by: list[str]) -> IntArray:
        """Cells in the order the frame path adds them: by group, then the other stratum codes."""
        rest = [self.codes[c] for c in STRATUM if c not in cell_by]
        # np.lexsort sorts by its last key first
        return np.asarray(np.lexsort([*reversed(rest), a_of]), dtype=np.int64)

    def take(self, col: str, rows: IntArray) -> pd.Series:
        return pd.Series(pd.Categorical.from_codes(self.codes[col][rows], self.categories[col]))


def _key_groups(block: CellBlock, key_by: list[str]) -> tuple[IntArray, IntArray]:
    """Per key group its group of ``key_by`` (sorted by their codes), and per group its last."""
    n = block.n_groups
    if not key_by:
        return np.zeros(n, dtype=np.int64), np.array([n - 1], dtype=np.int64)
    coded = [codes_of(block.groups[c]) for c in key_by]
    return group_ids([c for c, _ in coded], [len(u) for _, u in coded])


def _sum_key_groups(populations: FloatArray, k_of: IntArray, n_k: int) -> FloatArray:
    """Populations summed over the key groups of each new group, in key-group order."""
    if n_k == len(k_of) and np.array_equal(k_of, np.arange(n_k)):
        return populations
    out = np.empty((populations.shape[0], n_k))
    for c, row in enumerate(populations):  # bincount adds in key-group order, as the frame path
        out[c] = np.bincount(k_of, weights=row, minlength=n_k)
    return out


def _sums(
    block: CellBlock,
    populations: FloatArray,
    order: IntArray,
    a_of: IntArray,
    missing: npt.NDArray[np.bool_],
    kind: str,
    n_a: int,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(cell groups, key groups) population, cases and lower and upper limits.

    Cells are added one at a time in ``order``, the order the frame path adds
    them, so the sums agree with :func:`mhneed.engine.intervals.combine` to the
    last bit.
    """
    n_k = populations.shape[1]  # key groups
    out_pop = np.zeros((n_a, n_k))
    out_cases = np.zeros((n_a, n_k))
    low_total = np.zeros((n_a, n_k))
    high_total = np.zeros((n_a, n_k))
    for c in order:  # cell by cell, in the order the frame path adds them
        a = a_of[c]
        pop = populations[block.cell_column[c]]
        cases = pop * block.rate[c]
        out_pop[a] += pop
        out_cases[a] += cases
        if missing[c]:  # the frame path adds 0 here: no change
            continue
        low, high = pop * block.lower[c], pop * block.upper[c]
        if kind == "confidence_interval":
            low_total[a] += (cases - low) ** 2
            high_total[a] += (high - cases) ** 2
        else:
            low_total[a] += low
            high_total[a] += high
    if kind == "confidence_interval":
        lower = out_cases - np.sqrt(low_total)
        upper = out_cases + np.sqrt(high_total)
    else:
        lower, upper = low_total, high_total
    return out_pop, out_cases, lower, upper


def _labels(block: CellBlock, a_of: IntArray, a_rep: IntArray, mixed: str | None) -> np.ndarray:
    """Each cell group's interval label: its last cell's, or ``mixed`` when its cells differ."""
    names = np.asarray(block.interval, dtype=object)
    label = names[a_rep]
    if mixed is not None:
        differs = np.bincount(
            a_of, weights=(names != label[a_of]).astype(np.float64), minlength=len(a_rep)
        )
        label = np.where(differs > 0, mixed, label)
    return label


def _key_column(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """Rows of a key column, typed as the cell frame's column (see :func:`keys_frame`)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)[rows]
        dtype = pd.CategoricalDtype(column.cat.categories) if column.cat.ordered else column.dtype
        return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype))
    return pd.DataFrame({"key": column.to_numpy()[rows]})["key"]
