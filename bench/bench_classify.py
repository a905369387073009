"""Classifying N activities vs bare embedding of the same texts with the same encoder, same run.

Goals (issue 15): ratio classify / embed <= 1.5 at N = 10,000 with the shipped model's encoder,
and classify <= 10 minutes on 2 cores. Prints both times, the ratio and the peak RSS. Texts are
the training descriptions, cycled and numbered so none repeats.

    .venv/bin/python bench/bench_classify.py [--n 10000]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.tag import axes  # noqa: E402
from miner.nlp.embeddings import embed, load_model, model_id  # noqa: E402


ROUND = 2_000
"""Texts per round of bare embedding then classification."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    with open(ROOT / "corpora/activities/train.csv", encoding="utf-8") as handle:
        base = [r["description"] for r in csv.DictReader(handle)]
    texts = [f"{base[i % len(base)]} (édition {i // len(base) + 1})" for i in range(args.n)]
    model = axes.load_model()
    embedder = load_model(model.settings.encoder)
    axes.warm_up()
    embed(texts[:64], model=embedder)
    axes.predict(model, texts[:64])

    # Interleaved rounds: on 2 shared cores the load of other work changes from minute to minute,
    # and timing all of one then all of the other let it fall on one side only (0.42x once).
    bare = full = 0.0
    predictions = []
    for start in range(0, len(texts), ROUND):
        part = texts[start : start + ROUND]
        t0 = time.perf_counter()
        embed(part, model=embedder)
        bare += time.perf_counter() - t0
        t0 = time.perf_counter()
        predictions += axes.predict(model, part, embedder=embedder)
        full += time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "n": args.n,
        "embedding_model": model_id(model.settings.encoder),
        "bare_embedding_s": round(bare, 2),
        "classify_s": round(full, 2),
        "ratio": round(full / bare, 3),
        "goal_ratio": 1.5,
        "goal_classify_s": 600,
        "rounds_of": ROUND,
        "peak_rss_mb": round(peak_mb, 1),
        "tagged": sum(1 for p in predictions if p.axes),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
