"""Member counts that a report states in words ("183 membres", "a augmenté de 50%").

Pattern-based on purpose: reports state these figures in a handful of fixed phrasings, and a wrong
number in the graph is worse than a missing one, so anything that does not match exactly is left
out. Each statement keeps where it came from (constat or question conclusion, page, exact quote).

>>> [s.value for s in find_member_statements("Le cluster rassemble 183 membres, dont 40 PME.")]
[183]
>>> find_member_statements("le nombre de membres a augmenté de 50% par rapport au cycle précédent")[0].value
50.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["MemberStatement", "find_member_statements", "member_statements_of_evaluation"]

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d{1,6}"
_COUNT = re.compile(
    rf"(?<![\d,.%])(?P<value>{_NUMBER})\s+(?:(?:entreprises|organisations|organismes)\s+)?membres\b",
    re.IGNORECASE,
)
_GROWTH = re.compile(
    r"nombre\s+de\s+membres\b[^.;]{0,80}?\b(?P<verb>augment|progress|cr[uû]|diminu|baiss|recul)\w*"
    r"\s+de\s+(?P<value>\d{1,3}(?:[,.]\d+)?)\s*(?:%|pour\s*cent)",
    re.IGNORECASE,
)
_DOWN = ("diminu", "baiss", "recul")
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]|$)")


@dataclass(frozen=True)
class MemberStatement:
    """One stated figure: ``count`` (members) or ``growth`` (percent against the previous cycle)."""

    kind: Literal["count", "growth"]
    value: float | int
    quote: str


def _sentence_around(text: str, start: int, end: int) -> str:
    for match in _SENTENCE.finditer(text):
        if match.start() <= start and end <= match.end():
            return " ".join(match.group().split())
    return " ".join(text[start:end].split())


def find_member_statements(text: str) -> list[MemberStatement]:
    """Member counts and growth rates stated in ``text``, in reading order."""
    found: list[tuple[int, MemberStatement]] = []
    for match in _COUNT.finditer(text):
        value = int(re.sub(r"\D", "", match.group("value")))
        found.append((match.start(), MemberStatement("count", value, _sentence_around(text, *match.span()))))
    for match in _GROWTH.finditer(text):
        value = float(match.group("value").replace(",", "."))
        if match.group("verb").casefold().startswith(_DOWN):
            value = -value
        found.append((match.start(), MemberStatement("growth", value, _sentence_around(text, *match.span()))))
    return [statement for _, statement in sorted(found, key=lambda item: item[0])]


@dataclass(frozen=True)
class LocatedStatement:
    """A statement and where it was read: ``source`` is 'constat' or 'question', with its number."""

    statement: MemberStatement
    source: Literal["constat", "question"]
    number: int
    page: int | None
    index: int = 1

    @property
    def key(self) -> str:
        """Stable local name: kind, source, number and rank in that source ("count-question-1-1")."""
        return f"{self.statement.kind}-{self.source}-{self.number}-{self.index}"


def member_statements_of_evaluation(evaluation) -> list[LocatedStatement]:  # noqa: ANN001
    """Statements from an Evaluation's constats and question conclusions, with their pages.

    A conclusion closes its question, so its page is the question's last page when the extractor
    gave no finer provenance.
    """
    located: list[LocatedStatement] = []
    for constat in evaluation.constats:
        page = (constat.provenance.page if constat.provenance else None) or (constat.pages or [None])[0]
        for index, statement in enumerate(find_member_statements(constat.text), 1):
            located.append(LocatedStatement(statement, "constat", constat.number, page, index))
    for question in evaluation.questions:
        page = (question.pages or [None])[-1]
        for index, statement in enumerate(find_member_statements(question.conclusion), 1):
            located.append(LocatedStatement(statement, "question", question.number, page, index))
    return located
