"""Criteria written as sections instead of table rows, and what tables and sections share.

Some reports have no référentiel table: each criterion is a sub-heading ("Critère 1.2 –
Lisibilité de la stratégie"), its text a paragraph, its judgement a line "Jugement : Atteint"
and its constats a bulleted or numbered list. ``SectionReader`` turns that sequence of blocks
into the same ``Criterion`` and ``Constat`` records a table row gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from miner.extract.legend import Legend
from miner.extract.referentiel import find_labels
from miner.nlp.text import squash
from miner.read.headers import header_role, starts_with_role
from miner.records import BBox, Block, Constat, Criterion, Judgement, Provenance, Question

__all__ = ["SectionReader", "add_constats", "read_judgement", "pages_of", "ordinal"]

# "Critère 1.2 –", "Critère n°3 :", "1.2", "1.2 Critère –", "a)" before a criterion heading's theme.
_CRITERION_LABEL = re.compile(
    r"^(?:(?:\d+(?:\.\d+)*\.?|[a-z]\))\s+)?(?:(?:Sous-)?Crit[èe]re?s?\s*(?:n\s?[°º]\s*)?[\d.]*\s*[:.–—-]?\s*)?", re.I
)
# "Critère 1.2 – Lisibilité : Le plan est connu." as one paragraph: label (with the theme), then text.
_CRITERION_LINE = re.compile(r"^((?:Sous-)?Crit[èe]re[^:]{0,80}?)\s*:\s*(\S.*)$", re.S)
# "Jugement : Atteint", "Appréciation – Partiel": a label naming the judgement role, then the word.
_LABELLED = re.compile(r"^([^:–—]{2,40}?)\s*[:–—]\s*(\S.{0,60})$", re.S)
# "Constat commun aux critères 3.2 à 3.4 :", "Finding common to criteria 3.2 to 3.4:", the Dutch
# and German wordings: what follows justifies each criterion of the range.
_COMMON = re.compile(
    r"(?:(?:Constats?|Findings?|Vaststelling(?:en)?)\s+(?:communs?\s+aux\s+critères|common\s+to\s+criteria"
    r"|gemeenschappelijk\s+voor\s+(?:de\s+)?criteria)|Gemeinsame\s+Feststellung(?:en)?\s+zu\s+den\s+Kriterien)\s+"
    r"(\d+(?:\.\d+)?)\s*(?:à|au|to|tot|bis|-|–)\s*(\d+(?:\.\d+)?)\s*:?",
    re.IGNORECASE,
)
# The printed number of a criterion sub-heading ("3.2 Poussières").
_PRINTED = re.compile(r"^(\d+\.\d+)\.?\s")
# List markers a bullet or numbered constat may start with (symbol fonts map bullets to U+F0B7).
_MARKER = re.compile(r"^(?:[•●▪◦‣∙·*−–\-\uf0b7\uf0a7\uf0d8\uf076]|\(cid:\d+\)|(\d{1,3})[.)]|[a-z][.)])\s*")


def pages_of(pages: list[int], breaks: list[int], start: int, end: int) -> list[int]:
    """Pages a span [start, end) of a cell's text lies on, from the offsets where pages change."""
    bounds = [0, *breaks, 10**9]
    out = []
    for index, page in enumerate(pages):
        lo, hi = bounds[index], bounds[index + 1]
        if start < hi and end > lo:
            out.append(page)
    return out or pages[:1]


def read_judgement(
    printed: str,
    question: int,
    theme: str,
    warnings: list[str],
    legend: Legend | None = None,
    fill: str | None = None,
) -> tuple[Judgement | None, str]:
    """The scale level of a printed judgement and the printed text; off-scale words are kept
    and reported, never dropped. With the document's ``legend``, a symbol or code it defines
    is resolved, and an empty cell shaded (``fill``) in one of its colours takes that colour's
    level (the colour is then what is kept as printed)."""
    printed = squash(printed)
    legend = legend or Legend()
    judgement = legend.resolve(printed, fill)
    if judgement is not None and not printed and fill is not None:
        printed = fill
    if judgement is None:
        what = f"judgement {printed!r} is not on the scale (kept as printed)" if printed else "no judgement"
        warnings.append(f"question {question}, criterion {theme!r}: {what}")
    return judgement, printed


