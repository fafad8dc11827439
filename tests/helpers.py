"""Small rate tables built for tests (test values, never shipped)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pandas as pd

from mhneed.published.rates import RateTable

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


#: APMS 2014 Table 2.3, generalised anxiety disorder by age band [percent], as printed.
GAD_2014 = {
    "female": (9.0, 6.3, 7.0, 8.5, 6.7, 5.8, 3.6),
    "male": (3.8, 6.0, 6.8, 6.0, 6.2, 2.0, 0.9),
}


def band_totals(people_by_age: dict[int, float]) -> list[float]:
    """People in each of APMS's seven bands from counts by single year (the top age open)."""
    edges = [(16, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 74), (75, 10_000)]
    return [sum(n for age, n in people_by_age.items() if lo <= age <= hi) for lo, hi in edges]


def expected_gad(women_by_age: dict[int, float], men_by_age: dict[int, float]) -> float:
    """Generalised anxiety disorder cases by Table 2.3's band rates, worked out by hand."""
    return sum(
        rate / 100 * n
        for by_age, sex in ((women_by_age, "female"), (men_by_age, "male"))
        for rate, n in zip(GAD_2014[sex], band_totals(by_age), strict=True)
    )


def expected_cells(
    by_sex_age: dict[str, dict[int, float]], table: RateTable, condition: str
) -> tuple[float, float, float]:
    """A condition's cases and 95% limits over the seven bands, combined in quadrature by hand.

    Each band's cases are its people times its rate; each side of the interval is the
    square root of the sum of the squared differences, band by band.
    """
    cases = low = high = 0.0
    for sex, by_age in by_sex_age.items():
        cells = [r for r in table.cells(condition) if r.sex == sex]
        assert [r.age_band for r in cells] == list(AGE_BANDS)
        for row, n in zip(cells, band_totals(by_age), strict=True):
            assert row.lower is not None
            assert row.upper is not None
            cases += n * row.rate
            low += (n * (row.rate - row.lower)) ** 2
            high += (n * (row.upper - row.rate)) ** 2
    return cases, cases - low**0.5, cases + high**0.5


def xlsx_bytes(grid: list[list[Any]]) -> bytes:
    """An .xlsx workbook of one sheet holding ``grid``, the same bytes every time.

    openpyxl stamps the time of saving into docProps/core.xml and each zip entry, which
    moves the compressed sizes and so every offset; here both are fixed, so a test that
    damages a byte (or a derandomized fuzz run) meets the same file on every run.
    """
    import openpyxl

    book = openpyxl.Workbook()
    page = book.active
    assert page is not None
    for row in grid:
        page.append(row)
    saved = io.BytesIO()
    book.save(saved)
    source = zipfile.ZipFile(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", body)
            entry = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.writestr(entry, body, compress_type=item.compress_type)
    return out.getvalue()
