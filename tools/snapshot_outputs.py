"""Snapshot everything mhneed prints and writes, and diff two snapshots.

Issue 17 moves modules into folders and rewrites the engine with "behaviour,
numbers and messages byte-identical". This tool is the proof: it runs every
example script in ``examples/`` and a set of ``mhneed`` commands on the shipped
and test data (every layout, the options the docs show, and commands that fail
on purpose) from a project checkout, and keeps, per command, its stdout, stderr,
exit code and every file it wrote. Run it on the commit before and the commit
after, then diff::

    python tools/snapshot_outputs.py OUTDIR                       # this checkout
    python tools/snapshot_outputs.py --checkout DIR --python DIR/.venv/bin/python OUTDIR
    python tools/snapshot_outputs.py --diff OUTDIR_A OUTDIR_B     # exit 1 if any difference
    python tools/snapshot_outputs.py --diff A B --only 'fail-*'   # compare some commands
    python tools/snapshot_outputs.py --list                       # the commands, by name
    python tools/snapshot_outputs.py --only 'table-*' OUTDIR      # a subset (fnmatch patterns)

Each command runs in a fresh temporary folder holding copies of ``tests/data``
(as ``tests-data/``) and ``examples/data`` (as ``examples-data/``) and the small
input files the tool writes, so every path on a command line is relative and no
output names a temporary folder; any absolute path of the work folder or the
checkout that still appears in stdout, stderr or a text file is replaced by
``<WORK>`` or ``<CHECKOUT>``. Workbooks carry their creation time, so ``.xlsx``
files are compared member by member without ``docProps/core.xml`` and, when
they differ, cell by cell (values and formats) with openpyxl; ``.png`` files
whose bytes differ are compared pixel by pixel with matplotlib. Timings, versions
and the commit go into ``OUTDIR/_snapshot.json``, which the diff reads only to
warn when the two snapshots ran on different library versions.

The interpreter (``--python``, default the checkout's ``.venv/bin/python``) must
import mhneed from the checkout itself; the tool checks that, so a snapshot of an
old commit's worktree is never silently made with another checkout's code.
"""

# ruff: noqa: E501 (the table of commands keeps one command line per line, as it is typed)
# size: one table of commands, the runner and the differ; kept in one file so that it can be
# copied to, or run against, any commit's worktree without importing anything from it

from __future__ import annotations

import argparse
import difflib
import fnmatch
import hashlib
import importlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Examples left out of the snapshot, with the reason.
SKIP_EXAMPLES = {
    "dask_cluster.py": "prints timings and starts a cluster; its numbers are checked by its test",
}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".json", ".md", ".html", ".svg"}
META = "_snapshot.json"
TIMEOUT = 900  # seconds for one command

MYE2 = '--population "tests-data/ons_mye2_2014/UK females-Table 1.csv" \
--population "tests-data/ons_mye2_2014/UK males-Table 1.csv"'
SNPP = '--population "tests-data/ons_snpp/2022 SNPP Population females - extract \
Rutland_E06000017.csv" --population "tests-data/ons_snpp/2022 SNPP Population males - extract \
Rutland_E06000017.csv"'
NOMIS = "tests-data/nomis_mye_2011/rutland_NM_2002_1_extract.tsv"
HARTLEPOOL = "tests-data/ons_snpp/NM_2006_1_hartlepool_2016_2017_extract.tsv"
BIRTHS = '"tests-data/ons_births_2014/Table 3-Table 1.csv"'
RUTLAND = "E06000017"
DISTRICTS = "E07000129,E07000130,E07000131,E07000132,E07000133,E07000134,E07000135"
NORTH = ("E07000130", "E07000133", "E07000134")


@dataclass(frozen=True)
class Command:
    """One run: ``python -m mhneed ARGV`` (or an example script) in a fresh work folder."""

    name: str
    argv: tuple[str, ...]
    files: Mapping[str, str] = field(default_factory=dict)  # inputs written first: name -> text
    copies: Mapping[str, str] = field(default_factory=dict)  # name -> path in the checkout
    example: bool = False


def lots_csv() -> str:
    """The made-up service lots of Leicestershire's districts (the examples' mapping)."""
    lines = ["area_code,group"]
    for code in DISTRICTS.split(","):
        lines.append(f"{code},{'North lot' if code in NORTH else 'South lot'}")
    return "\n".join(lines) + "\n"


