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
2. Binarise (Otsu) and measure the skew from the projection profile; rotate it away, because a
   rule tilted by 1° drifts by 8 pt across an A4 table and the table finder needs straight edges.
3. Find dark filled bands (a table's title row printed white on dark) and thin rules by
   morphology along rows and columns; rules become ``line`` objects, bands ``rect`` objects.
4. Clean the image for Tesseract: text in dark bands is inverted to dark on light, rules are
   painted white (a rule touching a letter is read as "l" or "|").
5. Tesseract (``tesserocr``, in process) gives words with boxes, confidences and line heights;
   each word becomes characters on its line's box, words separated by one space character, so
   pdfplumber's word and line grouping find the OCR's words and lines again. The font size of a
   line is its Tesseract row height snapped to the page's body size; a word is bold when its
   strokes are much wider than the page's median (from the binarised image).
"""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from miner.errors import InputError

__all__ = [
    "OcrSettings",
    "OcrWord",
    "OcrPage",
    "OcrMode",
    "engine_info",
    "recognise_pages",
    "apply_objects",
    "needs_ocr",
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

INSTALL_HINT = "install Tesseract with its French data (apt install tesseract-ocr tesseract-ocr-fra) and pip install tesserocr"


@dataclass(frozen=True)
class OcrSettings:
    """OCR heuristics, each a named setting with the reason for its default."""

    # auto: pages without a text layer or whose text layer has no dictionary words; always; never.
    mode: OcrMode = "auto"
    # Tesseract language(s); reports are in French ("fra+eng" for mixed documents).
    language: str = "fra"
    # Pages are rendered at their largest image's resolution, within [min_dpi, max_dpi]: Tesseract
    # loses accuracy under ~150 dpi and gains nothing above ~400 dpi but time.
    min_dpi: int = 150
    max_dpi: int = 400
    # Pixels one page may be rendered to (A3 at 400 dpi is 31 M): a hostile page size is read at
    # a lower resolution rather than exhausting memory.
    max_pixels: int = 40_000_000
    # Resolution for a page whose images do not say (vector drawings, tiny images).
    default_dpi: int = 300
    # Seconds Tesseract may spend on one page (a normal A4 page takes about one second).
    page_timeout: float = 60.0
    # Pages recognised at once (threads: tesserocr releases the GIL while Tesseract works).
    jobs: int = 1
    # Straighten the page when its skew exceeds this many degrees (below it rules stay in tolerance).
    min_skew: float = 0.1
    # The skew search range in degrees: a scanner feeds within a few degrees.
    max_skew: float = 5.0
    # A rule is at least this long (points): longer than any dash or underlined letter.
    rule_min_length: float = 25.0
    # ...and at most this thick (points); thicker dark areas are filled bands.
    rule_max_thickness: float = 3.0
    # A filled band (dark table title row) is at least this thick (points): thicker than bold strokes.
    band_min_thickness: float = 5.0
    # Rules are painted white before Tesseract reads the page (measured on the 150 dpi test scan:
    # without it six constats are lost to "|" and "1" read from cell borders).
    erase_rules: bool = True
    # Pixels erased each side of a rule (its blurred fringe); 2 px clipped the descenders of the
    # last line of cells and doubled that scan's constat CER.
    rule_fringe_px: int = 1
    # Share of dark pixels in a filled band: its light text takes a third at most.
    band_fill: float = 0.6
    # A row or column of a band's box belongs to it when this share is ink (a line of light
    # text leaves half; the bold titles of a light header row below it leave a fifth).
    band_edge_fill: float = 0.35
    # Share of dark pixels along a window for it to count as a rule (allows scanner dropouts).
    rule_fill: float = 0.9
    # Tesseract's row height (x-height + ascenders + descenders) over the font size: 0.97 for
    # the sans-serif faces of reports (measured: 9.7 pt rows for 10 pt text).
    row_height_ratio: float = 0.97
    # Font size from the ink height of each word and its letters ("boxes"), or from Tesseract's
    # row height ("rows"); rows misjudge small and short lines at 150 dpi (measured).
    size_from: Literal["boxes", "rows"] = "boxes"
    # Share of the font size below the baseline in the em box of common faces (Arial, Liberation,
    # DejaVu: 0.21-0.24): characters get the box a text layer would give them.
    descent: float = 0.22
    # Read again the word-sized ink Tesseract's page layout left without words (a lone word in a
    # shaded, noisy cell), line by line; kept when Tesseract is at least this sure of it.
    recover_missed: bool = True
    recover_min_confidence: float = 60.0
    # ...blobs this tall (points) only: smaller is noise, larger a figure.
    recover_min_size: float = 4.0
    recover_max_size: float = 30.0
    # Lines of one Tesseract paragraph within this share of each other's size are one style.
    paragraph_snap: float = 0.25
    # A line whose size is within this share of the page's body size has the body size (Tesseract
    # heights vary by a pixel or two from line to line, which would cut paragraphs).
    size_snap: float = 0.15
    # A line whose stroke width (over its size) exceeds the page's median line by this ratio is bold.
    bold_ratio: float = 1.35
    # A constat whose words' mean confidence (0-100) is below this is flagged for review: clean
    # 200 dpi pages give 94-97 per constat, and one misread word pulls a constat under 90.
    low_confidence: float = 90.0
    # auto mode: a text layer is garbage when at least this many words hold no function word;
    # fewer words over an image covering this share of the page are a stamp on a scan.
    garbage_min_words: int = 8
    scan_cover: float = 0.5

    def __post_init__(self) -> None:
        if self.mode not in ("auto", "always", "never"):
            raise ValueError(f"OCR mode {self.mode!r}: choose auto, always or never")
        if not 0 < self.min_dpi <= self.max_dpi:
            raise ValueError("OCR resolution: need 0 < min_dpi <= max_dpi")

    @classmethod
    def resolve(cls, value: "OcrSettings | dict[str, Any] | str | None") -> "OcrSettings":
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls(mode=value)  # type: ignore[arg-type]
        return cls(**value)


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


def engine_info(language: str = "fra") -> tuple[str, str, str]:
    """(engine, version, tessdata folder); raises ``RuntimeError`` with an install hint."""
    try:
        import tesserocr
    except ImportError as exc:
        raise RuntimeError(f"OCR needed but tesserocr is not installed: {INSTALL_HINT}") from exc
    folder = _tessdata(language)
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

    from miner.nlp.french import guess_language

    if text.count("(cid:") * 6 > len(text) / 2:
        return True
    words = re.findall(r"[^\W\d_]+", text)
    return len(words) >= settings.garbage_min_words and guess_language(text) is None


# ---------------------------------------------------------------------------------------------
# Image: render, binarise, deskew, rules


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


def _otsu(gray: Any) -> int:
    """Otsu's threshold on a uint8 image: the grey level that best splits ink from paper."""
    import numpy as np

    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * np.arange(256))
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight / total - mass) ** 2 / (weight * (total - weight))
    between = np.nan_to_num(between)
    return int(np.argmax(between))


