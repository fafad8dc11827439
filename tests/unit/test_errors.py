"""Unit tests for mhneed.errors: hierarchy, builtins, attributes, pickling."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

import mhneed
from mhneed import errors


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.InputError, ValueError),
        (errors.MissingColumnError, KeyError),
        (errors.MissingColumnError, ValueError),
        (errors.AgeBandError, ValueError),
        (errors.RateTableError, ValueError),
        (errors.UnknownTableError, KeyError),
        (errors.UnknownConditionError, KeyError),
        (errors.CombineError, ValueError),
        (errors.MissingExtraError, ImportError),
    ],
)
def test_errors_subclass_base_and_builtin(cls: type[Exception], builtin: type[Exception]) -> None:
    """Every error is an MhneedError and also the builtin a user would catch."""
    assert issubclass(cls, mhneed.MhneedError)
    assert issubclass(cls, builtin)


def test_key_error_message_is_not_quoted() -> None:
    """KeyError subclasses print their message as written, not repr-quoted."""
    err = errors.UnknownTableError("no table 'x'")
    assert str(err) == "no table 'x'"


def test_errors_pickle_with_attributes() -> None:
    """An error survives a pickle round trip with its message, column, rule, values and rows."""
    rows = pd.DataFrame({"population": [-1.0]})
    err = errors.InputError(
        "column population: negative",
        column="population",
        rule="population >= 0",
        values=[-1.0],
        rows=rows,
    )
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is errors.InputError
    assert str(back) == "column population: negative"
    assert (back.column, back.rule, back.values) == ("population", "population >= 0", (-1.0,))
    assert back.rows is not None
    assert back.rows.equals(rows)


def test_missing_extra_names_the_extra() -> None:
    """require() names the extra to install when a module is missing."""
    from mhneed._extras import require

    with pytest.raises(errors.MissingExtraError) as info:
        require("no_such_module_xyz", "making a chart")
    assert str(info.value) == (
        "making a chart needs no_such_module_xyz, an optional extra: "
        'pip install "mhneed[no_such_module_xyz]"'
    )
