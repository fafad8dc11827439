"""Unit tests for the mhneed command line, run in-process (see tests/e2e for subprocess runs)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.cli import charts as cli_charts
from mhneed.cli import main, tables_command
from mhneed.cli.inputs import detect, read_population
from tests.conftest import DATA

FEMALES = DATA / "ons_mye2_2014" / "UK females-Table 1.csv"
MALES = DATA / "ons_mye2_2014" / "UK males-Table 1.csv"
BIRTHS = DATA / "ons_births_2014" / "Table 3-Table 1.csv"
NOMIS = DATA / "nomis_mye_2011" / "rutland_NM_2002_1_extract.tsv"


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line on stderr."""
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_tables_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    """`mhneed tables` lists ids; `mhneed table ID` describes one."""
    assert main(["tables"]) == 0
    assert "apms_2014" in capsys.readouterr().out
    assert main(["table", "apms_2014"]) == 0
    out = capsys.readouterr().out
    assert "Generalised anxiety disorder (past week" in out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    """No command: the help, exit 0."""
    assert main([]) == 0
    assert capsys.readouterr().out.startswith("usage: mhneed")


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """--help prints the command's options and returns 0."""
    assert main(["estimate", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--population", "--format", "--group-by", "--round", "--how", "--charts"):
        assert option in out


def test_usage_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing or unknown option: one line naming the command, exit 2."""
    assert main(["estimate", "--table", "apms_2014"]) == 2
    assert error_line(capsys) == (
        "mhneed estimate: error: the following arguments are required: --population, --out "
        "(see: mhneed estimate --help)"
    )
    assert main(["estimate", "--population", "x", "--table", "t", "--out", "o", "--how", "x"]) == 2
    line = error_line(capsys)  # argparse words the choices differently by Python version
    assert line.startswith("mhneed estimate: error: argument --how: invalid choice: 'x'")
    assert line.endswith(" (see: mhneed estimate --help)")
    assert main(["frobnicate"]) == 2
    assert error_line(capsys).startswith("mhneed: error: argument COMMAND: invalid choice:")


def test_bad_table(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown table: exit 2 with the list of ids."""
    assert main(["table", "nope"]) == 2
    assert error_line(capsys).startswith(
        "mhneed: error: no shipped rate table has id 'nope'; the tables are: "
    )


def test_how_without_round(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--how alone is refused before any file is read."""
    args = ["--population", "x.csv", "--table", "apms_2014", "--out", str(tmp_path / "o.csv")]
    assert main(["estimate", *args, "--how", "up"]) == 2
    assert error_line(capsys) == (
        "mhneed: error: --how needs --round: say what to round to, such as --round 5 --how up"
    )


def test_missing_file_and_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A missing file, or a folder, named with its option."""
    out = str(tmp_path / "o.csv")
    assert main(["estimate", "--population", "nope.csv", "--table", "apms_2014", "--out", out]) == 2
    assert error_line(capsys) == "mhneed: error: --population nope.csv: no such file"
    args = ["estimate", "--population", str(tmp_path), "--table", "apms_2014", "--out", out]
    assert main(args) == 2
    assert error_line(capsys) == f"mhneed: error: --population {tmp_path}: a folder, not a file"


def test_unwritable_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An output path under a file: one line from the operating system's error."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out = str(blocker / "o.csv")
    assert main(["estimate", "--population", str(NOMIS), "--table", "apms_2014", "--out", out]) == 2
    line = error_line(capsys)
    assert line.startswith("mhneed: error: ")
    assert str(blocker) in line


def test_group_by_areas_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A mapping that lists an area the population lacks is named."""
    mapping = tmp_path / "m.csv"
    mapping.write_text("area_code,group\nE06000017,A\nE09999999,A\n", encoding="utf-8")
    args = ["--population", str(NOMIS), "--table", "apms_2014", "--out", str(tmp_path / "o.csv")]
    assert main(["estimate", *args, "--group-by", str(mapping)]) == 2
    assert error_line(capsys) == (
        "mhneed: error: --group-by: E09999999 is in the mapping but not in the population"
    )


def test_births_group_by_needs_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The ONS births table has names only: grouping needs --population for the codes."""
    mapping = tmp_path / "m.csv"
    mapping.write_text("area_code,group\nE06000017,A\n", encoding="utf-8")
    args = ["--births", str(BIRTHS), "--out", str(tmp_path / "o.csv"), "--group-by", str(mapping)]
    assert main(["perinatal", *args]) == 2
    assert error_line(capsys) == (
        "mhneed: error: the births have no area_code column, so areas cannot be chosen or "
        "grouped: give --population so the ONS births table's names get area codes"
    )


def test_tidy_csv_unreadable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file that is not CSV text: one line."""
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    args = ["--population", str(bad), "--table", "apms_2014", "--out", str(tmp_path / "o.csv")]
    assert main(["estimate", *args]) == 2
    assert error_line(capsys) == (
        "mhneed: error: --population bad.csv: not a readable CSV (No columns to parse from file)"
    )


def test_internal_error_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected failure: exit 1, one line asking for --debug and a report."""

    def boom(*args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(tables_command, "list_tables", boom)
    assert main(["tables"]) == 1
    assert error_line(capsys) == (
        "mhneed: internal error: RuntimeError: boom (run again with --debug for the traceback, "
        "and please report it)"
    )
    with pytest.raises(RuntimeError):
        main(["--debug", "tables"])


def test_interrupted(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C: exit 130 and one line."""

    def interrupt(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(tables_command, "list_tables", interrupt)
    assert main(["tables"]) == 130
    assert error_line(capsys) == "mhneed: interrupted"


@pytest.mark.parametrize(
    ("path", "kind"),
    [(FEMALES, "mye2"), (NOMIS, "nomis"), (BIRTHS, "ons")],
)
def test_detect_formats(path: Path, kind: str) -> None:
    """The real files are recognised from their first lines."""
    assert detect(path) == kind


def test_detect_tidy(tmp_path: Path) -> None:
    """Anything else is a tidy CSV."""
    path = tmp_path / "p.csv"
    pd.DataFrame({"sex": ["female"], "age": [30], "population": [1]}).to_csv(path, index=False)
    assert detect(path) == "tidy"


def test_read_population_source_line() -> None:
    """read_population names the files it read and their title."""
    frame, source = read_population([FEMALES, MALES])
    assert frame["area_code"].nunique() == 14
    assert source == (
        "MYE2: Population Estimates by single year of age and sex for local authorities in the "
        "UK, mid-2014 (ONS) [UK females-Table 1.csv, UK males-Table 1.csv]"
    )


def test_births_file_as_population(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The births table given as a population: told to use mhneed perinatal."""
    args = ["--population", str(BIRTHS), "--table", "apms_2014", "--out", str(tmp_path / "o.csv")]
    assert main(["estimate", *args]) == 2
    assert error_line(capsys) == (
        "mhneed: error: Table 3-Table 1.csv looks like the ONS births table, not a population "
        "file; use mhneed perinatal --births for births"
    )


def test_out_is_never_an_input_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--out naming an input file (however spelt) is refused, --force or not; the file is kept."""
    tidy = tmp_path / "people.csv"
    mhneed.rutland_population().to_csv(tidy, index=False)
    before = tidy.read_bytes()
    spelt = str(tmp_path / "sub" / ".." / "people.csv")
    (tmp_path / "sub").mkdir()
    args = ["estimate", "--population", str(tidy), "--table", "apms_2014", "--top-age", "90"]
    assert main([*args, "--out", spelt, "--force"]) == 2
    assert error_line(capsys) == (
        f"mhneed: error: --out {spelt}: this is the input file given as --population {tidy}; "
        "mhneed never writes over its input: give another file name"
    )
    mapping = tmp_path / "lots.csv"
    mapping.write_text("area_code,group\nE06000017,A\n", encoding="utf-8")
    assert main([*args, "--group-by", str(mapping), "--out", str(mapping)]) == 2
    assert error_line(capsys) == (
        f"mhneed: error: --out {mapping}: this is the input file given as --group-by {mapping}; "
        "mhneed never writes over its input: give another file name"
    )
    births = tmp_path / "births.csv"
    births.write_text("area_code,births\nE06000017,341\n", encoding="utf-8")
    peri = ["perinatal", "--births", str(births), "--denominator", "live_births"]
    assert main([*peri, "--out", str(births)]) == 2
    assert error_line(capsys) == (
        f"mhneed: error: --out {births}: this is the input file given as --births {births}; "
        "mhneed never writes over its input: give another file name"
    )
    own = tmp_path / "mine.csv"
    own.write_text("condition,sex,age_band,rate,lower,upper,source\n", encoding="utf-8")
    table_args = ["estimate", "--population", str(tidy), "--top-age", "90", "--table", str(own)]
    assert main([*table_args, "--out", str(own), "--force"]) == 2
    assert error_line(capsys) == (
        f"mhneed: error: --out {own}: this is the input file given as --table {own}; "
        "mhneed never writes over its input: give another file name"
    )
    assert tidy.read_bytes() == before
    assert mapping.read_text(encoding="utf-8") == "area_code,group\nE06000017,A\n"
    assert own.read_text(encoding="utf-8") == "condition,sex,age_band,rate,lower,upper,source\n"


def test_existing_output_needs_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An existing --out is refused before any work unless --force; with it, replaced whole."""
    out = tmp_path / "o.csv"
    out.write_text("keep me\n", encoding="utf-8")
    args = ["estimate", "--population", str(NOMIS), "--table", "apms_2014", "--out", str(out)]
    assert main([*args, "--quiet"]) == 2
    assert error_line(capsys) == (
        f"mhneed: error: --out: {out} exists; pass --force to overwrite, or give another name"
    )
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert main([*args, "--quiet", "--force"]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Estimated number")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv"]


def test_demo_replaces_its_own_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A second demo into the same folder replaces the demo's own files and says so on
    standard error (the README's main job must run again); --force replaces them silently."""
    assert main(["demo", "--out", str(tmp_path), "--quiet"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    capsys.readouterr()
    assert main(["demo", "--out", str(tmp_path), "--quiet"]) == 0
    assert capsys.readouterr().err == (
        f"mhneed: replacing {len(names)} files an earlier demo wrote in {tmp_path}\n"
    )
    assert main(["demo", "--out", str(tmp_path), "--quiet", "--force"]) == 0
    assert capsys.readouterr().err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_chart_names_never_collide(tmp_path: Path) -> None:
    """Places whose names make the same file name get _2, _3 (case ignored)."""
    base = mhneed.rutland_population().drop(columns=["area_code", "area_name"])
    names = ["A/B", "A B", "a-b", "Café", "Cafe"]
    people = pd.concat([base.assign(area_name=n) for n in names], ignore_index=True)
    est = mhneed.estimate(people, "apms_2014", conditions=["gad"], top_age=90)
    report = mhneed.report_table(est)
    jobs = cli_charts.chart_jobs(report, tmp_path)
    assert {g["area_name"]: p.name for _, g, p in jobs} == {
        "A B": "gad_by_age_sex_A_B_2014.png",
        "A/B": "gad_by_age_sex_A_B_2014_2.png",
        "Cafe": "gad_by_age_sex_Cafe_2014.png",
        "Café": "gad_by_age_sex_Cafe_2014_2.png",
        "a-b": "gad_by_age_sex_a_b_2014_3.png",
    }


def test_births_names_unmatched_in_population(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """ONS births names the population lacks are named with the closest population names
    (was: "column area_code: value '' ... is blank")."""
    pop = tmp_path / "pop.csv"
    pop.write_text(
        "area_code,area_name,sex,age,population\n"
        "E06000017,Rutland,female,30,100\nE06000017,Rutland,male,30,100\n"
        "E06000016,Leicester City,female,30,100\nE06000016,Leicester City,male,30,100\n",
        encoding="utf-8",
    )
    args = ["perinatal", "--births", str(BIRTHS), "--population", str(pop)]
    out = str(tmp_path / "o.csv")
    assert main([*args, "--areas", "Rutland,Leicester", "--out", out]) == 2
    assert error_line(capsys) == (
        "mhneed: error: --births Table 3-Table 1.csv: 1 area of the births table matched no "
        "area_name of the --population files, so it has no area code: 'Leicester' (closest: "
        "'Leicester City'); choose areas the population holds with --areas, or give population "
        "files that cover them"
    )
    assert main([*args, "--areas", "Rutland", "--out", out, "--quiet"]) == 0


def test_windows_1252_tidy_files_are_read(tmp_path: Path) -> None:
    """A tidy population and --group-by saved as Windows-1252 (Ynys Môn, £) are read."""
    pop = mhneed.rutland_population().assign(area_code="W06000001", area_name="Ynys Môn")
    tidy = tmp_path / "people.csv"
    tidy.write_bytes(pop.to_csv(index=False).encode("cp1252"))
    assert b"Ynys M\xf4n" in tidy.read_bytes()  # real Windows-1252 bytes, not UTF-8
    mapping = tmp_path / "lots.csv"
    mapping.write_bytes("area_code,group\nW06000001,Lot £1\n".encode("cp1252"))
    out = tmp_path / "out.csv"
    args = ["--population", str(tidy), "--group-by", str(mapping), "--table", "apms_2014"]
    assert main(["estimate", *args, "--by", "group", "--layout", "tidy", "--out", str(out)]) == 0
    assert "Lot £1" in out.read_text(encoding="utf-8-sig")
    assert read_population([tidy], "auto")[0]["area_name"].unique().tolist() == ["Ynys Môn"]


@pytest.mark.parametrize(
    ("files", "what"),
    [((FEMALES, MALES), "are ONS MYE2"), ((NOMIS,), "is Nomis")],
)
def test_top_age_with_ons_or_nomis_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: tuple[Path, ...], what: str
) -> None:
    """--top-age cannot change the top age ONS and Nomis files give (it was silently ignored)."""
    pop = [a for f in files for a in ("--population", str(f))]
    args = [*pop, "--areas", "E06000017", "--top-age", "85", "--out", str(tmp_path / "o.csv")]
    assert main(["estimate", *args]) == 2
    names = ", ".join(f.name for f in files)
    assert error_line(capsys) == (
        f"mhneed: error: --top-age 85: {names} {what}, whose top age is given by the file "
        "(90, meaning 90 and over), so --top-age cannot change it; --top-age is for tidy "
        "files only: leave it out (to narrow the ages estimated, use --ages)"
    )
    assert not (tmp_path / "o.csv").exists()
    # the files' own top age is no contradiction
    same = [*pop, "--areas", "E06000017", "--top-age", "90", "--out", str(tmp_path / "p.csv")]
    assert main(["estimate", *same]) == 0


def test_chart_warnings_one_line_each(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """matplotlib's warnings never reach the terminal raw: one 'mhneed: warning:' line."""
    pytest.importorskip("matplotlib")
    tidy = tmp_path / "people.csv"
    mhneed.rutland_population().assign(area_name="東京 Rutland").to_csv(tidy, index=False)
    args = ["--population", str(tidy), "--conditions", "gad,ptsd", "--charts", str(tmp_path / "c")]
    assert main(["estimate", *args, "--quiet", "--out", str(tmp_path / "o.csv")]) == 0
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "mhneed: warning: plot_age_sex: 2 charts (gad_by_age_sex_Rutland_E06000017_2014.png, "
        "...): the chart's font (DejaVu Sans) has no '東', '京', so they show as empty boxes; the "
        "names are whole in the data files"
    ]


def test_perinatal_charts_footer_names_denominator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """perinatal --charts: each chart's footer says live births stood in for maternities."""
    pytest.importorskip("matplotlib")
    import mhneed.outputs.age_sex_chart

    footers: list[str] = []
    real = mhneed.outputs.age_sex_chart.plot_age_sex

    def spy(*args: object, **kwargs: object) -> object:
        fig = real(*args, **kwargs)  # type: ignore[arg-type]
        footers.append(" ".join(fig.get_supxlabel().split()))
        return fig

    monkeypatch.setattr(mhneed.outputs.age_sex_chart, "plot_age_sex", spy)
    args = ["--quiet", "perinatal", "--births", str(BIRTHS), "--areas", "Rutland"]
    out, charts = tmp_path / "b.csv", tmp_path / "charts"
    assert main([*args, "--out", str(out), "--charts", str(charts), "--conditions", "ptsd"]) == 0
    assert len(footers) == 1
    assert (
        "Denominator: live births, applied to rates per 1,000 maternities: an approximation, "
        "not adjusted."
    ) in footers[0]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--births", str(BIRTHS), "--out", "x.csv"],
            "--births with --out x.csv: both estimates go into one workbook in the report "
            "layout, a sheet each; give --out FILE.xlsx (and no --layout, or --layout report)",
        ),
        (
            ["--births", str(BIRTHS), "--layout", "tidy", "--out", "x.xlsx"],
            "--births with --layout tidy: both estimates go into one workbook in the report "
            "layout, a sheet each; give --out FILE.xlsx (and no --layout, or --layout report)",
        ),
        (
            ["--denominator", "maternities", "--out", "x.xlsx"],
            "--denominator needs --births (the births file to estimate perinatal conditions from)",
        ),
        (
            ["--births-table", "mine", "--out", "x.xlsx"],
            "--births-table needs --births (the births file to estimate perinatal conditions from)",
        ),
        (
            ["--births", "nothere.csv", "--out", "x.xlsx"],
            "--births nothere.csv: no such file",
        ),
    ],
)
def test_estimate_births_option_rules(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    message: str,
) -> None:
    """estimate --births: one workbook in the report layout; its options need it."""
    monkeypatch.chdir(tmp_path)
    args = ["estimate", "--population", str(FEMALES), "--population", str(MALES)]
    assert main([*args, "--areas", "E06000017", *extra]) == 2
    assert error_line(capsys) == f"mhneed: error: {message}"
