"""The catalogue of hostile inputs: every bad input stops with its exact error before any
work is done, or is handled the documented way (cases in ``hostile_cases.py``)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

import mhneed
from tests.reliability.hostile_cases import CASES, Case

DOCS = Path(__file__).parents[2] / "docs" / "reliability.md"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    """The input raises exactly its error (class, message, column, rule), or is handled."""
    if case.error is None:
        assert case.check is not None
        assert case.how
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a split band warns; the check looks at the result
            case.check(case.run(tmp_path))
        return
    with pytest.raises(mhneed.MhneedError) as info:
        case.run(tmp_path)
    err = info.value
    assert type(err) is case.error
    assert str(err) == case.message
    assert (err.column, err.rule) == (case.column, case.rule)
    if case.rows is None:
        assert err.rows is None
    else:
        assert err.rows is not None
        assert tuple(err.rows.index) == case.rows


def test_catalogue_size_and_ids() -> None:
    """At least 40 hostile cases, each with its own id, most of them errors."""
    ids = [c.id for c in CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)
    assert sum(c.error is not None for c in CASES) >= 40


def test_every_error_names_its_rule() -> None:
    """Every error in the catalogue carries the rule it enforces."""
    assert all(c.rule for c in CASES if c.error is not None)


def test_docs_list_every_case() -> None:
    """docs/reliability.md lists every case of the catalogue by its id, and no other."""
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", DOCS.read_text(encoding="utf-8"), re.M)
    assert sorted(listed) == sorted(c.id for c in CASES)
