"""The estimate: population × published rate table → estimated caseload, with a range.

:func:`estimate` aggregates the population to each condition's cells (the
table's sex-by-age-band rows) and multiplies by the cell's rate, lower and
upper limits. Everyone in the input is either in a cell or counted in the
coverage report as out of scope (too young, too old, or of a sex the condition
does not cover).

How it works, for readers following a number: the population is summed into a
dense array ``P`` of key groups × (sex, age unit); the plan
(:mod:`mhneed.engine.plan`) says what share of each (sex, age unit) falls in each
cell or out-of-scope reason (1 or 0 for single years of age; the share of the
band's years when a banded population is split uniformly), keeping each
distinct column of shares once; one matrix product gives every cell's
population in every key group, with no loop over areas. The cells stay arrays
(:class:`mhneed.engine.cells.CellBlock`): the frame of key groups × cells is
built only when asked for, and summaries are taken from the arrays.
"""

# Transitional: moved to mhneed.engine (issue 17); removed once importers move: estimate,
# resolve_table and resolve_conditions are in mhneed.engine.estimate, estimate_chunks in
# mhneed.engine.chunks, keys_frame and tile_categorical in mhneed.engine.cells. The
# docstring above stays until then: docs/api.md's "::: mhneed.estimate" renders this
# module (its docstring and these names), and tests/docs require that line as it is.
# In the order the page listed them before the move:
# isort: off
from mhneed.engine.cells import keys_frame as keys_frame
from mhneed.engine.cells import tile_categorical as tile_categorical
from mhneed.engine.estimate import estimate as estimate
from mhneed.engine.chunks import estimate_chunks as estimate_chunks
from mhneed.engine.estimate import resolve_table as resolve_table
from mhneed.engine.estimate import resolve_conditions as resolve_conditions

# isort: on

__all__ = [
    "estimate",
    "estimate_chunks",
    "keys_frame",
    "resolve_conditions",
    "resolve_table",
    "tile_categorical",
]
