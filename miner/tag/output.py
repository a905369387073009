"""Tagged activity lists written for evaluators: XLSX and CSV that open cleanly in a spreadsheet.

An evaluator opens the output in Excel or LibreOffice, filters by axis and corrects a few rows,
so the files are shaped for that:

- column names in French by default (``axes``, ``score axe 1``…, ``indices``), English ones with
  ``english=True`` (the names :data:`miner.tag.classify.OUTPUT_COLUMNS` uses inside miner);
- XLSX: the input sheet's name, a styled header row that stays frozen, an autofilter over the
  table, column widths from the content, scores as numbers and dates as dates;
- CSV: UTF-8 with a byte-order mark (Excel reads the accents right only with it) and, with
  ``excel=True``, ``;`` between fields and a decimal comma, as French-locale Excel expects.

Every text cell goes through :func:`miner.read.spreadsheet.safe_cell` (no formula injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, Sequence

from miner.atomic import write_bytes_atomic
from miner.read.spreadsheet import safe_cell

__all__ = ["FRENCH_COLUMNS", "SCHEME_FRENCH_COLUMNS", "output_columns", "csv_text", "xlsx_bytes"]

FRENCH_COLUMNS = {
    "predicted_axes": "axes_predits",
    **{f"score_{a}": f"score axe {a}" for a in range(1, 7)},
    "evidence": "indices",
    "uncertain": "incertain",
    "constats": "constats",
    "error": "erreur",
    "warning": "avertissement",
}
"""miner's output columns → the names an evaluator reads (the input's own columns keep theirs)."""

SCHEME_FRENCH_COLUMNS = {
    "predicted_missions": "missions_predites",
    **{f"missions_score_{m}": f"score mission {m}" for m in range(1, 5)},
    "missions_evidence": "indices missions",
    "missions_uncertain": "incertain missions",
    "crosswalk_disagreement": "désaccord table de passage",
}
"""The same for ``classify --scheme missions-2024|both`` (:mod:`miner.tag.schemes`)."""

DEFAULT_SHEET = "activités"
"""Sheet name when the input was a CSV or a PDF (it has no sheet of its own)."""

MAX_WIDTH = 80
"""Widest column, in characters: descriptions and evidence wrap past it instead of running on."""

MIN_WIDTH = 8
"""Narrowest column: a header filter button needs room beside a short name."""

WIDTH_SAMPLE = 500
"""Rows looked at to size the columns: enough to see the long cells, cheap on 100,000 rows."""

HEADER_FILL = "1F4E78"
"""Dark blue header with white bold text: reads as a header in every spreadsheet theme."""

DATE_FORMAT = "DD/MM/YYYY"
"""How dates show: the Belgian and French day-first order."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")


def output_columns(columns: Sequence[str], english: bool = False) -> list[str]:
    """Header as written: miner's columns renamed to French unless ``english``.

    >>> output_columns(["description", "axes", "predicted_axes", "score_1", "evidence"])
    ['description', 'axes', 'axes_predits', 'score axe 1', 'indices']
    >>> output_columns(["description", "score_1"], english=True)
    ['description', 'score_1']
    """
    names = {**FRENCH_COLUMNS, **SCHEME_FRENCH_COLUMNS}
    return list(columns) if english else [names.get(c, c) for c in columns]


def _as_date(value: Any) -> Any:
    """An ISO date or date-time string (how the reader keeps spreadsheet dates) as a date again.

    >>> _as_date("2023-05-17"), _as_date("17/05/2023")
    (datetime.date(2023, 5, 17), '17/05/2023')
    """
    if not isinstance(value, str):
        return value
    try:
        if _ISO_DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
        if _ISO_DATETIME.fullmatch(value):
            return dt.datetime.fromisoformat(value)
    except ValueError:  # 2023-02-30 looks like a date and is not one: keep the text
        return value
    return value


def _excel_number(value: Any) -> Any:
    """A float with a decimal comma, for ``;``-separated CSV read by a French-locale Excel.

    >>> _excel_number(0.5123), _excel_number("x")
    ('0,5123', 'x')
    """
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return value


def csv_text(
    columns: Sequence[str], rows: Sequence[dict[str, Any]], *, english: bool = False, excel: bool = False
) -> str:
    """The output as CSV text (no byte-order mark: the caller adds it for files)."""
    # as miner.read.spreadsheet.write_csv: CRLF rows, a field holding CR or LF quoted (one cell)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(h) for h in output_columns(columns, english)])
    for row in rows:
        cells = [safe_cell(row.get(c, "")) for c in columns]
        writer.writerow([_excel_number(c) for c in cells] if excel else cells)
    return buffer.getvalue()


def xlsx_bytes(
    columns: Sequence[str], rows: Sequence[dict[str, Any]], *, sheet: str | None = None, english: bool = False
) -> bytes:
    """The output as an XLSX workbook (see the module docstring for its shape)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = (sheet or DEFAULT_SHEET)[:31]  # Excel's limit on sheet names
    header = output_columns(columns, english)
    ws.append(header)
    score_columns = {i for i, c in enumerate(columns) if c.startswith("score_")}
    widths = [max(MIN_WIDTH, len(h) + 3) for h in header]
    for n, row in enumerate(rows):
        values = []
        for i, c in enumerate(columns):
            value = row.get(c, "")
            if i in score_columns and value != "":
                value = float(value)
            else:
                value = _as_date(safe_cell(value))
            values.append(value)
            if n < WIDTH_SAMPLE:
                widths[i] = max(widths[i], min(MAX_WIDTH, len(str(value)) + 2))
        ws.append(values)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for column in ws.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, (dt.date, dt.datetime)):
                cell.number_format = DATE_FORMAT if not isinstance(cell.value, dt.datetime) else DATE_FORMAT + " hh:mm"
            elif isinstance(cell.value, float):
                cell.number_format = "0.00"
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_file(path: Path, data: str | bytes) -> None:
    """Write an output whole (temp file, rename); text as UTF-8 with a byte-order mark."""
    write_bytes_atomic(path, data.encode("utf-8-sig") if isinstance(data, str) else data)
