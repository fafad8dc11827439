"""Age bands: closed (``16-24``) or open-ended (``75+``) ranges of whole years.

A band is parsed from the labels survey reports print (``16-24``, ``16–24``,
``16 to 24``, ``75+``, ``75 and over``) and printed back in one form
(``16-24``, ``75+``). Sets of bands are checked to partition a scope exactly
once, and single years of age (including a top-coded age such as ONS's 90,
meaning 90 and over) are placed in bands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mhneed.errors import AgeBandError

__all__ = ["MAX_AGE", "AgeBand", "check_partition", "parse_band"]

#: The oldest single year of age mhneed accepts in an input [years].
MAX_AGE = 120


@dataclass(frozen=True, order=True)
class AgeBand:
    """A range of whole years of age, ``lower`` to ``upper`` inclusive.

    Parameters
    ----------
    lower : int
        First year of age in the band [years], 0 to 120.
    upper : int or None
        Last year of age in the band [years], inclusive; ``None`` for an
        open-ended band such as ``75+``.
    """

    lower: int
    upper: int | None = None

    def __post_init__(self) -> None:
        _check_age(self.lower, str(self))
        if self.upper is not None:
            _check_age(self.upper, str(self))
            if self.upper < self.lower:
                raise AgeBandError(
                    f"age band '{self}': lower age {self.lower} is above upper age "
                    f"{self.upper}; write bands as 'lower-upper', such as '16-24', or '75+'",
                    rule="lower <= upper",
                    values=[str(self)],
                )

    @classmethod
    def parse(cls, text: str | AgeBand) -> AgeBand:
        """Parse a label such as ``16-24``, ``16–24``, ``16 to 24``, ``75+`` or ``75 and over``."""
        return parse_band(text)

    @property
    def is_open(self) -> bool:
        """True for an open-ended band such as ``75+``."""
        return self.upper is None

    @property
    def width(self) -> int | None:
        """Number of single years in the band, or ``None`` when open-ended."""
        return None if self.upper is None else self.upper - self.lower + 1

    def contains(self, age: int) -> bool:
        """True when the single year ``age`` lies in the band."""
        return age >= self.lower and (self.upper is None or age <= self.upper)

    def covers(self, other: AgeBand) -> bool:
        """True when every age of ``other`` lies in this band."""
        if other.lower < self.lower:
            return False
        if self.upper is None:
            return True
        return other.upper is not None and other.upper <= self.upper

    def intersect(self, other: AgeBand) -> AgeBand | None:
        """The ages in both bands, or ``None`` when they share none."""
        lower = max(self.lower, other.lower)
        uppers = [u for u in (self.upper, other.upper) if u is not None]
        upper = min(uppers) if uppers else None
        if upper is not None and upper < lower:
            return None
        return AgeBand(lower, upper)

    def __str__(self) -> str:
        if self.upper is None and self.lower == 0:
            return "all ages"
        if self.upper is None:
            return f"{self.lower}+"
        return f"{self.lower}-{self.upper}"


_CLOSED = re.compile(r"^\s*(?:aged?\s+)?(\d+)\s*(?:-|–|—|to)\s*(\d+)\s*(?:years?)?\s*$", re.I)
_OPEN = re.compile(r"^\s*(?:aged?\s+)?(\d+)\s*(?:\+|and\s+over|and\s+older|or\s+over)\s*$", re.I)


def parse_band(text: str | AgeBand) -> AgeBand:
    """Parse an age band label.

    Parameters
    ----------
    text : str or AgeBand
        ``16-24``, ``16–24`` (en dash), ``16 to 24``, ``75+``, ``75 and over``, ``all ages``;
        an :class:`AgeBand` is returned unchanged.

    Returns
    -------
    AgeBand

    Raises
    ------
    AgeBandError
        When the label is not one of those forms, or its ages are out of order.

    Examples
    --------
    >>> str(parse_band("16–24")), str(parse_band("75 and over"))
    ('16-24', '75+')
    """
    if isinstance(text, AgeBand):
        return text
    label = str(text)
    if label.strip().lower() == "all ages":
        return AgeBand(0, None)
    match = _CLOSED.match(label)
    if match:
        return AgeBand(_age(match.group(1), label), _age(match.group(2), label))
    match = _OPEN.match(label)
    if match:
        return AgeBand(_age(match.group(1), label), None)
    shown = label if len(label) <= 40 else label[:40] + "..."
    raise AgeBandError(
        f"age band {shown!r} is not a band: write 'lower-upper' (such as '16-24') "
        "or 'lower+' (such as '75+')",
        rule="age band format",
        values=[label],
    )


def check_partition(bands: Iterable[AgeBand], scope: AgeBand, *, what: str) -> None:
    """Check that ``bands`` cover every age of ``scope`` exactly once.

    Parameters
    ----------
    bands : iterable of AgeBand
        The bands to check.
    scope : AgeBand
        The ages they must cover (for example ``16+``).
    what : str
        What the bands belong to, for the error message (for example
        ``"condition gad, sex female"``).

    Raises
    ------
    AgeBandError
        Naming the ages not covered, the ages covered twice, or the ages outside
        the scope.
    """
    ordered = sorted(bands, key=lambda b: (b.lower, -1 if b.upper is None else b.upper))
    if not ordered:
        raise AgeBandError(
            f"{what}: no age bands; they must cover ages {scope}",
            rule="bands partition the scope",
            values=[str(scope)],
        )
    outside = [str(band) for band in ordered if not scope.covers(band)]
    gaps, overlaps = _gaps_and_overlaps(ordered, scope)
    problems: list[str] = []
    if gaps:
        problems.append("ages not covered: " + ", ".join(gaps))
    if overlaps:
        problems.append("ages covered twice: " + ", ".join(overlaps))
    if outside:
        problems.append(f"bands outside the scope {scope}: " + ", ".join(outside))
    if problems:
        raise AgeBandError(
            f"{what}: the age bands must cover ages {scope} exactly once; " + "; ".join(problems),
            rule="bands partition the scope",
            values=[str(b) for b in ordered],
        )


def format_bands(bands: Sequence[AgeBand]) -> str:
    """Comma-separated labels, for messages."""
    return ", ".join(str(b) for b in bands)


def _gaps_and_overlaps(ordered: Sequence[AgeBand], scope: AgeBand) -> tuple[list[str], list[str]]:
    """The ages of ``scope`` no band covers, and the ages two bands cover, as labels.

    ``ordered`` is sorted by lower age, then upper age (an open-ended band first). Each
    overlap is named with the two bands that share it.
    """
    gaps: list[str] = []
    overlaps: list[str] = []
    expected = scope.lower  # the first age not yet covered
    previous: AgeBand | None = None
    for band in ordered:
        end = MAX_AGE + 1 if band.upper is None else band.upper + 1
        if band.lower > expected and (scope.upper is None or expected <= scope.upper):
            gap_upper = band.lower - 1
            if scope.upper is not None:
                gap_upper = min(gap_upper, scope.upper)
            gaps.append(str(AgeBand(expected, gap_upper)))
        elif band.lower < expected and previous is not None:
            if band.upper is None:
                shared = AgeBand(band.lower, None if expected > MAX_AGE else expected - 1)
            else:
                shared = AgeBand(band.lower, min(expected - 1, band.upper))
            overlaps.append(f"{shared} (in both {previous} and {band})")
        if end > expected:
            expected = end
            previous = band
    if scope.upper is None:
        if expected <= MAX_AGE:
            gaps.append(f"{expected}+")
    elif expected <= scope.upper:
        gaps.append(str(AgeBand(expected, scope.upper)))
    return gaps, overlaps


def _age(digits: str, label: str) -> int:
    """A whole number of years from a band's digits, refusing absurd lengths before converting."""
    if len(digits.lstrip("0")) > 3:
        shown = label if len(label) <= 40 else label[:40] + "..."
        raise AgeBandError(
            f"age band {shown!r}: age {digits[:10]}{'...' if len(digits) > 10 else ''} is "
            f"outside 0..{MAX_AGE}",
            rule=f"ages in 0..{MAX_AGE}",
            values=[label],
        )
    return int(digits)


def _check_age(age: int, label: str) -> None:
    if not 0 <= age <= MAX_AGE:
        raise AgeBandError(
            f"age band '{label}': age {age} is outside 0..{MAX_AGE}",
            rule=f"ages in 0..{MAX_AGE}",
            values=[age],
        )
