"""Unit tests for mhneed.inputs.geography: GSS levels and totals that cross them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import CombineError
from mhneed.inputs.geography import LEVELS, check_named_levels, check_one_level, level_of
from tests.conftest import DATA

FEMALES = DATA / "ons_mye2_2014" / "UK females-Table 1.csv"
MALES = DATA / "ons_mye2_2014" / "UK males-Table 1.csv"

HINT = (
    "an area of one level can hold areas of another (a county holds its districts, a "
    "country everything in it), so people would be counted twice. Keep the areas apart "
    "(their area_code or area_name in by; on the command line, in --by), choose areas of "
    "one level, or say which areas make each total (groups=; --group-by)"
)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("E92000001", "country"),
        ("W92000004", "country"),
        ("S92000003", "country"),
        ("N92000002", "country"),
        ("K02000001", "United Kingdom"),
        ("K03000001", "Great Britain"),
        ("K04000001", "England and Wales"),
        ("E12000004", "region"),
        ("E10000018", "county"),
        ("E11000001", "county"),
        ("E13000001", "county"),
        ("E06000017", "district or unitary authority"),
        ("E07000129", "district or unitary authority"),
        ("E08000001", "district or unitary authority"),
        ("E09000001", "district or unitary authority"),
        ("W06000014", "district or unitary authority"),
        ("S12000033", "district or unitary authority"),
        ("N09000001", "district or unitary authority"),
        ("E02000001", "middle layer super output area"),
        ("E01000001", "lower layer super output area"),
        ("S01000001", "lower layer super output area"),
        ("E00000001", "output area"),
        (" e07000129 ", "district or unitary authority"),
    ],
)
def test_level_of_gss_codes(code: str, level: str) -> None:
    """Each GSS prefix has its level; case and surrounding spaces do not matter."""
    assert level_of(code) == level


@pytest.mark.parametrize("code", ["E05000001", "E38000001", "A", "E0700012", "E07ABCDEF", 7, None])
def test_level_of_unknown_codes(code: object) -> None:
    """Codes of other kinds, or not GSS codes at all, have no level."""
    assert level_of(code) is None


def test_every_prefix_has_one_level() -> None:
    """No prefix is listed under two levels."""
    prefixes = [p for ps in LEVELS.values() for p in ps]
    assert len(prefixes) == len(set(prefixes))


def test_one_level_passes() -> None:
    """Districts, unitaries, metropolitan districts and unknown codes add up without a word."""
    check_one_level(["E06000017", "E07000129", "E08000001", "W06000014", "my area"], "t")


def test_mixed_levels_named() -> None:
    """A county with its district is refused, naming each code and its level."""
    with pytest.raises(CombineError) as info:
        check_one_level(["E07000129", "E10000018"], "summarise(by=['year'])")
    assert str(info.value) == (
        "summarise(by=['year']): this total would add areas of different geography levels "
        f"(county: E10000018; district or unitary authority: E07000129); {HINT}"
    )
    assert info.value.rule == "totals never cross geography levels"
    assert info.value.column == "area_code"
    assert info.value.values == ("E10000018", "E07000129")


def test_many_codes_are_shortened() -> None:
    """Beyond five codes of a level, the message says how many more."""
    codes = ["E92000001", *[f"E0700012{i}" for i in range(8)]]
    with pytest.raises(CombineError) as info:
        check_one_level(codes, "t")
    assert str(info.value).startswith(
        "t: this total would add areas of different geography levels (country: E92000001; "
        "district or unitary authority: E07000120, E07000121, E07000122, E07000123, "
        "E07000124 and 3 more); "
    )
    assert len(info.value.values) == 9


def test_named_levels() -> None:
    """Names with levels (the ONS births table's layout) are checked the same way."""
    check_named_levels({"Blaby": "district or unitary authority", "Elsewhere": None}, "t")
    with pytest.raises(CombineError) as info:
        check_named_levels(
            {"Leicestershire": "county", "Blaby": "district or unitary authority"}, "--by year"
        )
    assert str(info.value) == (
        "--by year: this total would add areas of different geography levels (county: "
        f"Leicestershire; district or unitary authority: Blaby); {HINT}"
    )


# -- the summaries refuse totals across levels ----------------------------------------


@pytest.fixture(scope="module")
def county_and_district() -> mhneed.Estimate:
    """Leicestershire (E10000018) and its district Blaby (E07000129), mid-2014."""
    people = mhneed.read_ons_mye2([FEMALES, MALES])
    both = people[people["area_code"].isin(["E10000018", "E07000129"])]
    return mhneed.estimate(both, "apms_2014", conditions=["gad"])


def test_summarise_across_levels_is_refused(county_and_district: mhneed.Estimate) -> None:
    """summarise(by=['year', 'condition']) over a county and its district is refused."""
    with pytest.raises(CombineError) as info:
        county_and_district.summarise(by=["year", "condition"])
    assert str(info.value) == (
        "summarise(by=['year', 'condition']): this total would add areas of different "
        "geography levels (county: E10000018; district or unitary authority: E07000129); "
        f"{HINT}"
    )


def test_summarise_by_area_is_allowed(county_and_district: mhneed.Estimate) -> None:
    """Keeping area_code in by adds nothing across areas, so both levels are fine."""
    out = county_and_district.summarise(by=["area_code", "condition"]).to_frame()
    assert sorted(out["area_code"]) == ["E07000129", "E10000018"]


def test_explicit_groups_are_allowed(county_and_district: mhneed.Estimate) -> None:
    """groups= says which areas make a total: the user's explicit choice is taken."""
    groups = {"E10000018": "county", "E07000129": "blaby"}
    out = county_and_district.summarise(by=["group", "condition"], groups=groups).to_frame()
    cells = county_and_district.to_frame()
    for code, group in groups.items():
        expected = cells.loc[cells["area_code"] == code, "cases"].sum()
        got = out.loc[out["group"] == group, "cases"].iloc[0]
        assert got == pytest.approx(expected)


def test_simulate_and_report_refuse_too(county_and_district: mhneed.Estimate) -> None:
    """simulate() and report_table() go through the same check."""
    with pytest.raises(CombineError, match="different geography levels"):
        county_and_district.simulate(by=["year", "condition"], draws=100, seed=1)
    with pytest.raises(CombineError, match="different geography levels"):
        mhneed.report_table(county_and_district, by=["year"])


def test_a_key_that_separates_levels_is_allowed() -> None:
    """Totals whose rows each hold one level (here by a level column) are fine."""
    frame = pd.DataFrame(
        {
            "area_code": ["E10000018", "E07000129", "E07000130"],
            "tier": ["county", "district", "district"],
            "sex": "female",
            "age": 30,
            "population": [1000.0, 100.0, 200.0],
        }
    )
    est = mhneed.estimate(frame, "apms_2014", conditions=["gad"])
    out = est.summarise(by=["tier", "condition"]).to_frame()
    assert out["population"].tolist() == [1000.0, 300.0]
    with pytest.raises(CombineError, match="different geography levels"):
        est.summarise(by=["condition"])


def test_cli_by_year_over_county_and_district(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`mhneed estimate --areas E10000018,E07000129 --by year` is refused, exit 2."""
    from mhneed.cli import main

    argv = ["estimate", "--population", str(FEMALES), "--population", str(MALES)]
    argv += ["--table", "apms_2014", "--areas", "E10000018,E07000129", "--by", "year"]
    argv += ["--out", str(tmp_path / "out.csv"), "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "mhneed: error: summarise(by=['year', 'condition', 'sex', 'age_band']): this total "
        "would add areas of different geography levels (county: E10000018; district or "
        f"unitary authority: E07000129); {HINT}"
    )
    assert not (tmp_path / "out.csv").exists()


def test_cli_perinatal_names_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`perinatal --areas Leicestershire,Blaby --by year` on the names-only table is refused."""
    from mhneed.cli import main

    births = DATA / "ons_births_2014" / "Table 3-Table 1.csv"
    argv = ["perinatal", "--births", str(births), "--areas", "Leicestershire,Blaby"]
    argv += ["--by", "year", "--out", str(tmp_path / "out.csv"), "--quiet"]
    assert main(argv) == 2
    assert capsys.readouterr().err.strip() == (
        "mhneed: error: --by year: this total would add areas of different geography levels "
        f"(county: Leicestershire; district or unitary authority: Blaby); {HINT}"
    )
    argv[argv.index("Leicestershire,Blaby")] = "Blaby,Harborough"
    assert main(argv) == 0
