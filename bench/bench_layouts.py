"""Extraction cost of other producers' layouts against bare pdfplumber, measured in one run.

For each file, the baseline is pdfplumber's ``extract_text()`` and ``extract_tables()`` on every
page, miner's cost the whole ``extract_evaluation``; printed as a ratio of medians over repeated
runs (machines here are shared and noisy; a ratio is stable where seconds are not). Goals
(issue 16): the shared report at most 1.5x, an unruled layout at most 2x.

    python bench/bench_layouts.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import bare, mined, timed
from goals import SHARED, TINY, goal

ROOT = Path(__file__).resolve().parents[1]
CORPORA = SHARED / "corpora"
# (file, goal): the shared report keeps its budget; tables without full ruling get a larger one
CASES = [
    (CORPORA / "infopole" / "evaluation-infopole-2025-synthese.pdf", 1.5),
    (CORPORA / "layouts" / "v01_hrules.pdf", 2.0),
    (CORPORA / "layouts" / "v02_zebra.pdf", 2.0),
]


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args(argv)
    if args.tiny:
        args.repeat = 1
    ratios: dict[str, float] = {}
    for path, target in CASES[:1] if args.tiny else CASES:
        bare(path)
        mined(path)  # warm imports and caches for both
        base = timed(bare, path, args.repeat)
        ours = timed(mined, path, args.repeat)
        ratios[path.name] = ours / base
        print(f"extract {path.name}: bare pdfplumber {base * 1000:.0f} ms, miner {ours * 1000:.0f} ms, "
              f"ratio {ours / base:.2f}x")  # fmt: skip
        goal(f"extract {path.name} / bare pdfplumber", ours / base, "<=", target)
    return ratios


if __name__ == "__main__":
    main()
    sys.exit(0)
