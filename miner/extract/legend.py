"""A report's own legend: which symbol, mark or colour stands for which judgement level.

Consultancies show judgements as filled and empty dots, stars, "++ / + / – / – –" or coloured
cells, and say once what they mean: in a legend table ("Niveau d'atteinte | Pastilles") or a
legend line ("●●● Atteint ; ●●○ Satisfaisant ; …"). The legend is read as data, never assumed:
a table whose rows (or columns) pair a wording of the scale (any language of the lexicons) with
a short form that is not a word, or a paragraph holding at least two such pairs. The forms are
then resolved wherever the document prints them.

>>> legend = read_legend([Block(kind="paragraph", page=1, bbox=(0, 0, 1, 1),
...     text="Légende : ★★★ Atteint ; ★★☆ Satisfaisant ; ★☆☆ Partiel ; ☆☆☆ Non atteint")])
>>> legend.resolve("★ ★ ☆"), legend.resolve("Atteint")
(<Judgement.SATISFAISANT: 'Satisfaisant'>, <Judgement.ATTEINT: 'Atteint'>)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from miner.data.lexicon import lexicons
from miner.extract.referentiel import wording_pattern
from miner.nlp.text import squash
from miner.records import BBox, Block, Judgement, Table

__all__ = ["Legend", "read_legend", "form_key", "MAX_FORM_CHARS"]

MAX_FORM_CHARS = 12
"""A legend's form (dots, stars, a code) is short: a longer cell is text, not a symbol."""

MAX_CODE_CHARS = 3
"""A form with letters is a code of at most this many ("A", "TB", "NA"); longer, it is a word."""

MIN_PAIRS = 2
"""A legend pairs at least this many forms with levels (one pair is a sentence, not a key)."""

COLOUR_ROUNDING = 3
"""Two colours whose channels differ by at most this much (of 255) are one, written with different rounding."""

MAX_LEGEND_CELLS = 3
"""A legend line holds a form, a level and perhaps a description; more is a référentiel row."""


def form_key(text: str) -> str:
    """How a printed form is compared: spaces, word joiners and case folded away.

    >>> form_key(" ● ●\\u2060○ ")
    '●●○'
    """
    return "".join(
        ch
        for ch in unicodedata.normalize("NFC", text).casefold()
        if not ch.isspace() and ch not in "\u2060\u200b\u00ad"
    )


@dataclass
class Legend:
    """Forms (symbols, codes, ``fill:#rrggbb`` colours) and the level each stands for."""

    forms: dict[str, Judgement] = field(default_factory=dict)
    where: list[str] = field(default_factory=list)
    """Where each part of the legend was read ("page 1 table"), for warnings and --explain."""
    blocks: set[int] = field(default_factory=set)
    """Indices of the blocks that are legends (not référentiels)."""

    def resolve(self, printed: str, fill: str | None = None) -> Judgement | None:
        """The level of a printed judgement: a wording of the scale, a form of the legend, or
        (an empty cell) the legend's meaning of its colour."""
        level = Judgement.parse(printed) if printed.strip() else None
        if level is None and printed.strip():
            level = self.forms.get(form_key(printed))
        if level is None and not printed.strip() and fill is not None:
            level = self.forms.get(f"fill:{fill}") or self._nearest_colour(fill)
        return level

    def _nearest_colour(self, fill: str) -> Judgement | None:
        """The level of the legend's colour closest to ``fill`` when it is within rounding of it
        (a producer may write 0.65 in one place and 165/255 in another)."""
        best: tuple[int, Judgement] | None = None
        for form, level in self.forms.items():
            if form.startswith("fill:#") and len(form) == 12 and len(fill) == 7:
                distance = max(
                    abs(int(form[6 + 2 * i : 8 + 2 * i], 16) - int(fill[1 + 2 * i : 3 + 2 * i], 16)) for i in range(3)
                )
                if distance <= COLOUR_ROUNDING and (best is None or distance < best[0]):
                    best = (distance, level)
        return best[1] if best else None

    def add(self, form: str, level: Judgement) -> None:
        self.forms.setdefault(form, level)


