"""The example script examples/rutland_perinatal.py, run as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "rutland_perinatal.py"

#: The JSNA's Table 1 in its order, ranges low–high.
TABLE = """\
Condition                                            Estimated number of women
Adjustment disorders and distress                    50–95
Mild-moderate depressive illness and anxiety states  35–50
Severe depressive illness                            10
Post-traumatic stress disorder                       10
Postpartum (puerperal) psychosis                     5
Chronic serious mental illness                       5
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the example with this interpreter."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_example_prints_the_jsna_table(tmp_path: Path) -> None:
    """It prints Table 1 in the JSNA's order, the rounding rule and the overlap caveat."""
    done = run(cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(
        "Table 1: Estimated number of women with perinatal mental health conditions, "
        "Rutland, 2016\n(312 women gave birth in 2016;"
    )
    assert TABLE in out
    after = out.split(TABLE, 1)[1].split("\n")
    assert after[1].startswith(
        "Figures are births × the published rate per 1,000 maternities, rounded up to a "
        "multiple of 5"
    )
    assert after[2].startswith("Conditions overlap: one woman can have more than one condition")
    assert list(tmp_path.iterdir()) == []  # no output folder, no files


def test_example_writes_csv_to_the_folder_given(tmp_path: Path) -> None:
    """Given a folder, it writes the rounded estimate there as CSV."""
    out = tmp_path / "out"
    done = run(str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out / "rutland_perinatal_2016.csv")
    got = frame.set_index("condition")[["cases_lower", "cases_upper"]].T.to_dict("list")
    assert got == {
        "postpartum_psychosis": [5.0, 5.0],
        "chronic_smi": [5.0, 5.0],
        "severe_depressive_illness": [10.0, 10.0],
        "mild_moderate_depression_anxiety": [35.0, 50.0],
        "ptsd": [10.0, 10.0],
        "adjustment_distress": [50.0, 95.0],
    }
    assert set(frame["rounding"]) == {"rounded up to a multiple of 5"}
