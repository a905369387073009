"""Choose the axis classifier by the numbers: nested cross-validation on corpora/activities/train.csv.

Outer folds measure; inside each outer training part, out-of-fold scores calibrate the per-axis
thresholds, exactly as `miner classify --train` does. dev.csv is not read here.

    .venv/bin/python bench/axes_cv.py [--repeats 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.nlp.embeddings import embed  # noqa: E402
from miner.tag import axes  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import TINY  # noqa: E402

CONFIGS = {
    "lexicon+actors (no learning of words)": dict(blocks=("lexicon", "actors"), hand_weight=1.0),
    "lemmas tf-idf": dict(blocks=("lemmas",)),
    "lemmas+lexicon+actors": dict(blocks=("lemmas", "lexicon", "actors")),
    "embedding (MiniLM) head": dict(blocks=("embedding",)),
    "embedding+lexicon+actors": dict(blocks=("embedding", "lexicon", "actors")),
    "French word vectors head": dict(blocks=("wordvec",)),
    "wordvec+lexicon+actors": dict(blocks=("wordvec", "lexicon", "actors")),
    "embedding+wordvec+lexicon+actors": dict(blocks=("embedding", "wordvec", "lexicon", "actors")),
    "all four blocks, unit weights, C=1": dict(C=1.0, embedding_weight=1.0, hand_weight=1.0, lemma_weight=1.0),
    "emb+lexicon+actors+lemmas": dict(blocks=("embedding", "lexicon", "actors", "lemmas")),
    "all five blocks (default: C=3, emb 2, wordvec 1, hand .25, lemmas 2)": dict(),
    "all five blocks, hand weight 0.5 (lexicon and actors count more)": dict(hand_weight=0.5),
    "three heads averaged (emb+wordvec | lexicon+actors | lemmas)": dict(
        heads=(("embedding", "wordvec"), ("lexicon", "actors"), ("lemmas",))
    ),
    "three heads, each with actors": dict(
        heads=(("embedding", "wordvec", "actors"), ("lexicon", "actors"), ("lemmas", "actors"))
    ),
    "three heads, hand weight 1": dict(
        hand_weight=1.0, heads=(("embedding", "wordvec", "actors"), ("lexicon", "actors"), ("lemmas", "actors"))
    ),
}


def prototypes(feats, vectors, y, train, test):
    """Few-shot prototypes: cosine to each axis's mean embedding (baseline)."""
    centroids = np.stack([vectors[train][y[train, k] == 1].mean(axis=0) for k in range(6)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    return (vectors @ centroids.T + 1) / 2


def nested(feats, vectors, y, settings, repeats, method=None, groups=None):
    n = len(feats)
    golds, preds = [], []
    for r in range(repeats):
        for test in axes.fold_indices(n, 5, 100 + r, groups):
            train = np.setdiff1d(np.arange(n), test)
            sub_f = [feats[i] for i in train]
            if method is None:
                oof = axes.out_of_fold_scores(sub_f, vectors[train], y[train], settings)
                thr = axes.calibrate_thresholds(oof, y[train], settings.min_threshold)
                coef, b, spec = axes.fit_arrays(sub_f, vectors[train], y[train], settings)
                design = axes.design_from_spec([feats[i] for i in test], vectors[test], settings, spec)
                scores = axes.head_scores(design, coef, b)
            else:
                inner = method(feats, vectors, y, train, train)
                thr = axes.calibrate_thresholds(inner[train], y[train], 0.0)
                scores = method(feats, vectors, y, train, test)[test]
            _, chosen = axes.decide(scores, thr)
            golds += [[k + 1 for k in np.flatnonzero(y[i])] for i in test]
            preds += [[k + 1 for k in np.flatnonzero(c)] for c in chosen]
    return axes.evaluate_sets(golds, preds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", default=str(ROOT / "corpora/activities/train.csv"))
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json")
    parser.add_argument("--grid", action="store_true", help="also search C and block weights")
    parser.add_argument("--grouped", action="store_true", help="outer folds leave whole clusters out")
    parser.add_argument("--only", help="comma-separated config names to run")
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args()
    rows = list(csv.DictReader(open(args.train, encoding="utf-8")))
    if args.tiny:  # every fifth row (all axes still present), one repeat, one configuration
        rows, args.repeats, args.only = rows[::5], 1, args.only or next(iter(CONFIGS))
    texts = [r["description"] for r in rows]
    y = axes.labels_matrix([axes.parse_axes(r["axes"]) for r in rows])
    t0 = time.time()
    feats = axes.extract_features(texts, [r.get("cluster") for r in rows])
    vectors = embed(texts)
    print(f"{len(rows)} training rows, features in {time.time() - t0:.1f}s", file=sys.stderr)
    groups = [r["cluster"] for r in rows] if args.grouped else None
    results = {}
    results["prototypes (embedding centroids)"] = nested(
        feats, vectors, y, axes.AxesSettings(), args.repeats, prototypes, groups
    )
    only = set(args.only.split(",")) if args.only else None
    for name, cfg in CONFIGS.items():
        if only and not any(o in name for o in only):
            continue
        results[name] = nested(feats, vectors, y, axes.AxesSettings(**cfg), args.repeats, groups=groups)
    if args.grid:
        for C in (1.0, 3.0, 10.0):
            for ew in (0.5, 1.0, 2.0):
                for hw in (0.1, 0.25, 0.5, 1.0):
                    for lw in (1.0, 2.0, 3.0):
                        s = axes.AxesSettings(C=C, embedding_weight=ew, hand_weight=hw, lemma_weight=lw)
                        results[f"all C={C} emb={ew} hand={hw} lem={lw}"] = nested(
                            feats, vectors, y, s, args.repeats, groups=groups
                        )
    print(f"{'method':60s} micro  macro  " + " ".join(f"F1_{a}" for a in axes.AXES))
    for name, m in results.items():
        print(
            f"{name:60s} {m['micro_f1']:.3f}  {m['macro_f1']:.3f}  "
            + " ".join(f"{m['per_axis'][str(a)]['f1']:.2f}" for a in axes.AXES)
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
