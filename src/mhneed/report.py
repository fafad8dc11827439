"""Transitional: moved to mhneed.outputs.report (issue 17); removed once importers move."""

from mhneed.outputs.report import *  # noqa: F403
from mhneed.outputs.report import KEY_HEADINGS as KEY_HEADINGS
from mhneed.outputs.report import format_range as format_range
from mhneed.outputs.report import place as place
