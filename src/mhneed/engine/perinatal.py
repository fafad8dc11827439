"""Perinatal estimates: births × published rate per 1,000 maternities → women likely affected.

Local reports estimate how many women in an area are likely to have each
perinatal mental health condition from the number of births: ``births × rate``,
with a low and a high figure where the published rate is a range (JCPMH 2012:
adjustment disorders and distress 150-300 per 1,000 maternities).

:func:`estimate_perinatal` returns the same :class:`~mhneed.engine.results.Estimate`
as :func:`mhneed.estimate`, so it can be summarised, rounded and asked for its
provenance in the same way. Two choices, written down here:

* **The count column is ``births``**, in the estimate frame and the coverage
  report alike (where :func:`mhneed.estimate` says ``population``), because the
  project's vocabulary names counts of births ``births`` and a CSV of perinatal
  estimates should not call 312 births a population. What the births count
  (maternities, live births or deliveries) is recorded as the estimate's
  ``denominator``. :attr:`Estimate.count_column` says which name an estimate
  uses, for code that handles both kinds.
* **The caller must say what the births count** (``denominator=``): rates
  are per 1,000 maternities, and local reports use ONS live births or HES
  deliveries as often. A count that differs from the table's denominator is
  recorded and warned about, never adjusted.
* **A ``maternities`` column is preferred**: a frame with one (women giving
  birth, each counted once: the JCPMH denominator) needs no ``denominator=``,
  and its counts are used even when a ``births`` column is there too. The
  ``births`` column is then checked but not used, and the estimate says so
  (a warning, and a note in every report of it), so no count is dropped
  silently. Every output names the denominator used (see
  ``docs/tutorials/rutland-perinatal.md``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import get_args

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed.engine.cells import keys_frame, tile_categorical
from mhneed.engine.estimate import resolve_conditions, resolve_table
from mhneed.engine.labels import (
    OUT_OF_SCOPE,
    denominator_warning,
    interval_label,
    unused_births_note,
)
from mhneed.engine.results import Estimate
from mhneed.errors import InputError, RateTableError
from mhneed.inputs.births import MATERNITIES, count_column, validate_births
from mhneed.published.rate_models import Denominator
from mhneed.published.rates import RateRow, RateTable

__all__ = ["BIRTH_COUNTS", "estimate_perinatal"]

#: What a count of births can be: the ``denominator`` argument of :func:`estimate_perinatal`.
BIRTH_COUNTS: tuple[str, ...] = tuple(d for d in get_args(Denominator) if d != "persons")

FloatArray = npt.NDArray[np.float64]


def estimate_perinatal(
    births: pd.DataFrame,
    table: RateTable | str = "jcpmh_2012_perinatal",
    *,
    denominator: str | None = None,
    conditions: Sequence[str] | None = None,
) -> Estimate:
    """Estimate how many women giving birth are likely to have each perinatal condition.

    Parameters
    ----------
    births : pandas.DataFrame
        Any key columns (such as ``area_code``, ``year``) and a ``births``
        column [births, of the kind named by ``denominator``], or a
        ``maternities`` column [maternities], or both: one row per key group.
        Counts may be fractional (an average over several years), and must be
        finite and not negative. Validated before any work is done. A
        ``maternities`` column is used when there is one (it is what the JCPMH
        rates are per); a ``births`` column beside it is checked, not used,
        and the estimate says so.
    table : RateTable or str, default "jcpmh_2012_perinatal"
        A rate table whose denominator is births (maternities, live births or
        deliveries), or the id of a shipped one. Each condition must have a
        single rate (one row), applied to every birth.
    denominator : {"maternities", "live_births", "deliveries"}, optional
        What the ``births`` column counts: women giving birth (maternities,
        each woman once however many babies), live births (each baby born
        alive) or hospital deliveries. Required with a ``births`` column
        alone; with a ``maternities`` column it is ``"maternities"`` (and may
        be left out). It is recorded in the estimate's provenance, and a count
        that differs from the table's denominator is warned about (the numbers
        are not adjusted).
    conditions : sequence of str, optional
        Condition ids to estimate; all of the table's by default.

    Returns
    -------
    Estimate
        One row per key group × condition, in key order then table order, with
        the key columns and ``condition, sex, age_band, births, rate, lower,
        upper, cases, cases_lower, cases_upper, interval``: ``births`` [births],
        ``rate``, ``lower``, ``upper`` [proportions], cases [women]. Its
        ``coverage`` has per key group and condition ``births``, ``in_scope``
        (every birth) and ``too_young``, ``too_old``, ``wrong_sex`` (all 0).
        Round it for presentation with :meth:`Estimate.round`.

    Raises
    ------
    InputError
        When ``births`` or ``denominator`` breaks a rule (the message names the
        column, the rule and the offending values and rows), or
        ``denominator`` is not ``"maternities"`` for a frame with a
        ``maternities`` column.
    MissingColumnError
        When ``births`` has neither a ``births`` nor a ``maternities`` column.
    RateTableError
        When the table's denominator is persons (use :func:`mhneed.estimate`),
        or a condition has more than one rate.
    UnknownConditionError
        When a requested condition is not in the table.

    Warns
    -----
    UserWarning
        When ``denominator`` differs from the table's denominator (for example
        live births against rates per 1,000 maternities). The same warning is
        in the estimate's :attr:`~Estimate.warnings`. Also when a
        ``maternities`` column was used and a ``births`` column was not (the
        same sentence is in every report of the estimate).

    Notes
    -----
    For each key group and condition: ``cases = births × rate``,
    ``cases_lower = births × lower`` and ``cases_upper = births × upper``
    [women], with rates as proportions (rate per 1,000 ÷ 1,000). Where the
    table publishes only a range, as JCPMH (2012) does, ``rate`` is the range's
    midpoint, so ``cases`` is the midpoint of ``cases_lower`` and
    ``cases_upper``: a central figure the source does not publish. The range is
    labelled "published range" in ``interval``.

    Conditions overlap (one woman can have several), so the counts for
    different conditions must never be added; the estimate's warnings, frame
    metadata and :meth:`~Estimate.describe` text say so, and
    :meth:`~Estimate.summarise` refuses to.

    References
    ----------
    Joint Commissioning Panel for Mental Health (2012) *Guidance for
    commissioners of perinatal mental health services*.

    Examples
    --------
    Rutland, 2016: 312 women gave birth (Rutland JSNA 2018, Table 1).

    >>> import pandas as pd
    >>> import mhneed
    >>> births = pd.DataFrame({"area": ["Rutland"], "year": [2016], "births": [312]})
    >>> est = mhneed.estimate_perinatal(births, denominator="maternities")
    >>> frame = est.to_frame().set_index("condition")
    >>> frame.loc["adjustment_distress", ["cases_lower", "cases", "cases_upper"]].round(1).tolist()
    [46.8, 70.2, 93.6]
    >>> up = est.round(to=5, how="up").to_frame().set_index("condition")
    >>> up.loc["adjustment_distress", ["cases_lower", "cases_upper"]].tolist()
    [50.0, 95.0]
    >>> up["rounding"].iloc[0]
    'rounded up to a multiple of 5'
    """
    tbl = resolve_table(table)
    _check_table(tbl)
    count = count_column(births)
    given = _check_denominator(denominator, count)
    chosen = resolve_conditions(tbl, conditions)
    keys, values, group, groups, unused = validate_births(births, count)

    counts = np.zeros(len(groups), dtype=np.float64)
    counts[group] = values  # one row per key group (checked)
    rows = [tbl.cells(c)[0] for c in chosen]
    group_idx = np.repeat(np.arange(len(groups)), len(chosen))
    births_col = counts[group_idx]
    est = Estimate._from_engine(
        frame=_cells(tbl, rows, chosen, groups, keys, group_idx, births_col),
        table=tbl,
        coverage=_coverage(chosen, groups, keys, group_idx, births_col),
        keys=keys,
        params={
            "conditions": chosen,
            "denominator": given,
            "ages": None,
            "top_age": None,
            "split_bands": False,
            "banded": False,
            "count_source": count,
            "unused_births": unused,
        },
    )
    mismatch = denominator_warning(given, tbl)
    if mismatch is not None:
        warnings.warn(mismatch, UserWarning, stacklevel=2)
    if unused is not None:
        warnings.warn(unused_births_note(float(values.sum()), unused), UserWarning, stacklevel=2)
    return est


# -- private helpers ---------------------------------------------------------------


def _cells(
    tbl: RateTable,
    rows: list[RateRow],
    chosen: list[str],
    groups: pd.DataFrame,
    keys: list[str],
    group_idx: npt.NDArray[np.int64],
    births_col: FloatArray,
) -> pd.DataFrame:
    """The cell rows: per key group and condition, its births × the condition's one rate."""
    n_groups = len(groups)
    rate = np.array([r.rate for r in rows], dtype=np.float64)
    lower = np.array([np.nan if r.lower is None else r.lower for r in rows], dtype=np.float64)
    upper = np.array([np.nan if r.upper is None else r.upper for r in rows], dtype=np.float64)
    kinds = [interval_label(tbl.meta.interval, tbl.meta.level, r.has_interval) for r in rows]

    frame = keys_frame(groups, keys, group_idx)
    frame["condition"] = tile_categorical(chosen, n_groups)
    frame["sex"] = tile_categorical([r.sex for r in rows], n_groups)
    frame["age_band"] = tile_categorical([r.age_band for r in rows], n_groups)
    frame["births"] = births_col
    frame["rate"] = np.tile(rate, n_groups)
    frame["lower"] = np.tile(lower, n_groups)
    frame["upper"] = np.tile(upper, n_groups)
    frame["cases"] = births_col * frame["rate"].to_numpy()
    frame["cases_lower"] = births_col * frame["lower"].to_numpy()
    frame["cases_upper"] = births_col * frame["upper"].to_numpy()
    frame["interval"] = tile_categorical(kinds, n_groups)
    return frame


