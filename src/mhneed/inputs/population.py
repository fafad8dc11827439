"""Population input: a long frame, validated once at the boundary.

A population frame has any key columns (area code, area name, year, anything
else) plus ``sex``, either ``age`` (single year) or ``age_band``, and
``population`` (non-negative; fractional allowed, since projections have
decimals). :func:`validate_population` checks every rule before any work is
done and returns compact integer codes that the estimation engine uses
directly; it never copies the frame.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from mhneed._grouping import codes_of, group_ids
from mhneed._text import MISSING_TEXT, plain_text, printed, printed_all, quoted_apart
from mhneed.bands import MAX_AGE, AgeBand, check_partition, parse_band
from mhneed.errors import AgeBandError, InputError, MissingColumnError

__all__ = ["RESERVED_COLUMNS", "SEX_LABELS", "Population", "normalise_sex", "validate_population"]

#: Output column names that a key column may not use.
RESERVED_COLUMNS = frozenset(
    {
        "condition",
        "rate",
        "lower",
        "upper",
        "cases",
        "cases_lower",
        "cases_upper",
        "interval",
        "source",
        "in_scope",
        "too_young",
        "too_old",
        "wrong_sex",
        # added by to_frame, the tidy CSV and compare (a key of this name was overwritten)
        "rounding",
        "table",
        "recorded",
        "share_met",
        "share_met_lower",
        "share_met_upper",
    }
)

#: Accepted sex labels (compared case-insensitively, spaces trimmed) and their meaning.
SEX_LABELS: dict[str, str] = {
    "female": "female",
    "females": "female",
    "f": "female",
    "woman": "female",
    "women": "female",
    "2": "female",
    "male": "male",
    "males": "male",
    "m": "male",
    "man": "male",
    "men": "male",
    "1": "male",
}
_BOTH_SEXES = frozenset({"persons", "person", "people", "all", "all persons", "total", "both", "p"})

#: The largest count one row may hold [persons]: more than the world's population.
MAX_COUNT = 10_000_000_000

#: Sex codes used inside the engine.
FEMALE, MALE = 0, 1
SEXES = ("female", "male")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Population:
    """A validated population, as integer codes (built by :func:`validate_population`).

    Attributes
    ----------
    keys : list of str
        The key columns, in input order.
    groups : pandas.DataFrame
        One row per distinct combination of key values (the key groups), in
        sorted key order; index ``0 .. n_groups - 1``.
    cell : numpy.ndarray
        Per input row: its (key group, sex, age unit) cell of :meth:`dense`,
        ``(group × 2 + sex) × units + unit``. The only per-row code held, so a
        national population costs one integer a row.
    group, sex, unit : numpy.ndarray
        Per input row: its key group, sex code (0 female, 1 male) and age unit
        (worked out from ``cell`` when asked for).
    units : tuple of AgeBand
        The age units: single years (``age`` input; the top-coded age, if any,
        is open-ended) or the distinct bands (``age_band`` input).
    population : numpy.ndarray
        Per input row: the population [persons].
    totals : numpy.ndarray
        Per key group: its population, summed in input row order [persons].
    banded : bool
        True when the input had ``age_band`` rather than ``age``.
    """

    keys: list[str]
    groups: pd.DataFrame
    cell: IntArray
    units: tuple[AgeBand, ...]
    population: FloatArray
    totals: FloatArray
    banded: bool

    @property
    def n_groups(self) -> int:
        """Number of key groups."""
        return len(self.groups)

    @property
    def group(self) -> IntArray:
        """Per input row: its key group."""
        return self.cell // (2 * len(self.units))

    @property
    def sex(self) -> IntArray:
        """Per input row: its sex code (0 female, 1 male)."""
        return (self.cell // len(self.units)) % 2

    @property
    def unit(self) -> IntArray:
        """Per input row: its age unit."""
        return self.cell % len(self.units)

    def dense(self) -> FloatArray:
        """Population as a (groups, 2 × units) array: sex-major, then age unit [persons]."""
        width = 2 * len(self.units)
        counts = np.bincount(self.cell, weights=self.population, minlength=self.n_groups * width)
        return np.asarray(counts, dtype=np.float64).reshape(self.n_groups, width)


def validate_population(frame: pd.DataFrame, *, top_age: int | None = None) -> Population:
    """Check a population frame and code it for estimation.

    Parameters
    ----------
    frame : pandas.DataFrame
        Key columns plus ``sex``, ``age`` or ``age_band``, and ``population``.
    top_age : int, optional
        A top-coded age: rows with this ``age`` mean "this age and over" (ONS
        single-year files use 90 for 90 and over). Ages above it are an error.

    Returns
    -------
    Population

    Raises
    ------
    MissingColumnError
        When ``sex``, ``population`` or both of ``age`` and ``age_band`` are missing.
    InputError
        When a value breaks a rule: the message names the column, the rule and
        the offending values and rows.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"population must be a pandas DataFrame, not {type(frame).__name__}",
            rule="a DataFrame",
        )
    _check_columns(frame)
    if len(frame) == 0:
        raise InputError(
            "population is empty: the frame has no rows", column="population", rule="non-empty"
        )
    banded = "age_band" in frame.columns
    age_col = "age_band" if banded else "age"
    keys = [c for c in frame.columns if c not in ("sex", age_col, "population")]
    _check_key_names(keys)
    values = _population_values(frame)
    sex = _sex_codes(frame["sex"])
    if banded:
        unit, units = _band_units(frame["age_band"])
    else:
        unit, units = _age_units(frame["age"], top_age)
    group, groups = _key_groups(frame, keys)
    totals = np.asarray(np.bincount(group, weights=values, minlength=len(groups)), dtype=np.float64)
    cell = np.asarray(group, dtype=np.int64)
    if cell is group and not group.flags.owndata:  # never write into the caller's frame
        cell = cell.copy()
    cell *= 2  # in place: one integer a row, however large the population
    cell += sex
    cell *= len(units)
    cell += unit
    del group, sex, unit
    pop = Population(
        keys=keys,
        groups=groups,
        cell=cell,
        units=units,
        population=values,
        totals=totals,
        banded=banded,
    )
    _check_duplicates(frame, pop, age_col)
    return pop


