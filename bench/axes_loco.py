"""Leave-one-network-out on the real activities: the figure that chooses the axis model (issue 22).

Every network of ``corpora/activities/real.csv`` is tested by a model that never saw it, trained
on the other networks' real rows plus, with ``--written``, every written row of ``train.csv``
(written rows are in training only, never tested). Thresholds are calibrated inside each training
part on out-of-fold scores, as ``miner classify --train`` does. Per axis F1, micro and macro.

    python bench/axes_loco.py [--written] [--configs "NAME;..."] [--cache DIR] [--network-folds 8] [--one-at-a-time] [--tiny]

Embeddings come from ``bench/encoder_cache.py``'s cache; the spaCy features (parse, facts, rule
verdicts) are cached by content under the same folder, so configurations compare in minutes.
``--tiny`` (the long tests run it): every tenth real row and every twentieth written one, three folds,
the shipped configuration, one network at a time, a temporary cache.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import pickle
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from encoder_cache import DEFAULT_CACHE, cached_vectors  # noqa: E402
from goals import TINY  # noqa: E402

from miner.tag import axes  # noqa: E402
from miner.tag.modelfile import neighbour_shares, stack_design, stack_scores  # noqa: E402
from miner.tag.prediction import apply_conventions  # noqa: E402
from miner.tag.training import fit_parts  # noqa: E402

ALL = ("embedding", "wordvec", "lexicon", "actors", "roles", "rules", "lemmas")
PREVIOUS = ("embedding", "wordvec", "lexicon", "actors", "roles", "lemmas")
CONFIGS = {
    "previous blocks (shipped 2026-12-01 recipe)": dict(blocks=PREVIOUS),
    "all blocks, second stage (head scores + neighbours' axes)": dict(blocks=ALL),
    "all blocks, head only (shipped 2026-12-06 recipe)": dict(blocks=ALL, stack=False),
    "all blocks, one threshold": dict(blocks=ALL, one_threshold=True),
    "no word vectors": dict(blocks=tuple(b for b in ALL if b != "wordvec")),
    "no encoder (rules, lexicon, actors, roles, lemmas)": dict(
        blocks=("lexicon", "actors", "roles", "rules", "lemmas")
    ),
}
"""Block sets: each learned head is measured three ways (VARIANTS) on the same folds."""
SHIPPED = "all blocks, second stage (head scores + neighbours' axes)"
"""The configuration of the shipped model (bench/axes_ship.py's defaults)."""
VARIANTS = ("head only", "+ every settling rule", "+ trusted rules (shipped)")


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["description"].strip()]


