"""Transitional: moved to mhneed.outputs.area_charts (issue 17); removed once importers move."""

from mhneed.outputs.area_charts import *  # noqa: F403
