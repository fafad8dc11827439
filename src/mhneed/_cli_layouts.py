"""Transitional: moved to mhneed.cli.layouts (issue 17); removed once importers move."""

from mhneed.cli.layouts import *  # noqa: F403
