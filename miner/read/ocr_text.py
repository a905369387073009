"""OCR words as a text layer: font sizes, weights and em boxes, then pdfplumber's objects.

pdfplumber groups characters into words and lines by their boxes, ``size`` and ``fontname``, and
the PDF layer cuts blocks where size or weight change; so OCR words must carry what a text layer
carries. A word's size comes from its ink height and its letters (x-height only, ascenders or
descenders), snapped to the sizes common on the page; a line's weight from its strokes' width;
lines of one Tesseract paragraph that nearly agree get one style (a heading's short last line
would otherwise measure smaller and start a block of its own). Characters then sit on the em box
of their baseline, as pdfminer places a text layer's characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from miner.settings import check_fields, setting

__all__ = ["OcrPage", "OcrWord", "TextSettings", "apply_objects", "descends", "ink_share", "typeset"]


@dataclass(frozen=True)
class TextSettings:
    """Text-layer heuristics, each a named setting with the reason for its default."""

    row_height_ratio: float = setting(
        0.97,
        "Tesseract's row height (x-height + ascenders + descenders) over the font size: 0.97 for the "
        "sans-serif faces of reports (measured: 9.7 pt rows for 10 pt text).",
    )
    size_from: Literal["boxes", "rows"] = setting(
        "boxes",
        "Font size from the ink height of each word and its letters (boxes), or from Tesseract's row height "
        "(rows); rows misjudge small and short lines at 150 dpi (measured).",
    )
    descent: float = setting(
        0.22,
        "Share of the font size below the baseline in the em box of common faces (Arial, Liberation, DejaVu: "
        "0.21-0.24): characters get the box a text layer would give them.",
    )
    paragraph_snap: float = setting(
        0.25, "Lines of one Tesseract paragraph within this share of each other's size are one style."
    )
    size_snap: float = setting(
        0.15,
        "A line whose size is within this share of the page's body size has the body size (Tesseract heights "
        "vary by a pixel or two from line to line, which would cut paragraphs).",
    )
    max_word_gap: float = setting(
        1.5,
        "Words of one Tesseract line further apart than this many font sizes are on two lines (two "
        "columns, a tag beside a heading): a word space is at most about one em even in justified text.",
    )
    gutter_over_spaces: float = setting(
        2.0,
        "A gap wider than max_word_gap splits a line only if it is also this many times the line's median "
        "other gap: a justified line of a narrow column ('Vaststelling 3.1: Een projectoproep') spreads all "
        "its spaces to 2 em alike, a gutter stands out from the word spaces beside it.",
    )
    bold_ratio: float = setting(
        1.35, "A line whose stroke width (over its size) exceeds the page's median line by this ratio is bold."
    )
    min_tail_words: int = setting(
        3,
        "A bold line's last words are regular when at least this many words of three letters or more are, "
        "measured together (a legend line's bold title, then its pairs); fewer are too noisy to tell.",
    )

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class OcrWord:
    """One recognised word in page points (origin top-left), with Tesseract's confidence."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float
    line: int
    paragraph: int = 0
    size: float = 10.0
    bold: bool = False
    baseline: float = 0.0


@dataclass
class OcrPage:
    """What OCR found on one page: words, rules and bands (points), and how it went."""

    number: int
    words: list[OcrWord]
    lines: list[tuple[float, float, float, float]]
    bands: list[tuple[float, float, float, float]]
    dpi: float
    skew: float
    seconds: float
    warnings: list[str] = field(default_factory=list)

    @property
    def mean_confidence(self) -> float | None:
        """Mean word confidence (0-100), weighted by word length; None for a page with no words."""
        total = sum(len(w.text) for w in self.words)
        if not total:
            return None
        return round(sum(w.confidence * len(w.text) for w in self.words) / total, 1)


def typeset(words: list[OcrWord], ink: list[tuple[int, int]], px_per_pt: float, settings: TextSettings) -> None:
    """Sizes, em boxes and weights of one page's words (``ink``: area and perimeter of each)."""
    _split_at_gaps(words, settings)
    _snap_sizes(words, settings)
    for word in words:  # the em box on the baseline, as pdfminer places a text layer's characters
        word.bottom = round(word.baseline + settings.descent * word.size, 2)
        word.top = round(word.bottom - word.size, 2)
    _mark_bold(words, ink, px_per_pt, settings)
    _even_paragraphs(words, settings)


