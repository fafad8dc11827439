"""Population input: a long frame, validated once at the boundary.

A population frame has any key columns (area code, area name, year, anything
else) plus ``sex``, either ``age`` (single year) or ``age_band``, and
``population`` (non-negative; fractional allowed, since projections have
decimals). :func:`validate_population` checks every rule before any work is
done and returns compact integer codes that the estimation engine uses
directly; it never copies the frame.

The rules for each column are in their own modules: the sex labels in
:mod:`mhneed.inputs.sex`, ages and age bands in :mod:`mhneed.inputs.ages`, key
columns and key groups in :mod:`mhneed.inputs.key_groups`, the population counts
in :mod:`mhneed.inputs.count_column`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.errors import InputError, MissingColumnError
from mhneed.inputs.ages import age_units, band_units
from mhneed.inputs.column_checks import row_labels
from mhneed.inputs.count_column import count_values
from mhneed.inputs.key_groups import RESERVED_COLUMNS, key_groups
from mhneed.inputs.sex import sex_codes
from mhneed.published.bands import AgeBand

__all__ = ["Population", "row_sums", "validate_population"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Population:
    """A validated population, as integer codes (built by :func:`validate_population`).

    Attributes
    ----------
    keys : list of str
        The key columns, in input order.
    groups : pandas.DataFrame
        One row per distinct combination of key values (the key groups), in
        sorted key order; index ``0 .. n_groups - 1``.
    cell : numpy.ndarray
        Per input row: its (key group, sex, age unit) cell of :meth:`dense`,
        ``(group × 2 + sex) × units + unit``. The only per-row code held, so a
        national population costs one integer a row.
    group, sex, unit : numpy.ndarray
        Per input row: its key group, sex code (0 female, 1 male) and age unit
        (worked out from ``cell`` when asked for).
    units : tuple of AgeBand
        The age units: single years (``age`` input; the top-coded age, if any,
        is open-ended) or the distinct bands (``age_band`` input).
    population : numpy.ndarray
        Per input row: the population [persons].
    banded : bool
        True when the input had ``age_band`` rather than ``age``.
    in_order : bool
        True when the rows are in key group, sex and age order (the key groups
        sorted), each cell once.
    distinct : bool
        True when no (key group, sex, age unit) cell has two rows (known without a
        count for rows in order); the dense array is then made by placing each row
        in its cell rather than adding the rows up.
    totals : numpy.ndarray
        Per key group: its population [persons], the sum of its row of
        :meth:`dense` taken in sex and age order, so that the same people give the
        same totals to the last bit whatever the order of the rows.
    """

    keys: list[str]
    groups: pd.DataFrame
    cell: IntArray
    units: tuple[AgeBand, ...]
    population: FloatArray
    banded: bool
    in_order: bool = field(init=False)
    distinct: bool = field(init=False)

    def __post_init__(self) -> None:
        cell = self.cell  # worked out here, so a copy with other cells is never stale
        in_order = len(cell) < 2 or bool(np.all(cell[1:] > cell[:-1]))
        object.__setattr__(self, "in_order", in_order)
        object.__setattr__(self, "distinct", in_order or int(self._counts().max(initial=0)) <= 1)

    def _counts(self) -> IntArray:
        """How many rows each (key group, sex, age unit) cell has."""
        size = self.n_groups * 2 * len(self.units)
        return np.asarray(np.bincount(self.cell, minlength=size), dtype=np.int64)

    @property
    def n_groups(self) -> int:
        """Number of key groups."""
        return len(self.groups)

    @property
    def group(self) -> IntArray:
        """Per input row: its key group."""
        return self.cell // (2 * len(self.units))

    @property
    def sex(self) -> IntArray:
        """Per input row: its sex code (0 female, 1 male)."""
        return (self.cell // len(self.units)) % 2

    @property
    def unit(self) -> IntArray:
        """Per input row: its age unit."""
        return self.cell % len(self.units)

    def dense(self) -> FloatArray:
        """Population as a (groups, 2 × units) array: sex-major, then age unit [persons].

        Made once and kept (the estimate and :attr:`totals` share it), so read only.
        """
        return self._dense

    @cached_property
    def _dense(self) -> FloatArray:
        dense = self._placed()
        dense.flags.writeable = False  # shared by every caller and by totals: read only
        return dense

    def _placed(self) -> FloatArray:
        width = 2 * len(self.units)
        size = self.n_groups * width
        if not self.distinct:  # a cell with two rows (never after validation): add them up
            counts = np.bincount(self.cell, weights=self.population, minlength=size)
            return np.asarray(counts, dtype=np.float64).reshape(self.n_groups, width)
        # each cell at most once: place the rows, adding 0.0 as a count would (-0.0 -> 0.0)
        values = np.add(self.population, 0.0)
        if self.in_order and len(self.cell) == size:  # every cell has a row, in order
            return values.reshape(self.n_groups, width)
        placed = np.zeros(size)
        placed[self.cell] = values
        return placed.reshape(self.n_groups, width)

    @cached_property
    def totals(self) -> FloatArray:
        """Per key group: its population, its dense row added in sex and age order [persons]."""
        return row_sums(self.dense())


def validate_population(frame: pd.DataFrame, *, top_age: int | None = None) -> Population:
    """Check a population frame and code it for estimation.

    Parameters
    ----------
    frame : pandas.DataFrame
        Key columns plus ``sex``, ``age`` or ``age_band``, and ``population``.
    top_age : int, optional
        A top-coded age: rows with this ``age`` mean "this age and over" (ONS
        single-year files use 90 for 90 and over). Ages above it are an error.

    Returns
    -------
    Population

    Raises
    ------
    MissingColumnError
        When ``sex``, ``population`` or both of ``age`` and ``age_band`` are missing.
    InputError
        When a value breaks a rule: the message names the column, the rule and
        the offending values and rows.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"population must be a pandas DataFrame, not {type(frame).__name__}",
            rule="a DataFrame",
        )
    _check_columns(frame)
    if len(frame) == 0:
        raise InputError(
            "population is empty: the frame has no rows", column="population", rule="non-empty"
        )
    banded = "age_band" in frame.columns
    age_col = "age_band" if banded else "age"
    keys = [c for c in frame.columns if c not in ("sex", age_col, "population")]
    _check_key_names(keys)
    values = _population_values(frame)
    sex = sex_codes(frame["sex"])
    if banded:
        unit, units = band_units(frame["age_band"])
    else:
        unit, units = age_units(frame["age"], top_age)
    group, groups = key_groups(frame, keys)
    cell = np.asarray(group, dtype=np.int64)
    if cell is group and not group.flags.owndata:  # never write into the caller's frame
        cell = cell.copy()
    cell *= 2  # in place: one integer a row, however large the population
    cell += sex
    cell *= len(units)
    cell += unit
    del group, sex, unit
    pop = Population(
        keys=keys,
        groups=groups,
        cell=cell,
        units=units,
        population=values,
        banded=banded,
    )
    if not pop.distinct:
        _refuse_duplicates(frame, pop, age_col)
    return pop


