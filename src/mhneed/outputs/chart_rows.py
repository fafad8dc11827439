"""The rows of a report that one chart draws: one condition, for one area or group.

A :class:`~mhneed.outputs.report.Report` may hold several conditions and several key
groups (areas, groups, years); a chart shows one condition of one group, chosen
with ``select`` when the report has more than one. The errors name what the
report has, so the caller can choose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from mhneed.errors import InputError, UnknownConditionError
from mhneed.outputs.report import Report
from mhneed.outputs.report_layout import place

__all__ = ["condition_rows", "group_of"]


def condition_rows(
    report: Report,
    condition: str,
    select: Mapping[str, Any] | None,
    who: str,
    keep: tuple[str, ...],
) -> pd.DataFrame:
    """The report's rows of ``condition`` in the one key group ``select`` picks.

    ``who`` names the chart function in messages; the key columns in ``keep``
    (such as ``year`` for a chart over years) may take several values.
    """
    rows = report.rows
    if condition not in set(rows["condition"]):
        have = ", ".join(dict.fromkeys(str(c) for c in rows["condition"]))
        raise UnknownConditionError(
            f"{who}: condition {condition!r} is not in the report; its conditions are: {have}",
            column="condition",
            rule="condition in the report",
            values=[condition],
        )
    rows = rows[rows["condition"] == condition]
    for key, value in (select or {}).items():
        if key not in report.keys:
            raise InputError(
                f"{who}: select names {key!r}, which is not a key column of the report; its "
                f"keys are: {', '.join(report.keys) or 'none'}",
                column=key,
                rule="select names key columns",
                values=[key],
            )
        rows = rows[rows[key] == value]
    group_keys = [k for k in report.keys if k not in keep]
    if rows.empty:
        raise InputError(
            f"{who}: select={dict(select or {})} matches no rows of the report",
            rule="select matches one key group",
            values=list((select or {}).values()),
        )
    if group_keys:
        distinct = rows[group_keys].drop_duplicates()
        if len(distinct) > 1:
            shown = "; ".join(
                place(dict(zip(group_keys, rec, strict=True)))
                for rec in distinct.head(5).itertuples(index=False)
            )
            more = f" and {len(distinct) - 5} more" if len(distinct) > 5 else ""
            raise InputError(
                f"{who}: the report has {len(distinct)} areas or groups ({shown}{more}); "
                f"choose one with select={{{group_keys[0]!r}: ...}}",
                column=group_keys[0],
                rule="select matches one key group",
                values=[len(distinct)],
            )
    return rows


def group_of(rows: pd.DataFrame, keys: list[str]) -> dict[str, Any]:
    """The key values of the rows' group (from its first row), to name the place in a title."""
    if not keys or rows.empty:
        return {}
    first = rows.iloc[0]
    return {k: first[k] for k in keys}
