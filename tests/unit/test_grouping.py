"""Unit tests for mhneed.engine.grouping: summarise(by=..., groups=...), areas combined into groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import mhneed
from mhneed.errors import CombineError, InputError, MissingColumnError
from mhneed.published.rates import RateTable

AREAS = ("A1", "A2", "A3")


def population(areas: tuple[str, ...] = AREAS) -> pd.DataFrame:
    """Single years 14-80 for each area and sex, with different counts per area."""
    rows = []
    for k, area in enumerate(areas, start=1):
        for sex in ("female", "male"):
            for age in range(14, 81):
                rows.append((area, sex, age, float(k * 10 + (age % 7) + (sex == "male"))))
    return pd.DataFrame(rows, columns=["area_code", "sex", "age", "population"])


def merged(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """The population with areas replaced by their group: one area per group."""
    out = frame.assign(area_code=frame["area_code"].map(mapping))
    return out.groupby(["area_code", "sex", "age"], as_index=False)["population"].sum()


def banded_table(interval: str) -> RateTable:
    """An age-by-sex table with a range on every cell (a CI or a published range)."""
    bands = ["16-34", "35-54", "55+"]
    rows = []
    for sex, base in (("female", 10.0), ("male", 6.0)):
        for i, band in enumerate(bands):
            rate = base + 2 * i
            rows.append(("c", sex, band, rate, rate - 1.5, rate + 2.0, "s"))
    meta = {
        "id": "test_banded",
        "title": "test",
        "publisher": "test",
        "edition": 2020,
        "geography": "England",
        "population": "adults",
        "ages": "16+",
        "denominator": "persons",
        "interval": interval,
        "level": 0.95 if interval == "confidence_interval" else None,
        "unit": "percent",
        "conditions": [{"id": "c", "label": "c", "period": "p", "ages": "16+"}],
        "sources": [{"id": "s", "citation": "test", "kind": "primary"}],
    }
    frame = pd.DataFrame(
        rows, columns=["condition", "sex", "age_band", "rate", "lower", "upper", "source"]
    )
    return RateTable.from_frame(frame, meta)


def values(frame: pd.DataFrame) -> np.ndarray:
    """The numbers of a summary, for comparing."""
    return frame[["population", "cases", "cases_lower", "cases_upper"]].to_numpy(dtype=float)


@pytest.mark.parametrize("interval", ["confidence_interval", "published_range"])
def test_group_equals_one_area_with_the_combined_population(interval: str) -> None:
    """Grouping areas gives what one area with their summed population gives, ranges too."""
    table = banded_table(interval)
    mapping = {"A1": "north", "A2": "north", "A3": "south"}
    grouped = (
        mhneed.estimate(population(), table)
        .summarise(by=["group", "condition"], groups=mapping)
        .to_frame()
    )
    direct = (
        mhneed.estimate(merged(population(), mapping), table)
        .summarise(by=["area_code", "condition"])
        .to_frame()
    )
    assert grouped["group"].tolist() == ["north", "south"]
    np.testing.assert_allclose(values(grouped), values(direct), rtol=1e-12)


def test_confidence_intervals_are_not_added_bound_to_bound() -> None:
    """A group's CI is narrower than the sum of its areas' CIs (strata summed first)."""
    table = banded_table("confidence_interval")
    est = mhneed.estimate(population(), table)
    mapping = dict.fromkeys(AREAS, "all")
    group = est.summarise(by=["group", "condition"], groups=mapping).to_frame()
    areas = est.summarise(by=["area_code", "condition"]).to_frame()
    assert group["cases"].iloc[0] == pytest.approx(areas["cases"].sum(), rel=1e-12)
    width = group["cases_upper"].iloc[0] - group["cases_lower"].iloc[0]
    naive = areas["cases_upper"].sum() - areas["cases_lower"].sum()
    assert width < naive


def test_published_ranges_add_bound_to_bound() -> None:
    """A group's published range is the sum of its areas' bounds."""
    table = banded_table("published_range")
    est = mhneed.estimate(population(), table)
    group = est.summarise(by=["group"], groups=dict.fromkeys(AREAS, "all")).to_frame()
    areas = est.summarise(by=["area_code"]).to_frame()
    for col in ("cases", "cases_lower", "cases_upper"):
        assert group[col].iloc[0] == pytest.approx(areas[col].sum(), rel=1e-12)


def test_groups_as_a_frame_and_by_sex() -> None:
    """A mapping frame works like a dict, and other by columns still apply."""
    table = banded_table("confidence_interval")
    est = mhneed.estimate(population(), table)
    frame = pd.DataFrame({"area_code": ["A3", "A1", "A2", "Z9"], "group": ["s", "n", "n", "x"]})
    by_frame = est.summarise(by=["group", "sex"], groups=frame).to_frame()
    by_dict = est.summarise(by=["group", "sex"], groups={"A1": "n", "A2": "n", "A3": "s"})
    pd.testing.assert_frame_equal(by_frame, by_dict.to_frame())
    assert list(by_frame.columns[:3]) == ["group", "sex", "condition"]
    assert len(by_frame) == 4


def test_grouped_estimate_keeps_the_group_key() -> None:
    """The grouped estimate's keys, cells and coverage carry the group column."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    mapping = {"A1": "n", "A2": "n", "A3": "s"}
    grouped = est.summarise(by=["group", "area_code", "condition"], groups=mapping)
    assert grouped.keys == ["area_code", "group"]
    assert grouped.coverage["group"].tolist() == ["n", "n", "s"]
    again = grouped.summarise(by=["group", "condition"]).to_frame()
    direct = est.summarise(by=["group", "condition"], groups=mapping).to_frame()
    pd.testing.assert_frame_equal(again, direct)
    assert grouped.provenance()["by"] == ["group", "area_code", "condition"]


