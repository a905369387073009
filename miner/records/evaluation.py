"""Records of an evaluation report's structure: metadata, phases, questions, criteria, judgements, constats."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import Field

from miner.data.lexicon import lexicons
from miner.records.document import Block, Provenance, Record, SourceInfo

__all__ = [
    "Judgement",
    "JUDGEMENT_SYNONYMS",
    "judgement_key",
    "Metadata",
    "Phase",
    "Located",
    "Criterion",
    "Question",
    "Constat",
    "Evaluation",
]


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
        """Read a judgement from cell text through ``JUDGEMENT_SYNONYMS``: any case, hyphens or
        spaces, including a word broken over two lines in a narrow column. None when the text is
        not a wording of the scale (the caller keeps the text verbatim and reports it).

        >>> Judgement.parse(" non  ATTEINT ")
        <Judgement.NON_ATTEINT: 'Non atteint'>
        >>> Judgement.parse("Satisfaisan\\nt")
        <Judgement.SATISFAISANT: 'Satisfaisant'>
        >>> Judgement.parse("Partiellement atteint"), Judgement.parse("Non-atteint")
        (<Judgement.PARTIEL: 'Partiel'>, <Judgement.NON_ATTEINT: 'Non atteint'>)
        """
        return _SYNONYM_KEYS.get(judgement_key(text))


def judgement_key(text: str) -> str:
    """Case, accents, spaces, hyphens and end punctuation folded away: the lookup key of a wording.

    >>> judgement_key(" Non-Atteint. ")
    'nonatteint'
    """
    import unicodedata

    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isalpha())


# The scale's wordings, in every language: the lexicons (miner/data/lexicons/*.yaml) declare them
# ("largement atteint", achieved to a large extent, ranks below full achievement, so it is the third
# level). A wording missing there is kept verbatim and reported.
JUDGEMENT_SYNONYMS: dict[Judgement, tuple[str, ...]] = {
    level: tuple(word for lex in lexicons() for word in lex.scale[level.value]) for level in Judgement
}
_SYNONYM_KEYS = {judgement_key(word): level for level, words in JUDGEMENT_SYNONYMS.items() for word in words}


class Metadata(Record):
    cluster: str | None = None
    date: dt.date | None = None
    evaluator: str | None = None
    commissioner: str | None = None
    title: str | None = None
    kind: str | None = Field(default=None, description="e.g. 'évaluation triennale'")
    language: str | None = Field(
        default=None, description="the report's language (fr, en, nl, de), from its function words"
    )
    fictitious: bool = Field(default=False, description="the document says on its first page that it is not real")
    provenance: Provenance | None = None


class Phase(Record):
    """A phase of the evaluators' methodology ("Phase 2 – Observer : ...")."""

    number: int
    name: str
    text: str
    provenance: Provenance | None = None


class Located(Record):
    """A part of the report found on pages: the pages it spans and how it was found (document, page
    regions, extraction run), declared once for every located part."""

    pages: list[int]
    provenance: Provenance | None = None


class Criterion(Located):
    """A row of a question's référentiel: theme, criterion text, judgement and the constats that
    justify it (numbers, in the order the report gives them)."""

    id: str = Field(description="local id '<question>.<row>', e.g. '2.3'")
    theme: str
    criterion: str
    judgement: Judgement | None
    judgement_text: str = Field(default="", description="the judgement as printed, kept when off the scale")
    constats: list[int]


class Question(Located):
    number: int
    text: str
    introduction: str = ""
    conclusion: str = Field(default="", description="concluding paragraphs, separated by blank lines")
    criteria: list[Criterion]


class Constat(Located):
    """A numbered finding. ``criteria`` lists the local ids of the criteria it justifies."""

    number: int = Field(
        description="its ordinal in the report: the printed number, or the order of appearance when the report numbers constats per question"
    )
    label: str | None = Field(
        default=None, description="the printed label when it is not the report-wide number ('2.3')"
    )
    text: str
    question: int | None = None
    criteria: list[str]
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
