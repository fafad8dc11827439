"""Fuzzing: every reader is fed generated files and either returns a valid result or
raises mhneed's own error (:class:`mhneed.MhneedError`), never any other exception.

Inputs are random bytes, CSV-ish text built from the words the readers look for, and
mutations of the real fixture files in ``tests/data`` (and of the shipped rate tables).
The ordinary test run draws a few hundred files per reader; ``.ci/run`` sets
``MHNEED_FUZZ_EXAMPLES`` to run at least 10,000 per reader, derandomized so that CI is
reproducible.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mhneed
from mhneed.inputs.ons_births import BIRTHS_AREA_TYPES
from mhneed.published.rates import RateTable
from mhneed.published.tables import tables_folder
from tests.conftest import DATA
from tests.helpers import xlsx_bytes
from tests.property.strategies import hostile_files, mutated_json, workbook_grids

pytestmark = pytest.mark.fuzz

#: Generated files per reader: a few hundred in the ordinary run, 10,000+ in .ci/run.
EXAMPLES = int(os.environ.get("MHNEED_FUZZ_EXAMPLES", "300"))
#: Full-size runs are derandomized, so CI tries the same files every time.
FULL = "MHNEED_FUZZ_EXAMPLES" in os.environ

MYE2 = [
    (DATA / "ons_mye2_2014" / f"UK {sex}-Table 1.csv").read_bytes()
    for sex in ("females", "males", "persons")
]
BIRTHS = [(DATA / "ons_births_2014" / "Table 3-Table 1.csv").read_bytes()]
NOMIS_TSV = (DATA / "nomis_mye_2011" / "rutland_NM_2002_1_extract.tsv").read_bytes()


def _nomis_full_layout() -> bytes:
    """The Nomis fixture as a comma-separated extract with dates, names, measures and totals."""
    frame = pd.read_csv(DATA / "nomis_mye_2011" / "rutland_NM_2002_1_extract.tsv", sep="\t")
    totals = frame.groupby(["GEOGRAPHY_CODE", "C_AGE"], as_index=False)["OBS_VALUE"].sum()
    totals = totals.assign(GENDER=0)
    frame = pd.concat([frame, totals], ignore_index=True)
    frame = frame.assign(DATE="2011-06", GEOGRAPHY_NAME="Rutland", MEASURES=20100)
    shares = frame.assign(MEASURES=20301, OBS_VALUE=1.5)
    out = pd.concat([frame, shares], ignore_index=True)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


NOMIS = [NOMIS_TSV, _nomis_full_layout()]

TABLE_IDS = ("apms_2014", "apms_2007_psychosis", "jcpmh_2012_perinatal")
RATE_CSV = {t: tables_folder().joinpath(f"{t}.csv").read_bytes() for t in TABLE_IDS}
RATE_META = {
    t: json.loads(tables_folder().joinpath(f"{t}.json").read_text(encoding="utf-8"))
    for t in TABLE_IDS
}

WIDE_META: dict[str, Any] = {
    "id": "wide_fuzz",
    "title": "Wide layout (made-up test values)",
    "publisher": "Tests",
    "edition": 2014,
    "geography": "England",
    "population": "adults",
}


def _wide_grid(limits: bool, comma: bool = False) -> list[list[Any]]:
    """A sheet in the layout survey reports print, made-up test values, never shipped.

    With ``comma``, figures are text with decimal commas ("1,2"), as European-locale
    spreadsheets save them.
    """

    def shown(v: float) -> Any:
        return str(v).replace(".", ",") if comma else v

    grid: list[list[Any]] = [
        ["Table 9.9 Made-up test figures", None, None, None, None, None],
        [None, "Age in years", None, None, None, None],
        [None, "16–24", "25–34", "35–64", "65+", "All"],
    ]
    for b, block in enumerate(["Men", "Women", "All adults"]):
        grid.append([block, None, None, None, None, None])
        for r, label in enumerate(["Generalised anxiety disorder", "Depressive episode"]):
            values = [round(1 + b + r + c / 10, 1) for c in range(5)]
            grid.append([label, *map(shown, values)])
            if limits:
                grid.append(["Lower 95% CI", *[shown(v / 2) for v in values[:4]], None])
                grid.append(["Upper 95% CI", *[shown(v * 2) for v in values[:4]], None])
        grid.append(["Bases (weighted)", 1000, 1001, 1002, 1003, 4006])
    grid.append(["Source: made-up test values", None, None, None, None, None])
    return grid


def _csv_bytes(grid: list[list[Any]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in grid]
    )
    return text.getvalue().encode("utf-8")


GRIDS = [_wide_grid(False), _wide_grid(True), _wide_grid(True, comma=True)]
WIDE = [_csv_bytes(g) for g in GRIDS]

_POPULATION_COLUMNS = {"area_code", "area_name", "year", "sex", "age", "population"}


def _fuzz(strategy: st.SearchStrategy[Any], call: Callable[[Any], None]) -> int:
    """Run ``call`` on EXAMPLES drawn inputs; mhneed's errors are fine, others fail the test."""
    calls = 0

    @settings(
        max_examples=EXAMPLES,
        derandomize=FULL,
        database=None,  # one inner function serves every reader: keep no examples to mix up
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )
    @given(strategy)
    def run(drawn: Any) -> None:
        nonlocal calls
        calls += 1
        with contextlib.suppress(mhneed.MhneedError):
            call(drawn)

    run()
    return calls


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def check_population_frame(frame: pd.DataFrame) -> None:
    """A reader's population frame: documented columns, whole finite counts, usable as is."""
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0
    assert set(frame.columns) <= _POPULATION_COLUMNS
    assert {"area_code", "sex", "age", "population"} <= set(frame.columns)
    values = frame["population"].to_numpy(dtype=np.float64)
    assert np.isfinite(values).all()
    assert (values >= 0).all()
    top = frame.attrs["top_age"]
    assert frame["age"].between(0, top).all()
    sexes = set(frame["sex"])
    if "persons" in sexes:
        assert sexes == {"persons"}
        return
    assert sexes <= {"female", "male"}
    pop = mhneed.validate_population(frame, top_age=top)
    assert pop.population.sum() == pytest.approx(values.sum())


