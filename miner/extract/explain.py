"""See what the reader did: one PNG per page with its blocks, tables, cells and column roles.

Like pdfplumber's ``debug_tablefinder``, which draws the edges and cells its finder used, this
draws miner's decisions over the page (rendered by pdfplumber's ``to_image``): every block framed
in the colour of its kind, every table part with its cells, the role given to each column written
in its header cell (and whether the title or the content gave it), and the reason a table was
rejected. A layout the reader gets wrong shows where it went wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

from miner.errors import InputError, MinerError, UsageError
from miner.extract.evaluation import Reading, fail_loudly, read_structure
from miner.read.isolate import Limits, run_isolated
from miner.read.pdf import LayoutSettings, read_pdf

__all__ = ["ExplainSettings", "explain", "explain_isolated", "parse_pages"]

# Outline colours by block kind (RGBA): distinct hues, translucent so the text stays readable.
KIND_COLOURS = {
    "heading": (31, 119, 180, 255),
    "paragraph": (127, 127, 127, 255),
    "list_item": (44, 160, 44, 255),
    "caption": (23, 190, 207, 255),
    "box": (255, 127, 14, 255),
    "figure": (148, 103, 189, 255),
    "margin": (227, 119, 194, 255),
    "table": (214, 39, 40, 255),
}
CELL_COLOUR = (214, 39, 40, 110)
UNRULED_CELL_COLOUR = (255, 127, 14, 140)
ROLE_FILL = (255, 255, 160, 220)


@dataclass(frozen=True)
class ExplainSettings:
    # Pixels per inch of the page images: 100 keeps an A4 page near 830 x 1170 pixels.
    resolution: int = 100


def parse_pages(text: str | None, count: int) -> list[int]:
    """Page numbers from "N" or "N-M" (1-based, inclusive); all pages when None.

    >>> parse_pages("2-4", 9), parse_pages("3", 9), parse_pages(None, 2)
    ([2, 3, 4], [3], [1, 2])
    """
    if text is None:
        return list(range(1, count + 1))
    try:
        first, _, last = text.partition("-")
        lo, hi = int(first), int(last or first)
    except ValueError:
        raise UsageError(f"--pages must be N or N-M, got {text!r}") from None
    if not 1 <= lo <= hi <= count:
        raise UsageError(f"--pages {text} is outside 1-{count}")
    return list(range(lo, hi + 1))


def explain(
    path: str | Path,
    out_dir: str | Path,
    *,
    pages: str | None = None,
    password: str | None = None,
    layout: LayoutSettings | None = None,
    settings: ExplainSettings | None = None,
    ocr: Any = None,
) -> tuple[list[Path], Reading]:
    """Write ``<stem>-p<N>.png`` for each page asked; returns the files and what was read."""
    path, out_dir = Path(path), Path(out_dir)
    cfg = settings or ExplainSettings()
    document = read_pdf(path, password=password, layout=layout, ocr=ocr)
    reading = read_structure(document)
    verdicts = {id(v.block): v for v in reading.tables}
    blocks = document.blocks
    wanted = parse_pages(pages, document.source.pages)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with pdfplumber.open(path, password=password or "") as pdf:
        for number in wanted:
            page = pdf.pages[number - 1]
            image = page.to_image(resolution=cfg.resolution)
            for block in blocks:
                if block.page == number and block.kind != "table":
                    image.draw_rect(block.bbox, fill=None, stroke=KIND_COLOURS[block.kind], stroke_width=2)
            for fragment, index in document.fragments:
                if fragment.page != number:
                    continue
                colour = CELL_COLOUR if fragment.ruled else UNRULED_CELL_COLOUR
                image.draw_rects(fragment.cell_boxes, fill=None, stroke=colour, stroke_width=1)
                image.draw_rect(fragment.bbox, fill=None, stroke=KIND_COLOURS["table"], stroke_width=3)
                verdict = verdicts.get(id(blocks[index]))
                _label_roles(image, fragment, verdict)
            written.append(out_dir / f"{path.stem}-p{number}.png")
            image.save(written[-1], format="PNG")
    return written, reading


def _label_roles(image: object, fragment: object, verdict: object) -> None:
    """Write each column's role in the table part's first row, or why the table was rejected."""
    draw = image.draw  # type: ignore[attr-defined]
    scale, (x_origin, y_origin) = image.scale, image.bbox[:2]  # type: ignore[attr-defined]
    x0, top = fragment.bbox[0], fragment.bbox[1]  # type: ignore[attr-defined]

    def at(x: float, y: float) -> tuple[float, float]:
        return ((x - x_origin) * scale, (y - y_origin) * scale)

    if verdict is None:
        return
    if verdict.reason or verdict.roles is None:  # type: ignore[attr-defined]
        draw.text(at(x0 + 2, top - 10), f"rejected: {verdict.reason}", fill=(214, 39, 40, 255))  # type: ignore[attr-defined]
        return
    roles = verdict.roles  # type: ignore[attr-defined]
    edges = fragment.col_edges  # type: ignore[attr-defined]
    for column in range(len(edges) - 1):
        role = roles.label(column)
        if role is None:
            continue
        label = f"{role} ({roles.how.get(role, 'title')})"
        x, y = at(edges[column] + 1, top + 1)
        box = draw.textbbox((x, y), label)
        draw.rectangle(box, fill=ROLE_FILL)
        draw.text((x, y), label, fill=(0, 0, 0, 255))


def explain_isolated(
    path: str | Path,
    out_dir: str | Path,
    *,
    pages: str | None = None,
    password: str | None = None,
    ocr: Any = None,
    limits: Limits | None = None,
) -> tuple[list[Path], str | None]:
    """:func:`explain` in an isolated worker, with the reader's declared time and memory limits (the
    file is untrusted, as in `miner extract`): the images written, and the reader's failure to find
    the structure (one line) or None. A file that cannot be read within its limits is an InputError."""

    def work(key: str) -> str:
        try:
            written, reading = explain(key, out_dir, pages=pages, password=password, ocr=ocr)
        except UsageError as exc:
            return json.dumps({"usage": str(exc)})
        try:
            fail_loudly(reading)
        except MinerError as exc:
            return json.dumps({"written": [str(p) for p in written], "failure": str(exc)})
        return json.dumps({"written": [str(p) for p in written], "failure": None})

    [outcome] = list(run_isolated(work, [str(path)], limits))
    if outcome.error is not None:
        raise InputError(path, outcome.error)
    found = json.loads(outcome.value or "{}")
    if "usage" in found:
        raise UsageError(found["usage"])
    return [Path(p) for p in found["written"]], found["failure"]
