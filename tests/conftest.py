"""Shared test set-up: Hypothesis profiles and paths to the fixture data."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

#: Small real files copied from ../shared/data (see tests/data/README.md for licences).
DATA = Path(__file__).parent / "data"

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")
