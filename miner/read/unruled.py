"""Tables without full ruling: columns from the header row and the alignment of the text below.

Word processors and browsers draw référentiel tables many ways: horizontal rules only (Word's
plain styles, LaTeX booktabs), shaded bands without lines (zebra rows), or nothing but white
space. pdfplumber's line finder sees no grid there (or a false one made of the shading), so:

1. a header row is a baseline of separate text chunks of which at least two name column roles
   (``miner.read.headers.header_role``), multi-line header cells included;
2. going down from it, every baseline is part of the table while a white strip survives in each
   gap between header cells; the strip's right end, where the next column's text starts, is the
   column edge (text alignment), and the first baseline that crosses a strip (a paragraph) or a
   gap larger than the table's own line pitch allows ends the table;
3. rows come from horizontal rules and the edges of shading bands inside the table, kept per
   column so a cell merged over several rows stays one cell; with neither, from the vertical gaps
   that open a new paragraph in the criterion column;
4. pdfplumber's table finder then reads the cells from those explicit edges, so a fragment has
   the same shape as a ruled one and the stitching across pages and merged-cell logic apply.

A table that reaches the foot of a page hands its column edges to the next page, whose first
aligned rows continue it even when the header is not repeated.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from miner.nlp.text import PAGE_NUMBER, normalise_chars, squash
from miner.read.headers import header_role
from miner.read.tables import Fragment, colour_hex, read_fragment
from miner.read.words import stretched_gaps
from miner.records import BBox
from miner.settings import check_fields, resolve_settings, setting

__all__ = ["UnruledSettings", "Carry", "UnruledTable", "find_unruled"]


@dataclass(frozen=True)
class UnruledSettings:
    """Heuristics of the reader of tables without full ruling."""

    header_cell_gap: float = setting(
        0.4,
        "Words further apart than this many font sizes on a header baseline are different cells: a word space"
        " is 0.25-0.33 em in proportional fonts, two cell paddings more.",
    )
    header_space_ratio: float = setting(
        1.3,
        "In a monospaced font (spaces as wide as letters, 0.6 em) header words further apart than this many "
        "spaces are different cells.",
    )
    min_header_roles: int = setting(
        2, "A header row names at least this many column roles (one is any bold line of a page)."
    )
    min_header_cells: int = setting(
        3, "A header row has at least this many cells: a référentiel has criterion, judgement and more."
    )
    max_title_words: int = setting(
        6,
        "A column title has at most this many words per line (the wide spaces of justified prose cut longer "
        "runs of words).",
    )
    min_gutter: float = setting(
        1.5, "A white strip narrower than this (points) between two columns is a word space, not a gutter."
    )
    other_size: float = setting(
        0.85,
        "A line whose size differs from the table's text by more than this ratio is not in the table "
        "(footnotes are 1-2 points smaller).",
    )
    gutter_space_ratio: float = setting(
        1.5, "A gutter crossed by a line is at least this many times the line's usual word space."
    )
    max_row_gap: float = setting(
        2.2, "A vertical gap larger than this many line pitches ends the table (row gaps are smaller)."
    )
    row_start_extra: float = setting(
        0.3,
        "Without rules or bands, a criterion line further than one pitch plus this many font sizes below the "
        "previous one opens a row: cell padding adds that much.",
    )
    header_line_pitch: float = setting(
        1.5, "The lines of a multi-line header cell are at most this many pitches apart."
    )
    caption_reach: float = setting(60.0, "A table's caption is looked for up to this many points above its header.")
    rule_column_share: float = setting(
        0.5, "A rule shorter than this share of a column's width does not separate rows in that column."
    )
    default_pitch: float = setting(
        1.25, "The line pitch assumed before a table has two lines, as a multiple of the font size."
    )
    baseline_tolerance: float = setting(
        0.3,
        "Words whose tops differ by at most this many font sizes sit on one baseline (accents and mixed fonts"
        " move a top by a fraction).",
    )
    table_rule_share: float = setting(
        0.5, "A rule at least this share of the table's width frames the table (its top, header or foot)."
    )

    def __post_init__(self) -> None:
        check_fields(self)

    resolve = classmethod(resolve_settings)


# Geometric slacks (points), not heuristics: glyph boxes are tight and PDF producers round
# coordinates, so an edge is drawn this far outside the text it bounds...
EDGE_SLACK = 1.0
# ...a word's box is widened this much each side so two touching glyph boxes leave no strip...
WORD_PAD = 0.3
# ...and two positions closer than this are one (pdfplumber's own snapping is 3 points).
SAME_POSITION = 0.5


@dataclass(frozen=True)
class Carry:
    """Column edges of an unruled table left open at the foot of a page."""

    edges: tuple[float, ...]
    anchor: int
    pitch: float
    roles: tuple[str | None, ...] = ()
    drawn: bool = False  # the edges are the cells' (rules or padding), not where text aligns


@dataclass
class UnruledTable:
    fragment: Fragment
    region: BBox


# ---------------------------------------------------------------------------------------------
# Words → baselines → chunks


@dataclass
class _Baseline:
    words: list[dict[str, Any]]
    top: float
    bottom: float
    size: float


def _baselines(words: list[dict[str, Any]], cfg: UnruledSettings) -> list[_Baseline]:
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= max(1.5, cfg.baseline_tolerance * word["size"]):
            rows[-1].append(word)
        else:
            rows.append([word])
    out = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        out.append(
            _Baseline(
                row,
                min(w["top"] for w in row),
                max(w["bottom"] for w in row),
                statistics.median(w["size"] for w in row),
            )
        )
    return out


def _chunks(words: list[dict[str, Any]], cfg: UnruledSettings) -> list[list[dict[str, Any]]]:
    """Words of one baseline cut where the space between them is wider than a word space: wider
    than the cell gap, and than the baseline's own widest word space (a justified line's spaces
    vary by a fraction of a point, a bold label's a little wider: none of them is a cell edge)."""

    def limit(word: dict[str, Any]) -> float:
        space = MONOSPACE_EM * word["size"] if _monospaced(word) else 0.0
        return max(cfg.header_cell_gap * word["size"], cfg.header_space_ratio * space)

    gaps = [b["x0"] - a["x1"] for a, b in zip(words, words[1:])]
    spaces = [gap for gap, word in zip(gaps, words[1:]) if 0 < gap <= limit(word)]
    widest = max(spaces, default=0.0) + SAME_POSITION
    out: list[list[dict[str, Any]]] = []
    for index, word in enumerate(words):
        if out and (gaps[index - 1] <= limit(word) or gaps[index - 1] <= widest):
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _text(words: list[dict[str, Any]]) -> str:
    return normalise_chars(" ".join(w["text"] for w in words))


