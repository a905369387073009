"""Records of an evaluation report's structure: metadata, phases, questions, criteria, judgements, constats."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import Field

from miner.records.document import Block, Provenance, Record, SourceInfo

__all__ = ["Judgement", "Metadata", "Phase", "Criterion", "Question", "Constat", "Evaluation"]


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
    confidence: float | None = Field(default=None, description="OCR: mean confidence (0-100) of its words")
    low_confidence: bool = Field(default=False, description="OCR: its words' confidence is under the threshold")


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
