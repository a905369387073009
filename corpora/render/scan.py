"""A print-and-scan simulation: a PDF's pages rendered in grey, rotated, with noise and blur, saved
as the JPEG pages of an image-only PDF (what an office scanner returns), for reading through OCR."""

from __future__ import annotations

from pathlib import Path

__all__ = ["make_scan"]


def make_scan(
    src: Path, dst: Path, *, dpi: int, angle: float, noise: float, pages: list[int] | None = None, seed: int = 7
) -> Path:
    """Print-and-scan ``src`` into ``dst``: each page (or those of ``pages``) at ``dpi``, rotated
    by ``angle`` degrees, Gaussian noise of ``noise`` grey levels, a light blur, JPEG quality 80."""
    import numpy as np
    import pypdfium2
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    document = pypdfium2.PdfDocument(str(src))
    images = []
    for index in pages if pages is not None else range(len(document)):
        image = document[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        pixels = np.asarray(image, dtype=np.float32) + rng.normal(0, noise, (image.height, image.width))
        noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        images.append(noisy.filter(ImageFilter.GaussianBlur(0.5)))
    document.close()
    images[0].save(dst, save_all=True, append_images=images[1:], resolution=dpi, quality=80)
    return dst
