"""Reports as PDF: headless Chromium prints the very HTML page the report is, with its print CSS.

Chromium rather than WeasyPrint: the PDF is then the page the analyst sees in a browser, laid out
by the same engine and the same stylesheet (``@media print``, ``break-after: avoid`` on headings),
with nothing to keep in step between two renderers; Chromium is already what the page tests run
in (and what CI installs), while WeasyPrint would add Pango and its own CSS subset. Chromium runs
with a fresh profile, no network (``--disable-background-networking``), a time limit, and the
page's own Content-Security-Policy (the reports have no script).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from miner.atomic import write_bytes_atomic
from miner.errors import UsageError

__all__ = ["PrintSettings", "find_chromium", "print_pdf"]


@dataclass(frozen=True)
class PrintSettings:
    timeout: float = field(
        default=120.0, metadata={"why": "a report of a hundred pages prints in seconds; a hang is cut"}
    )


def find_chromium() -> str:
    """The Chromium (or Chrome) executable: ``$MINER_CHROMIUM``, then the usual names on PATH."""
    for name in (os.environ.get("MINER_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "chrome"):
        found = name and shutil.which(name)
        if found:
            return found
    raise UsageError(
        "a PDF report needs Chromium (apt install chromium, or set MINER_CHROMIUM); "
        "write .html and print it from a browser instead"
    )


def print_pdf(html: str, out: Path, settings: PrintSettings | None = None) -> Path:
    """Print an HTML page to ``out`` (A4 by the page's ``@page`` rule, no header or footer), atomically."""
    settings = settings or PrintSettings()
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="miner-print-") as work:
        page = Path(work) / "report.html"
        page.write_text(html, encoding="utf-8")
        pdf = Path(work) / "report.pdf"
        command = [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={Path(work) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=settings.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise UsageError(f"{out}: Chromium did not print the report within {settings.timeout:g} s") from None
        if not pdf.is_file() or pdf.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise UsageError(f"{out}: Chromium printed no PDF ({tail[0]})")
        write_bytes_atomic(out, pdf.read_bytes())
    return out
