"""Round marks on a scan: filled and empty dots read from the image, not by Tesseract.

A report may print its judgements as dots ("●●○", or a row of discs whose count is the grade)
and say in a legend what each sequence means. Tesseract has no glyph for them: it reads "eee",
"O0O", "600". So a word whose ink is a row of round marks of one size is read here instead, and
written as the characters a text layer would hold ("●" for a disc, "○" for a ring); the document's
own legend, itself on the scan and read the same way, then maps them to the scale as on a
born-digital page (``miner.extract.legend``).

What makes a mark, and why:
- round: as wide as tall, its outline (holes filled) symmetric about both axes and filling the
  ellipse of its box; letters fail one of these ("e" is open, "O" and "0" are taller than wide,
  "a" and "d" are not symmetric);
- one size along a row: dots of one sequence are drawn from one glyph;
- a disc when its ink fills its outline, a ring when its ink is a thin outline ("o" is neither:
  its stroke is too thick for a ring of its size), nothing in between;
- a lone ring is a letter "o" or "O" more often than a mark, so it needs a neighbour; a lone disc
  is a mark (a bullet prints as "●" in a text layer too).
A sequence Tesseract cut into two words, or whose last dot it dropped, is followed along its row.
"""

from __future__ import annotations

from dataclasses import dataclass

from miner.settings import check_fields, resolve_settings, setting

__all__ = ["DISC", "MARK_DESCENT", "RING", "MarkSettings", "Mark", "marks_in", "follow_row"]

DISC = "●"
RING = "○"

Box = tuple[int, int, int, int]

MARK_DESCENT = 0.12
"""Share of the font size a dot's glyph reaches below the baseline (DejaVu's ● and ○: 0.12 em)."""

FOLLOW_REACH = 4
"""How many more marks :func:`follow_row` looks for on either side of a word (a scale has 3-5)."""


@dataclass(frozen=True)
class MarkSettings:
    """Heuristics of round marks (dots) read from a scan's image."""

    read: bool = setting(
        True,
        "Words whose ink is a row of round marks are read from the image as ● and ○: Tesseract reads a "
        "judgement's dots as 'eee' or 'O0O', which no legend maps (0 of 8 generated dotted scans read).",
    )
    min_aspect: float = setting(
        0.9,
        "A mark is at least this wide for its height (and this tall for its width): a dot is round, "
        "DejaVu's 'O' is 0.89 and '0' 0.67 as wide as tall.",
    )
    min_symmetry: float = setting(
        0.85,
        "A mark's outline overlaps its mirror images (left-right, top-bottom) by at least this share "
        "(intersection over union): measured 0.95 and more on 300 dpi scanned dots, 'e' and 'a' far less.",
    )
    ellipse_fill: tuple[float, float] = setting(
        (0.72, 0.86),
        "A mark's outline covers this share of its box (an ellipse covers 0.785): measured 0.76-0.79 on "
        "scanned dots; a square mark (■) or a letter falls outside.",
    )
    disc_fill: float = setting(
        0.8, "A mark whose ink covers at least this share of its outline is a disc (measured: 1.0 on scans)."
    )
    ring_fill: float = setting(
        0.42,
        "A mark whose ink covers at most this share of its outline is a ring (measured 0.29-0.38 for ○ "
        "at 300 dpi; DejaVu's 'o' 0.56-0.67 and 'O' 0.46-0.54: their strokes are thick for their size).",
    )
    size_spread: float = setting(
        0.2, "Marks of one sequence differ in height by at most this share: one glyph drew them all."
    )
    speck: float = setting(
        0.3,
        "Ink whose box is smaller than this share of the word's tallest part is a scanner speck, not a mark "
        "nor a letter.",
    )
    max_gap: float = setting(
        1.0,
        "Marks further apart than this many mark heights are two sequences: the dots of one sequence are "
        "set a fraction of their size apart (DejaVu: 0.15).",
    )

    def __post_init__(self) -> None:
        check_fields(self)

    resolve = classmethod(resolve_settings)


@dataclass(frozen=True)
class Mark:
    """One round mark: its box in pixels of the page image, and whether it is a disc."""

    box: Box
    disc: bool

    @property
    def text(self) -> str:
        return DISC if self.disc else RING


def _parts(dark: object, box: Box, settings: MarkSettings) -> list[tuple[Box, object]]:
    """The connected pieces of ink that reach into ``box`` (page pixels), whole, with their masks,
    specks left out: Tesseract's word boxes may cut through the next dot."""
    import numpy as np
    from scipy import ndimage as ndi

    pad = max(1, box[3] - box[1])  # a whole dot cut at its edge: a dot is no wider than the word is tall
    height, width = dark.shape  # type: ignore[attr-defined]
    x0, top = max(0, box[0] - pad), max(0, box[1] - pad // 2)
    x1, bottom = min(width, box[2] + pad), min(height, box[3] + pad // 2)
    labels, count = ndi.label(dark[top:bottom, x0:x1], np.ones((3, 3), bool))  # type: ignore[index]
    if not count:
        return []
    found = []
    for index, (ys, xs) in enumerate(ndi.find_objects(labels), start=1):
        piece = (xs.start + x0, ys.start + top, xs.stop + x0, ys.stop + top)
        if piece[0] < box[2] and box[0] < piece[2] and piece[1] < box[3] and box[1] < piece[3]:
            found.append((piece, labels[ys, xs] == index))
    if not found:
        return []
    tallest = max(max(b[2] - b[0], b[3] - b[1]) for b, _ in found)
    return [(b, m) for b, m in found if max(b[2] - b[0], b[3] - b[1]) >= settings.speck * tallest]


def _could_be_marks(dark: object, box: Box, settings: MarkSettings) -> bool:
    """A quick look before the pieces are labelled (most words are letters, and labelling every
    word cost 3 % of a page's OCR): the runs of inked columns inside the box, specks aside, are
    each about as wide as the ink is tall; a run cut by the box's edge may be narrower."""
    import numpy as np

    x0, top, x1, bottom = box
    crop = dark[top:bottom, x0:x1]  # type: ignore[index]
    rows = np.flatnonzero(crop.any(axis=1))
    columns = crop.any(axis=0)
    if not len(rows) or not columns.any():
        return False
    height = int(rows[-1] - rows[0] + 1)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], columns.view(np.int8), [0]))))
    for start, stop in zip(edges[::2].tolist(), edges[1::2].tolist()):
        width = stop - start
        if width < settings.speck * height or (start == 0 or stop == len(columns)) and width <= height:
            continue  # a speck, or a dot cut by the box
        if not settings.min_aspect * height <= width <= height / settings.min_aspect:
            return False
    return True


