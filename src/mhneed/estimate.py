"""Transitional: moved to mhneed.engine (issue 17); removed once importers move.

estimate, resolve_table and resolve_conditions are in mhneed.engine.estimate,
estimate_chunks in mhneed.engine.chunks, keys_frame and tile_categorical in
mhneed.engine.cells.
"""

from mhneed.engine.cells import keys_frame as keys_frame
from mhneed.engine.cells import tile_categorical as tile_categorical
from mhneed.engine.chunks import estimate_chunks as estimate_chunks
from mhneed.engine.estimate import estimate as estimate
from mhneed.engine.estimate import resolve_conditions as resolve_conditions
from mhneed.engine.estimate import resolve_table as resolve_table

__all__ = ["estimate", "estimate_chunks", "keys_frame", "resolve_table", "tile_categorical"]
