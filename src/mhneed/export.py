"""Transitional: moved to mhneed.outputs (issue 17); removed once importers move.

write_csv is in mhneed.outputs.csv_export, write_excel in mhneed.outputs.excel_export,
safe_text and FORMULA_START in mhneed.outputs.formula_guard, tidy_frame in
mhneed.outputs.report_layout.
"""

from mhneed.outputs.csv_export import _csv_value as _csv_value
from mhneed.outputs.csv_export import write_csv as write_csv
from mhneed.outputs.excel_export import write_excel as write_excel
from mhneed.outputs.formula_guard import FORMULA_START as FORMULA_START
from mhneed.outputs.formula_guard import SAFE_TEXT_RULE as SAFE_TEXT_RULE
from mhneed.outputs.formula_guard import _runs_as_formula as _runs_as_formula
from mhneed.outputs.formula_guard import safe_text as safe_text
from mhneed.outputs.report_layout import tidy_frame as tidy_frame

__all__ = ["FORMULA_START", "safe_text", "write_csv", "write_excel"]
