"""OCR for scanned pages: Tesseract words and image-found rules as pdfplumber objects.

A scanned page has an image and no text. Everything downstream (lines, reading order, ruled
tables, running headers, the evaluation structure) reads pdfplumber's ``chars``, ``lines`` and
``rects``; so this module turns a page image into exactly those objects and
:func:`apply_objects` sets them as the page's cached objects. ``extract_words``, ``find_tables``
and ``crop`` then treat the scan as a text page, and no later stage knows OCR was used except
through the provenance (engine, version, mean word confidence per page).

Per page, in order, and why:
1. Render the page with pdfium at the resolution of its largest image (a 200 dpi scan is read
   at 200 dpi, not resampled), clamped to a range Tesseract reads well.
2. Binarise, straighten, find rules and dark bands, clean the image for Tesseract
   (``miner.read.scan_image``); rules become ``line`` objects, bands ``rect`` objects. A frame
   around one word (a judgement tag) gives four rules, so the layout code finds the same lone
   cell it finds on a born-digital page; a faded stamp is paper to Tesseract.
3. Tesseract (``tesserocr``, in process) gives words with boxes and confidences; word-sized ink
   its page layout left without words (a lone word in a shaded cell) is read again line by line;
   words inside a lone frame get a line of their own (not the end of the heading beside them).
4. Words become characters on the em box of their baseline, with a size and a weight, words
   separated by one space character (``miner.read.ocr_text``), so pdfplumber's word and line
   grouping find the OCR's words and lines again.
"""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from miner.errors import InputError
from miner.read.ocr_text import OcrPage, OcrWord, TextSettings, apply_objects, descends, ink_share, typeset
from miner.read.scan_image import (
    ImageSettings,
    clean_for_ocr,
    find_rules,
    frames,
    ink_measure,
    ink_windows,
    lift_paper,
    otsu_threshold,
    print_of_colour,
    skew_angle,
)
from miner.read.scan_marks import MARK_DESCENT, Mark, MarkSettings, follow_row, marks_in
from miner.settings import check_fields, nested, resolve_settings, setting

__all__ = [
    "OcrMode",
    "OcrOptions",
    "OcrPage",
    "OcrSettings",
    "OcrWord",
    "apply_objects",
    "engine_info",
    "needs_ocr",
    "recognise_pages",
    "tessdata_folder",
]

OcrMode = Literal["auto", "always", "never"]

TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
"""Where Debian, Fedora, source builds and Homebrew put Tesseract's language data."""

BASELINE_SLACK_PX = 2
"""Pixels a letter's ink may reach under Tesseract's baseline (the scanner's blur, a round letter's
overshoot) before the rest of its box is taken for something else."""

MARK_CONFIDENCE = 100.0
"""Round marks are measured in the image, not guessed among letters: they do not lower a constat's
mean confidence (what flags it for review)."""

INSTALL_HINT = (
    "install Tesseract with its French data (apt install tesseract-ocr tesseract-ocr-fra) and pip install tesserocr"
)


@dataclass(frozen=True)
class OcrOptions:
    """How OCR is asked for, as opposed to its heuristics: the base of :class:`OcrSettings`, which adds those."""

    mode: OcrMode = setting(
        "auto", "auto: pages without a text layer or whose text layer has no dictionary words; always; never."
    )
    language: str = setting(
        "auto",
        "Tesseract language(s): auto reads each report with the data of its own language "
        '(from the lexicons: fra, eng, nld, deu), or a code ("fra", "fra+eng" for mixed '
        "documents).",
    )
    jobs: int = setting(1, "Pages recognised at once (threads: tesserocr releases the GIL while Tesseract works).")
    text: TextSettings = nested(
        TextSettings,
        "Words as a text layer: font size (by one of two methods), weight, em boxes (miner.read.ocr_text).",
    )

    def __post_init__(self) -> None:
        if self.mode not in ("auto", "always", "never"):
            raise ValueError(f"OCR mode {self.mode!r}: choose auto, always or never")
        dpi = getattr(self, "min_dpi", None), getattr(self, "max_dpi", None)  # the heuristics of OcrSettings
        if None not in dpi and not 0 < dpi[0] <= dpi[1]:
            raise ValueError("OCR resolution: need 0 < min_dpi <= max_dpi")

    @classmethod
    def resolve(cls, value: "OcrSettings | dict[str, Any] | str | None") -> "OcrSettings":
        """A bare string is the mode (``--ocr auto|always|never``)."""
        return resolve_settings(cls, {"mode": value} if isinstance(value, str) else value)


