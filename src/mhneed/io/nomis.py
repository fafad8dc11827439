"""Transitional: moved to mhneed.inputs.nomis (issue 17); removed once importers move."""

from mhneed.inputs.nomis import *  # noqa: F403
