"""OCR cost per scanned page, beside pdfplumber on the same born-digital page, in one run.

Baseline: pdfplumber's ``extract_text()`` + ``extract_tables()`` on each page of the born-digital
report. miner: ``read.ocr.recognise_pages`` on each page of its 200 dpi scan, with one and with
two threads (``--jobs``), then the whole ``extract_evaluation`` of the scan; and miner's OCR of a
page against Tesseract alone in process on the same page images (goal, issue 27: at most 1.15x,
the same words). Goal (issue 17):
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
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's miner, not the one the venv installed
sys.path.insert(0, str(ROOT / "bench"))
from goals import SHARED, TINY, goal  # noqa: E402

CORPORA = SHARED / "corpora"
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


CPU: dict[str, float] = {}
"""Processor seconds per page of the last runs of miner's OCR and of Tesseract alone (one thread each):
what the work costs whatever else shares the cores, beside the wall-clock seconds."""


def ocr_per_page(path: Path, jobs: int, numbers: list[int] | None = None) -> tuple[float, dict[int, str]]:
    """Seconds per page of miner's OCR (render, deskew, rules, Tesseract) and each page's words."""
    import pdfplumber

    from miner.read.ocr import OcrSettings, recognise_pages

    with pdfplumber.open(path) as pdf:
        pages = [pdf.pages[n - 1] for n in numbers] if numbers else pdf.pages
        start, cpu = time.perf_counter(), time.process_time()
        found = recognise_pages(path, pages, OcrSettings(jobs=jobs))
        seconds = (time.perf_counter() - start) / len(pages)
        CPU["miner"] = (time.process_time() - cpu) / len(pages)
    return seconds, {n: " ".join(w.text for w in page.words) for n, page in found.items()}


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


def compare_bindings(pages: list[int], *, pytesseract_too: bool = True) -> tuple[float, dict[int, str], dict[int, str]]:
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
        start, cpu = time.perf_counter(), time.process_time()
        texts = {}
        for n, image in images.items():
            api.SetImage(image)
            api.SetSourceResolution(200)
            texts[n] = api.GetUTF8Text()
        seconds = (time.perf_counter() - start) / len(pages)
        CPU["tesseract"] = (time.process_time() - cpu) / len(pages)
    print(
        f"  tesserocr {tesserocr.__version__} (Tesseract {tesserocr.tesseract_version().split()[1]}, in process): "
        f"{seconds:.2f} s/page, word error rate {_rate(texts, truths):.2%}"
    )
    alone = (seconds, texts, truths)
    try:
        import pytesseract
    except ImportError:
        print("  pytesseract: not installed (pip install miner[bench])")
        return alone
    if not pytesseract_too:
        return alone
    env_before = os.environ.get("OMP_THREAD_LIMIT")
    for threads in ("1", None):
        if threads:
            os.environ["OMP_THREAD_LIMIT"] = threads  # Debian's tesseract uses OpenMP: one thread per page is faster
        elif env_before is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        start = time.perf_counter()
        texts = {n: pytesseract.image_to_string(image, lang="fra", config="--dpi 200") for n, image in images.items()}
        seconds = (time.perf_counter() - start) / len(pages)
        print(
            f"  pytesseract {pytesseract.__version__} (Tesseract {pytesseract.get_tesseract_version()}, a process per page, "
            f"OMP_THREAD_LIMIT={threads or 'unset'}): {seconds:.2f} s/page, word error rate {_rate(texts, truths):.2%}"
        )
    if env_before is not None:
        os.environ["OMP_THREAD_LIMIT"] = env_before
    return alone


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="2-4", help="pages for the binding comparison (N-M)")
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args(argv)
    if args.tiny:
        args.pages = "2-2"
    first, last = (int(x) for x in args.pages.split("-"))
    numbers = list(range(first, last + 1))
    some = numbers if args.tiny else None
    bare_per_page(BORN)  # warm imports
    base = bare_per_page(BORN)
    one, _ = ocr_per_page(SCAN, 1, some)
    two, _ = ocr_per_page(SCAN, 2, some)
    whole = extract_per_page(SCAN, 2) if not args.tiny else float("nan")  # tiny: the whole scan is too long
    print(f"cores: {os.cpu_count()}, load average at the start: {os.getloadavg()[0]:.1f} (other work shares them)")
    print(f"born-digital page, bare pdfplumber extract_text+extract_tables: {base:.3f} s/page")
    print(f"scanned page, OCR (render, deskew, rules, Tesseract), 1 thread: {one:.2f} s/page ({one / base:.0f}x)")
    print(f"scanned page, OCR, 2 threads: {two:.2f} s/page ({two / base:.0f}x)")
    goal("scanned page, OCR with 2 threads", two, "<=", 3, " s")
    print(f"scanned page, whole miner extract (OCR + structure), 2 threads: {whole:.2f} s/page")
    print(f"bindings on pages {first}-{last} of the scan:")
    alone, alone_texts, truths = compare_bindings(numbers, pytesseract_too=not args.tiny)
    mine, mine_texts = ocr_per_page(SCAN, 1, numbers)
    print(
        f"  miner's OCR, 1 thread, same pages: {mine:.2f} s/page, word error rate {_rate(mine_texts, truths):.2%} "
        f"(Tesseract alone {_rate(alone_texts, truths):.2%})"
    )
    goal("miner's OCR / Tesseract alone in process, per page", mine / alone, "<=", 1.15)
    cpu_ratio = CPU["miner"] / CPU["tesseract"]
    print(
        f"  processor time, same pages: miner {CPU['miner']:.2f} s/page, Tesseract alone {CPU['tesseract']:.2f} s/page "
        f"(load average now {os.getloadavg()[0]:.1f}: wall-clock ratios under load are noisy, processor time much less)"
    )
    goal("miner's OCR / Tesseract alone in process, processor time per page", cpu_ratio, "<=", 1.15)
    return {
        "bare_s": base,
        "ocr_1_s": one,
        "ocr_2_s": two,
        "extract_s": whole,
        "ocr_vs_tesseract": mine / alone,
        "ocr_vs_tesseract_cpu": cpu_ratio,
    }


if __name__ == "__main__":
    main()