def normalise_sex(column: pd.Series) -> IntArray:
    """Sex codes (0 female, 1 male) from the usual labels.

    Accepts ``female``/``male``, ``F``/``M``, ``Female``/``Male``, ``women``/``men``
    and the ONS and Nomis codes ``2`` (female) and ``1`` (male), as text or numbers.

    Raises
    ------
    InputError
        Listing the labels that are not recognised, or rows that hold both sexes
        together (``persons``, ``all``, ``total``).
    """
    return _sex_codes(column).astype(np.int64)


def _sex_codes(column: pd.Series) -> npt.NDArray[np.int8]:
    """Sex codes (0 female, 1 male) as one byte a row; see :func:`normalise_sex`."""
    present: npt.NDArray[np.bool_] | None = None
    if isinstance(column.dtype, pd.CategoricalDtype):  # its own codes: no hashing
        codes = column.cat.codes.to_numpy()  # its own small integers: no copy
        uniques = pd.Index(column.cat.categories)
        present = np.bincount(codes.astype(np.intp) + 1, minlength=len(uniques) + 1)[1:] > 0
    else:
        try:
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
        except TypeError:
            raise _unhashable(column, "sex") from None
    mapping = np.zeros(len(uniques), dtype=np.int8)
    unknown: list[object] = []
    both: list[object] = []
    for i, label in enumerate(uniques):
        if present is not None and not present[i]:
            continue  # an unused category is no one's label
        key = _sex_key(label)
        meaning = SEX_LABELS.get(key)
        if meaning is not None:
            mapping[i] = FEMALE if meaning == "female" else MALE
        elif key in _BOTH_SEXES:
            both.append(label)
        else:
            unknown.append(label)
    if (codes < 0).any():
        rows = _row_labels(column.index[codes < 0])
        raise InputError(
            f"column sex: missing values in rows {rows}; every row needs female or male",
            column="sex",
            rule="no missing values",
            values=[None],
            rows=column.to_frame()[codes < 0].head(10),
        )
    if both:
        bad = np.isin(codes, [list(uniques).index(b) for b in both])
        raise InputError(
            f"column sex: {_quote(both)} is both sexes together "
            f"(rows {_row_labels(column.index[bad])}); "
            "give the population as separate female and male rows",
            column="sex",
            rule="female or male rows only",
            values=both,
            rows=column.to_frame()[bad].head(10),
        )
    if unknown:
        bad = np.isin(codes, [list(uniques).index(u) for u in unknown])
        raise InputError(
            f"column sex: unknown label{'s' if len(unknown) > 1 else ''} {_quote(unknown)} "
            f"(rows {_row_labels(column.index[bad])}); use female/male, F/M, or the ONS codes "
            "2 (female) and 1 (male)",
            column="sex",
            rule="a known sex label",
            values=unknown,
            rows=column.to_frame()[bad].head(10),
        )
    return np.asarray(mapping[codes], dtype=np.int8)


