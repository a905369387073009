"""PDF layer on pdfplumber: pages → blocks in reading order, tables stitched across pages.

What it does, in order, and why:
1. Open the file defensively: a non-PDF, a truncated or corrupt file, an encrypted file without
   its password and a file with no text (not even by OCR) each raise one ``InputError`` saying so.
   Scanned pages (no text layer, or one without words) are read by OCR (``miner.read.ocr``),
   which gives them the characters and rules a text page has, so every later step is the same.
2. Per page: ruled tables (``miner.read.tables``); a lone ruled cell is a frame, kept as a ``box``
   block (sidebars, metadata boxes); words outside tables and frames grouped into lines.
3. Running headers and footers (the same text, digits aside, in the top or bottom band of most
   pages; on OCR'd pages nearly the same letters) and page numbers are dropped.
4. Reading order by column gutters (``miner.read.reading_order``).
5. Lines become blocks (heading, paragraph, list item, caption) by font size, weight and spacing;
   line-end hyphenation is undone with the document's own vocabulary (see ``miner.nlp.text``).
6. Table fragments that continue on the next page become one ``Table`` (``miner.read.tables``).
7. Every word is kept with its box (and OCR confidence), so a fact can be located in its cell
   (:meth:`PdfDocument.locate`).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from miner.errors import InputError
from miner.nlp.text import PAGE_NUMBER, join_lines, normalise_chars, squash, without_broken_pieces, word_set
from miner.nlp.wordforms import DocumentWords
from miner.read.files import sha256_file
from miner.read.ocr import OcrSettings
from miner.read.reading_order import Item, Line, order_page
from miner.read.tables import (
    Fragment,
    TableSettings,
    TableStitcher,
    closing_edges,
    colour_hex,
    read_fragment,
    table_text,
)
from miner.read.unruled import Carry, UnruledSettings, find_unruled
from miner.read.words import stretched_gaps, text_options
from miner.records import BBox, Block, OcrInfo, OcrPageInfo, SourceInfo
from miner.settings import check_fields, nested, resolve_settings, setting

__all__ = ["LayoutSettings", "PdfDocument", "PageWord", "ReadOptions", "read_pdf", "quiet_libraries"]

PageWord = tuple[str, BBox, "float | None"]
"""A word of a page: text, box, and the OCR's confidence (0-100; None from a text layer)."""


@dataclass(frozen=True)
class LayoutSettings:
    """Layout heuristics of the PDF reader; its tables' settings are sections of their own."""

    margin_band: float = setting(
        0.1, "Running headers and footers sit in a band this tall (share of the page height) at the top and bottom."
    )
    running_share: float = setting(
        0.5, "Text seen in the band on at least this share of the pages with text is a running header or footer."
    )
    column_word_gap: float = setting(
        1.8, "Words further apart than this many font sizes on one baseline belong to different columns."
    )
    min_gutter: float = setting(6.0, "A gutter narrower than this (points) does not split columns.")
    min_column_lines: int = setting(
        3, "A gutter needs this many lines on each side, so a numbered heading is not two columns."
    )
    max_crossing_share: float = setting(
        0.25, "At most this share of a page's items may cross a gutter (titles, figures, full-width tables)."
    )
    running_similarity: float = setting(
        0.85, "On OCR'd pages a band line this similar (letters only, difflib ratio) to a running header is one."
    )
    paragraph_gap: float = setting(
        0.55, "A vertical gap of more than this many font sizes starts a new paragraph (single spacing)."
    )
    paragraph_extra: float = setting(
        0.35,
        "A gap past the document's usual gap for that size by this many font sizes starts one too, so 1.5 or "
        "double spacing keeps paragraphs whole.",
    )
    furniture_size_ratio: float = setting(
        0.95,
        "Text smaller than the body by this ratio between two parts of a table is page furniture (word "
        "processors set footnotes 1-2 points smaller): the table goes on.",
    )
    heading_size_ratio: float = setting(1.15, "Text this much larger than the body size (ratio) is a heading.")
    max_pages: int = setting(
        2000, "A file of more pages is refused as too large: evaluation reports run to a few hundred."
    )
    baseline_tolerance: float = setting(
        0.35, "Words whose tops differ by at most this many font sizes sit on one line (accents, mixed fonts)."
    )
    baseline_min_points: float = setting(
        2.0, "That tolerance is at least this many points, so small print is not cut into one line a word."
    )
    bold_share: float = setting(0.6, "A line is bold when more than this share of its letters are in a bold face.")
    style_size_step: float = setting(
        0.6, "Lines whose font sizes differ by less than this many points are in one style (producers round sizes)."
    )
    line_overlap: float = setting(
        0.5, "Consecutive lines of one paragraph may overlap vertically by this many font sizes (tight leading)."
    )
    recurring_gap_share: float = setting(
        0.05,
        "A line gap recurs (is the paragraph's own) when at least this share of the line pairs, two at least, has it.",
    )
    figure_min_area: float = setting(
        0.02, "An image covering at least this share of the page is a figure; smaller ones are marks and bullets."
    )
    top_heading_ratio: float = setting(
        1.5, "An unnumbered heading this much larger than the body (ratio) is of level 1, else of level 2."
    )
    heading_max_chars: int = setting(200, "A bold line of body size is a heading only when shorter than this.")
    caption_max_chars: int = setting(300, 'A caption ("Tableau 2 : ...") is shorter than this.')
    gutter_search_margin: float = setting(
        0.15,
        "Gutters are looked for away from a region's edges, this share of its width each side: an indent is no column.",
    )
    min_region_gutters: float = setting(
        4.0, "A region narrower than this many minimal gutters (min_gutter) holds no columns."
    )
    tables: TableSettings = nested(
        TableSettings, "Ruled tables: finder strategy, stitching across pages, frames (miner.read.tables)."
    )
    unruled: UnruledSettings = nested(
        UnruledSettings, "Tables without full ruling: header row, gutters, rows (miner.read.unruled)."
    )

    def __post_init__(self) -> None:
        check_fields(self)

    resolve = classmethod(resolve_settings)


