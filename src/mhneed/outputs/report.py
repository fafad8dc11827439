"""The report layout: an estimate as a JSNA table prints it.

Conditions are rows; age bands are columns, plus ``All`` (the condition's
whole age scope); there is one block per sex (``Women``, ``Men``, then ``All
people``, women and men together); each figure carries its range as
``low–high``; and the rounding rule and the overlap caveat are stated under
the table.

:func:`report_table` builds a :class:`Report` from an unrounded estimate. It
summarises first and rounds last (rounding is a presentation step), so every
``All`` figure and every ``All people`` figure is combined from unrounded cells
by the rules for its kind of range, then rounded on its own. The command line,
the CSV and Excel writers (:mod:`mhneed.export`) and the charts
(:mod:`mhneed.plots`) all work from a :class:`Report`.

Which rows a block holds
------------------------
* A condition appears in the ``Women`` and ``Men`` blocks only when its rates
  are published by sex (every cell is female or male); a condition with a
  persons rate appears under ``All people`` only, since splitting it by sex
  would show the same rate twice as if it had been measured for each sex.
* Age-band columns are filled only for a condition with more than one band
  (such as APMS 2007 psychotic disorder, seven bands); a condition published
  for its whole scope (``16+``) has its figure under ``All``, and its scope in
  the ``Ages`` column.
* ``All people`` is left out when the table covers one sex only (perinatal
  rates apply to women giving birth).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from mhneed._intervals import STRATUM
from mhneed._labels import (
    COUNT_HEADINGS,
    NO_INTERVAL,
    OVERLAP_WARNING,
    denominator_note,
    split_methods,
    unused_births_note,
)
from mhneed.bands import AgeBand, parse_band
from mhneed.errors import CombineError, InputError
from mhneed.rates import RateTable
from mhneed.results import Estimate

__all__ = ["ALL", "BLOCKS", "Report", "report_table"]

#: The column (and ``age_band`` value in :attr:`Report.rows`) for a condition's whole age scope.
ALL = "All"

#: The blocks of a report, in order: the ``sex`` value and the block's heading.
BLOCKS: dict[str, str] = {"female": "Women", "male": "Men", "persons": "All people"}

#: Headings for key columns the readers produce; other key columns keep their names.
KEY_HEADINGS: dict[str, str] = {
    "area_code": "Area code",
    "area_name": "Area",
    "area": "Area",
    "year": "Year",
    "group": "Group",
}

_VALUES = ("cases", "cases_lower", "cases_upper")


@dataclass(frozen=True, eq=False)
class Report:
    """An estimate laid out for a report: conditions × age bands, a block per sex.

    Made by :func:`report_table`; not built by hand.

    Attributes
    ----------
    rows : pandas.DataFrame
        The report's figures, one row per key group × block × condition ×
        column: the key columns, ``sex`` (``female``, ``male``, or
        ``persons`` for the ``All people`` block), ``condition``, ``label``,
        ``period``, ``ages`` (the ages counted for that row), ``age_band`` (a
        band, or ``"All"``), the count column (``population`` or ``births``),
        ``cases``, ``cases_lower``, ``cases_upper`` [persons], ``interval``
        (what the range is) and ``range_only`` (True where the source
        publishes only a range, so the central figure is a midpoint the source
        does not publish and the report shows the range alone). Rounded if
        the report is.
    keys : list of str
        The key columns each block is repeated for (such as ``area_code``,
        ``area_name``, ``year``; or ``group``).
    bands : list of str
        The age-band columns, youngest first (empty when every condition is
        published for its whole scope).
    table : RateTable
        The rate table of the estimate.
    count_column : str
        ``"population"`` or ``"births"``.
    rounding : str or None
        How the figures were rounded ("rounded up to a multiple of 5"), or None.
    decimals : int
        Decimal places the figures are shown with (0 unless rounded to a
        fraction such as 0.5).
    coverage : pandas.DataFrame
        Per key group and condition: the count column, ``in_scope``,
        ``too_young``, ``too_old`` and ``wrong_sex``.
    provenance : dict
        The estimate's provenance (see :meth:`Estimate.provenance`).
    notes : list of str
        What the report says under the table: the rounding rule, the overlap
        caveat, what the ranges are, the estimate's warnings, the table's
        caveats, the rates' sources and the input's source.
    data_source : str or None
        Where the population or births came from, as given to
        :func:`report_table`.
    blocks : list of str
        The report's blocks in order: ``female``, ``male``, ``persons`` (those
        it has).
    """

    rows: pd.DataFrame
    keys: list[str]
    bands: list[str]
    table: RateTable
    count_column: str
    rounding: str | None
    decimals: int
    coverage: pd.DataFrame
    provenance: dict[str, Any]
    notes: list[str]
    data_source: str | None = None
    blocks: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The report's title, such as "Estimated number of people with each condition"."""
        who = "women giving birth" if self.count_column == "births" else "people"
        return f"Estimated number of {who} with each condition"

    @property
    def count_heading(self) -> str:
        """The heading of the count column, naming what was counted.

        "Population"; for an estimate from births, the denominator used:
        "Maternities", "Live births" or "Deliveries".
        """
        if self.count_column != "births":
            return "Population"
        return COUNT_HEADINGS.get(str(self.provenance.get("denominator")), "Births")

    @property
    def denominator_note(self) -> str | None:
        """One sentence naming the denominator of an estimate from births, for a chart's footer.

        Such as "Denominator: live births, applied to rates per 1,000
        maternities: an approximation, not adjusted."; ``None`` for an
        estimate from a population. The notes carry the longer sentence.
        """
        return denominator_note(str(self.provenance.get("denominator")), self.table, short=True)

    @property
    def columns(self) -> list[str]:
        """The figure columns of the layout: the age bands, then ``All``."""
        return [*self.bands, ALL]

    def groups(self) -> list[dict[str, Any]]:
        """The key groups of the report, in order, as ``{key column: value}``."""
        if not self.keys:
            return [{}]
        frame = self.rows[self.keys].drop_duplicates()
        return [dict(zip(self.keys, rec, strict=True)) for rec in frame.itertuples(index=False)]

    def numbers(self) -> pd.DataFrame:
        """The layout with figures as numbers: one line per key group × block × condition.

        Returns
        -------
        pandas.DataFrame
            The key columns, ``Sex`` (the block), ``Condition``, ``Period``,
            ``Ages``, the count heading (``Population`` or ``Births``: the
            count the ``All`` figure applies to), then for each column of
            :attr:`columns` three columns: the figure (named as the band),
            ``<band> low`` and ``<band> high`` [persons], then ``Range`` (what
            the range is). A figure is missing where the report has no cell
            (a band a condition is not published by) and where the source
            publishes only a range (see :attr:`rows`).
        """
        rows = self.rows
        index = [*self.keys, "sex", "condition"]
        lines = rows[rows["age_band"] == ALL].copy()
        out = pd.DataFrame({k: lines[k].to_numpy() for k in self.keys})
        out["Sex"] = lines["sex"].map(BLOCKS).to_numpy()
        out["Condition"] = lines["label"].to_numpy()
        out["Period"] = lines["period"].to_numpy()
        out["Ages"] = lines["ages"].to_numpy()
        out[self.count_heading] = lines[self.count_column].to_numpy(dtype=np.float64)
        positions = _positions(lines, index)
        for col in self.columns:
            part = rows[rows["age_band"] == col]
            where = _lookup(positions, part, index)
            for value, suffix in zip(_VALUES, ("", " low", " high"), strict=True):
                filled = np.full(len(out), np.nan)
                vals = part[value].to_numpy(dtype=np.float64)
                if value == "cases":
                    vals = np.where(part["range_only"].to_numpy(dtype=bool), np.nan, vals)
                filled[where] = vals
                out[f"{col}{suffix}"] = filled
        out["Range"] = lines["interval"].to_numpy()
        return out

    def layout(self) -> pd.DataFrame:
        """The layout as text, ready to paste into a report.

        Returns
        -------
        pandas.DataFrame
            As :meth:`numbers`, with one text column per band and ``All``:
            ``"1,388 (1,199–1,577)"`` (figure, then its range), ``"1,388"``
            where no range is published, ``"47–94"`` where the source
            publishes only a range, and ``""`` where there is no cell. Key
            columns get headings (``Area code``, ``Area``, ``Year``,
            ``Group``); counts are shown with thousands separators.
        """
        nums = self.numbers()
        out = pd.DataFrame({KEY_HEADINGS.get(k, k): nums[k].to_numpy() for k in self.keys})
        for col in ("Sex", "Condition", "Period", "Ages"):
            out[col] = nums[col].to_numpy()
        out[self.count_heading] = [_number(v, 0) for v in nums[self.count_heading]]
        range_only = self.rows.loc[self.rows["age_band"] == ALL, "range_only"].tolist()
        for col in self.columns:
            out[col] = [
                _cell(c, lo, hi, only, self.decimals)
                for c, lo, hi, only in zip(
                    nums[col], nums[f"{col} low"], nums[f"{col} high"], range_only, strict=True
                )
            ]
        out["Range"] = nums["Range"].to_numpy()
        return out

    def to_text(self, width: int = 100) -> str:
        """The report as plain text: a heading per key group, a table per block, then the notes.

        Parameters
        ----------
        width : int, default 100
            Width the notes are wrapped to [characters].
        """
        layout = self.layout()
        headings = [KEY_HEADINGS.get(k, k) for k in self.keys]
        shown = ["Condition", "Period", "Ages", self.count_heading, *self.columns]
        right = {self.count_heading, *self.columns}
        # drop the band columns no line of this report fills
        shown = [c for c in shown if c not in self.bands or (layout[c] != "").any()]
        widths = {c: max(len(c), *(len(str(v)) for v in layout[c])) for c in shown}
        lines = [self.title, f"Rates: {self.table.meta.title} [{self.table.id}]", ""]
        groups = self.groups()
        for n, group in enumerate(groups):
            mask = np.ones(len(layout), dtype=bool)
            for key, heading in zip(self.keys, headings, strict=True):
                mask &= (layout[heading] == group[key]).to_numpy()
            if self.keys:
                lines.append(place(group))
                lines.append("")
            part = layout[mask]
            for block in BLOCKS.values():
                rows = part[part["Sex"] == block]
                if rows.empty:
                    continue
                lines.append(block)
                lines.append(_text_row({c: c for c in shown}, shown, widths, right))
                lines.extend(
                    _text_row(rec, shown, widths, right) for rec in rows.to_dict("records")
                )
                lines.append("")
            if n < len(groups) - 1:
                lines.append("")
        for note in self.notes:
            lines.extend(textwrap.wrap(note, width=width, subsequent_indent="  ") or [""])
        return "\n".join(lines)


