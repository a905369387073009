"""Render an evaluation report as HTML and print it with headless Chromium, as a browser would.

A browser lays out a référentiel its own way: each cell's borders drawn on their own, a merged
justification as a ``rowspan`` cell, cells centred vertically unless told otherwise, the header
repeated on every page. ``STYLES`` holds the table styles a report written in HTML is likely to
use; ``print_pdf`` prints through Chromium's own PDF printer (``--print-to-pdf``), offline.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from corpora.render.report_source import ReportSource, french_date

__all__ = ["STYLES", "render_html", "print_pdf", "chromium"]

# CSS of each table style; the UA default for table cells is vertical-align: middle.
STYLES = {
    "bordered-middle": "table{border-collapse:separate;border-spacing:0} td,th{border:1px solid #000;padding:3px}",
    "zebra-middle": "tbody tr:nth-child(even) td{background:#eef1f8} th{background:#d9e1f2;text-align:left} td,th{padding:4px}",
    "rules-collapse": "table{border-collapse:collapse} td,th{border-bottom:1px solid #000;vertical-align:top;padding:3px}"
    " th{text-align:left}",
    "plain-top": "td{vertical-align:top;padding:4px} th{text-align:left;padding:4px}",
}
HEADER = ("Thème", "Critère", "Jugement", "Justification")


def render_html(report: ReportSource, style: str) -> str:
    """The report as one HTML page: cover lines, then per question a heading, its table, a
    conclusion. A justification merged with the row above is one cell with ``rowspan``."""
    css = STYLES[style]
    out = [
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><style>",
        "body{font-family:sans-serif;font-size:10pt} table{width:100%;font-size:8.5pt} p.k{margin:0 0 4px 0}",
        css,
        "</style></head><body>",
        f"<p>{escape(report.commissioner)}</p><h1>{escape(report.cover_title)}</h1>",
        f"<p>{escape(french_date(report.date))}</p>",
    ]
    for index, question in enumerate(report.questions):
        title = f"{index + 2} Question d'évaluation {question.number} : {question.text}"
        out.append(f"<h2>{escape(title)}</h2>")
        out += [f"<p>{escape(text)}</p>" for text in question.intro]
        out.append("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr></thead><tbody>")
        criteria = question.criteria
        for row, criterion in enumerate(criteria):
            span = 1
            while row + span < len(criteria) and criteria[row + span].merged_with_previous:
                span += 1
            judgement = criterion.judgement.value if criterion.judgement else ""
            cells = [f"<td><b>{escape(criterion.theme)}</b></td>", f"<td>{escape(criterion.criterion)}</td>",
                     f"<td><b>{escape(judgement)}</b></td>"]  # fmt: skip
            if not criterion.merged_with_previous:
                constats = "".join(
                    f"<p class='k'>Constat {k.number} : {escape(k.text)}</p>" for k in criterion.constats
                )
                cells.append(f"<td rowspan='{span}'>{constats}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
        out += [f"<p>{escape(text)}</p>" for text in question.conclusion]
    out.append("</body></html>")
    return "".join(out)


def chromium() -> str | None:
    """The Chromium binary, if one is installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdf(html: str, pdf: str | Path, *, timeout: float = 120.0) -> Path:
    """Print an HTML page to PDF with headless Chromium (A4 by default, no header or footer)."""
    binary = chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed")
    pdf = Path(pdf)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-dev-shm-usage", f"--user-data-dir={folder}/profile", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ]  # fmt: skip
        subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    if not pdf.exists():
        raise RuntimeError(f"chromium did not print {pdf}")
    return pdf
