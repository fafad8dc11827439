"""Area codes and their geography level: which totals may be taken.

UK statistical areas nest: England holds its regions, a region its counties and
unitary authorities, a county its districts, a district its small areas. A
total that adds a county to one of its districts counts the district's people
twice, and nothing in the numbers shows it. The level of an area is plain from
its GSS code's first three characters (``E10`` a county, ``E07`` a district,
and so on), so :func:`check_one_level` refuses a total over areas of more than
one level, naming the codes and their levels. The summaries
(:meth:`mhneed.Estimate.summarise`, :meth:`~mhneed.Estimate.simulate`,
:func:`mhneed.report_table`, the command line's ``--by``) call it whenever a
row of theirs would add areas together, unless the user gave ``groups=``: an
explicit grouping says which areas make each total.

Levels are coarse on purpose: counties and districts are different levels
even where they do not nest (Leicester ``E06`` is not in Leicestershire
``E10``), since telling the two apart needs a lookup table; a user who means
an upper-tier total (counties with unitary authorities) says so with
``groups=``. Codes of other kinds (wards ``E05``, health areas, your own
codes) have no level here and are not checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from mhneed._group_ids import used_codes
from mhneed._text import plain_text
from mhneed.errors import CombineError

__all__ = [
    "BIRTHS_AREA_TYPE_LEVELS",
    "LEVELS",
    "check_named_levels",
    "check_one_level",
    "check_totals",
    "level_of",
]

#: Geography levels, largest first, with the GSS code prefixes of each.
LEVELS: dict[str, tuple[str, ...]] = {
    "United Kingdom": ("K02",),
    "Great Britain": ("K03",),
    "England and Wales": ("K04",),
    "country": ("E92", "W92", "S92", "N92"),
    "region": ("E12",),
    "county": ("E10", "E11", "E13"),
    "district or unitary authority": ("E06", "E07", "E08", "E09", "W06", "S12", "N09"),
    "middle layer super output area": ("E02", "W02", "S02"),
    "lower layer super output area": ("E01", "W01", "S01"),
    "output area": ("E00", "W00", "S00", "N00"),
}

_LEVEL_OF_PREFIX = {prefix: level for level, prefixes in LEVELS.items() for prefix in prefixes}
_RANK = {level: i for i, level in enumerate(LEVELS)}


def level_of(code: object) -> str | None:
    """The geography level of a GSS area code, or None when the code has no known level.

    Parameters
    ----------
    code : object
        An area code such as ``"E10000018"``; surrounding spaces are ignored.

    Returns
    -------
    str or None
        One of the keys of :data:`LEVELS` (such as ``"county"``), or None for
        anything that is not a nine-character GSS code of a known prefix.

    Examples
    --------
    >>> level_of("E07000129")
    'district or unitary authority'
    >>> level_of("E10000018")
    'county'
    >>> level_of("my area") is None
    True
    """
    text = str(code).strip().upper()
    if len(text) != 9 or not text[3:].isdigit():
        return None
    return _LEVEL_OF_PREFIX.get(text[:3])


#: The kinds of row of the ONS births table (``area_type``, names only) and their level.
BIRTHS_AREA_TYPE_LEVELS: dict[str, str] = {
    "total": "England, Wales and elsewhere",
    "country": "country",
    "region": "region",
    "county": "county",
    "metropolitan county": "county",
    "inner or outer London": "county",
    "unitary authority": "district or unitary authority",
    "district": "district or unitary authority",
    "metropolitan district": "district or unitary authority",
    "London borough": "district or unitary authority",
    "local health board": "local health board",
}
_RANK_OF_TYPE_LEVEL = {
    "England, Wales and elsewhere": -1,
    "local health board": _RANK["county"],
}


def check_one_level(codes: Iterable[object], where: str) -> None:
    """Refuse a total over area codes of more than one geography level.

    Parameters
    ----------
    codes : iterable
        The area codes one total would add together.
    where : str
        What is taking the total, for the message (such as ``"summarise(by=['year'])"``).

    Raises
    ------
    CombineError
        When the codes hold more than one level; the message names the codes
        of each level (up to five each) and how to take the total instead.
    """
    by_level: dict[str, list[str]] = {}
    for code in dict.fromkeys(str(c) for c in codes):
        level = level_of(code)
        if level is not None:
            by_level.setdefault(level, []).append(code)
    _refuse_mixed(by_level, where)


def check_named_levels(levels: Mapping[str, str | None], where: str) -> None:
    """Refuse a total over named areas of more than one level (names without codes).

    ``levels`` maps each area's name to its level (such as from
    :data:`BIRTHS_AREA_TYPE_LEVELS`), or None where the level is unknown.
    """
    by_level: dict[str, list[str]] = {}
    for name, level in levels.items():
        if level is not None:
            by_level.setdefault(level, []).append(name)
    _refuse_mixed(by_level, where)


def _rank(level: str) -> int:
    return _RANK.get(level, _RANK_OF_TYPE_LEVEL.get(level, len(_RANK)))


def _refuse_mixed(by_level: dict[str, list[str]], where: str) -> None:
    if len(by_level) < 2:
        return
    parts = []
    for level in sorted(by_level, key=_rank):
        found = sorted(by_level[level])
        more = f" and {len(found) - 5} more" if len(found) > 5 else ""
        parts.append(f"{level}: {', '.join(found[:5])}{more}")
    raise CombineError(
        f"{where}: this total would add areas of different geography levels "
        f"({'; '.join(parts)}); an area of one level can hold areas of another (a county "
        "holds its districts, a country everything in it), so people would be counted "
        "twice. Keep the areas apart (their area_code or area_name in by; on the command "
        "line, in --by), "
        "choose areas of one level, or say which areas make each total (groups=; "
        "--group-by)",
        column="area_code",
        rule="totals never cross geography levels",
        values=[c for level in sorted(by_level, key=_rank) for c in sorted(by_level[level])],
    )


def check_totals(frame: pd.DataFrame, by: Sequence[str], where: str) -> None:
    """Refuse totals that would add areas of different levels, row by row of ``by``.

    ``frame`` has an ``area_code`` column and the key columns of ``by`` that it
    holds (other ``by`` names, such as condition, are ignored); each distinct
    combination of those keys is one total.
    """
    uniques = _distinct_codes(frame["area_code"])
    if len(_levels_present(uniques)) < 2:
        return  # the common case: one level (or none known) in the whole frame
    keys = [b for b in by if b in frame.columns and b != "area_code"]
    if not keys:
        check_one_level(uniques, where)
        return
    pairs = frame[[*keys, "area_code"]].drop_duplicates()
    for _, part in pairs.groupby(keys, sort=True, observed=True, dropna=False):
        check_one_level(part["area_code"], where)


def _distinct_codes(column: pd.Series) -> pd.Index:
    """The area codes in a column, once each (a categorical's used categories, unhashed)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        return categories[used_codes(column.cat.codes.to_numpy(), len(categories))]
    return pd.Index(pd.unique(column.astype(object)), dtype=object)


def _levels_present(codes: pd.Index) -> set[str]:
    """The known levels among ``codes``: as :func:`level_of` finds them, one array step for
    codes in plain ASCII text (a national run has tens of thousands), one by one otherwise."""
    plain = plain_text(codes)
    if plain is None or not plain.all():
        return {lv for c in codes if (lv := level_of(c)) is not None}
    # plain text has no spaces at either end: a GSS code is nine characters, six digits last
    text = codes if isinstance(codes.dtype, pd.StringDtype) else codes.astype("str")
    gss = np.asarray(text.str.fullmatch("[!-~]{3}[0-9]{6}"), dtype=bool)
    prefixes = {str(p).upper() for p in text[gss].str[:3].unique()}
    return {_LEVEL_OF_PREFIX[p] for p in prefixes if p in _LEVEL_OF_PREFIX}
