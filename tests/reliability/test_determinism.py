"""Determinism: the same input gives byte-identical CSV output, in any process and
whatever the order of the input rows, wherever results are defined to be order-free;
a seeded simulation gives the same bytes in every process."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import mhneed
from tests.conftest import DATA
from tests.property.strategies import PERSONS_TABLES, disguised, scoped_populations

ROOT = Path(__file__).parents[2]

#: Reads the real fixtures, estimates and summarises, and prints every output as CSV.
SCRIPT = """
import warnings
import mhneed
warnings.simplefilter("ignore")
mye2 = "tests/data/ons_mye2_2014/UK {}-Table 1.csv"
people = mhneed.read_ons_mye2([mye2.format("females"), mye2.format("males")])
est = mhneed.estimate(people, "apms_2014")
summary = est.summarise(by=["area_code", "condition"])
births = mhneed.read_ons_births("tests/data/ons_births_2014/Table 3-Table 1.csv", people)
births = births.dropna(subset=["area_code", "births"])[["area_code", "year", "births"]]
peri = mhneed.estimate_perinatal(births, denominator="live_births").round(5, "up")
nomis = mhneed.read_nomis("tests/data/nomis_mye_2011/rutland_NM_2002_1_extract.tsv")
rutland = mhneed.estimate(people[people["area_code"] == "E06000017"], "apms_2014")
simulated = rutland.simulate(by=["condition"], draws=2000, seed=11)
for frame in (est.to_frame(), est.coverage, summary.to_frame(), peri.to_frame(),
              mhneed.estimate(nomis, "apms_2007_psychosis").to_frame(), simulated.to_frame()):
    print(frame.to_csv(), end="")
"""


def _outputs(hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, check=True
    )
    return done.stdout


def test_same_bytes_in_every_process() -> None:
    """Two processes with different hash seeds write byte-identical CSV for the same files."""
    first = _outputs("1")
    assert len(first) > 50_000  # five frames of real output, not an empty run
    assert _outputs("2") == first


def _csv(est: mhneed.Estimate, by: list[str]) -> list[str]:
    return [
        est.to_frame().to_csv(),
        est.coverage.to_csv(),
        est.summarise(by=by).to_frame().to_csv(),
    ]


@given(scoped_populations(), st.sampled_from(PERSONS_TABLES), st.data())
def test_row_order_gives_the_same_bytes(
    drawn: tuple[pd.DataFrame, int | None], table_id: str, data: st.DataObject
) -> None:
    """Shuffled rows (any index) give byte-identical estimates, coverage and summaries."""
    frame, top = drawn
    shuffled = data.draw(disguised(frame)).reset_index(drop=True)
    shuffled["area_code"] = shuffled["area_code"].astype(object)
    by = ["area_code", "year", "condition"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = _csv(mhneed.estimate(frame, table_id, top_age=top), by)
        b = _csv(mhneed.estimate(shuffled, table_id, top_age=top), by)
    assert a == b


def test_mye2_file_order_gives_the_same_frame() -> None:
    """The MYE2 files in any order (persons too) give the same frame, byte for byte."""
    files = {s: DATA / "ons_mye2_2014" / f"UK {s}-Table 1.csv" for s in ("females", "males")}
    persons = DATA / "ons_mye2_2014" / "UK persons-Table 1.csv"
    one = mhneed.read_ons_mye2([files["females"], files["males"]]).to_csv()
    assert mhneed.read_ons_mye2([files["males"], files["females"]]).to_csv() == one
    assert mhneed.read_ons_mye2([persons, files["males"], files["females"]]).to_csv() == one


def test_nomis_line_order_gives_the_same_estimate(tmp_path: Path) -> None:
    """A Nomis extract with its lines in reverse order estimates byte for byte the same."""
    source = DATA / "nomis_mye_2011" / "rutland_NM_2002_1_extract.tsv"
    header, *lines = source.read_text(encoding="utf-8").splitlines()
    reversed_file = tmp_path / "reversed.tsv"
    reversed_file.write_text("\n".join([header, *lines[::-1]]) + "\n", encoding="utf-8")
    a = mhneed.estimate(mhneed.read_nomis(source), "apms_2014").to_frame().to_csv()
    b = mhneed.estimate(mhneed.read_nomis(reversed_file), "apms_2014").to_frame().to_csv()
    assert a == b
