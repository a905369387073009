"""Typed records passed between miner's stages.

Every stage takes records and returns records; files, printing and the network live at the edges
(CLI, pipeline runner, store). Records are pydantic models so they round-trip through JSON exactly
(`Evaluation.model_validate_json(ev.model_dump_json()) == ev`), which is how extraction results are
cached and how `miner extract` prints them.

Coordinates are PDF points with the origin at the top-left corner of the page, as pdfplumber
gives them: ``(x0, top, x1, bottom)``. Page numbers start at 1.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin top-left."""

__all__ = [
    "BBox",
    "Record",
    "Provenance",
    "OcrPageInfo",
    "OcrInfo",
    "SourceInfo",
    "BlockKind",
    "Block",
    "TableCell",
    "TableRow",
    "Table",
]


class Record(BaseModel):
    """Base of all records: unknown fields are refused, so a typo in a stage fails loudly."""

    model_config = ConfigDict(extra="forbid")


class Provenance(Record):
    """Where a fact came from: the document (by sha256), the page, the box and the exact quote."""

    document: str = Field(description="sha256 of the source file")
    path: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    quote: str | None = None


class OcrPageInfo(Record):
    """How OCR read one page: words found, their mean confidence (0-100), the skew it removed."""

    page: int
    words: int
    confidence: float | None = Field(description="mean word confidence, 0-100, weighted by length")
    skew: float = Field(0.0, description="degrees the page image was rotated back")
    dpi: float


class OcrInfo(Record):
    """The OCR that read a document's scanned pages: engine, its version, language, per page."""

    engine: str
    version: str
    language: str
    pages: list[OcrPageInfo]


class SourceInfo(Record):
    path: str
    sha256: str
    pages: int
    title: str | None = None
    producer: str | None = None
    ocr: OcrInfo | None = Field(default=None, description="set when some pages were read by OCR")


BlockKind = Literal["heading", "paragraph", "list_item", "table", "caption", "box", "figure", "margin"]
"""``margin``: small text met between the two page parts of a table (a footnote, a header line)."""


class TableCell(Record):
    """One cell of a stitched table. ``merged_from_above`` marks a cell covered by a vertical merge:
    its text is the text of the merged cell, repeated so every spanned row carries it."""

    text: str
    pages: list[int]
    breaks: list[int] = Field(default=[], description="offsets in text where the part from each next page begins")
    boxes: list[BBox] = Field(default=[], description="the cell's box on each of its pages, in page order")
    merged_from_above: bool = False
    merged_from_left: bool = False
    fill: str | None = Field(default=None, description="the cell's background colour (#rrggbb) when it is shaded")


class TableRow(Record):
    cells: list[TableCell]
    pages: list[int]


class Table(Record):
    """A logical table: fragments continued across pages are stitched into one."""

    caption: str | None = None
    header: list[str]
    header_fills: list[str | None] = Field(
        default=[], description="background colour of each header cell (a legend's colours may sit there)"
    )
    rows: list[TableRow]
    pages: list[int]
    bbox: BBox = Field(description="box of the first fragment")


class Block(Record):
    """A unit of layout in reading order: a heading, a paragraph, a list item, a table, a caption,
    a boxed frame (sidebars, metadata boxes) or a figure."""

    kind: BlockKind
    page: int
    bbox: BBox
    text: str
    level: int | None = Field(default=None, description="heading level (1 = top)")
    column: int | None = Field(default=None, description="column index on multi-column pages")
    table: Table | None = None
