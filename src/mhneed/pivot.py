"""Transitional: moved to mhneed.outputs.pivot (issue 17); removed once importers move."""

from mhneed.outputs.pivot import *  # noqa: F403
