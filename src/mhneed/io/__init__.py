"""Transitional: the readers moved to :mod:`mhneed.inputs` (issue 17).

The modules left here re-export them from their new homes until every importer
moves; :mod:`mhneed.io.rate_tables` (the rate-table readers) is still here.
"""