def _skew(dark: Any, settings: OcrSettings) -> float:
    """The page's skew in degrees (positive: text rises to the right), from the angle whose
    sheared row profile is sharpest (text lines and rules then fall on few rows)."""
    import numpy as np

    step = max(1, dark.shape[1] // 800)  # a ~800 px wide sample is precise to ~0.05°
    small = dark[::step, ::step]
    ys, xs = np.nonzero(small)
    if len(ys) < 100:
        return 0.0
    if len(ys) > 400_000:
        pick = np.random.default_rng(0).choice(len(ys), 400_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs - small.shape[1] / 2

    def score(angle: float) -> float:
        rows = np.round(ys + xs * math.tan(math.radians(angle))).astype(np.int64)
        rows -= rows.min()
        hist = np.bincount(rows).astype(np.float64)
        return float((hist**2).sum())

    coarse = np.arange(-settings.max_skew, settings.max_skew + 1e-9, 0.25)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return round(float(max(fine, key=score)), 2)


def _runs(mask: Any, axis: int, length: int, fill: float) -> Any:
    """Pixels of ``mask`` on a straight run of at least ``length`` pixels along ``axis``
    (morphological opening by a line, tolerant of small dropouts), in linear time."""
    import numpy as np
    from scipy import ndimage as ndi

    share = ndi.uniform_filter1d(mask.astype(np.float32), length, axis=axis, mode="constant")
    core = share >= fill
    return ndi.maximum_filter1d(core, length, axis=axis) & mask


def _find_rules(dark: Any, px_per_pt: float, settings: OcrSettings) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int, int, int]], Any]:
    """(rules, bands, band mask) in pixels; a rule or band is (x0, top, x1, bottom)."""
    import numpy as np
    from scipy import ndimage as ndi

    band_side = max(3, int(settings.band_min_thickness * px_per_pt))
    dense = ndi.uniform_filter(dark.astype(np.float32), band_side, mode="constant") >= settings.band_fill
    band_mask = ndi.maximum_filter(dense, band_side) & dark
    bands: list[tuple[int, int, int, int]] = []
    labels, _ = ndi.label(ndi.maximum_filter(dense, band_side))
    min_length = int(settings.rule_min_length * px_per_pt)
    for sl in ndi.find_objects(labels):
        ys, xs = sl
        inked = np.nonzero(band_mask[sl])
        if not len(inked[0]):
            continue
        top, bottom = ys.start + int(inked[0].min()), ys.start + int(inked[0].max()) + 1
        x0, x1 = xs.start + int(inked[1].min()), xs.start + int(inked[1].max()) + 1
        # trim to the rows, then the columns, that are mostly ink (rules touching the band are not)
        top, bottom = _dense_span(dark[top:bottom, x0:x1].mean(axis=1), settings.band_edge_fill, top)
        x0, x1 = _dense_span(dark[top:bottom, x0:x1].mean(axis=0), settings.band_edge_fill, x0)
        if x1 - x0 >= min_length and bottom - top >= band_side:
            bands.append((x0, top, x1, bottom))
    band_area = np.zeros_like(dark)
    for x0, top, x1, bottom in bands:
        band_area[top:bottom, x0:x1] = True
    rest = dark & ~band_area
    thick = settings.rule_max_thickness * px_per_pt
    rules: list[tuple[int, int, int, int]] = []
    for axis in (1, 0):
        found = _runs(rest, axis, min_length, settings.rule_fill)
        labels, _ = ndi.label(found)
        for sl in ndi.find_objects(labels):
            ys, xs = sl
            along, across = (xs.stop - xs.start, ys.stop - ys.start) if axis == 1 else (ys.stop - ys.start, xs.stop - xs.start)
            if along >= min_length and across <= thick:
                rules.append((xs.start, ys.start, xs.stop, ys.stop))
    return rules, bands, band_area


