"""Transitional: moved to mhneed.outputs (issue 17); removed once importers move.

area_table is in mhneed.outputs.areas, area_pivot in mhneed.outputs.area_pivot.
"""

from mhneed.outputs.area_pivot import area_pivot as area_pivot
from mhneed.outputs.areas import AREA_MEASURES as AREA_MEASURES
from mhneed.outputs.areas import area_table as area_table

__all__ = ["AREA_MEASURES", "area_pivot", "area_table"]
