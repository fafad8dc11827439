"""Transitional: moved to mhneed._group_ids (issue 17); removed once importers move."""

from mhneed._group_ids import *  # noqa: F403
