"""Reading the command line's inputs: population and births files, areas, groupings.

Private to :mod:`mhneed.cli`. Files are recognised from their first lines
(:func:`detect`) and read through the public readers; tidy CSVs through pandas.
Every problem is an :class:`~mhneed.errors.InputError` naming the option.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from mhneed._file_quirks import text_encoding
from mhneed.cli.messages import one_line
from mhneed.cli.options import split_list
from mhneed.errors import InputError, MissingColumnError
from mhneed.inputs.geography import BIRTHS_AREA_TYPE_LEVELS, check_named_levels
from mhneed.inputs.nomis import read_nomis
from mhneed.inputs.ons_mye2 import read_ons_mye2
from mhneed.inputs.snpp import read_ons_snpp

__all__ = [
    "LOCAL_AUTHORITIES",
    "check_births_levels",
    "check_births_matched",
    "detect",
    "existing_file",
    "ons_births_rows",
    "read_groups",
    "read_population",
    "read_tidy",
    "select_areas",
]

#: Area types of the ONS births table that cover England and Wales once.
LOCAL_AUTHORITIES = ("unitary authority", "district", "metropolitan district", "London borough")


def read_population(
    paths: Sequence[Path], fmt: str = "auto", top_age: int | None = None
) -> tuple[pd.DataFrame, str]:
    """Read population files in one format, recognised from the first file when ``auto``.

    Returns
    -------
    tuple of (pandas.DataFrame, str)
        The long population frame, and a line saying where it came from.
    """
    kind = detect(paths[0]) if fmt == "auto" else fmt
    if kind == "mye2":
        frame = read_ons_mye2(paths)
        _check_both_sexes(frame, paths)
    elif kind == "snpp":
        frame = read_ons_snpp(list(paths))
    elif kind == "nomis":
        parts = [read_nomis(p) for p in paths]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        frame.attrs = dict(parts[0].attrs)
    elif kind == "tidy":
        parts = [read_tidy(p, "--population") for p in paths]
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        if top_age is not None:
            frame.attrs["top_age"] = top_age
    else:
        raise InputError(
            f"{paths[0].name} looks like the ONS births table, not a population file; use "
            "mhneed perinatal --births for births",
            column="--population",
            rule="a population file",
            values=[paths[0].name],
        )
    names = ", ".join(p.name for p in paths)
    if kind != "tidy" and top_age is not None:
        _check_top_age(top_age, frame, kind, names)
    title = str(frame.attrs.get("source", "")).strip()
    source = f"{title} [{names}]" if title and kind != "tidy" else f"{names} (your file)"
    return frame, source


def _check_top_age(top_age: int, frame: pd.DataFrame, kind: str, names: str) -> None:
    """ONS and Nomis files say their own top age: a different --top-age is refused, not ignored."""
    own = frame.attrs.get("top_age")
    if own is not None and top_age == own:
        return  # says what the files say
    what = {"mye2": "ONS MYE2", "snpp": "ONS SNPP", "nomis": "Nomis"}[kind]
    raise InputError(
        f"--top-age {top_age}: {names} {'is' if ',' not in names else 'are'} {what}, whose "
        f"top age is given by the file ({own}, meaning {own} and over), so --top-age cannot "
        "change it; --top-age is for tidy files only: leave it out (to narrow the ages "
        "estimated, use --ages)",
        column="--top-age",
        rule="--top-age for tidy files only",
        values=[top_age],
    )


def _check_both_sexes(frame: pd.DataFrame, paths: Sequence[Path]) -> None:
    """MYE2 comes one file per sex: a lone women's or men's file is a file forgotten."""
    sexes = set(frame["sex"].astype(str))
    if len(sexes) == 1 and sexes <= {"female", "male"}:
        who = "women" if sexes == {"female"} else "men"
        names = ", ".join(p.name for p in paths)
        raise InputError(
            f"--population: the MYE2 files hold {who} only ({names}); give one --population "
            "file per sex, the women's and the men's",
            column="--population",
            rule="both sexes' MYE2 files",
            values=[names],
        )


def check_births_matched(births: pd.DataFrame, population: pd.DataFrame, name: str) -> None:
    """Refuse ONS births rows whose names matched no area of ``--population``, naming them
    and the population's closest names (they would have no area code)."""
    if "area_code" not in births.columns:
        return
    blank = births["area_code"].astype(str).str.strip() == ""
    if not blank.any():
        return
    names = list(dict.fromkeys(str(n) for n in population.get("area_name", pd.Series()).dropna()))
    folded = {n.casefold(): n for n in names}
    missing = list(dict.fromkeys(str(n) for n in births.loc[blank, "area_name"]))
    parts = []
    for area in missing[:10]:
        close = difflib.get_close_matches(area.casefold(), list(folded), n=3, cutoff=0.6)
        hint = ", ".join(repr(folded[c]) for c in close) if close else "none"
        parts.append(f"{area!r} (closest: {hint})")
    more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    raise InputError(
        f"--births {name}: {len(missing)} area{'s' if len(missing) != 1 else ''} of the births "
        f"table matched no area_name of the --population files, so "
        f"{'they have' if len(missing) != 1 else 'it has'} no area code: "
        f"{'; '.join(parts)}{more}; choose areas the population holds with --areas, or give "
        "population files that cover them",
        column="area_name",
        rule="every births area in the population",
        values=missing,
    )


