"""Ruled tables: page fragments read from pdfplumber's cells, then stitched across pages.

A report's table breaks across pages: the header rows may be repeated, a row may be cut by the
page boundary, and a cell may be merged over several rows. ``Fragment`` is one page's part as
read; ``TableStitcher`` builds one logical ``Table`` from consecutive fragments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from miner.nlp.text import FORCED_BREAK, join_lines, normalise_chars, squash
from miner.read.words import text_options
from miner.records import BBox, Table, TableCell, TableRow
from miner.settings import check_fields, resolve_settings, setting

__all__ = ["TableSettings", "Fragment", "read_fragment", "closing_edges", "TableStitcher", "table_text", "colour_hex"]


@dataclass(frozen=True)
class TableSettings:
    """Heuristics of ruled tables and of their stitching across pages."""

    continue_slack: float = setting(
        90.0, "A fragment ending this close (points) above the bottom band may continue on the next page."
    )
    column_tolerance: float = setting(6.0, "Column edges of two fragments of one table agree within this many points.")
    repeat_similarity: float = setting(
        0.9, "On OCR'd pages a row this similar (difflib ratio) to a header row repeats it on a new page."
    )
    min_frame_size: float = setting(
        8.0, "A lone ruled cell smaller than this (points, either side) is decoration, not a frame."
    )
    max_rule_width: float = setting(
        2.0, "A filled rectangle at most this thick (points) is a rule, not shading: browsers draw borders so."
    )
    finder: tuple = setting(
        (("vertical_strategy", "lines"), ("horizontal_strategy", "lines")),
        "pdfplumber's table finder reads ruled tables only: report tables are ruled, and unruled text stays text.",
    )

    def __post_init__(self) -> None:
        check_fields(self)

    resolve = classmethod(resolve_settings)


@dataclass
class Fragment:
    """One page's part of a ruled table: rows of cells (None where a merge covers the slot)."""

    page: int
    bbox: BBox
    rows: list[list[str | None]]
    merges: list[list[str | None]]  # per slot: None, "above" or "left"
    col_edges: list[float]
    page_bottom: float
    text_top: float = 0.0
    boxes: list[list[BBox | None]] | None = None  # per slot: the cell's box, None under a merge
    ruled: bool = True  # False: columns from text alignment (miner.read.unruled), outer edges from text
    caption: str | None = None  # a title row read apart from the grid (unruled tables)
    cell_boxes: list[BBox] = field(default_factory=list)
    fills: list[list[str | None]] | None = None  # per slot: the cell's background colour (#rrggbb)
    open_bottom: tuple[int, ...] = ()  # columns whose last cell has no rule under it: merged on into the next page


def closing_edges(page: Any) -> list[dict[str, Any]]:
    """Horizontal rules a table broken by a page boundary lacks: where two or more vertical rules
    stop (or start) at the same height with no horizontal rule there, the renderer left the
    table open at the page edge; close it so its last (first) cells are found."""
    edges = page.edges
    verticals = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 2]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    out: list[dict[str, Any]] = []
    for key, other in (("bottom", "top"), ("top", "bottom")):
        groups: dict[int, list[dict[str, Any]]] = {}
        for edge in verticals:
            groups.setdefault(round(edge[key]), []).append(edge)
        for y, group in groups.items():
            # a rule that goes on past y (drawn row by row, as browsers do) does not leave the
            # table open there: only rules that really end at y count
            group = [e for e in group if not _continued(e, verticals, key, other)]
            if len(group) < 2:
                continue
            x0 = min(e["x0"] for e in group)
            x1 = max(e["x1"] for e in group)
            if any(abs(h["top"] - y) <= 2 and h["x0"] <= x0 + 2 and h["x1"] >= x1 - 2 for h in horizontals):
                continue
            if not _open_cell(sorted(group, key=lambda e: e["x0"]), verticals, horizontals, key, other):
                continue
            out.append(
                {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, "object_type": "line"}
            )
    return out


