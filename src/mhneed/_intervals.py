"""Transitional: moved to mhneed.engine (issue 17); removed once importers move.

STRATUM, combine and logit_sides are in mhneed.engine.intervals, simulate_limits
(with REPLICATES and _percentiles) in mhneed.engine.simulation, apply_survey_bases in
mhneed.engine.survey_bases.
"""

from mhneed.engine.intervals import STRATUM as STRATUM
from mhneed.engine.intervals import combine as combine
from mhneed.engine.intervals import logit_sides as logit_sides
from mhneed.engine.simulation import REPLICATES as REPLICATES
from mhneed.engine.simulation import _percentiles as _percentiles
from mhneed.engine.simulation import simulate_limits as simulate_limits
from mhneed.engine.survey_bases import apply_survey_bases as apply_survey_bases

__all__ = ["STRATUM", "apply_survey_bases", "combine", "logit_sides", "simulate_limits"]