@dataclass
class _Header:
    cells: list[list[dict[str, Any]]]  # words of each header cell, all its lines (the leaf titles)
    top: float
    bottom: float
    size: float
    roles: list[str | None]
    index: int  # baseline index of its last line
    span: tuple[int, int] | None = None  # leaf cells under a title spanning them (a two-level header)
    span_words: list[dict[str, Any]] = field(default_factory=list)  # that spanning title
    sub_top: float = 0.0  # where the leaf titles under the span start (its title ends above)

    def box(self, i: int) -> tuple[float, float]:
        return min(w["x0"] for w in self.cells[i]), max(w["x1"] for w in self.cells[i])


def _find_headers(lines: list[_Baseline], rules: list[float], cfg: UnruledSettings) -> list[_Header]:
    """Header rows; ``rules`` are the heights of the page's horizontal rules and band edges (a
    header cell's second line is never below one)."""
    headers = []
    skip_to = -1
    for index, line in enumerate(lines):
        if index <= skip_to:
            continue
        chunks = _chunks(line.words, cfg)
        if len(chunks) < cfg.min_header_cells or max(len(c) for c in chunks) > cfg.max_title_words:
            continue
        if stretched_gaps([{"x0": c[0]["x0"], "x1": c[-1]["x1"]} for c in chunks]):
            continue  # one justified line spread wide (a narrow column's), not cells
        cells = [list(c) for c in chunks]
        last = index
        # further lines of multi-line header cells: every chunk under one header cell
        while last + 1 < len(lines):
            nxt = lines[last + 1]
            if nxt.top - lines[last].top > cfg.header_line_pitch * line.size * cfg.default_pitch:
                break
            if any(lines[last].bottom - SAME_POSITION < y < nxt.top + SAME_POSITION for y in rules):
                break  # the header's rule or band ends here: the body starts
            below = _chunks(nxt.words, cfg)
            homes = [_home(chunk, cells) for chunk in below]
            if any(h is None for h in homes) or not all(_bold(w) == _bold(line.words[0]) for w in nxt.words):
                break
            if len(set(homes)) < len(homes):
                break  # several titles under one: the level under a spanning title, not a wrapped one
            for chunk, home in zip(below, homes):
                cells[home] += chunk  # type: ignore[index]
            last += 1
        roles = [header_role(_text(c)) for c in cells]
        if len({r for r in roles if r}) < cfg.min_header_roles:
            continue
        header = _Header(cells, line.top, lines[last].bottom, line.size, roles, last)
        _leaf_level(header, lines, cfg)
        headers.append(header)
        skip_to = header.index
    return headers


def _leaf_level(header: _Header, lines: list[_Baseline], cfg: UnruledSettings) -> None:
    """A second header level: the lines right under the header that are set like it and lie
    wholly under one of its titles, in two or more columns of their own ("Niveau d'atteinte" over
    "Atteint | Satisfaisant | Partiel", titles stacked letter by letter in narrow columns
    included). The spanning title's cell gives way to those columns in ``header``."""
    bold = _bold(header.cells[0][0])
    pitch = cfg.default_pitch * header.size
    taken: list[_Baseline] = []
    home: int | None = None
    previous = header.bottom
    for line in lines[header.index + 1 :]:
        if line.top - previous > cfg.max_row_gap * pitch or any(_bold(w) != bold for w in line.words):
            break
        homes = {_under_title(w, header) for w in line.words}
        if len(homes) != 1 or None in homes or (home is not None and homes != {home}):
            break
        home = homes.pop()
        taken.append(line)
        previous = line.bottom
    columns = _word_columns([chunk for line in taken for chunk in _chunks(line.words, cfg)])
    if home is None or len(columns) < 2:
        return
    n = len(columns)
    header.span = (home, home + n - 1)
    header.span_words = header.cells[home]
    header.cells = header.cells[:home] + columns + header.cells[home + 1 :]
    header.roles = header.roles[:home] + [header_role(_text(c)) for c in columns] + header.roles[home + 1 :]
    header.sub_top = taken[0].top
    header.bottom = taken[-1].bottom
    header.index += len(taken)


