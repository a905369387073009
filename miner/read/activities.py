"""Activity lists → Activity records: CSV, XLSX (openpyxl) and PDF activity reports.

A table is read whole (every column kept as text, so ``miner classify`` can write every input row
back); its columns are recognised by French and English names (``COLUMN_ALIASES``) or given. PDF
reports give either ruled tables, continued across pages (a row that a page break split starts
the next page with an empty first cell), or dated bullet lists ("12/03/2019 – Atelier ...").

Nothing is dropped silently: :func:`row_problems` says, per row, why it cannot be tagged (empty
description) and what to warn about (another language, truncated text).

Files come from outside, so :func:`read_table` reads each one in a worker process
(:mod:`miner.read.isolate`) with a time limit and a memory cap, refuses files over ``MAX_BYTES`` or
``MAX_ROWS`` with a "too large" message, tries UTF-8 first and falls back to cp1252 / latin-1 with a
warning, and never evaluates a spreadsheet formula (openpyxl reads the cached values). Cells written
back to CSV or XLSX go through :func:`safe_cell`; tables are read by the one reader of lists,
:mod:`miner.read.spreadsheet`, which sniffs the content, skips title rows and lists duplicate headers, so a description such as ``=HYPERLINK(...)`` is
text, not a formula, when the file is opened in a spreadsheet.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from miner.data.lexicon import detect_language
from miner.errors import InputError, UsageError
from miner.nlp.french import analyse
from miner.nlp.text import strip_accents
from miner.read.isolate import Limits, read_each
from miner.read.spreadsheet import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, read_sheet, safe_cell, sniff_kind
from miner.records import Activity

__all__ = [
    "COLUMN_ALIASES",
    "MAX_CHARS",
    "ActivityTable",
    "read_table",
    "read_tables",
    "find_column",
    "to_activities",
    "read_activities",
    "row_problems",
    "enrich_activities",
    "safe_cell",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_COLUMNS",
    "READ_LIMITS",
]

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "description": (
        "description",
        "activite",
        "activites",
        "activity",
        "activities",
        "description de l'activite",
        "texte",
        "text",
        "libelle",
        "resume",
        "summary",
        "details",
        "contenu",
        "objet",
        "action",
    ),
    "title": ("titre", "title", "intitule", "nom", "name", "evenement", "event"),
    "date": ("date", "dates", "periode", "period", "annee", "year", "quand", "when", "mois"),
    "place": ("lieu", "place", "location", "ville", "city", "localisation", "endroit"),
    "partners": ("partenaires", "partenaire", "partners", "partner", "co-organisateurs", "coorganisateurs", "avec"),
    "cluster": ("cluster", "reseau", "network"),
    "id": ("id", "ref", "ref.", "reference", "identifiant", "code", "n°", "no", "numero", "#"),
}
"""Normalised header names (lower case, no accents) recognised for each field, best first."""

MAX_CHARS = 2000
"""Longer descriptions are truncated (with a warning): an activity is a sentence or a paragraph,
and the embedding model reads at most 256 word pieces anyway."""

UNDATED = frozenset({"", "n.d.", "nd", "n.d", "s.d.", "sd", "-", "?", "inconnue", "unknown", "n/a"})
"""Date cells that mean "no date" ("n.d." = non daté)."""

BULLET = re.compile(r"^\s*(?:[•▪◦‣●\uf0b7]\s*|\(cid:\d+\)\s*|[-–—*]\s+|\d+[.)]\s+)")
"""A list item's start; "(cid:N)" is how pdfminer writes a bullet glyph its font does not map."""
DATED = re.compile(
    r"^\s*(?:[•▪◦‣●\-–—*]\s*)?"
    r"(?P<date>\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(?:\d{1,2}(?:er)?\s+)?(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\s+\d{4}|"
    r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)"
    r"\s*[:–—-]\s*(?P<text>.+)$",
    re.IGNORECASE,
)


