"""Transitional: moved to mhneed.outputs (issue 17); removed once importers move.

Report is in mhneed.outputs.report, report_table in mhneed.outputs.report_table, and
ALL, BLOCKS, KEY_HEADINGS, place and format_range in mhneed.outputs.report_layout.
"""

from mhneed.outputs.report import Report as Report
from mhneed.outputs.report_layout import ALL as ALL
from mhneed.outputs.report_layout import BLOCKS as BLOCKS
from mhneed.outputs.report_layout import KEY_HEADINGS as KEY_HEADINGS
from mhneed.outputs.report_layout import format_range as format_range
from mhneed.outputs.report_layout import place as place
from mhneed.outputs.report_table import report_table as report_table

__all__ = ["ALL", "BLOCKS", "Report", "report_table"]
