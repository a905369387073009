"""Objective contracts (2024 decree) and their indicators: what a KPI table states, per row."""

from __future__ import annotations

from pydantic import Field

from miner.records.document import BBox, Record, SourceInfo

__all__ = ["Indicator", "IndicatorTable"]


class Indicator(Record):
    """One row of a KPI table: an indicator of an objective, its target and achieved values."""

    indicator: str
    objective: str | None = None
    unit: str | None = Field(default=None, description="count, percent, EUR, or the document's own unit word")
    target: float | None = None
    achieved: float | None = None
    baseline: float | None = None
    page: int
    bbox: BBox | None = None
    quote: str = Field(description="the row's filled cells as read, joined by ' | '")


class IndicatorTable(Record):
    """The indicators a contract or an evaluation lists, with the cluster and period they are for."""

    source: SourceInfo
    cluster: str | None = None
    period: str | None = Field(default=None, description="first-last year of the contract, e.g. 2024-2028")
    kind: str | None = Field(default=None, description="contrat d'objectifs, évaluation à mi-parcours, ...")
    fictitious: bool = False
    indicators: list[Indicator] = Field(default_factory=list)
