"""Tables without rules, drawn by hand on a reportlab canvas: columns from the header and the
alignment of the text, rows from gaps or bands, a paragraph below ends the table."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from miner.read.unruled import UnruledSettings, find_unruled

COLUMNS = (60, 160, 300, 380)  # where each column's text starts
HEADER = ("Thème", "Critère", "Jugement", "Justification")


def draw(path: Path, rows: list[tuple[str, list[str], str, list[str]]], bands: bool = False, prose: bool = True) -> Path:
    """A header row, then rows of (theme, criterion lines, judgement, justification lines)."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    height = A4[1]
    y = 120.0
    pdf.setFont("Helvetica-Bold", 9)
    for x, title in zip(COLUMNS, HEADER):
        pdf.drawString(x, height - y, title)
    y += 16
    for index, (theme, criterion, judgement, justification) in enumerate(rows):
        depth = max(len(criterion), len(justification)) * 11
        if bands and index % 2:
            pdf.setFillColorRGB(0.93, 0.95, 0.97)
            pdf.rect(55, height - (y + depth - 4), 490, depth + 4, stroke=0, fill=1)
            pdf.setFillColorRGB(0, 0, 0)
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawString(COLUMNS[0], height - y, theme)
        pdf.drawString(COLUMNS[2], height - y, judgement)
        pdf.setFont("Helvetica", 9)
        for k, text in enumerate(criterion):
            pdf.drawString(COLUMNS[1], height - (y + 11 * k), text)
        for k, text in enumerate(justification):
            pdf.drawString(COLUMNS[3], height - (y + 11 * k), text)
        y += depth + 8
    if prose:
        pdf.setFont("Helvetica", 10)
        text = pdf.beginText(60, height - (y + 14))
        text.setWordSpace(1.2)
        text.textLine("La stratégie du cluster a été jugée alignée avec son contexte, avec des résultats")
        text.textLine("atteints dans les domaines de la représentativité et du développement stratégique.")
        pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return path


ROWS = [
    ("Représentativité", ["La composition couvre", "les domaines du secteur."], "Atteint",
     ["Constat 1 : Le nombre de membres a", "augmenté de moitié.", "Constat 2 : Des PME surtout."]),
    ("Gouvernance", ["La gestion sert", "les membres."], "Partiel", ["Constat 3 : Un conseil actif."]),
    ("Pérennité", ["Le financement dure."], "Satisfaisant", ["Constat 4 : Des cotisations en hausse."]),
]  # fmt: skip


def read(path: Path):
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["fontname", "size"])
        return find_unruled(page, words, [], None, 0.1, UnruledSettings())


def test_white_space_table_rows_from_gaps(tmp_path: Path) -> None:
    tables, carry = read(draw(tmp_path / "plain.pdf", ROWS))
    (table,) = tables
    rows = table.fragment.rows
    assert [r[0] for r in rows] == ["Thème", "Représentativité", "Gouvernance", "Pérennité"]
    assert rows[1][1] == "La composition couvre\nles domaines du secteur."
    assert rows[1][3].startswith("Constat 1 :") and rows[1][3].endswith("Constat 2 : Des PME surtout.")
    assert [r[2] for r in rows[1:]] == ["Atteint", "Partiel", "Satisfaisant"]
    assert not table.fragment.ruled
    assert carry is None  # the table ends well above the foot of the page


def test_the_paragraph_below_is_not_part_of_the_table(tmp_path: Path) -> None:
    (table,) = read(draw(tmp_path / "plain.pdf", ROWS))[0]
    cells = " ".join(c or "" for row in table.fragment.rows for c in row)
    assert "stratégie du cluster" not in cells
    assert table.region[3] < 300


def test_shaded_bands_give_the_rows(tmp_path: Path) -> None:
    (table,) = read(draw(tmp_path / "bands.pdf", ROWS, bands=True, prose=False))[0]
    assert [r[0] for r in table.fragment.rows] == ["Thème", "Représentativité", "Gouvernance", "Pérennité"]


def test_a_line_of_prose_is_no_header(tmp_path: Path) -> None:
    pdf = canvas.Canvas(str(tmp_path / "prose.pdf"), pagesize=A4)
    pdf.setFont("Helvetica", 10)
    for k in range(6):
        pdf.drawString(60, 700 - 13 * k, "Le critère, son jugement et la justification des constats sont décrits ici.")
    pdf.save()
    assert read(tmp_path / "prose.pdf") == ([], None)
