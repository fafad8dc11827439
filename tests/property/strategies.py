"""All Hypothesis strategies for mhneed's property tests, in one module."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from mhneed.published.rates import RateTable
from mhneed.published.tables import load_table
from tests.helpers import AGE_BANDS, grid_table, make_table

SEXES = ("female", "male")


@st.composite
def populations(
    draw: st.DrawFn,
    *,
    max_areas: int = 4,
    max_rows: int = 40,
    integer: bool = True,
    years: bool = False,
) -> pd.DataFrame:
    """Long single-year populations: several areas (and years), ages 0-100, no duplicate keys."""
    n_areas = draw(st.integers(1, max_areas))
    areas = [f"E0{i:07d}" for i in range(n_areas)]
    year_values = (
        draw(st.lists(st.integers(2014, 2040), min_size=1, max_size=3, unique=True))
        if years
        else [None]
    )
    cells = st.tuples(
        st.sampled_from(areas),
        st.sampled_from(year_values),
        st.sampled_from(SEXES),
        st.integers(0, 100),
    )
    keys = draw(st.lists(cells, min_size=1, max_size=max_rows, unique=True))
    counts = (
        st.integers(0, 100_000)
        if integer
        else st.floats(0, 1e5, allow_nan=False, allow_infinity=False)
    )
    values = draw(st.lists(counts, min_size=len(keys), max_size=len(keys)))
    frame = pd.DataFrame(keys, columns=["area_code", "year", "sex", "age"])
    frame["population"] = np.asarray(values, dtype=np.float64)
    if not years:
        frame = frame.drop(columns=["year"])
    return frame


def tables() -> st.SearchStrategy[RateTable]:
    """Rate tables of each shape and range kind: shipped, age-by-sex CIs, published ranges."""
    range_table = make_table(
        [("c", s, b, None, 1 + i, 2 + 2 * i) for s in SEXES for i, b in enumerate(AGE_BANDS)],
        interval="published_range",
    )
    return st.sampled_from(
        [load_table("apms_2014"), grid_table("confidence_interval"), range_table]
    )


# -- perinatal: births frames, births tables, rounding bases --------------------------

#: A count of births: whole numbers, fractional averages (down to a millionth, so that
#: some counts are tiny but none are subnormal floats), and zero.
birth_counts = st.one_of(
    st.integers(min_value=0, max_value=200_000).map(float),
    st.floats(min_value=1e-6, max_value=200_000, allow_nan=False, allow_infinity=False),
    st.just(0.0),
)

#: Rounding bases: the usual ones and any other positive base.
bases = st.one_of(
    st.sampled_from([1, 5, 10, 50, 100]),
    st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False),
)

AREAS = [f"E0600{n:04d}" for n in range(1, 40)]


@st.composite
def births_frames(draw: st.DrawFn, min_areas: int = 1, max_areas: int = 8) -> pd.DataFrame:
    """A births frame keyed by area_code and year, one row per key group."""
    areas = draw(
        st.lists(st.sampled_from(AREAS), min_size=min_areas, max_size=max_areas, unique=True)
    )
    years = draw(st.lists(st.integers(2010, 2024), min_size=1, max_size=3, unique=True))
    keys = [(a, y) for a in areas for y in years]
    counts = draw(st.lists(birth_counts, min_size=len(keys), max_size=len(keys)))
    return pd.DataFrame(
        {
            "area_code": [a for a, _ in keys],
            "year": [y for _, y in keys],
            "births": counts,
        }
    )


@st.composite
def births_tables(draw: st.DrawFn) -> RateTable:
    """A user's births table: 1-4 conditions per 1,000 maternities, ranges or single rates."""
    n = draw(st.integers(1, 4))
    per_1000 = st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1000))
    rows: list[dict[str, Any]] = []
    for i in range(n):
        low, high = sorted(draw(st.tuples(per_1000, per_1000)))
        kind = draw(st.sampled_from(["range", "rate_and_range", "rate_only"]))
        if kind == "range":
            rate: object = ""
        else:
            rate = (
                draw(st.floats(min_value=low, max_value=high, allow_subnormal=False))
                if kind == "rate_and_range"
                else low
            )
        rows.append(
            {
                "condition": f"c{i}",
                "sex": "female",
                "age_band": "all ages",
                "rate": rate,
                "lower": "" if kind == "rate_only" else low,
                "upper": "" if kind == "rate_only" else high,
                "source": "mine",
            }
        )
    meta = {
        "id": "drawn",
        "title": "Drawn table",
        "publisher": "Hypothesis",
        "edition": 2020,
        "geography": "England",
        "population": "women giving birth",
        "ages": "all ages",
        "denominator": "maternities",
        "interval": "published_range",
        "unit": "per_1000",
        "conditions": [
            {
                "id": r["condition"],
                "label": r["condition"],
                "period": "perinatal",
                "ages": "all ages",
                "sexes": ["female"],
            }
            for r in rows
        ],
        "sources": [{"id": "mine", "citation": "Drawn by Hypothesis.", "kind": "primary"}],
    }
    return RateTable.from_frame(pd.DataFrame(rows), meta)


