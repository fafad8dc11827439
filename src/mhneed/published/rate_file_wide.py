"""Read the wide layout survey reports print: conditions × age bands, a block per sex.

:func:`read_wide_rate_table` reads the layout analysts copy from survey reports
(the APMS workbooks, for example): conditions as rows, age bands as columns
with an "All" column, one block of rows per sex under a heading (``Men``,
``Women``, ``All adults``), percentages, and optional confidence-limit and base
rows. It reads CSV, ``.xlsx`` (with openpyxl) and ``.xls`` (with xlrd); both
are in the ``excel`` extra. The result is a
:class:`~mhneed.published.rates.RateTable` that estimates exactly like a
shipped one.

Figures are used as printed: nothing is interpolated or derived. Where women's
and men's blocks are given, they are the table's rows and the persons block is
kept as published checks (as in the shipped tables); the "All" column is kept
as published checks too.

The steps live beside it: the sheet read into a grid (:mod:`._wide_sheet`), the
header, blocks and rows found in it (:mod:`._wide_layout`), each printed figure
read as a number (:mod:`._wide_figures`), and the conditions and metadata
completed (:mod:`._wide_meta`). The long format is read by
:mod:`mhneed.published.rate_file_long`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mhneed.errors import RateTableError
from mhneed.published._rate_file_common import (
    WIDE_READER,
    MetaArg,
    PathOrFrame,
    SourceArg,
    read_meta,
)
from mhneed.published._wide_figures import cell_record
from mhneed.published._wide_layout import (
    Header,
    Parsed,
    Row,
    check_bands,
    find_header,
    norm_label,
    scope_of,
    walk_blocks,
)
from mhneed.published._wide_meta import label_map, resolve_source, wide_defaults
from mhneed.published._wide_sheet import read_grid
from mhneed.published.bands import AgeBand
from mhneed.published.rate_models import ROW_COLUMNS
from mhneed.published.rates import RateTable
from mhneed.published.unit_check import check_plausible_unit

__all__ = ["DEFAULT_BLOCKS", "read_wide_rate_table"]

#: The block headings of the published layout and the sex each stands for.
DEFAULT_BLOCKS: dict[str, str] = {"Men": "male", "Women": "female", "All adults": "persons"}


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
        :class:`~mhneed.published.rates.Source`, a mapping with ``id, citation, url,
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
    _check_decimal(decimal)
    name, grid = read_grid(path_or_frame, sheet)
    meta_dict = read_meta(meta, WIDE_READER)
    table_id = str(meta_dict.get("id", "?"))
    heads = {norm_label(h): (h, _block_sex(h, s)) for h, s in (blocks or DEFAULT_BLOCKS).items()}
    header = find_header(grid, name)
    band_cols = check_bands(header, bands, meta_dict.get("ages"), name)
    parsed = walk_blocks(grid, header, heads, name, decimal)
    _check_blocks_found(parsed, heads, name)

    sheet_read = _Sheet(name=name, heads=heads, header=header, parsed=parsed, decimal=decimal)
    mapping = label_map(conditions, meta_dict, parsed, heads, name)
    scope = scope_of(band_cols, meta_dict.get("ages"))
    sexes = [heads[k][1] for k in parsed.order]
    by_sex = [s for s in ("female", "male") if s in sexes]
    src = resolve_source(source, meta_dict, table_id)
    found = _collect(sheet_read, mapping, band_cols, scope, by_sex, src.id)
    if found.problems:
        raise _wide_problems(name, found.problems)

    meta_dict = wide_defaults(meta_dict, scope, parsed, by_sex, found.labels, period, name)
    meta_dict["sources"] = [src]
    columns = [*ROW_COLUMNS, "note"]
    rows_frame = pd.DataFrame.from_records(found.rows, columns=columns)
    checks_frame = pd.DataFrame.from_records(found.checks, columns=columns)
    table = RateTable.from_frame(
        rows_frame, meta_dict, checks=checks_frame if found.checks else None
    )
    if check_unit:
        check_plausible_unit(table)
    return table


# -- private helpers: the steps --------------------------------------------------------

_SEX_ORDER = {"female": 0, "male": 1, "persons": 2}


@dataclass(frozen=True)
class _Sheet:
    """A sheet as walked: its name for messages, block headings, header, blocks, decimal."""

    name: str
    heads: Mapping[str, tuple[str, str]]  # normalised heading → (heading, sex)
    header: Header
    parsed: Parsed
    decimal: str | None


@dataclass
class _Records:
    """What the condition rows give: the table's rows, its checks, labels and problems."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # condition id → printed label
    problems: list[RateTableError] = field(default_factory=list)


