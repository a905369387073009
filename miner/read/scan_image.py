"""The page image of a scan, before Tesseract reads it: binarise, straighten, find rules and
dark bands, clean.

Why each step:
- Otsu's threshold splits ink from paper whatever the scanner's grey levels; light shading
  (judgement cells, header rows) falls on the paper side.
- The skew is the angle whose sheared row profile is sharpest (text lines and rules then fall on
  few rows); a rule tilted by 1° drifts by 8 pt across an A4 table, and pdfplumber's table finder
  needs straight edges (without straightening the 1° test scan gives no criterion).
- Rules are runs of ink along rows or columns (a morphological opening by a line, computed with
  running sums in linear time); filled dark bands (a table's title row printed light on dark) are
  found by ink density and kept apart, as pdfplumber keeps a filled ``rect`` apart from its lines.
  Both are looked for on a copy reduced to about a pixel per point, then measured exactly at full
  resolution only where that copy shows them (:class:`ReducedSearch`): the same boxes, for a
  fraction of the filtering.
- A judgement tag's frame has sides shorter than a rule: its top and bottom are rules over one
  span, and thin ink columns joining their ends are its sides (:func:`frames` then names the
  lone frames, whose words belong to the frame, not to the heading line beside it).
- Tesseract reads the band's text once it is inverted to dark on light, and misreads a rule that
  touches a letter as "l" or "|", so rules are painted white; what Otsu puts on the paper side
  away from ink (a faded stamp) is painted white too, so Tesseract's own threshold cannot read it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from miner.settings import check_fields, resolve_settings, setting

__all__ = [
    "Box",
    "ImageSettings",
    "ReducedSearch",
    "clean_for_ocr",
    "find_rules",
    "frames",
    "ink_measure",
    "ink_windows",
    "lift_paper",
    "otsu_threshold",
    "print_of_colour",
    "skew_angle",
]

Box = tuple[int, int, int, int]
"""(x0, top, x1, bottom) in pixels of the page image."""


@dataclass(frozen=True)
class ImageSettings:
    """Heuristics of the page image of a scan before OCR."""

    min_skew: float = setting(
        0.1, "A page is straightened when its skew exceeds this many degrees; below it rules stay in tolerance."
    )
    max_skew: float = setting(5.0, "The skew is searched within this many degrees: a scanner feeds within a few.")
    rule_min_length: float = setting(
        25.0, "A rule is at least this long (points): longer than any dash or underlined letter."
    )
    rule_max_thickness: float = setting(
        3.0, "A rule is at most this thick (points); thicker dark areas are filled bands."
    )
    band_min_thickness: float = setting(
        5.0, "A filled band (a dark table title row) is at least this thick (points): thicker than bold strokes."
    )
    erase_rules: bool = setting(
        True,
        "Rules are painted white before Tesseract reads the page: without it the 150 dpi test scan loses six "
        "constats to '|' and '1' read from cell borders.",
    )
    rule_fringe_px: int = setting(
        1,
        "Pixels erased each side of a rule (its blurred fringe): 2 px clipped the descenders of cells' last "
        "lines and doubled that scan's constat CER.",
    )
    band_fill: float = setting(0.6, "A filled band is at least this share dark: its light text takes a third at most.")
    band_edge_fill: float = setting(
        0.35,
        "A row or column of a band's box belongs to it when this share is ink (light text leaves half, the "
        "bold titles of a light header row a fifth).",
    )
    lift_paper: bool = setting(
        True,
        "What Otsu's threshold puts on the paper side and is not next to ink (a faded stamp over a table, "
        "light shading) is made white before Tesseract reads the page: a stamp at grey 185 over a table "
        "garbled three constats of a generated scan, though our own rules finder already ignored it.",
    )
    lift_min_dpi: float = setting(
        200,
        "Paper is lifted only on pages read at this resolution or more: on the 150 dpi noisy test scan, a "
        "lifted page read 'est-il' as 'est- l'' (faint strokes carry the letters there); at 200 and 300 dpi it "
        "reads the shared scan's 29 constats exactly (28 before) and the stamped generated scans.",
    )
    rule_fill: float = setting(
        0.9, "A window counts as a rule when this share of it is dark, which allows for scanner dropouts."
    )
    colour_chroma: int = setting(
        60,
        "On a colour scan a pixel whose channels spread by at least this much (of 255) is coloured ink: "
        "JPEG noise on black print and white paper spreads them by 10-25, a red stamp by 140.",
    )
    stamp_overlap: float = setting(
        0.015,
        "Coloured ink is pressed over print when black print makes at least this share of its pixels "
        "(a stamp over table cells 0.02-0.45; JPEG's dark specks inside red print letters 0.002-0.011).",
    )
    stamp_light: int = setting(
        16,
        "A stamp's ink is light in its brightest channel, at least this far above Otsu's threshold (a red "
        "stamp 185; dark red print 153, a brown frame 102: print, kept).",
    )
    stamp_reach: int = setting(
        3,
        "Coloured ink within this many pixels of black print is pressed over it (a stamp): a scanner's "
        "blur joins them; coloured print (a red heading) stands apart from black print by more.",
    )

    def __post_init__(self) -> None:
        check_fields(self)

    resolve = classmethod(resolve_settings)


def print_of_colour(rgb: Any, settings: ImageSettings) -> Any:
    """The grey page of a colour scan (uint8 H x W x 3) without the coloured ink pressed over its
    print: a stamp's strokes as dark as print once grey would garble the cells under them. Coloured
    ink is told by its channels' spread; in a connected stroke of it lying over black print (a share of
    ``stamp_overlap`` of its pixels) or inside the box of one, the pixels whose brightest channel is
    light (a fresh stamp's ink) take that channel (the print under them is black in every channel
    and stays); coloured
    print keeps its grey: a red notice apart from black print, a dark brown frame around a black word.

    >>> import numpy as np
    >>> page = np.full((20, 40, 3), 255, np.uint8)
    >>> page[9:11, 2:20] = (185, 35, 45)  # a red stamp's stroke...
    >>> page[5:15, 5:8] = 0  # ...across a black stroke of print, which stays black (darkest ink)
    >>> page[5:15, 30:33] = (150, 0, 0)  # red print away from it
    >>> grey = print_of_colour(page, ImageSettings())
    >>> int(grey[10, 15]), int(grey[10, 6]), int(grey[10, 31]) < 80
    (185, 0, True)
    """
    import numpy as np
    from scipy import ndimage as ndi

    channels = rgb.astype(np.int16)
    spread = channels.max(axis=2) - channels.min(axis=2)
    grey = (channels @ np.array([299, 587, 114], np.int16).astype(np.int32) // 1000).astype(np.uint8)
    coloured = spread >= settings.colour_chroma
    if not coloured.any():
        return grey
    threshold = otsu_threshold(grey)
    black = ~coloured & (grey < threshold)
    labels, count = ndi.label(ndi.binary_dilation(coloured, iterations=settings.stamp_reach))
    ink = labels * coloured
    inked = np.bincount(ink.ravel(), minlength=count + 1).astype(np.float64)
    over = np.bincount((labels * black).ravel(), minlength=count + 1)
    light = ndi.median(channels.max(axis=2), ink, index=np.arange(count + 1))
    bright = threshold + settings.stamp_light
    stamp_like = [k for k in range(1, count + 1) if inked[k] and light[k] >= bright]
    pressed = [k for k in range(1, count + 1) if inked[k] and over[k] >= settings.stamp_overlap * inked[k]]
    if not pressed:
        return grey
    # the stamp's own letters inside its border lie over paper: in the box of a stroke pressed over print
    places = ndi.find_objects(labels)
    boxes = [places[k - 1] for k in pressed]
    pressed += [
        k
        for k in stamp_like
        if k not in pressed
        and any(all(b.start <= a.start and a.stop <= b.stop for a, b in zip(places[k - 1], box)) for box in boxes)
    ]
    # with its blurred edges, whose spread is smaller (black print there keeps its dark channels)
    # only its light ink: a stamp pressed on a dark coloured band (a table's header) joins it
    stamp = np.isin(labels, pressed) & coloured & (channels.max(axis=2) >= bright)
    if not stamp.any():
        return grey
    stamp = ndi.binary_dilation(stamp, iterations=2)
    # its brightest channel: the stamp's ink is light there, but where it blurs into print (a thin
    # rule it crosses) the pixel stays dark, so the rule is not cut in pieces shorter than a rule
    ys, xs = np.nonzero(stamp)
    window = (slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.max() + 1))
    # a 3 x 3 median: JPEG's coarse colour leaves specks in a stamp's strokes, a stroke of print is wider
    brightest = ndi.median_filter(channels[window].max(axis=2), size=3).astype(np.uint8)
    grey[window][stamp[window]] = brightest[stamp[window]]
    return grey


def otsu_threshold(gray: Any) -> int:
    """Otsu's threshold on a uint8 image: the grey level that best splits ink from paper."""
    import numpy as np
    from PIL import Image

    # Pillow counts in C over the bytes; numpy's bincount first widens each pixel to 8 bytes
    hist = np.asarray(Image.fromarray(np.ascontiguousarray(gray)).histogram(), dtype=np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * np.arange(256))
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight / total - mass) ** 2 / (weight * (total - weight))
    between = np.nan_to_num(between)
    return int(np.argmax(between))