def _norm(name: str) -> str:

    return " ".join(strip_accents(str(name)).casefold().replace("_", " ").split())


@dataclass
class ActivityTable:
    """A table of activities as read: header, rows of text, where each row came from."""

    path: str
    columns: list[str]
    rows: list[list[str]]
    pages: list[int | None] = field(default_factory=list)
    boxes: list[Any] = field(default_factory=list)
    """Each row's box on its page (x0, top, x1, bottom in points, origin top-left) when read from a
    PDF, so a page can show where the row stands; None, or no list, for a spreadsheet."""
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)
    caption: str = ""
    """The title row above the header, if any (it may name the list's own cluster)."""

    def column(self, name: str) -> list[str]:
        index = self.columns.index(name)
        return [row[index] if index < len(row) else "" for row in self.rows]


def columns_found(columns: list[str]) -> str:
    """The end of a missing-column message: what the file does have.

    >>> columns_found(["Date", "Titre"])
    "columns found: 'Date', 'Titre'"
    >>> columns_found([])
    'the file has no header row (is it empty?)'
    """
    if not any(c.strip() for c in columns):
        return "the file has no header row (is it empty?)"
    return "columns found: " + ", ".join(map(repr, columns))


def find_column(columns: list[str], field_name: str, given: str | None = None, *, path: str = "") -> str | None:
    """The column holding ``field_name``: ``given`` if named (it must exist), else by alias.

    >>> find_column(["Réf.", "Année", "Activité"], "description")
    'Activité'
    >>> find_column(["Date", "Texte"], "description", "Texte")
    'Texte'
    """
    found = _find_column(columns, field_name, given, path=path)
    if found is not None:
        same = [i + 1 for i, c in enumerate(columns) if _norm(c) == _norm(found)]
        if len(same) > 1:
            raise InputError(
                path,
                f"{len(same)} columns are named {found!r} (columns "
                f"{', '.join(map(str, same))}); rename or remove one so it is clear which to read",
            )
    return found


def _find_column(columns: list[str], field_name: str, given: str | None, *, path: str) -> str | None:
    if given is not None:
        if given in columns:
            return given
        by_norm = {_norm(c): c for c in columns}
        if _norm(given) in by_norm:
            return by_norm[_norm(given)]
        raise InputError(path, f"no column {given!r}; {columns_found(columns)}")
    normalised = [_norm(c) for c in columns]
    for alias in COLUMN_ALIASES[field_name]:
        if alias in normalised:
            return columns[normalised.index(alias)]
    for alias in COLUMN_ALIASES[field_name]:
        for column, norm in zip(columns, normalised):
            if len(alias) > 3 and norm.startswith(alias):
                return column
    return None


def _from_sheet(sheet: Any) -> ActivityTable:
    return ActivityTable(
        sheet.path,
        sheet.header,
        sheet.rows,
        [None] * len(sheet.rows),
        sheet=sheet.sheet if sheet.kind == "xlsx" else None,
        warnings=sheet.warnings,
        caption=getattr(sheet, "caption", ""),
    )


def _join_lines(cell: str | None) -> str:
    """Join a PDF cell's lines: a line ending in a hyphen continues the word ("E-\\nmage")."""
    text = (cell or "").replace("\u00ad\n", "")
    text = re.sub(r"-\n(?=\w)", "-", text)
    return " ".join(text.split())