def _open_cell(
    group: list[dict[str, Any]],
    verticals: list[dict[str, Any]],
    horizontals: list[dict[str, Any]],
    key: str,
    other: str,
) -> bool:
    """Whether two neighbouring rules of ``group`` bound a cell left open at their ``key`` end: no
    rule joins them there, and one does further along them (a row's rule). Boxes side by side at one
    height (two framed tags in two columns) are each closed, and the space between them is no cell."""
    y = group[0][key]
    for left, right in zip(group, group[1:]):
        xa, xb = left["x1"], right["x0"]
        if any(abs(h["top"] - y) <= 2 and h["x0"] <= xa + 2 and h["x1"] >= xb - 2 for h in horizontals):
            continue
        far = min(
            _far_end(left, verticals, key, other), _far_end(right, verticals, key, other), key=lambda v: abs(v - y)
        )
        low, high = sorted((far, y))
        if any(
            low - 2 <= h["top"] <= high + 2 and h["x0"] <= xa + 2 and h["x1"] >= xb - 2
            for h in horizontals
            if abs(h["top"] - y) > 2
        ):
            return True
    return False


def _far_end(edge: dict[str, Any], verticals: list[dict[str, Any]], key: str, other: str) -> float:
    """The other end of a vertical rule drawn in pieces (row by row), followed away from ``key``."""
    end = edge[other]
    while True:
        nxt = [
            v
            for v in verticals
            if abs(v["x0"] - edge["x0"]) <= 2 and abs(v[key] - end) <= 2 and v is not edge and v[other] != end
        ]
        if not nxt:
            return end
        end = min(v[other] for v in nxt) if other == "top" else max(v[other] for v in nxt)


def _continued(edge: dict[str, Any], verticals: list[dict[str, Any]], key: str, other: str) -> bool:
    """Whether another vertical rule at the same x picks up where ``edge`` ends."""
    x, y = edge["x0"], edge[key]
    return any(abs(v["x0"] - x) <= 2 and abs(v[other] - y) <= 2 for v in verticals if v is not edge)


def read_fragment(
    page: Any, table: Any, number: int, words: list[dict[str, Any]] | None = None, ruled: bool = True
) -> Fragment:
    """Rows of cell texts; a None slot is resolved to a vertical (from above) or horizontal merge.
    ``words`` (the page's) let words cut by a narrow column be found; ``ruled``: the cells are
    drawn (their padding is the producer's), not edges set between columns of text."""
    extracted = table.extract(**text_options(page.chars))
    col_edges = sorted({round(c[0], 1) for c in table.cells} | {round(c[2], 1) for c in table.cells})
    merges: list[list[str | None]] = []
    rows_out: list[list[str | None]] = []
    boxes: list[list[BBox | None]] = []
    for r_index, row in enumerate(table.rows):
        texts = extracted[r_index]
        kinds: list[str | None] = []
        out_row: list[str | None] = []
        row_boxes: list[BBox | None] = []
        for c_index, cell in enumerate(row.cells):
            text = texts[c_index] if c_index < len(texts) else None
            row_boxes.append(tuple(round(v, 2) for v in cell) if cell is not None else None)  # type: ignore[misc]
            if cell is not None:
                kinds.append(None)
                out_row.append(_rejoin_forced_breaks(cell, normalise_chars(text or ""), words, ruled))
                continue
            kinds.append(_merge_kind(table, row, c_index))
            out_row.append(None)
        rows_out.append(out_row)
        merges.append(kinds)
        boxes.append(row_boxes)
    fills = [[_fill(page, box) if box is not None else None for box in row] for row in boxes]
    return Fragment(
        number,
        tuple(table.bbox),
        rows_out,
        merges,
        col_edges,
        page.height,
        boxes=boxes,
        cell_boxes=[tuple(round(v, 2) for v in cell) for cell in table.cells],
        fills=fills,
        open_bottom=_open_bottom(page, boxes),
    )  # type: ignore[misc]


def _ruled_below(page: Any, box: BBox) -> bool:
    """Whether a drawn horizontal rule runs under most of a cell's width."""
    width = box[2] - box[0]
    return any(
        e["orientation"] == "h" and abs(e["top"] - box[3]) <= RULE_SLACK
        and min(e["x1"], box[2]) - max(e["x0"], box[0]) >= 0.6 * width
        for e in page.edges
    )  # fmt: skip