def _is_form(text: str) -> bool:
    """A short cell that is not a scale wording and holds no word: symbols ("●●○", "++") or a
    code of a few characters ("A", "TB"); a short word ("Team") is a theme, not a form."""
    key = form_key(squash(text))
    if not 0 < len(key) <= MAX_FORM_CHARS or Judgement.parse(text) is not None:
        return False
    return len(key) <= MAX_CODE_CHARS or not any(ch.isalpha() for ch in key)


def _pairs(cells: list[str], fills: list[str | None]) -> list[tuple[str, Judgement]]:
    """(form, level) pairs of one table row or column: one scale wording and one form (or an
    empty coloured cell) beside it."""
    filled = [c for c in cells if squash(c)]
    levels = [(i, Judgement.parse(squash(c))) for i, c in enumerate(cells) if squash(c)]
    levels = [(i, lv) for i, lv in levels if lv is not None]
    if len(levels) != 1 or len(filled) > MAX_LEGEND_CELLS:
        return []  # a row of a référentiel (theme, criterion, judgement, constats) is no pair
    at, level = levels[0]
    out = []
    for index, text in enumerate(cells):
        if index == at:
            continue
        if _is_form(text):
            out.append((form_key(text), level))
        elif not squash(text) and index < len(fills) and fills[index]:
            out.append((f"fill:{fills[index]}", level))
    return out[:1]


def _table_pairs(table: Table) -> list[tuple[str, Judgement]]:
    grid = [list(table.header)] + [[c.text for c in row.cells] for row in table.rows]
    fills = [list(table.header_fills) or [None] * len(table.header)] + [
        [c.fill for c in row.cells] for row in table.rows
    ]
    by_rows = [p for cells, colours in zip(grid, fills) for p in _pairs(cells, colours)]
    width = max(len(r) for r in grid)
    columns = [[r[i] if i < len(r) else "" for r in grid] for i in range(width)]
    column_fills = [[f[i] if i < len(f) else None for f in fills] for i in range(width)]
    by_columns = [p for cells, colours in zip(columns, column_fills) for p in _pairs(cells, colours)]
    best = max(by_rows, by_columns, key=len)
    rows = len(grid) if best is by_rows else width
    # a legend is made of pairs, one per level: most of its lines are one (a title line may not
    # be), and no level comes twice (a référentiel's rows repeat levels)
    levels = [lv for _, lv in best]
    if len(set(levels)) >= MIN_PAIRS and len(set(levels)) == len(levels) and len(best) >= rows - 1:
        return best
    return []


_SCALE = "|".join(
    wording_pattern(w)
    for w in sorted({w for lex in lexicons() for ws in lex.scale.values() for w in ws}, key=len, reverse=True)
)
# A form is a run of symbols (not letters, digits or punctuation of prose), spaces allowed inside.
_SYMBOL = r"[^\w\s.,;:()\[\]'\"’«»/=]"
_ITEM = re.compile(rf"(?<!\w)(?P<word>{_SCALE})(?!\w)|(?P<form>{_SYMBOL}(?:\s?{_SYMBOL})*)", re.I)
_SEPARATOR = re.compile(r"^[\s=:–—-]*$")


def _line_pairs(text: str) -> list[tuple[str, Judgement]]:
    """Pairs of a legend line, in the order the line sets them: "●●○ Satisfaisant", "++ = Atteint",
    "Partiel : ◐ –"; a form and its word are next to each other, with at most a separator."""
    items: list[tuple[str, str, int, int]] = []
    for match in _ITEM.finditer(text):
        if match.group("word"):
            items.append(("word", match.group("word"), match.start(), match.end()))
            continue
        form = match.group("form").strip()
        if form.strip("=: "):
            items.append(("form", form, match.start(), match.end()))
    if not items:
        return []
    # forms before their words or after them: the order that pairs more (a title may hold a
    # word of the scale, "Légende des niveaux d'atteinte : ●●● Atteint ; …")
    out = max((_ordered_pairs(text, items, first) for first in ("form", "word")), key=len)
    return out if len({lv for _, lv in out}) >= MIN_PAIRS else []


