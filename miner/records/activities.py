"""Records of a cluster's activities, as read from lists and activity reports."""

from __future__ import annotations

from pydantic import Field

from miner.records.document import Record

__all__ = ["Activity"]


class Activity(Record):
    """One activity of a cluster, from a CSV/XLSX row, a PDF table row or a dated bullet."""

    id: str
    description: str
    title: str | None = None
    date: str | None = Field(default=None, description="ISO date, year or period as given")
    place: str | None = None
    partners: list[str] = []
    cluster: str | None = None
    source: str | None = None
    page: int | None = None
    row: int | None = Field(default=None, description="1-based data row in the source file")