#: The shipped JCPMH table or a drawn one.
perinatal_tables = st.one_of(st.just(load_table("jcpmh_2012_perinatal")), births_tables())


@st.composite
def survey_tables(draw: st.DrawFn) -> RateTable:
    """Age-by-sex tables of 14 confidence intervals shaped like a survey's published ones.

    Each cell's rate (a percentage to 1 decimal place, 0.5-30) gets the 95% Wilson
    interval of a sample of ``base / deff`` people (base 200-5,000, design
    effect 1-2, at least 10 expected cases), rounded to 1 decimal place as reports
    print it: asymmetric, as published limits are.
    """
    import math

    from mhneed.stats import wilson_interval

    records = []
    for sex in SEXES:
        for band in AGE_BANDS:
            rate = draw(st.integers(5, 300)) / 10
            n = draw(st.integers(200, 5000)) / draw(st.sampled_from([1.0, 1.2, 1.5, 2.0]))
            rate = max(rate, math.ceil(10000 / n) / 10)  # at least 10 expected cases
            low, high = wilson_interval(rate / 100 * n, n)
            lower = min(round(low * 100, 1), rate)
            upper = max(round(high * 100, 1), rate)
            records.append(("survey", sex, band, rate, lower, upper))
    return make_table(records)


@st.composite
def districts_and_counties(
    draw: st.DrawFn, *, max_districts: int = 6, max_rows: int = 40
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A population of several districts and a map of each district to one of a few counties."""
    pop = draw(populations(max_areas=max_districts, max_rows=max_rows))
    districts = sorted(pop["area_code"].unique())
    counties = draw(
        st.lists(
            st.sampled_from(["county_x", "county_y", "county_z"]),
            min_size=len(districts),
            max_size=len(districts),
        )
    )
    return pop, dict(zip(districts, counties, strict=True))


#: GSS code prefixes of several levels (and one code of no known level), for geography tests.
LEVEL_PREFIXES = ("E92", "E12", "E10", "E06", "E07", "E08", "E01", "X99")


@st.composite
def areas_of_levels(
    draw: st.DrawFn, *, max_areas: int = 6, max_rows: int = 40
) -> tuple[pd.DataFrame, dict[str, str]]:
    """A population split into areas whose codes have drawn GSS levels, and a grouping.

    The areas' prefixes are drawn from :data:`LEVEL_PREFIXES`, so some draws hold one
    level (or none known) and others mix levels; the grouping maps every area to one of
    a few groups.
    """
    n_areas = draw(st.integers(1, max_areas))
    prefixes = draw(st.lists(st.sampled_from(LEVEL_PREFIXES), min_size=n_areas, max_size=n_areas))
    codes = [f"{p}{i:06d}" for i, p in enumerate(prefixes)]
    rows = st.tuples(st.sampled_from(codes), st.sampled_from(SEXES), st.integers(0, 100))
    keys = draw(st.lists(rows, min_size=1, max_size=max_rows, unique=True))
    counts = draw(st.lists(st.integers(0, 100_000), min_size=len(keys), max_size=len(keys)))
    frame = pd.DataFrame(keys, columns=["area_code", "sex", "age"])
    frame["population"] = np.asarray(counts, dtype=np.float64)
    present = sorted(frame["area_code"].unique())
    groups = draw(
        st.lists(st.sampled_from(["g1", "g2", "g3"]), min_size=len(present), max_size=len(present))
    )
    return frame, dict(zip(present, groups, strict=True))


# -- hostile files: generated text for the readers' fuzz tests -------------------------

#: Cells a hostile file is built from: the words the readers look for, numbers in every
#: shape they might take, quoting and delimiters, control characters, a byte-order mark,
#: digits that are not ASCII, and a field longer than the csv module's limit.
FUZZ_TOKENS: tuple[str, ...] = (
    "",
    " ",
    ",",
    ";",
    "\t",
    '"',
    '""',
    "\r",
    "\n",
    "\r\n",
    "\x00",
    "\x0b",
    "\x1a",
    "\u2028",
    "\ufeff",
    "\u00a0",
    "0",
    "1",
    "2",
    "-1",
    "-0",
    "12.5",
    "1,234",
    '"38,022"',
    "1e400",
    "1e-320",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "9" * 30,
    "9" * 5000,
    ":",
    "–",
    "-",
    "%",
    "5%",
    "²",
    "٣",
    "１２",
    "90",
    "90+",
    "91",
    "120",
    "121",
    "CODE",
    "NAME",
    "ALL AGES",
    "FEMALES",
    "MALES",
    "ALL PERSONS",
    "mid-2014",
    "mid-1",
    "E06000017",
    "E10000018",
    "Rutland",
    "GEOGRAPHY_CODE",
    "GEOGRAPHY_NAME",
    "GENDER",
    "C_AGE",
    "OBS_VALUE",
    "MEASURES",
    "20100",
    "20301",
    "DATE",
    "DATE_NAME",
    "2011",
    "0",
    "100",
    "101",
    "190",
    "191",
    "200",
    "Area of usual residence",
    "Live births",
    "Rutland UA",
    "ENGLAND",
    "WALES",
    "Local Health Boards",
    "(Met County)",
    "Inner London",
    "condition",
    "sex",
    "age_band",
    "rate",
    "lower",
    "upper",
    "source",
    "note",
    "gad",
    "female",
    "male",
    "persons",
    "16-24",
    "16–24",
    "75+",
    "16+",
    "all ages",
    "0-0",
    "24-16",
    "All",
    "Men",
    "Women",
    "All adults",
    "Lower 95% CI",
    "Upper 95% CI",
    "95% CI",
    "1.0-2.0",
    "4,9",
    '"4,9"',
    "0,2–0,9",
    "1.004,9",
    "6_8",
    "Bases (weighted)",
    "x" * 140_000,
)

_FUZZ_CELLS = st.one_of(
    st.sampled_from(FUZZ_TOKENS),
    st.text(max_size=12),
    st.integers(-10, 300).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
_DELIMITERS = (",", "\t", ";", "|")
_LINE_ENDS = ("\n", "\r\n", "\r")
_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1")
#: Mutations of a real file, cell changes the most likely (they reach deepest).
_MUTATIONS = (
    *("cell", "cell", "cell", "drop_line", "dup_line", "swap_lines", "truncate"),
    *("insert", "delete", "delimiter", "line_ends", "encoding"),
)


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def csv_texts(draw: st.DrawFn, header: Sequence[str] = ()) -> bytes:
    """CSV-ish text: rows of drawn cells, sometimes under (a shuffle of) a reader's header."""
    delimiter = draw(st.sampled_from(_DELIMITERS))
    end = draw(st.sampled_from(_LINE_ENDS))
    quote = draw(st.booleans())
    rows: list[list[str]] = []
    if header and draw(st.booleans()):
        rows.append(list(draw(st.permutations(header))) if draw(st.booleans()) else list(header))
    width = draw(st.integers(1, 8))
    n_rows = draw(st.integers(0, 12))
    for _ in range(n_rows):
        size = draw(st.integers(0, width + 2))
        rows.append(draw(st.lists(_FUZZ_CELLS, min_size=size, max_size=size)))
    if quote:
        text = end.join(delimiter.join(f'"{c}"' for c in row) for row in rows)
    else:
        text = end.join(delimiter.join(row) for row in rows)
    if draw(st.booleans()):
        text += end
    return _encode(text, draw(st.sampled_from(_ENCODINGS)))


@st.composite
def mutated_files(draw: st.DrawFn, seeds: Sequence[bytes]) -> bytes:
    """A real fixture file with one to four mutations: cells, lines, characters or bytes."""
    raw = draw(st.sampled_from(list(seeds)))
    text = raw.decode("utf-8-sig", errors="replace")
    encoding = "utf-8"
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True) or [""]
        op = draw(st.sampled_from(_MUTATIONS))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "cell":
            line = lines[i]
            body = line.rstrip("\r\n")
            delimiter = "\t" if "\t" in body else ","
            cells = body.split(delimiter)
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(_FUZZ_CELLS)
            lines[i] = delimiter.join(cells) + line[len(body) :]
        elif op == "drop_line":
            del lines[i]
        elif op == "dup_line":
            lines.insert(i, lines[i])
        elif op == "swap_lines":
            k = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[k] = lines[k], lines[i]
        text = "".join(lines)
        if op == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif op == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(_FUZZ_CELLS) + text[at:]
        elif op == "delete":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + text[at + draw(st.integers(1, 200)) :]
        elif op == "delimiter":
            old, new = draw(st.sampled_from([(",", ";"), (",", "\t"), ("\t", ","), (",", "")]))
            text = text.replace(old, new)
        elif op == "line_ends":
            text = text.replace("\r\n", "\n").replace("\n", draw(st.sampled_from(_LINE_ENDS)))
        elif op == "encoding":
            encoding = draw(st.sampled_from(_ENCODINGS))
    data = _encode(text, encoding)
    if draw(st.integers(0, 9)) == 0:  # flip one byte of the encoded file
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