def _mark(box: Box, mask: object, settings: MarkSettings) -> Mark | None:
    """The piece as a mark (disc or ring), or None when it is not round or half filled."""
    import numpy as np
    from scipy import ndimage as ndi

    width, height = box[2] - box[0], box[3] - box[1]
    if min(width, height) < 4 or min(width, height) < settings.min_aspect * max(width, height):
        return None
    outline = ndi.binary_fill_holes(mask)
    area = int(outline.sum())
    if not settings.ellipse_fill[0] <= area / (width * height) <= settings.ellipse_fill[1]:
        return None
    for mirror in (outline[::-1, :], outline[:, ::-1]):
        union = int(np.count_nonzero(outline | mirror))
        if np.count_nonzero(outline & mirror) < settings.min_symmetry * union:
            return None
    ink = int(np.count_nonzero(mask)) / area
    if ink >= settings.disc_fill:
        return Mark(box, True)
    if ink <= settings.ring_fill:
        return Mark(box, False)
    return None


def _one_row(marks: list[Mark], settings: MarkSettings) -> bool:
    """Marks of one size on one row, each within ``max_gap`` heights of the next."""
    heights = [m.box[3] - m.box[1] for m in marks]
    size = max(heights)
    if min(heights) < (1 - settings.size_spread) * size:
        return False
    middles = [(m.box[1] + m.box[3]) / 2 for m in marks]
    if max(middles) - min(middles) > settings.size_spread * size:
        return False
    ordered = sorted(marks, key=lambda m: m.box[0])
    return all(b.box[0] - a.box[2] <= settings.max_gap * size for a, b in zip(ordered, ordered[1:]))


def marks_in(dark: object, box: Box, settings: MarkSettings) -> list[Mark] | None:
    """The round marks that make up all the ink of ``box`` (an ink mask's pixels), left to right,
    or None when any piece of it is not a mark (a word of letters) or a ring stands alone.

    >>> import numpy as np
    >>> yy, xx = np.mgrid[0:30, 0:100]
    >>> dark = np.zeros((30, 100), bool)
    >>> for cx in (15, 47):
    ...     dark |= (yy - 15) ** 2 + (xx - cx) ** 2 <= 12.5**2
    >>> ring = ((yy - 15) ** 2 + (xx - 79) ** 2 <= 12.5**2) & ((yy - 15) ** 2 + (xx - 79) ** 2 > 10.5**2)
    >>> "".join(m.text for m in marks_in(dark | ring, (0, 0, 100, 30), MarkSettings()))
    '●●○'
    >>> marks_in(ring, (0, 0, 100, 30), MarkSettings()) is None
    True
    """
    if not _could_be_marks(dark, box, settings):
        return None
    parts = _parts(dark, box, settings)
    marks = []
    for part_box, mask in parts:
        mark = _mark(part_box, mask, settings)
        if mark is None:
            return None
        marks.append(mark)
    if not marks or not _one_row(marks, settings) or (len(marks) == 1 and not marks[0].disc):
        return None
    return sorted(marks, key=lambda m: m.box[0])


def follow_row(dark: object, marks: list[Mark], limit: Box, settings: MarkSettings) -> list[Mark]:
    """``marks`` with the marks of the same row on either side, within ``limit`` (pixels): the rest
    of a sequence Tesseract cut into two words or whose last dot it dropped. The row ends at the
    first piece that is not a mark of the same size, or at a gap wider than ``max_gap`` heights."""
    size = max(m.box[3] - m.box[1] for m in marks)
    top = max(limit[1], min(m.box[1] for m in marks) - size // 4)
    bottom = min(limit[3], max(m.box[3] for m in marks) + size // 4)
    reach = int(FOLLOW_REACH * (settings.max_gap + 1) * size)
    strip = (max(limit[0], marks[0].box[0] - reach), top, min(limit[2], marks[-1].box[2] + reach), bottom)
    pieces = sorted(_parts(dark, strip, settings), key=lambda p: p[0][0])
    row = list(marks)
    first, last = marks[0].box[0], marks[-1].box[2]
    for step in (1, -1):
        ordered = [p for p in pieces if (p[0][0] > last if step == 1 else p[0][2] < first)]
        ordered.sort(key=lambda p: p[0][0] * step)
        edge = last if step == 1 else first
        for part_box, mask in ordered:
            gap = part_box[0] - edge if step == 1 else edge - part_box[2]
            if gap > settings.max_gap * size or part_box[1] < top or part_box[3] > bottom:
                break
            mark = _mark(part_box, mask, settings)
            if mark is None or not _one_row([*row, mark], settings):
                break
            row.append(mark)
            edge = part_box[2] if step == 1 else part_box[0]
    return sorted(row, key=lambda m: m.box[0])