# A rule drawn this close (points) to a cell's edge closes it (rules have width, cells are rounded).
RULE_SLACK = 2.0


def _open_bottom(page: Any, boxes: list[list[BBox | None]]) -> tuple[int, ...]:
    """Columns whose last cell is left open while the others are ruled under: a cell merged over
    rows that goes on past the page boundary (a word processor draws no rule there)."""
    if not boxes:
        return ()
    last = boxes[-1]
    ruled = [box is not None and _ruled_below(page, box) for box in last]
    if not any(ruled):
        return ()
    return tuple(i for i, (box, closed) in enumerate(zip(last, ruled)) if box is not None and not closed)


# A filled rectangle covering at least this share of a cell is the cell's background.
FILL_SHARE = 0.6


def _fill(page: Any, box: BBox) -> str | None:
    """The colour of a filled rectangle under a cell (its shading), as #rrggbb; None for none or
    white. Coloured cells carry meaning in some reports (a judgement given by its colour)."""
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
    best: tuple[float, str] | None = None
    for rect in page.rects:
        if not rect.get("fill"):
            continue
        w = min(rect["x1"], box[2]) - max(rect["x0"], box[0])
        h = min(rect["bottom"], box[3]) - max(rect["top"], box[1])
        if w <= 0 or h <= 0 or w * h < FILL_SHARE * area:
            continue
        colour = colour_hex(rect.get("non_stroking_color"))
        if colour is not None and colour != "#ffffff" and (best is None or w * h > best[0]):
            best = (w * h, colour)
    return best[1] if best else None


def colour_hex(colour: Any) -> str | None:
    """A PDF colour (grey, RGB or CMYK components in 0-1) as #rrggbb.

    >>> colour_hex((1, 0, 0)), colour_hex((0.5,)), colour_hex((0, 0, 0, 1))
    ('#ff0000', '#808080', '#000000')
    """
    if isinstance(colour, (int, float)):
        colour = (colour,)
    if not isinstance(colour, (tuple, list)) or not all(isinstance(v, (int, float)) for v in colour):
        return None
    if len(colour) == 1:
        rgb = (colour[0],) * 3
    elif len(colour) == 3:
        rgb = tuple(colour)
    elif len(colour) == 4:
        c, m, y, k = colour
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    else:
        return None
    return "#" + "".join(f"{round(max(0.0, min(1.0, float(v))) * 255):02x}" for v in rgb)


# A word cut by the column ends within this many glyph widths of the cell's right edge (the next
# glyph did not fit; justification and rounding may leave a little more).
EDGE_GLYPHS = 1.5