def cached_features(texts: list[str], clusters: list[str], cache: Path):
    """spaCy features of ``texts`` (parse, facts, verdicts), pickled under ``cache`` by content and code."""
    code = "".join(
        (ROOT / "miner" / p).read_text(encoding="utf-8")
        for p in (
            "tag/features.py",
            "tag/facts.py",
            "tag/rules.py",
            "nlp/french.py",
            "nlp/orgtyper.py",
            # the modules facts.py reads the parse with: a change to them alone changes the features too
            "tag/aims.py",
            "tag/audience.py",
            "tag/eventhead.py",
            "tag/jointwork.py",
            "tag/owncluster.py",
        )
    )
    code += (ROOT / "miner" / "data" / "assets" / "event_formats.yaml").read_text(encoding="utf-8")
    code += (ROOT / "miner" / "data" / "assets" / "organisations.ttl").read_text(encoding="utf-8")
    digest = hashlib.sha256(("\n".join(texts) + "\n".join(clusters) + code).encode()).hexdigest()[:16]
    path = cache / f"features-{digest}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    t0 = time.perf_counter()
    feats = axes.extract_features(texts, clusters)
    print(f"features: {len(texts)} texts in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(feats))
    return feats


def scores_of(parts, feats, vectors, y, settings, train, test):
    """Held-out scores: the head in ``parts``, then its second stage with neighbours among ``train``."""
    held = [feats[i] for i in test]
    design = axes.design_from_spec(held, vectors[test], settings, parts)
    scores = axes.head_scores(design, parts["coef"], parts["intercept"])
    if parts.get("stack_coef") is None:
        return scores
    shares = neighbour_shares(vectors[test], vectors[train], y[train], settings.stack_neighbours)
    return stack_scores(
        stack_design(scores, shares, settings.stack_share_weight), parts["stack_coef"], parts["stack_intercept"]
    )


def predict_sets(parts, feats, vectors, y, settings, train, test):
    """``test`` decided with ``parts``' thresholds, three ways (VARIANTS)."""
    held = [feats[i] for i in test]
    scaled, chosen = axes.decide(scores_of(parts, feats, vectors, y, settings, train, test), parts["thresholds"])
    return [
        [a for a, _, _ in apply_conventions(held, scaled, chosen, False)],
        [a for a, _, _ in apply_conventions(held, scaled, chosen, True)],
        [a for a, _, _ in apply_conventions(held, scaled, chosen, True, trusted=parts["trusted_rules"])],
    ]


def loco(feats, vectors, y, groups, settings, always, network_folds=8, one_at_a_time=False):
    """Micro/macro over held-out networks; ``always`` rows (written) are in every training part.

    The real networks are dealt into ``network_folds`` folds; each fold's thresholds, second stage
    and trusted rules are chosen on the other folds only (nested, folds of whole networks inside). Then either
    the fold is tested by one head fitted without it, or (``one_at_a_time``) each of its networks
    by a head fitted on every other network: one network at a time, at the price of one head per
    network rather than a full nested calibration per network."""
    n = len(feats)
    always = np.asarray(always, dtype=int)
    real = np.setdiff1d(np.arange(n), always)
    names = sorted({groups[i] for i in real})
    rng = np.random.default_rng(100)
    order = list(names)
    rng.shuffle(order)
    parts = [order[k::network_folds] for k in range(network_folds)]
    golds, preds, ids = [], [[] for _ in VARIANTS], []
    for number, part in enumerate(parts, 1):
        print(f"fold {number}/{len(parts)}: {len(part)} networks", file=sys.stderr, flush=True)
        held = np.asarray([i for i in real if groups[i] in set(part)], dtype=int)
        rest = np.setdiff1d(np.arange(n), held)
        parts_ = fit_parts([feats[i] for i in rest], vectors[rest], y[rest], [groups[i] for i in rest], settings)
        for units in [{name} for name in part] if one_at_a_time else [set(part)]:
            test = np.asarray([i for i in held if groups[i] in units], dtype=int)
            train = np.setdiff1d(np.arange(n), test)
            fitted = dict(parts_)
            if one_at_a_time:  # the head again without this network only; thresholds and second stage stay the fold's
                coef, intercept, spec = axes.fit_arrays([feats[i] for i in train], vectors[train], y[train], settings)
                fitted.update(coef=coef, intercept=intercept, **spec)
            for kept, more in zip(preds, predict_sets(fitted, feats, vectors, y, settings, train, test)):
                kept += more
            golds += [[k + 1 for k in np.flatnonzero(y[i])] for i in test]
            ids += list(test)
    return [axes.evaluate_sets(golds, p) for p in preds], golds, preds, ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--written", action="store_true", help="add train.csv's written rows to every training part")
    parser.add_argument("--configs", default="", help="names separated by semicolons (names hold commas; default: all)")
    parser.add_argument("--cache", default=str(DEFAULT_CACHE))
    parser.add_argument(
        "--network-folds", type=int, default=8, help="folds of whole networks for the nested calibration"
    )
    parser.add_argument(
        "--one-at-a-time", action="store_true", help="test each network by a head fitted on all the others"
    )
    parser.add_argument("--errors", default="", help="write the held-out predictions of the first config to this CSV")
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="miner-axes-loco-") as tmp:
        if args.tiny:  # a tiny run leaves no cache behind
            args.cache, args.written, args.network_folds, args.one_at_a_time = tmp, True, 3, True
            args.configs = args.configs or SHIPPED
        run(args)


def run(args: argparse.Namespace) -> None:
    cache = Path(args.cache)
    real = read(ROOT / "corpora" / "activities" / "real.csv")
    written = read(ROOT / "corpora" / "activities" / "train.csv") if args.written else []
    if args.tiny:
        real, written = real[::10], written[::20]
    rows = real + written
    texts = [" ".join(r["description"].split()) for r in rows]
    clusters = [r.get("cluster") or "" for r in rows]
    groups = clusters
    y = axes.labels_matrix([axes.parse_axes(r["axes"]) for r in rows])
    always = list(range(len(real), len(rows)))
    feats = cached_features(texts, clusters, cache)
    names = [c for c in args.configs.split(";") if c] or list(CONFIGS)
    split = f"{args.network_folds} folds of whole networks" + (", one network at a time" if args.one_at_a_time else "")
    print(
        f"real rows {len(real)} of {len(set(clusters[: len(real)]))} networks, {split}; written rows in training: {len(written)}"
    )
    print("| model | micro-F1 | macro-F1 | F1 axis 1 | 2 | 3 | 4 | 5 | 6 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for n, name in enumerate(names):
        config = CONFIGS[name]
        settings = axes.AxesSettings(**config)
        vectors = cached_vectors(texts, settings.encoder, cache)
        all_metrics, golds, all_preds, ids = loco(
            feats, vectors, y, groups, settings, always, args.network_folds, args.one_at_a_time
        )
        for variant, metrics in zip(VARIANTS, all_metrics):
            per = " | ".join(f"{metrics['per_axis'][str(a)]['f1']:.2f}" for a in axes.AXES)
            print(f"| {name}, {variant} | {metrics['micro_f1']:.3f} | {metrics['macro_f1']:.3f} | {per} |", flush=True)
        preds = all_preds[-1]
        if args.errors and n == 0:
            with open(args.errors, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["id", "cluster", "gold", "predicted", "description"])
                for i, g, p in zip(ids, golds, preds):
                    if g != p:
                        writer.writerow(
                            [
                                rows[i]["id"],
                                rows[i]["cluster"],
                                axes.format_axes(g),
                                axes.format_axes(p),
                                rows[i]["description"],
                            ]
                        )


if __name__ == "__main__":
    main()
