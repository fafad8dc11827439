"""tools/snapshot_outputs.py: a snapshot of one command is reproducible, and a change is reported."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import snapshot_outputs as snap  # noqa: E402


def take(folder: Path, *patterns: str) -> Path:
    """Snapshot the commands matching the patterns from this checkout, with this interpreter."""
    args = ["--checkout", str(ROOT), "--python", sys.executable]
    for pattern in patterns:
        args += ["--only", pattern]
    assert snap.main([*args, str(folder)]) == 0
    return folder


def test_same_command_twice_no_differences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mhneed tables` and a failing command, snapshot twice: the diff finds nothing."""
    a = take(tmp_path / "a", "tables", "fail-no-such-file")
    b = take(tmp_path / "b", "tables", "fail-no-such-file")
    assert sorted(p.name for p in a.iterdir()) == ["_snapshot.json", "fail-no-such-file", "tables"]
    assert (a / "tables" / "exit_code.txt").read_text() == "0\n"
    assert (a / "fail-no-such-file" / "exit_code.txt").read_text() == "2\n"
    assert (a / "fail-no-such-file" / "stderr.txt").read_text(encoding="utf-8") == (
        "mhneed: error: --population nope.csv: no such file\n"
    )
    capsys.readouterr()
    assert snap.main(["--diff", str(a), str(b)]) == 0
    assert "no differences (8 files of 2 commands compared; 0 notes)" in capsys.readouterr().out


def test_changed_and_missing_files_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A changed line is shown as a diff, and a file in one snapshot only is named."""
    a = take(tmp_path / "a", "tables")
    b = tmp_path / "b"
    shutil.copytree(a, b)
    out = b / "tables" / "stdout.txt"
    out.write_text(out.read_text(encoding="utf-8").replace("apms_2014", "apms_2O14", 1), "utf-8")
    (b / "tables" / "files").mkdir()
    (b / "tables" / "files" / "extra.csv").write_text("a\n", encoding="utf-8")
    capsys.readouterr()
    assert snap.main(["--diff", str(a), str(b)]) == 1
    shown = capsys.readouterr().out
    assert "differs: tables/stdout.txt" in shown
    assert "only in B: tables/files/extra.csv" in shown
    assert "2 differences" in shown
    assert any(line.startswith("    +") and "apms_2O14" in line for line in shown.splitlines())


def test_workbooks_compared_by_cells_not_timestamps(tmp_path: Path) -> None:
    """Two workbooks written at different times are equal; a changed cell or format is named."""
    openpyxl = pytest.importorskip("openpyxl")
    import datetime

    def book(path: Path, value: object, bold: bool, year: int) -> Path:
        wb = openpyxl.Workbook()
        wb.active["B2"] = value
        wb.active["B2"].font = openpyxl.styles.Font(bold=bold)
        wb.properties.created = datetime.datetime(year, 1, 1)
        wb.save(path)
        return path

    paths: tuple[dict[str, str], dict[str, str]] = ({}, {})
    first = book(tmp_path / "a.xlsx", 12.5, False, 2020)
    later = book(tmp_path / "b.xlsx", 12.5, False, 2024)
    assert first.read_bytes() != later.read_bytes()
    assert snap.compare_files(first, later, paths, 40).kind == "same"
    changed = snap.compare_files(first, book(tmp_path / "c.xlsx", 12.6, True, 2024), paths, 40)
    assert changed.kind == "differ"
    assert changed.lines[0] == "sheet 'Sheet' B2: value 12.5 -> 12.6"
    assert changed.lines[1:] == ["sheet 'Sheet' B2: font b=False -> b=True"]


def test_images_compared_by_pixels(tmp_path: Path) -> None:
    """PNGs whose bytes differ only in metadata are a note; a changed pixel is a difference."""
    pytest.importorskip("matplotlib")
    import numpy as np
    from matplotlib import image

    pixels = np.zeros((4, 5, 3))
    image.imsave(tmp_path / "a.png", pixels, metadata={"Software": "one"})
    image.imsave(tmp_path / "b.png", pixels, metadata={"Software": "two"})
    pixels[1, 2] = 1.0
    image.imsave(tmp_path / "c.png", pixels, metadata={"Software": "one"})
    paths: tuple[dict[str, str], dict[str, str]] = ({}, {})
    note = snap.compare_files(tmp_path / "a.png", tmp_path / "b.png", paths, 40)
    assert (note.kind, note.lines) == ("note", ["bytes differ but every pixel is equal"])
    changed = snap.compare_files(tmp_path / "a.png", tmp_path / "c.png", paths, 40)
    assert changed.kind == "differ"
    assert changed.lines[0].startswith("pixels differ: 1 of 20")


def test_paths_normalised() -> None:
    """Absolute paths of the work folder and the checkout become placeholders, longest first."""
    paths = {"/tmp/x": "<WORK>", "/tmp/x/y": "<CHECKOUT>"}
    assert snap.normalise(b"/tmp/x/y/a and /tmp/x/b", paths) == b"<CHECKOUT>/a and <WORK>/b"
