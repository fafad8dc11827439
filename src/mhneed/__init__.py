"""mhneed: estimate local mental health need from published prevalence rates.

    local population (or births) × published rate table → estimated caseload, with a range

>>> import mhneed
>>> table = mhneed.load_table("apms_2014")
>>> est = mhneed.estimate(mhneed.rutland_population(), table)
>>> summary = est.summarise(by=["area_code", "condition"])
"""

from mhneed import stats
from mhneed.engine.chunks import estimate_chunks
from mhneed.engine.estimate import estimate
from mhneed.engine.perinatal import estimate_perinatal
from mhneed.engine.results import Estimate
from mhneed.errors import (
    AgeBandError,
    CombineError,
    InputError,
    InternalError,
    MhneedError,
    MissingColumnError,
    MissingExtraError,
    RateTableError,
    UnknownConditionError,
    UnknownTableError,
)
from mhneed.inputs.datasets import rutland_births, rutland_population
from mhneed.inputs.nomis import read_nomis
from mhneed.inputs.ons_births import read_ons_births
from mhneed.inputs.ons_mye2 import read_ons_mye2
from mhneed.inputs.population import validate_population
from mhneed.inputs.snpp import read_ons_snpp
from mhneed.outputs.age_sex_chart import plot_age_sex
from mhneed.outputs.area_charts import plot_areas
from mhneed.outputs.area_pivot import area_pivot
from mhneed.outputs.areas import area_table
from mhneed.outputs.compare import compare
from mhneed.outputs.csv_export import write_csv
from mhneed.outputs.excel_export import write_excel
from mhneed.outputs.formula_guard import safe_text
from mhneed.outputs.pivot import pivot_table
from mhneed.outputs.projections import projection_tidy, projection_wide
from mhneed.outputs.report import Report
from mhneed.outputs.report_table import report_table
from mhneed.outputs.standardise import standardised_rates
from mhneed.outputs.workbook import write_tables_excel
from mhneed.outputs.years_chart import plot_over_years
from mhneed.published.bands import AgeBand
from mhneed.published.rate_file_long import read_rate_table
from mhneed.published.rate_file_wide import read_wide_rate_table
from mhneed.published.rates import RateTable
from mhneed.published.tables import available_tables, load_table

__version__ = "0.1.0"

__all__ = [
    "AgeBand",
    "AgeBandError",
    "CombineError",
    "Estimate",
    "InputError",
    "InternalError",
    "MhneedError",
    "MissingColumnError",
    "MissingExtraError",
    "RateTable",
    "RateTableError",
    "Report",
    "UnknownConditionError",
    "UnknownTableError",
    "__version__",
    "area_pivot",
    "area_table",
    "available_tables",
    "compare",
    "estimate",
    "estimate_chunks",
    "estimate_perinatal",
    "load_table",
    "pivot_table",
    "plot_age_sex",
    "plot_areas",
    "plot_over_years",
    "projection_tidy",
    "projection_wide",
    "read_nomis",
    "read_ons_births",
    "read_ons_mye2",
    "read_ons_snpp",
    "read_rate_table",
    "read_wide_rate_table",
    "report_table",
    "rutland_births",
    "rutland_population",
    "safe_text",
    "standardised_rates",
    "stats",
    "validate_population",
    "write_csv",
    "write_excel",
    "write_tables_excel",
]
