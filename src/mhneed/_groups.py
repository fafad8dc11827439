"""Transitional: moved to mhneed.engine.grouping (issue 17); removed once importers move."""

from mhneed.engine.grouping import with_groups as with_groups

__all__ = ["with_groups"]