def check_births_levels(
    births: pd.DataFrame, types: Mapping[str, str], by: Sequence[str] | None
) -> None:
    """Refuse ``--by`` totals over ONS births areas of different levels (names only).

    With area codes (from ``--population``) the summaries check the codes' levels
    themselves; the ONS births table alone has names, whose level comes from the
    table's layout (``area_type``).
    """
    if by is None or "area_code" in births.columns or "area_name" in by:
        return  # every area keeps its own rows, or the codes are checked downstream
    names = list(dict.fromkeys(births["area_name"].astype(str)))
    levels = {n: BIRTHS_AREA_TYPE_LEVELS.get(types.get(n, ""), None) for n in names}
    check_named_levels(levels, f"--by {','.join(by)}")


def detect(path: Path) -> str:
    """The format of a file from its first lines: mye2, snpp, nomis, ons (births) or tidy."""
    head = path.read_bytes()[:8192].decode("utf-8", errors="replace").lstrip("\ufeff")
    upper = head.upper()
    if "PROJECTED_YEAR" in upper or ("AREA_CODE" in upper and "AGE_GROUP" in upper):
        return "snpp"
    if "GEOGRAPHY_CODE" in upper and "OBS_VALUE" in upper:
        return "nomis"
    if re.search(r'^\s*"?CODE"?\s*,\s*"?NAME"?\s*,', head, re.M | re.I):
        return "mye2"
    if "area of usual residence" in head.lower():
        return "ons"
    return "tidy"


def read_tidy(path: Path, option: str) -> pd.DataFrame:
    """A tidy CSV as a frame, code and name columns kept as text.

    Raises
    ------
    InputError
        When the file is empty or not CSV text; the message names ``option``.
    """
    text_columns = {c: str for c in ("area_code", "area_name", "group", "sex", "age_band")}
    try:
        # the readers' rule: UTF-8 (BOM dropped), UTF-16 with a BOM, else Windows-1252,
        # else Latin-1; pandas alone read UTF-8 only and refused a Windows-1252 'Ynys Môn'
        raw = path.read_bytes()
        text = raw.decode(text_encoding(raw))
        frame = pd.read_csv(io.StringIO(text), dtype=text_columns)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{option} {path.name}: not a readable CSV ({one_line(str(exc))})",
            column=option,
            rule="a CSV file",
            values=[path.name],
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def ons_births_rows(
    births: pd.DataFrame, areas: str | None, mapping: pd.DataFrame | None
) -> pd.DataFrame:
    """The ONS births table's rows to estimate for, with its key columns only."""
    if not areas and mapping is None:
        births = births[births["area_type"].isin(LOCAL_AUTHORITIES)]
    births = births[births["births"].notna()]
    keep = [c for c in ("area_code", "area_name", "year", "births") if c in births.columns]
    births = births[keep].reset_index(drop=True)
    if "area_code" in births.columns:
        births["area_code"] = births["area_code"].fillna("").astype(str)
    births["births"] = births["births"].astype("float64")
    return births


