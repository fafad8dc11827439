"""Unit tests for the CSV and Excel writers (mhneed.export)."""

from __future__ import annotations

import csv
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, MissingExtraError
from mhneed.outputs import csv_export
from mhneed.outputs.csv_export import write_csv
from mhneed.outputs.excel_export import write_excel
from mhneed.outputs.formula_guard import FORMULA_START, _runs_as_formula, safe_text

openpyxl = pytest.importorskip("openpyxl")

#: Names a hostile or careless file might hold, each of which a spreadsheet would run.
HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=2",
    # spreadsheets skip leading spaces and read full-width signs as the plain ones
    " =1+1",
    "\u00a0+7",
    "\u200b@A1",
    "＝HYPERLINK(1)",
    "＋3",
    "－4+1",
    "＠SUM(B1)",
    "﹦9",
]


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


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_text_prefixes_formula_starts(text: str) -> None:
    """Text starting with = + - @ tab or CR (after spaces, or full-width) gets an apostrophe."""
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["Rutland", "1,388 (1,199–1,577)", "", -5, -2.5, 0, None, " Rutland", "   ", "Ynys Môn", "a=b"],
)
def test_safe_text_leaves_the_rest(value: object) -> None:
    """Other text, and numbers (negative ones too), are unchanged."""
    assert safe_text(value) == value


def test_formula_start_is_the_documented_rule() -> None:
    """The characters are exactly those the docs list."""
    assert FORMULA_START == ("=", "+", "-", "@", "\t", "\r")


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


@pytest.mark.parametrize("asked", ["History", "HISTORY", "history"])
def test_excel_reserved_history_sheet_renamed(tmp_path: Path, asked: str) -> None:
    """Excel reserves 'History' (any case): a sheet asked to be called so gets a number."""
    est = mhneed.estimate(mhneed.rutland_population(), "apms_2014", conditions=["gad"])
    path = write_excel(mhneed.report_table(est), tmp_path / "h.xlsx", sheet_names=[asked])
    names = openpyxl.load_workbook(path).sheetnames
    assert names[0] == f"{asked} (2)"
    assert [n for n in names if n.lower() == "history"] == []
