"""Transitional: moved to mhneed._file_quirks and mhneed.inputs.counts (issue 17); removed
once importers move."""

from mhneed._file_quirks import *  # noqa: F403
from mhneed.inputs.counts import counts_array as counts_array
from mhneed.inputs.counts import parse_count as parse_count
from mhneed.inputs.counts import too_large as too_large
from mhneed.inputs.counts import too_large_words as too_large_words
