"""Unit and end-to-end tests for the mhneed command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mhneed.cli import main


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m mhneed ARGS`` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "mhneed", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_demo_prints_and_writes(tmp_path: Path) -> None:
    """`mhneed demo` prints Rutland's estimate and writes the numbers it printed."""
    proc = run("demo", "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "Rutland (E06000017)" in proc.stdout
    assert "Generalised anxiety disorder" in proc.stdout
    summary = pd.read_csv(tmp_path / "out" / "rutland_apms_2014_summary.csv")
    gad = summary.set_index("condition").loc["gad"]
    assert gad["population"] == 31542
    assert f"{gad['cases']:,.0f}" in proc.stdout
    coverage = pd.read_csv(tmp_path / "out" / "rutland_apms_2014_coverage.csv")
    assert (coverage["population"] == 38022).all()
    cells = pd.read_csv(tmp_path / "out" / "rutland_apms_2014_cells.csv")
    assert set(cells.columns) >= {
        "condition",
        "sex",
        "age_band",
        "cases",
        "cases_lower",
        "cases_upper",
    }


def test_tables_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    """`mhneed tables` lists ids; `mhneed table ID` describes one."""
    assert main(["tables"]) == 0
    assert "apms_2014" in capsys.readouterr().out
    assert main(["table", "apms_2014"]) == 0
    out = capsys.readouterr().out
    assert "Generalised anxiety disorder (past week" in out


def test_bad_table_one_line_exit_2() -> None:
    """Bad input exits 2 with one clear line and no traceback."""
    proc = run("table", "nope")
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        "mhneed: error: no shipped rate table has id 'nope'; the tables are: "
    )
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_debug_shows_traceback() -> None:
    """--debug shows the traceback."""
    proc = run("--debug", "table", "nope")
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr
