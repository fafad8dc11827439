"""National-scale benchmark: mhneed against naive pandas and a numpy floor, in one run.

Synthesises an England-scale LSOA population (33,755 areas × 91 single years of
age × 2 sexes ≈ 6.1 million rows; fixed seed), with each area's age and sex
profile drawn around England's real mid-2014 profile (ONS MYE2, read from the
test fixture with ``mhneed.read_ons_mye2``) and area sizes around England's
mean of about 1,600 people. Then, for ``apms_2014`` (national rates by sex) and
``apms_2007_psychosis`` (a 14-cell age-by-sex table), it times

(a) mhneed: validation, ``estimate`` and ``summarise(by=["area_code", "condition"])``
    with ranges;
(b) the naive pandas an analyst would write: cut ages into bands, merge the rate
    table on sex and band, multiply, group by;
(c) a numpy floor: band codes with ``searchsorted``, population per cell with
    ``bincount``, a broadcast multiply; no validation, no frames;

checks that all three give the same numbers, and prints the times, the ratios
naive/mhneed and mhneed/floor, rows per second and peak memory (traced in a
separate, untimed pass). It repeats at 10% of national size, at 2.0 million rows
(11,000 areas) and at 100% to show how time grows, and runs a 25-year projection
one year at a time with ``mhneed.estimate_chunks``, timing the engine apart from
making each year's population.

Run from the project root::

    python benchmarks/national.py            # full national size, 25-year projection
    python benchmarks/national.py --small    # a quick check (CI runs this)
    python benchmarks/national.py --profile  # where the time goes (cProfile, top costs)

Times are the best of ``--repeat`` runs (at least nine for mhneed, whose runs are short);
no figure here is asserted anywhere.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import mhneed
from mhneed.published.rates import RateTable

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "ons_mye2_2014"
N_LSOA = 33_755
MEAN_LSOA = 1_609  # England mid-2014: 54,316,618 people / 33,755 LSOAs (rounded)
TABLES = ("apms_2014_by_age_sex", "apms_2014", "apms_2007_psychosis")
#: Sizes compared: 10% of England's LSOAs, 2.0 million rows (the size issue 17 names),
#: and all of England.
SIZES = {"10%": N_LSOA // 10, "2.0M rows": 11_000, "100%": N_LSOA}
#: Timed runs of mhneed at least (best of them): cheap, and steadier ratios at 10%.
MHNEED_REPEAT = 9


# -- the synthetic population --------------------------------------------------------


def england_profile() -> np.ndarray:
    """England's mid-2014 share of people in each (sex, age 0..90) cell, shape (2, 91)."""
    frames = [mhneed.read_ons_mye2(FIXTURE / f"UK {s}-Table 1.csv") for s in ("females", "males")]
    profile = np.zeros((2, 91))
    for i, frame in enumerate(frames):
        england = frame[frame["area_code"] == "E92000001"].sort_values("age")
        profile[i] = england["population"].to_numpy(np.float64)
    return profile / profile.sum()


def synthesise(n_areas: int, seed: int = 2014, year: int | None = None) -> pd.DataFrame:
    """An LSOA-like population: categorical area codes, sex, single years 0-90 (90 = 90+)."""
    rng = np.random.default_rng(seed)
    profile = england_profile()
    sizes = rng.lognormal(np.log(MEAN_LSOA), 0.15, size=n_areas)
    tilt = rng.normal(0, 0.25, size=n_areas)  # areas differ: some younger, some older
    ages = np.arange(91)
    weights = profile[None, :, :] * np.exp(tilt[:, None, None] * (ages - 40) / 40)
    weights /= weights.sum(axis=(1, 2), keepdims=True)
    counts = rng.poisson(weights * sizes[:, None, None]).astype(np.float64)
    codes = pd.Categorical.from_codes(
        np.repeat(np.arange(n_areas), 182), categories=[f"E01{i:06d}" for i in range(n_areas)]
    )
    frame = pd.DataFrame(
        {
            "area_code": codes,
            "sex": pd.Categorical.from_codes(
                np.tile(np.repeat([0, 1], 91), n_areas), categories=["female", "male"]
            ),
            "age": np.tile(np.tile(ages, 2), n_areas).astype(np.int64),
            "population": counts.reshape(-1),
        }
    )
    if year is not None:
        frame.insert(1, "year", year)
    frame.attrs["top_age"] = 90
    return frame


# -- the three approaches -----------------------------------------------------------


def run_mhneed(pop: pd.DataFrame, table: RateTable) -> pd.DataFrame:
    """mhneed, validation included: estimate then summarise by area and condition."""
    est = mhneed.estimate(pop, table)
    return est.summarise(by=["area_code", "condition"]).to_frame()