#: What a workbook cell may hold: text tokens, numbers (with NaN and infinities), true/false.
_WORKBOOK_CELLS = st.one_of(
    st.none(),
    # no control characters an .xlsx cannot hold (openpyxl refuses to write them; \x0b and
    # \x1a were drawn now and then, failing the test in the strategy, not in mhneed)
    st.sampled_from(
        [
            t
            for t in FUZZ_TOKENS
            if len(t) < 1000 and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", t)
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.booleans(),
)


@st.composite
def workbook_grids(draw: st.DrawFn, seeds: Sequence[list[list[Any]]]) -> list[list[Any]]:
    """A sheet's cells: a real layout with cells, rows or columns changed, as Python values."""
    grid = [list(row) for row in draw(st.sampled_from(list(seeds)))]
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "drop_row", "dup_row", "drop_col"]))
        r = draw(st.integers(0, len(grid) - 1)) if grid else 0
        if not grid:
            break
        if op == "cell" and grid[r]:
            grid[r][draw(st.integers(0, len(grid[r]) - 1))] = draw(_WORKBOOK_CELLS)
        elif op == "drop_row":
            del grid[r]
        elif op == "dup_row":
            grid.insert(r, list(grid[r]))
        elif op == "drop_col" and grid[r]:
            c = draw(st.integers(0, len(grid[r]) - 1))
            grid = [row[:c] + row[c + 1 :] for row in grid]
    return grid