def test_groups_with_a_year_key() -> None:
    """Groups combine with other keys such as year."""
    frames = [population().assign(year=y) for y in (2020, 2021)]
    est = mhneed.estimate(pd.concat(frames, ignore_index=True), "apms_2014", conditions=["gad"])
    out = est.summarise(by=["year", "group", "condition"], groups=dict.fromkeys(AREAS, "g"))
    frame = out.to_frame()
    assert frame["year"].tolist() == [2020, 2021]
    assert frame["cases"].iloc[0] == pytest.approx(frame["cases"].iloc[1], rel=1e-12)


def test_area_missing_from_groups() -> None:
    """Areas without a group are an error listing them."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as exc:
        est.summarise(by=["group", "condition"], groups={"A1": "n"})
    assert str(exc.value) == (
        "summarise: groups has no group for area_code A2, A3 (2 areas); every area in the "
        "estimate needs a group"
    )
    assert exc.value.values == ("A2", "A3")
    assert exc.value.column == "area_code"


def test_area_in_two_groups() -> None:
    """An area mapped to two groups is an error."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    frame = pd.DataFrame({"area_code": ["A1", "A1", "A2", "A3"], "group": ["n", "s", "n", "s"]})
    with pytest.raises(InputError) as exc:
        est.summarise(by=["group", "condition"], groups=frame)
    assert str(exc.value) == (
        "summarise: area_code A1 is mapped to more than one group (n, s); map each area to one "
        "group, and summarise overlapping groupings separately"
    )


def test_group_missing_value() -> None:
    """A missing group in the mapping is an error."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as exc:
        est.summarise(by=["group", "condition"], groups={"A1": "n", "A2": None, "A3": "s"})
    assert str(exc.value) == "summarise: groups has no group (a missing value) for area_code A2"


def test_group_frame_without_columns() -> None:
    """A mapping frame needs area_code and group columns."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    frame = pd.DataFrame({"area_code": list(AREAS), "county": ["n", "n", "s"]})
    with pytest.raises(MissingColumnError) as exc:
        est.summarise(by=["group", "condition"], groups=frame)
    assert str(exc.value) == (
        "summarise: the groups frame has no column 'group'; it needs area_code and group; "
        "it has: area_code, county"
    )


def test_groups_of_the_wrong_type() -> None:
    """groups must be a dict or a DataFrame."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as exc:
        est.summarise(by=["group", "condition"], groups=["A1", "A2"])  # type: ignore[arg-type]
    assert str(exc.value) == (
        "summarise: groups must be a dict of area_code to group, or a DataFrame with columns "
        "area_code and group, not list"
    )


def test_groups_need_group_in_by() -> None:
    """Giving groups without summarising by group is an error, not silently ignored."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as exc:
        est.summarise(by=["condition"], groups=dict.fromkeys(AREAS, "g"))
    assert str(exc.value) == (
        "summarise(by=['condition']): groups= was given but 'group' is not in by; add it, such "
        "as by=['group', 'condition']"
    )


def test_groups_need_an_area_code_key() -> None:
    """An estimate without area_code cannot be grouped by area."""
    frame = population().rename(columns={"area_code": "district"})
    est = mhneed.estimate(frame, "apms_2014", conditions=["gad"])
    with pytest.raises(MissingColumnError) as exc:
        est.summarise(by=["group", "condition"], groups=dict.fromkeys(AREAS, "g"))
    assert str(exc.value) == (
        "summarise: groups map area_code to a group, but the estimate has no area_code key "
        "column; its keys are: district"
    )


