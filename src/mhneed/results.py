"""The result of an estimate: a tidy frame that knows where its numbers came from.

An :class:`Estimate` holds the estimate frame, the rate table that produced
it, the coverage report (everyone in the input is in scope or counted out of
scope by reason), and how it was made. It can be summarised (combining cells
by the rules for each kind of range), rounded (a presentation step, applied
last) and asked for its provenance.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from mhneed._intervals import STRATUM, combine
from mhneed.errors import CombineError, InputError, MissingColumnError
from mhneed.rates import RateTable

__all__ = [
    "OUT_OF_SCOPE",
    "OVERLAP_WARNING",
    "Estimate",
    "denominator_warning",
    "interval_label",
]

#: Coverage columns counting people out of scope, by reason.
OUT_OF_SCOPE = ("too_young", "too_old", "wrong_sex")

#: The caveat every estimate carries unless its table's conditions exclude each other.
OVERLAP_WARNING = (
    "Conditions overlap: one person can have more than one condition, so counts for "
    "different conditions must not be added together."
)

NO_INTERVAL = "no interval published"

_VALUE_COLUMNS = ("population", "rate", "lower", "upper", "cases", "cases_lower", "cases_upper")


def interval_label(kind: str, level: float | None, has_interval: bool) -> str:
    """The label an output row carries for its range."""
    if not has_interval or kind == "none":
        return NO_INTERVAL
    if kind == "confidence_interval":
        return f"{(level or 0.95) * 100:g}% confidence interval"
    return "published range"


#: How each denominator is described in warnings and reports.
_DENOMINATOR_WORDS = {
    "persons": "persons",
    "maternities": "maternities (women giving birth, each counted once)",
    "live_births": "live births (each baby born alive, so twins count twice)",
    "deliveries": "deliveries",
}

#: What is known about the direction of a mismatch: (input counts, table's denominator).
_MISMATCH_NOTES = {
    ("live_births", "maternities"): (
        "Live births run above maternities (a multiple birth is one maternity), so these "
        "estimates are likely to be a little high."
    ),
}


def denominator_warning(given: str, table: RateTable) -> str | None:
    """The warning for counts of a different kind from the table's denominator, if any.

    Parameters
    ----------
    given : str
        What the input counts: ``maternities``, ``live_births``, ``deliveries``
        or ``persons``.
    table : RateTable
        The rate table applied to them.

    Returns
    -------
    str or None
        ``None`` when ``given`` is the table's denominator.
    """
    expected = table.meta.denominator
    if given == expected:
        return None
    text = (
        f"The births are counted as {_DENOMINATOR_WORDS.get(given, given)}, but the rates of "
        f"table {table.id} apply to {_DENOMINATOR_WORDS.get(expected, expected)}; the "
        "estimates have not been adjusted for the difference."
    )
    note = _MISMATCH_NOTES.get((given, expected))
    return text if note is None else f"{text} {note}"


class Estimate:
    """Estimated cases with ranges, their coverage report and provenance.

    Made by :func:`mhneed.estimate` (and :func:`mhneed.estimate_perinatal`);
    not built by hand.

    Attributes
    ----------
    table : RateTable
        The rate table the estimate used.
    coverage : pandas.DataFrame
        Per key group and condition: ``population`` (everyone in the input;
        ``births`` in a perinatal estimate, see :attr:`count_column`),
        ``in_scope`` and the people out of scope by reason (``too_young``,
        ``too_old``, ``wrong_sex``); ``in_scope`` plus the reasons equals
        ``population``.
    keys : list of str
        The input's key columns.
    params : dict
        How the estimate was made (conditions, ages, top_age, denominator, ...).
    by : list of str or None
        The grouping of a summarised estimate; ``None`` for cell rows.
    rounding : str or None
        How the figures were rounded, if they were.
    """

    def __init__(self) -> None:  # pragma: no cover - use the factories
        raise TypeError("an Estimate is made by mhneed.estimate(), not built by hand")

    @classmethod
    def _from_engine(
        cls,
        *,
        frame: pd.DataFrame,
        table: RateTable,
        coverage: pd.DataFrame,
        keys: list[str],
        params: Mapping[str, Any],
        cells: pd.DataFrame | None = None,
        by: list[str] | None = None,
        rounding: str | None = None,
    ) -> Estimate:
        est = cls.__new__(cls)
        est._frame = frame
        est._cells = frame if cells is None else cells
        est.table = table
        est.coverage = coverage
        est.keys = list(keys)
        est.params = dict(params)
        est.by = by
        est.rounding = rounding
        return est

    _frame: pd.DataFrame
    _cells: pd.DataFrame
    table: RateTable
    coverage: pd.DataFrame
    keys: list[str]
    params: dict[str, Any]
    by: list[str] | None
    rounding: str | None

    # -- views --------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """The estimate as a tidy DataFrame (a copy).

        Cell rows have the key columns and ``condition, sex, age_band,
        population, rate, lower, upper, cases, cases_lower, cases_upper,
        interval``; a summarised estimate has its ``by`` columns and
        ``population, cases, cases_lower, cases_upper, interval``. Rates are
        proportions; counts are persons. Text key columns (and ``condition``,
        ``sex``, ``age_band``) are pandas categoricals, which keeps national-scale
        results small and fast; numeric keys such as ``year`` keep their dtype.
        An estimate from births (see :func:`mhneed.estimate_perinatal`) has
        ``births`` where these say ``population`` (:attr:`count_column`). A
        rounded estimate also has a ``rounding`` column saying how.
        ``frame.attrs["mhneed"]`` holds the provenance (see :meth:`provenance`),
        including its ``warnings``.
        """
        frame = self._frame.copy()
        if self.rounding is not None:
            frame["rounding"] = self.rounding
        frame.attrs["mhneed"] = self.provenance()
        return frame

    @property
    def conditions(self) -> list[str]:
        """The condition ids in the estimate."""
        return list(self.params["conditions"])

    @property
    def count_column(self) -> str:
        """The name of the column counting who the rates apply to.

        ``"population"`` for an estimate from a population (denominator
        persons), ``"births"`` for one from births (maternities, live births
        or deliveries), in the estimate frame and the coverage report alike.
        """
        given = self.params.get("denominator", self.table.meta.denominator)
        return "population" if given == "persons" else "births"

    @property
    def interval_kind(self) -> str:
        """The table's kind of range: confidence_interval, published_range or none."""
        return self.table.meta.interval

    @property
    def warnings(self) -> list[str]:
        """Caveats every report of this estimate should carry."""
        out: list[str] = []
        if not self.table.meta.mutually_exclusive:
            out.append(OVERLAP_WARNING)
        if self.params.get("split_bands"):
            labels = list(self.params.get("split_band_labels") or [])
            which = f" ({', '.join(labels)})" if labels else ""
            ages = self.params.get("ages")
            scope = "" if ages is None else f" or the age scope {ages}"
            out.append(
                f"Some population age bands{which} straddle a rate band{scope}; their "
                "population was split uniformly across the band's single years, which assumes "
                "people are spread evenly over those ages. Give single years of age for an "
                "exact estimate."
            )
        mismatch = denominator_warning(
            self.params.get("denominator", self.table.meta.denominator), self.table
        )
        if mismatch is not None:
            out.append(mismatch)
        return out

    def provenance(self) -> dict[str, Any]:
        """Where every number came from: table, edition, sources, scope and steps.

        Returns
        -------
        dict
            ``table`` (id), ``title``, ``publisher``, ``edition``, ``citation``,
            ``geography``, ``population_covered``, ``denominator`` (what the
            input counted), ``table_denominator`` (what the rates are per),
            ``interval``, ``conditions`` (id, label, period, ages), ``sources``
            (id, kind, citation, for the rows used), ``ages``, ``top_age``,
            ``coverage`` (per condition: input population, in scope and
            out of scope by reason, summed over key groups), ``rounding``, ``by`` and
            ``warnings``.
        """
        meta = self.table.meta
        chosen = set(self.conditions)
        used_sources = dict.fromkeys(r.source for r in self.table.rows if r.condition in chosen)
        cov_cols = [self.count_column, "in_scope", *OUT_OF_SCOPE]
        by_cond = self.coverage.groupby("condition", observed=True, sort=False)[cov_cols].sum()
        ages = self.params.get("ages")
        return {
            "table": meta.id,
            "title": meta.title,
            "publisher": meta.publisher,
            "edition": meta.edition,
            "citation": meta.citation,
            "geography": meta.geography,
            "population_covered": meta.population,
            "denominator": self.params.get("denominator", meta.denominator),
            "table_denominator": meta.denominator,
            "interval": meta.interval,
            "interval_level": meta.level,
            "conditions": [
                {"id": c.id, "label": c.label, "period": c.period, "ages": c.ages}
                for c in meta.conditions
                if c.id in chosen
            ],
            "sources": [
                {
                    "id": s,
                    "kind": self.table.source(s).kind,
                    "citation": self.table.source(s).citation,
                }
                for s in used_sources
            ],
            "ages": None if ages is None else str(ages),
            "top_age": self.params.get("top_age"),
            "coverage": {
                str(cond): {k: float(v) for k, v in row.items()} for cond, row in by_cond.iterrows()
            },
            "rounding": self.rounding,
            "by": self.by,
            "caveats": list(meta.caveats),
            "warnings": self.warnings,
        }

    def describe(self) -> str:
        """A plain-text account of the estimate: table, sources, scope, coverage, caveats."""
        p = self.provenance()
        cov = p["coverage"]
        count = self.count_column
        denominator = str(p["denominator"]).replace("_", " ")
        if p["denominator"] != p["table_denominator"]:
            denominator += (
                f" (the rate table's rates apply to {p['table_denominator'].replace('_', ' ')})"
            )
        lines = [
            f"Estimate from {p['title']} [{p['table']}], edition {p['edition']}",
            f"  {p['publisher']}; {p['geography']}; {p['population_covered']}",
            f"  denominator: {denominator}",
            f"  conditions: {', '.join(c['id'] for c in p['conditions'])}",
        ]
        if p["ages"]:
            lines.append(f"  ages narrowed to {p['ages']}")
        who = "people" if count == "population" else "births"
        lines.append(f"  coverage ({who} in the input, in scope and out of scope, by condition):")
        seen: dict[str, list[str]] = {}
        for cond, counts in cov.items():
            text = ", ".join(
                f"{k.replace('_', ' ')} {_fmt(v)}"
                for k, v in counts.items()
                if v or k in (count, "in_scope")
            )
            seen.setdefault(text, []).append(cond)
        for text, conds in seen.items():
            lines.append(f"    {', '.join(conds)}: {text}")
        if self.rounding:
            lines.append(f"  rounding: {self.rounding}")
        lines.append("  sources:")
        lines.extend(f"    [{s['id']}] ({s['kind']}) {s['citation']}" for s in p["sources"])
        if p["warnings"]:
            lines.append("  warnings:")
            lines.extend(f"    - {w}" for w in p["warnings"])
        return "\n".join(lines)

    def __repr__(self) -> str:
        level = "cells" if self.by is None else f"summary by {', '.join(self.by)}"
        rounded = f", {self.rounding}" if self.rounding else ""
        return (
            f"<Estimate {self.table.id}: {len(self._frame)} rows ({level}{rounded}), "
            f"{len(self.conditions)} condition{'s' if len(self.conditions) != 1 else ''}>"
        )

    # -- combining ----------------------------------------------------------------

    def summarise(
        self, by: Sequence[str], groups: Mapping[Any, Any] | pd.DataFrame | None = None
    ) -> Estimate:
        """Combine cells into one row per group of ``by``.

        Parameters
        ----------
        by : sequence of str
            Key columns and any of ``condition``, ``sex``, ``age_band`` (and
            ``group`` with ``groups``). Must include ``condition`` when the
            estimate has several (people can have more than one condition),
            unless the table says its conditions are mutually exclusive.
        groups : dict or pandas.DataFrame, optional
            Areas to groups: a dict ``{area_code: group}``, or a frame with
            columns ``area_code`` and ``group`` (such as districts to their
            county, or districts to the service "lots" providers operate in).
            Adds a ``group`` column to summarise by; ``by`` must name it. Every
            area in the estimate needs exactly one group; areas in the mapping
            but not in the estimate are ignored.

        Returns
        -------
        Estimate
            With one row per group: the ``by`` columns, ``population`` (or
            ``births``, see :attr:`count_column`), ``cases``, ``cases_lower``,
            ``cases_upper`` and ``interval``. With ``groups``, its keys, cells and
            coverage carry the ``group`` column too.

        Notes
        -----
        Points add exactly. Published ranges add bound to bound. Confidence
        intervals: the population of each stratum (condition × sex × age band)
        is first summed across the rows combined, because every area uses the
        same national rate; the strata's errors are then combined in
        quadrature, the lower and upper sides separately. So a group of
        districts gets exactly the estimate and range of one area with their
        combined population (a county from its districts equals the county
        computed directly).

        Raises
        ------
        CombineError
            When the estimate was rounded (summarise first, then round), or
            when ``by`` would add different conditions together.
        MissingColumnError
            When a ``by`` column is not in the estimate; with ``groups``, when
            the estimate has no ``area_code`` key, or the mapping frame lacks
            ``area_code`` or ``group``.
        InputError
            With ``groups``: when an area of the estimate has no group (the
            message lists them), an area is mapped to two groups, a group is
            missing, the estimate already has a ``group`` key, or ``by`` does
            not name ``group``.
        """
        if self.rounding is not None:
            raise CombineError(
                f"this estimate is {self.rounding}; summarising rounded figures adds up "
                "rounding errors: summarise the unrounded estimate first, then round",
                rule="summarise before rounding",
                values=[self.rounding],
            )
        by_list = [by] if isinstance(by, str) else list(dict.fromkeys(by))
        cells, coverage, keys = self._cells, self.coverage, self.keys
        if groups is not None:
            if "group" not in by_list:
                raise InputError(
                    f"summarise(by={by_list}): groups= was given but 'group' is not in by; "
                    "add it, such as by=['group', 'condition']",
                    column="group",
                    rule="by names group when groups are given",
                    values=by_list,
                )
            cells, coverage, keys = _with_groups(cells, coverage, keys, groups)
        allowed = [*keys, *STRATUM]
        unknown = [b for b in by_list if b not in allowed]
        if unknown:
            raise MissingColumnError(
                f"summarise: by column{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(map(repr, unknown))} not in the estimate; choose from "
                f"{', '.join(allowed)}",
                column=unknown[0],
                rule="by columns exist",
                values=unknown,
            )
        if "condition" not in by_list:
            if len(self.conditions) > 1 and not self.table.meta.mutually_exclusive:
                raise CombineError(
                    f"summarise(by={by_list}): without 'condition' in by, counts for "
                    f"{len(self.conditions)} different conditions would be added together; "
                    "people can have more than one condition, so add 'condition' to by "
                    f"(rate table {self.table.id} does not say its conditions are mutually "
                    "exclusive)",
                    column="condition",
                    rule="never add across conditions",
                    values=self.conditions,
                )
            if not self.table.meta.mutually_exclusive:
                by_list = [*by_list, "condition"]
        count = self.count_column
        counted = cells.rename(columns={count: "population"}) if count != "population" else cells
        out = combine(counted, by_list, self.table.meta.interval, NO_INTERVAL)
        out = out.rename(columns={"population": count})
        return Estimate._from_engine(
            frame=out,
            table=self.table,
            coverage=coverage,
            keys=keys,
            params=self.params,
            cells=cells,
            by=by_list,
        )

    def round(self, to: float = 5, how: Literal["up", "nearest"] = "nearest") -> Estimate:
        """Round the case counts for presentation (a new estimate; apply it last).

        Parameters
        ----------
        to : float, default 5
            Round to multiples of this base (5, 10, 1, 0.5, ...) [same unit as
            the counts].
        how : {"up", "nearest"}
            ``"up"``: the next multiple at or above, so any count above zero
            becomes at least ``to`` (the Rutland JSNA 2018 rounds up to 5);
            ``"nearest"``: the nearest multiple, halves rounding up.

        Returns
        -------
        Estimate
            ``cases``, ``cases_lower`` and ``cases_upper`` rounded; populations
            (or births), rates and the coverage report untouched; the frame's
            ``rounding`` column, ``attrs["mhneed"]["rounding"]`` and
            :attr:`rounding` say how ("rounded up to a multiple of 5",
            "rounded to the nearest 10"). A rounded estimate cannot be
            summarised or rounded again: summarise first, then round.

        Raises
        ------
        InputError
            When ``how`` is not "up" or "nearest", or ``to`` is not a positive
            finite number.
        CombineError
            When the estimate is already rounded.

        Notes
        -----
        Rounding up moves a count by less than ``to`` and never lowers it;
        rounding to the nearest moves it by at most ``to / 2``. A count
        within ``1e-9 × to`` of a multiple is taken to be that multiple, so
        10.000000000000002 (binary floating point for 10) rounds up to 10, not
        15; a count above zero never rounds up to 0, however small. Zero
        stays zero, and a missing limit (NaN) stays missing.

        Examples
        --------
        >>> import pandas as pd
        >>> import mhneed
        >>> births = pd.DataFrame({"births": [312]})
        >>> est = mhneed.estimate_perinatal(births, denominator="maternities", conditions=["ptsd"])
        >>> round(float(est.to_frame()["cases"].iloc[0]), 2)
        9.36
        >>> float(est.round(to=5, how="up").to_frame()["cases"].iloc[0])
        10.0
        >>> float(est.round(to=10, how="nearest").to_frame()["cases"].iloc[0])
        10.0
        """
        if how not in ("up", "nearest"):
            raise InputError(
                f"round: how={how!r} is not one of 'up', 'nearest'",
                column="how",
                rule="how in up, nearest",
                values=[how],
            )
        if (
            isinstance(to, bool)
            or not isinstance(to, numbers.Real)
            or not math.isfinite(to)
            or to <= 0
        ):
            raise InputError(
                f"round: to={to!r} must be a positive number such as 5 or 10",
                column="to",
                rule="to > 0",
                values=[to],
            )
        if self.rounding is not None:
            raise CombineError(
                f"this estimate is already {self.rounding}; round the unrounded estimate",
                rule="round once",
                values=[self.rounding],
            )
        frame = self._frame.copy()
        for col in ("cases", "cases_lower", "cases_upper"):
            frame[col] = _round_values(frame[col].to_numpy(dtype=np.float64), to, how)
        words = "rounded up to a multiple of" if how == "up" else "rounded to the nearest"
        base = f"{int(to):,}" if float(to).is_integer() else f"{float(to):g}"
        return Estimate._from_engine(
            frame=frame,
            table=self.table,
            coverage=self.coverage,
            keys=self.keys,
            params=self.params,
            cells=self._cells,
            by=self.by,
            rounding=f"{words} {base}",
        )


