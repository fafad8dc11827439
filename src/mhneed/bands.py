"""Transitional: moved to mhneed.published.bands (issue 17); removed once importers move."""

from mhneed.published.bands import *  # noqa: F403
from mhneed.published.bands import format_bands as format_bands