@dataclass(frozen=True)
class OcrSettings(OcrOptions):
    """OCR's options (:class:`OcrOptions`) and its heuristics, each with the reason for its default."""

    min_dpi: int = setting(
        150,
        "Pages are rendered at their largest image's resolution, at least this: Tesseract loses accuracy "
        "under about 150 dpi.",
    )
    max_dpi: int = setting(
        400, "Pages are rendered at most at this resolution: above about 400 dpi Tesseract gains nothing but time."
    )
    max_pixels: int = setting(
        16_000_000,
        "Pixels one page may be rendered to (A4 at 400 dpi is 15.5 M, cleaned as float arrays of ~8 bytes a "
        "pixel): a hostile page size is read at a lower resolution instead of exhausting memory.",
    )
    default_dpi: int = setting(300, "The resolution of a page whose images do not say (vector drawings, tiny images).")
    page_timeout: float = setting(
        60.0, "Seconds Tesseract may spend on one page (a normal A4 page takes about one second)."
    )
    image: ImageSettings = nested(
        ImageSettings, "The page image: straightening, rules, bands, cleaning (miner.read.scan_image)."
    )
    marks: MarkSettings = nested(
        MarkSettings, "Round marks (judgement dots) read from the image, not by Tesseract (miner.read.scan_marks)."
    )
    recover_missed: bool = setting(
        True,
        "Word-sized ink Tesseract's page layout left without words (a lone word in a shaded, noisy cell) is "
        "read again line by line.",
    )
    recover_min_confidence: float = setting(
        60.0, "A word read again is kept when Tesseract is at least this sure of it."
    )
    recover_min_size: float = setting(4.0, "Only blobs at least this tall (points) are read again: smaller is noise.")
    recover_max_size: float = setting(30.0, "Only blobs at most this tall (points) are read again: larger is a figure.")
    low_confidence: float = setting(
        90.0,
        "A constat whose words' mean confidence (0-100) is below this is flagged for review: clean 200 dpi "
        "pages give 94-97, and one misread word pulls a constat under 90.",
    )
    garbage_min_words: int = setting(
        8, "In auto mode a text layer is garbage when at least this many words hold no function word."
    )
    scan_cover: float = setting(
        0.5,
        "In auto mode fewer than garbage_min_words words over an image covering this share of the page are a "
        "stamp on a scan.",
    )

    def __post_init__(self) -> None:
        check_fields(self)
        super().__post_init__()


# ---------------------------------------------------------------------------------------------
# Engine


def _tessdata(language: str) -> str | None:
    """The folder holding ``<language>.traineddata`` for every language asked, or None."""
    wanted = language.split("+")
    candidates = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    for folder in [*candidates, *TESSDATA_DIRS]:
        base = Path(folder)
        for path in (base, base / "tessdata"):
            if all((path / f"{lang}.traineddata").is_file() for lang in wanted):
                return str(path)
    return None


def tessdata_folder(language: str) -> str | None:
    """The folder holding the data of every language of ``language`` ("fra", "fra+eng"), or None."""
    return _tessdata(language)


