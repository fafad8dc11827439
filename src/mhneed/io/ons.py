"""Transitional: moved to mhneed.inputs.ons_mye2 and mhneed.inputs.ons_births (issue 17);
removed once importers move."""

from mhneed.inputs.ons_births import *  # noqa: F403
from mhneed.inputs.ons_mye2 import *  # noqa: F403