# -- private helpers ---------------------------------------------------------------

_THOUSANDS = re.compile(r"^\s*-?\d{1,3}(,\d{3})+(\.\d+)?\s*$")


def _check_columns(frame: pd.DataFrame) -> None:
    have = ", ".join(map(str, frame.columns)) or "none"
    for col in ("sex", "population"):
        if col not in frame.columns:
            raise MissingColumnError(
                f"population frame: missing column {col!r}; a population needs columns sex, "
                f"age (or age_band) and population, plus any key columns; it has: {have}",
                column=col,
                rule="required columns",
                values=[col],
            )
    if "age" not in frame.columns and "age_band" not in frame.columns:
        raise MissingColumnError(
            "population frame: missing column 'age' (or 'age_band'); a population needs "
            f"single years of age or age bands; it has: {have}",
            column="age",
            rule="required columns",
            values=["age"],
        )
    if "age" in frame.columns and "age_band" in frame.columns:
        raise InputError(
            "population frame: has both 'age' and 'age_band'; give one: single years in age, "
            "or bands in age_band",
            column="age_band",
            rule="age or age_band, not both",
            values=["age", "age_band"],
        )
    dupes = frame.columns[frame.columns.duplicated()].tolist()
    if dupes:
        raise InputError(
            f"population frame: column {dupes[0]!r} appears more than once",
            column=str(dupes[0]),
            rule="unique column names",
            values=dupes,
        )


def _check_key_names(keys: Sequence[object]) -> None:
    for key in keys:
        if not isinstance(key, str):
            raise InputError(
                f"population frame: column name {key!r} is not text; name every key column",
                column=str(key),
                rule="column names are text",
                values=[key],
            )
        if key in RESERVED_COLUMNS:
            raise InputError(
                f"population frame: key column {key!r} has the name of an output column; "
                f"rename it (reserved: {', '.join(sorted(RESERVED_COLUMNS))})",
                column=key,
                rule="key names not reserved",
                values=[key],
            )


def _population_values(frame: pd.DataFrame) -> FloatArray:
    return count_values(
        frame, "population", noun="population", huge="more people than live on Earth"
    )


