"""Transitional: moved to mhneed.outputs.standardise (issue 17); removed once importers move."""

from mhneed.outputs.standardise import *  # noqa: F403