def tidy_csv() -> str:
    """Two areas over two years by single year of age: one named as a formula, one in Welsh."""
    lines = ["area_code,area_name,year,sex,age,population"]
    areas = ((RUTLAND, '"=HYPERLINK(""http://x"",""y"")"'), ("W06000014", "Bro Morgannwg"))
    for a, (code, name) in enumerate(areas):
        for year in (2014, 2015):
            for s, sex in enumerate(("female", "male")):
                for age in range(91):
                    people = 150 + (37 * age + 11 * s + 5 * a + year) % 140
                    lines.append(f"{code},{name},{year},{sex},{age},{people}")
    return "\n".join(lines) + "\n"


def meta_json(**fields: object) -> str:
    """A rate table's JSON metadata: a made-up adult table, with these fields changed."""
    meta: dict[str, object] = {
        "id": "mine",
        "title": "My rates",
        "publisher": "Me",
        "edition": 2024,
        "geography": "England",
        "population": "adults",
        "ages": "16+",
        "sources": [{"id": "mine", "citation": "My own figures.", "kind": "primary"}],
    }
    return json.dumps(meta | fields)


LONG = meta_json(
    denominator="persons",
    interval="none",
    unit="percent",
    conditions=[{"id": "c", "label": "My condition", "period": "now", "ages": "16+"}],
)
WIDE = meta_json(
    id="mine_wide",
    title="My wide rates",
    reader={"period": "past year", "blocks": {"All adults": "persons"}},
)
WORKBOOK = meta_json(
    id="my_apms_2014_2_3",
    title="APMS 2014 Table 2.3 (my copy)",
    publisher="NHS Digital",
    edition=2014,
    population="adults 16+ in private households",
    sources=[{"id": "apms_2014_ch2", "citation": "APMS 2014, chapter 2 tables", "kind": "primary"}],
    reader={
        "sheet": "2.3",
        "period": "past week",
        "conditions": {"Generalised anxiety disorder": "gad"},
    },
)
LOTS = {"service_lots.csv": lots_csv()}
TIDY = {"people.csv": tidy_csv()}
COUNTY = {
    "county.csv": "area_code,group\n"
    + "".join(f"{c},Leicestershire\n" for c in DISTRICTS.split(","))
}
OWN_LONG = {
    "mine.csv": "condition,sex,age_band,rate,source\nc,female,16+,10,mine\nc,male,16+,10,mine\n",
    "mine.json": LONG,
}
OWN_WIDE = {"wide.csv": ",16-64,65+\nAll adults,,\nMy condition,10,20\n", "wide.json": WIDE}
BAD_WIDE = {"wide.csv": ",16-64,65+\nAll adults,,\nA,ten,20\nB,5,\n", "wide.json": WIDE}
BAD_LONG = {
    "mine.csv": "condition,sex,age_band,rate,source\nc,female,16+,ten,mine\nc,male,16+,10,mine\nc,men,16+,10,mine\nd,persons,16+,10,mine\n",
    "mine.json": LONG,
}
BOTH = {"births.csv": "area_name,year,maternities,births\nRutland,2016,305,312\n"}
COUNT = {"births.csv": "area_name,year,births\nRutland,2016,312\n"}

