"""``mhneed tables`` (the shipped rate tables, grouped, the default first) and ``mhneed
table ID`` (one table described)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from mhneed.cli.progress import Progress
from mhneed.published.tables import DEFAULT_TABLE, available_tables, load_table

__all__ = ["describe_table", "list_tables"]


def list_tables(args: argparse.Namespace, progress: Progress) -> int:
    """``mhneed tables``: the shipped tables in groups, the default first in its group."""
    groups: dict[str, list[str]] = {heading: [] for heading, _ in _TABLE_GROUPS}
    for table_id in available_tables():
        meta = load_table(table_id).meta
        heading = next(h for h, test in _TABLE_GROUPS if test(table_id, meta.superseded_by))
        groups[heading].append(table_id)
    first = True
    for heading, ids in groups.items():
        if not ids:
            continue
        if not first:
            print()
        first = False
        print(heading)
        for table_id in sorted(ids, key=lambda t: (t != DEFAULT_TABLE, -_edition(t), t)):
            meta = load_table(table_id).meta
            mark = " [default]" if table_id == DEFAULT_TABLE else ""
            print(f"  {table_id:26} {meta.title}{mark}")
            if meta.superseded_by:
                print(f"  {'':26} superseded by {', '.join(meta.superseded_by)}; kept so that "
                      "scripts naming it still run")  # fmt: skip
    return 0


def describe_table(args: argparse.Namespace, progress: Progress) -> int:
    """``mhneed table ID``: the table's description."""
    print(load_table(args.id).describe())
    return 0


def _edition(table_id: str) -> int:
    return load_table(table_id).meta.edition


#: How ``mhneed tables`` groups the tables: (heading, which tables belong).
_TABLE_GROUPS: list[tuple[str, Callable[[str, tuple[str, ...]], bool]]] = [
    (
        "APMS by age band and sex, from the publisher's workbooks (use these; choose the "
        "survey year):",
        lambda t, sup: t.endswith("_by_age_sex"),
    ),
    (
        "APMS 2014 all-ages rates by sex, from the same workbooks (to compare with the "
        "age-by-sex estimate):",
        lambda t, sup: t.endswith("_by_sex"),
    ),
    ("Other tables:", lambda t, sup: not sup),
    (
        "Earlier tables from secondary sources, superseded (kept so that scripts naming them "
        "still run):",
        lambda t, sup: bool(sup),
    ),
]
