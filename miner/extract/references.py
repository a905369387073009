"""Constats given by reference: a référentiel cell that lists only numbers ("1, 2", "Constats 3 à
5") or refers to a constat written elsewhere ("Voir constat 9"), and the texts those numbers
point to, wherever the report writes them (after the table, at the end of the question, in an
annex). A labelled constat written in a question's prose that no criterion claims is a finding on
the whole question: it justifies each of its criteria.

>>> reference_numbers("1, 2 et 4"), reference_numbers("Constats 3 à 5"), reference_numbers("Voir constat 9.")
([1, 2, 4], [3, 4, 5], [9])
>>> reference_numbers("Le cluster compte 12 membres.")
[]
>>> reference_labels("1.1, 1.2 et 1.4"), reference_labels("Constats 2.3"), reference_labels("1, 2")
(['1.1', '1.2', '1.4'], ['2.3'], [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from miner.data.lexicon import all_words
from miner.extract.referentiel import find_labels, wording_pattern
from miner.extract.sections import ordinal
from miner.nlp.text import squash
from miner.records import Block, Constat, Provenance, Question

__all__ = ["reference_numbers", "reference_labels", "see_numbers", "common_rows", "References", "MAX_RANGE"]

MAX_RANGE = 50
"""A range of constats longer than this ("1 à 2024") is a span of years or figures, not a reference."""

_RANGE_WORDS = r"(?:à|a|au|to|tot|bis|[-–—])"
_AND_WORDS = r"(?:,|;|/|&|et|and|en|und)"
_NUMBERS = rf"(?:n\s?[°º]\s*)?\d{{1,3}}(?:\s*(?:{_RANGE_WORDS}|{_AND_WORDS})\s*(?:n\s?[°º]\s*)?\d{{1,3}})*"
_LABEL_WORDS = "|".join(f"{wording_pattern(w)}s?" for w in sorted(all_words("finding"), key=len, reverse=True))
# a cell that is only numbers, perhaps after the label word: "1, 2", "Constats 3 à 5", "C4"
_ONLY_NUMBERS = re.compile(rf"^\s*(?:(?:{_LABEL_WORDS})\s*|C\.?\s?)?({_NUMBERS})\s*\.?\s*$", re.I)
# an annex row's number: "3", "3.", "C3", "Constat 3", "2.1"
_BARE_NUMBER = re.compile(rf"^(?:(?:{_LABEL_WORDS})\s*|C\.?\s?)?(?:n\s?[°º]\s*)?(\d{{1,3}}(?:\.\d{{1,3}})?)\.?$", re.I)
# a cell that is only per-question labels: "1.1, 1.2", "Constats 2.3 et 2.4"
_LABEL = r"\d{1,3}\.\d{1,3}"
_ONLY_LABELS = re.compile(rf"^\s*(?:(?:{_LABEL_WORDS})\s*)?({_LABEL}(?:\s*{_AND_WORDS}\s*{_LABEL})*)\s*\.?\s*$", re.I)
_SEE_WORDS = "|".join(f"{wording_pattern(w)}s?" for w in sorted(all_words("see"), key=len, reverse=True))
# "Voir constat 9", "see findings 3 and 4", "(cf. constat 2)"
_SEE = re.compile(rf"(?<!\w)(?:{_SEE_WORDS})\s*({_NUMBERS})", re.I)


def _expand(numbers: str) -> list[int]:
    """The numbers of "1, 2 et 4" or "3 à 5", in order."""
    out: list[int] = []
    tokens = re.findall(rf"\d{{1,3}}|{_RANGE_WORDS}(?=\s*(?:n\s?[°º]\s*)?\d)", numbers, re.I)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.isdigit():
            out.append(int(token))
        elif out and index + 1 < len(tokens) and tokens[index + 1].isdigit():
            start, end = out[-1], int(tokens[index + 1])
            if not 0 < end - start <= MAX_RANGE:
                return []
            out += list(range(start + 1, end + 1))
            index += 1
        index += 1
    return out


def reference_numbers(text: str) -> list[int]:
    """The constats a justification cell gives by number only: a list of numbers, or a reference
    ("Voir constat 9"); [] for a cell that writes its constats out (or says something else)."""
    text = squash(text)
    match = _ONLY_NUMBERS.match(text)
    if match is not None:
        return _expand(match.group(1))
    if find_labels(text):
        return []
    return see_numbers(text)


def reference_labels(text: str) -> list[str]:
    """The per-question labels ("2.3") a justification cell gives its constats by, when it lists
    only those: their texts are written elsewhere (after the table, in an annex)."""
    match = _ONLY_LABELS.match(squash(text))
    return re.findall(_LABEL, match.group(1)) if match is not None else []


_COMMON_WORDS = "|".join(wording_pattern(w) for w in sorted(all_words("common"), key=len, reverse=True))
# "commun aux critères 2.1 à 2.3", "common to criteria 1.2-1.4": the criteria a constat serves
_COMMON = re.compile(
    rf"(?:{_COMMON_WORDS})\s*(\d{{1,3}})\.(\d{{1,3}})\s*{_RANGE_WORDS}\s*(?:(\d{{1,3}})\.)?(\d{{1,3}})", re.I
)


def common_rows(text: str, question: int) -> range | None:
    """The rows (1-based, in the question's référentiel) a constat says it serves: "commun aux
    critères 2.1 à 2.3" in question 2 → rows 1 to 3; None without such a phrase (or for another
    question's criteria).

    >>> common_rows("Constat 9 (commun aux critères 2.1 à 2.3) : texte", 2)
    range(1, 4)
    """
    match = _COMMON.search(squash(text))
    if match is None or int(match.group(1)) != question or (match.group(3) and int(match.group(3)) != question):
        return None
    first, last = int(match.group(2)), int(match.group(4))
    return range(first, last + 1) if 0 < last - first <= MAX_RANGE else None


def see_numbers(text: str) -> list[int]:
    """Numbers of the constats a text refers to ("voir constat 9", "see findings 3 and 4")."""
    out: list[int] = []
    for match in _SEE.finditer(text):
        out += [n for n in _expand(match.group(1)) if n not in out]
    return out


@dataclass
class References:
    """Criteria waiting for the text of constats they give by number."""

    waiting: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    """constat number → (question, criterion id) of the criteria citing it."""
    labels: dict[str, int] = field(default_factory=dict)
    """per-question label cited before its text was met → the report-wide number it was given."""

    def number_labels(self, labels: list[str], constats: dict[int, Constat]) -> list[int]:
        """Report-wide numbers of cited labels, in order of first citation (the order the report
        gives them): a label met before keeps its number."""
        out = []
        for label in labels:
            if label not in self.labels:
                known = ordinal(label, constats)
                self.labels[label] = known if known in constats else max([known - 1, *self.labels.values()]) + 1
            out.append(self.labels[label])
        return out

    def cite(self, numbers: list[int], question: int, criterion_id: str, constats: dict[int, Constat]) -> None:
        for number in numbers:
            known = constats.get(number)
            if known is not None:
                if criterion_id not in known.criteria:
                    known.criteria.append(criterion_id)
                continue
            self.waiting.setdefault(number, []).append((question, criterion_id))

    def take(
        self,
        block: Block,
        question: Question | None,
        questions: list[Question],
        constats: dict[int, Constat],
        sha: str,
        path: str,
    ) -> bool:
        """Use a paragraph no criterion took, when met (so a constat keeps its place in the report's
        order): it gives cited numbers their text, or, labelled inside a question that has criteria
        and cited by none, it is a finding on the whole question. False: not used (yet)."""
        found = find_labels(block.text)
        if not found or found[0][2] != 0:
            return False  # a constat paragraph opens with its label
        by_number = {q.number: q for q in questions}
        used = False
        for label, body, _start, _end in found:
            number = self.labels.get(label) or ordinal(label, constats)
            if number in constats:
                continue
            citing = self.waiting.pop(number, None)
            if citing is None and question is not None:  # a finding on the question as a whole
                citing = [(question.number, c.id) for c in question.criteria] or None
            if citing is None:
                continue
            constats[number] = Constat(
                number=number,
                label=None if label == str(number) else label,
                text=body,
                question=citing[0][0],
                criteria=[c for _, c in citing],
                pages=[block.page],
                provenance=Provenance(document=sha, path=path, page=block.page, bbox=block.bbox, quote=body),
            )
            for question_number, criterion_id in citing:
                target = by_number.get(question_number)
                criterion = next((c for c in target.criteria if c.id == criterion_id), None) if target else None
                if criterion is not None and number not in criterion.constats:
                    criterion.constats.append(number)
            used = True
        return used

    def take_table(
        self,
        block: Block,
        question: Question | None,
        questions: list[Question],
        constats: dict[int, Constat],
        sha: str,
        path: str,
    ) -> bool:
        """An annex table of constats ("N° | Constat"): each row a number and its text, read as
        the labelled paragraph it stands for when a référentiel cites that number. False when
        the table is not one (``question`` is where it sits; kept for the caller's symmetry)."""
        if block.table is None or not block.table.rows:
            return False
        paragraphs = []
        for row in block.table.rows:
            texts = [squash(c.text) for c in row.cells if squash(c.text)]
            number = _BARE_NUMBER.match(texts[0]) if len(texts) == 2 else None
            if number is None:
                return False
            paragraphs.append(
                block.model_copy(
                    update={
                        "kind": "paragraph",
                        "table": None,
                        "text": f"{all_words('finding')[0]} {number.group(1)} : {texts[1]}",
                    }
                )
            )
        # only numbers a table cites: a two-column list in a question is not its findings otherwise
        return any([self.take(p, None, questions, constats, sha, path) for p in paragraphs])

    def resolve(
        self,
        loose: list[tuple[Block, Question | None]],
        questions: list[Question],
        constats: dict[int, Constat],
        sha: str,
        path: str,
        warnings: list[str],
    ) -> None:
        """At the end of the report: give the numbers still cited their text from the paragraphs
        left over (a text written before the table that cites it), attach numbers a later row
        wrote out, and report the numbers whose text is nowhere. Paragraphs so used leave the
        question's introduction or conclusion."""
        for number in [n for n in self.waiting if n in constats]:  # cited before a later row wrote it out
            for _question, criterion_id in self.waiting.pop(number):
                if criterion_id not in constats[number].criteria:
                    constats[number].criteria.append(criterion_id)
        for block, question in loose:
            if self.take(block, question, questions, constats, sha, path) and question is not None:
                question.conclusion = _without(question.conclusion, block.text)
                question.introduction = _without(question.introduction, block.text)
        for number, citing in sorted(self.waiting.items()):
            where = ", ".join(f"criterion {c}" for _, c in citing)
            warnings.append(f"constat {number} is cited ({where}) but its text was not found")
        self.waiting.clear()


def _without(paragraphs: str, text: str) -> str:
    """A question's paragraphs (separated by blank lines) without one of them."""
    return "\n\n".join(p for p in paragraphs.split("\n\n") if p != text) if paragraphs else paragraphs
