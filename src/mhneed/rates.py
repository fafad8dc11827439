"""Transitional: moved to mhneed.published.rates (issue 17); removed once importers move."""

from mhneed.published.rates import *  # noqa: F403
from mhneed.published.rates import Denominator as Denominator
from mhneed.published.rates import IntervalKind as IntervalKind
from mhneed.published.rates import IntervalMethod as IntervalMethod
from mhneed.published.rates import RowSex as RowSex
from mhneed.published.rates import Sex as Sex
from mhneed.published.rates import Unit as Unit
