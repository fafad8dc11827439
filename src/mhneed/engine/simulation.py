"""Simulated confidence limits: the strata's rates drawn, the groups' percentiles taken.

:meth:`Estimate.simulate <mhneed.engine.results.Estimate.simulate>` summarises an
estimate as :func:`~mhneed.engine.intervals.combine` does, then replaces each group's
analytic limits with percentiles of simulated cases (:func:`simulated_summary`). Each
stratum's rate is drawn once per draw for the whole estimate, so every area in a draw
uses the same national rate; the draws are :data:`REPLICATES` independent Latin
hypercubes (:func:`_latin_normal`), whose spread measures each limit's Monte Carlo
error; each limit is estimated plainly and with a control variate, keeping the one
whose replicates agree better (:func:`_percentiles`). See ``docs/methods.md``.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._group_ids import group_ids
from mhneed.engine.intervals import (
    Strata,
    combine,
    counted,
    logit,
    logit_sides,
    stratum_sums,
    sum_by,
)
from mhneed.engine.labels import NO_INTERVAL, simulated_label
from mhneed.errors import CombineError, InputError
from mhneed.stats import normal_quantile

__all__ = ["REPLICATES", "check_simulation", "simulate_limits", "simulated_summary"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Largest block of simulated values held at once [float64 elements] (32 MB).
_BLOCK = 1 << 22

#: Independent Latin hypercubes a simulation is made of; their spread measures
#: each simulated limit's Monte Carlo error.
REPLICATES = 10


def check_simulation(draws: int, seed: int | None, *, kind: str, table_id: str) -> tuple[int, int]:
    """The number of draws and the seed, checked (a seed chosen when none is given).

    Raises
    ------
    CombineError
        When the table publishes ranges (``kind`` ``published_range``), not
        confidence intervals: there is no sampling distribution to draw from.
    InputError
        When ``draws`` is not a whole number from 100 to 1,000,000, or ``seed`` is
        not a whole number, 0 or more (numpy integers are accepted for both).
    """
    if kind == "published_range":
        raise CombineError(
            f"simulate: rate table {table_id} publishes ranges (a low and a high "
            "scenario), not confidence intervals, so there is no sampling distribution "
            "to draw from; use summarise(), which adds the ranges bound to bound",
            column="interval",
            rule="simulate confidence intervals only",
            values=[kind],
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
    return draws, seed


def simulated_summary(
    cells: pd.DataFrame,
    by: list[str],
    *,
    count: str,
    kind: str,
    mixed: str | None,
    level: float,
    draws: int,
    seed: int,
) -> pd.DataFrame:
    """Cells combined into one row per ``by`` group, with simulated limits.

    The rows of :func:`~mhneed.engine.intervals.combine` (``count`` names the
    cells' count column, ``population`` or ``births``), with ``cases_lower`` and
    ``cases_upper`` replaced by the :func:`simulate_limits` at ``level`` from
    ``draws`` draws of ``numpy.random.default_rng(seed)``, each followed by its
    Monte Carlo standard error (``cases_lower_mc_se``, ``cases_upper_mc_se``), and
    the ``interval`` label saying the limits were simulated.
    """
    cells = counted(cells, count)
    out = combine(cells, by, kind, NO_INTERVAL, mixed=mixed)
    out = out.rename(columns={"population": count})
    lower, upper, lower_se, upper_se = simulate_limits(
        cells,
        by,
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
    return out


def simulate_limits(
    cells: pd.DataFrame,
    by: list[str],
    *,
    level: float,
    z: float,
    draws: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Simulated confidence limits of the cases in each ``by`` group, with their Monte Carlo error.

    Each stratum's rate is drawn ``draws`` times, once per draw for the whole
    estimate, so every area and group in a draw uses the same national rate.
    A draw is ``expit(logit(rate) + Z × se)`` with ``Z`` standard normal and
    ``se`` the lower side's standard error when ``Z < 0``, the upper side's
    otherwise (:func:`logit_sides`); cells whose rate or limits are 0 or 1 are
    drawn the same way on the proportion scale and clipped to [0, 1]. Either
    way a single stratum's percentiles are its published limits. A group's
    cases in a draw are the sum over its strata of population × drawn rate; its
    limits are the ``(1 - level) / 2`` and ``(1 + level) / 2`` percentiles over
    the draws.

    The draws are :data:`REPLICATES` independent Latin hypercubes
    (:func:`_latin_normal`), so the spread of a limit over the replicates
    measures its Monte Carlo error; each limit of each group is estimated both
    plainly and with a control variate, and the one whose replicates agree
    better is kept (:func:`_percentiles`).

    Parameters
    ----------
    cells : pandas.DataFrame
        Cell rows, as for :func:`combine`.
    by : list of str
        The grouping columns.
    level : float
        The confidence level of the published intervals.
    z : float
        The normal quantile at ``(1 + level) / 2``.
    draws : int
        The number of draws (at least :data:`REPLICATES`).
    rng : numpy.random.Generator
        The source of the draws.

    Returns
    -------
    lower, upper : numpy.ndarray
        Per group, in the order :func:`combine` returns them [persons]; NaN
        where a group has a stratum with no interval.
    lower_se, upper_se : numpy.ndarray
        Each limit's Monte Carlo standard error [persons]: the standard
        deviation of the limit over the replicates over ``sqrt(REPLICATES)``;
        0 for a group with people in one stratum only, whose limits are the
        published limits exactly; NaN with no interval.
    """
    st = stratum_sums(cells, by)
    t_of, rate, low, high = _table_strata(cells, st)
    missing = np.isnan(low) | np.isnan(high)
    normal, edges = _latin_normal(rng, len(rate), draws)
    low, high = np.where(missing, rate, low), np.where(missing, rate, high)
    drawn = _draw_rates(rate, low, high, z, normal)
    # the control variate's slope per stratum: the mean of the two sides' standard
    # errors in persons per person (rate units)
    slope = (high - low) / (2.0 * z)

    probs = [(1.0 - level) / 2.0, (1.0 + level) / 2.0]
    limits = np.empty((2, st.n_groups))
    errors = np.zeros((2, st.n_groups))
    counts = np.bincount(st.owner, minlength=st.n_groups)
    order = np.argsort(st.owner, kind="stable")  # strata grouped, groups in order
    # a group with people in one stratum (or none): population × that stratum's published
    # limits, which are its percentiles exactly (one stratum's draws reproduce them)
    peopled = np.bincount(st.owner, weights=(st.pop > 0).astype(np.float64), minlength=st.n_groups)
    single = np.flatnonzero(peopled <= 1)
    if len(single):
        for side, limit in enumerate((low, high)):
            limits[side, single] = sum_by(st.owner, st.pop * limit[t_of], st.n_groups)[single]
    # groups of several strata: population × drawn rate summed, a block of groups at a time
    is_multi = peopled > 1
    multi = np.flatnonzero(is_multi)
    if len(multi):
        strata = order[is_multi[st.owner[order]]]  # their strata, group by group
        bounds = np.concatenate([[0], np.cumsum(counts[multi])])
        per_block = max(1, _BLOCK // (2 * max(draws, 1)))  # groups per block
        for a in range(0, len(multi), per_block):
            b = min(a + per_block, len(multi))
            idx = strata[bounds[a] : bounds[b]]
            row = np.repeat(np.arange(b - a), counts[multi[a:b]])
            used, col = np.unique(t_of[idx], return_inverse=True)
            # population of each (group, stratum) in the block: a small dense matrix
            weights = np.zeros((b - a, len(used)))
            weights[row, col] = st.pop[idx]
            sums = weights @ drawn[used]
            scaled = weights * slope[used]
            proxy = scaled @ normal[used]
            proxy_sd = np.sqrt((scaled**2).sum(axis=1))
            q, se = _percentiles(sums, proxy, proxy_sd, probs, z, edges)
            limits[:, multi[a:b]] = q
            errors[:, multi[a:b]] = se
    any_missing = np.bincount(
        st.owner, weights=missing[t_of].astype(np.float64), minlength=st.n_groups
    )
    limits[:, any_missing > 0] = np.nan
    errors[:, any_missing > 0] = np.nan
    return limits[0], limits[1], errors[0], errors[1]


# -- private helpers ---------------------------------------------------------------


def _table_strata(
    cells: pd.DataFrame, st: Strata
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray]:
    """Per stratum of ``st`` its table stratum, and per table stratum its rate and limits.

    The table strata are every (condition, sex, age_band) of the estimate, numbered
    the same way whatever the grouping, so one seed gives one set of national rates.
    """
    t_row, t_rep = group_ids(st.stratum_codes, st.stratum_sizes)
    t_of = t_row[st.rep]
    rate = cells["rate"].to_numpy(np.float64)[t_rep]
    low = cells["lower"].to_numpy(np.float64)[t_rep]
    high = cells["upper"].to_numpy(np.float64)[t_rep]
    return t_of, rate, low, high


def _percentiles(
    sums: FloatArray,
    proxy: FloatArray,
    proxy_sd: FloatArray,
    probs: list[float],
    z: float,
    edges: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """Percentiles of each row of ``sums`` and their Monte Carlo errors.

    Each percentile is estimated two ways from the pooled draws: plainly, and
    corrected with a control variate. ``proxy`` is a normal variable made from
    the same draws (each stratum's normal value × its population × its mean
    standard error), so its true percentiles are known, ``∓ z × proxy_sd``; the
    corrected percentile subtracts ``β`` times the proxy's simulated
    percentile's error, ``β`` the regression slope of the sums on the proxy
    (Hesterberg and Nelson 1998). The correction helps where the sums are close
    to normal and can hurt in a skewed tail, so each way is also computed in
    every replicate (the draws between consecutive ``edges``), and for each
    group and limit the way whose replicates spread less is kept, with that
    spread (their standard deviation over ``sqrt(replicates)``) as its error.
    """
    q = np.quantile(sums, probs, axis=1, method="hazen")  # (2, groups)
    q_proxy = np.quantile(proxy, probs, axis=1, method="hazen")
    truth = np.stack([-z * proxy_sd, z * proxy_sd])
    centred = proxy - proxy.mean(axis=1, keepdims=True)
    var = np.einsum("ij,ij->i", centred, centred)
    cov = np.einsum("ij,ij->i", sums, centred)  # the sums' mean drops out against centred
    beta = np.where(var > 0, cov / np.where(var > 0, var, 1.0), 0.0)
    reps = len(edges) - 1
    plain_r = np.empty((reps, *q.shape))
    cv_r = np.empty((reps, *q.shape))
    for r in range(reps):
        part = slice(int(edges[r]), int(edges[r + 1]))
        plain_r[r] = np.quantile(sums[:, part], probs, axis=1, method="hazen")
        proxy_r = np.quantile(proxy[:, part], probs, axis=1, method="hazen")
        cv_r[r] = plain_r[r] - beta * (proxy_r - truth)
    se_plain = plain_r.std(axis=0, ddof=1) / math.sqrt(reps)
    se_cv = cv_r.std(axis=0, ddof=1) / math.sqrt(reps)
    # clearly better only (a relative margin far above rounding), so that scaling every
    # population by k, or a tie, never flips the choice
    use_cv = se_cv + 1e-9 * np.abs(q) < se_plain * (1.0 - 1e-6)
    best = np.where(use_cv, q - beta * (q_proxy - truth), q)
    return np.asarray(best, dtype=np.float64), np.where(use_cv, se_cv, se_plain)


@lru_cache(maxsize=4)
def _normal_scores(n: int) -> FloatArray:
    """The ``n`` normal quantiles ``Φ⁻¹((k + ½) / n)``, ``k = 0 .. n - 1`` (read-only)."""
    half = np.array([normal_quantile((k + 0.5) / n) for k in range(n // 2)])
    middle = np.zeros(n % 2)
    scores = np.concatenate([half, middle, -half[::-1]])
    scores.setflags(write=False)
    return scores


def _latin_normal(rng: np.random.Generator, strata: int, draws: int) -> tuple[FloatArray, IntArray]:
    """Standard normal draws: :data:`REPLICATES` independent Latin hypercubes side by side.

    The draws are split into :data:`REPLICATES` replicates as evenly as they
    go (``edges`` marks where each starts and ends). In replicate ``r`` of
    ``m`` draws, row ``t`` (stratum ``t``) holds the ``m`` normal quantiles at
    ``(k + ½) / m`` in an order shuffled by ``rng``, independently for each row
    and replicate. Each stratum's draws are then spread as a normal sample
    should be, which takes the sampling noise out of one stratum's percentiles
    and most of it out of a sum's; the replicates are independent, so how much
    a percentile differs between them measures its Monte Carlo error.
    """
    reps = min(REPLICATES, draws)
    sizes = np.full(reps, draws // reps)
    sizes[: draws % reps] += 1
    edges = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    parts = [
        rng.permuted(np.broadcast_to(_normal_scores(int(m)), (strata, int(m))), axis=1)
        for m in sizes
    ]
    return np.asarray(np.concatenate(parts, axis=1), dtype=np.float64), edges


def _draw_rates(
    rate: FloatArray, lower: FloatArray, upper: FloatArray, z: float, normal: FloatArray
) -> FloatArray:
    """Rates drawn from standard normal values: two-sided, on the logit scale where it can be."""
    on_logit, se_lower, se_upper = logit_sides(rate, lower, upper, z)
    below = normal < 0
    se = np.where(below, se_lower[:, None], se_upper[:, None])
    out = np.empty_like(normal)
    lg = np.flatnonzero(on_logit)
    if len(lg):
        eta = logit(rate[lg])[:, None] + normal[lg] * se[lg]
        out[lg] = 1.0 / (1.0 + np.exp(-eta))
    pr = np.flatnonzero(~on_logit)
    if len(pr):
        out[pr] = np.clip(rate[pr, None] + normal[pr] * se[pr], 0.0, 1.0)
    return out