def hostile_files(seeds: Sequence[bytes], header: Sequence[str] = ()) -> st.SearchStrategy[bytes]:
    """Bytes for a reader: random bytes, CSV-ish text, or a mutated real file (most often)."""
    return st.one_of(
        st.binary(max_size=2_000),
        csv_texts(header),
        mutated_files(seeds),
        mutated_files(seeds),
    )


#: Any JSON value: what a hand-edited metadata file might hold in place of the right one.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(FUZZ_TOKENS[:-1])
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated_json(draw: st.DrawFn, seed: dict[str, Any]) -> bytes:
    """A table's metadata with one to three fields replaced, dropped or added, as JSON bytes."""
    data = json.loads(json.dumps(seed))
    for _ in range(draw(st.integers(1, 3))):
        node: Any = data
        # walk down a drawn path to a dict or list, then change one entry of it
        while isinstance(node, dict | list) and node and draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            child = node[draw(st.sampled_from(keys))]
            if not isinstance(child, dict | list):
                break
            node = child
        if isinstance(node, dict):
            key = draw(st.sampled_from([*node, "extra"]))
            action = draw(st.sampled_from(["replace", "replace", "drop"]))
            if action == "drop":
                node.pop(key, None)
            else:
                node[key] = draw(json_values)
        elif isinstance(node, list) and node:
            i = draw(st.integers(0, len(node) - 1))
            if draw(st.booleans()):
                node[i] = draw(json_values)
            else:
                node.append(json.loads(json.dumps(node[i])))  # an entry twice
    return json.dumps(data).encode("utf-8")


# -- nothing lost: populations partly out of scope, disguised frames -------------------

#: Every shipped table whose denominator is persons (estimate() applies them to people).
PERSONS_TABLES = (
    "apms_2007",
    "apms_2007_any_condition",
    "apms_2007_psychosis",
    "apms_2014",
    "apms_2023",
    "prison_rutland_jsna_2018",
)

#: Narrowed age scopes to try (``ages=``), and none.
AGE_SCOPES: tuple[tuple[int, int | None] | None, ...] = (
    None,
    (18, 64),
    (18, None),
    (16, 74),
    (20, 40),
    (65, None),
)


@st.composite
def age_units(draw: st.DrawFn) -> tuple[str, list[Any], int | None]:
    """How ages are given: single years (0-110), single years top-coded, or bands.

    Returns the column (``age`` or ``age_band``), its values and the top-coded age.
    """
    layout = draw(st.sampled_from(["single", "top_coded", "banded"]))
    if layout == "single":
        return "age", list(range(0, 111)), None
    if layout == "top_coded":
        top = draw(st.sampled_from([75, 85, 90, 100]))
        return "age", list(range(0, top + 1)), top
    cuts = sorted(draw(st.lists(st.integers(1, 100), min_size=1, max_size=8, unique=True)))
    edges = [draw(st.integers(0, cuts[0] - 1)), *cuts]
    bands = [f"{a}-{b - 1}" for a, b in itertools.pairwise(edges)]
    last = edges[-1]
    # an open band is placed whole, so it starts where every shipped table's last band
    # (75+) or scope (16-74) lets it: at 75 or over; a closed last band may end anywhere
    if last >= 75 and draw(st.booleans()):
        bands.append(f"{last}+")
    else:
        bands.append(f"{last}-{draw(st.integers(last, 110))}")
    return "age_band", bands, None


