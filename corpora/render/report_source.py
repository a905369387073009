"""What a rendered report says, before any layout: the input of `corpora.render.report_pdf`.

Two kinds of source: an evaluation report (cover, methodology phases, questions with their
référentiel of criteria and numbered constats) and a cluster activity report (a table of
activities and a dated list of highlights). Both load from the YAML files of ``corpora/sources``;
an evaluation can also be rebuilt from a shared ``*.expected.json`` so the real structure can be
re-laid out (other page size, fonts, column widths) and extracted again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator

from miner.errors import InputError
from miner.records import Judgement, Record

__all__ = [
    "ConstatSource",
    "CriterionSource",
    "QuestionSource",
    "PhaseSource",
    "ReportSource",
    "ActivityRowSource",
    "HighlightSource",
    "ActivityReportSource",
    "FICTITIOUS_NOTICE",
    "load_source",
    "french_date",
]

FICTITIOUS_NOTICE = (
    "Document fictif rédigé par l'équipe miner à des fins de démonstration : "
    "ni les faits ni les jugements ne sont réels."
)

# Placeholders for what an expected.json does not record (it keeps structure, not prose).
PLACEHOLDER_METHODOLOGY = (
    "Cette section résume la démarche suivie par l'évaluateur ; son texte n'est pas repris "
    "dans ce rendu, qui ne reproduit que la structure du référentiel."
)
PLACEHOLDER_INTRO = (
    "Les critères retenus pour cette question figurent dans le tableau ci-dessous, "
    "chacun avec son jugement et les constats qui le fondent."
)
PLACEHOLDER_CONCLUSION = "La conclusion rédigée pour cette question n'est pas reproduite dans ce rendu de structure."

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def french_date(day: dt.date) -> str:
    """A date as a French report writes it.

    >>> french_date(dt.date(2025, 10, 10))
    '10 octobre 2025'
    >>> french_date(dt.date(2021, 3, 1))
    '1er mars 2021'
    """
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_MONTHS[day.month - 1]} {day.year}"


class ConstatSource(Record):
    number: int
    text: str


class CriterionSource(Record):
    """One row of a référentiel. ``merged_with_previous``: the justification cell of this row is
    the one of the row above, drawn as one cell spanning both (the row's own constats stay empty)."""

    theme: str
    criterion: str
    judgement: Judgement | None = None
    constats: list[ConstatSource] = []
    merged_with_previous: bool = False


class QuestionSource(Record):
    number: int
    text: str
    intro: list[str] = []
    criteria: list[CriterionSource]
    conclusion: list[str] = []


class PhaseSource(Record):
    number: int
    name: str
    text: str


class ReportSource(Record):
    """An evaluation report. ``title`` defaults to the standard title of a triennial evaluation."""

    kind: Literal["evaluation"] = "evaluation"
    cluster: str
    commissioner: str
    evaluator: str
    date: dt.date
    title: str | None = None
    subtitle: str = "Synthèse du rapport final d'évaluation"
    fictitious: bool = False
    notice: str = FICTITIOUS_NOTICE
    methodology: list[str] = Field(default=[], description="paragraphs before the phases")
    phases: list[PhaseSource] = []
    questions: list[QuestionSource] = []

    @property
    def cover_title(self) -> str:
        return self.title or (
            f"Marché de services relatif à la réalisation de l'évaluation triennale d'un cluster : {self.cluster}"
        )

    @classmethod
    def from_expected_json(cls, path: str | Path, *, fictitious: bool = False) -> "ReportSource":
        """The structure recorded in a shared ``*.expected.json``, with neutral placeholder prose
        where the file keeps none (methodology, question introductions and conclusions)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise InputError(path, f"cannot read expected JSON: {err}") from err
        questions = []
        for q in data.get("questions", []):
            criteria = []
            for c in q["criteria"]:
                shared = any(k.get("shared_with_previous_row") for k in c.get("constats", []))
                own = [
                    ConstatSource(number=k["number"], text=k["text"])
                    for k in c.get("constats", [])
                    if not k.get("shared_with_previous_row")
                ]
                criteria.append(
                    CriterionSource(
                        theme=c["theme"],
                        criterion=c["criterion"],
                        judgement=Judgement.parse(c["judgement"]) if c.get("judgement") else None,
                        constats=own,
                        merged_with_previous=shared and not own,
                    )
                )
            questions.append(
                QuestionSource(
                    number=q["number"],
                    text=q["text"],
                    intro=[PLACEHOLDER_INTRO],
                    criteria=criteria,
                    conclusion=[PLACEHOLDER_CONCLUSION],
                )
            )
        return cls(
            cluster=data["cluster"],
            commissioner=data.get("commissioner") or "",
            evaluator=data.get("evaluator") or "",
            date=dt.date.fromisoformat(data["date"]),
            fictitious=fictitious,
            methodology=[PLACEHOLDER_METHODOLOGY],
            questions=questions,
        )


def _date_as_text(value: Any) -> Any:
    """YAML reads an unquoted 2024-03-12 as a date; the sources keep dates as printed text."""
    return value.isoformat() if isinstance(value, dt.date) else value


class ActivityRowSource(Record):
    date: str = Field(description="as printed: '2024-03-12', 'mars 2024', '2023'")
    activity: str
    place: str = ""
    partners: list[str] = []

    _date_text = field_validator("date", mode="before")(_date_as_text)


class HighlightSource(Record):
    date: str
    text: str

    _date_text = field_validator("date", mode="before")(_date_as_text)


class ActivityReportSource(Record):
    """A cluster's activity report: a table of activities and a dated list of highlights."""

    kind: Literal["activities"] = "activities"
    cluster: str
    title: str
    period: str
    date: dt.date
    fictitious: bool = False
    notice: str = FICTITIOUS_NOTICE
    intro: list[str] = []
    activities: list[ActivityRowSource]
    highlights_title: str = "Faits marquants"
    highlights: list[HighlightSource] = []


_KINDS: dict[str, type[ReportSource] | type[ActivityReportSource]] = {
    "evaluation": ReportSource,
    "activities": ActivityReportSource,
}


def load_source(path: str | Path) -> ReportSource | ActivityReportSource:
    """Read a source YAML; its ``kind`` key ('evaluation' or 'activities') picks the model."""
    try:
        raw: Any = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise InputError(path, f"cannot read source YAML: {err}") from err
    if not isinstance(raw, dict):
        raise InputError(path, "a source YAML must be a mapping")
    kind = raw.get("kind", "evaluation")
    if kind not in _KINDS:
        raise InputError(path, f"unknown kind {kind!r}; known kinds: {', '.join(_KINDS)}")
    try:
        return _KINDS[kind].model_validate(raw)
    except ValidationError as err:
        raise InputError(path, f"invalid {kind} source: {err}") from err
