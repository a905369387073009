"""A print-and-scan simulation: a PDF's pages rendered in grey, rotated, with noise and blur, saved
as the JPEG pages of an image-only PDF (what an office scanner returns), for reading through OCR.

An office copy also carries what was done to the paper: ``marks`` adds a received stamp pressed
over the first table (or the first page's text), tilted, in faded ink, and a handwritten signature
under the last page's text, the two marks the genre's issue names beside the slight rotation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["make_scan"]

STAMP_GREY = 170
"""A stamp's faded ink in a grey scan: lighter than print (red or blue ink reads 60-90 when fresh),
darker than paper; over a cell it must not hide the print under it."""

SIGNATURE_GREY = 50
"""A signature in ink, as dark as print."""

STAMP_RED = (185, 35, 45)
"""A fresh red stamp on a colour scan: grey 84 once converted (ITU-R 601 luma), darker than the
threshold between print and paper, so only its colour tells it from the print under it."""


def make_scan(
    src: Path,
    dst: Path,
    *,
    dpi: int,
    angle: float,
    noise: float,
    pages: list[int] | None = None,
    seed: int = 7,
    marks: bool = False,
    colour: bool = False,
    stamp_ink: int | tuple[int, int, int] | None = None,
) -> Path:
    """Print-and-scan ``src`` into ``dst``: each page (or those of ``pages``) at ``dpi``, rotated
    by ``angle`` degrees, Gaussian noise of ``noise`` grey levels, a light blur, JPEG quality 80;
    with ``marks``, a stamp over the first table and a signature under the last text. ``colour``
    scans in colour (the stamp red unless ``stamp_ink`` says); ``stamp_ink`` is the stamp's grey
    (or RGB) ink, faded grey by default."""
    import numpy as np
    import pypdfium2
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    document = pypdfium2.PdfDocument(str(src))
    chosen = list(pages) if pages is not None else list(range(len(document)))
    places = _mark_places(src, chosen) if marks else {}
    ink = stamp_ink if stamp_ink is not None else (STAMP_RED if colour else STAMP_GREY)
    mode, paper = ("RGB", (255, 255, 255)) if colour else ("L", 255)
    images = []
    for index in chosen:
        image = document[index].render(scale=dpi / 72, grayscale=not colour).to_pil().convert(mode)
        for kind, box in places.get(index, []):
            if kind == "stamp":
                _stamp(image, [v * dpi / 72 for v in box], rng, ink)
            else:
                _signature(image, [v * dpi / 72 for v in box], rng)
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)
        pixels = np.asarray(image, dtype=np.float32)
        pixels = pixels + rng.normal(0, noise, pixels.shape[:2])[(...,) + ((None,) if colour else ())]
        noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        images.append(noisy.filter(ImageFilter.GaussianBlur(0.5)))
    document.close()
    images[0].save(dst, save_all=True, append_images=images[1:], resolution=dpi, quality=80)
    return dst


def _mark_places(src: Path, chosen: list[int]) -> dict[int, list[tuple[str, tuple[float, float, float, float]]]]:
    """Where the marks go, in points: the stamp over the right half of the first table drawn with
    rules (else the first page's text), the signature below the last page's lowest line."""
    import pdfplumber

    places: dict[int, list[tuple[str, tuple[float, float, float, float]]]] = {}
    with pdfplumber.open(src) as pdf:
        stamp = None
        for index in chosen:
            page = pdf.pages[index]
            tables = page.find_tables()
            if tables:
                x0, top, x1, bottom = tables[0].bbox  # an office stamp: about 45 x 22 mm
                stamp = (index, (x1 - 150, top + 12, x1 - 20, top + 75))
                break
        if stamp is None:
            page = pdf.pages[chosen[0]]
            stamp = (chosen[0], (page.width - 200, page.height * 0.3, page.width - 70, page.height * 0.3 + 63))
        places.setdefault(stamp[0], []).append(("stamp", stamp[1]))
        last = pdf.pages[chosen[-1]]
        footer = last.height - 72  # running footers and page numbers sit in the bottom inch
        lowest = max((c["bottom"] for c in last.chars if c["bottom"] < footer), default=last.height / 2)
        if lowest + 70 < footer:
            places.setdefault(chosen[-1], []).append(
                ("signature", (last.width * 0.55, lowest + 30, last.width * 0.85, lowest + 70))
            )
    return places


def _stamp(image: Any, box: list[float], rng: Any, ink: Any = STAMP_GREY) -> None:
    """A tilted rectangular received stamp (double border, two lines of capitals, a date) pressed
    over ``box`` (pixels) in ``ink`` (a grey, or RGB on a colour page): darkest of stamp and page
    in each channel, as ink over print."""
    from PIL import Image, ImageChops, ImageDraw

    x0, top, x1, bottom = (int(v) for v in box)
    width, height = max(40, x1 - x0), max(30, bottom - top)
    paper = (255, 255, 255) if image.mode == "RGB" else 255
    layer = Image.new(image.mode, (width, height), paper)
    draw = ImageDraw.Draw(layer)
    line = max(2, height // 30)
    draw.rectangle((line, line, width - line, height - line), outline=ink, width=line)
    draw.rectangle((4 * line, 4 * line, width - 4 * line, height - 4 * line), outline=ink, width=max(1, line // 2))
    font = _font(max(8, height // 6))
    day = int(rng.integers(1, 28))
    for row, text in enumerate(("REÇU", f"LE {day:02d}/03/2024", "SERVICE ÉVALUATION")):
        draw.text((width / 2, height * (0.3 + 0.22 * row)), text, fill=ink, font=font, anchor="mm")
    tilted = layer.rotate(float(rng.uniform(8, 16)), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=paper)
    region = (x0, top, x0 + tilted.width, top + tilted.height)
    image.paste(ImageChops.darker(image.crop(region), tilted), region[:2])


def _signature(image: Any, box: list[float], rng: Any) -> None:
    """A handwritten signature: a few loops of one smooth stroke across ``box`` (pixels)."""
    import numpy as np
    from PIL import ImageDraw

    x0, top, x1, bottom = box
    t = np.linspace(0, 1, 400)
    loops = float(rng.uniform(3, 5))
    xs = x0 + (x1 - x0) * (t + 0.06 * np.sin(2 * np.pi * loops * t))
    ys = top + (bottom - top) * (0.5 + 0.45 * np.sin(2 * np.pi * loops * t + 1.0) * np.exp(-0.8 * t))
    stroke = max(2, int((bottom - top) / 25))
    fill = (SIGNATURE_GREY,) * 3 if image.mode == "RGB" else SIGNATURE_GREY
    ImageDraw.Draw(image).line(list(zip(xs.tolist(), ys.tolist())), fill=fill, width=stroke, joint="curve")


def _font(size: int) -> Any:
    """DejaVu Sans Bold (the generator's face), or Pillow's default at that size."""
    from PIL import ImageFont

    from corpora.render.variety import dejavu_folder

    path = dejavu_folder() / "DejaVuSans-Bold.ttf"
    return ImageFont.truetype(str(path), size) if path.is_file() else ImageFont.load_default(size)
