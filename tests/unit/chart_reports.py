"""Reports the chart tests draw (Rutland, by age band and sex, and over years)."""

from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd

import mhneed


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, from its header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def psychosis() -> mhneed.Report:
    """Rutland psychotic disorder by age band and sex."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2007_psychosis")
    return mhneed.report_table(est, data_source="ONS MYE2 mid-2014")


def years_report(n: int = 4) -> mhneed.Report:
    """Rutland's population in n years, growing 1% a year, estimated with APMS 2014."""
    base = mhneed.rutland_population()
    frames = [base.assign(year=2014 + i, population=base["population"] * 1.01**i) for i in range(n)]
    people = pd.concat(frames, ignore_index=True)
    return mhneed.report_table(mhneed.estimate(people, "apms_2014", top_age=90))
