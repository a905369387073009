"""Reading order of a page: line clusters, column gutters, sections.

Lines are first clustered into paragraph-like groups (stacked closely, one style, overlapping
horizontally). A gutter is a vertical white strip that only a few items cross (titles, figures,
full-width tables) with enough text on both sides; the crossing items cut the region into
sections, and in each section the left column is read before the right one, recursively.
Single-column pages have no gutter, so their order stays top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from miner.read.tables import Fragment
from miner.records import BBox

if TYPE_CHECKING:
    from miner.read.pdf import LayoutSettings

__all__ = ["Line", "Item", "order_page"]


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    page: int

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class Item:
    """Something to put in reading order: a line of text, a table fragment, a frame or a figure."""

    kind: str  # line | table | box | figure
    x0: float
    top: float
    x1: float
    bottom: float
    line: Line | None = None
    fragment: "Fragment | None" = None
    lines: list[Line] = field(default_factory=list)
    text: str = ""
    column: int | None = None
    page: int = 0


def _clusters(lines: list[Line], number: int, cfg: LayoutSettings, limit: "Callable[[float], float]") -> list[Item]:
    """Lines stacked closely, in one style and overlapping horizontally: a paragraph-like cluster.
    Columns are found between clusters, so a title's short second line cannot block a gutter."""
    open_clusters: list[list[Line]] = []
    for line in sorted(lines, key=lambda l: (l.top, l.x0)):
        home = None
        for cluster in reversed(open_clusters):
            last = cluster[-1]
            gap = line.top - last.bottom
            x_lo, x_hi = min(l.x0 for l in cluster), max(l.x1 for l in cluster)
            if (
                -cfg.line_overlap * line.size <= gap <= limit(line.size)
                and abs(line.size - last.size) < cfg.style_size_step
                and line.bold == last.bold
                and min(line.x1, x_hi) - max(line.x0, x_lo) > 0
            ):
                home = cluster
                break
        if home is None:
            open_clusters.append([line])
        else:
            home.append(line)
    return [
        Item(
            "lines",
            min(l.x0 for l in c),
            min(l.top for l in c),
            max(l.x1 for l in c),
            max(l.bottom for l in c),
            lines=c,
            page=number,
        )
        for c in open_clusters
    ]


def order_page(
    number: int,
    lines: list[Line],
    fragments: list[Fragment],
    others: list[Item],
    cfg: "LayoutSettings",
    limit: "Callable[[float], float] | None" = None,
) -> list[Item]:
    """A page's lines, table fragments, frames and figures in reading order; line clusters come
    back as one item per line, each carrying its column. ``limit(size)`` is the largest gap
    (points) between two lines of one paragraph, from the document's own line spacing."""
    if limit is None:  # single spacing

        def limit(size: float) -> float:
            return cfg.paragraph_gap * size

    items = _clusters(lines, number, cfg, limit)
    items += [Item("table", *f.bbox, fragment=f, page=number) for f in fragments]
    items += others
    ordered = _order_items(items, cfg, column=None)
    out: list[Item] = []
    for item in ordered:
        if item.kind != "lines":
            out.append(item)
            continue
        out += [
            Item("line", l.x0, l.top, l.x1, l.bottom, line=l, column=item.column, page=item.page) for l in item.lines
        ]
    return out


def _order_items(items: list[Item], cfg: LayoutSettings, column: int | None) -> list[Item]:
    """Recursive column split: find a gutter; items crossing it cut the region into sections, and
    in each section the left side is read before the right side."""
    for item in items:
        if item.column is None:
            item.column = column
    gutter = _find_gutter(items, cfg) if len(items) > 1 else None
    if gutter is None:
        return sorted(items, key=lambda i: (round(i.top), i.x0))
    g0, g1 = gutter
    crossing = sorted((i for i in items if i.x0 < g1 and i.x1 > g0), key=lambda i: i.top)
    centres = [(c.top + c.bottom) / 2 for c in crossing]
    sections: list[list[Item]] = [[] for _ in range(len(crossing) + 1)]
    for item in items:
        if not (item.x0 < g1 and item.x1 > g0):
            centre = (item.top + item.bottom) / 2
            sections[sum(1 for c in centres if c <= centre)].append(item)
    ordered: list[Item] = []
    base = 0 if column is None else column * 10
    for index, section in enumerate(sections):
        left = [i for i in section if i.x1 <= g0]
        right = [i for i in section if i.x0 >= g1]
        if left and right:
            ordered += _order_items(left, cfg, base + 1) + _order_items(right, cfg, base + 2)
        else:
            ordered += _order_items(left or right, cfg, column)
        if index < len(crossing):
            ordered.append(crossing[index])
    return ordered


def _weight(item: Item, cfg: LayoutSettings) -> int:
    """How much an item makes a column: its lines; a table or a figure as much as a column needs;
    a frame its lines when it holds a few, but a one-line frame nothing, so the judgement tags
    set at the right of sub-headings are not a column of their own."""
    if item.kind == "lines":
        return len(item.lines)
    if item.kind == "box":
        lines = len([l for l in item.text.splitlines() if l.strip()])
        return lines if lines >= cfg.min_column_lines else 0
    return cfg.min_column_lines


def _find_gutter(items: list[Item], cfg: LayoutSettings) -> tuple[float, float] | None:
    """The widest vertical strip crossed by the fewest items (few enough: titles, figures,
    full-width tables), with enough text on both sides to be columns."""
    x_min = min(i.x0 for i in items)
    x_max = max(i.x1 for i in items)
    width = x_max - x_min
    if width < cfg.min_region_gutters * cfg.min_gutter:
        return None
    lo, hi = x_min + cfg.gutter_search_margin * width, x_max - cfg.gutter_search_margin * width
    steps = int(hi - lo) + 1
    coverage = [sum(1 for i in items if i.x0 < lo + k < i.x1) for k in range(steps)]
    least = min(coverage)
    most = cfg.max_crossing_share * len(items)
    # the emptiest strip first; when it is too narrow (a title block ends just inside the gutter),
    # a strip crossed by one more item, and so on up to the share of items allowed to cross
    for level in range(least, int(most) + 1):
        best = _widest_gutter(items, coverage, level, lo, cfg)
        if best is not None:
            return best
    return None


def _widest_gutter(
    items: list[Item], coverage: list[int], level: int, lo: float, cfg: LayoutSettings
) -> tuple[float, float] | None:
    """The widest strip crossed by at most ``level`` items with enough text on both sides."""
    runs: list[tuple[float, float]] = []
    start = None
    for k, count in enumerate(coverage + [level + 1]):
        if count <= level and start is None:
            start = k
        elif count > level and start is not None:
            runs.append((lo + start, lo + k - 1))
            start = None
    best = None
    for g0, g1 in runs:
        if g1 - g0 < cfg.min_gutter:
            continue
        left = sum(_weight(i, cfg) for i in items if i.x1 <= g0)
        right = sum(_weight(i, cfg) for i in items if i.x0 >= g1)
        if left >= cfg.min_column_lines and right >= cfg.min_column_lines:
            if best is None or g1 - g0 > best[1] - best[0]:
                best = (g0, g1)
    return best