def check_births_frame(frame: pd.DataFrame) -> None:
    """A births frame: names, a known area type, births a finite count or missing."""
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0
    assert frame["area_name"].map(lambda n: isinstance(n, str) and n.strip() != "").all()
    assert set(frame["area_type"]) <= set(BIRTHS_AREA_TYPES)
    births = frame["births"].to_numpy(dtype=np.float64)
    known = births[~np.isnan(births)]
    assert np.isfinite(known).all()
    assert (known >= 0).all()


def check_table(table: RateTable) -> None:
    """A rate table: rows whose rates are proportions, each condition with rows."""
    assert isinstance(table, RateTable)
    assert table.rows
    for row in table.rows:
        assert 0.0 <= row.rate <= 1.0
    for cond in table.conditions:
        assert table.cells(cond)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the generated files (one per reader call, overwritten)."""
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def rutland_frame() -> pd.DataFrame:
    """A population with area names, to match births names against."""
    return mhneed.read_ons_mye2(DATA / "ons_mye2_2014" / "UK females-Table 1.csv")


def test_fuzz_read_ons_mye2(folder: Path) -> None:
    """read_ons_mye2 on one to three generated files: a valid frame or mhneed's error."""
    files = st.lists(hostile_files(MYE2, ["CODE", "NAME", "ALL AGES", "0", "1"]), max_size=3)

    def call(drawn: Sequence[bytes]) -> None:
        paths = [_write(folder, f"UK {i}-Table 1.csv", data) for i, data in enumerate(drawn)]
        check_population_frame(mhneed.read_ons_mye2(paths))

    assert _fuzz(files, call) >= EXAMPLES


def test_fuzz_read_nomis(folder: Path) -> None:
    """read_nomis on a generated extract: a valid frame or mhneed's error."""
    header = ["GEOGRAPHY_CODE", "GENDER", "C_AGE", "OBS_VALUE", "DATE", "MEASURES"]

    def call(drawn: bytes) -> None:
        check_population_frame(mhneed.read_nomis(_write(folder, "extract.tsv", drawn)))

    assert _fuzz(hostile_files(NOMIS, header), call) >= EXAMPLES


