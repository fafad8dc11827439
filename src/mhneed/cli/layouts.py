"""The command line's planners' layouts, rate-table files and progress bar.

Private to :mod:`mhneed.cli`:

* ``--layout by-area``: conditions as rows, every area, service lot and level
  total as a column block (:func:`mhneed.area_table`, :func:`mhneed.area_pivot`),
  with ``--compare`` and ``--standardise``;
* ``--layout by-year``: a projection with the years as columns
  (:func:`mhneed.projection_wide`) and the change from the base year;
* ``--table FILE``: a rate table of your own (long CSV, or the wide layout as CSV,
  ``.xlsx`` or ``.xls``, with its JSON metadata beside it);
* a progress bar for long runs (a projection year by year, or thousands of
  small areas), only on a terminal.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from mhneed._files import atomic_path
from mhneed.areas import area_pivot, area_table
from mhneed.errors import InputError
from mhneed.estimate import estimate, estimate_chunks
from mhneed.export import safe_text
from mhneed.io.rate_tables import read_rate_table, read_wide_rate_table
from mhneed.projections import projection_tidy, projection_wide
from mhneed.rates import RateTable
from mhneed.results import Estimate
from mhneed.tables import available_tables
from mhneed.workbook import write_tables_excel

__all__ = [
    "LAYOUTS",
    "ProgressBar",
    "estimate_with_progress",
    "resolve_cli_table",
    "write_layout",
]

#: The ``--layout`` choices and what each shows.
LAYOUTS: dict[str, str] = {
    "report": "the report table: conditions × age bands, a block per sex, with notes (default)",
    "tidy": "tidy rows, one figure per row, numbers as numbers",
    "by-area": "conditions as rows, each area, group and level total as columns (cases, range, "
    "rate per 100,000)",
    "by-year": "a projection: conditions as rows, years as columns, with the change from the "
    "first year",
}

#: Areas per part when a large population is estimated part by part.
AREAS_PER_PART = 2000


class ProgressBar:
    """A progress bar on standard error, drawn only when it is a terminal."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True, width: int = 24):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and _isatty(self.stream)
        self.width = width
        self._shown = False

    def __call__(self, done: int, total: int, what: str) -> None:
        """Draw ``done`` of ``total`` (such as years, or parts of areas)."""
        if not self.enabled or total <= 0:
            return
        filled = round(self.width * done / total)
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r\033[Kmhneed: {what} [{bar}] {done}/{total}")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Remove the bar."""
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False


def estimate_with_progress(
    population: pd.DataFrame,
    table: RateTable | str,
    conditions: Sequence[str] | None,
    ages: str | None,
    bar: Callable[[int, int, str], None],
) -> Estimate:
    """Estimate, part by part with a progress bar when the run is long (years, many areas).

    The result equals :func:`mhneed.estimate` on the whole population.
    """
    parts, what = _parts(population)
    if len(parts) < 2:
        return estimate(population, table, conditions, ages or None)

    def chunks() -> Iterator[pd.DataFrame]:
        for n, part in enumerate(parts):
            bar(n, len(parts), what)
            yield part
        bar(len(parts), len(parts), what)

    top_age = population.attrs.get("top_age")
    return estimate_chunks(chunks(), table, conditions, ages or None, top_age=top_age)


#: What the ``reader`` object of the JSON beside a wide rate-table file may say: the
#: options of :func:`mhneed.read_wide_rate_table`.
READER_OPTIONS = (
    "sheet",
    "conditions",
    "period",
    "source",
    "blocks",
    "bands",
    "decimal",
    "check_unit",
)

#: The files ``--table`` reads as a user's rate table.
_TABLE_SUFFIXES = (".csv", ".xlsx", ".xls")


def resolve_cli_table(text: str) -> RateTable | str:
    """A shipped table id, or a rate-table file of your own with its JSON metadata beside it.

    A ``.csv`` whose header names ``condition, sex, age_band, rate`` is read in
    the long layout (:func:`mhneed.read_rate_table`); any other ``.csv``, and an
    ``.xlsx`` or ``.xls``, in the wide layout survey reports print
    (:func:`mhneed.read_wide_rate_table`), with the reader's options from the
    JSON's ``reader`` object. Naming the ``.json`` reads the table file beside it.
    """
    if text in available_tables():
        return text
    path = Path(text)
    suffix = path.suffix.lower()
    if suffix == ".json" and path.is_file():
        found = [path.with_suffix(s) for s in _TABLE_SUFFIXES if path.with_suffix(s).is_file()]
        if not found:
            raise InputError(
                f"--table {text}: no {path.stem}.csv, .xlsx or .xls beside it; name the rate "
                "table's file, with its JSON metadata beside it",
                column="--table",
                rule="a rate-table file beside its JSON",
                values=[text],
            )
        path, suffix = found[0], found[0].suffix.lower()
    if suffix not in (*_TABLE_SUFFIXES, ".json"):
        return text  # an unknown id: load_table names the shipped ones
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        raise InputError(
            f"--table {text}: {what}",
            column="--table",
            rule="a shipped table id, or a rate-table file with its JSON metadata",
            values=[text],
        )
    meta_path = path.with_suffix(".json")
    if suffix == ".csv" and _long_header(path):
        return read_rate_table(path, meta_path if meta_path.is_file() else None)
    if not meta_path.is_file():
        raise InputError(
            f"--table {text}: no {meta_path.name} beside it; a rate table in the wide layout "
            "needs its metadata (id, title, publisher, edition, geography, population, "
            "sources, and a reader object for the sheet, conditions and period) in a JSON "
            "file of the same name (see docs/tutorials/own-table.md)",
            column="--table",
            rule="a rate-table file with its JSON metadata",
            values=[text],
        )
    meta, options = _wide_meta(meta_path)
    return read_wide_rate_table(path, meta, **options)


def write_layout(
    layout: str,
    est: Estimate,
    out: Path,
    *,
    groups: pd.DataFrame | None,
    comparator: str | None,
    standardise: bool,
    source: str,
) -> pd.DataFrame:
    """Write the ``by-area`` or ``by-year`` layout to CSV or Excel; return its tidy rows."""
    if layout == "by-area":
        tidy = area_table(est, groups, totals=True, comparator=comparator, standardise=standardise)
        measures = ["cases", "cases_lower", "cases_upper", "rate", "rate_lower", "rate_upper"]
        if standardise:
            measures += ["std_rate", "std_rate_lower", "std_rate_upper"]
        wide = area_pivot(tidy, measures)
        sheet = "By area"
    else:
        if "year" not in est.keys or est.coverage["year"].nunique() < 2:
            raise InputError(
                "--layout by-year needs a population over several years (such as an ONS SNPP "
                "projection); this one has "
                + ("no year column" if "year" not in est.keys else "one year"),
                column="--layout",
                rule="by-year needs several years",
                values=[layout],
            )
        tidy = projection_tidy(est, groups=groups)
        wide = projection_wide(tidy)
        sheet = "By year"
    tidy.attrs.setdefault("mhneed", {})["data_source"] = source
    wide.attrs = {"mhneed": dict(tidy.attrs["mhneed"])}
    if out.suffix.lower() == ".xlsx":
        write_tables_excel({sheet: wide}, out, data=tidy)
    else:
        _write_csv(wide, out, est, source)
    return tidy


def _write_csv(frame: pd.DataFrame, out: Path, est: Estimate, source: str) -> None:
    table = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
    header = [_heading(c) for c in table.columns]
    prov = est.provenance()
    notes = [
        f"Rates: {prov['title']} [{prov['table']}]",
        f"Input: {source}",
        *prov["caveats"],
        *est.warnings,
    ]
    with atomic_path(out) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_text(h) for h in header])
        for record in table.itertuples(index=False, name=None):
            writer.writerow([_cell(v) for v in record])
        writer.writerow([])
        for note in notes:
            writer.writerow([safe_text(note)])


