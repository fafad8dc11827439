"""Transitional: moved to mhneed.outputs.age_sex_chart and mhneed.outputs.years_chart (issue
17); removed once importers move."""

from mhneed.outputs.age_sex_chart import *  # noqa: F403
from mhneed.outputs.chart_style import COLOURS as COLOURS
from mhneed.outputs.years_chart import *  # noqa: F403
