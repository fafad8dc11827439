"""Small rate tables built for tests (test values, never shipped)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from mhneed.rates import RateTable

AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")


def make_table(
    records: list[tuple[Any, ...]],
    *,
    interval: str = "confidence_interval",
    conditions: list[dict[str, Any]] | None = None,
    unit: str = "percent",
    mutually_exclusive: bool = False,
    denominator: str = "persons",
) -> RateTable:
    """A table from (condition, sex, age_band, rate, lower, upper) tuples."""
    cols = ["condition", "sex", "age_band", "rate", "lower", "upper"]
    frame = pd.DataFrame(records, columns=cols)
    frame["source"] = "test"
    if conditions is None:
        conditions = [
            {"id": c, "label": c, "period": "test", "ages": "16+"}
            for c in dict.fromkeys(frame["condition"])
        ]
    meta = {
        "id": "test",
        "title": "Test table",
        "publisher": "Tests",
        "edition": 2020,
        "geography": "Test",
        "population": "test",
        "ages": "16+",
        "denominator": denominator,
        "interval": interval,
        "level": 0.95 if interval == "confidence_interval" else None,
        "unit": unit,
        "mutually_exclusive": mutually_exclusive,
        "conditions": conditions,
        "sources": [
            {"id": "test", "citation": "Test values, not a publication.", "kind": "primary"}
        ],
    }
    return RateTable.from_frame(frame, meta)


def grid_table(interval: str = "confidence_interval") -> RateTable:
    """A 14-cell age-by-sex table for one condition, with limits on every cell."""
    recs = []
    for s, base in (("female", 2.0), ("male", 1.0)):
        for i, band in enumerate(AGE_BANDS):
            rate = base + i * 0.5
            recs.append(("grid", s, band, rate, rate * 0.8, rate * 1.3))
    return make_table(recs, interval=interval)