def report_table(
    est: Estimate,
    *,
    by: Sequence[str] | None = None,
    groups: Mapping[Any, Any] | pd.DataFrame | None = None,
    round_to: float | None = None,
    how: Literal["up", "nearest"] = "nearest",
    data_source: str | None = None,
) -> Report:
    """Lay an estimate out as a JSNA table: conditions × age bands, a block per sex.

    Parameters
    ----------
    est : Estimate
        An unrounded estimate from :func:`mhneed.estimate` or
        :func:`mhneed.estimate_perinatal`.
    by : sequence of str, optional
        Key columns to keep, one report block per combination (such as
        ``["area_code", "area_name"]``, or ``["year"]`` to add areas
        together). Default: every key column of the estimate; with
        ``groups``, ``group`` and the key columns other than ``area_code`` and
        ``area_name``.
    groups : dict or pandas.DataFrame, optional
        Areas to groups (see :meth:`Estimate.summarise`): a county from its
        districts, or service lots.
    round_to : float, optional
        Round every figure to a multiple of this (5, 10) after combining;
        ``None`` (the default) leaves them unrounded (shown to the nearest
        whole number).
    how : {"nearest", "up"}
        How to round (see :meth:`Estimate.round`).
    data_source : str, optional
        Where the population or births came from (such as the ONS file's
        title), stated in the notes.

    Returns
    -------
    Report

    Raises
    ------
    CombineError
        When ``est`` is already rounded (give the unrounded estimate and
        ``round_to``).
    InputError
        When ``by`` names a stratum column (condition, sex, age_band), or
        ``how`` or ``round_to`` is not valid.
    MissingColumnError
        When ``by`` names a column that is not a key of the estimate.

    Notes
    -----
    Each figure is combined from unrounded cells (see
    :meth:`Estimate.summarise`), then rounded on its own, so rounded bands
    need not add up to the rounded ``All`` figure.

    Examples
    --------
    >>> import mhneed
    >>> est = mhneed.estimate(mhneed.rutland_population(), "apms_2007_psychosis")
    >>> rep = mhneed.report_table(est, by=["area_name"], round_to=5, how="nearest")
    >>> rep.layout().loc[0, ["Area", "Sex", "16-24", "All"]].tolist()
    ['Rutland', 'Women', '5', '70']
    """
    if est.rounding is not None:
        raise CombineError(
            f"report_table: the estimate is already {est.rounding}; give the unrounded "
            "estimate and round_to=, so that totals are combined before rounding",
            rule="round last",
            values=[est.rounding],
        )
    keys = _report_keys(est, by, groups)
    cells = est._cells
    conditions = list(dict.fromkeys(str(c) for c in cells["condition"]))
    plan = _plan(cells, conditions)
    parts = []
    rounding: str | None = None
    for extra, sex, band in (
        (["sex", "age_band"], None, None),
        (["sex"], None, ALL),
        (["age_band"], "persons", None),
        ([], "persons", ALL),
    ):
        summary = est.summarise([*keys, "condition", *extra], groups=groups)
        if round_to is not None:
            summary = summary.round(round_to, how)
            rounding = summary.rounding
        frame = summary.to_frame()
        frame = frame.drop(columns=[c for c in ("rounding",) if c in frame.columns])
        if sex is None:  # the women's and men's blocks; persons cells come from the others
            frame = frame[frame["sex"].astype(str) != "persons"]
        else:
            frame["sex"] = sex
        if band is not None:
            frame["age_band"] = band
        parts.append(frame)
    rows = _assemble(parts, keys, plan, est)
    coverage = _coverage(est, keys, groups)
    decimals = 0 if round_to is None or float(round_to).is_integer() else _decimals(round_to)
    bands = _band_columns(rows)
    blocks = [s for s in BLOCKS if (rows["sex"] == s).any()]
    notes = _notes(est, rows, rounding, data_source, plan, coverage)
    return Report(
        rows=rows,
        keys=keys,
        bands=bands,
        table=est.table,
        count_column=est.count_column,
        rounding=rounding,
        decimals=decimals,
        coverage=coverage,
        provenance=est.provenance(),
        notes=notes,
        data_source=data_source,
        blocks=blocks,
    )


