"""The order of a population reader's rows: year, area as in the file, sex, age.

Every reader returns its long frame in one order, so two readings of the same people
line up row for row: by year (when the frame has one), then area in the order the
file first lists it, then sex (female, male, persons), then age.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["SEX_ORDER", "in_long_order"]

#: The order of the sexes in a reader's rows.
SEX_ORDER = {"female": 0, "male": 1, "persons": 2}


def in_long_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's rows in the readers' order, renumbered, less its ``line`` column.

    ``frame`` has ``area_code``, ``sex``, ``age`` and ``line`` (each row's line in
    its file) columns, and optionally ``year``; the sort is stable, so rows that
    tie keep their file order.
    """
    order = pd.factorize(frame["area_code"])[0]
    frame = frame.assign(_area=order, _sex=frame["sex"].map(SEX_ORDER))
    keys = [c for c in ("year",) if c in frame.columns] + ["_area", "_sex", "age"]
    frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    frame["sex"] = frame["sex"].astype(str)
    return frame.drop(columns=["_area", "_sex", "line"])