def _with_groups(
    cells: pd.DataFrame,
    coverage: pd.DataFrame,
    keys: list[str],
    groups: Mapping[Any, Any] | pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Cells and coverage with a ``group`` key column mapped from ``area_code``."""
    if "area_code" not in keys:
        raise MissingColumnError(
            "summarise: groups map area_code to a group, but the estimate has no area_code "
            f"key column; its keys are: {', '.join(keys) or 'none'}",
            column="area_code",
            rule="groups need an area_code key",
            values=["area_code"],
        )
    if "group" in keys:
        raise InputError(
            "summarise: the estimate already has a key column 'group'; summarise by it "
            "directly, or rename it before estimating",
            column="group",
            rule="group is not already a key",
            values=["group"],
        )
    mapping = _group_series(groups)
    areas = pd.unique(cells["area_code"])
    missing = [a for a in areas if a not in mapping.index]
    if missing:
        shown = ", ".join(map(str, missing[:20]))
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        raise InputError(
            f"summarise: groups has no group for area_code {shown}{more} "
            f"({len(missing)} area{'s' if len(missing) > 1 else ''}); every area in the "
            "estimate needs a group",
            column="area_code",
            rule="every area has a group",
            values=missing,
        )
    position = len(keys)
    cells = cells.copy()
    cells.insert(position, "group", cells["area_code"].map(mapping).to_numpy())
    coverage = coverage.copy()
    coverage.insert(position, "group", coverage["area_code"].map(mapping).to_numpy())
    return cells, coverage, [*keys, "group"]


def _group_series(groups: Mapping[Any, Any] | pd.DataFrame) -> pd.Series:
    """The mapping as a Series indexed by area code, checked."""
    if isinstance(groups, pd.DataFrame):
        have = ", ".join(map(str, groups.columns)) or "none"
        for col in ("area_code", "group"):
            if col not in groups.columns:
                raise MissingColumnError(
                    f"summarise: the groups frame has no column {col!r}; it needs area_code "
                    f"and group; it has: {have}",
                    column=col,
                    rule="groups columns area_code and group",
                    values=[col],
                )
        pairs = groups[["area_code", "group"]].drop_duplicates()
    elif isinstance(groups, Mapping):
        pairs = pd.DataFrame(
            {"area_code": list(groups.keys()), "group": list(groups.values())}, dtype=object
        )
    else:
        raise InputError(
            "summarise: groups must be a dict of area_code to group, or a DataFrame with "
            f"columns area_code and group, not {type(groups).__name__}",
            column="group",
            rule="groups is a dict or a DataFrame",
            values=[type(groups).__name__],
        )
    blank = pairs["group"].isna().to_numpy()
    if blank.any():
        codes = pairs.loc[blank, "area_code"].head(20).tolist()
        raise InputError(
            f"summarise: groups has no group (a missing value) for area_code "
            f"{', '.join(map(str, codes))}",
            column="group",
            rule="no missing groups",
            values=codes,
        )
    twice = pairs["area_code"].duplicated(keep=False).to_numpy()
    if twice.any():
        code = pairs.loc[twice, "area_code"].iloc[0]
        both = pairs.loc[pairs["area_code"] == code, "group"].tolist()
        raise InputError(
            f"summarise: area_code {code} is mapped to more than one group "
            f"({', '.join(map(str, both))}); map each area to one group, and summarise "
            "overlapping groupings separately",
            column="area_code",
            rule="one group per area",
            values=[code],
        )
    return pd.Series(pairs["group"].to_numpy(), index=pd.Index(pairs["area_code"].to_numpy()))


def _round_values(values: np.ndarray, to: float, how: str) -> np.ndarray:
    """Round to multiples of ``to``; see :meth:`Estimate.round` for the rules."""
    to = float(to)
    scaled = np.round(values / to, 9)  # within 1e-9 of a multiple: that multiple
    if how == "up":
        rounded = np.ceil(scaled)
        rounded = np.where((values > 0) & (rounded == 0), 1.0, rounded)  # never up to 0
    else:
        rounded = np.floor(scaled + 0.5)
    return np.asarray(rounded * to, dtype=np.float64)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
