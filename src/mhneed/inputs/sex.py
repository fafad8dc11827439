"""The sex column of a population: labels as people write them, read as codes.

``female``/``male``, ``F``/``M``, ``women``/``men`` and the ONS and Nomis codes ``2``
(female) and ``1`` (male), as text or numbers, any case, become the engine's codes 0
(female) and 1 (male). Rows for both sexes together (``persons``, ``all``, ``total``)
and unknown labels are refused, with the rows that hold them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._group_ids import used_codes
from mhneed.errors import InputError
from mhneed.inputs.column_checks import quote, row_labels, unhashable

__all__ = ["FEMALE", "MALE", "SEXES", "SEX_LABELS", "normalise_sex", "sex_codes"]


#: Accepted sex labels (compared case-insensitively, spaces trimmed) and their meaning.
SEX_LABELS: dict[str, str] = {
    "female": "female",
    "females": "female",
    "f": "female",
    "woman": "female",
    "women": "female",
    "2": "female",
    "male": "male",
    "males": "male",
    "m": "male",
    "man": "male",
    "men": "male",
    "1": "male",
}
_BOTH_SEXES = frozenset({"persons", "person", "people", "all", "all persons", "total", "both", "p"})


#: Sex codes used inside the engine.
FEMALE, MALE = 0, 1
SEXES = ("female", "male")

IntArray = npt.NDArray[np.int64]


def normalise_sex(column: pd.Series) -> IntArray:
    """Sex codes (0 female, 1 male) from the usual labels.

    Accepts ``female``/``male``, ``F``/``M``, ``Female``/``Male``, ``women``/``men``
    and the ONS and Nomis codes ``2`` (female) and ``1`` (male), as text or numbers.

    Raises
    ------
    InputError
        Listing the labels that are not recognised, or rows that hold both sexes
        together (``persons``, ``all``, ``total``).
    """
    return sex_codes(column).astype(np.int64)


def sex_codes(column: pd.Series) -> npt.NDArray[np.int8]:
    """Sex codes (0 female, 1 male) as one byte a row; see :func:`normalise_sex`."""
    present: npt.NDArray[np.bool_] | None = None
    if isinstance(column.dtype, pd.CategoricalDtype):  # its own codes: no hashing
        codes = column.cat.codes.to_numpy()  # its own small integers: no copy
        uniques = pd.Index(column.cat.categories)
        if not all(_sex_key(c) in SEX_LABELS for c in uniques):  # unused ones may be odd
            present = used_codes(codes, len(uniques))
    else:
        try:
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
        except TypeError:
            raise unhashable(column, "sex") from None
    mapping = np.zeros(len(uniques), dtype=np.int8)
    unknown: list[object] = []
    both: list[object] = []
    for i, label in enumerate(uniques):
        if present is not None and not present[i]:
            continue  # an unused category is no one's label
        key = _sex_key(label)
        meaning = SEX_LABELS.get(key)
        if meaning is not None:
            mapping[i] = FEMALE if meaning == "female" else MALE
        elif key in _BOTH_SEXES:
            both.append(label)
        else:
            unknown.append(label)
    if (codes < 0).any():
        rows = row_labels(column.index[codes < 0])
        raise InputError(
            f"column sex: missing values in rows {rows}; every row needs female or male",
            column="sex",
            rule="no missing values",
            values=[None],
            rows=column.to_frame()[codes < 0].head(10),
        )
    if both:
        bad = np.isin(codes, [list(uniques).index(b) for b in both])
        raise InputError(
            f"column sex: {quote(both)} is both sexes together "
            f"(rows {row_labels(column.index[bad])}); "
            "give the population as separate female and male rows",
            column="sex",
            rule="female or male rows only",
            values=both,
            rows=column.to_frame()[bad].head(10),
        )
    if unknown:
        bad = np.isin(codes, [list(uniques).index(u) for u in unknown])
        raise InputError(
            f"column sex: unknown label{'s' if len(unknown) > 1 else ''} {quote(unknown)} "
            f"(rows {row_labels(column.index[bad])}); use female/male, F/M, or the ONS codes "
            "2 (female) and 1 (male)",
            column="sex",
            rule="a known sex label",
            values=unknown,
            rows=column.to_frame()[bad].head(10),
        )
    if codes.dtype == np.int8 and np.array_equal(mapping, np.arange(len(mapping))):
        return np.asarray(codes, dtype=np.int8)  # categories female, male: its own codes
    return np.asarray(mapping[codes], dtype=np.int8)


# -- private helpers ---------------------------------------------------------------


def _sex_key(label: object) -> str:
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        return str(int(label))
    if isinstance(label, (float, np.floating)) and float(label).is_integer():
        return str(int(label))
    return str(label).strip().lower()