def _coverage(
    chosen: list[str],
    groups: pd.DataFrame,
    keys: list[str],
    group_idx: npt.NDArray[np.int64],
    births_col: FloatArray,
) -> pd.DataFrame:
    """The coverage report: every birth in scope, none out of scope."""
    n_groups, n_cond = len(groups), len(chosen)
    coverage = keys_frame(groups, keys, group_idx)
    coverage["condition"] = tile_categorical(chosen, n_groups)
    coverage["births"] = births_col
    coverage["in_scope"] = births_col
    for reason in OUT_OF_SCOPE:
        coverage[reason] = np.zeros(n_groups * n_cond)
    return coverage


def _check_table(table: RateTable) -> None:
    meta = table.meta
    if meta.denominator == "persons":
        raise RateTableError(
            f"rate table {meta.id} has denominator persons, not births; estimate from a "
            "population with mhneed.estimate",
            column="denominator",
            rule="estimate_perinatal() needs a births denominator",
            values=[meta.denominator],
        )
    for cond in meta.conditions:
        cells = table.cells(cond.id)
        if len(cells) != 1:
            shown = ", ".join(f"{r.sex} {r.age_band}" for r in cells)
            raise RateTableError(
                f"rate table {meta.id}: condition {cond.id} has {len(cells)} rates ({shown}); "
                "estimate_perinatal applies one rate per condition to every birth, so each "
                "condition needs exactly one row",
                column="condition",
                rule="one rate per condition",
                values=[cond.id],
            )