def place(group: Mapping[str, Any]) -> str:
    """A key group as a heading: "Rutland (E06000017), 2014", "North lot, 2014", "ward W1"."""
    parts: list[str] = []
    name, code = group.get("area_name"), group.get("area_code")
    if name is not None and code is not None:
        parts.append(f"{name} ({code})")
    elif name is not None or code is not None:
        parts.append(str(name if name is not None else code))
    for key, value in group.items():
        if key in ("area_name", "area_code"):
            continue
        known = key in ("year", "group", "area")
        parts.append(str(value) if known else f"{key} {value}")
    return ", ".join(parts)


def format_range(
    cases: float, low: float, high: float, *, range_only: bool = False, decimals: int = 0
) -> str:
    """A figure and its range as a report prints it.

    Parameters
    ----------
    cases, low, high : float
        The figure and its range [persons]; NaN where missing.
    range_only : bool, default False
        Show the range alone (the source publishes only a range).
    decimals : int, default 0
        Decimal places.

    Returns
    -------
    str
        ``"1,388 (1,199–1,577)"``, ``"1,388"`` (no range), ``"47–94"`` (range
        only), ``"5"`` (a range whose ends are equal), ``"0 (none in sample; up to
        36)"`` (a rate of 0 with an upper limit: no cases in the survey sample), or
        ``""`` (no figure).

    Examples
    --------
    >>> format_range(1387.8, 1198.6, 1577.1)
    '1,388 (1,199–1,577)'
    >>> format_range(70.2, 46.8, 93.6, range_only=True)
    '47–94'
    >>> format_range(0.0, 0.0, 36.4)
    '0 (none in sample; up to 36)'
    """
    return _cell(cases, low, high, range_only, decimals)


