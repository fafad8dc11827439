"""An area table laid out as planners paste it: conditions as rows, areas as column blocks.

:func:`area_pivot` takes the tidy rows of :func:`~mhneed.outputs.areas.area_table`
(every area, group and level total of an estimate, labelled by level) and
returns one row per condition and one block of columns per area, group or
total, in the table's order (largest level first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from mhneed.errors import InputError, MissingColumnError

__all__ = ["area_pivot"]


def area_pivot(
    frame: pd.DataFrame, measures: Sequence[str] = ("cases", "cases_lower", "cases_upper", "rate")
) -> pd.DataFrame:
    """An :func:`area_table` laid out with conditions as rows and areas as column blocks.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`area_table`, with one value of any other key (such as
        ``year``).
    measures : sequence of str
        The columns of each area's block, in order.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``condition`` (the table's order), with two-level columns:
        ``("", "label")``, ``("", "ages")``, then for each area, group and
        total in the table's order, ``(name, measure)``. A block's name is the
        area's name, or the group's or total's; where two share a name (a group
        named like an area), each of them carries its area code, or "group".

    Raises
    ------
    MissingColumnError
        When a measure is not a column of ``frame``.
    InputError
        When another key has more than one value (figures of several years
        under one area).
    """
    missing = [m for m in measures if m not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"area_pivot: no column {', '.join(missing)} in the table; its columns: "
            f"{', '.join(map(str, frame.columns))}",
            column=missing[0],
            rule="measures are columns of the table",
            values=missing,
        )
    others = list(frame.attrs.get("mhneed", {}).get("area_table", {}).get("keys", []))
    for key in others:
        if frame[key].nunique(dropna=False) > 1:
            raise InputError(
                f"area_pivot: {key} has {frame[key].nunique()} values; keep one {key} (filter "
                "the table) so each area's block holds one figure per condition",
                column=key,
                rule="one value of every other key",
                values=list(pd.unique(frame[key]))[:5],
            )
    conditions = list(dict.fromkeys(frame["condition"].astype(str)))
    first = frame.drop_duplicates("condition")
    first = first.set_index(first["condition"].astype(str))
    data: dict[tuple[str, str], Any] = {
        ("", "label"): first.loc[conditions, "label"].to_numpy(),
        ("", "ages"): first.loc[conditions, "ages"].to_numpy(),
    }
    for block, mine in _blocks(frame):
        mine = mine.set_index(mine["condition"].astype(str)).reindex(conditions)
        for measure in measures:
            data[(block, measure)] = mine[measure].to_numpy()
    out = pd.DataFrame(data, index=pd.Index(conditions, name="condition"))
    out.columns = pd.MultiIndex.from_tuples(list(data), names=["area", "measure"])
    out.attrs = dict(frame.attrs)
    return out


def _blocks(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Each area, group and total's rows, in the table's order, under its block's name.

    A block is named by its area's, group's or total's name; where two share a
    name (a group of districts named like their county), each of those is told
    apart by its area code, or by "group" for a group.
    """
    text = frame[["level", "area_code", "area_name"]].astype(str)
    units = text.drop_duplicates()
    shared = units["area_name"].duplicated(keep=False)
    out = []
    for (level, code, name), twice in zip(units.itertuples(index=False), shared, strict=True):
        block = name
        if twice:
            block = f"{name} ({code or ('group' if level.startswith('group') else level)})"
        mask = (text["level"] == level) & (text["area_code"] == code) & (text["area_name"] == name)
        out.append((block, frame[mask.to_numpy()]))
    return out
