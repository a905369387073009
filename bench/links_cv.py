"""Fit the constat-link score on corpora/activities/constat_links.csv and calibrate its threshold.

Features per (activity, constat) pair come from miner.tag.links.pair_features (cosine, lemma overlap,
axis agreement). A logistic regression is fitted; its threshold maximises F1 on leave-one-constat-
out scores. Prints the weights, bias and threshold to put in LinkSettings, and the CV figures.

    .venv/bin/python bench/links_cv.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.records import Constat  # noqa: E402
from miner.tag import links  # noqa: E402
from miner.tag.axes import load_model  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import TINY  # noqa: E402


def features(rows):
    model = load_model()
    texts = sorted({r["constat_text"] for r in rows})
    constats = [Constat(number=i + 1, text=t, criteria=[], pages=[]) for i, t in enumerate(texts)]
    profiles = {p.constat.text: p for p in links.profile_constats(constats, model=model)}
    idf = links._idf([p.lemmas for p in profiles.values()])
    acts = [r["activity"] for r in rows]
    lemmas, vectors, scaled = links._texts_profile(acts, model, None)
    X = np.array(
        [
            links.pair_features(lemmas[i], vectors[i], scaled[i], profiles[r["constat_text"]], idf)
            for i, r in enumerate(rows)
        ]
    )
    return X, profiles


def f1_at(y, s, t):
    p = s >= t
    tp = np.sum(p & (y == 1))
    return 2 * tp / (np.sum(p) + np.sum(y == 1)) if np.sum(p) + np.sum(y) else 0.0


def main() -> None:
    """The labelled pairs are few (80): --tiny runs them all."""
    import argparse

    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help=TINY)
    parser.parse_args()

    rows = list(csv.DictReader(open(ROOT / "corpora/activities/constat_links.csv", encoding="utf-8")))
    y = np.array([int(r["related"]) for r in rows])
    X, profiles = features(rows)
    groups = np.array([r["constat_text"] for r in rows])
    for name, cols in {
        "cosine": [0],
        "lemmas": [1],
        "axes": [2],
        "cosine+lemmas": [0, 1],
        "all three": [0, 1, 2],
    }.items():
        oof = np.zeros(len(rows))
        for g in sorted(set(groups)):
            test = groups == g
            clf = LogisticRegression(C=10.0).fit(X[~test][:, cols], y[~test])
            oof[test] = clf.predict_proba(X[test][:, cols])[:, 1]
        grid = np.arange(0.05, 0.95, 0.01)
        f1s = [f1_at(y, oof, t) for t in grid]
        best = grid[int(np.argmax(f1s))]
        print(f"{name:15s} leave-one-constat-out F1 {max(f1s):.3f} at threshold {best:.2f}")
    clf = LogisticRegression(C=10.0).fit(X, y)
    print("weights", np.round(clf.coef_[0], 2).tolist(), "bias", round(float(clf.intercept_[0]), 2))
    print("polarity of the labelled constats:")
    for text, p in profiles.items():
        print(f"  {p.polarity:8s} axes={p.axes} {text[:90]}")


if __name__ == "__main__":
    main()
