"""An activity list as the tagger hands it over (``ctx.activity_tags``): the table with its output
columns, each row's activity, predictions per scheme and constat links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from miner.records.activities import Activity

__all__ = ["Classified"]


@dataclass
class Classified:
    """The input table with the output columns added, plus what was reported on the way."""

    columns: list[str]
    rows: list[dict[str, Any]]
    activities: list[Activity | None]
    model_version: str
    messages: list[str] = field(default_factory=list)
    predictions: list[Any] = field(default_factory=list)
    """Per row, the :class:`~miner.tag.axes.AxisPrediction` (None where the row has an error)."""
    links: list[list[Any]] = field(default_factory=list)
    """Per row, the :class:`~miner.tag.links.Link` list (empty where none or not tagged)."""
    sheet: str | None = None
    """The input workbook's sheet name (None for CSV and PDF), reused for the XLSX output."""
    by_scheme: dict[str, list[Any]] = field(default_factory=dict)
    """Per scheme tagged (``axes-2007``, ``missions-2024``), the per-row predictions; ``predictions``
    is the first scheme's."""
    versions: dict[str, str] = field(default_factory=dict)
    """Per scheme tagged, the version of the model that tagged it."""
    schemes: dict[str, Any] = field(default_factory=dict)
    """Per scheme tagged, its :class:`~miner.data.schemes.Scheme` (a user's is known only from its file)."""

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.get("error"))
