"""Unit tests for the CSV writer (mhneed.outputs.csv_export), and what both writers refuse."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError
from mhneed.outputs import csv_export
from mhneed.outputs.csv_export import write_csv
from mhneed.outputs.excel_export import write_excel
from mhneed.outputs.formula_guard import _runs_as_formula
from tests.unit.test_formula_guard import HOSTILE

openpyxl = pytest.importorskip("openpyxl")


def people(names: list[str]) -> pd.DataFrame:
    """Rutland's population repeated under each (hostile) area name, with a numeric key."""
    base = mhneed.rutland_population().drop(columns=["area_code"])
    frames = [base.assign(area_name=n, ward=-(i + 1)) for i, n in enumerate(names)]
    out = pd.concat(frames, ignore_index=True)
    out.attrs["top_age"] = 90
    return out


def hostile_report() -> mhneed.Report:
    """A report whose area names would all be formulas if written naively."""
    est = mhneed.estimate(people(HOSTILE), "apms_2014", conditions=["gad", "ptsd"])
    return mhneed.report_table(est, by=["area_name", "ward"])


def is_number(text: str) -> bool:
    """True for a field a spreadsheet reads as a number (such as -1), not as a formula."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_rows(path: Path) -> list[list[str]]:
    """A CSV file's rows as written (the byte-order mark removed)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_report_csv_layout_and_notes(tmp_path: Path) -> None:
    """Report CSV: title, blank, header, lines, blank, notes (rounding and overlap first)."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014")
    rep = mhneed.report_table(est, round_to=5, how="up")
    path = write_csv(rep, tmp_path / "r.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_rows(path)
    assert rows[0] == ["Estimated number of people with each condition"]
    assert rows[1] == []
    header = rows[2]
    assert header == [
        "Area code",
        "Area",
        "Year",
        "Sex",
        "Condition",
        "Period",
        "Ages",
        "Population",
        "All",
        "Range",
    ]
    lines = rows[3 : 3 + len(rep.layout())]
    ptsd = next(r for r in lines if r[4].startswith("Post-traumatic") and r[3] == "All people")
    assert ptsd[7:] == ["31,542", "1,390 (1,200–1,580)", "95% confidence interval"]
    notes = rows[3 + len(rep.layout()) + 1 :]
    assert [n[0] for n in notes] == rep.notes
    assert notes[0][0].startswith("Rounding: every figure is rounded up to a multiple of 5")
    assert notes[1][0].startswith("Conditions overlap")


def test_tidy_csv_numbers(tmp_path: Path) -> None:
    """Tidy CSV: one figure per row, numbers as written by Python, rounding and table columns."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["gad"])
    rep = mhneed.report_table(est)
    frame = pd.read_csv(write_csv(rep, tmp_path / "t.csv", layout="tidy"))
    assert list(frame.columns) == [
        "area_code",
        "area_name",
        "year",
        "sex",
        "condition",
        "label",
        "period",
        "ages",
        "age_band",
        "population",
        "cases",
        "cases_lower",
        "cases_upper",
        "interval",
        "range_only",
        "rounding",
        "table",
    ]
    gad = frame.set_index("sex")["cases"]
    assert gad["female"] == 15356 * 0.068
    assert gad["male"] == 16186 * 0.049
    assert frame["table"].unique().tolist() == ["apms_2014"]


def test_csv_formula_injection(tmp_path: Path) -> None:
    """No field of either CSV layout starts a formula; negative numeric keys stay numbers."""
    rep = hostile_report()
    for layout in ("report", "tidy"):
        rows = read_rows(write_csv(rep, tmp_path / f"{layout}.csv", layout=layout))
        fields = [field for row in rows for field in row]
        assert [f for f in fields if _runs_as_formula(f) and not is_number(f)] == []
        for name in HOSTILE:
            assert "'" + name in fields
        assert "-1" in fields
        assert "'-1" not in fields


def test_csv_bad_layout(tmp_path: Path) -> None:
    """An unknown layout is refused."""
    rep = mhneed.report_table(mhneed.estimate(mhneed.rutland_population(), "apms_2014"))
    with pytest.raises(InputError) as err:
        write_csv(rep, tmp_path / "x.csv", layout="wide")  # type: ignore[arg-type]
    assert str(err.value) == "write_csv: layout='wide' is not one of 'report', 'tidy'"