def _under_title(word: dict[str, Any], header: _Header) -> int | None:
    """The header cell whose column a word lies in: between the texts of its neighbours."""
    centre = (word["x0"] + word["x1"]) / 2
    for i in range(len(header.cells)):
        left = header.box(i - 1)[1] if i > 0 else float("-inf")
        right = header.box(i + 1)[0] if i + 1 < len(header.cells) else float("inf")
        if left < centre < right and (word["x0"] >= left and word["x1"] <= right):
            return i
    return None


def _word_columns(chunks: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Chunks of words (a title's words on one line) grouped into columns where their horizontal
    extents overlap, left to right: the words of each column, line by line."""
    out: list[list[dict[str, Any]]] = []
    for chunk in sorted(chunks, key=lambda c: c[0]["x0"]):
        if out and chunk[0]["x0"] < max(w["x1"] for w in out[-1]):
            out[-1].extend(chunk)
        else:
            out.append(list(chunk))
    return [sorted(column, key=lambda w: (round(w["top"]), w["x0"])) for column in out]


def _home(chunk: list[dict[str, Any]], cells: list[list[dict[str, Any]]]) -> int | None:
    x0, x1 = chunk[0]["x0"], chunk[-1]["x1"]
    for i, cell in enumerate(cells):
        c0, c1 = min(w["x0"] for w in cell), max(w["x1"] for w in cell)
        if x0 < c1 and x1 > c0:
            return i
    return None


# The advance of every glyph, the space included, in the monospaced fonts reports use.
MONOSPACE_EM = 0.6


def _monospaced(word: dict[str, Any]) -> bool:
    name = str(word.get("fontname", "")).split("+")[-1].lower()
    return any(mark in name for mark in ("courier", "mono", "consol"))


def _bold(word: dict[str, Any]) -> bool:
    name = str(word.get("fontname", "")).split("+")[-1].lower()
    return any(mark in name for mark in ("bold", "black", "heavy", "semibold", "demi"))


# ---------------------------------------------------------------------------------------------
# Growing a table down the page


def _subtract(runs: list[tuple[float, float]], x0: float, x1: float) -> list[tuple[float, float]]:
    out = []
    for a, b in runs:
        if x1 <= a or x0 >= b:
            out.append((a, b))
            continue
        if x0 > a:
            out.append((a, x0))
        if x1 < b:
            out.append((x1, b))
    return out


def _grow(
    lines: list[_Baseline],
    start: int,
    gaps: list[list[tuple[float, float]]],
    pitch: float,
    after: float,
    cfg: UnruledSettings,
) -> tuple[int, list[list[tuple[float, float]]], float]:
    """Accept baselines from ``start`` while each gap keeps a gutter and no vertical gap is too
    large; returns the index after the last accepted line, the surviving strips and the pitch."""
    end = start
    previous = after
    placed: list[tuple[float, float, float]] = []  # (top, x0, x1) of the lines taken
    sizes: list[float] = []
    steps: list[float] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if line.top - previous > cfg.max_row_gap * pitch:
            break
        if sizes and not cfg.other_size < line.size / statistics.median(sizes) < 1 / cfg.other_size:
            break  # text of another size (a footnote under the table) is not in it
        trial = _cut(gaps, line, cfg)
        if any(not runs for runs in trial):
            break
        gaps = trial
        # the table's own line pitch: the usual distance from a line to the line above it in the
        # same place (most are lines of one cell; cells centred vertically interleave the
        # baselines of different columns), so 1.5 or double spacing widens every threshold with it
        x0, x1 = line.words[0]["x0"], line.words[-1]["x1"]
        above = next((t for t, a, b in reversed(placed) if a < x1 and b > x0), None)
        if above is not None and line.top - above > cfg.baseline_tolerance * line.size:
            steps.append(line.top - above)
            if len(steps) >= 2:
                pitch = statistics.median(steps)
        placed.append((line.top, x0, x1))
        sizes.append(line.size)
        previous = line.bottom
        end = index + 1
    return end, gaps, pitch


def _cut(
    gaps: list[list[tuple[float, float]]], line: _Baseline, cfg: UnruledSettings
) -> list[list[tuple[float, float]]]:
    """The strips of each gap that stay white under one more line. A strip lying in the space
    between two words of the line must also be wider than the line's other word spaces: a
    paragraph's spaces are alike, a gutter is wider than the spaces inside a cell."""
    words = line.words
    trial = gaps
    for word in words:
        trial = [_subtract(runs, word["x0"] - WORD_PAD, word["x1"] + WORD_PAD) for runs in trial]
    trial = [[(a, b) for a, b in runs if b - a >= cfg.min_gutter] for runs in trial]
    spaces = [(a["x1"], b["x0"]) for a, b in zip(words, words[1:])]

    def host(run: tuple[float, float]) -> int | None:
        return next((k for k, (s0, s1) in enumerate(spaces) if s0 <= run[0] and run[1] <= s1), None)

    hosts = {host(run) for runs in trial for run in runs} - {None}
    others = [s1 - s0 for k, (s0, s1) in enumerate(spaces) if k not in hosts]
    if not others:
        return trial
    usual, widest = statistics.median(others), max(others)
    kept = []
    for runs in trial:
        keep = []
        for run in runs:
            k = host(run)
            width = spaces[k][1] - spaces[k][0] if k is not None else 0.0
            # clearly wider than the usual space, or wider than every other space of the line (a
            # monospaced font's spaces are wide; a justified paragraph's are all alike)
            if k is None or width >= cfg.gutter_space_ratio * usual or width > widest + SAME_POSITION:
                keep.append(run)
        kept.append(keep)
    return kept


def _edges_from(gaps: list[list[tuple[float, float]]], lines: list[_Baseline], cfg: UnruledSettings) -> list[float]:
    """The edge in each gap: where the surviving strip ends at which most words start (the next
    column's text is aligned there; a strip left beside a centred title is not), the rightmost
    on a tie."""
    starts = [w["x0"] for line in lines for w in line.words]
    edges = []
    for runs in gaps:
        wide = [(a, b) for a, b in runs if b - a >= cfg.min_gutter]
        aligned = [sum(1 for x in starts if abs(x - WORD_PAD - b) <= EDGE_SLACK) for a, b in wide]
        best = max(range(len(wide)), key=lambda k: (aligned[k], k))
        a, b = wide[best]
        edges.append(b - min(EDGE_SLACK, (b - a) / 2))
    return edges


# ---------------------------------------------------------------------------------------------
# Rows


def _h_edges(page: Any, x0: float, x1: float, top: float, bottom: float) -> list[dict[str, Any]]:
    """Horizontal rules and the top/bottom edges of shaded bands inside a box."""
    out = []
    for edge in page.edges:
        if edge["orientation"] != "h" or not (top < edge["top"] < bottom):
            continue
        if edge["x1"] <= x0 or edge["x0"] >= x1:
            continue
        out.append(edge)
    return out


def _per_column(edges: list[dict[str, Any]], bounds: list[float], cfg: UnruledSettings) -> list[dict[str, Any]]:
    """Rules snapped to whole columns: a rule separates rows in the columns it spans, so a cell
    it does not cross (merged over several rows) stays whole."""
    out: dict[tuple[int, int, int], dict[str, Any]] = {}
    for edge in edges:
        covered = []
        for i in range(len(bounds) - 1):
            lo, hi = bounds[i], bounds[i + 1]
            overlap = min(edge["x1"], hi) - max(edge["x0"], lo)
            covered.append(overlap >= cfg.rule_column_share * (hi - lo))
        i = 0
        while i < len(covered):
            if not covered[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(covered) and covered[j + 1]:
                j += 1
            y = round(edge["top"], 1)
            out[(round(y), i, j)] = _line(bounds[i], bounds[j + 1], y)
            i = j + 1
    return list(out.values())


def _line(x0: float, x1: float, y: float) -> dict[str, Any]:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, "object_type": "line"}


def _anchors(
    lines: list[_Baseline], bounds: list[float], anchor: int, judge: int | None, pitch: float, cfg: UnruledSettings
) -> list[float]:
    """Row starts without rules: a paragraph opening in the anchor (criterion) column after a gap
    wider than the table's line pitch allows inside a cell, and every judgement (one short word
    at the top of each row, so rows set without any padding still separate)."""
    lo, hi = bounds[anchor], bounds[anchor + 1]
    seen_any = False
    previous: _Baseline | None = None
    cuts = []
    for line in lines:
        mine = [w for w in line.words if lo <= (w["x0"] + w["x1"]) / 2 <= hi]
        if not mine:
            seen_any = True
            continue
        if previous is not None and line.top - previous.top > pitch + cfg.row_start_extra * line.size:
            # cells are top-aligned: the row starts with this line in every column
            cuts.append(line.top - EDGE_SLACK)
        elif previous is None and seen_any:
            cuts.append(line.top - EDGE_SLACK)  # text of other columns above: the end of a broken row
        previous = line
    if judge is None:
        return cuts
    lo, hi = bounds[judge], bounds[judge + 1]
    had = False
    for index, line in enumerate(lines):
        mine = [w for w in line.words if lo <= (w["x0"] + w["x1"]) / 2 <= hi]
        # a judgement wrapped over two lines ("Partiellement" / "atteint") goes on in lower case
        if mine and index > 0 and not (had and mine[0]["text"][:1].islower()):
            if all(abs(c - (line.top - EDGE_SLACK)) > SAME_POSITION * pitch for c in cuts):
                cuts.append(line.top - EDGE_SLACK)
        had = bool(mine)
    return sorted(cuts)


# ---------------------------------------------------------------------------------------------
# The page


def find_unruled(
    page: Any,
    words: list[dict[str, Any]],
    ruled: list[BBox],
    carry: Carry | None,
    margin_band: float,
    cfg: UnruledSettings,
) -> tuple[list[UnruledTable], Carry | None]:
    """Unruled tables of a page and the column edges to carry to the next page.

    ``ruled`` lists the boxes of the ruled tables pdfplumber found on the page."""
    band = margin_band * page.height
    # page numbers in the margins belong to no table, even when they sit under one of its columns
    lines = [
        l
        for l in _baselines(words, cfg)
        if not ((l.bottom <= band or l.top >= page.height - band) and PAGE_NUMBER.match(_text(l.words).strip()))
    ]
    tables: list[UnruledTable] = []
    rules = [e["top"] for e in page.edges if e["orientation"] == "h"]
    headers = [h for h in _find_headers(lines, rules, cfg) if not _inside_grid(h, lines, ruled)]
    start_line = 0
    out_carry: Carry | None = None
    for header in headers:
        if header.index < start_line:
            continue
        made = _build(page, lines, header.index + 1, header, None, 0, 0.0, margin_band, cfg, previous=carry)
        if made is None:
            continue
        tables.append(made[0])
        start_line = made[1]
        out_carry = made[2]
    if carry is not None:
        # the rows at the top of the page, above any table of its own (and its caption), continue
        # the table left open on the previous page
        stop = min((t.region[1] for t in tables), default=float("inf"))
        above = [l for l in lines if l.bottom <= stop]
        # lines of the top band standing apart from what follows are the running header
        while (
            len(above) > 1
            and above[0].bottom <= band
            and above[1].top - above[0].bottom > cfg.max_row_gap * carry.pitch
        ):
            above = above[1:]
        if above and above[0].bottom <= band and len(above) == 1:
            above = []
        if above:
            made = _build(
                page,
                above,
                0,
                None,
                carry.edges,
                carry.anchor,
                carry.pitch,
                margin_band,
                cfg,
                carry.roles,
                drawn_edges=carry.drawn,
            )
            if made is not None:
                tables.insert(0, made[0])
                if not tables[1:]:
                    out_carry = made[2]
    return tables, out_carry


# A vertical rule is at most this wide (points): a thin filled rectangle is a rule, a band is not.
MAX_RULE_WIDTH = 2.0


def _column_rules_end(page: Any, top: float) -> float | None:
    """Where the vertical rules that cross a table's first line end (followed down through the
    pieces drawn row by row), when at least two do: a table ruled by its columns ends there.
    Rules are stroked lines and thin rectangles; the sides of a shading band are not rules."""
    rules = [*page.lines, *(r for r in page.rects if r["width"] <= MAX_RULE_WIDTH)]
    verticals = [e for e in rules if e["x1"] - e["x0"] <= MAX_RULE_WIDTH and e["bottom"] - e["top"] > 2]
    ends = []
    for rule in verticals:
        if not rule["top"] - SAME_POSITION <= top <= rule["bottom"]:
            continue
        bottom = rule["bottom"]
        while True:
            nxt = [
                v
                for v in verticals
                if abs(v["x0"] - rule["x0"]) <= 2 and abs(v["top"] - bottom) <= 2 and v["bottom"] > bottom
            ]
            if not nxt:
                break
            bottom = max(v["bottom"] for v in nxt)
        ends.append(bottom)
    return max(ends) if len(ends) >= 2 else None


def _closed_rows(page: Any, body: list[_Baseline], after: float, size: float, cfg: UnruledSettings) -> list[_Baseline]:
    """The body without the lines after its last rule when they sit further below it than every
    row sits below its own rule: rows ruled across open at the cell's padding under the rule, so
    text set further down (a paragraph after the table) is not a row."""
    x0 = min(w["x0"] for l in body for w in l.words)
    x1 = max(w["x1"] for l in body for w in l.words)
    # rules only: the edges of shaded bands (every other row) open rows at another distance
    bands = [r for r in page.rects if r.get("fill") and not r.get("stroke") and r["height"] > MAX_RULE_WIDTH]
    edges = [
        e for e in _h_edges(page, x0 - 2, x1 + 2, after - SAME_POSITION, body[-1].top)
        if not any(min(abs(e["top"] - b["top"]), abs(e["top"] - b["bottom"])) <= SAME_POSITION and b["x0"] - 1 <= e["x0"] <= b["x1"] + 1
                   for b in bands)
    ]  # fmt: skip
    ys = _rule_heights(edges, x0 - 2, x1 + 2, cfg.table_rule_share)
    opened: list[tuple[int, float]] = []  # (line index, distance below the rule just above it)
    previous = after
    for index, line in enumerate(body):
        above = [y for y in ys if previous - SAME_POSITION <= y <= line.top]
        if above:
            opened.append((index, line.top - max(above)))
        previous = line.bottom
    if len(opened) < 2:  # the usual padding needs a row to be seen (every cell is padded alike; a row broken
        return body  # by the page opens without a rule, and is not one of them)
    last, distance = opened[-1]
    usual = max(d for _, d in opened[:-1])
    return body[:last] if distance > usual + cfg.baseline_tolerance * size else body


def _padded_edges(
    rules: list[dict[str, Any]],
    bounds: list[float],
    gaps: list[list[tuple[float, float]]],
    text_left: float,
    size: float,
) -> list[float] | None:
    """Column edges of a table ruled across only, from its cells' padding: the rules start that far
    left of the first column's text, so each column's cell starts that far left of its text (the
    producer pads every cell alike). None when no rule shows the padding or a gap is too narrow."""
    starts = [
        e["x0"] for e in rules if e["x0"] < text_left - SAME_POSITION < e["x1"] and text_left - e["x0"] <= 2 * size
    ]
    if not starts:
        return None
    pad = text_left - min(starts)
    out = [min(starts)]
    for edge, runs in zip(bounds[1:-1], gaps):
        run = next(((a, b) for a, b in runs if a - EDGE_SLACK <= edge <= b + EDGE_SLACK), None)
        if run is None or run[1] + WORD_PAD - pad < run[0]:
            return None
        out.append(run[1] + WORD_PAD - pad)
    return [*out, bounds[-1]]


def _drawn_edges(
    page: Any, body: list[_Baseline], bounds: list[float], gaps: list[list[tuple[float, float]]], size: float
) -> list[float] | None:
    """The column edges as the table's vertical rules draw them, when a rule crosses the body in
    the white strip of every gap between columns and one stands just outside each side (a table
    ruled by its columns only); None otherwise, and the edges stay where the text aligns."""
    rules = [*page.lines, *(r for r in page.rects if r["width"] <= MAX_RULE_WIDTH)]
    y0, y1 = body[0].top, body[-1].bottom
    xs = sorted(
        (r["x0"] + r["x1"]) / 2 for r in rules
        if r["x1"] - r["x0"] <= MAX_RULE_WIDTH and r["top"] <= y0 + SAME_POSITION and r["bottom"] >= min(y1, y0 + size)
    )  # fmt: skip
    out = []
    left = [x for x in xs if bounds[0] - 2 * size <= x <= bounds[0] + EDGE_SLACK]
    # ragged text may end well short of the right rule: look as far as a third of the last column
    reach = max(2 * size, (bounds[-1] - bounds[-2]) / 3)
    right = [x for x in xs if bounds[-1] - EDGE_SLACK <= x <= bounds[-1] + reach]
    if not left or not right:
        return None
    out.append(max(left))
    for runs in gaps:
        inside = [x for x in xs if any(a - EDGE_SLACK <= x <= b + EDGE_SLACK for a, b in runs)]
        if not inside:
            return None
        out.append(inside[-1])
    out.append(min(right))
    return out


def _inside_grid(header: _Header, lines: list[_Baseline], ruled: list[BBox]) -> bool:
    """A header whose next line lies in the same ruled table is read by the ruled reader; one
    whose body lies outside it sits in shading that only looked like a grid."""
    if header.index + 1 >= len(lines):
        return False
    below = lines[header.index + 1]
    cx = (below.words[0]["x0"] + below.words[0]["x1"]) / 2
    for x0, top, x1, bottom in ruled:
        if top - 1 <= header.top and below.bottom <= bottom + 1 and x0 - 1 <= cx <= x1 + 1:
            return True
    return False


def _build(
    page: Any,
    lines: list[_Baseline],
    start: int,
    header: _Header | None,
    edges: tuple[float, ...] | None,
    anchor: int,
    pitch: float,
    margin_band: float,
    cfg: UnruledSettings,
    roles: tuple[str | None, ...] | list[str | None] = (),
    previous: Carry | None = None,
    drawn_edges: bool = False,
) -> tuple[UnruledTable, int, Carry | None] | None:
    size = header.size if header is not None else lines[start].size
    pitch = pitch or cfg.default_pitch * size
    carried_edges = header is None
    if header is not None:
        n = len(header.cells)
        gaps = [[(header.box(i - 1)[1], header.box(i)[0] + SAME_POSITION)] for i in range(1, n)]
        # column rules that stop where the table does: text below them does not narrow its strips
        ruled_end = _column_rules_end(page, header.top)
        grown_from = lines if ruled_end is None or start >= len(lines) or lines[start].top >= ruled_end else [
            l for l in lines if l.top < ruled_end]  # fmt: skip
        end, gaps, pitch = _grow(grown_from, start, gaps, pitch, header.bottom, cfg)
        if end == start:
            return None
        inner = _edges_from(gaps, lines[start:end], cfg)
        if previous is not None and len(previous.edges) == len(inner) + 2:
            # the table of the previous page repeated its header here: keep its column edges if
            # this page's white strips allow them (a page with few rows leaves strips wide)
            carried = previous.edges[1:-1]
            if all(any(a - EDGE_SLACK <= e <= b + EDGE_SLACK for a, b in runs) for e, runs in zip(carried, gaps)):
                inner = list(carried)
                carried_edges = True
                drawn_edges = previous.drawn
        roles = header.roles
        anchor = next((roles.index(r) for r in ("criterion", "theme") if r in roles), 0)
        top = header.top
    else:
        assert edges is not None
        inner = list(edges[1:-1])
        # a strip just wider than a gutter, ending where the next column's text starts
        gaps = [[(e - cfg.min_gutter, e + EDGE_SLACK - WORD_PAD / 3)] for e in inner]
        end, gaps, pitch = _grow(lines, start, gaps, pitch, lines[start].top, cfg)
        if end == start:
            return None
        top = lines[start].top
    body = lines[start:end]
    ruled_to = _column_rules_end(page, top)
    if ruled_to is not None:  # column rules stop where the table does: a line below them is not a row
        body = [l for l in body if l.top < ruled_to] or body
    body = _closed_rows(page, body, header.bottom if header is not None else top, size, cfg)
    all_words = [w for l in body for w in l.words] + (
        [w for c in header.cells for w in c] + header.span_words if header else []
    )
    left = min(w["x0"] for w in all_words)
    right = max(w["x1"] for w in all_words)
    bottom = body[-1].bottom
    rules = _h_edges(page, left - 2, right + 2, top - cfg.caption_reach, bottom + pitch)
    spanning = [e for e in rules if e["x1"] - e["x0"] >= cfg.table_rule_share * (right - left)]
    if spanning:
        left = min(left, min(e["x0"] for e in spanning))
        right = max(right, max(e["x1"] for e in spanning))
    left, right = left - EDGE_SLACK, right + EDGE_SLACK
    if edges is not None:  # a continued table keeps its width even when this part's text is narrow
        left, right = min(left, edges[0]), max(right, edges[-1])
    elif carried_edges and previous is not None:  # so does one whose header repeats on the new page
        left, right = min(left, previous.edges[0]), max(right, previous.edges[-1])
    bounds = [left, *inner, right]
    drawn = _drawn_edges(page, body, bounds, gaps, size)
    if drawn is None and not carried_edges:
        drawn = _padded_edges(rules, bounds, gaps, min(w["x0"] for w in all_words), size)
    if drawn is not None:
        bounds = drawn
        left, right = bounds[0], bounds[-1]
    framing = [_line(left, right, y) for y in _rule_heights(rules, left, right, cfg.table_rule_share)]
    caption, region_top = _caption(page, lines, header, framing, top, cfg) if header else (None, top - EDGE_SLACK)
    below = [e["top"] for e in spanning if bottom < e["top"] <= bottom + pitch]
    region_bottom = min(below) if below else bottom + EDGE_SLACK
    head_sep = top - EDGE_SLACK
    if header is not None:
        between = [e["top"] for e in spanning if header.bottom - EDGE_SLACK <= e["top"] <= body[0].top + SAME_POSITION]
        head_sep = max(between) if between else (header.bottom + body[0].top) / 2
    inside = [e for e in rules if head_sep + cfg.min_gutter < e["top"] < region_bottom - cfg.min_gutter]
    # rows are separated across the criterion column; shading of single cells (judgements) is not a row edge
    snapped = _per_column(inside, bounds, cfg)
    rows_at = {
        round(e["top"])
        for e in snapped
        if e["x0"] <= bounds[anchor] + SAME_POSITION and e["x1"] >= bounds[anchor + 1] - SAME_POSITION
    }
    separators = [e for e in snapped if round(e["top"]) in rows_at]
    by_gaps = not separators
    if by_gaps:
        judge = list(roles).index("judgement") if "judgement" in roles else None
        cuts = _anchors(body, bounds, anchor, judge, pitch, cfg)
        if judge is not None:
            cuts = _coloured_rows(page, body, bounds, judge, cuts, pitch)
        cuts = [y for y in cuts if head_sep + cfg.min_gutter < y < region_bottom - cfg.min_gutter]
        separators = []
        # cells with padding: the body opens further below the header than a line pitch (then a
        # column's lines one pitch apart across a row start are one cell's, not two cells')
        padded = header is not None and body[0].top - lines[header.index].top > pitch + cfg.baseline_tolerance * size
        padded = padded and all(
            step > pitch + cfg.baseline_tolerance * size for step in _row_steps(body, bounds, anchor, cuts)
        )
        for k, y in enumerate(cuts):
            following = cuts[k + 1] if k + 1 < len(cuts) else region_bottom
            opened = cuts[k - 1] if k else body[0].top - EDGE_SLACK
            merged = {
                c for c in range(len(bounds) - 1)
                if c != anchor and _flows_across(body, bounds, c, (opened, y, following), pitch, padded, cfg)
            }  # fmt: skip
            separators += _segments(bounds, y, merged)
    horizontal: list[Any] = [_line(left, right, y) for y in sorted({top - EDGE_SLACK, head_sep, region_bottom})]
    horizontal += separators
    verticals = [_vline(x, top - EDGE_SLACK, region_bottom) for x in bounds]
    if header is not None and header.span is not None:
        # the spanning title is one cell over its columns; their edges start under it
        first, last = header.span
        title_bottom = max(w["bottom"] for w in header.span_words)
        split = (title_bottom + header.sub_top) / 2
        horizontal.append(_line(bounds[first], bounds[last + 1], split))
        for k in range(first + 1, last + 1):
            verticals[k] = _vline(bounds[k], split, region_bottom)
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": verticals,
        "explicit_horizontal_lines": horizontal,
        "intersection_tolerance": EDGE_SLACK,
    }
    crop = page.crop(
        (
            max(left - 2, page.bbox[0]),
            max(top - 2, page.bbox[1]),
            min(right + 2, page.bbox[2]),
            min(region_bottom + 2, page.bbox[3]),
        )
    )
    found = crop.find_tables(settings)
    if not found:
        return None
    table = max(found, key=lambda t: (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1]))
    # cells bounded by drawn rules have the producer's padding on both sides (a word cut by the
    # column is told by where the rule stops it, not by where the next column's text starts)
    drawn_edges = drawn_edges or drawn is not None
    fragment = read_fragment(page, table, page.page_number, [w for l in lines for w in l.words], ruled=drawn_edges)
    fragment.ruled = False
    fragment.caption = caption
    if header is not None:
        roles = header.roles
    if by_gaps and "justification" in roles:
        _merge_empty_justifications(fragment, roles.index("justification"), anchor, header is not None)
    region = (left, region_top, right, region_bottom)
    open_end = region_bottom >= (1 - 2 * margin_band) * page.height - 2 * pitch
    carry = Carry(tuple(bounds), anchor, pitch, tuple(roles), drawn_edges) if open_end else None
    return UnruledTable(fragment, region), end, carry


