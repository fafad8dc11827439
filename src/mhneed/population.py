"""Transitional: moved to mhneed.inputs (issue 17); removed once importers move.

Population and validate_population are in mhneed.inputs.population; normalise_sex,
SEX_LABELS and SEXES in mhneed.inputs.sex; RESERVED_COLUMNS in mhneed.inputs.key_groups;
count_values and MAX_COUNT in mhneed.inputs.count_column.
"""

from mhneed.inputs.column_checks import row_labels as _row_labels  # noqa: F401
from mhneed.inputs.count_column import MAX_COUNT as MAX_COUNT
from mhneed.inputs.count_column import count_values as count_values
from mhneed.inputs.key_groups import RESERVED_COLUMNS as RESERVED_COLUMNS
from mhneed.inputs.key_groups import key_groups as _key_groups  # noqa: F401
from mhneed.inputs.population import Population as Population
from mhneed.inputs.population import validate_population as validate_population
from mhneed.inputs.sex import SEX_LABELS as SEX_LABELS
from mhneed.inputs.sex import SEXES as SEXES
from mhneed.inputs.sex import normalise_sex as normalise_sex

__all__ = ["RESERVED_COLUMNS", "SEX_LABELS", "Population", "normalise_sex", "validate_population"]
