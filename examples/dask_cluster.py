"""Estimate on a dask.distributed cluster of worker processes, and check it against pandas.

A population too large for one process can be estimated partition by partition
on a Dask cluster: ``mhneed.estimate`` accepts a Dask DataFrame, runs the
ordinary pandas code on each partition on the workers, and brings the (smaller)
results back as one ordinary estimate. This script starts a
``dask.distributed.LocalCluster`` of worker processes on this machine (the same
code runs on a real cluster: pass its scheduler's address to ``Client``), builds an
LSOA-like population on the workers, a block of areas per partition, estimates
it there, summarises it by condition and by area, and checks that the numbers
equal the plain pandas path's exactly. It prints both timings and says which
was faster.

The rule that makes this correct: **each key group (here an area) lies wholly in
one partition.** Here every partition is built from its own block of areas, as
when each partition is read from one file per region; a frame partitioned some
other way must be shuffled on its key columns first
(``population.shuffle(on=["area_code"])``), or mhneed stops with an error naming
the groups that span partitions (never a double count).

::

    pip install "mhneed[distributed]"     # dask.dataframe and dask.distributed
    python examples/dask_cluster.py                       # 2,000 areas, 2 worker processes
    python examples/dask_cluster.py --size 20000 --partitions 16 --workers 2
    python examples/dask_cluster.py --scheduler tcp://scheduler:8786   # a running cluster

The population is synthetic (fixed seed): each area's people by sex and single
year of age drawn around England's mid-2014 profile (ONS MYE2, in
``examples/data``), about 1,600 people an area, as an England LSOA. Exits 1 if
any number differs between the two paths.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import itertools
import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import mhneed

HERE = Path(__file__).resolve().parent
MYE2 = HERE / "data" / "ons_mye2_2014"
MEAN_AREA = 1_609  # England mid-2014: 54,316,618 people / 33,755 LSOAs
NUMBERS = ["population", "cases", "cases_lower", "cases_upper"]


def england_profile() -> list[list[float]]:
    """England's mid-2014 share of people in each (sex, age 0..90) cell, from ONS MYE2."""
    people = mhneed.read_ons_mye2([MYE2 / "UK females-Table 1.csv", MYE2 / "UK males-Table 1.csv"])
    england = people[people["area_code"] == "E92000001"].sort_values(["sex", "age"])
    shares = england["population"].to_numpy(np.float64)
    shares = shares / shares.sum()
    return [shares[:91].tolist(), shares[91:].tolist()]


def area_codes(size: int) -> list[str]:
    """Made-up LSOA-like codes, one per area."""
    return [f"E01{i:06d}" for i in range(size)]


def make_part(block: tuple[int, int], size: int, profile: list[list[float]]) -> pd.DataFrame:
    """The population of areas ``block[0]`` to ``block[1] - 1``: sex, age 0-90, people.

    Runs on a worker. Each area's numbers come from a generator seeded by the
    area itself, so the population is the same however the areas are blocked.
    """
    first, stop = block
    ages = np.arange(91)
    base = np.asarray(profile)
    counts = np.empty((stop - first, 2, 91))
    for i, area in enumerate(range(first, stop)):
        rng = np.random.default_rng([2014, area])
        tilt = rng.normal(0, 0.25)  # areas differ: some younger, some older
        weights = base * np.exp(tilt * (ages - 40) / 40)
        people = rng.lognormal(np.log(MEAN_AREA), 0.15)
        counts[i] = rng.poisson(weights / weights.sum() * people)
    n = stop - first
    return pd.DataFrame(
        {
            "area_code": pd.Categorical.from_codes(
                np.repeat(np.arange(first, stop), 182), categories=pd.Index(area_codes(size))
            ),
            "sex": pd.Categorical.from_codes(
                np.tile(np.repeat([0, 1], 91), n), categories=pd.Index(["female", "male"])
            ),
            "age": np.tile(ages, 2 * n).astype(np.int64),
            "population": counts.reshape(-1),
        }
    )


def blocks(size: int, partitions: int) -> list[tuple[int, int]]:
    """Split areas 0..size-1 into contiguous blocks, one per partition."""
    edges = np.linspace(0, size, min(partitions, size) + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges)]


def summaries(est: mhneed.Estimate) -> dict[str, pd.DataFrame]:
    """The estimate summarised by condition (all areas) and by area and condition."""
    return {
        "condition": est.summarise(by=["condition"]).to_frame(),
        "area_code, condition": est.summarise(by=["area_code", "condition"]).to_frame(),
    }


