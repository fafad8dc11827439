"""Option values the commands share: comma-separated lists, and ``--round`` with ``--how``."""

from __future__ import annotations

import argparse
from typing import Any

from mhneed.errors import InputError

__all__ = ["rounding", "split_list"]


def rounding(args: argparse.Namespace) -> tuple[float | None, Any]:
    """``--round`` and ``--how`` (``nearest`` by default); ``--how`` alone is refused."""
    if args.how is not None and args.round is None:
        raise InputError(
            "--how needs --round: say what to round to, such as --round 5 --how up",
            column="--how",
            rule="--how with --round",
            values=[args.how],
        )
    return args.round, args.how or "nearest"


def split_list(text: str | None) -> list[str] | None:
    """A comma-separated option as a list, blanks dropped; None when nothing is given."""
    if text is None:
        return None
    items = [t.strip() for t in text.split(",") if t.strip()]
    return items or None
