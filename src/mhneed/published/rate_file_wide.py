"""Read your own rate tables: the shipped long format, and the wide layout reports print.

Two readers turn a user's table into a :class:`~mhneed.rates.RateTable` that
estimates exactly like a shipped one:

- :func:`read_rate_table` reads the long format mhneed ships (``condition,
  sex, age_band, rate, lower, upper, source``) from a CSV file or a DataFrame,
  with its metadata from a mapping or a JSON file.
- :func:`read_wide_rate_table` reads the layout survey reports print and
  analysts copy (the APMS workbooks, for example): conditions as rows, age
  bands as columns with an "All" column, one block of rows per sex under a
  heading (``Men``, ``Women``, ``All adults``), percentages, and optional
  confidence-limit and base rows. It reads CSV, ``.xlsx`` (with openpyxl) and
  ``.xls`` (with xlrd); both are in the ``excel`` extra.

Figures are used as printed: nothing is interpolated or derived. Where women's
and men's blocks are given, they are the table's rows and the persons block is
kept as published checks (as in the shipped tables); the "All" column is kept
as published checks too.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from mhneed._extras import require
from mhneed.errors import AgeBandError, MissingColumnError, RateTableError
from mhneed.io._common import check_size, csv_rows, read_text, shown
from mhneed.published.bands import AgeBand, check_partition, parse_band
from mhneed.published.rates import ROW_COLUMNS, ConditionMeta, RateTable, Source, TableMeta
from mhneed.published.tables import parse_manifest, sources_manifest

__all__ = ["DEFAULT_BLOCKS", "read_rate_table", "read_wide_rate_table"]

PathOrFrame = str | os.PathLike[str] | pd.DataFrame
MetaArg = TableMeta | Mapping[str, Any] | str | os.PathLike[str]
SourceArg = Source | Mapping[str, Any] | str

#: The block headings of the published layout and the sex each stands for.
DEFAULT_BLOCKS: dict[str, str] = {"Men": "male", "Women": "female", "All adults": "persons"}

_OPTIONAL_COLUMNS = ("lower", "upper", "note")
_REQUIRED_COLUMNS = tuple(c for c in ROW_COLUMNS if c not in _OPTIONAL_COLUMNS)
_READER = "read_rate_table"
_WIDE_READER = "read_wide_rate_table"
_SEX_ORDER = {"female": 0, "male": 1, "persons": 2}
_DASH_NOTE = 'printed "–" in the source (no cases observed in the survey sample); stored as 0'


def read_rate_table(
    path_or_frame: PathOrFrame,
    meta: MetaArg | None = None,
    *,
    checks: PathOrFrame | None = None,
    sources: str | os.PathLike[str] | Sequence[Source | Mapping[str, Any]] | None = None,
    check_unit: bool = True,
) -> RateTable:
    """Read a rate table in the long format mhneed ships.

    Parameters
    ----------
    path_or_frame : str, path or pandas.DataFrame
        A CSV file or a DataFrame with columns ``condition, sex, age_band,
        rate, source`` and optionally ``lower, upper, note``; one row per
        (condition, sex, age band) cell. Figures are in the unit the metadata
        names (``percent``, ``per_1000`` or ``proportion``). Column names are
        matched ignoring case and surrounding spaces.
    meta : TableMeta, mapping, str or path, optional
        The table's metadata (the fields of the shipped ``<id>.json`` files:
        ``id, title, publisher, edition, geography, population, ages,
        denominator, interval, level, unit, conditions, caveats, citation``),
        as a mapping or a JSON file. By default ``<name>.json`` beside the CSV.
    checks : str, path or pandas.DataFrame, optional
        Published figures kept to check the table, not used in estimates
        (same columns). By default ``<name>.checks.csv`` beside the CSV, if
        it exists.
    sources : str, path or sequence, optional
        Where the ids in the ``source`` column are cited: a sources CSV
        (columns ``id, citation, url, kind``) or a sequence of
        :class:`~mhneed.rates.Source` or mappings. Ids are looked up in the
        metadata's own ``sources`` list, then here, then in ``sources.csv``
        beside the CSV, then in mhneed's shipped manifest.
    check_unit : bool, default True
        Check that the figures are plausible for the unit: a ``percent``
        table whose figures are all at most 1 looks like proportions (0.068
        for 6.8%), and a ``proportion`` table with a rate above 0.5 looks like
        percentages (0.7 for 0.7%); either is refused, naming the likely
        mistake. Pass ``False`` when the figures really are so (psychosis is
        about 0.4%; most people in prison have a mental disorder).

    Returns
    -------
    RateTable
        Rates as proportions [0, 1], validated like a shipped table.

    Raises
    ------
    MissingColumnError
        When a required column is missing.
    RateTableError
        When there is no metadata, a source id is not cited anywhere, a row
        breaks a rule (the message names the row, the column and the value),
        or (with ``check_unit``) the figures look like another unit.

    Examples
    --------
    >>> import pandas as pd
    >>> import mhneed
    >>> rows = pd.DataFrame({"condition": ["gad", "gad"], "sex": ["female", "male"],
    ...                      "age_band": ["16+", "16+"], "rate": [6.8, 4.9],
    ...                      "source": ["rutland_jsna_2018"] * 2})
    >>> meta = {"id": "my_gad", "title": "GAD", "publisher": "NHS Digital",
    ...         "edition": 2014, "geography": "England", "population": "adults",
    ...         "ages": "16+", "denominator": "persons", "interval": "none",
    ...         "unit": "percent", "conditions": [{"id": "gad", "label": "GAD",
    ...         "period": "past week", "ages": "16+"}]}
    >>> [row.rate for row in mhneed.read_rate_table(rows, meta).rows]
    [0.068, 0.049]
    """
    path = None if isinstance(path_or_frame, pd.DataFrame) else Path(path_or_frame)
    rows = _long_frame(path_or_frame)
    if meta is None:
        sibling = None if path is None else path.with_suffix(".json")
        if sibling is None or not sibling.is_file():
            where = (
                "a DataFrame" if path is None else f"{path.name} (no {path.stem}.json beside it)"
            )
            raise RateTableError(
                f"no metadata for the rate table in {where}: pass meta= as a mapping, a "
                "TableMeta or a JSON file with id, title, publisher, edition, geography, "
                "population, ages, denominator, interval, unit and conditions",
                column="meta",
                rule="a rate table has metadata",
            )
        meta = sibling
    meta_dict = _meta_dict(meta, "read_rate_table")
    if checks is None and path is not None:
        sibling_checks = path.with_name(f"{path.stem}.checks.csv")
        checks = sibling_checks if sibling_checks.is_file() else None
    checks_frame = None if checks is None else _long_frame(checks)

    lookup: dict[str, Source] = dict(sources_manifest())
    if path is not None and path.with_name("sources.csv").is_file():
        manifest_path = path.with_name("sources.csv")
        lookup.update(parse_manifest(_read_text(manifest_path), where=manifest_path.name))
    lookup.update(_sources_arg(sources))
    lookup.update(_meta_sources(meta_dict))
    _check_sources_given(rows, "row")
    if checks_frame is not None:
        _check_sources_given(checks_frame, "published check")
    used = list(rows["source"]) + ([] if checks_frame is None else list(checks_frame["source"]))
    used_ids = list(dict.fromkeys(str(s).strip() for s in used))
    unknown = [s for s in used_ids if s not in lookup]
    if unknown:
        raise RateTableError(
            f"rate table {meta_dict.get('id', '?')}: column source: "
            f"{', '.join(map(repr, unknown))} not cited anywhere; give each source's id, "
            "citation and kind (primary or secondary) in sources= (a sources CSV or a list) "
            "or in the metadata's sources list",
            column="source",
            rule="source in manifest",
            values=unknown,
        )
    meta_dict["sources"] = [lookup[s] for s in used_ids]
    table = RateTable.from_frame(rows, meta_dict, checks=checks_frame)
    if check_unit:
        _check_unit(table)
    return table


def read_wide_rate_table(
    path_or_frame: PathOrFrame,
    meta: MetaArg,
    *,
    sheet: str | int | None = None,
    conditions: Mapping[str, str] | Sequence[str] | None = None,
    period: str | Mapping[str, str] | None = None,
    source: SourceArg | None = None,
    blocks: Mapping[str, str] | None = None,
    bands: Sequence[str] | None = None,
    decimal: str | None = None,
    check_unit: bool = True,
) -> RateTable:
    """Read a table in the wide layout survey reports print: conditions × age bands, by sex.

    The layout (as in the APMS 2014 workbooks, such as sheet 2.3 of
    ``apms-2014-ch-02-tabs.xls``)::

                                  16-24  25-34  ...  75+   All
        Men
        Generalised anxiety disorder  ...
        Depressive episode            ...
        Bases (weighted)              ...
        Women
        ...
        All adults
        ...

    A header row holds the age bands (``16-24``, ``16–24``, ``75+``, ``75 and
    over``) and optionally an ``All`` column; the row labels are in the
    column(s) left of the first band. Each block starts at a row holding only
    its heading. Below a condition row, optional rows labelled ``Lower 95%
    CI`` and ``Upper 95% CI`` (or one ``95% CI`` row of ``a–b`` cells) give its
    confidence limits; rows labelled ``Base...`` are skipped; a printed
    ``–`` is read as 0 (no cases observed) with a note.

    Parameters
    ----------
    path_or_frame : str, path or pandas.DataFrame
        A ``.csv``, ``.xlsx`` or ``.xls`` file, or a DataFrame of the sheet's
        cells (such as ``pandas.read_excel(..., header=None)``).
    meta : TableMeta, mapping, str or path
        The survey's metadata, as for :func:`read_rate_table`: at least
        ``id, title, publisher, edition, geography, population``. Defaults:
        ``ages`` the span of the age-band columns, ``denominator`` persons,
        ``unit`` percent, ``interval`` confidence_interval when limits are
        given (``level`` from the rows' label, such as "95% CI") and none
        otherwise. Give ``conditions`` here to set labels, periods and scopes
        yourself.
    sheet : str or int, optional
        The sheet of a workbook, by name (such as ``"2.3"``) or 0-based
        position; the first sheet by default.
    conditions : mapping or sequence of str, optional
        Which rows to read: a mapping of printed row label to condition id
        (``{"Generalised anxiety disorder": "gad"}``), or a list of labels
        (ids made from the labels). Labels match ignoring case, spaces and
        dash style. Rows not named are skipped. By default the conditions in
        ``meta`` (matched by label or id), else every condition row.
    period : str or mapping, optional
        The reference period of the figures (such as ``"past week"``), or a
        mapping of condition id to period. Required when ``meta`` has no
        conditions.
    source : Source, mapping or str, optional
        The publication the figures come from: a
        :class:`~mhneed.rates.Source`, a mapping with ``id, citation, url,
        kind``, or a citation string (taken as the survey publisher's own
        table: kind primary, id the table's id). By default the only source in
        ``meta["sources"]``.
    blocks : mapping, optional
        Block headings and the sex each stands for (``female``, ``male`` or
        ``persons``); default :data:`DEFAULT_BLOCKS` (Men, Women, All
        adults). Every block named must be in the sheet.
    bands : sequence of str, optional
        The age bands expected as columns; each must be in the header row.
        By default the columns found, which must cover ``meta["ages"]`` (if
        given) exactly once.
    decimal : {".", ","}, optional
        The decimal mark of figures stored as text. A text figure holding a
        comma is ambiguous (``4,9`` is 4.9 written with a decimal comma, as
        European-locale spreadsheets save it, or 49 with a thousands
        separator), so by default it is refused, naming the cell. Pass
        ``decimal=","`` to read commas as decimal marks (``4,9`` is 4.9;
        confidence limits such as ``4,2–5,6`` too), or ``decimal="."`` to read
        them as thousands separators (``1,000``). Numbers stored as numbers
        in a workbook are read as they are either way.
    check_unit : bool, default True
        Check that the figures are plausible for the metadata's unit (see
        :func:`read_rate_table`); ``False`` when they really are percentages
        all below 1% or proportions above a half.

    Returns
    -------
    RateTable
        Rows: one per condition × sex × age band (women's and men's cells
        when those blocks are given, else persons cells), rates as
        proportions [0, 1]. Checks: the persons block (when sex blocks are
        given) and the All column.

    Raises
    ------
    RateTableError
        Naming the missing age band, block, condition row or figure, or the
        offending cell (row number and column), including a text figure with a
        comma when ``decimal`` is not given.
    MissingExtraError
        When openpyxl (``.xlsx``) or xlrd (``.xls``) is not installed.

    Examples
    --------
    >>> import pandas as pd
    >>> import mhneed
    >>> sheet = pd.DataFrame([
    ...     ["", "16-64", "65+", "All"],
    ...     ["All adults", None, None, None],
    ...     ["Psychotic disorder", 0.5, "–", 0.4],
    ... ])
    >>> table = mhneed.read_wide_rate_table(
    ...     sheet, {"id": "demo", "title": "Demo", "publisher": "Me", "edition": 2024,
    ...             "geography": "England", "population": "adults", "ages": "16+"},
    ...     blocks={"All adults": "persons"}, period="past year", source="Made-up example",
    ...     check_unit=False)  # psychosis: real percentages, all below 1%
    >>> [(row.age_band, row.rate) for row in table.rows]
    [('16-64', 0.005), ('65+', 0.0)]
    """
    if decimal not in (None, ".", ","):
        raise RateTableError(
            f"{_WIDE_READER}: decimal={decimal!r} must be '.' or ','",
            column="decimal",
            rule="decimal in '.', ','",
            values=[decimal],
        )
    name, grid = _read_grid(path_or_frame, sheet)
    meta_dict = _meta_dict(meta, _WIDE_READER)
    table_id = str(meta_dict.get("id", "?"))
    heads = {_norm(h): (h, _block_sex(h, s)) for h, s in (blocks or DEFAULT_BLOCKS).items()}
    header = _find_header(grid, name)
    band_cols = _check_bands(header, bands, meta_dict.get("ages"), name)
    parsed = _walk(grid, header, heads, name, decimal)

    found = [heads[k][0] for k in parsed.order]
    missing = [h for k, (h, _) in heads.items() if k not in parsed.blocks]
    if missing:
        raise RateTableError(
            f"{name}: no block headed {' or '.join(map(repr, missing))}; the blocks expected "
            f"are {', '.join(h for h, _ in heads.values())} and the blocks found are "
            f"{', '.join(found) or 'none'}; name the headings with blocks=, such as "
            "blocks={'Men': 'male', 'Women': 'female', 'All adults': 'persons'}",
            column="block",
            rule="every block named is in the sheet",
            values=missing,
        )

    mapping = _label_map(conditions, meta_dict, parsed, heads, name)
    scope = _scope(band_cols, meta_dict.get("ages"))
    sexes = [heads[k][1] for k in parsed.order]
    by_sex = [s for s in ("female", "male") if s in sexes]
    src = _resolve_source(source, meta_dict, table_id)
    records: list[dict[str, Any]] = []
    check_records: list[dict[str, Any]] = []
    labels: dict[str, str] = {}
    problems: list[RateTableError] = []  # every missing row and bad cell, reported at once
    for asked, cond_id in mapping:
        for key in sorted(parsed.order, key=lambda k: _SEX_ORDER[heads[k][1]]):
            heading, sex = heads[key]
            row = parsed.blocks[key].get(_norm(asked))
            if row is None:
                rows_found = ", ".join(repr(r.label) for r in parsed.blocks[key].values())
                problems.append(
                    RateTableError(
                        f"{name}: condition {cond_id} (row label {asked!r}) has no row in block "
                        f"{heading!r}; the rows there are {rows_found or 'none'}",
                        column="condition",
                        rule="every condition in every block",
                        values=[asked],
                    )
                )
                continue
            labels.setdefault(cond_id, row.label)
            is_check = bool(by_sex) and sex == "persons"
            for col, band in band_cols:
                try:
                    rec = _cell_record(
                        row, col, str(band), name, heading, required=True, decimal=decimal
                    )
                except RateTableError as exc:
                    problems.append(exc)
                    continue
                extra = f"the {heading} block (persons)" if is_check else ""
                rec.update(condition=cond_id, sex=sex, source=src.id, note=_join(rec, extra))
                (check_records if is_check else records).append(rec)
            if header.all_col is not None:
                try:
                    rec = _cell_record(
                        row, header.all_col, "All", name, heading, required=False, decimal=decimal
                    )
                except RateTableError as exc:
                    problems.append(exc)
                    continue
                if rec:
                    extra = f"the All column ({heading})"
                    rec.update(condition=cond_id, sex=sex, source=src.id, note=_join(rec, extra))
                    rec["age_band"] = str(scope)
                    check_records.append(rec)
    if problems:
        raise _wide_problems(name, problems)

    meta_dict = _wide_defaults(meta_dict, scope, parsed, by_sex, labels, period, name)
    meta_dict["sources"] = [src]
    columns = [*ROW_COLUMNS, "note"]
    rows_frame = pd.DataFrame.from_records(records, columns=columns)
    checks_frame = pd.DataFrame.from_records(check_records, columns=columns)
    table = RateTable.from_frame(
        rows_frame, meta_dict, checks=checks_frame if check_records else None
    )
    if check_unit:
        _check_unit(table)
    return table


def _wide_problems(name: str, problems: Sequence[RateTableError]) -> RateTableError:
    """One error for every problem in a wide sheet: the problem's own when there is one.

    Several read "NAME: N problems: row 7 ('Label', block 'Men'), column 16-24:
    ...; condition x (row label 'X') has no row in block 'Women'; ...", in the
    order the conditions and blocks are read.
    """
    if len(problems) == 1:
        return problems[0]
    texts = [str(exc).removeprefix(f"{name}: ") for exc in problems]
    columns = list(dict.fromkeys(exc.column for exc in problems))
    rules = list(dict.fromkeys(exc.rule for exc in problems if exc.rule))
    return RateTableError(
        f"{name}: {len(problems)} problems: " + "; ".join(texts),
        column=columns[0] if len(columns) == 1 else None,
        rule=rules[0] if len(rules) == 1 else "; ".join(rules),
        values=[v for exc in problems for v in exc.values],
    )


# -- private helpers: the unit's plausibility ----------------------------------------

#: A rate above this, as a proportion, is implausible enough to ask whether the figures
#: are percentages in a table labelled "proportion".
PLAUSIBLE_MAX_PROPORTION = 0.5

_UNIT_ADVICE = (
    "The unit is checked because a figure in the wrong unit is 100 times too small or too "
    "large without any other sign"
)


def _check_unit(table: RateTable) -> None:
    """Refuse a table whose figures look like another unit than its metadata says.

    ``percent`` with every figure at most 1 looks like proportions (0.068 for 6.8%);
    ``proportion`` with a rate above a half looks like percentages (0.7 for 0.7%).
    Both can be real (psychosis is about 0.4%; most people in prison have a mental
    disorder), so ``check_unit=False`` turns the check off.
    """
    unit = table.meta.unit
    rows = [*table.rows, *table.checks]
    if not rows:
        return
    scale = 100.0 if unit == "percent" else 1.0
    where = f"rate table {table.id}"
    if unit == "percent":
        figures = [
            (v * scale, r) for r in rows for v in (r.rate, r.lower, r.upper) if v is not None
        ]
        top, row = max(figures, key=lambda item: item[0])
        if 0 < top <= 1:
            big, pct = _unit_g(top), _unit_g(top * 100)
            raise RateTableError(
                f"{where}: unit is 'percent' but every figure is at most 1 (the largest is "
                f"{big}, {_unit_cell(row)}): these look like proportions ({big} for {pct}%); "
                "if they are, set unit to 'proportion'; if they really are percentages below "
                "1% (psychosis, for one, is about 0.4%), pass check_unit=False",
                column="rate",
                rule="figures plausible for the unit",
                values=[top],
            )
    elif unit == "proportion":
        top_row = max(rows, key=lambda r: r.rate)
        if top_row.rate > PLAUSIBLE_MAX_PROPORTION:
            top = top_row.rate
            big, pct = _unit_g(top), _unit_g(top * 100)
            raise RateTableError(
                f"{where}: unit is 'proportion' but the rate {big} ({_unit_cell(top_row)}) "
                f"means {pct}% of people: these look like percentages ({big} for {big}%); if "
                "they are, set unit to 'percent'; if a rate above a half is "
                "real (such as among people in prison), pass check_unit=False",
                column="rate",
                rule="figures plausible for the unit",
                values=[top],
            )


def _unit_g(value: float) -> str:
    return f"{round(value, 10):g}"


def _unit_cell(row: Any) -> str:
    return f"condition {row.condition}, sex {row.sex}, age_band {row.age_band}"


# -- private helpers: long format ---------------------------------------------------


def _long_frame(path_or_frame: PathOrFrame) -> pd.DataFrame:
    if isinstance(path_or_frame, pd.DataFrame):
        frame = path_or_frame.copy()
        where = "the DataFrame"
    else:
        path = Path(path_or_frame)
        frame = _csv_frame(path)
        where = path.name
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    required = [c for c in ROW_COLUMNS if c not in _OPTIONAL_COLUMNS]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"{where}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"a rate table has columns {', '.join(required)} and optionally lower, upper, note",
            column=missing[0],
            rule="required columns",
            values=missing,
        )
    for col in _OPTIONAL_COLUMNS:
        if col not in frame.columns:
            frame[col] = ""
    return frame


def _check_sources_given(frame: pd.DataFrame, what: str) -> None:
    blank = [i for i, v in enumerate(frame["source"], start=1) if _cell(v) is None]
    if blank:
        shown = ", ".join(map(str, blank[:5])) + (", ..." if len(blank) > 5 else "")
        raise RateTableError(
            f"column source is blank in {what}{'s' if len(blank) > 1 else ''} {shown}; "
            "every figure names its source",
            column="source",
            rule="every figure has a source",
            values=blank,
        )


def _read_text(path: Path) -> str:
    return read_text(path, _READER, error=RateTableError)


def _csv_frame(path: Path) -> pd.DataFrame:
    """A long-format CSV file as text cells, after checking every row fits the header."""
    rows = csv_rows(_read_text(path), ",", _READER, path.name, error=RateTableError)
    rows = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise RateTableError(
            f"{_READER}: {path.name} has no header row; the file holds only commas and quotes",
            rule="a header row",
            values=[path.name],
        )
    header_line, header = rows[0]
    names = [h.strip().lower() for h in header]
    named = [i for i, h in enumerate(names) if h]
    twice = next((h for i, h in enumerate(names) if h and h in names[:i]), None)
    if twice is not None:
        raise RateTableError(
            f"{_READER}: {path.name} line {header_line}: column {twice} appears more than once",
            column=twice,
            rule="unique column names",
            values=[twice],
        )
    records: list[list[str]] = []
    for n, cells in rows[1:]:
        where = f"{_READER}: {path.name} line {n}"
        lacking = [names[i] for i in named if i >= len(cells) and names[i] in _REQUIRED_COLUMNS]
        if lacking:
            raise RateTableError(
                f"{where}: {len(cells)} values, but the header has {len(header)} columns: no "
                f"{', '.join(lacking)}; is the file truncated?",
                column=lacking[0],
                rule="every row as long as the header",
                values=[n],
            )
        stray = [c for i, c in enumerate(cells) if c.strip() and (i >= len(names) or not names[i])]
        if stray:
            raise RateTableError(
                f"{where}: value {shown(stray[0])!r} is in a column with no name in the header "
                f"(line {header_line}); is a comma inside a value without quotes around it?",
                rule="values under named columns",
                values=[stray[0]],
            )
        records.append([cells[i] if i < len(cells) else "" for i in named])
    return pd.DataFrame(records, columns=[header[i] for i in named], dtype=object)


def _meta_dict(meta: MetaArg, function: str) -> dict[str, Any]:
    if isinstance(meta, TableMeta):
        return meta.model_dump()
    if isinstance(meta, Mapping):
        return dict(meta)
    if not isinstance(meta, str | os.PathLike):
        raise RateTableError(
            f"{function}: meta is a {type(meta).__name__} ({_short_repr(meta)}), not metadata; "
            "give a "
            "mapping (dict) of the table's metadata, a TableMeta, or the path of a JSON file",
            column="meta",
            rule="metadata is a mapping, a TableMeta or a JSON file",
            values=[type(meta).__name__],
        )
    path = Path(meta)
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise RateTableError(
            f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            column="meta",
            rule="metadata is a JSON object",
        ) from None
    except (RecursionError, ValueError) as exc:  # nested too deeply; a number too long
        why = "lists or objects nested too deeply" if isinstance(exc, RecursionError) else exc
        raise RateTableError(
            f"{path.name}: not valid JSON metadata ({why})",
            column="meta",
            rule="metadata is a JSON object",
        ) from None
    if not isinstance(data, dict):
        raise RateTableError(
            f"{path.name}: the metadata must be a JSON object, not {type(data).__name__}",
            column="meta",
            rule="metadata is a JSON object",
        )
    return data


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _sources_arg(
    sources: str | os.PathLike[str] | Sequence[Source | Mapping[str, Any]] | None,
) -> dict[str, Source]:
    if sources is None:
        return {}
    if isinstance(sources, str | os.PathLike):
        path = Path(sources)
        return parse_manifest(_read_text(path), where=path.name)
    if not isinstance(sources, Sequence):
        raise RateTableError(
            f"sources must be a sources CSV file or a list of sources, not "
            f"{type(sources).__name__}; a source has id, citation, url (optional) and kind",
            column="sources",
            rule="a list of sources",
            values=[type(sources).__name__],
        )
    out: dict[str, Source] = {}
    for item in sources:
        if not isinstance(item, Source | Mapping):
            raise RateTableError(
                f"sources: {item!r} is not a source; give each as a mapping with id, citation, "
                "url (optional) and kind (primary or secondary)",
                column="sources",
                rule="each source a mapping",
                values=[item],
            )
        src = item if isinstance(item, Source) else _source_model(item)
        out[src.id] = src
    return out


def _meta_sources(meta: Mapping[str, Any]) -> dict[str, Source]:
    """The sources listed in the metadata: a list, never a file name."""
    listed = meta.get("sources") or []
    if not isinstance(listed, list | tuple):
        raise RateTableError(
            f"rate table {meta.get('id', '?')} metadata: field sources must be a list of "
            f"sources (each with id, citation, url and kind), not {type(listed).__name__}",
            column="sources",
            rule="a list of sources",
            values=[listed],
        )
    return _sources_arg(listed)


def _source_model(data: Mapping[str, Any]) -> Source:
    try:
        return Source(**{str(k): v for k, v in data.items()})
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"])
        shown = "" if first["type"] == "missing" else f" (value {first.get('input')!r})"
        raise RateTableError(
            f"source {dict(data).get('id', '?')!r}: field {field_name}: {first['msg']}{shown}; "
            "a source has id, citation, url (optional) and kind (primary or secondary)",
            column=field_name,
            rule=str(first["msg"]),
            values=[first.get("input")],
        ) from None


# -- private helpers: wide layout ---------------------------------------------------

Cell = str | float | None


@dataclass(frozen=True)
class _Header:
    row: int  # 0-based index in the grid
    bands: tuple[tuple[int, AgeBand], ...]  # (column, band), in column order
    all_col: int | None


@dataclass
class _Row:
    label: str
    line: int  # 1-based row number in the sheet
    cells: list[Cell]
    lower: list[Cell] | None = None
    upper: list[Cell] | None = None


@dataclass
class _Parsed:
    blocks: dict[str, dict[str, _Row]] = field(default_factory=dict)  # block → label → row
    order: list[str] = field(default_factory=list)  # block keys, in sheet order
    level: float | None = None


_ALL_LABELS = frozenset({"all", "all ages", "total"})
_BASE = re.compile(r"^(un)?weighted bases?\b|^bases?\b", re.I)
_LOWER = re.compile(r"\b(lower|lcl)\b")
_UPPER = re.compile(r"\b(upper|ucl)\b")
_CI = re.compile(r"\b(ci|confidence (interval|limits?))\b")
_LEVEL = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_DASHES = frozenset({"–", "-", "—", "‒", "−"})
_NUMBER = re.compile(r"^-?(?:[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*%?$")
_PAIR = re.compile(r"^\(?\s*([0-9.]+)\s*(?:-|–|—|to|,)\s*([0-9.]+)\s*\)?$")
#: A pair of limits whose figures may hold commas (decimal or thousands), split by a dash.
_COMMA_PAIR = re.compile(r"^\(?\s*([0-9][0-9.,]*)\s*(?:-|–|—|to|;)\s*([0-9][0-9.,]*)\s*\)?$")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
_DECIMAL_COMMA = re.compile(r"^[0-9]+(?:,[0-9]+)?$")


def _is_figure(value: Cell) -> bool:
    if value is None:
        return False
    if isinstance(value, float):
        return True
    text = value.strip()
    return text in _DASHES or bool(
        _NUMBER.match(text) or _PAIR.match(text) or _COMMA_PAIR.match(text)
    )


def _norm(text: object) -> str:
    out = str(text).strip().lower()
    out = re.sub(r"[–—‒−]", "-", out)
    return re.sub(r"\s+", " ", out).rstrip(":").strip()


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _norm(label)).strip("_")


def _block_sex(heading: str, sex: str) -> str:
    if sex not in ("female", "male", "persons"):
        raise RateTableError(
            f"blocks: heading {heading!r} maps to {sex!r}; a block's sex is one of female, "
            "male, persons",
            column="blocks",
            rule="block sex in female, male, persons",
            values=[sex],
        )
    return sex


def _read_grid(path_or_frame: PathOrFrame, sheet: str | int | None) -> tuple[str, list[list[Cell]]]:
    if isinstance(path_or_frame, pd.DataFrame):
        frame = path_or_frame
        raw: list[list[Any]] = frame.astype(object).to_numpy().tolist()
        if not isinstance(frame.columns, pd.RangeIndex):
            raw.insert(0, list(frame.columns))
        return "the DataFrame", [[_cell(v) for v in row] for row in raw]
    path = Path(path_or_frame)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".xlsx", ".xlsm", ".xls"):
        check_size(path, _WIDE_READER, error=RateTableError)
    if suffix in (".csv", ".txt"):
        if sheet is not None:
            raise RateTableError(
                f"{path.name}: sheet={sheet!r} applies to Excel workbooks; a CSV file has one "
                "sheet, so leave sheet out",
                column="sheet",
                rule="sheet only for workbooks",
                values=[sheet],
            )
        rows = csv_rows(_read_text(path), ",", _WIDE_READER, path.name, error=RateTableError)
        return path.name, [[_cell(v) for v in cells] for _, cells in rows]
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        return _read_xls(path, sheet)
    raise RateTableError(
        f"{path.name}: cannot read files ending {suffix or '(no extension)'!r}; give a .csv, "
        ".xlsx or .xls file, or a DataFrame",
        column="path",
        rule="a .csv, .xlsx or .xls file",
        values=[suffix],
    )


def _read_xlsx(path: Path, sheet: str | int | None) -> tuple[str, list[list[Cell]]]:
    openpyxl = require("openpyxl", "reading .xlsx files")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise  # missing, a folder, no permission: the builtin, untouched
    except Exception as exc:  # openpyxl raises many kinds on a damaged file (BadZipFile, ...)
        raise _not_a_workbook(path, exc) from None
    try:
        index = _sheet_index(list(book.sheetnames), sheet, path.name)
        rows = book.worksheets[index].iter_rows(values_only=True)
        grid = [[_cell(v) for v in row] for row in rows]
        return f"{path.name}, sheet {book.sheetnames[index]!r}", grid
    except RateTableError:
        raise
    except Exception as exc:  # a damaged sheet inside a readable zip
        raise _not_a_workbook(path, exc) from None
    finally:
        book.close()


def _read_xls(path: Path, sheet: str | int | None) -> tuple[str, list[list[Cell]]]:
    xlrd = require("xlrd", "reading .xls files")
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except OSError:
        raise
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, ...
        raise _not_a_workbook(path, exc) from None
    try:
        index = _sheet_index(list(book.sheet_names()), sheet, path.name)
        page = book.sheet_by_index(index)
        grid = [
            [_cell(page.cell_value(r, c)) for c in range(page.ncols)] for r in range(page.nrows)
        ]
        return f"{path.name}, sheet {book.sheet_names()[index]!r}", grid
    except RateTableError:
        raise
    except Exception as exc:  # a damaged sheet
        raise _not_a_workbook(path, exc) from None
    finally:
        book.release_resources()


def _not_a_workbook(path: Path, exc: BaseException) -> RateTableError:
    kind = "an .xls" if path.suffix.lower() == ".xls" else "an .xlsx"
    detail = " ".join(str(exc).split())[:200] or type(exc).__name__
    return RateTableError(
        f"{_WIDE_READER}: {path.name} is not a readable {path.suffix.lower()} workbook "
        f"({detail}); is it {kind} file saved by Excel, or another kind of file renamed?",
        column="path",
        rule="a readable workbook",
        values=[path.name],
    )


def _sheet_index(names: list[str], sheet: str | int | None, where: str) -> int:
    if sheet is None:
        return 0
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return sheet
    if isinstance(sheet, str) and sheet in names:
        return names.index(sheet)
    raise RateTableError(
        f"{where}: no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}",
        column="sheet",
        rule="sheet in the workbook",
        values=[sheet],
    )


def _cell(value: object) -> Cell:
    if value is None or value is pd.NA or value is pd.NaT or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if value != value else float(value)  # NaN → blank
    text = str(value).strip()
    return text or None


def _band_of(value: Cell) -> AgeBand | None:
    if not isinstance(value, str):
        return None
    try:
        band = parse_band(str(value))
    except AgeBandError:
        return None
    return None if band == AgeBand(0, None) else band


def _find_header(grid: list[list[Cell]], name: str) -> _Header:
    for r, row in enumerate(grid):
        bands = [(c, b) for c, v in enumerate(row) if (b := _band_of(v)) is not None]
        if len(bands) >= 2:
            alls = [c for c, v in enumerate(row) if isinstance(v, str) and _norm(v) in _ALL_LABELS]
            if bands[0][0] == 0:
                raise RateTableError(
                    f"{name}: the header row (row {r + 1}) has an age band in the first "
                    "column; the first column must hold the row labels",
                    column="age_band",
                    rule="labels left of the age bands",
                )
            seen: dict[AgeBand, int] = {}
            for c, b in bands:
                if b in seen:
                    raise RateTableError(
                        f"{name}: the header row (row {r + 1}) has age band {b} twice",
                        column="age_band",
                        rule="each age band once",
                        values=[str(b)],
                    )
                seen[b] = c
            return _Header(row=r, bands=tuple(bands), all_col=alls[0] if alls else None)
    raise RateTableError(
        f"{name}: no header row of age bands found; the sheet needs a row of age-band "
        "column headings such as 16-24, 25-34, ..., 75+, All",
        column="age_band",
        rule="a header row of age bands",
    )


def _check_bands(
    header: _Header, bands: Sequence[str] | None, ages: object, name: str
) -> list[tuple[int, AgeBand]]:
    found = {b: c for c, b in header.bands}
    listed = ", ".join(str(b) for _, b in header.bands) + (
        ", All" if header.all_col is not None else ""
    )
    if bands is not None:
        wanted = [parse_band(str(b)) for b in bands]
        missing = [str(b) for b in wanted if b not in found]
        if missing:
            raise RateTableError(
                f"{name}: age band{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"{'have' if len(missing) > 1 else 'has'} no column in the header row (row "
                f"{header.row + 1}); the columns found are {listed}",
                column="age_band",
                rule="every age band expected has a column",
                values=missing,
            )
        chosen = sorted(((found[b], b) for b in wanted), key=lambda cb: cb[0])
    else:
        chosen = list(header.bands)
    scope = _scope(chosen, ages)
    try:
        check_partition([b for _, b in chosen], scope, what="the age-band columns")
    except AgeBandError as exc:
        raise RateTableError(
            f"{name}: {exc} (the header row, row {header.row + 1}, has {listed})",
            column="age_band",
            rule="age-band columns cover the ages in scope",
            values=exc.values,
        ) from None
    return chosen


def _scope(band_cols: Sequence[tuple[int, AgeBand]], ages: object) -> AgeBand:
    if ages:
        return parse_band(str(ages))
    bands = [b for _, b in band_cols]
    top = None if any(b.upper is None for b in bands) else max(b.upper or 0 for b in bands)
    return AgeBand(min(b.lower for b in bands), top)


def _walk(
    grid: list[list[Cell]],
    header: _Header,
    heads: Mapping[str, tuple[str, str]],
    name: str,
    decimal: str | None,
) -> _Parsed:
    parsed = _Parsed()
    first_band = header.bands[0][0]
    value_cols = [c for c, _ in header.bands] + (
        [header.all_col] if header.all_col is not None else []
    )
    current: str | None = None
    last: _Row | None = None
    for r in range(header.row + 1, len(grid)):
        row = grid[r] + [None] * (max(value_cols) + 1 - len(grid[r]))
        label_cell = next((v for v in row[:first_band] if v is not None), None)
        has_values = any(_is_figure(row[c]) for c in value_cols)
        if sum(1 for v in row if _band_of(v) is not None) >= 2:
            continue  # the header repeated above a block
        if label_cell is None:
            continue  # a "%" row, a spacer
        label = re.sub(r"\s+", " ", str(label_cell)).strip()
        key = _norm(label)
        if key in heads and not has_values:
            if key in parsed.blocks:
                raise RateTableError(
                    f"{name}: row {r + 1}: block {heads[key][0]!r} appears twice",
                    column="block",
                    rule="each block once",
                    values=[label],
                )
            current, last = key, None
            parsed.blocks[key] = {}
            parsed.order.append(key)
        elif not has_values or _BASE.match(key):
            continue  # a title, note or base row
        elif current is None:
            raise RateTableError(
                f"{name}: row {r + 1} ({label!r}) has figures but comes before any block "
                f"heading; the blocks are headed {', '.join(h for h, _ in heads.values())}",
                column="block",
                rule="figures sit under a block heading",
                values=[label],
            )
        elif _LOWER.search(key) or _UPPER.search(key) or _CI.search(key):
            _attach_limits(parsed, last, row, key, label, r, name, decimal)
        else:
            if key in parsed.blocks[current]:
                raise RateTableError(
                    f"{name}: row {r + 1}: {label!r} appears twice in block {heads[current][0]!r}",
                    column="condition",
                    rule="each condition once per block",
                    values=[label],
                )
            last = _Row(label=label, line=r + 1, cells=row)
            parsed.blocks[current][key] = last
    return parsed


def _attach_limits(
    parsed: _Parsed,
    last: _Row | None,
    row: list[Cell],
    key: str,
    label: str,
    r: int,
    name: str,
    decimal: str | None,
) -> None:
    if last is None:
        raise RateTableError(
            f"{name}: row {r + 1} ({label!r}) gives confidence limits but no condition row "
            "comes before it in its block",
            column="lower",
            rule="limits follow their condition row",
            values=[label],
        )
    level = _LEVEL.search(key)
    if level is not None:
        value = float(level.group(1)) / 100
        if parsed.level is not None and parsed.level != value:
            raise RateTableError(
                f"{name}: row {r + 1} ({label!r}) gives {value:.0%} limits but an earlier row "
                f"gives {parsed.level:.0%}; one table has one confidence level",
                column="level",
                rule="one confidence level",
                values=[label],
            )
        parsed.level = value
    if _LOWER.search(key):
        last.lower = row
    elif _UPPER.search(key):
        last.upper = row
    else:  # one row of "a–b" pairs
        lower: list[Cell] = [None] * len(row)
        upper: list[Cell] = [None] * len(row)
        for c, v in enumerate(row):
            if not isinstance(v, str):
                continue
            match = None if decimal == "," else _PAIR.match(v)
            match = match or _COMMA_PAIR.match(v)
            if match:
                lower[c], upper[c] = match.group(1), match.group(2)
            elif v.strip() not in _DASHES:
                lower[c] = upper[c] = v  # not a pair: refused, named, when the cell is read
        last.lower, last.upper = lower, upper


def _label_map(
    conditions: Mapping[str, str] | Sequence[str] | None,
    meta: Mapping[str, Any],
    parsed: _Parsed,
    heads: Mapping[str, tuple[str, str]],
    name: str,
) -> list[tuple[str, str]]:
    """(row label asked for, condition id) pairs, in the order the table will hold them."""
    if isinstance(conditions, Mapping):
        return [(str(k), str(v)) for k, v in conditions.items()]
    if conditions is not None:
        return [(str(k), _slug(str(k))) for k in conditions]
    declared = meta.get("conditions")
    if declared:
        in_sheet = {k: r.label for block in parsed.blocks.values() for k, r in block.items()}
        pairs = []
        for cond in declared:
            data = cond.model_dump() if isinstance(cond, ConditionMeta) else dict(cond)
            label, cond_id = str(data.get("label", "")), str(data.get("id", ""))
            by_id = next((lbl for k, lbl in in_sheet.items() if _slug(k) == cond_id), None)
            pairs.append((by_id if by_id and _norm(label) not in in_sheet else label, cond_id))
        return pairs
    pairs = []
    first = parsed.blocks[parsed.order[0]]
    for row in first.values():
        slug = _slug(row.label)
        if any(slug == cond_id for _, cond_id in pairs):
            raise RateTableError(
                f"{name}: row {row.line} ({row.label!r}) gives the condition id {slug!r} "
                "that another row gives too; pass conditions= to map labels to ids",
                column="condition",
                rule="unique condition ids",
                values=[row.label],
            )
        pairs.append((row.label, slug))
    for key in parsed.order[1:]:
        extra = [r for k, r in parsed.blocks[key].items() if k not in first]
        if extra:
            raise RateTableError(
                f"{name}: row {extra[0].line} ({extra[0].label!r}) is in block "
                f"{heads[key][0]!r} but not in block {heads[parsed.order[0]][0]!r}; every "
                "block must hold the same conditions, or pass conditions= to choose rows",
                column="condition",
                rule="every condition in every block",
                values=[r.label for r in extra],
            )
    return pairs


def _join(rec: Mapping[str, Any], extra: str) -> str:
    return "; ".join(n for n in (rec.get("note", ""), extra) if n)


def _cell_record(
    row: _Row,
    col: int,
    band: str,
    name: str,
    heading: str,
    *,
    required: bool,
    decimal: str | None,
) -> dict[str, Any]:
    where = f"{name}: row {row.line} ({row.label!r}, block {heading!r}), column {band}"
    rate, dash = _figure(row.cells[col], where, "the figure", required=required, decimal=decimal)
    if rate is None:
        return {}
    lower = upper = None
    if row.lower is not None or row.upper is not None:
        if row.lower is None or row.upper is None:
            raise RateTableError(
                f"{where}: {'lower' if row.lower is not None else 'upper'} confidence limits "
                "are given without the other; give both rows or neither",
                column="lower" if row.lower is None else "upper",
                rule="both limits or neither",
            )
        lower, _ = _figure(
            _at(row.lower, col), where, "the lower limit", required=False, decimal=decimal
        )
        upper, _ = _figure(
            _at(row.upper, col), where, "the upper limit", required=False, decimal=decimal
        )
    return {
        "age_band": band,
        "rate": rate,
        "lower": lower,
        "upper": upper,
        "note": _DASH_NOTE if dash else "",
    }


def _at(cells: list[Cell], col: int) -> Cell:
    return cells[col] if col < len(cells) else None


def _figure(
    value: Cell, where: str, what: str, *, required: bool, decimal: str | None
) -> tuple[float | None, bool]:
    if value is None:
        if required:
            raise RateTableError(
                f"{where}: no figure; every cell of a condition row needs a percentage "
                "(or '–' for no cases observed)",
                column="rate",
                rule="a figure in every age band",
            )
        return None, False
    if isinstance(value, float):
        return value, False
    text = value.strip().removesuffix("%").strip()
    if text in _DASHES:
        return 0.0, True
    if "," in text:
        text = _comma_figure(value, text, where, what, decimal)
    try:
        if "_" in text:
            raise ValueError(text)  # Python's float() reads 6_8 as 68
        return float(text), False
    except ValueError:
        raise RateTableError(
            f"{where}: {what} {value!r} is not a number; write the percentage, or '–' for no "
            "cases observed",
            column="rate",
            rule="numeric",
            values=[value],
        ) from None


def _comma_figure(value: str, text: str, where: str, what: str, decimal: str | None) -> str:
    """A text figure with a comma, as plain digits, read with the decimal mark stated."""
    if decimal is None:
        as_decimal, as_thousands = text.replace(",", "."), text.replace(",", "")
        raise RateTableError(
            f"{where}: {what} {value!r} holds a comma, which is ambiguous: a decimal comma "
            f"({as_decimal}) or a thousands separator ({as_thousands})? Pass decimal=',' if "
            "the file writes decimals with commas, or decimal='.' if its commas separate "
            "thousands",
            column="rate",
            rule="no comma in a figure unless decimal= is given",
            values=[value],
        )
    if decimal == "." and _THOUSANDS.match(text):
        return text.replace(",", "")
    if decimal == "," and _DECIMAL_COMMA.match(text):
        return text.replace(",", ".")
    how = (
        "its commas must separate thousands (such as 1,000.5)"
        if decimal == "."
        else "write it with one comma and no points (such as 4,9)"
    )
    raise RateTableError(
        f"{where}: {what} {value!r} is not a number with decimal={decimal!r}: {how}",
        column="rate",
        rule=f"a number with decimal={decimal!r}",
        values=[value],
    )


def _resolve_source(source: SourceArg | None, meta: Mapping[str, Any], table_id: str) -> Source:
    if isinstance(source, Source):
        return source
    if isinstance(source, str):
        source_id = table_id if re.fullmatch(r"[a-z0-9_]+", table_id) else "source"
        return _source_model({"id": source_id, "citation": source, "kind": "primary"})
    if isinstance(source, Mapping):
        return _source_model(source)
    given = list(_meta_sources(meta).values())
    if len(given) == 1:
        return given[0]
    raise RateTableError(
        f"rate table {table_id}: no source given; pass source= with the publication the "
        "figures come from, as a citation string or a mapping with id, citation and kind "
        f"(primary or secondary){' (the metadata lists several)' if given else ''}",
        column="source",
        rule="every figure has a source",
    )


def _wide_defaults(
    meta: dict[str, Any],
    scope: AgeBand,
    parsed: _Parsed,
    by_sex: Sequence[str],
    labels: Mapping[str, str],
    period: str | Mapping[str, str] | None,
    name: str,
) -> dict[str, Any]:
    out = dict(meta)
    out.setdefault("ages", str(scope))
    out.setdefault("denominator", "persons")
    out.setdefault("unit", "percent")
    has_limits = any(
        row.lower is not None for block in parsed.blocks.values() for row in block.values()
    )
    out.setdefault("interval", "confidence_interval" if has_limits else "none")
    if out.get("level") is None and out["interval"] == "confidence_interval":
        out["level"] = parsed.level
    if out.get("conditions"):
        if period is not None:
            raise RateTableError(
                f"{name}: period= is given but the metadata has its own conditions (with "
                "their periods); give periods in one place",
                column="period",
                rule="periods given once",
            )
        return out
    conds = []
    for cond_id, label in labels.items():
        if isinstance(period, Mapping):
            if cond_id not in period:
                raise RateTableError(
                    f"{name}: period= has no entry for condition {cond_id}; give every "
                    "condition's reference period",
                    column="period",
                    rule="every condition has a period",
                    values=[cond_id],
                )
            cond_period = period[cond_id]
        elif period is None:
            raise RateTableError(
                f"{name}: no reference period: pass period= (such as period='past week'), "
                "or a mapping of condition id to period, or conditions in meta",
                column="period",
                rule="every condition has a period",
            )
        else:
            cond_period = period
        cond: dict[str, Any] = {"id": cond_id, "label": label, "period": cond_period}
        cond["ages"] = str(scope)
        if by_sex:
            cond["sexes"] = list(by_sex)
        conds.append(cond)
    out["conditions"] = conds
    return out
