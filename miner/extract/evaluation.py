"""Blocks of an evaluation report → metadata, phases, questions, criteria, judgements, constats.

Structure comes from text patterns and layout roles, never from positions or counts of one report:
- a heading "Question d'évaluation N : <text>" opens question N (numbering prefixes allowed);
- paragraphs between that heading and its référentiel table introduce it; paragraphs after the
  table, up to the next heading, conclude it;
- a référentiel table is recognised by its column titles (Thème / Critère / Jugement /
  Justification, and the usual variants); each row is a criterion, its judgement is read on the
  fixed scale, and its justification cell is cut at every "Constat N :";
- a justification cell merged over several rows justifies each of those criteria;
- "Phase N – Name : text" paragraphs are the methodology phases;
- metadata (cluster, date, evaluator, commissioning administration) comes from the cover and
  the first paragraphs, by patterns listed below.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from miner.nlp.text import squash
from miner.read.isolate import Limits, run_isolated
from miner.read.ocr import OcrSettings
from miner.read.pdf import LayoutSettings, PdfDocument, read_pdf
from miner.records import (
    Block,
    Constat,
    Criterion,
    Evaluation,
    Judgement,
    Metadata,
    Phase,
    Provenance,
    Question,
    Table,
)

__all__ = ["extract_evaluation", "extract_batch", "structure", "outline", "find_constats", "MONTHS"]

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip

_QUESTION = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?Question\s+d['’]\s?évaluation\s+(?:n°\s*)?(\d+)\s*[:.–-]\s*(.+)$", re.I | re.S
)
_CONSTAT = re.compile(r"Constat\s*(?:n°\s*)?(\d+)\s*:\s*", re.I)  # OCR may glue the number on
_PHASE = re.compile(r"^Phase\s+(\d+)\s*[–—-]\s*([^:]+?)\s*:\s*(.+)$", re.S)
_DATE_FR = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I
)
_DATE_NUM = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_CLUSTER_IN_TITLE = re.compile(r"(?:d['’]un\s+cluster|du\s+cluster|cluster)\s*:\s*(.+)$", re.I | re.S)
_COMMISSIONER = re.compile(
    r"^(Direction\b.+?)\s+d(?:u|e\s+la|es)\s+(Service\s+[Pp]ublic\s+de\s+Wallonie.*)$", re.S
)
_EVALUATOR_PATTERNS = [
    re.compile(r"\b([A-Z][A-Za-z&.\- ]{1,40}?)\s+s['’]est\s+appuyée?\s+sur", re.S),
    re.compile(r"\b(?:réalisée?|menée?|conduite?|rédigée?)\s+par\s+(?:le\s+bureau\s+|la\s+société\s+)?([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})"),
    re.compile(r"\b(?:Évaluateur|Evaluateur|Consultant|Auteur)\s*:\s*([^\n,;]+)", re.I),
]
_FICTITIOUS = re.compile(r"\b(document|rapport|évaluation)\s+(fictif|fictive|imaginaire)|\bnon\s+réel|\bfictitious\b", re.I)

# Column titles of a référentiel table, by role; the first title that matches wins.
COLUMN_TITLES = {
    "theme": ("thème", "theme", "dimension", "domaine"),
    "criterion": ("critère", "critères", "critere", "criteres", "critère de jugement", "critères de jugement"),
    "judgement": ("jugement", "appréciation", "appreciation", "évaluation", "niveau d'atteinte"),
    "justification": ("justification", "justifications", "constats", "constat"),
}


@dataclass(frozen=True)
class _Columns:
    theme: int
    criterion: int
    judgement: int
    justification: int


def extract_evaluation(
    path: str | Path,
    *,
    password: str | None = None,
    settings: LayoutSettings | dict[str, Any] | None = None,
    ocr: OcrSettings | dict[str, Any] | str | None = None,
) -> Evaluation:
    """Read an evaluation report PDF into an ``Evaluation`` record; scanned pages are read by
    OCR (``ocr``: a mode, auto by default, or ``OcrSettings``).

    Raises ``InputError`` (file and reason) for a file that is not a usable PDF.
    """
    document = read_pdf(path, password=password, settings=settings, ocr=ocr)
    return structure(document)


def extract_batch(
    paths: list[str | Path],
    *,
    password: str | None = None,
    limits: Limits | None = None,
    on_done: "Callable[[str], object] | None" = None,
    ocr: OcrSettings | dict[str, Any] | str | None = None,
) -> list[tuple[Path, Evaluation | None, str | None]]:
    """Extract many reports, each in its own worker with a time limit and a memory cap, so one
    hostile file cannot crash, hang or exhaust the batch. Returns (path, evaluation, error) in
    input order; exactly one of evaluation and error is set.

    Cores the files leave idle go to OCR: with ``jobs`` workers and fewer files, each file's
    scanned pages are recognised that many at a time.
    """
    from dataclasses import replace


    keys = [str(p) for p in paths]
    workers = (limits or Limits()).workers()
    ocr_cfg = OcrSettings.resolve(ocr)
    ocr_cfg = replace(ocr_cfg, jobs=max(ocr_cfg.jobs, workers // max(1, min(workers, len(keys)))))

    def work(key: str) -> str:
        return extract_evaluation(key, password=password, ocr=ocr_cfg).model_dump_json()

    outcomes = {}
    for outcome in run_isolated(work, keys, limits):
        outcomes[outcome.key] = outcome
        if on_done is not None:
            on_done(outcome.key)
    results: list[tuple[Path, Evaluation | None, str | None]] = []
    for key in keys:
        outcome = outcomes[key]
        if outcome.ok and outcome.value is not None:
            results.append((Path(key), Evaluation.model_validate_json(outcome.value), None))
        else:
            results.append((Path(key), None, outcome.error))
    return results


def structure(document: PdfDocument) -> Evaluation:
    """Find the evaluation structure in a document's blocks."""
    sha = document.source.sha256
    blocks = document.blocks
    warnings = list(document.warnings)

    def prov(block: Block, quote: str | None = None) -> Provenance:
        return Provenance(document=sha, path=document.source.path, page=block.page, bbox=block.bbox, quote=quote)

    metadata = _metadata(blocks, document, prov)
    phases = [
        Phase(number=int(m.group(1)), name=squash(m.group(2)), text=squash(m.group(3)), provenance=prov(b))
        for b in blocks
        if b.kind in ("paragraph", "list_item") and (m := _PHASE.match(b.text))
    ]
    questions: list[Question] = []
    constats: dict[int, Constat] = {}
    current: Question | None = None
    current_level: int | None = None
    seen_table = False
    for block in blocks:
        if block.kind == "heading":
            match = _QUESTION.match(block.text)
            if match:
                current = Question(
                    number=int(match.group(1)),
                    text=squash(match.group(2)),
                    criteria=[],
                    pages=[block.page],
                    provenance=prov(block, squash(match.group(2))),
                )
                questions.append(current)
                current_level = block.level
                seen_table = False
            elif current is not None and (block.level or 9) <= (current_level or 1):
                # another section at the question's level (or above) closes the question
                current = None
            continue
        if current is None:
            continue
        if block.kind == "table" and block.table is not None:
            columns = _columns(block.table)
            if columns is None:
                continue
            seen_table = True
            _read_table(block, columns, current, constats, document, warnings)
            for page in block.table.pages:
                if page not in current.pages:
                    current.pages.append(page)
            continue
        if block.kind in ("paragraph", "list_item"):
            if block.page not in current.pages:
                current.pages.append(block.page)
            if seen_table:
                current.conclusion = _append_paragraph(current.conclusion, block.text)
            else:
                current.introduction = _append_paragraph(current.introduction, block.text)
    numbers = [q.number for q in questions]
    if len(set(numbers)) != len(numbers):
        warnings.append(f"question numbers repeat: {numbers}")
    for question in questions:
        if not question.criteria:
            warnings.append(f"question {question.number}: no référentiel table found")
    return Evaluation(
        source=document.source,
        metadata=metadata,
        phases=phases,
        questions=questions,
        constats=sorted(constats.values(), key=lambda c: c.number),
        blocks=blocks,
        warnings=warnings,
    )


