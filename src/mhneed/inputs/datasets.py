"""Small real datasets shipped with mhneed, for examples and the demo.

See ``mhneed/data/README.md`` for each file's source and licence.
"""

from __future__ import annotations

import io
from importlib import resources

import pandas as pd

__all__ = ["rutland_births", "rutland_population"]


def rutland_population() -> pd.DataFrame:
    """Rutland's mid-2014 population by sex and single year of age (ONS MYE2).

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code, area_name, year, sex, age, population``; 182 rows,
        38,022 persons. Age 90 means 90 and over, so ``attrs["top_age"]`` is 90
        and :func:`mhneed.estimate` treats it that way.

    Notes
    -----
    Source: Office for National Statistics, *MYE2: Population Estimates by
    single year of age and sex for local authorities in the UK, mid-2014*,
    licensed under the Open Government Licence v3.0.
    """
    text = resources.files("mhneed").joinpath("data/rutland_mye2_2014.csv").read_text("utf-8")
    frame = pd.read_csv(io.StringIO(text), dtype={"area_code": str, "area_name": str})
    frame.attrs["top_age"] = 90
    frame.attrs["source"] = (
        "Office for National Statistics, MYE2 mid-2014, Open Government Licence v3.0"
    )
    return frame


def rutland_births() -> pd.DataFrame:
    """Rutland's live births in 2014 (ONS births by area of usual residence of mother).

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code, area_name, year, births``; one row: E06000017,
        Rutland, 2014, 341 [live births]. These are live births, not
        maternities: give ``denominator="live_births"`` to
        :func:`mhneed.estimate_perinatal`.

    Notes
    -----
    Source: Office for National Statistics, *Births in England and Wales by
    area of usual residence of mother, 2014*, Table 3 (row "Rutland UA"),
    licensed under the Open Government Licence v3.0.
    """
    text = resources.files("mhneed").joinpath("data/rutland_births_2014.csv").read_text("utf-8")
    frame = pd.read_csv(io.StringIO(text), dtype={"area_code": str, "area_name": str})
    frame.attrs["source"] = (
        "Office for National Statistics, live births by area of usual residence of mother, "
        "2014, Open Government Licence v3.0"
    )
    return frame