def add_constats(
    text: str,
    pages: list[int],
    breaks: list[int],
    question: int,
    criterion_id: str,
    constats: dict[int, Constat],
    sha: str,
    path: str,
    warnings: list[str],
    *,
    repeated: bool = False,
    boxes: list[BBox] | None = None,
    document: Any = None,
) -> list[int]:
    """Record the constats labelled in ``text`` for one criterion; their numbers in order.
    ``repeated``: the text is a merged cell already read for the row above. With the cell's
    ``boxes`` (one per page) and the ``document`` (a ``PdfDocument``), each constat gets the box of
    its own words and, on OCR'd pages, their mean confidence."""
    numbers: list[int] = []
    for label, body, start, end in find_labels(text):
        number = ordinal(label, constats)
        numbers.append(number)
        on = pages_of(pages, breaks, start, end)
        constat = constats.get(number)
        if constat is None:
            regions = [(p, box) for p, box in zip(pages, boxes or []) if p in on]
            located, confidence = document.locate(regions, body) if document is not None else ([], None)
            bbox = located[0][1] if located else (regions[0][1] if regions else None)
            low = confidence is not None and document is not None and confidence < document.low_confidence
            constats[number] = Constat(
                number=number,
                label=None if label == str(number) else label,
                text=body,
                question=question,
                criteria=[criterion_id],
                pages=on,
                provenance=Provenance(document=sha, path=path, page=on[0], bbox=bbox, quote=body),
                confidence=confidence,
                low_confidence=low,
            )
            if low:
                warnings.append(f"constat {number}: OCR confidence {confidence:g} is low; check its text")
            continue
        if criterion_id not in constat.criteria:
            constat.criteria.append(criterion_id)
        if not repeated and squash(constat.text) != body:
            warnings.append(f"constat {number} appears twice with different texts")
    return numbers


def ordinal(label: str, constats: dict[int, Constat]) -> int:
    """The report-wide number of a printed constat label: a plain number is its own; a label per
    question ("2.3") keeps the number it got when first met, or takes the next one (order of
    appearance).

    >>> ordinal("4", {}), ordinal("2.1", {})
    (4, 1)
    """
    if label.isdigit():
        return int(label)
    for number, constat in constats.items():
        if constat.label == label:
            return number
    return max(constats, default=0) + 1


def judgement_line(text: str) -> str | None:
    """The judgement word of a "Jugement : X" line, or None.

    >>> judgement_line("Jugement : Partiellement atteint"), judgement_line("Le jugement : bon ou mauvais ?")
    ('Partiellement atteint', None)
    """
    match = _LABELLED.match(squash(text))
    if match is None or not starts_with_role(match.group(1), "judgement") or len(match.group(1).split()) > 4:
        return None
    return match.group(2).strip(" .")


