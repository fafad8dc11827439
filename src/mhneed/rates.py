"""Transitional: moved to mhneed.published.rates (issue 17); removed once importers move."""

from mhneed.published.rate_models import Denominator as Denominator
from mhneed.published.rate_models import IntervalKind as IntervalKind
from mhneed.published.rate_models import IntervalMethod as IntervalMethod
from mhneed.published.rate_models import RowSex as RowSex
from mhneed.published.rate_models import Sex as Sex
from mhneed.published.rate_models import Unit as Unit
from mhneed.published.rates import *  # noqa: F403