def _read_pdf(path: Path, password: str | None = None) -> ActivityTable:
    # imported here: pdfplumber brings pdfminer and cryptography (~20 MB resident) to every classify of a CSV or sheet
    import pdfplumber

    try:
        pdf = pdfplumber.open(path, password=password or "")
    except Exception as exc:  # pdfminer raises many types for a broken file
        raise InputError(path, f"cannot open as PDF ({type(exc).__name__})") from None
    header: list[str] | None = None
    rows: list[list[str]] = []
    pages: list[int | None] = []
    boxes: list[Any] = []
    lines: list[tuple[int, str, Any]] = []
    with pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            if not tables:
                lines += [(page.page_number, line["text"], _box(line)) for line in page.extract_text_lines()]
                continue
            for table in tables:  # Table.extract() gives one list per Table.rows entry, in order
                for raw, found in zip(table.extract(), table.rows):
                    cells = [_join_lines(c) for c in raw]
                    if header is None:
                        header = cells
                        continue
                    if cells == header or not any(cells):
                        continue  # header repeated on a new page
                    if rows and not cells[0] and len(cells) == len(rows[-1]):
                        rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
                        continue  # a row the page break split: its first part's page and box stay
                    rows.append(cells)
                    pages.append(page.page_number)
                    boxes.append(tuple(float(v) for v in found.bbox))
    if header is not None:
        return ActivityTable(str(path), header, rows, pages, boxes)
    return _bullets(path, lines)


def _box(item: dict[str, Any]) -> tuple[float, float, float, float]:
    return (float(item["x0"]), float(item["top"]), float(item["x1"]), float(item["bottom"]))


def _union(a: Any, b: Any) -> Any:
    """The box around two boxes (a list item continued on the next lines of its page)."""
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _bullets(path: Path, lines: list[tuple[int, str, Any]]) -> ActivityTable:
    """Dated or bulleted lists: each item starts with a bullet or a date; other lines continue it."""
    rows: list[list[str]] = []
    pages: list[int | None] = []
    boxes: list[Any] = []
    for page, line, box in lines:
        dated = DATED.match(line)
        if dated:
            rows.append([dated["date"], dated["text"].strip()])
            pages.append(page)
            boxes.append(box)
        elif BULLET.match(line):
            rows.append(["", BULLET.sub("", line).strip()])
            pages.append(page)
            boxes.append(box)
        elif rows and line.strip():
            rows[-1][1] = _join_lines(f"{rows[-1][1]}\n{line.strip()}")
            if pages[-1] == page:
                boxes[-1] = _union(boxes[-1], box)
    if not rows:
        raise InputError(path, "no table and no dated or bulleted list of activities found")
    return ActivityTable(str(path), ["date", "description"], rows, pages, boxes)


