"""Errors: one base, a builtin beside it, the offending rows carried, and every error
class (including ones added later, found by walking the subclasses) pickles."""

from __future__ import annotations

import copy
import importlib
import inspect
import pickle
import pkgutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pytest

import mhneed
from mhneed.errors import MhneedError
from tests.reliability.hostile_cases import CASES, Case

#: Builtins too broad to be "the builtin a user would catch".
_TOO_BROAD = {BaseException, Exception}


def _all_modules() -> None:
    """Import every mhneed module, so that every error class is defined."""
    for info in pkgutil.walk_packages(mhneed.__path__, "mhneed."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)


def error_classes() -> list[type[MhneedError]]:
    """MhneedError and every subclass of it, however deep, in a stable order."""
    _all_modules()
    found: list[type[MhneedError]] = []
    todo: list[type[MhneedError]] = [MhneedError]
    while todo:
        cls = todo.pop()
        if cls not in found:
            found.append(cls)
            todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


CLASSES = error_classes()
ROWS = pd.DataFrame({"area_code": ["E06000017"], "population": [-1.0]}, index=[41])


def test_the_walk_finds_the_known_errors() -> None:
    """The walk finds every error mhneed exports, so it would find a new one too."""
    exported = {getattr(mhneed, n) for n in mhneed.__all__ if n.endswith("Error")}
    assert exported <= set(CLASSES)
    assert len(CLASSES) >= 10


@pytest.mark.parametrize("cls", CLASSES, ids=[c.__qualname__ for c in CLASSES])
def test_error_class_pickles(cls: type[MhneedError]) -> None:
    """Built with every attribute, an error comes back from pickle and copy unchanged."""
    signature = inspect.signature(cls)
    signature.bind("message", column="population", rule="r", values=[-1.0], rows=ROWS)
    err = cls(
        "column population: negative",
        column="population",
        rule="population >= 0",
        values=[-1.0],
        rows=ROWS,
    )
    err.note_for_test = "kept"  # type: ignore[attr-defined]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        for back in (pickle.loads(pickle.dumps(err, protocol)), copy.copy(err), copy.deepcopy(err)):
            assert type(back) is cls
            assert str(back) == "column population: negative"
            assert back.message == err.message
            assert (back.column, back.rule, back.values) == (
                "population",
                "population >= 0",
                (-1.0,),
            )
            assert back.rows is not None
            pd.testing.assert_frame_equal(back.rows, ROWS)
            assert back.note_for_test == "kept"  # type: ignore[attr-defined]


SUBCLASSES = [c for c in CLASSES if c is not MhneedError]


@pytest.mark.parametrize("cls", SUBCLASSES, ids=[c.__qualname__ for c in SUBCLASSES])
def test_error_class_has_a_builtin(cls: type[MhneedError]) -> None:
    """Every subclass also inherits the builtin a user would catch (ValueError, KeyError...)."""
    builtins = [
        b for b in cls.__mro__ if b.__module__ == "builtins" and issubclass(b, BaseException)
    ]
    assert [b for b in builtins if b not in _TOO_BROAD], f"{cls.__name__} has no builtin beside it"


def test_key_errors_print_their_message() -> None:
    """KeyError subclasses print the message as written, also after a pickle round trip."""
    for cls in CLASSES:
        if issubclass(cls, KeyError):
            err = pickle.loads(pickle.dumps(cls("no table 'x'")))
            assert str(err) == "no table 'x'"


ERROR_CASES = [c for c in CASES if c.error is not None]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.id for c in ERROR_CASES])
def test_raised_errors_pickle(case: Case) -> None:
    """Every error the catalogue raises comes back from pickle whole, rows and all."""
    with warnings.catch_warnings(), tempfile.TemporaryDirectory() as folder:
        warnings.simplefilter("ignore")
        with pytest.raises(MhneedError) as info:
            case.run(Path(folder))
    err = info.value
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert (str(back), back.column, back.rule) == (str(err), err.column, err.rule)
    assert repr(back.values) == repr(err.values)  # NaN != NaN, so compare as printed
    if err.rows is None:
        assert back.rows is None
    else:
        pd.testing.assert_frame_equal(back.rows, err.rows)
