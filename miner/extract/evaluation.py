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
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Unpack

from miner.data.lexicon import detect_language
from miner.errors import ExtractionError
from miner.extract.legend import Legend, read_legend
from miner.extract.references import References, common_rows, reference_labels, reference_numbers, see_numbers
from miner.extract.referentiel import NUMBERED_QUESTION, Roles, column_roles, find_constats, find_labels, match_question
from miner.extract.sections import SectionReader, add_constats, read_judgement
from miner.nlp.text import squash
from miner.read.isolate import Limits, report_progress, run_isolated
from miner.read.ocr import OcrSettings
from miner.read.pdf import LayoutSettings, PdfDocument, ReadOptions, read_pdf
from miner.records import (
    BBox,
    Block,
    Constat,
    Criterion,
    Evaluation,
    Judgement,
    Metadata,
    Phase,
    Provenance,
    Question,
    TableCell,
)

__all__ = [
    "extract_evaluation",
    "extract_batch",
    "structure",
    "read_structure",
    "Reading",
    "TableVerdict",
    "fail_loudly",
    "outline",
    "find_constats",
    "MONTHS",
]

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip

_PHASE = re.compile(r"^Phase\s+(\d+)\s*[–—-]\s*([^:]+?)\s*:\s*(.+)$", re.S)
_DATE_FR = re.compile(r"\b(\d{1,2})(?:er)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
_DATE_NUM = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_CLUSTER_IN_TITLE = re.compile(r"(?:d['’]un\s+cluster|du\s+cluster|cluster)\s*:\s*(.+)$", re.I | re.S)
_COMMISSIONER = re.compile(r"^(Direction\b.+?)\s+d(?:u|e\s+la|es)\s+(Service\s+[Pp]ublic\s+de\s+Wallonie.*)$", re.S)
_EVALUATOR_PATTERNS = [
    re.compile(r"\b([A-Z][A-Za-z&.\- ]{1,40}?)\s+s['’]est\s+appuyée?\s+sur", re.S),
    re.compile(
        r"\b(?:réalisée?|menée?|conduite?|rédigée?)\s+par\s+(?:le\s+bureau\s+|la\s+société\s+)?([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})"
    ),
    re.compile(r"\b(?:Évaluateur|Evaluateur|Consultant|Auteur)\s*:\s*([^\n,;]+)", re.I),
]
# A commissioning administration named on the cover: the SPW, or a line opening with its kind.
_ADMINISTRATION = re.compile(
    r"Service\s+public\s+de\s+Wallonie|\bSPW\b|^(?:Administration|Direction|Département)\b", re.I
)
_FICTITIOUS = re.compile(
    r"\b(document|rapport|évaluation)\s+(fictif|fictive|imaginaire)|\bnon\s+réel|\bfictitious\b", re.I
)


def extract_evaluation(path: str | Path, **options: Unpack[ReadOptions]) -> Evaluation:
    """Read an evaluation report PDF into an ``Evaluation`` record (``options``: how to read it,
    :class:`~miner.read.pdf.ReadOptions`; scanned pages are read by OCR unless told otherwise).

    Raises ``InputError`` (file and reason) for a file that is not a usable PDF.
    """
    return structure(read_pdf(path, **options))


def extract_batch(
    paths: list[str | Path],
    *,
    limits: Limits | None = None,
    on_done: "Callable[[str], object] | None" = None,
    on_pages: "Callable[[str, int, int], object] | None" = None,
    on_start: "Callable[[str], object] | None" = None,
    alongside: "Callable[[Path, Evaluation], dict[str, Any]] | None" = None,
    on_alongside: "Callable[[Path, dict[str, Any], Evaluation], object] | None" = None,
    **options: Unpack[ReadOptions],
) -> list[tuple[Path, Evaluation | None, str | None]]:
    """Extract many reports, each in its own worker with a time limit and a memory cap, so one
    hostile file cannot crash, hang or exhaust the batch. Returns (path, evaluation, error) in
    input order; exactly one of evaluation and error is set. ``options``: how to read each one
    (:class:`~miner.read.pdf.ReadOptions`), checked here before any worker starts. ``on_done(path)``
    is called as each file ends, ``on_pages(path, done, total)`` as each of its scanned pages is read.

    Cores the files leave idle go to OCR: with ``jobs`` workers and fewer files, each file's
    scanned pages are recognised that many at a time.

    ``alongside(path, evaluation)``, run in the file's worker once it is extracted (its time limit
    counting anew), is the per-document work of later steps done there, where it uses the cores as
    the extraction does: its JSON-able answer reaches ``on_alongside(path, answer, evaluation)`` in
    this process as the file ends (the caller may use it while the other files are read);
    an exception it raises is ``{"failed": reason}`` there, the extraction kept. ``on_start(path)``:
    as each worker is forked (:func:`miner.read.isolate.run_isolated`).
    """
    from dataclasses import replace

    import pdfplumber  # noqa: F401 - loaded once here, before the workers fork, not once in each

    keys = [str(p) for p in paths]
    workers = (limits or Limits()).workers()
    ocr_cfg = OcrSettings.resolve(options.get("ocr"))
    ocr_cfg = replace(ocr_cfg, jobs=max(ocr_cfg.jobs, workers // max(1, min(workers, len(keys)))))
    read = {**options, "ocr": ocr_cfg, "layout": LayoutSettings.resolve(options.get("layout"))}
    unknown = set(read) - set(ReadOptions.__annotations__)
    if unknown:  # a misspelt option fails here, not once in every worker
        raise TypeError(f"extract_batch() got unexpected keyword argument(s): {', '.join(sorted(unknown))}")

    def work(key: str) -> str:
        evaluation = extract_evaluation(key, **read)
        if alongside is None:
            return evaluation.model_dump_json()
        report_progress()
        try:
            answer = alongside(Path(key), evaluation)
        except Exception as exc:  # the later step does it again and says what fails
            answer = {"failed": f"{type(exc).__name__}: {exc}"[:300]}
        # one line of JSON (no raw line break in it), then the record
        return json.dumps(answer, ensure_ascii=False) + "\n" + evaluation.model_dump_json()

    outcomes = {}
    records: dict[str, Evaluation] = {}
    for outcome in run_isolated(work, keys, limits, on_progress=on_pages, on_start=on_start):
        if outcome.ok and outcome.value is not None:
            answer, _, value = outcome.value.partition("\n") if alongside is not None else ("", "", outcome.value)
            records[outcome.key] = Evaluation.model_validate_json(value)
            if alongside is not None and on_alongside is not None:
                on_alongside(Path(outcome.key), json.loads(answer), records[outcome.key])
        outcomes[outcome.key] = outcome
        if on_done is not None:
            on_done(outcome.key)
    return [
        (Path(key), records[key], None) if key in records else (Path(key), None, outcomes[key].error) for key in keys
    ]


@dataclass
class TableVerdict:
    """What the reader made of one table: the roles it gave its columns, or why it was rejected
    (kept for the loud failure and for ``miner extract --explain``)."""

    block: Block
    roles: Roles | None
    reason: str = ""


@dataclass
class Reading:
    """A structure together with what was looked at to find it."""

    evaluation: Evaluation
    tables: list[TableVerdict]
    sections: list[str]


def structure(document: PdfDocument) -> Evaluation:
    """Find the evaluation structure in a document's blocks.

    Raises ``ExtractionError`` when the document asks evaluation questions but no criteria, or no
    judgements, could be read: one line naming what was missing and where it looked.
    """
    reading = read_structure(document)
    fail_loudly(reading)
    return reading.evaluation


def read_structure(document: PdfDocument) -> Reading:
    """The structure and the verdict on every table and criterion section, without failing."""
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
    headings = _question_headings(blocks)
    questions: list[Question] = []
    constats: dict[int, Constat] = {}
    verdicts: list[TableVerdict] = []
    current: Question | None = None

    def spill(block: Block) -> None:
        if current is not None:
            if current.criteria:
                current.conclusion = _append_paragraph(current.conclusion, block.text)
            else:
                current.introduction = _append_paragraph(current.introduction, block.text)

    legend = read_legend(blocks, document.swatches, document.words)
    references = References()
    loose: list[tuple[Block, Question | None]] = []  # paragraphs no criterion took, with their question
    sections = SectionReader(sha, document.source.path, constats, warnings, spill, document, legend)
    current_level: int | None = None
    seen_table = False

    def open_question(block: Block, number: int, text: str, level: int | None) -> Question:
        question = Question(number=number, text=text, criteria=[], pages=[block.page], provenance=prov(block, text))
        questions.append(question)
        return question

    for index, block in enumerate(blocks):
        if index in legend.blocks:
            if block.kind == "table":
                verdicts.append(TableVerdict(block, None, "a legend of the judgements"))
            continue  # the document's key to its judgements, read above: not a criterion, not prose
        if block.kind == "heading":
            found = headings.get(id(block))
            if found is not None:
                sections.close()
                current = open_question(block, found[0], found[1], block.level)
                current_level = block.level
                seen_table = False
            elif (
                current is not None
                and (block.level or 9) <= (current_level or 1)
                and not _under(block.text, current.number)
            ):
                # another section at the question's level (or above) closes the question
                sections.close()
                current = None
            elif current is not None:
                sections.heading(block, current)
            continue
        if block.kind == "table" and block.table is not None:
            table = block.table
            header_rows = [[c.text for c in row.cells] for row in table.rows]
            roles = column_roles(table.header, header_rows, legend.resolve)
            caption = match_question(table.caption or "")
            if caption is not None and (current is None or current.number != caption[0]):
                if roles.complete:
                    # the question is given only in the table's caption
                    sections.close()
                    current = open_question(block, caption[0], caption[1], None)
                    current_level = None
                    seen_table = False
            if references.take_table(block, current, questions, constats, sha, document.source.path):
                verdicts.append(TableVerdict(block, roles, "constats cited by number"))
                continue
            if current is None:
                verdicts.append(TableVerdict(block, roles, "outside any evaluation question"))
                continue
            if not roles.complete:
                verdicts.append(
                    TableVerdict(
                        block,
                        roles,
                        f"header {' | '.join(table.header)!r} has no {' or '.join(roles.missing())} column",
                    )
                )
                continue
            verdicts.append(TableVerdict(block, roles))
            sections.close()
            seen_table = True
            _read_table(block, roles, current, constats, document, warnings, legend, references)
            for page in table.pages:
                if page not in current.pages:
                    current.pages.append(page)
            continue
        if current is None:
            if block.kind in ("paragraph", "list_item") and not references.take(
                block, None, questions, constats, sha, document.source.path
            ):
                loose.append((block, None))  # an annex may hold the constats a table cites
            continue
        if block.kind == "box":
            sections.tag(block, current)
            continue
        if block.kind in ("paragraph", "list_item"):
            if block.page not in current.pages:
                current.pages.append(block.page)
            if sections.take(block, current):
                continue
            if references.take(block, current, questions, constats, sha, document.source.path):
                continue  # a constat a table cites, or one on the whole question
            loose.append((block, current))
            if seen_table or current.criteria:
                current.conclusion = _append_paragraph(current.conclusion, block.text)
            else:
                current.introduction = _append_paragraph(current.introduction, block.text)
    sections.close()
    references.resolve(loose, questions, constats, sha, document.source.path, warnings)
    numbers = [q.number for q in questions]
    if len(set(numbers)) != len(numbers):
        warnings.append(f"question numbers repeat: {numbers}")
    for question in questions:
        if not question.criteria:
            warnings.append(f"question {question.number}: no référentiel table or criterion sections found")
    evaluation = Evaluation(
        source=document.source,
        metadata=metadata,
        phases=phases,
        questions=questions,
        constats=sorted(constats.values(), key=lambda c: c.number),
        blocks=blocks,
        warnings=warnings,
    )
    return Reading(evaluation, verdicts, sections.looked)


def _under(text: str, question: int) -> bool:
    """A heading numbered under the open question ("2.3 Theme" in question 2) is one of its
    criteria, whatever level its size gave it.

    >>> _under("2.3 Promotion", 2), _under("3. Conclusions", 2)
    (True, False)
    """
    return re.match(rf"^{question}\.\d+\.?\s", text) is not None


def _first_box(cells: list[TableCell], index: int | None) -> BBox | None:
    """The box of a cell on its first page (None when the reader kept none)."""
    if index is None or index >= len(cells) or not cells[index].boxes:
        return None
    return cells[index].boxes[0]


def _question_headings(blocks: list[Block]) -> dict[int, tuple[int, str]]:
    """Headings that open a question: "Question d'évaluation N : ..." and its variants; failing
    any, numbered sections whose title is a question (numbered in order)."""
    found = {id(b): m for b in blocks if b.kind == "heading" and (m := match_question(b.text)) is not None}
    if found:
        return found
    numbered = [b for b in blocks if b.kind == "heading" and NUMBERED_QUESTION.match(b.text)]
    return {id(b): (index + 1, squash(NUMBERED_QUESTION.match(b.text).group(2))) for index, b in enumerate(numbered)}  # type: ignore[union-attr]


def fail_loudly(reading: Reading) -> None:
    """Questions without any criterion, or criteria without any judgement, are a failure to read
    the report, not a result: say what was missing and where the reader looked."""
    evaluation = reading.evaluation
    path = evaluation.source.path
    questions = evaluation.questions
    if not questions:
        return
    criteria = [c for q in questions for c in q.criteria]
    pages = sorted({p for q in questions for p in q.pages})
    where = f"pages {pages[0]}-{pages[-1]}" if len(pages) > 1 else f"page {pages[0]}"
    looked = [f"page {v.block.page} table: {v.reason}" for v in reading.tables if v.reason]
    looked += reading.sections
    if not criteria:
        detail = (
            "; ".join(looked) if looked else "no référentiel table and no criterion sub-heading with a judgement line"
        )
        raise ExtractionError(
            path,
            f"{len(questions)} evaluation question(s) ({where}) but no criteria found; looked at: {detail}",
        )
    if all(c.judgement is None and not c.judgement_text for c in criteria):
        raise ExtractionError(
            path,
            f"{len(criteria)} criteria ({where}) but no judgement found in their judgement column or line",
        )


def _append_paragraph(existing: str, text: str) -> str:
    return f"{existing}\n\n{text}" if existing else text


def _read_table(
    block: Block,
    roles: Roles,
    question: Question,
    constats: dict[int, Constat],
    document: PdfDocument,
    warnings: list[str],
    legend: Legend,
    references: References,
) -> None:
    sha, path = document.source.sha256, document.source.path
    assert block.table is not None
    first_row = len(question.criteria)
    shared: list[tuple[range, list[int]]] = []  # constats saying which criteria of the question they serve
    for row in block.table.rows:
        cells = row.cells
        if all(c.merged_from_above or not c.text.strip() for c in cells):
            continue  # a sliver under a merged cell (its box reaches past the last row): nothing new

        def text(index: int | None, cells: list = cells) -> str:
            return squash(cells[index].text) if index is not None and index < len(cells) else ""

        theme = text(roles.theme)
        criterion_text = text(roles.criterion) or theme
        if not theme and not criterion_text:
            continue
        if not theme and roles.theme is not None and question.criteria:
            theme = question.criteria[-1].theme  # a theme cell spanning several rows, drawn without rules
        theme = theme or criterion_text
        criterion_id = f"{question.number}.{len(question.criteria) + 1}"
        if roles.marks:
            judgement, printed = _marked_judgement(cells, roles, block.table.header, question.number, theme, warnings)
        else:
            fill = cells[roles.judgement].fill if roles.judgement is not None and roles.judgement < len(cells) else None
            judgement, printed = read_judgement(text(roles.judgement), question.number, theme, warnings, legend, fill)
        numbers: list[int] = []
        if roles.justification is not None and roles.justification < len(cells):
            justification = cells[roles.justification]
            numbers = add_constats(
                justification.text, justification.pages, justification.breaks, question.number, criterion_id,
                constats, sha, path, warnings, repeated=justification.merged_from_above,
                boxes=justification.boxes, document=document,
            )  # fmt: skip
            # constats given by number only ("1, 2", "Voir constat 9"): their text is elsewhere
            cited = reference_numbers(justification.text) if not numbers else see_numbers(justification.text)
            if not numbers and not cited:  # per-question labels only ("1.1, 1.2")
                cited = references.number_labels(reference_labels(justification.text), constats)
            cited = [n for n in cited if n not in numbers]
            references.cite(cited, question.number, criterion_id, constats)
            numbers += cited
            if not justification.merged_from_above:
                labelled = find_labels(justification.text)
                for (_label, _body, start, end), number in zip(labelled, numbers):
                    rows = common_rows(justification.text[start:end], question.number)
                    if rows is not None:
                        shared.append((rows, [number]))
        question.criteria.append(
            Criterion(
                id=criterion_id,
                theme=theme,
                criterion=criterion_text,
                judgement=judgement,
                judgement_text=printed,
                constats=numbers,
                pages=list(row.pages),
                provenance=Provenance(
                    document=sha,
                    path=path,
                    page=row.pages[0],
                    quote=criterion_text,
                    bbox=_first_box(cells, roles.criterion if roles.criterion is not None else roles.theme),
                ),
            )
        )
    _share(question, first_row, shared, constats)


def _share(
    question: Question, first_row: int, shared: list[tuple[range, list[int]]], constats: dict[int, Constat]
) -> None:
    """A constat written once "for criteria 2.1 to 2.3" justifies each of those rows."""
    for rows, numbers in shared:
        for criterion in question.criteria[first_row:]:
            if int(criterion.id.split(".")[1]) in rows:
                for number in numbers:
                    if number not in criterion.constats:
                        criterion.constats.append(number)
                    if number in constats and criterion.id not in constats[number].criteria:
                        constats[number].criteria.append(criterion.id)


# A mark is short: "X", "x", "✓", "●"; a longer text in a level's column is not a mark.
MAX_MARK_CHARS = 3


def _marked_judgement(
    cells: list[TableCell], roles: Roles, header: list[str], question: int, theme: str, warnings: list[str]
) -> tuple[Judgement | None, str]:
    """The judgement of a row of a table with one column per level: the level whose column the
    row marks; the column's title is kept as printed. No mark, or several, is reported."""
    marked = [
        (index, level) for index, level in roles.marks.items()
        if index < len(cells) and 0 < len("".join(cells[index].text.split())) <= MAX_MARK_CHARS
    ]  # fmt: skip
    if len(marked) == 1:
        index, level = marked[0]
        return level, squash(header[index]) if index < len(header) else level.value
    what = "no level marked" if not marked else f"several levels marked ({', '.join(lv.value for _, lv in marked)})"
    warnings.append(f"question {question}, criterion {theme!r}: {what}")
    return None, ""


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
            and _ADMINISTRATION.search(block.text)
        ):
            meta.commissioner = squash(block.text)
    meta.date = _first_date(first_text)
    if meta.date is None:
        meta.date = _first_date("\n".join(b.text for b in blocks[:40]))
    meta.fictitious = bool(_FICTITIOUS.search(first_text))
    meta.language = detect_language(
        "\n".join(b.text for b in blocks if b.kind in ("paragraph", "list_item", "heading", "table"))
    )
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
    lines.append(f"{len(evaluation.questions)} questions, {total} criteria, {len(evaluation.constats)} constats")
    for warning in evaluation.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)
