"""Outputs for evaluators: XLSX shape, CSV for Excel, the progress bar, and a quiet stderr."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from timeouts import scaled

from miner.tag.classify import OUTPUT_COLUMNS, Classified, write_output
from miner.tag.output import FRENCH_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def _result(sheet: str | None = "Activités 2023") -> Classified:
    columns = ["date", "description", *OUTPUT_COLUMNS]
    rows = [
        {
            "date": "2023-05-17",
            "description": "Stand collectif au salon Batibouw avec l'AWEX.",
            "predicted_axes": "4;6",
            **{f"score_{a}": s for a, s in zip(range(1, 7), (0.1, 0.2, 0.05, 0.93, 0.01, 0.88))},
            "evidence": "axe 4 : R8, salon, stand | axe 6 : R2/R7, pavillon AWEX (agence)",
            "uncertain": "",
            "constats": "",
            "error": "",
            "warning": "",
        },
        {
            "date": "",
            "description": "   ",
            "predicted_axes": "",
            "uncertain": "",
            **{f"score_{a}": "" for a in range(1, 7)},
            "evidence": "",
            "constats": "",
            "error": "empty description",
            "warning": "",
        },
    ]
    return Classified(columns, rows, [], "test-model", sheet=sheet)


def test_xlsx_is_shaped_for_a_spreadsheet(tmp_path):
    out = tmp_path / "out.xlsx"
    write_output(_result(), out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Activités 2023"]
    ws = book.active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["date", "description", "axes_predits", "score axe 1"]
    assert header[-5:] == ["indices", "incertain", "constats", "erreur", "avertissement"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}3"
    assert all(c.font.bold for c in ws[1]) and ws["A1"].fill.fgColor.rgb.endswith("1F4E78")
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert widths["B"] > widths["C"] >= 8  # the description column is the widest of the two
    assert ws["A2"].is_date and ws["A2"].value.date() == dt.date(2023, 5, 17)
    assert ws["D2"].value == pytest.approx(0.1) and isinstance(ws["D2"].value, float)
    assert ws["D3"].value is None and ws.cell(3, header.index("erreur") + 1).value == "empty description"


def test_xlsx_english_names_and_csv_input_sheet(tmp_path):
    out = tmp_path / "out.xlsx"
    write_output(_result(sheet=None), out, english=True)
    ws = openpyxl.load_workbook(out).active
    assert ws.title == "activités"
    assert [c.value for c in ws[1]][2:] == OUTPUT_COLUMNS


def test_csv_has_a_bom_and_an_excel_variant(tmp_path):
    out = tmp_path / "out.csv"
    write_output(_result(), out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[2:4] == ["axes_predits", "score axe 1"] and set(FRENCH_COLUMNS.values()) <= set(header)
    write_output(_result(), out, excel=True)
    text = out.read_bytes().decode("utf-8-sig")
    assert text.startswith("date;description;axes_predits;score axe 1;")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][2:4] == ["4;6", "0,1"] and rows[1][0] == "2023-05-17"
    text = write_output(_result(), None, english=True)
    assert not text.startswith("\ufeff") and text.splitlines()[0].split(",")[3] == "score_1"


def test_progress_bar_counts_rows_with_eta(monkeypatch):
    from miner.cli.app import PROGRESS_MIN_ROWS, _tagging_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with _tagging_progress(PROGRESS_MIN_ROWS) as advance:
        assert advance is None  # short lists get no bar
    with _tagging_progress(150) as advance:
        advance(100)
        advance(50)
    shown = screen.getvalue()
    assert "tagging activities" in shown and "150/150" in shown and "0:00:0" in shown


def test_classify_file_reports_progress_once_per_batch(tmp_path):
    from contextlib import contextmanager

    from miner.tag.classify import classify_file

    path = tmp_path / "in.csv"
    rows = [f"Atelier de veille numéro {i} pour les membres." for i in range(5)]
    path.write_text(
        "description\n" + "\n".join(rows[:2] + ["  "] + rows[2:]) + "\n", encoding="utf-8"
    )  # a blank row inside
    seen: list[tuple[str, int]] = []

    @contextmanager
    def progress(total):
        seen.append(("total", total))
        yield lambda n: seen.append(("advance", n))

    classify_file(path, progress=progress)
    assert seen[0] == ("total", 6)
    assert sum(n for kind, n in seen if kind == "advance") == 6


@pytest.mark.slow
def test_cli_stderr_has_no_third_party_progress_lines(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("description\nStand collectif au salon Batibouw avec l'AWEX.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "miner", "classify", str(path), "--out", str(tmp_path / "out.xlsx")],
        capture_output=True,
        text=True,
        env=env,
        timeout=scaled(300),
    )
    assert done.returncode == 0, done.stderr
    lines = [l for l in done.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("1 rows written to"), lines
