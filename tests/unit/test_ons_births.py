"""Unit tests for mhneed.inputs.ons_births: the ONS births-by-area reader."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError, MissingColumnError
from mhneed.inputs.ons_births import BIRTHS_AREA_TYPES


def message(exc: pytest.ExceptionInfo[BaseException]) -> str:
    """The error's message."""
    return str(exc.value)


# -- read_ons_births -------------------------------------------------------------------

BIRTHS_TOP = [
    "Contents,,,",
    '"Table 3 Live births by area of usual residence of mother, numbers, 2014",,,',
    ",,,",
    "Area of usual residence,Live births,     GFR1,TFR2",
    ",,,",
]
BIRTHS_BODY = [
    '"ENGLAND, WALES AND ELSEWHERE ","1,120",62.1,1.83',
    ",,,",
    'ENGLAND,"1,000",62.2,1.83',
    ",,,",
    "WALES,100,59.1,1.78",
    ",,,",
    "EAST MIDLANDS,900,60.7,1.84",
    " ,,,",
    "Rutland UA,341,59.8,2.06",
    "Leicester UA ,59,59.8,2.06",
    ",,,",
    "Leicestershire ,500,56.1,1.75",
    "Blaby,200,61.6,1.86",
    "Melton ,300,59.9,1.89",
    ",,,",
    "West Midlands (Met County),0,1,1",
    "Birmingham,0,1,1",
    ",,,",
    "LONDON,0,1,1",
    ",,,",
    "Inner London,0,1,1",
    "Camden,0,1,1",
    ",,,",
    "WALES,100,59.1,1.78",
    ",,,",
    "Isle of Anglesey                ,40,67.6,2.08",
    "Rhondda\u201a Cynon\u201a Taff            ,60,59.7,1.77",
    ",,,",
    "Local Health Boards (LHBs) in Wales,,,",
    ",,,",
    "WALES                                ,100,59.1,1.78",
    "Hywel Dda,100,56.8,1.77",
    ",,,",
    "Usual residence outside England and Wales,20,:,:",
    ",,,",
    '"Notes:   A birth to a mother whose usual residence is outside ...",,,',
    "Source: Office for National Statistics (ONS),,Released: ,2015",
    ",,,",
]


def births_file(folder: Path, body: list[str] = BIRTHS_BODY, name: str = "births.csv") -> Path:
    """Write a small births table in the ONS layout."""
    path = folder / name
    path.write_bytes("\r\n".join([*BIRTHS_TOP, *body]).encode("utf-8"))
    return path


def test_births_reads_names_kinds_and_births(tmp_path: Path) -> None:
    """Each area gets a clean name, its kind of row, the year and its births."""
    frame = mhneed.read_ons_births(births_file(tmp_path))
    assert list(frame.columns) == ["area_name", "area_type", "year", "births"]
    got = dict(zip(frame["area_name"], frame["area_type"], strict=False))
    assert got == {
        "ENGLAND, WALES AND ELSEWHERE": "total",
        "ENGLAND": "country",
        "WALES": "country",
        "EAST MIDLANDS": "region",
        "Rutland": "unitary authority",
        "Leicester": "unitary authority",
        "Leicestershire": "county",
        "Blaby": "district",
        "Melton": "district",
        "West Midlands (Met County)": "metropolitan county",
        "Birmingham": "metropolitan district",
        "LONDON": "region",
        "Inner London": "inner or outer London",
        "Camden": "London borough",
        "Isle of Anglesey": "unitary authority",
        "Rhondda, Cynon, Taff": "unitary authority",
        "Hywel Dda": "local health board",
        "Usual residence outside England and Wales": "outside England and Wales",
    }
    assert set(frame["area_type"]) <= set(BIRTHS_AREA_TYPES)
    assert (frame["area_name"] == "WALES").sum() == 1  # the repeat above the boards is left out
    births = frame.set_index("area_name")["births"]
    assert births["Rutland"] == 341
    assert births["ENGLAND, WALES AND ELSEWHERE"] == 1120
    assert frame["births"].dtype == np.int64
    assert set(frame["year"]) == {2014}


def test_births_local_authorities_add_up_to_countries(tmp_path: Path) -> None:
    """Lower-tier rows add up without counting anyone twice (here, the East Midlands rows)."""
    frame = mhneed.read_ons_births(births_file(tmp_path))
    lower = frame[frame["area_type"].isin(["unitary authority", "district"])]
    east_midlands = lower[lower["area_name"].isin(["Rutland", "Leicester", "Blaby", "Melton"])]
    assert east_midlands["births"].sum() == 900


def test_births_not_applicable_is_missing(tmp_path: Path) -> None:
    """':' in the births column is read as missing."""
    body = ["Rutland UA,341,59.8,2.06", "Nowhere UA,:,:,:"]
    frame = mhneed.read_ons_births(births_file(tmp_path, body))
    assert frame["births"].dtype == np.float64
    assert np.isnan(frame["births"].iloc[1])


