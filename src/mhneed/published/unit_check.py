"""Is a rate table's unit plausible? Refuse figures that look like another unit.

A figure in the wrong unit is 100 times too small or too large without any
other sign, so both readers of rate-table files check, unless told not to
(``check_unit=False``), that a ``percent`` table is not all proportions and a
``proportion`` table holds no rate above a half.
"""

from __future__ import annotations

from typing import Any

from mhneed.errors import RateTableError
from mhneed.published.rates import RateTable

__all__ = ["PLAUSIBLE_MAX_PROPORTION", "check_plausible_unit"]

#: A rate above this, as a proportion, is implausible enough to ask whether the figures
#: are percentages in a table labelled "proportion".
PLAUSIBLE_MAX_PROPORTION = 0.5


def check_plausible_unit(table: RateTable) -> None:
    """Refuse a table whose figures look like another unit than its metadata says.

    ``percent`` with every figure at most 1 looks like proportions (0.068 for 6.8%);
    ``proportion`` with a rate above a half looks like percentages (0.7 for 0.7%).
    Both can be real (psychosis is about 0.4%; most people in prison have a mental
    disorder), so ``check_unit=False`` turns the check off.
    """
    unit = table.meta.unit
    rows = [*table.rows, *table.checks]
    if not rows:
        return
    scale = 100.0 if unit == "percent" else 1.0
    where = f"rate table {table.id}"
    if unit == "percent":
        figures = [
            (v * scale, r) for r in rows for v in (r.rate, r.lower, r.upper) if v is not None
        ]
        top, row = max(figures, key=lambda item: item[0])
        if 0 < top <= 1:
            big, pct = _unit_g(top), _unit_g(top * 100)
            raise RateTableError(
                f"{where}: unit is 'percent' but every figure is at most 1 (the largest is "
                f"{big}, {_unit_cell(row)}): these look like proportions ({big} for {pct}%); "
                "if they are, set unit to 'proportion'; if they really are percentages below "
                "1% (psychosis, for one, is about 0.4%), pass check_unit=False",
                column="rate",
                rule="figures plausible for the unit",
                values=[top],
            )
    elif unit == "proportion":
        top_row = max(rows, key=lambda r: r.rate)
        if top_row.rate > PLAUSIBLE_MAX_PROPORTION:
            top = top_row.rate
            big, pct = _unit_g(top), _unit_g(top * 100)
            raise RateTableError(
                f"{where}: unit is 'proportion' but the rate {big} ({_unit_cell(top_row)}) "
                f"means {pct}% of people: these look like percentages ({big} for {big}%); if "
                "they are, set unit to 'percent'; if a rate above a half is "
                "real (such as among people in prison), pass check_unit=False",
                column="rate",
                rule="figures plausible for the unit",
                values=[top],
            )


# -- private helpers ---------------------------------------------------------------


def _unit_g(value: float) -> str:
    return f"{round(value, 10):g}"


def _unit_cell(row: Any) -> str:
    return f"condition {row.condition}, sex {row.sex}, age_band {row.age_band}"