@st.composite
def scoped_populations(draw: st.DrawFn) -> tuple[pd.DataFrame, int | None]:
    """Several areas and years, ages partly out of every table's scope; and the top age.

    Populations are whole numbers (so totals are exact); rows are a drawn subset of
    area × year × sex × age, so some groups lack some ages or a sex.
    """
    areas = [f"E0{i:07d}" for i in range(draw(st.integers(1, 4)))]
    years = draw(st.lists(st.integers(2011, 2043), min_size=1, max_size=3, unique=True))
    column, units, top = draw(age_units())
    cells = st.tuples(
        st.sampled_from(areas),
        st.sampled_from(years),
        st.sampled_from(SEXES),
        st.sampled_from(units),
    )
    keys = draw(st.lists(cells, min_size=1, max_size=60, unique=True))
    if column == "age_band":  # every band at least once, or the bands leave a gap
        first = (areas[0], years[0], "female")
        keys += [(*first, b) for b in units if (*first, b) not in keys]
    counts = draw(st.lists(st.integers(0, 100_000), min_size=len(keys), max_size=len(keys)))
    frame = pd.DataFrame(keys, columns=["area_code", "year", "sex", column])
    frame["population"] = np.asarray(counts, dtype=np.float64)
    return frame, top


@st.composite
def disguised(draw: st.DrawFn, frame: pd.DataFrame) -> pd.DataFrame:
    """The same rows in another order, under another index, with other key dtypes.

    Index: default, shuffled labels, one repeated label, strings, or a MultiIndex. Area
    codes: text, a categorical with unused categories, or pandas' string dtype.
    """
    order = draw(st.permutations(range(len(frame))))
    out = frame.iloc[list(order)].copy()
    n = len(out)
    index = draw(st.sampled_from(["default", "shuffled", "repeated", "text", "multi"]))
    if index == "default":
        out = out.reset_index(drop=True)
    elif index == "repeated":
        out.index = pd.Index([7] * n)
    elif index == "text":
        out.index = pd.Index([f"row {i}" for i in range(n)])
    elif index == "multi":
        out.index = pd.MultiIndex.from_arrays([[i % 2 for i in range(n)], list(range(n))])
    kind = draw(st.sampled_from(["object", "category", "string"]))
    codes = out["area_code"].astype(object)
    if kind == "category":
        unused = ["W06000001", "S12000001"]
        out["area_code"] = pd.Categorical(codes, categories=[*unused, *sorted(set(codes))])
    elif kind == "string":
        out["area_code"] = codes.astype("string")
    return out


# -- projections: the same areas in every year, and a small table of four strata ------

#: The strata of :func:`four_strata_tables`: (sex, lowest age, highest age or None).
FOUR_STRATA = (("female", 16, 44), ("female", 45, None), ("male", 16, 44), ("male", 45, None))


@st.composite
def projected_populations(draw: st.DrawFn) -> pd.DataFrame:
    """A population over two or three years, every area in every year, each row scaled at random."""
    base = draw(populations(max_areas=3, max_rows=30))
    years = sorted(draw(st.lists(st.integers(2020, 2050), min_size=2, max_size=3, unique=True)))
    parts = []
    for year in years:
        factors = draw(
            st.lists(st.floats(0, 2, allow_nan=False), min_size=len(base), max_size=len(base))
        )
        parts.append(base.assign(year=year, population=base["population"] * np.asarray(factors)))
    return pd.concat(parts, ignore_index=True)


@st.composite
def four_strata_tables(draw: st.DrawFn, interval: str = "published_range") -> RateTable:
    """One condition, women and men 16-44 and 45+, each rate [%] inside its range or limits."""
    records = []
    for sex, low, high in FOUR_STRATA:
        lower = draw(st.floats(0.5, 40, allow_nan=False))
        upper = lower + draw(st.floats(0.01, 20, allow_nan=False))
        rate = draw(st.floats(lower, upper, allow_nan=False))
        band = f"{low}-{high}" if high is not None else f"{low}+"
        records.append(("c", sex, band, rate, lower, upper))
    return make_table(records, interval=interval)