def _rejoin_forced_breaks(cell: BBox, text: str, words: list[dict[str, Any]] | None, ruled: bool = True) -> str:
    """Mark where a narrow column may have cut a word without a hyphen ("Représentativit" / "é",
    "te" / "chnologique"): a line whose last word reaches the cell's right edge, followed by a
    line starting in lower case, the two pieces together wider than the column. Whether they are
    one word is for ``join_lines`` to say with the document's vocabulary ("Développement" /
    "stratégique" is two words that did not fit either)."""
    lines = text.split("\n")
    if words is None or len(lines) < 2 or not any(b[:1].islower() for b in lines[1:]):
        return text
    mine = [
        w
        for w in words
        if cell[0] <= (w["x0"] + w["x1"]) / 2 <= cell[2] and cell[1] <= (w["top"] + w["bottom"]) / 2 <= cell[3]
    ]
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(mine, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= 0.3 * word.get("size", 8.0):
            rows[-1].append(word)
        else:
            rows.append([word])
    if len(rows) != len(lines):
        return text
    left = min(w["x0"] for w in mine)
    line_end = cell[2] - (left - cell[0])  # where the producer's lines could end: the cell less its padding
    # an unruled cell reaches the next column's text, past its padding: there the widest line says
    # where lines end ("Jeunes" / "pousses" in a drawn cell ends far from it: no cut word)
    right = line_end if ruled else min(line_end, max(w["x1"] for w in mine))
    out = [lines[0]]
    for index, line in enumerate(lines[1:], start=1):
        last = max(rows[index - 1], key=lambda w: w["x1"])
        first = min(rows[index], key=lambda w: w["x0"])
        glyph = (last["x1"] - last["x0"]) / max(len(last["text"]), 1)
        at_edge = last["x1"] >= right - EDGE_GLYPHS * glyph
        # the two pieces together would not have fitted on one line: the column forced the cut
        # (measured on the line length the cell allowed: "onderzoekscentra" / "nemen" would have)
        too_wide = (last["x1"] - last["x0"]) + (first["x1"] - first["x0"]) > line_end - left
        if line[:1].islower() and last["text"][-1:].isalpha() and at_edge and too_wide:
            out[-1] = out[-1].rstrip() + FORCED_BREAK
        out.append(line)
    return "\n".join(out)


def _merge_kind(table: Any, row: Any, c_index: int) -> str:
    """Which merge covers this empty slot: "above" (a cell from an earlier row) or "left"."""
    xs = [r.cells[c_index] for r in table.rows if c_index < len(r.cells) and r.cells[c_index] is not None]
    if not xs:
        return "left"
    cx = (xs[0][0] + xs[0][2]) / 2
    cy = row.bbox[1] + 1.0
    for cell in table.cells:
        if cell[0] - 0.5 <= cx <= cell[2] + 0.5 and cell[1] - 0.5 <= cy <= cell[3] + 0.5:
            return "above" if cell[1] < row.bbox[1] - 0.5 else "left"
    return "left"


# ---------------------------------------------------------------------------------------------
# Tables across pages


def _is_caption_row(row: list[str | None]) -> bool:
    """A row whose one cell spans the full width (the table's title drawn as its first row)."""
    return len(row) > 1 and row[0] is not None and all(cell is None for cell in row[1:])


def _row_key(row: list[str | None]) -> str:
    return squash(" ".join(c or "" for c in row)).casefold()


def _header_rows(frag: Fragment) -> int:
    """Caption rows (one cell over the full width), the column-title row after them, and the
    rows of a two-level header under it ("Niveau d'atteinte" over "Atteint | Partiel | …")."""
    count = 0
    while count < len(frag.rows) and _is_caption_row(frag.rows[count]):
        count += 1
    count = min(count + 1, len(frag.rows))
    while count < len(frag.rows) and _is_sub_header(frag.rows[count - 1], frag.rows[count]):
        count += 1
    return count


def _is_sub_header(titles: list[str | None], row: list[str | None]) -> bool:
    """A row that titles the columns a spanning title covers: text only under the span (where the
    title row has merged slots, or under the span's own first slot), nothing elsewhere."""
    if len(titles) != len(row):
        return False
    spanned = set()
    for index, title in enumerate(titles):
        if title is None:  # merged into the title on its left: part of a span
            spanned.add(index)
            start = index - 1
            while start >= 0 and titles[start] is None:
                start -= 1
            spanned.add(start)
    if not spanned:
        return False
    filled = {i for i, text in enumerate(row) if text and text.strip()}
    return len(filled & spanned) >= 2 and not (filled - spanned)


def _leaf_titles(rows: list[list[str | None]]) -> list[str | None]:
    """Each column's title in a header of several rows: the lowest title written over it."""
    out: list[str | None] = list(rows[0])
    for row in rows[1:]:
        for index, text in enumerate(row):
            if text and text.strip() and index < len(out):
                out[index] = text
    return out


class TableStitcher:
    """Builds one logical table from a first fragment and the fragments that continue it."""

    def __init__(
        self, frag: Fragment, vocabulary: set[str], settings: TableSettings, *, margin_band: float, fuzzy: bool = False
    ):
        self.vocabulary = vocabulary
        self.margin_band = margin_band  # the running headers' band, a layout setting
        self.settings = settings
        n_head = _header_rows(frag)
        n_caption = 0
        while n_caption < n_head - 1 and _is_caption_row(frag.rows[n_caption]):
            n_caption += 1
        captions = [join_lines((frag.rows[i][0] or "").splitlines(), vocabulary) for i in range(n_caption)]
        titles = _leaf_titles(frag.rows[n_caption:n_head]) if n_head > n_caption else []
        header = [join_lines((c or "").splitlines(), vocabulary) for c in titles]
        fills = list(frag.fills[n_head - 1]) if frag.fills and n_head > n_caption else []
        if frag.caption:
            captions.insert(0, frag.caption)
        self.table = Table(
            caption=" ".join(captions) or None,
            header=header,
            header_fills=fills,
            rows=[],
            pages=[frag.page],
            bbox=frag.bbox,
        )
        self.head_keys = {_row_key(row) for row in frag.rows[:n_head]}
        self.fuzzy = fuzzy  # OCR'd pages: a repeated header row may differ by a misread letter
        self.last = frag
        self._add_rows(frag, n_head, continuing=False)

    def continues(self, frag: Fragment) -> bool:
        """A fragment continues the table when it opens the next page's text, the previous
        fragment closed its page, and their columns line up."""
        prev, cfg = self.last, self.settings
        if frag.page != prev.page + 1 or len(prev.col_edges) != len(frag.col_edges):
            return False
        ours, theirs = prev.col_edges, frag.col_edges
        if not (prev.ruled and frag.ruled):  # outer edges of an unruled table follow its text
            ours, theirs = ours[1:-1], theirs[1:-1]
        if any(abs(a - b) > cfg.column_tolerance for a, b in zip(ours, theirs)):
            return False
        starts_page = frag.bbox[1] <= frag.text_top + 1.0
        ends_page = prev.bbox[3] >= prev.page_bottom * (1 - 2 * self.margin_band) - cfg.continue_slack
        return starts_page and ends_page

    def add(self, frag: Fragment) -> None:
        """Append a continuing fragment: repeated header rows are skipped by ``_add_rows``; a cell
        the previous part left open at its foot goes on into the first row here when that slot is
        empty (a judgement merged over rows across the page break)."""
        self.table.pages.append(frag.page)
        open_columns = self.last.open_bottom
        self.last = frag
        self._add_rows(frag, 0, continuing=True, open_columns=open_columns)

    def _repeats_header(self, row: list[str | None]) -> bool:
        key = _row_key(row)
        if key in self.head_keys:
            return True
        if not self.fuzzy or not key:
            return False
        from difflib import SequenceMatcher

        return any(
            SequenceMatcher(None, key, head, autojunk=False).ratio() >= self.settings.repeat_similarity
            for head in self.head_keys
        )

    def _add_rows(self, frag: Fragment, start: int, continuing: bool, open_columns: tuple[int, ...] = ()) -> None:
        rows = self.table.rows
        first = True
        for r_index in range(start, len(frag.rows)):
            raw = frag.rows[r_index]
            if self._repeats_header(raw):
                continue  # header rows drawn again (on a new page, or by a renderer mid-page)
            if continuing and first and rows and _is_continuation(raw):
                _join_row(rows[-1], raw, frag.page, self.vocabulary, frag.boxes[r_index] if frag.boxes else None)
                _share_upwards(rows)
                first = False
                continue
            merges = frag.merges[r_index]
            if continuing and first and rows:
                merges = _carried_merges(frag, r_index)
                for col in open_columns:
                    if col < len(raw) and raw[col] is not None and not raw[col].strip():
                        raw = [None if i == col else text for i, text in enumerate(raw)]
                        merges = [("above" if i == col else kind) for i, kind in enumerate(merges)]
            first = False
            above = rows[-1].cells if rows else None
            boxes = frag.boxes[r_index] if frag.boxes else None
            cells = _cells(
                raw, merges, above, frag.page, self.vocabulary, boxes, frag.fills[r_index] if frag.fills else None
            )
            rows.append(TableRow(cells=cells, pages=[frag.page]))


def _share_upwards(rows: list[TableRow]) -> None:
    """A cell merged over rows and continued on the next page: the rows above that it spans get
    its whole text too (each row holds a copy of the merged cell)."""
    last = rows[-1]
    for column, cell in enumerate(last.cells):
        index = len(rows) - 1
        while index > 0 and rows[index].cells[column].merged_from_above and column < len(rows[index - 1].cells):
            above = rows[index - 1].cells[column]
            above.text, above.pages, above.breaks, above.boxes = (
                cell.text,
                list(cell.pages),
                list(cell.breaks),
                list(cell.boxes),
            )
            index -= 1


def _carried_merges(frag: Fragment, r_index: int) -> list[str | None]:
    """The first row of a page part: an empty cell that the next rows merge into is the rest of a
    cell merged over rows of the previous page (a rowspan broken by the page), not an empty one."""
    merges = list(frag.merges[r_index])
    if r_index + 1 >= len(frag.rows):
        return merges
    for col, text in enumerate(frag.rows[r_index]):
        if text is not None and not text.strip() and col < len(frag.merges[r_index + 1]):
            if frag.merges[r_index + 1][col] == "above":
                frag.rows[r_index][col] = None
                merges[col] = "above"
    return merges


def _cells(
    row: list[str | None],
    merges: list[str | None],
    above: list[TableCell] | None,
    page: int,
    vocabulary: set[str],
    boxes: list[BBox | None] | None = None,
    fills: list[str | None] | None = None,
) -> list[TableCell]:
    """Cells of one row as a full grid: a vertically merged slot repeats the cell above it, a
    horizontally merged one is empty (the cell to its left holds the text)."""
    cells: list[TableCell] = []
    for index, text in enumerate(row):
        if text is None and merges[index] == "above" and above is not None and index < len(above):
            source = above[index]
            cells.append(
                TableCell(
                    text=source.text,
                    pages=list(source.pages),
                    breaks=list(source.breaks),
                    boxes=list(source.boxes),
                    merged_from_above=True,
                    fill=source.fill,
                )
            )
        elif text is None:
            cells.append(TableCell(text="", pages=[page], merged_from_left=True))
        else:
            box = boxes[index] if boxes and index < len(boxes) else None
            cells.append(
                TableCell(
                    text=join_lines(text.splitlines(), vocabulary),
                    pages=[page],
                    boxes=[box] if box else [],
                    fill=fills[index] if fills and index < len(fills) else None,
                )
            )
    return cells


def _is_continuation(row: list[str | None]) -> bool:
    """The first row on a new page continues the broken row when its first cell is empty, or when
    every filled cell carries on a sentence (starts in lower case)."""
    first = (row[0] or "").strip() if row else ""
    if not first or first[0].islower():
        return True  # a new row opens with its theme, capitalised
    filled = [c.strip() for c in row if c and c.strip()]
    return bool(filled) and all(c[0].islower() or c[0] in ",;:.)" for c in filled)


def _join_row(
    row: TableRow, raw: list[str | None], page: int, vocabulary: set[str], boxes: list[BBox | None] | None = None
) -> None:
    for index, text in enumerate(raw):
        if text is None or not text.strip() or index >= len(row.cells):
            continue
        cell = row.cells[index]
        box = boxes[index] if boxes and index < len(boxes) else None
        if not cell.text:
            cell.text = join_lines(text.splitlines(), vocabulary)
            cell.pages = [page]
            cell.boxes = [box] if box else []
            continue
        offset = len(cell.text) + 1
        cell.text = join_lines([cell.text, *text.splitlines()], vocabulary)
        if page not in cell.pages:
            cell.pages.append(page)
            cell.breaks.append(min(offset, len(cell.text)))
            if box and len(cell.boxes) == len(cell.pages) - 1:
                cell.boxes.append(box)
    if page not in row.pages:
        row.pages.append(page)


def table_text(table: Table) -> str:
    """Tab-separated text of a table (caption, header, rows) for the table's block."""
    lines = [table.caption] if table.caption else []
    lines.append("\t".join(table.header))
    lines += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines)