def _read_local(path: Path, sheet: str | None, password: str | None) -> ActivityTable:
    """By content (:func:`miner.read.spreadsheet.sniff_kind`): a PDF report, else a CSV or XLSX table."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    if sniff_kind(path, head) == "pdf":
        return _read_pdf(path, password)
    return _from_sheet(read_sheet(path, sheet=sheet))


READ_LIMITS = None
"""Limits of the worker that reads a file (None: :class:`miner.read.isolate.Limits` with a 60 s timeout
and 1024 MB: a real list reads in well under a second and a few MB)."""


def _read_worker(sheet: str | None, password: str | None) -> Any:

    def work(key: str) -> str:
        try:
            table = _read_local(Path(key), sheet, password)
        except UsageError as exc:
            return json.dumps({"usage": str(exc)})
        return json.dumps({"table": table.__dict__}, ensure_ascii=False)

    return work


def read_tables(
    paths: Iterable[str | Path], *, sheet: str | None = None, password: str | None = None, limits: Any = None
) -> list[tuple[Path, ActivityTable | None, str | None]]:
    """Read many activity files, each in its own worker; (path, table, None) or (path, None, error).

    A :class:`UsageError` (a workbook needing ``--sheet``) is raised, since it is the caller's to fix.
    """

    def refuse(path: Path) -> str | None:
        if not path.is_file():
            return "no such file"
        if path.suffix.lower() not in {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".pdf"}:
            return f"unsupported file type {path.suffix.lower()!r}; use .csv, .xlsx or .pdf"
        return None

    limits = limits or READ_LIMITS or Limits(timeout=60.0, max_memory_mb=1024, jobs=1)
    return read_each(_read_worker(sheet, password), paths, limits, lambda data: ActivityTable(**data["table"]), refuse)


def read_table(
    path: str | Path, *, sheet: str | None = None, password: str | None = None, isolate: bool = True
) -> ActivityTable:
    """Read a CSV, XLSX or PDF activity list into a table of text cells.

    The file is read in a worker process with a time limit and a memory cap (``isolate=False``
    reads it here); whatever a broken or hostile file does, the caller gets a table or an
    :class:`InputError` with one line saying why.
    """
    path = Path(path)
    if not isolate:
        if not path.is_file():
            raise InputError(path, "no such file")
        return _read_local(path, sheet, password)
    [(_, table, error)] = read_tables([path], sheet=sheet, password=password)
    if table is None:
        raise InputError(path, error or "unreadable")
    return table


def row_problems(text: str, *, max_chars: int = MAX_CHARS) -> tuple[str, str | None, list[str]]:
    """(text to tag, error or None, warnings) for one description.

    >>> row_problems("   ")[1]
    'empty description'
    >>> row_problems("Networking event with the members of the cluster in Brussels")[2]
    ['text looks en, not French: tagged anyway']
    """

    clean = " ".join((text or "").split())
    if not clean:
        return "", "empty description", []
    warnings = []
    language = detect_language(clean)
    if language not in (None, "fr"):
        warnings.append(f"text looks {language}, not French: tagged anyway")
    if len(clean) > max_chars:
        warnings.append(f"description truncated from {len(clean)} to {max_chars} characters")
        clean = clean[:max_chars]
    return clean, None, warnings


def to_activities(table: ActivityTable, *, text_column: str | None = None) -> list[Activity | None]:
    """One Activity per row (None where the description is empty), fields from detected columns."""
    text_col = find_column(table.columns, "description", text_column, path=table.path)
    if text_col is None:
        raise InputError(
            table.path,
            "no description column (give it with --text-column); " + columns_found(table.columns),
        )
    cols = {name: find_column(table.columns, name) for name in COLUMN_ALIASES if name != "description"}
    cols = {k: v for k, v in cols.items() if v is not None and v != text_col}
    values = {name: table.column(col) for name, col in cols.items()}
    descriptions = table.column(text_col)
    out: list[Activity | None] = []
    for i, text in enumerate(descriptions):
        clean, error, _ = row_problems(text)
        if error:
            out.append(None)
            continue
        get = lambda name: (values[name][i].strip() or None) if name in values else None  # noqa: E731, B023 (called at once)
        partners = [p.strip() for p in re.split(r"[;,]", get("partners") or "") if p.strip()]
        out.append(
            Activity(
                id=get("id") or f"{Path(table.path).stem}#{i + 1}",
                description=clean,
                title=get("title"),
                date=None if _norm(get("date") or "") in UNDATED else get("date"),
                place=get("place"),
                partners=partners,
                cluster=" ".join((get("cluster") or "").split()) or None,
                source=table.path,
                page=table.pages[i] if i < len(table.pages) else None,
                row=i + 1,
            )
        )
    return out


def read_activities(path: str | Path, *, text_column: str | None = None, sheet: str | None = None) -> list[Activity]:
    """Activities of a file, rows with no description left out (see :func:`to_activities`)."""
    return [a for a in to_activities(read_table(path, sheet=sheet), text_column=text_column) if a is not None]


def enrich_activities(activities: Iterable[Activity]) -> list[Activity]:
    """Fill ``partners`` (gazetteer actors, then ORG entities) and ``place`` (first LOC entity)
    from the French pipeline where the source gave none; returns new records."""

    activities = list(activities)
    out = []
    for activity, analysis in zip(activities, analyse([a.description for a in activities], full=True)):
        update: dict[str, Any] = {}
        if not activity.partners:
            update["partners"] = analysis.partners
        if not activity.place:
            places = [text for text, label in analysis.entities if label == "LOC"]
            update["place"] = places[0] if places else None
        out.append(activity.model_copy(update=update))
    return out
