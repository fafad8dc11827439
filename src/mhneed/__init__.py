"""mhneed: estimate local mental health need from published prevalence rates.

    local population (or births) × published rate table → estimated caseload, with a range

>>> import mhneed
>>> table = mhneed.load_table("apms_2014")
>>> est = mhneed.estimate(mhneed.rutland_population(), table)
>>> summary = est.summarise(by=["area_code", "condition"])
"""

from mhneed import stats
from mhneed.area_charts import plot_areas
from mhneed.areas import area_pivot, area_table
from mhneed.bands import AgeBand
from mhneed.compare import compare
from mhneed.datasets import rutland_births, rutland_population
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
from mhneed.estimate import estimate, estimate_chunks
from mhneed.export import safe_text, write_csv, write_excel
from mhneed.io.nomis import read_nomis
from mhneed.io.ons import read_ons_births, read_ons_mye2
from mhneed.io.rate_tables import read_rate_table, read_wide_rate_table
from mhneed.io.snpp import read_ons_snpp
from mhneed.perinatal import estimate_perinatal
from mhneed.pivot import pivot_table
from mhneed.plots import plot_age_sex, plot_over_years
from mhneed.population import validate_population
from mhneed.projections import projection_tidy, projection_wide
from mhneed.rates import RateTable
from mhneed.report import Report, report_table
from mhneed.results import Estimate
from mhneed.standardise import standardised_rates
from mhneed.tables import available_tables, load_table
from mhneed.workbook import write_tables_excel

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