@dataclass
class PdfDocument:
    source: SourceInfo
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)
    page_texts: dict[int, str] = field(default_factory=dict)
    # every page part of every table, with the index of its table's block (for --explain)
    fragments: list[tuple[Fragment, int]] = field(default_factory=list)
    words: dict[int, list[PageWord]] = field(default_factory=dict)
    """Every word of every page (tables included), for locating facts and their confidence."""
    low_confidence: float = 0.0
    """A fact whose OCR'd words' mean confidence is under this is flagged (0 without OCR)."""
    swatches: dict[int, list[tuple[BBox, str]]] = field(default_factory=dict)
    """Small coloured marks in running text per page (box, #rrggbb): a colour legend set as a line."""

    def locate(self, parts: list[tuple[int, BBox]], text: str) -> tuple[list[tuple[int, BBox]], float | None]:
        """Where a quote lies inside page regions (a cell on each of its pages): the box of its
        words on each page, and their mean OCR confidence (None for a text layer).

        The quote's words are aligned with the region's words (``difflib``), so a cell holding
        several constats gives each its own lines; words re-joined across a line end simply do
        not align.

        >>> doc = PdfDocument(SourceInfo(path="x.pdf", sha256="0", pages=1), [], words={1: [
        ...     ("Constat", (10, 10, 40, 20), 90.0), ("1", (42, 10, 45, 20), 90.0), ("Un", (10, 22, 20, 32), 60.0),
        ...     ("Constat", (10, 34, 40, 44), 95.0), ("2", (42, 34, 45, 44), 95.0), ("Deux", (10, 46, 30, 56), 95.0)]})
        >>> doc.locate([(1, (0, 0, 100, 100))], "Un")
        ([(1, (10, 22, 20, 32))], 60.0)
        """
        from difflib import SequenceMatcher

        wanted = [_token(t) for t in text.split()]
        found: list[tuple[int, BBox]] = []
        weighted, letters = 0.0, 0
        for page, region in parts:
            inside = sorted(
                (w for w in self.words.get(page, []) if _centre_in(w[1], region)), key=lambda w: (w[1][1], w[1][0])
            )
            if not inside or not wanted:
                continue
            matcher = SequenceMatcher(None, [_token(w[0]) for w in inside], wanted, autojunk=False)
            blocks = [b for b in matcher.get_matching_blocks() if b.size >= min(2, len(wanted))]
            if not blocks:
                continue
            span = inside[blocks[0].a : blocks[-1].a + blocks[-1].size]
            found.append((page, (
                round(min(w[1][0] for w in span), 2), round(min(w[1][1] for w in span), 2),
                round(max(w[1][2] for w in span), 2), round(max(w[1][3] for w in span), 2),
            )))  # fmt: skip
            for word in span:
                if word[2] is not None:
                    weighted += word[2] * len(word[0])
                    letters += len(word[0])
        return found, (round(weighted / letters, 1) if letters else None)


def _token(text: str) -> str:
    return text.strip(".,;:!?()«»\"'’").casefold()


def _centre_in(box: BBox, region: BBox) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def _open(path: Path, password: str | None) -> Any:
    """Open with pdfplumber, turning the many ways a PDF can be bad into one clear reason."""

    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a folder, not a PDF file")
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if not head:
        raise InputError(path, "empty file (0 bytes)")
    if b"%PDF-" not in head:
        raise InputError(path, "not a PDF file (no %PDF header)")
    import pdfplumber  # here: a run whose files were all read before (cache keys, settings) never loads it
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path, password=password or "")
        pages = pdf.pages  # forces the page tree to be read
    except Exception as exc:  # pdfminer raises plain TypeError, KeyError, ... on broken files
        cause = _root_cause(exc)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "Password" in type(cause).__name__:
            if password:
                raise InputError(path, "encrypted PDF; the password given is wrong") from exc
            raise InputError(path, "encrypted PDF; give its password with --password") from exc
        raise _unreadable(path, exc) from exc
    if not pages:
        pdf.close()
        raise InputError(path, "PDF has no pages")
    return pdf


def _unreadable(path: Path, exc: BaseException) -> InputError:
    """One reason for a file pdfminer could not read: too large (memory) or corrupt."""

    from pdfminer.pdfparser import PDFSyntaxError

    cause = _root_cause(exc)
    if isinstance(cause, MemoryError) or "allocate" in str(cause):
        return InputError(path, "too large: its content needs more memory than allowed (decompression bomb?)")
    detail = str(cause) if isinstance(cause, PDFSyntaxError) else f"{type(cause).__name__}: {cause}"
    return InputError(path, f"corrupt or truncated PDF ({detail.strip()[:300] or 'unreadable'})")


def _root_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's errors (PdfminerException(original)); find the original."""
    seen = 0
    while seen < 5:
        seen += 1
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__
        if inner is None:
            break
        exc = inner
    return exc


class ReadOptions(TypedDict, total=False):
    """The keywords of :func:`read_pdf`, for the stages that read a PDF and pass them on as they are
    (``**options: Unpack[ReadOptions]``: one list of how a PDF is read, not one per stage)."""

    password: str | None
    layout: LayoutSettings | dict[str, Any] | None
    """Layout settings, or overrides of their defaults (``miner settings layout``)."""
    ocr: OcrSettings | dict[str, Any] | str | None
    """OCR settings, or a mode (auto by default)."""