def count_values(frame: pd.DataFrame, column: str, *, noun: str, huge: str) -> FloatArray:
    """A count column (population or births) as floats, after every rule is checked.

    Parameters
    ----------
    frame : pandas.DataFrame
        The input frame.
    column : str
        The count column, ``"population"`` or ``"births"``.
    noun : str
        What one value is, for messages: ``"population"``, ``"count of births"``.
    huge : str
        What a value above :data:`MAX_COUNT` would be, for messages.

    Raises
    ------
    InputError
        For text that is not a number (pointing to the readers when it has
        thousands separators), missing or infinite values, negative values, and
        values above :data:`MAX_COUNT`; each names the column, rule, values and rows.
    """
    col = frame[column]
    _check_number_kind(col, column, "counts")
    if not pd.api.types.is_numeric_dtype(col.dtype):
        numeric = pd.to_numeric(col, errors="coerce")
        bad = numeric.isna() & col.notna()
        if bad.any():
            first = col[bad].iloc[0]
            rows = _row_labels(col.index[bad])
            if column == "population" and isinstance(first, str) and _THOUSANDS.match(first):
                message = (
                    f"column population: value {first!r} (rows {rows}) is text with thousands "
                    "separators, not a number; read ONS files with mhneed.read_ons_mye2 or "
                    "mhneed.read_nomis, or read the CSV with pandas.read_csv(..., thousands=',')"
                )
            else:
                hint = ""
                if column != "population" and isinstance(first, str) and "," in first:
                    hint = (
                        "; it looks like text with thousands separators: read the CSV with "
                        "pandas.read_csv(..., thousands=',')"
                    )
                message = f"column {column}: value {first!r} (rows {rows}) is not a number{hint}"
            raise InputError(
                message,
                column=column,
                rule="numeric",
                values=list(col[bad].head(10)),
                rows=frame[bad].head(10),
            )
        col = numeric
    values = np.asarray(col.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    finite = np.isfinite(values)
    if not finite.all():
        odd = ~finite
        what = "missing (NaN)" if np.isnan(values[odd]).all() else "not finite (NaN or infinite)"
        raise InputError(
            f"column {column}: values are {what} in rows {_row_labels(frame.index[odd])}; "
            f"every {noun} must be a finite number",
            column=column,
            rule="finite",
            values=list(values[odd][:10]),
            rows=frame[odd].head(10),
        )
    negative = values < 0
    if negative.any():
        raise InputError(
            f"column {column}: negative value {values[negative][0]:g} in rows "
            f"{_row_labels(frame.index[negative])}; a {noun} cannot be negative",
            column=column,
            rule=f"{column} >= 0",
            values=list(values[negative][:10]),
            rows=frame[negative].head(10),
        )
    too_big = values > MAX_COUNT
    if too_big.any():
        raise InputError(
            f"column {column}: value {values[too_big][0]:g} in rows "
            f"{_row_labels(frame.index[too_big])} is {huge}; the rule is {column} <= "
            f"{MAX_COUNT:,.0f}",
            column=column,
            rule=f"{column} <= {MAX_COUNT:.0e}",
            values=list(values[too_big][:10]),
            rows=frame[too_big].head(10),
        )
    return values


def _age_units(column: pd.Series, top_age: int | None) -> tuple[IntArray, tuple[AgeBand, ...]]:
    if isinstance(top_age, np.integer):
        top_age = int(top_age)
    if top_age is not None and not (
        isinstance(top_age, int) and not isinstance(top_age, bool) and 0 <= top_age <= MAX_AGE
    ):
        raise InputError(
            f"top_age {top_age!r} is not a whole number of years in 0..{MAX_AGE}",
            column="age",
            rule=f"top_age in 0..{MAX_AGE}",
            values=[top_age],
        )
    _check_number_kind(column, "age", "whole years")
    if not pd.api.types.is_numeric_dtype(column.dtype):
        numeric = pd.to_numeric(column, errors="coerce")
        bad = numeric.isna() & column.notna()
        if bad.any():
            first = column[bad].iloc[0]
            hint = ""
            if isinstance(first, str) and first.strip().endswith("+"):
                hint = (
                    f"; for a top-coded age such as '90+' give the number ({first.strip()[:-1]}) "
                    f"and top_age={first.strip()[:-1]}, or use an age_band column"
                )
            raise InputError(
                f"column age: value {first!r} (rows {_row_labels(column.index[bad])}) is not a "
                f"whole number of years{hint}",
                column="age",
                rule="whole years",
                values=list(column[bad].head(10)),
                rows=column[bad].head(10).to_frame(),
            )
        column = numeric
    limit = MAX_AGE if top_age is None else top_age
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":  # whole, never missing
        whole = np.asarray(column.to_numpy(), dtype=np.int64)
        if whole.size and whole.min() >= 0 and whole.max() <= limit:
            return whole, _single_year_units(int(whole.max()), top_age)
    ages = column.to_numpy(dtype=np.float64, na_value=np.nan)
    nan = np.isnan(ages)
    if nan.any():
        raise InputError(
            f"column age: missing values in rows {_row_labels(column.index[nan])}",
            column="age",
            rule="no missing values",
            values=[None],
            rows=column[nan].head(10).to_frame(),
        )
    fractional = ages != np.floor(ages)
    if fractional.any():
        raise InputError(
            f"column age: value {ages[fractional][0]:g} (rows "
            f"{_row_labels(column.index[fractional])}) is not a whole number of years",
            column="age",
            rule="whole years",
            values=list(ages[fractional][:10]),
            rows=column[fractional].head(10).to_frame(),
        )
    out = (ages < 0) | (ages > limit)
    if out.any():
        rule = f"0 <= age <= {MAX_AGE}"
        extra = ""
        if top_age is not None:
            rule = f"0 <= age <= top_age ({top_age})"
            extra = (
                f"; top_age={top_age} means {top_age} is the oldest age, standing for {top_age}+"
            )
        raise InputError(
            f"column age: value {ages[out][0]:g} (rows {_row_labels(column.index[out])}) is "
            f"outside the rule {rule}{extra}",
            column="age",
            rule=rule,
            values=list(ages[out][:10]),
            rows=column[out].head(10).to_frame(),
        )
    codes = ages.astype(np.int64)
    return codes, _single_year_units(int(codes.max()), top_age)


def _single_year_units(oldest: int, top_age: int | None) -> tuple[AgeBand, ...]:
    """Single years 0..oldest (0..top_age, the last open-ended, with a top-coded age)."""
    last = oldest if top_age is None else top_age
    units = [AgeBand(a, a) for a in range(last + 1)]
    if top_age is not None:
        units[top_age] = AgeBand(top_age, None)
    return tuple(units)


def _band_units(column: pd.Series) -> tuple[IntArray, tuple[AgeBand, ...]]:
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    if (codes < 0).any():
        raise InputError(
            f"column age_band: missing values in rows {_row_labels(column.index[codes < 0])}",
            column="age_band",
            rule="no missing values",
            values=[None],
        )
    bands: list[AgeBand] = []
    for label in uniques:
        try:
            bands.append(parse_band(str(label)))
        except AgeBandError as exc:
            bad = column.index[column.to_numpy() == label]
            raise InputError(
                f"column age_band: {exc.message} (rows {_row_labels(bad)})",
                column="age_band",
                rule="age band format",
                values=[label],
            ) from None
    # the same band may be written two ways ("16-24", "16–24"): merge them
    distinct = sorted(set(bands), key=lambda b: (b.lower, b.upper is None, b.upper or 0))
    index = {b: i for i, b in enumerate(distinct)}
    remap = np.array([index[b] for b in bands], dtype=np.int64)
    oldest = distinct[-1]
    scope = AgeBand(distinct[0].lower, None if any(b.is_open for b in distinct) else oldest.upper)
    try:
        check_partition(distinct, scope, what="column age_band")
    except AgeBandError as exc:
        raise InputError(
            exc.message + "; population bands must not overlap or leave gaps",
            column="age_band",
            rule="bands do not overlap or leave gaps",
            values=exc.values,
        ) from None
    return remap[codes], tuple(distinct)


def _key_groups(frame: pd.DataFrame, keys: list[str]) -> tuple[IntArray, pd.DataFrame]:
    """Dense key-group codes per row (in sorted key order) and one row per group."""
    n = len(frame)
    if not keys:
        return np.zeros(n, dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    per_key: list[tuple[IntArray, pd.Index]] = []
    for key in keys:
        try:
            codes, uniques = codes_of(frame[key])
        except TypeError:
            raise _unhashable(frame[key], key) from None
        if (codes < 0).any():
            raise InputError(
                f"column {key}: missing values in rows "
                f"{_row_labels(frame.index[codes < 0])}; key columns must be filled in",
                column=key,
                rule="no missing keys",
                values=[None],
                rows=frame[codes < 0].head(10),
            )
        _check_key_values(frame, key, codes, uniques)
        per_key.append((codes, uniques))
    if len(per_key) == 1 and np.bincount(per_key[0][0], minlength=len(per_key[0][1])).all():
        # one key whose every value is used (an area code column): its codes are the groups
        group, group_codes = per_key[0][0], [np.arange(len(per_key[0][1]), dtype=np.int64)]
    else:
        group, rep = group_ids([c for c, _ in per_key], [len(u) for _, u in per_key])
        group_codes = [codes[rep] for codes, _ in per_key]
    groups = pd.DataFrame(
        {
            key: _group_column(frame[key], uniques, codes)
            for key, (_, uniques), codes in zip(keys, per_key, group_codes, strict=True)
        }
    )
    if "area_code" in keys and "area_name" in keys:
        _check_one_name_per_code(frame, per_key[keys.index("area_code")], groups)
    return group, groups


def _check_one_name_per_code(
    frame: pd.DataFrame, code_key: tuple[IntArray, pd.Index], groups: pd.DataFrame
) -> None:
    """One area code, one name: two names for a code would split the area in two."""
    pairs = groups[["area_code", "area_name"]].drop_duplicates()
    twice = pairs["area_code"].duplicated(keep=False).to_numpy()
    if not twice.any():
        return
    code = pairs.loc[twice, "area_code"].iloc[0]
    names = list(dict.fromkeys(pairs.loc[pairs["area_code"] == code, "area_name"]))
    codes, uniques = code_key
    rows = codes == uniques.get_loc(code)
    raise InputError(
        f"column area_name: area_code {code} has {len(names)} names, {_quote(names)} (rows "
        f"{_row_labels(frame.index[rows])}), so its people would be counted as separate "
        "areas; give each area code one name",
        column="area_name",
        rule="one name per area code",
        values=names,
        rows=frame[rows].head(10),
    )


def _group_column(column: pd.Series, uniques: pd.Index, codes: IntArray) -> pd.Series:
    """One key column of the groups frame: numbers stay numbers; text becomes categorical."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not isinstance(
        column.dtype, pd.CategoricalDtype
    ):
        return pd.Series(uniques.take(codes), dtype=column.dtype)
    used = np.unique(codes)
    remap = np.full(len(uniques), -1, dtype=np.int64)
    remap[used] = np.arange(len(used), dtype=np.int64)
    return pd.Series(pd.Categorical.from_codes(remap[codes], categories=uniques.take(used)))


def _check_duplicates(frame: pd.DataFrame, pop: Population, age_col: str) -> None:
    counts = np.bincount(pop.cell, minlength=pop.n_groups * 2 * len(pop.units))
    if counts.max(initial=0) > 1:
        dup = counts[pop.cell] > 1
        rows = frame[dup].head(10)
        cols = [*pop.keys, "sex", age_col]
        raise InputError(
            f"population frame: duplicate rows for the same {', '.join(cols)} "
            f"(rows {_row_labels(frame.index[dup])}); each key, sex and age must appear once",
            column=age_col,
            rule="one row per key, sex and age",
            values=[tuple(r) for r in rows[cols].itertuples(index=False)],
            rows=rows,
        )


def _check_number_kind(column: pd.Series, name: str, what: str) -> None:
    """Numbers only: not true/false, complex numbers, dates or durations."""
    dtype = column.dtype
    kind = None
    if pd.api.types.is_bool_dtype(dtype):
        kind = "true/false values"
    elif pd.api.types.is_complex_dtype(dtype):
        kind = "complex numbers"
    elif pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        kind = "dates"
    elif pd.api.types.is_timedelta64_dtype(dtype):
        kind = "durations"
    if kind is not None:
        raise InputError(
            f"column {name}: holds {kind}, not {what}",
            column=name,
            rule="numeric",
            values=[str(dtype)],
        )


def _unhashable(column: pd.Series, name: str) -> InputError:
    """A column holding lists, dicts or other values that are not single values."""
    bad = column.map(lambda v: not isinstance(v, Hashable)).to_numpy(dtype=bool)
    first = column[bad].iloc[0] if bad.any() else None
    return InputError(
        f"column {name}: value {first!r} (rows {_row_labels(column.index[bad])}) is a "
        f"{type(first).__name__}, not a single value",
        column=name,
        rule="single values",
        values=list(column[bad].head(10)),
        rows=column[bad].head(10).to_frame(),
    )


def _check_key_values(frame: pd.DataFrame, key: str, codes: IntArray, uniques: pd.Index) -> None:
    """Key values must be filled in and distinct as written: no blank text, no text that
    means missing, and no two values that print the same (``2014`` and ``"2014"``,
    ``"E06000017"`` and ``"E06000017 "``), which would split one group in two."""
    if len(uniques) == 0 or (
        pd.api.types.is_numeric_dtype(uniques.dtype) or pd.api.types.is_bool_dtype(uniques.dtype)
    ):
        return
    plain = plain_text(uniques)
    if plain is not None and plain.all():  # each prints as itself, and they are distinct
        lowered = pd.Index(uniques).astype("str").str.lower()
        if not np.asarray(lowered.isin(list(MISSING_TEXT)), dtype=bool).any():
            return
    text = pd.Series(printed_all(uniques), dtype=object)
    blank = (text == "") | text.str.lower().isin(MISSING_TEXT)
    alike = text.duplicated(keep=False)
    if not (blank.any() or alike.any()):
        return
    used = np.zeros(len(uniques), dtype=bool)  # a categorical may list unused categories
    used[codes[codes >= 0]] = True
    blank &= used
    if blank.any():
        value = uniques[int(np.flatnonzero(blank)[0])]
        rows = codes == int(np.flatnonzero(blank)[0])
        what = "blank" if printed(value) == "" else "text that means a missing value"
        raise InputError(
            f"column {key}: value {value!r} (rows {_row_labels(frame.index[rows])}) is {what}; "
            "key columns must be filled in",
            column=key,
            rule="no missing keys",
            values=[value],
            rows=frame[rows].head(10),
        )
    twins = text[used].duplicated(keep=False).reindex(text.index, fill_value=False).to_numpy()
    if twins.any():
        first = text[twins].iloc[0]
        same = np.flatnonzero(twins & (text == first).to_numpy())
        values = [uniques[int(i)] for i in same]
        rows = np.isin(codes, same)
        raise InputError(
            f"column {key}: values {quoted_apart(values)} (rows {_row_labels(frame.index[rows])}) "
            "look the same but differ (spaces, invisible characters or Unicode forms in the "
            "text, or a number and a text), so they would be counted as separate groups; "
            "make them the same",
            column=key,
            rule="key values distinct as printed",
            values=values,
            rows=frame[rows].head(10),
        )


def _sex_key(label: object) -> str:
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        return str(int(label))
    if isinstance(label, (float, np.floating)) and float(label).is_integer():
        return str(int(label))
    return str(label).strip().lower()


def _quote(values: Sequence[object]) -> str:
    return ", ".join(repr(v) for v in values[:10])


def _row_labels(index: pd.Index | Sequence[object], limit: int = 5) -> str:
    labels = list(index[: limit + 1])
    shown = ", ".join(str(x) for x in labels[:limit])
    more = len(index) - limit
    return shown + (f" and {more} more" if more > 0 else "")
