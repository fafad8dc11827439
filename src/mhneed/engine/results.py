"""The result of an estimate: a tidy frame that knows where its numbers came from.

An :class:`Estimate` holds the estimate frame, the rate table that produced
it, the coverage report (everyone in the input is in scope or counted out of
scope by reason), and how it was made. It can be summarised (combining cells
by the rules for each kind of range), rounded (a presentation step, applied
last) and asked for its provenance.

The class keeps the result and thin methods; the work is done by functions in
modules named for it: the ``by`` checks and groups of areas in
:mod:`~mhneed.engine.grouping`, combining cells in :mod:`~mhneed.engine.intervals`
(and straight from the cell arrays in :mod:`~mhneed.engine.cells`), simulated
limits in :mod:`~mhneed.engine.simulation`, Wilson intervals in
:mod:`~mhneed.engine.survey_bases`, rounding in :mod:`~mhneed.engine.rounding`, and
provenance, description and warnings in :mod:`~mhneed.engine.provenance`.
"""

# size: the public methods keep their numpydoc docstrings (about 340 of these lines);
# the code is thin methods that check arguments and call the engine's functions.

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from mhneed.engine.cells import CellBlock, combine_block
from mhneed.engine.grouping import prepare
from mhneed.engine.intervals import combine, counted, standard_errors
from mhneed.engine.labels import NO_INTERVAL, mixed_label, mixed_methods_label, wilson_label
from mhneed.engine.provenance import describe, estimate_warnings, provenance
from mhneed.engine.rounding import check_rounding, refuse_rounded, rounded_frame, rounding_label
from mhneed.engine.simulation import check_simulation, simulated_summary
from mhneed.engine.survey_bases import apply_survey_bases, check_survey_bases
from mhneed.published.rates import RateTable

__all__ = ["Estimate"]


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
        return estimate_warnings(self.table, self.params)

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
        return provenance(self)

    def describe(self) -> str:
        """A plain-text account of the estimate: table, sources, scope, coverage, caveats."""
        return describe(self)

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
        refuse_rounded(
            self.rounding,
            "summarising rounded figures adds up rounding errors: summarise the unrounded "
            "estimate first, then round",
            "summarise before rounding",
        )
        by_list, cells, coverage, keys = prepare(self, "summarise", by, groups)
        count = self.count_column
        out = None
        if cells is None and self._block is not None:
            out = combine_block(
                self._block, by_list, self.interval_kind, NO_INTERVAL, mixed=self._mixed()
            )
        if out is None:
            cells = self._cells if cells is None else cells
            out = combine(
                counted(cells, count),
                by_list,
                self.interval_kind,
                NO_INTERVAL,
                mixed=self._mixed(),
            )
        if count != "population":
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
        refuse_rounded(
            self.rounding,
            "simulate from the unrounded estimate, then round",
            "simulate before rounding",
        )
        draws, seed = check_simulation(draws, seed, kind=self.interval_kind, table_id=self.table.id)
        by_list, grouped, coverage, keys = prepare(self, "simulate", by, groups)
        cells = self._cells if grouped is None else grouped
        level = self.interval_level or 0.95
        out = simulated_summary(
            cells,
            by_list,
            count=self.count_column,
            kind=self.interval_kind,
            mixed=self._mixed(),
            level=level,
            draws=draws,
            seed=seed,
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
        return standard_errors(self._cells, self.interval_level)

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
        level = check_survey_bases(
            confidence,
            by=self.by,
            rounding=self.rounding,
            kind=self.interval_kind,
            table=self.table,
        )
        cells, record = apply_survey_bases(
            self._cells, self.table, bases, level=level, label=wilson_label(level)
        )
        return Estimate._from_engine(
            frame=cells,
            table=self.table,
            coverage=self.coverage,
            keys=self.keys,
            params={
                **self.params,
                "interval_kind": "confidence_interval",
                "interval_level": level,
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
        check_rounding(to, how, self.rounding)
        return Estimate._from_engine(
            frame=rounded_frame(self._frame, to, how),
            table=self.table,
            coverage=self.coverage,
            keys=self.keys,
            params=self.params,
            cells=self._cells_data if self._block is not None else self._cells,
            block=self._block,
            by=self.by,
            rounding=rounding_label(to, how),
        )