def test_fuzz_read_ons_births(folder: Path, rutland_frame: pd.DataFrame) -> None:
    """read_ons_births on a generated table, alone or matched to areas: valid, or our error."""
    header = ["Area of usual residence", "Live births", "GFR"]
    drawn_args = st.tuples(
        hostile_files(BIRTHS, header), st.sampled_from([None, "report", "error"])
    )

    def call(drawn: tuple[bytes, str | None]) -> None:
        data, unmatched = drawn
        path = _write(folder, "Table 3-Table 1.csv", data)
        if unmatched is None:
            check_births_frame(mhneed.read_ons_births(path))
            return
        frame = mhneed.read_ons_births(path, rutland_frame, unmatched=unmatched)  # type: ignore[arg-type]
        check_births_frame(frame)
        assert "area_code" in frame.columns

    assert _fuzz(drawn_args, call) >= EXAMPLES


def test_fuzz_read_rate_table(folder: Path) -> None:
    """read_rate_table on a generated long-format CSV: a valid table or mhneed's error."""
    drawn_args = st.sampled_from(TABLE_IDS).flatmap(
        lambda t: st.tuples(st.just(t), hostile_files([RATE_CSV[t]], ["condition", "sex"]))
    )

    def call(drawn: tuple[str, bytes]) -> None:
        table_id, data = drawn
        path = _write(folder, "rates.csv", data)
        check_table(mhneed.read_rate_table(path, RATE_META[table_id]))

    assert _fuzz(drawn_args, call) >= EXAMPLES


def test_fuzz_read_wide_rate_table(folder: Path) -> None:
    """read_wide_rate_table on a generated CSV sheet: a valid table or mhneed's error."""
    header = ["", "16-24", "25-34", "35-64", "65+", "All"]

    def call(drawn: tuple[bytes, str | None]) -> None:
        data, decimal = drawn
        path = _write(folder, "sheet.csv", data)
        table = mhneed.read_wide_rate_table(
            path, WIDE_META, period="past week", source="Made-up test values", decimal=decimal
        )
        check_table(table)

    drawn = st.tuples(hostile_files(WIDE, header), st.sampled_from([None, ",", "."]))
    assert _fuzz(drawn, call) >= EXAMPLES


def test_fuzz_read_wide_rate_table_workbook(folder: Path) -> None:
    """read_wide_rate_table on a generated .xlsx workbook: a valid table or mhneed's error."""
    workbooks = st.one_of(
        workbook_grids(GRIDS).map(xlsx_bytes),
        workbook_grids(GRIDS).map(xlsx_bytes),
        st.binary(max_size=2_000),
        st.sampled_from([xlsx_bytes(g) for g in GRIDS]).flatmap(_damaged),
    )

    def call(drawn: tuple[bytes, str | None]) -> None:
        data, decimal = drawn
        path = _write(folder, "sheet.xlsx", data)
        table = mhneed.read_wide_rate_table(
            path, WIDE_META, period="past week", source="Made-up test values", decimal=decimal
        )
        check_table(table)

    drawn = st.tuples(workbooks, st.sampled_from([None, ",", "."]))
    assert _fuzz(drawn, call) >= EXAMPLES


def _damaged(data: bytes) -> st.SearchStrategy[bytes]:
    """A workbook's bytes cut short or with a byte changed."""
    at = st.integers(0, len(data) - 1)
    return st.one_of(
        at.map(lambda i: data[:i]),
        st.tuples(at, st.integers(0, 255)).map(
            lambda p: data[: p[0]] + bytes([p[1]]) + data[p[0] + 1 :]
        ),
    )


def test_fuzz_read_rate_table_metadata(folder: Path) -> None:
    """read_rate_table with generated metadata (.json beside the CSV): valid, or our error."""
    drawn_args = st.sampled_from(TABLE_IDS).flatmap(
        lambda t: st.tuples(
            st.just(t),
            st.one_of(
                mutated_json(RATE_META[t]), hostile_files([json.dumps(RATE_META[t]).encode()])
            ),
        )
    )

    def call(drawn: tuple[str, bytes]) -> None:
        table_id, data = drawn
        path = _write(folder, "mine.csv", RATE_CSV[table_id])
        _write(folder, "mine.json", data)
        check_table(mhneed.read_rate_table(path))

    assert _fuzz(drawn_args, call) >= EXAMPLES
