"""One ONS MYE2 CSV export: its title lines, its header of ages, its rows of areas.

Used by :func:`mhneed.inputs.ons_mye2.read_ons_mye2`, which reads one file per sex
(and year) and fits them together. A file is parsed here into an
:class:`Mye2File`: the sex and year its title lines name, then one row of counts
per area, after checking each row is as long as the header, each area appears once
and each ``ALL AGES`` is the sum of the area's single years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mhneed._file_quirks import (
    PathArg,
    csv_rows,
    fail,
    file_label,
    is_note,
    read_text,
    separator_hint,
    shown,
    trim_blank_tail,
)
from mhneed.inputs.file_counts import (
    TOO_LARGE_RULE,
    count_text,
    parse_count,
    too_large,
    too_large_words,
)

__all__ = ["MYE2", "SEX_WORDS", "FloatArray", "Mye2File", "read_mye2_file"]

FloatArray = npt.NDArray[np.float64]

#: The reader's name, which starts its messages.
MYE2 = "read_ons_mye2"

#: How messages name each sex, as the MYE2 title lines do.
SEX_WORDS = {"female": "FEMALES", "male": "MALES", "persons": "ALL PERSONS"}

#: The sex a MYE2 file holds, from the line above its header.
_SEX_LINES = {
    "FEMALES": "female",
    "FEMALE": "female",
    "MALES": "male",
    "MALE": "male",
    "ALL PERSONS": "persons",
    "PERSONS": "persons",
}


@dataclass(frozen=True)
class Mye2File:
    """One MYE2 export, parsed: what its title lines say and one row of counts per area."""

    label: str
    title: str
    sex: str  # female, male or persons
    year: int | None
    top_age: int
    codes: list[str]
    names: list[str]
    lines: list[int]
    counts: FloatArray  # areas × ages


def read_mye2_file(path: PathArg) -> Mye2File:
    """Parse one MYE2 CSV export: title lines, header, then one row per area.

    Raises
    ------
    InputError
        When the file has no ``CODE,NAME,ALL AGES,0,1,…`` header, no line naming
        its sex, no areas, a row that is short, long, without a code or a second
        time, a value that is not a count, or an ``ALL AGES`` that differs from
        the sum of the area's single years.
    """
    label = file_label(path)
    rows = csv_rows(read_text(path, MYE2), ",", MYE2, label)
    head = _header_row(rows, label)
    line, header = rows[head]
    header = trim_blank_tail(header)
    ages = _header_ages(header, line, label)
    preamble = [cells for _, cells in rows[:head]]
    sex = _preamble_sex(preamble, label)
    title = next((c[0].strip() for c in preamble if c and c[0].strip()), "MYE2")
    match = re.search(r"mid-?\s*(\d{4})", " ".join(",".join(c) for c in preamble), re.I)
    year = int(match.group(1)) if match else None
    codes, names, lines, counts = _area_rows(rows[head + 1 :], header, ages, label)
    if not codes:
        raise fail(
            f"{MYE2}: {label}: no areas below the header on line {line}",
            rule="at least one area",
            values=[label],
        )
    matrix = np.array(counts, dtype=np.float64)
    _check_all_ages(matrix, codes, names, lines, label, ages[-1])
    return Mye2File(
        label=label,
        title=title,
        sex=sex,
        year=year,
        top_age=ages[-1],
        codes=codes,
        names=names,
        lines=lines,
        counts=matrix[:, 1:],
    )


# -- private helpers ---------------------------------------------------------------


def _header_row(rows: list[tuple[int, list[str]]], label: str) -> int:
    for i, (_, cells) in enumerate(rows):
        if len(cells) >= 2 and [c.strip().upper() for c in cells[:2]] == ["CODE", "NAME"]:
            return i
    hint = ""
    for _, cells in rows[:50]:
        joined = ",".join(cells).upper()
        for delim in ("\t", ";"):
            if joined.startswith(f"CODE{delim}"):
                hint = separator_hint(delim)
    raise fail(
        f"{MYE2}: {label}: no header row 'CODE,NAME,ALL AGES,0,1,…' found; an ONS MYE2 CSV "
        f"export has title lines, then that header, then one row per area{hint}",
        column="CODE",
        rule="an MYE2 header row",
        values=[label],
    )


def _header_ages(header: list[str], line: int, label: str) -> list[int]:
    where = f"{MYE2}: {label} line {line}"
    third = header[2].strip() if len(header) > 2 else ""
    if third.upper() != "ALL AGES":
        raise fail(
            f"{where}: the third column of the header is {third!r}, not 'ALL AGES'",
            column="ALL AGES",
            rule="header CODE,NAME,ALL AGES,0,1,…",
            values=[third],
        )
    if len(header) < 4:
        raise fail(
            f"{where}: the header has no single-year age columns after ALL AGES",
            column="ALL AGES",
            rule="header CODE,NAME,ALL AGES,0,1,…",
            values=[label],
        )
    ages: list[int] = []
    for expected, cell in enumerate(header[3:]):
        text = cell.strip().rstrip("+").strip()
        if text != str(expected):
            raise fail(
                f"{where}: age column {cell.strip()!r} should be {expected}; the header must "
                "list single years 0, 1, 2, … in order (the last meaning that age and over)",
                column=cell.strip(),
                rule="single years of age in order",
                values=[cell.strip()],
            )
        ages.append(expected)
    return ages


def _preamble_sex(preamble: list[list[str]], label: str) -> str:
    for cells in preamble:
        for cell in cells:
            sex = _SEX_LINES.get(" ".join(cell.split()).upper())
            if sex is not None:
                return sex
    raise fail(
        f"{MYE2}: {label}: cannot tell the sex of the figures; one of the lines above the "
        "header must say FEMALES, MALES or ALL PERSONS",
        column="sex",
        rule="a FEMALES, MALES or ALL PERSONS line",
        values=[label],
    )


def _area_rows(
    rows: list[tuple[int, list[str]]], header: list[str], ages: list[int], label: str
) -> tuple[list[str], list[str], list[int], list[list[float]]]:
    """Codes, names, lines and counts (ALL AGES, then each age) of the rows below the header."""
    width = 3 + len(ages)
    codes: list[str] = []
    names: list[str] = []
    lines: list[int] = []
    counts: list[list[float]] = []
    seen: dict[str, int] = {}
    for n, raw in rows:
        cells = trim_blank_tail(raw)
        if not cells:
            continue  # blank row (the export ends with many)
        code, name = cells[0].strip(), (cells[1].strip() if len(cells) > 1 else "")
        if is_note(cells) and not _looks_like_code(code):
            continue  # a note under the table
        where = f"{MYE2}: {label} line {n}"
        _check_row(cells, header, ages, where, code, name)
        if code in seen:
            raise fail(
                f"{where}: area {code} {name} appears twice (lines {seen[code]} and {n})",
                column="CODE",
                rule="each area once",
                values=[code],
            )
        seen[code] = n
        values = [_mye2_count(cells[i], header[i], where, code, name) for i in range(2, width)]
        codes.append(code)
        names.append(name)
        lines.append(n)
        counts.append(values)
    return codes, names, lines, counts


def _check_row(
    cells: list[str], header: list[str], ages: list[int], where: str, code: str, name: str
) -> None:
    """A row has an area code and exactly the header's columns."""
    width = 3 + len(ages)
    if not code:
        raise fail(
            f"{where}: row has no area code (CODE is blank; NAME is {name!r})",
            column="CODE",
            rule="every row has an area code",
            values=[name],
        )
    if len(cells) < width:
        raise fail(
            f"{where} ({code} {name}): {len(cells)} columns, but the header has {width} "
            f"(CODE, NAME, ALL AGES and ages 0-{ages[-1]}); is the file truncated?",
            column=header[len(cells)] if len(cells) < len(header) else None,
            rule="every row as long as the header",
            values=[code],
        )
    if len(cells) > width:
        raise fail(
            f"{where} ({code} {name}): values beyond the header's last column {header[-1]!r}",
            rule="no values beyond the header",
            values=[code],
        )


