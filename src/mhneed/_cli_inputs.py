"""Transitional: moved to mhneed.cli.inputs (issue 17); removed once importers move."""

from mhneed.cli.inputs import *  # noqa: F403
