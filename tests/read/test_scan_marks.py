"""Judgement dots on a scan, read from the image: discs and rings of one size in a row are "●" and
"○"; letters Tesseract could read instead ("o", "O", "0", "e", "oo") are not marks. Fast: words
drawn with DejaVu at 300 dpi, no Tesseract."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from corpora.render.variety import dejavu_folder
from miner.read import ocr_text
from miner.read.ocr_text import OcrWord
from miner.read.scan_marks import MarkSettings, follow_row, marks_in

FONT = dejavu_folder() / "DejaVuSans.ttf"


def _ink(text: str, size: int = 35, blur: bool = True) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """``text`` drawn at ``size`` pixels (8.5 pt at 300 dpi), slightly blurred as a scanner does;
    the ink mask and the ink's box."""
    if not FONT.is_file():
        pytest.skip("needs the DejaVu fonts")
    from PIL import ImageFilter

    image = Image.new("L", (40 * len(text) + 80, 3 * size), 255)
    ImageDraw.Draw(image).text((40, size), text, fill=0, font=ImageFont.truetype(str(FONT), size))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(0.6))
    dark = np.asarray(image) < 140
    ys, xs = np.nonzero(dark)
    return dark, (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


@pytest.mark.parametrize("text", ["●●●", "●●○", "●○○", "○○○", "●●●●", "●"])
def test_dots_are_read_as_discs_and_rings(text: str) -> None:
    dark, box = _ink(text)
    marks = marks_in(dark, box, MarkSettings())
    assert marks is not None and "".join(m.text for m in marks) == text


@pytest.mark.parametrize("text", ["o", "O", "0", "e", "oo", "OO", "00", "eee", "O0O", "600", "Non", "○", "■□"])
def test_letters_and_a_lone_ring_are_no_marks(text: str) -> None:
    dark, box = _ink(text)
    assert marks_in(dark, box, MarkSettings()) is None, text


def test_dots_of_two_sizes_are_no_sequence() -> None:
    big, box = _ink("●●")
    small, small_box = _ink("●", size=20)
    dark = np.zeros((max(big.shape[0], small.shape[0]), big.shape[1] + small.shape[1]), bool)
    dark[: big.shape[0], : big.shape[1]] = big
    dark[: small.shape[0], big.shape[1] :] = small
    assert marks_in(dark, (box[0], 0, big.shape[1] + small_box[2], dark.shape[0]), MarkSettings()) is None


def test_a_word_box_cutting_through_a_dot_takes_the_whole_dot_and_the_row_is_followed() -> None:
    """Tesseract's boxes: "CT" over the first dot and half the second, "12" over the rest."""
    dark, (x0, top, x1, bottom) = _ink("●●○")
    third = (x1 - x0) // 3
    first = marks_in(dark, (x0, top, x0 + third + third // 3, bottom), MarkSettings())
    assert first is not None and "".join(m.text for m in first) == "●●"
    row = follow_row(dark, first, (0, 0, dark.shape[1], dark.shape[0]), MarkSettings())
    assert "".join(m.text for m in row) == "●●○"


def test_a_row_stops_at_the_word_beside_it() -> None:
    dark, box = _ink("●●○ Atteint")
    first = marks_in(dark, (box[0], box[1], box[0] + 20, box[3]), MarkSettings())
    assert first is not None
    row = follow_row(dark, first, (0, 0, dark.shape[1], dark.shape[0]), MarkSettings())
    assert "".join(m.text for m in row) == "●●○"


def _word(text: str, x0: float, line: int, paragraph: int, size: float, bold: bool) -> OcrWord:
    word = OcrWord(text, x0, 100.0 + 14 * line, x0 + 6 * len(text), 110.0 + 14 * line, 95.0, line, paragraph, size)
    word.bold = bold
    return word


def test_a_bold_headings_last_line_over_body_text_of_a_close_size_goes_back_to_the_heading() -> None:
    """Tesseract's paragraph: a 12.8 pt heading's last line and the 10.8 pt body line under it
    (within paragraph_snap of each other): the heading's line goes back, the body stays regular."""
    heading = [_word("Question", 57, 0, 0, 12.8, True), _word("rassemble-t-il", 440, 0, 0, 12.8, True)]
    last = [
        _word("les", 57, 1, 1, 12.8, True),
        _word("entreprises", 80, 1, 1, 12.8, True),
        _word("?", 160, 1, 1, 12.8, True),
    ]
    body = [_word("3", 57, 2, 1, 10.8, False), _word("critères", 70, 2, 1, 10.8, False)]
    ocr_text._even_paragraphs(heading + last + body, ocr_text.TextSettings())
    assert all(w.paragraph == 0 and w.bold for w in last)
    assert not any(w.bold for w in body) and {w.size for w in body} == {10.8}
    # a constat line opening with a bold label under a bold heading line, at the body's size: stays
    heading = [_word("1.1", 57, 0, 0, 10.0, True), _word("Gouvernance", 80, 0, 0, 10.0, True)]
    label = [_word("Constat", 57, 1, 1, 10.0, True), _word("1", 110, 1, 1, 10.0, True)]
    rest = [_word("Le", 57, 2, 1, 10.0, False), _word("cluster", 80, 2, 1, 10.0, False)]
    ocr_text._even_paragraphs(heading + label + rest, ocr_text.TextSettings())
    assert all(w.paragraph == 1 for w in label)


def test_dots_carry_the_ink_share_of_their_glyph() -> None:
    assert ocr_text.ink_share("●●○") == 0.76 and ocr_text.ink_share("o") == 0.52


def test_a_bold_title_then_regular_words_on_one_line_is_bold_only_up_to_them() -> None:
    """A legend line "Légende des niveaux : ●●● Atteint ; ●●○ Satisfaisant …": measured as a whole
    the title makes it bold (a heading, not a legend); its regular tail is cut off. A bold heading
    line stays bold throughout, and a body line regular."""
    texts = ["Légende", "des", "niveaux", ":", "●●●", "Atteint", ";", "●●○", "Satisfaisant", ";", "●○○", "Partiel"]
    legend = [_word(t, 50 + 40 * i, 0, 0, 10.0, False) for i, t in enumerate(texts)]
    heading = [_word(t, 50 + 60 * i, 1, 1, 10.0, False) for i, t in enumerate(["Question", "d'évaluation", "une"])]
    body = [_word(t, 50 + 60 * i, 2 + i // 4, 2, 10.0, False) for i, t in enumerate(["Les", "membres", "jugent"] * 8)]
    heavy, light = (900, 100), (380, 100)
    ink = [heavy if i < 4 else light for i in range(len(texts))] + [heavy] * 3 + [light] * len(body)
    words = legend + heading + body
    ocr_text._mark_bold(words, ink, 1.0, ocr_text.TextSettings())
    assert [w.text for w in legend if w.bold] == ["Légende", "des", "niveaux", ":", "●●●"]
    assert all(w.bold for w in heading) and not any(w.bold for w in body)