#: name, command line after ``mhneed`` (shell quoting), inputs written into the work folder.
CLI: list[tuple[str, str, Mapping[str, str]]] = [
    ("help", "--help", {}),
    ("help-estimate", "estimate --help", {}),
    ("help-perinatal", "perinatal --help", {}),
    ("help-demo", "demo --help", {}),
    ("tables", "tables", {}),
    ("demo", "demo", {}),
    ("demo-rounded", "demo --out out --round 5 --how up", {}),
    # estimate, report layout (the default)
    ("estimate-report-csv", f"estimate {MYE2} --areas {RUTLAND} --out rutland.csv", {}),
    ("estimate-report-xlsx-charts", f"estimate {MYE2} --areas {RUTLAND} --round 5 --how up --out rutland.xlsx --charts charts/", {}),
    ("estimate-report-lots-2007", f"estimate {MYE2} --table apms_2007_by_age_sex --group-by service_lots.csv --out lots_2007.csv", LOTS),
    ("estimate-report-xlsx-lots", f"estimate {MYE2} --table apms_2014 --group-by service_lots.csv --out lots.xlsx", LOTS),
    ("estimate-report-tidy-input-charts", "estimate --population people.csv --table apms_2014 --conditions ptsd --top-age 90 --out y.csv --charts years", TIDY),
    ("estimate-report-xlsx-tidy-input", "estimate --population people.csv --table apms_2014 --top-age 90 --out r.xlsx", TIDY),
    ("estimate-report-snpp", f"estimate {SNPP} --conditions ptsd,gad --out snpp.csv", {}),
    ("estimate-report-psychosis-charts", f"estimate {MYE2} --table apms_2007_psychosis --areas {RUTLAND} --out p.csv --charts charts", {}),
    ("estimate-report-own-wide-table", f"estimate {MYE2} --areas {RUTLAND} --table wide.csv --out x.csv", OWN_WIDE),
    # estimate, tidy layout
    ("estimate-tidy-ages-rounded", f"estimate {MYE2} --table apms_2007_psychosis --areas {RUTLAND} --ages 18-64 --round 5 --how up --layout tidy --out rutland.csv", {}),
    ("estimate-tidy-county-lot", f"estimate {MYE2} --table apms_2014 --group-by county.csv --layout tidy --out lot.csv", COUNTY),
    ("estimate-tidy-nomis", f"estimate --population {NOMIS} --table apms_2014 --conditions gad --layout tidy --out nomis.csv", {}),
    ("estimate-tidy-districts-by-year", f"estimate {MYE2} --areas {DISTRICTS} --by year --layout tidy --out total.csv", {}),
    ("estimate-tidy-tidy-input", "estimate --population people.csv --table apms_2014 --top-age 90 --layout tidy --out r.csv", TIDY),
    ("estimate-tidy-snpp-nomis", f"estimate --population {HARTLEPOOL} --conditions ptsd --layout tidy --out hartlepool.csv", {}),
    ("estimate-tidy-own-long-table", f"estimate {MYE2} --areas {RUTLAND} --table mine.csv --layout tidy --out x.csv", OWN_LONG),
    ("estimate-tidy-apms-workbook", f"estimate {MYE2} --areas {RUTLAND} --table ch2.xls --layout tidy --out mine.csv", {"ch2.json": WORKBOOK}),
    # estimate, by-area and by-year layouts
    ("estimate-by-area-compare", f"estimate {MYE2} --areas E92000001,E10000018,E07000129 --conditions ptsd --layout by-area --compare E92000001 --out areas.csv", {}),
    ("estimate-by-area-lots-standardise", f"estimate {MYE2} --areas E92000001,E10000018,{DISTRICTS} --group-by service_lots.csv --layout by-area --compare E92000001 --standardise --conditions ptsd,psychotic_disorder --out leicestershire_by_area.xlsx --charts charts", LOTS),
    ("estimate-by-area-standardise-csv", f"estimate {MYE2} --areas E92000001,E10000018 --layout by-area --standardise --out areas.csv", {}),
    ("estimate-by-year-snpp-csv", f"estimate {SNPP} --conditions ptsd --layout by-year --out years.csv", {}),
    ("estimate-by-year-snpp-xlsx-charts", f"estimate {SNPP} --conditions ptsd,gad --layout by-year --out years.xlsx --charts charts", {}),
    # estimate with births: the APMS and perinatal estimates in one workbook
    ("estimate-births-xlsx", f"estimate {MYE2} --areas {RUTLAND} --births {BIRTHS} --round 5 --how up --out rutland.xlsx", {}),
    # perinatal
    ("perinatal-ons-report", f"perinatal --births {BIRTHS} --areas Rutland --out births.csv", {}),
    ("perinatal-ons-tidy", f"perinatal --births {BIRTHS} --areas Rutland --layout tidy --out births.csv", {}),
    ("perinatal-ons-every-authority", f"perinatal --births {BIRTHS} --layout tidy --out all.csv", {}),
    ("perinatal-maternities-xlsx-charts", "perinatal --births births.csv --out m.xlsx --charts charts", BOTH),
    ("perinatal-jsna-rounded-xlsx", "perinatal --births births.csv --denominator maternities --round 5 --how up --out jsna.xlsx", COUNT),
    ("perinatal-groups", f"perinatal --births {BIRTHS} {MYE2} --group-by county.csv --layout tidy --out b.csv", COUNTY),
    # failures on purpose: exit 2 and one line on stderr
    ("fail-no-such-file", "estimate --population nope.csv --table apms_2014 --out x.csv", {}),
    ("fail-women-only", 'estimate --population "tests-data/ons_mye2_2014/UK females-Table 1.csv" --out x.csv', {}),
    ("fail-unknown-table", "table nope", {}),
    ("fail-missing-out", f"estimate --population {NOMIS}", {}),
    ("fail-out-exists", f"estimate --population {NOMIS} --out x.csv", {"x.csv": "mine\n"}),
    ("fail-compare-needs-by-area", f"estimate {MYE2} --areas {RUTLAND} --compare E92000001 --out x.csv", {}),
    ("fail-by-year-one-year", f"estimate {MYE2} --areas {RUTLAND} --layout by-year --out x.csv", {}),
    ("fail-wide-table-problems", f"estimate {MYE2} --areas {RUTLAND} --table wide.csv --out x.csv", BAD_WIDE),
    ("fail-long-table-problems", f"estimate {MYE2} --areas {RUTLAND} --table mine.csv --out x.csv", BAD_LONG),
    ("fail-perinatal-needs-denominator", "perinatal --births births.csv --out x.csv", {"births.csv": "births\n312\n"}),
]  # fmt: skip
#: Inputs copied from the checkout into a command's work folder: name -> path in the checkout.
COPIES = {"estimate-tidy-apms-workbook": {"ch2.xls": "sources/apms_2014/apms-2014-ch-02-tabs.xls"}}