def rutland_report() -> mhneed.Report:
    """APMS 2014 for Rutland, in the report layout."""
    return mhneed.report_table(mhneed.estimate(mhneed.rutland_population(), "apms_2014"))


def test_writers_refuse_an_estimate(tmp_path: Path) -> None:
    """An Estimate given where a Report belongs: mhneed's error, naming the fix."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014")
    with pytest.raises(InputError) as err:
        write_csv(est, tmp_path / "e.csv")  # type: ignore[arg-type]
    assert str(err.value) == (
        "write_csv: report is an Estimate, not a Report; make one with "
        "mhneed.report_table(estimate) and write that"
    )
    assert (err.value.column, err.value.rule) == ("report", "a Report from report_table")
    with pytest.raises(InputError) as err:
        write_excel([rutland_report(), est], tmp_path / "e.xlsx")  # type: ignore[list-item]
    assert str(err.value) == (
        "write_excel: reports[1] is an Estimate, not a Report; make one with "
        "mhneed.report_table(estimate) and write that"
    )
    with pytest.raises(InputError) as err:
        write_csv(est.to_frame(), tmp_path / "e.csv")  # type: ignore[arg-type]
    assert str(err.value) == (
        "write_csv: report is a DataFrame, not a Report; make one with "
        "mhneed.report_table(estimate); to write a frame as it is, use DataFrame.to_csv"
    )
    assert list(tmp_path.iterdir()) == []


def test_writers_refuse_a_missing_folder_and_wrong_suffix(tmp_path: Path) -> None:
    """A path in a missing folder, or of the other kind of file, is refused before writing."""
    rep = rutland_report()
    missing = tmp_path / "nowhere" / "r.csv"
    with pytest.raises(InputError) as err:
        write_csv(rep, missing)
    assert str(err.value) == (
        f"write_csv: path={str(missing)!r}: the folder {str(missing.parent)!r} does not exist; "
        "create it first"
    )
    assert (err.value.column, err.value.rule) == ("path", "the folder exists")
    with pytest.raises(InputError) as err:
        write_excel(rep, tmp_path / "r.csv")
    assert str(err.value) == (
        f"write_excel: path={str(tmp_path / 'r.csv')!r} does not end in .xlsx; "
        "write_excel writes Excel (.xlsx) files"
    )
    assert (err.value.column, err.value.rule) == ("path", "a .xlsx file")
    with pytest.raises(InputError) as err:
        write_csv(rep, tmp_path / "r.xlsx")
    assert str(err.value) == (
        f"write_csv: path={str(tmp_path / 'r.xlsx')!r} does not end in .csv; "
        "write_csv writes CSV files"
    )
    with pytest.raises(InputError) as err:
        write_csv(rep, tmp_path)
    assert str(err.value) == (
        f"write_csv: path={str(tmp_path)!r} does not end in .csv; write_csv writes CSV files"
    )
    assert list(tmp_path.iterdir()) == []


def test_failed_csv_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails half-way leaves the old file whole and no temporary file."""
    rep = rutland_report()
    target = tmp_path / "r.csv"
    target.write_text("last quarter's report\n", encoding="utf-8")
    calls = {"n": 0}
    real = csv_export._csv_value

    def failing(value: object) -> object:
        calls["n"] += 1
        if calls["n"] > 20:
            raise OSError(28, "No space left on device")
        return real(value)

    monkeypatch.setattr(csv_export, "_csv_value", failing)
    with pytest.raises(OSError, match="No space left"):
        write_csv(rep, target)
    assert target.read_text(encoding="utf-8") == "last quarter's report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]
    monkeypatch.setattr(csv_export, "_csv_value", real)
    write_csv(rep, target)
    assert read_rows(target)[0][0].startswith("Estimated")
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_tidy_csv_has_no_floating_noise(tmp_path: Path) -> None:
    """Tidy figures are written to 15 significant digits: 1837.322, not 1837.3220000000001."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014")
    rows = read_rows(write_csv(mhneed.report_table(est), tmp_path / "t.csv", layout="tidy"))
    header = rows[0]
    numbers = [
        row[header.index(c)] for row in rows[1:] for c in ("cases", "cases_lower", "cases_upper")
    ]
    assert "1837.322" in numbers
    assert [n for n in numbers if len(n.replace("-", "").replace(".", "").lstrip("0")) > 15] == []
    assert 15356 * 0.068 + 16186 * 0.049 == 1837.3220000000001  # the noise, in the arithmetic
