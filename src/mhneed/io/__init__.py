"""Readers: the files analysts already have, turned into mhneed's long frames.

Each reader lives in its own module here and is exported from :mod:`mhneed`.
"""
