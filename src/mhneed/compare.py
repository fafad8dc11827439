"""Transitional: moved to mhneed.outputs.compare (issue 17); removed once importers move."""

from mhneed.outputs.compare import *  # noqa: F403