def _mye2_count(cell: str, column: str, where: str, code: str, name: str) -> float:
    value = parse_count(cell)
    if value is None or value < 0:
        what = "is blank" if not cell.strip() else f"value {shown(cell)!r} is not a count"
        raise fail(
            f"{where} ({code} {name}): column {column.strip()} {what}",
            column=column.strip(),
            rule="counts",
            values=[cell],
        )
    if too_large(value):
        raise fail(
            f"{where} ({code} {name}): column {column.strip()} value {shown(cell)!r} "
            f"{too_large_words()}",
            column=column.strip(),
            rule=TOO_LARGE_RULE,
            values=[cell],
        )
    return value


def _check_all_ages(
    matrix: FloatArray,
    codes: list[str],
    names: list[str],
    lines: list[int],
    label: str,
    top_age: int,
) -> None:
    total = matrix[:, 0]
    summed = matrix[:, 1:].sum(axis=1)
    bad = np.flatnonzero(~np.isclose(total, summed, rtol=0.0, atol=1e-6))
    if len(bad) == 0:
        return
    i = int(bad[0])
    more = ""
    if len(bad) > 1:
        others = ", ".join(codes[j] for j in bad[1:6])
        extra = " …" if len(bad) > 6 else ""
        more = f"; {len(bad) - 1} more rows differ: {others}{extra}"
    raise fail(
        f"{MYE2}: {label}: ALL AGES is not the sum of ages 0-{top_age} for {codes[i]} "
        f"{names[i]} (line {lines[i]}): ALL AGES {count_text(total[i])}, sum of single years "
        f"{count_text(summed[i])}{more}",
        column="ALL AGES",
        rule="ALL AGES = sum of single years",
        values=[codes[j] for j in bad[:10]],
    )


def _looks_like_code(text: str) -> bool:
    return re.fullmatch(r"[A-Z]\d{8}", text) is not None
