"""Typed records passed between miner's stages.

Every stage takes records and returns records; files, printing and the network live at the edges
(CLI, pipeline runner, store). Records are pydantic models so they round-trip through JSON exactly
(`Evaluation.model_validate_json(ev.model_dump_json()) == ev`), which is how extraction results are
cached and how `miner extract` prints them.

Coordinates are PDF points with the origin at the top-left corner of the page, as pdfplumber
gives them: ``(x0, top, x1, bottom)``. Page numbers start at 1.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin top-left."""

__all__ = [
    "BBox",
    "Record",
    "Provenance",
    "SourceInfo",
    "BlockKind",
    "Block",
    "TableCell",
    "TableRow",
    "Table",
    "Judgement",
    "Metadata",
    "Phase",
    "Criterion",
    "Question",
    "Constat",
    "Evaluation",
    "Activity",
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


class SourceInfo(Record):
    path: str
    sha256: str
    pages: int
    title: str | None = None
    producer: str | None = None


BlockKind = Literal["heading", "paragraph", "list_item", "table", "caption", "box", "figure"]


class TableCell(Record):
    """One cell of a stitched table. ``merged_from_above`` marks a cell covered by a vertical merge:
    its text is the text of the merged cell, repeated so every spanned row carries it."""

    text: str
    pages: list[int]
    breaks: list[int] = Field(
        default=[], description="offsets in text where the part from each next page begins"
    )
    merged_from_above: bool = False
    merged_from_left: bool = False


class TableRow(Record):
    cells: list[TableCell]
    pages: list[int]


class Table(Record):
    """A logical table: fragments continued across pages are stitched into one."""

    caption: str | None = None
    header: list[str]
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


class Judgement(str, Enum):
    """The evaluators' fixed scale; order matters: Non atteint < Partiel < Satisfaisant < Atteint."""

    NON_ATTEINT = "Non atteint"
    PARTIEL = "Partiel"
    SATISFAISANT = "Satisfaisant"
    ATTEINT = "Atteint"

    @property
    def rank(self) -> int:
        """0 for Non atteint up to 3 for Atteint.

        >>> Judgement.PARTIEL.rank < Judgement.ATTEINT.rank
        True
        """
        return list(Judgement).index(self)

    @classmethod
    def parse(cls, text: str) -> "Judgement | None":
        """Read a judgement from cell text, tolerant of case and spacing, including a word broken
        over two lines in a narrow column.

        >>> Judgement.parse(" non  ATTEINT ")
        <Judgement.NON_ATTEINT: 'Non atteint'>
        >>> Judgement.parse("Satisfaisan\\nt")
        <Judgement.SATISFAISANT: 'Satisfaisant'>
        """
        key = "".join(text.split()).casefold()
        for member in cls:
            if "".join(member.value.split()).casefold() == key:
                return member
        return None


class Metadata(Record):
    cluster: str | None = None
    date: dt.date | None = None
    evaluator: str | None = None
    commissioner: str | None = None
    title: str | None = None
    kind: str | None = Field(default=None, description="e.g. 'évaluation triennale'")
    fictitious: bool = Field(
        default=False, description="the document says on its first page that it is not real"
    )
    provenance: Provenance | None = None


class Phase(Record):
    """A phase of the evaluators' methodology ("Phase 2 – Observer : ...")."""

    number: int
    name: str
    text: str
    provenance: Provenance | None = None


class Criterion(Record):
    """A row of a question's référentiel: theme, criterion text, judgement and the constats that
    justify it (numbers, in the order the report gives them)."""

    id: str = Field(description="local id '<question>.<row>', e.g. '2.3'")
    theme: str
    criterion: str
    judgement: Judgement | None
    constats: list[int]
    pages: list[int]
    provenance: Provenance | None = None


class Question(Record):
    number: int
    text: str
    introduction: str = ""
    conclusion: str = Field(default="", description="concluding paragraphs, separated by blank lines")
    criteria: list[Criterion]
    pages: list[int]
    provenance: Provenance | None = None


class Constat(Record):
    """A numbered finding. ``criteria`` lists the local ids of the criteria it justifies."""

    number: int
    text: str
    question: int | None = None
    criteria: list[str]
    pages: list[int]
    provenance: Provenance | None = None


class Evaluation(Record):
    """Everything `miner extract` reads from one evaluation report."""

    source: SourceInfo
    metadata: Metadata
    phases: list[Phase] = []
    questions: list[Question] = []
    constats: list[Constat] = []
    blocks: list[Block] = []
    warnings: list[str] = []

    def criterion(self, criterion_id: str) -> Criterion:
        for question in self.questions:
            for criterion in question.criteria:
                if criterion.id == criterion_id:
                    return criterion
        raise KeyError(criterion_id)


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
