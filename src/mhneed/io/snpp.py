"""Transitional: moved to mhneed.inputs.snpp (issue 17); removed once importers move."""

from mhneed.inputs.snpp import *  # noqa: F403