def test_births_matches_names_to_codes(tmp_path: Path) -> None:
    """With a population, names get codes; names not found are listed in attrs."""
    population = pd.DataFrame(
        {
            "area_code": ["E06000017", "E06000017", "E07000129", "E06000016", "W06000016"],
            "area_name": ["Rutland", "Rutland", "Blaby", "Leicester", "Rhondda Cynon Taf"],
        }
    )
    frame = mhneed.read_ons_births(births_file(tmp_path), population)
    assert frame.columns[0] == "area_code"
    codes = dict(zip(frame["area_name"], frame["area_code"], strict=False))
    assert codes["Rutland"] == "E06000017"
    assert codes["Leicester"] == "E06000016"
    assert codes["Blaby"] == "E07000129"
    assert codes["Melton"] is None
    assert "Melton" in frame.attrs["unmatched"]
    assert "Rhondda, Cynon, Taff" in frame.attrs["unmatched"]  # ONS spells it two ways


def test_births_unmatched_error(tmp_path: Path) -> None:
    """With unmatched='error', names not found are an error listing them."""
    body = ["Rutland UA,341,59.8,2.06", "Melton ,300,59.9,1.89"]
    population = pd.DataFrame({"area_code": ["E06000017"], "area_name": ["Rutland"]})
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_births(births_file(tmp_path, body), population, unmatched="error")
    assert message(exc) == (
        "read_ons_births: 1 area name in births.csv not found in the population's area_name: "
        "'Melton'"
    )
    assert exc.value.values == ("Melton",)


def test_births_name_matching_two_areas_is_unmatched(tmp_path: Path) -> None:
    """A name shared by two area codes is not guessed."""
    body = ["Rutland UA,341,59.8,2.06"]
    population = pd.DataFrame(
        {"area_code": ["E06000017", "E99999999"], "area_name": ["Rutland", "RUTLAND"]}
    )
    frame = mhneed.read_ons_births(births_file(tmp_path, body), population)
    assert frame["area_code"].tolist() == [None]
    assert frame.attrs["unmatched"] == ["Rutland (more than one area)"]


def test_births_population_without_names(tmp_path: Path) -> None:
    """A population without area_name cannot be matched by name."""
    population = pd.DataFrame({"area_code": ["E06000017"], "population": [1]})
    with pytest.raises(MissingColumnError) as exc:
        mhneed.read_ons_births(births_file(tmp_path), population)
    assert message(exc) == (
        "read_ons_births: population has no column 'area_name', needed to match births to "
        "area codes by name; it has: area_code, population"
    )


def test_births_bad_unmatched_option(tmp_path: Path) -> None:
    """unmatched must be 'report' or 'error'."""
    population = pd.DataFrame({"area_code": ["E06000017"], "area_name": ["Rutland"]})
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_births(births_file(tmp_path), population, unmatched="drop")  # type: ignore[arg-type]
    assert message(exc) == "read_ons_births: unmatched='drop' is not one of 'report', 'error'"


def test_births_no_header(tmp_path: Path) -> None:
    """A file without the births header is an error."""
    path = tmp_path / "births.csv"
    path.write_text("Area,Births\nRutland,341\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_births(path)
    assert message(exc) == (
        "read_ons_births: births.csv: no header row 'Area of usual residence,Live births,…' "
        "found; is this the ONS table of live births by area of usual residence of mother?"
    )


def test_births_tab_separated(tmp_path: Path) -> None:
    """A tab-separated births table is an error that says so."""
    path = tmp_path / "births.tsv"
    path.write_text("Area of usual residence\tLive births\nRutland UA\t341\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_births(path)
    assert message(exc).endswith("; the file looks tab-separated: save it as CSV")


def test_births_header_only(tmp_path: Path) -> None:
    """A births table with no areas is an error."""
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_births(births_file(tmp_path, [",,,", "Notes: none,,,"]))
    assert message(exc) == "read_ons_births: births.csv: no areas below the header on line 4"


def test_births_bad_value(tmp_path: Path) -> None:
    """A births value that is neither a count nor ':' is an error."""
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_births(births_file(tmp_path, ["Rutland UA,three hundred,59.8,2.06"]))
    assert message(exc) == (
        "read_ons_births: births.csv line 6 (Rutland): Live births value 'three hundred' is not "
        "a count or ':'"
    )
    assert exc.value.column == "Live births"


def test_births_value_without_name(tmp_path: Path) -> None:
    """A births figure with no area name is an error."""
    with pytest.raises(InputError) as exc:
        mhneed.read_ons_births(births_file(tmp_path, [" ,341,59.8,2.06"]))
    assert message(exc) == "read_ons_births: births.csv line 6: births '341' but no area name"


def test_births_empty_file(tmp_path: Path) -> None:
    """An empty births file is an error."""
    path = tmp_path / "births.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=re.escape("read_ons_births: births.csv is empty")):
        mhneed.read_ons_births(path)
