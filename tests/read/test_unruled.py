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


def draw(
    path: Path, rows: list[tuple[str, list[str], str, list[str]]], bands: bool = False, prose: bool = True
) -> Path:
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


def test_a_two_level_header_gives_the_mark_columns(tmp_path: Path) -> None:
    """ "Niveau d'atteinte" over four level titles, an X under one of them per row: the leaf titles
    are the columns, the spanning title one cell over them."""
    pdf = canvas.Canvas(str(tmp_path / "marks.pdf"), pagesize=A4)
    height = A4[1]
    pdf.setFont("Helvetica-Bold", 8)
    for x, title in ((60, "Thème"), (150, "Critère"), (300, "Constats"), (420, "Niveau d'atteinte")):
        pdf.drawString(x, height - 120, title)
    for x, title in ((420, "Atteint"), (455, "Partiel"), (490, "Non atteint")):
        pdf.drawString(x, height - 132, title)
    pdf.setFont("Helvetica", 8)
    for k, (theme, mark) in enumerate((("Représentativité", 455), ("Gouvernance", 420), ("Pérennité", 490))):
        y = height - (150 + 30 * k)
        pdf.drawString(60, y, theme)
        pdf.drawString(150, y, "Le critère est")
        pdf.drawString(150, y - 10, "rempli.")
        pdf.drawString(300, y, f"Constat {k + 1} : un fait.")
        pdf.drawString(mark + 4, y, "X")
    pdf.save()
    (table,) = read(tmp_path / "marks.pdf")[0]
    rows = table.fragment.rows
    assert rows[0][:4] == ["Thème", "Critère", "Constats", "Niveau d'atteinte"] and rows[0][4:] == [None, None]
    assert rows[1][3:] == ["Atteint", "Partiel", "Non atteint"]
    assert [r[0] for r in rows[2:]] == ["Représentativité", "Gouvernance", "Pérennité"]
    assert [r[3:] for r in rows[2:]] == [["", "X", ""], ["X", "", ""], ["", "", "X"]]


def test_text_running_on_across_a_row_start_is_one_merged_cell(tmp_path: Path) -> None:
    """No rules: the second row starts with its criterion and judgement, but the constats column
    goes on off that baseline (a cell merged over both rows); the rows keep one cell."""
    pdf = canvas.Canvas(str(tmp_path / "merged.pdf"), pagesize=A4)
    height = A4[1]
    pdf.setFont("Helvetica-Bold", 9)
    for x, title in zip(COLUMNS, HEADER):
        pdf.drawString(x, height - 120, title)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(COLUMNS[0], height - 144, "Gouvernance")
    pdf.drawString(COLUMNS[1], height - 144, "La gestion sert.")
    pdf.drawString(COLUMNS[2], height - 144, "Partiel")
    pdf.drawString(COLUMNS[0], height - 162, "Pérennité")
    pdf.drawString(COLUMNS[1], height - 162, "Le financement dure.")
    pdf.drawString(COLUMNS[2], height - 162, "Atteint")
    for k, text in enumerate(
        ("Constat 1 : un conseil", "actif et des cotisations", "en hausse pour", "les deux critères.")
    ):
        pdf.drawString(COLUMNS[3], height - (144 + 11 * k), text)
    pdf.drawString(COLUMNS[0], height - 200, "Ancrage")
    pdf.drawString(COLUMNS[1], height - 200, "Le cluster est connu.")
    pdf.drawString(COLUMNS[2], height - 200, "Atteint")
    pdf.drawString(COLUMNS[3], height - 200, "Constat 2 : une enquête.")
    pdf.save()
    (table,) = read(tmp_path / "merged.pdf")[0]
    fragment = table.fragment
    assert [r[0] for r in fragment.rows] == ["Thème", "Gouvernance", "Pérennité", "Ancrage"]
    assert fragment.rows[1][3].endswith("les deux critères.") and fragment.rows[2][3] is None
    assert fragment.merges[2][3] == "above"
    assert fragment.rows[3][3] == "Constat 2 : une enquête."