def _append_paragraph(existing: str, text: str) -> str:
    return f"{existing}\n\n{text}" if existing else text


def _columns(table: Table) -> _Columns | None:
    """Map column roles to indices from the header's titles; None if this is not a référentiel."""
    found: dict[str, int] = {}
    for index, title in enumerate(table.header):
        key = squash(title).casefold().rstrip(" :")
        for role, names in COLUMN_TITLES.items():
            if role not in found and key in names:
                found[role] = index
                break
    if {"criterion", "judgement", "justification"} <= found.keys():
        theme = found.get("theme", found["criterion"])
        return _Columns(theme, found["criterion"], found["judgement"], found["justification"])
    return None


def find_constats(text: str) -> list[tuple[int, str, int, int]]:
    """Cut a justification cell at each "Constat N :" → (number, text, start, end) offsets.

    >>> [(n, t) for n, t, _, _ in find_constats("Constat 1 : Un. Constat 2 : Deux.")]
    [(1, 'Un.'), (2, 'Deux.')]
    """
    matches = list(_CONSTAT.finditer(text))
    out = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end() : end]
        out.append((int(match.group(1)), squash(body), match.start(), end))
    return out


def _read_table(
    block: Block,
    columns: _Columns,
    question: Question,
    constats: dict[int, Constat],
    document: PdfDocument,
    warnings: list[str],
) -> None:
    sha, path = document.source.sha256, document.source.path
    assert block.table is not None
    for row in block.table.rows:
        cells = row.cells
        if len(cells) <= max(columns.theme, columns.criterion, columns.judgement, columns.justification):
            continue
        theme = squash(cells[columns.theme].text)
        criterion_text = squash(cells[columns.criterion].text)
        if not theme and not criterion_text:
            continue
        raw_judgement = cells[columns.judgement].text
        judgement = Judgement.parse(raw_judgement)
        criterion_id = f"{question.number}.{len(question.criteria) + 1}"
        if judgement is None:
            warnings.append(
                f"question {question.number}, criterion {theme!r}: judgement {squash(raw_judgement)!r} is not on the scale"
            )
        justification = cells[columns.justification]
        numbers: list[int] = []
        for number, text, start, _end in find_constats(justification.text):
            numbers.append(number)
            pages = _pages_of(justification.pages, justification.breaks, start, _end)
            constat = constats.get(number)
            if constat is None:
                regions = [(p, box) for p, box in zip(justification.pages, justification.boxes) if p in pages]
                located, confidence = document.locate(regions, text)
                bbox = located[0][1] if located else (regions[0][1] if regions else None)
                constats[number] = Constat(
                    number=number,
                    text=text,
                    question=question.number,
                    criteria=[criterion_id],
                    pages=pages,
                    provenance=Provenance(document=sha, path=path, page=pages[0], bbox=bbox, quote=text),
                    confidence=confidence,
                    low_confidence=confidence is not None and confidence < document.low_confidence,
                )
                if constats[number].low_confidence:
                    warnings.append(f"constat {number}: OCR confidence {confidence:g} is low; check its text")
            else:
                if criterion_id not in constat.criteria:
                    constat.criteria.append(criterion_id)
                if not justification.merged_from_above and squash(constat.text) != text:
                    warnings.append(f"constat {number} appears twice with different texts")
        question.criteria.append(
            Criterion(
                id=criterion_id,
                theme=theme,
                criterion=criterion_text,
                judgement=judgement,
                constats=numbers,
                pages=list(row.pages),
                provenance=Provenance(document=sha, path=path, page=row.pages[0], quote=criterion_text,
                                      bbox=cells[columns.criterion].boxes[0] if cells[columns.criterion].boxes else None),
            )
        )


