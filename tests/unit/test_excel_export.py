"""Unit tests for the Excel writer of reports (mhneed.outputs.excel_export)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, MissingExtraError
from mhneed.outputs.excel_export import write_excel
from mhneed.outputs.formula_guard import _runs_as_formula
from tests.unit.test_csv_export import hostile_report, people, rutland_report
from tests.unit.test_formula_guard import HOSTILE

openpyxl = pytest.importorskip("openpyxl")


def demo_reports() -> list[mhneed.Report]:
    """APMS and perinatal reports for Rutland, as the demo makes them."""
    apms = mhneed.estimate(mhneed.rutland_population(), "apms_2014")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        peri = mhneed.estimate_perinatal(mhneed.rutland_births(), denominator="live_births")
    return [
        mhneed.report_table(apms, data_source="ONS MYE2"),
        mhneed.report_table(peri, round_to=5, how="up", data_source="ONS births"),
    ]


def test_excel_numbers_sources_notes(tmp_path: Path) -> None:
    """The workbook: report sheets with numbers as numbers, data sheets, Sources and Notes."""
    reports = demo_reports()
    book = openpyxl.load_workbook(write_excel(reports, tmp_path / "x.xlsx"))
    assert book.sheetnames == [
        "apms_2014",
        "apms_2014 data",
        "jcpmh_2012_perinatal",
        "jcpmh_2012_perinatal data",
        "Sources",
        "Notes",
    ]
    sheet = book["apms_2014"]
    assert sheet["A1"].value == "Estimated number of people with each condition"
    header = [c.value for c in sheet[5]]
    assert header[:10] == [
        "Area code",
        "Area",
        "Year",
        "Sex",
        "Condition",
        "Period",
        "Ages",
        "Population",
        "All",
        None,
    ]
    assert [c.value for c in sheet[6]][8:11] == ["estimate", "low", "high"]
    nums = reports[0].numbers()
    for i, rec in enumerate(nums.to_dict("records")):
        cells = sheet[7 + i]
        assert cells[4].value == rec["Condition"]
        assert cells[7].value == rec["Population"]
        assert cells[7].data_type == "n"
        assert cells[8].value == pytest.approx(rec["All"])
        assert cells[8].data_type == "n"
        if pd.isna(rec["All low"]):
            assert cells[9].value is None
        else:
            assert cells[9].value == pytest.approx(rec["All low"])
    notes_start = 7 + len(nums) + 1
    assert [sheet.cell(row=notes_start + i, column=1).value for i in range(2)] == [
        reports[0].notes[0],
        reports[0].notes[1],
    ]
    peri = book["jcpmh_2012_perinatal"]
    row = [c.value for c in peri[7]]
    assert row[:2] == ["E06000017", "Rutland"]
    assert row[8:11] == [5, 5, 5]  # a single published figure (2 per 1,000): 0.682 rounded up to 5

    sources = list(book["Sources"].iter_rows(values_only=True))
    assert sources[0][:3] == ("Table", "Edition", "Title")
    cited = {(r[0], r[7]) for r in sources[1:]}
    for rep in reports:
        for source in rep.provenance["sources"]:
            assert (rep.table.id, source["citation"]) in cited
    assert ("apms_2014", 2014) in {(r[0], r[1]) for r in sources[1:]}

    notes = [c for r in book["Notes"].iter_rows(values_only=True) for c in r if c is not None]
    for rep in reports:
        for note in rep.notes:
            assert note in notes
    assert "rounded up to a multiple of 5" in notes
    assert notes.count("in_scope") == 2  # one coverage table per report
    assert 31542 in notes
    assert 6480 in notes


def test_excel_formula_injection(tmp_path: Path) -> None:
    """No cell of the workbook is a formula; hostile names are text with an apostrophe."""
    book = openpyxl.load_workbook(write_excel(hostile_report(), tmp_path / "h.xlsx"))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not _runs_as_formula(cell.value)
                    texts.append(cell.value)
                if cell.value == -1:
                    assert cell.data_type == "n"
    for name in HOSTILE:  # XML reads a carriage return back as a line feed
        assert "'" + name.replace("\r", "\n") in texts


def test_excel_sheet_names(tmp_path: Path) -> None:
    """Given names are cleaned, cut to 31 characters and made unique."""
    reports = demo_reports()
    names = ["a/b:c*d", "x" * 40]
    book = openpyxl.load_workbook(write_excel(reports, tmp_path / "n.xlsx", sheet_names=names))
    assert book.sheetnames[:4] == ["a_b_c_d", "a_b_c_d data", "x" * 31, "x" * 26 + " data"]
    same = openpyxl.load_workbook(
        write_excel(reports, tmp_path / "s.xlsx", sheet_names=["Same", "Same"])
    )
    assert same.sheetnames[:4] == ["Same", "Same data", "Same (2)", "Same data (2)"]


def test_excel_sheet_names_count(tmp_path: Path) -> None:
    """One sheet name per report."""
    with pytest.raises(InputError) as err:
        write_excel(demo_reports(), tmp_path / "n.xlsx", sheet_names=["only one"])
    assert str(err.value) == ("write_excel: 1 sheet names for 2 reports; give one name per report")


def test_excel_no_reports(tmp_path: Path) -> None:
    """An empty list is refused."""
    with pytest.raises(InputError) as err:
        write_excel([], tmp_path / "e.xlsx")
    assert str(err.value) == "write_excel: no reports given; give one Report or a list of them"


def test_excel_missing_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without openpyxl the error names the extra to install."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingExtraError) as err:
        write_excel(demo_reports(), tmp_path / "m.xlsx")
    assert str(err.value) == (
        'writing Excel files needs openpyxl, an optional extra: pip install "mhneed[excel]"'
    )
    assert isinstance(err.value, ImportError)
    assert not (tmp_path / "m.xlsx").exists()


def test_failed_excel_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook save that fails half-way leaves no partial workbook behind."""

    def half(self: object, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", half)
    with pytest.raises(OSError, match="No space left"):
        write_excel(rutland_report(), tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_excel_control_character_in_a_name(tmp_path: Path) -> None:
    """A control character in an area name is mhneed's error naming the cell (was openpyxl's
    IllegalCharacterError); nothing is written."""
    rep = mhneed.report_table(
        mhneed.estimate(people(["Rut\x07land"]), "apms_2014", conditions=["gad"]),
        by=["area_name", "ward"],
    )
    with pytest.raises(InputError) as err:
        write_excel(rep, tmp_path / "c.xlsx")
    assert str(err.value) == (
        "write_excel: sheet 'apms_2014', cell A7: text 'Rut\\x07land' holds a control character "
        "(U+0007) that Excel cannot store; remove it from the input (such as an area or group "
        "name)"
    )
    assert (err.value.column, err.value.rule) == (
        "reports",
        "no control characters in text written to Excel",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("asked", ["History", "HISTORY", "history"])
def test_excel_reserved_history_sheet_renamed(tmp_path: Path, asked: str) -> None:
    """Excel reserves 'History' (any case): a sheet asked to be called so gets a number."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["gad"])
    path = write_excel(mhneed.report_table(est), tmp_path / "h.xlsx", sheet_names=[asked])
    names = openpyxl.load_workbook(path).sheetnames
    assert names[0] == f"{asked} (2)"
    assert [n for n in names if n.lower() == "history"] == []
