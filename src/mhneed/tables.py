"""Transitional: moved to mhneed.published.tables (issue 17); removed once importers move."""

from mhneed.published.tables import *  # noqa: F403
