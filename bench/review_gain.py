"""What an evaluator's corrections buy: F1 on a held-out cluster per 50 corrected rows.

Simulates the review loop of ``miner review`` on ``corpora/activities/real.csv``: for each held-out
cluster (whole cluster, never seen in training), start from the shipped model, then add the real
rows of the *other* clusters in batches of 50 as the evaluator's corrections (their gold labels are
what the evaluator would click), retrain as ``miner classify --train`` does (the base model's
examples kept, corrected texts override them, same settings, thresholds recalibrated) and measure
micro/macro F1 on the held-out cluster. "clicks" counts the axis toggles the evaluator would have
made on each batch (predicted vs gold axes under the model of the previous step).

Sentence embeddings are computed once per text and passed to :func:`miner.tag.axes.fit` (the only
difference from ``train_file``, which re-embeds on every call); spaCy features are recomputed.

    .venv/bin/python bench/review_gain.py [--clusters 3] [--max 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.nlp.embeddings import embed  # noqa: E402
from miner.tag import axes as ax  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import TINY  # noqa: E402

REAL = ROOT / "corpora" / "activities" / "real.csv"
BATCH = 50
"""Corrections per retrain: the brief's unit, about one session of reviewing a list."""
MIN_HELD_OUT_ROWS = 20
"""A held-out cluster needs this many rows: below it one row moves micro-F1 by more than 0.05."""
SEED = 7
"""Order in which the other clusters' rows reach the evaluator (fixed, so runs compare)."""


def read_real(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["description"].strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=3, help="held-out clusters (largest first)")
    parser.add_argument("--max", type=int, default=200, help="most corrections fed")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args()
    if args.tiny:  # one held-out cluster, one batch of corrections
        args.clusters, args.max = 1, BATCH

    started = time.perf_counter()
    rows = read_real(REAL)
    sizes = Counter(r["cluster"] for r in rows)
    held_out = [c for c, n in sizes.most_common() if n >= MIN_HELD_OUT_ROWS][: args.clusters]
    base = ax.load_model()
    examples = base.examples
    if args.tiny:  # the held-out cluster, one batch of others, a twelfth of the base examples (every axis still in)
        others = [r for r in rows if r["cluster"] not in held_out][:BATCH]
        rows = [r for r in rows if r["cluster"] in held_out] + others
        examples = examples[::12]
    base_texts = [e["description"] for e in examples]
    texts = list(dict.fromkeys(base_texts + [r["description"] for r in rows]))
    vector_of = dict(zip(texts, embed(texts)))
    print(
        f"base model {base.version} ({len(base.examples)} examples); real.csv {len(rows)} rows of {len(sizes)} networks"
    )
    print(f"held out: {', '.join(f'{c} ({sizes[c]})' for c in held_out)}; batches of {BATCH}, up to {args.max}")
    print(
        f"{'held-out cluster':28} {'corrections':>11} {'clicks':>6} {'micro':>6} {'macro':>6} {'gain micro':>10} {'gain macro':>10} {'fit s':>6}"
    )
    results = []
    rng = np.random.default_rng(SEED)
    for cluster in held_out:
        test = [r for r in rows if r["cluster"] == cluster]
        pool = [r for r in rows if r["cluster"] != cluster]
        pool = [pool[i] for i in rng.permutation(len(pool))]
        test_texts = [r["description"] for r in test]
        test_gold = [ax.parse_axes(r["axes"]) for r in test]
        test_vectors = np.stack([vector_of[t] for t in test_texts])
        model = base
        steps = []
        k = 0
        fit_seconds = 0.0
        clicks = 0
        while True:
            predicted = ax.predict(model, test_texts, clusters=[cluster] * len(test), vectors=test_vectors)
            metrics = ax.evaluate_sets(test_gold, [p.axes for p in predicted])
            step = {
                "corrections": k,
                "clicks": clicks,
                "micro_f1": metrics["micro_f1"],
                "macro_f1": metrics["macro_f1"],
                "fit_seconds": round(fit_seconds, 1),
            }
            steps.append(step)
            print(
                f"{cluster[:28]:28} {k:11d} {clicks:6d} {step['micro_f1']:6.3f} {step['macro_f1']:6.3f} "
                f"{step['micro_f1'] - steps[0]['micro_f1']:+10.3f} {step['macro_f1'] - steps[0]['macro_f1']:+10.3f} {fit_seconds:6.1f}",
                flush=True,
            )
            if k + BATCH > min(args.max, len(pool)):
                break
            batch = pool[k : k + BATCH]
            seen = ax.predict(
                model,
                [r["description"] for r in batch],
                clusters=[r["cluster"] for r in batch],
                vectors=np.stack([vector_of[r["description"]] for r in batch]),
            )
            clicks = sum(len(set(p.axes) ^ set(ax.parse_axes(r["axes"]))) for p, r in zip(seen, batch))
            k += BATCH
            corrected = pool[:k]
            # as train_file: corrected rows first, then the base examples whose text was not corrected
            given = {r["description"] for r in corrected}
            train = [(r["description"], ax.parse_axes(r["axes"]), r["cluster"], r["id"]) for r in corrected]
            train += [
                (e["description"], ax.parse_axes(e["axes"]), e.get("cluster") or None, e["id"])
                for e in examples
                if e["description"] not in given
            ]
            t0 = time.perf_counter()
            model = ax.fit(
                [t[0] for t in train],
                [t[1] for t in train],
                clusters=[t[2] for t in train],
                ids=[t[3] for t in train],
                vectors=np.stack([vector_of[t[0]] for t in train]),
                settings=base.settings,
                source="bench/review_gain.py",
            )
            fit_seconds = time.perf_counter() - t0
        results.append({"cluster": cluster, "rows": len(test), "steps": steps})

    print()
    print("mean over held-out clusters")
    print(f"{'corrections':>11} {'micro':>6} {'macro':>6} {'gain micro':>10} {'gain macro':>10}")
    depth = min(len(r["steps"]) for r in results)
    for i in range(depth):
        micro = np.mean([r["steps"][i]["micro_f1"] for r in results])
        macro = np.mean([r["steps"][i]["macro_f1"] for r in results])
        micro0 = np.mean([r["steps"][0]["micro_f1"] for r in results])
        macro0 = np.mean([r["steps"][0]["macro_f1"] for r in results])
        print(
            f"{results[0]['steps'][i]['corrections']:11d} {micro:6.3f} {macro:6.3f} {micro - micro0:+10.3f} {macro - macro0:+10.3f}"
        )
    last = depth - 1
    per50 = {
        m: float(np.mean([(r["steps"][last][m] - r["steps"][0][m]) / last for r in results]))
        for m in ("micro_f1", "macro_f1")
    }
    print(
        f"F1 gained per {BATCH} corrections (mean slope, 0 to {results[0]['steps'][last]['corrections']}): "
        f"micro {per50['micro_f1']:+.3f}, macro {per50['macro_f1']:+.3f}"
    )
    print(f"total {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"base_model": base.version, "batch": BATCH, "held_out": results, "gain_per_batch": per50}, indent=1
            )
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