_ASCENDING = frozenset("bdfhklt0123456789'’?!%/()[]{}«»&#$€@œæ")
_ACCENTED = frozenset("àâäéèêëîïôöùûüÿ")
_DESCENDING = frozenset("gjpqyç,;()[]{}")
_MARKS = frozenset("●○")


def descends(text: str) -> bool:
    """Whether a word has a letter (or mark) reaching under the baseline ("g", ",", "●")."""
    return any(c in _DESCENDING or c in _MARKS for c in text)


def ink_share(text: str) -> float:
    """The share of the font size a word's ink spans, from its letters: x-height letters only
    (0.52 em in Arial, Liberation, DejaVu), with ascenders or capitals (0.73 em), with a lowercase
    accent (0.81 em: an accent stands above the ascenders, so a line of "été", "critères" measured
    10 % large and took a heading's size), with descenders (0.73 em), both (0.94 em, 1.02 with an
    accent); round marks read from the image ("●●○") 0.76 em (DejaVu's
    dots, a little below the baseline to near the capitals' height)."""
    if text and all(c in _MARKS for c in text):
        return 0.76
    accent = any(c in _ACCENTED for c in text)
    up = accent or any(c in _ASCENDING or c.isupper() for c in text)
    down = any(c in _DESCENDING for c in text)
    above = 0.08 if accent else 0.0
    if up and down:
        return 0.94 + above
    if up:
        return 0.73 + above
    if down:
        return 0.73
    return 0.52


