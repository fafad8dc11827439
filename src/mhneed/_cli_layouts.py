"""Transitional: moved into the package mhneed.cli (issue 17); removed once importers move.

The layouts are in mhneed.cli.layouts, the progress bar in mhneed.cli.progress, ``--table
FILE`` in mhneed.cli.table_file, estimating part by part in mhneed.cli.estimate_in_parts.
"""

from mhneed.cli.estimate_in_parts import AREAS_PER_PART as AREAS_PER_PART
from mhneed.cli.estimate_in_parts import estimate_with_progress as estimate_with_progress
from mhneed.cli.layouts import LAYOUTS as LAYOUTS
from mhneed.cli.layouts import write_layout as write_layout
from mhneed.cli.progress import ProgressBar as ProgressBar
from mhneed.cli.table_file import READER_OPTIONS as READER_OPTIONS
from mhneed.cli.table_file import resolve_cli_table as resolve_cli_table
