"""Labels and standard warnings that estimates carry: ranges, overlap, denominators.

Kept apart from :mod:`mhneed.engine.results` so that the engine, the perinatal path and the
report layout share one wording.
"""

from __future__ import annotations

from mhneed.published.rates import RateTable

__all__ = [
    "COUNT_HEADINGS",
    "NO_INTERVAL",
    "OUT_OF_SCOPE",
    "OVERLAP_WARNING",
    "denominator_note",
    "denominator_warning",
    "interval_label",
    "mixed_label",
    "mixed_methods_label",
    "narrowed_warning",
    "simulated_label",
    "split_methods",
    "unused_births_note",
    "wilson_label",
]

#: Coverage columns counting people out of scope, by reason.
OUT_OF_SCOPE = ("too_young", "too_old", "wrong_sex")

#: The caveat every estimate carries unless its table's conditions exclude each other.
OVERLAP_WARNING = (
    "Conditions overlap: one person can have more than one condition, so counts for "
    "different conditions must not be added together."
)

NO_INTERVAL = "no interval published"


def interval_label(kind: str, level: float | None, has_interval: bool, method: str = "") -> str:
    """The label an output row carries for its range.

    ``method`` is the row's :data:`mhneed.published.rate_models.IntervalMethod`, when its table
    records one: the label then says where the limits came from.
    """
    if not has_interval or kind == "none":
        return NO_INTERVAL
    if kind == "confidence_interval":
        base = f"{(level or 0.95) * 100:g}% confidence interval"
        return base + _METHOD_WORDS.get(method, "")
    return "published range"


#: What each interval method adds to a confidence interval's label.
_METHOD_WORDS = {
    "published": " (published)",
    "design_factor": " (from the survey base and design factor)",
    "none_in_sample": " (none in sample: upper bound from the base)",
}


def split_methods(kinds: list[str]) -> tuple[str | None, list[str], list[str]]:
    """Separate confidence-interval labels that say how they were obtained.

    Returns the plain label they share (such as "95% confidence interval", or None when
    there are none), what each says in brackets, and the other labels, in order.
    """
    with_method = [k for k in kinds if _says_method(k)]
    rest = [k for k in kinds if not _says_method(k)]
    if not with_method:
        return None, [], rest
    base = with_method[0].split(" (", 1)[0]
    return base, [k.split(" (", 1)[1].removesuffix(")") for k in with_method], rest


def _says_method(kind: str) -> bool:
    return "confidence interval (" in kind and kind.endswith(")") and "Wilson" not in kind


def mixed_methods_label(level: float) -> str:
    """The label of a row combining cells whose limits were obtained in different ways."""
    return (
        f"{level * 100:g}% confidence interval (from survey bases and design factors, "
        "and published limits where printed)"
    )


#: How each denominator is described in warnings and reports.
_DENOMINATOR_WORDS = {
    "persons": "persons",
    "maternities": "maternities (women giving birth, each counted once)",
    "live_births": "live births (each baby born alive, so twins count twice)",
    "deliveries": "deliveries",
}

#: What is known about the direction of a mismatch: (input counts, table's denominator).
_MISMATCH_NOTES = {
    ("live_births", "maternities"): (
        "Live births run above maternities (a multiple birth is one maternity), so these "
        "estimates are likely to be a little high."
    ),
}


#: What each count is called in a report's heading.
COUNT_HEADINGS = {
    "persons": "Population",
    "maternities": "Maternities",
    "live_births": "Live births",
    "deliveries": "Deliveries",
}


def denominator_note(given: str, table: RateTable, *, short: bool = False) -> str | None:
    """The line naming the denominator of an estimate from births, or ``None`` for persons.

    Parameters
    ----------
    given : str
        What the input counted: ``maternities``, ``live_births`` or ``deliveries``.
    table : RateTable
        The rate table applied to the counts.
    short : bool, default False
        The footer of a chart: one short sentence.

    Returns
    -------
    str or None
        Such as "Denominator: live births, applied to rates per 1,000
        maternities: an approximation (...)".
    """
    expected = table.meta.denominator
    if given == "persons":
        return None
    plural = expected.replace("_", " ")
    rates = {
        "per_1000": f"rates per 1,000 {plural}",
        "percent": f"rates per 100 {plural}",
    }.get(table.meta.unit, f"rates as proportions of {plural}")
    if given == expected:
        if short:
            return f"Denominator: {given.replace('_', ' ')}, as the rates are ({rates})."
        return (
            f"Denominator: {_DENOMINATOR_WORDS.get(given, given)}, the denominator of the "
            f"rates (table {table.id}: {rates})."
        )
    if short:
        return (
            f"Denominator: {given.replace('_', ' ')}, applied to {rates}: an approximation, "
            "not adjusted."
        )
    hint = (
        " Give maternities (a maternities column in the births file) when you have them."
        if expected == "maternities"
        else ""
    )
    return (
        f"Denominator: {_DENOMINATOR_WORDS.get(given, given)}, applied to the {rates} of table "
        f"{table.id}: an approximation, not adjusted for the difference.{hint}"
    )


def unused_births_note(maternities: float, births: float) -> str:
    """The note for a births frame whose maternities column was used and births column not."""
    return (
        f"The births frame has both maternities and births columns: the maternities "
        f"({_count(maternities)} in all) were used, as the rates are per maternity; the births "
        f"column ({_count(births)} in all) was checked but not used."
    )


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def denominator_warning(given: str, table: RateTable) -> str | None:
    """The warning for counts of a different kind from the table's denominator, if any.

    Parameters
    ----------
    given : str
        What the input counts: ``maternities``, ``live_births``, ``deliveries``
        or ``persons``.
    table : RateTable
        The rate table applied to them.

    Returns
    -------
    str or None
        ``None`` when ``given`` is the table's denominator.
    """
    expected = table.meta.denominator
    if given == expected:
        return None
    text = (
        f"The births are counted as {_DENOMINATOR_WORDS.get(given, given)}, but the rates of "
        f"table {table.id} apply to {_DENOMINATOR_WORDS.get(expected, expected)}; the "
        "estimates have not been adjusted for the difference."
    )
    note = _MISMATCH_NOTES.get((given, expected))
    return text if note is None else f"{text} {note}"


def wilson_label(level: float) -> str:
    """The label of a cell whose interval is Wilson's, from a survey base and design effect."""
    return f"{level * 100:g}% confidence interval (Wilson, from the survey base and design effect)"


def mixed_label(level: float) -> str:
    """The label of a row combining published confidence limits with Wilson intervals."""
    return f"{level * 100:g}% confidence interval (published limits and Wilson intervals)"


def simulated_label(label: str, draws: int) -> str:
    """An interval label marked as simulated, with the number of draws."""
    return f"{label}, simulated ({draws:,} draws)"


def narrowed_warning(ages: object, narrowed: list[str]) -> str:
    """The caveat of an estimate whose ages cut rates' bands: each rate was published for a
    wider band than the one it is applied to and labelled with."""
    shown = "; ".join(narrowed[:6]) + ("; …" if len(narrowed) > 6 else "")
    return (
        f"Ages narrowed to {ages}: rates published for wider age bands are applied to the "
        f"narrower bands ({shown}), which assumes the rate is the same at every age of the "
        "published band; the source gives no rate for the narrower band itself."
    )
