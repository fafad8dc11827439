"""Unit tests for ``--table FILE``: a rate table of your own, long or wide, with its JSON (mhneed.cli.table_file)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from mhneed.cli import main
from tests.conftest import DATA

FEMALES = DATA / "ons_mye2_2014" / "UK females-Table 1.csv"
MALES = DATA / "ons_mye2_2014" / "UK males-Table 1.csv"
MYE2 = ["--population", str(FEMALES), "--population", str(MALES)]


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line on stderr."""
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_own_rate_table_file(tmp_path: Path) -> None:
    """--table path.csv reads a long table with its JSON beside it; 10% of Rutland's 31,542 adults."""
    rows = pd.DataFrame(
        {"condition": ["c"], "sex": ["persons"], "age_band": ["16+"], "rate": [10.0],
         "source": ["mine"]}
    )  # fmt: skip
    rows.to_csv(tmp_path / "mine.csv", index=False)
    meta = {
        "id": "mine", "title": "My rates", "publisher": "Me", "edition": 2024,
        "geography": "England", "population": "adults", "ages": "16+", "denominator": "persons",
        "interval": "none", "unit": "percent",
        "conditions": [{"id": "c", "label": "My condition", "period": "now", "ages": "16+"}],
        "sources": [{"id": "mine", "citation": "My own figures.", "kind": "primary"}],
    }  # fmt: skip
    (tmp_path / "mine.json").write_text(json.dumps(meta))
    out = tmp_path / "x.csv"
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", str(tmp_path / "mine.csv")]
    assert main([*args, "--layout", "tidy", "--out", str(out)]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig")
    whole = frame[(frame["age_band"] == "All") & (frame["sex"] == "persons")]
    assert whole["cases"].iloc[0] == pytest.approx(3154.2)


def test_own_rate_table_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table file that is not there is named."""
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", "nothere.csv"]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == "mhneed: error: --table nothere.csv: no such file"


WIDE_META = {
    "id": "mine_wide", "title": "My wide rates", "publisher": "Me", "edition": 2024,
    "geography": "England", "population": "adults", "ages": "16+",
    "sources": [{"id": "mine", "citation": "My own figures.", "kind": "primary"}],
    "reader": {"period": "past year", "blocks": {"All adults": "persons"}},
}  # fmt: skip


def write_wide(folder: Path, lines: list[str], meta: dict[str, object] | None = None) -> Path:
    """A wide rate table as CSV (conditions × age bands) with its JSON beside it."""
    path = folder / "wide.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "wide.json").write_text(json.dumps(WIDE_META if meta is None else meta))
    return path


def test_own_wide_table_csv(tmp_path: Path) -> None:
    """--table wide.csv: the wide layout, 10% of 16-64s and 20% of 65+ in Rutland (MYE2 2014)."""
    path = write_wide(tmp_path, [",16-64,65+", "All adults,,", "My condition,10,20"])
    out = tmp_path / "x.csv"
    args = ["--quiet", "estimate", *MYE2, "--areas", "E06000017", "--table", str(path)]
    assert main([*args, "--layout", "tidy", "--out", str(out)]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig").set_index("age_band")
    assert set(frame["condition"]) == {"my_condition"}
    young = frame.loc["16-64", "population"]
    old = frame.loc["65+", "population"]
    assert young + old == 31542
    assert frame.loc["All", "cases"] == pytest.approx(young * 0.10 + old * 0.20)
    # naming the JSON reads the table beside it
    again = tmp_path / "y.csv"
    args[-1] = str(tmp_path / "wide.json")
    assert main([*args, "--layout", "tidy", "--out", str(again)]) == 0
    assert pd.read_csv(again)["cases"].tolist() == pd.read_csv(out)["cases"].tolist()


def test_own_wide_table_every_problem_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two bad cells in a wide table: one line naming both, not the first alone."""
    path = write_wide(tmp_path, [",16-64,65+", "All adults,,", "A,ten,20", "B,5,"])
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", str(path)]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == (
        "mhneed: error: wide.csv: 2 problems: row 3 ('A', block 'All adults'), column 16-64: "
        "the figure 'ten' is not a number; write the percentage, or '–' for no cases observed; "
        "row 4 ('B', block 'All adults'), column 65+: no figure; every cell of a condition row "
        "needs a percentage (or '–' for no cases observed)"
    )