class SectionReader:
    """Criteria as sub-headings: heading (theme) → paragraphs (criterion) → judgement line →
    list of constats. Fed block by block by the structure reader; ``looked`` lists what it saw
    and could not use (for the loud failure)."""

    def __init__(
        self,
        sha: str,
        path: str,
        constats: dict[int, Constat],
        warnings: list[str],
        spill: Callable[[Block], None],
        document: Any = None,
        legend: Legend | None = None,
    ):
        self.sha, self.path, self.constats, self.warnings = sha, path, constats, warnings
        self.legend = legend  # the document's own key from symbols or codes to the scale
        self.document = document  # a PdfDocument: locates each constat's words (and their OCR confidence)
        self.spill = spill  # gives back paragraphs that turned out to belong to no criterion
        self.looked: list[str] = []
        self.theme: Block | None = None
        self.label: str | None = None  # the theme of a "Critère 1.2 – Theme : text" paragraph
        self.held: list[Block] = []
        self.open: Criterion | None = None
        self.pending: Block | None = None  # a judgement tag met before the sub-heading on its line
        self.filling = False  # a criterion opened by its tag takes the paragraphs up to its first constat
        self.printed: dict[str, Criterion] = {}  # criteria of the question by their printed number
        self.shared: list[Criterion] = []  # criteria a "common" constat line gives the next constats to

    def close(self) -> None:
        if self.theme is not None and self.open is None:
            self.looked.append(
                f"page {self.theme.page} sub-heading {squash(self.theme.text)[:60]!r}: no judgement line under it"
            )
            for block in self.held:
                self.spill(block)
        self.theme, self.label, self.held, self.open = None, None, [], None
        self.filling, self.shared = False, []

    def heading(self, block: Block, question: Question) -> None:
        """A sub-heading inside a question: a new criterion's theme, or the "Constats" label."""
        if self.open is not None and header_role(block.text) == "justification" and len(block.text.split()) <= 3:
            return
        self.close()
        if self.printed and next(iter(self.printed.values())) not in question.criteria:
            self.printed = {}  # a new question numbers its criteria again
        self.theme = block
        if self.pending is not None and _same_line(self.pending, block):
            self._open_tagged(self.pending, question)
        self.pending = None

    def tag(self, block: Block, question: Question) -> None:
        """A framed judgement word ("tag") beside a criterion sub-heading: the criterion's judgement.
        A frame that holds no judgement word is not a tag."""
        if (self.legend or Legend()).resolve(squash(block.text)) is None:
            return
        if self.theme is not None and self.open is None and not self.held and _same_line(block, self.theme):
            self._open_tagged(block, question)
        else:
            self.pending = block

    def _open_tagged(self, tag: Block, question: Question) -> None:
        assert self.theme is not None
        self._open(question, squash(tag.text), [])
        self.filling = True

    def _open(self, question: Question, printed: str, texts: list[str]) -> None:
        """Open the criterion of the current sub-heading with its printed judgement."""
        assert self.theme is not None
        if self.label is not None:
            theme = self.label or squash(" ".join(texts))
        else:
            theme = squash(_CRITERION_LABEL.sub("", self.theme.text)) or squash(self.theme.text)
        criterion_id = f"{question.number}.{len(question.criteria) + 1}"
        judgement, printed = read_judgement(printed, question.number, theme, self.warnings, self.legend)
        self.open = Criterion(
            id=criterion_id,
            theme=theme,
            criterion=squash(" ".join(texts)) or theme,
            judgement=judgement,
            judgement_text=printed,
            constats=[],
            pages=[self.theme.page],
            provenance=Provenance(
                document=self.sha, path=self.path, page=self.theme.page, bbox=self.theme.bbox, quote=theme
            ),
        )
        question.criteria.append(self.open)
        number = _PRINTED.match(squash(self.theme.text))
        if number is not None:
            self.printed[number.group(1)] = self.open

    def _common(self, text: str, question: Question) -> str | None:
        """A "constat common to criteria A to B" line: the constats after it justify each of them.
        Set close to the criterion's sentence above and its constats below, it may share their
        paragraph. Returns the text after the line (None: no such line)."""
        text = squash(text)
        match = _COMMON.search(text)
        if match is None or (
            match.start() > 0 and not (self.filling and self.open is not None and not self.open.constats)
        ):
            return None
        rest = text[match.end() :].strip()
        if rest and not find_labels(rest):
            return None  # a sentence that only mentions the wording
        if match.start() > 0 and self.open is not None:
            self.open.criterion = text[: match.start()].strip()
        labels = list(self.printed)
        first, last = match.group(1), match.group(2)
        if "." not in last and "." in first:  # "3.2 à 4": the same question's criteria 3.2 to 3.4
            last = f"{first.split('.')[0]}.{last}"
        if first not in labels or last not in labels:
            return None
        self.shared = [self.printed[label] for label in labels[labels.index(first) : labels.index(last) + 1]]
        self.filling = False
        return rest

    def _number(self, text: str) -> int:
        """An unlabelled constat's number: the list's own number when it numbers the document's
        constats (new, or the same constat repeated), else the next number of the document."""
        marker = _MARKER.match(text)
        printed = int(marker.group(1)) if marker and marker.group(1) else None
        body = squash(_MARKER.sub("", text))
        if printed is not None and (printed not in self.constats or squash(self.constats[printed].text) == body):
            if printed > max(self.constats, default=0) or printed in self.constats:
                return printed
        return max(self.constats, default=0) + 1

    def take(self, block: Block, question: Question) -> bool:
        """Use a paragraph or list item if it belongs to a criterion section; False if not."""
        labelled_criterion = _CRITERION_LINE.match(squash(block.text)) if block.kind == "paragraph" else None
        if labelled_criterion is not None:
            self.close()
            self.theme, self.label = block, squash(_CRITERION_LABEL.sub("", labelled_criterion.group(1)))
            self.held = [block.model_copy(update={"text": labelled_criterion.group(2)})]
            return True
        if self.theme is None:
            return False
        printed = judgement_line(block.text)
        if self.open is None and printed is not None:
            self._open(question, printed, [b.text for b in self.held])
            return True
        if self.open is None:
            self.held.append(block)
            return True
        rest = self._common(block.text, question)
        if rest is not None:
            if not rest:
                return True
            block = block.model_copy(update={"text": rest})
        labelled = find_labels(block.text)
        if not labelled and block.kind != "list_item":
            if self.filling and not self.open.constats:  # the criterion's sentence, under its tagged sub-heading
                self.open.criterion = (
                    squash(block.text)
                    if self.open.criterion == self.open.theme
                    else squash(f"{self.open.criterion} {block.text}")
                )
                return True
            self.theme, self.label, self.held, self.open = None, None, [], None  # the conclusion follows
            self.filling, self.shared = False, []
            return False
        if self.filling and labelled and labelled[0][2] > 0 and not self.open.constats:
            # the criterion's sentence set close above its first constat, read as one paragraph
            self.open.criterion = squash(block.text[: labelled[0][2]])
        self.filling = False
        text = block.text
        if not labelled:
            text = f"Constat {self._number(text)} : {_MARKER.sub('', text)}"
        for criterion in self.shared or [self.open]:
            numbers = add_constats(
                text,
                [block.page],
                [],
                question.number,
                criterion.id,
                self.constats,
                self.sha,
                self.path,
                self.warnings,
                boxes=[block.bbox],
                document=self.document,
            )
            criterion.constats += [n for n in numbers if n not in criterion.constats]
            if block.page not in criterion.pages:
                criterion.pages.append(block.page)
        return True


def _same_line(a: Block, b: Block) -> bool:
    """Two blocks side by side on one line of one page (a tag beside its sub-heading)."""
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return a.page == b.page and overlap > 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])
