"""Transitional: moved to mhneed.outputs.projection_change (issue 17); removed once importers
move."""

from mhneed.outputs.projection_change import *  # noqa: F403
