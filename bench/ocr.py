"""OCR cost per scanned page, beside pdfplumber on the same born-digital page, in one run.

Baseline: pdfplumber's ``extract_text()`` + ``extract_tables()`` on each page of the born-digital
report. miner: ``read.ocr.recognise_pages`` on each page of its 200 dpi scan, with one and with
two threads (``--jobs``), then the whole ``extract_evaluation`` of the scan. Goal (issue 17):
at most 3 s per scanned page on 2 cores.

It also compares the two Tesseract bindings on the same rendered page images: tesserocr (in
process, the one miner uses) and pytesseract (a ``tesseract`` process per page, installed with
``pip install miner[bench]``), by seconds per page and by the word error rate of the page text
against the born-digital page's words, order-free (the two read a table's cells in different
orders, which a character error rate would count as errors).

    python bench/ocr.py [--pages 2-4]
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
BORN = CORPORA / "infopole" / "evaluation-infopole-2025-synthese.pdf"
SCAN = CORPORA / "scans" / "evaluation-infopole-2025-scan.pdf"


def bare_per_page(path: Path) -> float:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        start = time.perf_counter()
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
        return (time.perf_counter() - start) / len(pdf.pages)


def ocr_per_page(path: Path, jobs: int) -> float:
    import pdfplumber

    from miner.read.ocr import OcrSettings, recognise_pages

    with pdfplumber.open(path) as pdf:
        start = time.perf_counter()
        recognise_pages(path, pdf.pages, OcrSettings(jobs=jobs))
        return (time.perf_counter() - start) / len(pdf.pages)


def extract_per_page(path: Path, jobs: int) -> float:
    from miner.extract.evaluation import extract_evaluation

    start = time.perf_counter()
    evaluation = extract_evaluation(path, ocr={"jobs": jobs})
    return (time.perf_counter() - start) / evaluation.source.pages


def _words(text: str) -> Counter[str]:
    return Counter(text.split())


def _wer(found: str, truth: str) -> tuple[int, int]:
    """(words of the truth not found, words of the truth), as multisets: order-free."""
    want, got = _words(truth), _words(found)
    return sum((want - got).values()), sum(want.values())


def _rate(texts: dict[int, str], truths: dict[int, str]) -> float:
    missed = total = 0
    for n, truth in truths.items():
        a, b = _wer(texts[n], truth)
        missed, total = missed + a, total + b
    return missed / max(1, total)


def compare_bindings(pages: list[int]) -> None:
    """Seconds per page and page-text CER of tesserocr and pytesseract on the same images."""
    import pdfplumber
    import pypdfium2

    from miner.read.ocr import engine_info

    _engine, _version, folder = engine_info("fra")
    with pdfplumber.open(BORN) as pdf:
        truths = {n: pdf.pages[n - 1].extract_text() or "" for n in pages}
    document = pypdfium2.PdfDocument(str(SCAN))
    images = {n: document[n - 1].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for n in pages}
    document.close()

    import tesserocr

    with tesserocr.PyTessBaseAPI(path=folder, lang="fra") as api:
        start = time.perf_counter()
        texts = {}
        for n, image in images.items():
            api.SetImage(image)
            api.SetSourceResolution(200)
            texts[n] = api.GetUTF8Text()
        seconds = (time.perf_counter() - start) / len(pages)
    print(f"  tesserocr {tesserocr.__version__} (Tesseract {tesserocr.tesseract_version().split()[1]}, in process): "
          f"{seconds:.2f} s/page, word error rate {_rate(texts, truths):.2%}")
    try:
        import pytesseract
    except ImportError:
        print("  pytesseract: not installed (pip install miner[bench])")
        return
    env_before = os.environ.get("OMP_THREAD_LIMIT")
    for threads in ("1", None):
        if threads:
            os.environ["OMP_THREAD_LIMIT"] = threads  # Debian's tesseract uses OpenMP: one thread per page is faster
        elif env_before is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        start = time.perf_counter()
        texts = {n: pytesseract.image_to_string(image, lang="fra", config="--dpi 200") for n, image in images.items()}
        seconds = (time.perf_counter() - start) / len(pages)
        print(f"  pytesseract {pytesseract.__version__} (Tesseract {pytesseract.get_tesseract_version()}, a process per page, "
              f"OMP_THREAD_LIMIT={threads or 'unset'}): {seconds:.2f} s/page, word error rate {_rate(texts, truths):.2%}")
    if env_before is not None:
        os.environ["OMP_THREAD_LIMIT"] = env_before


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="2-4", help="pages for the binding comparison (N-M)")
    args = parser.parse_args(argv)
    first, last = (int(x) for x in args.pages.split("-"))
    bare_per_page(BORN)  # warm imports
    base = bare_per_page(BORN)
    one = ocr_per_page(SCAN, 1)
    two = ocr_per_page(SCAN, 2)
    whole = extract_per_page(SCAN, 2)
    print(f"cores: {os.cpu_count()}, load average at the start: {os.getloadavg()[0]:.1f} (other work shares them)")
    print(f"born-digital page, bare pdfplumber extract_text+extract_tables: {base:.3f} s/page")
    print(f"scanned page, OCR (render, deskew, rules, Tesseract), 1 thread: {one:.2f} s/page ({one / base:.0f}x)")
    print(f"scanned page, OCR, 2 threads: {two:.2f} s/page ({two / base:.0f}x; goal <= 3 s/page)")
    print(f"scanned page, whole miner extract (OCR + structure), 2 threads: {whole:.2f} s/page")
    print(f"bindings on pages {first}-{last} of the scan:")
    compare_bindings(list(range(first, last + 1)))
    return {"bare_s": base, "ocr_1_s": one, "ocr_2_s": two, "extract_s": whole}


if __name__ == "__main__":
    main()
