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
- Tesseract reads the band's text once it is inverted to dark on light, and misreads a rule that
  touches a letter as "l" or "|", so rules are painted white.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from miner.settings import check_fields, resolve_settings, setting

__all__ = ["Box", "ImageSettings", "clean_for_ocr", "find_rules", "ink_measure", "otsu_threshold", "skew_angle"]

Box = tuple[int, int, int, int]
"""(x0, top, x1, bottom) in pixels of the page image."""


@dataclass(frozen=True)
class ImageSettings:
    """Heuristics of the page image of a scan before OCR."""

    min_skew: float = setting(0.1,
        "A page is straightened when its skew exceeds this many degrees; below it rules stay in tolerance.")
    max_skew: float = setting(5.0, "The skew is searched within this many degrees: a scanner feeds within a few.")
    rule_min_length: float = setting(25.0,
        "A rule is at least this long (points): longer than any dash or underlined letter.")
    rule_max_thickness: float = setting(3.0,
        "A rule is at most this thick (points); thicker dark areas are filled bands.")
    band_min_thickness: float = setting(5.0,
        "A filled band (a dark table title row) is at least this thick (points): thicker than bold strokes.")
    erase_rules: bool = setting(True,
        "Rules are painted white before Tesseract reads the page: without it the 150 dpi test scan loses six "
        "constats to '|' and '1' read from cell borders.")
    rule_fringe_px: int = setting(1,
        "Pixels erased each side of a rule (its blurred fringe): 2 px clipped the descenders of cells' last "
        "lines and doubled that scan's constat CER.")
    band_fill: float = setting(0.6,
        "A filled band is at least this share dark: its light text takes a third at most.")
    band_edge_fill: float = setting(0.35,
        "A row or column of a band's box belongs to it when this share is ink (light text leaves half, the "
        "bold titles of a light header row a fifth).")
    rule_fill: float = setting(0.9,
        "A window counts as a rule when this share of it is dark, which allows for scanner dropouts.")

    def __post_init__(self) -> None:
        check_fields(self)

    resolve = classmethod(resolve_settings)


def otsu_threshold(gray: Any) -> int:
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


def find_rules(dark: Any, px_per_pt: float, settings: ImageSettings) -> tuple[list[Box], list[Box]]:
    """(rules, bands) in pixels of an ink mask whose pixels are ``px_per_pt`` to the point."""
    import numpy as np
    from scipy import ndimage as ndi

    band_side = max(3, int(settings.band_min_thickness * px_per_pt))
    dense = ndi.uniform_filter(dark.astype(np.float32), band_side, mode="constant") >= settings.band_fill
    band_mask = ndi.maximum_filter(dense, band_side) & dark
    bands: list[Box] = []
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
    rules: list[Box] = []
    for axis in (1, 0):
        found = _runs(rest, axis, min_length, settings.rule_fill)
        labels, _ = ndi.label(found)
        for sl in ndi.find_objects(labels):
            ys, xs = sl
            along, across = (xs.stop - xs.start, ys.stop - ys.start) if axis == 1 else (ys.stop - ys.start, xs.stop - xs.start)
            if along >= min_length and across <= thick:
                rules.append((xs.start, ys.start, xs.stop, ys.stop))
    return rules, bands


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
        edges += [(x0, top, x1, top + 1), (x0, bottom - 1, x1, bottom), (x0, top, x0 + 1, bottom), (x1 - 1, top, x1, bottom)]
    height, width = out.shape
    for x0, top, x1, bottom in edges:
        window = (slice(max(0, top - margin), min(height, bottom + margin)), slice(max(0, x0 - margin), min(width, x1 + margin)))
        patch = out[window]
        patch[dark[window] | (patch < 200)] = 255
    return np.ascontiguousarray(out)


def ink_measure(dark: Any, box: Box) -> tuple[int, int]:
    """(ink area, ink perimeter) in a box, in pixels: their ratio measures stroke width."""
    import numpy as np

    x0, top, x1, bottom = box
    crop = dark[top:bottom, x0:x1]
    perimeter = int(np.count_nonzero(np.diff(crop, axis=0))) + int(np.count_nonzero(np.diff(crop, axis=1)))
    return int(crop.sum()), perimeter