def read_pdf(
    path: str | Path,
    *,
    password: str | None = None,
    layout: LayoutSettings | dict[str, Any] | None = None,
    ocr: OcrSettings | dict[str, Any] | str | None = None,
) -> PdfDocument:
    """Read a PDF into blocks in reading order, scanned pages through OCR (see :class:`ReadOptions`).
    Raises ``InputError`` for unusable files."""
    with quiet_libraries():
        return _read_pdf(Path(path), password, LayoutSettings.resolve(layout), OcrSettings.resolve(ocr))


@contextmanager
def quiet_libraries() -> Iterator[None]:
    """Keep the libraries' own chatter (pdfminer's log of repairs, numpy's RuntimeWarnings on an
    empty image band) off the user's terminal: what matters reaches the user as our one-line
    reason or as a warning of the record.

    >>> import logging, warnings
    >>> with quiet_libraries():
    ...     warnings.warn("Mean of empty slice", RuntimeWarning)
    ...     logging.getLogger("pdfminer.pdfpage").error("CropBox missing")
    """
    logger = logging.getLogger("pdfminer")
    saved = (logger.level, logger.propagate, list(logger.handlers))
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    logger.handlers = [logging.NullHandler()]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]


def _read_pdf(path: Path, password: str | None, cfg: LayoutSettings, ocr_cfg: OcrSettings) -> PdfDocument:
    pdf = _open(path, password)
    warnings: list[str] = []
    try:
        if len(pdf.pages) > cfg.max_pages:
            raise InputError(path, f"too large: {len(pdf.pages)} pages (limit {cfg.max_pages})")
        try:
            ocr_info, ocr_words = _ocr(path, pdf, password, ocr_cfg, warnings)
            pages = []
            carry: Carry | None = None
            for page in pdf.pages:
                read, carry = _read_page(page, cfg, carry, ocr_words.get(page.page_number))
                pages.append(read)
        except InputError:
            raise
        except Exception as exc:  # a page that pdfminer cannot interpret spoils the file
            raise _unreadable(path, exc) from exc
        metadata = pdf.metadata or {}
    finally:
        pdf.close()
    with_text = [p for p in pages if p.lines or p.fragments]
    if not with_text:
        if any(p.has_images for p in pages) and ocr_cfg.mode == "never":
            raise InputError(path, "no text layer; OCR needed (--ocr auto)")
        if any(p.has_images for p in pages):
            raise InputError(path, "no text layer, and OCR found no text in its images")
        raise InputError(path, "no text found in the PDF")
    for page in pages:
        if not page.lines and not page.fragments and page.has_images and ocr_cfg.mode == "never":
            warnings.append(f"page {page.number}: no text layer; OCR needed (--ocr auto)")
    _drop_running_lines(pages, cfg, fuzzy=ocr_info is not None)
    vocabulary = _document_words(pages)
    blocks: list[Block] = []
    parts: list[tuple[Fragment, int]] = []
    stitcher: TableStitcher | None = None
    body = _body_size(pages)
    limit = _gap_limit(pages, body, cfg)
    furniture_size = cfg.furniture_size_ratio * body
    between: list[int] = []  # furniture blocks met since the open table's last fragment
    for page in pages:
        for frag in page.fragments:
            # the top of the page's text, furniture (small print, logos) left out
            tops = [l.top for l in page.lines if l.size >= furniture_size] + [b.top for b in page.boxes]
            tops += [f.bbox[1] for f in page.fragments]
            frag.text_top = min(tops, default=frag.bbox[1])
        items = order_page(page.number, page.lines, page.fragments, page.boxes + page.figures, cfg, limit)
        for group in _group_items(items, cfg, limit):
            if group[0].kind == "table":
                frag = group[0].fragment
                assert frag is not None
                if stitcher is not None and stitcher.continues(frag):
                    stitcher.add(frag)
                    parts.append((frag, parts[-1][1]))
                    for index in between:
                        if blocks[index].kind != "figure":
                            blocks[index] = blocks[index].model_copy(update={"kind": "margin", "level": None})
                else:
                    stitcher = TableStitcher(
                        frag, vocabulary, cfg.tables, margin_band=cfg.margin_band, fuzzy=ocr_info is not None
                    )
                    blocks.append(
                        Block(
                            kind="table",
                            page=frag.page,
                            bbox=frag.bbox,
                            text="",
                            table=stitcher.table,
                            column=group[0].column,
                        )
                    )
                    parts.append((frag, len(blocks) - 1))
                between = []
                continue
            block = _make_block(group, body, vocabulary, cfg)
            if block is not None and blocks and _continues_frame(blocks[-1], block):
                blocks[-1] = _join_frames(blocks[-1], block)
            elif block is not None and blocks and _continues_paragraph(blocks[-1], block):
                blocks[-1] = blocks[-1].model_copy(
                    update={"text": join_lines([blocks[-1].text, block.text], vocabulary)}
                )
            elif block is not None:
                blocks.append(block)
                if stitcher is not None and _is_furniture(group, furniture_size):
                    between.append(len(blocks) - 1)
                else:
                    stitcher = None

    for block in blocks:
        if block.kind == "table" and block.table is not None:
            block.text = table_text(block.table)
    source = SourceInfo(
        path=str(path),
        sha256=sha256_file(path),
        pages=len(pages),
        title=(metadata.get("Title") or None) if isinstance(metadata.get("Title"), str) else None,
        producer=metadata.get("Producer") if isinstance(metadata.get("Producer"), str) else None,
        ocr=ocr_info,
    )
    page_texts = {p.number: "\n".join(line.text for line in p.lines) for p in pages}
    words = {p.number: p.words for p in pages}
    return PdfDocument(
        source=source,
        blocks=blocks,
        warnings=warnings,
        page_texts=page_texts,
        words=words,
        fragments=parts,
        low_confidence=ocr_cfg.low_confidence if ocr_info else 0.0,
        swatches={p.number: p.swatches for p in pages if p.swatches},
    )


