"""Scans of tagged reports and office marks: what the page image gives the layout code.

A judgement tag is a frame around one word whose sides are shorter than a rule: it must come out
of the image as four rules (a lone cell for the table finder), and its word as a line of its own.
A Tesseract line that jumps a column gutter is two lines; a bold sub-heading on a page of lines
opening with bold labels is still bold; a faded stamp is paper for Tesseract; the generator's scan
carries a stamp and a signature. Fast: synthetic images and words, one page scanned at 72 dpi.
"""

from __future__ import annotations

import numpy as np
from conftest import EVAL_PDF

from corpora.render.scan import make_scan
from miner.read import ocr_text, scan_image
from miner.read.ocr_text import OcrWord


def _tag_page() -> np.ndarray:
    """A 300 dpi strip: a framed tag (60 x 14 pt) beside a heading, and under it two rules of one
    span 14 pt apart with nothing joining their ends (a table's row rules)."""
    image = np.full((400, 1200), 255, np.uint8)
    image[40:43, 800:1050] = 0  # the tag's top, bottom and sides (250 x 58 px)
    image[95:98, 800:1050] = 0
    image[40:98, 800:803] = 0
    image[40:98, 1047:1050] = 0
    for x in range(830, 1000, 9):
        image[58:80, x : x + 3] = 0  # the tag's word
    for x in range(100, 600, 9):
        image[58:80, x : x + 4] = 0  # the heading beside it
    image[200:203, 100:1100] = 0  # two row rules, open at the ends
    image[258:261, 100:1100] = 0
    for x in range(140, 900, 9):
        image[220:240, x : x + 3] = 0
    return image


def test_a_tag_frame_is_four_rules_and_a_lone_frame():
    image = _tag_page()
    px_per_pt = 300 / 72
    rules, bands = scan_image.find_rules(image < 128, px_per_pt, scan_image.ImageSettings())
    assert bands == []
    vertical = sorted(r for r in rules if r[3] - r[1] > r[2] - r[0])
    assert [(r[0], r[1], r[3]) for r in vertical] == [(800, 40, 98), (1047, 40, 98)]  # the tag's sides only
    framed = scan_image.frames(rules, 12)
    assert framed == [(800, 40, 1050, 98)]
    # the reduced search gives the same
    assert (rules, bands) == scan_image.find_rules(image < 128, px_per_pt, scan_image.ImageSettings(), None)


def test_a_grid_cell_is_not_a_lone_frame():
    image = np.full((300, 600), 255, np.uint8)
    for y in (20, 120, 220):
        image[y : y + 2, 20:580] = 0
    for x in (20, 300, 578):
        image[20:222, x : x + 2] = 0
    rules, _bands = scan_image.find_rules(image < 128, 200 / 72, scan_image.ImageSettings())
    assert scan_image.frames(rules, 8) == []


def test_paper_side_ink_away_from_print_is_lifted():
    image = np.full((60, 200), 255, np.uint8)
    image[10:50, 20:24] = 30  # a stroke of print with its anti-aliased edge
    image[10:50, 24:25] = 180
    image[10:50, 120:160] = 185  # a faded stamp away from print
    out = scan_image.lift_paper(image.copy(), 140)
    assert (out[10:50, 120:160] == 255).all()
    assert (out[10:50, 20:24] == 30).all() and (out[10:50, 24] == 180).all()


def _word(text: str, x0: float, line: int, paragraph: int = 0, size: float = 10.0) -> OcrWord:
    return OcrWord(text, x0, 100.0 + 14 * line, x0 + 6 * len(text), 110.0 + 14 * line, 95.0, line, paragraph, size)


def test_a_tesseract_line_across_a_gutter_is_two_lines():
    words = [_word("financer", 56, 0), _word("de", 110, 0), _word("Les", 316, 0), _word("ressources", 340, 0)]
    ocr_text._split_at_gaps(words, ocr_text.TextSettings())
    assert words[0].line == words[1].line and words[2].line == words[3].line != words[0].line


def test_a_bold_sub_heading_stays_bold_among_lines_opening_with_bold_labels():
    """Ink (area, perimeter) per word: stroke width 2 * area / perimeter over the size in pixels."""
    words, ink = [], []
    heading = [_word("1.2", 50, 0, 1), _word("Gouvernance", 70, 0, 1)]  # Tesseract: one paragraph with the body
    words += heading
    ink += [(560, 100), (560, 100)]  # 1.47x the median word, 1.29x the median line
    for line in range(1, 7):  # lines opening with a bold label, the rest regular
        words += [
            _word("Constat", 50, line, 1),
            _word("texte", 100, line, 1),
            _word("courant", 140, line, 1),
            _word("ordinaire", 190, line, 1),
        ]
        ink += [(600, 100), (380, 100), (380, 100), (380, 100)]
    ocr_text._mark_bold(words, ink, 1.0, ocr_text.TextSettings())
    ocr_text._even_paragraphs(words, ocr_text.TextSettings())
    assert all(w.bold for w in heading)
    assert not any(w.bold for w in words[2:])