def _ordered_pairs(text: str, items: list[tuple[str, str, int, int]], first: str) -> list[tuple[str, Judgement]]:
    out = []
    index = 0
    while index + 1 < len(items):
        a, b = items[index], items[index + 1]
        if a[0] == first and b[0] != first and _SEPARATOR.match(text[a[3] : b[2]]):
            form, word = (a[1], b[1]) if first == "form" else (b[1], a[1])
            if form.strip("–—- "):  # "●●● – Atteint": a dash beside symbols separates; "– –" is a form
                form = re.sub(r"(?:\s+[–—-])+$|^(?:[–—-]\s+)+", "", form)
            level = Judgement.parse(word)
            if level is not None and form:
                out.append((form_key(form), level))
            index += 2
        else:
            index += 1
    return out


Swatch = tuple[BBox, str]
"""A small coloured mark in running text: its box and its colour (#rrggbb)."""


def _swatch_pairs(
    block: Block, swatches: list[Swatch], words: list[tuple[str, BBox, float | None]]
) -> list[tuple[str, Judgement]]:
    """Pairs of a colour legend set as a line ("■ Atteint  ■ Satisfaisant …", each square in its
    colour): the words after each swatch on its baseline, up to the next swatch, name its level.
    The form is the colour, as a coloured cell gives it (``fill:#rrggbb``)."""
    x0, top, x1, bottom = block.bbox
    mine = [
        (box, colour)
        for box, colour in swatches
        if top - 1 <= (box[1] + box[3]) / 2 <= bottom + 1 and x0 - 3 * (box[3] - box[1]) <= box[0] <= x1
    ]
    if len(mine) < MIN_PAIRS:
        return []
    mine.sort(key=lambda s: (round(s[0][1]), s[0][0]))
    out = []
    for index, (box, colour) in enumerate(mine):
        middle = (box[1] + box[3]) / 2
        stop = next((b[0] for b, _ in mine[index + 1 :] if b[1] <= middle <= b[3]), float("inf"))
        after = sorted(
            (w for w in words if w[1][1] <= middle <= w[1][3] and box[2] - 0.5 <= w[1][0] < stop), key=lambda w: w[1][0]
        )
        text = squash(" ".join(w[0] for w in after)).strip(" =:;,–—-■●▪◼")
        level = Judgement.parse(text)
        if level is not None:
            out.append((f"fill:{colour}", level))
    return out if len({lv for _, lv in out}) >= MIN_PAIRS else []


def read_legend(
    blocks: list[Block],
    swatches: dict[int, list[Swatch]] | None = None,
    words: dict[int, list[tuple[str, BBox, float | None]]] | None = None,
) -> Legend:
    """The document's legend, from every legend table and legend line it holds (a report may
    repeat its legend under each table; the first meaning of a form wins). ``swatches`` and
    ``words`` (per page) let a line of coloured squares and level words be read as a legend."""
    legend = Legend()
    for index, block in enumerate(blocks):
        if block.kind == "table" and block.table is not None:
            pairs = _table_pairs(block.table)
            where = f"page {block.page} table"
        elif block.kind in ("paragraph", "caption", "list_item", "box", "margin"):
            pairs = []
            if swatches and words and swatches.get(block.page):
                pairs = _swatch_pairs(block, swatches[block.page], words.get(block.page, []))
            pairs = pairs or _line_pairs(block.text)
            run_in = _run_in_title(blocks, index)
            joined = _line_pairs(f"{run_in.text} {block.text}") if run_in is not None else []
            if len(joined) > len(pairs):  # a bold title holding the first pairs, the line going on below
                pairs = joined
                legend.blocks.add(index - 1)
            where = f"page {block.page} line"
        else:
            continue
        if not pairs:
            continue
        legend.blocks.add(index)
        legend.where.append(where)
        for form, level in pairs:
            legend.add(form, level)
    return legend


def _run_in_title(blocks: list[Block], index: int) -> Block | None:
    """The heading right above a paragraph, in its column, when the paragraph goes on from it: a
    legend line opening with a bold title ("Légende : ●●●" bold, then "Atteint ; ●●○ …") is read
    as a heading and a paragraph."""
    if index == 0:
        return None
    title, block = blocks[index - 1], blocks[index]
    if title.kind != "heading" or title.page != block.page or title.column != block.column:
        return None
    height = title.bbox[3] - title.bbox[1]
    return title if 0 <= block.bbox[1] - title.bbox[3] <= height else None