def _ocr(
    path: Path, pdf: Any, password: str | None, cfg: OcrSettings, warnings: list[str]
) -> tuple[OcrInfo | None, dict[int, list[PageWord]]]:
    """OCR the pages that need it and give them the OCR's objects; (provenance, words by page)."""
    from miner.read.ocr import apply_objects, engine_info, needs_ocr, recognise_pages

    todo = [page for page in pdf.pages if needs_ocr(page, cfg)]
    if not todo:
        return None, {}
    if cfg.language == "auto":
        results, cfg = _recognise_in_its_language(path, pdf, todo, cfg, password)
    else:
        results = recognise_pages(path, todo, cfg, password=password)
    engine, version, _folder = engine_info(cfg.language)
    info = OcrInfo(engine=engine, version=version, language=cfg.language, pages=[])
    words: dict[int, list[PageWord]] = {}
    for page in todo:
        result = results[page.page_number]
        apply_objects(page, result)
        warnings.extend(result.warnings)
        words[page.page_number] = [((w.text), (w.x0, w.top, w.x1, w.bottom), w.confidence) for w in result.words]
        info.pages.append(
            OcrPageInfo(
                page=page.page_number,
                words=len(result.words),
                confidence=result.mean_confidence,
                skew=result.skew,
                dpi=result.dpi,
            )
        )
    return info, words


def _recognise_in_its_language(
    path: Path, pdf: Any, todo: list[Any], cfg: OcrSettings, password: str | None
) -> tuple[dict[int, Any], OcrSettings]:
    """OCR in the report's own language: the language of the text layer the document has, else
    of the first scanned page read as French (the Latin letters of the other languages read well
    enough to count their function words); a report in another language with a lexicon is read
    (again) with that language's Tesseract data when it is installed."""
    from dataclasses import replace

    from miner.data.lexicon import detect_language, lexicon
    from miner.read.ocr import recognise_pages, tessdata_folder

    french = replace(cfg, language=lexicon("fr").tesseract)
    layer = "\n".join(page.extract_text() or "" for page in pdf.pages if page not in todo)
    language = detect_language(layer)
    results: dict[int, Any] = {}
    if language is None:
        results = recognise_pages(path, todo[:1], french, password=password, total=len(todo))
        language = detect_language(" ".join(w.text for r in results.values() for w in r.words)) or "fr"
    chosen = replace(cfg, language=lexicon(language).tesseract)
    if tessdata_folder(chosen.language) is None:
        chosen = french  # that language's data is not installed: French reads the letters still
    if chosen.language != french.language:
        results = {}
    rest = [page for page in todo if page.page_number not in results]
    if rest:
        results.update(
            recognise_pages(path, rest, chosen, password=password, done_before=len(results), total=len(todo))
        )
    return results, chosen


# ---------------------------------------------------------------------------------------------
# One page


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    fragments: list[Fragment]
    boxes: list[Item]
    figures: list[Item]
    has_images: bool
    words: list[PageWord] = field(default_factory=list)
    swatches: list[tuple[BBox, str]] = field(default_factory=list)


def _read_page(
    page: Any, cfg: LayoutSettings, carry: Carry | None, ocr_words: list[PageWord] | None = None
) -> tuple[_Page, Carry | None]:
    """One page's ruled and unruled tables, frames, lines and figures; ``carry`` brings the column
    edges of an unruled table left open at the foot of the previous page."""
    number = page.page_number
    settings = dict(cfg.tables.finder)
    closing = closing_edges(page)
    if closing:
        settings["explicit_horizontal_lines"] = closing
    finder = page.debug_tablefinder(settings)
    rules = _rule_boxes(page, cfg)
    spacing = text_options(page.chars)
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False, use_text_flow=False, **spacing)
    # text drawn off the page is invisible, and its coordinates (fuzzed files: 1e12) would blow up
    # the column search, which scans the page width
    words = [w for w in words if _inside(w, page.bbox)]
    grids = [
        t for t in finder.tables
        if t.rows and max(len(r.cells) for r in t.rows) >= 2 and not _vertical_only(t, page, rules) and not _white_rows(t, words, cfg)
    ]  # fmt: skip
    drawn = [t.bbox for t in grids if any(_overlaps(t.bbox, r, 0.0) for r in rules)]
    unruled, carry = find_unruled(page, words, drawn, carry, cfg.margin_band, cfg.unruled)
    regions = [u.region for u in unruled]
    fragments: list[Fragment] = [u.fragment for u in unruled]
    boxes: list[Item] = []
    covered: list[BBox] = list(regions)
    for table in grids:
        if any(_overlaps(table.bbox, region) for region in regions):
            continue  # shading bands that only looked like a grid: the unruled reader has them
        fragments.append(read_fragment(page, table, number, words))
        covered.append(table.bbox)
    # pdfplumber keeps only multi-cell tables; a lone ruled cell holding text is a frame (a box)
    for cell in finder.cells:
        if any(_contains(box, cell) or _overlaps(cell, box) for box in covered):
            continue
        x0, top, x1, bottom = cell
        if x1 - x0 < cfg.tables.min_frame_size or bottom - top < cfg.tables.min_frame_size:
            continue
        text = page.crop(_clip(cell, page)).extract_text(**spacing)
        if text.strip():
            boxes.append(Item("box", x0, top, x1, bottom, text=normalise_chars(text), page=number))
            covered.append(cell)
    all_words: list[PageWord] = (
        ocr_words
        if ocr_words is not None
        else [(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]), None) for w in words]
    )
    fragments.sort(key=lambda f: f.bbox[1])
    words = [w for w in words if not any(_inside(w, box) for box in covered)]
    lines = _lines(words, number, cfg)
    figures = [
        Item("figure", img["x0"], img["top"], img["x1"], img["bottom"], page=number)
        for img in page.images
        if (img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) > cfg.figure_min_area * page.width * page.height
    ]
    return _Page(
        number,
        page.width,
        page.height,
        lines,
        fragments,
        boxes,
        figures,
        bool(page.images) or ocr_words is not None,
        all_words,
        _swatches(page),
    ), carry