def _check_decimal(decimal: str | None) -> None:
    if decimal not in (None, ".", ","):
        raise RateTableError(
            f"{WIDE_READER}: decimal={decimal!r} must be '.' or ','",
            column="decimal",
            rule="decimal in '.', ','",
            values=[decimal],
        )


def _check_blocks_found(parsed: Parsed, heads: Mapping[str, tuple[str, str]], name: str) -> None:
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


def _collect(
    sheet: _Sheet,
    mapping: Sequence[tuple[str, str]],
    band_cols: Sequence[tuple[int, AgeBand]],
    scope: AgeBand,
    by_sex: Sequence[str],
    source_id: str,
) -> _Records:
    """Every cell of every condition asked for, in every block: every problem, at once."""
    out = _Records()
    heads, parsed = sheet.heads, sheet.parsed
    for asked, cond_id in mapping:
        for key in sorted(parsed.order, key=lambda k: _SEX_ORDER[heads[k][1]]):
            heading, sex = heads[key]
            row = parsed.blocks[key].get(norm_label(asked))
            if row is None:
                rows_found = ", ".join(repr(r.label) for r in parsed.blocks[key].values())
                out.problems.append(
                    RateTableError(
                        f"{sheet.name}: condition {cond_id} (row label {asked!r}) has no row in "
                        f"block {heading!r}; the rows there are {rows_found or 'none'}",
                        column="condition",
                        rule="every condition in every block",
                        values=[asked],
                    )
                )
                continue
            out.labels.setdefault(cond_id, row.label)
            is_check = bool(by_sex) and sex == "persons"
            tags = {"condition": cond_id, "sex": sex, "source": source_id}
            _band_records(sheet, out, row, heading, band_cols, tags, is_check)
            _all_record(sheet, out, row, heading, scope, tags)
    return out


def _band_records(
    sheet: _Sheet,
    out: _Records,
    row: Row,
    heading: str,
    band_cols: Sequence[tuple[int, AgeBand]],
    tags: Mapping[str, str],
    is_check: bool,
) -> None:
    """A condition row's cell in each age band: rows, or checks for a persons block."""
    extra = f"the {heading} block (persons)" if is_check else ""
    for col, band in band_cols:
        try:
            rec = cell_record(
                row, col, str(band), sheet.name, heading, required=True, decimal=sheet.decimal
            )
        except RateTableError as exc:
            out.problems.append(exc)
            continue
        rec.update(**tags, note=_join(rec, extra))
        (out.checks if is_check else out.rows).append(rec)


def _all_record(
    sheet: _Sheet,
    out: _Records,
    row: Row,
    heading: str,
    scope: AgeBand,
    tags: Mapping[str, str],
) -> None:
    """A condition row's figure in the All column, if any: a check over the whole scope."""
    if sheet.header.all_col is None:
        return
    try:
        rec = cell_record(
            row,
            sheet.header.all_col,
            "All",
            sheet.name,
            heading,
            required=False,
            decimal=sheet.decimal,
        )
    except RateTableError as exc:
        out.problems.append(exc)
        return
    if rec:
        extra = f"the All column ({heading})"
        rec.update(**tags, note=_join(rec, extra))
        rec["age_band"] = str(scope)
        out.checks.append(rec)


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


def _join(rec: Mapping[str, Any], extra: str) -> str:
    return "; ".join(n for n in (rec.get("note", ""), extra) if n)


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