def cli_commands(table_ids: Sequence[str]) -> list[Command]:
    """The command-line runs, with ``mhneed table ID`` for each shipped table after ``tables``."""
    out = []
    for name, line, files in CLI:
        out.append(Command(name, tuple(shlex.split(line)), files, COPIES.get(name, {})))
        if name == "tables":
            out += [Command(f"table-{tid}", ("table", tid)) for tid in table_ids]
    return out


def all_commands(checkout: Path, table_ids: Sequence[str]) -> list[Command]:
    """Every example script (``OUT`` = ``out``), then the command-line runs."""
    examples = [
        Command(f"example-{path.stem}", (f"examples/{path.name}", "out"), example=True)
        for path in sorted((checkout / "examples").glob("*.py"))
        if path.name not in SKIP_EXAMPLES
    ]
    return examples + cli_commands(table_ids)


# -- running -----------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment of every run: this one, less what could change the output."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "FORCE_COLOR", "PYTHONWARNINGS"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        PYTHONIOENCODING="utf-8",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHON_COLORS="0",
        NO_COLOR="1",
        COLUMNS="100",
        LINES="50",
        MPLBACKEND="Agg",
        TZ="UTC",
    )
    return env


def probe(python: str, checkout: Path, env: Mapping[str, str]) -> dict[str, Any]:
    """The interpreter's mhneed (which must be the checkout's), its tables and versions."""
    code = (
        "import json, importlib, platform, mhneed\n"
        "v = {'python': platform.python_version()}\n"
        "for m in ('mhneed', 'numpy', 'pandas', 'pydantic', 'openpyxl', 'matplotlib', 'xlrd'):\n"
        "    try: v[m] = importlib.import_module(m).__version__\n"
        "    except Exception: v[m] = None\n"
        "try:\n"
        "    import matplotlib.font_manager  # build the font cache now, not in a run\n"
        "except Exception: pass\n"
        "print(json.dumps({'file': mhneed.__file__, 'tables': mhneed.available_tables(),"
        " 'versions': v}))\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [python, "-c", code], cwd=tmp, capture_output=True, text=True, env=env, check=False
        )
    if proc.returncode != 0:
        sys.exit(f"snapshot: {python} cannot import mhneed:\n{proc.stderr}")
    info: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    where = Path(info["file"]).resolve()
    if not where.is_relative_to(checkout.resolve()):
        sys.exit(
            f"snapshot: {python} imports mhneed from {where.parent}, not from the checkout "
            f"{checkout}; give --python the checkout's own environment (python3 -m venv .venv "
            f'&& .venv/bin/pip install -e ".[test]" in the checkout)'
        )
    return info


def digest_tree(root: Path) -> dict[str, str]:
    """Every file under root, by relative POSIX path, with the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def normalise(data: bytes, paths: Mapping[str, str]) -> bytes:
    """Replace each absolute path (longest first) by its placeholder."""
    for path in sorted(paths, key=len, reverse=True):
        data = data.replace(path.encode("utf-8"), paths[path].encode("utf-8"))
    return data


def path_map(work: Path, checkout: Path) -> dict[str, str]:
    """The absolute paths that may leak into an output, spelt as given and resolved."""
    out: dict[str, str] = {}
    for path, mark in ((checkout, "<CHECKOUT>"), (work, "<WORK>")):
        out[str(path)] = mark
        out[os.path.realpath(path)] = mark
    return out


def prepare(work: Path, cmd: Command, checkout: Path) -> None:
    """The work folder: the test and example data, then the command's own inputs."""
    for folder, name in (("tests/data", "tests-data"), ("examples/data", "examples-data")):
        if (checkout / folder).is_dir():  # a missing folder shows as failing commands
            shutil.copytree(checkout / folder, work / name)
    for name, text in cmd.files.items():
        (work / name).write_text(text, encoding="utf-8")
    for name, path in cmd.copies.items():
        shutil.copyfile(checkout / path, work / name)


