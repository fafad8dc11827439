"""The wide layout found in a grid: the header of age bands, the blocks and their rows.

Used by :func:`mhneed.published.rate_file_wide.read_wide_rate_table`. The header
is the first row holding two or more age bands (and optionally an ``All``
column), with the row labels left of them; below it each block starts at a row
holding only its heading (``Men``, ``Women``, ``All adults``), and each
condition row may be followed by rows of confidence limits (``Lower 95% CI``
and ``Upper 95% CI``, or one ``95% CI`` row of ``a–b`` pairs). Base rows,
titles, notes and spacers are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mhneed.errors import AgeBandError, RateTableError
from mhneed.published._rate_file_common import Cell
from mhneed.published.bands import AgeBand, check_partition, parse_band

__all__ = [
    "DASHES",
    "Header",
    "Parsed",
    "Row",
    "check_bands",
    "find_header",
    "label_id",
    "norm_label",
    "scope_of",
    "walk_blocks",
]


@dataclass(frozen=True)
class Header:
    """The header row: its index in the grid, its age-band columns and its All column."""

    row: int  # 0-based index in the grid
    bands: tuple[tuple[int, AgeBand], ...]  # (column, band), in column order
    all_col: int | None


@dataclass
class Row:
    """A condition row of a block, with its rows of confidence limits once found."""

    label: str
    line: int  # 1-based row number in the sheet
    cells: list[Cell]
    lower: list[Cell] | None = None
    upper: list[Cell] | None = None


@dataclass
class Parsed:
    """The blocks below the header, in sheet order, and the confidence level of the limits."""

    blocks: dict[str, dict[str, Row]] = field(default_factory=dict)  # block → label → row
    order: list[str] = field(default_factory=list)  # block keys, in sheet order
    level: float | None = None


#: The ways a sheet prints "–" (no cases observed in the sample).
DASHES = frozenset({"–", "-", "—", "‒", "−"})


def find_header(grid: list[list[Cell]], name: str) -> Header:
    """The first row holding two or more age bands, with row labels left of them."""
    for r, row in enumerate(grid):
        bands = [(c, b) for c, v in enumerate(row) if (b := _band_of(v)) is not None]
        if len(bands) >= 2:
            alls = [
                c for c, v in enumerate(row) if isinstance(v, str) and norm_label(v) in _ALL_LABELS
            ]
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
            return Header(row=r, bands=tuple(bands), all_col=alls[0] if alls else None)
    raise RateTableError(
        f"{name}: no header row of age bands found; the sheet needs a row of age-band "
        "column headings such as 16-24, 25-34, ..., 75+, All",
        column="age_band",
        rule="a header row of age bands",
    )


def check_bands(
    header: Header, bands: Sequence[str] | None, ages: object, name: str
) -> list[tuple[int, AgeBand]]:
    """The (column, band) pairs to read: those asked for, or all, covering the scope once."""
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
    scope = scope_of(chosen, ages)
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


def scope_of(band_cols: Sequence[tuple[int, AgeBand]], ages: object) -> AgeBand:
    """The ages in scope: ``ages`` when given, else the span of the age-band columns."""
    if ages:
        return parse_band(str(ages))
    bands = [b for _, b in band_cols]
    top = None if any(b.upper is None for b in bands) else max(b.upper or 0 for b in bands)
    return AgeBand(min(b.lower for b in bands), top)


def walk_blocks(
    grid: list[list[Cell]],
    header: Header,
    heads: Mapping[str, tuple[str, str]],
    name: str,
    decimal: str | None,
) -> Parsed:
    """Each block's condition rows (by normalised label) with their limits, in sheet order."""
    parsed = Parsed()
    first_band = header.bands[0][0]
    value_cols = [c for c, _ in header.bands] + (
        [header.all_col] if header.all_col is not None else []
    )
    current: str | None = None
    last: Row | None = None
    for r in range(header.row + 1, len(grid)):
        row = grid[r] + [None] * (max(value_cols) + 1 - len(grid[r]))
        label_cell = next((v for v in row[:first_band] if v is not None), None)
        has_values = any(_is_figure(row[c]) for c in value_cols)
        if sum(1 for v in row if _band_of(v) is not None) >= 2:
            continue  # the header repeated above a block
        if label_cell is None:
            continue  # a "%" row, a spacer
        label = re.sub(r"\s+", " ", str(label_cell)).strip()
        key = norm_label(label)
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
            last = Row(label=label, line=r + 1, cells=row)
            parsed.blocks[current][key] = last
    return parsed


def norm_label(text: object) -> str:
    """A label as compared: lower case, one kind of dash, single spaces, no trailing colon."""
    out = str(text).strip().lower()
    out = re.sub(r"[–—‒−]", "-", out)
    return re.sub(r"\s+", " ", out).rstrip(":").strip()


def label_id(label: str) -> str:
    """A condition id made from a printed label, such as ``generalised_anxiety_disorder``."""
    return re.sub(r"[^a-z0-9]+", "_", norm_label(label)).strip("_")


# -- private helpers ---------------------------------------------------------------

_ALL_LABELS = frozenset({"all", "all ages", "total"})
_BASE = re.compile(r"^(un)?weighted bases?\b|^bases?\b", re.I)
_LOWER = re.compile(r"\b(lower|lcl)\b")
_UPPER = re.compile(r"\b(upper|ucl)\b")
_CI = re.compile(r"\b(ci|confidence (interval|limits?))\b")
_LEVEL = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_NUMBER = re.compile(r"^-?(?:[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*%?$")
_PAIR = re.compile(r"^\(?\s*([0-9.]+)\s*(?:-|–|—|to|,)\s*([0-9.]+)\s*\)?$")
#: A pair of limits whose figures may hold commas (decimal or thousands), split by a dash.
_COMMA_PAIR = re.compile(r"^\(?\s*([0-9][0-9.,]*)\s*(?:-|–|—|to|;)\s*([0-9][0-9.,]*)\s*\)?$")


def _is_figure(value: Cell) -> bool:
    if value is None:
        return False
    if isinstance(value, float):
        return True
    text = value.strip()
    return text in DASHES or bool(
        _NUMBER.match(text) or _PAIR.match(text) or _COMMA_PAIR.match(text)
    )


def _band_of(value: Cell) -> AgeBand | None:
    if not isinstance(value, str):
        return None
    try:
        band = parse_band(str(value))
    except AgeBandError:
        return None
    return None if band == AgeBand(0, None) else band


def _attach_limits(
    parsed: Parsed,
    last: Row | None,
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
            elif v.strip() not in DASHES:
                lower[c] = upper[c] = v  # not a pair: refused, named, when the cell is read
        last.lower, last.upper = lower, upper