# -- private helpers ---------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """Which blocks and band columns each condition has."""

    sex_specific: dict[str, bool]
    sex_bands: dict[tuple[str, str], list[str]]  # (condition, sex) -> bands
    persons_bands: dict[str, list[str]]  # condition -> bands shown under All people
    ages: dict[tuple[str, str], str]  # (condition, sex or persons) -> ages counted
    blocks: list[str]
    persons_only: list[str]  # conditions with a persons rate among sex-specific ones


def _report_keys(
    est: Estimate, by: Sequence[str] | None, groups: Mapping[Any, Any] | pd.DataFrame | None
) -> list[str]:
    if by is None:
        if groups is None:
            return list(est.keys)
        return ["group", *(k for k in est.keys if k not in ("area_code", "area_name", "group"))]
    keys = [by] if isinstance(by, str) else list(dict.fromkeys(by))
    strata = [k for k in keys if k in STRATUM]
    if strata:
        raise InputError(
            f"report_table: by={keys} names {', '.join(strata)}; by lists key columns only "
            "(conditions are the report's rows, age bands its columns and sexes its blocks)",
            column=strata[0],
            rule="by names key columns",
            values=strata,
        )
    return keys


def _plan(cells: pd.DataFrame, conditions: list[str]) -> _Plan:
    frame = cells[["condition", "sex", "age_band"]].astype(str).drop_duplicates()
    sex_specific: dict[str, bool] = {}
    sex_bands: dict[tuple[str, str], list[str]] = {}
    persons_bands: dict[str, list[str]] = {}
    ages: dict[tuple[str, str], str] = {}
    for cond in conditions:
        part = frame[frame["condition"] == cond]
        sexes = list(dict.fromkeys(part["sex"]))
        specific = "persons" not in sexes
        sex_specific[cond] = specific
        per_sex = {s: _sorted_bands(part.loc[part["sex"] == s, "age_band"]) for s in sexes}
        for sex, bands in per_sex.items():
            ages[(cond, sex)] = _span(bands)
            if specific:
                sex_bands[(cond, sex)] = bands if len(bands) > 1 else []
        every = _sorted_bands(part["age_band"])
        ages[(cond, "persons")] = _span(every)
        same = len({tuple(b) for b in per_sex.values()}) == 1
        persons_bands[cond] = every if same and len(every) > 1 else []
    sex_blocks = [
        s for s in ("female", "male") if any(k[1] == s for k in sex_bands if sex_specific[k[0]])
    ]
    has_persons = any(not v for v in sex_specific.values())
    blocks = [*sex_blocks]
    if len(sex_blocks) != 1 or has_persons:
        blocks.append("persons")
    persons_only = [c for c, v in sex_specific.items() if not v] if sex_blocks else []
    return _Plan(sex_specific, sex_bands, persons_bands, ages, blocks, persons_only)


