"""Transitional: moved to mhneed.outputs.excel_export (issue 17); removed once importers move."""

from mhneed.outputs.excel_export import *  # noqa: F403
from mhneed.outputs.excel_export import SAFE_TEXT_RULE as SAFE_TEXT_RULE
from mhneed.outputs.excel_export import _csv_value as _csv_value
from mhneed.outputs.excel_export import _runs_as_formula as _runs_as_formula
from mhneed.outputs.excel_export import tidy_frame as tidy_frame
