"""Achieved against target in the two-cycle comparison: the objective contracts' indicators per cycle.

A contract and its evaluations state, per indicator, a target and an achieved value for one
contract period (``miner:IndicatorObservation``, :mod:`miner.rdf.indicators`). The comparison reads
those of its two clusters (:data:`Q_CONTRACTS`), gives each period to the compared evaluation whose
cycle it overlaps most (a period overlapping neither stays out), joins the documents stating the
same indicator of one period, and lays A beside B per indicator: target, achieved and share of the
target reached in each cycle, the change of the achieved value, and the document and page of each
value. Indicators are matched across cycles by their folded name.

>>> period_years("2024-2028"), period_years("1er juillet 2024 – 30 juin 2028"), period_years("2025")
((2024, 2028), (2024, 2028), None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from miner.compare.tables import whole_number
from miner.nlp.text import fold
from miner.rdf.prefixes import SPARQL_PROLOGUE

if TYPE_CHECKING:  # types only: the comparison module imports this one
    from miner.compare.comparison import Comparison, EvaluationView

__all__ = ["Q_CONTRACTS", "ContractRow", "CycleValues", "contract_rows", "period_years", "side_of_period"]

Q_CONTRACTS = (
    SPARQL_PROLOGUE
    + """SELECT DISTINCT ?obs ?cluster ?period ?objective ?indicator ?unit ?target ?achieved
       ?page ?file WHERE {
  GRAPH ?g { ?obs a miner:IndicatorObservation ; miner:cluster ?c ; miner:indicator ?indicator .
             OPTIONAL { ?obs miner:period ?period } OPTIONAL { ?obs miner:objective ?objective }
             OPTIONAL { ?obs miner:unit ?unit } OPTIONAL { ?obs miner:targetValue ?target }
             OPTIONAL { ?obs miner:achievedValue ?achieved } OPTIONAL { ?obs miner:page ?page }
             OPTIONAL { ?obs prov:wasDerivedFrom/miner:fileName ?file } }
  ?c rdfs:label ?cluster } ORDER BY ?period ?indicator ?file"""
)
"""Every contract indicator as each document states it, with its cluster's label (the comparison
keeps those of its two clusters)."""

UNITS_FR = {"percent": " %", "EUR": " €", "count": ""}


def period_years(text: Any) -> tuple[int, int] | None:
    """The first and last year of a contract period as written ("2024-2028"), None without two years."""
    years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", str(text or ""))
    return (int(years[0]), int(years[-1])) if len(years) >= 2 else None


def _span(view: EvaluationView) -> tuple[int, int] | None:
    if view.start and view.end:
        return view.start.year, view.end.year
    return (view.date.year, view.date.year) if view.date else None


def side_of_period(period: Any, a: EvaluationView, b: EvaluationView) -> str | None:
    """``a`` or ``b``: the compared evaluation whose cycle overlaps the period most (in years; a
    cycle ending the year the period starts does not overlap it), None when neither does."""
    years = period_years(period)
    if years is None:
        return None
    best, side = 0, None
    for name, view in (("a", a), ("b", b)):
        span = _span(view)
        if span is None:
            continue
        overlap = min(years[1], span[1]) - max(years[0], span[0])
        if span[0] == span[1]:  # a date only: inside the period or not
            overlap = 1 if years[0] <= span[0] <= years[1] else 0
        if overlap > best:
            best, side = overlap, name
    return side


@dataclass
class CycleValues:
    """One indicator in one cycle: its target and achieved value, each with where it is stated."""

    period: str
    target: float | None = None
    achieved: float | None = None
    target_from: list[Any] = field(default_factory=list)
    achieved_from: list[Any] = field(default_factory=list)
    """Links (:class:`miner.compare.page.Link`) to the document and page stating the value."""
    targets_disagree: bool = False

    @property
    def share(self) -> float | None:
        """Achieved over target (None without both, or with a zero target)."""
        if self.target in (None, 0) or self.achieved is None:
            return None
        return self.achieved / self.target


@dataclass
class ContractRow:
    """One indicator of the contracts, A's cycle beside B's."""

    indicator: str
    objective: str
    unit: str
    a: CycleValues | None
    b: CycleValues | None

    @property
    def change(self) -> float | None:
        """B's achieved value minus A's (None unless both cycles state one)."""
        if self.a is None or self.b is None or self.a.achieved is None or self.b.achieved is None:
            return None
        return self.b.achieved - self.a.achieved

    def shown(self, value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value:g}{UNITS_FR.get(self.unit, ' ' + self.unit if self.unit else '')}"


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value == value else None
    except (TypeError, ValueError):
        return None


def contract_rows(comparison: Comparison, link: Any) -> list[ContractRow]:
    """The contract indicators of the two compared cycles (``comparison.contracts``, rows of
    :data:`Q_CONTRACTS`), A beside B; ``link(file, page)`` makes a source link (the page's own)."""
    a, b = comparison.a, comparison.b
    rows: dict[str, ContractRow] = {}
    for r in comparison.contracts:
        side = side_of_period(r.get("period"), a, b)
        if side is None:
            continue
        name = str(r["indicator"])
        row = rows.setdefault(
            fold(name), ContractRow(name, str(r.get("objective") or ""), str(r.get("unit") or ""), None, None)
        )
        values = getattr(row, side) or CycleValues(str(r.get("period") or ""))
        setattr(row, side, values)
        place = link(r.get("file"), whole_number(r.get("page")))
        for kind in ("target", "achieved"):
            value = _number(r.get(kind))
            if value is None:
                continue
            if kind == "target" and values.target is not None and values.target != value:
                values.targets_disagree = True
            setattr(values, kind, value if getattr(values, kind) is None else max(getattr(values, kind), value))
            sources = getattr(values, f"{kind}_from")
            if place.href not in {s.href for s in sources}:
                sources.append(place)
    return sorted(rows.values(), key=lambda row: (row.objective, row.indicator))