def engine_info(language: str = "fra") -> tuple[str, str, str]:
    """(engine, version, tessdata folder); raises ``RuntimeError`` with an install hint."""
    try:
        import tesserocr
    except ImportError as exc:
        raise RuntimeError(f"OCR needed but tesserocr is not installed: {INSTALL_HINT}") from exc
    folder = _tessdata("fra" if language == "auto" else language)
    if folder is None:
        raise RuntimeError(f"OCR needed but Tesseract's {language!r} language data was not found: {INSTALL_HINT}")
    version = tesserocr.tesseract_version().split()[1]
    return "tesseract", version, folder


def needs_ocr(page: Any, settings: OcrSettings) -> bool:
    """Whether a pdfplumber page should be read by OCR under ``settings.mode``."""
    if settings.mode == "never":
        return False
    if settings.mode == "always":
        return True
    if not page.chars:
        return bool(page.images)
    text = page.extract_text() or ""
    if _garbage(text, settings):
        return True
    # a scan with a few words stamped on it (a page number, a filing mark): the image holds the page
    return len(text.split()) < settings.garbage_min_words and _covered_by_image(page, settings.scan_cover)


def _covered_by_image(page: Any, share: float) -> bool:
    """Whether one image covers at least ``share`` of the page."""
    area = float(page.width) * float(page.height)
    return any((i["x1"] - i["x0"]) * (i["bottom"] - i["top"]) >= share * area for i in page.images)


def _garbage(text: str, settings: OcrSettings) -> bool:
    """A text layer with enough words but no French/English/Dutch/German function word, or one
    made mostly of unmapped glyphs ("(cid:12)"), is garbage (a bad earlier OCR, broken fonts)."""
    import re

    from miner.data.lexicon import detect_language

    if text.count("(cid:") * 6 > len(text) / 2:
        return True
    words = re.findall(r"[^\W\d_]+", text)
    return len(words) >= settings.garbage_min_words and detect_language(text) is None


# ---------------------------------------------------------------------------------------------
# Image: render, binarise, deskew, rules


def _in_colour(page: Any) -> bool:
    """Whether the page's largest image was scanned in colour (its colour space has three or four
    channels): only then is a coloured stamp told from the print under it."""
    if not page.images:
        return False
    largest = max(page.images, key=lambda i: (i["x1"] - i["x0"]) * (i["bottom"] - i["top"]))
    names = " ".join(str(v) for v in (largest.get("colorspace") or []))
    return any(name in names for name in ("RGB", "CMYK", "Lab"))


def _page_dpi(page: Any, settings: OcrSettings) -> float:
    """The resolution of the page's largest image, clamped; the default without images."""
    best = 0.0
    for image in page.images:
        width = image["x1"] - image["x0"]
        src = image.get("srcsize") or (0, 0)
        if width > 0.3 * page.width and src[0]:
            best = max(best, src[0] / width * 72)
    dpi = float(min(settings.max_dpi, max(settings.min_dpi, round(best or settings.default_dpi))))
    area = float(page.width) * float(page.height) / 72 / 72
    if area * dpi * dpi > settings.max_pixels:
        dpi = max(1.0, math.floor(math.sqrt(settings.max_pixels / area)))
    return dpi


# ---------------------------------------------------------------------------------------------
# Recognition


_LOCAL = threading.local()


def _api(language: str, folder: str) -> Any:
    """One Tesseract instance per thread (an instance is not thread-safe), kept for later pages."""
    import tesserocr

    api = getattr(_LOCAL, "api", None)
    if api is None or getattr(_LOCAL, "key", None) != (language, folder):
        api = tesserocr.PyTessBaseAPI(path=folder, lang=language, psm=tesserocr.PSM.AUTO)
        _LOCAL.api, _LOCAL.key = api, (language, folder)
    return api


