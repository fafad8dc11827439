"""Group ids from integer codes: the O(n) grouping both the population and summaries use."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["codes_of", "group_ids"]

IntArray = npt.NDArray[np.int64]


def codes_of(column: pd.Series) -> tuple[IntArray, pd.Index]:
    """Integer codes of a column (-1 where missing) and the values they stand for.

    Categoricals use their own codes in their own category order (as pandas
    groupby does), with no hashing; other columns are factorized in sorted order.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)
        return codes, pd.Index(column.cat.categories)
    codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), pd.Index(uniques)


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