def _cell_sets(table: RateTable) -> list[tuple[list[str], pd.DataFrame]]:
    """Conditions that share one set of (sex, band) cells, with their rows (persons → both)."""
    rows = table.to_frame()
    rows["stratum_sex"] = rows["sex"]  # a persons rate is one stratum for both sexes
    persons = rows[rows["sex"] == "persons"]
    rows = pd.concat(
        [rows[rows["sex"] != "persons"], persons.assign(sex="female"), persons.assign(sex="male")]
    )
    sets: dict[tuple[str, ...], list[str]] = {}
    for cond, part in rows.groupby("condition", sort=False):
        sets.setdefault(tuple(sorted(set(part["age_band"]))), []).append(str(cond))
    return [(conds, rows[rows["condition"].isin(conds)]) for conds in sets.values()]


def _edges(bands: list[str]) -> tuple[list[int], list[str]]:
    parsed = sorted((mhneed.AgeBand.parse(b), b) for b in bands)
    edges = [b.lower for b, _ in parsed]
    last = parsed[-1][0]
    edges.append(200 if last.upper is None else last.upper + 1)
    return edges, [label for _, label in parsed]


#: The most rows one merge may make: the naive approach merges a set of conditions at a
#: time, as many as keep the merged frame within this (at full national size with the
#: default table, merging every condition at once needs more than 24 GB).
NAIVE_MERGE_ROWS = 50_000_000


