"""Recorded against estimated: the share of estimated need that services record.

:func:`compare` joins counts a service records by area (people on a GP
register, people entering NHS Talking Therapies treatment) to an estimate of
how many people have the condition, by key columns (never by row position),
and gives the share of estimated need met, ``recorded / cases``, with its
range: ``recorded / cases_upper`` to ``recorded / cases_lower``.
"""

# Transitional: moved to mhneed.outputs.compare (issue 17); removed once importers move.
# The docstring above stays until then: docs/api.md's "::: mhneed.compare" renders this
# module (its docstring and compare), and tests/docs require that line as it is.
from mhneed.outputs.compare import *  # noqa: F403