def run_one(
    cmd: Command, checkout: Path, python: str, dest: Path, env: dict[str, str]
) -> tuple[float, str]:
    """Run one command in a fresh folder and keep what it printed and wrote.

    Returns its seconds and its work folder (whose path a diff takes out of workbooks).
    """
    with tempfile.TemporaryDirectory(prefix="mhneed-snapshot-") as tmp:
        work = Path(tmp) / "work"
        work.mkdir()
        prepare(work, cmd, checkout)
        before = digest_tree(work)
        if cmd.example:
            argv = [python, str(checkout / cmd.argv[0]), *cmd.argv[1:]]
        else:
            argv = [python, "-m", "mhneed", *cmd.argv]
        start = time.perf_counter()
        try:
            proc = subprocess.run(argv, cwd=work, capture_output=True, env=env, timeout=TIMEOUT)
            code = str(proc.returncode)
            stdout, stderr = proc.stdout, proc.stderr
        except subprocess.TimeoutExpired as exc:  # kept as a result, so the diff shows it
            code = f"timed out after {TIMEOUT} s"
            stdout, stderr = exc.stdout or b"", exc.stderr or b""
        seconds = time.perf_counter() - start
        paths = path_map(work, checkout)
        dest.mkdir(parents=True)
        shown = ["python", *([f"<CHECKOUT>/{cmd.argv[0]}"] if cmd.example else ["-m", "mhneed"])]
        shown += list(cmd.argv[1:] if cmd.example else cmd.argv)
        (dest / "command.txt").write_text(shlex.join(shown) + "\n", encoding="utf-8")
        (dest / "stdout.txt").write_bytes(normalise(stdout, paths))
        (dest / "stderr.txt").write_bytes(normalise(stderr, paths))
        (dest / "exit_code.txt").write_text(f"{code}\n", encoding="utf-8")
        after = digest_tree(work)
        for rel in sorted(p for p, h in after.items() if before.get(p) != h):
            target = dest / "files" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            data = (work / rel).read_bytes()
            if Path(rel).suffix.lower() in TEXT_SUFFIXES:
                data = normalise(data, paths)
            target.write_bytes(data)
        gone = sorted(set(before) - set(after))
        if gone:
            (dest / "removed.txt").write_text("\n".join(gone) + "\n", encoding="utf-8")
    return seconds, str(work)


def git_commit(checkout: Path) -> dict[str, Any]:
    """The checkout's commit and whether it has uncommitted changes (None outside git)."""

    def git(*args: str) -> str | None:
        proc = subprocess.run(
            ["git", "-C", str(checkout), *args], capture_output=True, text=True, check=False
        )
        return proc.stdout.strip() if proc.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(status) if status is not None else None,
    }


def snapshot(outdir: Path, checkout: Path, python: str, patterns: Sequence[str]) -> int:
    """Run the commands (those matching a pattern, if any) into outdir."""
    env = child_env()
    info = probe(python, checkout, env)
    commands = select(all_commands(checkout, info["tables"]), patterns)
    if not commands:
        sys.exit(f"snapshot: no command matches {', '.join(patterns)}")
    outdir.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    work: dict[str, str] = {}
    failed_examples = []
    for i, cmd in enumerate(commands, 1):
        print(f"[{i}/{len(commands)}] {cmd.name}", end="", flush=True)
        took, work[cmd.name] = run_one(cmd, checkout, python, outdir / cmd.name, env)
        seconds[cmd.name] = round(took, 2)
        code = (outdir / cmd.name / "exit_code.txt").read_text(encoding="utf-8").strip()
        print(f"  exit {code}, {seconds[cmd.name]:.1f} s", flush=True)
        if cmd.example and code != "0":
            failed_examples.append(cmd.name)
    meta = {
        "checkout": str(checkout.resolve()),
        **git_commit(checkout),
        "python": python,
        "mhneed": info["file"],
        "versions": info["versions"],
        "seconds": seconds,
        "work": work,
    }
    (outdir / META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"snapshot of {meta['commit'] or checkout}: {len(commands)} commands in {outdir}")
    if failed_examples:
        print(f"note: these examples failed (kept as they are): {', '.join(failed_examples)}")
    return 0


