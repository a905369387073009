"""The vocabulary of an evaluation référentiel: column roles, question headings, constat labels.

Reports from different consultancies name the same things differently ("Critère d'évaluation",
"Appréciation", "Principaux constats"; "Question évaluative n°2", "QE 2"; "Constat 3.", "C3 –").
Everything the structure reader needs to recognise them lives here as declared wordings and
patterns, so a new wording is one line in a table, never a branch in the reader.

>>> roles = column_roles(["Thématique", "Critère d'évaluation", "Appréciation", "Principaux constats"], [])
>>> roles.theme, roles.criterion, roles.judgement, roles.justification
(0, 1, 2, 3)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from miner.data.lexicon import all_words
from miner.nlp.text import squash
from miner.read.headers import ROLE_WORDS, header_role, starts_with_role
from miner.records import Judgement

__all__ = [
    "ROLE_WORDS",
    "Roles",
    "column_roles",
    "header_role",
    "starts_with_role",
    "find_constats",
    "find_labels",
    "wording_pattern",
    "match_question",
    "QUESTION",
]

# Among a table's columns, this share of filled cells must be scale words for a column with no
# recognised title to be read as the judgement column (all of them: one stray word is a theme).
JUDGEMENT_CONTENT_SHARE = 1.0


@dataclass(frozen=True)
class Roles:
    """Column indices of a référentiel's roles (None: no such column); ``how`` says, per role,
    whether its title or its content gave it (shown by ``miner extract --explain``)."""

    theme: int | None
    criterion: int | None
    judgement: int | None
    justification: int | None
    recommendation: int | None = None
    how: dict[str, str] = field(default_factory=dict)
    marks: dict[int, Judgement] = field(default_factory=dict)
    """Columns titled by a level of the scale: a mark (an X, a tick) in one of them is the judgement."""

    @property
    def complete(self) -> bool:
        """A référentiel needs at least criteria (or themes) and their judgements."""
        return (self.criterion is not None or self.theme is not None) and (
            self.judgement is not None or bool(self.marks)
        )

    def missing(self) -> list[str]:
        out = []
        if self.criterion is None and self.theme is None:
            out.append("criterion")
        if self.judgement is None and not self.marks:
            out.append("judgement")
        return out

    def label(self, index: int) -> str | None:
        for role in ("theme", "criterion", "judgement", "justification", "recommendation"):
            if getattr(self, role) == index:
                return role
        if index in self.marks:
            return f"mark: {self.marks[index].value}"
        return None


def column_roles(
    header: list[str], rows: list[list[str]], parse: Callable[[str], Judgement | None] = Judgement.parse
) -> Roles:
    """Roles from the header's titles, completed from the columns' content: a column whose
    filled cells are all scale words (or forms of the document's legend: ``parse``) is the
    judgement, one whose cells carry constat labels is the justification; the criterion is then
    the widest-text remaining column before them. Columns titled by two or more levels of the
    scale are mark columns: the judgement is the column a row marks.

    >>> column_roles(["Dimension", "Niveau", "Texte"], [["A", "Atteint", "Constat 1 : x."]]).judgement
    1
    >>> column_roles(["Critère", "Atteint", "Partiel", "Constats"], []).marks
    {1: <Judgement.ATTEINT: 'Atteint'>, 2: <Judgement.PARTIEL: 'Partiel'>}
    """
    found: dict[str, int] = {}
    how: dict[str, str] = {}
    levels = {
        index: level for index, title in enumerate(header) if title.strip() and (level := parse(title)) is not None
    }
    marks = levels if len(set(levels.values())) >= 2 else {}
    for index, title in enumerate(header):
        if index in marks:
            continue
        role = header_role(title)
        if role is not None and role not in found:
            found[role] = index
            how[role] = "title"
    width = max([len(header), *(len(r) for r in rows)], default=0)
    columns = [[(r[i] if i < len(r) else "") for r in rows] for i in range(width)]
    taken = set(found.values()) | set(marks)
    if "judgement" not in found and not marks:
        for index, cells in enumerate(columns):
            filled = [c for c in cells if c.strip()]
            if index in taken or not filled:
                continue
            share = sum(1 for c in filled if parse(c) is not None) / len(filled)
            if share >= JUDGEMENT_CONTENT_SHARE:
                found["judgement"], how["judgement"] = index, "content"
                taken.add(index)
                break
    if "justification" not in found:
        for index, cells in enumerate(columns):
            if index not in taken and sum(1 for c in cells if find_labels(c)) > len(cells) / 2:
                found["justification"], how["justification"] = index, "content"
                taken.add(index)
                break
    if "criterion" not in found and "theme" not in found:
        anchors = [found[r] for r in ("judgement", "justification") if r in found] + list(marks)
        limit = min(anchors) if anchors else width
        before = [i for i in range(limit) if i not in taken]
        if before:
            widest = max(before, key=lambda i: sum(len(c) for c in columns[i]))
            found["criterion"], how["criterion"] = widest, "content"
    return Roles(
        theme=found.get("theme"),
        criterion=found.get("criterion"),
        judgement=found.get("judgement"),
        justification=found.get("justification"),
        recommendation=found.get("recommendation"),
        how=how,
        marks=marks,
    )


# ---------------------------------------------------------------------------------------------
# Headings and labels


def wording_pattern(word: str) -> str:
    """A regex for a lexicon wording as reports print it: any space (or none: PDFs without space
    characters glue words), either apostrophe, an accented letter or its bare form.

    >>> bool(re.fullmatch(wording_pattern("Question d'évaluation"), "Question d’evaluation", re.I))
    True
    """
    out = []
    for ch in word:
        if ch == " ":
            out.append(r"\s*")
        elif ch in "'’":
            out.append(r"['’]\s?")
        elif ch.isalpha() and ch != (bare := unicodedata.normalize("NFKD", ch)[0]):
            out.append(f"[{ch}{bare}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(wording_pattern(w) for w in sorted(words, key=len, reverse=True))


# "Question d'évaluation 2 :", "Question évaluative n°2 –", "QE2.", "Evaluation question 2:",
# "Evaluatievraag 2 –" (every language's wordings, from the lexicons) after an optional section
# number; group 1 is the question's number, group 2 its text.
QUESTION = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?"
    rf"(?:{_alternation(all_words('question'))})"
    r"\s*(?:n\s?[°º]\s*|no\.?\s*|nr\.?\s*)?(\d{1,3})\s*(?:[:.–—-]\s*|\s+)(\S.*)$",
    re.I | re.S,
)
# A numbered section whose title is itself the question ("3.2 Dans quelle mesure ... ?").
NUMBERED_QUESTION = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*\?)$", re.S)


def match_question(text: str) -> tuple[int, str] | None:
    """(number, text) of a question heading, or None.

    >>> match_question("2 Question évaluative n°1 – Dans quelle mesure ?")
    (1, 'Dans quelle mesure ?')
    >>> match_question("QE3 : Le cluster est-il utile ?")
    (3, 'Le cluster est-il utile ?')
    """
    match = QUESTION.match(text.strip())
    if match is None:
        return None
    return int(match.group(1)), squash(match.group(2))


# "Constat 3 :", "Constat n°3 :", "Constat 3.", "Constat 3 –", a label per question "Constat 2.3 :",
# every language's word ("Finding 3:", "Vaststelling 3 –"; OCR and PDFs without spaces may glue
# the number on) and the short "C3 –", "C.3 :". The short forms need a sentence boundary before
# them, so "catégorie C3." is not a label. Group 1 is the printed label.
_LABEL_WORDS = "|".join(
    f"{wording_pattern(w)}|{wording_pattern(w.upper())}" for w in sorted(all_words("finding"), key=len, reverse=True)
)
_CONSTAT = re.compile(
    rf"(?:(?:(?<=^)|(?<=\s))(?:{_LABEL_WORDS})\s*(?:n\s?[°º]\s*|no\.?\s*|nr\.?\s*)?"
    r"|(?:(?<=^)|(?<=[.;!?:•▪–]\s)|(?<=\n))C\.?\s?(?=\d))"
    r"(\d{1,3}(?:\.\d{1,3})?)(?:\s*\([^()]{1,80}\))?\s*(?:[:.–—)-])\s*"
)


# List marks that may trail a constat when the next one is a bullet of the same paragraph.
_TRAILING_MARK = re.compile(r"\s*(?:[•●▪◦‣∙·*−–\uf0b7\uf0a7\uf0d8\uf076]|\(cid:\d+\))\s*$")


def find_labels(text: str) -> list[tuple[str, str, int, int]]:
    """Cut a justification at each constat label → (printed label, text, start, end) offsets.

    >>> [(n, t) for n, t, _, _ in find_labels("Constat 2.1 : Un. Constat 2.2 : Deux. Finding 3: Three.")]
    [('2.1', 'Un.'), ('2.2', 'Deux.'), ('3', 'Three.')]
    """
    matches = list(_CONSTAT.finditer(text))
    out = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = _TRAILING_MARK.sub("", squash(text[match.end() : end]))
        out.append((match.group(1), body, match.start(), end))
    return out


def find_constats(text: str) -> list[tuple[int, str, int, int]]:
    """The constats labelled with a plain number (the report-wide numbering) → (number, text,
    start, end) offsets; per-question labels ("2.3") are :func:`find_labels`' to give.

    >>> [(n, t) for n, t, _, _ in find_constats("Constat 1 : Un. Constat 2 : Deux.")]
    [(1, 'Un.'), (2, 'Deux.')]
    >>> [(n, t) for n, t, _, _ in find_constats("C1 – Un texte. C.2 : Deux. Constat n°3. Trois.")]
    [(1, 'Un texte.'), (2, 'Deux.'), (3, 'Trois.')]
    """
    return [(int(label), body, start, end) for label, body, start, end in find_labels(text) if label.isdigit()]