# A colour swatch is a small filled square (or a symbol glyph) of at most this many points a side;
# larger filled areas are shaded cells, bands or figures.
MAX_SWATCH = 20.0


def _swatches(page: Any) -> list[tuple[BBox, str]]:
    """Small coloured marks set in running text: a symbol glyph printed in a colour ("■ Atteint")
    or a filled square drawn beside a word. A legend line pairs them with the scale's words."""
    out: list[tuple[BBox, str]] = []
    plain = (None, "#000000", "#ffffff")
    for char in page.chars:
        text = char.get("text", "")
        if not text.strip() or text.isalnum() or text in ".,;:!?()[]'\"’«»-–—/":
            continue
        colour = colour_hex(char.get("non_stroking_color"))
        if colour not in plain:
            out.append(((char["x0"], char["top"], char["x1"], char["bottom"]), colour))  # type: ignore[arg-type]
    for rect in page.rects:
        width, height = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
        if not rect.get("fill") or not (1.0 < width <= MAX_SWATCH and 1.0 < height <= MAX_SWATCH):
            continue
        colour = colour_hex(rect.get("non_stroking_color"))
        if colour not in plain and max(width, height) <= 3 * min(width, height):
            out.append(((rect["x0"], rect["top"], rect["x1"], rect["bottom"]), colour))  # type: ignore[arg-type]
    return out


# A horizontal rule piece at least this long (points) under one cell shows a table ruled across
# (the joins of a browser's cell borders leave pieces of a point or two).
MIN_RULE_PIECE = 8.0


def _vertical_only(table: Any, page: Any, rules: list[BBox]) -> bool:
    """A "grid" ruled only by its column rules (no horizontal rule drawn across it, not even at its
    top or bottom, which only the rules' ends close): its rows are separated by white space, which
    the unruled reader finds; read as a grid it would be one row. (A part of a ruled table cut by a
    page break has a drawn rule at one end at least.) The edges of shaded cells (a judgement
    given by its colour) are no rules: rows found only from them are not the table's."""
    x0, top, x1, bottom = table.bbox
    inside = [
        e for e in page.edges
        # browsers draw borders cell by cell: any piece of a rule under a cell counts
        if e["orientation"] == "h" and top - 2 <= e["top"] <= bottom + 2 and min(e["x1"], x1) - max(e["x0"], x0) > MIN_RULE_PIECE
    ]  # fmt: skip
    drawn = [
        e
        for e in inside
        if any(r[1] <= e["top"] <= r[3] and min(e["x1"], r[2]) - max(e["x0"], r[0]) > MIN_RULE_PIECE for r in rules)
    ]
    if drawn or (len(table.rows) > 2 and len(drawn) == len(inside)):
        return False
    verticals = [
        e
        for e in page.edges
        if e["orientation"] == "v" and x0 + 2 < e["x0"] < x1 - 2 and e["top"] < bottom and e["bottom"] > top
    ]
    return bool(verticals)


