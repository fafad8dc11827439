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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from mhneed._grouping import codes_of, group_ids
from mhneed._groups import with_groups
from mhneed._intervals import STRATUM, apply_survey_bases, combine, logit_sides, simulate_limits
from mhneed._labels import (
    NO_INTERVAL,
    OUT_OF_SCOPE,
    OVERLAP_WARNING,
    denominator_warning,
    interval_label,
    mixed_label,
    mixed_methods_label,
    narrowed_warning,
    simulated_label,
    wilson_label,
)
from mhneed.engine.cells import CellBlock, combine_block
from mhneed.errors import CombineError, InputError, MissingColumnError
from mhneed.geography import check_totals
from mhneed.rates import RateTable
from mhneed.stats import normal_quantile

__all__ = [
    "NO_INTERVAL",
    "OUT_OF_SCOPE",
    "OVERLAP_WARNING",
    "Estimate",
    "denominator_warning",
    "interval_label",
    "mixed_label",
    "wilson_label",
]

#: The bases a count may be rounded to (a smaller one overflowed to infinity).
ROUND_MIN = 1e-6
ROUND_MAX = 1e9


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
        frame: pd.DataFrame | None,
        table: RateTable,
        coverage: pd.DataFrame,
        keys: list[str],
        params: Mapping[str, Any],
        cells: pd.DataFrame | None = None,
        block: CellBlock | None = None,
        by: list[str] | None = None,
        rounding: str | None = None,
    ) -> Estimate:
        if frame is None and block is None:  # pragma: no cover - an engine fault
            raise TypeError("an Estimate needs its frame or its cell block")
        est = cls.__new__(cls)
        est._frame_data = frame
        est._cells_data = cells
        est._block = block
        est.table = table
        est.coverage = coverage
        est.keys = list(keys)
        est.params = dict(params)
        est.by = by
        est.rounding = rounding
        return est

    _frame_data: pd.DataFrame | None
    _cells_data: pd.DataFrame | None
    #: the cells as arrays (a cell estimate from the engine); the frames are built from it
    _block: CellBlock | None
    table: RateTable
    coverage: pd.DataFrame
    keys: list[str]
    params: dict[str, Any]
    by: list[str] | None
    rounding: str | None

    @property
    def _frame(self) -> pd.DataFrame:
        """The estimate's rows (cells, or the summary), built from the block when first needed."""
        if self._frame_data is None:
            assert self._block is not None
            self._frame_data = self._block.frame()
        return self._frame_data

    @property
    def _cells(self) -> pd.DataFrame:
        """The cell rows the estimate was (or is) made of, built from the block when needed."""
        if self._cells_data is None:
            if self._block is None or (self.by is None and self.rounding is None):
                return self._frame  # the estimate's own rows are its cells
            self._cells_data = self._block.frame()
        return self._cells_data

    @property
    def _n_rows(self) -> int:
        if self._frame_data is None and self._block is not None and self.by is None:
            return self._block.n_groups * self._block.n_cells
        return len(self._frame)

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
        """The kind of range: confidence_interval, published_range or none.

        The table's kind, except that an estimate given survey bases
        (:meth:`with_survey_bases`) carries confidence intervals.
        """
        return str(self.params.get("interval_kind", self.table.meta.interval))

    @property
    def interval_level(self) -> float | None:
        """The confidence level of the intervals (0.95 for 95%), or ``None`` for other kinds."""
        level = self.params.get("interval_level", self.table.meta.level)
        return None if level is None else float(level)

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
        narrowed = list(self.params.get("narrowed_rates") or [])
        if narrowed:
            out.append(narrowed_warning(self.params.get("ages"), narrowed))
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
            ``interval`` (the kind of range) and ``interval_level``,
            ``survey_bases`` (the cells given Wilson intervals, see
            :meth:`with_survey_bases`), ``simulation`` (draws, seed and level,
            see :meth:`simulate`), ``conditions`` (id, label, period, ages), ``sources``
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
            "interval": self.interval_kind,
            "interval_level": self.interval_level,
            "survey_bases": self.params.get("survey_bases"),
            "simulation": self.params.get("simulation"),
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
        zeros = [
            f"{r.condition} {r.sex} {r.age_band}"
            for r in self.table.rows
            if r.none_in_sample and r.condition in self.conditions
        ]
        if zeros:
            lines.append(
                "  cells with none in the survey sample (rate 0; upper bound from the base): "
                + ", ".join(zeros)
            )
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
        if p["survey_bases"]:
            used = len(p["survey_bases"]["used"])
            lines.append(
                f"  Wilson intervals from survey bases and design effects for {used} "
                f"cell{'s' if used != 1 else ''} with no published interval"
            )
        if p["simulation"]:
            sim = p["simulation"]
            lines.append(
                f"  ranges simulated: {sim['draws']:,} draws, seed {sim['seed']}, "
                f"{sim['level'] * 100:g}% percentile interval"
            )
        if self.rounding:
            lines.append(f"  rounding: {self.rounding}")
        lines.append("  sources:")
        lines.extend(f"    [{s['id']}] ({s['kind']}) {s['citation']}" for s in p["sources"])
        if p["warnings"]:
            lines.append("  warnings:")
            lines.extend(f"    - {w}" for w in p["warnings"])
        if p["caveats"]:
            lines.append("  caveats of the rate table:")
            lines.extend(f"    - {c}" for c in p["caveats"])
        return "\n".join(lines)

    def __repr__(self) -> str:
        level = "cells" if self.by is None else f"summary by {', '.join(self.by)}"
        rounded = f", {self.rounding}" if self.rounding else ""
        return (
            f"<Estimate {self.table.id}: {self._n_rows} rows ({level}{rounded}), "
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
        computed directly), and one stratum keeps exactly population ×
        published limits. A row whose cells carry published limits and Wilson
        intervals (:meth:`with_survey_bases`) says "(published limits and
        Wilson intervals)". For limits found by simulation instead, see
        :meth:`simulate`; ``docs/methods.md`` explains both.

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
        by_list, cells, coverage, keys = self._prepare("summarise", by, groups)
        count = self.count_column
        out = None
        if cells is None and self._block is not None:
            out = combine_block(
                self._block, by_list, self.interval_kind, NO_INTERVAL, mixed=self._mixed()
            )
        if out is None:
            cells = self._cells if cells is None else cells
            out = combine(
                _counted(cells, count),
                by_list,
                self.interval_kind,
                NO_INTERVAL,
                mixed=self._mixed(),
            )
        out = out.rename(columns={"population": count})
        return Estimate._from_engine(
            frame=out,
            table=self.table,
            coverage=coverage,
            keys=keys,
            params={k: v for k, v in self.params.items() if k != "simulation"},
            cells=cells,
            block=self._block if cells is None else None,
            by=by_list,
        )

    def simulate(
        self,
        by: Sequence[str],
        groups: Mapping[Any, Any] | pd.DataFrame | None = None,
        *,
        draws: int = 20_000,
        seed: int | None = None,
    ) -> Estimate:
        """Summarise with confidence limits found by simulation instead of the formula.

        Parameters
        ----------
        by : sequence of str
            The grouping, as for :meth:`summarise`.
        groups : dict or pandas.DataFrame, optional
            Areas to groups, as for :meth:`summarise`.
        draws : int, default 20000
            The number of draws, 100 to 1,000,000 (a Python or numpy
            integer). The Monte Carlo error of a limit shrinks as ``1 /
            sqrt(draws)``; each limit's own is reported beside it
            (``cases_lower_mc_se``, ``cases_upper_mc_se``). Use more draws
            where it matters; ``docs/methods.md`` gives measured figures.
        seed : int, optional
            Seed of numpy's ``default_rng`` (a Python or numpy integer); the
            same seed and estimate give the same limits. Without one a seed is
            chosen and recorded in ``provenance()["simulation"]``, so any run
            can be repeated.

        Returns
        -------
        Estimate
            Like :meth:`summarise`: the same ``population`` and ``cases`` (the
            published rates, not the mean of the draws), with ``cases_lower``
            and ``cases_upper`` the percentiles of the simulated cases at the
            table's level (2.5% and 97.5% for a 95% interval), beside them
            ``cases_lower_mc_se`` and ``cases_upper_mc_se``, each limit's Monte
            Carlo standard error [persons] (how far the limit may move with
            another seed: 0 where a group is one stratum, whose limits are its
            published limits exactly; NaN with no interval), and ``interval``
            saying so, such as "95% confidence interval, simulated (20,000
            draws)".

        Notes
        -----
        Each draw takes one rate for every stratum (condition × sex × age
        band) and uses it for every area, since every area shares the
        national rate; so areas move together, as they should. A stratum's
        rate is drawn on the logit scale, ``expit(logit(rate) + Z × se)``,
        ``Z`` standard normal, ``se`` the lower side's standard error for
        ``Z < 0`` and the upper side's otherwise (see
        :meth:`standard_errors`); so one stratum's percentiles are its
        published limits, and asymmetric limits stay asymmetric. Strata are
        independent. The draws are 10 independent Latin hypercubes (in each,
        every stratum takes each of its ``draws / 10`` normal quantiles at
        ``(k + ½) / (draws / 10)`` once, shuffled); the spread of a limit
        over the 10 gives its Monte Carlo error. A group's percentiles
        (Hazen's, over all the draws) are estimated plainly and with a control
        variate (a normal variable from the same draws whose percentiles are
        known), and for each limit the one whose replicates agree better is
        kept: the control variate helps where the group's cases are close to
        normal and hurts in a skewed tail. The work is vectorised: one
        array of draws per stratum, summed into groups by matrix products in
        blocks, with no loop over draws or areas; the cost grows with groups ×
        draws. See ``docs/methods.md``.

        Published ranges are scenarios (a low and a high figure), not a
        sampling distribution, so there is nothing to draw from: they are
        refused. Rows with no published interval stay "no interval
        published". Summarising a simulated estimate again recomputes the
        analytic ranges from the cells.

        Raises
        ------
        CombineError
            When the estimate is rounded, the table publishes ranges rather
            than confidence intervals, or ``by`` would add conditions together.
        InputError
            When ``draws`` or ``seed`` is not a whole number in range, or for
            ``by`` and ``groups`` as in :meth:`summarise`.
        """
        if self.rounding is not None:
            raise CombineError(
                f"this estimate is {self.rounding}; simulate from the unrounded estimate, "
                "then round",
                rule="simulate before rounding",
                values=[self.rounding],
            )
        if self.interval_kind == "published_range":
            raise CombineError(
                f"simulate: rate table {self.table.id} publishes ranges (a low and a high "
                "scenario), not confidence intervals, so there is no sampling distribution "
                "to draw from; use summarise(), which adds the ranges bound to bound",
                column="interval",
                rule="simulate confidence intervals only",
                values=[self.interval_kind],
            )
        if isinstance(draws, np.integer):  # numpy's whole numbers, as from a frame or arange
            draws = int(draws)
        if isinstance(seed, np.integer):
            seed = int(seed)
        if isinstance(draws, bool) or not isinstance(draws, int) or not 100 <= draws <= 10**6:
            raise InputError(
                f"simulate: draws={draws!r} must be a whole number from 100 to 1,000,000, "
                "such as 20000",
                column="draws",
                rule="100 <= draws <= 1,000,000",
                values=[draws],
            )
        if seed is None:
            seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
        elif isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise InputError(
                f"simulate: seed={seed!r} must be a whole number, 0 or more",
                column="seed",
                rule="seed >= 0",
                values=[seed],
            )
        by_list, grouped, coverage, keys = self._prepare("simulate", by, groups)
        cells = self._cells if grouped is None else grouped
        count = self.count_column
        counted = _counted(cells, count)
        out = combine(counted, by_list, self.interval_kind, NO_INTERVAL, mixed=self._mixed())
        out = out.rename(columns={"population": count})
        level = self.interval_level or 0.95
        lower, upper, lower_se, upper_se = simulate_limits(
            counted,
            by_list,
            level=level,
            z=normal_quantile(0.5 + level / 2.0),
            draws=draws,
            rng=np.random.default_rng(seed),
        )
        out["cases_lower"] = lower  # NaN exactly where combine() says no interval
        out["cases_upper"] = upper
        at = list(out.columns).index("cases_upper") + 1
        out.insert(at, "cases_lower_mc_se", lower_se)
        out.insert(at + 1, "cases_upper_mc_se", upper_se)
        out["interval"] = out["interval"].cat.rename_categories(
            lambda label: label if label == NO_INTERVAL else simulated_label(label, draws)
        )
        return Estimate._from_engine(
            frame=out,
            table=self.table,
            coverage=coverage,
            keys=keys,
            params={
                **self.params,
                "simulation": {"draws": draws, "seed": seed, "level": level},
            },
            cells=cells,
            by=by_list,
        )

    def standard_errors(self) -> pd.DataFrame:
        """Each stratum's published limits read as standard errors.

        Returns
        -------
        pandas.DataFrame
            One row per stratum (``condition, sex, age_band``) with ``rate``,
            ``lower``, ``upper`` [proportions], ``interval``, ``scale``
            (``logit``, ``proportion`` where a rate or limit is 0 or 1, or ``none``),
            ``se_lower`` and ``se_upper`` (each side's standard error on that
            scale) and ``se`` (the two sides pooled, ``(logit(upper) -
            logit(lower)) / (2z)``, the usual single standard error when the
            limits are symmetric on the logit scale). NaN with no interval.

        Notes
        -----
        ``z`` is the normal quantile of the interval's level (1.959964 for
        95%). The lower side's standard error is ``(logit(rate) -
        logit(lower)) / z``, the upper side's ``(logit(upper) - logit(rate)) /
        z``: read separately, so published limits that are not symmetric
        (rounded, or computed on another scale) are reproduced exactly. See
        ``docs/methods.md``.
        """
        cells = self._cells
        coded = [codes_of(cells[c]) for c in STRATUM]
        _, rep = group_ids([c for c, _ in coded], [len(u) for _, u in coded])
        frame = cells.iloc[rep][[*STRATUM, "rate", "lower", "upper", "interval"]]
        frame = frame.reset_index(drop=True)
        level = self.interval_level or 0.95
        z = normal_quantile(0.5 + level / 2.0)
        rate, low, high = (frame[c].to_numpy(np.float64) for c in ("rate", "lower", "upper"))
        on_logit, se_lower, se_upper = logit_sides(rate, low, high, z)
        has = ~(np.isnan(low) | np.isnan(high))
        frame["scale"] = np.where(has, np.where(on_logit, "logit", "proportion"), "none")
        frame["se_lower"] = se_lower
        frame["se_upper"] = se_upper
        frame["se"] = (se_lower + se_upper) / 2.0
        return frame

    def with_survey_bases(
        self,
        bases: pd.DataFrame | Mapping[tuple[str, str, str], tuple[float, float]],
        confidence: float | None = None,
    ) -> Estimate:
        """Wilson intervals for cells with no published interval, from the survey's bases.

        Parameters
        ----------
        bases : pandas.DataFrame or dict
            The survey's unweighted base (people asked) and its design factor
            or design effect for cells of the rate table, named: a frame with
            columns ``condition, sex, age_band, base`` and either ``deft`` (the
            design factor, as survey tables print it) or ``deff`` (the design
            effect, deft²); or a dict ``{(condition, sex, age_band): {"base":
            n, "deft": f}}`` (or ``"deff"``). Keys are the table's own cells
            (its sex, such as ``persons``, and its age bands). Both are 1 for a
            simple random sample and usually above 1 for a clustered, weighted
            survey such as APMS. The deft must be relative to the **unweighted**
            base given here: APMS 2014's chapter 14 tables print a deft
            relative to the weighted base, so convert it first (deft against
            the unweighted base n is true SE / sqrt(p(1 - p) / n); see
            ``docs/methods.md``). A column named ``design_effect``, or a
            ``(base, number)`` tuple, is refused as ambiguous.
        confidence : float, optional
            The level of the Wilson intervals. For a table of confidence
            intervals it must be the table's level (the default); otherwise it
            defaults to 0.95.

        Returns
        -------
        Estimate
            A cell estimate in which each cell that had no published interval
            but has a base gets ``lower`` and ``upper`` from
            :func:`mhneed.stats.wilson_interval` with effective sample size
            ``n = base / deff`` (= ``base / deft²``) and ``x = rate × n``, its
            ``cases_lower`` and ``cases_upper`` from them, and ``interval`` "95%
            confidence interval (Wilson, from the survey base and design
            effect)". Cells with published limits keep them (a base given for
            one is listed as not used in ``provenance()["survey_bases"]``);
            cells with neither still say "no interval published".
            :meth:`summarise` then combines the Wilson intervals in quadrature
            like published ones; a row mixing both says "(published limits and
            Wilson intervals)".

        Raises
        ------
        CombineError
            When the estimate is summarised or rounded (give the bases to the
            cell estimate), or the table publishes ranges, not confidence
            intervals.
        InputError
            When ``confidence`` differs from the table's level or is not in
            (0, 1), or the bases break a rule (a missing column, a base or
            design effect that is not a positive number, a cell given twice, or
            a cell that is not in the rate table; the message names it).
        """
        if self.by is not None or self.rounding is not None:
            what = self.rounding if self.rounding is not None else "summarised"
            raise CombineError(
                f"with_survey_bases: this estimate is {what}; give the bases to the cell "
                "estimate from mhneed.estimate(), then summarise and round",
                rule="survey bases on cells",
                values=[what],
            )
        if self.interval_kind == "published_range":
            raise CombineError(
                f"with_survey_bases: rate table {self.table.id} publishes ranges (low and "
                "high scenarios); a Wilson interval is a survey confidence interval, and the "
                "two kinds cannot be combined",
                column="interval",
                rule="Wilson intervals for survey rates only",
                values=[self.interval_kind],
            )
        table_level = self.table.meta.level if self.interval_kind == "confidence_interval" else None
        if confidence is None:
            confidence = table_level if table_level is not None else 0.95
        valid = not isinstance(confidence, bool) and isinstance(confidence, (int, float))
        if not valid or not 0.0 < confidence < 1.0:
            raise InputError(
                f"with_survey_bases: confidence={confidence!r} must be strictly between 0 "
                "and 1, such as 0.95",
                column="confidence",
                rule="0 < confidence < 1",
                values=[confidence],
            )
        if table_level is not None and confidence != table_level:
            raise InputError(
                f"with_survey_bases: confidence={confidence:g} differs from rate table "
                f"{self.table.id}'s confidence level {table_level:g}; intervals of different "
                "levels cannot be combined",
                column="confidence",
                rule="confidence equals the table's level",
                values=[confidence],
            )
        cells, record = apply_survey_bases(
            self._cells,
            self.table,
            bases,
            level=float(confidence),
            label=wilson_label(float(confidence)),
        )
        return Estimate._from_engine(
            frame=cells,
            table=self.table,
            coverage=self.coverage,
            keys=self.keys,
            params={
                **self.params,
                "interval_kind": "confidence_interval",
                "interval_level": float(confidence),
                "survey_bases": record,
            },
        )

    def _mixed(self) -> str | None:
        """The label for rows mixing published and Wilson intervals, when bases were given."""
        level = self.interval_level
        if not level:
            return None
        if self.params.get("survey_bases"):
            return mixed_label(level)
        if any(r.interval_method for r in self.table.rows):
            return mixed_methods_label(level)
        return None

    def _prepare(
        self,
        where: str,
        by: Sequence[str],
        groups: Mapping[Any, Any] | pd.DataFrame | None,
    ) -> tuple[list[str], pd.DataFrame | None, pd.DataFrame, list[str]]:
        """The checked ``by`` list, and the cells, coverage and keys with any groups added.

        The cells are ``None`` when no groups are given: the caller takes the
        estimate's own (from its block, or :attr:`_cells`), so that no frame of
        cells is built unless one is needed.
        """
        by_list = _by_list(by, where)
        if self.params.get("summary_only"):
            raise CombineError(
                f"{where}: this estimate was summarised part by part "
                f"(estimate_chunks(..., by={self.by})) and keeps only that summary, not its "
                "cells; to combine it another way, run estimate_chunks with that by",
                rule="re-combine from cells",
                values=list(self.by or []),
            )
        cells, coverage, keys = None, self.coverage, self.keys
        if groups is not None:
            if "group" not in by_list:
                raise InputError(
                    f"{where}(by={by_list}): groups= was given but 'group' is not in by; "
                    "add it, such as by=['group', 'condition']",
                    column="group",
                    rule="by names group when groups are given",
                    values=by_list,
                )
            cells, coverage, keys = with_groups(self._cells, coverage, keys, groups, where)
        allowed = [*keys, *STRATUM]
        unknown = [b for b in by_list if b not in allowed]
        if unknown:
            raise MissingColumnError(
                f"{where}: by column{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(map(repr, unknown))} not in the estimate; choose from "
                f"{', '.join(allowed)}",
                column=unknown[0],
                rule="by columns exist",
                values=unknown,
            )
        if "condition" not in by_list:
            if len(self.conditions) > 1 and not self.table.meta.mutually_exclusive:
                raise CombineError(
                    f"{where}(by={by_list}): without 'condition' in by, counts for "
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
        if groups is None and "area_code" in keys and "area_code" not in by_list:
            check_totals(coverage, by_list, f"{where}(by={by_list})")
        return by_list, cells, coverage, keys

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
            When ``how`` is not "up" or "nearest", or ``to`` is not a number
            from 0.000001 to 1,000,000,000.
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
        if isinstance(to, bool) or not isinstance(to, numbers.Real) or not _finite(to) or to <= 0:
            raise InputError(
                f"round: to={_shown(to)} must be a positive number such as 5 or 10",
                column="to",
                rule="to > 0",
                values=[to],
            )
        if not ROUND_MIN <= to <= ROUND_MAX:  # 1e-300 overflowed to inf, 10**400 raised
            raise InputError(
                f"round: to={_shown(to)} is outside 0.000001 to 1,000,000,000, the bases a "
                "count can be rounded to; round to a count such as 5, 10 or 1,000",
                column="to",
                rule="to in 0.000001..1,000,000,000",
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
            cells=self._cells_data if self._block is not None else self._cells,
            block=self._block,
            by=self.by,
            rounding=f"{words} {base}",
        )


def _by_list(by: object, where: str) -> list[str]:
    """``by`` as a list of column names, each once; anything else is refused."""
    if isinstance(by, str):
        return [by]
    items = list(by) if isinstance(by, Iterable) and not isinstance(by, Mapping) else None
    if items is None or not all(isinstance(b, str) for b in items):
        raise InputError(
            f"{where}: by={by!r} is not a list of column names; give the key columns to "
            "keep, such as by=['area_code', 'condition']",
            column="by",
            rule="by is a list of column names",
            values=[by],
        )
    return list(dict.fromkeys(items))


def _finite(value: numbers.Real) -> bool:
    if isinstance(value, numbers.Integral):
        return True  # however large: 10**400 is refused as out of range, not as infinite
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float, such as 10**400
        return False


def _shown(value: object) -> str:
    """A value for a message, cut short when very long (10**400 has 401 digits)."""
    text = repr(value)
    if len(text) <= 24:
        return text
    return f"{text[:10]}... ({len(text)} characters)"


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


def _counted(cells: pd.DataFrame, count: str) -> pd.DataFrame:
    """Cells with their count column named ``population``, as the interval maths expects."""
    return cells if count == "population" else cells.rename(columns={count: "population"})
