"""Tagging activities with a trained axis model: scores rescaled so 0.5 is each axis's threshold,
the axes chosen, and one line of evidence per activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from miner.nlp.embeddings import embed
from miner.nlp.french import get_nlp, load_gazetteer
from miner.tag.base import AXES
from miner.tag.features import TextFeatures, extract_features
from miner.tag.modelfile import AxesModel

__all__ = ["AxisPrediction", "decide", "explain", "predict", "warm_up"]

def decide(scores: np.ndarray, thresholds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rescale raw scores so each axis's threshold maps to 0.5, then assign the axes at or above
    0.5; an activity with none gets its best axis (every activity serves at least one axis)."""
    t = thresholds[None, :]
    scaled = np.where(scores >= t, 0.5 + 0.5 * (scores - t) / np.maximum(1 - t, 1e-6), 0.5 * scores / np.maximum(t, 1e-6))
    chosen = scaled >= 0.5
    empty = ~chosen.any(axis=1)
    if empty.any():
        chosen[np.flatnonzero(empty), scaled[empty].argmax(axis=1)] = True
    return scaled, chosen



@dataclass
class AxisPrediction:
    axes: list[int]
    scores: list[float]
    evidence: str
    neighbours: list[str] = field(default_factory=list)


def explain(feats: TextFeatures, axes: Sequence[int], neighbours: Sequence[dict[str, str]], types: dict[str, str]) -> str:
    """Evidence in one line: per assigned axis its cue terms, the actors, the nearest examples."""
    parts = []
    for axis in axes:
        cues = list(feats.hits[axis])
        if axis == 5:
            cues += [f"autre cluster: {m}" for m in feats.other_clusters]
        if axis == 6:
            by_name = {a.name or a.text: a for a in feats.actors}
            cues += [f"{name} ({types.get(by_name[name].type, by_name[name].type)})" if name in by_name else name for name in feats.synergy]
        parts.append(f"axe {axis}: {', '.join(dict.fromkeys(cues)) or 'pas de terme, score du modèle'}")
    near = "; ".join(f"{n['id']} [{n['axes']}]" for n in neighbours)
    parts.append(f"exemples proches: {near}")
    return " | ".join(parts)


def predict(
    model: AxesModel,
    texts: Sequence[str],
    *,
    clusters: Sequence[str | None] | None = None,
    vectors: np.ndarray | None = None,
    embedder: Any = None,
) -> list[AxisPrediction]:
    """Tag texts with axes, per-axis scores (0.5 = the axis's calibrated threshold) and evidence."""

    if not texts:
        return []
    if vectors is None:
        # spaCy in a thread while the encoder runs: torch leaves gaps on the cores (and releases the
        # GIL), which the French pipeline fills: ~9 % less wall time than one after the other.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="miner-spacy") as pool:
            pending = pool.submit(extract_features, texts, clusters)
            vectors = embed(texts, model=embedder, spec=model.settings.encoder)
            feats = pending.result()
    else:
        feats = extract_features(texts, clusters)
    scaled, chosen = decide(model.raw_scores(model.matrix(feats, vectors)), model.thresholds)
    similarity = vectors @ model.example_vectors.T
    nearest = np.argsort(-similarity, axis=1)[:, : model.settings.neighbours]
    types = load_gazetteer()[0]
    out = []
    for row, f in enumerate(feats):
        axes = [AXES[k] for k in np.flatnonzero(chosen[row])]
        near = [model.examples[j] for j in nearest[row]]
        out.append(
            AxisPrediction(axes, [round(float(s), 4) for s in scaled[row]], explain(f, axes, near, types), [n["id"] for n in near])
        )
    return out



def warm_up() -> None:
    """Load spaCy once (tests and benchmarks time the work, not the loading)."""
    get_nlp()