def _heading(column: Any) -> str:
    if isinstance(column, tuple):
        parts = [str(p) for p in column if str(p)]
        return ": ".join(parts)
    return str(column)


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return safe_text(value)


def _long_header(path: Path) -> bool:
    """Whether a CSV's first non-empty line names the long layout's columns."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for cells in csv.reader(handle):
                if any(c.strip() for c in cells):
                    names = {c.strip().lower() for c in cells}
                    return {"condition", "sex", "age_band", "rate"} <= names
    except (UnicodeDecodeError, csv.Error):
        return False  # the readers name what is wrong with the file
    return False


def _wide_meta(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The metadata in a wide table's JSON, and the reader's options from its ``reader``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"--table: {path.name} is not valid JSON ({exc.msg}, line {exc.lineno} column "
            f"{exc.colno})",
            column="--table",
            rule="metadata as JSON",
            values=[path.name],
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            f"--table: {path.name} is not UTF-8 text",
            column="--table",
            rule="metadata as JSON",
            values=[path.name],
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"--table: {path.name} holds a JSON {type(data).__name__}, not an object of "
            "metadata fields",
            column="--table",
            rule="metadata as a JSON object",
            values=[path.name],
        )
    options = data.pop("reader", {})
    if not isinstance(options, dict):
        raise InputError(
            f"--table: {path.name}: reader must be an object of options "
            f"({', '.join(READER_OPTIONS)}), not {json.dumps(options)}",
            column="reader",
            rule="reader is a JSON object",
            values=[options],
        )
    unknown = [k for k in options if k not in READER_OPTIONS]
    if unknown:
        raise InputError(
            f"--table: {path.name}: reader option{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))} unknown; the options are "
            f"{', '.join(READER_OPTIONS)}",
            column="reader",
            rule=f"reader options in {', '.join(READER_OPTIONS)}",
            values=unknown,
        )
    return data, dict(options)


def _parts(population: pd.DataFrame) -> tuple[list[pd.DataFrame], str]:
    if "year" in population.columns and population["year"].nunique() > 1:
        years = list(pd.unique(population["year"]))
        groups = population.groupby("year", sort=False)
        return [groups.get_group(y).reset_index(drop=True) for y in years], "estimating years"
    if "area_code" in population.columns:
        codes = list(pd.unique(population["area_code"]))
        if len(codes) > AREAS_PER_PART:
            blocks = [codes[i : i + AREAS_PER_PART] for i in range(0, len(codes), AREAS_PER_PART)]
            parts = [population[population["area_code"].isin(b)] for b in blocks]
            return [p.reset_index(drop=True) for p in parts], "estimating areas"
    return [population], ""


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