def select(commands: Iterable[Command], patterns: Sequence[str]) -> list[Command]:
    """The commands whose name matches one of the patterns (all without patterns)."""
    return [
        c for c in commands if not patterns or any(fnmatch.fnmatch(c.name, p) for p in patterns)
    ]


# -- comparing ----------------------------------------------------------------------------


@dataclass
class Verdict:
    """How two files compare: equal, a note (same for a reader, bytes differ), or differ."""

    kind: str  # "same" | "note" | "differ"
    lines: list[str] = field(default_factory=list)


def compare_text(a: bytes, b: bytes, max_lines: int) -> Verdict:
    """A unified diff of two text files, cut to max_lines."""
    old = a.decode("utf-8", "replace").splitlines(keepends=True)
    new = b.decode("utf-8", "replace").splitlines(keepends=True)
    diff = [line.rstrip("\n") for line in difflib.unified_diff(old, new, "A", "B", n=1)]
    if not diff:  # only line ends, or an undecodable byte, differ
        return Verdict("differ", ["bytes differ (line ends or encoding only)"])
    more = len(diff) - max_lines
    return Verdict("differ", diff[:max_lines] + ([f"... {more} more lines"] if more > 0 else []))


def compare_png(a: Path, b: Path) -> Verdict:
    """Two PNGs whose bytes differ: equal pixels are a note, different pixels a difference."""
    try:
        import numpy as np
        from matplotlib import image
    except ImportError:
        return Verdict("differ", ["bytes differ (matplotlib is not installed to compare pixels)"])
    pa, pb = image.imread(a), image.imread(b)
    if pa.shape != pb.shape:
        return Verdict("differ", [f"image size differs: {pa.shape} and {pb.shape}"])
    if np.array_equal(pa, pb):
        return Verdict("note", ["bytes differ but every pixel is equal"])
    changed = int(np.any(pa != pb, axis=-1).sum()) if pa.ndim == 3 else int((pa != pb).sum())
    most = float(np.abs(pa.astype(float) - pb.astype(float)).max())
    return Verdict(
        "differ",
        [
            f"pixels differ: {changed} of {pa.shape[0] * pa.shape[1]} "
            f"(largest change {most:.3g} on a 0-1 scale)"
        ],
    )


def zip_members(path: Path) -> dict[str, bytes]:
    """A zip's members by name, without the workbook's timestamps (docProps/core.xml)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def compare_xlsx(
    a: Path, b: Path, paths: tuple[Mapping[str, str], Mapping[str, str]], max_lines: int
) -> Verdict:
    """Two workbooks: members equal bar timestamps, else cell values and formats."""
    try:
        ma, mb = zip_members(a), zip_members(b)
    except zipfile.BadZipFile as exc:
        return Verdict("differ", [f"not both readable as workbooks: {exc}"])
    if ma == mb:
        return Verdict("same")
    try:
        openpyxl = importlib.import_module("openpyxl")
    except ImportError:
        return Verdict("differ", ["contents differ (openpyxl is not installed to compare cells)"])
    lines = workbook_differences(openpyxl.load_workbook(a), openpyxl.load_workbook(b), paths)
    if not lines:
        members = sorted(n for n in set(ma) | set(mb) if ma.get(n) != mb.get(n))
        return Verdict(
            "note",
            [
                f"XML differs in {', '.join(members)}, but every sheet, cell "
                "value, format, merge, width and pane is equal"
            ],
        )
    more = len(lines) - max_lines
    return Verdict("differ", lines[:max_lines] + ([f"... {more} more"] if more > 0 else []))


STYLE_PARTS = ("number_format", "font", "fill", "border", "alignment", "protection")


def cell_key(cell: Any, paths: Mapping[str, str]) -> tuple[Any, ...]:
    """What a reader sees of a cell: its value (paths normalised), type and format."""
    value = cell.value
    if isinstance(value, str):
        value = normalise(value.encode("utf-8"), paths).decode("utf-8")
    link = cell.hyperlink.target if cell.hyperlink is not None else None
    comment = cell.comment.text if cell.comment is not None else None
    styles = (_flat(getattr(cell, p)) for p in STYLE_PARTS)  # style proxies compare unequal
    return (value, cell.data_type, *styles, link, comment)


def sheet_differences(
    sa: Any,
    sb: Any,
    paths: tuple[Mapping[str, str], Mapping[str, str]],
) -> list[str]:
    """The differences between two sheets of the same name, cell by cell."""
    out = []
    for what, get in (
        ("merged cells", lambda s: sorted(str(r) for r in s.merged_cells.ranges)),
        ("frozen panes", lambda s: s.freeze_panes),
        ("column widths", lambda s: {k: d.width for k, d in s.column_dimensions.items()}),
        ("row heights", lambda s: {k: d.height for k, d in s.row_dimensions.items() if d.height}),
        ("auto filter", lambda s: s.auto_filter.ref),
        ("print titles", lambda s: (s.print_title_rows, s.print_title_cols)),
    ):
        if get(sa) != get(sb):
            out.append(f"sheet {sa.title!r}: {what} differ: {get(sa)} and {get(sb)}")
    rows, cols = max(sa.max_row, sb.max_row), max(sa.max_column, sb.max_column)
    names = ("value", "type", *STYLE_PARTS, "hyperlink", "comment")
    for ra, rb in zip(
        sa.iter_rows(max_row=rows, max_col=cols),
        sb.iter_rows(max_row=rows, max_col=cols),
        strict=True,
    ):
        for ca, cb in zip(ra, rb, strict=True):
            ka, kb = cell_key(ca, paths[0]), cell_key(cb, paths[1])
            for name, x, y in zip(names, ka, kb, strict=True):
                if x != y:
                    change = f"{x!r} -> {y!r}" if name in ("value", "type") else _change(x, y)
                    out.append(f"sheet {sa.title!r} {ca.coordinate}: {name} {change}")
    return out


def workbook_differences(
    wa: Any,
    wb: Any,
    paths: tuple[Mapping[str, str], Mapping[str, str]],
) -> list[str]:
    """Sheet names and order, then each common sheet's differences."""
    out = []
    if wa.sheetnames != wb.sheetnames:
        out.append(f"sheets differ: {wa.sheetnames} and {wb.sheetnames}")
    for name in [n for n in wa.sheetnames if n in wb.sheetnames]:
        out += sheet_differences(wa[name], wb[name], paths)
    return out