def _sorted_bands(labels: pd.Series) -> list[str]:
    unique = list(dict.fromkeys(str(v) for v in labels))
    return sorted(unique, key=lambda b: _band_key(parse_band(b)))


def _band_key(band: AgeBand) -> tuple[int, float]:
    return (band.lower, math.inf if band.upper is None else band.upper)


def _span(bands: list[str]) -> str:
    parsed = [parse_band(b) for b in bands]
    lower = min(b.lower for b in parsed)
    uppers = [b.upper for b in parsed]
    upper = None if any(u is None for u in uppers) else max(u for u in uppers if u is not None)
    return str(AgeBand(lower, upper))


def _assemble(
    parts: list[pd.DataFrame], keys: list[str], plan: _Plan, est: Estimate
) -> pd.DataFrame:
    count = est.count_column
    columns = [*keys, "sex", "condition", "age_band", count, *_VALUES, "interval"]
    frames = []
    for frame in parts:
        part = pd.DataFrame({c: _plain(frame[c]) for c in columns})
        frames.append(part)
    rows = pd.concat(frames, ignore_index=True)
    wanted = _wanted(plan)
    key = list(zip(rows["condition"], rows["sex"], rows["age_band"], strict=True))
    rows = rows[[k in wanted for k in key]].reset_index(drop=True)
    labels = {c.id: c for c in est.table.meta.conditions}
    midpoint = {r.condition for r in est.table.rows if r.rate_is_midpoint and r.lower != r.upper}
    rows.insert(len(keys) + 2, "label", [labels[c].label for c in rows["condition"]])
    rows.insert(len(keys) + 3, "period", [labels[c].period for c in rows["condition"]])
    rows.insert(
        len(keys) + 4,
        "ages",
        [
            plan.ages[(c, s)] if b == ALL else b
            for c, s, b in zip(rows["condition"], rows["sex"], rows["age_band"], strict=True)
        ],
    )
    rows["range_only"] = [c in midpoint for c in rows["condition"]]
    order = list(labels)
    block_order = {s: i for i, s in enumerate(BLOCKS)}
    all_bands = _sorted_bands(rows.loc[rows["age_band"] != ALL, "age_band"]) if len(rows) else []
    band_order = {b: i for i, b in enumerate([*all_bands, ALL])}
    sort = pd.DataFrame(
        {
            "_g": _group_order(rows, keys),
            "_s": rows["sex"].map(block_order),
            "_c": rows["condition"].map({c: i for i, c in enumerate(order)}),
            "_b": rows["age_band"].map(band_order),
        }
    )
    rows = rows.iloc[np.lexsort([sort[c].to_numpy() for c in ("_b", "_c", "_s", "_g")])]
    return rows.reset_index(drop=True)