def test_own_long_table_every_problem_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three bad rows in a long table: one line naming each, in row order."""
    (tmp_path / "mine.csv").write_text(
        "condition,sex,age_band,rate,source\n"
        "c,female,16+,ten,mine\n"
        "c,male,16+,10,mine\n"
        "c,men,16+,10,mine\n"
        "d,persons,16+,10,mine\n",
        encoding="utf-8",
    )
    meta = {
        "id": "mine", "title": "My rates", "publisher": "Me", "edition": 2024,
        "geography": "England", "population": "adults", "ages": "16+", "denominator": "persons",
        "interval": "none", "unit": "percent",
        "conditions": [{"id": "c", "label": "My condition", "period": "now", "ages": "16+"}],
        "sources": [{"id": "mine", "citation": "My own figures.", "kind": "primary"}],
    }  # fmt: skip
    (tmp_path / "mine.json").write_text(json.dumps(meta))
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", str(tmp_path / "mine.csv")]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == (
        "mhneed: error: rate table mine: 3 problems: row 1 (condition c, sex female, age_band "
        "16+): column rate: value 'ten' is not a number; row 3 (condition c, sex men, age_band "
        "16+): column sex: value 'men' is not one of female, male, persons; row 4 (condition d, "
        "sex persons, age_band 16+): column condition: 'd' is not one of the table's conditions "
        "(c)"
    )


@pytest.mark.parametrize(
    ("name", "setup", "message"),
    [
        (
            "wide.xlsx",
            lambda d: (d / "wide.xlsx").write_bytes(b"x"),
            "--table {d}/wide.xlsx: no wide.json beside it; a rate table in the wide layout "
            "needs its metadata (id, title, publisher, edition, geography, population, sources, "
            "and a reader object for the sheet, conditions and period) in a JSON file of the "
            "same name (see docs/tutorials/own-table.md)",
        ),
        (
            "wide.csv",
            lambda d: [
                (d / "wide.csv").write_text(",16-64\n"),
                (d / "wide.json").write_text('{"id": "x",}'),
            ],
            "--table: wide.json is not valid JSON (Expecting property name enclosed in double "
            "quotes, line 1 column 12)",
        ),
        (
            "wide.csv",
            lambda d: [
                (d / "wide.csv").write_text(",16-64\n"),
                (d / "wide.json").write_text('{"reader": {"tab": "2.3", "sheet": "2.3"}}'),
            ],
            "--table: wide.json: reader option 'tab' unknown; the options are sheet, "
            "conditions, period, source, blocks, bands, decimal, check_unit",
        ),
        (
            "wide.csv",
            lambda d: [
                (d / "wide.csv").write_text(",16-64\n"),
                (d / "wide.json").write_text('{"reader": "2.3"}'),
            ],
            "--table: wide.json: reader must be an object of options (sheet, conditions, "
            'period, source, blocks, bands, decimal, check_unit), not "2.3"',
        ),
        (
            "wide.json",
            lambda d: (d / "wide.json").write_text("{}"),
            "--table {d}/wide.json: no wide.csv, .xlsx or .xls beside it; name the rate "
            "table's file, with its JSON metadata beside it",
        ),
    ],
)
def test_own_wide_table_file_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    setup: Callable[[Path], object],
    message: str,
) -> None:
    """A wide table without its JSON, or with a bad one, is refused naming the file and rule."""
    setup(tmp_path)
    table = tmp_path / name
    args = ["estimate", *MYE2, "--areas", "E06000017", "--table", str(table)]
    assert main([*args, "--out", str(tmp_path / "x.csv")]) == 2
    assert error_line(capsys) == "mhneed: error: " + message.format(d=tmp_path)