def _white_rows(table: Any, words: list[dict[str, Any]], cfg: LayoutSettings) -> bool:
    """A ruled row holding several of the table's rows set apart by white space only (a frame with
    column rules and a ruled header, its body rows unruled): below the row's first line, half the
    filled columns or more (two at least) open a block of text at one height (a line after a gap
    wider than the paragraph gap and than the table's own line gap by ``paragraph_extra``: double
    spacing is no row; a cell's vertical alignment or OCR jitter moves its first line by less). Such a table is the unruled reader's, which finds rows from the text; read as a grid it
    is one row."""
    rows = []  # per ruled row, per cell: its lines as (top, bottom, size)
    tx0, ttop, tx1, tbottom = table.bbox
    ordered = sorted(
        (w for w in words if tx0 <= w["x0"] and w["x1"] <= tx1 and ttop <= w["top"] and w["bottom"] <= tbottom),
        key=lambda w: w["top"],
    )
    for row in table.rows:
        cells = []
        for x0, top, x1, bottom in (c for c in row.cells if c is not None):
            lines: list[tuple[float, float, float]] = []
            for w in ordered:
                if not (x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom):
                    continue
                if lines and w["top"] - lines[-1][0] <= cfg.baseline_tolerance * w["size"]:
                    lines[-1] = (lines[-1][0], max(lines[-1][1], w["bottom"]), lines[-1][2])
                else:
                    lines.append((w["top"], w["bottom"], w["size"]))
            cells.append(lines)
        rows.append(cells)
    gaps = [(b[0] - a[1]) / max(b[2], 1.0) for cells in rows for lines in cells for a, b in zip(lines, lines[1:])]
    if not gaps:
        return False
    limit = max(cfg.paragraph_gap, min(gaps) + cfg.paragraph_extra)
    same = cfg.baseline_min_points  # tops within it: one baseline
    for cells in rows:
        filled = sum(1 for lines in cells if lines)
        if filled < 2:
            continue
        # blocks opening below the row's first line, grouped by height: a cell's first line is the
        # ruled row's own start unless it lies a line and a paragraph gap below the row's top (a
        # cell's vertical alignment or an OCR'd line moves it by less)
        top = min(lines[0][0] for lines in cells if lines)
        starts = sorted(
            [b[0] for lines in cells for a, b in zip(lines, lines[1:]) if (b[0] - a[1]) / max(b[2], 1.0) > limit]
            + [lines[0][0] for lines in cells if lines and (lines[0][0] - top) / max(lines[0][2], 1.0) > 1 + limit]
        )
        groups: list[list[float]] = []
        for start in starts:
            if groups and start - groups[-1][-1] <= same:
                groups[-1].append(start)
            else:
                groups.append([start])
        if any(len(group) >= max(2, (filled + 1) // 2) for group in groups):
            return True
    return False


def _overlaps(a: BBox, b: BBox, by: float = 1.0) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) >= by and min(a[3], b[3]) - max(a[1], b[1]) >= by


def _rule_boxes(page: Any, cfg: LayoutSettings) -> list[BBox]:
    """Boxes of what draws rules: lines, stroked rectangles and thin filled ones (browsers draw
    borders as thin rectangles). A grid made only of wide filled rectangles is shading."""
    out: list[BBox] = [(l["x0"], l["top"] - 0.5, l["x1"], l["bottom"] + 0.5) for l in page.lines]
    for rect in page.rects:
        if rect.get("stroke") or min(rect["width"], rect["height"]) <= cfg.tables.max_rule_width:
            out.append((rect["x0"] - 0.5, rect["top"] - 0.5, rect["x1"] + 0.5, rect["bottom"] + 0.5))
    return out


def _contains(outer: BBox, inner: BBox) -> bool:
    return (
        outer[0] - 1 <= inner[0] and outer[1] - 1 <= inner[1] and inner[2] <= outer[2] + 1 and inner[3] <= outer[3] + 1
    )


def _clip(box: BBox, page: Any) -> BBox:
    x0, top, x1, bottom = page.bbox
    return (max(box[0], x0), max(box[1], top), min(box[2], x1), min(box[3], bottom))


def _inside(word: dict[str, Any], box: BBox) -> bool:
    cx = (word["x0"] + word["x1"]) / 2
    cy = (word["top"] + word["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _lines(words: list[dict[str, Any]], number: int, cfg: LayoutSettings) -> list[Line]:
    """Group words on one baseline into lines, splitting where the gap says 'another column'."""
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict[str, Any]]] = []
    for word in words:
        if rows:
            last = rows[-1][-1]
            tolerance = max(cfg.baseline_min_points, cfg.baseline_tolerance * word["size"])
            near = (
                abs(word["top"] - rows[-1][0]["top"]) <= tolerance or abs(word["bottom"] - last["bottom"]) <= tolerance
            )
            if near and not _stacked(word, rows[-1]):
                rows[-1].append(word)
                continue
        rows.append([word])
    lines: list[Line] = []
    for number_in_page, row in enumerate(rows):
        row.sort(key=lambda w: w["x0"])
        justified = stretched_gaps(row)  # a narrow column's line spread wide is one line still
        # the words of the next few baselines (the other column's lines may come between)
        below = sorted(
            (w for later in rows[number_in_page + 1 : number_in_page + 4] for w in later), key=lambda w: w["x0"]
        )
        run: list[dict[str, Any]] = [row[0]]
        spaces: list[float] = []  # wide gaps found to be word spaces: a justified line's are all alike
        for index, word in enumerate(row[1:]):
            gap = word["x0"] - run[-1]["x1"]
            wide = gap > cfg.column_word_gap * max(word["size"], run[-1]["size"])
            if wide and (
                index in justified or any(abs(gap - s) <= SAME_POINT for s in spaces) or _bridged(run, word, below)
            ):
                spaces.append(gap)
                wide = False
            if wide:
                lines.append(_make_line(run, number, cfg))
                run = [word]
            else:
                run.append(word)
        lines.append(_make_line(run, number, cfg))
    return lines


def _bridged(run: list[dict[str, Any]], word: dict[str, Any], below: list[dict[str, Any]]) -> bool:
    """Whether a wide gap between ``run`` and ``word`` is the word space of a justified line with
    few words (a wrapped sub-heading's first line: "1.2" ... "Reconnaissance"): the next line, one
    line space below, starts where the run starts and has a word of the same style under the start
    of the word after the gap. Under a gutter's far side, only the other column's words are, and
    they start where it starts (within a point: OCR'd columns are not aligned to the pixel)."""
    first, left = run[0], run[-1]
    size = max(word["size"], left["size"])
    bottom = max(w["bottom"] for w in run)
    below = [w for w in below if 0 <= w["top"] - bottom <= size]
    if not below or not any(abs(w["x0"] - first["x0"]) <= SAME_POINT for w in below):
        return False
    style = {(round(w["size"]), _is_bold(w["fontname"])) for w in (left, word)}
    if len(style) != 1:
        return False
    return any(
        w["x0"] + SAME_POINT < word["x0"] < w["x1"] and (round(w["size"]), _is_bold(w["fontname"])) in style
        for w in below
    )


def _stacked(word: dict[str, Any], row: list[dict[str, Any]]) -> bool:
    """Whether ``word`` sits under or over a word of ``row`` (they share some of their width at
    another height): the next line of the same column, which a taller line of the other column
    (a title beside a paragraph) must not chain into this one. Words of one line never share width."""
    return any(
        min(w["x1"], word["x1"]) - max(w["x0"], word["x0"]) > SAME_POINT and abs(w["top"] - word["top"]) > SAME_POINT
        for w in row
    )


# Two positions closer than this (points) are one: producers round coordinates.
SAME_POINT = 1.0


def _make_line(words: list[dict[str, Any]], number: int, cfg: LayoutSettings) -> Line:
    sizes = Counter(round(w["size"], 1) for w in words)
    bold = sum(len(w["text"]) for w in words if _is_bold(w["fontname"])) > cfg.bold_share * sum(
        len(w["text"]) for w in words
    )
    return Line(
        text=normalise_chars(" ".join(w["text"] for w in words)),
        x0=min(w["x0"] for w in words),
        top=min(w["top"] for w in words),
        x1=max(w["x1"] for w in words),
        bottom=max(w["bottom"] for w in words),
        size=sizes.most_common(1)[0][0],
        bold=bold,
        page=number,
    )


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(mark in name for mark in ("bold", "black", "heavy", "semibold", "demi"))


# ---------------------------------------------------------------------------------------------
# Running headers and footers

_PAGE_NUMBER = PAGE_NUMBER


def _band_key(text: str) -> str:
    return re.sub(r"\d+", "#", squash(text).casefold())


def _letters(key: str) -> str:
    return "".join(c for c in key if c.isalpha())


def _is_running(key: str, running: set[str], similarity: float) -> bool:
    """A band line repeats a running header/footer: the same text, or (a scan's OCR varies by a
    letter or a dash from page to page) the same letters to within ``similarity``."""
    if key in running:
        return True
    from difflib import SequenceMatcher

    letters = _letters(key)
    return bool(letters) and any(
        SequenceMatcher(None, letters, _letters(other), autojunk=False).ratio() >= similarity for other in running
    )


def _drop_running_lines(pages: list[_Page], cfg: LayoutSettings, fuzzy: bool = False) -> None:
    """Remove page numbers and lines repeated in the same band (top or bottom) of most pages;
    ``fuzzy`` (OCR'd pages) lets the repeats differ by a misread letter or dash. A line at the foot
    of one page and a like one at the head of the next (two findings worded alike, cut by the page
    break) are body text: a running header repeats at the head, a footer at the foot."""
    counts: Counter[tuple[str, str]] = Counter()
    text_pages = [p for p in pages if p.lines]
    for page in text_pages:
        keys = {(band, _band_key(line.text)) for line in page.lines if (band := _band(line, page, cfg))}
        counts.update(keys)
    threshold = max(2, cfg.running_share * len(text_pages))
    running = {key for key, n in counts.items() if n >= threshold}
    if fuzzy:  # group near-identical OCR readings of one running line before counting them
        groups: list[tuple[tuple[str, str], int]] = []
        for (band, key), n in counts.most_common():
            for index, ((head_band, head), total) in enumerate(groups):
                if head_band == band and _is_running(key, {head}, cfg.running_similarity):
                    groups[index] = ((head_band, head), total + n)
                    break
            else:
                groups.append(((band, key), n))
        running = {head for head, n in groups if n >= threshold}
    by_band = {band: {key for b, key in running if b == band} for band in ("top", "bottom")}
    for page in pages:
        kept = []
        for line in page.lines:
            band = _band(line, page, cfg)
            key = _band_key(line.text)
            repeated = band is not None and (
                _is_running(key, by_band[band], cfg.running_similarity) if fuzzy else key in by_band[band]
            )
            if not (repeated or (band is not None and _PAGE_NUMBER.match(line.text.strip()))):
                kept.append(line)
        page.lines = kept


def _band(line: Line, page: _Page, cfg: LayoutSettings) -> str | None:
    """The margin band a line lies in (top or bottom), or None."""
    if line.bottom <= cfg.margin_band * page.height:
        return "top"
    if line.top >= (1 - cfg.margin_band) * page.height:
        return "bottom"
    return None


# ---------------------------------------------------------------------------------------------
# Lines → blocks


def _body_size(pages: list[_Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


# Bullets, including the symbol-font glyphs word processors map to private-use code points.
# "(cid:N)": a bullet glyph pdfminer could not map to a character (a symbol font's bullet).
_BULLET = re.compile(r"^(?:[•●▪◦‣∙·*−–\-\uf0b7\uf0a7\uf0d8\uf076]|\(cid:\d+\)|\d{1,2}[.)]|[a-z][.)])\s+")
_UNMAPPED_BULLET = re.compile(r"^\(cid:\d+\)")
_CAPTION = re.compile(r"^(?:Figure|Fig\.|Tableau|Table|Graphique|Carte|Source\s*:)\s*", re.I)
_NUMBERED_HEADING = re.compile(r"^\d+(?:\.\d+)*\.?\s+\S")


def _group_items(items: list[Item], cfg: LayoutSettings, limit: Any) -> list[list[Item]]:
    """Consecutive lines of the same style and column, close together, form one group."""
    groups: list[list[Item]] = []
    for item in items:
        if item.kind != "line":
            groups.append([item])
            continue
        line = item.line
        assert line is not None
        if groups and groups[-1][0].kind == "line":
            prev_item = groups[-1][-1]
            prev = prev_item.line
            assert prev is not None
            gap = line.top - prev.bottom
            same_style = abs(line.size - prev.size) < cfg.style_size_step and line.bold == prev.bold
            first = groups[-1][0].line
            assert first is not None
            # a list item's lines stay right of its bullet: a line starting left of it is the next paragraph
            outdented = bool(_BULLET.match(first.text)) and line.x0 < first.x0 - 1.0
            if (
                same_style
                and prev_item.column == item.column
                and -cfg.line_overlap * line.size <= gap <= limit(line.size)
                and not _BULLET.match(line.text)
                and not outdented
            ):
                groups[-1].append(item)
                continue
        groups.append([item])
    return groups


def _gap_limit(pages: list[_Page], body: float, cfg: LayoutSettings) -> Any:
    """The largest gap between two lines of one paragraph, per font size, from the document's
    own spacing: the usual gap between consecutive lines of that size, plus a margin."""
    gaps: dict[float, list[float]] = {}
    for page in pages:
        lines = sorted(page.lines, key=lambda l: l.top)
        for prev, line in zip(lines, lines[1:]):
            gap = line.top - prev.bottom
            if line.size == prev.size and 0 <= gap < 2 * line.size and min(line.x1, prev.x1) > max(line.x0, prev.x0):
                gaps.setdefault(line.size, []).append(gap / line.size)
    usual = {size: _line_gap(values, cfg.recurring_gap_share) for size, values in gaps.items() if len(values) >= 2}
    fallback = usual.get(body, cfg.paragraph_gap - cfg.paragraph_extra)

    def limit(size: float) -> float:
        return max(cfg.paragraph_gap, usual.get(size, fallback) + cfg.paragraph_extra) * size

    return limit


def _line_gap(values: list[float], recurring_share: float) -> float:
    """The gap between two lines of one paragraph: the smallest gap that recurs (paragraph
    breaks are larger, and in a report of short paragraphs they may be the majority)."""
    counts = Counter(round(v * 50) / 50 for v in values)  # gaps to the nearest 0.02 font size
    enough = max(2, int(len(values) * recurring_share))
    recurring = [gap for gap, n in counts.items() if n >= enough]
    return min(recurring) if recurring else min(values)


# A bold block set smaller than the body is still a heading down to this share of the body size
# (LaTeX's \small run-in sub-headings: 9 pt in a 10 pt text); footnote-size bold is not.
SMALL_HEADING = 0.85


def _is_furniture(group: list[Item], furniture_size: float) -> bool:
    """Figures (logos) and small print: what may sit between two page parts of a table."""
    if group[0].kind == "figure":
        return True
    lines = [i.line for i in group if i.line is not None]
    return bool(lines) and max(l.size for l in lines) < furniture_size


def _make_block(group: list[Item], body: float, vocabulary: set[str], cfg: LayoutSettings) -> Block | None:
    first = group[0]
    if first.kind == "box":
        # frames hold label/value lines (metadata boxes): keep their line breaks
        text = "\n".join(join_lines([line], vocabulary) for line in first.text.splitlines() if line.strip())
        return Block(kind="box", page=_page_of(first), bbox=_bbox(group), text=text, column=first.column)
    if first.kind == "figure":
        return Block(kind="figure", page=_page_of(first), bbox=_bbox(group), text="", column=first.column)
    lines = [i.line for i in group if i.line is not None]
    text = join_lines((l.text for l in lines), vocabulary)
    if not text:
        return None
    size = max(l.size for l in lines)
    bold = all(l.bold for l in lines)
    kind = "paragraph"
    level = None
    sentence = text.endswith(".") and len(text.split()) > 3  # headings do not end with a full stop
    if not sentence and (
        size >= cfg.heading_size_ratio * body
        or (bold and len(text) < cfg.heading_max_chars and size >= SMALL_HEADING * body)
    ):
        kind = "heading"
        numbering = re.match(r"^(\d+(?:\.\d+)*)\.?\s", text)
        level = (
            numbering.group(1).count(".") + 1
            if numbering
            else (1 if size >= cfg.top_heading_ratio * body else 2 if size >= body else 3)
        )
    elif _CAPTION.match(text) and len(text) < cfg.caption_max_chars:
        kind = "caption"
    elif _BULLET.match(text):
        kind = "list_item"
        text = _UNMAPPED_BULLET.sub("•", text, count=1)  # a symbol font's bullet pdfminer could not name
    return Block(kind=kind, page=lines[0].page, bbox=_bbox(group), text=text, level=level, column=first.column)


def _continues_frame(prev: Block, block: Block) -> bool:
    """A frame that ends one column and one that opens the next are one frame flowed on."""
    return prev.kind == block.kind == "box" and prev.page == block.page and prev.column != block.column


def _continues_paragraph(prev: Block, block: Block) -> bool:
    """A paragraph cut by a column or page break: the part that opens the next column does not
    start a sentence (lower case, or a figure after a part ending on a word) and the part before
    did not end one. A heading cut so goes on in a heading of its level opening in lower case."""
    heading = prev.kind == block.kind == "heading" and prev.level == block.level
    if not heading and (prev.kind not in ("paragraph", "list_item") or block.kind != "paragraph"):
        return False
    if prev.page == block.page and prev.column == block.column:
        return False
    if re.search(r"[.:;!?…»)]\s*$", prev.text):
        return False
    if re.match(r"[^\W\d_]", block.text) and block.text[0].islower():
        return True
    if heading:
        return False
    # a figure opening the next part ("finanzierte / 2023 insgesamt") after a part ending on a word
    return bool(re.match(r"\d", block.text)) and bool(re.search(r"[^\W\d_]$", prev.text))


def _join_frames(prev: Block, block: Block) -> Block:
    bbox = (
        min(prev.bbox[0], block.bbox[0]),
        min(prev.bbox[1], block.bbox[1]),
        max(prev.bbox[2], block.bbox[2]),
        max(prev.bbox[3], block.bbox[3]),
    )
    return prev.model_copy(update={"text": f"{prev.text}\n{block.text}", "bbox": bbox})


def _document_words(pages: list[_Page]) -> DocumentWords:
    """The words the document uses, in the language its function words show (French when they
    show none): what decides a line-end hyphen or a word cut by a narrow column."""
    from miner.data.lexicon import detect_language

    lines = [line.text for page in pages for line in page.lines]
    cells = [
        without_broken_pieces(cell or "")
        for page in pages
        for frag in page.fragments
        for row in frag.rows
        for cell in row
    ]
    return DocumentWords(word_set(lines) | word_set(cells), language=detect_language("\n".join(lines + cells)) or "fr")


def _page_of(item: Item) -> int:
    return item.page


def _bbox(group: list[Item]) -> BBox:
    return (
        round(min(i.x0 for i in group), 2),
        round(min(i.top for i in group), 2),
        round(max(i.x1 for i in group), 2),
        round(max(i.bottom for i in group), 2),
    )
