"""Outputs: report tables, files, workbooks, charts, comparisons and projections of an estimate."""