def test_the_generated_scan_is_stamped_and_signed(tmp_path):
    import pypdfium2

    plain = make_scan(EVAL_PDF, tmp_path / "plain.pdf", dpi=72, angle=0.0, noise=0.0, pages=[0])
    marked = make_scan(EVAL_PDF, tmp_path / "marked.pdf", dpi=72, angle=0.0, noise=0.0, pages=[0], marks=True)
    images = []
    for path in (plain, marked):
        document = pypdfium2.PdfDocument(str(path))
        images.append(np.asarray(document[0].render(scale=1).to_pil().convert("L"), dtype=np.int16))
        document.close()
    changed = np.abs(images[0] - images[1]) > 40
    stamp_grey = (changed & (images[1] > 140) & (images[1] < 200)).sum()
    signature_ink = (changed & (images[1] < 100)).sum()
    assert stamp_grey > 100 and signature_ink > 50


def test_words_inside_a_lone_frame_get_a_line_and_paragraph_of_their_own():
    from miner.read import ocr

    words = [
        _word("1.1", 50, 0, 0),
        _word("Gouvernance", 70, 0, 0),
        _word("Atteint", 500, 0, 0),
        _word("Les", 56, 1, 0),
    ]
    boxes = [(200, 400, 260, 440), (290, 400, 600, 440), (2090, 402, 2200, 438), (230, 470, 290, 510)]  # pixels
    ocr._frame_lines(words, boxes, [(2070, 390, 2230, 450)])
    assert words[0].line == words[1].line == 0 and words[3].line == 1
    assert words[2].line not in (0, 1) and words[2].paragraph != words[0].paragraph


def test_a_headings_last_line_put_with_the_body_goes_back_to_the_heading():
    """Tesseract put "axes d'action du décret ?" (15 pt, a question heading's last line) in the
    paragraph of the 10 pt body under it: it goes back to the heading's paragraph and weight."""
    heading = [_word("Question", 63, 0, 1, 15.2), _word("2", 150, 0, 1, 15.2), _word("réalisations", 63, 1, 1, 15.2)]
    last = [_word("axes", 63, 2, 2, 15.2), _word("d'action", 100, 2, 2, 15.2)]
    body = [_word("Les", 63, 3, 2, 10.3), _word("activités", 90, 3, 2, 10.3), _word("du", 150, 3, 2, 10.3)]
    for word in heading:
        word.bold = True
    ocr_text._even_paragraphs(heading + last + body, ocr_text.TextSettings())
    assert all(w.paragraph == 1 and w.bold for w in last)
    assert not any(w.bold for w in body)


def test_a_wrapped_headings_last_line_alone_in_a_paragraph_goes_back_to_the_heading():
    heading = [
        _word("Question", 63, 0, 1, 15.2),
        _word("réalisations", 400, 0, 1, 15.2),
        _word("apportent", 63, 1, 1, 15.2),
        _word("plus-value", 420, 1, 1, 15.2),
    ]
    last = [_word("membres", 63, 2, 2, 15.2), _word("?", 120, 2, 2, 15.2)]
    for word in heading:
        word.bold = True
    ocr_text._even_paragraphs(heading + last, ocr_text.TextSettings())
    assert all(w.paragraph == 1 and w.bold for w in last)
    # a sub-heading on one line, then a body line alone in its paragraph: the heading did not wrap
    sub = [_word("1.1", 50, 0, 1, 10.0), _word("Gouvernance", 70, 0, 1, 10.0)]
    sub[0].bold = sub[1].bold = True
    body = [_word("Les", 56, 1, 2, 10.0), _word("ressources", 80, 1, 2, 10.0)]
    ocr_text._even_paragraphs(sub + body, ocr_text.TextSettings())
    assert all(w.paragraph == 2 and not w.bold for w in body)


def test_a_justified_line_of_a_narrow_column_is_not_cut_at_its_wide_spaces():
    """Four words spread across a narrow column, every space near 2 em: no gutter among them."""
    words = [_word("Vaststelling", 315, 0), _word("3.1:", 397, 0), _word("Een", 437, 0), _word("projectoproep", 472, 0)]
    ocr_text._split_at_gaps(words, ocr_text.TextSettings())
    assert len({w.line for w in words}) == 1


def test_a_red_stamp_on_a_colour_scan_goes_and_the_print_under_it_stays(tmp_path):
    """A fresh red stamp, as dark as print once grey: separated by its colour, the page is the
    unstamped page again (the red notice, print of a colour apart from black print, stays)."""
    import pypdfium2

    pages = []
    for name, marks in (("plain", False), ("stamped", True)):
        path = make_scan(
            EVAL_PDF, tmp_path / f"{name}.pdf", dpi=200, angle=0.0, noise=0.0, pages=[1], marks=marks, colour=True
        )
        document = pypdfium2.PdfDocument(str(path))
        pages.append(np.asarray(document[0].render(scale=200 / 72).to_pil().convert("RGB")))
        document.close()
    plain, stamped = pages
    naive = (stamped.astype(np.int32) @ np.array([299, 587, 114]) // 1000) < 128
    separated = scan_image.print_of_colour(stamped, scan_image.ImageSettings()) < 128
    unstamped = scan_image.print_of_colour(plain, scan_image.ImageSettings()) < 128
    stamp_ink = (naive & ~unstamped).sum()
    assert stamp_ink > 300  # the stamp is as dark as print in a grey conversion
    assert (separated & ~unstamped).sum() < 0.1 * stamp_ink
    assert (unstamped & ~separated).sum() < 0.02 * unstamped.sum()  # no print lost