def _split_at_gaps(words: list[OcrWord], settings: TextSettings) -> None:
    """A Tesseract line that jumps a gap wider than a word space (a column gutter Tesseract's page
    layout missed) becomes two lines: the text layer must not join two columns with a space."""
    by_line: dict[int, list[OcrWord]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    line = max((w.line for w in words), default=0)
    for members in by_line.values():
        size = sorted(w.size for w in members)[len(members) // 2]
        gaps = [word.x0 - before.x1 for before, word in zip(members, members[1:])]
        for index, word in enumerate(members[1:]):
            gap = gaps[index]
            others = sorted(gaps[:index] + gaps[index + 1 :])
            # a justified line in a narrow column spreads all its spaces alike: none is a gutter
            alike = others and gap <= settings.gutter_over_spaces * others[len(others) // 2]
            if gap > settings.max_word_gap * size and not alike:
                line += 1
                for after in members[members.index(word) :]:
                    after.line = line


def _snap_sizes(words: list[OcrWord], settings: TextSettings) -> None:
    """Give every word its line's size, snapped to the most common nearby size on the page
    (Tesseract's row heights vary by a pixel or two between lines of one font)."""
    from collections import Counter

    by_line: dict[int, list[OcrWord]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    line_size = {}
    weights: Counter[float] = Counter()
    for index, members in by_line.items():
        size = round(sorted(w.size for w in members)[len(members) // 2], 1)  # median: robust to specks
        line_size[index] = size
        weights[size] += sum(len(w.text) for w in members)
    centres: list[float] = []
    for size, _count in weights.most_common():
        if not any(abs(size - c) <= settings.size_snap * c for c in centres):
            centres.append(size)
    for index, members in by_line.items():
        size = line_size[index]
        near = [c for c in centres if abs(size - c) <= settings.size_snap * c]
        snapped = near[0] if near else size  # the heaviest centre in reach
        for word in members:
            word.size = snapped


def _mark_bold(words: list[OcrWord], ink: list[tuple[int, int]], px_per_pt: float, settings: TextSettings) -> None:
    """Bold lines: stroke width (twice the ink area over its perimeter) relative to the font
    size well above the page's median word. Decided per line: a word alone is too noisy
    (accents and apostrophes add perimeter). The reference is the median of words, not of lines:
    a line opening with a bold label ("Constat 3 :") is heavier than body text, and on a page of
    such lines their median would hide a bold sub-heading."""
    lines: dict[int, list[int]] = {}
    for index, word in enumerate(words):
        if not set(word.text) <= _MARKS:  # dots read from the image: their ink is no stroke
            lines.setdefault(word.line, []).append(index)
    ratios: dict[int, float] = {}
    for line, members in lines.items():
        area = sum(ink[i][0] for i in members)
        perimeter = sum(ink[i][1] for i in members)
        if area < 20 or not perimeter:
            continue
        ratios[line] = 2 * area / perimeter / (words[members[0]].size * px_per_pt)
    weights = sorted(
        (2 * ink[i][0] / ink[i][1] / (word.size * px_per_pt), len(word.text))
        for i, word in enumerate(words) if ink[i][0] >= 20 and ink[i][1] and not set(word.text) <= _MARKS
    )  # fmt: skip
    if not weights or not ratios:
        return
    half, seen, median = sum(n for _, n in weights) / 2, 0, weights[-1][0]
    for ratio, n in weights:
        seen += n
        if seen >= half:
            median = ratio
            break
    limit = settings.bold_ratio * median
    for word in words:
        ratio = ratios.get(word.line)
        word.bold = ratio is not None and ratio > limit
    for line, members in lines.items():
        if ratios.get(line, 0.0) > limit:
            _regular_tail(words, ink, members, limit, px_per_pt, settings)


def _regular_tail(
    words: list[OcrWord],
    ink: list[tuple[int, int]],
    members: list[int],
    limit: float,
    px_per_pt: float,
    settings: TextSettings,
) -> None:
    """A line measured bold whose last words are regular together (a bold title, then the text it
    introduces: "Légende : ●●● Atteint ; ●●○ Satisfaisant…") is bold only up to them, as its text
    layer would be: measured as a whole, the title made the legend a heading. The tail needs
    ``min_tail_words`` words of three letters or more, measured together (a word alone is noisy);
    the cut is where the two parts differ most."""

    def ratio(part: list[int]) -> float:
        area, perimeter = sum(ink[i][0] for i in part), sum(ink[i][1] for i in part)
        return 2 * area / perimeter / (words[part[0]].size * px_per_pt) if perimeter else 0.0

    best: tuple[float, int] | None = None  # the cut that sets the two parts furthest apart
    for k in range(1, len(members)):
        tail = members[k:]
        if sum(1 for i in tail if sum(c.isalpha() for c in words[i].text) >= 3) < settings.min_tail_words:
            break
        head, rest = ratio(members[:k]), ratio(tail)
        if head > limit >= rest and (best is None or head - rest > best[0]):
            best = (head - rest, k)
    if best is not None:
        first = words[members[best[1]]]
        for word in words:
            if word.line == first.line and word.x0 >= first.x0:
                word.bold = False


def _even_paragraphs(words: list[OcrWord], settings: TextSettings) -> None:
    """Lines of one Tesseract paragraph whose sizes are close get one size, and the weight of the
    majority of its letters when that is bold: a heading's short last line measures smaller or
    lighter than its first, which would cut the heading in two. A line measured bold stays bold:
    Tesseract also puts a sub-heading in the paragraph of the body under it (a tagged report's
    criteria), whose majority would make the sub-heading body text."""
    from collections import Counter

    _rejoin_last_lines(words, settings)
    paragraphs: dict[int, list[OcrWord]] = {}
    for word in words:
        paragraphs.setdefault(word.paragraph, []).append(word)
    for members in paragraphs.values():
        sizes = [w.size for w in members]
        if len({w.line for w in members}) < 2 or max(sizes) > (1 + settings.paragraph_snap) * min(sizes):
            continue
        weights: Counter[float] = Counter()
        bold = 0
        for word in members:
            weights[word.size] += len(word.text)
            bold += len(word.text) if word.bold else -len(word.text)
        size = weights.most_common(1)[0][0]
        for word in members:
            word.size, word.bold = size, word.bold or bold > 0


def _rejoin_last_lines(words: list[OcrWord], settings: TextSettings) -> None:
    """A line that opens a Tesseract paragraph at another size than the rest of it, and at the
    size of the line just before it, is that line's paragraph's last line: Tesseract sometimes puts
    a heading's last line with the body under it, where it would be evened to nothing. So is a
    line alone in its paragraph, at the size of the line before, when that line ends a paragraph
    of several lines and its first word would not have fitted on it (the heading wrapped). Sizes
    are told apart by ``paragraph_snap``, or by ``size_snap`` where weights say the same: a bold line
    at the bold line's size before it, over regular lines of another size."""
    lines: dict[int, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    order = sorted(lines)

    def close(a: float, b: float) -> bool:
        return abs(a - b) <= settings.paragraph_snap * min(a, b)

    for before, line in zip(order, order[1:]):
        first, previous = lines[line][0], lines[before][0]
        if first.paragraph == previous.paragraph or not close(first.size, previous.size):
            continue
        rest = [w for w in words if w.paragraph == first.paragraph and w.line != line]
        if rest:
            # the rest at another size; or, sizes too close for that (a 12 pt heading over 10 pt
            # body text), the line as bold as the heading's line before it and the rest regular
            rejoin = not any(close(w.size, first.size) for w in rest) or (
                first.bold
                and previous.bold
                and abs(first.size - previous.size) <= settings.size_snap * previous.size
                and not any(w.bold or abs(w.size - first.size) <= settings.size_snap * first.size for w in rest)
            )
        else:
            above = [w for w in words if w.paragraph == previous.paragraph]
            right = max(w.x1 for w in above)
            rejoin = (
                len({w.line for w in above}) >= 2
                and lines[before][-1].x1 + 0.25 * first.size + (first.x1 - first.x0) > right
            )
        if rejoin:
            for word in lines[line]:
                word.paragraph = previous.paragraph


# ---------------------------------------------------------------------------------------------
# pdfplumber objects


def apply_objects(page: Any, result: OcrPage) -> None:
    """Replace a pdfplumber page's objects by the OCR's: characters, rules, bands; the scanned
    image itself is dropped (it would be read as a full-page figure), smaller images are kept."""
    height = float(page.height)
    doctop0 = float(page.initial_doctop)
    number = page.page_number
    base = {"page_number": number, "mcid": None, "tag": None}

    def box(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
        return {
            "x0": x0, "x1": x1, "top": top, "bottom": bottom, "y0": height - bottom, "y1": height - top,
            "width": x1 - x0, "height": bottom - top, "doctop": doctop0 + top,
        }  # fmt: skip

    chars: list[dict[str, Any]] = []
    previous: OcrWord | None = None
    for word in result.words:
        fontname = "OCR-Bold" if word.bold else "OCR-Regular"
        if previous is not None and previous.line == word.line and word.x0 > previous.x1:
            chars.append(_char(" ", previous.x1, word.x0, word, fontname, base, box))
        step = (word.x1 - word.x0) / max(1, len(word.text))
        for index, letter in enumerate(word.text):
            chars.append(_char(letter, word.x0 + index * step, word.x0 + (index + 1) * step, word, fontname, base, box))
        previous = word
    lines = [
        {**base, **box(x0, top, x1, bottom), "object_type": "line", "linewidth": 0.5, "stroke": True, "fill": False,
         "stroking_color": (0,), "non_stroking_color": (0,), "pts": [], "path": [], "dash": None, "evenodd": False}
        for x0, top, x1, bottom in _as_thin(result.lines)
    ]  # fmt: skip
    rects = [
        {**base, **box(x0, top, x1, bottom), "object_type": "rect", "linewidth": 0.0, "stroke": False, "fill": True,
         "stroking_color": None, "non_stroking_color": (0,), "pts": [], "path": [], "dash": None, "evenodd": False}
        for x0, top, x1, bottom in result.bands
    ]  # fmt: skip
    images = [
        img for img in page.images
        if (img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) < 0.5 * float(page.width) * height
    ]  # fmt: skip
    page._objects = {"char": chars, "line": lines, "rect": rects, "image": images}
    for name in ("_rect_edges", "_curve_edges", "_edges"):
        page.__dict__.pop(name, None)


def _as_thin(rules: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """A rule found as a thin box becomes a zero-width line along its middle, as PDF rules are."""
    out = []
    for x0, top, x1, bottom in rules:
        if x1 - x0 >= bottom - top:
            y = (top + bottom) / 2
            out.append((x0, y, x1, y))
        else:
            x = (x0 + x1) / 2
            out.append((x, top, x, bottom))
    return out


def _char(
    text: str, x0: float, x1: float, word: OcrWord, fontname: str, base: dict[str, Any], box: Any
) -> dict[str, Any]:
    return {
        **base,
        **box(x0, word.top, x1, word.bottom),
        "object_type": "char",
        "text": text,
        "fontname": fontname,
        "size": word.size,
        "adv": x1 - x0,
        "upright": True,
        "matrix": (1, 0, 0, 1, x0, 0),
        "ncs": "DeviceGray",
        "stroking_color": (0,),
        "non_stroking_color": (0,),
        "confidence": word.confidence,
    }
