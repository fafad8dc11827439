"""The errors mhneed raises.

Every error derives from :class:`MhneedError` and also from the builtin
exception a user would naturally catch (``ValueError`` for bad values,
``KeyError`` for unknown names, ``ImportError`` for a missing optional extra,
``AssertionError`` for :class:`InternalError`, a bug in mhneed itself).
Each carries what went wrong in attributes as well as in its message:
``column``, ``rule``, ``values`` (the offending values) and ``rows`` (the
offending rows, as a small DataFrame, where there are any).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = [
    "AgeBandError",
    "CombineError",
    "InputError",
    "InternalError",
    "MhneedError",
    "MissingColumnError",
    "MissingExtraError",
    "RateTableError",
    "UnknownConditionError",
    "UnknownTableError",
]


class MhneedError(Exception):
    """Base class of every error raised by mhneed."""

    def __init__(
        self,
        message: str,
        *,
        column: str | None = None,
        rule: str | None = None,
        values: Sequence[object] = (),
        rows: pd.DataFrame | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.rule = rule
        self.values = tuple(values)
        self.rows = rows

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in self.__dict__.items() if k != "message"}
        return (_rebuild, (type(self), self.message, state))


class InputError(MhneedError, ValueError):
    """A population, births or other input frame breaks a rule."""


class MissingColumnError(InputError, KeyError):
    """An input frame lacks a column mhneed needs."""


class AgeBandError(MhneedError, ValueError):
    """An age band cannot be parsed, or a set of bands overlaps or leaves a gap."""


class RateTableError(MhneedError, ValueError):
    """A rate table (shipped or the user's own) breaks a rule."""


class UnknownTableError(MhneedError, KeyError):
    """No shipped table has the requested id."""


class UnknownConditionError(MhneedError, KeyError):
    """A requested condition is not in the rate table."""


class CombineError(MhneedError, ValueError):
    """Estimates cannot be combined the way that was asked (for example across conditions)."""


class MissingExtraError(MhneedError, ImportError):
    """An optional dependency is needed; the message names the extra to install."""


class InternalError(MhneedError, AssertionError):
    """mhneed broke one of its own rules: a bug in mhneed, never a fault in the input.

    Raised, for example, when the engine's own check that in-scope plus
    out-of-scope people equals everyone in the input fails. Please report it.
    """


def _rebuild(cls: type[MhneedError], message: str, state: dict[str, Any]) -> MhneedError:
    err = cls.__new__(cls)
    MhneedError.__init__(err, message)
    err.__dict__.update(state)
    return err
