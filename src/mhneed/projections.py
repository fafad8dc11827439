"""Transitional: moved to mhneed.outputs.projections (issue 17); removed once importers move."""

from mhneed.outputs.projections import *  # noqa: F403
