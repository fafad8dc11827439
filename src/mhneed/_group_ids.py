"""Group ids from integer codes: the O(n) grouping both the population and summaries use."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["codes_of", "group_ids", "used_codes"]

IntArray = npt.NDArray[np.int64]


def codes_of(column: pd.Series) -> tuple[IntArray, pd.Index]:
    """Integer codes of a column (-1 where missing) and the values they stand for.

    Categoricals use their own codes in their own category order (as pandas
    groupby does), with no hashing; integers within a span of a few times their
    count (a year, an age) are coded by offset from their least value, also with
    no hashing; other columns are factorized in sorted order. Each way gives what
    ``pandas.factorize(column, sort=True)`` gives.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)
        return codes, pd.Index(column.cat.categories)
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu" and len(column):
        coded = _integer_codes(column.to_numpy())
        if coded is not None:
            return coded
    codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), pd.Index(uniques)


def _integer_codes(values: npt.NDArray[np.integer]) -> tuple[IntArray, pd.Index] | None:
    """Sorted codes of integers by offset from the least (None when they spread too far)."""
    lo, hi = int(values.min()), int(values.max())
    n = len(values)
    if hi - lo > 4 * n + 1024:
        return None
    if lo == hi:  # one value (a year column): every code is 0
        return np.zeros(n, dtype=np.int64), pd.Index(values[:1].copy())
    if values.dtype == np.uint64:  # lo may exceed int64; the offsets never do
        shifted = np.asarray(values - np.uint64(lo), dtype=np.int64)
    else:
        shifted = values.astype(np.int64)  # a copy: the caller's column is never written
        shifted -= lo
    used = np.bincount(shifted, minlength=hi - lo + 1) > 0
    offsets = np.flatnonzero(used)
    if values.dtype == np.uint64:
        present = offsets.astype(np.uint64) + np.uint64(lo)
    else:
        present = (offsets + lo).astype(values.dtype)
    codes = shifted if used.all() else (np.cumsum(used) - 1)[shifted]
    return np.asarray(codes, dtype=np.int64), pd.Index(present)


def used_codes(codes: npt.NDArray[np.integer], n: int) -> npt.NDArray[np.bool_]:
    """Per code ``0 .. n - 1``, whether any row has it (``-1``, missing, is no code)."""
    present = np.bincount(np.asarray(codes, dtype=np.intp) + 1, minlength=n + 1)[1:] > 0
    return np.asarray(present, dtype=bool)


def group_ids(codes: Sequence[IntArray], sizes: Sequence[int]) -> tuple[IntArray, IntArray]:
    """Dense group ids for combinations of codes, in lexicographic code order.

    Parameters
    ----------
    codes : sequence of int arrays
        One array per column, each of the same length, values in ``0 .. size - 1``.
    sizes : sequence of int
        The number of distinct values each column's codes can take.

    Returns
    -------
    group : numpy.ndarray
        Per row, its group id ``0 .. n_groups - 1``.
    rep : numpy.ndarray
        Per group, one row of it.
    """
    n = len(codes[0]) if codes else 0
    if len(codes) == 1 and n:  # one column: its codes are the groups if every value is used
        counts = np.bincount(codes[0], minlength=max(sizes[0], 1))
        if counts.all():
            rep = np.empty(len(counts), dtype=np.int64)
            rep[codes[0]] = np.arange(n, dtype=np.int64)
            return np.asarray(codes[0], dtype=np.int64), rep
    radix = 1
    for size in sizes:
        radix *= max(size, 1)
    if radix <= 4 * n + 1024:
        combined = np.zeros(n, dtype=np.int64)
        for c, size in zip(codes, sizes, strict=True):
            combined = combined * max(size, 1) + c
        used = np.bincount(combined, minlength=radix) > 0
        group = (np.cumsum(used) - 1)[combined]
        n_groups = int(used.sum())
    else:  # many sparse combinations: let pandas hash them
        frame = pd.DataFrame({str(i): c for i, c in enumerate(codes)})
        group = np.asarray(frame.groupby(list(frame.columns), sort=True).ngroup(), dtype=np.int64)
        n_groups = int(group.max()) + 1 if n else 0
    rep = np.empty(n_groups, dtype=np.int64)
    rep[group] = np.arange(n, dtype=np.int64)  # any row of a group will do
    return np.asarray(group, dtype=np.int64), rep