def row_sums(dense: FloatArray) -> FloatArray:
    """Each row of a 2-d array added left to right, one value after another, from 0.0.

    The order a count by key group (``numpy.bincount``) adds a group's rows in when
    they come in age order, so its totals are the same to the last bit; a plain
    ``sum`` adds in pairs, which can differ in the last bit for fractional counts.
    Taken a block of rows at a time, so the running sums never cost a whole copy.
    """
    n_rows, width = dense.shape
    totals = np.zeros(n_rows)
    if width == 0:
        return totals
    step = max(1, (1 << 20) // width)
    for start in range(0, n_rows, step):
        block = dense[start : start + step]
        totals[start : start + step] = np.cumsum(block, axis=1)[:, -1]
    totals += 0.0  # as a count from 0.0 gives: never -0.0
    return totals


# -- private helpers ---------------------------------------------------------------


def _check_columns(frame: pd.DataFrame) -> None:
    have = ", ".join(map(str, frame.columns)) or "none"
    for col in ("sex", "population"):
        if col not in frame.columns:
            raise MissingColumnError(
                f"population frame: missing column {col!r}; a population needs columns sex, "
                f"age (or age_band) and population, plus any key columns; it has: {have}",
                column=col,
                rule="required columns",
                values=[col],
            )
    if "age" not in frame.columns and "age_band" not in frame.columns:
        raise MissingColumnError(
            "population frame: missing column 'age' (or 'age_band'); a population needs "
            f"single years of age or age bands; it has: {have}",
            column="age",
            rule="required columns",
            values=["age"],
        )
    if "age" in frame.columns and "age_band" in frame.columns:
        raise InputError(
            "population frame: has both 'age' and 'age_band'; give one: single years in age, "
            "or bands in age_band",
            column="age_band",
            rule="age or age_band, not both",
            values=["age", "age_band"],
        )
    names = list(frame.columns)
    if all(isinstance(n, str) for n in names) and len(set(names)) == len(names):
        return  # text names, each once: a set is cheaper than the index's duplicate check
    dupes = frame.columns[frame.columns.duplicated()].tolist()
    if dupes:
        raise InputError(
            f"population frame: column {dupes[0]!r} appears more than once",
            column=str(dupes[0]),
            rule="unique column names",
            values=dupes,
        )


def _check_key_names(keys: Sequence[object]) -> None:
    for key in keys:
        if not isinstance(key, str):
            raise InputError(
                f"population frame: column name {key!r} is not text; name every key column",
                column=str(key),
                rule="column names are text",
                values=[key],
            )
        if key in RESERVED_COLUMNS:
            raise InputError(
                f"population frame: key column {key!r} has the name of an output column; "
                f"rename it (reserved: {', '.join(sorted(RESERVED_COLUMNS))})",
                column=key,
                rule="key names not reserved",
                values=[key],
            )


def _population_values(frame: pd.DataFrame) -> FloatArray:
    return count_values(
        frame, "population", noun="population", huge="more people than live on Earth"
    )


def _refuse_duplicates(frame: pd.DataFrame, pop: Population, age_col: str) -> None:
    """Raise for the rows of a population whose cells have more than one row."""
    dup = pop._counts()[pop.cell] > 1
    rows = frame[dup].head(10)
    cols = [*pop.keys, "sex", age_col]
    raise InputError(
        f"population frame: duplicate rows for the same {', '.join(cols)} "
        f"(rows {row_labels(frame.index[dup])}); each key, sex and age must appear once",
        column=age_col,
        rule="one row per key, sex and age",
        values=[tuple(r) for r in rows[cols].itertuples(index=False)],
        rows=rows,
    )
