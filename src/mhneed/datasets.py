"""Transitional: moved to mhneed.inputs.datasets (issue 17); removed once importers move."""

from mhneed.inputs.datasets import *  # noqa: F403