def _naive_batches(pop: pd.DataFrame, table: RateTable) -> list[pd.DataFrame]:
    """The rate rows the naive approach merges at once: cell sets, split to fit memory."""
    per_batch = max(1, NAIVE_MERGE_ROWS // max(len(pop), 1))
    batches = []
    for conds, rows in _cell_sets(table):
        for i in range(0, len(conds), per_batch):
            batches.append(rows[rows["condition"].isin(conds[i : i + per_batch])])
    return batches


def run_naive(pop: pd.DataFrame, table: RateTable) -> pd.DataFrame:
    """What an analyst writes by hand: cut, merge, multiply, group by."""
    out = []
    for rows in _naive_batches(pop, table):
        edges, labels = _edges(list(set(rows["age_band"])))
        df = pop.copy()
        df["age_band"] = pd.cut(df["age"], bins=edges, right=False, labels=labels)
        df = df.dropna(subset=["age_band"])
        df["age_band"] = df["age_band"].astype(str)
        df["sex"] = df["sex"].astype(str)
        merged = df.merge(rows, on=["sex", "age_band"], how="inner")
        merged["cases"] = merged["population"] * merged["rate"]
        merged["below"] = merged["population"] * (merged["rate"] - merged["lower"])
        merged["above"] = merged["population"] * (merged["upper"] - merged["rate"])
        # each stratum (condition, sex as published, band) is one sample: its errors add up
        # within an area; strata combine in quadrature
        strata = (
            merged.groupby(["area_code", "condition", "stratum_sex", "age_band"], observed=True)[
                ["population", "cases", "below", "above"]
            ]
            .sum(min_count=1)
            .reset_index()
        )
        strata["below"] = strata["below"] ** 2
        strata["above"] = strata["above"] ** 2
        summed = (
            strata.groupby(["area_code", "condition"], observed=True)[
                ["population", "cases", "below", "above"]
            ]
            .sum(min_count=1)
            .reset_index()
        )
        summed["cases_lower"] = summed["cases"] - np.sqrt(summed["below"])
        summed["cases_upper"] = summed["cases"] + np.sqrt(summed["above"])
        out.append(summed.drop(columns=["below", "above"]))
    return pd.concat(out, ignore_index=True)


def run_floor(pop: pd.DataFrame, table: RateTable) -> dict[str, np.ndarray]:
    """The numpy floor: codes, searchsorted, bincount, broadcast. No checks, no frames."""
    area = pop["area_code"].cat.codes.to_numpy(np.int64)
    sex = pop["sex"].cat.codes.to_numpy(np.int64)
    age = pop["age"].to_numpy(np.int64)
    weight = pop["population"].to_numpy(np.float64)
    n_areas = len(pop["area_code"].cat.categories)
    result: dict[str, np.ndarray] = {}
    for conds, rows in _cell_sets(table):
        edges, labels = _edges(list(set(rows["age_band"])))
        band = np.searchsorted(np.asarray(edges), age, side="right") - 1
        ok = (band >= 0) & (band < len(labels))
        n_bands = len(labels)
        cell = (area * 2 + sex) * n_bands + band
        per_cell = np.bincount(cell[ok], weights=weight[ok], minlength=n_areas * 2 * n_bands)
        per_cell = per_cell.reshape(n_areas, 2 * n_bands)
        squared = per_cell**2
        for cond in conds:
            part = rows[rows["condition"] == cond]
            rate, below, above = np.zeros(2 * n_bands), np.zeros(2 * n_bands), np.zeros(2 * n_bands)
            for r in part.itertuples(index=False):
                i = ["female", "male"].index(r.sex) * n_bands + labels.index(r.age_band)
                rate[i], below[i], above[i] = r.rate, r.rate - r.lower, r.upper - r.rate
            cases = per_cell @ rate
            if (part["stratum_sex"] == "persons").any():  # one stratum for both sexes
                both = per_cell.reshape(n_areas, 2, n_bands).sum(axis=1)
                low_sq = (both**2) @ (below[:n_bands] ** 2)
                high_sq = (both**2) @ (above[:n_bands] ** 2)
            else:
                low_sq, high_sq = squared @ below**2, squared @ above**2
            result[cond] = np.stack([cases, cases - np.sqrt(low_sq), cases + np.sqrt(high_sq)])
    return result


# -- harness -----------------------------------------------------------------------


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory(fn: Callable[[], Any]) -> float:
    """Peak memory allocated during one call, traced [bytes]."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def check_same(mh: pd.DataFrame, naive: pd.DataFrame, floor: dict[str, np.ndarray]) -> float:
    """Largest relative difference in cases between the three approaches (must be ~0)."""
    a = mh.set_index(["area_code", "condition"])["cases"].astype(float)
    naive = naive.assign(area_code=naive["area_code"].astype(str))
    b = naive.set_index(["area_code", "condition"])["cases"].astype(float)
    a.index = a.index.set_levels([a.index.levels[0].astype(str), a.index.levels[1].astype(str)])
    b = b.reindex(a.index)
    if b.isna().any():
        raise SystemExit("benchmark: naive pandas is missing area/condition rows")
    worst = float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-12)))
    for cond, values in floor.items():
        part = mh[mh["condition"] == cond]
        for i, col in enumerate(("cases", "cases_lower", "cases_upper")):
            mine, theirs = part[col].to_numpy(np.float64), values[i]
            both = ~np.isnan(mine) & ~np.isnan(theirs)
            if (np.isnan(mine) != np.isnan(theirs)).any():
                raise SystemExit(f"benchmark: {cond} {col}: the floor and mhneed differ in NaNs")
            gap = np.abs(mine[both] - theirs[both]) / np.maximum(np.abs(theirs[both]), 1e-12)
            worst = max(worst, float(gap.max(initial=0.0)))
    lows = mh["cases_lower"].notna()
    if lows.any():
        nl = naive.set_index(["area_code", "condition"])["cases_lower"]
        nl = nl.reindex(a.index)
        ml = mh.set_index(["area_code", "condition"])["cases_lower"]
        ml.index = a.index
        both = ml.notna()
        worst = max(worst, float(np.max(np.abs(ml[both] - nl[both]) / np.maximum(ml[both], 1e-12))))
    return worst


def compare(n_areas: int, repeat: int, memory: bool) -> dict[str, float]:
    """Time the three approaches on one population size; print and return the mhneed time."""
    pop = synthesise(n_areas)
    rows = len(pop)
    frame_bytes = float(pop.memory_usage(deep=True).sum())
    print(f"\n== {n_areas:,} areas: {rows:,} population rows, frame {frame_bytes / 1e6:,.0f} MB")
    times: dict[str, float] = {}
    for table_id in TABLES:
        table = mhneed.load_table(table_id)
        # mhneed takes a few hundredths of a second at the smaller sizes, where one run's
        # noise is a large share: more runs cost little and steady the ratios
        t_mh, mh = best_time(lambda t=table: run_mhneed(pop, t), max(repeat, MHNEED_REPEAT))
        t_nv, nv = best_time(lambda t=table: run_naive(pop, t), max(1, repeat - 1))
        t_fl, fl = best_time(lambda t=table: run_floor(pop, t), repeat)
        worst = check_same(mh, nv, fl)
        if worst > 1e-9:
            raise SystemExit(f"benchmark: approaches disagree by {worst:.3g} (relative)")
        line = (
            f"  {table_id:22} mhneed {t_mh:6.3f}s  naive {t_nv:6.2f}s  floor {t_fl:6.3f}s  "
            f"naive/mhneed {t_nv / t_mh:5.0f}  mhneed/floor {t_fl and t_mh / t_fl:5.2f}  "
            f"{rows / t_mh / 1e6:5.1f} M rows/s  agree to {worst:.1e}"
        )
        if memory:
            peak = peak_memory(lambda t=table: run_mhneed(pop, t))
            line += f"  peak {peak / 1e6:,.0f} MB = {peak / frame_bytes:.2f}x frame"
        print(line)
        times[table_id] = t_mh
    return times


def growth(repeat: int) -> None:
    """How mhneed's time grows with the rows: every size timed in turn, round after round.

    Sizes are timed interleaved (10%, 2.0M, 100%, then again), best of ``repeat``
    rounds each, so that the machine running faster or slower for a while (other
    work, its clock) moves every size alike rather than one size's figure.
    """
    pops = {name: synthesise(n) for name, n in SIZES.items()}
    print("\n== how time grows (mhneed, best of interleaved runs; linear is 3.3x and 10x)")
    for table_id in TABLES:
        table = mhneed.load_table(table_id)
        best = dict.fromkeys(pops, float("inf"))
        for _ in range(repeat):
            for name, pop in pops.items():
                run = best_time(lambda p=pop, t=table: run_mhneed(p, t), 1)[0]
                best[name] = min(best[name], run)
        base = best["10%"]
        print(
            f"  {table_id:22} 10%: {base * 1e3:6.1f} ms   "
            f"2.0M rows: {best['2.0M rows'] / base:5.2f}x   100%: {best['100%'] / base:5.2f}x"
        )


def projection(n_areas: int, years: int, table_id: str = "apms_2014") -> None:
    """A projection over ``years`` years, one year at a time, with its time and peak memory.

    Each year's population is made (synthesised) before the clock starts for it,
    so the time is mhneed's alone; making the populations is timed apart.
    """
    table = mhneed.load_table(table_id)
    made = [0.0]

    def chunks() -> Iterator[pd.DataFrame]:
        for i in range(years):
            start = time.perf_counter()
            frame = synthesise(n_areas, seed=2014 + i, year=2024 + i)
            made[0] += time.perf_counter() - start
            yield frame

    def run() -> pd.DataFrame:
        est = mhneed.estimate_chunks(chunks(), table, by=["year", "condition"])
        return est.to_frame()

    rows = years * n_areas * 182
    start = time.perf_counter()
    summary = run()
    elapsed = time.perf_counter() - start
    engine = elapsed - made[0]
    one_year = float(synthesise(n_areas).memory_usage(deep=True).sum())
    peak = peak_memory(run)
    print(
        f"\n== projection with {table_id}: {years} years × {n_areas:,} areas = {rows:,} "
        "population rows, one year at a time, summarised by year and condition as each "
        f"year is done\n  mhneed {engine:.1f}s ({rows / engine / 1e6:.1f} M rows/s); making "
        f"the populations {made[0]:.1f}s more; peak traced memory {peak / 1e6:,.0f} MB "
        f"({peak / one_year:.1f}x one year's frame of {one_year / 1e6:,.0f} MB; the whole "
        f"projection as one frame would be about {years * one_year / 1e6:,.0f} MB)"
    )
    gad = summary[summary["condition"] == "gad"]
    print(f"  e.g. gad cases in {gad['year'].iloc[0]}: {gad['cases'].iloc[0]:,.0f}")


def profile(n_areas: int, table_id: str, top: int = 12) -> None:
    """Where mhneed's time goes: the functions with the most time of their own."""
    import cProfile
    import pstats

    pop = synthesise(n_areas)
    table = mhneed.load_table(table_id)
    run_mhneed(pop, table)  # plans once, as any repeated use does
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        run_mhneed(pop, table)
    profiler.disable()
    print(f"\n== profile: {table_id}, {len(pop):,} rows, 3 runs; top {top} by own time")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="a quick run at 1%% size")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per approach")
    parser.add_argument("--years", type=int, default=25, help="projection length")
    parser.add_argument("--profile", action="store_true", help="profile the default table")
    parser.add_argument(
        "--sizes", nargs="+", choices=list(SIZES), default=list(SIZES), help="sizes to compare"
    )
    args = parser.parse_args(argv)
    print(
        f"mhneed {mhneed.__version__}; numpy {np.__version__}; pandas {pd.__version__}; "
        f"python {sys.version.split()[0]}"
    )
    if args.profile:
        for n_areas in (N_LSOA // 10, 11_000):
            profile(n_areas, TABLES[0])
        return 0
    if args.small:
        compare(N_LSOA // 100, repeat=1, memory=True)
        projection(N_LSOA // 100, years=3)
        return 0
    for name in args.sizes:
        compare(SIZES[name], args.repeat, memory=True)
    if len(args.sizes) == len(SIZES):
        growth(max(args.repeat, MHNEED_REPEAT))
    projection(N_LSOA, args.years)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
