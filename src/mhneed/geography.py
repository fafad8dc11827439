"""Transitional: moved to mhneed.inputs.geography (issue 17); removed once importers move."""

from mhneed.inputs.geography import *  # noqa: F403