def _check_denominator(denominator: object, count: str) -> str:
    allowed = ", ".join(BIRTH_COUNTS)
    if count == MATERNITIES:
        if denominator is None:
            return MATERNITIES
        if isinstance(denominator, str) and _key(denominator) == MATERNITIES:
            return MATERNITIES
        raise InputError(
            f"births frame: denominator {denominator!r} does not describe the maternities "
            "column, which counts maternities and is used when there is one; leave "
            "denominator out (or drop the maternities column to use the births column)",
            column="denominator",
            rule="a maternities column counts maternities",
            values=[denominator],
        )
    if isinstance(denominator, str):
        key = _key(denominator)
        if key in BIRTH_COUNTS:
            return key
    if denominator is None:
        raise InputError(
            f"denominator is not given: say what the births column counts ({allowed}), or give "
            "maternities in a column named maternities",
            column="denominator",
            rule="denominator given",
            values=[denominator],
        )
    hint = ""
    if isinstance(denominator, str) and denominator.strip().lower() in ("persons", "population"):
        hint = "; for a population use mhneed.estimate"
    raise InputError(
        f"denominator {denominator!r} is not one of {allowed}: say what the births column "
        f"counts{hint}",
        column="denominator",
        rule=f"denominator in {allowed}",
        values=[denominator],
    )


def _key(text: str) -> str:
    return text.strip().lower().replace(" ", "_").replace("-", "_")