def _pages_of(pages: list[int], breaks: list[int], start: int, end: int) -> list[int]:
    """Pages a span [start, end) of a cell's text lies on, from the offsets where pages change."""
    bounds = [0, *breaks, 10**9]
    out = []
    for index, page in enumerate(pages):
        lo, hi = bounds[index], bounds[index + 1]
        if start < hi and end > lo:
            out.append(page)
    return out or pages[:1]


def _metadata(blocks: list[Block], document: PdfDocument, prov: Any) -> Metadata:
    first_page = [b for b in blocks if b.page == min((x.page for x in blocks), default=1)]
    first_text = "\n".join(b.text for b in first_page)
    meta = Metadata()
    for block in first_page:
        match = _CLUSTER_IN_TITLE.search(block.text)
        if match and meta.cluster is None:
            meta.cluster = squash(match.group(1)).rstrip(" .")
            meta.title = block.text
            meta.provenance = prov(block, meta.cluster)
            kind = re.search(r"évaluation\s+(triennale|quadriennale|finale|intermédiaire)", block.text, re.I)
            if kind:
                meta.kind = f"évaluation {kind.group(1).lower()}"
        commissioner = _COMMISSIONER.match(squash(block.text))
        if commissioner and meta.commissioner is None:
            meta.commissioner = f"{squash(commissioner.group(2))}, {squash(commissioner.group(1))}"
        elif (
            meta.commissioner is None
            and block.kind in ("heading", "paragraph")
            and len(block.text) < 200
            and re.search(r"Service\s+public\s+de\s+Wallonie|\bSPW\b", block.text, re.I)
        ):
            meta.commissioner = squash(block.text)
    meta.date = _first_date(first_text)
    if meta.date is None:
        meta.date = _first_date("\n".join(b.text for b in blocks[:40]))
    meta.fictitious = bool(_FICTITIOUS.search(first_text))
    body = "\n".join(b.text for b in blocks if b.kind in ("paragraph", "list_item", "box"))
    for pattern in _EVALUATOR_PATTERNS:
        match = pattern.search(body)
        if match:
            candidate = squash(match.group(1)).strip(" .,")
            if candidate and candidate.casefold() not in {"le cluster", "cluster", "l'administration"}:
                meta.evaluator = candidate
                break
    return meta


