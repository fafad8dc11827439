"""A wide table's conditions and metadata, from the arguments and the sheet.

Used by :func:`mhneed.published.rate_file_wide.read_wide_rate_table`: which
rows to read as which condition ids (:func:`label_map`), the publication the
figures come from (:func:`resolve_source`), and the metadata the sheet supplies
when the user did not (:func:`wide_defaults`: the ages, denominator, unit,
interval kind and level, and the conditions with their reference periods).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from mhneed.errors import RateTableError
from mhneed.published._rate_file_common import SourceArg, meta_sources, source_model
from mhneed.published._wide_layout import Parsed, label_id, norm_label
from mhneed.published.bands import AgeBand
from mhneed.published.rate_models import ConditionMeta, Source

__all__ = ["label_map", "resolve_source", "wide_defaults"]


def label_map(
    conditions: Mapping[str, str] | Sequence[str] | None,
    meta: Mapping[str, Any],
    parsed: Parsed,
    heads: Mapping[str, tuple[str, str]],
    name: str,
) -> list[tuple[str, str]]:
    """(row label asked for, condition id) pairs, in the order the table will hold them."""
    if isinstance(conditions, Mapping):
        return [(str(k), str(v)) for k, v in conditions.items()]
    if conditions is not None:
        return [(str(k), label_id(str(k))) for k in conditions]
    declared = meta.get("conditions")
    if declared:
        in_sheet = {k: r.label for block in parsed.blocks.values() for k, r in block.items()}
        pairs = []
        for cond in declared:
            data = cond.model_dump() if isinstance(cond, ConditionMeta) else dict(cond)
            label, cond_id = str(data.get("label", "")), str(data.get("id", ""))
            by_id = next((lbl for k, lbl in in_sheet.items() if label_id(k) == cond_id), None)
            pairs.append((by_id if by_id and norm_label(label) not in in_sheet else label, cond_id))
        return pairs
    pairs = []
    first = parsed.blocks[parsed.order[0]]
    for row in first.values():
        slug = label_id(row.label)
        if any(slug == cond_id for _, cond_id in pairs):
            raise RateTableError(
                f"{name}: row {row.line} ({row.label!r}) gives the condition id {slug!r} "
                "that another row gives too; pass conditions= to map labels to ids",
                column="condition",
                rule="unique condition ids",
                values=[row.label],
            )
        pairs.append((row.label, slug))
    for key in parsed.order[1:]:
        extra = [r for k, r in parsed.blocks[key].items() if k not in first]
        if extra:
            raise RateTableError(
                f"{name}: row {extra[0].line} ({extra[0].label!r}) is in block "
                f"{heads[key][0]!r} but not in block {heads[parsed.order[0]][0]!r}; every "
                "block must hold the same conditions, or pass conditions= to choose rows",
                column="condition",
                rule="every condition in every block",
                values=[r.label for r in extra],
            )
    return pairs


def resolve_source(source: SourceArg | None, meta: Mapping[str, Any], table_id: str) -> Source:
    """``source=`` as a Source (a citation alone: the publisher's own table), else meta's one."""
    if isinstance(source, Source):
        return source
    if isinstance(source, str):
        source_id = table_id if re.fullmatch(r"[a-z0-9_]+", table_id) else "source"
        return source_model({"id": source_id, "citation": source, "kind": "primary"})
    if isinstance(source, Mapping):
        return source_model(source)
    given = list(meta_sources(meta).values())
    if len(given) == 1:
        return given[0]
    raise RateTableError(
        f"rate table {table_id}: no source given; pass source= with the publication the "
        "figures come from, as a citation string or a mapping with id, citation and kind "
        f"(primary or secondary){' (the metadata lists several)' if given else ''}",
        column="source",
        rule="every figure has a source",
    )


def wide_defaults(
    meta: dict[str, Any],
    scope: AgeBand,
    parsed: Parsed,
    by_sex: Sequence[str],
    labels: Mapping[str, str],
    period: str | Mapping[str, str] | None,
    name: str,
) -> dict[str, Any]:
    """The metadata, with what the sheet supplies where the user gave nothing.

    The ages in scope, denominator persons, unit percent, interval kind and level from
    the limit rows, and (unless ``meta`` has its own) the conditions read, each with its
    printed label, reference period (``period``), ages and sexes.
    """
    out = dict(meta)
    out.setdefault("ages", str(scope))
    out.setdefault("denominator", "persons")
    out.setdefault("unit", "percent")
    has_limits = any(
        row.lower is not None for block in parsed.blocks.values() for row in block.values()
    )
    out.setdefault("interval", "confidence_interval" if has_limits else "none")
    if out.get("level") is None and out["interval"] == "confidence_interval":
        out["level"] = parsed.level
    if out.get("conditions"):
        if period is not None:
            raise RateTableError(
                f"{name}: period= is given but the metadata has its own conditions (with "
                "their periods); give periods in one place",
                column="period",
                rule="periods given once",
            )
        return out
    conds = []
    for cond_id, label in labels.items():
        if isinstance(period, Mapping):
            if cond_id not in period:
                raise RateTableError(
                    f"{name}: period= has no entry for condition {cond_id}; give every "
                    "condition's reference period",
                    column="period",
                    rule="every condition has a period",
                    values=[cond_id],
                )
            cond_period = period[cond_id]
        elif period is None:
            raise RateTableError(
                f"{name}: no reference period: pass period= (such as period='past week'), "
                "or a mapping of condition id to period, or conditions in meta",
                column="period",
                rule="every condition has a period",
            )
        else:
            cond_period = period
        cond: dict[str, Any] = {"id": cond_id, "label": label, "period": cond_period}
        cond["ages"] = str(scope)
        if by_sex:
            cond["sexes"] = list(by_sex)
        conds.append(cond)
    out["conditions"] = conds
    return out