def _dense_span(shares: Any, fill: float, offset: int) -> tuple[int, int]:
    """The longest run of indices whose share is at least ``fill``, shifted by ``offset``."""
    best, start, span = (0, 0), None, (offset, offset)
    for index, value in enumerate([*shares.tolist(), 0.0]):
        if value >= fill and start is None:
            start = index
        elif value < fill and start is not None:
            if index - start > best[1] - best[0]:
                best = (start, index)
            start = None
    if best[1] > best[0]:
        span = (offset + best[0], offset + best[1])
    return span


def _clean(
    gray: Any,
    dark: Any,
    rules: list[tuple[int, int, int, int]],
    bands: list[tuple[int, int, int, int]],
    margin: int,
) -> Any:
    """The image Tesseract reads: band text inverted to dark on light, rules painted white.

    Only the band itself is inverted (its ink with the light text it encloses), not the corners
    of its box that a residual tilt leaves white; a rule is erased with its blurred fringe
    (``margin`` pixels each side), which a scanner spreads over a few pixels.
    """
    import numpy as np
    from scipy import ndimage as ndi

    out = gray.copy()
    edges = list(rules)
    for x0, top, x1, bottom in bands:
        region = ndi.binary_fill_holes(dark[top:bottom, x0:x1])
        patch = out[top:bottom, x0:x1]
        patch[region] = 255 - patch[region]
        patch[~region] = 255  # the band's blurred outline and the corners a tilt leaves
        # its outline outside the box too, or Tesseract reads it as "_", "|" or "1"
        edges += [(x0, top, x1, top + 1), (x0, bottom - 1, x1, bottom), (x0, top, x0 + 1, bottom), (x1 - 1, top, x1, bottom)]
    height, width = out.shape
    for x0, top, x1, bottom in edges:
        window = (slice(max(0, top - margin), min(height, bottom + margin)), slice(max(0, x0 - margin), min(width, x1 + margin)))
        patch = out[window]
        patch[dark[window] | (patch < 200)] = 255
    return np.ascontiguousarray(out)