def _wanted(plan: _Plan) -> set[tuple[str, str, str]]:
    wanted: set[tuple[str, str, str]] = set()
    for cond, specific in plan.sex_specific.items():
        if specific:
            for (c, sex), bands in plan.sex_bands.items():
                if c == cond and sex in plan.blocks:
                    wanted.add((cond, sex, ALL))
                    wanted.update((cond, sex, b) for b in bands)
        if "persons" in plan.blocks:
            wanted.add((cond, "persons", ALL))
            wanted.update((cond, "persons", b) for b in plan.persons_bands[cond])
    return wanted


def _plain(column: pd.Series) -> pd.Series:
    """A column without categories (categoricals become their values)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Series(np.asarray(column.astype(object)), index=column.index, dtype=object)
    return column


def _group_order(rows: pd.DataFrame, keys: list[str]) -> np.ndarray:
    if not keys:
        return np.zeros(len(rows), dtype=np.int64)
    tuples = pd.Series(list(zip(*(rows[k] for k in keys), strict=True)), index=rows.index)
    codes, _ = pd.factorize(tuples)
    return np.asarray(codes, dtype=np.int64)


def _positions(lines: pd.DataFrame, index: list[str]) -> dict[tuple[Any, ...], int]:
    tuples = zip(*(lines[c] for c in index), strict=True)
    return {t: i for i, t in enumerate(tuples)}


def _lookup(
    positions: dict[tuple[Any, ...], int], part: pd.DataFrame, index: list[str]
) -> list[int]:
    return [positions[t] for t in zip(*(part[c] for c in index), strict=True)]


def _band_columns(rows: pd.DataFrame) -> list[str]:
    return _sorted_bands(rows.loc[rows["age_band"] != ALL, "age_band"])


def _coverage(
    est: Estimate, keys: list[str], groups: Mapping[Any, Any] | pd.DataFrame | None
) -> pd.DataFrame:
    summary = est.summarise([*keys, "condition"], groups=groups)
    cols = [est.count_column, "in_scope", "too_young", "too_old", "wrong_sex"]
    frame = summary.coverage
    by = [*keys, "condition"]
    out = frame.groupby(by, observed=True, sort=False)[cols].sum().reset_index()
    return pd.DataFrame({c: _plain(out[c]) for c in out.columns})


def _decimals(to: float) -> int:
    text = f"{float(to):g}"
    return len(text.split(".")[1]) if "." in text else 0


def _notes(
    est: Estimate,
    rows: pd.DataFrame,
    rounding: str | None,
    data_source: str | None,
    plan: _Plan,
    coverage: pd.DataFrame,
) -> list[str]:
    meta = est.table.meta
    notes: list[str] = []
    if rounding is None:
        notes.append(
            "Rounding: none; figures are unrounded estimates, shown to the nearest whole number."
        )
    else:
        notes.append(
            f"Rounding: every figure is {rounding}, each on its own after combining unrounded "
            "figures, so rounded figures need not add up to the totals shown."
        )
    if not meta.mutually_exclusive:
        notes.append(OVERLAP_WARNING)
    kinds = list(dict.fromkeys(str(v) for v in rows["interval"]))
    range_only = bool(rows["range_only"].any())
    base, ci_details, kinds = split_methods(kinds)
    if base is not None:
        notes.append(
            f"Ranges in brackets are {base}s of the survey's rates (sampling error only), "
            "combined across age bands and sexes in quadrature. How the cells' intervals were "
            f"obtained (the data's interval column says for each row): {'; '.join(ci_details)}."
        )
    for kind in kinds:
        if kind == NO_INTERVAL:
            notes.append(
                "A figure with no range: the source publishes no interval for that rate, so "
                "none is shown (none is invented)."
            )
        elif kind == "published range":
            text = (
                "Ranges (low–high) are the low and high rates the source publishes; where it "
                "publishes a single rate, one figure is shown."
            )
            if range_only:
                text += (
                    " Where the source publishes only a range, the range alone is shown; the "
                    "central figure in the data is its midpoint, which the source does not "
                    "publish."
                )
            notes.append(text)
        else:
            notes.append(
                f"Ranges in brackets are {kind}s of the survey's rates (sampling error "
                "only), combined across age bands and sexes in quadrature."
            )
    if plan.persons_only and "persons" in plan.blocks:
        notes.append(
            "Conditions listed under All people only have a rate published for persons (women "
            "and men together), not by sex."
        )
    denominator = denominator_note(str(est.provenance()["denominator"]), est.table)
    if denominator is not None:
        notes.append(denominator)
    unused = est.params.get("unused_births")
    if unused is not None:
        used = est.coverage.groupby("condition", observed=True, sort=False)["births"].sum()
        notes.append(unused_births_note(float(used.iloc[0]), float(unused)))
    for warning in est.warnings:
        if warning != OVERLAP_WARNING:
            notes.append(f"Warning: {warning}")
    for caveat in meta.caveats:
        if not caveat.startswith("Conditions overlap"):
            notes.append(f"Caveat: {caveat}")
    given = str(est.params.get("denominator", est.table.meta.denominator))
    notes.append(_coverage_note(coverage, est.count_column, given))
    prov = est.provenance()
    ages = f"; ages narrowed to {prov['ages']}" if prov["ages"] else ""
    notes.append(
        f"Rates: {meta.title} [{meta.id}], {meta.publisher}, edition {meta.edition}; "
        f"{meta.geography}; {meta.population}{ages}."
    )
    for source in prov["sources"]:
        notes.append(f"Source [{source['id']}] ({source['kind']}): {source['citation']}")
    if data_source:
        what = "Births" if est.count_column == "births" else "Population"
        notes.append(f"{what}: {data_source}")
    return notes


def _coverage_note(coverage: pd.DataFrame, count: str, denominator: str = "persons") -> str:
    """One sentence accounting for everyone in the input; conditions with equal counts share it.

    Births are named by what they count (maternities, live births, deliveries).
    """
    cols = [count, "in_scope", "too_young", "too_old", "wrong_sex"]
    totals = coverage.groupby("condition", sort=False)[cols].sum()
    who = "people"
    if count == "births":
        who = COUNT_HEADINGS.get(denominator, "Births").lower()
    patterns: dict[str, list[str]] = {}
    for cond, row in totals.iterrows():
        out = [
            f"{_whole(row[k])} {k.replace('_', ' ')}"
            for k in ("too_young", "too_old", "wrong_sex")
            if row[k]
        ]
        text = f"in scope {_whole(row['in_scope'])}"
        text += f" ({', '.join(out)} out of scope)" if out else " (none out of scope)"
        patterns.setdefault(text, []).append(str(cond))
    everyone = _whole(float(totals[count].iloc[0])) if len(totals) else "0"
    if len(patterns) == 1:
        (text,) = patterns
        return f"Coverage: {everyone} {who} in the input, {text}."
    parts = [f"{text} for {', '.join(conds)}" for text, conds in patterns.items()]
    return f"Coverage: {everyone} {who} in the input; {'; '.join(parts)}."


def _whole(value: float) -> str:
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def _number(value: float, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.{decimals}f}"


def _cell(cases: float, low: float, high: float, range_only: bool, decimals: int) -> str:
    has_range = not (_missing(low) or _missing(high))
    if range_only and has_range:
        lo, hi = _number(low, decimals), _number(high, decimals)
        return lo if lo == hi else f"{lo}–{hi}"
    if _missing(cases):
        return ""
    text = _number(cases, decimals)
    if has_range and cases == 0 and low == 0 and high > 0:
        # a rate of 0 with an upper limit: none in the survey sample (a '-' in the source)
        return f"{text} (none in sample; up to {_number(high, decimals)})"
    if has_range and low != high:  # equal limits: a single published figure, no range to show
        text += f" ({_number(low, decimals)}–{_number(high, decimals)})"
    return text


def _missing(value: float) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text_row(
    rec: Mapping[Any, Any], shown: list[str], widths: dict[str, int], right: set[str]
) -> str:
    cells = [
        f"{rec[c]!s:>{widths[c]}}" if c in right else f"{rec[c]!s:<{widths[c]}}" for c in shown
    ]
    return "  ".join(cells).rstrip()