def largest_difference(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> float:
    """The largest absolute difference in any number of any summary (inf if rows differ)."""
    worst = 0.0
    for by, frame in want.items():
        keys = [k.strip() for k in by.split(",")]
        a = got[by].sort_values(keys).reset_index(drop=True)
        b = frame.sort_values(keys).reset_index(drop=True)
        if len(a) != len(b) or not (a[keys].astype(str) == b[keys].astype(str)).all().all():
            return float("inf")
        for col in NUMBERS:
            diff = np.abs(a[col].to_numpy(np.float64) - b[col].to_numpy(np.float64))
            if np.isnan(diff).any() and not np.array_equal(
                np.isnan(a[col].to_numpy(np.float64)), np.isnan(b[col].to_numpy(np.float64))
            ):
                return float("inf")
            worst = max(worst, float(np.nanmax(diff)) if len(diff) else 0.0)
    return worst


def run(args: argparse.Namespace) -> int:
    """Start the cluster, estimate on it and in this process, compare and report."""
    dd: Any = importlib.import_module("dask.dataframe")  # untyped: imported as Any
    distributed: Any = importlib.import_module("dask.distributed")
    profile = england_profile()
    parts = blocks(args.size, args.partitions)
    table = mhneed.load_table(args.table)
    rows = args.size * 182
    print(
        f"Population: {args.size:,} areas × 2 sexes × 91 ages = {rows:,} rows, in "
        f"{len(parts)} partitions of whole areas; table {table.meta.id} "
        f"({len(table.conditions)} conditions)."
    )
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        if args.scheduler:  # a running cluster: its workers need mhneed installed
            client = stack.enter_context(distributed.Client(args.scheduler))
            workers = len(client.scheduler_info()["workers"])
            where = f"the cluster at {args.scheduler}, {workers} workers"
        else:
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=args.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(distributed.Client(cluster))
            where = f"{args.workers} worker processes × 1 thread"
        started = time.perf_counter() - start
        print(f"Cluster: {where}, {'reached' if args.scheduler else 'started'} in {started:.1f} s.")
        client.run(importlib.import_module, "mhneed")  # as on a long-running cluster
        meta = make_part((0, 0), args.size, profile)
        population: Any = dd.from_map(make_part, parts, size=args.size, profile=profile, meta=meta)
        tick = time.perf_counter()
        population = population.persist()  # build the partitions on the workers, and keep them
        distributed.wait(population)
        built = time.perf_counter() - tick
        print(f"  partitions built on the workers in {built:.2f} s")
        tick = time.perf_counter()
        on_cluster = summaries(mhneed.estimate(population, table, top_age=90))
        cluster_time = time.perf_counter() - tick
        client.cancel(population)
    frame = pd.concat([make_part(b, args.size, profile) for b in parts], ignore_index=True)
    tick = time.perf_counter()
    in_process = summaries(mhneed.estimate(frame, table, top_age=90))
    pandas_time = time.perf_counter() - tick
    return report(args, on_cluster, in_process, cluster_time, pandas_time)


def report(
    args: argparse.Namespace,
    on_cluster: dict[str, pd.DataFrame],
    in_process: dict[str, pd.DataFrame],
    cluster_time: float,
    pandas_time: float,
) -> int:
    """Print the timings, a summary, the comparison and when a cluster pays; 1 if they differ."""
    totals = in_process["condition"].set_index("condition")
    print("\nAll areas, first conditions (cases with their 95% confidence interval):")
    for cond, row in totals.head(5).iterrows():
        print(
            f"  {cond:<28} {row['cases']:>12,.0f}  "
            f"({row['cases_lower']:,.0f}–{row['cases_upper']:,.0f})"
        )
    print("\nEstimate and summarise by condition and by area (the population already in memory):")
    print(f"  pandas, this process:          {pandas_time:8.2f} s")
    print(f"  dask.distributed cluster:      {cluster_time:8.2f} s")
    worst = largest_difference(on_cluster, in_process)
    areas = len(in_process["area_code, condition"])
    print(
        f"\nLargest difference between the two, over {len(totals)} condition totals and "
        f"{areas:,} area-by-condition rows (population, cases, lower, upper): {worst:g}"
    )
    if worst != 0:
        print("The cluster's numbers differ from the pandas path's: this is a bug.")
        return 1
    print("The numbers are identical.")
    if cluster_time > pandas_time:
        print(
            f"The cluster was slower here ({cluster_time / pandas_time:.1f} times the pandas "
            "time). In one process mhneed estimates millions of rows a second; through the "
            "cluster, every partition's estimate (a row per area and rate cell, larger than the "
            "population) is sent back to this process and put together before it is summarised, "
            "and the workers share this machine's cores. A cluster pays when the population is "
            "too large, or too slow to read, for one machine and several machines read and "
            "estimate its partitions at once, while the estimate still fits in this process. On "
            "one machine, mhneed.estimate_chunks(parts, table, by=[...]) holds one part at a "
            "time and keeps only the summaries, with no cluster."
        )
    else:
        print(
            f"The cluster was faster here ({pandas_time / cluster_time:.1f} times): its "
            "processes estimated partitions side by side."
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run; a clear message if dask.distributed is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=2_000, help="areas (default: %(default)s)")
    parser.add_argument(
        "--partitions", type=int, default=8, help="partitions (default: %(default)s)"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes (default: %(default)s)"
    )
    parser.add_argument(
        "--table",
        default=mhneed.published.tables.DEFAULT_TABLE,
        help="rate table (default: %(default)s)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="use a running cluster (such as tcp://host:8786) instead of starting one here",
    )
    args = parser.parse_args(argv)
    if args.size < 1 or args.partitions < 1 or args.workers < 1:
        parser.error("--size, --partitions and --workers must be at least 1")
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        print(
            f"This example needs dask.dataframe and dask.distributed ({exc}): "
            'pip install "mhneed[distributed]"',
            file=sys.stderr,
        )
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
