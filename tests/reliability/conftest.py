"""Set-up for the reliability tests: the ``fuzz`` marker."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Register the fuzz marker (the readers' fuzz tests, run at full size by .ci/run)."""
    config.addinivalue_line(
        "markers",
        "fuzz: readers fed generated files; MHNEED_FUZZ_EXAMPLES sets how many per reader",
    )
