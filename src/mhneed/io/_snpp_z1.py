"""Transitional: moved to mhneed.inputs.snpp_z1 (issue 17); removed once importers move."""

from mhneed.inputs.snpp_z1 import *  # noqa: F403
