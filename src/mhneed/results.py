"""Transitional: moved to mhneed.engine.results (issue 17); removed once importers move.

Estimate is in mhneed.engine.results; the labels (NO_INTERVAL, OUT_OF_SCOPE,
OVERLAP_WARNING, denominator_warning, interval_label, mixed_label, wilson_label) in
mhneed._labels; the rounding rules (_round_values, now round_values) in
mhneed.engine.rounding.
"""

from mhneed._labels import NO_INTERVAL as NO_INTERVAL
from mhneed._labels import OUT_OF_SCOPE as OUT_OF_SCOPE
from mhneed._labels import OVERLAP_WARNING as OVERLAP_WARNING
from mhneed._labels import denominator_warning as denominator_warning
from mhneed._labels import interval_label as interval_label
from mhneed._labels import mixed_label as mixed_label
from mhneed._labels import wilson_label as wilson_label
from mhneed.engine.results import Estimate as Estimate
from mhneed.engine.rounding import ROUND_MAX as ROUND_MAX
from mhneed.engine.rounding import ROUND_MIN as ROUND_MIN
from mhneed.engine.rounding import round_values as _round_values  # noqa: F401

__all__ = [
    "NO_INTERVAL",
    "OUT_OF_SCOPE",
    "OVERLAP_WARNING",
    "Estimate",
    "denominator_warning",
    "interval_label",
    "mixed_label",
    "wilson_label",
]