def select_areas(
    frame: pd.DataFrame, areas: str | None, mapping: pd.DataFrame | None, what: str
) -> pd.DataFrame:
    """The rows of the areas asked for (by ``--areas``, else by ``--group-by``'s areas).

    A token of ``--areas`` matches an ``area_code`` exactly, or else an
    ``area_name`` ignoring case. ``what`` ("population", "births") names the
    input in messages.

    Raises
    ------
    MissingColumnError
        When areas must be chosen or grouped but the input has no area codes.
    InputError
        When a token matches no area, or the mapping lists an area the input
        lacks.
    """
    wanted = split_list(areas)
    if not wanted and mapping is None:
        return frame
    codes = frame["area_code"].astype(str) if "area_code" in frame.columns else None
    names = (
        frame["area_name"].astype(str).str.strip().str.lower()
        if "area_name" in frame.columns
        else None
    )
    if codes is None and (mapping is not None or names is None):
        hint = (
            ": give --population so the ONS births table's names get area codes"
            if what == "births"
            else ""
        )
        raise MissingColumnError(
            f"the {what} have no area_code column, so areas cannot be chosen or grouped{hint}",
            column="area_code",
            rule="an area_code column",
            values=["area_code"],
        )
    if wanted:
        frame = frame[_wanted_rows(frame, wanted, codes, names, what)]
    if mapping is not None and codes is not None:
        present = set(frame["area_code"].astype(str))
        listed = list(dict.fromkeys(mapping["area_code"].astype(str)))
        absent = [a for a in listed if a not in present]
        if absent and not wanted:
            raise InputError(
                f"--group-by: {', '.join(absent[:10])} {'is' if len(absent) == 1 else 'are'} in "
                f"the mapping but not in the {what}",
                column="area_code",
                rule="mapped areas in the file",
                values=absent,
            )
        if not wanted:
            frame = frame[frame["area_code"].astype(str).isin(listed)]
    return frame.reset_index(drop=True)


def _wanted_rows(
    frame: pd.DataFrame,
    wanted: list[str],
    codes: pd.Series[str] | None,
    names: pd.Series[str] | None,
    what: str,
) -> pd.Series[bool]:
    """Which rows ``--areas`` asks for: each token an area code, or else an area name (case
    ignored); a token that matches no area is an error naming every such token."""
    keep = pd.Series(False, index=frame.index)
    missing = []
    for token in wanted:
        hit = pd.Series(False, index=frame.index)
        if codes is not None:
            hit |= codes == token
        if names is not None and not hit.any():
            hit |= names == token.lower()
        if not hit.any():
            missing.append(token)
        keep |= hit
    if missing:
        known = list(
            dict.fromkeys((codes if codes is not None else frame["area_name"]).astype(str))
        )
        sample = "; ".join(known[:5]) + ("; ..." if len(known) > 5 else "")
        hint = ""
        if codes is None and any(t[:1].isalpha() and t[1:].isdigit() for t in missing):
            hint = (
                "; this file names areas without codes: give names (such as Rutland), or "
                "add the population files with --population so names can be matched to codes"
            )
        raise InputError(
            f"--areas: {', '.join(missing)} not in the {what} ({len(known)} areas, such as "
            f"{sample}){hint}",
            column="area_code",
            rule="areas in the file",
            values=missing,
        )
    return keep


def read_groups(path_text: str) -> pd.DataFrame:
    """A ``--group-by`` mapping file: columns ``area_code`` and ``group``, codes as text."""
    path = existing_file(path_text, "--group-by")
    frame = read_tidy(path, "--group-by")
    missing = [c for c in ("area_code", "group") if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"--group-by {path.name}: no column {', '.join(missing)}; the mapping needs "
            f"columns area_code and group; it has: {', '.join(frame.columns) or 'none'}",
            column=missing[0],
            rule="columns area_code and group",
            values=missing,
        )
    frame = frame[["area_code", "group"]].copy()
    frame["area_code"] = frame["area_code"].astype(str).str.strip()
    return frame


def existing_file(path_text: str, option: str) -> Path:
    """The path of an existing file, or an error naming the option that gave it."""
    path = Path(path_text)
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        raise InputError(
            f"{option} {path_text}: {what}",
            column=option,
            rule="an existing file",
            values=[path_text],
        )
    return path