def _ink(dark: Any, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """(ink area, ink perimeter) in a box, in pixels: their ratio measures stroke width."""
    import numpy as np

    x0, top, x1, bottom = box
    crop = dark[top:bottom, x0:x1]
    perimeter = int(np.count_nonzero(np.diff(crop, axis=0))) + int(np.count_nonzero(np.diff(crop, axis=1)))
    return int(crop.sum()), perimeter


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


def _recognise(number: int, gray: Any, dpi: float, page_size: tuple[float, float], settings: OcrSettings, folder: str) -> OcrPage:
    """OCR one rendered page (uint8 grey array) into an ``OcrPage`` in page points."""
    import numpy as np
    from PIL import Image

    start = time.monotonic()
    warnings: list[str] = []
    threshold = _otsu(gray)
    dark = gray < threshold
    skew = _skew(dark, settings)
    if abs(skew) >= settings.min_skew:
        rotated = Image.fromarray(gray).rotate(-skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
        gray = np.asarray(rotated)
        dark = gray < threshold
    height_px, width_px = gray.shape
    sx, sy = page_size[0] / width_px, page_size[1] / height_px
    px_per_pt = 1 / sx
    rules, bands, _band_area = _find_rules(dark, px_per_pt, settings)
    cleaned = _clean(gray, dark, rules if settings.erase_rules else [], bands, settings.rule_fringe_px)
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
    ink_of = [_ink(ink, box) for box in boxes]
    _snap_sizes(words, settings)
    for word in words:  # the em box on the baseline, as pdfminer places a text layer's characters
        word.bottom = round(word.baseline + settings.descent * word.size, 2)
        word.top = round(word.bottom - word.size, 2)
    _mark_bold(words, ink_of, px_per_pt, settings)
    _even_paragraphs(words, settings)
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
        if settings.size_from == "rows":
            size = (row_height or (box[3] - box[1])) * sy / settings.row_height_ratio
        else:
            size = (box[3] - box[1]) * sy / _ink_share(text)
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
    merged = ndi.maximum_filter(left, size=(max(1, int(1.0 * px_per_pt)), max(1, int(3 * px_per_pt))))
    labels, _count = ndi.label(merged)
    boxes: list[tuple[int, int, int, int]] = []
    min_height, max_height = settings.recover_min_size * px_per_pt, settings.recover_max_size * px_per_pt
    api.SetPageSegMode(PSM.SINGLE_LINE)
    try:
        for sl in ndi.find_objects(labels):
            ys, xs = sl
            height, width = ys.stop - ys.start, xs.stop - xs.start
            inked = int(left[sl].sum())
            if not (min_height <= height <= max_height) or width < 1.5 * height or inked < height * height / 4:
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


_ASCENDING = frozenset("bdfhklt0123456789'’?!%/()[]{}«»&#$€@") | frozenset("àâäéèêëîïôöùûüÿœæ")
_DESCENDING = frozenset("gjpqyç,;()[]{}")


def _ink_share(text: str) -> float:
    """The share of the font size a word's ink spans, from its letters: x-height letters only
    (0.52 em in Arial, Liberation, DejaVu), with ascenders, capitals or accents (0.73 em), with
    descenders (0.73 em), both (0.94 em)."""
    up = any(c in _ASCENDING or c.isupper() for c in text)
    down = any(c in _DESCENDING for c in text)
    if up and down:
        return 0.94
    if up or down:
        return 0.73
    return 0.52


def _snap_sizes(words: list[OcrWord], settings: OcrSettings) -> None:
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


def _mark_bold(words: list[OcrWord], ink: list[tuple[int, int]], px_per_pt: float, settings: OcrSettings) -> None:
    """Bold lines: stroke width (twice the ink area over its perimeter) relative to the font
    size well above the page's median line. Decided per line: a word alone is too noisy
    (accents and apostrophes add perimeter)."""
    lines: dict[int, list[int]] = {}
    for index, word in enumerate(words):
        lines.setdefault(word.line, []).append(index)
    ratios: dict[int, float] = {}
    weights: list[tuple[float, int]] = []
    for line, members in lines.items():
        area = sum(ink[i][0] for i in members)
        perimeter = sum(ink[i][1] for i in members)
        if area < 20 or not perimeter:
            continue
        ratio = 2 * area / perimeter / (words[members[0]].size * px_per_pt)
        ratios[line] = ratio
        weights.append((ratio, sum(len(words[i].text) for i in members)))
    if not weights:
        return
    weights.sort()
    half, seen, median = sum(n for _, n in weights) / 2, 0, weights[-1][0]
    for ratio, n in weights:
        seen += n
        if seen >= half:
            median = ratio
            break
    for word in words:
        ratio = ratios.get(word.line)
        word.bold = ratio is not None and ratio > settings.bold_ratio * median


def _even_paragraphs(words: list[OcrWord], settings: OcrSettings) -> None:
    """Lines of one Tesseract paragraph whose sizes are close get one size and one weight (the
    majority of its letters): a heading's short last line measures smaller or lighter than its
    first, which would cut the heading in two."""
    from collections import Counter

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
            word.size, word.bold = size, bold > 0


def recognise_pages(
    path: str | Path, pages: list[Any], settings: OcrSettings | None = None, *, password: str | None = None
) -> dict[int, OcrPage]:
    """OCR the given pdfplumber pages of ``path``; ``settings.jobs`` pages at once.

    Raises ``InputError`` naming the file when Tesseract or its language data is missing.
    """
    import numpy as np
    import pypdfium2

    cfg = OcrSettings.resolve(settings)
    try:
        _engine, _version, folder = engine_info(cfg.language)
    except RuntimeError as exc:
        raise InputError(path, str(exc)) from None
    document = pypdfium2.PdfDocument(str(path), password=password or None)
    try:
        rendered = []
        for page in pages:  # pdfium is not thread-safe: render in this thread, recognise in the pool
            dpi = _page_dpi(page, cfg)
            bitmap = document[page.page_number - 1].render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil().convert("L")
            rendered.append((page.page_number, np.asarray(image), dpi, (float(page.width), float(page.height))))
    finally:
        document.close()
    from miner.read.isolate import report_progress

    def one(item: tuple[int, Any, float, tuple[float, float]]) -> OcrPage:
        result = _recognise(*item, cfg, folder)
        report_progress()  # inside a worker, each page restarts the file's time limit
        return result

    if cfg.jobs <= 1 or len(rendered) <= 1:
        results = [one(item) for item in rendered]
    else:
        with ThreadPoolExecutor(max_workers=min(cfg.jobs, len(rendered))) as pool:
            results = list(pool.map(one, rendered))
    return {result.number: result for result in results}


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


def _char(text: str, x0: float, x1: float, word: OcrWord, fontname: str, base: dict[str, Any], box: Any) -> dict[str, Any]:
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