def _flat(obj: object) -> str:
    """A style object as one line of its parameters (number formats are text already)."""
    text = obj if isinstance(obj, str) else " ".join(repr(obj).split())
    return text.replace("Parameters: ", "")


def _change(x: str, y: str) -> str:
    """The parameters of two flattened style objects that differ, as ``a=1 -> a=2``."""
    old, new = x.split(", "), y.split(", ")
    gone = [p for p in old if p not in new]
    came = [p for p in new if p not in old]
    text = f"{', '.join(gone) or '(none)'} -> {', '.join(came) or '(none)'}"
    return text if len(text) <= 200 else text[:197] + "..."


def compare_files(
    a: Path, b: Path, paths: tuple[Mapping[str, str], Mapping[str, str]], max_lines: int
) -> Verdict:
    """Byte for byte, then by kind: workbook cells, image pixels, a text diff."""
    da, db = a.read_bytes(), b.read_bytes()
    if da == db:
        return Verdict("same")
    suffix = a.suffix.lower()
    if suffix == ".xlsx":
        return compare_xlsx(a, b, paths, max_lines)
    if suffix == ".png":
        return compare_png(a, b)
    if suffix in TEXT_SUFFIXES or suffix == "" or b"\0" not in da + db:
        return compare_text(da, db, max_lines)
    return Verdict("differ", [f"binary files differ ({len(da)} and {len(db)} bytes)"])


def recorded_paths(root: Path, command: str) -> Mapping[str, str]:
    """The absolute paths a snapshot recorded for a command, as placeholders (for workbooks)."""
    meta = json.loads((root / META).read_text(encoding="utf-8"))
    work = meta.get("work", {}).get(command)
    return path_map(Path(work), Path(meta["checkout"])) if work else {}


