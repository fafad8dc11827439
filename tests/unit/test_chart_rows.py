"""Unit tests for mhneed.outputs.chart_rows: the report rows one chart draws."""

from __future__ import annotations

import pandas as pd
import pytest

import mhneed
from mhneed.errors import InputError

pytest.importorskip("matplotlib")


def test_select_one_group() -> None:
    """Several areas need select=; a bad select is named."""
    twin = mhneed.rutland_population().assign(area_code="E99999999", area_name="Twin")
    people = pd.concat([mhneed.rutland_population(), twin], ignore_index=True)
    rep = mhneed.report_table(mhneed.estimate(people, "apms_2007_psychosis", top_age=90))
    with pytest.raises(InputError) as err:
        mhneed.plot_age_sex(rep, "psychotic_disorder")
    assert str(err.value) == (
        "plot_age_sex: the report has 2 areas or groups (Rutland (E06000017), 2014; "
        "Twin (E99999999), 2014); choose one with select={'area_code': ...}"
    )
    fig = mhneed.plot_age_sex(rep, "psychotic_disorder", select={"area_code": "E99999999"})
    assert "Twin (E99999999)" in fig.axes[0].get_title(loc="left")
    with pytest.raises(InputError) as err:
        mhneed.plot_age_sex(rep, "psychotic_disorder", select={"ward": "W1"})
    assert str(err.value) == (
        "plot_age_sex: select names 'ward', which is not a key column of the report; its "
        "keys are: area_code, area_name, year"
    )
    with pytest.raises(InputError) as err:
        mhneed.plot_age_sex(rep, "psychotic_disorder", select={"area_code": "E0"})
    assert (
        str(err.value) == "plot_age_sex: select={'area_code': 'E0'} matches no rows of the report"
    )