def _coloured_rows(
    page: Any, body: list[_Baseline], bounds: list[float], column: int, cuts: list[float], pitch: float
) -> list[float]:
    """Row starts from the judgement column's coloured cells (a judgement given by its colour, the
    cell left empty): a cell's fill spans its row, so the first line inside it opens the row, where
    rows of one line each show no gap wider than their own step."""
    lo, hi = bounds[column], bounds[column + 1]
    out = list(cuts)
    for rect in page.rects:
        if (
            not rect.get("fill")
            or rect["height"] <= MAX_RULE_WIDTH
            or colour_hex(rect.get("non_stroking_color")) in (None, "#ffffff")
        ):
            continue
        if abs(rect["x0"] - lo) > 3 * EDGE_SLACK or abs(rect["x1"] - hi) > 3 * EDGE_SLACK:
            continue
        first = next((l for l in body if rect["top"] - SAME_POSITION <= l.top < rect["bottom"]), None)
        if first is None or first is body[0]:
            continue
        y = first.top - EDGE_SLACK
        if all(abs(c - y) > SAME_POSITION * pitch for c in out):
            out.append(y)
    return sorted(out)


def _flows_across(
    lines: list[_Baseline],
    bounds: list[float],
    column: int,
    rows: tuple[float, float, float],
    pitch: float,
    padded: bool,
    cfg: UnruledSettings,
) -> bool:
    """Whether a column's text runs on across a row start without starting a cell there: cells are
    top-aligned, so a cell of the new row opens on the row's first baseline; text of this column
    above the cut that goes on below it, off that baseline, is one cell merged over the rows.
    ``rows``: where the row above opens, the cut, and where the next row opens. A one-line cell
    opening the row above, then a line opening this row, are two cells: rows of one line each
    leave no line pitch to measure, and their own step (a point more or less) is taken for it."""
    opened, cut, following = rows
    lo, hi = bounds[column], bounds[column + 1]
    mine = [l for l in lines if any(lo <= (w["x0"] + w["x1"]) / 2 <= hi for w in l.words)]
    above = [l for l in mine if l.top < cut]
    below = [l for l in mine if cut <= l.top < following]
    if not above or not below:
        return False
    first = below[0]
    off_baseline = first.top - (cut + EDGE_SLACK) > cfg.baseline_tolerance * first.size
    row_above = [l for l in above if l.top >= opened]
    if (
        not off_baseline
        and len(row_above) == 1
        and row_above[0].top - (opened + EDGE_SLACK) <= cfg.baseline_tolerance * first.size
    ):
        return False
    # a line closer to the one above than the table's line pitch is the same cell's, wherever it
    # falls; so is one a pitch below it where cells have padding (a new cell would open lower)
    step = first.top - above[-1].top
    return off_baseline or step < pitch - SAME_POSITION or (padded and step <= pitch + SAME_POSITION)


