"""The comparison report's tables as facts: one row per fact, however many pages or graphs state it.

The graph keeps each statement where it was read: a member count stated on page 2 and again on
page 3, the same figure in two documents' graphs, miner's own estimate that agrees with a stated
figure. The report shows a fact once, with every place that supports it; an estimate that agrees
with a statement confirms it rather than adding a row. Chart ticks are round numbers.

>>> rows = [{"clusterKey": "c", "cycle": "6e", "measure": "members", "status": "actual", "value": 77.0, "file": "a.pdf", "page": 2},
...         {"clusterKey": "c", "cycle": "6e", "measure": "members", "status": "actual", "value": 77.0, "file": "a.pdf", "page": 3},
...         {"clusterKey": "c", "cycle": "6e", "measure": "members", "status": "derived", "value": 77.0, "file": "b.pdf"}]
>>> [(f.row["value"], f.sources, f.confirmed_by) for f in timeline_facts(rows)]
[(77.0, [('a.pdf', 2), ('a.pdf', 3)], ['b.pdf'])]
>>> nice_ticks(110.4)
[0, 25, 50, 75, 100, 125]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Fact", "indicator_facts", "nice_ticks", "province_facts", "timeline_facts", "type_facts", "whole_number"]


@dataclass
class Fact:
    """One fact of a table: a representative row, the (file, page) pairs stating it, the quotes,
    and the documents from which miner computed the same value."""

    row: dict[str, Any]
    sources: list[tuple[str | None, int | None]] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    confirmed_by: list[str] = field(default_factory=list)


def whole_number(value: Any) -> int | None:
    """A page or year as read from the graph (an int, a float, a numeric literal, NaN or nothing)."""
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


def _group(rows: list[dict[str, Any]], key: Any) -> list[Fact]:
    facts: dict[Any, Fact] = {}
    for row in rows:
        fact = facts.setdefault(key(row), Fact(dict(row)))
        source = (row.get("file"), whole_number(row.get("page")))
        if row.get("status") == "derived":
            if row.get("file") and row["file"] not in fact.confirmed_by:
                fact.confirmed_by.append(row["file"])
            continue
        if fact.row.get("status") == "derived":  # a statement outranks miner's own estimate
            fact.row = dict(row)
        if source not in fact.sources:
            fact.sources.append(source)
        quote = row.get("quote")
        if quote and quote not in fact.quotes:
            fact.quotes.append(str(quote))
        for name in ("year", "detail"):
            if fact.row.get(name) is None and row.get(name) is not None:
                fact.row[name] = row[name]
    for fact in facts.values():
        fact.sources.sort(key=lambda s: (s[0] or "", s[1] or 0))
    return list(facts.values())


def _number(value: Any) -> float | None:
    try:
        return round(float(value), 6)
    except (TypeError, ValueError):
        return None


def timeline_facts(rows: list[dict[str, Any]]) -> list[Fact]:
    """Member counts and growths: a stated count and miner's estimate of the same count for the
    same cycle are one fact (the estimate confirms it); anything else stated twice is one fact."""

    def key(row: dict[str, Any]) -> tuple:
        status = "actual" if row.get("status") in ("actual", "derived") else row.get("status")
        baseline = (
            row.get("baseline") if row.get("measure") == "member_growth" else None
        )  # what a growth is measured from
        return (
            row.get("clusterKey"),
            row.get("cycle"),
            row.get("measure"),
            status,
            _number(row.get("value")),
            baseline,
        )

    return _group(rows, key)


def indicator_facts(rows: list[dict[str, Any]]) -> list[Fact]:
    """Stated indicators: the same measure, status, value and year of one cluster and cycle once."""
    return _group(
        rows,
        lambda r: (
            r.get("cluster"),
            r.get("cycle"),
            r.get("measure"),
            r.get("detail"),
            r.get("status"),
            _number(r.get("value")),
            r.get("unit"),
            whole_number(r.get("year")),
        ),
    )


def province_facts(rows: list[dict[str, Any]]) -> list[Fact]:
    return _group(rows, lambda r: (r.get("clusterKey"), r.get("cycle"), r.get("province"), _number(r.get("members"))))


def type_facts(rows: list[dict[str, Any]]) -> list[Fact]:
    return _group(
        rows,
        lambda r: (r.get("cluster"), r.get("cycle"), r.get("type"), r.get("province"), _number(r.get("organisations"))),
    )


NICE_STEPS = (1, 2, 2.5, 5)
"""Tick steps a reader counts in (times a power of ten): 25, 50, 75, never 28, 55, 83."""


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round ticks from 0 past ``top``, about ``count`` intervals (at most ``count + 1`` ticks above 0)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (*NICE_STEPS, 10) if s * power >= raw)
    ticks = [0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return [int(t) if float(t).is_integer() else round(t, 6) for t in ticks]