def _recognise(
    number: int, gray: Any, dpi: float, page_size: tuple[float, float], settings: OcrSettings, folder: str
) -> OcrPage:
    """OCR one rendered page (uint8 grey array) into an ``OcrPage`` in page points."""
    import numpy as np
    from PIL import Image

    start = time.monotonic()
    warnings: list[str] = []
    image = settings.image
    threshold = otsu_threshold(gray)
    dark = gray < threshold
    skew = skew_angle(dark, image)
    if abs(skew) >= image.min_skew:
        rotated = Image.fromarray(gray).rotate(-skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
        gray = np.asarray(rotated)
        dark = gray < threshold
    height_px, width_px = gray.shape
    sx, sy = page_size[0] / width_px, page_size[1] / height_px
    px_per_pt = 1 / sx
    rules, bands = find_rules(dark, px_per_pt, image)
    cleaned = clean_for_ocr(gray, dark, rules if image.erase_rules else [], bands, image.rule_fringe_px)
    if image.lift_paper and dpi >= image.lift_min_dpi:
        lift_paper(cleaned, threshold)
    ink = cleaned < threshold
    api = _api(settings.language, folder)
    api.SetImage(Image.fromarray(cleaned))
    api.SetSourceResolution(int(dpi))
    finished = api.Recognize(timeout=max(1, int(settings.page_timeout * 1000)))  # 0 would mean no limit
    words: list[OcrWord] = []
    if not finished:
        warnings.append(f"page {number}: OCR stopped after {settings.page_timeout:g} s; its text is incomplete")
    boxes = _read_words(api, words, sx, sy, settings, (0, 0))
    if settings.recover_missed and finished:
        boxes += _recover_missed(api, cleaned, ink, boxes, words, sx, sy, dpi, settings)
    if settings.marks.read:
        boxes = _read_marks(words, boxes, ink, sx, sy, settings)
    if settings.text.size_from == "boxes":
        _ink_heights(words, boxes, ink, sy)
    _frame_lines(words, boxes, frames(rules, max(2, round(image.rule_max_thickness * px_per_pt))))
    ink_of = [ink_measure(ink, box) for box in boxes]
    typeset(words, ink_of, px_per_pt, settings.text)
    lines = [(x0 * sx, top * sy, x1 * sx, bottom * sy) for x0, top, x1, bottom in rules]
    band_boxes = [(x0 * sx, top * sy, x1 * sx, bottom * sy) for x0, top, x1, bottom in bands]
    return OcrPage(number, words, lines, band_boxes, dpi, skew, round(time.monotonic() - start, 3), warnings)


def _read_words(
    api: Any, words: list[OcrWord], sx: float, sy: float, settings: OcrSettings, offset: tuple[int, int]
) -> list[tuple[int, int, int, int]]:
    """Append Tesseract's current words (image ``offset`` in pixels) to ``words``, numbering
    lines and paragraphs after those already there; returns their pixel boxes."""
    from tesserocr import RIL, iterate_level

    dx, dy = offset
    line_index = words[-1].line if words else -1
    paragraph_index = words[-1].paragraph if words else -1
    first = True
    line_box: tuple[int, int, int, int] | None = None
    baseline = 0.0
    row_height = 0.0
    boxes: list[tuple[int, int, int, int]] = []
    iterator = api.GetIterator()
    if iterator is None:
        return boxes
    for item in iterate_level(iterator, RIL.WORD):
        try:
            text = (item.GetUTF8Text(RIL.WORD) or "").strip()
        except RuntimeError:  # tesserocr's way of saying the result holds no text
            continue
        box = item.BoundingBox(RIL.WORD)
        if item.IsAtBeginningOf(RIL.PARA) or first:
            paragraph_index += 1
        if item.IsAtBeginningOf(RIL.TEXTLINE) or first:
            line_index += 1
            line_box = item.BoundingBox(RIL.TEXTLINE)
            attributes = item.RowAttributes() or {}
            row_height = float(attributes.get("row_height") or 0.0)
            ends = item.Baseline(RIL.TEXTLINE)
            baseline = ((ends[0][1] + ends[1][1]) / 2 + dy if ends else (line_box[3] + dy if line_box else 0)) * sy
        first = False
        if not text or box is None or line_box is None:
            continue
        box = (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)
        if settings.text.size_from == "rows":
            size = (row_height or (box[3] - box[1])) * sy / settings.text.row_height_ratio
        else:
            size = (box[3] - box[1]) * sy / ink_share(text)
        words.append(
            OcrWord(
                text=text,
                x0=round(box[0] * sx, 2),
                top=round(box[1] * sy, 2),
                x1=round(box[2] * sx, 2),
                bottom=round(box[3] * sy, 2),
                confidence=round(float(item.Confidence(RIL.WORD)), 1),
                line=line_index,
                paragraph=paragraph_index,
                size=size,
                baseline=baseline,
            )
        )
        boxes.append(box)
    return boxes


def _read_marks(
    words: list[OcrWord], boxes: list[tuple[int, int, int, int]], ink: Any, sx: float, sy: float, settings: OcrSettings
) -> list[tuple[int, int, int, int]]:
    """Words whose ink is a row of round marks become "●" and "○" (``miner.read.scan_marks``),
    followed along their row; the other words Tesseract made of the same marks go. Returns the
    words' pixel boxes, in the order of ``words``, changed in place."""
    height, width = ink.shape
    taken: list[tuple[int, tuple[int, int, int, int]]] = []
    for index, box in enumerate(boxes):
        if any(_inside(box, span) for _i, span in taken):
            continue
        marks = marks_in(ink, box, settings.marks)
        if marks is None:
            continue
        marks = follow_row(ink, marks, (0, 0, width, height), settings.marks)
        span = (marks[0].box[0], min(m.box[1] for m in marks), marks[-1].box[2], max(m.box[3] for m in marks))
        word = words[index]
        word.text = "".join(m.text for m in marks)
        word.x0, word.x1 = round(span[0] * sx, 2), round(span[2] * sx, 2)
        word.top, word.bottom = round(span[1] * sy, 2), round(span[3] * sy, 2)
        word.size = (span[3] - span[1]) * sy / ink_share(word.text)
        boxes[index] = span
        taken.append((index, span))
    if not taken:
        return boxes
    keep = [i for i, box in enumerate(boxes) if not any(j != i and _inside(box, span) for j, span in taken)]
    words[:] = [words[i] for i in keep]
    return [boxes[i] for i in keep]


def _add_marks(words: list[OcrWord], marks: list[Mark], sx: float, sy: float) -> tuple[int, int, int, int]:
    """A word of its own line and paragraph for round marks found outside Tesseract's words; its
    pixel box. Its baseline is where the dots' glyph puts it (DejaVu: 0.12 em of 0.76 below)."""
    x0, top = marks[0].box[0], min(m.box[1] for m in marks)
    x1, bottom = marks[-1].box[2], max(m.box[3] for m in marks)
    text = "".join(m.text for m in marks)
    size = (bottom - top) * sy / ink_share(text)
    words.append(
        OcrWord(
            text=text,
            x0=round(x0 * sx, 2),
            top=round(top * sy, 2),
            x1=round(x1 * sx, 2),
            bottom=round(bottom * sy, 2),
            confidence=MARK_CONFIDENCE,
            line=words[-1].line + 1 if words else 0,
            paragraph=words[-1].paragraph + 1 if words else 0,
            size=size,
            baseline=bottom * sy - MARK_DESCENT * size,
        )
    )
    return (x0, top, x1, bottom)


def _inside(box: tuple[int, int, int, int], span: tuple[int, int, int, int]) -> bool:
    """Whether the centre of ``box`` lies in ``span`` (pixels)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return span[0] <= cx <= span[2] and span[1] <= cy <= span[3]


def _ink_heights(words: list[OcrWord], boxes: list[tuple[int, int, int, int]], ink: Any, sy: float) -> None:
    """Word sizes from the rows of ink inside their boxes, a word without descenders ending at its
    line's baseline: Tesseract's box sometimes takes in a rule's faint fringe above or an accent of
    the line below (a table cell's "Partenariats": 43 px for 27), and a single-word line measured
    that tall takes the headings' size, which cuts an unruled table under it."""
    for word, (x0, top, x1, bottom) in zip(words, boxes):
        rows = ink[top:bottom, x0:x1].any(axis=1).nonzero()[0]
        if not len(rows):
            continue
        first, last = top + int(rows[0]), top + int(rows[-1]) + 1
        if not descends(word.text):
            last = min(last, int(word.baseline / sy) + BASELINE_SLACK_PX)
        if last > first:
            word.size = (last - first) * sy / ink_share(word.text)


def _frame_lines(
    words: list[OcrWord], boxes: list[tuple[int, int, int, int]], framed: list[tuple[int, int, int, int]]
) -> None:
    """Words inside a lone frame (pixel boxes) get lines and a paragraph of their own: Tesseract
    reads a judgement tag as the end of the sub-heading's line, whose size and weight the tag's
    smaller regular word would then blur."""
    if not framed or not words:
        return
    line = max(w.line for w in words)
    paragraph = max(w.paragraph for w in words)
    lines: dict[tuple[int, int], int] = {}
    paragraphs: dict[int, int] = {}
    for word, (x0, top, x1, bottom) in zip(words, boxes):
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        inside = next((i for i, f in enumerate(framed) if f[0] <= cx <= f[2] and f[1] <= cy <= f[3]), None)
        if inside is None:
            continue
        if (inside, word.line) not in lines:
            line += 1
            lines[(inside, word.line)] = line
        if inside not in paragraphs:
            paragraph += 1
            paragraphs[inside] = paragraph
        word.line, word.paragraph = lines[(inside, word.line)], paragraphs[inside]


def _recover_missed(
    api: Any,
    cleaned: Any,
    ink: Any,
    found: list[tuple[int, int, int, int]],
    words: list[OcrWord],
    sx: float,
    sy: float,
    dpi: float,
    settings: OcrSettings,
) -> list[tuple[int, int, int, int]]:
    """Read again, one line at a time, the ink that Tesseract's page layout left without words:
    its segmentation drops a lone word in a shaded or noisy table cell (a judgement), which
    would lose a fact. Blobs of word size are cut out and read as single lines."""
    import numpy as np
    from PIL import Image
    from scipy import ndimage as ndi
    from tesserocr import PSM

    px_per_pt = 1 / sx
    left = ink.copy()
    pad = max(1, int(px_per_pt))
    for x0, top, x1, bottom in found:
        left[max(0, top - pad) : bottom + pad, max(0, x0 - pad) : x1 + pad] = False
    if not left.any():
        return []
    # letters of one word or line merge; specks of noise stay small
    # (as two 1-D passes: the same mask as the 2-D filter, in less time), around the ink left only
    tall, wide = max(1, int(1.0 * px_per_pt)), max(1, int(3 * px_per_pt))
    blobs = []
    for rows, columns in ink_windows(left, (tall, wide)):
        merged = ndi.maximum_filter1d(ndi.maximum_filter1d(left[rows, columns], tall, axis=0), wide, axis=1)
        labels, _count = ndi.label(merged)
        blobs += [
            (
                slice(ys.start + rows.start, ys.stop + rows.start),
                slice(xs.start + columns.start, xs.stop + columns.start),
            )
            for ys, xs in ndi.find_objects(labels)
        ]
    boxes: list[tuple[int, int, int, int]] = []
    min_height, max_height = settings.recover_min_size * px_per_pt, settings.recover_max_size * px_per_pt
    api.SetPageSegMode(PSM.SINGLE_LINE)
    try:
        for sl in blobs:
            ys, xs = sl
            height, width = ys.stop - ys.start, xs.stop - xs.start
            inked = int(left[sl].sum())
            if not (min_height <= height <= max_height) or width < 1.5 * height or inked < height * height / 4:
                continue
            blob = (xs.start, ys.start, xs.stop, ys.stop)
            marks = marks_in(ink, blob, settings.marks) if settings.marks.read else None
            if marks is not None:  # dots Tesseract's layout dropped (a judgement tag): measured, not read
                boxes.append(_add_marks(words, marks, sx, sy))
                continue
            top, x0 = max(0, ys.start - 2 * pad), max(0, xs.start - 2 * pad)
            crop = np.ascontiguousarray(cleaned[top : ys.stop + 2 * pad, x0 : xs.stop + 2 * pad])
            api.SetImage(Image.fromarray(crop))
            api.SetSourceResolution(int(dpi))
            if not api.Recognize(timeout=max(1, int(settings.page_timeout * 1000))):
                break
            before = len(words)
            new = _read_words(api, words, sx, sy, settings, (x0, top))
            kept = [i for i in range(before, len(words)) if words[i].confidence >= settings.recover_min_confidence]
            boxes += [new[i - before] for i in kept]
            words[before:] = [words[i] for i in kept]
    finally:
        api.SetPageSegMode(PSM.AUTO)
    return boxes


def recognise_pages(
    path: str | Path,
    pages: list[Any],
    settings: OcrSettings | None = None,
    *,
    password: str | None = None,
    done_before: int = 0,
    total: int | None = None,
) -> dict[int, OcrPage]:
    """OCR the given pdfplumber pages of ``path``; ``settings.jobs`` pages at once. Each page read
    is told to the parent of a worker as ``done_before`` + pages done of ``total`` (default: these
    pages), for a caller that reads a document's scanned pages in more than one call.

    Pages are rendered a few at a time (pdfium is not thread-safe, so in this thread) while the
    pool recognises the ones before: a long scan never holds more than ``2 × jobs`` page images.
    Raises ``InputError`` naming the file when Tesseract or its language data is missing, or
    when Tesseract fails on a page.
    """
    import numpy as np
    import pypdfium2

    from miner.read.isolate import report_progress

    cfg = OcrSettings.resolve(settings)
    if cfg.language == "auto":  # a caller that did not choose: the genre's usual language
        cfg = replace(cfg, language="fra")
    try:
        _engine, _version, folder = engine_info(cfg.language)
    except RuntimeError as exc:
        raise InputError(path, str(exc)) from None

    finished = [0]
    counting = threading.Lock()

    def one(item: tuple[int, Any, float, tuple[float, float]]) -> OcrPage:
        try:
            result = _recognise(*item, cfg, folder)
        except RuntimeError as exc:  # tesserocr's errors
            raise InputError(path, f"OCR failed on page {item[0]}: {exc}") from None
        with counting:  # counted and sent under one lock, so the parent sees 1, 2, 3… in order
            finished[0] += 1
            report_progress(
                done_before + finished[0], total or len(pages)
            )  # in a worker: restarts the time limit, moves the bar
        return result

    jobs = max(1, min(cfg.jobs, len(pages)))
    results: list[OcrPage] = []
    document = pypdfium2.PdfDocument(str(path), password=password or None)
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for start in range(0, len(pages), 2 * jobs):
                batch = []
                for page in pages[start : start + 2 * jobs]:
                    dpi = _page_dpi(page, cfg)
                    colour = _in_colour(page)
                    bitmap = document[page.page_number - 1].render(scale=dpi / 72, grayscale=not colour)
                    if colour:  # a stamp's coloured ink goes before the page is grey
                        gray = print_of_colour(np.asarray(bitmap.to_pil().convert("RGB")), cfg.image)
                    else:
                        gray = np.array(bitmap.to_numpy(), dtype=np.uint8, order="C").reshape(
                            bitmap.height, bitmap.width
                        )  # one copy
                    batch.append((page.page_number, gray, dpi, (float(page.width), float(page.height))))
                results += list(pool.map(one, batch)) if jobs > 1 else [one(item) for item in batch]
    finally:
        document.close()
    return {result.number: result for result in results}
