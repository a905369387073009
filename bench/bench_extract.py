"""Extraction cost against bare pdfplumber on the same pages, measured in the same run.

Baseline: for every page, pdfplumber's ``extract_text()`` and ``extract_tables()``. miner: the
whole ``extract_evaluation`` (blocks, reading order, tables stitched, structure). Printed as a
ratio of medians over repeated runs (machines here are shared and noisy; a ratio is stable
where seconds are not). Goal (issue 2): at most 1.5×.

    python bench/bench_extract.py [PDF] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's miner, not the one the venv installed
sys.path.insert(0, str(ROOT / "bench"))
from goals import SHARED, TINY, goal  # noqa: E402

DEFAULT = SHARED / "corpora" / "infopole" / "evaluation-infopole-2025-synthese.pdf"


def bare(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def mined(path: Path) -> None:
    from miner.extract.evaluation import extract_evaluation

    extract_evaluation(path)


def timed(func, path: Path, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(path)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args(argv)
    if args.tiny:
        args.repeat = 1
    bare(args.pdf)
    mined(args.pdf)  # warm imports and caches for both
    base = timed(bare, args.pdf, args.repeat)
    ours = timed(mined, args.pdf, args.repeat)
    ratio = ours / base
    print(
        f"extract {args.pdf.name}: bare pdfplumber {base * 1000:.0f} ms, miner {ours * 1000:.0f} ms, ratio {ratio:.2f}x"
    )
    goal(f"extract {args.pdf.name} / bare pdfplumber", ratio, "<=", 1.5)
    return {"bare_s": base, "miner_s": ours, "ratio": ratio}


if __name__ == "__main__":
    main()
    sys.exit(0)