def _row_steps(lines: list[_Baseline], bounds: list[float], column: int, cuts: list[float]) -> list[float]:
    """For each row start, how far a column's first line of the row lies below its last line of
    the row before (a line pitch in a table set without cell padding)."""
    lo, hi = bounds[column], bounds[column + 1]
    tops = [l.top for l in lines if any(lo <= (w["x0"] + w["x1"]) / 2 <= hi for w in l.words)]
    out = []
    for cut in cuts:
        above = [t for t in tops if t < cut]
        below = [t for t in tops if t >= cut]
        if above and below:
            out.append(below[0] - above[-1])
    return out


def _segments(bounds: list[float], y: float, open_columns: set[int]) -> list[dict[str, Any]]:
    """A row edge at ``y`` drawn across every column but the open ones (cells merged over it)."""
    out = []
    start: int | None = None
    for column in range(len(bounds)):
        closed = column < len(bounds) - 1 and column not in open_columns
        if closed and start is None:
            start = column
        elif not closed and start is not None:
            out.append(_line(bounds[start], bounds[column], y))
            start = None
    return out


def _merge_empty_justifications(fragment: Fragment, column: int, anchor: int, has_header: bool) -> None:
    """Without rules, a justification merged over several rows shows as empty justification
    cells under a filled one: a row with a criterion and no justification shares the one above."""
    start = 1 if has_header else 0
    for index in range(start, len(fragment.rows)):
        row = fragment.rows[index]
        if column < len(row) and anchor < len(row) and not (row[column] or "").strip() and (row[anchor] or "").strip():
            # the first row of a page part shares the last row of the part before (the stitcher
            # has it); later rows the row above in this part
            above = fragment.rows[index - 1] if index > start else None
            if above is None or (above[column] or "").strip() or fragment.merges[index - 1][column] == "above":
                row[column] = None
                fragment.merges[index][column] = "above"


