"""Transitional: moved to mhneed.outputs.areas (issue 17); removed once importers move."""

from mhneed.outputs.areas import *  # noqa: F403
