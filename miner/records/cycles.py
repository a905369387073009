"""Which funding cycle an evaluation covers, with what the text says for and against it.

Made once per evaluation by ``miner.extract.cycles`` (the ``miner.cycles.v1`` step in a run) and
read by the graph, the organisations, the build's grouping, `miner cycles` and `miner compare`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Cycle", "CycleEvidence", "CycleInference"]


@dataclass(frozen=True)
class Cycle:
    """A funding cycle: kind and ordinal when known, else the year of the evaluation.

    ``start`` and ``end`` are the period the text states, when it states one; they do not change
    the cycle's identity (its ``slug``)."""

    kind: str
    ordinal: int | None = None
    year: int | None = None
    start: dt.date | None = field(default=None, compare=False)
    end: dt.date | None = field(default=None, compare=False)

    @property
    def slug(self) -> str:
        if self.ordinal is not None:
            return f"{self.kind}-{self.ordinal}"
        return f"{self.kind}-{self.year}" if self.year else self.kind

    @property
    def label(self) -> str:
        """French label: '7e triennat', '1er quadriennat', 'année 2011'."""
        if self.ordinal is not None:
            return f"{self.ordinal}{'er' if self.ordinal == 1 else 'e'} {self.kind}"
        kind = "année" if self.kind == "annee" else self.kind
        return f"{kind} {self.year}" if self.year else kind

    def previous(self) -> "Cycle | None":
        """The cycle before this one (same kind, ordinal − 1), or None when the ordinal is unknown.

        >>> Cycle("triennat", 7).previous().slug
        'triennat-6'
        """
        if self.ordinal is None or self.ordinal < 2:
            return None
        return Cycle(self.kind, self.ordinal - 1)


@dataclass(frozen=True)
class CycleEvidence:
    """One thing the text says about the cycle: ``what`` is ordinal, period, next or date."""

    what: Literal["ordinal", "period", "next", "date", "pipeline"]
    value: str
    quote: str
    page: int | None = None


@dataclass
class CycleInference:
    """The cycle found, how (``source``: pipeline, text or date), what supports it and what
    contradicts it. ``conflicts`` are sentences a user can act on."""

    cycle: Cycle
    source: Literal["pipeline", "text", "date"]
    evidence: list[CycleEvidence] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    conflicts_fr: list[str] = field(default_factory=list)
    """The same sentences in French, in the same order, for the French pages (the compare report)."""

    @property
    def has_ordinal(self) -> bool:
        return self.cycle.ordinal is not None