def test_group_already_a_key() -> None:
    """An estimate that already has a group key cannot be given another."""
    frame = population().assign(group="x")
    est = mhneed.estimate(frame, "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as exc:
        est.summarise(by=["group", "condition"], groups=dict.fromkeys(AREAS, "g"))
    assert str(exc.value) == (
        "summarise: the estimate already has a key column 'group'; summarise by it directly, "
        "or rename it before estimating"
    )


def test_group_without_groups_is_unknown() -> None:
    """by=['group'] without groups= is the usual unknown-column error."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(MissingColumnError, match="by column 'group' not in the estimate"):
        est.summarise(by=["group", "condition"])


def test_groups_do_not_add_conditions() -> None:
    """Grouping keeps the rule against adding across conditions."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad", "ocd"])
    with pytest.raises(CombineError):
        est.summarise(by=["group"], groups=dict.fromkeys(AREAS, "g"))


def test_summarise_without_groups_unchanged() -> None:
    """Summaries without groups are as before: no group column anywhere."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    summary = est.summarise(by=["area_code", "condition"])
    assert "group" not in summary.to_frame().columns
    assert summary.keys == ["area_code"]
    assert "group" not in summary.coverage.columns


# -- group names that differ only invisibly (issue 15) -----------------------------------

ALIKE = (
    "look the same but differ (spaces, invisible characters or Unicode forms in the text, "
    "or a number and a text), so one group would be split in two; make them the same"
)


@pytest.mark.parametrize(
    ("groups", "shown"),
    [
        ({"A1": "g1", "A2": "g1 ", "A3": "g2"}, "'g1', 'g1 ' (for area_code A1, A2)"),
        ({"A1": 1, "A2": "1", "A3": 2}, "1, '1' (for area_code A1, A2)"),
        ({"A1": "g", "A2": "g\u200b", "A3": "g"}, "'g', 'g\\u200b' (for area_code A1, A2, A3)"),
        (
            {"A1": "Caf\u00e9", "A2": "Cafe\u0301", "A3": "x"},
            "'Caf\\xe9', 'Cafe\\u0301' (for area_code A1, A2)",
        ),
        ({"A1": "g\u00a01", "A2": "g 1", "A3": "x"}, "'g\\xa01', 'g 1' (for area_code A1, A2)"),
    ],
)
def test_group_names_that_print_alike_are_refused(groups: dict[str, object], shown: str) -> None:
    """Two group names that print the same would split one group: refused, naming both."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as info:
        est.summarise(by=["group", "condition"], groups=groups)
    assert str(info.value) == f"summarise: group names {shown} {ALIKE}"
    assert (info.value.column, info.value.rule) == ("group", "group names distinct as printed")


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("", "blank"),
        ("  ", "blank"),
        ("nan", "text that means a missing value"),
        ("NULL", "text that means a missing value"),
    ],
)
def test_blank_group_names_are_refused(name: str, what: str) -> None:
    """A group named '' or 'nan' is no group: refused, naming the area."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as info:
        est.summarise(by=["group", "condition"], groups={"A1": "x", "A2": name, "A3": "x"})
    assert str(info.value) == (
        f"summarise: groups gives area_code A2 the group {name!r}, which is {what}; every area "
        "needs a named group"
    )
    assert info.value.rule == "no missing groups"


def test_list_as_group_name_is_refused() -> None:
    """A list as a group name is an InputError, not a TypeError."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as info:
        est.summarise(by=["group", "condition"], groups={"A1": ["x"], "A2": "x", "A3": "x"})
    assert str(info.value) == (
        "summarise: groups gives area_code A1 the group ['x'], a list, not a single value; "
        "give each area one group name"
    )


def test_numbers_that_are_equal_are_one_group() -> None:
    """1 and 1.0 are one group to pandas, so they are not refused, and they add up."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    out = est.summarise(by=["group", "condition"], groups={"A1": 1, "A2": 1.0, "A3": 2})
    assert len(out.to_frame()) == 2


@pytest.mark.parametrize("by", [None, 3, [None], {"area_code": 1}])
def test_by_must_be_column_names(by: object) -> None:
    """summarise(by=None) and other non-lists are an InputError naming by."""
    est = mhneed.estimate(population(), "apms_2014", conditions=["gad"])
    with pytest.raises(InputError) as info:
        est.summarise(by=by)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"summarise: by={by!r} is not a list of column names; give the key columns to keep, "
        "such as by=['area_code', 'condition']"
    )
    assert info.value.column == "by"
