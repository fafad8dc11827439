"""Transitional: moved to mhneed.published.rate_file_long and rate_file_wide (issue 17);
removed once importers move."""

from mhneed.published.rate_file_long import *  # noqa: F403
from mhneed.published.rate_file_wide import *  # noqa: F403
from mhneed.published.unit_check import PLAUSIBLE_MAX_PROPORTION as PLAUSIBLE_MAX_PROPORTION
