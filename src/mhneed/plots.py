"""Transitional: moved to mhneed.outputs.plots (issue 17); removed once importers move."""

from mhneed.outputs.plots import *  # noqa: F403