def _first_date(text: str) -> dt.date | None:
    match = _DATE_FR.search(text)
    try:
        if match:
            return dt.date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
        match = _DATE_NUM.search(text)
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    return None


def outline(evaluation: Evaluation) -> str:
    """A readable outline: metadata, then questions with criteria, judgements and constat counts."""
    meta = evaluation.metadata
    lines = [
        f"{Path(evaluation.source.path).name} ({evaluation.source.pages} pages)"
        + ("  [FICTITIOUS DOCUMENT]" if meta.fictitious else ""),
        f"  cluster: {meta.cluster or '?'}   date: {meta.date or '?'}",
        f"  evaluator: {meta.evaluator or '?'}   commissioner: {meta.commissioner or '?'}",
    ]
    for phase in evaluation.phases:
        lines.append(f"  phase {phase.number}: {phase.name}")
    for question in evaluation.questions:
        lines.append(f"Q{question.number}. {question.text}")
        for criterion in question.criteria:
            judgement = criterion.judgement.value if criterion.judgement else "?"
            numbers = ", ".join(map(str, criterion.constats)) or "-"
            lines.append(f"  [{judgement:<12}] {criterion.theme}  (constats {numbers})")
    total = sum(len(q.criteria) for q in evaluation.questions)
    lines.append(
        f"{len(evaluation.questions)} questions, {total} criteria, {len(evaluation.constats)} constats"
    )
    for warning in evaluation.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)
