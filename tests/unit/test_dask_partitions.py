"""Unit tests for mhneed.engine.dask_partitions: a Dask DataFrame estimated partition by partition."""

from __future__ import annotations

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError

dd = pytest.importorskip("dask.dataframe", reason="the dask extra is part of the test extra")
dask = pytest.importorskip("dask")


@pytest.fixture(autouse=True)
def _same_strings() -> object:
    """Keep text as pandas text (dask would convert it), so both paths see identical input."""
    with dask.config.set({"dataframe.convert-string": False}):
        yield


def areas() -> pd.DataFrame:
    """Rutland's real 2014 population under six area codes, scaled (test values)."""
    base = mhneed.rutland_population().drop(columns=["area_name"])
    parts = [
        base.assign(area_code=f"E0100000{i}", population=base["population"] * (0.5 + i / 10))
        for i in range(6)
    ]
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("scheduler", ["threads", "synchronous"])
def test_dask_equals_pandas(scheduler: str) -> None:
    """Partitions holding whole areas give exactly the pandas estimate, summary and coverage."""
    frame = areas()
    ddf = dd.from_pandas(frame.set_index("area_code"), npartitions=3).reset_index()
    assert ddf.npartitions == 3
    with dask.config.set(scheduler=scheduler):
        got = mhneed.estimate(ddf, "apms_2014", top_age=90)
    want = mhneed.estimate(frame, "apms_2014", top_age=90)
    pd.testing.assert_frame_equal(got.to_frame(), want.to_frame())
    pd.testing.assert_frame_equal(got.coverage, want.coverage)
    by = ["area_code", "condition"]
    pd.testing.assert_frame_equal(got.summarise(by).to_frame(), want.summarise(by).to_frame())
    by = ["condition"]
    pd.testing.assert_frame_equal(got.summarise(by).to_frame(), want.summarise(by).to_frame())


def test_area_spanning_partitions_refused() -> None:
    """An area split across partitions is refused rather than double counted."""
    frame = areas().sample(frac=1.0, random_state=1)
    ddf = dd.from_pandas(frame, npartitions=2, sort=False)
    with pytest.raises(InputError, match="key groups appear in more than one part"):
        mhneed.estimate(ddf, "apms_2014", top_age=90)


def test_bad_partition_error_surfaces() -> None:
    """A validation error inside a partition reaches the caller as mhneed's own error."""
    frame = areas()
    frame.loc[5, "population"] = -1
    ddf = dd.from_pandas(frame.set_index("area_code"), npartitions=2).reset_index()
    with pytest.raises(InputError, match="column population: negative value -1"):
        mhneed.estimate(ddf, "apms_2014", top_age=90)
