"""Transitional: moved to mhneed.outputs.workbook (issue 17); removed once importers move."""

from mhneed.outputs.workbook import *  # noqa: F403
