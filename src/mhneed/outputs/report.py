"""The report layout: an estimate as a JSNA table prints it.

Conditions are rows; age bands are columns, plus ``All`` (the condition's
whole age scope); there is one block per sex (``Women``, ``Men``, then ``All
people``, women and men together); each figure carries its range as
``low–high``; and the rounding rule and the overlap caveat are stated under
the table.

:class:`Report` holds such a table; :func:`mhneed.report_table`
(:mod:`mhneed.outputs.report_table`) builds one from an unrounded estimate,
summarising first and rounding last. The layouts live in
:mod:`mhneed.outputs.report_layout` and the notes under the table in
:mod:`mhneed.outputs.report_notes`. The command line, the CSV and Excel
writers (:mod:`mhneed.outputs.csv_export`, :mod:`mhneed.outputs.excel_export`)
and the charts (the chart modules of :mod:`mhneed.outputs`) all work from a :class:`Report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mhneed.engine.labels import COUNT_HEADINGS, denominator_note
from mhneed.errors import InputError
from mhneed.outputs.report_layout import (
    ALL,
    BLOCKS,
    KEY_HEADINGS,
    report_layout,
    report_numbers,
    report_text,
)
from mhneed.published.rates import RateTable

__all__ = ["ALL", "BLOCKS", "KEY_HEADINGS", "Report", "check_report"]


@dataclass(frozen=True, eq=False)
class Report:
    """An estimate laid out for a report: conditions × age bands, a block per sex.

    Made by :func:`mhneed.report_table`; not built by hand.

    Attributes
    ----------
    rows : pandas.DataFrame
        The report's figures, one row per key group × block × condition ×
        column: the key columns, ``sex`` (``female``, ``male``, or
        ``persons`` for the ``All people`` block), ``condition``, ``label``,
        ``period``, ``ages`` (the ages counted for that row), ``age_band`` (a
        band, or ``"All"``), the count column (``population`` or ``births``),
        ``cases``, ``cases_lower``, ``cases_upper`` [persons], ``interval``
        (what the range is) and ``range_only`` (True where the source
        publishes only a range, so the central figure is a midpoint the source
        does not publish and the report shows the range alone). Rounded if
        the report is.
    keys : list of str
        The key columns each block is repeated for (such as ``area_code``,
        ``area_name``, ``year``; or ``group``).
    bands : list of str
        The age-band columns, youngest first (empty when every condition is
        published for its whole scope).
    table : RateTable
        The rate table of the estimate.
    count_column : str
        ``"population"`` or ``"births"``.
    rounding : str or None
        How the figures were rounded ("rounded up to a multiple of 5"), or None.
    decimals : int
        Decimal places the figures are shown with (0 unless rounded to a
        fraction such as 0.5).
    coverage : pandas.DataFrame
        Per key group and condition: the count column, ``in_scope``,
        ``too_young``, ``too_old`` and ``wrong_sex``.
    provenance : dict
        The estimate's provenance (see :meth:`Estimate.provenance`).
    notes : list of str
        What the report says under the table: the rounding rule, the overlap
        caveat, what the ranges are, the estimate's warnings, the table's
        caveats, the rates' sources and the input's source.
    data_source : str or None
        Where the population or births came from, as given to
        :func:`report_table`.
    blocks : list of str
        The report's blocks in order: ``female``, ``male``, ``persons`` (those
        it has).
    """

    rows: pd.DataFrame
    keys: list[str]
    bands: list[str]
    table: RateTable
    count_column: str
    rounding: str | None
    decimals: int
    coverage: pd.DataFrame
    provenance: dict[str, Any]
    notes: list[str]
    data_source: str | None = None
    blocks: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The report's title, such as "Estimated number of people with each condition"."""
        who = "women giving birth" if self.count_column == "births" else "people"
        return f"Estimated number of {who} with each condition"

    @property
    def count_heading(self) -> str:
        """The heading of the count column, naming what was counted.

        "Population"; for an estimate from births, the denominator used:
        "Maternities", "Live births" or "Deliveries".
        """
        if self.count_column != "births":
            return "Population"
        return COUNT_HEADINGS.get(str(self.provenance.get("denominator")), "Births")

    @property
    def denominator_note(self) -> str | None:
        """One sentence naming the denominator of an estimate from births, for a chart's footer.

        Such as "Denominator: live births, applied to rates per 1,000
        maternities: an approximation, not adjusted."; ``None`` for an
        estimate from a population. The notes carry the longer sentence.
        """
        return denominator_note(str(self.provenance.get("denominator")), self.table, short=True)

    @property
    def columns(self) -> list[str]:
        """The figure columns of the layout: the age bands, then ``All``."""
        return [*self.bands, ALL]

    def groups(self) -> list[dict[str, Any]]:
        """The key groups of the report, in order, as ``{key column: value}``."""
        if not self.keys:
            return [{}]
        frame = self.rows[self.keys].drop_duplicates()
        return [dict(zip(self.keys, rec, strict=True)) for rec in frame.itertuples(index=False)]

    def numbers(self) -> pd.DataFrame:
        """The layout with figures as numbers: one line per key group × block × condition.

        Returns
        -------
        pandas.DataFrame
            The key columns, ``Sex`` (the block), ``Condition``, ``Period``,
            ``Ages``, the count heading (``Population`` or ``Births``: the
            count the ``All`` figure applies to), then for each column of
            :attr:`columns` three columns: the figure (named as the band),
            ``<band> low`` and ``<band> high`` [persons], then ``Range`` (what
            the range is). A figure is missing where the report has no cell
            (a band a condition is not published by) and where the source
            publishes only a range (see :attr:`rows`).
        """
        return report_numbers(self)

    def layout(self) -> pd.DataFrame:
        """The layout as text, ready to paste into a report.

        Returns
        -------
        pandas.DataFrame
            As :meth:`numbers`, with one text column per band and ``All``:
            ``"1,388 (1,199–1,577)"`` (figure, then its range), ``"1,388"``
            where no range is published, ``"47–94"`` where the source
            publishes only a range, and ``""`` where there is no cell. Key
            columns get headings (``Area code``, ``Area``, ``Year``,
            ``Group``); counts are shown with thousands separators.
        """
        return report_layout(self)

    def to_text(self, width: int = 100) -> str:
        """The report as plain text: a heading per key group, a table per block, then the notes.

        Parameters
        ----------
        width : int, default 100
            Width the notes are wrapped to [characters].
        """
        return report_text(self, width)


def check_report(value: object, function: str, argument: str) -> None:
    """Refuse anything but a :class:`Report`, saying how to make one.

    Parameters
    ----------
    value : object
        What a writer was given.
    function : str
        The writer's name, for the message (``"write_csv"``).
    argument : str
        The argument's name, for the message (``"report"``, ``"reports[1]"``).

    Raises
    ------
    InputError
        When ``value`` is not a :class:`Report` (such as an
        :class:`~mhneed.engine.results.Estimate` or a pandas frame).
    """
    if isinstance(value, Report):
        return
    kind = type(value).__name__
    if kind == "Estimate":
        hint = "make one with mhneed.report_table(estimate) and write that"
    elif isinstance(value, pd.DataFrame):
        hint = (
            "make one with mhneed.report_table(estimate); to write a frame as it is, "
            "use DataFrame.to_csv"
        )
    else:
        hint = "make one with mhneed.report_table(estimate)"
    raise InputError(
        f"{function}: {argument} is a{'n' if kind[:1] in 'AEIOU' else ''} {kind}, not a Report; "
        + hint,
        column=argument,
        rule="a Report from report_table",
        values=[kind],
    )
