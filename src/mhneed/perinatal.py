"""Transitional: moved to mhneed.engine.perinatal (issue 17); removed once importers move."""

from mhneed.engine.perinatal import BIRTH_COUNTS as BIRTH_COUNTS
from mhneed.engine.perinatal import estimate_perinatal as estimate_perinatal

__all__ = ["BIRTH_COUNTS", "estimate_perinatal"]