def skew_angle(dark: Any, settings: ImageSettings) -> float:
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


@dataclass(frozen=True)
class ReducedSearch:
    """Where :func:`find_rules` looks first: a reduced copy of the ink mask, whose finds are then
    measured exactly at full resolution, only in the rows, columns and boxes they name."""

    px_per_pt: float = field(
        default=1.0,
        metadata={
            "why": "one pixel per point still shows a 25 pt rule as 25 pixels and a 5 pt band as 5; at 200 dpi "
            "that is 9x fewer pixels to filter (the full-resolution search took 0.3 s a page)"
        },
    )
    rule_slack: float = field(
        default=0.02,
        metadata={
            "why": "a rule's blocks are at least as dark as its pixels, but the reduced window is a block shorter: "
            "0.02 covers that loss (candidates only say where the exact search looks)"
        },
    )
    band_slack: float = field(
        default=0.05,
        metadata={
            "why": "a band's density is kept by averaging blocks, but its window is rounded to whole blocks; 0.1 "
            "let bold text through (300 candidates a page instead of 70)"
        },
    )


def find_rules(
    dark: Any, px_per_pt: float, settings: ImageSettings, reduced: ReducedSearch | None = ReducedSearch()
) -> tuple[list[Box], list[Box]]:
    """(rules, bands) in pixels of an ink mask whose pixels are ``px_per_pt`` to the point.

    With ``reduced`` (the default) candidates are found on a copy of the mask reduced to
    ``reduced.px_per_pt`` and measured exactly in the full mask where they are; ``None`` searches
    the whole full mask (the reference the reduced search must equal).
    """
    import numpy as np
    from scipy import ndimage as ndi

    factor = round(px_per_pt / reduced.px_per_pt) if reduced else 1
    height, width = dark.shape
    band_side = max(3, int(settings.band_min_thickness * px_per_pt))
    min_length = int(settings.rule_min_length * px_per_pt)
    if factor < 2:
        bands = _bands_in(dark, (0, 0, width, height), band_side, min_length, settings)
    else:
        # density survives a mean over blocks; a thin rule survives only their maximum
        small = _pool(dark, factor)
        small_side = max(3, band_side // factor)
        margin = 2 * band_side
        boxes = _merged(
            [
                (
                    max(0, x0 * factor - margin),
                    max(0, top * factor - margin),
                    min(width, x1 * factor + margin),
                    min(height, bottom * factor + margin),
                )
                for x0, top, x1, bottom in _dense_boxes(small, small_side, settings.band_fill - reduced.band_slack)
            ]
        )
        bands = sorted(
            {band for box in boxes for band in _bands_in(dark, box, band_side, min_length, settings)},
            key=lambda b: (b[1], b[0]),
        )
    band_area = np.zeros_like(dark)
    for x0, top, x1, bottom in bands:
        band_area[top:bottom, x0:x1] = True
    rest = dark & ~band_area
    thick = settings.rule_max_thickness * px_per_pt
    rules: list[Box] = []
    for axis in (1, 0):
        if factor < 2:
            spans = [(0, rest.shape[1 - axis])]
        else:
            # the rows (columns) where a run is centred: a rule's run, whose blocks are at least as
            # dark as its own row (column) in them, is centred there too; the exact search then
            # filters those only. Text is seldom that dark along one row of every block.
            share = ndi.uniform_filter1d(
                _pool_lines(rest, factor, axis), max(2, min_length // factor - 1), axis=axis, mode="constant"
            )
            spans = _merged_spans(
                [
                    (max(0, (lo - 1) * factor), min(rest.shape[1 - axis], (hi + 1) * factor))
                    for lo, hi in _spans_across(share >= settings.rule_fill - reduced.rule_slack, axis)
                ]
            )
        along = [
            rule
            for lo, hi in spans
            for rule in _rules_in(
                rest[lo:hi] if axis == 1 else rest[:, lo:hi], axis, lo, min_length, thick, settings.rule_fill
            )
        ]
        if axis == 0:  # a small frame's sides are shorter than a rule: found from its top and bottom
            along += _frame_sides(rest, rules, min_length, thick, settings.rule_fill)
        rules += sorted(along, key=lambda b: (b[1], b[0]))  # one order however the search was cut
    return rules, bands


def _frame_sides(dark: Any, horizontal: list[Box], min_length: int, thick: float, fill: float) -> list[Box]:
    """The vertical sides of frames shorter than a rule (a judgement tag around one word): two
    horizontal rules over the same span, less than a rule's length apart, whose ends are joined by
    a thin column of ink on both sides. Their tops and bottoms are rules, their sides too short to
    be; without the sides the table finder sees two lines and no cell, so the tag is lost."""
    tolerance = max(2, int(thick))
    sides: list[Box] = []
    for index, upper in enumerate(horizontal):
        for lower in horizontal[index + 1 :]:
            gap = lower[1] - upper[3]
            if not thick < gap < min_length:
                continue
            if abs(upper[0] - lower[0]) > tolerance or abs(upper[2] - lower[2]) > tolerance:
                continue
            top, bottom = upper[1], lower[3]
            pair = []
            for end in (min(upper[0], lower[0]), max(upper[2], lower[2])):
                x0, x1 = max(0, end - tolerance), min(dark.shape[1], end + tolerance)
                column = dark[upper[3] : lower[1], x0:x1]
                inked = column.any(axis=0)
                # the side: columns inked in nearly every row between the two rules
                full = [x0 + i for i, share in enumerate(column.mean(axis=0).tolist()) if inked[i] and share >= fill]
                if not full or full[-1] - full[0] + 1 > thick:
                    break
                pair.append((full[0], top, full[-1] + 1, bottom))
            if len(pair) == 2:
                sides += pair
                break  # the nearest lower rule closes this frame
    return sides


def frames(rules: list[Box], tolerance: int) -> list[Box]:
    """Lone frames among ``rules``: four rules meeting at the corners of a box (within
    ``tolerance`` pixels) with no other rule inside it, the image's counterpart of a lone ruled
    cell (a judgement tag, a boxed notice). What is written inside belongs to the frame, not to
    the line of text beside it."""
    horizontal = [r for r in rules if r[2] - r[0] >= r[3] - r[1]]
    vertical = sorted((r for r in rules if r[2] - r[0] < r[3] - r[1]), key=lambda r: r[0])

    def near(a: int, b: int) -> bool:
        return abs(a - b) <= tolerance

    def spans(rule: Box, x0: int, x1: int, y: int) -> bool:
        return near(rule[0], x0) and near(rule[2], x1) and (near(rule[1], y) or near(rule[3], y))

    out: list[Box] = []
    for index, left in enumerate(vertical):
        for right in vertical[index + 1 :]:
            if not (near(left[1], right[1]) and near(left[3], right[3])):
                continue
            box = (left[0], min(left[1], right[1]), right[2], max(left[3], right[3]))
            if not (
                any(spans(h, box[0], box[2], box[1]) for h in horizontal)
                and any(spans(h, box[0], box[2], box[3]) for h in horizontal)
            ):
                continue
            inside = (box[0] + tolerance, box[1] + tolerance, box[2] - tolerance, box[3] - tolerance)
            if not any(r[0] < inside[2] and inside[0] < r[2] and r[1] < inside[3] and inside[1] < r[3] for r in rules):
                out.append(box)
            break  # the nearest right side closes this frame
    return out


def _pool(mask: Any, factor: int) -> Any:
    """The share of ink in each ``factor`` × ``factor`` block of ``mask`` (Pillow's box reduction,
    in C; a block with any ink has a share above 0)."""
    import numpy as np
    from PIL import Image

    image = Image.fromarray(mask.astype(np.uint8) * 255)
    return np.asarray(image.reduce(factor), dtype=np.float32) / 255


def _pool_lines(mask: Any, factor: int, axis: int) -> Any:
    """Each ``factor`` x ``factor`` block of ``mask`` as the ink share of its darkest row (``axis``
    1) or column (0): a horizontal rule one pixel thick fills its blocks' row, where a mean over
    the block would dilute it to a third, as deep as the ink of text.

    >>> import numpy as np
    >>> mask = np.zeros((6, 7), bool)
    >>> mask[4, :6] = True
    >>> _pool_lines(mask, 3, 1).tolist()
    [[0.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
    """
    import numpy as np

    height, width = mask.shape
    padded = np.zeros((-(-height // factor) * factor, -(-width // factor) * factor), np.uint8)
    padded[:height, :width] = mask
    # the ink along the rule's direction inside each block, then the darkest line across it, as
    # sums and maxima of strided views (a reduction over a short last axis is 10x slower)
    lines = padded if axis == 1 else padded.T
    along = sum(lines[:, i::factor] for i in range(factor))
    darkest = np.maximum.reduce([along[i::factor] for i in range(factor)])
    return (darkest if axis == 1 else darkest.T).astype(np.float32) / factor


def _dense_boxes(share: Any, side: int, fill: float) -> list[Box]:
    """Boxes of the parts of a (reduced) ink share map at least ``fill`` dark over ``side`` pixels."""
    import numpy as np
    from scipy import ndimage as ndi

    dense = ndi.uniform_filter(share.astype(np.float32), side, mode="constant") >= fill
    labels, _ = ndi.label(ndi.maximum_filter(dense, side))
    return [(xs.start, ys.start, xs.stop, ys.stop) for ys, xs in ndi.find_objects(labels)]


def _merged(boxes: list[Box]) -> list[Box]:
    """Overlapping boxes joined until none overlap, so no band is measured in two pieces: groups
    of boxes that overlap, directly or through others, become their bounding boxes (an overlap
    matrix and its connected groups, repeated while joined boxes overlap anew)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    out = list(boxes)
    while len(out) > 1:
        a = np.asarray(out)
        overlap = (
            (a[:, None, 0] < a[None, :, 2])
            & (a[None, :, 0] < a[:, None, 2])
            & (a[:, None, 1] < a[None, :, 3])
            & (a[None, :, 1] < a[:, None, 3])
        )
        count, group = connected_components(csr_matrix(overlap), directed=False)
        if count == len(out):
            break
        out = [
            (
                int(a[group == g, 0].min()),
                int(a[group == g, 1].min()),
                int(a[group == g, 2].max()),
                int(a[group == g, 3].max()),
            )
            for g in range(count)
        ]
    return out


def _spans_across(found: Any, axis: int) -> list[tuple[int, int]]:
    """The runs of rows (``axis`` 1) or columns (0) that hold a found pixel."""
    import numpy as np

    hit = np.flatnonzero(found.any(axis=axis))
    if not len(hit):
        return []
    breaks = np.flatnonzero(np.diff(hit) > 1)
    starts = [hit[0], *hit[breaks + 1]]
    ends = [*hit[breaks], hit[-1]]
    return [(int(a), int(b) + 1) for a, b in zip(starts, ends)]


def ink_windows(mask: Any, reach: tuple[int, int]) -> list[tuple[slice, slice]]:
    """Windows (rows, columns) of ``mask`` holding all its ink, with ``reach`` = (rows, columns) of
    ink-free margin: a filter reaching no further than that, then a labelling, finds in each
    window, offset by its start, what it finds in the whole mask, in the same order. Ink left over
    after Tesseract's words is a few hundred pixels of a 4 M pixel page: filtering only around it
    saves the whole-page passes (40 ms a page).

    >>> import numpy as np
    >>> mask = np.zeros((100, 50), bool)
    >>> mask[10, 5] = mask[12, 40] = mask[80, 20] = True
    >>> ink_windows(mask, (2, 3))
    [(slice(8, 15, None), slice(2, 44, None)), (slice(78, 83, None), slice(17, 24, None))]
    """
    import numpy as np

    height, width = mask.shape
    rows = _merged_spans([(max(0, lo - reach[0]), min(height, hi + reach[0])) for lo, hi in _spans_across(mask, 1)])
    windows = []
    for lo, hi in rows:
        columns = np.flatnonzero(mask[lo:hi].any(axis=0))
        windows.append(
            (slice(lo, hi), slice(max(0, int(columns[0]) - reach[1]), min(width, int(columns[-1]) + 1 + reach[1])))
        )
    return windows


def _merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _bands_in(dark: Any, box: Box, band_side: int, min_length: int, settings: ImageSettings) -> list[Box]:
    """The filled bands of the full mask inside ``box`` (whole bands: a box found from the
    reduced mask has a margin of two band sides), in full-mask pixels."""
    import numpy as np
    from scipy import ndimage as ndi

    bx0, btop, bx1, bbottom = box
    crop = dark[btop:bbottom, bx0:bx1]
    dense = ndi.uniform_filter(crop.astype(np.float32), band_side, mode="constant") >= settings.band_fill
    grown = ndi.maximum_filter(dense, band_side)
    band_mask = grown & crop
    labels, _ = ndi.label(grown)
    bands: list[Box] = []
    for sl in ndi.find_objects(labels):
        ys, xs = sl
        inked = np.nonzero(band_mask[sl])
        if not len(inked[0]):
            continue
        top, bottom = btop + ys.start + int(inked[0].min()), btop + ys.start + int(inked[0].max()) + 1
        x0, x1 = bx0 + xs.start + int(inked[1].min()), bx0 + xs.start + int(inked[1].max()) + 1
        # trim to the rows, then the columns, that are mostly ink (rules touching the band are not)
        top, bottom = _dense_span(dark[top:bottom, x0:x1].mean(axis=1), settings.band_edge_fill, top)
        x0, x1 = _dense_span(dark[top:bottom, x0:x1].mean(axis=0), settings.band_edge_fill, x0)
        if x1 - x0 >= min_length and bottom - top >= band_side:
            bands.append((x0, top, x1, bottom))
    return bands


def _rules_in(part: Any, axis: int, offset: int, min_length: int, thick: float, fill: float) -> list[Box]:
    """The rules along ``axis`` of a slab of whole rows (axis 1) or columns (0) starting at
    ``offset``: the runs filter along the slab, so a slab's answer is the full mask's there."""
    from scipy import ndimage as ndi

    found = _runs(part, axis, min_length, fill)
    labels, _ = ndi.label(found)
    rules: list[Box] = []
    for ys, xs in ndi.find_objects(labels):
        along, across = (
            (xs.stop - xs.start, ys.stop - ys.start) if axis == 1 else (ys.stop - ys.start, xs.stop - xs.start)
        )
        if along >= min_length and across <= thick:
            rules.append(
                (xs.start, ys.start + offset, xs.stop, ys.stop + offset)
                if axis == 1
                else (xs.start + offset, ys.start, xs.stop + offset, ys.stop)
            )
    return rules


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


def clean_for_ocr(
    gray: Any,
    dark: Any,
    rules: list[Box],
    bands: list[Box],
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
        edges += [
            (x0, top, x1, top + 1),
            (x0, bottom - 1, x1, bottom),
            (x0, top, x0 + 1, bottom),
            (x1 - 1, top, x1, bottom),
        ]
    height, width = out.shape
    for x0, top, x1, bottom in edges:
        window = (
            slice(max(0, top - margin), min(height, bottom + margin)),
            slice(max(0, x0 - margin), min(width, x1 + margin)),
        )
        patch = out[window]
        patch[dark[window] | (patch < 200)] = 255
    return np.ascontiguousarray(out)


def lift_paper(image: Any, threshold: int, reach: int = 1) -> Any:
    """``image`` (uint8, changed in place) with its paper-side pixels made white unless they are
    within ``reach`` pixels of ink: the anti-aliased edges and faint strokes of print stay, light
    marks away from print (a faded stamp, shading) go, so Tesseract's own threshold cannot take
    them for letters."""
    import numpy as np

    # ink grown ``reach`` pixels each way with shifted ORs (a rank filter over the grey image is 10x slower)
    near = image < threshold
    for _ in range(reach):
        tall = near.copy()
        tall[1:] |= near[:-1]
        tall[:-1] |= near[1:]
        near = tall.copy()
        near[:, 1:] |= tall[:, :-1]
        near[:, :-1] |= tall[:, 1:]
    np.bitwise_or(image, 255, out=image, where=~near)
    return image


def ink_measure(dark: Any, box: Box) -> tuple[int, int]:
    """(ink area, ink perimeter) in a box, in pixels: their ratio measures stroke width."""
    import numpy as np

    x0, top, x1, bottom = box
    crop = dark[top:bottom, x0:x1]
    perimeter = int(np.count_nonzero(np.diff(crop, axis=0))) + int(np.count_nonzero(np.diff(crop, axis=1)))
    return int(crop.sum()), perimeter
