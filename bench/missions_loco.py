"""Networks held out on the real activities under the 2024 missions (issue 26), and the shipped model.

Every network (``cluster`` column of ``corpora/activities/real.csv``) is tested by a model that
never saw it: the networks are dealt into ``--network-folds`` folds, each fold held out once, the
model trained on the others with its thresholds calibrated on out-of-fold scores of whole networks
inside the training part (as the shipped model is). Labels: ``real-missions.csv`` (twice blind,
adjudicated). Per mission F1, micro and macro, beside the labellers' agreement (the ceiling).

    python bench/missions_loco.py [--network-folds 10] [--C 1.0 ...] [--ship] [--tiny]

``--ship`` trains on every real row and writes ``miner/data/assets/models/missions-2024-*.npz``
and its pointer ``DEFAULT-missions-2024``. Embeddings and spaCy features come from the caches of
``bench/encoder_cache.py`` and ``bench/axes_loco.py`` (under /tmp). ``--tiny`` (what `make test`
runs): every tenth row, three folds, caches in a temporary folder, nothing shipped.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from axes_loco import cached_features, read  # noqa: E402 (bench/ on the path first)
from encoder_cache import DEFAULT_CACHE, cached_vectors  # noqa: E402
from goals import TINY  # noqa: E402

from miner.data.schemes import builtin_scheme  # noqa: E402
from miner.tag import schemes as sc  # noqa: E402
from miner.tag.base import AxesSettings, evaluate_sets  # noqa: E402
from miner.tag.modelfile import MODEL_DIR  # noqa: E402

SCHEME = "missions-2024"
CEILING = {"micro": 0.927, "macro": 0.925}
"""Agreement of the two blind labellings of real-missions.csv (corpora/activities/CONVENTIONS-2024.md), over its 635
rows (0.921 / 0.920 over the 703 before the rows of France and Luxembourg were withdrawn on 2026-12-08)."""
ALL = ("embedding", "wordvec", "lexicon", "actors", "roles", "rules", "lemmas")


def rows():
    """The real rows labelled under the 2024 missions (real.csv grows before real-missions.csv does)."""
    with open(ROOT / "corpora" / "activities" / "real-missions.csv", encoding="utf-8") as handle:
        missions = {r["id"]: r["missions"] for r in csv.DictReader(handle)}
    real = [r for r in read(ROOT / "corpora" / "activities" / "real.csv") if r["id"] in missions]
    scheme = builtin_scheme(SCHEME)
    texts = [" ".join(r["description"].split()) for r in real]
    clusters = [r.get("cluster") or "" for r in real]
    labels = [sc.parse_concepts(missions[r["id"]], scheme) for r in real]
    return texts, clusters, labels, [r["id"] for r in real]


def loco(feats, vectors, labels, groups, settings, tagging, folds):
    names = sorted(set(groups))
    rng = np.random.default_rng(100)
    rng.shuffle(names)
    golds, preds = [], []
    for k in range(folds):
        part = set(names[k::folds])
        test = [i for i, g in enumerate(groups) if g in part]
        train = [i for i, g in enumerate(groups) if g not in part]
        model = sc.fit_scheme(
            SCHEME,
            [""] * len(train),
            [labels[i] for i in train],
            feats=[feats[i] for i in train],
            vectors=vectors[train],
            groups=[groups[i] for i in train],
            settings=settings,
            tagging=tagging,
        )
        preds += [p.axes for p in sc.predict_scheme(model, [feats[i] for i in test], vectors[test], tagging)]
        golds += [labels[i] for i in test]
    return evaluate_sets(golds, preds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network-folds", type=int, default=10)
    parser.add_argument("--C", type=float, nargs="*", default=[sc.TAGGING.C])
    parser.add_argument("--blocks", default=",".join(ALL), help="comma-separated feature blocks")
    parser.add_argument("--ship", action="store_true")
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args()
    if args.tiny and args.ship:
        parser.error("--tiny trains on a tenth of the rows: it never ships a model")
    texts, clusters, labels, ids = rows()
    if args.tiny:  # every tenth row (every mission still present), three folds
        texts, clusters, labels, ids = texts[::10], clusters[::10], labels[::10], ids[::10]
        args.network_folds = 3
    settings = AxesSettings(blocks=tuple(args.blocks.split(",")))
    with tempfile.TemporaryDirectory(prefix="miner-missions-") as tmp:
        cache = Path(tmp) if args.tiny else DEFAULT_CACHE  # a tiny run leaves no cache behind
        vectors = cached_vectors(texts, settings.encoder, cache)
        feats = cached_features(texts, clusters, cache)
    print(
        f"{len(texts)} real rows of {len(set(clusters))} networks, {args.network_folds} folds of whole networks; "
        f"blocks {args.blocks}"
    )
    print("| C | micro-F1 | macro-F1 | F1 mission 1 | 2 | 3 | 4 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for C in args.C:
        m = loco(feats, vectors, labels, clusters, settings, replace(sc.TAGGING, C=C), args.network_folds)
        per = " | ".join(f"{m['per_axis'][str(k)]['f1']:.3f}" for k in range(1, 5))
        print(f"| {C} | {m['micro_f1']:.3f} | {m['macro_f1']:.3f} | {per} |", flush=True)
    print(f"| labellers' agreement (ceiling) | {CEILING['micro']:.3f} | {CEILING['macro']:.3f} | | | | |")
    if args.ship:
        model = sc.fit_scheme(
            SCHEME,
            texts,
            labels,
            feats=feats,
            vectors=vectors,
            groups=clusters,
            ids=ids,
            settings=settings,
            tagging=replace(sc.TAGGING, C=args.C[0]),
            source="corpora/activities/real.csv + real-missions.csv",
        )
        for old in MODEL_DIR.glob(f"{SCHEME}-*.npz"):
            old.unlink()
        path = model.save(MODEL_DIR)
        (MODEL_DIR / f"DEFAULT-{SCHEME}").write_text(path.name + "\n", encoding="utf-8")
        print(f"shipped {path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