def diff(a: Path, b: Path, max_lines: int, patterns: Sequence[str] = ()) -> int:
    """List every difference between two snapshots; 1 if there is any, else 0.

    A command in one snapshot only is one difference; each file that differs, or that
    one command wrote and the other did not, is one more.
    """
    for root in (a, b):
        if not (root / META).is_file():
            sys.exit(f"snapshot: {root} is not a snapshot (no {META})")
    warn_versions(a, b)
    fa, fb = (snapshot_files(root, patterns) for root in (a, b))
    differ = notes = 0
    for side, mine, other in (("A", fa, fb), ("B", fb, fa)):
        for command in sorted(set(mine) - set(other)):
            print(f"only in {side}: command {command} ({len(mine[command])} files)")
            differ += 1
    for command in sorted(set(fa) & set(fb)):
        paths = (recorded_paths(a, command), recorded_paths(b, command))
        for rel in sorted(fa[command] | fb[command]):
            if rel not in fa[command] or rel not in fb[command]:
                print(f"only in {'A' if rel in fa[command] else 'B'}: {rel}")
                differ += 1
                continue
            verdict = compare_files(a / rel, b / rel, paths, max_lines)
            if verdict.kind == "same":
                continue
            print(f"{'differs' if verdict.kind == 'differ' else 'note'}: {rel}")
            for line in verdict.lines:
                print(f"    {line}")
            differ += verdict.kind == "differ"
            notes += verdict.kind == "note"
    files = len({f for group in (*fa.values(), *fb.values()) for f in group})
    summary = f"{differ} differences" if differ else "no differences"
    print(f"{summary} ({files} files of {len(set(fa) | set(fb))} commands compared; {notes} notes)")
    return 1 if differ else 0


def snapshot_files(root: Path, patterns: Sequence[str]) -> dict[str, set[str]]:
    """A snapshot's files (relative paths) by command, for the commands matching the patterns."""
    out: dict[str, set[str]] = {}
    for rel in digest_tree(root):
        command = rel.split("/")[0]
        if rel != META and (not patterns or any(fnmatch.fnmatch(command, p) for p in patterns)):
            out.setdefault(command, set()).add(rel)
    return out


def warn_versions(a: Path, b: Path) -> None:
    """Name the two commits, and warn when library versions differ (charts depend on them)."""
    ma = json.loads((a / META).read_text(encoding="utf-8"))
    mb = json.loads((b / META).read_text(encoding="utf-8"))
    for side, root, meta in (("A", a, ma), ("B", b, mb)):
        dirty = " with uncommitted changes" if meta.get("dirty") else ""
        print(f"{side}: {root} (commit {meta.get('commit')}{dirty})")
    va, vb = ma.get("versions", {}), mb.get("versions", {})
    for name in sorted((set(va) | set(vb)) - {"mhneed"}):
        if va.get(name) != vb.get(name):
            print(f"warning: {name} {va.get(name)} in A, {vb.get(name)} in B")


# -- command line ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Snapshot a checkout, list the commands, or diff two snapshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("outdir", nargs="?", type=Path, help="folder for the snapshot (new)")
    parser.add_argument(
        "--checkout",
        type=Path,
        default=Path.cwd(),
        help="the project checkout to run (default: the current folder)",
    )
    parser.add_argument(
        "--python", help="its interpreter (default: CHECKOUT/.venv/bin/python, else this one)"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="run only commands whose name matches (fnmatch; repeatable)",
    )
    parser.add_argument("--list", action="store_true", help="list the commands and exit")
    parser.add_argument("--force", action="store_true", help="replace an existing snapshot")
    parser.add_argument(
        "--diff",
        nargs=2,
        type=Path,
        metavar=("A", "B"),
        help="compare two snapshots; exit 1 if they differ",
    )
    parser.add_argument(
        "--max-lines", type=int, default=40, help="lines shown per differing file (default 40)"
    )
    args = parser.parse_args(argv)
    if args.diff:
        return diff(args.diff[0], args.diff[1], args.max_lines, args.only)
    checkout = args.checkout.resolve()
    if not (checkout / "pyproject.toml").is_file() or not (checkout / "examples").is_dir():
        parser.error(f"--checkout {checkout}: not a project checkout (no pyproject.toml)")
    venv = checkout / ".venv" / "bin" / "python"
    python = args.python or (str(venv) if venv.exists() else sys.executable)
    if args.list:
        tables = probe(python, checkout, child_env())["tables"]
        for cmd in select(all_commands(checkout, tables), args.only):
            print(f"{cmd.name:40} {shlex.join(cmd.argv)}")
        return 0
    if args.outdir is None:
        parser.error("give OUTDIR (or --diff A B, or --list)")
    outdir: Path = args.outdir.resolve()
    if outdir.exists() and any(outdir.iterdir()):
        if not (args.force and (outdir / META).is_file()):
            parser.error(f"{outdir} is not empty (--force replaces an earlier snapshot)")
        shutil.rmtree(outdir)
    if outdir.is_relative_to(checkout):
        parser.error(f"{outdir} is inside the checkout; keep snapshots outside it")
    return snapshot(outdir, checkout, python, args.only)


if __name__ == "__main__":
    sys.exit(main())
