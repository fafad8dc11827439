"""How precise simulate()'s limits are, and how well it reports its own Monte Carlo error.

Run with ``python benchmarks/simulate_precision.py`` (about two minutes). For three
estimates (the skewed two-cell example of ``docs/methods.md``, and two 14-cell
age-by-sex tables over Rutland: limits 0.8 and 1.3 times each rate, and Wilson limits
from 600 people per cell) it runs seeds 0-99 at 20,000 draws and compares each limit
with a reference, the mean of four runs of 1,000,000 draws. It does so three ways:
with the control variate always, never, and as simulate() does (per group and limit,
whichever way the replicates agree better), and reports the error's standard deviation
and worst case [% of the limit], the share of seeds more than 1% off, the mean reported
Monte Carlo error (``cases_*_mc_se``) and how often the error was within two of them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mhneed
import mhneed.engine.simulation as intervals
from mhneed.stats import wilson_interval
from tests.helpers import AGE_BANDS, grid_table, make_table

CHOOSE = intervals._percentiles


def forced(use: bool) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """_percentiles with the control variate always (True) or never (False) used."""

    def percentiles(sums, proxy, proxy_sd, probs, z, edges):  # type: ignore[no-untyped-def]
        q = np.quantile(sums, probs, axis=1, method="hazen")
        if not use:
            return q, np.zeros_like(q)
        q_proxy = np.quantile(proxy, probs, axis=1, method="hazen")
        truth = np.stack([-z * proxy_sd, z * proxy_sd])
        centred = proxy - proxy.mean(axis=1, keepdims=True)
        beta = np.einsum("ij,ij->i", sums, centred) / np.einsum("ij,ij->i", centred, centred)
        return q - beta * (q_proxy - truth), np.zeros_like(q)

    return percentiles


def wilson_grid() -> mhneed.RateTable:
    recs = []
    for s, base in (("female", 2.0), ("male", 1.0)):
        for i, band in enumerate(AGE_BANDS):
            rate = base + i * 0.5
            lo, hi = wilson_interval(rate / 100 * 600, 600, 0.95)
            recs.append(("grid", s, band, rate, 100 * float(lo), 100 * float(hi)))
    return make_table(recs)


def skewed() -> mhneed.RateTable:
    return make_table(
        [("c", "persons", "16-34", 0.8, 0.3, 2.4), ("c", "persons", "35+", 0.5, 0.1, 1.9)]
    )


def run(est: mhneed.Estimate, draws: int, seed: int) -> pd.Series:
    return est.simulate(by=["condition"], draws=draws, seed=seed).to_frame().iloc[0]


def main() -> None:
    people = mhneed.rutland_population()
    cases = {
        "skewed two-cell example": skewed(),
        "14 cells, limits 0.8/1.3 x rate": grid_table(),
        "14 cells, Wilson limits, n=600": wilson_grid(),
    }
    for name, table in cases.items():
        est = mhneed.estimate(people, table)
        reference = pd.concat([run(est, 1_000_000, 1000 + k) for k in range(4)], axis=1)
        print(f"\n{name}")
        for way, fn in (("always", forced(True)), ("never", forced(False)), ("chosen", CHOOSE)):
            intervals._percentiles = fn  # type: ignore[assignment]
            rows = [run(est, 20_000, seed) for seed in range(100)]
            intervals._percentiles = CHOOSE
            for side in ("cases_lower", "cases_upper"):
                ref = reference.loc[side].astype(float).mean()
                got = np.array([float(r[side]) for r in rows])
                err = 100 * (got - ref) / ref
                line = (
                    f"  {way:>6} {side[6:]:>5}: ref {ref:8.2f}  sd {err.std(ddof=1):.3f}%  "
                    f"worst {np.abs(err).max():.3f}%  >1% {np.mean(np.abs(err) > 1):.0%}"
                )
                if way == "chosen":
                    se = np.array([float(r[side + "_mc_se"]) for r in rows])
                    line += (
                        f"  mean mc_se {100 * se.mean() / ref:.3f}%  "
                        f"within 2 mc_se {np.mean(np.abs(got - ref) <= 2 * se):.0%}"
                    )
                print(line, flush=True)


if __name__ == "__main__":
    main()
