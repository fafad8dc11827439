"""Very large files: a Nomis extract (the one reader whose files can hold millions of
rows) is streamed, so memory follows the rows kept, not the bytes read; the readers of
small tables refuse a file over 20 MB before reading it (see the catalogue)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mhneed

#: Columns of a Nomis extract as the website writes it in full, 15 to a row.
NOMIS_COLUMNS = [
    *("DATE", "DATE_NAME", "GEOGRAPHY", "GEOGRAPHY_NAME", "GEOGRAPHY_CODE", "GEOGRAPHY_TYPE"),
    *("GENDER", "GENDER_NAME", "C_AGE", "C_AGE_NAME", "MEASURES", "MEASURES_NAME"),
    *("OBS_VALUE", "OBS_STATUS", "OBS_STATUS_NAME"),
]


def write_nomis(path: Path, n_areas: int) -> int:
    """A full-layout extract (counts and percentages) for n_areas areas; its row count."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(f'"{c}"' for c in NOMIS_COLUMNS) + "\n")
        for a in range(n_areas):
            code, name = f"E0{a:07d}", f"Area number {a}"
            for gender, gender_name in (("1", "Male"), ("2", "Female")):
                for c_age in range(101, 192):
                    for measure, value in (("20100", str(c_age * 3 + a)), ("20301", "1.1")):
                        cells = [
                            "2011",
                            "2011",
                            str(a),
                            name,
                            code,
                            "local authorities: district / unitary",
                            gender,
                            gender_name,
                            str(c_age),
                            f"Age {c_age - 101}",
                            measure,
                            "Value" if measure == "20100" else "Percent",
                            value,
                            "A",
                            "Normal Value",
                        ]
                        handle.write("\t".join(f'"{c}"' for c in cells) + "\n")
                        rows += 1
    return rows


def peak_memory(call: Callable[[], Any]) -> tuple[Any, int]:
    """What call returns (or the error it raises), and the most memory Python held [bytes]."""
    tracemalloc.start()
    try:
        try:
            outcome = call()
        except Exception as exc:  # the error is the outcome to look at
            outcome = exc
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return outcome, peak


def test_large_nomis_extract_is_streamed(tmp_path: Path) -> None:
    """A 26 MB extract (82,000 rows) is read with less memory at the peak than its size."""
    path = tmp_path / "national.tsv"
    rows = write_nomis(path, 450)
    size = path.stat().st_size
    assert size > 25_000_000
    frame, peak = peak_memory(lambda: mhneed.read_nomis(path))
    assert len(frame) == rows // 2  # the counts; the percentages are dropped
    assert frame["population"].sum() == sum(
        3 * c + a for a in range(450) for _ in range(2) for c in range(101, 192)
    )
    # streamed: about 19 MB at the peak; read whole into rows of cells it was about 300 MB
    assert peak < size, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB file"


def test_one_endless_line_fails_without_reading_it_all(tmp_path: Path) -> None:
    """A 30 MB file with no line break stops at its first million characters."""
    path = tmp_path / "endless.tsv"
    path.write_bytes(b"GEOGRAPHY_CODE\t" + b"9" * 30_000_000)
    error, peak = peak_memory(lambda: mhneed.read_nomis(path))
    assert isinstance(error, mhneed.InputError)
    assert str(error) == (
        "read_nomis: endless.tsv line 1 is longer than 1,000,000 characters; the file is not "
        "a table of this kind"
    )
    assert peak < 20_000_000


@pytest.mark.parametrize(
    "read",
    [
        mhneed.read_ons_mye2,
        mhneed.read_ons_births,
        lambda p: mhneed.read_rate_table(p, {"id": "x"}),
        lambda p: mhneed.read_wide_rate_table(p, {"id": "x"}),
        lambda p: mhneed.read_wide_rate_table(p.rename(p.with_suffix(".xlsx")), {"id": "x"}),
    ],
    ids=["read_ons_mye2", "read_ons_births", "read_rate_table", "read_wide_rate_table", "xlsx"],
)
def test_small_table_readers_refuse_huge_files_unread(
    read: Callable[[Path], Any], tmp_path: Path
) -> None:
    """Each whole-file reader refuses a 2 GB file (CSV or workbook) at once, naming its size."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(2_000_000_000)  # sparse: no disk, no time
    error, peak = peak_memory(lambda: read(path))
    assert isinstance(error, mhneed.MhneedError)
    assert "is 2,000.0 MB; this reader reads files of up to 20 MB" in str(error)
    assert peak < 1_000_000