def _vline(x: float, top: float, bottom: float) -> dict[str, Any]:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": bottom - top, "object_type": "line"}


def _rule_heights(edges: list[dict[str, Any]], x0: float, x1: float, share: float) -> list[float]:
    """Heights at which horizontal rules cover at least ``share`` of the span x0..x1 (browsers draw
    a rule cell by cell: its pieces at one height add up); a narrower table's rules do not."""
    lengths: dict[float, float] = {}
    for e in edges:
        y = round(e["top"] / SAME_POSITION) * SAME_POSITION
        lengths[y] = lengths.get(y, 0.0) + max(0.0, min(e["x1"], x1) - max(e["x0"], x0))
    return sorted(y for y, length in lengths.items() if length >= share * (x1 - x0))


def _caption(
    page: Any, lines: list[_Baseline], header: _Header, rules: list[dict[str, Any]], top: float, cfg: UnruledSettings
) -> tuple[str | None, float]:
    """Text between the header and the nearest rule or band edge above it that has text under it:
    the table's title row (drawn as a band or between rules). None when nothing frames it. The
    rules are those spanning the table: the foot of a narrower table above (a legend) frames no
    title of this one, so the question heading under it stays a heading."""
    above = sorted({round(e["top"], 1) for e in rules if top - cfg.caption_reach <= e["top"] < top - 2}, reverse=True)
    for y in above:
        inside = [l for l in lines if y - EDGE_SLACK <= l.top and l.bottom <= top + SAME_POSITION]
        if inside:
            return squash(" ".join(_text(l.words) for l in inside)), y
    return None, top - EDGE_SLACK
